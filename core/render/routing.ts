// Routing objects, from the one routing model: Istio APIs (Gateway, VirtualService,
// DestinationRule, ServiceEntry) or Gateway API (Gateway, HTTPRoute, TCPRoute, TLSRoute,
// ReferenceGrant). One VirtualService per host, not per route: the resource count is what a
// large fleet's deployment time grows with.
import { ownValue } from "../input";
import type {
    BackendPolicy,
    Destination,
    EgressRoute,
    HeaderChanges,
    HttpMatch,
    HttpRoute,
    Listener,
    RateLimit,
    RoutingSpec,
    StringMatch,
} from "../routing";
import { carriesTcp, egressPort, hostMatches, isPassthrough, istioApiVersionOf, routeBackends, servesHttp } from "../routing";
import { vhostPatches } from "../vhostPatch";
import { routeKindVersion, type MeshTarget } from "../meshVersion";
import { createHash } from "crypto";
import type { WorkloadNames } from "../fleet";
import { compact, gatewayLabel, httpFilterBeforeRouter, vhostFilterConfig, type KubeObject } from "./common";
import { renderGrpcTranscoding, type TranscodingDescriptors } from "./transcoding";

export interface RoutingContext {
    gatewayName: string;
    names: WorkloadNames;
    /** Namespace of the gateway workload (TLS Secrets live there; EnvoyFilters select there). */
    gatewayNamespace: string;
    /** The mesh the objects are for: decides the API versions written. */
    target: MeshTarget;
    /** The descriptor set of each `grpcTranscoding` entry (read and checked by validation). */
    transcoding?: TranscodingDescriptors;
    /** The gateway pods' ports behind Service ports, in any cluster (where a listener's filter goes). */
    podPorts: (servicePorts: Iterable<number>) => number[];
}

export const GATEWAY_API_GROUP = "gateway.networking.k8s.io";
export const GATEWAY_API_VERSION = `${GATEWAY_API_GROUP}/v1`;
export const REFERENCE_GRANT_VERSION = "gateway.networking.k8s.io/v1beta1";
const ENVOY_FILTER_VERSION = "networking.istio.io/v1alpha3";
/**
 * EnvoyFilters with a relative patch (INSERT_BEFORE) need a priority, or their order against
 * other filters is undefined and the patch may not apply (istioctl analyze IST0151,
 * pkg/config/analysis/analyzers/envoyfilter). Positive: after the mesh's unprioritized filters.
 */
export const ENVOY_FILTER_PRIORITY = 10;
const DEFAULT_MIN_TLS = "TLSV1_2";

export function renderRouting(routing: RoutingSpec | undefined, ctx: RoutingContext): KubeObject[] {
    if (routing === undefined) return [];
    const namespace = routing.namespace ?? ctx.gatewayNamespace;
    const objects =
        (routing.api ?? "istio") === "istio" ? istioObjects(routing, namespace, ctx) : gatewayApiObjects(routing, namespace, ctx);
    objects.push(...destinationRules(routing, namespace, ctx));
    const limiter = rateLimitFilter(routing, ctx);
    if (limiter !== undefined) objects.push(limiter);
    const transcoder = renderGrpcTranscoding(routing, {
        ...ctx,
        apiVersion: ENVOY_FILTER_VERSION,
        priority: ENVOY_FILTER_PRIORITY,
        descriptors: ctx.transcoding ?? { inline: new Map(), mounted: new Map() },
    });
    if (transcoder !== undefined) objects.push(transcoder);
    return objects;
}

/**
 * A host as a name part: `httpbin.example.com` → `httpbin-example-com`. A wildcard, or a name
 * cut to fit, gets a short hash of the host, so two hosts never share a name.
 */
export function slug(host: string): string {
    const plain = host.replace(/\./g, "-");
    if (/^[a-z0-9-]{1,50}$/.test(plain) && !plain.endsWith("-")) return plain;
    const readable = host.replace(/^\*$/, "any").replace(/^\*\./, "wildcard.").replace(/\./g, "-").slice(0, 40).replace(/-+$/, "");
    return `${readable}-${createHash("sha256").update(host).digest("hex").slice(0, 8)}`;
}

