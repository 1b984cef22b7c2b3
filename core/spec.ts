// The gateway spec, field for field the `spec` of ASM's `IstioGateway` custom resource
// (istio.alibabacloud.com/v1beta1), so an existing ASM manifest's spec is valid input as it is.
// Defaults live here, next to the fields they belong to; renderers never invent their own.
import type { HorizontalPodAutoscalerBehavior } from "kubernetes-types/autoscaling/v2";
import type {
    Affinity,
    EnvVar,
    Lifecycle,
    LifecycleHandler,
    LocalObjectReference,
    ResourceRequirements,
    Toleration,
    TopologySpreadConstraint,
} from "kubernetes-types/core/v1";
import type { DnsRecords, IssuerKind } from "./edge";
import type { AdditionalLoadBalancer, CloudId, LoadBalancerSettings } from "./loadBalancer";
import type { IstioApiVersion } from "./routing";

// Each set of values is one `as const` object: it gives the TypeScript type (string literals keep
// working), the JSON Schema's `enum` (schema.ts) and the Pulumi package schema's enum.

/** Whether the gateway faces clients (ingress) or carries the mesh's outbound traffic (egress). */
export const GatewayType = { Ingress: "ingress", Egress: "egress" } as const;
export type GatewayType = (typeof GatewayType)[keyof typeof GatewayType];

/** Kubernetes Service type of the gateway Service. */
export const ServiceType = { LoadBalancer: "LoadBalancer", NodePort: "NodePort", ClusterIP: "ClusterIP" } as const;
export type ServiceType = (typeof ServiceType)[keyof typeof ServiceType];

/** The Service's `externalTrafficPolicy`: `Local` keeps the client IP, `Cluster` spreads over every node. */
export const ExternalTrafficPolicy = { Local: "Local", Cluster: "Cluster" } as const;
export type ExternalTrafficPolicy = (typeof ExternalTrafficPolicy)[keyof typeof ExternalTrafficPolicy];

/** The gateway pods' `dnsPolicy` (Kubernetes). */
export const DnsPolicy = {
    ClusterFirst: "ClusterFirst",
    ClusterFirstWithHostNet: "ClusterFirstWithHostNet",
    Default: "Default",
    None: "None",
} as const;
export type DnsPolicy = (typeof DnsPolicy)[keyof typeof DnsPolicy];

/** The protocols an Istio gateway port may declare (ASM's egress example uses HTTP and HTTPS). */
export const PortProtocol = {
    HTTP: "HTTP",
    HTTPS: "HTTPS",
    HTTP2: "HTTP2",
    GRPC: "GRPC",
    GRPC_WEB: "GRPC-WEB",
    TCP: "TCP",
    TLS: "TLS",
    UDP: "UDP",
    MONGO: "MONGO",
    REDIS: "REDIS",
    MYSQL: "MYSQL",
} as const;
export type PortProtocol = (typeof PortProtocol)[keyof typeof PortProtocol];

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

/** zlib compression level of Envoy's gzip compressor. */
export const GzipCompressionLevel = {
    BEST_SPEED: "BEST_SPEED",
    BEST_COMPRESSION: "BEST_COMPRESSION",
    DEFAULT_COMPRESSION: "DEFAULT_COMPRESSION",
    COMPRESSION_LEVEL_1: "COMPRESSION_LEVEL_1",
    COMPRESSION_LEVEL_2: "COMPRESSION_LEVEL_2",
    COMPRESSION_LEVEL_3: "COMPRESSION_LEVEL_3",
    COMPRESSION_LEVEL_4: "COMPRESSION_LEVEL_4",
    COMPRESSION_LEVEL_5: "COMPRESSION_LEVEL_5",
    COMPRESSION_LEVEL_6: "COMPRESSION_LEVEL_6",
    COMPRESSION_LEVEL_7: "COMPRESSION_LEVEL_7",
    COMPRESSION_LEVEL_8: "COMPRESSION_LEVEL_8",
    COMPRESSION_LEVEL_9: "COMPRESSION_LEVEL_9",
} as const;
export type GzipCompressionLevel = (typeof GzipCompressionLevel)[keyof typeof GzipCompressionLevel];

