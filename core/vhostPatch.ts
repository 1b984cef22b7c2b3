// Per-host EnvoyFilter patches (rate limits, gRPC-JSON transcoding): a filter inserted in the
// gateway's HTTP listeners, configured per virtual host by name. Both only work on a virtual host
// Istio really builds for the host alone, and the filter belongs only on the pod ports of the
// listeners that carry one; this module decides both, the same way for every such filter.
import { portsOf, targetPort } from "./effective";
import { hostMatches, listenerVhosts, servesHttp, vhostServing, type Listener, type RoutingSpec } from "./routing";
import type { GatewaySpec } from "./spec";

/** Services that opt out of Istio's port translation: the gateway listens on the Service port itself (pilot/pkg/model/gateway.go). */
const NO_PORT_TRANSLATION = "experimental.istio.io/disable-gateway-port-translation";

/**
 * The gateway pods' ports behind the given Service ports, in any cluster: Istio binds a gateway
 * listener to the Service port's targetPort (resolvePorts in pilot/pkg/model/gateway.go), and an
 * EnvoyFilter's `portNumber` compares the listener's own port. One EnvoyFilter serves every
 * cluster, so it is the union over the clusters' ports.
 */
export function podPorts(servicePorts: Iterable<number>, specs: GatewaySpec[]): number[] {
    const wanted = new Set(servicePorts);
    const out = new Set<number>();
    for (const spec of specs) {
        const untranslated = spec.serviceLabels?.[NO_PORT_TRANSLATION] !== undefined;
        for (const p of portsOf(spec).filter((x) => wanted.has(x.port))) {
            out.add(targetPort(p));
            if (untranslated) out.add(p.port);
        }
    }
    return [...out].sort((a, b) => a - b);
}

/** One virtual host Istio builds, as far as a merge of virtual hosts can tell them apart. */
interface BuiltVhost {
    /** The routes it gets, as `<server>/<VirtualService host>` in the order Istio appends them. */
    routes: string[];
    /** Whether it answers every plain request with a redirect to HTTPS (`require_tls: ALL`). */
    requireTls: boolean;
}

/** Istio's host.Names Intersection of a server's hosts and one VirtualService host: the more specific of each covering pair. */
function intersection(serverHosts: string[], vsHost: string): string[] {
    const out = new Set<string>();
    for (const p of serverHosts) {
        if (hostMatches(vsHost, p)) out.add(p);
        else if (hostMatches(p, vsHost)) out.add(vsHost);
    }
    return [...out];
}

/**
 * The listeners whose servers share `l`'s route configuration in an Istio Gateway: plain-text
 * HTTP servers on one port share `http.<port>`, an HTTPS server has its own
 * (gatewayRDSRouteName, MergeGateways in pilot/pkg/model/gateway.go). Gateway API listeners each
 * become a Gateway of their own, whose routes never share a VirtualService with another's.
 */
function routeConfigServers(routing: RoutingSpec, l: Listener): Listener[] {
    if (l.protocol === "HTTPS") return [l];
    return (routing.listeners ?? []).filter((x) => servesHttp(x) && x.protocol !== "HTTPS" && x.port === l.port);
}

/**
 * Per-host patch placement for one routing spec: which listeners carry a host's own virtual host
 * (`listeners`), and why a host cannot be patched (`problem`). What is computed per listener is
 * kept, so asking about many hosts costs one pass over the routes per listener.
 */
export interface VhostPatches {
    /**
     * The listeners where a per-host patch for `host` applies: Istio builds a virtual host named
     * after the host itself there (`<host>:<listener port>`), and it does not redirect to HTTPS.
     * Where it redirects every request gets the redirect (Istio: the virtual host's `require_tls:
     * ALL`; Gateway API: a redirect route), so there is nothing to patch.
     */
    listeners(host: string): Listener[];
    /**
     * Why a per-host patch cannot apply to `host`, in the words of `what` (e.g. "limit",
     * "transcode"), or undefined when it can: a virtual host of its own, not shared with other
     * hosts, on some listener that does not redirect.
     */
    problem(host: string, what: string): string | undefined;
}

