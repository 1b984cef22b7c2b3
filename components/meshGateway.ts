// MeshGateway: one ingress or egress gateway across a fleet of clusters. A thin shell over the
// core's plan: it validates before anything exists, then registers what the plan says.
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../core/errors";
import type { GatewayFleetSpec, GracefulShutdown, InstallMode } from "../core/fleet";
import { planFleet, type FleetPlan } from "../core/plan";
import type { KubeObject } from "../core/render/common";
import type { GatewaySpec } from "../core/spec";
import { CONTROL_PLANE_IDENTIFIER, clusterKubeconfig, clusterProvider, controlPlaneKubeconfig, type ClusterConnection, type ControlPlaneConnection } from "../providers/clusters";
import { registerKubeObject } from "./kubeObjects";

export const MESH_GATEWAY_TYPE = "mesh-gateway:index:MeshGateway";

export interface ClusterArgs extends ClusterConnection {
    /** Cluster id: the ACK cluster id in ASM's `clusterIds`, and the key of `gateway.overrides`. */
    id: string;
}

export interface MeshGatewayArgs {
    /**
     * `asm`: one IstioGateway on the ASM control plane, which ASM applies to every cluster.
     * `istio`: the gateway's own objects (Deployment, Service, …) in every cluster.
     */
    mode: InstallMode;
    /** Gateway name (the IstioGateway's `metadata.name`). Default: the component's name. */
    gatewayName?: string;
    /** Namespace of the gateway. Default istio-system, the only one ASM allows. */
    namespace?: string;
    /** The clusters that run the gateway; known at construction (it decides what is created). */
    clusters: ClusterArgs[];
    /** How to reach the ASM control plane (asm mode). */
    controlPlane?: ControlPlaneConnection;
    /**
     * The gateway, with the field names of ASM's IstioGateway spec (an existing manifest's
     * `spec` works as is), and `overrides[clusterId]` for single clusters. A plain value.
     */
    gateway: GatewaySpec;
    /** Prefer spreading replicas over nodes and zones (the console's "as widely as possible"). Default true. */
    spreadReplicas?: boolean;
    /** Connection draining on shutdown; 30 s by default, never longer than the pod's grace period. */
    gracefulShutdown?: GracefulShutdown;
    /** The mesh's ASM version (e.g. "1.22"), so overrides an older ASM ignores are refused. */
    asmVersion?: string;
    /** Istio revision that injects the gateway pods (istio mode). */
    revision?: string;
}

export type AddressKind = "IPv4" | "IPv6" | "hostname";

export interface GatewayAddress {
    /** The gateway Service in this cluster. */
    serviceName: string;
    namespace: string;
    /** IP or hostname clients use; undefined until the cluster reports one. */
    address?: string;
    /** What kind of DNS record the address needs: A (IPv4), AAAA (IPv6) or CNAME (hostname). */
    addressKind?: AddressKind;
}

export class MeshGateway extends pulumi.ComponentResource {
    /** Per cluster id: the gateway Service and its address once known. */
    public readonly addresses: pulumi.Output<Record<string, GatewayAddress>>;
    /** Name of the gateway Service and Deployment in every cluster (`istio-<gateway name>`). */
    public readonly serviceName: string;
    /** Labels of the gateway pods, for Istio `Gateway` selectors. */
    public readonly selector: Record<string, string>;

    constructor(name: string, args: MeshGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
        // Validation comes before super(): a refused config registers nothing at all.
        const plan = planOrRefuse(name, args);
        super(MESH_GATEWAY_TYPE, name, {}, opts);
        for (const w of plan.warnings) pulumi.log.warn(`${w.path}: ${w.message}`, this);

        this.serviceName = plan.names.workload;
        this.selector = plan.names.selector;
        this.addresses = plan.mode === "asm" ? this.deployAsm(name, args, plan) : this.deployIstio(name, args, plan);
        this.registerOutputs({ addresses: this.addresses });
    }

