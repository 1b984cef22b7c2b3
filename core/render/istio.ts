// The objects the official Istio `gateway` chart renders, one function per kind, each a direct
// function of one cluster's effective spec. The sidecar injector completes the Deployment
// (image, args, env, readiness probe), so none of those are emitted here.
import type { DaemonSet, Deployment } from "kubernetes-types/apps/v1";
import type { HorizontalPodAutoscaler, MetricSpec } from "kubernetes-types/autoscaling/v2";
import type { Container, ContainerPort, PodSpec, PodTemplateSpec, Sysctl, Volume, VolumeMount } from "kubernetes-types/core/v1";
import type { PodDisruptionBudget } from "kubernetes-types/policy/v1";
import type { Role, RoleBinding } from "kubernetes-types/rbac/v1";
import { DEFAULTS, PROMETHEUS_PORT, isZeroIntOrPercent, kubernetesIntOrString, kubernetesLifecycle, type GatewaySpec } from "../spec";
import type { WorkloadNames } from "../fleet";
import { compact, httpFilterBeforeRouter, withProxyConfig, withSpreadAffinity, type KubeObject } from "./common";
import { autoscaled, isDaemonSet, targetPort } from "../effective";
import { isDefaultLoadBalancer, type ServiceBinding } from "../loadBalancer";
import { additionalServices, gatewayService } from "./service";

export interface IstioRenderContext<Id = string> {
    names: WorkloadNames;
    namespace: string;
    revision?: string;
    spreadReplicas: boolean;
    drainSeconds: number;
    terminationGracePeriodSeconds: number;
    /** L7 proxies in front that add X-Forwarded-For (edge security's IP lists). */
    numTrustedProxies?: number;
    /** This cluster's load balancers: `default` binds the gateway Service, others get their own. */
    bindings: ServiceBinding<Id>[];
}

export function renderIstioGateway<Id = string>(spec: GatewaySpec, ctx: IstioRenderContext<Id>): KubeObject<string | Id>[] {
    const objects: KubeObject<string | Id>[] = [
        serviceAccount(spec, ctx),
        role(ctx),
        roleBinding(ctx),
        isDaemonSet(spec) ? daemonSet(spec, ctx) : deployment(spec, ctx),
        gatewayService(
            spec,
            ctx,
            ctx.names.workload,
            spec.ports ?? DEFAULTS.ports,
            ctx.bindings.find((b) => isDefaultLoadBalancer(b.lb.key)),
        ),
        ...additionalServices(spec, ctx, ctx.bindings),
    ];
    if (autoscaled(spec)) objects.push(hpa(spec, ctx));
    const guaranteed = autoscaled(spec) ? (spec.minReplicas ?? DEFAULTS.minReplicas) : (spec.replicaCount ?? DEFAULTS.replicaCount);
    // A PDB over a single replica would block every node drain; a DaemonSet's pods go with their
    // nodes, and the chart renders none for it (it has no replicaCount).
    if (!isDaemonSet(spec) && guaranteed > 1) objects.push(pdb(spec, ctx));
    if (spec.compression?.enabled === true) objects.push(compressionFilter(spec, ctx));
    // The chart's top-level `annotations`, on every object (a Service's own annotations win).
    if (spec.annotations !== undefined) {
        for (const o of objects) o.metadata.annotations = { ...spec.annotations, ...o.metadata.annotations };
    }
    return objects;
}

function metadata(ctx: IstioRenderContext<unknown>, name = ctx.names.workload, extraLabels: Record<string, string> = {}) {
    return { name, namespace: ctx.namespace, labels: { ...ctx.names.selector, ...extraLabels } };
}

function serviceAccount(spec: GatewaySpec, ctx: IstioRenderContext<unknown>): KubeObject {
    const annotations = spec.serviceAccountAnnotations;
    return {
        apiVersion: "v1",
        kind: "ServiceAccount",
        metadata: annotations === undefined ? metadata(ctx) : { ...metadata(ctx), annotations: { ...annotations } },
    };
}

// The gateway reads TLS credentials (credentialName) from Secrets in its own namespace.
function role(ctx: IstioRenderContext<unknown>): KubeObject & Role {
    return {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "Role",
        metadata: metadata(ctx),
        rules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["get", "watch", "list"] }],
    };
}

function roleBinding(ctx: IstioRenderContext<unknown>): KubeObject & RoleBinding {
    return {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "RoleBinding",
        metadata: metadata(ctx),
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: ctx.names.workload },
        subjects: [{ kind: "ServiceAccount", name: ctx.names.workload }],
    };
}

