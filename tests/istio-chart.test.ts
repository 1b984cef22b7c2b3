// Conformance with Istio's `gateway` Helm chart (what `helm install istio/gateway` renders), the
// reference for a self-managed gateway install. For each gateway spec in the table, the chart is
// rendered by `helm template` with the values that say the same thing, the product in istio
// mode, and the two are compared object by object, field by field. Every difference must be
// listed, with its reason, in docs/istio-chart-differences.md; an unlisted one fails the test.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import type { EnvVar } from "kubernetes-types/core/v1";
import type { GatewayFleetSpec } from "../core/fleet";
import { planFleet } from "../core/plan";
import type { KubeObject } from "../core/render/common";
import { autoscaled, targetPort } from "../core/effective";
import { transportOf } from "../core/loadBalancer";
import { DEFAULTS, type GatewaySpec } from "../core/spec";
import { istioGatewayChartDir } from "../scripts/upstream";
import { helmTemplate, judgesOrSkip, type Judges } from "./support/judges";

const REPO = path.join(__dirname, "..", "..");
const NAMESPACE = "istio-system";

type Fleet = Omit<GatewayFleetSpec, "name" | "mode" | "clusters" | "gateway">;

interface Case {
    name: string;
    gateway: GatewaySpec;
    fleet?: Fleet;
    /** Chart values as they are, instead of those equivalent to `gateway` (the defaults case). */
    values?: Record<string, unknown>;
}

const APP_PROTOCOL: Record<string, string> = {
    HTTP: "http",
    HTTPS: "https",
    HTTP2: "http2",
    GRPC: "grpc",
    "GRPC-WEB": "grpc-web",
    TCP: "tcp",
    TLS: "tls",
    MONGO: "mongo",
    REDIS: "redis",
    MYSQL: "mysql",
};

/**
 * The chart values that say what `spec` says, field by field (the chart's values.yaml names).
 * Where the product has a default the chart's differs from, the product's value is given, so each
 * case compares the same intent; the defaults case compares the two sets of defaults themselves.
 */
