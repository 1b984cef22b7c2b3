// Routing: which hosts and ports the gateway serves (listeners) and where their traffic goes
// (routes), in one model that renders as Istio Gateway/VirtualService/DestinationRule or as
// Kubernetes Gateway API Gateway/HTTPRoute/TCPRoute/TLSRoute. The rules here refuse what would
// deploy but not work: a route for a host no listener serves answers 404.
import { ownValue } from "./input";
import type { GrpcTranscoding } from "./transcoding";
import { formatPath, type IssueList, type PathSegment } from "./errors";
import {
    CORS_FILTER,
    crdServes,
    ISTIO_V1_API_SINCE,
    MIRROR_PERCENT,
    routeKindVersion,
    unsupported,
    type GatewayApiChannel,
    type MeshTarget,
} from "./meshVersion";
import { DNS_LABEL } from "./kubeNames";
import { vhostPatches } from "./vhostPatch";
import { DEFAULTS, type GatewayPort } from "./spec";

/** Which objects carry the routes: Istio's networking API or the Kubernetes Gateway API. */
export const RoutingApi = { Istio: "istio", GatewayApi: "gateway-api" } as const;
export type RoutingApi = (typeof RoutingApi)[keyof typeof RoutingApi];

/** Istio networking API version: `v1` needs Istio/ASM 1.22 or later; `v1beta1` for older meshes. */
export const IstioApiVersion = { V1: "v1", V1beta1: "v1beta1" } as const;
export type IstioApiVersion = (typeof IstioApiVersion)[keyof typeof IstioApiVersion];

/** The protocol a listener serves. */
export const ListenerProtocol = { HTTP: "HTTP", HTTPS: "HTTPS", HTTP2: "HTTP2", GRPC: "GRPC", TCP: "TCP", TLS: "TLS" } as const;
export type ListenerProtocol = (typeof ListenerProtocol)[keyof typeof ListenerProtocol];

/** Istio's server TLS modes. */
export const TlsMode = {
    SIMPLE: "SIMPLE",
    MUTUAL: "MUTUAL",
    PASSTHROUGH: "PASSTHROUGH",
    OPTIONAL_MUTUAL: "OPTIONAL_MUTUAL",
    ISTIO_MUTUAL: "ISTIO_MUTUAL",
} as const;
export type TlsMode = (typeof TlsMode)[keyof typeof TlsMode];

/** TLS protocol versions a listener may negotiate. */
export const TlsVersion = { TLSV1_2: "TLSV1_2", TLSV1_3: "TLSV1_3" } as const;
export type TlsVersion = (typeof TlsVersion)[keyof typeof TlsVersion];

/** HTTP request methods a route may match. */
export const HttpMethod = {
    GET: "GET",
    HEAD: "HEAD",
    POST: "POST",
    PUT: "PUT",
    DELETE: "DELETE",
    CONNECT: "CONNECT",
    OPTIONS: "OPTIONS",
    TRACE: "TRACE",
    PATCH: "PATCH",
} as const;
export type HttpMethod = (typeof HttpMethod)[keyof typeof HttpMethod];

/** The scheme of a redirect's `Location`. */
export const RedirectScheme = { Http: "http", Https: "https" } as const;
export type RedirectScheme = (typeof RedirectScheme)[keyof typeof RedirectScheme];

/** How the gateway balances requests over a destination's endpoints (Istio `simple` load balancer). */
export const BalancingAlgorithm = {
    ROUND_ROBIN: "ROUND_ROBIN",
    LEAST_REQUEST: "LEAST_REQUEST",
    RANDOM: "RANDOM",
    PASSTHROUGH: "PASSTHROUGH",
} as const;
export type BalancingAlgorithm = (typeof BalancingAlgorithm)[keyof typeof BalancingAlgorithm];

/** The period a rate limit counts requests over. */
export const RateLimitUnit = { Second: "second", Minute: "minute", Hour: "hour" } as const;
export type RateLimitUnit = (typeof RateLimitUnit)[keyof typeof RateLimitUnit];

/** How in-mesh traffic to an external host leaves: TLS passed through by SNI, or plain HTTP. */
export const EgressProtocol = { TLS: "TLS", HTTP: "HTTP" } as const;
export type EgressProtocol = (typeof EgressProtocol)[keyof typeof EgressProtocol];

export interface ListenerTls {
    /** SIMPLE (terminate), MUTUAL (terminate and require client certificates), PASSTHROUGH (route by SNI). */
    mode: TlsMode;
    /** Kubernetes Secret (`kubernetes.io/tls`) in the gateway's namespace holding the certificate. */
    credentialName?: string;
    /** Default TLSV1_2. */
    minProtocolVersion?: TlsVersion;
    /** Highest TLS version accepted. Default: Envoy's (TLSV1_3). */
    maxProtocolVersion?: TlsVersion;
    /** OpenSSL cipher suite names allowed for TLS 1.2. Default: Envoy's. */
    cipherSuites?: string[];
}

export interface Listener {
    /** A DNS label, unique per gateway. */
    name: string;
    /** A Service port of the gateway (`gateway.ports[].port`). */
    port: number;
    /** What the listener serves: HTTP family (HTTP, HTTPS, HTTP2, GRPC), TCP, or TLS (terminated or passthrough). */
    protocol: ListenerProtocol;
    /** Host names served, wildcards allowed (`*.example.com`, `*`). */
    hosts: string[];
    /** Answer plain HTTP with a redirect to HTTPS (HTTP listeners). */
    httpsRedirect?: boolean;
    /** TLS settings; required for HTTPS and TLS listeners, not allowed on plain ones. */
    tls?: ListenerTls;
}

export interface StringMatch {
    /** Matches this string exactly. Give one of exact, prefix, regex. */
    exact?: string;
    /** Matches strings that start with this. */
    prefix?: string;
    /** Matches this RE2 regular expression (whole string). */
    regex?: string;
}

export interface HttpMatch {
    /** Request path to match. Default: any path. */
    path?: StringMatch;
    /** Header name to match. Gateway API takes exact and regex only. */
    headers?: Record<string, StringMatch>;
    /** HTTP method to match. Default: any method. */
    method?: HttpMethod;
    /** Query parameter name to match. Gateway API takes exact and regex only. Default: none. */
    queryParams?: Record<string, StringMatch>;
}

export interface Destination {
    /** Service name (in `namespace`), or a fully qualified host. */
    host: string;
    /** Namespace of the Service; default the routing namespace. */
    namespace?: string;
    /** Service port, 1–65535. Default: the Service's only port. */
    port?: number;
    /** Istio subset (pods with the subset's labels, `version: <subset>` unless declared in backends). */
    subset?: string;
    /** Percent of the traffic; the weights of a route sum to 100. Omitted for a single destination. */
    weight?: number;
}

export interface HeaderChanges {
    /** Headers set, replacing any value. Default: none. */
    set?: Record<string, string>;
    /** Headers appended to existing values. Default: none. */
    add?: Record<string, string>;
    /** Header names removed. Default: none. */
    remove?: string[];
}

export interface Mirror {
    /** Where the copies go. */
    destination: Destination;
    /** Percent of requests copied; default all. */
    percentage?: number;
}

export interface Retries {
    /** Retries per request, 0 or more (0 turns retries off). */
    attempts: number;
    /** e.g. "2s". */
    perTryTimeout?: string;
    /** Envoy retry conditions, e.g. "5xx,reset,connect-failure". */
    retryOn?: string;
}

export interface FaultDelay {
    /** Delay before forwarding, a duration such as `5s` or `100ms`. */
    fixedDelay: string;
    /** Percent of requests delayed, 0–100. */
    percentage: number;
}