function fqdn(d: { host: string; namespace?: string }, namespace: string): string {
    return d.host.includes(".") ? d.host : `${d.host}.${d.namespace ?? namespace}.svc.cluster.local`;
}

function meta(name: string, namespace: string, ctx: RoutingContext) {
    return { name, namespace, labels: gatewayLabel(ctx.gatewayName) };
}

// ---------------------------------------------------------------- Istio APIs

function istioObjects(routing: RoutingSpec, namespace: string, ctx: RoutingContext): KubeObject[] {
    const version = `networking.istio.io/${istioApiVersionOf(routing, ctx.target)}`;
    const gatewayRef = `${namespace}/${ctx.gatewayName}`;
    const listeners = routing.listeners ?? [];
    const egress = routing.egress ?? [];
    const objects: KubeObject[] = [];
    if (listeners.length > 0 || egress.length > 0) {
        objects.push({
            apiVersion: version,
            kind: "Gateway",
            metadata: meta(ctx.gatewayName, namespace, ctx),
            spec: {
                // Matches the pods this product installs (both modes label them alike).
                selector: { ...ctx.names.selector },
                servers: [...listeners.map(istioServer), ...egress.map(egressServer)],
            },
        });
    }

    const hosts = [...new Set([...(routing.http ?? []).flatMap((r) => r.hosts), ...(routing.tls ?? []).flatMap((r) => r.sniHosts)])];
    for (const host of hosts) {
        const http = (routing.http ?? []).filter((r) => r.hosts.includes(host)).map((r) => istioHttpRoute(r, namespace));
        const tls = (routing.tls ?? [])
            .filter((r) => r.sniHosts.includes(host))
            .map((r) => ({
                match: [{ sniHosts: [host], port: passthroughPort(listeners, host) }],
                route: r.destinations.map((d) => istioRouteDestination(d, namespace)),
            }));
        objects.push({
            apiVersion: version,
            kind: "VirtualService",
            metadata: meta(`${ctx.gatewayName}-${slug(host)}`, namespace, ctx),
            spec: compact({
                hosts: [host],
                gateways: [gatewayRef],
                http: http.length > 0 ? http : undefined,
                tls: tls.length > 0 ? tls : undefined,
            }),
        });
    }
    if ((routing.tcp ?? []).length > 0) {
        objects.push({
            apiVersion: version,
            kind: "VirtualService",
            metadata: meta(`${ctx.gatewayName}-tcp`, namespace, ctx),
            spec: {
                hosts: ["*"],
                gateways: [gatewayRef],
                tcp: routing.tcp!.map((r) => ({
                    match: [{ port: r.port }],
                    route: r.destinations.map((d) => istioRouteDestination(d, namespace)),
                })),
            },
        });
    }
    for (const e of egress) objects.push(...egressObjects(e, version, namespace, gatewayRef, ctx));
    return objects;
}

function istioServer(l: Listener): Record<string, unknown> {
    const tls =
        l.tls === undefined
            ? l.httpsRedirect
                ? { httpsRedirect: true }
                : undefined
            : compact({
                  mode: l.tls.mode,
                  credentialName: l.tls.credentialName,
                  minProtocolVersion: l.tls.mode === "PASSTHROUGH" ? undefined : (l.tls.minProtocolVersion ?? DEFAULT_MIN_TLS),
                  maxProtocolVersion: l.tls.maxProtocolVersion,
                  cipherSuites: l.tls.cipherSuites,
              });
    return compact({ port: { number: l.port, name: l.name, protocol: l.protocol }, hosts: [...l.hosts], tls });
}

function passthroughPort(listeners: Listener[], host: string): number | undefined {
    return listeners.find((l) => isPassthrough(l) && l.hosts.some((p) => hostMatches(p, host)))?.port;
}

function istioStringMatch(m: StringMatch): StringMatch {
    return compact({ exact: m.exact, prefix: m.prefix, regex: m.regex });
}

function istioMatch(m: HttpMatch): Record<string, unknown> {
    const map = (o?: Record<string, StringMatch>) =>
        o === undefined ? undefined : Object.fromEntries(Object.entries(o).map(([k, v]) => [k, istioStringMatch(v)]));
    return compact({
        uri: m.path === undefined ? undefined : istioStringMatch(m.path),
        headers: map(m.headers),
        method: m.method === undefined ? undefined : { exact: m.method },
        queryParams: map(m.queryParams),
    });
}

