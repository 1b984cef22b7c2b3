// The rules on one gateway spec, as a table. Each rule names the fields it reads: on an override
// it runs only when the override sets one of them (the rules on fields the override leaves alone
// were reported on the base spec already), and it always sees the cluster's effective spec, so a
// rule broken by an override together with a base field is reported where the override is.
import { ownValue } from "./input";
import { isIP } from "net";
import { autoscaled, gatewayTypeOf, isDaemonSet, portsOf, serviceTypeOf, targetPort } from "./effective";
import { parseCidr } from "./edge";
import { formatPath, type IssueList, type PathSegment } from "./errors";
import type { InstallMode } from "./fleet";
import { classifySysctl } from "./kernel";
import { checkKeys, DNS_LABEL, DNS_SUBDOMAIN, LABEL_VALUE } from "./kubeNames";
import {
    ISTIO_ONLY_FIELDS,
    isZeroIntOrPercent,
    PROMETHEUS_PORT,
    type GatewayOverride,
    type GatewayPort,
    type GatewaySpec,
    type GatewayType,
    type ServiceType,
} from "./spec";

export interface GatewayRuleContext {
    /** The effective spec of the gateway (base, or a cluster's with its override). */
    spec: GatewaySpec;
    /** The path of a field of this spec (`gateway.x`, or `gateway.overrides["c1"].x`). */
    at: (...rest: PathSegment[]) => PathSegment[];
    list: IssueList;
    gatewayType: GatewayType;
    serviceType: ServiceType;
    ports: GatewayPort[];
    /** Whether the spec being checked sets `field` itself (always, on the base spec; on an override, when it gives the field). */
    sets: (field: keyof GatewayOverride) => boolean;
}

export interface GatewayRule {
    /** The fields the rule reads: on an override, it runs when the override sets one of them. */
    fields: readonly (keyof GatewayOverride)[];
    /** Only in this install mode. */
    mode?: InstallMode;
    /** Only on the base spec (in asm mode an override's fields are refused by the override rules). */
    baseOnly?: boolean;
    check: (c: GatewayRuleContext) => void;
}

const PERCENT_OR_COUNT = /^(\d+)%$/;
/** Ports the injected Envoy owns inside the pod (admin, outbound/inbound capture, Prometheus). */
const PROXY_PORTS = new Set([15000, 15001, 15006, PROMETHEUS_PORT]);

/** Rules on one gateway spec. `own` is the override being checked, when there is one. */
export function checkGateway(spec: GatewaySpec, path: PathSegment[], mode: InstallMode, list: IssueList, own?: GatewayOverride): void {
    const ctx: GatewayRuleContext = {
        spec,
        at: (...rest) => [...path, ...rest],
        list,
        gatewayType: gatewayTypeOf(spec),
        serviceType: serviceTypeOf(spec),
        ports: portsOf(spec),
        sets: (field) => own === undefined || field in own,
    };
    for (const rule of GATEWAY_RULES) {
        if (rule.mode !== undefined && rule.mode !== mode) continue;
        if (own !== undefined && (rule.baseOnly === true || !rule.fields.some((f) => f in own))) continue;
        rule.check(ctx);
    }
}