export interface FaultAbort {
    /** HTTP status returned instead of forwarding, 200–599. */
    httpStatus: number;
    /** Percent of requests aborted, 0–100. */
    percentage: number;
}

export interface FaultInjection {
    /** Delay a share of the requests. Default: none. */
    delay?: FaultDelay;
    /** Answer a share of the requests with an error status. Default: none. */
    abort?: FaultAbort;
}

export interface RegexRewrite {
    /** RE2 pattern searched in the path (not the query); every match is replaced. */
    match: string;
    /** The replacement; `\1` … `\9` insert the pattern's capture groups. */
    rewrite: string;
}

export interface Rewrite {
    /** Replaces the matched path prefix. */
    uri?: string;
    /**
     * Rewrites the path with a regular expression and capture groups (Istio `uriRegexRewrite`),
     * e.g. `{ match: "^/shop(/|$)(.*)", rewrite: "/\2" }`. Not with `uri`; Istio API only.
     */
    uriRegex?: RegexRewrite;
    /** Replaces the `Host`/`:authority` header. Default: unchanged. */
    authority?: string;
}

export interface Redirect {
    /** Path of the `Location`. Default: the request's path. */
    uri?: string;
    /** Host of the `Location`. Default: the request's host. */
    authority?: string;
    /** Scheme of the `Location`. Default: the request's scheme. */
    scheme?: RedirectScheme;
    /** HTTP status of the redirect: 301, 302, 303, 307 or 308. Default 301. */
    redirectCode?: number;
}

export interface HeaderRules {
    /** Changes to the request headers before forwarding. Default: none. */
    request?: HeaderChanges;
    /** Changes to the response headers before answering. Default: none. */
    response?: HeaderChanges;
}

export interface CorsPolicy {
    /** Exact origins (`https://app.example.com`) or `*`. */
    allowOrigins: string[];
    /** Methods allowed (`Access-Control-Allow-Methods`). Default: none. */
    allowMethods?: string[];
    /** Request headers allowed (`Access-Control-Allow-Headers`). Default: none. */
    allowHeaders?: string[];
    /** Response headers exposed (`Access-Control-Expose-Headers`). Default: none. */
    exposeHeaders?: string[];
    /** e.g. "24h". */
    maxAge?: string;
    /** Allow credentials (`Access-Control-Allow-Credentials`). Default false. */
    allowCredentials?: boolean;
}

export interface HttpRoute {
    /** A DNS label, unique among the gateway's HTTP routes (names the route object). */
    name: string;
    /** Hosts the route applies to; each must be served by a listener. */
    hosts: string[];
    /** Any of these matches; none means every request. */
    match?: HttpMatch[];
    /** Weighted destinations (canary, blue/green). Either destinations or redirect. */
    destinations?: Destination[];
    /** Copy a share of the traffic to another destination; its answers are dropped. */
    mirror?: Mirror;
    /** e.g. "10s". */
    timeout?: string;
    /** Retry policy. Default: Istio's (2 attempts on connect failures) with `api: istio`; none with the Gateway API. */
    retries?: Retries;
    /** Inject delays or errors for testing resilience (Istio API only). Default: none. */
    fault?: FaultInjection;
    /** Rewrite the path prefix or authority before forwarding. Default: none. */
    rewrite?: Rewrite;
    /** Answer with a redirect instead of forwarding. Either destinations or redirect. */
    redirect?: Redirect;
    /** Request and response header changes. Default: none. */
    headers?: HeaderRules;
    /** CORS policy answered by the gateway. Default: none. */
    cors?: CorsPolicy;
}

/** Every backend an HTTP route sends to: its destinations and its mirror's. */
export function routeBackends(r: HttpRoute): Destination[] {
    return [...(r.destinations ?? []), ...(r.mirror ? [r.mirror.destination] : [])];
}

/** TCP traffic arriving on a TCP listener's port, with weights for a canary. */
export interface TcpRoute {
    /** A DNS label, unique among the gateway's TCP routes (names the route object). */
    name: string;
    /** The TCP listener's port. */
    port: number;
    /** Weighted destinations, at least one; weights sum to 100 when more than one. */
    destinations: Destination[];
}

/** TLS passthrough: routed by SNI without terminating TLS. */
export interface TlsRoute {
    /** A DNS label, unique among the gateway's TLS routes (names the route object). */
    name: string;
    /** SNI host names; each must be served by a PASSTHROUGH listener. */
    sniHosts: string[];
    /** Weighted destinations, at least one; weights sum to 100 when more than one. */
    destinations: Destination[];
}

export interface ConnectionPool {
    /** Most TCP connections to the host, per gateway pod, 1 or more. Default: Envoy's (unlimited in practice). */
    maxConnections?: number;
    /** TCP connect timeout, a duration such as `5s`. Default: Istio's 10s. */
    connectTimeout?: string;
    /** Most requests queued waiting for a connection, 1 or more. Default: Envoy's. */
    http1MaxPendingRequests?: number;
    /** Most concurrent requests to the host, 1 or more. Default: Envoy's. */
    http2MaxRequests?: number;
    /** Requests per connection before it is closed, 1 or more. Default: unlimited. */
    maxRequestsPerConnection?: number;
}

export interface OutlierDetection {
    /** 5xx answers in a row before an endpoint is ejected, 1 or more. Default: Istio's 5. */
    consecutive5xxErrors?: number;
    /** Time between ejection sweeps, a duration such as `10s`. Default: Istio's 10s. */
    interval?: string;
    /** Minimum ejection time, a duration such as `30s`. Default: Istio's 30s. */
    baseEjectionTime?: string;
    /** Most endpoints ejected at once, percent 0–100. Default: Istio's 10. */
    maxEjectionPercent?: number;
}

/** Circuit breaking, subsets and balancing of one destination host. */
export interface BackendPolicy {
    /** Subset name to pod labels. */
    subsets?: Record<string, Record<string, string>>;
    /** Connection limits (circuit breaking). Default: none. */
    connectionPool?: ConnectionPool;
    /** Eject failing endpoints. Default: none. */
    outlierDetection?: OutlierDetection;
    /** Balancing algorithm over the endpoints. Default: Istio's (LEAST_REQUEST). */
    loadBalancer?: BalancingAlgorithm;
}

/** Local (per gateway pod) rate limit: the flash-sale throttle. */
export interface RateLimit {
    /** Hosts it applies to, each on every HTTP listener serving it; none: the whole gateway. */
    hosts?: string[];
    /** Requests allowed per unit, per gateway pod. */
    requests: number;
    /** The period `requests` counts over. */
    unit: RateLimitUnit;
}

/** Egress: in-mesh traffic to an external host leaves through this (egress) gateway. */
export interface EgressRoute {
    /** The external host, e.g. `api.example.com`. */
    host: string;
    /** Port on the external host; default 443 for TLS, 80 for HTTP. */
    port?: number;
    /** TLS: passthrough by SNI (the application does TLS); HTTP: plain HTTP. */
    protocol: EgressProtocol;
}