function istioDestination(d: Destination, namespace: string): Record<string, unknown> {
    return compact({ host: fqdn(d, namespace), subset: d.subset, port: d.port === undefined ? undefined : { number: d.port } });
}

function istioRouteDestination(d: Destination, namespace: string): Record<string, unknown> {
    return compact({ destination: istioDestination(d, namespace), weight: d.weight });
}

function istioHeaders(h?: HeaderChanges): Record<string, unknown> | undefined {
    return h === undefined ? undefined : compact({ set: h.set, add: h.add, remove: h.remove });
}

function istioHttpRoute(r: HttpRoute, namespace: string): Record<string, unknown> {
    return compact({
        name: r.name,
        match: r.match?.map(istioMatch),
        route: r.destinations?.map((d) => istioRouteDestination(d, namespace)),
        redirect: istioRedirect(r.redirect),
        rewrite: istioRewrite(r.rewrite),
        timeout: r.timeout,
        retries:
            r.retries === undefined
                ? undefined
                : compact({ attempts: r.retries.attempts, perTryTimeout: r.retries.perTryTimeout, retryOn: r.retries.retryOn }),
        fault: istioFault(r.fault),
        mirror: r.mirror === undefined ? undefined : istioDestination(r.mirror.destination, namespace),
        mirrorPercentage: r.mirror?.percentage === undefined ? undefined : istioPercentage(r.mirror.percentage),
        headers:
            r.headers === undefined
                ? undefined
                : compact({ request: istioHeaders(r.headers.request), response: istioHeaders(r.headers.response) }),
        corsPolicy: istioCorsPolicy(r.cors),
    });
}

function istioPercentage(value: number): { value: number } {
    return { value };
}

function istioRedirect(redirect: HttpRoute["redirect"]): Record<string, unknown> | undefined {
    if (redirect === undefined) return undefined;
    return compact({
        uri: redirect.uri,
        authority: redirect.authority,
        scheme: redirect.scheme,
        redirectCode: redirect.redirectCode,
    });
}

function istioRewrite(rewrite: HttpRoute["rewrite"]): Record<string, unknown> | undefined {
    if (rewrite === undefined) return undefined;
    return compact({
        uri: rewrite.uri,
        uriRegexRewrite: rewrite.uriRegex === undefined ? undefined : { match: rewrite.uriRegex.match, rewrite: rewrite.uriRegex.rewrite },
        authority: rewrite.authority,
    });
}

function istioFault(fault: HttpRoute["fault"]): Record<string, unknown> | undefined {
    if (fault === undefined) return undefined;
    return compact({
        delay:
            fault.delay === undefined
                ? undefined
                : { fixedDelay: fault.delay.fixedDelay, percentage: istioPercentage(fault.delay.percentage) },
        abort:
            fault.abort === undefined
                ? undefined
                : { httpStatus: fault.abort.httpStatus, percentage: istioPercentage(fault.abort.percentage) },
    });
}

function istioCorsPolicy(cors: HttpRoute["cors"]): Record<string, unknown> | undefined {
    if (cors === undefined) return undefined;
    return compact({
        // Istio's allowOrigins are string matches: `*` is any origin.
        allowOrigins: cors.allowOrigins.map((o) => (o === "*" ? { regex: ".*" } : { exact: o })),
        allowMethods: cors.allowMethods,
        allowHeaders: cors.allowHeaders,
        exposeHeaders: cors.exposeHeaders,
        maxAge: cors.maxAge,
        allowCredentials: cors.allowCredentials,
    });
}

function egressServer(e: EgressRoute): Record<string, unknown> {
    const port = egressPort(e);
    return e.protocol === "TLS"
        ? {
              port: { number: port, name: `tls-${slug(e.host)}`.slice(0, 63), protocol: "TLS" },
              hosts: [e.host],
              tls: { mode: "PASSTHROUGH" },
          }
        : { port: { number: port, name: `http-${slug(e.host)}`.slice(0, 63), protocol: "HTTP" }, hosts: [e.host] };
}