const SERVICE_RULES: GatewayRule[] = [
    {
        fields: ["ports"],
        check: ({ ports, at, list }) => {
            const names = new Map<string, number>();
            const numbers = new Map<number, number>();
            ports.forEach((p, i) => {
                if (!DNS_LABEL.test(p.name) || p.name.length > 63)
                    list.add(at("ports", i, "name"), `"${p.name}" is not a valid port name (a DNS label: lower-case letters, digits, '-')`);
                if (names.has(p.name))
                    list.add(at("ports", i, "name"), `duplicate port name "${p.name}" (also ports[${names.get(p.name)}])`);
                if (numbers.has(p.port)) list.add(at("ports", i, "port"), `duplicate port ${p.port} (also ports[${numbers.get(p.port)}])`);
                names.set(p.name, i);
                numbers.set(p.port, i);
                const target = targetPort(p);
                if (PROXY_PORTS.has(target))
                    list.add(at("ports", i, "targetPort"), `${target} belongs to the injected Envoy proxy; choose another target port`);
            });
        },
    },
    {
        fields: ["ports", "serviceType"],
        check: ({ ports, serviceType, at, list }) => {
            if (serviceType !== "ClusterIP") return;
            ports.forEach((p, i) => {
                if (p.nodePort !== undefined) list.add(at("ports", i, "nodePort"), "a ClusterIP Service has no node ports");
            });
        },
    },
    {
        fields: ["externalTrafficPolicy", "serviceType"],
        check: ({ spec, serviceType, at, list }) => {
            if (spec.externalTrafficPolicy !== undefined && serviceType === "ClusterIP") {
                list.add(at("externalTrafficPolicy"), "applies only to LoadBalancer and NodePort Services; serviceType is ClusterIP");
            }
        },
    },
    ...(["loadBalancerClass", "loadBalancerIP"] as const).map((field): GatewayRule => ({
        fields: [field, "serviceType"],
        check: ({ spec, serviceType, at, list }) => {
            if (spec[field] !== undefined && serviceType !== "LoadBalancer")
                list.add(at(field), `applies only when serviceType is LoadBalancer; it is ${serviceType}`);
        },
    })),
    {
        fields: ["serviceAnnotations", "serviceType"],
        check: ({ spec, serviceType, at, list }) => {
            if (!spec.serviceAnnotations || serviceType !== "ClusterIP") return;
            const lb = Object.keys(spec.serviceAnnotations).filter((k) => k.includes("loadbalancer"));
            if (lb.length > 0)
                list.warn(at("serviceAnnotations"), `load balancer annotations (${lb.join(", ")}) have no effect on a ClusterIP Service`);
        },
    },
];

const METADATA_RULES: GatewayRule[] = [
    ...(["serviceAnnotations", "podAnnotations"] as const).map((field): GatewayRule => ({
        fields: [field],
        check: ({ spec, at, list }) => checkKeys(spec[field], at(field), "annotation", list),
    })),
    ...(["serviceLabels", "podLabels", "nodeSelector"] as const).map((field): GatewayRule => ({
        fields: [field],
        check: ({ spec, at, list }) => {
            checkKeys(spec[field], at(field), "label", list);
            for (const [k, v] of Object.entries(spec[field] ?? {})) {
                if (!LABEL_VALUE.test(v) || v.length > 63)
                    list.add(at(field, k), `"${v}" is not a valid label value (at most 63 letters, digits, '-', '_', '.')`);
            }
        },
    })),
    {
        fields: ["podLabels"],
        check: ({ spec, at, list }) => {
            for (const k of ["app", "istio"]) {
                if (ownValue(spec.podLabels, k) !== undefined)
                    list.add(at("podLabels", k), `the gateway's Service selects its pods by the ${k} label; it cannot be changed`);
            }
        },
    },
    {
        fields: ["env"],
        check: ({ spec, at, list }) => {
            const seen = new Set<string>();
            (spec.env ?? []).forEach((e, i) => {
                if (seen.has(e.name)) list.add(at("env", i, "name"), `duplicate environment variable ${e.name}`);
                seen.add(e.name);
                if (e.value !== undefined && e.valueFrom !== undefined) list.add(at("env", i), "give either value or valueFrom, not both");
            });
        },
    },
];

