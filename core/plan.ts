// Config in, validated per-cluster plan out: the one code path behind the Pulumi components,
// the offline plan and the tests. Plain TypeScript, no Pulumi.
//
// Two steps, because a load balancer the component creates has an id only once it exists:
// `layoutFleet` validates and decides everything (before any resource is registered), and
// `renderFleet` turns the layout into Kubernetes objects given each load balancer's id.
import type { ConfigIssue } from "./errors";
import type { CloudId, LoadBalancerPlan, ServiceBinding } from "./loadBalancer";
import { renderAsmGateway, renderAsmClusterObjects } from "./render/asm";
import { workloadNames, type GatewayFleetSpec, type InstallMode, type WorkloadNames } from "./fleet";
import { withProductLabels, type KubeObject } from "./render/common";
import { renderIstioGateway } from "./render/istio";
import { renderCertificates, renderSecurity } from "./render/edge";
import { renderRouting } from "./render/routing";
import type { TranscodingDescriptors } from "./render/transcoding";
import type { PlanFiles } from "./transcoding";
import { meshTarget } from "./meshVersion";
import { renderObservability } from "./observability";
import { renderOidc } from "./oidc";
import { renderIngressClass } from "./ingressClass";
import { istioApiVersionOf } from "./routing";
import type { ClusterLayout } from "./layout";
import { DEFAULTS, DEFAULT_NAMESPACE, type GatewaySpec } from "./spec";
import { validateFleet } from "./validate";
import { podPorts } from "./vhostPatch";

export interface ClusterPlan<Id = string> extends ClusterLayout {
    /**
     * Objects applied to this cluster: the whole gateway in istio mode; in asm mode only TLS
     * Secrets (or Certificates) and additional load balancers' Services (ASM renders the gateway).
     */
    objects: KubeObject<string | Id>[];
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
    /** Container ports of the gateway's HTTP(S) listeners, where edge security's HTTP rules apply. */
    httpPorts: number[];
    /** The descriptor set of each `routing.grpcTranscoding` entry: inline (base64) or mounted. */
    transcoding: TranscodingDescriptors;
    warnings: ConfigIssue[];
}

/** Every object of a fleet; `Id` is the type of the cloud ids in load balancer annotations (see IdResolvers). */
export interface FleetPlan<Id = string> extends FleetLayout {
    clusters: ClusterPlan<Id>[];
    /** Objects applied to the ASM control plane (asm mode). */
    controlPlaneObjects: KubeObject<string | Id>[];
}

/**
 * The cloud ids the Services' load balancer annotations name, of type `Id`: strings in a plan;
 * in the component, Outputs (a load balancer it creates has an id only once it exists).
 */
export interface IdResolvers<Id> {
    /** The id of a cluster's load balancer (`lb.key` is `default` or an additional one's name). */
    loadBalancer: (clusterId: string, lb: LoadBalancerPlan) => Id;
    /** The certificate a load balancer terminating TLS uses (CLB server certificate, NLB CAS id with region). */
    certificate: (clusterId: string, lb: LoadBalancerPlan) => Id | undefined;
    /** An id given in the config (an ACL's), which in a program may be an Output. */
    given: (id: CloudId) => Id;
}

/** Before the load balancers exist: a reused one's own id, or a readable stand-in. */
export const placeholderIds: IdResolvers<string> = {
    loadBalancer: (clusterId, lb) =>
        plainId(lb.settings.existingId) ?? `<id of the ${lb.settings.type} created for ${clusterId}/${lb.key}>`,
    certificate: (clusterId, lb) =>
        lb.settings.tls === undefined
            ? undefined
            : `<id of certificate ${lb.settings.tls.certificate} on the ${lb.settings.type} of ${clusterId}/${lb.key}>`,
    given: (id) => plainId(id) ?? "<id given by another resource>",
};

function plainId(id: CloudId | undefined): string | undefined {
    return typeof id === "string" ? id : undefined;
}

