// The gateway spec, field for field the `spec` of ASM's `IstioGateway` custom resource
// (istio.alibabacloud.com/v1beta1), so an existing ASM manifest's spec is valid input as it is.
// Defaults live here, next to the fields they belong to; renderers never invent their own.
import type { HorizontalPodAutoscalerBehavior } from "kubernetes-types/autoscaling/v2";
import type { Affinity, EnvVar, Lifecycle, LocalObjectReference, ResourceRequirements, Toleration, TopologySpreadConstraint } from "kubernetes-types/core/v1";
import type { AdditionalLoadBalancer, LoadBalancerSettings } from "./loadBalancer";

export type GatewayType = "ingress" | "egress";
export type ServiceType = "LoadBalancer" | "NodePort" | "ClusterIP";
export type ExternalTrafficPolicy = "Local" | "Cluster";
export type DnsPolicy = "ClusterFirst" | "ClusterFirstWithHostNet" | "Default" | "None";
/** The protocols an Istio gateway port may declare (ASM's egress example uses HTTP and HTTPS). */
export type PortProtocol = "HTTP" | "HTTPS" | "HTTP2" | "GRPC" | "GRPC-WEB" | "TCP" | "TLS" | "UDP" | "MONGO" | "REDIS" | "MYSQL";

export interface GatewayPort {
    /** Service port name; unique within the gateway (a DNS label, e.g. `http2`). */
    name: string;
    /** Service port, 1–65535; unique within the gateway. */
    port: number;
    /** Container port the traffic goes to. Unset or 0 (ASM's convention) means the same as `port`. */
    targetPort?: number;
    /** Application protocol, published as the Service port's `appProtocol` so Istio sniffs nothing. */
    protocol?: PortProtocol;
    /** Fixed node port for NodePort and LoadBalancer Services (30000–32767). */
    nodePort?: number;
}

export interface UtilizationTarget {
    /** Average utilization, in percent of the request, that the HPA keeps (1–100). */
    targetAverageUtilization: number;
}

export interface ConfigVolume {
    /** Volume name: a DNS label, unique among the gateway's volumes. */
    name: string;
    /** The ConfigMap to mount, in the gateway's namespace. */
    configMapName: string;
    /** Absolute path inside the `istio-proxy` container. */
    mountPath: string;
}

export interface SecretVolume {
    /** Volume name: a DNS label, unique among the gateway's volumes. */
    name: string;
    /** The Secret to mount, in the gateway's namespace. Mounted read-only. */
    secretName: string;
    /** Absolute path inside the `istio-proxy` container. */
    mountPath: string;
}

export interface KernelSettings {
    /** Applies `parameters` as pod sysctls. Default false: parameters are kept but not applied. */
    enabled?: boolean;
    /** sysctl name to value. Values must be strings (quote numbers in YAML), as in ASM. */
    parameters?: Record<string, string>;
}

export type GzipCompressionLevel =
    | "BEST_SPEED" | "BEST_COMPRESSION" | "DEFAULT_COMPRESSION"
    | "COMPRESSION_LEVEL_1" | "COMPRESSION_LEVEL_2" | "COMPRESSION_LEVEL_3" | "COMPRESSION_LEVEL_4"
    | "COMPRESSION_LEVEL_5" | "COMPRESSION_LEVEL_6" | "COMPRESSION_LEVEL_7" | "COMPRESSION_LEVEL_8"
    | "COMPRESSION_LEVEL_9";
export type GzipCompressionStrategy = "DEFAULT_STRATEGY" | "FILTERED" | "HUFFMAN_ONLY" | "RLE" | "FIXED";

/** zlib settings of Envoy's gzip compressor. Unset fields take Envoy's defaults. */
export interface GzipSettings {
    /** zlib memory level, 1–9 (Envoy default 5). */
    memory_level?: number;
    compression_level?: GzipCompressionLevel;
    compression_strategy?: GzipCompressionStrategy;
    /** zlib window size, 9–15 (Envoy default 12). */
    window_bits?: number;
    /** Output buffer size in bytes, 4096–65536 (Envoy default 4096). */
    chunk_size?: number;
}

/** Response compression (ingress gateways only). */
export interface CompressionSettings {
    enabled?: boolean;
    /** Content types to compress; Envoy's defaults when unset. */
    content_type?: string[];
    /** Smallest response, in bytes, that is compressed (Envoy default 30). */
    min_content_length?: number;
    disable_on_etag_header?: boolean;
    remove_accept_encoding_header?: boolean;
    /** Gzip settings; required to enable compression (`{}` takes every default). */
    gzip?: GzipSettings;
}

/** The IP families a Service may have (Service `spec.ipFamilies`). */
export const IpFamily = { IPv4: "IPv4", IPv6: "IPv6" } as const;
export type IpFamily = (typeof IpFamily)[keyof typeof IpFamily];

