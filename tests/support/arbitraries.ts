// fast-check generators of valid gateway fleets (both modes), and a table of mutations that
// each break exactly one validation rule, with the field path the refusal must name.
import fc from "fast-check";
import type { GatewayFleetSpec, InstallMode } from "../../core/fleet";
import type { GatewayOverride, GatewayPort, GatewaySpec } from "../../core/spec";

// ── small value generators ───────────────────────────────────────────────────────────────
const dnsLabel = (max = 20) => fc.stringMatching(new RegExp(`^[a-z]([-a-z0-9]{0,${max}}[a-z0-9])?$`));
const clusterIdArb = fc.stringMatching(/^[a-zA-Z0-9]([-a-zA-Z0-9_.]{0,14}[a-zA-Z0-9])?$/);
const keyName = fc.stringMatching(/^[a-zA-Z0-9]([-a-zA-Z0-9_.]{0,12}[a-zA-Z0-9])?$/);
const keyPrefix = fc.constantFrom("example.com", "team.example.org", "a1");
const qualifiedKey = fc.tuple(fc.option(keyPrefix, { nil: undefined }), keyName).map(([p, n]) => (p ? `${p}/${n}` : n));
const labelValue = fc.stringMatching(/^(([a-zA-Z0-9][-a-zA-Z0-9_.]{0,20})?[a-zA-Z0-9])?$/);
/** Labels the component owns (selector, injection): users may not set app/istio; the rest would be overwritten. */
const RESERVED_LABELS = new Set(["app", "istio"]);
const labels = fc
    .dictionary(qualifiedKey, labelValue, { maxKeys: 3 })
    .map((m) => Object.fromEntries(Object.entries(m).filter(([k]) => !RESERVED_LABELS.has(k))));
const annotationValue = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom("true", "0", "{}", "a: b"));
const annotations = fc.dictionary(qualifiedKey, annotationValue, { maxKeys: 3 });
const podAnnotations = fc
    .tuple(annotations, fc.constantFrom(undefined, '{"holdApplicationUntilProxyStarts": true}', "terminationDrainDuration: 5s"))
    .map(([a, proxy]) => (proxy === undefined ? a : { ...a, "proxy.istio.io/config": proxy }));
const quantity = fc.constantFrom("100m", "250m", "1", "2", "500Mi", "1Gi", "2G");
const resources = fc.record(
    {
        limits: fc.record({ cpu: quantity, memory: quantity }, { requiredKeys: [] }),
        requests: fc.record({ cpu: quantity, memory: quantity }, { requiredKeys: [] }),
    },
    { requiredKeys: [] },
);
const env = fc.uniqueArray(fc.record({ name: fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,8}$/), value: fc.string({ maxLength: 20 }) }), {
    maxLength: 3,
    selector: (e) => e.name,
});
const tolerations = fc.array(
    fc.oneof(
        fc.record({
            key: keyName,
            operator: fc.constant("Equal"),
            value: labelValue,
            effect: fc.constantFrom("NoSchedule", "NoExecute", "PreferNoSchedule"),
        }),
        fc.record({ key: keyName, operator: fc.constant("Exists"), effect: fc.constantFrom("NoSchedule", "NoExecute") }),
    ),
    { maxLength: 2 },
);
const affinity = fc.constantFrom(
    {
        nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [{ matchExpressions: [{ key: "pool", operator: "In", values: ["edge"] }] }],
            },
        },
    },
    {
        podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
                { weight: 10, podAffinityTerm: { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: { x: "y" } } } },
            ],
        },
    },
);
const lifecycle = fc.constantFrom({ preStop: { exec: { command: ["sleep", "5"] } } });
const PROXY_PORTS = new Set([15000, 15001, 15006, 15090]);
const protocol = fc.constantFrom(
    "HTTP",
    "HTTPS",
    "HTTP2",
    "GRPC",
    "GRPC-WEB",
    "TCP",
    "TLS",
    "UDP",
    "MONGO",
    "REDIS",
    "MYSQL",
) as fc.Arbitrary<GatewayPort["protocol"]>;

