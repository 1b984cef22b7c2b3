// A picture of the fleet, drawn the way people sketch it: DNS names, load balancers, each
// cluster's gateway Service and pods, listeners, routes and backends. The graph is built from the
// plans the CLI computes (the core's own layout, load balancer and DNS decisions), written as DOT
// (a pure function, so tests read the graph's nodes and edges from it), and laid out by Graphviz
// compiled to WebAssembly; PNG is rasterised from that SVG by resvg.
import type { FleetPlan, ClusterPlan } from "../core/plan";
import type { KubeObject } from "../core/render/common";
import { planDnsRecords } from "../core/edge";
import { asmOauth2ProxyName, oauth2ProxyName, oidcMeshProvider, oidcProviderName, oidcScope, type OidcSpec } from "../core/oidc";
import { vhostPatches } from "../core/vhostPatch";
import { addressKindOf, NLB_CLASS, type LoadBalancerPlan } from "../core/loadBalancer";
import {
    carriesTcp,
    hostMatches,
    isPassthrough,
    routeBackends,
    servesHttp,
    type Destination,
    type HttpMatch,
    type Listener,
    type RoutingSpec,
    type StringMatch,
} from "../core/routing";
import { DEFAULTS, type GatewaySpec } from "../core/spec";
import type { ClusterChange } from "./diff";

export type NodeKind =
    | "dns"
    | "loadBalancer"
    | "service"
    | "pods"
    | "controlPlane"
    | "listener"
    | "route"
    | "backend"
    | "external"
    | "authz"
    | "meshConfig"
    | "legend";
export type ChangeKind = "added" | "removed" | "changed";

export interface GraphNode {
    id: string;
    kind: NodeKind;
    title: string;
    details: string[];
    /** The box (Graphviz cluster) the node sits in; undefined: the top level. */
    group?: string;
    /** Fields of `overrides[clusterId]` this node shows the effect of. */
    override?: string[];
    /** A problem worth seeing in the picture (a reused load balancer nothing forwards to). */
    warning?: string;
    /** Diff: the fields whose change restarts the gateway pods. */
    restarts?: string[];
    /** Diff: the fields that change (from the diff's own per-cluster list). */
    changedFields?: string[];
    change?: ChangeKind;
    /** What the node stands for, compared between two plans to see whether it changes. */
    fingerprint: string;
}

/** `authz`: the gateway asks an authorization service; `names`: a mesh config entry points at a Service. */
export type EdgeKind = "traffic" | "mirror" | "renders" | "authz" | "names";

export interface GraphEdge {
    from: string;
    to: string;
    kind: EdgeKind;
    label?: string;
    /** Tells apart edges between the same two nodes (a route's destinations by subset). */
    key?: string;
    change?: ChangeKind;
}

export interface GraphGroup {
    id: string;
    label: string;
    parent?: string;
    change?: ChangeKind;
}

export interface FleetGraph {
    groups: GraphGroup[];
    nodes: GraphNode[];
    edges: GraphEdge[];
    /** Drawn as a diff: changes coloured, a legend for the colours. */
    diff: boolean;
}

/** Spec fields drawn on the load balancer nodes, the Service node, and (all others) the pods node. */
const LB_FIELDS = new Set(["loadBalancer", "additionalLoadBalancers"]);
const SERVICE_FIELDS = new Set([
    "ports",
    "serviceType",
    "serviceAnnotations",
    "serviceLabels",
    "externalTrafficPolicy",
    "loadBalancerClass",
    "loadBalancerIP",
    "loadBalancerSourceRanges",
    "ipFamilies",
    "ipFamilyPolicy",
    "externalIPs",
]);

const MAX_LIST = 3;

function list(items: string[], max = MAX_LIST): string {
    return items.length <= max ? items.join(", ") : `${items.slice(0, max).join(", ")} +${items.length - max} more`;
}

/** Canonical JSON: keys sorted (a config's key order changes nothing), Outputs as a stand-in. */
function json(value: unknown): string {
    return (
        JSON.stringify(value, (_k, v: unknown) => {
            if (typeof v !== "object" || v === null || Array.isArray(v)) return v;
            if (
                typeof (v as { then?: unknown; apply?: unknown }).then === "function" ||
                typeof (v as { apply?: unknown }).apply === "function"
            )
                return "<output>";
            return Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
        }) ?? ""
    );
}

/** The graph of every gateway in the plans. */
export function buildFleetGraph(plans: FleetPlan[]): FleetGraph {
    const graph: FleetGraph = { groups: [], nodes: [], edges: [], diff: false };
    for (const plan of plans) addFleet(graph, plan);
    return graph;
}

