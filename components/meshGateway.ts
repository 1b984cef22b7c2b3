// MeshGateway: one ingress or egress gateway across a fleet of clusters. A thin shell over the
// core's plan: it validates before anything exists, then registers what the plan says.
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../core/errors";
import { plainInput } from "../core/input";
import { takesInput } from "../core/schema";
import { fleetSpecOf, type FleetOptions, type GatewayFleetSpec } from "../core/fleet";
import { oauth2ProxyName, oidcPolicyName, withSecretRevision } from "../core/oidc";
import { readPlanFiles } from "./planFiles";
import type { CertificateSpec, DnsSpec, GatewaySpec, SecuritySpec } from "./args";
import {
    AddressKind,
    addressKindOfAddress,
    defaultCloudName,
    isDefaultLoadBalancer,
    LB_ID_ANNOTATION,
    loadBalancerTlsPorts,
    type LoadBalancerPlan,
} from "../core/loadBalancer";
import { layoutFleet, renderFleet, type FleetLayout, type FleetPlan } from "../core/plan";
import type { KubeObject } from "../core/render/common";
import {
    CONTROL_PLANE_IDENTIFIER,
    ackClusterIdOf,
    checkClusterRegion,
    clusterKubeconfig,
    clusterProvider,
    controlPlaneKubeconfig,
    type ClusterConnection,
    type ControlPlaneConnection,
} from "../providers/clusters";
import { certificateSiteOf, regionProviders } from "../providers/regions";
import {
    asmOidcExtensionProvider,
    dnsRecords,
    loadBalancerCertificates,
    oidcChecks,
    pemChecks,
    uploadCertificates,
    withSecretPem,
} from "./edge";
import { registerKubeObject } from "./kubeObjects";
import { clusterScope, controlPlaneScope, kubeObjectName, loadBalancerName, serviceMeshName } from "./names";
import { deployLoadBalancer, gateOf, lookUpCloud, type LoadBalancerBinding, type LoadBalancerInfo } from "./loadBalancers";

export const MESH_GATEWAY_TYPE = "mesh-gateway:index:MeshGateway";

/** The plan the component registers: its load balancer and certificate ids are Outputs. */
type ShellPlan = FleetPlan<pulumi.Output<string>>;

/** One cluster of the fleet and how to reach it. (Named `Cluster` so other languages' SDKs call its input type `ClusterArgs`.) */
export interface Cluster extends ClusterConnection {
    /** Cluster id: the ACK cluster id in ASM's `clusterIds`, and the key of `gateway.overrides`. */
    id: string;
}

/**
 * The arguments of `MeshGateway`: the fleet options shared with the core's fleet spec, with cloud
 * ids and PEM text as Pulumi inputs (components/args.ts), the gateway's name and its clusters.
 */
export interface MeshGatewayArgs extends FleetOptions<pulumi.Input<string>> {
    /** Gateway name (the IstioGateway's `metadata.name`); workloads are named `istio-<name>`. Default: the component's name. */
    gatewayName?: string;
    /** The clusters that run the gateway, at least one; known at construction (they decide what is created). */
    clusters: Cluster[];
    /** How to reach the ASM control plane; required in asm mode. */
    controlPlane?: ControlPlaneConnection;
    /**
     * The gateway, with the field names of ASM's IstioGateway spec (an existing manifest's
     * `spec` works as is), and `overrides[clusterId]` for single clusters. A plain value.
     */
    gateway: GatewaySpec;
    /** DNS records (Alibaba Cloud DNS or PrivateZone) for the listeners' hosts, pointing at each cluster's gateway address. Default: none. */
    dns?: DnsSpec;
    /**
     * TLS certificates the listeners name in `tls.credentialName`: PEM (kept secret), cert-manager,
     * or an existing Secret; optionally uploaded to Alibaba Cloud Certificate Management. Default: none.
     */
    certificates?: CertificateSpec[];
    /** IP allow/deny lists, JWT, external authorization and single sign-on on the gateway pods. Default: none. */
    security?: SecuritySpec;
}

/** The former name of `Cluster`. */
export type ClusterArgs = Cluster;