/**
 * Validates a fleet and decides its shape. Throws ConfigError on bad input. `files` holds the
 * bytes of the files the config names (`readPlanFiles`): the core reads nothing itself.
 */
export function layoutFleet(input: unknown, subject?: string, files?: PlanFiles): FleetLayout {
    const { spec: fleet, warnings, clusters, httpPorts, transcoding } = validateFleet(input, subject, files);
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
        terminationGracePeriodSeconds:
            fleet.gracefulShutdown?.terminationGracePeriodSeconds ?? Math.max(DEFAULTS.terminationGracePeriodSeconds, drainSeconds),
        httpPorts,
        transcoding,
        warnings,
    };
}

/** Every Kubernetes object of a validated fleet. */
export function renderFleet(layout: FleetLayout): FleetPlan;
export function renderFleet<Id>(layout: FleetLayout, ids: IdResolvers<Id>): FleetPlan<Id>;
export function renderFleet<Id>(layout: FleetLayout, ids: IdResolvers<Id | string> = placeholderIds): FleetPlan<Id | string> {
    const { fleet } = layout;
    const shared = renderSharedObjects(layout);
    const bindings = (c: ClusterLayout): ServiceBinding<Id | string>[] => bindingsOf(c, ids);
    const clusters = layout.clusters.map((c): ClusterPlan<Id | string> => ({
        ...c,
        objects: clusterObjects(layout, c, bindings(c), shared),
    }));
    const controlPlaneObjects = fleet.mode === "asm" ? asmControlPlaneObjects(layout, bindings, shared) : [];
    // Labelled here, once for every object of every renderer.
    return {
        ...layout,
        clusters: clusters.map((c) => ({ ...c, objects: withProductLabels(c.objects, fleet.name) })),
        controlPlaneObjects: withProductLabels(controlPlaneObjects, fleet.name),
    };
}

/** The objects every cluster (istio mode) or the control plane (asm mode) gets, rendered once per fleet. */
interface SharedObjects {
    routing: KubeObject[];
    certificates: KubeObject[];
    security: KubeObject[];
    observability: KubeObject[];
    /** oauth2-proxy for single sign-on, beside the gateway pods that call it (istio mode). */
    oidc: KubeObject[];
}

function renderSharedObjects(layout: FleetLayout): SharedObjects {
    const { fleet, names, namespace } = layout;
    // Routing is the same in every cluster; in asm mode the control plane distributes it.
    const target = meshTarget(fleet);
    const routing = renderRouting(fleet.routing, {
        gatewayName: fleet.name,
        names,
        gatewayNamespace: namespace,
        target,
        transcoding: layout.transcoding,
        podPorts: (ports) =>
            podPorts(
                ports,
                layout.clusters.map((c) => c.spec),
            ),
    });
    const edge = { names, namespace, gatewayName: fleet.name };
    // Gateways read their TLS Secrets in their own cluster, in both modes.
    const certificates = renderCertificates(fleet.certificates, fleet.routing, edge);
    const security = renderSecurity(fleet.security, {
        ...edge,
        apiVersion: `security.istio.io/${istioApiVersionOf(fleet.routing, target)}`,
        httpPorts: layout.httpPorts,
        mode: fleet.mode,
    });
    // Telemetry selects the gateway pods: in each cluster (istio mode) or on the control plane (asm mode).
    const observability = renderObservability(fleet.observability, { names, namespace, gatewayName: fleet.name, mode: fleet.mode, target });
    // In asm mode ASM runs oauth2-proxy itself (the component registers its ExtensionProvider).
    const oidc = fleet.mode === "istio" ? renderOidc(fleet.security?.oidc, edge) : [];
    return { routing, certificates, security, observability, oidc };
}