/** 1–4 ports with unique names and numbers; targets avoid the proxy's ports (and < 1024 when `high`). */
function ports(opts: { nodePorts: boolean; high: boolean }): fc.Arbitrary<GatewayPort[]> {
    const number = opts.high ? fc.integer({ min: 1024, max: 65535 }) : fc.integer({ min: 1, max: 65535 });
    const port = fc
        .record({
            name: dnsLabel(10),
            port: number,
            targetPort: fc.option(fc.oneof(fc.constant(0), number), { nil: undefined }),
            protocol: fc.option(protocol, { nil: undefined }),
            nodePort: opts.nodePorts ? fc.option(fc.integer({ min: 30000, max: 32767 }), { nil: undefined }) : fc.constant(undefined),
        })
        .map(compact)
        .filter((p) => !PROXY_PORTS.has(p.targetPort || p.port));
    return fc
        .uniqueArray(port, { minLength: 1, maxLength: 4, selector: (p) => p.name })
        .filter((ps) => new Set(ps.map((p) => p.port)).size === ps.length);
}

/** Scaling: a fixed replica count, or an HPA whose min ≤ max. */
const scaling = fc.oneof(
    fc.record({ replicaCount: fc.integer({ min: 0, max: 5 }) }, { requiredKeys: [] }),
    fc.integer({ min: 1, max: 10 }).chain((max) =>
        fc.record(
            {
                maxReplicas: fc.constant(max),
                minReplicas: fc.integer({ min: 1, max }),
                autoscaleEnabled: fc.constant(true),
                cpu: fc.record({ targetAverageUtilization: fc.integer({ min: 1, max: 100 }) }),
                memory: fc.record({ targetAverageUtilization: fc.integer({ min: 1, max: 100 }) }),
            },
            { requiredKeys: ["maxReplicas"] },
        ),
    ),
);
/** What an override may set for scaling: a count, or a whole consistent HPA (so min ≤ max holds with any base). */
const overrideScaling = fc.oneof(
    fc.record({ replicaCount: fc.integer({ min: 0, max: 5 }) }),
    fc.integer({ min: 1, max: 10 }).chain((max) => fc.record({ maxReplicas: fc.constant(max), minReplicas: fc.integer({ min: 1, max }) })),
);
const rolling = fc.record(
    {
        rollingMaxSurge: fc.constantFrom(1, 2, "1", "25%", "100%"),
        rollingMaxUnavailable: fc.constantFrom(0, 1, "0", "0%", "25%", "100%"),
    },
    { requiredKeys: [] },
);

/** Volumes with names and mount paths unique across config and secret volumes. */
const volumes = fc
    .uniqueArray(
        fc.record({
            name: dnsLabel(8),
            ref: dnsLabel(8),
            mountPath: fc.stringMatching(/^\/[a-z]{1,8}(\/[a-z]{1,8})?$/),
            secret: fc.boolean(),
        }),
        { maxLength: 3, selector: (v) => v.name },
    )
    .filter((vs) => new Set(vs.map((v) => v.mountPath)).size === vs.length)
    .map((vs) => {
        const configVolumes = vs.filter((v) => !v.secret).map((v) => ({ name: v.name, configMapName: v.ref, mountPath: v.mountPath }));
        const secretVolumes = vs.filter((v) => v.secret).map((v) => ({ name: v.name, secretName: v.ref, mountPath: v.mountPath }));
        return compact({
            configVolumes: configVolumes.length ? configVolumes : undefined,
            secretVolumes: secretVolumes.length ? secretVolumes : undefined,
        });
    });

const NET_SYSCTLS = [
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ip_local_port_range",
    "net.core.somaxconn",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_tw_reuse",
];
const OTHER_SYSCTLS = ["kernel.shmmax", "kernel.msgmax", "fs.mqueue.msg_max"];
const kernel = (hostNetwork: boolean) =>
    fc.record(
        {
            enabled: fc.boolean(),
            parameters: fc.dictionary(
                fc.constantFrom(...(hostNetwork ? OTHER_SYSCTLS : [...NET_SYSCTLS, ...OTHER_SYSCTLS])),
                fc.constantFrom("1", "0", "1024", "1024 65000"),
                { maxKeys: 3 },
            ),
        },
        { requiredKeys: [] },
    );