export interface RoutingSpec {
    /** `istio` (default): Gateway + VirtualService + DestinationRule; `gateway-api`: Gateway + routes. */
    api?: RoutingApi;
    /**
     * Istio API version: `v1` (Istio/ASM 1.22+) or `v1beta1` for older meshes. Default: `v1`, or
     * `v1beta1` when the target mesh (`istioVersion`, `asmVersion`) is older than 1.22.
     */
    istioApiVersion?: IstioApiVersion;
    /**
     * Gateway API CRD bundle installed in the clusters, `1.<minor>` (e.g. "1.4"); default "1.6".
     * With `api: gateway-api` it decides, with the mesh's Istio version, the version TCPRoute and
     * TLSRoute are written at, and refuses fields those CRDs would prune.
     */
    gatewayApiVersion?: string;
    /** Release channel of that bundle: `standard` (default) or `experimental`. */
    gatewayApiChannel?: GatewayApiChannel;
    /** Namespace of the routing objects (and default namespace of destinations). Default: the gateway's. */
    namespace?: string;
    /** Servers of the gateway: port, protocol, hosts, TLS. Default: none. */
    listeners?: Listener[];
    /** HTTP routes, matched on the HTTP-family listeners. Default: none. */
    http?: HttpRoute[];
    /** TCP routes, by listener port. Default: none. */
    tcp?: TcpRoute[];
    /** TLS passthrough routes, by SNI host. Default: none. */
    tls?: TlsRoute[];
    /** Per destination host (the Service name as written in routes). */
    backends?: Record<string, BackendPolicy>;
    /** Local rate limits on the gateway pods. Default: none. */
    rateLimits?: RateLimit[];
    /** External hosts whose in-mesh traffic leaves through this egress gateway. Default: none. */
    egress?: EgressRoute[];
    /** gRPC services offered to HTTP/JSON clients (Envoy's gRPC-JSON transcoder), per host. Default: none. */
    grpcTranscoding?: GrpcTranscoding[];
}

