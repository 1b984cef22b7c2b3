// The plain shape of one gateway fleet: what `MeshGateway` takes and a fleet config file holds.
// Everything that decides which resources exist is here and known at construction; cluster
// credentials are opaque to the core (they may be Pulumi Outputs) and only checked for presence.
import type { CertificateSpec, DnsSpec, SecuritySpec } from "./edge";
import type { IngressClassSettings } from "./ingressClass";
import type { CloudId } from "./loadBalancer";
import type { ObservabilitySpec } from "./observability";
import type { RoutingSpec } from "./routing";
import type { GatewaySpec } from "./spec";

/** `asm`: one IstioGateway on the ASM control plane. `istio`: the gateway's own objects in every cluster. */
export const InstallMode = { Asm: "asm", Istio: "istio" } as const;
export type InstallMode = (typeof InstallMode)[keyof typeof InstallMode];

export interface GracefulShutdown {
    /**
     * Seconds Envoy keeps serving open connections after the pod is told to stop
     * (`terminationDrainDuration`). Default 30; never longer than the grace period.
     */
    drainSeconds?: number;
    /**
     * The pod's `terminationGracePeriodSeconds` (istio mode only; ASM fixes it at 30).
     * Default: 30, or `drainSeconds` when that is longer.
     */
    terminationGracePeriodSeconds?: number;
}

export interface FleetCluster {
    /** Cluster id: the ACK cluster id for ASM (`clusterIds`), any stable name otherwise. */
    id: string;
    /** Kubeconfig of the cluster (istio mode). Kept secret. */
    kubeconfig?: unknown;
    /** Fetch the kubeconfig from ACK for this cluster id instead of giving one (istio mode). */
    ackClusterId?: unknown;
    /** Lifetime, in minutes, of a kubeconfig read from ACK (at most 3 days). */
    ackCredentialMinutes?: number;
    /**
     * The Alibaba Cloud region the cluster runs in (`cn-hangzhou`). Required when the cluster has
     * a load balancer: it is created (or looked up), with its vSwitches and certificates, in this
     * region. Checked against ACK for ACK clusters before anything is created there.
     */
    region?: string;
}

/** The gateway workload's name in every cluster (Deployment, Service, ServiceAccount, …), as ASM names it. */
export function workloadName(gatewayName: string): string {
    return `istio-${gatewayName}`;
}

export interface WorkloadNames {
    /** Deployment, Service, ServiceAccount, … name: `istio-<gateway name>`, as ASM names them. */
    workload: string;
    /** Labels the Service selects pods by, and Istio `Gateway` selectors match. */
    selector: Record<string, string>;
}

export function workloadNames(gatewayName: string): WorkloadNames {
    const workload = workloadName(gatewayName);
    return { workload, selector: { app: workload, istio: gatewayName } };
}

/** Whether a cluster comes with credentials of its own: a kubeconfig, or an ACK cluster id to read one with. */
export function hasCredentials(c: Pick<FleetCluster, "kubeconfig" | "ackClusterId">): boolean {
    return c.kubeconfig !== undefined || c.ackClusterId !== undefined;
}

export interface FleetControlPlane {
    /** Kubeconfig of the ASM control plane. Kept secret. */
    kubeconfig?: unknown;
    /** Id of the ASM instance; its kubeconfig is read from Alibaba Cloud. */
    serviceMeshId?: unknown;
}

/**
 * What a gateway fleet is, apart from its name and how to reach its clusters: shared by the
 * fleet spec below and the component's arguments, so the two cannot drift. `Id` is the type of
 * cloud ids and PEM text (a string, or a Pulumi input in the component's arguments).
 */
export interface FleetOptions<Id = CloudId> {
    /** `asm`: one IstioGateway on the ASM control plane, which ASM applies to every cluster. `istio`: the gateway's own objects (Deployment, Service, …) in every cluster. */
    mode: InstallMode;
    /** Namespace of the gateway workload. Default and, for ASM, the only choice: `istio-system`. */
    namespace?: string;
    /**
     * The gateway, with the field names of ASM's IstioGateway spec (an existing manifest's `spec`
     * works as is), and `overrides[clusterId]` for single clusters. A plain value.
     */
    gateway: GatewaySpec<Id>;
    /** "Deploy replicas as widely as possible": prefer one pod per node and per zone. Default true. */
    spreadReplicas?: boolean;
    /** How the gateway drains connections on shutdown. On by default (30 s). */
    gracefulShutdown?: GracefulShutdown;
    /** ASM version of the mesh, `major.minor[.patch]` (e.g. "1.22"), so overrides an older ASM ignores are refused. Default: not checked. */
    asmVersion?: string;
    /**
     * Istio version the clusters run (istio mode), `1.<minor>` or `1.<minor>.<patch>`, e.g. "1.29".
     * Default "1.31", the line this package is tested against. Routing is written at API versions
     * that Istio reads, and a feature it would drop is refused. asm mode takes it from asmVersion.
     */
    istioVersion?: string;
    /** Istio revision whose injector the gateway pods use (istio mode, label `istio.io/rev`). Default: the default revision. */
    revision?: string;
    /**
     * Listeners and routes of this gateway, rendered as Istio Gateway/VirtualService/
     * DestinationRule (`api: istio`, default) or Gateway API objects, in every cluster (istio
     * mode) or on the mesh control plane (asm mode). Default: none.
     */
    routing?: RoutingSpec;
    /** DNS records (Alibaba Cloud DNS or PrivateZone) for the listeners' hosts, pointing at each cluster's gateway address. Default: none. */
    dns?: DnsSpec<Id>;
    /**
     * TLS certificates the listeners name in `tls.credentialName`: PEM (kept secret), cert-manager,
     * or an existing Secret; optionally uploaded to Alibaba Cloud Certificate Management. Default: none.
     */
    certificates?: CertificateSpec<Id>[];
    /** IP allow/deny lists, JWT and external authorization on the gateway pods. Default: none. */
    security?: SecuritySpec<Id>;
    /**
     * Access logs of the gateway pods: on or off, text or JSON, extra header fields (an Istio
     * Telemetry selecting the pods; a custom format needs a mesh extension provider). Default: the mesh's.
     */
    observability?: ObservabilitySpec;
    /**
     * Serve the clusters' Kubernetes `Ingress` objects through this gateway (istio mode): an
     * IngressClass with Istio's controller in every cluster; istiod's mesh config must select the
     * gateway (the plan prints it). Default: none.
     */
    ingressClass?: IngressClassSettings;
}

/** One gateway across a fleet of clusters: what a fleet config file holds, and the core plans. */
export interface GatewayFleetSpec extends FleetOptions {
    /** Gateway name (`metadata.name` of the IstioGateway); workloads are named `istio-<name>`. */
    name: string;
    /** The clusters that run the gateway; at least one. */
    clusters: FleetCluster[];
    /** How to reach the ASM control plane (asm mode). */
    controlPlane?: FleetControlPlane;
}

/** A fleet as a component takes it: the gateway name is optional there (it defaults to the component's name). */
export interface NamedFleetArgs extends Omit<GatewayFleetSpec, "name"> {
    gatewayName?: string;
}

/** The fleet spec of a component's arguments: the gateway name defaults to the component name. */
export function fleetSpecOf(name: string, args: NamedFleetArgs): GatewayFleetSpec {
    const { gatewayName, ...rest } = args;
    return { ...rest, name: gatewayName ?? name };
}
