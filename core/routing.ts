// Routing: which hosts and ports the gateway serves (listeners) and where their traffic goes
// (routes), in one model that renders as Istio Gateway/VirtualService/DestinationRule or as
// Kubernetes Gateway API Gateway/HTTPRoute/TCPRoute/TLSRoute. The rules here refuse what would
// deploy but not work: a route for a host no listener serves answers 404.
import type { IssueList, PathSegment } from "./errors";
import type { GatewayPort } from "./spec";

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
export const TlsMode = { SIMPLE: "SIMPLE", MUTUAL: "MUTUAL", PASSTHROUGH: "PASSTHROUGH", OPTIONAL_MUTUAL: "OPTIONAL_MUTUAL", ISTIO_MUTUAL: "ISTIO_MUTUAL" } as const;
export type TlsMode = (typeof TlsMode)[keyof typeof TlsMode];

/** TLS protocol versions a listener may negotiate. */
export const TlsVersion = { TLSV1_2: "TLSV1_2", TLSV1_3: "TLSV1_3" } as const;
export type TlsVersion = (typeof TlsVersion)[keyof typeof TlsVersion];

/** HTTP request methods a route may match. */
export const HttpMethod = {
    GET: "GET", HEAD: "HEAD", POST: "POST", PUT: "PUT", DELETE: "DELETE", CONNECT: "CONNECT", OPTIONS: "OPTIONS", TRACE: "TRACE", PATCH: "PATCH",
} as const;
export type HttpMethod = (typeof HttpMethod)[keyof typeof HttpMethod];

/** The scheme of a redirect's `Location`. */
export const RedirectScheme = { Http: "http", Https: "https" } as const;
export type RedirectScheme = (typeof RedirectScheme)[keyof typeof RedirectScheme];

/** How the gateway balances requests over a destination's endpoints (Istio `simple` load balancer). */
export const BalancingAlgorithm = { ROUND_ROBIN: "ROUND_ROBIN", LEAST_REQUEST: "LEAST_REQUEST", RANDOM: "RANDOM", PASSTHROUGH: "PASSTHROUGH" } as const;
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

