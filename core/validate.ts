// Checks a fleet before anything is created: first its shape (schema), then the rules that
// span fields. Every problem is reported at once, each with its field path.
import { ConfigError, IssueList, pointerToSegments, formatPath, type ConfigIssue, type PathSegment } from "./errors";
import type { GatewayFleetSpec } from "./fleet";
import { classifySysctl } from "./kernel";
import { effectiveSpec, workloadNames } from "./render/common";
import { autoscaled, isDaemonSet } from "./render/istio";
import { describeAjvErrors } from "./openapi";
import { fleetValidator } from "./schema";
import { checkCertificates, checkDns, checkSecurity, httpTargetPorts, parseCidr, usedByGateway, type EdgeContext } from "./edge";
import { checkRouting } from "./routing";
import { meshTarget } from "./meshVersion";
import { checkIngressClass, ingressClassNotes } from "./ingressClass";
import { addressKindOf, checkLoadBalancers, CCM_ANNOTATION_PREFIX, DEFAULT_LB_KEY, keepsClientAddress, loadBalancerNotes, loadBalancerTlsPorts, planLoadBalancers, type LoadBalancerPlan } from "./loadBalancer";
import { ASM_OVERRIDABLE_FIELDS, COMPONENT_FIELDS, DEFAULTS, DEFAULT_NAMESPACE, ISTIO_ONLY_FIELDS, PROMETHEUS_PORT, isZeroIntOrPercent, type GatewayOverride, type GatewaySpec } from "./spec";
import { isIP } from "net";

/** A cluster as validation saw it: its effective spec and load balancer bindings. */
export interface ValidatedCluster {
    clusterId: string;
    spec: GatewaySpec;
    loadBalancers: LoadBalancerPlan[];
}

