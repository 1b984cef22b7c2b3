// The per-cluster layout of a fleet: the spec each cluster runs and the load balancers bound to
// its gateway Services. Decided once, before anything is created; validation checks it, and the
// renderers and the Pulumi shell build from it.
import { effectiveSpec } from "./effective";
import { placedInClusters } from "./edge";
import { formatPath } from "./errors";
import { hasCredentials, workloadName, type GatewayFleetSpec } from "./fleet";
import {
    addressKindOf,
    facesInternet,
    isDefaultLoadBalancer,
    keepsClientAddress,
    planLoadBalancers,
    type AddressKind,
    type LoadBalancerPlan,
} from "./loadBalancer";
import { DEFAULT_NAMESPACE, type GatewaySpec } from "./spec";

export interface ClusterLayout {
    clusterId: string;
    /** The gateway spec this cluster runs, after its override. */
    spec: GatewaySpec;
    /** The load balancers bound to this cluster's gateway Services. */
    loadBalancers: LoadBalancerPlan[];
    /** Whether the component applies objects to this cluster itself, and so needs its credentials (see `needsCredentials`). */
    needsCredentials: boolean;
}

/**
 * Whether the component applies objects to a cluster itself, and so needs the cluster's own
 * credentials: always in istio mode; in asm mode (where ASM renders the gateway) only for the
 * Services of additional load balancers and for TLS Secrets or cert-manager Certificates.
 */
export function needsCredentials(
    fleet: Pick<GatewayFleetSpec, "mode" | "gateway" | "certificates" | "routing">,
    clusterId: string,
): boolean {
    if (fleet.mode === "istio") return true;
    return (
        (effectiveSpec(fleet.gateway, clusterId).additionalLoadBalancers ?? []).length > 0 ||
        (fleet.certificates ?? []).some((cert) => placedInClusters(cert, fleet.routing))
    );
}

/** Every cluster's layout, in `clusters` order. */
export function layoutClusters(fleet: GatewayFleetSpec): ClusterLayout[] {
    const workload = workloadName(fleet.name);
    return fleet.clusters.map((c): ClusterLayout => {
        const spec = effectiveSpec(fleet.gateway, c.id);
        return {
            clusterId: c.id,
            spec,
            loadBalancers: planLoadBalancers(fleet.gateway, c.id, spec, workload, fleet.namespace ?? DEFAULT_NAMESPACE),
            needsCredentials: needsCredentials(fleet, c.id),
        };
    });
}

/** Per cluster, the kind of address each of its load balancers (by key) gets. */
export function addressKinds(clusters: ClusterLayout[]): Map<string, Map<string, AddressKind>> {
    return new Map(clusters.map((c) => [c.clusterId, new Map(c.loadBalancers.map((lb) => [lb.key, addressKindOf(lb)]))]));
}

/** Clusters the fleet gives credentials of their own. */
export function clustersWithCredentials(fleet: GatewayFleetSpec): Set<string> {
    return new Set(fleet.clusters.filter(hasCredentials).map((c) => c.id));
}

export interface FrontService {
    spec: GatewaySpec;
    lb?: LoadBalancerPlan;
    /** How messages name it: `Service istio-edge in cluster c1 (gateway.loadBalancer)`. */
    description: string;
}

/** The Services in front of the gateway pods in one cluster: the gateway's own, and one per additional load balancer. */
export function frontServices(c: ClusterLayout, workload: string): FrontService[] {
    const services = [
        { name: workload, lb: c.loadBalancers.find((l) => isDefaultLoadBalancer(l.key)) },
        ...c.loadBalancers.filter((l) => !isDefaultLoadBalancer(l.key)).map((lb) => ({ name: lb.serviceName, lb })),
    ];
    return services.map(({ name, lb }) => ({
        spec: c.spec,
        lb,
        description: `Service ${name} in cluster ${c.clusterId}${lb === undefined ? "" : ` (${formatPath(lb.path)})`}`,
    }));
}

/** Descriptions of the Services in front of the pods that hide client addresses, and of those on the internet. */
export function frontServiceExposure(clusters: ClusterLayout[], workload: string): { hidingClients: string[]; onInternet: string[] } {
    const front = clusters.flatMap((c) => frontServices(c, workload));
    return {
        hidingClients: front.filter((s) => !keepsClientAddress(s.spec, s.lb)).map((s) => s.description),
        onInternet: front.filter((s) => facesInternet(s.spec, s.lb)).map((s) => s.description),
    };
}