/**
 * Istio's egress pattern: the external host is known to the mesh (ServiceEntry), sidecars send
 * its traffic to the egress gateway (the `mesh` leg), and the gateway sends it out (its own leg).
 */
function egressObjects(e: EgressRoute, version: string, namespace: string, gatewayRef: string, ctx: RoutingContext): KubeObject[] {
    const port = egressPort(e);
    const gatewayHost = `${ctx.names.workload}.${ctx.gatewayNamespace}.svc.cluster.local`;
    const name = `${ctx.gatewayName}-egress-${slug(e.host)}`;
    const leg = (gateway: string, host: string) => ({
        match: [e.protocol === "TLS" ? { gateways: [gateway], port, sniHosts: [e.host] } : { gateways: [gateway], port }],
        route: [{ destination: { host, port: { number: port } } }],
    });
    return [
        {
            apiVersion: version,
            kind: "ServiceEntry",
            metadata: meta(name, namespace, ctx),
            spec: {
                hosts: [e.host],
                ports: [{ number: port, name: `${e.protocol.toLowerCase()}-${port}`, protocol: e.protocol }],
                resolution: "DNS",
                location: "MESH_EXTERNAL",
            },
        },
        {
            apiVersion: version,
            kind: "VirtualService",
            metadata: meta(name, namespace, ctx),
            spec: {
                hosts: [e.host],
                gateways: ["mesh", gatewayRef],
                [e.protocol === "TLS" ? "tls" : "http"]: [leg("mesh", gatewayHost), leg(gatewayRef, e.host)],
            },
        },
    ];
}

/**
 * Subsets and circuit breaking, per destination host that needs them (both APIs honour them).
 * A proxy looks DestinationRules up in its own namespace, then the Service's, then the mesh root
 * namespace (destinationRule() in pilot/pkg/model/push_context.go), so a rule in the routing
 * namespace is invisible to the gateway. Each rule goes to the gateway's namespace, exported
 * there only (`exportTo: ["."]`): the gateway finds it first, and the Service's other clients
 * keep their own rules.
 */
function destinationRules(routing: RoutingSpec, namespace: string, ctx: RoutingContext): KubeObject[] {
    const version = `networking.istio.io/${istioApiVersionOf(routing, ctx.target)}`;
    const used = [
        ...(routing.http ?? []).flatMap(routeBackends),
        ...(routing.tcp ?? []).flatMap((r) => r.destinations),
        ...(routing.tls ?? []).flatMap((r) => r.destinations),
    ];
    const hosts = new Map<string, { destination: Destination; subsets: Set<string> }>();
    for (const d of used) {
        const key = fqdn(d, namespace);
        const entry = hosts.get(key) ?? { destination: d, subsets: new Set<string>() };
        if (d.subset !== undefined) entry.subsets.add(d.subset);
        hosts.set(key, entry);
    }
    // `backends` is keyed by the host as routes write it; a policy no route uses still applies
    // to that Service in the routing namespace.
    const written = new Set(used.map((d) => d.host));
    for (const host of Object.keys(routing.backends ?? {})) {
        if (!written.has(host)) hosts.set(fqdn({ host }, namespace), { destination: { host }, subsets: new Set() });
    }
    const h2 = transcodedDestinations(routing, namespace);
    const objects: KubeObject[] = [];
    for (const [host, { destination, subsets }] of hosts) {
        const policy: BackendPolicy | undefined = ownValue(routing.backends, destination.host);
        const declared = policy?.subsets ?? {};
        const names = [...new Set([...Object.keys(declared), ...subsets])];
        const trafficPolicy = backendTrafficPolicy(policy, h2.has(host));
        if (names.length === 0 && trafficPolicy === undefined) continue;
        objects.push({
            apiVersion: version,
            kind: "DestinationRule",
            metadata: meta(`${ctx.gatewayName}-${slug(host)}`, ctx.gatewayNamespace, ctx),
            spec: compact({
                host,
                exportTo: ["."],
                subsets: names.length === 0 ? undefined : names.map((n) => ({ name: n, labels: ownValue(declared, n) ?? { version: n } })),
                trafficPolicy: trafficPolicy === undefined ? undefined : dropEmpty(trafficPolicy),
            }),
        });
    }
    return objects;
}