export function chartValues(spec: GatewaySpec, fleet: Fleet): Record<string, unknown> {
    const ports = spec.ports ?? DEFAULTS.ports;
    const serviceType = spec.serviceType ?? DEFAULTS.serviceType[spec.gatewayType ?? DEFAULTS.gatewayType];
    const env = (spec.env ?? []) as EnvVar[];
    const sysctls: { name: string; value: string }[] = [];
    if (spec.hostNetwork !== true) sysctls.push({ name: "net.ipv4.ip_unprivileged_port_start", value: "0" });
    if (spec.kernel?.enabled === true) {
        for (const [name, value] of Object.entries(spec.kernel.parameters ?? {})) {
            const i = sysctls.findIndex((s) => s.name === name);
            if (i >= 0) sysctls.splice(i, 1);
            sysctls.push({ name, value });
        }
    }
    const rolling = { maxSurge: spec.rollingMaxSurge, maxUnavailable: spec.rollingMaxUnavailable };
    const drain = fleet.gracefulShutdown?.drainSeconds ?? DEFAULTS.drainSeconds;
    const values: Record<string, unknown> = {
        revision: fleet.revision ?? "",
        kind: spec.kind ?? "Deployment",
        // A DaemonSet has no replica count (null removes the chart's key, as it does for no value).
        replicaCount: spec.kind === "DaemonSet" ? null : (spec.replicaCount ?? DEFAULTS.replicaCount),
        autoscaling: autoscaled(spec)
            ? {
                  enabled: true,
                  minReplicas: spec.minReplicas ?? DEFAULTS.minReplicas,
                  maxReplicas: spec.maxReplicas,
                  // 0: the chart renders no CPU metric (its schema refuses null).
                  targetCPUUtilizationPercentage:
                      spec.cpu?.targetAverageUtilization ?? (spec.memory ? 0 : DEFAULTS.cpuTargetAverageUtilization),
                  targetMemoryUtilizationPercentage: spec.memory?.targetAverageUtilization ?? null,
                  autoscaleBehavior: spec.autoscaleBehavior ?? {},
              }
            : { enabled: false },
        podDisruptionBudget: spec.podDisruptionBudget ?? { minAvailable: 1 },
        resources: spec.resources ?? DEFAULTS.resources,
        service: {
            type: serviceType,
            ports: ports.map((p) => ({
                name: p.name,
                port: p.port,
                targetPort: targetPort(p),
                protocol: transportOf(p),
                ...(p.protocol ? { appProtocol: APP_PROTOCOL[p.protocol] } : {}),
                ...(p.nodePort !== undefined && serviceType !== "ClusterIP" ? { nodePort: p.nodePort } : {}),
            })),
            annotations: spec.serviceAnnotations ?? {},
            loadBalancerIP: spec.loadBalancerIP ?? "",
            externalTrafficPolicy: spec.externalTrafficPolicy ?? "",
            ...(spec.loadBalancerClass !== undefined ? { loadBalancerClass: spec.loadBalancerClass } : {}),
            loadBalancerSourceRanges: spec.loadBalancerSourceRanges ?? [],
            ipFamilies: spec.ipFamilies ?? [],
            ipFamilyPolicy: spec.ipFamilyPolicy ?? "",
            externalIPs: spec.externalIPs ?? [],
        },
        serviceAccount: { annotations: spec.serviceAccountAnnotations ?? {} },
        annotations: spec.annotations ?? {},
        topologySpreadConstraints: spec.topologySpreadConstraints ?? [],
        priorityClassName: spec.priorityClassName ?? "",
        imagePullSecrets: spec.imagePullSecrets ?? [],
        env: Object.fromEntries(env.filter((e) => e.valueFrom === undefined).map((e) => [e.name, e.value ?? ""])),
        envVarFrom: env.filter((e) => e.valueFrom !== undefined),
        labels: spec.podLabels ?? {},
        podAnnotations: { ...spec.podAnnotations },
        nodeSelector: spec.nodeSelector ?? {},
        tolerations: spec.tolerations ?? [],
        affinity: spec.affinity ?? {},
        securityContext: { sysctls },
        volumes: [
            ...(spec.configVolumes ?? []).map((v) => ({ name: v.name, configMap: { name: v.configMapName } })),
            ...(spec.secretVolumes ?? []).map((v) => ({ name: v.name, secret: { secretName: v.secretName } })),
        ],
        volumeMounts: [...(spec.configVolumes ?? []), ...(spec.secretVolumes ?? [])].map((v) => ({
            name: v.name,
            mountPath: v.mountPath,
            readOnly: true,
        })),
        dnsPolicy: spec.dnsPolicy ?? "",
        lifecycle: spec.lifecycle ?? {},
        strategy:
            rolling.maxSurge !== undefined || rolling.maxUnavailable !== undefined
                ? { type: "RollingUpdate", rollingUpdate: Object.fromEntries(Object.entries(rolling).filter(([, v]) => v !== undefined)) }
                : {},
        terminationGracePeriodSeconds:
            fleet.gracefulShutdown?.terminationGracePeriodSeconds ?? Math.max(DEFAULTS.terminationGracePeriodSeconds, drain),
    };
    if (spec.runAsRoot === true) values.containerSecurityContext = { runAsUser: 0, runAsGroup: 0, runAsNonRoot: false };
    return values;
}