function podTemplate(spec: GatewaySpec, ctx: IstioRenderContext<unknown>): PodTemplateSpec {
    const sysctls = podSysctls(spec);
    const volumes: Volume[] = [
        ...(spec.configVolumes ?? []).map((v) => ({ name: v.name, configMap: { name: v.configMapName } })),
        ...(spec.secretVolumes ?? []).map((v) => ({ name: v.name, secret: { secretName: v.secretName } })),
    ];
    const podSpec: PodSpec = compact({
        serviceAccountName: ctx.names.workload,
        securityContext: sysctls.length > 0 ? { sysctls } : undefined,
        hostNetwork: spec.hostNetwork === true ? true : undefined,
        dnsPolicy: spec.dnsPolicy,
        nodeSelector: spec.nodeSelector,
        // A DaemonSet already runs one pod per node.
        affinity: ctx.spreadReplicas && !isDaemonSet(spec) ? withSpreadAffinity(spec.affinity, ctx.names.selector) : spec.affinity,
        tolerations: spec.tolerations,
        topologySpreadConstraints: spec.topologySpreadConstraints,
        priorityClassName: spec.priorityClassName,
        imagePullSecrets: spec.imagePullSecrets,
        terminationGracePeriodSeconds: ctx.terminationGracePeriodSeconds,
        containers: [proxyContainer(spec)],
        volumes: volumes.length > 0 ? volumes : undefined,
    });
    return { metadata: { labels: podLabels(spec, ctx), annotations: podAnnotations(spec, ctx) }, spec: podSpec };
}

function podLabels(spec: GatewaySpec, ctx: IstioRenderContext<unknown>): Record<string, string> {
    return {
        // As the chart: a gateway pod runs its own proxy and must not also be captured by
        // ambient mode's ztunnel when its namespace is enrolled.
        "istio.io/dataplane-mode": "none",
        ...spec.podLabels,
        ...ctx.names.selector,
        "sidecar.istio.io/inject": "true",
        ...(ctx.revision ? { "istio.io/rev": ctx.revision } : {}),
    };
}

function podAnnotations(spec: GatewaySpec, ctx: IstioRenderContext<unknown>): Record<string, string> {
    const annotations = withProxyConfig(
        { "inject.istio.io/templates": "gateway", ...spec.podAnnotations },
        ctx.drainSeconds,
        ctx.numTrustedProxies,
    );
    if (spec.readinessProbe?.failureThreshold !== undefined) {
        annotations["readiness.status.sidecar.istio.io/failureThreshold"] = String(spec.readinessProbe.failureThreshold);
    }
    if (spec.readinessProbe?.periodSeconds !== undefined) {
        annotations["readiness.status.sidecar.istio.io/periodSeconds"] = String(spec.readinessProbe.periodSeconds);
    }
    return annotations;
}

function podSysctls(spec: GatewaySpec): Sysctl[] {
    const sysctls: Sysctl[] = [];
    // Lets the non-root proxy bind 80 and 443; net.* sysctls are not allowed on the host network.
    if (spec.hostNetwork !== true) sysctls.push({ name: "net.ipv4.ip_unprivileged_port_start", value: "0" });
    if (spec.kernel?.enabled === true) {
        for (const [name, value] of Object.entries(spec.kernel.parameters ?? {})) {
            const i = sysctls.findIndex((s) => s.name === name);
            if (i >= 0) sysctls.splice(i, 1);
            sysctls.push({ name, value });
        }
    }
    return sysctls;
}

function proxyContainer(spec: GatewaySpec): Container {
    const volumeMounts: VolumeMount[] = [
        ...(spec.configVolumes ?? []).map((v) => ({ name: v.name, mountPath: v.mountPath, readOnly: true })),
        ...(spec.secretVolumes ?? []).map((v) => ({ name: v.name, mountPath: v.mountPath, readOnly: true })),
    ];
    return compact({
        name: "istio-proxy",
        // "auto": the injector replaces it with the proxy image of the mesh's revision.
        image: "auto",
        ports: containerPorts(spec),
        env: spec.env,
        resources: spec.resources ?? DEFAULTS.resources,
        lifecycle: kubernetesLifecycle(spec.lifecycle),
        volumeMounts: volumeMounts.length > 0 ? volumeMounts : undefined,
        securityContext:
            spec.runAsRoot === true
                ? { runAsUser: 0, runAsGroup: 0, runAsNonRoot: false }
                : {
                      allowPrivilegeEscalation: false,
                      capabilities: { drop: ["ALL"] },
                      privileged: false,
                      readOnlyRootFilesystem: true,
                      // No runAsUser/runAsGroup, as in Istio's chart: the injector picks the proxy's ids
                      // (1337, or the namespace's assigned range on OpenShift), and a value here would
                      // override its choice and be refused by OpenShift's restricted policy.
                      runAsNonRoot: true,
                  },
    });
}

function containerPorts(spec: GatewaySpec): ContainerPort[] {
    const ports: ContainerPort[] = [{ containerPort: PROMETHEUS_PORT, name: "http-envoy-prom", protocol: "TCP" }];
    if (spec.disableContainerPortExposed !== true) {
        for (const p of spec.ports ?? DEFAULTS.ports) {
            const port = targetPort(p);
            if (!ports.some((c) => c.containerPort === port)) {
                ports.push({ containerPort: port, protocol: p.protocol === "UDP" ? "UDP" : "TCP" });
            }
        }
    }
    return ports;
}

function rollingUpdate(spec: GatewaySpec) {
    return compact({
        maxSurge: kubernetesIntOrString(spec.rollingMaxSurge),
        maxUnavailable: kubernetesIntOrString(spec.rollingMaxUnavailable),
    });
}