/**
 * The destinations of the routes of transcoded hosts: a transcoded request is gRPC, which needs
 * HTTP/2 to the backend, and a JSON client may have come over HTTP/1.1. Istio speaks HTTP/2 to a
 * destination whose DestinationRule says `h2UpgradePolicy: UPGRADE`, whatever its port's protocol
 * (pilot/pkg/networking/core/cluster_traffic_policy.go, shouldH2Upgrade).
 */
function transcodedDestinations(routing: RoutingSpec, namespace: string): Set<string> {
    const hosts = new Set((routing.grpcTranscoding ?? []).flatMap((t) => t.hosts));
    return new Set(
        (routing.http ?? [])
            .filter((r) => r.hosts.some((h) => hosts.has(h)))
            .flatMap(routeBackends)
            .map((d) => fqdn(d, namespace)),
    );
}

function backendTrafficPolicy(policy: BackendPolicy | undefined, h2: boolean): Record<string, unknown> | undefined {
    if (policy === undefined && !h2) return undefined;
    const pool = policy?.connectionPool;
    return compact({
        connectionPool:
            pool === undefined && !h2
                ? undefined
                : compact({
                      tcp: compact({ maxConnections: pool?.maxConnections, connectTimeout: pool?.connectTimeout }),
                      http: compact({
                          http1MaxPendingRequests: pool?.http1MaxPendingRequests,
                          http2MaxRequests: pool?.http2MaxRequests,
                          maxRequestsPerConnection: pool?.maxRequestsPerConnection,
                          h2UpgradePolicy: h2 ? "UPGRADE" : undefined,
                      }),
                  }),
        outlierDetection: policy?.outlierDetection === undefined ? undefined : compact({ ...policy.outlierDetection }),
        loadBalancer: policy?.loadBalancer === undefined ? undefined : { simple: policy.loadBalancer },
    });
}

function dropEmpty(o: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(
        Object.entries(o)
            .map(([k, v]) => [k, v !== null && typeof v === "object" && !Array.isArray(v) ? dropEmpty(v as Record<string, unknown>) : v])
            .filter(([, v]) => !(v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v as object).length === 0)),
    );
}

/** Envoy's local rate limit on the gateway pods: one token bucket per host, or for the whole gateway. */
function rateLimitFilter(routing: RoutingSpec, ctx: RoutingContext): KubeObject | undefined {
    const limits: RateLimit[] = routing.rateLimits ?? [];
    if (limits.length === 0) return undefined;
    const FILTER = "envoy.filters.http.local_ratelimit";
    const TYPE_URL = "type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit";
    const seconds = { second: 1, minute: 60, hour: 3600 };
    const bucket = (l: RateLimit) => ({
        stat_prefix: "http_local_rate_limiter",
        token_bucket: { max_tokens: l.requests, tokens_per_fill: l.requests, fill_interval: `${seconds[l.unit]}s` },
        filter_enabled: { runtime_key: "local_rate_limit_enabled", default_value: { numerator: 100, denominator: "HUNDRED" } },
        filter_enforced: { runtime_key: "local_rate_limit_enforced", default_value: { numerator: 100, denominator: "HUNDRED" } },
        response_headers_to_add: [{ append_action: "OVERWRITE_IF_EXISTS_OR_ADD", header: { key: "x-local-rate-limit", value: "true" } }],
    });
    const typed = (value: Record<string, unknown>) => ({
        "@type": "type.googleapis.com/udpa.type.v1.TypedStruct",
        type_url: TYPE_URL,
        value,
    });
    const whole = limits.find((l) => l.hosts === undefined || l.hosts.length === 0);
    const perHost = limits.filter((l) => l !== whole).flatMap((limit) => (limit.hosts ?? []).map((host) => ({ limit, host })));
    // Only the virtual host Istio builds for this very host, where it does not redirect to HTTPS:
    // validation refuses a limit that only a wider or shared virtual host would carry.
    const placement = vhostPatches(routing);
    const vhosts = perHost.flatMap(({ limit, host }) => placement.listeners(host).map((l) => ({ limit, host, port: l.port })));
    const filter = { name: FILTER, typed_config: typed(whole !== undefined ? bucket(whole) : { stat_prefix: "http_local_rate_limiter" }) };
    // The whole gateway's bucket goes in every HTTP listener; without one, the filter (with no
    // bucket of its own) only where a limited virtual host is: on those listeners' pod ports.
    const inserts =
        whole !== undefined
            ? [httpFilterBeforeRouter(filter)]
            : ctx.podPorts(vhosts.map((v) => v.port)).map((port) => httpFilterBeforeRouter(filter, port));
    const patches = [...inserts, ...vhosts.map((v) => vhostFilterConfig(v.host, v.port, FILTER, typed(bucket(v.limit))))];
    return {
        apiVersion: ENVOY_FILTER_VERSION,
        kind: "EnvoyFilter",
        metadata: meta(`${ctx.names.workload}-local-ratelimit`, ctx.gatewayNamespace, ctx),
        spec: { workloadSelector: { labels: { ...ctx.names.selector } }, priority: ENVOY_FILTER_PRIORITY, configPatches: patches },
    };
}