/** The specs compared, covering the chart's value groups. */
const CASES: Case[] = [
    { name: "defaults", gateway: {}, values: {} },
    { name: "defaults, same intent", gateway: {} },
    { name: "replicas", gateway: { replicaCount: 3, rollingMaxSurge: 1, rollingMaxUnavailable: 0 } },
    { name: "HPA on CPU", gateway: { minReplicas: 2, maxReplicas: 10, cpu: { targetAverageUtilization: 70 } } },
    {
        name: "HPA on CPU and memory",
        gateway: {
            autoscaleEnabled: true,
            minReplicas: 3,
            maxReplicas: 6,
            cpu: { targetAverageUtilization: 60 },
            memory: { targetAverageUtilization: 75 },
        },
    },
    { name: "HPA on memory", gateway: { minReplicas: 1, maxReplicas: 4, memory: { targetAverageUtilization: 75 } } },
    { name: "resources", gateway: { resources: { requests: { cpu: "500m", memory: "512Mi" }, limits: { cpu: "4", memory: "2Gi" } } } },
    {
        name: "service type, ports, annotations",
        gateway: {
            serviceType: "NodePort",
            externalTrafficPolicy: "Local",
            serviceAnnotations: { "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-spec": "slb.s1.small" },
            ports: [
                { name: "status-port", port: 15021, targetPort: 15021, protocol: "TCP" },
                { name: "http2", port: 80, targetPort: 8080, protocol: "HTTP2", nodePort: 30080 },
                { name: "https", port: 443, targetPort: 8443, protocol: "HTTPS", nodePort: 30443 },
                { name: "tcp-dns", port: 53, protocol: "UDP" },
            ],
        },
    },
    {
        name: "load balancer IP and class",
        gateway: { serviceType: "LoadBalancer", loadBalancerIP: "10.0.0.10", loadBalancerClass: "example.com/lb" },
    },
    { name: "ClusterIP", gateway: { gatewayType: "egress" } },
    {
        name: "scheduling",
        gateway: {
            nodeSelector: { "node.kubernetes.io/pool": "edge" },
            tolerations: [{ key: "dedicated", operator: "Equal", value: "gateway", effect: "NoSchedule" }],
            affinity: {
                nodeAffinity: {
                    requiredDuringSchedulingIgnoredDuringExecution: {
                        nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/arch", operator: "In", values: ["amd64"] }] }],
                    },
                },
            },
        },
        fleet: { spreadReplicas: false },
    },
    { name: "spread replicas", gateway: { replicaCount: 2 } },
    {
        name: "env",
        gateway: {
            env: [
                { name: "ISTIO_META_ROUTER_MODE", value: "sni-dnat" },
                { name: "POD_ZONE", valueFrom: { fieldRef: { fieldPath: "metadata.labels['topology.kubernetes.io/zone']" } } },
            ],
        },
    },
    {
        name: "labels and annotations",
        gateway: {
            podLabels: { team: "edge", tier: "front" },
            podAnnotations: { "example.com/owner": "edge" },
            serviceLabels: { team: "edge" },
        },
    },
    { name: "revision", gateway: {}, fleet: { revision: "canary" } },
    {
        name: "sysctls",
        gateway: { kernel: { enabled: true, parameters: { "net.core.somaxconn": "4096", "net.ipv4.ip_local_port_range": "1024 65000" } } },
    },
    {
        name: "volumes",
        gateway: {
            configVolumes: [{ name: "lua", configMapName: "gateway-lua", mountPath: "/etc/lua" }],
            secretVolumes: [{ name: "ca", secretName: "upstream-ca", mountPath: "/etc/upstream-ca" }],
        },
    },
    {
        name: "dns policy, lifecycle",
        gateway: { dnsPolicy: "ClusterFirst", lifecycle: { preStop: { exec: { command: ["sleep", "5"] } } } },
        fleet: { gracefulShutdown: { drainSeconds: 45 } },
    },
    { name: "run as root", gateway: { runAsRoot: true } },
    // The chart's values beyond the IstioGateway CRD, one case each.
    { name: "loadBalancerSourceRanges", gateway: { loadBalancerSourceRanges: ["203.0.113.0/24", "198.51.100.0/24"] } },
    { name: "ipFamilies, ipFamilyPolicy", gateway: { ipFamilyPolicy: "RequireDualStack", ipFamilies: ["IPv6", "IPv4"] } },
    { name: "externalIPs", gateway: { serviceType: "ClusterIP", externalIPs: ["198.51.100.7"] } },
    {
        name: "topologySpreadConstraints",
        gateway: {
            topologySpreadConstraints: [
                {
                    maxSkew: 1,
                    topologyKey: "topology.kubernetes.io/zone",
                    whenUnsatisfiable: "DoNotSchedule",
                    labelSelector: { matchLabels: { app: "istio-edge" } },
                },
            ],
        },
        fleet: { spreadReplicas: false },
    },
    { name: "priorityClassName", gateway: { priorityClassName: "system-cluster-critical" } },
    { name: "imagePullSecrets", gateway: { imagePullSecrets: [{ name: "registry" }, { name: "mirror" }] } },
    {
        name: "serviceAccountAnnotations",
        gateway: { serviceAccountAnnotations: { "pod-identity.alibabacloud.com/role-name": "edge-gateway" } },
    },
    {
        name: "autoscaleBehavior",
        gateway: {
            minReplicas: 2,
            maxReplicas: 8,
            autoscaleBehavior: {
                scaleDown: { stabilizationWindowSeconds: 600, policies: [{ type: "Pods", value: 1, periodSeconds: 60 }] },
            },
        },
    },
    { name: "PDB maxUnavailable", gateway: { replicaCount: 4, podDisruptionBudget: { maxUnavailable: "25%" } } },
    { name: "PDB minAvailable", gateway: { minReplicas: 3, maxReplicas: 6, podDisruptionBudget: { minAvailable: 2 } } },
    { name: "DaemonSet", gateway: { kind: "DaemonSet", nodeSelector: { "node.kubernetes.io/pool": "edge" } } },
    { name: "DaemonSet update strategy", gateway: { kind: "DaemonSet", rollingMaxUnavailable: "20%" } },
    {
        name: "annotations",
        gateway: { replicaCount: 2, annotations: { "example.com/owner": "edge" }, serviceAnnotations: { "example.com/lb": "x" } },
    },
];