function addFleet(g: FleetGraph, plan: FleetPlan): void {
    const { fleet } = plan;
    const gw = plan.name;
    const at = (...parts: string[]) => [gw, ...parts].join("/");
    const gatewayType = fleet.gateway.gatewayType ?? DEFAULTS.gatewayType;
    const top = at("gateway");
    g.groups.push({ id: top, label: `gateway ${gw}: ${plan.mode} mode, ${gatewayType}, namespace ${plan.namespace}` });
    const routing = fleet.routing;

    // Per cluster: load balancers, Services, pods.
    const podsOf = new Map<string, string>();
    const lbNodeOf = new Map<string, string>();
    for (const c of plan.clusters) {
        const cluster = fleet.clusters.find((x) => x.id === c.clusterId);
        const box = at("cluster", c.clusterId);
        const overridden = Object.keys(fleet.gateway.overrides?.[c.clusterId] ?? {});
        g.groups.push({ id: box, parent: top, label: `cluster ${c.clusterId}${cluster?.region ? ` (${cluster.region})` : ""}` });
        const pods = at(c.clusterId, "pods");
        podsOf.set(c.clusterId, pods);
        g.nodes.push(
            podsNode(
                plan,
                c,
                pods,
                box,
                overridden.filter((f) => !LB_FIELDS.has(f) && !SERVICE_FIELDS.has(f)),
            ),
        );

        const s = c.spec;
        const serviceType = s.serviceType ?? DEFAULTS.serviceType[s.gatewayType ?? DEFAULTS.gatewayType];
        const ports = s.ports ?? DEFAULTS.ports;
        const serviceOverrides = overridden.filter((f) => SERVICE_FIELDS.has(f));
        const mainService = at(c.clusterId, "service", plan.names.workload);
        g.nodes.push({
            id: mainService,
            kind: "service",
            title: `Service ${plan.names.workload}`,
            details: [
                `${serviceType}${s.externalTrafficPolicy && serviceType !== "ClusterIP" ? `, externalTrafficPolicy ${s.externalTrafficPolicy}` : ""}`,
                portsLine(ports),
            ],
            group: box,
            override: serviceOverrides.length > 0 ? serviceOverrides : undefined,
            fingerprint: json([...SERVICE_FIELDS].map((f) => s[f as keyof GatewaySpec])),
        });
        g.edges.push({ from: mainService, to: pods, kind: "traffic" });

        const lbOverride = (lb: LoadBalancerPlan) =>
            lb.path.includes("overrides") ? [lb.key === "default" ? "loadBalancer" : "additionalLoadBalancers"] : undefined;
        for (const lb of c.loadBalancers) {
            let service = mainService;
            if (lb.key !== "default") {
                service = at(c.clusterId, "service", lb.serviceName);
                g.nodes.push({
                    id: service,
                    kind: "service",
                    title: `Service ${lb.serviceName}`,
                    details: ["LoadBalancer, same pods", portsLine(lb.ports)],
                    group: box,
                    fingerprint: json(lb.ports),
                });
                g.edges.push({ from: service, to: pods, kind: "traffic" });
            }
            const id = at(c.clusterId, "lb", lb.key);
            lbNodeOf.set(`${c.clusterId}/${lb.key}`, id);
            g.nodes.push(loadBalancerNode(lb, id, box, lbOverride(lb)));
            g.edges.push({ from: id, to: service, kind: "traffic" });
        }
        if (serviceType === "LoadBalancer" && !c.loadBalancers.some((lb) => lb.key === "default")) {
            // No `loadBalancer`: the cloud controller makes one from the Service's own annotations.
            const id = at(c.clusterId, "lb", "default");
            lbNodeOf.set(`${c.clusterId}/default`, id);
            const annotations = s.serviceAnnotations ?? {};
            const addressType = Object.entries(annotations).find(([k]) => k.endsWith("loadbalancer-address-type"))?.[1] ?? "internet";
            g.nodes.push({
                id,
                kind: "loadBalancer",
                title: `${s.loadBalancerClass === NLB_CLASS ? "NLB" : "CLB"} · ${addressType}`,
                details: ["created by the cloud controller", "from the Service's annotations"],
                group: box,
                fingerprint: json(s.serviceAnnotations),
            });
            g.edges.push({ from: id, to: mainService, kind: "traffic" });
        }
    }

    // An egress gateway's traffic comes from the workloads' sidecars, inside each cluster.
    if (gatewayType === "egress") {
        for (const c of plan.clusters) {
            const id = at(c.clusterId, "sidecars");
            g.nodes.push({
                id,
                kind: "external",
                title: "sidecars in the mesh",
                details: ["traffic leaving the mesh"],
                group: at("cluster", c.clusterId),
                fingerprint: "",
            });
            g.edges.push({ from: id, to: at(c.clusterId, "service", plan.names.workload), kind: "traffic" });
        }
    }

    // asm mode: one IstioGateway on the control plane, which ASM renders in every cluster.
    if (plan.mode === "asm") {
        const id = at("istiogateway");
        g.nodes.push({
            id,
            kind: "controlPlane",
            title: `IstioGateway ${gw}`,
            details: ["on the ASM control plane", `clusterIds: ${list(plan.clusters.map((c) => c.clusterId))}`],
            group: top,
            fingerprint: json({ clusters: plan.clusters.map((c) => c.clusterId) }),
        });
        for (const c of plan.clusters) g.edges.push({ from: id, to: podsOf.get(c.clusterId)!, kind: "renders", label: "ASM renders" });
    }

    // DNS names, one node per published name, an edge per record.
    if (fleet.dns !== undefined) {
        const records = planDnsRecords(
            fleet.dns,
            routing,
            plan.clusters.map((c) => c.clusterId),
        );
        const names = [...new Set(records.map((r) => r.name))];
        for (const name of names) {
            const id = at("dns", name);
            g.nodes.push({
                id,
                kind: "dns",
                title: name,
                details: [
                    `${fleet.dns.privateZoneId !== undefined ? "PrivateZone" : "Alibaba Cloud DNS"}, zone ${fleet.dns.zone}, TTL ${fleet.dns.ttl ?? DEFAULTS.dnsTtl} s`,
                ],
                group: top,
                fingerprint: json({ dns: { ...fleet.dns, privateZoneId: fleet.dns.privateZoneId !== undefined }, name }),
            });
            for (const r of records.filter((x) => x.name === name)) {
                const c = plan.clusters.find((x) => x.clusterId === r.clusterId)!;
                const lb = c.loadBalancers.find((x) => x.key === r.loadBalancer);
                const to = lbNodeOf.get(`${r.clusterId}/${r.loadBalancer}`) ?? at(r.clusterId, "service", plan.names.workload);
                const kind = lb === undefined ? undefined : addressKindOf(lb);
                g.edges.push({
                    from: id,
                    to,
                    kind: "traffic",
                    label: kind === undefined ? "record" : kind === "hostname" ? "CNAME" : kind === "IPv6" ? "AAAA" : "A",
                });
            }
        }
    }

    if (fleet.security?.oidc !== undefined) addLogin(g, plan, fleet.security.oidc, top, podsOf);
    if (routing !== undefined) addRouting(g, plan, routing, top, podsOf);
}