    private deployIstio(name: string, args: MeshGatewayArgs, plan: FleetPlan): pulumi.Output<Record<string, GatewayAddress>> {
        const perCluster = plan.clusters.map((cluster) => {
            const connection = args.clusters.find((c) => c.id === cluster.clusterId)!;
            const provider = clusterProvider(`${name}-${cluster.clusterId}`, cluster.clusterId, clusterKubeconfig(cluster.clusterId, connection, this), this);
            const created = registerAll(`${name}-${cluster.clusterId}`, cluster.objects, { parent: this, provider }, plan.namespace);
            const service = created.find((r) => r.obj.kind === "Service")!.resource as unknown as ServiceOutputs;
            const address = pulumi.all([service.spec, service.status]).apply(([spec, status]) => serviceAddress(spec, status));
            return address.apply((a): [string, GatewayAddress] => [cluster.clusterId, { serviceName: plan.names.workload, namespace: plan.namespace, ...a }]);
        });
        return pulumi.all(perCluster).apply((entries): Record<string, GatewayAddress> => Object.fromEntries(entries));
    }

    private deployAsm(name: string, args: MeshGatewayArgs, plan: FleetPlan): pulumi.Output<Record<string, GatewayAddress>> {
        const kubeconfig = controlPlaneKubeconfig(`${name}-mesh`, args.controlPlane!, this);
        const provider = clusterProvider(`${name}-asm`, CONTROL_PLANE_IDENTIFIER, kubeconfig, this);
        const [gateway] = registerAll(`${name}-asm`, plan.controlPlaneObjects, { parent: this, provider }, plan.namespace, { status: undefined });
        const status = (gateway.resource as unknown as { status: pulumi.Output<AsmGatewayStatus | undefined> }).status;
        return status.apply((s) => Object.fromEntries(plan.clusters.map((c) => {
            const ip = s?.ClusterIdGatewayAddressMap?.find((e) => e.clusterId === c.clusterId)?.ipAddress;
            return [c.clusterId, { serviceName: plan.names.workload, namespace: plan.namespace, ...classify(ip) }];
        })));
    }
}

/** The core's view of a component's args: the gateway name defaults to the component name. */
export function fleetSpecOf(name: string, args: MeshGatewayArgs): GatewayFleetSpec {
    const { gatewayName, ...rest } = args;
    return { ...rest, name: gatewayName ?? name };
}

function planOrRefuse(name: string, args: MeshGatewayArgs): FleetPlan {
    try {
        return planFleet(fleetSpecOf(name, args), `${MESH_GATEWAY_TYPE} "${name}"`);
    } catch (e) {
        if (e instanceof ConfigError) throw new pulumi.ResourceError(e.message, undefined, true);
        throw e;
    }
}

/** Registers plain objects under one provider, named `<prefix>-<object name>` (stable, unique per kind). */
function registerAll(prefix: string, objects: KubeObject[], opts: pulumi.CustomResourceOptions, gatewayNamespace: string, extra?: Record<string, unknown>) {
    return objects.map((obj) => {
        const ns = obj.metadata.namespace;
        const scope = ns === undefined || ns === gatewayNamespace ? "" : `${ns}-`;
        return { obj, resource: registerKubeObject(`${prefix}-${scope}${obj.metadata.name}`, obj, opts, extra) };
    });
}

interface ServiceSpec {
    type?: string;
    clusterIP?: string;
}

interface ServiceStatus {
    loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] };
}

interface ServiceOutputs {
    spec: pulumi.Output<ServiceSpec>;
    status: pulumi.Output<ServiceStatus | undefined>;
}

interface AsmGatewayStatus {
    ClusterIdGatewayAddressMap?: { clusterId: string; ipAddress?: string }[];
}

function serviceAddress(spec: ServiceSpec | undefined, status: ServiceStatus | undefined): { address?: string; addressKind?: AddressKind } {
    const ingress = status?.loadBalancer?.ingress?.[0];
    if (ingress?.hostname) return { address: ingress.hostname, addressKind: "hostname" };
    if (ingress?.ip) return classify(ingress.ip);
    // In-cluster gateways (egress, ClusterIP) are reached at their cluster IP.
    if (spec?.type === "ClusterIP" && spec.clusterIP && spec.clusterIP !== "None") return classify(spec.clusterIP);
    return {};
}

function classify(address: string | undefined): { address?: string; addressKind?: AddressKind } {
    if (!address) return {};
    if (/^[0-9.]+$/.test(address)) return { address, addressKind: "IPv4" };
    if (address.includes(":")) return { address, addressKind: "IPv6" };
    return { address, addressKind: "hostname" };
}
