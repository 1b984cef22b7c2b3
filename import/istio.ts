// A self-managed Istio ingress gateway's own objects (Gateway, VirtualService, DestinationRule)
// turned into the routing model. Fields the model has map one to one; the rest is reported.
import type { CertificateSpec } from "../core/edge";
import type {
    BackendPolicy,
    CorsPolicy,
    Destination,
    HeaderChanges,
    HttpMatch,
    HttpMethod,
    HttpRoute,
    Listener,
    ListenerProtocol,
    RoutingApi,
    RoutingSpec,
    StringMatch,
    TcpRoute,
    TlsMode,
    TlsRoute,
    TlsVersion,
} from "../core/routing";
import { hostMatches, servesHttp } from "../core/routing";
import type { GatewayPort } from "../core/spec";
import { describeObject, label, Names, type Dropped, type Imported, type KubeDocument, type Note } from "./types";

type Obj = Record<string, unknown>;

const PROTOCOLS = ["HTTP", "HTTPS", "HTTP2", "GRPC", "TCP", "TLS"];
const TLS_MODES = ["SIMPLE", "MUTUAL", "PASSTHROUGH", "OPTIONAL_MUTUAL", "ISTIO_MUTUAL"];
const METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"];

export interface IstioImported extends Imported {
    /** Gateway Service ports the listeners need beyond the default 80 and 443. */
    extraPorts: GatewayPort[];
}

function keysOf(o: unknown): string[] {
    return o !== null && typeof o === "object" ? Object.keys(o) : [];
}