/** zlib compression strategy of Envoy's gzip compressor. */
export const GzipCompressionStrategy = {
    DEFAULT_STRATEGY: "DEFAULT_STRATEGY",
    FILTERED: "FILTERED",
    HUFFMAN_ONLY: "HUFFMAN_ONLY",
    RLE: "RLE",
    FIXED: "FIXED",
} as const;
export type GzipCompressionStrategy = (typeof GzipCompressionStrategy)[keyof typeof GzipCompressionStrategy];

/** zlib settings of Envoy's gzip compressor. Unset fields take Envoy's defaults. */
export interface GzipSettings {
    /** zlib memory level, 1–9 (Envoy default 5). */
    memory_level?: number;
    /** zlib compression level. Default: Envoy's `DEFAULT_COMPRESSION`. */
    compression_level?: GzipCompressionLevel;
    /** zlib compression strategy. Default: Envoy's `DEFAULT_STRATEGY`. */
    compression_strategy?: GzipCompressionStrategy;
    /** zlib window size, 9–15 (Envoy default 12). */
    window_bits?: number;
    /** Output buffer size in bytes, 4096–65536 (Envoy default 4096). */
    chunk_size?: number;
}

/** Response compression (ingress gateways only). */
export interface CompressionSettings {
    /** Turn compression on (needs `gzip`). Default false. */
    enabled?: boolean;
    /** Content types to compress; Envoy's defaults when unset. */
    content_type?: string[];
    /** Smallest response, in bytes, that is compressed (Envoy default 30). */
    min_content_length?: number;
    /** Do not compress responses with an `ETag` header. Default false (Envoy's). */
    disable_on_etag_header?: boolean;
    /** Remove `Accept-Encoding` before the request reaches the backend, so it never compresses itself. Default false (Envoy's). */
    remove_accept_encoding_header?: boolean;
    /** Gzip settings; required to enable compression (`{}` takes every default). */
    gzip?: GzipSettings;
}

/** The IP families a Service may have (Service `spec.ipFamilies`). */
export const IpFamily = { IPv4: "IPv4", IPv6: "IPv6" } as const;
export type IpFamily = (typeof IpFamily)[keyof typeof IpFamily];

/** Service `spec.ipFamilyPolicy`: how many IP families the Service gets. */
export const IpFamilyPolicy = {
    SingleStack: "SingleStack",
    PreferDualStack: "PreferDualStack",
    RequireDualStack: "RequireDualStack",
} as const;
export type IpFamilyPolicy = (typeof IpFamilyPolicy)[keyof typeof IpFamilyPolicy];

/** The gateway workload's kind, as the chart's `kind` value. */
export const WorkloadKind = { Deployment: "Deployment", DaemonSet: "DaemonSet" } as const;
export type WorkloadKind = (typeof WorkloadKind)[keyof typeof WorkloadKind];

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
    /** Failed probes before the pod is unready, 1 or more. Default: the Istio injector's. */
    failureThreshold?: number;
    /** Seconds between probes, 1 or more. Default: the Istio injector's. */
    periodSeconds?: number;
    /** Successful probes before the pod is ready again, 1 or more. Default: the Istio injector's. */
    successThreshold?: number;
}