/**
 * The login: oauth2-proxy beside the gateway pods in each cluster that runs it (the objects
 * planned there say which), the gateway asking it on every request in the login's scope, and
 * the mesh config's extension provider the CUSTOM policy names, which points at its Service:
 * an entry the component cannot apply, drawn outside the clusters with what it takes.
 */
function addLogin(g: FleetGraph, plan: FleetPlan, oidc: OidcSpec, top: string, podsOf: Map<string, string>): void {
    if (plan.mode === "asm") return addAsmLogin(g, plan, oidc, top, podsOf);
    const at = (...parts: string[]) => [plan.name, ...parts].join("/");
    const name = oauth2ProxyName(plan.names);
    const provider = oidcMeshProvider(oidc, plan.name, plan.namespace, plan.names);
    const scope = oidcScope(oidc);
    const runsHere = (objects: readonly KubeObject<unknown>[]) => objects.some((o) => o.kind === "Deployment" && o.metadata.name === name);
    const providerId = at("mesh-provider", provider.name);
    g.nodes.push({
        id: providerId,
        kind: "meshConfig",
        title: `extension provider ${provider.name}`,
        details: [
            `envoyExtAuthzHttp → ${provider.envoyExtAuthzHttp.service}:${provider.envoyExtAuthzHttp.port}`,
            "in istiod's mesh config, which the component does not apply",
        ],
        warning: "until it is there, Istio denies the login's scope",
        group: top,
        fingerprint: json(provider),
    });
    const login = [
        `OIDC ${oidc.issuerUrl.replace(/^https:\/\//, "")} · client ${oidc.clientId}`,
        `login on ${list(scope.hosts, 2)}${scope.paths === undefined ? "" : ` ${list(scope.paths, 3)}`}`,
    ];
    const admitted = [
        oidc.allowedGroups && `groups ${list(oidc.allowedGroups, 2)}`,
        oidc.allowedEmails && `${oidc.allowedEmails.length} email${oidc.allowedEmails.length === 1 ? "" : "s"}`,
        oidc.allowedEmailDomains && `domains ${list(oidc.allowedEmailDomains, 2)}`,
    ].filter((x): x is string => typeof x === "string");
    const { clientSecret: _c, cookieSecret: _k, ...shown } = oidc;
    for (const c of plan.clusters) {
        if (!runsHere(c.objects)) continue;
        const id = at(c.clusterId, "oauth2-proxy");
        g.nodes.push({
            id,
            kind: "authz",
            title: `oauth2-proxy ${name}`,
            details: [`${oidc.replicas ?? 2} replicas · :${provider.envoyExtAuthzHttp.port}`, ...login, `admits ${admitted.join(", ")}`],
            group: at("cluster", c.clusterId),
            fingerprint: json(shown),
        });
        g.edges.push({ from: podsOf.get(c.clusterId)!, to: id, kind: "authz", label: "CUSTOM policy: login check" });
        g.edges.push({ from: providerId, to: id, kind: "names" });
    }
}

/**
 * The login in asm mode: the component registers the extension provider through ASM's API, and ASM
 * runs oauth2-proxy itself; the gateway pods of every cluster ask it.
 */
function addAsmLogin(g: FleetGraph, plan: FleetPlan, oidc: OidcSpec, top: string, podsOf: Map<string, string>): void {
    const provider = oidcProviderName(oidc, plan.name, "asm");
    const scope = oidcScope(oidc);
    const id = [plan.name, "asm-provider", provider].join("/");
    const { clientSecret: _c, cookieSecret: _k, ...shown } = oidc;
    g.nodes.push({
        id,
        kind: "authz",
        title: `ASM extension provider ${provider}`,
        details: [
            "registered through ASM's API by the component",
            `oauth2-proxy ${asmOauth2ProxyName(oidc, plan.name)}.istio-system (run by ASM)`,
            `OIDC ${oidc.issuerUrl.replace(/^https:\/\//, "")} · client ${oidc.clientId}`,
            `login on ${list(scope.hosts, 2)}${scope.paths === undefined ? "" : ` ${list(scope.paths, 3)}`}`,
            "admits everyone the issuer authenticates",
        ],
        group: top,
        fingerprint: json(shown),
    });
    for (const c of plan.clusters) {
        const pods = podsOf.get(c.clusterId);
        if (pods !== undefined) g.edges.push({ from: pods, to: id, kind: "authz", label: "CUSTOM policy: login check" });
    }
}

function portsLine(ports: { name: string; port: number }[]): string {
    return `ports ${list(
        ports.map((p) => `${p.name} ${p.port}`),
        4,
    )}`;
}

interface RenderedWorkload {
    kind: string;
    spec?: { replicas?: number };
}

interface RenderedHpa {
    spec?: {
        minReplicas?: number;
        maxReplicas?: number;
        metrics?: { resource?: { name?: string; target?: { averageUtilization?: number } } }[];
    };
}

/**
 * How many pods: in istio mode as the rendered objects have it (a DaemonSet's pod per node, the
 * HPA's range and targets, or the Deployment's replicas); in asm mode, where ASM renders the
 * workload, as the cluster's effective spec gives it to ASM.
 */