const HOST = /^(\*|(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)$/;
export const DURATION = /^\d+(\.\d+)?(ms|s|m|h)$/;
/** The Gateway API CRDs' duration pattern (no fractions). */
const GATEWAY_API_DURATION = /^([0-9]{1,5}(h|m|s|ms)){1,4}$/;

const HTTP_PROTOCOLS: ListenerProtocol[] = ["HTTP", "HTTPS", "HTTP2", "GRPC"];

/** The Istio API version routing and security objects are written at. */
export function istioApiVersionOf(routing: RoutingSpec | undefined, target: MeshTarget): IstioApiVersion {
    return routing?.istioApiVersion ?? (target.istioMinor < ISTIO_V1_API_SINCE ? "v1beta1" : DEFAULTS.istioApiVersion);
}

/** Whether `host` (a route's host) is served by listener host `pattern` (wildcards allowed). */
export function hostMatches(pattern: string, host: string): boolean {
    if (pattern === "*") return true;
    if (pattern === host) return true;
    if (pattern.startsWith("*.")) {
        const suffix = pattern.slice(1);
        if (host.startsWith("*.")) return host.slice(1).endsWith(suffix);
        return host.endsWith(suffix) && host.length > suffix.length;
    }
    return false;
}

/**
 * Listeners that carry HTTP routes: the HTTP family. A TLS listener, even one that terminates,
 * carries TCP (Istio) or TLS/TCP routes (Gateway API): HTTP routes there never match.
 */
export function servesHttp(l: Listener): boolean {
    return HTTP_PROTOCOLS.includes(l.protocol);
}

/** Listeners that carry TCP routes: TCP, and TLS that the gateway terminates. */
export function carriesTcp(l: Listener): boolean {
    return l.protocol === "TCP" || (l.protocol === "TLS" && terminatesTls(l));
}

export function isPassthrough(l: Listener): boolean {
    return l.tls?.mode === "PASSTHROUGH";
}

/** Listeners where the gateway terminates TLS: HTTPS, and TLS that it does not pass through. */
export function terminatesTls(l: Listener): boolean {
    return l.protocol === "HTTPS" || (l.protocol === "TLS" && !isPassthrough(l));
}

/** The port an egress route leaves through: as given, else 443 for TLS and 80 for HTTP. */
export function egressPort(e: EgressRoute): number {
    return e.port ?? (e.protocol === "TLS" ? 443 : 80);
}

/** What the rules across routing and the clusters' gateway Services need to know of the layout. */
export interface ListenerClusterContext {
    /** Clusters whose override gives the gateway Service ports of their own, with those ports. */
    overriddenPorts: { clusterId: string; ports: Set<number> }[];
    /** The ports where a load balancer terminates TLS, with the path of its `tls` settings. */
    tlsAtLoadBalancer: { ports: number[]; path: PathSegment[] }[];
}

/**
 * Listeners against each cluster's gateway Service: listeners are the same everywhere, so a
 * cluster that overrides its ports must still have theirs; and behind a load balancer that
 * terminates TLS the gateway receives plain traffic, so the listener there must not expect TLS.
 */
export function checkListenersInClusters(listeners: Listener[], ctx: ListenerClusterContext, list: IssueList): void {
    for (const c of ctx.overriddenPorts) {
        listeners.forEach((l, i) => {
            if (!c.ports.has(l.port))
                list.add(
                    ["routing", "listeners", i, "port"],
                    `cluster ${c.clusterId}'s gateway Service has no port ${l.port} (gateway.overrides["${c.clusterId}"].ports)`,
                );
        });
    }
    for (const lb of ctx.tlsAtLoadBalancer) {
        listeners.forEach((l, i) => {
            if (lb.ports.includes(l.port) && terminatesTls(l)) {
                list.add(
                    ["routing", "listeners", i, "protocol"],
                    `the load balancer terminates TLS on port ${l.port} (${formatPath(lb.path)}), so the gateway receives plain traffic there: use protocol HTTP`,
                );
            }
        });
    }
}

/** What every routing check reads: the spec, the gateway it runs on, and the shared helpers. */
interface RoutingCheck {
    routing: RoutingSpec;
    api: RoutingApi;
    listeners: Listener[];
    servicePorts: Set<number>;
    gatewayType: string;
    target: MeshTarget;
    list: IssueList;
    at: (...rest: PathSegment[]) => PathSegment[];
    /** A host as written is usable: lower-case (refused with its own message otherwise). */
    lowerCase: (h: string, path: PathSegment[]) => boolean;
    /** Whether a listener `accept` takes serves `host`. */
    served: (host: string, accept: (l: Listener) => boolean) => boolean;
    /** Route names are DNS labels, unique across HTTP, TCP and TLS routes. */
    checkName: (name: string, path: PathSegment[]) => void;
}

/** Checks a routing spec against itself and the gateway's ports. */
export function checkRouting(routing: RoutingSpec, ports: GatewayPort[], gatewayType: string, list: IssueList, target: MeshTarget): void {
    const c = routingCheck(routing, ports, gatewayType, list, target);
    checkListeners(c);
    checkPortConflicts(routing, list);
    (routing.http ?? []).forEach((r, i) => checkHttpRoute(c, r, i));
    checkTcpRoutes(c);
    checkTlsRoutes(c);
    checkRateLimits(c);
    checkEgressRoutes(c);
    checkBackends(c);
    checkApiVersions(c);
    checkRouteOrder(routing, list);
    checkMergedVhosts(routing, list);
}

function routingCheck(routing: RoutingSpec, ports: GatewayPort[], gatewayType: string, list: IssueList, target: MeshTarget): RoutingCheck {
    const at = (...rest: PathSegment[]): PathSegment[] => ["routing", ...rest];
    const api = routing.api ?? "istio";
    const listeners = routing.listeners ?? [];
    const servicePorts = new Set(ports.map((p) => p.port));
    const lowerCase = (h: string, path: PathSegment[]): boolean => {
        if (h === h.toLowerCase()) return true;
        list.add(
            path,
            `"${h}": hosts are lower-case (write ${h.toLowerCase()}); Istio lower-cases the hosts it serves, so a host in another case never matches`,
        );
        return false;
    };
    const served = (host: string, accept: (l: Listener) => boolean) =>
        listeners.some((l) => accept(l) && l.hosts.some((p) => hostMatches(p, host)));
    const routeNames = new Set<string>();
    const checkName = (name: string, path: PathSegment[]) => {
        if (!DNS_LABEL.test(name)) list.add(path, `"${name}" is not a valid route name (a DNS label)`);
        if (routeNames.has(name)) list.add(path, `route name ${name} is used twice`);
        routeNames.add(name);
    };
    return { routing, api, listeners, servicePorts, gatewayType, target, list, at, lowerCase, served, checkName };
}

/** Listener names, ports, hosts and TLS settings. */
function checkListeners(c: RoutingCheck): void {
    const { listeners, servicePorts, list, at, lowerCase } = c;
    const names = new Set<string>();
    const claims = new Map<string, { index: number; tls: string }>();
    listeners.forEach((l, i) => {
        if (!DNS_LABEL.test(l.name)) list.add(at("listeners", i, "name"), `"${l.name}" is not a valid listener name (a DNS label)`);
        if (names.has(l.name)) list.add(at("listeners", i, "name"), `listener name ${l.name} is used twice`);
        names.add(l.name);
        if (!servicePorts.has(l.port))
            list.add(
                at("listeners", i, "port"),
                `${l.port} is not a port of the gateway Service (${[...servicePorts].join(", ")}); add it to gateway.ports`,
            );
        l.hosts.forEach((h, j) => {
            if (!lowerCase(h, at("listeners", i, "hosts", j))) return;
            if (!HOST.test(h))
                list.add(at("listeners", i, "hosts", j), `"${h}" is not a host name (lower-case DNS name, optionally starting with "*.")`);
            // A common misconfiguration: one port and host claimed with different TLS settings
            // makes Istio pick one server and reject the other's traffic.
            const key = `${l.port}/${h}`;
            const tls = JSON.stringify(l.tls ?? null);
            const other = claims.get(key);
            if (other !== undefined && other.tls !== tls) {
                list.add(
                    at("listeners", i, "hosts", j),
                    `port ${l.port} and host ${h} are also served by listeners[${other.index}] with different TLS settings; one port and host can have one TLS setting`,
                );
            }
            claims.set(key, { index: i, tls });
        });
        checkListenerTls(c, l, i);
    });
}

/** A listener's TLS settings: present exactly where the protocol needs them, and renderable by the API. */
function checkListenerTls(c: RoutingCheck, l: Listener, i: number): void {
    const { api, list, at } = c;
    const terminates = terminatesTls(l);
    if ((l.protocol === "HTTPS" || l.protocol === "TLS") && l.tls === undefined)
        list.add(at("listeners", i, "tls"), `a ${l.protocol} listener needs tls settings (mode SIMPLE, MUTUAL or PASSTHROUGH)`);
    if (l.tls !== undefined && !(l.protocol === "HTTPS" || l.protocol === "TLS"))
        list.add(at("listeners", i, "tls"), `tls applies to HTTPS and TLS listeners; this one is ${l.protocol}`);
    if (l.tls?.mode === "PASSTHROUGH" && l.protocol !== "TLS")
        list.add(at("listeners", i, "tls", "mode"), "PASSTHROUGH needs protocol TLS (the gateway cannot read HTTP it does not decrypt)");
    if (
        terminates &&
        l.tls !== undefined &&
        l.tls.mode !== "PASSTHROUGH" &&
        l.tls.mode !== "ISTIO_MUTUAL" &&
        l.tls.credentialName === undefined
    ) {
        list.add(
            at("listeners", i, "tls", "credentialName"),
            "is required to terminate TLS (a kubernetes.io/tls Secret in the gateway's namespace)",
        );
    }
    if (l.tls?.minProtocolVersion === "TLSV1_3" && l.tls.maxProtocolVersion === "TLSV1_2")
        list.add(at("listeners", i, "tls", "maxProtocolVersion"), "is lower than minProtocolVersion");
    if (l.httpsRedirect === true && l.protocol !== "HTTP") list.add(at("listeners", i, "httpsRedirect"), "applies to HTTP listeners");
    if (api === "gateway-api" && (l.tls?.mode === "MUTUAL" || l.tls?.mode === "OPTIONAL_MUTUAL" || l.tls?.mode === "ISTIO_MUTUAL")) {
        list.add(
            at("listeners", i, "tls", "mode"),
            `${l.tls.mode} is not rendered for Gateway API (client certificates would not be required); use api: istio`,
        );
    }
    for (const field of ["minProtocolVersion", "maxProtocolVersion", "cipherSuites"] as const) {
        if (api === "gateway-api" && l.tls?.[field] !== undefined)
            list.add(at("listeners", i, "tls", field), "is not rendered for Gateway API listeners; use api: istio");
    }
}

/** One HTTP route: its hosts, where it sends requests, its values, and what Gateway API cannot say. */
function checkHttpRoute(c: RoutingCheck, r: HttpRoute, i: number): void {
    const p = (...rest: PathSegment[]) => c.at("http", i, ...rest);
    c.checkName(r.name, p("name"));
    checkHttpRouteHosts(c, r, p);
    checkHttpRouteTargets(c, r, p);
    checkHttpRouteValues(c, r, p);
    if (c.api === "gateway-api") checkGatewayApiHttpRoute(c, r, p);
}

/** Every host of an HTTP route is served by a listener that reaches routes. */
function checkHttpRouteHosts(c: RoutingCheck, r: HttpRoute, p: (...rest: PathSegment[]) => PathSegment[]): void {
    const { listeners, list, lowerCase, served } = c;
    r.hosts.forEach((h, j) => {
        if (!lowerCase(h, p("hosts", j))) return;
        if (!served(h, servesHttp)) {
            const tlsOnly = served(h, () => true);
            list.add(
                p("hosts", j),
                tlsOnly
                    ? `${h} is served only by TLS/TCP listeners, where HTTP routes never match; terminate TLS with protocol HTTPS to route HTTP`
                    : `no HTTP or HTTPS listener serves ${h}: requests for it would get 404 (listeners serve ${describeHosts(listeners)})`,
            );
        } else if (!served(h, (l) => servesHttp(l) && l.httpsRedirect !== true)) {
            list.add(
                p("hosts", j),
                `${h} is served only by listeners that redirect to HTTPS, so this route is never reached; add an HTTPS listener for it`,
            );
        }
    });
}

/**
 * HTTP header names are case-insensitive (Envoy lower-cases them), so two keys of one map that
 * differ only in case name one header: a match would need both conditions of one header, a
 * header change would write it twice.
 */
function checkHeaderNameCase(r: HttpRoute, p: (...rest: PathSegment[]) => PathSegment[], list: IssueList): void {
    const maps: [PathSegment[], Record<string, unknown> | undefined, string][] = [
        ...(r.match ?? []).map((m, j): [PathSegment[], Record<string, unknown> | undefined, string] => [
            p("match", j, "headers"),
            m.headers,
            "a request would have to match both",
        ]),
        ...(["request", "response"] as const).flatMap((side) =>
            (["set", "add"] as const).map((op): [PathSegment[], Record<string, unknown> | undefined, string] => [
                p("headers", side, op),
                r.headers?.[side]?.[op],
                "give it once",
            ]),
        ),
    ];
    for (const [at, map, rule] of maps) {
        const first = new Map<string, string>();
        for (const key of Object.keys(map ?? {})) {
            const seen = first.get(key.toLowerCase());
            if (seen === undefined) first.set(key.toLowerCase(), key);
            else list.add([...at, { key }], `${seen} is the same header (HTTP header names are case-insensitive): ${rule}`);
        }
    }
}

/** Where an HTTP route sends requests: destinations or a redirect, matches, the mirror. */
function checkHttpRouteTargets(c: RoutingCheck, r: HttpRoute, p: (...rest: PathSegment[]) => PathSegment[]): void {
    const { api, list } = c;
    if (r.destinations === undefined && r.redirect === undefined) list.add(p(), "needs destinations or a redirect");
    if (r.destinations !== undefined && r.redirect !== undefined)
        list.add(p("redirect"), "a route either redirects or forwards to destinations, not both");
    checkDestinations(r.destinations ?? [], p("destinations"), api, list);
    checkHeaderNameCase(r, p, list);
    (r.match ?? []).forEach((m, j) => {
        checkStringMatch(m.path, p("match", j, "path"), list);
        for (const [k, v] of Object.entries(m.headers ?? {}))
            checkStringMatch(v, [...p("match", j, "headers"), { key: k }], list, api === "gateway-api" ? "prefix" : undefined);
        for (const [k, v] of Object.entries(m.queryParams ?? {}))
            checkStringMatch(v, [...p("match", j, "queryParams"), { key: k }], list, "prefix");
    });
    if (r.mirror !== undefined) {
        checkDestinations([r.mirror.destination], p("mirror", "destination"), api, list);
        const same = (r.destinations ?? []).some(
            (d) =>
                d.host === r.mirror!.destination.host &&
                (d.namespace ?? "") === (r.mirror!.destination.namespace ?? "") &&
                d.subset === r.mirror!.destination.subset,
        );
        if (same)
            list.add(
                p("mirror", "destination"),
                `mirrors to ${r.mirror.destination.host}, which the route already sends to: every mirrored request would hit it twice`,
            );
    }
}

/** An HTTP route's durations and path rewrite. */
function checkHttpRouteValues(c: RoutingCheck, r: HttpRoute, p: (...rest: PathSegment[]) => PathSegment[]): void {
    const { api, list } = c;
    for (const [field, value] of [
        ["timeout", r.timeout],
        ["retries.perTryTimeout", r.retries?.perTryTimeout],
        ["fault.delay.fixedDelay", r.fault?.delay?.fixedDelay],
        ["cors.maxAge", r.cors?.maxAge],
    ] as const) {
        if (value !== undefined && !DURATION.test(value))
            list.add(p(...field.split(".")), `"${value}" is not a duration such as "10s" or "500ms"`);
        else if (value !== undefined && api === "gateway-api" && !GATEWAY_API_DURATION.test(value))
            list.add(p(...field.split(".")), `"${value}": Gateway API durations are whole numbers of h, m, s or ms (e.g. "1500ms")`);
    }
    if (r.rewrite?.uri !== undefined && r.rewrite.uriRegex !== undefined)
        list.add(p("rewrite", "uriRegex"), "give uri or uriRegex, not both (Istio applies one path rewrite)");
    if (r.rewrite?.uriRegex !== undefined) checkRegex(r.rewrite.uriRegex.match, p("rewrite", "uriRegex", "match"), list);
}

/** What Gateway API (standard channel) cannot say, or the mesh cannot read yet. */
function checkGatewayApiHttpRoute(c: RoutingCheck, r: HttpRoute, p: (...rest: PathSegment[]) => PathSegment[]): void {
    const { target, list } = c;
    if (r.cors !== undefined) {
        const why = unsupported(CORS_FILTER, target);
        if (why !== undefined) list.add(p("cors"), `${why}; use api: istio (a VirtualService corsPolicy), or upgrade`);
    }
    if (r.mirror?.percentage !== undefined && r.mirror.percentage < 100) {
        const why = unsupported(MIRROR_PERCENT, target);
        if (why !== undefined) list.add(p("mirror", "percentage"), `${why}; use api: istio (mirrorPercentage), or upgrade`);
    }
    if (r.retries !== undefined) list.add(p("retries"), "Gateway API (standard channel) has no retries; use api: istio");
    if (r.fault !== undefined) list.add(p("fault"), "Gateway API has no fault injection; use api: istio");
    if (r.rewrite?.uriRegex !== undefined)
        list.add(p("rewrite", "uriRegex"), "Gateway API has no regular-expression path rewrite; use api: istio");
    if (r.rewrite?.uri !== undefined && (r.match ?? []).some((m) => m.path?.prefix === undefined)) {
        list.add(p("rewrite", "uri"), "with Gateway API a path rewrite replaces a path prefix: every match needs path.prefix");
    }
}

/** TCP routes need a listener that carries TCP on their port. */
function checkTcpRoutes(c: RoutingCheck): void {
    const { routing, api, listeners, list, at, checkName } = c;
    (routing.tcp ?? []).forEach((r, i) => {
        const p = (...rest: PathSegment[]) => at("tcp", i, ...rest);
        checkName(r.name, p("name"));
        if (!listeners.some((l) => l.port === r.port && carriesTcp(l)))
            list.add(p("port"), `no TCP listener (or TLS listener that terminates) on port ${r.port}`);
        checkDestinations(r.destinations, p("destinations"), api, list);
    });
}

/** TLS routes need a passthrough listener for each SNI host. */
function checkTlsRoutes(c: RoutingCheck): void {
    const { routing, api, list, at, lowerCase, served, checkName } = c;
    (routing.tls ?? []).forEach((r, i) => {
        const p = (...rest: PathSegment[]) => at("tls", i, ...rest);
        checkName(r.name, p("name"));
        r.sniHosts.forEach((h, j) => {
            if (!lowerCase(h, p("sniHosts", j))) return;
            if (!served(h, isPassthrough)) {
                const nonPassthrough = served(h, () => true);
                list.add(
                    p("sniHosts", j),
                    nonPassthrough
                        ? `${h} is served by a listener that does not pass TLS through (tls.mode PASSTHROUGH on a TLS listener); a passthrough route there never matches`
                        : `no TLS PASSTHROUGH listener serves ${h}`,
                );
            }
        });
        checkDestinations(r.destinations, p("destinations"), api, list);
    });
}

/** One rate limit per virtual host, on a virtual host Istio builds. */
function checkRateLimits(c: RoutingCheck): void {
    const { routing, list, at, lowerCase } = c;
    // One token bucket per virtual host and one for the whole gateway: a second patch on the same
    // one replaces the first (EnvoyFilter MERGE), so a second limit for it would silently lose.
    const limited = new Map<string, number>();
    const patches = vhostPatches(routing);
    (routing.rateLimits ?? []).forEach((r, i) => {
        const whole = (r.hosts ?? []).length === 0;
        if (whole) {
            if (limited.has(""))
                list.add(
                    at("rateLimits", i),
                    `the whole gateway is already limited by rateLimits[${limited.get("")}]; give one limit for it`,
                );
            limited.set("", i);
        }
        (r.hosts ?? []).forEach((h, j) => {
            const p = at("rateLimits", i, "hosts", j);
            if (!lowerCase(h, p)) return;
            if (limited.has(h)) list.add(p, `${h} is already limited by rateLimits[${limited.get(h)}]; give one limit per host`);
            limited.set(h, i);
            // The limit patches a virtual host by name: one Istio builds for this host alone.
            const problem = patches.problem(h, "limit");
            if (problem !== undefined) list.add(p, problem);
        });
    });
}

/** Egress routes: an egress gateway, one external host, a Service port. */
function checkEgressRoutes(c: RoutingCheck): void {
    const { routing, api, servicePorts, gatewayType, list, at, lowerCase } = c;
    (routing.egress ?? []).forEach((e, i) => {
        if (gatewayType !== "egress") list.add(at("egress", i), "egress routes need an egress gateway (gateway.gatewayType: egress)");
        if (!lowerCase(e.host, at("egress", i, "host"))) return;
        if (!HOST.test(e.host) || e.host.startsWith("*")) list.add(at("egress", i, "host"), `"${e.host}" must be one external host name`);
        const port = egressPort(e);
        if (!servicePorts.has(port))
            list.add(at("egress", i, "port"), `the egress gateway Service has no port ${port}; add it to gateway.ports`);
        if (api === "gateway-api") list.add(at("egress", i), "egress routes are rendered with Istio APIs only; use api: istio");
    });
}

/** Backend policies per host. */
function checkBackends(c: RoutingCheck): void {
    const { routing, api, list, at } = c;
    for (const [host, policy] of Object.entries(routing.backends ?? {})) {
        const p = (...rest: PathSegment[]) => at("backends", { key: host }, ...rest);
        if (api === "gateway-api" && policy.subsets !== undefined)
            list.add(p("subsets"), "Gateway API routes to Services, not subsets: give each version its own Service");
        for (const [field, value] of [
            ["connectionPool.connectTimeout", policy.connectionPool?.connectTimeout],
            ["outlierDetection.interval", policy.outlierDetection?.interval],
            ["outlierDetection.baseEjectionTime", policy.outlierDetection?.baseEjectionTime],
        ] as const) {
            if (value !== undefined && !DURATION.test(value))
                list.add(p(...field.split(".")), `"${value}" is not a duration such as "10s"`);
        }
    }
}

/** The Istio and Gateway API versions the routes need. */
function checkApiVersions(c: RoutingCheck): void {
    const { routing, api, target, list, at } = c;
    if (routing.istioApiVersion !== undefined && api === "gateway-api") list.add(at("istioApiVersion"), "applies to api: istio");
    if (routing.istioApiVersion === "v1" && target.istioMinor < ISTIO_V1_API_SINCE)
        list.add(at("istioApiVersion"), `${target.istioLabel} has no v1 Istio APIs (they exist from Istio 1.22); use v1beta1`);
    if (api === "gateway-api") {
        for (const [kind, field] of [
            ["TCPRoute", "tcp"],
            ["TLSRoute", "tls"],
        ] as const) {
            if ((routing[field] ?? []).length === 0) continue;
            const version = routeKindVersion(kind, target);
            if (!crdServes(kind, version, target)) {
                list.add(
                    at(field),
                    `${target.istioLabel} reads ${kind} at ${version} only, which the ${target.gatewayApiLabel} CRDs do not serve: ` +
                        `install CRDs that serve it (the experimental channel serves v1alpha2; v1 is standard from Gateway API v1.${kind === "TLSRoute" ? 5 : 6}), upgrade the mesh (Istio 1.${kind === "TLSRoute" ? 30 : 31} reads v1), or use api: istio`,
                );
            }
        }
    } else {
        for (const field of ["gatewayApiVersion", "gatewayApiChannel"] as const) {
            if (routing[field] !== undefined)
                list.warn(at(field), "applies to api: gateway-api; the Istio APIs do not use the Gateway API CRDs");
        }
    }
}

/**
 * Servers one Istio gateway can hold on one port: plain-text HTTP servers merge, TLS servers
 * (HTTPS, TLS) are told apart by SNI, and anything else is a conflict on which Istio keeps the
 * first server and drops the other ("conflict with existing server", mergeGateways in
 * pilot/pkg/model/gateway.go; a plain-text server on a TLS port: "TLS server without TLS options").
 */
function checkPortConflicts(routing: RoutingSpec, list: IssueList): void {
    type Server = { port: number; path: PathSegment[]; kind: "HTTP" | "TCP" | "TLS"; label: string };
    const servers: Server[] = [
        ...(routing.listeners ?? []).map((l, i): Server => ({
            port: l.port,
            path: ["routing", "listeners", i, "port"],
            kind: l.protocol === "HTTPS" || l.protocol === "TLS" ? "TLS" : l.protocol === "TCP" ? "TCP" : "HTTP",
            label: `listeners[${i}] (${l.protocol})`,
        })),
        // Egress servers share the Istio Gateway with the listeners.
        ...((routing.api ?? "istio") === "istio" ? (routing.egress ?? []) : []).map((e, i): Server => ({
            port: egressPort(e),
            path: ["routing", "egress", i, "port"],
            kind: e.protocol === "TLS" ? "TLS" : "HTTP",
            label: `egress[${i}] (${e.protocol})`,
        })),
    ];
    const first = new Map<number, Server>();
    for (const s of servers) {
        const other = first.get(s.port);
        if (other === undefined) {
            first.set(s.port, s);
        } else if (other.kind !== s.kind || s.kind === "TCP") {
            list.add(
                s.path,
                `port ${s.port} is also used by ${other.label}: Istio cannot serve ${other.kind === s.kind ? "two plain TCP servers" : `${other.kind} and ${s.kind}`} on one port and drops one of them; use another port`,
            );
        }
    }
}

/** Whether `inner` is a subset of host pattern `outer` (Istio's host.Name SubsetOf). */
function hostSubsetOf(inner: string, outer: string): boolean {
    return hostMatches(outer, inner);
}

/**
 * The virtual hosts Istio builds for HTTP routes on a listener: per route host and listener host
 * that intersect, the more specific of the two (host.Names Intersection), lower-case, named
 * `<host>:<port>` (buildGatewayHTTPRouteConfig in pilot/pkg/networking/core/gateway.go). Gateway
 * API routes become VirtualServices with the route's hostnames, so the same holds for them.
 */
export function listenerVhosts(routing: RoutingSpec, l: Listener): string[] {
    const names = new Set<string>();
    for (const r of routing.http ?? []) {
        for (const h of r.hosts) {
            for (const p of l.hosts) {
                if (hostSubsetOf(p, h)) names.add(p);
                else if (hostSubsetOf(h, p)) names.add(h);
            }
        }
    }
    return [...names];
}

/**
 * The virtual host (its host part) that requests for `host` reach on a listener whose virtual
 * hosts are `names` (`listenerVhosts`): the exact domain if Istio builds one, else the most
 * specific wildcard covering it (Envoy's domain matching: exact, then longest suffix wildcard,
 * then `*`). Undefined when none does.
 */
export function vhostServing(names: string[], host: string): string | undefined {
    if (names.includes(host)) return host;
    const covering = names.filter((n) => hostMatches(n, host)).sort((a, b) => (a === "*" ? 1 : b === "*" ? -1 : b.length - a.length));
    return covering[0];
}

// ---------------------------------------------------------------- route order

type Rank = [number, number, number, number, number];

/** A match as Gateway API stores it: no path is `PathPrefix /` (the CRD default). */
function withDefaultPath(m: HttpMatch): HttpMatch {
    return m.path === undefined ? { ...m, path: { prefix: "/" } } : m;
}

/**
 * Istio's order for Gateway API matches (sortHTTPRoutes in pilot/pkg/config/kube/gateway/
 * conversion.go, the Gateway API rule in HTTPRouteRule.Matches): exact path, then prefix, then
 * regex; longer path first (a prefix loses its trailing `/`); a method; more headers; more
 * query parameters.
 */
function gatewayApiRank(match: HttpMatch): Rank {
    const m = withDefaultPath(match);
    const p = m.path!;
    const kind = p.exact !== undefined ? 3 : p.prefix !== undefined ? 2 : 1;
    const value = p.exact ?? (p.prefix !== undefined ? (p.prefix === "/" ? "/" : p.prefix.replace(/\/$/, "")) : (p.regex ?? ""));
    return [
        kind,
        value.length,
        m.method === undefined ? 0 : 1,
        Object.keys(m.headers ?? {}).length,
        Object.keys(m.queryParams ?? {}).length,
    ];
}

function compareRank(a: Rank, b: Rank): number {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
    return 0;
}

/** Gateway API path prefixes match whole path elements: `/api` matches `/api/x`, not `/apix`. */
function elementPrefix(prefix: string, path: string): boolean {
    const p = prefix === "/" ? "/" : prefix.replace(/\/$/, "");
    return p === "/" || path === p || path.startsWith(`${p}/`);
}

function valuesDisjoint(a: Record<string, StringMatch> | undefined, b: Record<string, StringMatch> | undefined): boolean {
    return Object.entries(a ?? {}).some(([k, v]) => {
        const w = ownValue(b, k);
        return w !== undefined && v.exact !== undefined && w.exact !== undefined && v.exact !== w.exact;
    });
}

/** Istio VirtualService path prefixes are plain string prefixes: `/api` matches `/apix`. */
function stringPrefix(prefix: string, path: string): boolean {
    return path.startsWith(prefix);
}

/**
 * Whether one request could match both (a regex may match anything). Prefixes follow Gateway API
 * semantics unless `prefixMatches` says otherwise.
 */
function mayOverlap(x: HttpMatch, y: HttpMatch, prefixMatches: (prefix: string, path: string) => boolean = elementPrefix): boolean {
    const a = withDefaultPath(x).path!;
    const b = withDefaultPath(y).path!;
    let paths = true;
    if (a.regex === undefined && b.regex === undefined) {
        if (a.exact !== undefined && b.exact !== undefined) paths = a.exact === b.exact;
        else if (a.exact !== undefined) paths = prefixMatches(b.prefix!, a.exact);
        else if (b.exact !== undefined) paths = prefixMatches(a.prefix!, b.exact);
        else paths = prefixMatches(a.prefix!, b.prefix!) || prefixMatches(b.prefix!, a.prefix!);
    }
    if (!paths) return false;
    if (x.method !== undefined && y.method !== undefined && x.method !== y.method) return false;
    return !valuesDisjoint(x.headers, y.headers) && !valuesDisjoint(x.queryParams, y.queryParams);
}

function sameMatch(a: StringMatch, b: StringMatch): boolean {
    return a.exact === b.exact && a.prefix === b.prefix && a.regex === b.regex;
}

/** `outer` matches at least the values `inner` matches (Istio's string prefix semantics). */
function stringCovers(outer: StringMatch, inner: StringMatch): boolean {
    if (sameMatch(outer, inner)) return true;
    if (outer.prefix === undefined) return false;
    const value = inner.exact ?? inner.prefix;
    return value !== undefined && value.startsWith(outer.prefix);
}

/** Whether every request `inner` matches is matched by `outer` too (Istio VirtualService semantics). */
function covers(outer: HttpMatch, inner: HttpMatch): boolean {
    if (outer.path !== undefined && outer.path.prefix !== "/") {
        if (inner.path === undefined || !stringCovers(outer.path, inner.path)) return false;
    }
    if (outer.method !== undefined && outer.method !== inner.method) return false;
    for (const field of ["headers", "queryParams"] as const) {
        for (const [k, v] of Object.entries(outer[field] ?? {})) {
            const w = inner[field]?.[k];
            if (w === undefined || !stringCovers(v, w)) return false;
        }
    }
    return true;
}

/**
 * Routes whose meaning depends on their order. With `api: istio` a VirtualService tries routes
 * in order, so a route every request of which an earlier route already takes is never reached.
 * With `api: gateway-api` order does not count: the more specific match wins, ties go to the
 * older HTTPRoute, then to its name (HTTPRouteRule.Matches in apis/v1/httproute_types.go), so an
 * earlier route can lose to a later one. Both are warnings that name the two routes.
 */
function checkRouteOrder(routing: RoutingSpec, list: IssueList): void {
    const routes = routing.http ?? [];
    const matchesOf = (r: HttpRoute): HttpMatch[] => (r.match !== undefined && r.match.length > 0 ? r.match : [{}]);
    // Routes compete only within one host: compare each with the earlier routes of its hosts.
    const byHost = new Map<string, { r: HttpRoute; i: number }[]>();
    routes.forEach((later, j) => {
        let unreachable = false;
        for (const host of new Set(later.hosts)) {
            const earlier = [...(byHost.get(host) ?? [])];
            (byHost.get(host) ?? byHost.set(host, []).get(host)!).push({ r: later, i: j });
            if (earlier.length === 0) continue;
            if ((routing.api ?? "istio") === "istio") {
                const coveredBy = matchesOf(later).map((m) => earlier.find((e) => matchesOf(e.r).some((o) => covers(o, m))));
                if (!unreachable && coveredBy.every((c) => c !== undefined)) {
                    const first = coveredBy[0]!;
                    list.warn(
                        ["routing", "http", j],
                        `is never reached for ${host}: routing.http[${first.i}] (${first.r.name}) is listed before it and matches every request it matches (Istio takes the first route that matches); list routing.http[${j}] first, or narrow routing.http[${first.i}]`,
                    );
                    unreachable = true;
                }
                continue;
            }
            for (const e of earlier) {
                matchesOf(e.r).forEach((m, k) => {
                    const other = matchesOf(later).find((o) => mayOverlap(m, o) && compareRank(gatewayApiRank(o), gatewayApiRank(m)) >= 0);
                    if (other === undefined) return;
                    const tie = compareRank(gatewayApiRank(other), gatewayApiRank(m)) === 0;
                    const path: PathSegment[] =
                        e.r.match !== undefined && e.r.match.length > 0 ? ["routing", "http", e.i, "match", k] : ["routing", "http", e.i];
                    list.warn(
                        path,
                        tie
                            ? `ties with routing.http[${j}] (${later.name}) for requests on ${host} that both match: Gateway API then prefers the older HTTPRoute, then the name, not the order written; make the matches disjoint or this one more specific`
                            : `loses to routing.http[${j}] (${later.name}) for requests on ${host} that both match, although listed first: Gateway API ranks matches by path (exact, then longest prefix), method, header count and query count, not by order; make the matches disjoint or this one more specific`,
                    );
                });
            }
        }
    });
}

// ---------------------------------------------------------------- hosts merged into one virtual host

/**
 * A route match Istio counts as catch-all and moves behind every other route of its virtual host:
 * path prefix `/` (or none) and no header, query or method condition (IsCatchAllRoute and
 * SortVHostRoutes in pilot/pkg/networking/core/route/route.go; a method is a `:method` header).
 */
function isCatchAll(m: HttpMatch): boolean {
    const p = m.path;
    const anyPath = p === undefined || p.prefix === "/" || p.regex === ".*";
    return anyPath && m.method === undefined && Object.keys(m.headers ?? {}).length === 0 && Object.keys(m.queryParams ?? {}).length === 0;
}

/** How specific a route host is for requests on listener host `vhost`: the host itself, then the longer wildcard. */
function hostRank(h: string, vhost: string): number {
    return h === vhost ? Number.MAX_SAFE_INTEGER : h === "*" ? 0 : h.length;
}

interface MergedRoute {
    i: number;
    r: HttpRoute;
    /** Its hosts that cover the virtual host, most specific first. */
    hosts: string[];
}

/** The pair as [expected first, expected second]: the more specific host first, else the order written (`a` before `b`). */
function bySpecificity(a: MergedRoute, b: MergedRoute, vhost: string): [MergedRoute, MergedRoute] {
    return hostRank(b.hosts[0], vhost) > hostRank(a.hosts[0], vhost) ? [b, a] : [a, b];
}

type MergeVerdict = { kind: "creation" } | { kind: "catch-all"; first: MergedRoute; match: number } | undefined;

/**
 * Whether the order of two routes in one merged virtual host is left to the order their
 * VirtualServices were created (`creation`), or fixed by Istio's catch-all sorting against the
 * more specific host (`catch-all`: `first` goes first for its match `match`). Undefined when
 * their matches are disjoint or the order is the expected one: the more specific host first.
 */
function mergeVerdict(api: RoutingApi, a: MergedRoute, b: MergedRoute, vhost: string): MergeVerdict {
    const matchesOf = (r: HttpRoute): HttpMatch[] => (r.match !== undefined && r.match.length > 0 ? r.match : [{}]);
    const prefix = api === "istio" ? stringPrefix : elementPrefix;
    const [specific, general] = bySpecificity(a, b, vhost);
    let verdict: MergeVerdict;
    matchesOf(general.r).forEach((g, k) => {
        for (const s of matchesOf(specific.r)) {
            if (verdict?.kind === "creation" || !mayOverlap(g, s, prefix)) continue;
            if (isCatchAll(g) === isCatchAll(s)) verdict = { kind: "creation" };
            else if (isCatchAll(s)) verdict ??= { kind: "catch-all", first: general, match: k };
        }
    });
    return verdict;
}

/**
 * Istio gives each listener host one virtual host and appends to it the routes of every
 * VirtualService whose host covers it (the hosts' intersection is the listener host), one
 * VirtualService after another in creation order, then name, and then moves catch-all routes last
 * (buildGatewayHTTPRouteConfig in pilot/pkg/networking/core/gateway.go, VirtualServicesForGateway
 * in pilot/pkg/model/push_context.go). Gateway API routes reach it as one VirtualService per
 * hostname (HTTPRouteCollection in pilot/pkg/config/kube/gateway/route_collections.go). So a
 * `*.example.com` route next to an `a.example.com` route on a listener for `a.example.com` takes
 * its requests before or after that host's own route depending on which was created first.
 * Routes that share all their merged hosts are in one VirtualService in the order written.
 */
function checkMergedVhosts(routing: RoutingSpec, list: IssueList): void {
    const api = routing.api ?? "istio";
    const warned = new Set<string>();
    (routing.listeners ?? []).forEach((l, k) => {
        if (!servesHttp(l)) return;
        for (const vhost of l.hosts) {
            const merged = mergedRoutes(routing, vhost);
            if (new Set(merged.flatMap((m) => m.hosts)).size < 2) continue;
            merged.forEach((a, x) =>
                merged.slice(x + 1).forEach((b) => {
                    if (a.hosts.join() === b.hosts.join() || warned.has(`${a.i} ${b.i} ${vhost}`)) return;
                    const verdict = mergeVerdict(api, a, b, vhost);
                    if (verdict === undefined) return;
                    warned.add(`${a.i} ${b.i} ${vhost}`);
                    warnMerged(api, [a, b], vhost, k, verdict, list);
                }),
            );
        }
    });
}

function mergedRoutes(routing: RoutingSpec, vhost: string): MergedRoute[] {
    return (routing.http ?? []).flatMap((r, i) => {
        const hosts = [...new Set(r.hosts)].filter((h) => hostSubsetOf(vhost, h)).sort((x, y) => hostRank(y, vhost) - hostRank(x, vhost));
        return hosts.length > 0 ? [{ i, r, hosts }] : [];
    });
}

function warnMerged(
    api: RoutingApi,
    pair: [MergedRoute, MergedRoute],
    vhost: string,
    k: number,
    verdict: NonNullable<MergeVerdict>,
    list: IssueList,
): void {
    const [specific, general] = bySpecificity(...pair, vhost);
    const h = general.hosts[0];
    const other = `routing.http[${specific.i}] (${specific.r.name}, host ${specific.hosts[0]})`;
    const shared = `${h} and ${other} share the virtual host for ${vhost} on routing.listeners[${k}]`;
    const fix =
        specific.hosts[0] === vhost
            ? `make the matches disjoint, or leave ${vhost} out of routing.listeners[${k}].hosts (the listener host covering it then gives ${vhost} a virtual host of its own routes only)`
            : "make the matches disjoint";
    let message: string;
    if (verdict.kind === "catch-all") {
        const m = general.r.match !== undefined && general.r.match.length > 0 ? `.match[${verdict.match}]` : "";
        const why = specific.hosts[0] === h ? "listed after it" : `${specific.hosts[0]} is the more specific host`;
        message = `${shared}: Istio tries routing.http[${general.i}]${m} there first, although ${why}, because it moves catch-all routes last; ${fix}`;
    } else if (api === "istio") {
        message = `${shared}: Istio tries first the routes of the VirtualService created first (then by name), not the order written, and one request can match both; ${fix}`;
    } else {
        message = `${shared}: Istio tries first the rules of the hostname whose HTTPRoutes were created first (then by name), although the Gateway API gives ${specific.hosts[0]} precedence, and one request can match both; ${fix}`;
    }
    list.warn(["routing", "http", general.i, "hosts", general.r.hosts.indexOf(h)], message);
}

function describeHosts(listeners: Listener[]): string {
    const hosts = [...new Set(listeners.filter(servesHttp).flatMap((l) => l.hosts))];
    return hosts.length > 0 ? hosts.join(", ") : "no HTTP hosts";
}

function checkDestinations(destinations: Destination[], path: PathSegment[], api: RoutingApi, list: IssueList): void {
    if (destinations.length === 0) return;
    const weighted = destinations.filter((d) => d.weight !== undefined);
    if (destinations.length > 1 && weighted.length !== destinations.length) {
        list.add(path, "give every destination a weight when there is more than one");
    } else if (weighted.length > 0) {
        const sum = weighted.reduce((s, d) => s + (d.weight ?? 0), 0);
        if (sum !== 100) list.add(path, `weights sum to ${sum}; they must sum to 100`);
    }
    destinations.forEach((d, i) => {
        if (api === "gateway-api" && d.subset !== undefined)
            list.add([...path, i, "subset"], "Gateway API routes to Services, not subsets: give each version its own Service");
        if (api === "gateway-api" && d.host.includes("."))
            list.add(
                [...path, i, "host"],
                "Gateway API routes to a Service by name: give the Service name and its namespace, not a host name",
            );
        if (api === "gateway-api" && d.port === undefined)
            list.add([...path, i, "port"], "Gateway API needs the Service port of each destination");
    });
}

function checkStringMatch(m: StringMatch | undefined, path: PathSegment[], list: IssueList, unsupported?: "prefix"): void {
    if (m === undefined) return;
    const given = (["exact", "prefix", "regex"] as const).filter((k) => m[k] !== undefined);
    if (given.length !== 1) list.add(path, `give exactly one of exact, prefix, regex (got ${given.length})`);
    if (unsupported !== undefined && m[unsupported] !== undefined)
        list.add([...path, unsupported], `${unsupported} matching is not available here; use exact or regex`);
    if (m.regex !== undefined) checkRegex(m.regex, [...path, "regex"], list);
}

function checkRegex(regex: string, path: PathSegment[], list: IssueList): void {
    // Envoy uses RE2; JavaScript's engine accepts a superset, so this catches syntax errors,
    // and RE2-only refusals (lookaround, backreferences) are checked by hand. RE2's leading
    // flag group (`(?i)`) is not JavaScript syntax: it is taken off before compiling.
    const body = regex.replace(/^\(\?[imsU]+\)/, "");
    try {
        new RegExp(body);
        if (/\(\?[=!<]|\\[1-9]/.test(body))
            list.add(path, `"${regex}" uses lookaround or backreferences, which Envoy's RE2 does not support`);
    } catch (e) {
        list.add(
            path,
            `"${regex}" is not a valid regular expression: ${(e as Error).message.replace(/^Invalid regular expression: /, "")}`,
        );
    }
}