// ---------------------------------------------------------------- Gateway API

interface ExpandedListener {
    name: string;
    source: Listener;
    hostname?: string;
}

/** Gateway API listeners carry one hostname each: a listener with several hosts becomes several. */
function expandListeners(listeners: Listener[]): ExpandedListener[] {
    return listeners.flatMap((l) => {
        if (l.hosts.includes("*")) return [{ name: l.name, source: l }];
        return l.hosts.map((h, i) => ({ name: l.hosts.length === 1 ? l.name : `${l.name}-${i}`, source: l, hostname: h }));
    });
}

/** What every Gateway API object of a fleet is rendered from. */
interface GatewayApiScope {
    namespace: string;
    ctx: RoutingContext;
    listeners: ExpandedListener[];
    /** Notes that objects of `kind` refer to a `targetKind` in `targetNamespace`, which then needs a ReferenceGrant. */
    grant: (kind: string, targetNamespace: string, targetKind: string) => void;
}

function gatewayApiObjects(routing: RoutingSpec, namespace: string, ctx: RoutingContext): KubeObject[] {
    const grants = new Map<string, Set<string>>();
    const scope: GatewayApiScope = {
        namespace,
        ctx,
        listeners: expandListeners(routing.listeners ?? []),
        grant: (kind, targetNamespace, targetKind) => {
            if (targetNamespace === namespace) return;
            const key = `${targetNamespace}/${targetKind}`;
            (grants.get(key) ?? grants.set(key, new Set()).get(key)!).add(kind);
        },
    };
    const objects: KubeObject[] = [gatewayApiGateway(scope)];
    const redirect = httpsRedirectRoute(scope);
    if (redirect !== undefined) objects.push(redirect);
    for (const r of routing.http ?? []) objects.push(gatewayApiHttpRoute(r, scope));
    for (const r of routing.tcp ?? []) {
        objects.push({
            apiVersion: `${GATEWAY_API_GROUP}/${routeKindVersion("TCPRoute", ctx.target)}`,
            kind: "TCPRoute",
            metadata: meta(`${ctx.gatewayName}-${r.name}`, namespace, ctx),
            spec: {
                parentRefs: scope.listeners
                    .filter((x) => carriesTcp(x.source) && x.source.port === r.port)
                    .map((x) => ({ name: ctx.gatewayName, sectionName: x.name })),
                rules: [{ backendRefs: r.destinations.map((d) => backendRef(d, scope, "TCPRoute")) }],
            },
        });
    }
    for (const r of routing.tls ?? []) {
        objects.push({
            apiVersion: `${GATEWAY_API_GROUP}/${routeKindVersion("TLSRoute", ctx.target)}`,
            kind: "TLSRoute",
            metadata: meta(`${ctx.gatewayName}-${r.name}`, namespace, ctx),
            spec: {
                parentRefs: parentSections(r.sniHosts, isPassthrough, scope),
                hostnames: r.sniHosts,
                rules: [{ backendRefs: r.destinations.map((d) => backendRef(d, scope, "TLSRoute")) }],
            },
        });
    }
    return [...objects, ...referenceGrants(grants, namespace, ctx)];
}