function scalingOf(plan: FleetPlan, c: ClusterPlan): { kind: string; scaling: string } {
    const s = c.spec;
    const replicas = (n: number) => `${n} replica${n === 1 ? "" : "s"}`;
    const range = (min: number, max: number | string, targets: string[]) =>
        `HPA ${min}–${max} replicas${targets.length > 0 ? ` at ${targets.join(", ")}` : ""}`;
    if (plan.mode === "asm") {
        const targets = [
            s.cpu && `cpu ${s.cpu.targetAverageUtilization}%`,
            s.memory && `memory ${s.memory.targetAverageUtilization}%`,
        ].filter((x): x is string => typeof x === "string");
        const hpa = s.maxReplicas !== undefined || s.autoscaleEnabled === true;
        return {
            kind: "gateway pods",
            scaling: hpa ? range(s.minReplicas ?? 1, s.maxReplicas ?? "?", targets) : replicas(s.replicaCount ?? DEFAULTS.replicaCount),
        };
    }
    const mine = (o: KubeObject) => o.metadata.name === plan.names.workload && o.metadata.namespace === plan.namespace;
    const workload = c.objects.find((o) => (o.kind === "Deployment" || o.kind === "DaemonSet") && mine(o)) as
        (KubeObject & RenderedWorkload) | undefined;
    const hpa = c.objects.find((o) => o.kind === "HorizontalPodAutoscaler" && mine(o)) as (KubeObject & RenderedHpa) | undefined;
    const kind = workload?.kind ?? "Deployment";
    if (kind === "DaemonSet") return { kind, scaling: "one pod per node" };
    if (hpa !== undefined) {
        const targets = (hpa.spec?.metrics ?? []).map((m) => `${m.resource?.name} ${m.resource?.target?.averageUtilization}%`);
        return { kind, scaling: range(hpa.spec?.minReplicas ?? 1, hpa.spec?.maxReplicas ?? "?", targets) };
    }
    return { kind, scaling: replicas(workload?.spec?.replicas ?? 1) };
}

function podsNode(plan: FleetPlan, c: ClusterPlan, id: string, group: string, override: string[]): GraphNode {
    const s = c.spec;
    const { kind, scaling } = scalingOf(plan, c);
    const requests = s.resources?.requests;
    const details = [scaling];
    if (requests !== undefined) details.push(`requests ${[requests.cpu, requests.memory].filter((x) => x !== undefined).join(" / ")}`);
    details.push(`drain ${plan.drainSeconds} s`);
    const security = plan.fleet.security;
    if (security !== undefined) {
        const rules = [
            security.ipAllow && `IP allow ${list(security.ipAllow, 2)}`,
            security.ipDeny && `IP deny ${list(security.ipDeny, 2)}`,
            security.jwt &&
                `JWT ${list(
                    security.jwt.map((j) => j.issuer),
                    1,
                )}`,
            security.customAuth &&
                `ext-authz ${list(
                    security.customAuth.map((a) => a.provider),
                    1,
                )}`,
            security.oidc && `OIDC login ${security.oidc.issuerUrl.replace(/^https:\/\//, "")}`,
        ].filter((x): x is string => typeof x === "string");
        details.push(...rules);
    }
    const { loadBalancer: _lb, additionalLoadBalancers: _extra, overrides: _o, ...workload } = s as GatewaySpec & { overrides?: unknown };
    return {
        id,
        kind: "pods",
        title: plan.mode === "asm" ? `gateway pods ${plan.names.workload} (by ASM)` : `${kind} ${plan.names.workload}`,
        details,
        group,
        override: override.length > 0 ? override : undefined,
        fingerprint: json({ workload, mode: plan.mode, drain: plan.drainSeconds, security }),
    };
}

function loadBalancerNode(lb: LoadBalancerPlan, id: string, group: string, override: string[] | undefined): GraphNode {
    const s = lb.settings;
    const ip = s.ipVersion === "ipv4" ? "" : `, ${s.ipVersion}`;
    const details: string[] = [];
    let warning: string | undefined;
    if (lb.create) {
        details.push(`created, deletion protection ${s.deletionProtection === false ? "off" : "on"}`);
    } else {
        details.push(`reused ${typeof s.existingId === "string" ? s.existingId : "(id from another resource)"}`);
        if (s.forceOverrideListeners) details.push("listeners written on the gateway's ports");
        else if (s.vServerGroups !== undefined)
            details.push(
                `pods join vServer groups ${list(
                    s.vServerGroups.map((v) => `${v.port}→${v.id}`),
                    2,
                )}`,
            );
        else warning = "no listener forwards to the gateway";
    }
    if (s.tls !== undefined) details.push(`TLS at the ${s.type} on ${s.tls.ports.join(", ")} (${s.tls.certificate})`);
    return {
        id,
        kind: "loadBalancer",
        title: `${s.type} · ${s.addressType}${ip}`,
        details,
        group,
        override,
        warning,
        fingerprint: json({
            ...s,
            existingId: typeof s.existingId === "string" ? s.existingId : s.existingId === undefined ? undefined : "<output>",
            ports: lb.ports,
        }),
    };
}

function matchLine(m: HttpMatch): string {
    const str = (x: StringMatch) =>
        x.exact !== undefined ? `exact ${x.exact}` : x.prefix !== undefined ? `prefix ${x.prefix}` : `regex ${x.regex}`;
    const parts = [
        m.method,
        m.path && str(m.path),
        ...Object.entries(m.headers ?? {}).map(([k, v]) => `${k} ${str(v)}`),
        ...Object.entries(m.queryParams ?? {}).map(([k, v]) => `?${k} ${str(v)}`),
    ].filter((x): x is string => typeof x === "string");
    return parts.join(" ");
}