const compression = fc.record(
    {
        enabled: fc.constant(true),
        content_type: fc.array(fc.constantFrom("application/json", "text/html"), { maxLength: 2 }),
        min_content_length: fc.integer({ min: 0, max: 4096 }),
        gzip: fc.record(
            {
                memory_level: fc.integer({ min: 1, max: 9 }),
                window_bits: fc.integer({ min: 9, max: 15 }),
                chunk_size: fc.integer({ min: 4096, max: 65536 }),
                compression_level: fc.constantFrom("BEST_SPEED", "DEFAULT_COMPRESSION", "COMPRESSION_LEVEL_5"),
                compression_strategy: fc.constantFrom("DEFAULT_STRATEGY", "RLE"),
            },
            { requiredKeys: [] },
        ),
    },
    { requiredKeys: ["enabled", "gzip"] },
);

// ── the gateway spec ─────────────────────────────────────────────────────────────────────

interface GatewayShape {
    mode: InstallMode;
    clusterIds: string[];
}

function gatewayArb({ mode, clusterIds }: GatewayShape): fc.Arbitrary<GatewaySpec> {
    return fc
        .record({
            gatewayType: fc.constantFrom("ingress", "egress") as fc.Arbitrary<"ingress" | "egress">,
            serviceType: fc.option(
                fc.constantFrom("LoadBalancer", "NodePort", "ClusterIP") as fc.Arbitrary<"LoadBalancer" | "NodePort" | "ClusterIP">,
                { nil: undefined },
            ),
            hostNetwork: mode === "istio" ? fc.boolean() : fc.constant(false),
        })
        .chain(({ gatewayType, serviceType, hostNetwork }) => {
            const effectiveType = serviceType ?? (gatewayType === "egress" ? "ClusterIP" : "LoadBalancer");
            const lb = effectiveType === "LoadBalancer";
            const external = effectiveType !== "ClusterIP";
            return fc
                .record(
                    {
                        ports: ports({ nodePorts: external, high: false }),
                        loadBalancerClass: lb ? fc.constantFrom("alibabacloud.com/nlb") : fc.constant(undefined),
                        loadBalancerIP: lb ? fc.constantFrom("47.100.1.1") : fc.constant(undefined),
                        externalTrafficPolicy: external ? fc.constantFrom("Local", "Cluster") : fc.constant(undefined),
                        serviceAnnotations: annotations,
                        serviceLabels: labels,
                        podLabels: labels,
                        podAnnotations,
                        nodeSelector: labels,
                        env,
                        affinity,
                        tolerations,
                        resources,
                        scaling,
                        rolling,
                        volumes,
                        kernel: kernel(hostNetwork),
                        compression: gatewayType === "ingress" ? compression : fc.constant(undefined),
                        readinessProbe: fc.record(
                            { failureThreshold: fc.integer({ min: 1, max: 10 }), periodSeconds: fc.integer({ min: 1, max: 30 }) },
                            { requiredKeys: [] },
                        ),
                        runAsRoot: fc.boolean(),
                        lifecycle,
                        disableContainerPortExposed: fc.boolean(),
                        autoCreateGatewayYaml: mode === "asm" ? fc.boolean() : fc.constant(undefined),
                        dnsPolicy: fc.constantFrom("ClusterFirst", "ClusterFirstWithHostNet", "Default"),
                        clusterIds: fc.shuffledSubarray(clusterIds, { minLength: clusterIds.length }),
                    },
                    { requiredKeys: [] },
                )
                .chain((fields) => {
                    const {
                        scaling: s,
                        rolling: r,
                        volumes: v,
                        ...rest
                    } = fields as Record<string, unknown> & { scaling: object; rolling: object; volumes: object };
                    const base: GatewaySpec = compact({
                        ...rest,
                        ...s,
                        ...r,
                        ...v,
                        gatewayType,
                        serviceType,
                        hostNetwork: hostNetwork || undefined,
                    }) as GatewaySpec;
                    // The host network needs root for ports below 1024 (the validator's rule).
                    if (base.hostNetwork && (base.ports ?? DEFAULT_PORTS).some((p) => (p.targetPort || p.port) < 1024))
                        base.runAsRoot = true;
                    const lbFields =
                        base.loadBalancerClass !== undefined ||
                        base.loadBalancerIP !== undefined ||
                        base.externalTrafficPolicy !== undefined ||
                        (base.ports ?? []).some((p) => p.nodePort !== undefined);
                    return overridesArb(mode, clusterIds, base, lbFields).map((overrides) =>
                        Object.keys(overrides).length > 0 ? { ...base, overrides } : base,
                    );
                });
        });
}

