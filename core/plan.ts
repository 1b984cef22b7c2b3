// Config in, validated per-cluster plan out: the one code path behind the Pulumi components,
// the offline plan and the tests. Plain TypeScript, no Pulumi.
//
// Two steps, because a load balancer the component creates has an id only once it exists:
// `layoutFleet` validates and decides everything (before any resource is registered), and
// `renderFleet` turns the layout into Kubernetes objects given each load balancer's id.
import type { ConfigIssue } from "./errors";
import type { GatewayFleetSpec, InstallMode } from "./fleet";
import type { LoadBalancerPlan } from "./loadBalancer";
import { renderAsmGateway, renderAsmClusterObjects } from "./render/asm";
import { workloadNames, type KubeObject, type WorkloadNames } from "./render/common";
import { renderIstioGateway } from "./render/istio";
import { renderCertificates, renderSecurity } from "./render/edge";
import { renderRouting } from "./render/routing";
import { meshTarget } from "./meshVersion";
import { httpTargetPorts } from "./edge";
import { renderIngressClass } from "./ingressClass";
import { istioApiVersionOf } from "./routing";
import { DEFAULTS, DEFAULT_NAMESPACE, type GatewaySpec } from "./spec";
import { validateFleet } from "./validate";

export interface ClusterLayout {
    clusterId: string;
    /** The gateway spec this cluster runs, after its override. */
    spec: GatewaySpec;
    /** The load balancers bound to this cluster's gateway Services. */
    loadBalancers: LoadBalancerPlan[];
}

export interface ClusterPlan extends ClusterLayout {
    /**
     * Objects applied to this cluster: the whole gateway in istio mode; in asm mode only TLS
     * Secrets (or Certificates) and additional load balancers' Services (ASM renders the gateway).
     */
    objects: KubeObject[];
}

export interface FleetLayout {
    /** The validated input. */
    fleet: GatewayFleetSpec;
    name: string;
    mode: InstallMode;
    namespace: string;
    names: WorkloadNames;
    clusters: ClusterLayout[];
    drainSeconds: number;
    terminationGracePeriodSeconds: number;
    warnings: ConfigIssue[];
}

export interface FleetPlan extends FleetLayout {
    clusters: ClusterPlan[];
    /** Objects applied to the ASM control plane (asm mode). */
    controlPlaneObjects: KubeObject[];
}

/**
 * The id a cluster's load balancer binding gets: a string, or (in the component) the Output id
 * of the load balancer it created. `key` is `default` or an additional load balancer's name.
 */
export type LoadBalancerIdResolver = (clusterId: string, lb: LoadBalancerPlan) => unknown;

/** The certificate id a load balancer terminating TLS uses (CLB server certificate, NLB CAS id with region). */
export type CertificateIdResolver = (clusterId: string, lb: LoadBalancerPlan) => unknown;

export const placeholderCertificateIds: CertificateIdResolver = (clusterId, lb) =>
    lb.settings.tls === undefined ? undefined : `<id of certificate ${lb.settings.tls.certificate} on the ${lb.settings.type} of ${clusterId}/${lb.key}>`;

/** Before the load balancers exist: a reused one's own id, or a readable stand-in. */
export const placeholderIds: LoadBalancerIdResolver = (clusterId, lb) =>
    lb.settings.existingId ?? `<id of the ${lb.settings.type} created for ${clusterId}/${lb.key}>`;

/** Validates a fleet and decides its shape. Throws ConfigError on bad input. */
export function layoutFleet(input: unknown, subject?: string): FleetLayout {
    const { spec: fleet, warnings, clusters } = validateFleet(input, subject);
    const names = workloadNames(fleet.name);
    const drainSeconds = fleet.gracefulShutdown?.drainSeconds ?? DEFAULTS.drainSeconds;
    return {
        fleet,
        name: fleet.name,
        mode: fleet.mode,
        namespace: fleet.namespace ?? DEFAULT_NAMESPACE,
        names,
        clusters,
        drainSeconds,
        terminationGracePeriodSeconds: fleet.gracefulShutdown?.terminationGracePeriodSeconds ?? Math.max(DEFAULTS.terminationGracePeriodSeconds, drainSeconds),
        warnings,
    };
}

/** Every Kubernetes object of a validated fleet. */
export function renderFleet(layout: FleetLayout, loadBalancerId: LoadBalancerIdResolver = placeholderIds, certificateId: CertificateIdResolver = placeholderCertificateIds): FleetPlan {
    const { fleet, names, namespace, drainSeconds } = layout;
    const spreadReplicas = fleet.spreadReplicas ?? true;
    const bindings = (c: ClusterLayout) => c.loadBalancers.map((lb) => ({ lb, id: loadBalancerId(c.clusterId, lb), certificateId: certificateId(c.clusterId, lb) }));
    // Routing is the same in every cluster; in asm mode the control plane distributes it.
    const target = meshTarget(fleet);
    const routing = renderRouting(fleet.routing, { gatewayName: fleet.name, names, gatewayNamespace: namespace, target });
    const edge = { names, namespace, gatewayName: fleet.name };
    // Gateways read their TLS Secrets in their own cluster, in both modes.
    const certificates = renderCertificates(fleet.certificates, fleet.routing, edge);
    const security = renderSecurity(fleet.security, {
        ...edge,
        apiVersion: `security.istio.io/${istioApiVersionOf(fleet.routing, target)}`,
        httpPorts: httpTargetPorts(fleet.routing, layout.clusters.map((c) => c.spec)),
    });
    const numTrustedProxies = fleet.security?.trustedProxies;
    const clusters = layout.clusters.map((c): ClusterPlan => ({
        ...c,
        objects: fleet.mode === "istio"
            ? [
                ...renderIstioGateway(c.spec, { names, namespace, revision: fleet.revision, spreadReplicas, drainSeconds, terminationGracePeriodSeconds: layout.terminationGracePeriodSeconds, numTrustedProxies, bindings: bindings(c) }),
                ...certificates,
                ...routing,
                ...security,
                // The gateway as the Ingress controller (core/ingressClass.ts).
                ...renderIngressClass(fleet.ingressClass),
            ]
            : [...renderAsmClusterObjects(c.spec, { names, namespace, drainSeconds, bindings: bindings(c) }), ...certificates],
    }));
    const controlPlaneObjects = fleet.mode === "asm"
        ? [renderAsmGateway(fleet.gateway, {
            gatewayName: fleet.name,
            names,
            clusterIds: fleet.clusters.map((c) => c.id),
            spreadReplicas,
            drainSeconds,
            numTrustedProxies,
            bindings: Object.fromEntries(layout.clusters.map((c) => [c.clusterId, bindings(c)])),
        }), ...routing, ...security]
        : [];
    return { ...layout, clusters, controlPlaneObjects };
}

/** Validates a fleet and renders every object it needs. Throws ConfigError on bad input. */
export function planFleet(input: unknown, subject?: string, loadBalancerId?: LoadBalancerIdResolver): FleetPlan {
    return renderFleet(layoutFleet(input, subject), loadBalancerId);
}