// ---- comparison -----------------------------------------------------------------------------

export interface Difference {
    kind: string;
    /** Field path, `*` for the whole object; map keys that are not identifiers in ["…"]. */
    field: string;
    what: "chart only" | "product only" | "value";
}

function key(k: string): string {
    return /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? `.${k}` : `["${k}"]`;
}

/** List elements are matched by container port, else by name (containers, env, Service ports, sysctls, volumes), else by port, else by position. */
function elementKey(item: unknown, i: number, all: unknown[]): string {
    const field = ["containerPort", "name", "port"].find((f) =>
        all.every((x) => x !== null && typeof x === "object" && (x as Record<string, unknown>)[f] !== undefined),
    );
    return field ? `[${String((item as Record<string, unknown>)[field])}]` : `[${i}]`;
}

function empty(v: unknown): boolean {
    return (
        v === null ||
        v === undefined ||
        (Array.isArray(v) && v.length === 0) ||
        (typeof v === "object" && !Array.isArray(v) && Object.keys(v as object).length === 0)
    );
}

/** path -> leaf value, with empty maps and lists (which Kubernetes treats as absent) left out. */
function flatten(value: unknown, at = "", out = new Map<string, string>()): Map<string, string> {
    if (empty(value)) return out;
    if (Array.isArray(value)) value.forEach((v, i) => flatten(v, at + elementKey(v, i, value), out));
    else if (typeof value === "object") for (const [k, v] of Object.entries(value as object)) flatten(v, at + key(k), out);
    // Quantities and numbers-as-strings compare as text, as the API server's defaulting would.
    else out.set(at.replace(/^\./, ""), String(value));
    return out;
}

export function differences(chart: KubeObject[], product: KubeObject[]): Difference[] {
    const id = (o: KubeObject) => `${o.kind}/${o.metadata.name}`;
    const out: Difference[] = [];
    const chartById = new Map(chart.map((o) => [id(o), o]));
    const productById = new Map(product.map((o) => [id(o), o]));
    for (const [i, o] of chartById) if (!productById.has(i)) out.push({ kind: o.kind, field: "*", what: "chart only" });
    for (const [i, o] of productById) if (!chartById.has(i)) out.push({ kind: o.kind, field: "*", what: "product only" });
    for (const [i, c] of chartById) {
        const p = productById.get(i);
        if (!p) continue;
        const cf = flatten(c);
        const pf = flatten(p);
        for (const [field, v] of cf) {
            if (!pf.has(field)) out.push({ kind: c.kind, field, what: "chart only" });
            else if (pf.get(field) !== v) out.push({ kind: c.kind, field, what: "value" });
        }
        for (const field of pf.keys()) if (!cf.has(field)) out.push({ kind: c.kind, field, what: "product only" });
    }
    return out;
}