/** Converts Istio networking objects (Gateway, VirtualService, DestinationRule). */
export function importIstio(docs: KubeDocument[], api: RoutingApi): IstioImported {
    const dropped: Dropped[] = [];
    const notes: Note[] = [];
    const drop = (d: KubeDocument, path: string, reason: string) => dropped.push({ object: describeObject(d), path, reason });
    const note = (d: KubeDocument, path: string, message: string) => notes.push({ object: describeObject(d), path, message });
    /** Reports every field of `o` not in `known`. */
    const rest = (
        d: KubeDocument,
        o: unknown,
        path: string,
        known: string[],
        why = "not carried over: the routing model has no such setting",
    ) => {
        for (const k of keysOf(o)) if (!known.includes(k)) drop(d, `${path}.${k}`, why);
    };

    const gateways = docs.filter((d) => d.kind === "Gateway");
    const services = docs.filter((d) => d.kind === "VirtualService");
    const rules = docs.filter((d) => d.kind === "DestinationRule");
    const namespaces = new Set([...services].map((d) => d.metadata?.namespace ?? "default"));
    const routingNamespace = namespaces.size === 1 ? [...namespaces][0] : undefined;

    const listeners: Listener[] = [];
    const certificates: CertificateSpec[] = [];
    const gatewayRefs = new Set<string>();
    const listenerNames = new Names();
    const extraPorts: GatewayPort[] = [];
    for (const g of gateways) {
        const ns = g.metadata?.namespace ?? "default";
        gatewayRefs.add(`${ns}/${g.metadata?.name}`);
        const spec = (g.spec ?? {}) as Obj;
        note(g, "spec.selector", "the gateway pods are the ones this product deploys; the selector is not carried over");
        rest(g, spec, "spec", ["selector", "servers"]);
        ((spec.servers ?? []) as Obj[]).forEach((server, i) => {
            const path = `spec.servers[${i}]`;
            const port = (server.port ?? {}) as { number?: number; name?: string; protocol?: string; targetPort?: number };
            const protocol = (port.protocol ?? "").toUpperCase();
            if (!PROTOCOLS.includes(protocol) || port.number === undefined) {
                drop(
                    g,
                    `${path}.port.protocol`,
                    `${port.protocol} servers are not carried over (listeners serve HTTP, HTTPS, HTTP2, GRPC, TCP, TLS)`,
                );
                return;
            }
            rest(g, server, path, ["port", "hosts", "tls", "name", "bind"]);
            if (server.bind !== undefined) drop(g, `${path}.bind`, "listeners bind every address of the gateway pods");
            const hosts = ((server.hosts ?? []) as string[]).flatMap((h, j) => {
                const slash = h.indexOf("/");
                if (slash < 0) return [h.toLowerCase()];
                const [nsPart, host] = [h.slice(0, slash), h.slice(slash + 1)];
                if (nsPart !== "*" && nsPart !== ".")
                    drop(
                        g,
                        `${path}.hosts[${j}]`,
                        `the namespace restriction ${nsPart}/ is not carried over: routes come from the fleet config only`,
                    );
                return [host.toLowerCase()];
            });
            const listener: Listener = {
                name: listenerNames.take(label(port.name ?? `${protocol.toLowerCase()}-${port.number}`, "listener")),
                port: port.number,
                protocol: protocol as ListenerProtocol,
                hosts,
            };
            if (port.number !== 80 && port.number !== 443 && !extraPorts.some((p) => p.port === port.number)) {
                extraPorts.push({
                    name: label(`${protocol.toLowerCase()}-${port.number}`),
                    port: port.number,
                    targetPort: port.targetPort ?? port.number,
                    protocol: protocol as GatewayPort["protocol"],
                });
            }
            const tls = server.tls as Obj | undefined;
            if (tls !== undefined) {
                rest(
                    g,
                    tls,
                    `${path}.tls`,
                    ["mode", "credentialName", "minProtocolVersion", "maxProtocolVersion", "cipherSuites", "httpsRedirect"],
                    "not carried over: certificates come from Secrets (credentialName), and file-mounted certificates, SAN checks and CA files are not in the routing model",
                );
                if (tls.httpsRedirect === true) listener.httpsRedirect = true;
                const mode = tls.mode as string | undefined;
                if (mode !== undefined) {
                    if (!TLS_MODES.includes(mode)) {
                        drop(g, `${path}.tls.mode`, `${mode} is not a listener TLS mode`);
                    } else {
                        listener.tls = { mode: mode as TlsMode };
                        if (typeof tls.credentialName !== "string" && mode !== "PASSTHROUGH" && mode !== "ISTIO_MUTUAL") {
                            drop(
                                g,
                                `${path}.tls.credentialName`,
                                "this server terminates TLS with certificate files; the gateway reads certificates from Secrets: put the certificate in a Secret and name it here. The server is not carried over",
                            );
                            return;
                        }
                        if (typeof tls.credentialName === "string") {
                            listener.tls.credentialName = tls.credentialName;
                            if (!certificates.some((c) => c.name === tls.credentialName))
                                certificates.push({ name: tls.credentialName, existingSecret: true });
                        }
                        for (const f of ["minProtocolVersion", "maxProtocolVersion"] as const)
                            if (typeof tls[f] === "string") listener.tls[f] = tls[f] as TlsVersion;
                        if (Array.isArray(tls.cipherSuites)) listener.tls.cipherSuites = tls.cipherSuites as string[];
                    }
                }
            }
            listeners.push(listener);
        });
    }

    /** `svc`, `svc.ns`, `svc.ns.svc.cluster.local` → Service and namespace; others are external hosts. */
    const destinationOf = (d: KubeDocument, o: Obj): Destination => {
        const ns = d.metadata?.namespace ?? "default";
        const host = String(o.host ?? "");
        const parts = host.split(".");
        let dest: Destination;
        if (parts.length === 1) dest = { host, namespace: ns };
        else if (parts.length === 2 || (parts.length === 5 && host.endsWith(".svc.cluster.local")))
            dest = { host: parts[0], namespace: parts[1] };
        else dest = { host };
        if (dest.namespace !== undefined && dest.namespace === routingNamespace) delete dest.namespace;
        if (typeof o.subset === "string") dest.subset = o.subset;
        const port = (o.port as { number?: number } | undefined)?.number;
        if (port !== undefined) dest.port = port;
        return dest;
    };
    const stringMatch = (d: KubeDocument, m: Obj, path: string): StringMatch | undefined => {
        for (const k of ["exact", "prefix", "regex"] as const) if (typeof m[k] === "string") return { [k]: m[k] as string };
        drop(d, path, "an empty string match is not carried over");
        return undefined;
    };

    const http: HttpRoute[] = [];
    const tcp: TcpRoute[] = [];
    const tlsRoutes: TlsRoute[] = [];
    const routeNames = new Names();
    const sourceOf = new Map<HttpRoute, { vs: KubeDocument; path: string }>();
    for (const vs of services) {
        const ns = vs.metadata?.namespace ?? "default";
        const spec = (vs.spec ?? {}) as Obj;
        rest(vs, spec, "spec", ["hosts", "gateways", "http", "tcp", "tls", "exportTo"]);
        const refs = ((spec.gateways ?? ["mesh"]) as string[]).map((g) => (g === "mesh" || g.includes("/") ? g : `${ns}/${g}`));
        if (refs.includes("mesh"))
            note(
                vs,
                "spec.gateways",
                "the mesh (sidecar) part of this VirtualService stays as it is: only its gateway routes are imported",
            );
        const bound = refs.filter((r) => gatewayRefs.has(r));
        if (bound.length === 0) {
            drop(vs, "spec.gateways", `bound to none of the imported Gateways (${[...gatewayRefs].join(", ") || "none"})`);
            continue;
        }
        const hosts = ((spec.hosts ?? []) as string[]).map((h) => h.toLowerCase());
        const base = label(vs.metadata?.name ?? "vs");
        ((spec.http ?? []) as Obj[]).forEach((r, i) => {
            const path = `spec.http[${i}]`;
            rest(vs, r, path, [
                "name",
                "match",
                "route",
                "redirect",
                "rewrite",
                "timeout",
                "retries",
                "fault",
                "mirror",
                "mirrorPercentage",
                "headers",
                "corsPolicy",
            ]);
            const route: HttpRoute = { name: routeNames.take(label(`${base}-${typeof r.name === "string" ? r.name : i}`)), hosts };
            if (Array.isArray(r.match)) {
                const matches: HttpMatch[] = [];
                (r.match as Obj[]).forEach((m, j) => {
                    const mp = `${path}.match[${j}]`;
                    rest(
                        vs,
                        m,
                        mp,
                        ["name", "uri", "headers", "method", "queryParams"],
                        "not carried over: matches take path, headers, method and query parameters",
                    );
                    const out: HttpMatch = {};
                    if (m.uri !== undefined) out.path = stringMatch(vs, m.uri as Obj, `${mp}.uri`);
                    if (m.method !== undefined) {
                        const method = (m.method as Obj).exact;
                        if (typeof method === "string" && METHODS.includes(method)) out.method = method as HttpMethod;
                        else drop(vs, `${mp}.method`, "only an exact standard method is carried over");
                    }
                    for (const f of ["headers", "queryParams"] as const) {
                        if (m[f] === undefined) continue;
                        const entries = Object.entries(m[f] as Record<string, Obj>).map(
                            ([k, v]) =>
                                [f === "headers" ? k.toLowerCase() : k, stringMatch(vs, v, `${mp}.${f}[${JSON.stringify(k)}]`)] as const,
                        );
                        out[f] = Object.fromEntries(entries.filter(([, v]) => v !== undefined)) as Record<string, StringMatch>;
                    }
                    matches.push(out);
                });
                route.match = matches;
            }
            if (Array.isArray(r.route)) {
                route.destinations = (r.route as Obj[]).map((x, j) => {
                    rest(vs, x, `${path}.route[${j}]`, ["destination", "weight"], "per-destination header changes are not carried over");
                    const dest = destinationOf(vs, (x.destination ?? {}) as Obj);
                    if (typeof x.weight === "number" && (r.route as Obj[]).length > 1) dest.weight = x.weight;
                    return dest;
                });
            }
            if (r.redirect !== undefined) {
                const red = r.redirect as Obj;
                rest(vs, red, `${path}.redirect`, ["uri", "authority", "scheme", "redirectCode"]);
                route.redirect = {};
                if (typeof red.uri === "string") route.redirect.uri = red.uri;
                if (typeof red.authority === "string") route.redirect.authority = red.authority;
                if (red.scheme === "http" || red.scheme === "https") route.redirect.scheme = red.scheme;
                if (typeof red.redirectCode === "number") route.redirect.redirectCode = red.redirectCode;
            }
            if (r.rewrite !== undefined) {
                const rw = r.rewrite as Obj;
                rest(vs, rw, `${path}.rewrite`, ["uri", "authority", "uriRegexRewrite"]);
                route.rewrite = {};
                if (typeof rw.uri === "string") route.rewrite.uri = rw.uri;
                if (typeof rw.authority === "string") route.rewrite.authority = rw.authority;
                const rx = rw.uriRegexRewrite as { match?: string; rewrite?: string } | undefined;
                if (rx?.match !== undefined) {
                    if (api === "gateway-api")
                        drop(vs, `${path}.rewrite.uriRegexRewrite`, "Gateway API has no regular-expression path rewrite: use --api istio");
                    else route.rewrite.uriRegex = { match: rx.match, rewrite: rx.rewrite ?? "" };
                }
            }
            if (typeof r.timeout === "string") route.timeout = r.timeout;
            if (r.retries !== undefined) {
                const rt = r.retries as Obj;
                rest(vs, rt, `${path}.retries`, ["attempts", "perTryTimeout", "retryOn"]);
                route.retries = { attempts: Number(rt.attempts ?? 0) };
                if (typeof rt.perTryTimeout === "string") route.retries.perTryTimeout = rt.perTryTimeout;
                if (typeof rt.retryOn === "string") route.retries.retryOn = rt.retryOn;
            }
            if (r.fault !== undefined) {
                const f = r.fault as { delay?: Obj; abort?: Obj };
                route.fault = {};
                const pct = (o: Obj) => Number((o.percentage as { value?: number } | undefined)?.value ?? 100);
                if (f.delay?.fixedDelay !== undefined)
                    route.fault.delay = { fixedDelay: String(f.delay.fixedDelay), percentage: pct(f.delay) };
                if (f.abort?.httpStatus !== undefined)
                    route.fault.abort = { httpStatus: Number(f.abort.httpStatus), percentage: pct(f.abort) };
            }
            if (r.mirror !== undefined) {
                route.mirror = { destination: destinationOf(vs, r.mirror as Obj) };
                const pct = (r.mirrorPercentage as { value?: number } | undefined)?.value;
                if (pct !== undefined) route.mirror.percentage = pct;
            }
            if (r.headers !== undefined) {
                const h = r.headers as { request?: HeaderChanges; response?: HeaderChanges };
                route.headers = {};
                if (h.request !== undefined) route.headers.request = h.request;
                if (h.response !== undefined) route.headers.response = h.response;
            }
            if (r.corsPolicy !== undefined) {
                const c = r.corsPolicy as Obj;
                rest(vs, c, `${path}.corsPolicy`, [
                    "allowOrigins",
                    "allowMethods",
                    "allowHeaders",
                    "exposeHeaders",
                    "maxAge",
                    "allowCredentials",
                ]);
                const origins = ((c.allowOrigins ?? []) as Obj[]).flatMap((o, j) => {
                    if (typeof o.exact === "string") return [o.exact];
                    if (o.regex === ".*" || o.exact === "*") return ["*"];
                    drop(vs, `${path}.corsPolicy.allowOrigins[${j}]`, "only exact origins and `.*` are carried over");
                    return [];
                });
                const cors: CorsPolicy = { allowOrigins: origins };
                for (const f of ["allowMethods", "allowHeaders", "exposeHeaders"] as const)
                    if (Array.isArray(c[f])) cors[f] = c[f] as string[];
                if (typeof c.maxAge === "string") cors.maxAge = c.maxAge;
                if (typeof c.allowCredentials === "boolean") cors.allowCredentials = c.allowCredentials;
                if (origins.length > 0) route.cors = cors;
            }
            if (route.destinations === undefined && route.redirect === undefined) {
                drop(vs, path, "neither a route nor a redirect (e.g. a directResponse or a delegate): not carried over");
                return;
            }
            http.push(route);
            sourceOf.set(route, { vs, path });
        });
        ((spec.tcp ?? []) as Obj[]).forEach((r, i) => {
            const port =
                ((r.match ?? []) as Obj[]).map((m) => m.port as number | undefined).find((p) => p !== undefined) ??
                listeners.find((l) => l.protocol === "TCP")?.port;
            if (port === undefined) {
                drop(vs, `spec.tcp[${i}]`, "no port to route by (match[].port)");
                return;
            }
            tcp.push({
                name: routeNames.take(label(`${base}-tcp-${i}`)),
                port,
                destinations: ((r.route ?? []) as Obj[]).map((x) => ({
                    ...destinationOf(vs, (x.destination ?? {}) as Obj),
                    ...(typeof x.weight === "number" && (r.route as Obj[]).length > 1 ? { weight: x.weight } : {}),
                })),
            });
        });
        ((spec.tls ?? []) as Obj[]).forEach((r, i) => {
            const sni = ((r.match ?? []) as Obj[]).flatMap((m) => (m.sniHosts ?? []) as string[]);
            tlsRoutes.push({
                name: routeNames.take(label(`${base}-tls-${i}`)),
                sniHosts: sni.length > 0 ? sni : hosts,
                destinations: ((r.route ?? []) as Obj[]).map((x) => ({
                    ...destinationOf(vs, (x.destination ?? {}) as Obj),
                    ...(typeof x.weight === "number" && (r.route as Obj[]).length > 1 ? { weight: x.weight } : {}),
                })),
            });
        });
    }

    // Istio ignores a VirtualService host that no server of its gateways serves; the routing
    // model refuses it. Such hosts are left out, and said so.
    const reported = new Set<string>();
    for (const route of [...http]) {
        const src = sourceOf.get(route)!;
        const kept = route.hosts.filter((h) =>
            listeners.some((l) => servesHttp(l) && l.hosts.some((p) => hostMatches(p, h) || hostMatches(h, p))),
        );
        for (const h of route.hosts.filter((x) => !kept.includes(x))) {
            const index = ((src.vs.spec as Obj).hosts as string[]).findIndex((x) => x.toLowerCase() === h);
            if (reported.has(`${src.vs.source}/${h}`)) continue;
            reported.add(`${src.vs.source}/${h}`);
            drop(src.vs, `spec.hosts[${index}]`, `no HTTP server of the imported Gateways serves ${h}: Istio ignores it there`);
        }
        const narrowed = kept.flatMap((h) =>
            listeners.some((l) => servesHttp(l) && l.hosts.some((p) => hostMatches(p, h)))
                ? [h]
                : listeners.filter(servesHttp).flatMap((l) => l.hosts.filter((p) => hostMatches(h, p))),
        );
        route.hosts = [...new Set(narrowed)];
        if (route.hosts.length === 0) http.splice(http.indexOf(route), 1);
    }

    // Istio merges the routes of every VirtualService whose host intersects a virtual host, in
    // VirtualService creation order; the product writes one VirtualService per route host, so
    // where a wildcard covers another imported host the merged order may differ from the input's.
    const routeHosts = [...new Set(http.flatMap((r) => r.hosts))];
    for (const wide of routeHosts.filter((h) => h === "*" || h.startsWith("*."))) {
        const covered = routeHosts.filter((h) => h !== wide && hostMatches(wide, h));
        if (covered.length === 0) continue;
        const src = sourceOf.get(http.find((r) => r.hosts.includes(wide))!)!;
        note(
            src.vs,
            "spec.hosts",
            `Istio merges the routes for ${wide} into the virtual host of ${covered.join(", ")}, in VirtualService creation order; ` +
                "the imported config writes one VirtualService per host, so check which routes come first there (or give the covered hosts routes that take every request)",
        );
    }

    const backends: Record<string, BackendPolicy> = {};
    for (const dr of rules) {
        const spec = (dr.spec ?? {}) as Obj;
        rest(dr, spec, "spec", ["host", "subsets", "trafficPolicy", "exportTo"]);
        const dest = destinationOf(dr, { host: spec.host });
        const policy: BackendPolicy = {};
        ((spec.subsets ?? []) as Obj[]).forEach((s, i) => {
            rest(dr, s, `spec.subsets[${i}]`, ["name", "labels"], "per-subset traffic policies are not carried over");
            policy.subsets = { ...policy.subsets, [String(s.name)]: (s.labels ?? {}) as Record<string, string> };
        });
        const tp = (spec.trafficPolicy ?? {}) as Obj;
        rest(dr, tp, "spec.trafficPolicy", ["connectionPool", "outlierDetection", "loadBalancer"]);
        const cp = tp.connectionPool as { tcp?: Obj; http?: Obj } | undefined;
        if (cp !== undefined) {
            policy.connectionPool = {};
            if (cp.tcp?.maxConnections !== undefined) policy.connectionPool.maxConnections = Number(cp.tcp.maxConnections);
            if (typeof cp.tcp?.connectTimeout === "string") policy.connectionPool.connectTimeout = cp.tcp.connectTimeout;
            for (const f of ["http1MaxPendingRequests", "http2MaxRequests", "maxRequestsPerConnection"] as const)
                if (cp.http?.[f] !== undefined) policy.connectionPool[f] = Number(cp.http[f]);
            rest(dr, cp.tcp, "spec.trafficPolicy.connectionPool.tcp", ["maxConnections", "connectTimeout"]);
            rest(dr, cp.http, "spec.trafficPolicy.connectionPool.http", [
                "http1MaxPendingRequests",
                "http2MaxRequests",
                "maxRequestsPerConnection",
            ]);
        }
        const od = tp.outlierDetection as Obj | undefined;
        if (od !== undefined) {
            rest(dr, od, "spec.trafficPolicy.outlierDetection", [
                "consecutive5xxErrors",
                "interval",
                "baseEjectionTime",
                "maxEjectionPercent",
            ]);
            policy.outlierDetection = {};
            if (od.consecutive5xxErrors !== undefined) policy.outlierDetection.consecutive5xxErrors = Number(od.consecutive5xxErrors);
            if (typeof od.interval === "string") policy.outlierDetection.interval = od.interval;
            if (typeof od.baseEjectionTime === "string") policy.outlierDetection.baseEjectionTime = od.baseEjectionTime;
            if (od.maxEjectionPercent !== undefined) policy.outlierDetection.maxEjectionPercent = Number(od.maxEjectionPercent);
        }
        const lb = tp.loadBalancer as Obj | undefined;
        if (lb !== undefined) {
            if (typeof lb.simple === "string" && ["ROUND_ROBIN", "LEAST_REQUEST", "RANDOM", "PASSTHROUGH"].includes(lb.simple))
                policy.loadBalancer = lb.simple as BackendPolicy["loadBalancer"];
            else
                drop(
                    dr,
                    "spec.trafficPolicy.loadBalancer",
                    "only a simple balancing algorithm is carried over (no consistent hashing or locality settings)",
                );
        }
        const used = [
            ...http.flatMap((r) => r.destinations ?? []),
            ...tcp.flatMap((r) => r.destinations),
            ...tlsRoutes.flatMap((r) => r.destinations),
        ].some((x) => x.host === dest.host && (x.namespace ?? routingNamespace) === (dest.namespace ?? routingNamespace));
        if (!used) {
            drop(dr, "spec.host", `no imported route sends traffic to ${String(spec.host)}`);
            continue;
        }
        if (backends[dest.host] !== undefined)
            drop(dr, "spec.host", `another DestinationRule for a Service named ${dest.host} comes first`);
        else backends[dest.host] = policy;
    }

    const routing: RoutingSpec = {
        ...(api === "gateway-api" ? { api } : {}),
        ...(routingNamespace ? { namespace: routingNamespace } : {}),
        listeners,
    };
    if (http.length > 0) routing.http = http;
    if (tcp.length > 0) routing.tcp = tcp;
    if (tlsRoutes.length > 0) routing.tls = tlsRoutes;
    if (Object.keys(backends).length > 0) routing.backends = backends;
    return { routing, certificates, dropped, notes, extraPorts };
}