function gatewayApiGateway(scope: GatewayApiScope): KubeObject {
    const { namespace, ctx } = scope;
    return {
        apiVersion: GATEWAY_API_VERSION,
        kind: "Gateway",
        metadata: meta(ctx.gatewayName, namespace, ctx),
        spec: {
            gatewayClassName: "istio",
            // Binds this Gateway to the gateway this product deploys; without it Istio would
            // provision a second gateway Deployment for it.
            addresses: [{ type: "Hostname", value: `${ctx.names.workload}.${ctx.gatewayNamespace}.svc.cluster.local` }],
            listeners: scope.listeners.map((x) => gatewayApiListener(x, scope)),
        },
    };
}

function gatewayApiListener(x: ExpandedListener, scope: GatewayApiScope): Record<string, unknown> {
    const l = x.source;
    const { namespace } = scope;
    const secretNamespace = scope.ctx.gatewayNamespace;
    const protocol = l.protocol === "HTTPS" ? "HTTPS" : l.protocol === "TLS" ? "TLS" : l.protocol === "TCP" ? "TCP" : "HTTP";
    const tls =
        l.tls === undefined
            ? undefined
            : l.tls.mode === "PASSTHROUGH"
              ? { mode: "Passthrough" }
              : {
                    mode: "Terminate",
                    certificateRefs: [
                        compact({
                            kind: "Secret",
                            group: "",
                            name: l.tls.credentialName,
                            namespace: secretNamespace === namespace ? undefined : secretNamespace,
                        }),
                    ],
                };
    if (tls !== undefined && l.tls?.mode !== "PASSTHROUGH") scope.grant("Gateway", secretNamespace, "Secret");
    return compact({
        name: x.name,
        hostname: x.hostname,
        port: l.port,
        protocol,
        tls,
        allowedRoutes: { namespaces: { from: "Same" } },
    });
}

/** The Gateway's listeners a route with these hosts attaches to. */
function parentSections(hosts: string[], accept: (l: Listener) => boolean, scope: GatewayApiScope): Record<string, unknown>[] {
    return scope.listeners
        .filter(
            (x) =>
                accept(x.source) && hosts.some((h) => x.hostname === undefined || hostMatches(x.hostname, h) || hostMatches(h, x.hostname)),
        )
        .map((x) => ({ name: scope.ctx.gatewayName, sectionName: x.name }));
}

function backendRef(d: Destination, scope: GatewayApiScope, kind = "HTTPRoute"): Record<string, unknown> {
    const { namespace } = scope;
    scope.grant(kind, d.namespace ?? namespace, "Service");
    return compact({
        name: d.host,
        namespace: d.namespace !== undefined && d.namespace !== namespace ? d.namespace : undefined,
        port: d.port,
        weight: d.weight,
    });
}

function httpsRedirectRoute(scope: GatewayApiScope): KubeObject | undefined {
    const { namespace, ctx } = scope;
    const redirecting = scope.listeners.filter((x) => x.source.httpsRedirect === true);
    if (redirecting.length === 0) return undefined;
    return {
        apiVersion: GATEWAY_API_VERSION,
        kind: "HTTPRoute",
        metadata: meta(`${ctx.gatewayName}-https-redirect`, namespace, ctx),
        spec: compact({
            parentRefs: redirecting.map((x) => ({ name: ctx.gatewayName, sectionName: x.name })),
            rules: [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }],
        }),
    };
}

function gatewayApiHttpRoute(r: HttpRoute, scope: GatewayApiScope): KubeObject {
    const { namespace, ctx } = scope;
    const filters = httpRouteFilters(r, scope);
    return {
        apiVersion: GATEWAY_API_VERSION,
        kind: "HTTPRoute",
        metadata: meta(`${ctx.gatewayName}-${r.name}`, namespace, ctx),
        spec: compact({
            parentRefs: parentSections(r.hosts, (l) => servesHttp(l) && l.httpsRedirect !== true, scope),
            hostnames: r.hosts.filter((h) => h !== "*"),
            rules: [
                compact({
                    matches: r.match?.map(gatewayApiMatch),
                    filters: filters.length > 0 ? filters : undefined,
                    backendRefs: r.destinations?.map((d) => backendRef(d, scope)),
                    timeouts: r.timeout === undefined ? undefined : { request: r.timeout },
                }),
            ],
        }),
    };
}