const ROLLOUT_RULES: GatewayRule[] = [
    ...(["rollingMaxSurge", "rollingMaxUnavailable"] as const).map((field): GatewayRule => ({
        fields: [field],
        check: ({ spec, at, list }) => {
            const v = spec[field];
            if (v === undefined) return;
            if (typeof v === "number" ? v < 0 : !PERCENT_OR_COUNT.test(v) && !/^\d+$/.test(v)) {
                list.add(at(field), `"${v}" must be a number of pods or a percentage such as "25%"`);
            } else if (
                typeof v === "string" &&
                PERCENT_OR_COUNT.test(v) &&
                Number(v.slice(0, -1)) > 100 &&
                field === "rollingMaxUnavailable"
            ) {
                list.add(at(field), "cannot exceed 100%");
            }
        },
    })),
    {
        fields: ["rollingMaxSurge", "rollingMaxUnavailable"],
        check: ({ spec, at, list }) => {
            if (isZeroIntOrPercent(spec.rollingMaxSurge) && isZeroIntOrPercent(spec.rollingMaxUnavailable)) {
                list.add(
                    at("rollingMaxUnavailable"),
                    "rollingMaxSurge and rollingMaxUnavailable cannot both be 0: the rollout could never progress",
                );
            }
        },
    },
    {
        fields: ["autoscaleEnabled", "cpu", "memory", "minReplicas", "maxReplicas"],
        check: ({ spec, at, list }) => {
            const hpa = autoscaled(spec);
            if (spec.autoscaleEnabled === false && (spec.cpu || spec.memory || spec.maxReplicas)) {
                list.add(at("autoscaleEnabled"), "is false while HPA fields (cpu, memory, maxReplicas) are set");
            } else if (spec.autoscaleEnabled === true && spec.maxReplicas === undefined) {
                list.add(at("maxReplicas"), "is required when autoscaleEnabled is true");
            } else if (!hpa && (spec.cpu || spec.memory)) {
                // ASM's own example sets a CPU target without maxReplicas: it is kept, and inert.
                list.warn(at(spec.cpu ? "cpu" : "memory"), "has no effect without maxReplicas: no HPA is created and replicaCount applies");
            }
            if (spec.minReplicas !== undefined && spec.maxReplicas !== undefined && spec.minReplicas > spec.maxReplicas) {
                list.add(at("minReplicas"), `${spec.minReplicas} is greater than maxReplicas (${spec.maxReplicas})`);
            }
            if (spec.minReplicas !== undefined && !hpa && spec.autoscaleEnabled !== false) {
                list.add(at("minReplicas"), "has no effect without autoscaling: set maxReplicas and a cpu or memory target");
            }
        },
    },
];