export interface ValidatedFleet {
    spec: GatewayFleetSpec;
    warnings: ConfigIssue[];
    /** Per cluster, in `clusters` order: the plan starts from these instead of deriving them again. */
    clusters: ValidatedCluster[];
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const PERCENT_OR_COUNT = /^(\d+)%$/;
/** Ports the injected Envoy owns inside the pod (admin, outbound/inbound capture, Prometheus). */
const PROXY_PORTS = new Set([15000, 15001, 15006, PROMETHEUS_PORT]);

/** Validates `input` as a gateway fleet, or throws a ConfigError listing every problem. */
export function validateFleet(input: unknown, subject?: string): ValidatedFleet {
    const validate = fleetValidator();
    if (!validate(input)) {
        const issues = describeAjvErrors(validate.errors).map((v) => {
            const segments = pointerToSegments(v.path);
            const inKernel = segments.includes("parameters") && segments.includes("kernel");
            const message = inKernel && v.message === "must be string"
                ? "kernel parameter values must be strings (quote numbers in YAML, as ASM requires)"
                : v.message;
            return { path: formatPath(segments), message };
        });
        throw new ConfigError(issues, subject);
    }
    const spec = input as GatewayFleetSpec;
    const list = new IssueList();
    const clusters = checkFleet(spec, list);
    list.throwIfAny(subject);
    return { spec, warnings: list.warnings, clusters };
}

function checkFleet(fleet: GatewayFleetSpec, list: IssueList): ValidatedCluster[] {
    const namespace = fleet.namespace ?? DEFAULT_NAMESPACE;
    checkName(fleet.name, list);
    if (!DNS_LABEL.test(namespace)) list.add(["namespace"], `"${namespace}" is not a valid namespace name (a DNS label)`);

    const ids = fleet.clusters.map((c) => c.id);
    const seen = new Set<string>();
    fleet.clusters.forEach((c, i) => {
        if (seen.has(c.id)) list.add(["clusters", i, "id"], `cluster "${c.id}" is listed twice`);
        seen.add(c.id);
        if (!QUALIFIED_NAME.test(c.id) || c.id.length > 63) {
            list.add(["clusters", i, "id"], `"${c.id}" is not a valid cluster id (letters, digits, '-', '_', '.'; at most 63)`);
        }
        if (fleet.mode === "istio" && c.kubeconfig !== undefined && c.ackClusterId !== undefined) {
            list.add(["clusters", i], "give either kubeconfig or ackClusterId, not both");
        }
        const ownObjects = (effectiveSpec(fleet.gateway, c.id).additionalLoadBalancers ?? []).length > 0
            || (fleet.certificates ?? []).some((cert) => (cert.pem !== undefined && usedByGateway(cert, fleet.routing)) || cert.certManager !== undefined);
        if (fleet.mode === "asm" && !ownObjects && (c.kubeconfig !== undefined || c.ackClusterId !== undefined)) {
            list.warn(["clusters", i], "asm mode reaches clusters through the mesh control plane; this cluster's credentials are not used (only additional load balancers' Services and TLS Secrets need them)");
        }
    });

    const gateway = fleet.gateway;
    if (gateway.clusterIds !== undefined) {
        const missing = gateway.clusterIds.filter((id) => !seen.has(id));
        const extra = ids.filter((id) => !gateway.clusterIds!.includes(id));
        if (missing.length > 0 || extra.length > 0) {
            list.add(["gateway", "clusterIds"], `must name the same clusters as clusters (${ids.join(", ")}); got ${gateway.clusterIds.join(", ")}`);
        }
    }

    if (fleet.mode === "asm") checkAsm(fleet, list);
    else checkIstio(fleet, list);

    checkGateway(gateway, ["gateway"], fleet, list);
    for (const [clusterId, override] of Object.entries(gateway.overrides ?? {})) {
        const path: PathSegment[] = ["gateway", "overrides", { key: clusterId }];
        if (!seen.has(clusterId)) {
            list.add(path, `cluster ${clusterId} is not in clusters (${ids.join(", ")})`);
            continue;
        }
        // Rules that span fields are checked on the cluster's effective spec, so an override that
        // breaks a rule together with a base field is caught where the user wrote the override.
        checkGateway(effectiveSpec(gateway, clusterId), path, fleet, list, override);
    }

    const drain = fleet.gracefulShutdown?.drainSeconds ?? DEFAULTS.drainSeconds;
    const workload = `istio-${fleet.name}`;
    const perCluster = fleet.clusters.map((c): ValidatedCluster => {
        const spec = effectiveSpec(gateway, c.id);
        return { clusterId: c.id, spec, loadBalancers: planLoadBalancers(gateway, c.id, spec, workload, fleet.namespace ?? DEFAULT_NAMESPACE) };
    });
    checkLoadBalancers(fleet, perCluster, drain, list);
    // The gateway as the Ingress controller (core/ingressClass.ts).
    checkIngressClass(fleet, list);
    for (const note of ingressClassNotes(fleet, workloadNames(fleet.name))) list.warnRaw(note);
    for (const c of perCluster) {
        for (const lb of c.loadBalancers) for (const note of loadBalancerNotes(lb, c.clusterId)) list.warnRaw(note);
    }

    if (fleet.routing !== undefined) {
        checkRouting(fleet.routing, gateway.ports ?? DEFAULTS.ports, gateway.gatewayType ?? DEFAULTS.gatewayType, list, meshTarget(fleet));
        // Listeners are the same everywhere; a cluster that overrides ports must still have theirs.
        for (const c of perCluster.filter((x) => gateway.overrides?.[x.clusterId]?.ports !== undefined)) {
            const own = new Set((c.spec.ports ?? DEFAULTS.ports).map((p) => p.port));
            (fleet.routing.listeners ?? []).forEach((l, i) => {
                if (!own.has(l.port)) list.add(["routing", "listeners", i, "port"], `cluster ${c.clusterId}'s gateway Service has no port ${l.port} (gateway.overrides["${c.clusterId}"].ports)`);
            });
        }
    }
    if (fleet.routing?.namespace !== undefined && !DNS_LABEL.test(fleet.routing.namespace)) list.add(["routing", "namespace"], `"${fleet.routing.namespace}" is not a valid namespace name (a DNS label)`);

    if (fleet.dns !== undefined || fleet.certificates !== undefined || fleet.security !== undefined || fleet.routing?.listeners !== undefined) {
        const front = perCluster.flatMap((c) => frontServices(c, workload));
        const edge: EdgeContext = {
            mode: fleet.mode,
            clusterIds: ids,
            addressKinds: new Map(perCluster.map((c) => [c.clusterId, new Map(c.loadBalancers.map((lb) => [lb.key, addressKindOf(lb)]))])),
            loadBalancerTlsPorts: loadBalancerTlsPorts(perCluster),
            // Every Service in front of the pods counts: one that hides client addresses lets its
            // clients past an allow-list as node addresses.
            servicesHidingClients: front.filter((s) => !keepsClientAddress(s.spec, s.lb)).map((s) => s.description),
            internetLoadBalancers: front.filter((s) => facesInternet(s.spec, s.lb)).map((s) => s.description),
            httpPorts: httpTargetPorts(fleet.routing, perCluster.map((c) => c.spec)),
            clustersWithCredentials: new Set(fleet.clusters.filter((c) => c.kubeconfig !== undefined || c.ackClusterId !== undefined).map((c) => c.id)),
            now: new Date(),
        };
        if (fleet.dns !== undefined) checkDns(fleet.dns, fleet.routing, edge, list);
        checkCertificates(fleet.certificates ?? [], fleet.routing, edge, list);
        if (fleet.security !== undefined) checkSecurity(fleet.security, fleet.routing, edge, list);
    }
    for (const c of perCluster) {
        for (const lb of c.loadBalancers) {
            const tls = lb.settings.tls;
            if (tls === undefined) continue;
            const cert = (fleet.certificates ?? []).find((x) => x.name === tls.certificate);
            if (cert?.pem === undefined) {
                list.add([...lb.path, "tls", "certificate"], `"${tls.certificate}" must be a certificates entry with pem (it is uploaded to Alibaba Cloud for the load balancer)`);
            }
            (fleet.routing?.listeners ?? []).forEach((l, i) => {
                if (tls.ports.includes(l.port) && (l.protocol === "HTTPS" || (l.protocol === "TLS" && l.tls?.mode !== "PASSTHROUGH"))) {
                    list.add(["routing", "listeners", i, "protocol"], `the load balancer terminates TLS on port ${l.port} (${formatPath([...lb.path, "tls"])}), so the gateway receives plain traffic there: use protocol HTTP`);
                }
            });
        }
    }

    const grace = fleet.gracefulShutdown?.terminationGracePeriodSeconds;
    if (grace !== undefined && drain > grace) {
        list.add(["gracefulShutdown", "drainSeconds"], `${drain}s is longer than terminationGracePeriodSeconds (${grace}s): the pod would be killed mid-drain`);
    }
    return perCluster;
}

interface FrontService {
    spec: GatewaySpec;
    lb?: LoadBalancerPlan;
    /** How messages name it: `Service istio-edge in cluster c1 (gateway.loadBalancer)`. */
    description: string;
}

/** The Services in front of the gateway pods in one cluster: the gateway's own, and one per additional load balancer. */
function frontServices(c: ValidatedCluster, workload: string): FrontService[] {
    const services = [
        { name: workload, lb: c.loadBalancers.find((l) => l.key === DEFAULT_LB_KEY) },
        ...c.loadBalancers.filter((l) => l.key !== DEFAULT_LB_KEY).map((lb) => ({ name: lb.serviceName, lb })),
    ];
    return services.map(({ name, lb }) => ({
        spec: c.spec,
        lb,
        description: `Service ${name} in cluster ${c.clusterId}${lb === undefined ? "" : ` (${formatPath(lb.path)})`}`,
    }));
}

/** Whether a Service gets a load balancer on the internet (the cloud controller's default address type). */
function facesInternet(spec: GatewaySpec, lb: LoadBalancerPlan | undefined): boolean {
    if (lb !== undefined) return lb.settings.addressType === "internet";
    const type = spec.serviceType ?? DEFAULTS.serviceType[spec.gatewayType ?? DEFAULTS.gatewayType];
    return type === "LoadBalancer" && spec.serviceAnnotations?.[`${CCM_ANNOTATION_PREFIX}address-type`] !== "intranet";
}

function checkName(name: string, list: IssueList): void {
    const workload = `istio-${name}`;
    if (!DNS_LABEL.test(name)) list.add(["name"], `"${name}" is not a valid gateway name (lower-case letters, digits and '-')`);
    else if (workload.length > 63) list.add(["name"], `too long: the workload name ${workload} must fit in 63 characters`);
}

function checkAsm(fleet: GatewayFleetSpec, list: IssueList): void {
    if ((fleet.namespace ?? DEFAULT_NAMESPACE) !== DEFAULT_NAMESPACE) {
        list.add(["namespace"], `ASM gateways must be in ${DEFAULT_NAMESPACE} (gateways elsewhere cannot read their configuration in Istio 1.6 and later)`);
    }
    if (fleet.controlPlane === undefined || (fleet.controlPlane.kubeconfig === undefined && fleet.controlPlane.serviceMeshId === undefined)) {
        list.add(["controlPlane"], "asm mode needs the mesh control plane: give controlPlane.kubeconfig or controlPlane.serviceMeshId");
    } else if (fleet.controlPlane.kubeconfig !== undefined && fleet.controlPlane.serviceMeshId !== undefined) {
        list.add(["controlPlane"], "give either kubeconfig or serviceMeshId, not both");
    }
    if (fleet.gracefulShutdown?.terminationGracePeriodSeconds !== undefined) {
        list.add(["gracefulShutdown", "terminationGracePeriodSeconds"], "ASM fixes the gateway pod's grace period at 30s; set it only in istio mode");
    }
    if ((fleet.gracefulShutdown?.drainSeconds ?? 0) > DEFAULTS.terminationGracePeriodSeconds) {
        list.add(["gracefulShutdown", "drainSeconds"], `must be at most ${DEFAULTS.terminationGracePeriodSeconds}s, the grace period of ASM gateway pods`);
    }
    if (fleet.revision !== undefined) list.add(["revision"], "ASM chooses the gateway's revision; set revision only in istio mode");
    if (fleet.istioVersion !== undefined) list.add(["istioVersion"], "in asm mode the Istio version is the one asmVersion embeds; give asmVersion");
    for (const [clusterId, override] of Object.entries(fleet.gateway.overrides ?? {})) {
        for (const field of Object.keys(override)) {
            const path: PathSegment[] = ["gateway", "overrides", { key: clusterId }, field];
            if ((COMPONENT_FIELDS as readonly string[]).includes(field)) continue;
            if (!(field in ASM_OVERRIDABLE_FIELDS)) {
                list.add(path, `ASM does not apply ${field} per cluster; overrides may set only ${Object.keys(ASM_OVERRIDABLE_FIELDS).join(", ")} (use istio mode for per-cluster ${field})`);
                continue;
            }
            const since = ASM_OVERRIDABLE_FIELDS[field];
            if (since && fleet.asmVersion !== undefined && compareVersions(fleet.asmVersion, since) < 0) {
                list.add(path, `ASM ${fleet.asmVersion} ignores ${field} in overrides; it needs ASM ${since} or later`);
            }
        }
    }
}

function checkIstio(fleet: GatewayFleetSpec, list: IssueList): void {
    if (fleet.controlPlane !== undefined) list.warn(["controlPlane"], "istio mode does not use the ASM control plane");
    if (fleet.asmVersion !== undefined) list.warn(["asmVersion"], "istio mode ignores asmVersion (istioVersion gives the mesh's version)");
    if (fleet.gateway.autoCreateGatewayYaml === true) {
        list.warn(["gateway", "autoCreateGatewayYaml"], "only ASM creates an Istio Gateway by itself; declare routes instead");
    }
    if (fleet.revision !== undefined && !DNS_LABEL.test(fleet.revision)) {
        list.add(["revision"], `"${fleet.revision}" is not a valid revision name (a DNS label)`);
    }
}

/**
 * Rules on one gateway spec. `own` is the override being checked, when there is one: rules that
 * concern only fields the override did not set were already reported on the base spec.
 */
function checkGateway(spec: GatewaySpec, path: PathSegment[], fleet: GatewayFleetSpec, list: IssueList, own?: GatewayOverride): void {
    const mine = (field: keyof GatewayOverride) => own === undefined || field in own;
    const anyMine = (...fields: (keyof GatewayOverride)[]) => fields.some(mine);
    const at = (...rest: PathSegment[]) => [...path, ...rest];
    const gatewayType = spec.gatewayType ?? DEFAULTS.gatewayType;
    const serviceType = spec.serviceType ?? DEFAULTS.serviceType[gatewayType];
    const ports = spec.ports ?? DEFAULTS.ports;
    const istio = fleet.mode === "istio";

    if (mine("ports")) {
        const names = new Map<string, number>();
        const numbers = new Map<number, number>();
        ports.forEach((p, i) => {
            if (!DNS_LABEL.test(p.name) || p.name.length > 63) list.add(at("ports", i, "name"), `"${p.name}" is not a valid port name (a DNS label: lower-case letters, digits, '-')`);
            if (names.has(p.name)) list.add(at("ports", i, "name"), `duplicate port name "${p.name}" (also ports[${names.get(p.name)}])`);
            if (numbers.has(p.port)) list.add(at("ports", i, "port"), `duplicate port ${p.port} (also ports[${numbers.get(p.port)}])`);
            names.set(p.name, i);
            numbers.set(p.port, i);
            const target = p.targetPort || p.port;
            if (PROXY_PORTS.has(target)) list.add(at("ports", i, "targetPort"), `${target} belongs to the injected Envoy proxy; choose another target port`);
        });
    }
    if (anyMine("ports", "serviceType") && serviceType === "ClusterIP") {
        ports.forEach((p, i) => {
            if (p.nodePort !== undefined) list.add(at("ports", i, "nodePort"), "a ClusterIP Service has no node ports");
        });
    }
    if (anyMine("externalTrafficPolicy", "serviceType") && spec.externalTrafficPolicy !== undefined && serviceType === "ClusterIP") {
        list.add(at("externalTrafficPolicy"), "applies only to LoadBalancer and NodePort Services; serviceType is ClusterIP");
    }
    for (const field of ["loadBalancerClass", "loadBalancerIP"] as const) {
        if (anyMine(field, "serviceType") && spec[field] !== undefined && serviceType !== "LoadBalancer") {
            list.add(at(field), `applies only when serviceType is LoadBalancer; it is ${serviceType}`);
        }
    }
    if (anyMine("serviceAnnotations", "serviceType") && spec.serviceAnnotations && serviceType === "ClusterIP") {
        const lb = Object.keys(spec.serviceAnnotations).filter((k) => k.includes("loadbalancer"));
        if (lb.length > 0) list.warn(at("serviceAnnotations"), `load balancer annotations (${lb.join(", ")}) have no effect on a ClusterIP Service`);
    }

    for (const field of ["serviceAnnotations", "podAnnotations"] as const) {
        if (mine(field)) checkKeys(spec[field], at(field), "annotation", list);
    }
    for (const field of ["serviceLabels", "podLabels", "nodeSelector"] as const) {
        if (mine(field)) {
            checkKeys(spec[field], at(field), "label", list);
            for (const [k, v] of Object.entries(spec[field] ?? {})) {
                if (!LABEL_VALUE.test(v) || v.length > 63) list.add(at(field, k), `"${v}" is not a valid label value (at most 63 letters, digits, '-', '_', '.')`);
            }
        }
    }
    if (mine("podLabels")) {
        for (const k of ["app", "istio"]) {
            if (spec.podLabels?.[k] !== undefined) list.add(at("podLabels", k), `the gateway's Service selects its pods by the ${k} label; it cannot be changed`);
        }
    }

    if (mine("env")) {
        const seen = new Set<string>();
        (spec.env ?? []).forEach((e, i) => {
            if (seen.has(e.name)) list.add(at("env", i, "name"), `duplicate environment variable ${e.name}`);
            seen.add(e.name);
            if (e.value !== undefined && e.valueFrom !== undefined) list.add(at("env", i), "give either value or valueFrom, not both");
        });
    }

    for (const field of ["rollingMaxSurge", "rollingMaxUnavailable"] as const) {
        const v = spec[field];
        if (mine(field) && v !== undefined) {
            if (typeof v === "number" ? v < 0 : !PERCENT_OR_COUNT.test(v) && !/^\d+$/.test(v)) {
                list.add(at(field), `"${v}" must be a number of pods or a percentage such as "25%"`);
            } else if (typeof v === "string" && PERCENT_OR_COUNT.test(v) && Number(v.slice(0, -1)) > 100 && field === "rollingMaxUnavailable") {
                list.add(at(field), "cannot exceed 100%");
            }
        }
    }
    if (anyMine("rollingMaxSurge", "rollingMaxUnavailable") && isZeroIntOrPercent(spec.rollingMaxSurge) && isZeroIntOrPercent(spec.rollingMaxUnavailable)) {
        list.add(at("rollingMaxUnavailable"), "rollingMaxSurge and rollingMaxUnavailable cannot both be 0: the rollout could never progress");
    }

    const hpaFields = ["autoscaleEnabled", "cpu", "memory", "minReplicas", "maxReplicas"] as const;
    if (anyMine(...hpaFields)) {
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
    }

    if (anyMine("configVolumes", "secretVolumes")) {
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
            if (mounts.has(v.mountPath)) list.add(at(v.field, v.i, "mountPath"), `${v.mountPath} is also mounted by ${mounts.get(v.mountPath)}`);
            names.set(v.name, where);
            mounts.set(v.mountPath, where);
        }
    }