interface Listed {
    kind: string;
    field: RegExp;
    fieldText: string;
    what: string;
    cases: string;
}

function glob(text: string): RegExp {
    return new RegExp(
        `^${text
            .split("*")
            .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
            .join(".*")}$`,
    );
}

/** Rows of docs/istio-chart-differences.md (kind: one, several comma-separated, or `*`): `| kind | field | chart only/product only/value | cases | reason |`. */
function listedDifferences(): Listed[] {
    const text = fs.readFileSync(path.join(REPO, "docs", "istio-chart-differences.md"), "utf8");
    return text.split("\n").flatMap((line) => {
        const cells = line.split("|").map((c) => c.trim().replace(/^`|`$/g, ""));
        if (cells.length < 7 || !["chart only", "product only", "value"].includes(cells[3])) return [];
        return [{ kind: cells[1], field: glob(cells[2]), fieldText: cells[2], what: cells[3], cases: cells[4] }];
    });
}

function listed(d: Difference, caseName: string, rows: Listed[]): Listed | undefined {
    return rows.find(
        (r) =>
            (r.kind === "*" ||
                r.kind
                    .split(",")
                    .map((k) => k.trim())
                    .includes(d.kind)) &&
            r.what === d.what &&
            r.field.test(d.field) &&
            (r.cases === "*" ||
                r.cases
                    .split(",")
                    .map((s) => s.trim())
                    .includes(caseName)),
    );
}

describe("Istio's gateway chart (helm template) against the product's istio mode", function () {
    this.timeout(300_000);
    let judges: Judges;
    const used = new Set<Listed>();

    before(function () {
        judges = judgesOrSkip(this, "the gateway chart comparison");
    });

    function render(c: Case): { chart: KubeObject[]; product: KubeObject[] } {
        const fleet: GatewayFleetSpec = {
            name: "edge",
            mode: "istio",
            clusters: [{ id: "c1", kubeconfig: "kc" }],
            gateway: c.gateway,
            ...c.fleet,
        };
        const product = planFleet(fleet).clusters[0].objects;
        const values = c.values ?? chartValues(c.gateway, c.fleet ?? {});
        const chart = helmTemplate(judges.helm, istioGatewayChartDir(), "istio-edge", NAMESPACE, values);
        return { chart, product };
    }

    const rows = (): Listed[] => listedDifferences();
    for (const c of CASES) {
        it(`${c.name}: every difference is listed`, function () {
            const { chart, product } = render(c);
            expect(
                chart.map((o) => o.kind),
                "the chart rendered nothing",
            ).to.include(c.gateway.kind ?? "Deployment");
            const all = rows();
            const unlisted: string[] = [];
            for (const d of differences(chart, product)) {
                const row = listed(d, c.name, all);
                if (row)
                    used.add(
                        all.find(
                            (r) => r.fieldText === row.fieldText && r.kind === row.kind && r.what === row.what && r.cases === row.cases,
                        )!,
                    );
                else unlisted.push(`| ${d.kind} | \`${d.field}\` | ${d.what} | ${c.name} |`);
            }
            expect(unlisted, `differences not listed in docs/istio-chart-differences.md:\n${unlisted.join("\n")}`).to.deep.equal([]);
        });
    }

    it("lists no difference in docs/istio-chart-differences.md that no case shows", function () {
        if (used.size === 0) this.skip();
        const keyOf = (r: Listed) => `${r.kind} ${r.fieldText} ${r.what} ${r.cases}`;
        const usedKeys = new Set([...used].map(keyOf));
        const stale = rows()
            .filter((r) => !usedKeys.has(keyOf(r)))
            .map(keyOf);
        expect(stale, "rows no case needs").to.deep.equal([]);
    });
});