/** The fields of a gateway that `overrides[clusterId]` may change. */
export interface GatewayOverride<Id = CloudId> {
    /** Service ports of the gateway, at least one; names and numbers unique. Default: status-port 15021, http2 80, https 443 (the Istio gateway chart's). */
    ports?: GatewayPort[];
    /** `LoadBalancer`, `NodePort` or `ClusterIP`. Default: `LoadBalancer` for ingress, `ClusterIP` for egress. */
    serviceType?: ServiceType;
    /** The Service's `loadBalancerClass` (LoadBalancer Services only), e.g. `alibabacloud.com/nlb`. Default: the cluster's default controller. */
    loadBalancerClass?: string;
    /** A fixed IP for a LoadBalancer Service (Kubernetes `loadBalancerIP`). Default: assigned by the cloud controller. */
    loadBalancerIP?: string;
    /** `Local` keeps the client source IP; `Cluster` spreads over every node. NodePort and LoadBalancer Services only. Default: Kubernetes' `Cluster`. */
    externalTrafficPolicy?: ExternalTrafficPolicy;
    /** Annotations of the gateway Service (e.g. cloud controller settings). Default: none. */
    serviceAnnotations?: Record<string, string>;
    /** Extra labels of the gateway Service. Default: none. */
    serviceLabels?: Record<string, string>;
    /** Run the gateway pods in the node's network namespace. Default false. */
    hostNetwork?: boolean;
    /** The pods' `dnsPolicy`. Default: Kubernetes' `ClusterFirst` (`ClusterFirstWithHostNet` makes sense with `hostNetwork`). */
    dnsPolicy?: DnsPolicy;
    /** Extra environment variables of the `istio-proxy` container (Kubernetes `EnvVar`, names unique). Default: none. */
    env?: EnvVar[];
    /** Extra labels of the gateway pods (the selector labels cannot be changed). Default: none. */
    podLabels?: Record<string, string>;
    /** Extra annotations of the gateway pods. Default: none (the drain setting is added). */
    podAnnotations?: Record<string, string>;
    /** Node labels the gateway pods must run on. Default: any node. */
    nodeSelector?: Record<string, string>;
    /** Kubernetes affinity of the gateway pods. Default: none, plus preferred spreading when `spreadReplicas` is on. */
    affinity?: Affinity;
    /** Kubernetes tolerations of the gateway pods. Default: none. */
    tolerations?: Toleration[];
    /** Number of gateway pods without autoscaling, 0 or more. Default 1. Ignored under an HPA (`maxReplicas` or `autoscaleEnabled`). */
    replicaCount?: number;
    /** CPU and memory of the `istio-proxy` container (Kubernetes quantities). Default: requests 200m CPU / 256Mi, limits 2 CPU / 2G. */
    resources?: ResourceRequirements;
    /** Pods created above the desired count during a rolling update: a number of pods or a percentage (`"25%"`). In the component's arguments a string (`"1"`, `"25%"`); config files may give a number. Default: Kubernetes' 25%. */
    rollingMaxSurge?: number | string;
    /** Pods that may be unavailable during a rolling update: a number of pods or a percentage, at most 100%. In the component's arguments a string. Default: Kubernetes' 25%. Not zero together with a zero `rollingMaxSurge`. */
    rollingMaxUnavailable?: number | string;
    /** Create an HPA (implied by `maxReplicas`). Default false. */
    autoscaleEnabled?: boolean;
    /** HPA CPU target (percent of the request). Default with autoscaling and no target: 80%. */
    cpu?: UtilizationTarget;
    /** HPA memory target (percent of the request). Default: none. */
    memory?: UtilizationTarget;
    /** HPA lower bound, 1 or more and at most `maxReplicas`. Default 1. */
    minReplicas?: number;
    /** HPA upper bound, 1 or more; setting it turns autoscaling on. Default: no HPA. */
    maxReplicas?: number;
    /** ConfigMaps mounted into the `istio-proxy` container. Default: none. */
    configVolumes?: ConfigVolume[];
    /** Secrets mounted (read-only) into the `istio-proxy` container. Default: none. */
    secretVolumes?: SecretVolume[];
    /** Kernel parameters (sysctls) of the gateway pods. Default: none applied. */
    kernel?: KernelSettings;
    /** Response compression by the gateway (ingress only; an EnvoyFilter in istio mode). Default: off. */
    compression?: CompressionSettings;
    /** Readiness probe knobs of the `istio-proxy` container. Default: the injector's. */
    readinessProbe?: ReadinessProbeSettings;
    /** Run Envoy as root (uid 0) instead of the restricted non-root 1337. Default false. */
    runAsRoot?: boolean;
    /** Lifecycle hooks of the `istio-proxy` container (Kubernetes `Lifecycle`). Default: none. */
    lifecycle?: Lifecycle;
    /** Do not declare the gateway ports on the container (ASM field). Default false. */
    disableContainerPortExposed?: boolean;
    /**
     * Not an IstioGateway field: the Alibaba Cloud load balancer the component creates or reuses
     * for the gateway Service, bound with cloud controller annotations. Per cluster in overrides.
     */
    loadBalancer?: LoadBalancerSettings<Id>;
    /** Not an IstioGateway field: more load balancers for the same pods, each with its own Service. */
    additionalLoadBalancers?: AdditionalLoadBalancer<Id>[];
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
    /**
     * Not an IstioGateway field (istio mode): `DaemonSet` runs one gateway pod on every node the
     * pods may schedule on (chart `kind`), instead of a Deployment (the default). A DaemonSet has
     * no replica count: no HPA, no PodDisruptionBudget, and `rollingMaxSurge`/`rollingMaxUnavailable`
     * become its update strategy (per node).
     */
    kind?: WorkloadKind;
}