    if (anyMine("kernel", "hostNetwork")) {
        const enabled = spec.kernel?.enabled === true;
        for (const [name, value] of Object.entries(spec.kernel?.parameters ?? {})) {
            const p = at("kernel", "parameters", name);
            if (mine("kernel")) {
                if (value.trim() === "") list.add(p, "value is empty");
                const info = classifySysctl(name);
                if (!info) list.add(p, `${name} cannot be set per pod: only namespaced sysctls (net.*, kernel.shm*, kernel.msg*, kernel.sem, fs.mqueue.*) can`);
                else if (info.kind === "node-level" || info.kind === "removed") list.add(p, `${name} cannot be set per pod: ${info.note}`);
                else if (enabled && info.kind === "unsafe") list.warn(p, `${name} is an unsafe sysctl: gateway pods start only on nodes whose kubelet allows it (--allowed-unsafe-sysctls)`);
                else if (enabled && info.kind === "vendor") list.warn(p, `${name}: ${info.note}; pods fail elsewhere`);
                else if (enabled && info.safeSince) list.warn(p, `${name} is safe from Kubernetes ${info.safeSince}; older clusters treat it as unsafe`);
            }
            if (enabled && spec.hostNetwork === true && name.startsWith("net.")) {
                list.add(p, `net.* sysctls cannot be set with hostNetwork: true (they would change the node's network namespace)`);
            }
        }
    }
    if (anyMine("hostNetwork", "ports", "runAsRoot") && istio && spec.hostNetwork === true && spec.runAsRoot !== true) {
        const low = ports.map((p) => p.targetPort || p.port).filter((t) => t < 1024);
        if (low.length > 0) {
            list.add(at("hostNetwork"), `target ports below 1024 (${low.join(", ")}) need runAsRoot: true with hostNetwork, because ip_unprivileged_port_start cannot be lowered on the host network`);
        }
    }
    if (anyMine("hostNetwork", "dnsPolicy") && spec.hostNetwork === true && (spec.dnsPolicy ?? "ClusterFirst") === "ClusterFirst") {
        list.warn(at("dnsPolicy"), "with hostNetwork, ClusterFirst falls back to the node's resolver; use ClusterFirstWithHostNet to resolve cluster names");
    }