export function vhostPatches(routing: RoutingSpec): VhostPatches {
    const istio = (routing.api ?? "istio") === "istio";
    const http = (routing.listeners ?? []).filter(servesHttp);
    const names = new Map(http.map((l) => [l, listenerVhosts(routing, l)]));
    const configs = new Map<Listener, Map<string, BuiltVhost>>();
    const config = (l: Listener) => configs.get(l) ?? configs.set(l, routeConfigVhosts(routing, l)).get(l)!;
    const serving = (l: Listener, host: string) => vhostServing(names.get(l)!, host);
    // Istio API: a redirecting server on the same port marks the virtual host it shares.
    const redirects = (l: Listener, host: string) => l.httpsRedirect === true || (istio && config(l).get(host)?.requireTls === true);
    const listeners = (host: string) => http.filter((l) => serving(l, host) === host && !redirects(l, host));
    const mergedWith = (l: Listener, host: string) => (istio ? mergedVhosts(config(l), host) : []);
    const problem = (host: string, what: string): string | undefined => {
        if (host !== host.toLowerCase())
            return `"${host}": hosts are lower-case (write ${host.toLowerCase()}); Istio lower-cases the hosts it serves`;
        if (!http.some((l) => l.hosts.some((p) => hostMatches(p, host)))) return `no HTTP listener serves ${host}`;
        const live = http.filter((l) => l.httpsRedirect !== true);
        const found = live.map((l) => ({ l, vhost: serving(l, host) })).filter((x) => x.vhost !== undefined);
        const wider = found.find((x) => x.vhost !== host);
        if (live.some((l) => l.hosts.some((p) => hostMatches(p, host)))) {
            if (found.length === 0)
                return `no HTTP route serves ${host}, so Istio builds no virtual host to ${what} (it names virtual hosts after route hosts); add a route for ${host}`;
            if (wider !== undefined)
                return `${host} is served by the virtual host ${wider.vhost}:${wider.l.port}, which Istio builds from the route host ${wider.vhost}; to ${what} there would ${what} every host it covers: write a route for ${host} itself`;
        }
        const patched = listeners(host);
        if (patched.length === 0)
            return `${host} is served only on listeners that redirect to HTTPS (httpsRedirect), where every request gets the redirect: serve it on an HTTPS listener too`;
        for (const l of patched) {
            const others = mergedWith(l, host);
            if (others.length > 0)
                return `${host} gets the same routes as ${others.join(", ")} on port ${l.port} (only from a wider route host), and Istio merges virtual hosts with the same routes into one named after one of them (PILOT_ENABLE_ROUTE_COLLAPSE_OPTIMIZATION, on by default): a patch for ${host}:${l.port} would ${what} ${others.join(", ")} too or nothing at all; write a route for ${host} itself`;
        }
        return undefined;
    };
    return { listeners, problem };
}

/**
 * The virtual hosts of `l`'s route configuration (Istio API), by name: each server's hosts
 * intersected with each VirtualService's (one per route host), and a server that redirects to
 * HTTPS marks its own (buildGatewayHTTPRouteConfig in pilot/pkg/networking/core/gateway.go).
 */
function routeConfigVhosts(routing: RoutingSpec, l: Listener): Map<string, BuiltVhost> {
    const vsHosts = [...new Set((routing.http ?? []).flatMap((r) => r.hosts))];
    const vhosts = new Map<string, BuiltVhost>();
    const get = (name: string) => vhosts.get(name) ?? vhosts.set(name, { routes: [], requireTls: false }).get(name)!;
    routeConfigServers(routing, l).forEach((server, i) => {
        for (const vs of vsHosts) {
            for (const name of intersection(server.hosts, vs)) {
                const v = get(name);
                v.routes.push(`${i}/${vs}`);
                if (server.httpsRedirect === true) v.requireTls = true;
            }
        }
        if (server.httpsRedirect === true) for (const name of server.hosts) get(name).requireTls = true;
    });
    return vhosts;
}

/**
 * The other virtual hosts of a route configuration (Istio API) that Istio merges with `host`'s:
 * virtual hosts of one route configuration with the same routes and the same TLS requirement
 * become one, named after one of them (collapseDuplicateRoutes, on by default:
 * PILOT_ENABLE_ROUTE_COLLAPSE_OPTIMIZATION). That happens where hosts get their routes only from
 * the same wider route host.
 */
function mergedVhosts(vhosts: Map<string, BuiltVhost>, host: string): string[] {
    const own = vhosts.get(host);
    if (own === undefined) return [];
    const key = (v: BuiltVhost) => `${v.requireTls}|${v.routes.join(",")}`;
    return [...vhosts].filter(([name, v]) => name !== host && key(v) === key(own)).map(([name]) => name);
}