/** Service `spec.ipFamilyPolicy`: how many IP families the Service gets. */
export const IpFamilyPolicy = { SingleStack: "SingleStack", PreferDualStack: "PreferDualStack", RequireDualStack: "RequireDualStack" } as const;
export type IpFamilyPolicy = (typeof IpFamilyPolicy)[keyof typeof IpFamilyPolicy];

/**
 * Not an IstioGateway field: the gateway's PodDisruptionBudget, as the chart's
 * `podDisruptionBudget` value. Give one of the two. Like the default (`minAvailable: 1`), it is
 * created only when at least two replicas are guaranteed.
 */
export interface PodDisruptionBudgetSettings {
    /** Pods that must stay up during a voluntary disruption: a count (≥ 0) or a percentage ("50%"). */
    minAvailable?: number | string;
    /** Pods that may be down during a voluntary disruption: a count (≥ 1) or a percentage ("25%"). */
    maxUnavailable?: number | string;
}

/** The readiness probe knobs ASM exposes; the injector fills in the probe itself. */
export interface ReadinessProbeSettings {
    failureThreshold?: number;
    periodSeconds?: number;
    successThreshold?: number;
}

/** The fields of a gateway that `overrides[clusterId]` may change. */
export interface GatewayOverride {
    ports?: GatewayPort[];
    serviceType?: ServiceType;
    loadBalancerClass?: string;
    loadBalancerIP?: string;
    externalTrafficPolicy?: ExternalTrafficPolicy;
    serviceAnnotations?: Record<string, string>;
    serviceLabels?: Record<string, string>;
    hostNetwork?: boolean;
    dnsPolicy?: DnsPolicy;
    env?: EnvVar[];
    podLabels?: Record<string, string>;
    podAnnotations?: Record<string, string>;
    nodeSelector?: Record<string, string>;
    affinity?: Affinity;
    tolerations?: Toleration[];
    replicaCount?: number;
    resources?: ResourceRequirements;
    rollingMaxSurge?: number | string;
    rollingMaxUnavailable?: number | string;
    autoscaleEnabled?: boolean;
    cpu?: UtilizationTarget;
    memory?: UtilizationTarget;
    minReplicas?: number;
    maxReplicas?: number;
    configVolumes?: ConfigVolume[];
    secretVolumes?: SecretVolume[];
    kernel?: KernelSettings;
    compression?: CompressionSettings;
    readinessProbe?: ReadinessProbeSettings;
    runAsRoot?: boolean;
    lifecycle?: Lifecycle;
    disableContainerPortExposed?: boolean;
    /**
     * Not an IstioGateway field: the Alibaba Cloud load balancer the component creates or reuses
     * for the gateway Service, bound with cloud controller annotations. Per cluster in overrides.
     */
    loadBalancer?: LoadBalancerSettings;
    /** Not an IstioGateway field: more load balancers for the same pods, each with its own Service. */
    additionalLoadBalancers?: AdditionalLoadBalancer[];
    /**
     * Not an IstioGateway field (istio mode): client CIDRs the load balancer admits, the Service's
     * `loadBalancerSourceRanges` (the chart's `service.loadBalancerSourceRanges`). LoadBalancer
     * Services only. Default: every client. On Alibaba Cloud the cloud controller applies them
     * only to an NLB it creates itself; a load balancer bound by id (`loadBalancer`) is
     * user-managed to it and keeps none (a warning says so): there, use the CLB's ACL annotations
     * in `serviceAnnotations` or the NLB's security groups.
     */
    loadBalancerSourceRanges?: string[];
    /** Not an IstioGateway field (istio mode): the Service's IP families, 1 or 2 of IPv4/IPv6 (chart `service.ipFamilies`). Default: the cluster's. */
    ipFamilies?: IpFamily[];
    /** Not an IstioGateway field (istio mode): the Service's `ipFamilyPolicy` (chart `service.ipFamilyPolicy`). Default: SingleStack. */
    ipFamilyPolicy?: IpFamilyPolicy;
    /** Not an IstioGateway field (istio mode): IP addresses the nodes accept for the Service (chart `service.externalIPs`). */
    externalIPs?: string[];
    /** Not an IstioGateway field (istio mode): the pod's `topologySpreadConstraints` (chart value of that name). Added to `spreadReplicas`' preferences. */
    topologySpreadConstraints?: TopologySpreadConstraint[];
    /** Not an IstioGateway field (istio mode): the pods' PriorityClass (a DNS subdomain; chart `priorityClassName`). Default: none (priority 0). */
    priorityClassName?: string;
    /** Not an IstioGateway field (istio mode): Secrets, in the gateway's namespace, the kubelet pulls the proxy image with (chart `imagePullSecrets`). */
    imagePullSecrets?: LocalObjectReference[];
    /**
     * Not an IstioGateway field (istio mode): annotations of the gateway's ServiceAccount (chart
     * `serviceAccount.annotations`), e.g. workload identity such as RRSA on ACK
     * (`pod-identity.alibabacloud.com/role-name`).
     */
    serviceAccountAnnotations?: Record<string, string>;
    /**
     * Not an IstioGateway field (istio mode): the HPA's `behavior` (chart
     * `autoscaling.autoscaleBehavior`), e.g. a scale-down stabilization window in seconds
     * (0–3600). Kubernetes' defaults when unset (scale down after 300 s).
     */
    autoscaleBehavior?: HorizontalPodAutoscalerBehavior;
    /** Not an IstioGateway field (istio mode): the PodDisruptionBudget. Default `minAvailable: 1`. */
    podDisruptionBudget?: PodDisruptionBudgetSettings;
    /**
     * Not an IstioGateway field (istio mode): annotations on every object of the gateway workload
     * (chart `annotations`; the Service's own `serviceAnnotations` win on the same key).
     */
    annotations?: Record<string, string>;
}