    if (mine("compression") && spec.compression?.enabled === true) {
        if (gatewayType === "egress") list.add(at("compression", "enabled"), "compression applies to ingress gateways only");
        if (spec.compression.gzip === undefined) list.add(at("compression", "gzip"), "is required to enable compression ({} takes every default)");
    }
    if (mine("readinessProbe") && istio && spec.readinessProbe?.successThreshold !== undefined) {
        list.warn(at("readinessProbe", "successThreshold"), "the Istio injector does not take successThreshold; it stays at 1");
    }
    if (istio) checkChartFields(spec, at, mine, anyMine, serviceType, list);
    // In asm mode an override's field is refused by the override rules already.
    else if (own === undefined) {
        for (const field of ISTIO_ONLY_FIELDS) {
            if (spec[field] !== undefined) list.add(at(field), `${ASM_REFUSALS[field]}; use istio mode, or leave ${field} out`);
        }
    }
}

/** Why asm mode cannot pass on each field beyond the IstioGateway CRD that only istio mode renders. */
const ASM_REFUSALS: Record<(typeof ISTIO_ONLY_FIELDS)[number], string> = {
    loadBalancerSourceRanges: "ASM renders the gateway Service and the IstioGateway has no field for its source ranges (on Alibaba Cloud, the load balancer's ACL annotations in serviceAnnotations do the same: service.beta.kubernetes.io/alibaba-cloud-loadbalancer-acl-status, -acl-id, -acl-type)",
    ipFamilies: "ASM renders the gateway Service and the IstioGateway has no field for its IP families",
    ipFamilyPolicy: "ASM renders the gateway Service and the IstioGateway has no field for its IP family policy",
    externalIPs: "ASM renders the gateway Service and the IstioGateway has no field for external IPs",
    topologySpreadConstraints: "ASM renders the gateway pods and the IstioGateway has no field for topology spread constraints (spreadReplicas spreads them by anti-affinity)",
    priorityClassName: "ASM renders the gateway pods and the IstioGateway has no field for their priority class",
    imagePullSecrets: "ASM renders the gateway pods and pulls the proxy image itself; the IstioGateway has no field for pull secrets",
    serviceAccountAnnotations: "ASM creates the gateway's ServiceAccount and the IstioGateway has no field for its annotations",
    autoscaleBehavior: "ASM renders the HPA from cpu, memory, minReplicas and maxReplicas only; the IstioGateway has no field for its behavior",
    podDisruptionBudget: "ASM renders the gateway workload and the IstioGateway has no field for a PodDisruptionBudget",
    annotations: "ASM renders the gateway's objects and the IstioGateway has no field for annotations on all of them (serviceAnnotations and podAnnotations are its fields)",
    kind: "ASM renders the gateway workload as a Deployment and the IstioGateway has no field for its kind",
};