function headerFilter(h: HeaderChanges): Record<string, unknown> {
    return compact({
        set: h.set && Object.entries(h.set).map(([name, value]) => ({ name, value })),
        add: h.add && Object.entries(h.add).map(([name, value]) => ({ name, value })),
        remove: h.remove,
    });
}

function httpRouteFilters(r: HttpRoute, scope: GatewayApiScope): Record<string, unknown>[] {
    const filters: Record<string, unknown>[] = [];
    if (r.headers?.request) filters.push({ type: "RequestHeaderModifier", requestHeaderModifier: headerFilter(r.headers.request) });
    if (r.headers?.response) filters.push({ type: "ResponseHeaderModifier", responseHeaderModifier: headerFilter(r.headers.response) });
    if (r.mirror) {
        const { weight: _w, ...target } = backendRef(r.mirror.destination, scope);
        filters.push({ type: "RequestMirror", requestMirror: compact({ backendRef: target, percent: r.mirror.percentage }) });
    }
    if (r.rewrite) {
        filters.push({
            type: "URLRewrite",
            urlRewrite: compact({
                hostname: r.rewrite.authority,
                path: r.rewrite.uri === undefined ? undefined : { type: "ReplacePrefixMatch", replacePrefixMatch: r.rewrite.uri },
            }),
        });
    }
    if (r.redirect) {
        filters.push({
            type: "RequestRedirect",
            requestRedirect: compact({
                scheme: r.redirect.scheme,
                hostname: r.redirect.authority,
                path: r.redirect.uri === undefined ? undefined : { type: "ReplaceFullPath", replaceFullPath: r.redirect.uri },
                statusCode: r.redirect.redirectCode,
            }),
        });
    }
    if (r.cors) {
        filters.push({
            type: "CORS",
            cors: compact({
                allowOrigins: r.cors.allowOrigins,
                allowMethods: r.cors.allowMethods,
                allowHeaders: r.cors.allowHeaders,
                exposeHeaders: r.cors.exposeHeaders,
                maxAge: r.cors.maxAge === undefined ? undefined : durationSeconds(r.cors.maxAge),
                allowCredentials: r.cors.allowCredentials,
            }),
        });
    }
    return filters;
}

/** A ReferenceGrant in each namespace the routes or the Gateway refer into, per kind of object referred to. */
function referenceGrants(grants: Map<string, Set<string>>, namespace: string, ctx: RoutingContext): KubeObject[] {
    return [...grants]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, kinds]) => {
            const [target, targetKind] = key.split("/");
            return {
                apiVersion: REFERENCE_GRANT_VERSION,
                kind: "ReferenceGrant",
                metadata: meta(`${ctx.gatewayName}-${namespace}-${targetKind.toLowerCase()}s`, target, ctx),
                spec: {
                    from: [...kinds].sort().map((kind) => ({ group: "gateway.networking.k8s.io", kind, namespace })),
                    to: [{ group: "", kind: targetKind }],
                },
            };
        });
}

function gatewayApiMatch(m: HttpMatch): Record<string, unknown> {
    const path =
        m.path === undefined
            ? undefined
            : m.path.exact !== undefined
              ? { type: "Exact", value: m.path.exact }
              : m.path.prefix !== undefined
                ? { type: "PathPrefix", value: m.path.prefix }
                : { type: "RegularExpression", value: m.path.regex };
    const list = (o?: Record<string, StringMatch>) =>
        o === undefined
            ? undefined
            : Object.entries(o).map(([name, v]) =>
                  v.regex !== undefined ? { type: "RegularExpression", name, value: v.regex } : { type: "Exact", name, value: v.exact },
              );
    return compact({ path, headers: list(m.headers), queryParams: list(m.queryParams), method: m.method });
}

function durationSeconds(d: string): number {
    const n = parseFloat(d);
    const unit = d.replace(/^[\d.]+/, "");
    return Math.round(n * ({ ms: 0.001, s: 1, m: 60, h: 3600 } as Record<string, number>)[unit]);
}