/** Gateway fields beyond the IstioGateway CRD that only istio mode renders; asm mode refuses them (ASM renders the workload). */
export const ISTIO_ONLY_FIELDS = [
    "loadBalancerSourceRanges",
    "ipFamilies",
    "ipFamilyPolicy",
    "externalIPs",
    "topologySpreadConstraints",
    "priorityClassName",
    "imagePullSecrets",
    "serviceAccountAnnotations",
    "autoscaleBehavior",
    "podDisruptionBudget",
    "annotations",
    "kind",
] as const satisfies readonly (keyof GatewayOverride)[];

/** The fields of a gateway that apply to every cluster (`overrides` cannot change them). */
export interface GatewayWideFields {
    /** `ingress` (default) or `egress`. */
    gatewayType?: GatewayType;
    /**
     * ASM's own list of target clusters. Optional here: the component's `clusters` decide;
     * when both are given they must name the same clusters.
     */
    clusterIds?: string[];
    /** ASM only: whether ASM also creates an Istio `Gateway` for this workload. Default false. */
    autoCreateGatewayYaml?: boolean;
}

/**
 * An ASM `IstioGateway` spec. Every field keeps its CRD name; see
 * `asm-istiogateway-crd-reference` for the console's wording of each.
 */
export interface GatewaySpec<Id = CloudId> extends GatewayOverride<Id>, GatewayWideFields {
    /** Per-cluster changes, keyed by cluster id. A field given here replaces the base field whole. */
    overrides?: Record<string, GatewayOverride<Id>>;
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
    // A Deployment and a DaemonSet are different objects: the new one starts its own pods.
    { field: "kind" },
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
    /** DNS: seconds a record may be cached, one record per cluster address, Alibaba Cloud DNS's default line. */
    dnsTtl: 600,
    dnsRecords: "shared" as DnsRecords,
    dnsLine: "default",
    /** cert-manager certificates come from a cluster-wide issuer unless told otherwise. */
    issuerKind: "ClusterIssuer" as IssuerKind,
    /** Istio's networking and security API version (Istio/ASM 1.22+). */
    istioApiVersion: "v1" as IstioApiVersion,
};

/**
 * A Kubernetes int-or-string value as the API server wants it. The package's arguments take these
 * fields as strings (a type every Pulumi language has), but Kubernetes reads a string as a
 * percentage or a port name only, so a string of digits becomes the integer it spells.
 */
export function kubernetesIntOrString<T extends number | string | undefined>(value: T): T | number {
    return typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
}

/** Whether an int-or-string count or percentage is zero (`0`, `"0"`, `"0%"`). */
export function isZeroIntOrPercent(v: number | string | undefined): boolean {
    return v === 0 || v === "0" || v === "0%";
}

/** Lifecycle hooks with their ports as Kubernetes wants them (see kubernetesIntOrString). */
export function kubernetesLifecycle(lifecycle: Lifecycle | undefined): Lifecycle | undefined {
    if (lifecycle === undefined) return undefined;
    const handler = (h: LifecycleHandler | undefined): LifecycleHandler | undefined =>
        h && {
            ...h,
            ...(h.httpGet && { httpGet: { ...h.httpGet, port: kubernetesIntOrString(h.httpGet.port) } }),
            ...(h.tcpSocket && { tcpSocket: { ...h.tcpSocket, port: kubernetesIntOrString(h.tcpSocket.port) } }),
        };
    const out: Lifecycle = { ...lifecycle };
    if (lifecycle.postStart) out.postStart = handler(lifecycle.postStart);
    if (lifecycle.preStop) out.preStop = handler(lifecycle.preStop);
    return out;
}

/** The injected Envoy's Prometheus port, declared on the container as the Istio chart does. */
export const PROMETHEUS_PORT = 15090;