const DEFAULT_PORTS: GatewayPort[] = [
    { name: "status-port", port: 15021 },
    { name: "http2", port: 80 },
    { name: "https", port: 443 },
];

/** Per-cluster overrides: asm only the fields ASM applies per cluster; istio a wider but rule-safe set. */
function overridesArb(
    mode: InstallMode,
    clusterIds: string[],
    base: GatewaySpec,
    lbFields: boolean,
): fc.Arbitrary<Record<string, GatewayOverride>> {
    // serviceType may change per cluster only if no field depends on the base type.
    const serviceType =
        lbFields || base.compression !== undefined
            ? fc.constant(undefined)
            : (fc.constantFrom("LoadBalancer", "NodePort", "ClusterIP") as fc.Arbitrary<"LoadBalancer" | "NodePort" | "ClusterIP">);
    const common = {
        serviceAnnotations: annotations,
        podAnnotations,
        resources,
        scaling: overrideScaling,
        serviceType,
    };
    const istioOnly =
        mode === "istio"
            ? {
                  ports: ports({ nodePorts: false, high: base.hostNetwork === true && base.runAsRoot !== true }),
                  podLabels: labels,
                  nodeSelector: labels,
                  env,
                  tolerations,
                  rolling,
                  replicaCount: fc.integer({ min: 0, max: 5 }),
              }
            : {};
    const override = fc.record({ ...common, ...istioOnly }, { requiredKeys: [] }).map((o) => {
        const { scaling: s, rolling: r, ...rest } = o as Record<string, unknown> & { scaling?: object; rolling?: object };
        return compact({ ...rest, ...s, ...r }) as GatewayOverride;
    });
    return fc
        .subarray(clusterIds)
        .chain((ids) => fc.tuple(...ids.map(() => override)).map((os) => Object.fromEntries(ids.map((id, i) => [id, os[i]]))));
}

export function fleetArb(modeArb: fc.Arbitrary<InstallMode> = fc.constantFrom("istio", "asm")): fc.Arbitrary<GatewayFleetSpec> {
    return fc
        .record({
            mode: modeArb,
            ids: fc.uniqueArray(clusterIdArb, { minLength: 1, maxLength: 5 }),
        })
        .chain(({ mode, ids }) =>
            fc
                .record({
                    name: dnsLabel(30),
                    namespace: mode === "istio" ? fc.option(dnsLabel(20), { nil: undefined }) : fc.constantFrom(undefined, "istio-system"),
                    credentials: fc.array(fc.constantFrom("kubeconfig", "ack", "none"), { minLength: ids.length, maxLength: ids.length }),
                    controlPlane: fc.constantFrom({ kubeconfig: "apiVersion: v1\nkind: Config\n" }, { serviceMeshId: "mesh-123" }),
                    gateway: gatewayArb({ mode, clusterIds: ids }),
                    spreadReplicas: fc.option(fc.boolean(), { nil: undefined }),
                    drain: fc.integer({ min: 1, max: 30 }),
                    grace: fc.option(fc.integer({ min: 30, max: 120 }), { nil: undefined }),
                    asmVersion: fc.constantFrom(undefined, "1.16", "1.22.3"),
                    revision: fc.option(dnsLabel(10), { nil: undefined }),
                })
                .map((f): GatewayFleetSpec =>
                    compact({
                        name: f.name,
                        mode,
                        namespace: f.namespace,
                        clusters: ids.map((id, i) =>
                            mode === "asm" || f.credentials[i] === "none"
                                ? { id }
                                : f.credentials[i] === "kubeconfig"
                                  ? { id, kubeconfig: `kubeconfig of ${id}` }
                                  : { id, ackClusterId: `ack-${id}`, ackCredentialMinutes: 60 },
                        ),
                        controlPlane: mode === "asm" ? f.controlPlane : undefined,
                        gateway: f.gateway,
                        spreadReplicas: f.spreadReplicas,
                        gracefulShutdown:
                            mode === "asm"
                                ? { drainSeconds: f.drain }
                                : compact({ drainSeconds: f.drain, terminationGracePeriodSeconds: f.grace }),
                        asmVersion: mode === "asm" ? f.asmVersion : undefined,
                        revision: mode === "istio" ? f.revision : undefined,
                    }),
                ),
        );
}