const POD_RULES: GatewayRule[] = [
    {
        fields: ["configVolumes", "secretVolumes"],
        check: ({ spec, at, list }) => {
            const names = new Map<string, string>();
            const mounts = new Map<string, string>();
            const volumes = [
                ...(spec.configVolumes ?? []).map((v, i) => ({ ...v, field: "configVolumes", i })),
                ...(spec.secretVolumes ?? []).map((v, i) => ({ ...v, field: "secretVolumes", i })),
            ];
            for (const v of volumes) {
                const where = formatPath([v.field, v.i]);
                if (!DNS_LABEL.test(v.name)) list.add(at(v.field, v.i, "name"), `"${v.name}" is not a valid volume name (a DNS label)`);
                if (names.has(v.name)) list.add(at(v.field, v.i, "name"), `volume name ${v.name} is also used by ${names.get(v.name)}`);
                if (!v.mountPath.startsWith("/")) list.add(at(v.field, v.i, "mountPath"), `"${v.mountPath}" must be an absolute path`);
                if (mounts.has(v.mountPath))
                    list.add(at(v.field, v.i, "mountPath"), `${v.mountPath} is also mounted by ${mounts.get(v.mountPath)}`);
                names.set(v.name, where);
                mounts.set(v.mountPath, where);
            }
        },
    },
    {
        fields: ["kernel"],
        check: ({ spec, at, list }) => {
            const enabled = spec.kernel?.enabled === true;
            for (const [name, value] of Object.entries(spec.kernel?.parameters ?? {})) {
                const p = at("kernel", "parameters", name);
                if (value.trim() === "") list.add(p, "value is empty");
                const info = classifySysctl(name);
                if (!info)
                    list.add(
                        p,
                        `${name} cannot be set per pod: only namespaced sysctls (net.*, kernel.shm*, kernel.msg*, kernel.sem, fs.mqueue.*) can`,
                    );
                else if (info.kind === "node-level" || info.kind === "removed") list.add(p, `${name} cannot be set per pod: ${info.note}`);
                else if (enabled && info.kind === "unsafe")
                    list.warn(
                        p,
                        `${name} is an unsafe sysctl: gateway pods start only on nodes whose kubelet allows it (--allowed-unsafe-sysctls)`,
                    );
                else if (enabled && info.kind === "vendor") list.warn(p, `${name}: ${info.note}; pods fail elsewhere`);
                else if (enabled && info.safeSince)
                    list.warn(p, `${name} is safe from Kubernetes ${info.safeSince}; older clusters treat it as unsafe`);
            }
        },
    },
    {
        fields: ["kernel", "hostNetwork"],
        check: ({ spec, at, list }) => {
            if (spec.kernel?.enabled !== true || spec.hostNetwork !== true) return;
            for (const name of Object.keys(spec.kernel.parameters ?? {}).filter((n) => n.startsWith("net."))) {
                list.add(
                    at("kernel", "parameters", name),
                    `net.* sysctls cannot be set with hostNetwork: true (they would change the node's network namespace)`,
                );
            }
        },
    },
    {
        fields: ["hostNetwork", "ports", "runAsRoot"],
        mode: "istio",
        check: ({ spec, ports, at, list }) => {
            if (spec.hostNetwork !== true || spec.runAsRoot === true) return;
            const low = ports.map((p) => targetPort(p)).filter((t) => t < 1024);
            if (low.length > 0) {
                list.add(
                    at("hostNetwork"),
                    `target ports below 1024 (${low.join(", ")}) need runAsRoot: true with hostNetwork, because ip_unprivileged_port_start cannot be lowered on the host network`,
                );
            }
        },
    },
    {
        fields: ["hostNetwork", "dnsPolicy"],
        check: ({ spec, at, list }) => {
            if (spec.hostNetwork === true && (spec.dnsPolicy ?? "ClusterFirst") === "ClusterFirst") {
                list.warn(
                    at("dnsPolicy"),
                    "with hostNetwork, ClusterFirst falls back to the node's resolver; use ClusterFirstWithHostNet to resolve cluster names",
                );
            }
        },
    },
    {
        fields: ["compression"],
        check: ({ spec, gatewayType, at, list }) => {
            if (spec.compression?.enabled !== true) return;
            if (gatewayType === "egress") list.add(at("compression", "enabled"), "compression applies to ingress gateways only");
            if (spec.compression.gzip === undefined)
                list.add(at("compression", "gzip"), "is required to enable compression ({} takes every default)");
        },
    },
    {
        fields: ["readinessProbe"],
        mode: "istio",
        check: ({ spec, at, list }) => {
            if (spec.readinessProbe?.successThreshold !== undefined) {
                list.warn(at("readinessProbe", "successThreshold"), "the Istio injector does not take successThreshold; it stays at 1");
            }
        },
    },
];