/** Rules on the chart's values that the spec carries beyond the IstioGateway CRD (istio mode). */
function checkChartFields(
    spec: GatewaySpec,
    at: (...rest: PathSegment[]) => PathSegment[],
    mine: (field: keyof GatewayOverride) => boolean,
    anyMine: (...fields: (keyof GatewayOverride)[]) => boolean,
    serviceType: string,
    list: IssueList,
): void {
    if (anyMine("loadBalancerSourceRanges", "serviceType") && spec.loadBalancerSourceRanges !== undefined && serviceType !== "LoadBalancer") {
        list.add(at("loadBalancerSourceRanges"), `applies only when serviceType is LoadBalancer; it is ${serviceType}`);
    }
    // Alibaba Cloud's controller applies source ranges only to an NLB it creates itself; a load
    // balancer bound by id (the component's loadBalancer) counts as user-managed and keeps none.
    if (anyMine("loadBalancerSourceRanges", "loadBalancer") && spec.loadBalancerSourceRanges !== undefined && spec.loadBalancer !== undefined) {
        list.warn(at("loadBalancerSourceRanges"), "Alibaba Cloud's cloud controller ignores source ranges on a load balancer bound by id (loadBalancer): use its ACL annotations in serviceAnnotations (service.beta.kubernetes.io/alibaba-cloud-loadbalancer-acl-status, -acl-id, -acl-type) on a CLB, or the NLB's security groups");
    }
    if (mine("loadBalancerSourceRanges")) {
        (spec.loadBalancerSourceRanges ?? []).forEach((cidr, i) => {
            if (!cidr.includes("/") || parseCidr(cidr) === undefined) list.add(at("loadBalancerSourceRanges", i), `"${cidr}" is not a CIDR block (such as 203.0.113.0/24)`);
        });
    }
    if (mine("externalIPs")) {
        (spec.externalIPs ?? []).forEach((ip, i) => {
            if (isIP(ip) === 0) list.add(at("externalIPs", i), `"${ip}" is not an IP address`);
        });
    }
    if (anyMine("ipFamilies", "ipFamilyPolicy") && (spec.ipFamilies?.length ?? 0) === 2 && (spec.ipFamilyPolicy ?? "SingleStack") === "SingleStack") {
        list.add(at("ipFamilyPolicy"), "two ipFamilies need ipFamilyPolicy PreferDualStack or RequireDualStack");
    }
    if (mine("priorityClassName") && spec.priorityClassName !== undefined && (!DNS_SUBDOMAIN.test(spec.priorityClassName) || spec.priorityClassName.length > 253)) {
        list.add(at("priorityClassName"), `"${spec.priorityClassName}" is not a valid PriorityClass name (a DNS subdomain)`);
    }
    if (mine("imagePullSecrets")) {
        (spec.imagePullSecrets ?? []).forEach((r, i) => {
            if (r.name === undefined || !DNS_SUBDOMAIN.test(r.name)) list.add(at("imagePullSecrets", i, "name"), `"${r.name ?? ""}" is not a valid Secret name (a DNS subdomain)`);
        });
    }
    for (const field of ["serviceAccountAnnotations", "annotations"] as const) {
        if (mine(field)) checkKeys(spec[field], at(field), "annotation", list);
    }
    if (mine("topologySpreadConstraints")) {
        (spec.topologySpreadConstraints ?? []).forEach((t, i) => {
            if (!(t.maxSkew >= 1)) list.add(at("topologySpreadConstraints", i, "maxSkew"), "must be at least 1");
            if (t.labelSelector === undefined) list.warn(at("topologySpreadConstraints", i, "labelSelector"), "is unset: the constraint counts no pods and has no effect (select the gateway's pods: app, istio labels)");
        });
    }
    if (anyMine("autoscaleBehavior", "maxReplicas", "autoscaleEnabled") && spec.autoscaleBehavior !== undefined && !autoscaled(spec)) {
        list.warn(at("autoscaleBehavior"), "has no effect without an HPA (maxReplicas or autoscaleEnabled)");
    }
    if (isDaemonSet(spec)) checkDaemonSet(spec, at, mine, anyMine, list);
    if (mine("podDisruptionBudget") && spec.podDisruptionBudget !== undefined) {
        const { minAvailable, maxUnavailable } = spec.podDisruptionBudget;
        if ((minAvailable === undefined) === (maxUnavailable === undefined)) {
            list.add(at("podDisruptionBudget"), "give exactly one of minAvailable and maxUnavailable");
        }
        for (const [field, v] of [["minAvailable", minAvailable], ["maxUnavailable", maxUnavailable]] as const) {
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
}

/** What a DaemonSet (one pod per node, no replica count) cannot take. */
function checkDaemonSet(
    spec: GatewaySpec,
    at: (...rest: PathSegment[]) => PathSegment[],
    mine: (field: keyof GatewayOverride) => boolean,
    anyMine: (...fields: (keyof GatewayOverride)[]) => boolean,
    list: IssueList,
): void {
    const replicaFields = ["replicaCount", "minReplicas", "maxReplicas", "autoscaleEnabled", "podDisruptionBudget"] as const;
    for (const field of replicaFields) {
        const value = spec[field];
        if (value === undefined || value === false) continue;
        const why = field === "podDisruptionBudget"
            ? "its pods go with their nodes (Istio's chart renders no PodDisruptionBudget for it)"
            : "it runs one pod on each node the pods may schedule on (no replica count, no HPA)";
        if (mine(field)) list.add(at(field), `does not apply to kind DaemonSet: ${why}`);
        // A cluster that overrides kind still inherits the base spec's replica settings: they
        // cannot apply to it, and it says so rather than refusing the base.
        else if (mine("kind")) list.warn(at("kind"), `this cluster runs a DaemonSet, so the base spec's ${field} does not apply to it: ${why}`);
    }
    for (const field of ["cpu", "memory"] as const) {
        if (anyMine("kind", field) && spec[field] !== undefined) list.warn(at(field), "has no effect with kind DaemonSet (no HPA)");
    }
    const surge = spec.rollingMaxSurge;
    const unavailable = spec.rollingMaxUnavailable;
    if (anyMine("kind", "rollingMaxSurge", "rollingMaxUnavailable") && surge !== undefined && unavailable !== undefined && !isZeroIntOrPercent(surge) && !isZeroIntOrPercent(unavailable)) {
        list.add(at("rollingMaxSurge"), "a DaemonSet takes rollingMaxSurge or rollingMaxUnavailable, not both non-zero (one new pod per node either replaces or joins the old one)");
    }
    if (anyMine("kind", "rollingMaxSurge") && typeof surge === "string" && Number(PERCENT_OR_COUNT.exec(surge)?.[1] ?? 0) > 100) {
        list.add(at("rollingMaxSurge"), "cannot exceed 100% for a DaemonSet");
    }
    if (anyMine("kind", "rollingMaxSurge", "rollingMaxUnavailable") && surge === undefined && isZeroIntOrPercent(unavailable)) {
        list.add(at("rollingMaxUnavailable"), "is 0 while a DaemonSet's rollingMaxSurge defaults to 0: set rollingMaxSurge, or the update could never progress");
    }
    // With a surge the DaemonSet controller deletes a node's old pod only once the new one is
    // available, and on the host network the new one cannot bind the ports the old one holds.
    if (anyMine("kind", "rollingMaxSurge", "hostNetwork") && spec.hostNetwork === true && surge !== undefined && !isZeroIntOrPercent(surge)) {
        list.add(at("rollingMaxSurge"), "with hostNetwork a DaemonSet's surge pod cannot bind the node ports its old pod holds, never becomes ready, and the update stalls: use rollingMaxUnavailable");
    }
}

function checkKeys(map: Record<string, string> | undefined, path: PathSegment[], what: string, list: IssueList): void {
    for (const key of Object.keys(map ?? {})) {
        const slash = key.lastIndexOf("/");
        const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
        const name = slash >= 0 ? key.slice(slash + 1) : key;
        const ok = QUALIFIED_NAME.test(name) && name.length <= 63 && (prefix === undefined || (DNS_SUBDOMAIN.test(prefix) && prefix.length <= 253));
        if (!ok) list.add([...path, key], `"${key}" is not a valid ${what} key ([prefix/]name: name of at most 63 letters, digits, '-', '_', '.')`);
    }
}

export function compareVersions(a: string, b: string): number {
    const pa = a.split(".").map(Number);
    const pb = b.split(".").map(Number);
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
        const d = (pa[i] ?? 0) - (pb[i] ?? 0);
        if (d !== 0) return d;
    }
    return 0;
}