export interface Rewrite {
    /** Replaces the matched path prefix. */
    uri?: string;
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
    /** Istio API version: `v1` (Istio/ASM 1.22+, default) or `v1beta1` for older meshes. */
    istioApiVersion?: IstioApiVersion;
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
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const HOST = /^(\*|(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)$/;
export const DURATION = /^\d+(\.\d+)?(ms|s|m|h)$/;
/** The Gateway API CRDs' duration pattern (no fractions). */
const GATEWAY_API_DURATION = /^([0-9]{1,5}(h|m|s|ms)){1,4}$/;

const HTTP_PROTOCOLS: ListenerProtocol[] = ["HTTP", "HTTPS", "HTTP2", "GRPC"];

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
    return l.protocol === "TCP" || (l.protocol === "TLS" && !isPassthrough(l));
}

export function isPassthrough(l: Listener): boolean {
    return l.tls?.mode === "PASSTHROUGH";
}

/** Checks a routing spec against itself and the gateway's ports. */
export function checkRouting(routing: RoutingSpec, ports: GatewayPort[], gatewayType: string, list: IssueList): void {
    const at = (...rest: PathSegment[]): PathSegment[] => ["routing", ...rest];
    const api = routing.api ?? "istio";
    const listeners = routing.listeners ?? [];
    const servicePorts = new Set(ports.map((p) => p.port));

    const names = new Set<string>();
    const claims = new Map<string, { index: number; tls: string }>();
    listeners.forEach((l, i) => {
        if (!DNS_LABEL.test(l.name)) list.add(at("listeners", i, "name"), `"${l.name}" is not a valid listener name (a DNS label)`);
        if (names.has(l.name)) list.add(at("listeners", i, "name"), `listener name ${l.name} is used twice`);
        names.add(l.name);
        if (!servicePorts.has(l.port)) list.add(at("listeners", i, "port"), `${l.port} is not a port of the gateway Service (${[...servicePorts].join(", ")}); add it to gateway.ports`);
        l.hosts.forEach((h, j) => {
            if (!HOST.test(h)) list.add(at("listeners", i, "hosts", j), `"${h}" is not a host name (lower-case DNS name, optionally starting with "*.")`);
            // The seed's troubleshooting case: one port and host claimed with different TLS settings
            // makes Istio pick one server and reject the other's traffic.
            const key = `${l.port}/${h}`;
            const tls = JSON.stringify(l.tls ?? null);
            const other = claims.get(key);
            if (other !== undefined && other.tls !== tls) {
                list.add(at("listeners", i, "hosts", j), `port ${l.port} and host ${h} are also served by listeners[${other.index}] with different TLS settings; one port and host can have one TLS setting`);
            }
            claims.set(key, { index: i, tls });
        });
        const terminates = l.protocol === "HTTPS" || (l.protocol === "TLS" && l.tls?.mode !== "PASSTHROUGH");
        if ((l.protocol === "HTTPS" || l.protocol === "TLS") && l.tls === undefined) list.add(at("listeners", i, "tls"), `a ${l.protocol} listener needs tls settings (mode SIMPLE, MUTUAL or PASSTHROUGH)`);
        if (l.tls !== undefined && !(l.protocol === "HTTPS" || l.protocol === "TLS")) list.add(at("listeners", i, "tls"), `tls applies to HTTPS and TLS listeners; this one is ${l.protocol}`);
        if (l.tls?.mode === "PASSTHROUGH" && l.protocol !== "TLS") list.add(at("listeners", i, "tls", "mode"), "PASSTHROUGH needs protocol TLS (the gateway cannot read HTTP it does not decrypt)");
        if (terminates && l.tls !== undefined && l.tls.mode !== "PASSTHROUGH" && l.tls.mode !== "ISTIO_MUTUAL" && l.tls.credentialName === undefined) {
            list.add(at("listeners", i, "tls", "credentialName"), "is required to terminate TLS (a kubernetes.io/tls Secret in the gateway's namespace)");
        }
        if (l.tls?.minProtocolVersion === "TLSV1_3" && l.tls.maxProtocolVersion === "TLSV1_2") list.add(at("listeners", i, "tls", "maxProtocolVersion"), "is lower than minProtocolVersion");
        if (l.httpsRedirect === true && l.protocol !== "HTTP") list.add(at("listeners", i, "httpsRedirect"), "applies to HTTP listeners");
        if (api === "gateway-api" && (l.tls?.mode === "MUTUAL" || l.tls?.mode === "OPTIONAL_MUTUAL" || l.tls?.mode === "ISTIO_MUTUAL")) {
            list.add(at("listeners", i, "tls", "mode"), `${l.tls.mode} is not rendered for Gateway API (client certificates would not be required); use api: istio`);
        }
        for (const field of ["minProtocolVersion", "maxProtocolVersion", "cipherSuites"] as const) {
            if (api === "gateway-api" && l.tls?.[field] !== undefined) list.add(at("listeners", i, "tls", field), "is not rendered for Gateway API listeners; use api: istio");
        }
    });

    const served = (host: string, accept: (l: Listener) => boolean) => listeners.some((l) => accept(l) && l.hosts.some((p) => hostMatches(p, host)));
    const routeNames = new Set<string>();
    const checkName = (name: string, path: PathSegment[]) => {
        if (!DNS_LABEL.test(name)) list.add(path, `"${name}" is not a valid route name (a DNS label)`);
        if (routeNames.has(name)) list.add(path, `route name ${name} is used twice`);
        routeNames.add(name);
    };

    (routing.http ?? []).forEach((r, i) => {
        const p = (...rest: PathSegment[]) => at("http", i, ...rest);
        checkName(r.name, p("name"));
        r.hosts.forEach((h, j) => {
            if (!served(h, servesHttp)) {
                const tlsOnly = served(h, () => true);
                list.add(p("hosts", j), tlsOnly
                    ? `${h} is served only by TLS/TCP listeners, where HTTP routes never match; terminate TLS with protocol HTTPS to route HTTP`
                    : `no HTTP or HTTPS listener serves ${h}: requests for it would get 404 (listeners serve ${describeHosts(listeners)})`);
            } else if (!served(h, (l) => servesHttp(l) && l.httpsRedirect !== true)) {
                list.add(p("hosts", j), `${h} is served only by listeners that redirect to HTTPS, so this route is never reached; add an HTTPS listener for it`);
            }
        });
        if (r.destinations === undefined && r.redirect === undefined) list.add(p(), "needs destinations or a redirect");
        if (r.destinations !== undefined && r.redirect !== undefined) list.add(p("redirect"), "a route either redirects or forwards to destinations, not both");
        checkDestinations(r.destinations ?? [], p("destinations"), api, list);
        (r.match ?? []).forEach((m, j) => {
            checkStringMatch(m.path, p("match", j, "path"), list);
            for (const [k, v] of Object.entries(m.headers ?? {})) checkStringMatch(v, [...p("match", j, "headers"), { key: k }], list, api === "gateway-api" ? "prefix" : undefined);
            for (const [k, v] of Object.entries(m.queryParams ?? {})) checkStringMatch(v, [...p("match", j, "queryParams"), { key: k }], list, "prefix");
        });
        if (r.mirror !== undefined) {
            checkDestinations([r.mirror.destination], p("mirror", "destination"), api, list);
            const same = (r.destinations ?? []).some((d) => d.host === r.mirror!.destination.host && (d.namespace ?? "") === (r.mirror!.destination.namespace ?? "") && d.subset === r.mirror!.destination.subset);
            if (same) list.add(p("mirror", "destination"), `mirrors to ${r.mirror.destination.host}, which the route already sends to: every mirrored request would hit it twice`);
        }
        for (const [field, value] of [["timeout", r.timeout], ["retries.perTryTimeout", r.retries?.perTryTimeout], ["fault.delay.fixedDelay", r.fault?.delay?.fixedDelay], ["cors.maxAge", r.cors?.maxAge]] as const) {
            if (value !== undefined && !DURATION.test(value)) list.add(p(...field.split(".")), `"${value}" is not a duration such as "10s" or "500ms"`);
            else if (value !== undefined && api === "gateway-api" && !GATEWAY_API_DURATION.test(value)) list.add(p(...field.split(".")), `"${value}": Gateway API durations are whole numbers of h, m, s or ms (e.g. "1500ms")`);
        }
        if (api === "gateway-api") {
            if (r.retries !== undefined) list.add(p("retries"), "Gateway API (standard channel) has no retries; use api: istio");
            if (r.fault !== undefined) list.add(p("fault"), "Gateway API has no fault injection; use api: istio");
            if (r.rewrite?.uri !== undefined && (r.match ?? []).some((m) => m.path?.prefix === undefined)) {
                list.add(p("rewrite", "uri"), "with Gateway API a path rewrite replaces a path prefix: every match needs path.prefix");
            }
        }
    });

    (routing.tcp ?? []).forEach((r, i) => {
        const p = (...rest: PathSegment[]) => at("tcp", i, ...rest);
        checkName(r.name, p("name"));
        if (!listeners.some((l) => l.port === r.port && carriesTcp(l))) list.add(p("port"), `no TCP listener (or TLS listener that terminates) on port ${r.port}`);
        checkDestinations(r.destinations, p("destinations"), api, list);
    });

    (routing.tls ?? []).forEach((r, i) => {
        const p = (...rest: PathSegment[]) => at("tls", i, ...rest);
        checkName(r.name, p("name"));
        r.sniHosts.forEach((h, j) => {
            if (!served(h, isPassthrough)) {
                const nonPassthrough = served(h, () => true);
                list.add(p("sniHosts", j), nonPassthrough
                    ? `${h} is served by a listener that does not pass TLS through (tls.mode PASSTHROUGH on a TLS listener); a passthrough route there never matches`
                    : `no TLS PASSTHROUGH listener serves ${h}`);
            }
        });
        checkDestinations(r.destinations, p("destinations"), api, list);
    });

    (routing.rateLimits ?? []).forEach((r, i) => {
        (r.hosts ?? []).forEach((h, j) => {
            if (!served(h, servesHttp)) list.add(at("rateLimits", i, "hosts", j), `no HTTP listener serves ${h}`);
        });
    });

    (routing.egress ?? []).forEach((e, i) => {
        if (gatewayType !== "egress") list.add(at("egress", i), "egress routes need an egress gateway (gateway.gatewayType: egress)");
        if (!HOST.test(e.host) || e.host.startsWith("*")) list.add(at("egress", i, "host"), `"${e.host}" must be one external host name`);
        const port = e.port ?? (e.protocol === "TLS" ? 443 : 80);
        if (!servicePorts.has(port)) list.add(at("egress", i, "port"), `the egress gateway Service has no port ${port}; add it to gateway.ports`);
        if (api === "gateway-api") list.add(at("egress", i), "egress routes are rendered with Istio APIs only; use api: istio");
    });

    for (const [host, policy] of Object.entries(routing.backends ?? {})) {
        const p = (...rest: PathSegment[]) => at("backends", { key: host }, ...rest);
        if (api === "gateway-api" && policy.subsets !== undefined) list.add(p("subsets"), "Gateway API routes to Services, not subsets: give each version its own Service");
        for (const [field, value] of [["connectionPool.connectTimeout", policy.connectionPool?.connectTimeout], ["outlierDetection.interval", policy.outlierDetection?.interval], ["outlierDetection.baseEjectionTime", policy.outlierDetection?.baseEjectionTime]] as const) {
            if (value !== undefined && !DURATION.test(value)) list.add(p(...field.split(".")), `"${value}" is not a duration such as "10s"`);
        }
    }
    if (routing.istioApiVersion !== undefined && api === "gateway-api") list.add(at("istioApiVersion"), "applies to api: istio");
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
        if (api === "gateway-api" && d.subset !== undefined) list.add([...path, i, "subset"], "Gateway API routes to Services, not subsets: give each version its own Service");
        if (api === "gateway-api" && d.host.includes(".")) list.add([...path, i, "host"], "Gateway API routes to a Service by name: give the Service name and its namespace, not a host name");
        if (api === "gateway-api" && d.port === undefined) list.add([...path, i, "port"], "Gateway API needs the Service port of each destination");
    });
}

function checkStringMatch(m: StringMatch | undefined, path: PathSegment[], list: IssueList, unsupported?: "prefix"): void {
    if (m === undefined) return;
    const given = (["exact", "prefix", "regex"] as const).filter((k) => m[k] !== undefined);
    if (given.length !== 1) list.add(path, `give exactly one of exact, prefix, regex (got ${given.length})`);
    if (unsupported !== undefined && m[unsupported] !== undefined) list.add([...path, unsupported], `${unsupported} matching is not available here; use exact or regex`);
    if (m.regex !== undefined) {
        // Envoy uses RE2; JavaScript's engine accepts a superset, so this catches syntax errors,
        // and RE2-only refusals (lookaround, backreferences) are checked by hand.
        try {
            new RegExp(m.regex);
            if (/\(\?[=!<]|\\[1-9]/.test(m.regex)) list.add([...path, "regex"], `"${m.regex}" uses lookaround or backreferences, which Envoy's RE2 does not support`);
        } catch (e) {
            list.add([...path, "regex"], `"${m.regex}" is not a valid regular expression: ${(e as Error).message.replace(/^Invalid regular expression: /, "")}`);
        }
    }
}