export interface GatewayAddress {
    /** The gateway Service in this cluster. */
    serviceName: string;
    /** Namespace of the gateway Service. */
    namespace: string;
    /** IP or hostname clients use; undefined until the cluster reports one. */
    address?: string;
    /** What kind of DNS record the address needs: A (IPv4), AAAA (IPv6) or CNAME (hostname). */
    addressKind?: AddressKind;
    /** The Alibaba Cloud load balancers of this cluster's gateway, created or reused. */
    loadBalancers: LoadBalancerInfo[];
}

export class MeshGateway extends pulumi.ComponentResource {
    /** Per cluster id: the gateway Service and its address once known. */
    public readonly addresses: pulumi.Output<Record<string, GatewayAddress>>;
    /** Name of the gateway Service and Deployment in every cluster (`istio-<gateway name>`). */
    public readonly serviceName: string;
    /** Labels of the gateway pods, for Istio `Gateway` selectors. */
    public readonly selector: Record<string, string>;
    /** Alibaba Cloud Certificate Management ids of the certificates uploaded, by certificate name. */
    public readonly certificateIds: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: MeshGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
        // Validation comes before super(): a refused config registers nothing at all. From here on
        // the component reads the plain copy validation made, never the caller's objects.
        const checked = layoutOrRefuse(name, args);
        const layout = checked.layout;
        args = checked.args;
        super(MESH_GATEWAY_TYPE, name, {}, opts);
        for (const w of layout.warnings) void pulumi.log.warn(`${w.path}: ${w.message}`, this);

