// The plain shape of one gateway fleet: what `MeshGateway` takes and a fleet config file holds.
// Everything that decides which resources exist is here and known at construction; cluster
// credentials are opaque to the core (they may be Pulumi Outputs) and only checked for presence.
import type { CertificateSpec, DnsSpec, SecuritySpec } from "./edge";
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
}

export interface FleetControlPlane {
    /** Kubeconfig of the ASM control plane. Kept secret. */
    kubeconfig?: unknown;
    /** Id of the ASM instance; its kubeconfig is read from Alibaba Cloud. */
    serviceMeshId?: unknown;
}

/** One gateway across a fleet of clusters. */
export interface GatewayFleetSpec {
    /** Gateway name (`metadata.name` of the IstioGateway); workloads are named `istio-<name>`. */
    name: string;
    /** `asm`: one IstioGateway on the ASM control plane. `istio`: the gateway's own objects in every cluster. */
    mode: InstallMode;
    /** Namespace of the gateway workload. Default and, for ASM, the only choice: istio-system. */
    namespace?: string;
    /** The clusters that run the gateway. */
    clusters: FleetCluster[];
    /** How to reach the ASM control plane (asm mode). */
    controlPlane?: FleetControlPlane;
    /** The IstioGateway spec, with per-cluster `overrides`. */
    gateway: GatewaySpec;
    /** "Deploy replicas as widely as possible": prefer one pod per node and per zone. Default true. */
    spreadReplicas?: boolean;
    /** How the gateway drains on shutdown. On by default (30 s). */
    gracefulShutdown?: GracefulShutdown;
    /** ASM version of the mesh, e.g. "1.22"; enables the version rules of ASM's overrides. */
    asmVersion?: string;
    /** Istio revision the gateway pods are injected by (istio mode, `istio.io/rev`). */
    revision?: string;
    /** Listeners and routes: Istio Gateway/VirtualService or Gateway API objects. */
    routing?: RoutingSpec;
    /** DNS records for the listeners' hosts, pointing at each cluster's gateway address. */
    dns?: DnsSpec;
    /** TLS certificates for the listeners (`tls.credentialName` names one). */
    certificates?: CertificateSpec[];
    /** IP lists, JWT and external authorization on the gateway. */
    security?: SecuritySpec;
}