/** How each of a cluster's load balancers binds to its Service: the ids its annotations name. */
function bindingsOf<Id>(c: ClusterLayout, ids: IdResolvers<Id | string>): ServiceBinding<Id | string>[] {
    return c.loadBalancers.map((lb) => ({
        lb,
        id: ids.loadBalancer(c.clusterId, lb),
        certificateId: ids.certificate(c.clusterId, lb),
        aclId: lb.settings.acl === undefined ? undefined : ids.given(lb.settings.acl.id),
    }));
}

function clusterObjects<Id>(
    layout: FleetLayout,
    c: ClusterLayout,
    bindings: ServiceBinding<Id | string>[],
    shared: SharedObjects,
): KubeObject<string | Id>[] {
    const { fleet } = layout;
    if (fleet.mode !== "istio") return [...gatewayObjects(layout, c.spec, bindings), ...shared.certificates];
    return [
        ...gatewayObjects(layout, c.spec, bindings),
        ...shared.certificates,
        ...shared.routing,
        ...shared.security,
        ...shared.oidc,
        ...shared.observability,
        // The gateway as the Ingress controller (core/ingressClass.ts).
        ...renderIngressClass(fleet.ingressClass),
    ];
}

/**
 * A cluster's own gateway objects, given its resolved spec: in istio mode the workload and what
 * the gateway chart renders beside it (ServiceAccount, Role, Deployment or DaemonSet, Services,
 * HPA, PDB, EnvoyFilter); in asm mode the additional load balancers' Services.
 */
function gatewayObjects<Id>(layout: FleetLayout, spec: GatewaySpec, bindings: ServiceBinding<Id | string>[]): KubeObject<string | Id>[] {
    const { fleet, names, namespace, drainSeconds } = layout;
    if (fleet.mode !== "istio") return renderAsmClusterObjects(spec, { names, namespace, drainSeconds, bindings });
    return renderIstioGateway(spec, {
        names,
        namespace,
        revision: fleet.revision,
        spreadReplicas: fleet.spreadReplicas ?? true,
        drainSeconds,
        terminationGracePeriodSeconds: layout.terminationGracePeriodSeconds,
        numTrustedProxies: fleet.security?.trustedProxies,
        bindings,
    });
}

/**
 * One cluster's gateway objects only, labelled as `renderFleet` labels them: the same objects
 * `renderFleet` gives that cluster from its gateway renderer, without rendering the fleet's
 * routing, security, certificates or any other cluster. `spec` replaces the cluster's resolved
 * spec, to see what one changed setting would render. Throws on a cluster not in the layout.
 */
export function renderClusterGateway(layout: FleetLayout, clusterId: string, spec?: GatewaySpec): KubeObject[] {
    const c = layout.clusters.find((x) => x.clusterId === clusterId);
    if (c === undefined) throw new Error(`cluster ${clusterId} is not in gateway ${layout.name}`);
    return withProductLabels(gatewayObjects(layout, spec ?? c.spec, bindingsOf(c, placeholderIds)), layout.fleet.name);
}

function asmControlPlaneObjects<Id>(
    layout: FleetLayout,
    bindings: (c: ClusterLayout) => ServiceBinding<Id | string>[],
    shared: SharedObjects,
): KubeObject<string | Id>[] {
    const { fleet, names, drainSeconds } = layout;
    return [
        renderAsmGateway(fleet.gateway, {
            gatewayName: fleet.name,
            names,
            clusterIds: fleet.clusters.map((c) => c.id),
            spreadReplicas: fleet.spreadReplicas ?? true,
            drainSeconds,
            numTrustedProxies: fleet.security?.trustedProxies,
            bindings: Object.fromEntries(layout.clusters.map((c) => [c.clusterId, bindings(c)])),
        }),
        ...shared.routing,
        ...shared.security,
        ...shared.observability,
    ];
}

/** Validates a fleet and renders every object it needs. Throws ConfigError on bad input. */
export function planFleet(input: unknown, subject?: string, files?: PlanFiles): FleetPlan {
    return renderFleet(layoutFleet(input, subject, files));
}