/** Why asm mode cannot pass on each field beyond the IstioGateway CRD that only istio mode renders. */
const ASM_REFUSALS: Record<(typeof ISTIO_ONLY_FIELDS)[number], string> = {
    loadBalancerSourceRanges:
        "ASM renders the gateway Service and the IstioGateway has no field for its source ranges (on Alibaba Cloud, the load balancer's ACL annotations in serviceAnnotations do the same: service.beta.kubernetes.io/alibaba-cloud-loadbalancer-acl-status, -acl-id, -acl-type)",
    ipFamilies: "ASM renders the gateway Service and the IstioGateway has no field for its IP families",
    ipFamilyPolicy: "ASM renders the gateway Service and the IstioGateway has no field for its IP family policy",
    externalIPs: "ASM renders the gateway Service and the IstioGateway has no field for external IPs",
    topologySpreadConstraints:
        "ASM renders the gateway pods and the IstioGateway has no field for topology spread constraints (spreadReplicas spreads them by anti-affinity)",
    priorityClassName: "ASM renders the gateway pods and the IstioGateway has no field for their priority class",
    imagePullSecrets: "ASM renders the gateway pods and pulls the proxy image itself; the IstioGateway has no field for pull secrets",
    serviceAccountAnnotations: "ASM creates the gateway's ServiceAccount and the IstioGateway has no field for its annotations",
    autoscaleBehavior:
        "ASM renders the HPA from cpu, memory, minReplicas and maxReplicas only; the IstioGateway has no field for its behavior",
    podDisruptionBudget: "ASM renders the gateway workload and the IstioGateway has no field for a PodDisruptionBudget",
    annotations:
        "ASM renders the gateway's objects and the IstioGateway has no field for annotations on all of them (serviceAnnotations and podAnnotations are its fields)",
    kind: "ASM renders the gateway workload as a Deployment and the IstioGateway has no field for its kind",
};

const ASM_ONLY_RULES: GatewayRule[] = ISTIO_ONLY_FIELDS.map((field): GatewayRule => ({
    fields: [field],
    mode: "asm",
    baseOnly: true,
    check: ({ spec, at, list }) => {
        if (spec[field] !== undefined) list.add(at(field), `${ASM_REFUSALS[field]}; use istio mode, or leave ${field} out`);
    },
}));

/** What a DaemonSet (one pod per node, no replica count) cannot take. */
const DAEMONSET_RULES: GatewayRule[] = [
    ...(["replicaCount", "minReplicas", "maxReplicas", "autoscaleEnabled", "podDisruptionBudget"] as const).map((field): GatewayRule => ({
        fields: [field, "kind"],
        check: ({ spec, at, list, sets }) => {
            const value = spec[field];
            if (!isDaemonSet(spec) || value === undefined || value === false) return;
            const why =
                field === "podDisruptionBudget"
                    ? "its pods go with their nodes (Istio's chart renders no PodDisruptionBudget for it)"
                    : "it runs one pod on each node the pods may schedule on (no replica count, no HPA)";
            if (sets(field)) list.add(at(field), `does not apply to kind DaemonSet: ${why}`);
            // A cluster that overrides kind still inherits the base spec's replica settings: they
            // cannot apply to it, and it says so rather than refusing the base.
            else list.warn(at("kind"), `this cluster runs a DaemonSet, so the base spec's ${field} does not apply to it: ${why}`);
        },
    })),
    ...(["cpu", "memory"] as const).map((field): GatewayRule => ({
        fields: ["kind", field],
        check: ({ spec, at, list }) => {
            if (isDaemonSet(spec) && spec[field] !== undefined) list.warn(at(field), "has no effect with kind DaemonSet (no HPA)");
        },
    })),
    {
        fields: ["kind", "rollingMaxSurge", "rollingMaxUnavailable"],
        check: ({ spec, at, list }) => {
            const surge = spec.rollingMaxSurge;
            const unavailable = spec.rollingMaxUnavailable;
            if (!isDaemonSet(spec)) return;
            if (surge !== undefined && unavailable !== undefined && !isZeroIntOrPercent(surge) && !isZeroIntOrPercent(unavailable)) {
                list.add(
                    at("rollingMaxSurge"),
                    "a DaemonSet takes rollingMaxSurge or rollingMaxUnavailable, not both non-zero (one new pod per node either replaces or joins the old one)",
                );
            }
        },
    },
    {
        fields: ["kind", "rollingMaxSurge"],
        check: ({ spec, at, list }) => {
            const surge = spec.rollingMaxSurge;
            if (isDaemonSet(spec) && typeof surge === "string" && Number(PERCENT_OR_COUNT.exec(surge)?.[1] ?? 0) > 100)
                list.add(at("rollingMaxSurge"), "cannot exceed 100% for a DaemonSet");
        },
    },
    {
        fields: ["kind", "rollingMaxSurge", "rollingMaxUnavailable"],
        check: ({ spec, at, list }) => {
            if (isDaemonSet(spec) && spec.rollingMaxSurge === undefined && isZeroIntOrPercent(spec.rollingMaxUnavailable)) {
                list.add(
                    at("rollingMaxUnavailable"),
                    "is 0 while a DaemonSet's rollingMaxSurge defaults to 0: set rollingMaxSurge, or the update could never progress",
                );
            }
        },
    },
    {
        fields: ["kind", "rollingMaxSurge", "hostNetwork"],
        // With a surge the DaemonSet controller deletes a node's old pod only once the new one is
        // available, and on the host network the new one cannot bind the ports the old one holds.
        check: ({ spec, at, list }) => {
            const surge = spec.rollingMaxSurge;
            if (isDaemonSet(spec) && spec.hostNetwork === true && surge !== undefined && !isZeroIntOrPercent(surge)) {
                list.add(
                    at("rollingMaxSurge"),
                    "with hostNetwork a DaemonSet's surge pod cannot bind the node ports its old pod holds, never becomes ready, and the update stalls: use rollingMaxUnavailable",
                );
            }
        },
    },
];