        this.serviceName = layout.names.workload;
        this.selector = layout.names.selector;
        const fleet = withSecretPem(layout.fleet);
        const regionOf = new Map(args.clusters.filter((c) => c.region !== undefined).map((c) => [c.id, c.region!]));
        const certificateUses = layout.clusters.flatMap((c) =>
            c.loadBalancers.flatMap((lb) =>
                lb.settings.tls
                    ? [{ type: lb.settings.type, region: regionOf.get(c.clusterId)!, certificate: lb.settings.tls.certificate }]
                    : [],
            ),
        );
        // One provider per region a cluster is in, and per Certificate Management site an NLB uses.
        const providers = regionProviders(
            name,
            [...regionOf.values(), ...certificateUses.filter((u) => u.type === "NLB").map((u) => certificateSiteOf(u.region))],
            this,
        );
        const provider = (region: string) => providers.get(region)!;
        const { bindings, gates } = this.deployLoadBalancers(name, args, layout, regionOf, provider, [
            ...pemChecks(layout.fleet, loadBalancerTlsPorts(layout.clusters)),
            ...oidcChecks(layout.fleet),
        ]);
        const uploaded = uploadCertificates(name, layout.names.workload, fleet, this);
        const lbCertificate = loadBalancerCertificates(name, layout.names.workload, fleet, certificateUses, provider, this);
        const plan: ShellPlan = renderFleet(layout, {
            loadBalancer: (clusterId, lb) => bindings.get(bindingKey(clusterId, lb))!.id,
            certificate: (clusterId, lb) =>
                lb.settings.tls === undefined
                    ? undefined
                    : lbCertificate({ type: lb.settings.type, region: regionOf.get(clusterId)!, certificate: lb.settings.tls.certificate }),
            given: (id) => pulumi.output(id as pulumi.Input<string>),
        });
        const statusAddresses =
            plan.mode === "asm"
                ? this.deployAsm(name, args, plan, fleet, gates, providers)
                : this.deployIstio(name, args, plan, gates, providers);
        const perCluster = clusterAddresses(plan, bindings, statusAddresses);
        // A record waits for its own cluster's load balancer only; without one (the gateway's own
        // Service unbound), for the gateway's status.
        dnsRecords(
            name,
            layout.fleet,
            (clusterId, key) => {
                const lb = plan.clusters.find((c) => c.clusterId === clusterId)!.loadBalancers.find((l) => l.key === key);
                return lb === undefined ? perCluster[clusterId] : resolveBinding(bindings.get(bindingKey(clusterId, lb))!);
            },
            this,
        );
        this.certificateIds = pulumi.all(uploaded);
        this.addresses = pulumi.all(perCluster);
        this.registerOutputs({ addresses: this.addresses, certificateIds: this.certificateIds });
    }

    /**
     * Creates the load balancers, and each cluster's gate: checks that can only run once their
     * inputs resolve (that cluster's vSwitch lookups, and PEM given as Outputs, which every
     * cluster uses). A cluster's resources wait for its own gate only.
     */
    private deployLoadBalancers(
        name: string,
        args: MeshGatewayArgs,
        layout: FleetLayout,
        regionOf: Map<string, string>,
        provider: (region: string) => pulumi.ProviderResource,
        pem: pulumi.Output<string | undefined>[],
    ): { bindings: Map<string, LoadBalancerBinding>; gates: Map<string, pulumi.Output<unknown> | undefined> } {
        // Validation made region required wherever there is a load balancer.
        const all = layout.clusters.flatMap((c) =>
            c.loadBalancers.map((lb) => ({ clusterId: c.clusterId, region: regionOf.get(c.clusterId)!, lb })),
        );
        const lookups = lookUpCloud(all, provider, this);
        // An ACK cluster's region is checked with ACK itself: a wrong one would put its load
        // balancers where its cloud controller cannot find them.
        const regionChecks = new Map(
            args.clusters.map((c, i) => {
                const ackId = ackClusterIdOf(layout.mode, c.id, c);
                return [
                    c.id,
                    c.region === undefined || ackId === undefined
                        ? []
                        : [checkClusterRegion(`clusters[${i}].region`, ackId, c.region, provider(c.region), this)],
                ];
            }),
        );
        const gates = new Map(
            layout.clusters.map((c) => [
                c.clusterId,
                gateOf([...(regionChecks.get(c.clusterId) ?? []), ...lookups.failures(c.clusterId), ...pem], this),
            ]),
        );
        const bindings = new Map<string, LoadBalancerBinding>();
        for (const { clusterId, region, lb } of all) {
            const resourceName = loadBalancerName(name, clusterId, lb.key);
            const cloudName = defaultCloudName(lb.serviceName, clusterId);
            const existing = lb.create ? undefined : lookups.existing(clusterId, lb);
            bindings.set(
                bindingKey(clusterId, lb),
                deployLoadBalancer(
                    resourceName,
                    lb,
                    cloudName,
                    gates.get(clusterId),
                    (zone) => lookups.vswitch(clusterId, lb, zone),
                    existing,
                    provider(region),
                    this,
                ),
            );
        }
        return { bindings, gates };
    }

    private deployIstio(
        name: string,
        args: MeshGatewayArgs,
        plan: ShellPlan,
        gates: Map<string, pulumi.Output<unknown> | undefined>,
        providers: Map<string, pulumi.ProviderResource>,
    ): Record<string, pulumi.Output<Partial<GatewayAddress>>> {
        return Object.fromEntries(
            plan.clusters.map((cluster) => {
                const provider = this.clusterProvider(name, args, cluster.clusterId, providers, gates.get(cluster.clusterId));
                const created = registerAll(
                    clusterScope(name, cluster.clusterId),
                    cluster.objects,
                    { parent: this, provider },
                    plan.namespace,
                    () => [],
                    // A rotated single sign-on secret rolls oauth2-proxy (core/oidc.ts).
                    (obj, registered) => {
                        const secret = registered("Secret", oauth2ProxyName(plan.names));
                        return secret === undefined ? obj : withSecretRevision(obj, plan.names, resourceVersion(secret));
                    },
                );
                const service = created.find((r) => r.obj.kind === "Service" && r.obj.metadata.name === plan.names.workload)!
                    .resource as unknown as ServiceOutputs;
                return [
                    cluster.clusterId,
                    pulumi.all([service.spec, service.status]).apply(([spec, status]) => serviceAddress(spec, status)),
                ];
            }),
        );
    }

    private deployAsm(
        name: string,
        args: MeshGatewayArgs,
        plan: ShellPlan,
        fleet: GatewayFleetSpec,
        gates: Map<string, pulumi.Output<unknown> | undefined>,
        providers: Map<string, pulumi.ProviderResource>,
    ): Record<string, pulumi.Output<Partial<GatewayAddress>>> {
        const kubeconfig = controlPlaneKubeconfig(serviceMeshName(name), args.controlPlane!, this);
        // The IstioGateway serves every cluster: it waits for every cluster's checks.
        const all = [...gates.values()].filter((g): g is pulumi.Output<unknown> => g !== undefined);
        const gate = all.length > 0 ? pulumi.all(all) : undefined;
        const provider = clusterProvider(controlPlaneScope(name), CONTROL_PLANE_IDENTIFIER, gated(kubeconfig, gate), this);
        // Validation made serviceMeshId required with a login. The login's policy waits for its
        // provider: a CUSTOM policy naming a provider the mesh does not have denies its whole scope.
        const login = asmOidcExtensionProvider(name, fleet, args.controlPlane!.serviceMeshId!, gate, this);
        const loginPolicy = oidcPolicyName(plan.names);
        const [gateway] = registerAll(
            controlPlaneScope(name),
            plan.controlPlaneObjects,
            { parent: this, provider },
            plan.namespace,
            (obj) => (login !== undefined && obj.kind === "AuthorizationPolicy" && obj.metadata.name === loginPolicy ? [login] : []),
        );
        // TLS Secrets and additional load balancers' Services are what asm mode applies to a cluster itself.
        for (const cluster of plan.clusters.filter((c) => c.needsCredentials)) {
            const clusterProviderResource = this.clusterProvider(name, args, cluster.clusterId, providers, gates.get(cluster.clusterId));
            registerAll(
                clusterScope(name, cluster.clusterId),
                cluster.objects,
                { parent: this, provider: clusterProviderResource },
                plan.namespace,
            );
        }
        const status = (gateway.resource as unknown as { status: pulumi.Output<AsmGatewayStatus | undefined> }).status;
        return Object.fromEntries(
            plan.clusters.map((c) => [
                c.clusterId,
                status.apply((s) => classify(s?.ClusterIdGatewayAddressMap?.find((e) => e.clusterId === c.clusterId)?.ipAddress)),
            ]),
        );
    }

    private clusterProvider(
        name: string,
        args: MeshGatewayArgs,
        clusterId: string,
        providers: Map<string, pulumi.ProviderResource>,
        gate?: pulumi.Output<unknown>,
    ) {
        const connection = args.clusters.find((c) => c.id === clusterId)!;
        // ACK is asked through the cluster's own region when it is known.
        const region = connection.region === undefined ? undefined : providers.get(connection.region);
        return clusterProvider(
            clusterScope(name, clusterId),
            clusterId,
            gated(clusterKubeconfig(clusterId, connection, this, region), gate),
            this,
        );
    }
}