function deployment(spec: GatewaySpec, ctx: IstioRenderContext<unknown>): KubeObject & Deployment {
    const rolling = rollingUpdate(spec);
    return {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: metadata(ctx),
        spec: compact({
            // No replicas under an HPA: Pulumi would reset the count on every update.
            replicas: autoscaled(spec) ? undefined : (spec.replicaCount ?? DEFAULTS.replicaCount),
            selector: { matchLabels: { ...ctx.names.selector } },
            strategy: Object.keys(rolling).length > 0 ? { type: "RollingUpdate", rollingUpdate: rolling } : undefined,
            template: podTemplate(spec, ctx),
        }),
    };
}

function daemonSet(spec: GatewaySpec, ctx: IstioRenderContext<unknown>): KubeObject & DaemonSet {
    const rolling = rollingUpdate(spec);
    // Kubernetes defaults a DaemonSet's maxUnavailable to 1 and accepts exactly one of the two
    // non-zero, so a surge alone must say maxUnavailable 0 itself.
    if (rolling.maxSurge !== undefined && !isZeroIntOrPercent(rolling.maxSurge) && rolling.maxUnavailable === undefined)
        rolling.maxUnavailable = 0;
    return {
        apiVersion: "apps/v1",
        kind: "DaemonSet",
        metadata: metadata(ctx),
        spec: compact({
            selector: { matchLabels: { ...ctx.names.selector } },
            updateStrategy: Object.keys(rolling).length > 0 ? { type: "RollingUpdate", rollingUpdate: rolling } : undefined,
            template: podTemplate(spec, ctx),
        }),
    };
}

function hpa(spec: GatewaySpec, ctx: IstioRenderContext<unknown>): KubeObject & HorizontalPodAutoscaler {
    const metric = (name: "cpu" | "memory", averageUtilization: number): MetricSpec => ({
        type: "Resource",
        resource: { name, target: { type: "Utilization", averageUtilization } },
    });
    const metrics: MetricSpec[] = [];
    if (spec.cpu) metrics.push(metric("cpu", spec.cpu.targetAverageUtilization));
    if (spec.memory) metrics.push(metric("memory", spec.memory.targetAverageUtilization));
    if (metrics.length === 0) metrics.push(metric("cpu", DEFAULTS.cpuTargetAverageUtilization));
    return {
        apiVersion: "autoscaling/v2",
        kind: "HorizontalPodAutoscaler",
        metadata: metadata(ctx),
        spec: {
            scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: ctx.names.workload },
            minReplicas: spec.minReplicas ?? DEFAULTS.minReplicas,
            maxReplicas: spec.maxReplicas!,
            metrics,
            ...(spec.autoscaleBehavior !== undefined ? { behavior: spec.autoscaleBehavior } : {}),
        },
    };
}

function pdb(spec: GatewaySpec, ctx: IstioRenderContext<unknown>): KubeObject & PodDisruptionBudget {
    const budget =
        spec.podDisruptionBudget?.maxUnavailable !== undefined
            ? { maxUnavailable: kubernetesIntOrString(spec.podDisruptionBudget.maxUnavailable) }
            : { minAvailable: kubernetesIntOrString(spec.podDisruptionBudget?.minAvailable) ?? 1 };
    return {
        apiVersion: "policy/v1",
        kind: "PodDisruptionBudget",
        metadata: metadata(ctx),
        spec: { ...budget, selector: { matchLabels: { ...ctx.names.selector } } },
    };
}

/**
 * The compression filter's patch set priority. Its patch is relative (INSERT_BEFORE the router):
 * without a priority Istio's analyzer warns it may not be applied (IST0151), since the order of
 * patch sets at the same priority is not defined. Positive: after Istio's default patch sets.
 */
export const COMPRESSION_FILTER_PRIORITY = 10;

function compressionFilter(spec: GatewaySpec, ctx: IstioRenderContext<unknown>): KubeObject {
    const c = spec.compression!;
    return {
        apiVersion: "networking.istio.io/v1alpha3",
        kind: "EnvoyFilter",
        metadata: metadata(ctx, `${ctx.names.workload}-compression`),
        spec: {
            priority: COMPRESSION_FILTER_PRIORITY,
            workloadSelector: { labels: { ...ctx.names.selector } },
            configPatches: [
                httpFilterBeforeRouter({
                    name: "envoy.filters.http.compressor",
                    typed_config: {
                        "@type": "type.googleapis.com/envoy.extensions.filters.http.compressor.v3.Compressor",
                        response_direction_config: compact({
                            common_config: compact({ min_content_length: c.min_content_length, content_type: c.content_type }),
                            disable_on_etag_header: c.disable_on_etag_header,
                            remove_accept_encoding_header: c.remove_accept_encoding_header,
                        }),
                        compressor_library: {
                            name: "text_optimized",
                            typed_config: {
                                "@type": "type.googleapis.com/envoy.extensions.compression.gzip.compressor.v3.Gzip",
                                ...c.gzip,
                            },
                        },
                    },
                }),
            ],
        },
    };
}