/** Rules on the chart's values that the spec carries beyond the IstioGateway CRD (istio mode). */
const CHART_RULES: GatewayRule[] = istioOnly([
    {
        fields: ["loadBalancerSourceRanges", "serviceType"],
        check: ({ spec, serviceType, at, list }) => {
            if (spec.loadBalancerSourceRanges !== undefined && serviceType !== "LoadBalancer") {
                list.add(at("loadBalancerSourceRanges"), `applies only when serviceType is LoadBalancer; it is ${serviceType}`);
            }
        },
    },
    {
        fields: ["loadBalancerSourceRanges", "loadBalancer"],
        // Alibaba Cloud's controller applies source ranges only to an NLB it creates itself; a load
        // balancer bound by id (the component's loadBalancer) counts as user-managed and keeps none.
        check: ({ spec, at, list }) => {
            if (spec.loadBalancerSourceRanges !== undefined && spec.loadBalancer !== undefined) {
                list.warn(
                    at("loadBalancerSourceRanges"),
                    "Alibaba Cloud's cloud controller ignores source ranges on a load balancer bound by id (loadBalancer): use its ACL annotations in serviceAnnotations (service.beta.kubernetes.io/alibaba-cloud-loadbalancer-acl-status, -acl-id, -acl-type) on a CLB, or the NLB's security groups",
                );
            }
        },
    },
    {
        fields: ["loadBalancerSourceRanges"],
        check: ({ spec, at, list }) =>
            (spec.loadBalancerSourceRanges ?? []).forEach((cidr, i) => {
                if (!cidr.includes("/") || parseCidr(cidr) === undefined)
                    list.add(at("loadBalancerSourceRanges", i), `"${cidr}" is not a CIDR block (such as 203.0.113.0/24)`);
            }),
    },
    {
        fields: ["externalIPs"],
        check: ({ spec, at, list }) =>
            (spec.externalIPs ?? []).forEach((ip, i) => {
                if (isIP(ip) === 0) list.add(at("externalIPs", i), `"${ip}" is not an IP address`);
            }),
    },
    {
        fields: ["ipFamilies", "ipFamilyPolicy"],
        check: ({ spec, at, list }) => {
            if ((spec.ipFamilies?.length ?? 0) === 2 && (spec.ipFamilyPolicy ?? "SingleStack") === "SingleStack") {
                list.add(at("ipFamilyPolicy"), "two ipFamilies need ipFamilyPolicy PreferDualStack or RequireDualStack");
            }
        },
    },
    {
        fields: ["priorityClassName"],
        check: ({ spec, at, list }) => {
            if (
                spec.priorityClassName !== undefined &&
                (!DNS_SUBDOMAIN.test(spec.priorityClassName) || spec.priorityClassName.length > 253)
            ) {
                list.add(at("priorityClassName"), `"${spec.priorityClassName}" is not a valid PriorityClass name (a DNS subdomain)`);
            }
        },
    },
    {
        fields: ["imagePullSecrets"],
        check: ({ spec, at, list }) =>
            (spec.imagePullSecrets ?? []).forEach((r, i) => {
                if (r.name === undefined || !DNS_SUBDOMAIN.test(r.name))
                    list.add(at("imagePullSecrets", i, "name"), `"${r.name ?? ""}" is not a valid Secret name (a DNS subdomain)`);
            }),
    },
    ...(["serviceAccountAnnotations", "annotations"] as const).map((field): GatewayRule => ({
        fields: [field],
        check: ({ spec, at, list }) => checkKeys(spec[field], at(field), "annotation", list),
    })),
    {
        fields: ["topologySpreadConstraints"],
        check: ({ spec, at, list }) =>
            (spec.topologySpreadConstraints ?? []).forEach((t, i) => {
                if (!(t.maxSkew >= 1)) list.add(at("topologySpreadConstraints", i, "maxSkew"), "must be at least 1");
                if (t.labelSelector === undefined)
                    list.warn(
                        at("topologySpreadConstraints", i, "labelSelector"),
                        "is unset: the constraint counts no pods and has no effect (select the gateway's pods: app, istio labels)",
                    );
            }),
    },
    {
        fields: ["autoscaleBehavior", "maxReplicas", "autoscaleEnabled"],
        check: ({ spec, at, list }) => {
            if (spec.autoscaleBehavior !== undefined && !autoscaled(spec))
                list.warn(at("autoscaleBehavior"), "has no effect without an HPA (maxReplicas or autoscaleEnabled)");
        },
    },
    ...DAEMONSET_RULES,
    { fields: ["podDisruptionBudget"], check: checkPodDisruptionBudget },
]);