/**
 * Each cluster's address: its gateway load balancer's own address when there is one (known
 * before the Service reports one, and the one DNS must use), else the Service's (or ASM's) status.
 */
function clusterAddresses(
    plan: ShellPlan,
    bindings: Map<string, LoadBalancerBinding>,
    statusAddresses: Record<string, pulumi.Output<Partial<GatewayAddress>>>,
): Record<string, pulumi.Output<GatewayAddress>> {
    return Object.fromEntries(
        plan.clusters.map((c) => {
            const own = c.loadBalancers.map((lb) => bindings.get(bindingKey(c.clusterId, lb))!);
            return [
                c.clusterId,
                pulumi
                    .all([statusAddresses[c.clusterId], pulumi.all(own.map(resolveBinding))])
                    .apply(([status, loadBalancers]): GatewayAddress => {
                        const primary = loadBalancers.find((lb) => isDefaultLoadBalancer(lb.name) && lb.address !== undefined);
                        const best = primary !== undefined ? { address: primary.address, addressKind: primary.addressKind } : status;
                        return { serviceName: plan.names.workload, namespace: plan.namespace, ...best, loadBalancers };
                    }),
            ];
        }),
    );
}

function bindingKey(clusterId: string, lb: LoadBalancerPlan): string {
    return `${clusterId}/${lb.key}`;
}

/** Holds a value back until `gate` resolves (and fails with it): nothing is applied before the preflight passes. */
function gated<T>(value: pulumi.Output<T>, gate?: pulumi.Output<unknown>): pulumi.Output<T> {
    return gate === undefined ? value : pulumi.all([value, gate]).apply(([v]) => v as T);
}

function resolveBinding(b: LoadBalancerBinding): pulumi.Output<LoadBalancerInfo> {
    return pulumi
        .all([b.id, b.address, b.addressKind])
        .apply(([id, address, addressKind]) =>
            compactInfo({ name: b.name, serviceName: b.serviceName, type: b.type, created: b.created, id, address, addressKind }),
        );
}