function addRouting(g: FleetGraph, plan: FleetPlan, routing: RoutingSpec, top: string, podsOf: Map<string, string>): void {
    const gw = plan.name;
    const at = (...parts: string[]) => [gw, ...parts].join("/");
    const namespace = routing.namespace ?? plan.namespace;
    const box = at("routing");
    const where = plan.mode === "asm" ? "on the ASM control plane, applied in every cluster" : "the same in every cluster";
    g.groups.push({ id: box, parent: top, label: `routing: ${routing.api ?? "istio"} API, namespace ${namespace}, ${where}` });
    const listeners = routing.listeners ?? [];
    const listenerId = (l: Listener) => at("listener", l.name);
    const certificates = plan.fleet.certificates ?? [];
    const transcoding = routing.grpcTranscoding ?? [];
    const transcodedHosts = transcoding.flatMap((t) => t.hosts);
    const placement = vhostPatches(routing);
    const oidc = plan.fleet.security?.oidc;

    for (const l of listeners) {
        const details = [list(l.hosts)];
        if (l.tls !== undefined) {
            const cert = certificates.find((x) => x.name === l.tls!.credentialName);
            const source =
                cert === undefined
                    ? ""
                    : cert.certManager
                      ? ` from cert-manager ${cert.certManager.issuer}`
                      : cert.pem
                        ? " (PEM)"
                        : cert.existingSecret
                          ? " (existing Secret)"
                          : "";
            details.push(
                l.tls.mode === "PASSTHROUGH"
                    ? "TLS passed through (routed by SNI)"
                    : `TLS ${l.tls.mode}${l.tls.credentialName ? ` · cert ${l.tls.credentialName}${source}` : ""}`,
            );
        }
        if (l.httpsRedirect) details.push("redirects to HTTPS (301)");
        const transcoded = transcodedHosts.filter((h) => placement.listeners(h).includes(l));
        if (transcoded.length > 0) details.push(`gRPC-JSON transcoding for ${list(transcoded, 2)}`);
        for (const rl of routing.rateLimits ?? []) {
            // A per-host limit is where its patch goes (not on a listener that redirects); a whole-gateway one on every HTTP listener.
            const whole = (rl.hosts ?? []).length === 0;
            const hosts = (rl.hosts ?? []).filter((h) => placement.listeners(h).includes(l));
            if (servesHttp(l) && (whole || hosts.length > 0))
                details.push(`rate limit ${rl.requests}/${rl.unit} per pod${whole ? "" : ` (${list(hosts, 1)})`}`);
        }
        g.nodes.push({
            id: listenerId(l),
            kind: "listener",
            title: `listener ${l.name} · ${l.protocol} :${l.port}`,
            details,
            group: box,
            fingerprint: json({
                l,
                rl: routing.rateLimits,
                cert: certificates.find((x) => x.name === l.tls?.credentialName)?.certManager,
                transcoded,
            }),
        });
        for (const c of plan.clusters) {
            if ((c.spec.ports ?? DEFAULTS.ports).some((p) => p.port === l.port))
                g.edges.push({ from: podsOf.get(c.clusterId)!, to: listenerId(l), kind: "traffic" });
        }
    }

    const backendId = (d: Destination) =>
        d.host.includes(".") ? at("backend", d.host) : at("backend", `${d.host}.${d.namespace ?? namespace}`);
    const backends = new Map<string, Destination>();
    const toBackends = (route: string, destinations: Destination[] | undefined) => {
        for (const d of destinations ?? []) {
            backends.set(backendId(d), d);
            const label = [
                d.weight !== undefined ? `${d.weight}%` : undefined,
                d.subset && `subset ${d.subset}`,
                d.port !== undefined ? `:${d.port}` : undefined,
            ]
                .filter((x) => x)
                .join(" ");
            g.edges.push({ from: route, to: backendId(d), kind: "traffic", label: label || undefined, key: d.subset });
        }
    };
    // Which listener a route attaches to follows the renderer's rule (Gateway API parentRefs,
    // and the Istio server a VirtualService's hosts select): a redirecting listener takes none.
    const hostsMeet = (l: Listener, hosts: string[]) => hosts.some((h) => l.hosts.some((p) => hostMatches(p, h) || hostMatches(h, p)));
    /** Backends of transcoded hosts: the gateway speaks HTTP/2 to them. */
    const http2 = new Set<string>();

    for (const r of routing.http ?? []) {
        const id = at("route", "http", r.name);
        const details = [list(r.hosts, 2)];
        if (r.match !== undefined && r.match.length > 0) details.push(list(r.match.map(matchLine), 2));
        if (r.redirect)
            details.push(
                `redirect → ${r.redirect.scheme ? `${r.redirect.scheme}://` : ""}${r.redirect.authority ?? ""}${r.redirect.uri ?? ""} (${r.redirect.redirectCode ?? 301})`,
            );
        if (r.rewrite)
            details.push(`rewrite ${[r.rewrite.uri, r.rewrite.authority && `host ${r.rewrite.authority}`].filter((x) => x).join(", ")}`);
        const policy = [
            r.timeout && `timeout ${r.timeout}`,
            r.retries && `retries ${r.retries.attempts}`,
            r.cors && "CORS",
            r.fault && "fault injection",
            r.headers && "header changes",
        ];
        const shown = policy.filter((x): x is string => typeof x === "string");
        if (shown.length > 0) details.push(shown.join(", "));
        // What the gateway does before the route: the login and the transcoder, on the route's hosts.
        const services = transcoding.filter((t) => t.hosts.some((h) => r.hosts.includes(h))).flatMap((t) => t.services);
        if (services.length > 0) details.push(`JSON → gRPC ${list(services, 1)}`);
        const guarded = oidc !== undefined && oidc.hosts.some((h) => r.hosts.some((x) => hostMatches(x, h) || hostMatches(h, x)));
        if (guarded) details.push(`login${oidc.paths === undefined ? "" : ` on ${list(oidcScope(oidc).paths!, 2)}`}`);
        g.nodes.push({
            id,
            kind: "route",
            title: `HTTP route ${r.name}`,
            details,
            group: box,
            fingerprint: json({ r, services, login: guarded ? oidcScope(oidc) : undefined }),
        });
        if (services.length > 0) for (const d of routeBackends(r)) http2.add(backendId(d));
        for (const l of listeners)
            if (servesHttp(l) && l.httpsRedirect !== true && hostsMeet(l, r.hosts))
                g.edges.push({ from: listenerId(l), to: id, kind: "traffic" });
        toBackends(id, r.destinations);
        if (r.mirror) {
            backends.set(backendId(r.mirror.destination), r.mirror.destination);
            g.edges.push({ from: id, to: backendId(r.mirror.destination), kind: "mirror", label: `mirror ${r.mirror.percentage ?? 100}%` });
        }
    }
    for (const r of routing.tcp ?? []) {
        const id = at("route", "tcp", r.name);
        g.nodes.push({ id, kind: "route", title: `TCP route ${r.name}`, details: [`port ${r.port}`], group: box, fingerprint: json(r) });
        for (const l of listeners) if (carriesTcp(l) && l.port === r.port) g.edges.push({ from: listenerId(l), to: id, kind: "traffic" });
        toBackends(id, r.destinations);
    }
    for (const r of routing.tls ?? []) {
        const id = at("route", "tls", r.name);
        g.nodes.push({
            id,
            kind: "route",
            title: `TLS route ${r.name}`,
            details: [`SNI ${list(r.sniHosts, 2)}`],
            group: box,
            fingerprint: json(r),
        });
        for (const l of listeners)
            if (isPassthrough(l) && hostsMeet(l, r.sniHosts)) g.edges.push({ from: listenerId(l), to: id, kind: "traffic" });
        toBackends(id, r.destinations);
    }

    if (backends.size > 0) {
        const backendBox = at("backends");
        g.groups.push({ id: backendBox, parent: top, label: "destinations in the mesh" });
        for (const [id, d] of [...backends.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
            const policy = routing.backends?.[d.host];
            const details: string[] = [];
            if (policy?.subsets) details.push(`subsets ${list(Object.keys(policy.subsets))}`);
            if (policy?.loadBalancer) details.push(policy.loadBalancer);
            if (policy?.connectionPool?.maxConnections !== undefined)
                details.push(`max ${policy.connectionPool.maxConnections} connections`);
            if (policy?.outlierDetection) details.push(`ejects after ${policy.outlierDetection.consecutive5xxErrors ?? 5}× 5xx`);
            if (http2.has(id)) details.push("HTTP/2 from the gateway (gRPC)");
            g.nodes.push({
                id,
                kind: "backend",
                title: d.host.includes(".") ? d.host : `${d.host}.${d.namespace ?? namespace}`,
                details,
                group: backendBox,
                fingerprint: json({ policy, http2: http2.has(id) }),
            });
        }
    }

    for (const e of routing.egress ?? []) {
        const port = e.port ?? (e.protocol === "TLS" ? 443 : 80);
        const id = at("egress", `${e.host}:${port}`);
        g.nodes.push({
            id,
            kind: "external",
            title: `${e.host}:${port}`,
            details: [e.protocol === "TLS" ? "egress, TLS by SNI" : "egress, plain HTTP"],
            group: top,
            fingerprint: json(e),
        });
        for (const c of plan.clusters) g.edges.push({ from: podsOf.get(c.clusterId)!, to: id, kind: "traffic", label: "egress" });
    }
}

const edgeKey = (e: GraphEdge) => `${e.from}\u0000${e.to}\u0000${e.kind}\u0000${e.key ?? ""}`;

/**
 * The two graphs in one: what only the new plan has is added, what only the old one has is
 * removed (drawn, faded), what differs is changed. The pods of a cluster whose change restarts
 * them carry the restarting fields, from the diff's own per-cluster verdict.
 */
export function diffFleetGraphs(before: FleetGraph, after: FleetGraph, changes: ClusterChange[]): FleetGraph {
    const old = new Map(before.nodes.map((n) => [n.id, n]));
    const next = new Map(after.nodes.map((n) => [n.id, n]));
    const nodes: GraphNode[] = after.nodes.map((n) => {
        const o = old.get(n.id);
        if (o === undefined) return { ...n, change: "added" };
        const same =
            o.fingerprint === n.fingerprint &&
            o.title === n.title &&
            json(o.details) === json(n.details) &&
            json(o.override) === json(n.override);
        return same ? n : { ...n, change: "changed" };
    });
    for (const n of before.nodes) if (!next.has(n.id)) nodes.push({ ...n, change: "removed" });

    for (const c of changes) {
        if (c.kind !== "changed") continue;
        const pods = nodes.find((n) => n.id === `${c.gateway}/${c.cluster}/pods`);
        if (pods === undefined) continue;
        pods.changedFields = c.changes.map((x) => x.field);
        const restarting = c.changes.filter((x) => x.restarts).map((x) => x.field);
        if (restarting.length > 0) pods.restarts = restarting;
        pods.change ??= "changed";
    }

    const oldEdges = new Map(before.edges.map((e) => [edgeKey(e), e]));
    const newEdges = new Map(after.edges.map((e) => [edgeKey(e), e]));
    const edges: GraphEdge[] = after.edges.map((e) => {
        const o = oldEdges.get(edgeKey(e));
        if (o === undefined) return { ...e, change: "added" };
        return o.label === e.label ? e : { ...e, change: "changed" };
    });
    for (const e of before.edges) if (!newEdges.has(edgeKey(e))) edges.push({ ...e, change: "removed" });

    const groups = new Map<string, GraphGroup>();
    for (const gr of before.groups) groups.set(gr.id, { ...gr, change: "removed" });
    for (const gr of after.groups) groups.set(gr.id, { ...gr, change: before.groups.some((x) => x.id === gr.id) ? undefined : "added" });
    return { groups: [...groups.values()], nodes, edges, diff: true };
}

// ---------------------------------------------------------------- DOT

const FONT = "Helvetica";
export const OVERRIDE_MARK = "◆";
export const RESTART_MARK = "↻";
export const WARNING_MARK = "⚠";

const FILL: Record<NodeKind, string> = {
    dns: "#e3eefc",
    loadBalancer: "#fdebd3",
    service: "#e6f4ea",
    pods: "#cfe8d5",
    controlPlane: "#efe3fb",
    listener: "#fff6cc",
    route: "#f1f3f5",
    backend: "#e8e6f8",
    external: "#ffffff",
    authz: "#fde2e4",
    meshConfig: "#ffffff",
    legend: "#ffffff",
};

const SHAPE: Record<NodeKind, string> = {
    dns: "note",
    loadBalancer: "box",
    service: "box",
    pods: "box3d",
    controlPlane: "component",
    listener: "box",
    route: "box",
    backend: "box",
    external: "box",
    authz: "box",
    meshConfig: "note",
    legend: "plaintext",
};

const CHANGE_COLOR: Record<ChangeKind, string> = { added: "#1a7f37", changed: "#b35900", removed: "#cf222e" };
const CHANGE_FILL: Record<ChangeKind, string> = { added: "#d2f4dc", changed: "#ffe8c2", removed: "#ffe3e6" };
const OVERRIDE_COLOR = "#6f42c1";
const AUTHZ_COLOR = "#bf3989";

function html(text: string): string {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function quote(text: string): string {
    return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

function nodeLabel(n: GraphNode): string {
    const rows: string[] = [`<B>${html(n.title)}</B>`];
    for (const d of n.details) rows.push(`<FONT POINT-SIZE="10" COLOR="#444444">${html(d)}</FONT>`);
    if (n.override)
        rows.push(`<FONT POINT-SIZE="10" COLOR="${OVERRIDE_COLOR}">${OVERRIDE_MARK} override: ${html(list(n.override, 4))}</FONT>`);
    if (n.warning) rows.push(`<FONT POINT-SIZE="10" COLOR="#cf222e"><B>${WARNING_MARK} ${html(n.warning)}</B></FONT>`);
    if (n.changedFields) {
        const quiet = n.changedFields.filter((f) => !(n.restarts ?? []).includes(f));
        if (quiet.length > 0) rows.push(`<FONT POINT-SIZE="10" COLOR="${CHANGE_COLOR.changed}">changes: ${html(list(quiet, 4))}</FONT>`);
    }
    if (n.restarts)
        rows.push(`<FONT POINT-SIZE="10" COLOR="#cf222e"><B>${RESTART_MARK} restarts pods: ${html(list(n.restarts, 4))}</B></FONT>`);
    if (n.change) rows.push(`<FONT POINT-SIZE="10" COLOR="${CHANGE_COLOR[n.change]}"><I>${n.change}</I></FONT>`);
    return `<${rows.join("<BR/>")}>`;
}

function nodeAttributes(n: GraphNode): Record<string, string> {
    const a: Record<string, string> = { label: nodeLabel(n), shape: SHAPE[n.kind], fillcolor: FILL[n.kind], color: "#57606a" };
    const style = ["filled"];
    if (n.kind === "dns" || n.kind === "route" || n.kind === "backend") style.push("rounded");
    if (n.kind === "external" || n.kind === "meshConfig") style.push("dashed");
    if (n.override) {
        a.color = OVERRIDE_COLOR;
        a.penwidth = "2";
    }
    if (n.change) {
        a.color = CHANGE_COLOR[n.change];
        a.fillcolor = CHANGE_FILL[n.change];
        a.penwidth = "2.5";
        if (n.change === "removed") {
            style.push("dashed");
            a.fontcolor = "#8c959f";
        }
    }
    if (n.restarts) {
        a.penwidth = "3.5";
        a.color = "#cf222e";
    }
    a.style = style.join(",");
    return a;
}

function attributes(a: Record<string, string | undefined>): string {
    const parts = Object.entries(a)
        .filter((e): e is [string, string] => e[1] !== undefined)
        .map(([k, v]) => `${k}=${v.startsWith("<") && v.endsWith(">") ? v : quote(v)}`);
    return parts.length > 0 ? ` [${parts.join(", ")}]` : "";
}

function legend(graph: FleetGraph): GraphNode | undefined {
    const rows: string[] = [];
    if (graph.nodes.some((n) => n.override))
        rows.push(`<FONT COLOR="${OVERRIDE_COLOR}">${OVERRIDE_MARK} set by overrides[cluster] for this cluster only</FONT>`);
    if (graph.diff) {
        rows.push(`<FONT COLOR="${CHANGE_COLOR.added}">green: added</FONT>`);
        rows.push(`<FONT COLOR="${CHANGE_COLOR.changed}">orange: changed</FONT>`);
        rows.push(`<FONT COLOR="${CHANGE_COLOR.removed}">red, dashed: removed</FONT>`);
        rows.push(`<FONT COLOR="#cf222e">${RESTART_MARK} the change restarts the gateway pods (rolling)</FONT>`);
    }
    if (rows.length === 0) return undefined;
    return { id: "legend", kind: "legend", title: "", details: rows, fingerprint: "" };
}

/**
 * The graph as Graphviz DOT: left to right, one box per gateway, cluster and routing table.
 * Deterministic: the same graph gives the same text.
 */
export function toDot(graph: FleetGraph): string {
    const lines: string[] = [
        "digraph fleet {",
        `  graph [rankdir=LR, fontname=${quote(FONT)}, fontsize=13, nodesep=0.25, ranksep=0.7, newrank=true, pad=0.3, labeljust=l];`,
        `  node [fontname=${quote(FONT)}, fontsize=12, margin="0.22,0.07"];`,
        `  edge [fontname=${quote(FONT)}, fontsize=10, color="#57606a", arrowsize=0.7];`,
    ];
    const children = new Map<string | undefined, GraphGroup[]>();
    for (const gr of graph.groups) children.set(gr.parent, [...(children.get(gr.parent) ?? []), gr]);
    const nodesIn = new Map<string | undefined, GraphNode[]>();
    for (const n of graph.nodes) nodesIn.set(n.group, [...(nodesIn.get(n.group) ?? []), n]);

    // Graphviz lays a left-to-right graph out top to bottom and turns it, which puts the first of
    // siblings at the bottom: emitted in reverse, the first cluster is drawn on top.
    const emit = (group: string | undefined, indent: string) => {
        for (const n of [...(nodesIn.get(group) ?? [])].reverse()) lines.push(`${indent}${quote(n.id)}${attributes(nodeAttributes(n))};`);
        for (const gr of [...(children.get(group) ?? [])].reverse()) {
            lines.push(`${indent}subgraph ${quote(`cluster_${gr.id}`)} {`);
            const color = gr.change ? CHANGE_COLOR[gr.change] : "#8c959f";
            lines.push(
                `${indent}  graph${attributes({ label: `<<B>${html(gr.label)}</B>>`, color, style: gr.change === "removed" ? "dashed,rounded" : "rounded", fontcolor: gr.change ? color : "#24292f" })};`,
            );
            emit(gr.id, `${indent}  `);
            lines.push(`${indent}}`);
        }
    };
    emit(undefined, "  ");
    const key = legend(graph);
    if (key) {
        lines.push(
            `  ${quote(key.id)} [shape=plaintext, label=<<TABLE BORDER="1" COLOR="#8c959f" CELLBORDER="0" CELLPADDING="2">` +
                `${key.details.map((r) => `<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="10">${r}</FONT></TD></TR>`).join("")}</TABLE>>];`,
        );
    }
    for (const e of graph.edges) {
        const a: Record<string, string | undefined> = { label: e.label };
        if (e.kind === "mirror") a.style = "dashed";
        if (e.kind === "authz") {
            a.style = "dashed";
            a.color = AUTHZ_COLOR;
            a.fontcolor = AUTHZ_COLOR;
        }
        if (e.kind === "names") {
            a.style = "dotted";
            a.color = AUTHZ_COLOR;
            // A configuration reference, not traffic: it should not pull the entry into the traffic's ranks.
            a.constraint = "false";
        }
        if (e.kind === "renders") {
            a.style = "dotted";
            a.color = "#8250df";
            a.fontcolor = "#8250df";
            // The fan-out from the control plane should not pull it into the traffic's ranks.
            a.constraint = "false";
        }
        if (e.change) {
            a.color = CHANGE_COLOR[e.change];
            a.fontcolor = CHANGE_COLOR[e.change];
            a.penwidth = "2";
            if (e.change === "removed") a.style = "dashed";
        }
        lines.push(`  ${quote(e.from)} -> ${quote(e.to)}${attributes(a)};`);
    }
    lines.push("}");
    return lines.join("\n") + "\n";
}

// ---------------------------------------------------------------- rendering

export type GraphFormat = "svg" | "png" | "dot";

/** The picture format a file name asks for, by its extension. */
export function graphFormatOf(file: string): GraphFormat | undefined {
    const m = /\.(svg|png|dot|gv)$/i.exec(file);
    if (!m) return undefined;
    const ext = m[1].toLowerCase();
    return ext === "gv" ? "dot" : (ext as GraphFormat);
}

type Viz = Awaited<ReturnType<typeof import("@viz-js/viz").instance>>;
let viz: Promise<Viz> | undefined;

/** Graphviz in WebAssembly, compiled once per process (the compile is most of the cost). */
function graphviz(): Promise<Viz> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    viz ??= (require("@viz-js/viz") as typeof import("@viz-js/viz")).instance();
    return viz;
}

export async function renderSvg(dot: string): Promise<string> {
    return (await graphviz()).renderString(dot, { format: "svg", engine: "dot" });
}

/** Graphviz's own reading of the DOT: its nodes, edges and their attributes (for checks). */
export async function parseDot(dot: string): Promise<unknown> {
    return (await graphviz()).renderJSON(dot, { format: "json0", engine: "dot" } as Parameters<Viz["renderJSON"]>[1]);
}

/**
 * The PNG's faces, the first the machine has: Graphviz sizes text with Helvetica's widths, which
 * Liberation Sans and Arimo (Arial's metrics), Arial and Helvetica match; DejaVu Sans, on most
 * Linux machines, is wider and is drawn condensed. resvg's generic `sans-serif` alone is Arial,
 * and where Arial is missing it falls back to whatever font it finds first (often a serif one).
 */
const PNG_FONTS = 'font-family="Liberation Sans, Arimo, Arial, Helvetica, DejaVu Sans, sans-serif" font-stretch="condensed"';

/** PNG at twice the SVG's size, on white. */
export async function renderPng(dot: string): Promise<Buffer> {
    // Bold DejaVu, even condensed, is a little wider than Helvetica's: text is drawn 6% smaller.
    const svg = (await renderSvg(dot))
        .replace(/font-family="[^"]*"/g, PNG_FONTS)
        .replace(/font-size="([\d.]+)"/g, (_m, size: string) => `font-size="${(Number(size) * 0.94).toFixed(2)}"`);
    // Loaded only for PNG: a native module, not needed for SVG or DOT.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Resvg } = require("@resvg/resvg-js") as typeof import("@resvg/resvg-js");
    const resvg = new Resvg(svg, {
        background: "white",
        fitTo: { mode: "zoom", value: 2 },
        font: { loadSystemFonts: true },
        logLevel: "off",
    });
    return resvg.render().asPng();
}

/** Renders the graph in the format the file's extension names. */
export async function renderGraph(graph: FleetGraph, format: GraphFormat): Promise<Buffer> {
    const dot = toDot(graph);
    if (format === "dot") return Buffer.from(dot);
    // Helvetica's metrics sized the text; name the faces that share them before the generic one.
    if (format === "svg")
        return Buffer.from(
            (await renderSvg(dot)).replace(
                /font-family="Helvetica,sans-Serif"/g,
                'font-family="Helvetica, Arial, Liberation Sans, Arimo, sans-serif"',
            ),
        );
    return renderPng(dot);
}