function istioOnly(rules: GatewayRule[]): GatewayRule[] {
    return rules.map((rule) => ({ ...rule, mode: "istio" }));
}

function checkPodDisruptionBudget({ spec, at, list }: GatewayRuleContext): void {
    if (spec.podDisruptionBudget === undefined) return;
    const { minAvailable, maxUnavailable } = spec.podDisruptionBudget;
    if ((minAvailable === undefined) === (maxUnavailable === undefined)) {
        list.add(at("podDisruptionBudget"), "give exactly one of minAvailable and maxUnavailable");
    }
    for (const [field, v] of [
        ["minAvailable", minAvailable],
        ["maxUnavailable", maxUnavailable],
    ] as const) {
        if (v === undefined) continue;
        // A count may come as a digit string (how every Pulumi language passes int-or-string).
        const count = typeof v === "number" ? v : /^\d+$/.test(v) ? Number(v) : undefined;
        const pct = typeof v === "string" ? PERCENT_OR_COUNT.exec(v) : null;
        if (count !== undefined ? count < 0 : pct === null || Number(pct[1]) > 100) {
            list.add(at("podDisruptionBudget", field), `"${v}" must be a number of pods or a percentage such as "25%"`);
        } else if (field === "maxUnavailable" && isZeroIntOrPercent(v)) {
            list.add(at("podDisruptionBudget", field), "0 would block every node drain");
        }
    }
}

/** Every rule on a gateway spec, in the order their problems are reported. */
export const GATEWAY_RULES: readonly GatewayRule[] = [
    ...SERVICE_RULES,
    ...METADATA_RULES,
    ...ROLLOUT_RULES,
    ...POD_RULES,
    ...CHART_RULES,
    ...ASM_ONLY_RULES,
];