function compactInfo(info: LoadBalancerInfo): LoadBalancerInfo {
    return Object.fromEntries(Object.entries(info).filter(([, v]) => v !== undefined)) as unknown as LoadBalancerInfo;
}

function layoutOrRefuse(name: string, args: MeshGatewayArgs): { layout: FleetLayout; args: MeshGatewayArgs } {
    const subject = `${MESH_GATEWAY_TYPE} "${name}"`;
    try {
        const plain = plainInput(args, takesInput, subject);
        if (plain === null || typeof plain !== "object" || Array.isArray(plain)) {
            throw new ConfigError([{ path: "args", message: "must be an object with mode, clusters and gateway" }], subject);
        }
        const spec = fleetSpecOf(name, plain as MeshGatewayArgs);
        return { layout: layoutFleet(spec, subject, readPlanFiles(spec)), args: plain as MeshGatewayArgs };
    } catch (e) {
        if (e instanceof ConfigError) throw new pulumi.ResourceError(e.message, undefined, true);
        throw e;
    }
}

type Registered = (kind: string, name: string) => pulumi.CustomResource | undefined;

/**
 * Registers plain objects under one provider, named `<prefix>-<object name>` (stable, unique per
 * kind); `waitsFor` gives the resources an object must wait for beyond its inputs, and `rewrite`
 * may fill an object from those registered before it (of the gateway's namespace).
 */
function registerAll(
    prefix: string,
    objects: KubeObject<string | pulumi.Output<string>>[],
    opts: pulumi.CustomResourceOptions,
    gatewayNamespace: string,
    waitsFor: (obj: KubeObject<unknown>) => pulumi.Resource[] = () => [],
    rewrite: (obj: KubeObject<string | pulumi.Output<string>>, registered: Registered) => KubeObject<string | pulumi.Output<string>> = (
        obj,
    ) => obj,
) {
    const done = new Map<string, pulumi.CustomResource>();
    const registered: Registered = (kind, name) => done.get(`${kind}/${name}`);
    return objects.map((given) => {
        const obj = rewrite(given, registered);
        // A Service cannot move to another load balancer: a new load balancer id replaces it.
        const bound = obj.kind === "Service" && obj.metadata.annotations?.[LB_ID_ANNOTATION] !== undefined;
        const replace = bound ? { replaceOnChanges: [`metadata.annotations["${LB_ID_ANNOTATION}"]`, "spec.loadBalancerClass"] } : {};
        const dependsOn = waitsFor(obj);
        const own = { ...opts, ...replace, ...(dependsOn.length > 0 ? { dependsOn } : {}) };
        // The gateway's address is read back from the status of its Service (or IstioGateway).
        const readStatus = obj.kind === "Service" || obj.kind === "IstioGateway" ? { status: undefined } : {};
        const resource = registerKubeObject(kubeObjectName(prefix, obj, gatewayNamespace), obj, own, readStatus);
        if ((obj.metadata.namespace ?? gatewayNamespace) === gatewayNamespace) done.set(`${obj.kind}/${obj.metadata.name}`, resource);
        return { obj, resource };
    });
}

/** The revision the API server gives an object (a new one on every write): an output of the registered object. */
function resourceVersion(resource: pulumi.CustomResource): pulumi.Output<string> {
    const metadata = (resource as unknown as { metadata: pulumi.Output<{ resourceVersion?: string } | undefined> }).metadata;
    return metadata.apply((m) => m?.resourceVersion ?? "");
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

function serviceAddress(spec: ServiceSpec | undefined, status: ServiceStatus | undefined): Partial<GatewayAddress> {
    const ingress = status?.loadBalancer?.ingress?.[0];
    if (ingress?.hostname) return { address: ingress.hostname, addressKind: AddressKind.Hostname };
    if (ingress?.ip) return classify(ingress.ip);
    // In-cluster gateways (egress, ClusterIP) are reached at their cluster IP.
    if (spec?.type === "ClusterIP" && spec.clusterIP && spec.clusterIP !== "None") return classify(spec.clusterIP);
    return {};
}

function classify(address: string | undefined): { address?: string; addressKind?: AddressKind } {
    if (!address) return {};
    return { address, addressKind: addressKindOfAddress(address) };
}