/** Gateway fields beyond the IstioGateway CRD that only istio mode renders; asm mode refuses them (ASM renders the workload). */
export const ISTIO_ONLY_FIELDS = [
    "loadBalancerSourceRanges", "ipFamilies", "ipFamilyPolicy", "externalIPs", "topologySpreadConstraints", "priorityClassName",
    "imagePullSecrets", "serviceAccountAnnotations", "autoscaleBehavior", "podDisruptionBudget", "annotations",
] as const satisfies readonly (keyof GatewayOverride)[];

/**
 * An ASM `IstioGateway` spec. Every field keeps its CRD name; see
 * `asm-istiogateway-crd-reference` for the console's wording of each.
 */
export interface GatewaySpec extends GatewayOverride {
    /** `ingress` (default) or `egress`. */
    gatewayType?: GatewayType;
    /**
     * ASM's own list of target clusters. Optional here: the component's `clusters` decide;
     * when both are given they must name the same clusters.
     */
    clusterIds?: string[];
    /** ASM only: whether ASM also creates an Istio `Gateway` for this workload. */
    autoCreateGatewayYaml?: boolean;
    /** Per-cluster changes, keyed by cluster id. A field given here replaces the base field. */
    overrides?: Record<string, GatewayOverride>;
}

/** Fields ASM honours inside `overrides` (CRD reference), and the ASM version each needs. */
export const ASM_OVERRIDABLE_FIELDS: Readonly<Record<string, string | undefined>> = {
    serviceAnnotations: undefined,
    podAnnotations: undefined,
    resources: undefined,
    replicaCount: undefined,
    autoscaleEnabled: "1.16",
    cpu: "1.16",
    memory: "1.16",
    minReplicas: "1.16",
    maxReplicas: "1.16",
    serviceType: "1.16",
};

/** Fields the component acts on itself; they are never passed to ASM as they are. */
export const COMPONENT_FIELDS = ["loadBalancer", "additionalLoadBalancers"] as const;

/** Changing any of these restarts the gateway pods (CRD reference, "Fields that trigger rolling restarts"). */
export const RESTARTING_FIELDS: ReadonlyArray<{ field: keyof GatewaySpec; untilAsm?: string }> = [
    { field: "env" },
    { field: "ports", untilAsm: "1.16" },
    { field: "configVolumes" },
    { field: "resources" },
    { field: "secretVolumes" },
    { field: "podLabels" },
    { field: "podAnnotations" },
    { field: "kernel" },
    { field: "hostNetwork" },
    { field: "dnsPolicy" },
    { field: "nodeSelector" },
    { field: "affinity" },
    { field: "tolerations" },
];

export const DEFAULT_NAMESPACE = "istio-system";

export const DEFAULTS = {
    gatewayType: "ingress" as GatewayType,
    /** Ingress gateways face clients through a load balancer; egress gateways stay inside. */
    serviceType: { ingress: "LoadBalancer", egress: "ClusterIP" } as Record<GatewayType, ServiceType>,
    replicaCount: 1,
    /** The console's defaults for a new gateway. */
    resources: {
        limits: { cpu: "2", memory: "2G" },
        requests: { cpu: "200m", memory: "256Mi" },
    } satisfies ResourceRequirements,
    /** The Istio gateway chart's ports; 15021 is the health port load balancers probe. */
    ports: [
        { name: "status-port", port: 15021, targetPort: 15021, protocol: "TCP" },
        { name: "http2", port: 80, targetPort: 80, protocol: "HTTP2" },
        { name: "https", port: 443, targetPort: 443, protocol: "HTTPS" },
    ] as GatewayPort[],
    /** HPA metric when autoscaling is on and no target is given. */
    cpuTargetAverageUtilization: 80,
    minReplicas: 1,
    /** Istio's pod grace period and the console's graceful-shutdown time. */
    terminationGracePeriodSeconds: 30,
    drainSeconds: 30,
};

/** The injected Envoy's Prometheus port, declared on the container as the Istio chart does. */
export const PROMETHEUS_PORT = 15090;