function compact<T extends object>(value: T): T {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

// ── mutations: each breaks one rule; `path` is what the refusal must name ─────────────────

export interface Mutation {
    rule: string;
    modes?: InstallMode[];
    /** Mutates a deep copy of a valid fleet. Returns the path (substring) the refusal must name. */
    apply(f: GatewayFleetSpec & Record<string, unknown>): string;
}

const first = (f: GatewayFleetSpec) => f.clusters[0].id;
const ov = (f: GatewayFleetSpec, id: string) => ((f.gateway.overrides ??= {})[id] ??= {}) as Record<string, unknown>;
const gw = (f: GatewayFleetSpec) => f.gateway as Record<string, unknown>;
const q = (id: string) => JSON.stringify(id);

export const MUTATIONS: Mutation[] = [
    {
        rule: "gateway name is a DNS label",
        apply: (f) => {
            f.name = "Bad_Name";
            return "name";
        },
    },
    {
        rule: "workload name fits 63 characters",
        apply: (f) => {
            f.name = "a".repeat(60);
            return "name";
        },
    },
    {
        rule: "unknown mode",
        apply: (f) => {
            (f as Record<string, unknown>).mode = "helm";
            return "mode";
        },
    },
    {
        rule: "at least one cluster",
        apply: (f) => {
            f.clusters = [];
            delete f.gateway.overrides;
            delete f.gateway.clusterIds;
            return "clusters";
        },
    },
    {
        rule: "namespace is a DNS label",
        modes: ["istio"],
        apply: (f) => {
            f.namespace = "Bad!";
            return "namespace";
        },
    },
    {
        rule: "ASM gateways live in istio-system",
        modes: ["asm"],
        apply: (f) => {
            f.namespace = "gateways";
            return "namespace";
        },
    },
    {
        rule: "cluster listed once",
        apply: (f) => {
            f.clusters.push({ ...f.clusters[0] });
            return `clusters[${f.clusters.length - 1}].id`;
        },
    },
    {
        rule: "cluster id syntax",
        apply: (f) => {
            f.clusters[0] = { ...f.clusters[0], id: "bad id" };
            return "clusters[0].id";
        },
    },
    {
        rule: "kubeconfig or ackClusterId, not both",
        modes: ["istio"],
        apply: (f) => {
            f.clusters[0] = { id: f.clusters[0].id, kubeconfig: "k", ackClusterId: "a" };
            return "clusters[0]";
        },
    },
    {
        rule: "ackCredentialMinutes within 15..4320",
        apply: (f) => {
            f.clusters[0] = { ...f.clusters[0], ackCredentialMinutes: 5 };
            return "clusters[0].ackCredentialMinutes";
        },
    },
    {
        rule: "asm needs a control plane",
        modes: ["asm"],
        apply: (f) => {
            delete f.controlPlane;
            return "controlPlane";
        },
    },
    {
        rule: "asm single sign-on needs the ASM instance id",
        modes: ["asm"],
        apply: (f) => {
            f.controlPlane = { kubeconfig: "k" };
            f.security = {
                ...f.security,
                oidc: {
                    issuerUrl: "https://sso.example.com",
                    clientId: "gateway",
                    clientSecret: "client-secret",
                    cookieSecret: "0123456789abcdef0123456789abcdef",
                    hosts: ["app.example.com"],
                },
            };
            return "controlPlane.serviceMeshId";
        },
    },
    {
        rule: "no grace period in asm",
        modes: ["asm"],
        apply: (f) => {
            f.gracefulShutdown = { terminationGracePeriodSeconds: 60 };
            return "gracefulShutdown.terminationGracePeriodSeconds";
        },
    },
    {
        rule: "asm drain at most 30s",
        modes: ["asm"],
        apply: (f) => {
            f.gracefulShutdown = { drainSeconds: 45 };
            return "gracefulShutdown.drainSeconds";
        },
    },
    {
        rule: "drain within grace period",
        modes: ["istio"],
        apply: (f) => {
            f.gracefulShutdown = { drainSeconds: 90, terminationGracePeriodSeconds: 60 };
            return "gracefulShutdown.drainSeconds";
        },
    },
    {
        rule: "no revision in asm",
        modes: ["asm"],
        apply: (f) => {
            f.revision = "canary";
            return "revision";
        },
    },
    {
        rule: "revision is a DNS label",
        modes: ["istio"],
        apply: (f) => {
            f.revision = "Bad_Rev";
            return "revision";
        },
    },
    {
        rule: "asmVersion syntax",
        modes: ["asm"],
        apply: (f) => {
            f.asmVersion = "latest";
            return "asmVersion";
        },
    },
    {
        rule: "asm override fields",
        modes: ["asm"],
        apply: (f) => {
            ov(f, first(f)).podLabels = { a: "b" };
            return `gateway.overrides[${q(first(f))}].podLabels`;
        },
    },
    {
        rule: "asm override needs version",
        modes: ["asm"],
        apply: (f) => {
            f.asmVersion = "1.15";
            ov(f, first(f)).autoscaleEnabled = true;
            return `gateway.overrides[${q(first(f))}].autoscaleEnabled`;
        },
    },
    {
        rule: "clusterIds match clusters",
        apply: (f) => {
            f.gateway.clusterIds = [...f.clusters.map((c) => c.id), "zz-extra"];
            return "gateway.clusterIds";
        },
    },
    {
        rule: "override names a cluster",
        apply: (f) => {
            ov(f, "not-a-cluster").replicaCount = 1;
            return 'gateway.overrides["not-a-cluster"]';
        },
    },
    {
        rule: "unknown gateway field",
        apply: (f) => {
            gw(f).replicaCont = 2;
            return "gateway.replicaCont";
        },
    },
    {
        rule: "unknown override field",
        apply: (f) => {
            ov(f, first(f)).resorces = {};
            return `gateway.overrides[${q(first(f))}].resorces`;
        },
    },
    {
        rule: "no gatewayType in overrides",
        apply: (f) => {
            ov(f, first(f)).gatewayType = "egress";
            return `gateway.overrides[${q(first(f))}].gatewayType`;
        },
    },
    {
        rule: "unknown serviceType",
        apply: (f) => {
            gw(f).serviceType = "Ingress";
            return "gateway.serviceType";
        },
    },
    {
        rule: "replicaCount ≥ 0",
        apply: (f) => {
            gw(f).replicaCount = -1;
            return "gateway.replicaCount";
        },
    },
    {
        rule: "port names unique",
        apply: (f) => {
            f.gateway.ports = [
                { name: "a", port: 1080 },
                { name: "a", port: 1081 },
            ];
            return "gateway.ports[1].name";
        },
    },
    {
        rule: "port numbers unique",
        apply: (f) => {
            f.gateway.ports = [
                { name: "a", port: 1080 },
                { name: "b", port: 1080 },
            ];
            return "gateway.ports[1].port";
        },
    },
    {
        rule: "port name is a DNS label",
        apply: (f) => {
            f.gateway.ports = [{ name: "Web_Port", port: 1080 }];
            return "gateway.ports[0].name";
        },
    },
    {
        rule: "port in range",
        apply: (f) => {
            f.gateway.ports = [{ name: "a", port: 70000 }];
            return "gateway.ports[0].port";
        },
    },
    {
        rule: "at least one port",
        apply: (f) => {
            f.gateway.ports = [];
            return "gateway.ports";
        },
    },
    {
        rule: "target port not the proxy's",
        apply: (f) => {
            f.gateway.ports = [{ name: "a", port: 9090, targetPort: 15090 }];
            return "gateway.ports[0].targetPort";
        },
    },
    {
        rule: "no node ports on ClusterIP",
        apply: (f) => {
            gw(f).serviceType = "ClusterIP";
            f.gateway.ports = [{ name: "a", port: 1080, nodePort: 30080 }];
            return "gateway.ports[0].nodePort";
        },
    },
    {
        rule: "externalTrafficPolicy not on ClusterIP",
        apply: (f) => {
            gw(f).serviceType = "ClusterIP";
            gw(f).externalTrafficPolicy = "Local";
            return "gateway.externalTrafficPolicy";
        },
    },
    {
        rule: "loadBalancerIP only on LoadBalancer",
        apply: (f) => {
            gw(f).serviceType = "NodePort";
            gw(f).loadBalancerIP = "1.2.3.4";
            return "gateway.loadBalancerIP";
        },
    },
    {
        rule: "loadBalancerClass only on LoadBalancer, per cluster",
        modes: ["istio"],
        apply: (f) => {
            gw(f).serviceType = "LoadBalancer";
            gw(f).loadBalancerClass = "x";
            f.gateway.overrides = { [first(f)]: { serviceType: "NodePort" } };
            return `gateway.overrides[${q(first(f))}].loadBalancerClass`;
        },
    },
    {
        rule: "annotation key syntax",
        apply: (f) => {
            gw(f).serviceAnnotations = { "Bad Key": "x" };
            return 'gateway.serviceAnnotations["Bad Key"]';
        },
    },
    {
        rule: "label value syntax",
        apply: (f) => {
            gw(f).podLabels = { team: "a b" };
            return 'gateway.podLabels["team"]';
        },
    },
    {
        rule: "label key syntax",
        apply: (f) => {
            gw(f).nodeSelector = { "bad key": "x" };
            return 'gateway.nodeSelector["bad key"]';
        },
    },
    {
        rule: "selector labels reserved",
        apply: (f) => {
            gw(f).podLabels = { istio: "mine" };
            return 'gateway.podLabels["istio"]';
        },
    },
    {
        rule: "label values are strings",
        apply: (f) => {
            gw(f).serviceLabels = { tier: 1 };
            return 'gateway.serviceLabels["tier"]';
        },
    },
    {
        rule: "env names unique",
        apply: (f) => {
            gw(f).env = [
                { name: "A", value: "1" },
                { name: "A", value: "2" },
            ];
            return "gateway.env[1].name";
        },
    },
    {
        rule: "env value or valueFrom",
        apply: (f) => {
            gw(f).env = [{ name: "A", value: "1", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }];
            return "gateway.env[0]";
        },
    },
    {
        rule: "rollingMaxSurge syntax",
        apply: (f) => {
            gw(f).rollingMaxSurge = "lots";
            return "gateway.rollingMaxSurge";
        },
    },
    {
        rule: "rollout can progress",
        apply: (f) => {
            gw(f).rollingMaxSurge = 0;
            gw(f).rollingMaxUnavailable = "0%";
            return "gateway.rollingMaxUnavailable";
        },
    },
    {
        rule: "rollingMaxUnavailable ≤ 100%",
        apply: (f) => {
            gw(f).rollingMaxUnavailable = "150%";
            return "gateway.rollingMaxUnavailable";
        },
    },
    {
        rule: "autoscaleEnabled false without HPA fields",
        apply: (f) => {
            gw(f).autoscaleEnabled = false;
            gw(f).maxReplicas = 4;
            return "gateway.autoscaleEnabled";
        },
    },
    {
        rule: "autoscaleEnabled needs maxReplicas",
        apply: (f) => {
            gw(f).autoscaleEnabled = true;
            delete gw(f).maxReplicas;
            return "gateway.maxReplicas";
        },
    },
    {
        rule: "minReplicas ≤ maxReplicas",
        apply: (f) => {
            gw(f).minReplicas = 5;
            gw(f).maxReplicas = 2;
            delete gw(f).autoscaleEnabled;
            return "gateway.minReplicas";
        },
    },
    {
        rule: "minReplicas ≤ maxReplicas per cluster",
        modes: ["istio"],
        apply: (f) => {
            gw(f).minReplicas = 3;
            gw(f).maxReplicas = 4;
            delete gw(f).autoscaleEnabled;
            f.gateway.overrides = { [first(f)]: { maxReplicas: 2 } };
            return `gateway.overrides[${q(first(f))}].minReplicas`;
        },
    },
    {
        rule: "minReplicas needs autoscaling",
        apply: (f) => {
            for (const k of ["maxReplicas", "autoscaleEnabled", "cpu", "memory"]) delete gw(f)[k];
            gw(f).minReplicas = 2;
            return "gateway.minReplicas";
        },
    },
    {
        rule: "cpu target ≤ 100",
        apply: (f) => {
            gw(f).maxReplicas = 9;
            gw(f).cpu = { targetAverageUtilization: 120 };
            return "gateway.cpu.targetAverageUtilization";
        },
    },
    {
        rule: "volume names unique",
        apply: (f) => {
            gw(f).configVolumes = [{ name: "v", configMapName: "a", mountPath: "/a" }];
            gw(f).secretVolumes = [{ name: "v", secretName: "s", mountPath: "/b" }];
            return "gateway.secretVolumes[0].name";
        },
    },
    {
        rule: "mount paths absolute",
        apply: (f) => {
            gw(f).configVolumes = [{ name: "v", configMapName: "a", mountPath: "etc/lua" }];
            delete gw(f).secretVolumes;
            return "gateway.configVolumes[0].mountPath";
        },
    },
    {
        rule: "volume needs its ConfigMap",
        apply: (f) => {
            gw(f).configVolumes = [{ name: "v", mountPath: "/a" }];
            return "gateway.configVolumes[0]";
        },
    },
    {
        rule: "sysctl namespaced",
        apply: (f) => {
            gw(f).kernel = { enabled: true, parameters: { "fs.file-max": "1" } };
            return 'gateway.kernel.parameters["fs.file-max"]';
        },
    },
    {
        rule: "sysctl value not empty",
        apply: (f) => {
            gw(f).kernel = { enabled: true, parameters: { "kernel.shmmax": " " } };
            return 'gateway.kernel.parameters["kernel.shmmax"]';
        },
    },
    {
        rule: "sysctl value is a string",
        apply: (f) => {
            gw(f).kernel = { enabled: true, parameters: { "kernel.shmmax": 1 } };
            return 'gateway.kernel.parameters["kernel.shmmax"]';
        },
    },
    {
        rule: "no net.* sysctls on the host network",
        modes: ["istio"],
        apply: (f) => {
            gw(f).hostNetwork = true;
            gw(f).runAsRoot = true;
            gw(f).kernel = { enabled: true, parameters: { "net.core.somaxconn": "1024" } };
            return 'gateway.kernel.parameters["net.core.somaxconn"]';
        },
    },
    {
        rule: "host network low ports need root",
        modes: ["istio"],
        apply: (f) => {
            gw(f).hostNetwork = true;
            gw(f).runAsRoot = false;
            f.gateway.ports = [{ name: "http", port: 80 }];
            return "gateway.hostNetwork";
        },
    },
    {
        rule: "compression only on ingress",
        apply: (f) => {
            gw(f).gatewayType = "egress";
            gw(f).compression = { enabled: true, gzip: {} };
            return "gateway.compression.enabled";
        },
    },
    {
        rule: "compression needs gzip",
        apply: (f) => {
            gw(f).gatewayType = "ingress";
            gw(f).compression = { enabled: true };
            return "gateway.compression.gzip";
        },
    },
    {
        rule: "gzip memory_level ≤ 9",
        apply: (f) => {
            gw(f).compression = { enabled: true, gzip: { memory_level: 10 } };
            return "gateway.compression.gzip.memory_level";
        },
    },
    {
        rule: "toleration seconds an integer (K8s schema)",
        apply: (f) => {
            gw(f).tolerations = [{ key: "a", operator: "Exists", tolerationSeconds: "60" }];
            return "gateway.tolerations[0].tolerationSeconds";
        },
    },
    {
        rule: "resource quantities are strings (K8s schema)",
        apply: (f) => {
            gw(f).resources = { limits: { cpu: true } };
            return 'gateway.resources.limits["cpu"]';
        },
    },
    {
        rule: "affinity field names (K8s schema)",
        apply: (f) => {
            gw(f).affinity = { nodeAffinty: {} };
            return "gateway.affinity.nodeAffinty";
        },
    },
    {
        rule: "unknown fleet field",
        apply: (f) => {
            f.replicas = 3;
            return "replicas";
        },
    },
];
