// Alibaba Cloud load balancers in front of the gateway: the settings users give, the rules that
// refuse a setup the cloud or its controller would reject (or silently mis-route), and the
// cloud controller annotations that bind a gateway Service to a CLB or NLB. Plain TypeScript:
// the component creates the cloud resources from the plan made here.
import { ownValue } from "./input";
import { serviceTypeOf, targetPort } from "./effective";
import { formatPath, type ConfigIssue, type IssueList, type PathSegment } from "./errors";
import { hasCredentials, workloadName, type GatewayFleetSpec } from "./fleet";
import { DNS_LABEL } from "./kubeNames";
import { DEFAULTS, DEFAULT_NAMESPACE, type GatewayPort, type GatewaySpec } from "./spec";

/** Alibaba Cloud load balancer product: Classic Load Balancer or Network Load Balancer. */
export const LoadBalancerType = { CLB: "CLB", NLB: "NLB" } as const;
export type LoadBalancerType = (typeof LoadBalancerType)[keyof typeof LoadBalancerType];

/** Whether the load balancer has a public address (`internet`) or one inside the VPC (`intranet`). */
export const LoadBalancerAddressType = { Internet: "internet", Intranet: "intranet" } as const;
export type LoadBalancerAddressType = (typeof LoadBalancerAddressType)[keyof typeof LoadBalancerAddressType];

/** `ipv6` exists for internet CLBs only; `dualstack` for NLBs only. */
export const LoadBalancerIpVersion = { Ipv4: "ipv4", Ipv6: "ipv6", Dualstack: "dualstack" } as const;
export type LoadBalancerIpVersion = (typeof LoadBalancerIpVersion)[keyof typeof LoadBalancerIpVersion];

/** What the load balancer sends traffic to: pods directly (Terway ENI) or nodes' node ports. */
export const LoadBalancerBackendType = { Eni: "eni", Ecs: "ecs" } as const;
export type LoadBalancerBackendType = (typeof LoadBalancerBackendType)[keyof typeof LoadBalancerBackendType];

/** CLB billing: by specification, or by capacity unit (no specification). */
export const LoadBalancerInstanceChargeType = { PayBySpec: "PayBySpec", PayByCLCU: "PayByCLCU" } as const;
export type LoadBalancerInstanceChargeType = (typeof LoadBalancerInstanceChargeType)[keyof typeof LoadBalancerInstanceChargeType];

/** Internet CLB billing: by traffic, or by a bandwidth cap. */
export const LoadBalancerInternetChargeType = { PayByTraffic: "PayByTraffic", PayByBandwidth: "PayByBandwidth" } as const;
export type LoadBalancerInternetChargeType = (typeof LoadBalancerInternetChargeType)[keyof typeof LoadBalancerInternetChargeType];

/** How the load balancer probes the gateway: an HTTP request to `/healthz/ready`, or a TCP connection. */
export const HealthCheckType = { Http: "http", Tcp: "tcp" } as const;
export type HealthCheckType = (typeof HealthCheckType)[keyof typeof HealthCheckType];

/** What kind of DNS record an address needs: A (IPv4), AAAA (IPv6) or CNAME (hostname). */
export const AddressKind = { IPv4: "IPv4", IPv6: "IPv6", Hostname: "hostname" } as const;
export type AddressKind = (typeof AddressKind)[keyof typeof AddressKind];

/**
 * An id of a cloud resource. A plain string in config files; in a program it may also be a
 * Pulumi Output (for example the id of a VPC created in the same stack). The types that hold ids
 * take the id type as a parameter: the component's arguments give `pulumi.Input<string>`, so the
 * package schema types each id as a string input, while the core names no Pulumi type.
 */
export type CloudId = string | PromiseLike<string> | { apply: (...args: never[]) => unknown };

export interface NlbZone<Id = CloudId> {
    /** A zone of the cluster's region (`cn-hangzhou-k`: zone ids start with their region id). */
    zoneId: string;
    /** The vSwitch in that zone. Omitted: the vSwitch of the VPC in that zone is looked up. */
    vswitchId?: Id;
}

export interface LoadBalancerHealthCheck {
    /** Probe `/healthz/ready` over HTTP (default), or only open a TCP connection. */
    type?: HealthCheckType;
    /** Seconds between probes, 1–50. */
    intervalSeconds?: number;
    /** Seconds a probe may take, 1–300. */
    timeoutSeconds?: number;
    /** Successes before a backend is healthy again, 2–10. */
    healthyThreshold?: number;
    /** Failures before a backend is taken out, 2–10. */
    unhealthyThreshold?: number;
}

/** How a CLB access control list treats the addresses it lists. */
export const ClbAclType = { white: "white", black: "black" } as const;
export type ClbAclType = (typeof ClbAclType)[keyof typeof ClbAclType];

/** A CLB access control list (made in the console or by another stack) bound to the gateway's listeners. */
export interface ClbAcl<Id = CloudId> {
    /** The ACL id (`acl-…`). */
    id: Id;
    /** `white`: only the listed addresses may connect; `black`: the listed addresses may not. */
    type: ClbAclType;
}

/** An existing vServer group of a reused CLB that the gateway pods join for one Service port. */
export interface ClbVServerGroup {
    /** The gateway Service port (1–65535) whose backends (the gateway pods) join the group. */
    port: number;
    /** The vServer group id (`rsp-…`), which a listener of the reused CLB already forwards to. */
    id: string;
}

/**
 * What a CLB's Service status names: the CLB's IP, or a hostname (the cloud controller's
 * `hostname` annotation). kube-proxy captures traffic to an IP in the status on every node and
 * never sends it to the CLB; it binds no hostname, so in-cluster clients of the CLB's IP then go
 * through the CLB like everyone else.
 */
export interface StatusHostname {
    /**
     * Write a hostname instead of the CLB's IP into the Service status. Default: on where
     * kube-proxy would break in-cluster access to the IP (externalTrafficPolicy Local, or TLS
     * terminated at the CLB), off elsewhere. Never for an NLB, whose status is its DNS name.
     */
    enabled?: boolean;
    /**
     * The hostname written into the status: a DNS name (lower-case, not an IP), best one that
     * resolves to the CLB. Default: the Service's in-cluster name, `<service>.<namespace>.svc.cluster.local`.
     */
    hostname?: string;
}

/** A CLB or NLB in front of the gateway Service in one cluster. */
export interface LoadBalancerSettings<Id = CloudId> {
    /** CLB (default) or NLB. */
    type?: LoadBalancerType;
    /** `internet` (default) or `intranet`. Immutable: changing it replaces the load balancer. */
    addressType?: LoadBalancerAddressType;
    /** `ipv4` (default); `ipv6` for an internet CLB; `dualstack` for an NLB. Immutable. */
    ipVersion?: LoadBalancerIpVersion;
    /** Reuse this load balancer instead of creating one. Its listeners are kept unless forceOverrideListeners. */
    existingId?: Id;
    /** With existingId: let the cloud controller overwrite listeners on the gateway's ports. Default false. */
    forceOverrideListeners?: boolean;
    /** Name of a created load balancer. Default: `<gateway workload>-<cluster id>`. */
    loadBalancerName?: string;
    /**
     * CLB specification. Refused on the pay-as-you-go CLBs the component creates: Alibaba Cloud
     * sells those pay-by-CLCU only (no specification) since 2025-06-01. Kept so that an old
     * config gets that explanation instead of "unknown field".
     */
    spec?: string;
    /** CLB metering: `PayByCLCU` (default, and the only one sold for pay-as-you-go CLBs). `PayBySpec` is refused. */
    instanceChargeType?: LoadBalancerInstanceChargeType;
    /** Internet CLB: `PayByTraffic` (default). `PayByBandwidth` does not exist for pay-by-CLCU CLBs and is refused. */
    internetChargeType?: LoadBalancerInternetChargeType;
    /** Internet CLB bandwidth cap, 1–5120 Mbit/s; only with PayByBandwidth, so refused on created CLBs. */
    bandwidth?: number;
    /** Intranet CLB: the vSwitch (required). */
    vswitchId?: Id;
    /** CLB primary and standby zones. Immutable. */
    masterZoneId?: string;
    /** CLB standby zone. Immutable. Default: chosen by Alibaba Cloud. */
    slaveZoneId?: string;
    /** NLB: the VPC (required). */
    vpcId?: Id;
    /** NLB: 2 to 10 zones, each with its vSwitch (looked up when omitted). Immutable. */
    zoneMappings?: NlbZone<Id>[];
    /** NLB: spread traffic across zones. */
    crossZoneEnabled?: boolean;
    /** NLB: security groups. */
    securityGroupIds?: Id[];
    /**
     * NLB: the gateway pods see the client's address (the NLB server group's client address
     * preservation, off by default on Alibaba Cloud). Default true; IP allow/deny lists rely on it.
     */
    preserveClientIp?: boolean;
    /**
     * CLB with existingId: join these existing vServer groups (the controller's `vgroup-port`),
     * so the listeners that already forward to them carry the gateway's traffic.
     */
    vServerGroups?: ClbVServerGroup[];
    /**
     * CLB: an access control list on the gateway's listeners (`acl-status: on`, `acl-id`,
     * `acl-type`). The controller writes it when it manages the listeners: on a created CLB, or
     * a reused one with forceOverrideListeners.
     */
    acl?: ClbAcl<Id>;
    /** Resource group. Immutable. */
    resourceGroupId?: Id;
    /** Tags of a created load balancer (at most 10 for CLB), set when it is created. */
    tags?: Record<string, string>;
    /** Deletion protection of a created load balancer. Default true. */
    deletionProtection?: boolean;
    /** Scheduling algorithm: CLB `wrr`, `rr`, `wlc`; NLB `Wrr`, `rr`, `sch`, `tch`, `qch`. */
    scheduler?: string;
    /**
     * Seconds the load balancer lets a removed backend finish its connections. Default: the
     * gateway's drain time (30 s), and never longer (the console's graceful-shutdown rule).
     */
    connectionDrainSeconds?: number;
    /** Health checks against the gateway's status port (`/healthz/ready` on 15021). */
    healthCheck?: LoadBalancerHealthCheck;
    /**
     * Backends: `eni` (Terway: pods directly) or `ecs` (nodes). The health check targets the status
     * port's target port with `eni`, its nodePort with `ecs`; unset keeps the cluster's default.
     */
    backendType?: LoadBalancerBackendType;
    /**
     * Terminate TLS at the load balancer on these ports with this certificate (a `certificates`
     * entry with PEM): a CLB gets HTTPS listeners, an NLB TCPSSL listeners. The gateway then
     * receives plain traffic on those ports.
     */
    tls?: LoadBalancerTls;
    /**
     * CLB: the Service status carries a hostname instead of the CLB's IP, so pods in the cluster
     * reach the IP through the CLB (on by default with externalTrafficPolicy Local or TLS at the
     * CLB). The gateway's address output and DNS records keep the CLB's IP.
     */
    statusHostname?: StatusHostname;
}

export interface LoadBalancerTls {
    /** A `certificates` entry with PEM. */
    certificate: string;
    /** Service ports whose listeners terminate TLS. */
    ports: number[];
}

/** One more load balancer for the same gateway pods, through a Service of its own. */
export interface AdditionalLoadBalancer<Id = CloudId> extends LoadBalancerSettings<Id> {
    /** Short name: the Service is `<gateway workload>-<name>`. A DNS label, unique per gateway. */
    name: string;
    /** Names of the gateway ports this load balancer exposes. Default: all of them. */
    ports?: string[];
}

export const CCM_ANNOTATION_PREFIX = "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-";
/** The annotation that binds a Service to a load balancer by id; replacing it replaces the Service. */
export const LB_ID_ANNOTATION = `${CCM_ANNOTATION_PREFIX}id`;
export const BACKEND_TYPE_ANNOTATION = "service.beta.kubernetes.io/backend-type";
/** The annotation whose value the CLB controller writes as the Service status' only entry, as a hostname. */
export const HOSTNAME_ANNOTATION = `${CCM_ANNOTATION_PREFIX}hostname`;
export const NLB_CLASS = "alibabacloud.com/nlb";
/** The Istio status port and the path that answers 200 only while Envoy is ready. */
export const STATUS_PORT = 15021;
export const READY_PATH = "/healthz/ready";
/** Connection-drain timeout bounds, in seconds: 10–900 for both (CLB listener, NLB server group). */
const DRAIN_RANGE: Record<LoadBalancerType, [number, number]> = { CLB: [10, 900], NLB: [10, 900] };
const CLB_SPECS = ["slb.s1.small", "slb.s2.small", "slb.s2.medium", "slb.s3.small", "slb.s3.medium", "slb.s3.large", "slb.s4.large"];
const SCHEDULERS: Record<LoadBalancerType, string[]> = { CLB: ["wrr", "rr", "wlc"], NLB: ["Wrr", "rr", "sch", "tch", "qch"] };
/** The Service port's (and load balancer listener's) transport: every gateway protocol but UDP runs on TCP. */
export function transportOf(port: GatewayPort): "TCP" | "UDP" {
    return port.protocol === "UDP" ? "UDP" : "TCP";
}

/** One load balancer binding in one cluster: which Service, which load balancer, created or reused. */
export interface LoadBalancerPlan {
    /** `default` for the gateway's own Service, else the additional load balancer's name. */
    key: string;
    serviceName: string;
    /** Where the settings are in the user's config (the base spec or the cluster's override). */
    path: PathSegment[];
    settings: LoadBalancerSettings & { type: LoadBalancerType; addressType: LoadBalancerAddressType; ipVersion: LoadBalancerIpVersion };
    /** True when the component creates the load balancer; false when `existingId` reuses one. */
    create: boolean;
    /** The Service ports this load balancer serves. */
    ports: GatewayPort[];
    /**
     * CLB: the hostname its Service status carries instead of the IP, and why, when the product
     * turned it on by itself (`why` is undefined when the user asked for it).
     */
    statusHostname?: { hostname: string; why?: string };
}

/** The key of the gateway Service's own load balancer (`gateway.loadBalancer`); other keys are additional load balancers' names. */
export const DEFAULT_LB_KEY = "default";

/** Whether a load balancer key (or a name that refers to one, as DNS does) is the gateway Service's own. */
export function isDefaultLoadBalancer(key: string): boolean {
    return key === DEFAULT_LB_KEY;
}

/**
 * The cloud name of a created load balancer without `loadBalancerName`: `<Service>-<cluster id>`,
 * cut to the 80 characters a CLB name may have, without the hyphens or dots a cut may leave at
 * its end (a name must end with a letter or digit: terraform-provider-alicloud
 * `website/docs/r/slb_load_balancer.html.markdown`, `load_balancer_name`).
 */
export function defaultCloudName(serviceName: string, clusterId: string): string {
    return `${serviceName}-${clusterId}`.slice(0, 80).replace(/[^A-Za-z0-9]+$/, "");
}

/** The Service of an additional load balancer. */
export function additionalServiceName(workload: string, name: string): string {
    return `${workload}-${name}`;
}

/** Load balancer bindings of one cluster: its effective spec, and the gateway it came from (for paths). */
export function planLoadBalancers(
    gateway: GatewaySpec,
    clusterId: string,
    spec: GatewaySpec,
    workload: string,
    namespace = DEFAULT_NAMESPACE,
): LoadBalancerPlan[] {
    const origin = (field: "loadBalancer" | "additionalLoadBalancers"): PathSegment[] =>
        ownValue(gateway.overrides, clusterId)?.[field] !== undefined
            ? ["gateway", "overrides", { key: clusterId }, field]
            : ["gateway", field];
    const ports = spec.ports ?? DEFAULTS.ports;
    const plans: LoadBalancerPlan[] = [];
    if (spec.loadBalancer !== undefined) {
        plans.push(bind(DEFAULT_LB_KEY, workload, origin("loadBalancer"), spec.loadBalancer, ports));
    }
    (spec.additionalLoadBalancers ?? []).forEach((extra, i) => {
        const { name, ports: names, ...settings } = extra;
        const chosen = names === undefined ? ports : ports.filter((p) => names.includes(p.name));
        plans.push(bind(name, additionalServiceName(workload, name), [...origin("additionalLoadBalancers"), i], settings, chosen));
    });
    for (const lb of plans) lb.statusHostname = statusHostnameOf(lb, spec, namespace);
    return plans;
}

/**
 * Whether a CLB's Service status gets a hostname. kube-proxy (iptables, IPVS and nftables alike)
 * takes every `status.loadBalancer.ingress[].ip` as a local address for the Service's endpoints,
 * so a pod's connection to the CLB's IP never reaches the CLB. That breaks in-cluster clients:
 * - with externalTrafficPolicy Local, on nodes without a gateway pod (no local endpoint);
 * - with TLS terminated at the CLB, everywhere: the TLS handshake lands on a plain-text port.
 * The cloud controller sets no `ipMode: Proxy`, so its `hostname` annotation is the fix it offers.
 */
function statusHostnameOf(lb: LoadBalancerPlan, spec: GatewaySpec, namespace: string): LoadBalancerPlan["statusHostname"] {
    const s = lb.settings;
    const own = s.statusHostname ?? {};
    // The NLB controller always writes the NLB's DNS name, never an IP (and ignores the annotation).
    if (s.type !== "CLB" || own.enabled === false) return undefined;
    const hostname = own.hostname ?? `${lb.serviceName}.${namespace}.svc.cluster.local`;
    if (own.enabled === true || own.hostname !== undefined) return { hostname };
    // A hostname annotation the user wrote on the gateway Service already does it, their way.
    if (lb.key === DEFAULT_LB_KEY && Object.keys(spec.serviceAnnotations ?? {}).some((k) => ccmKey(k) === "hostname")) return undefined;
    const reasons: string[] = [];
    if (spec.externalTrafficPolicy === "Local") {
        reasons.push(
            "externalTrafficPolicy is Local, so kube-proxy would answer the CLB's IP on each node with that node's gateway pods only (pods on nodes without one could not reach it)",
        );
    }
    if (s.tls !== undefined) {
        reasons.push(
            `the CLB terminates TLS on ${s.tls.ports.join(", ")}, and kube-proxy would send in-cluster TLS connections to the IP straight to the gateway's plain-text ports`,
        );
    }
    return reasons.length === 0 ? undefined : { hostname, why: reasons.join("; and ") };
}

function bind(key: string, serviceName: string, path: PathSegment[], s: LoadBalancerSettings, ports: GatewayPort[]): LoadBalancerPlan {
    return {
        key,
        serviceName,
        path,
        settings: { ...s, type: s.type ?? "CLB", addressType: s.addressType ?? "internet", ipVersion: s.ipVersion ?? "ipv4" },
        create: s.existingId === undefined,
        ports,
    };
}

/**
 * A load balancer binding with the cloud ids its annotations name, of type `Id`: strings in a
 * plan, Outputs in the component (the id of a load balancer it creates is known only then).
 */
export interface ServiceBinding<Id = string> {
    lb: LoadBalancerPlan;
    /** The load balancer's id. */
    id: Id;
    /** With `tls` settings: the certificate id the load balancer's listeners use. */
    certificateId?: Id;
    /** With `acl` settings: the access control list's id. */
    aclId?: Id;
}

/** The cloud controller annotations that bind a Service to its load balancer. */
export function bindingAnnotations<Id>(binding: ServiceBinding<Id>, drainSeconds: number): Record<string, string | Id> {
    const { lb, id, certificateId } = binding;
    const s = lb.settings;
    const a: Record<string, string | Id> = {
        [LB_ID_ANNOTATION]: id,
        // A created load balancer belongs to this Service alone, so its listeners are ours to write.
        // A reused one keeps its listeners unless the user explicitly allows overwriting them.
        [`${CCM_ANNOTATION_PREFIX}force-override-listeners`]: String(lb.create || s.forceOverrideListeners === true),
        [`${CCM_ANNOTATION_PREFIX}connection-drain`]: "on",
        [`${CCM_ANNOTATION_PREFIX}connection-drain-timeout`]: String(
            s.connectionDrainSeconds ?? Math.min(drainSeconds, DRAIN_RANGE[s.type][1]),
        ),
    };
    if (s.scheduler !== undefined) a[`${CCM_ANNOTATION_PREFIX}scheduler`] = s.scheduler;
    if (s.tls !== undefined) {
        const protocol = s.type === "CLB" ? "https" : "TCPSSL";
        a[`${CCM_ANNOTATION_PREFIX}protocol-port`] = s.tls.ports.map((p) => `${protocol}:${p}`).join(",");
        if (certificateId !== undefined) a[`${CCM_ANNOTATION_PREFIX}cert-id`] = certificateId;
    }
    if (s.backendType !== undefined) a[BACKEND_TYPE_ANNOTATION] = s.backendType;
    if (s.type === "NLB") a[`${CCM_ANNOTATION_PREFIX}preserve-client-ip`] = s.preserveClientIp === false ? "off" : "on";
    if (lb.statusHostname !== undefined) a[HOSTNAME_ANNOTATION] = lb.statusHostname.hostname;
    if (s.vServerGroups !== undefined) {
        a[`${CCM_ANNOTATION_PREFIX}vgroup-port`] = s.vServerGroups.map((g) => `${g.id}:${g.port}`).join(",");
    }
    if (s.acl !== undefined) {
        a[`${CCM_ANNOTATION_PREFIX}acl-status`] = "on";
        if (binding.aclId !== undefined) a[`${CCM_ANNOTATION_PREFIX}acl-id`] = binding.aclId;
        a[`${CCM_ANNOTATION_PREFIX}acl-type`] = s.acl.type;
    }

    const hc = s.healthCheck ?? {};
    const connectPort = healthCheckPort(lb);
    const type = hc.type ?? (connectPort === undefined ? undefined : "http");
    // NLB health checks are on by default but said explicitly; CLB layer-7 (HTTPS) listeners have
    // them off unless the flag is "on" (the controller's setDefaultValueForListener), and TCP
    // listeners always check (the flag is ignored there).
    if (s.type === "NLB" || s.tls !== undefined) a[`${CCM_ANNOTATION_PREFIX}health-check-flag`] = "on";
    if (type !== undefined) a[`${CCM_ANNOTATION_PREFIX}health-check-type`] = type;
    if (type === "http") a[`${CCM_ANNOTATION_PREFIX}health-check-uri`] = READY_PATH;
    if (connectPort !== undefined) a[`${CCM_ANNOTATION_PREFIX}health-check-connect-port`] = String(connectPort);
    if (hc.intervalSeconds !== undefined) a[`${CCM_ANNOTATION_PREFIX}health-check-interval`] = String(hc.intervalSeconds);
    if (hc.timeoutSeconds !== undefined) a[`${CCM_ANNOTATION_PREFIX}health-check-connect-timeout`] = String(hc.timeoutSeconds);
    if (hc.healthyThreshold !== undefined) a[`${CCM_ANNOTATION_PREFIX}healthy-threshold`] = String(hc.healthyThreshold);
    if (hc.unhealthyThreshold !== undefined) a[`${CCM_ANNOTATION_PREFIX}unhealthy-threshold`] = String(hc.unhealthyThreshold);
    return a;
}

/** Where the load balancer probes the status port: the pod port with ENI backends, the node port with ECS. */
export function healthCheckPort(lb: LoadBalancerPlan): number | undefined {
    const status = lb.ports.find((p) => targetPort(p) === STATUS_PORT);
    if (status === undefined) return undefined;
    if (lb.settings.backendType === "eni") return STATUS_PORT;
    if (lb.settings.backendType === "ecs") return status.nodePort;
    return undefined;
}

/** The rules on every cluster's load balancers, and across the fleet (sharing, reuse). */
export function checkLoadBalancers(
    fleet: GatewayFleetSpec,
    perCluster: { clusterId: string; spec: GatewaySpec; loadBalancers: LoadBalancerPlan[] }[],
    drainSeconds: number,
    list: IssueList,
): void {
    const reusedBy = new Map<string, string>();
    for (const { clusterId, spec, loadBalancers } of perCluster) {
        const index = fleet.clusters.findIndex((c) => c.id === clusterId);
        const region = fleet.clusters[index]?.region;
        if (loadBalancers.length > 0 && region === undefined) {
            list.add(
                ["clusters", index, "region"],
                `is required: cluster ${clusterId} has a load balancer (${formatPath(loadBalancers[0].path)}), which is created and looked up in the cluster's region (e.g. cn-hangzhou)`,
            );
        }
        for (const lb of loadBalancers) checkZones(lb, region, list);
        const serviceType = serviceTypeOf(spec);
        const sameLb = new Map<string, { key: string; ports: Set<string> }>();
        for (const lb of loadBalancers) {
            const p = (...rest: PathSegment[]) => [...lb.path, ...rest];
            if (isDefaultLoadBalancer(lb.key) && serviceType !== "LoadBalancer") {
                list.add(
                    p(),
                    `cluster ${clusterId}: a load balancer is configured but serviceType is ${serviceType}; set serviceType: LoadBalancer or remove loadBalancer`,
                );
            }
            checkSettings(lb, p, drainSeconds, list);
            if (isDefaultLoadBalancer(lb.key)) checkServiceFields(spec, lb, clusterId, p, list);

            checkReuse(lb, clusterId, reusedBy, sameLb, p, list);
        }
        checkAdditionalLoadBalancers(fleet, clusterId, spec, loadBalancers, list);
    }
    if (fleet.mode === "asm") checkAsmUniformType(fleet.gateway.loadBalancer ?? {}, perCluster, list);
    checkBillingAnnotations(fleet.gateway.serviceAnnotations, ["gateway", "serviceAnnotations"], list);
    for (const [id, o] of Object.entries(fleet.gateway.overrides ?? {}))
        checkBillingAnnotations(o.serviceAnnotations, ["gateway", "overrides", { key: id }, "serviceAnnotations"], list);
}

/** A reused load balancer (`existingId`): its type, one cluster only, and no listener port twice. */
function checkReuse(
    lb: LoadBalancerPlan,
    clusterId: string,
    reusedBy: Map<string, string>,
    sameLb: Map<string, { key: string; ports: Set<string> }>,
    p: (...rest: PathSegment[]) => PathSegment[],
    list: IssueList,
): void {
    const id = lb.settings.existingId;
    if (typeof id !== "string") return;
    const kind = id.startsWith("nlb-") ? "NLB" : id.startsWith("lb-") ? "CLB" : undefined;
    if (kind !== undefined && kind !== lb.settings.type) {
        list.add(
            p("existingId"),
            `${id} is the id of an ${kind}, but type is ${lb.settings.type}${kind === "NLB" ? " (the Service would get no loadBalancerClass and the CLB controller would look for it)" : ""}: set type: ${kind}`,
        );
    }
    const other = reusedBy.get(id);
    if (other !== undefined && other !== clusterId) {
        list.add(
            p("existingId"),
            `load balancer ${id} is already used by cluster ${other}; a load balancer cannot serve two clusters (the cloud controller does not support cross-cluster reuse)`,
        );
    }
    reusedBy.set(id, clusterId);
    const listeners = sameLb.get(id);
    const mine = new Set(lb.ports.map((port) => `${transportOf(port)}:${port.port}`));
    if (listeners !== undefined) {
        const clash = [...mine].filter((l) => listeners.ports.has(l));
        if (clash.length > 0) {
            list.add(
                p("existingId"),
                `cluster ${clusterId}: load balancer ${id} already serves ${clash.join(", ")} for the ${listeners.key} Service; Services sharing a load balancer must use different frontend ports (otherwise traffic is silently mis-routed)`,
            );
        }
        for (const l of mine) listeners.ports.add(l);
    } else {
        sameLb.set(id, { key: lb.key, ports: mine });
    }
}

/** The additional load balancers of one cluster: names, ports, and (asm mode) the cluster's own credentials. */
function checkAdditionalLoadBalancers(
    fleet: GatewayFleetSpec,
    clusterId: string,
    spec: GatewaySpec,
    loadBalancers: LoadBalancerPlan[],
    list: IssueList,
): void {
    const names = new Set<string>();
    // planLoadBalancers puts the additional load balancers last, in order.
    const additional = spec.additionalLoadBalancers ?? [];
    const extras = loadBalancers.slice(loadBalancers.length - additional.length);
    additional.forEach((extra, i) => {
        const p = (...rest: PathSegment[]) => [...extras[i].path, ...rest];
        if (!DNS_LABEL.test(extra.name) || extra.name.length > 20) {
            list.add(p("name"), `"${extra.name}" must be a DNS label of at most 20 characters (it names the Service)`);
        } else {
            const service = additionalServiceName(workloadName(fleet.name), extra.name);
            // A Service name is a DNS-1035 label: at most 63 characters.
            if (service.length > 63)
                list.add(
                    p("name"),
                    `its Service ${service} is ${service.length} characters; Kubernetes allows 63: shorten this name or the gateway's`,
                );
        }
        if (names.has(extra.name) || isDefaultLoadBalancer(extra.name))
            list.add(p("name"), `"${extra.name}" is used twice (or is the reserved name "default")`);
        names.add(extra.name);
        const known = (spec.ports ?? DEFAULTS.ports).map((port) => port.name);
        (extra.ports ?? []).forEach((name, j) => {
            if (!known.includes(name)) list.add(p("ports", j), `"${name}" is not one of the gateway's ports (${known.join(", ")})`);
        });
        if (fleet.mode === "asm") {
            const cluster = fleet.clusters.find((c) => c.id === clusterId);
            if (cluster === undefined || !hasCredentials(cluster)) {
                list.add(
                    p(),
                    `cluster ${clusterId}: in asm mode an additional load balancer's Service is created in the cluster itself; give the cluster a kubeconfig or ackClusterId`,
                );
            }
        }
    });
}

/**
 * Billing the user asks of the cloud controller in their own annotations (a load balancer it
 * creates): pay-by-specification CLBs, and bandwidth billing that only they had, are no longer
 * sold, so the controller's create call fails or the setting is dropped.
 */
function checkBillingAnnotations(annotations: Record<string, string> | undefined, path: PathSegment[], list: IssueList): void {
    for (const [key, value] of Object.entries(annotations ?? {})) {
        const name = key.replace(/^service\.beta\.kubernetes\.io\/(alibaba-cloud|alicloud)-loadbalancer-/, "");
        if (name === key) continue;
        const obsolete =
            name === "spec" ||
            (name === "instance-charge-type" && value.toLowerCase() === "paybyspec") ||
            (name === "charge-type" && value.toLowerCase() === "paybybandwidth");
        if (obsolete) {
            list.warn(
                [...path, { key }],
                `pay-by-specification CLBs (and their bandwidth billing) are no longer sold since 2025-06-01; the cloud controller creates pay-by-CLCU CLBs by default: remove this annotation`,
            );
        }
    }
}

function checkSettings(lb: LoadBalancerPlan, p: (...rest: PathSegment[]) => PathSegment[], drainSeconds: number, list: IssueList): void {
    const s = lb.settings;
    if (s.type === "CLB") checkClbSettings(lb, p, list);
    else checkNlbSettings(lb, p, list);
    if (s.scheduler !== undefined && !SCHEDULERS[s.type].includes(s.scheduler)) {
        list.add(p("scheduler"), `"${s.scheduler}" is not a ${s.type} scheduler (${SCHEDULERS[s.type].join(", ")})`);
    }
    checkReusedSettings(lb, p, list);
    checkConnectionDrain(s, p, drainSeconds, list);
    checkStatusHostname(s.statusHostname, p, list);
    (s.tls?.ports ?? []).forEach((port, i) => {
        if (!lb.ports.some((x) => x.port === port))
            list.add(
                p("tls", "ports", i),
                `${port} is not a port of this load balancer's Service (${lb.ports.map((x) => x.port).join(", ")})`,
            );
    });
    if (s.backendType === "ecs" && healthCheckPort(lb) === undefined && lb.ports.some((port) => targetPort(port) === STATUS_PORT)) {
        list.add(
            p("backendType"),
            "with ecs backends the health check reaches the status port through its node port: give the status port a nodePort",
        );
    }
}

/** A CLB: no field of an NLB, and only what a CLB can be. */
function checkClbSettings(lb: LoadBalancerPlan, p: (...rest: PathSegment[]) => PathSegment[], list: IssueList): void {
    const s = lb.settings;
    const onlyFor = (field: keyof LoadBalancerSettings, what: string) => {
        if (s[field] !== undefined) list.add(p(field), `applies only to ${what}`);
    };
    for (const f of ["vpcId", "zoneMappings", "crossZoneEnabled", "securityGroupIds", "preserveClientIp"] as const)
        onlyFor(f, "NLB (type: NLB)");
    if (s.ipVersion === "dualstack") list.add(p("ipVersion"), "dualstack is an NLB option; a CLB is ipv4 or ipv6");
    if (s.ipVersion === "ipv6" && s.addressType === "intranet")
        list.add(p("ipVersion"), "an intranet CLB cannot be IPv6 (IPv6 CLBs are internet-facing only)");
    if (lb.create) checkClbBilling(s, p, list);
    if (lb.create && s.addressType === "intranet" && s.vswitchId === undefined)
        list.add(p("vswitchId"), "is required to create an intranet CLB (the vSwitch its address comes from)");
    if (s.addressType === "internet" && s.vswitchId !== undefined)
        list.add(p("vswitchId"), "applies only to intranet CLBs (an internet CLB has no vSwitch)");
    if (s.tags !== undefined && Object.keys(s.tags).length > 10) list.add(p("tags"), "a CLB takes at most 10 tags");
    if (s.vServerGroups !== undefined) checkVServerGroups(lb, s.vServerGroups, p, list);
    if (s.acl !== undefined && !lb.create && s.forceOverrideListeners !== true) {
        list.add(
            p("acl"),
            "the controller sets ACLs only on listeners it manages, and on a reused CLB it manages none without forceOverrideListeners: set forceOverrideListeners: true, or bind the ACL to the existing listeners yourself",
        );
    }
}

function checkClbBilling(s: LoadBalancerPlan["settings"], p: (...rest: PathSegment[]) => PathSegment[], list: IssueList): void {
    // CreateLoadBalancer: pay-as-you-go CLBs are sold pay-by-CLCU only since 2025-06-01,
    // and a pay-by-CLCU CLB is billed by data transfer, never by bandwidth.
    if (s.spec !== undefined)
        list.add(
            p("spec"),
            `pay-as-you-go CLBs are sold pay-by-CLCU only (no specification; pay-by-specification CLBs are no longer sold since 2025-06-01): remove spec${CLB_SPECS.includes(s.spec) ? "" : ` ("${s.spec}" is not a CLB specification either)`}`,
        );
    if (s.instanceChargeType === "PayBySpec")
        list.add(
            p("instanceChargeType"),
            "PayBySpec CLBs are no longer sold (since 2025-06-01 pay-as-you-go CLBs are pay-by-CLCU only): use PayByCLCU, the default",
        );
    if (s.internetChargeType === "PayByBandwidth")
        list.add(
            p("internetChargeType"),
            "a pay-by-CLCU CLB is billed by data transfer (PayByTraffic) only; PayByBandwidth exists for pay-by-specification CLBs, which are no longer sold",
        );
    if (s.bandwidth !== undefined)
        list.add(p("bandwidth"), "applies only with internetChargeType PayByBandwidth, which pay-by-CLCU CLBs do not have");
}

function checkVServerGroups(
    lb: LoadBalancerPlan,
    groups: NonNullable<LoadBalancerSettings["vServerGroups"]>,
    p: (...rest: PathSegment[]) => PathSegment[],
    list: IssueList,
): void {
    if (lb.create)
        list.add(
            p("vServerGroups"),
            "applies to a reused CLB (existingId): on a created one the controller makes the vServer groups itself",
        );
    const seen = new Set<number>();
    groups.forEach((g, i) => {
        if (!lb.ports.some((x) => x.port === g.port))
            list.add(
                p("vServerGroups", i, "port"),
                `${g.port} is not a port of this load balancer's Service (${lb.ports.map((x) => x.port).join(", ")})`,
            );
        if (seen.has(g.port)) list.add(p("vServerGroups", i, "port"), `port ${g.port} is given twice`);
        seen.add(g.port);
    });
}

/** An NLB: no field of a CLB, and only what an NLB can be. */
function checkNlbSettings(lb: LoadBalancerPlan, p: (...rest: PathSegment[]) => PathSegment[], list: IssueList): void {
    const s = lb.settings;
    const onlyFor = (field: keyof LoadBalancerSettings, what: string) => {
        if (s[field] !== undefined) list.add(p(field), `applies only to ${what}`);
    };
    for (const f of [
        "spec",
        "instanceChargeType",
        "internetChargeType",
        "bandwidth",
        "vswitchId",
        "masterZoneId",
        "slaveZoneId",
        "vServerGroups",
        "acl",
    ] as const)
        onlyFor(f, "CLB");
    if (s.statusHostname !== undefined) {
        list.add(
            p("statusHostname"),
            "applies only to a CLB: an NLB's Service status always carries the NLB's DNS name, which kube-proxy does not bind",
        );
    }
    if (s.ipVersion === "ipv6") list.add(p("ipVersion"), "an NLB is ipv4 or dualstack");
    if (lb.create) {
        if (s.vpcId === undefined) list.add(p("vpcId"), "is required to create an NLB");
        const zones = s.zoneMappings ?? [];
        if (zones.length < 2) list.add(p("zoneMappings"), `an NLB needs at least two zones (got ${zones.length})`);
        const seen = new Set<string>();
        zones.forEach((z, i) => {
            if (seen.has(z.zoneId)) list.add(p("zoneMappings", i, "zoneId"), `zone ${z.zoneId} is listed twice`);
            seen.add(z.zoneId);
            if (s.ipVersion === "dualstack" && z.vswitchId === undefined) {
                list.add(
                    p("zoneMappings", i, "vswitchId"),
                    "a dual-stack NLB needs an IPv6-enabled vSwitch in each zone: give vswitchId (a lookup by zone cannot tell which vSwitches have IPv6)",
                );
            }
        });
    }
}

/** A reused load balancer (existingId) keeps what it was created with. */
function checkReusedSettings(lb: LoadBalancerPlan, p: (...rest: PathSegment[]) => PathSegment[], list: IssueList): void {
    const s = lb.settings;
    if (!lb.create) {
        const creationOnly = [
            "loadBalancerName",
            "spec",
            "instanceChargeType",
            "internetChargeType",
            "bandwidth",
            "vswitchId",
            "masterZoneId",
            "slaveZoneId",
            "vpcId",
            "zoneMappings",
            "crossZoneEnabled",
            "securityGroupIds",
            "resourceGroupId",
            "tags",
            "deletionProtection",
            "ipVersion",
            "addressType",
        ] as const;
        for (const f of creationOnly) {
            if (
                s[f] !== undefined &&
                !(f === "ipVersion" && s.ipVersion === "ipv4") &&
                !(f === "addressType" && s.addressType === "internet")
            ) {
                list.add(p(f), "describes a load balancer the component creates; a reused one (existingId) keeps its own");
            }
        }
    } else if (s.forceOverrideListeners !== undefined) {
        list.add(p("forceOverrideListeners"), "applies only with existingId: a load balancer the component creates is the gateway's alone");
    }
}

function checkConnectionDrain(
    s: LoadBalancerPlan["settings"],
    p: (...rest: PathSegment[]) => PathSegment[],
    drainSeconds: number,
    list: IssueList,
): void {
    const [min, max] = DRAIN_RANGE[s.type];
    if (s.connectionDrainSeconds !== undefined) {
        if (s.connectionDrainSeconds > drainSeconds) {
            list.add(
                p("connectionDrainSeconds"),
                `${s.connectionDrainSeconds}s is longer than the gateway's drain time (${drainSeconds}s): the load balancer would keep sending to a pod that has stopped`,
            );
        } else if (s.connectionDrainSeconds < min || s.connectionDrainSeconds > max) {
            list.add(p("connectionDrainSeconds"), `must be ${min}–${max} seconds for a ${s.type}`);
        }
    } else if (drainSeconds < min) {
        list.add(
            p("connectionDrainSeconds"),
            `the gateway drains for ${drainSeconds}s, below the ${s.type} minimum of ${min}s; raise gracefulShutdown.drainSeconds`,
        );
    }
}

/** DNS-1123 subdomain, the rule the API server applies to `status.loadBalancer.ingress[].hostname`. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function checkStatusHostname(own: StatusHostname | undefined, p: (...rest: PathSegment[]) => PathSegment[], list: IssueList): void {
    if (own?.hostname === undefined) return;
    const h = own.hostname;
    if (own.enabled === false) {
        list.add(p("statusHostname", "hostname"), "is given but enabled is false: remove the hostname, or enabled: false");
    } else if (/^[0-9.]+$/.test(h) || h.includes(":")) {
        list.add(
            p("statusHostname", "hostname"),
            `"${h}" is an IP address; the Service status takes a DNS name here (an IP there is what kube-proxy binds)`,
        );
    } else if (h.length > 253 || !DNS_SUBDOMAIN.test(h)) {
        list.add(
            p("statusHostname", "hostname"),
            `"${h}" is not a DNS name (lower-case letters, digits, '-' and '.', at most 253 characters); the API server would refuse the controller's status update and the Service would get no address`,
        );
    }
}

/**
 * Annotations that choose the load balancer and how it is made: the component's alone once it
 * binds one. Listener and backend tuning the component does not write (an ACL, `vgroup-port`,
 * stickiness, timeouts, …) binds nothing and passes through with the user's annotations.
 */
const BINDING_KEYS = new Set([
    "id",
    "force-override-listeners",
    "address-type",
    "ip-version",
    "ipv6-address-type",
    "name",
    "resource-group-id",
    "additional-resource-tags",
    "delete-protection",
    "modification-protection",
    "spec",
    "instance-charge-type",
    "charge-type",
    "bandwidth",
    "vswitch-id",
    "network-type",
    "master-zoneid",
    "slave-zoneid",
    "zone-maps",
    "security-group-ids",
    "cross-zone-enabled",
    "preserve-lb-on-delete",
]);

/** The controller's name of an annotation (without either prefix), or undefined for another key. */
function ccmKey(key: string): string | undefined {
    const m = /^service\.beta\.kubernetes\.io\/(alibaba-cloud|alicloud)-loadbalancer-(.+)$/.exec(key);
    return m === null ? undefined : m[2];
}

function checkServiceFields(
    spec: GatewaySpec,
    lb: LoadBalancerPlan,
    clusterId: string,
    p: (...rest: PathSegment[]) => PathSegment[],
    list: IssueList,
): void {
    const written = new Set(
        Object.keys(bindingAnnotations({ lb, id: "id", certificateId: "cert", aclId: "acl" }, 0)).map((k) => ccmKey(k) ?? k),
    );
    const owned = Object.keys(spec.serviceAnnotations ?? {}).filter((k) => {
        const name = ccmKey(k);
        return k === BACKEND_TYPE_ANNOTATION || (name !== undefined && (BINDING_KEYS.has(name) || written.has(name)));
    });
    if (owned.length > 0) {
        list.add(
            p(),
            `cluster ${clusterId}: serviceAnnotations already bind the Service (${owned.join(", ")}); configure the load balancer in one place, here or in the annotations`,
        );
    }
    const wanted = lb.settings.type === "NLB" ? NLB_CLASS : undefined;
    if (spec.loadBalancerClass !== undefined && spec.loadBalancerClass !== wanted) {
        list.add(
            p("type"),
            `cluster ${clusterId}: loadBalancerClass is "${spec.loadBalancerClass}", which does not select a ${lb.settings.type}`,
        );
    }
}

/** ASM applies loadBalancerClass to every cluster alike, and an NLB needs it: no mixing. */
function checkAsmUniformType(
    base: LoadBalancerSettings,
    perCluster: { clusterId: string; loadBalancers: LoadBalancerPlan[] }[],
    list: IssueList,
): void {
    const defaults = perCluster.map((c) => c.loadBalancers.find((lb) => isDefaultLoadBalancer(lb.key)));
    const types = new Set(defaults.map((lb) => lb?.settings.type ?? "CLB"));
    if (types.has("NLB") && types.size > 1) {
        // Report where the user made a cluster differ: its override, not the base they did not touch.
        const baseType = base.type ?? "CLB";
        const overridden = defaults.filter(
            (lb): lb is LoadBalancerPlan => lb !== undefined && lb.path.includes("overrides") && lb.settings.type !== baseType,
        );
        const where = overridden.length > 0 ? overridden.map((lb) => [...lb.path, "type"]) : [["gateway", "loadBalancer", "type"]];
        for (const at of where) {
            list.add(
                at,
                "in asm mode every cluster's gateway Service gets the same loadBalancerClass, and an NLB needs one: use NLB in all clusters or in none (or an additional load balancer)",
            );
        }
    }
}

/**
 * The region a zone id belongs to: zone ids are their region's id plus a letter, with or without
 * a dash (`cn-hangzhou-k`, `ap-southeast-1a`).
 */
export function regionOfZone(zoneId: string): string {
    return zoneId.replace(/-?[a-z]$/, "");
}

/** Zones must be in the cluster's region (and one NLB's zones in one region). */
function checkZones(lb: LoadBalancerPlan, region: string | undefined, list: IssueList): void {
    const s = lb.settings;
    const zones: [PathSegment[], string][] = [
        ...(s.zoneMappings ?? []).map((z, i): [PathSegment[], string] => [[...lb.path, "zoneMappings", i, "zoneId"], z.zoneId]),
        ...(["masterZoneId", "slaveZoneId"] as const)
            .filter((f) => s[f] !== undefined)
            .map((f): [PathSegment[], string] => [[...lb.path, f], s[f]!]),
    ];
    const first = zones[0];
    for (const [path, zone] of zones) {
        const own = regionOfZone(zone);
        if (region !== undefined && own !== region) {
            list.add(
                path,
                `zone ${zone} is in region ${own}, not in the cluster's region ${region}: a load balancer is created in its cluster's region`,
            );
        } else if (region === undefined && own !== regionOfZone(first[1])) {
            list.add(
                path,
                `zone ${zone} is in region ${own}, but ${first[1]} is in ${regionOfZone(first[1])}: a load balancer's zones are in one region`,
            );
        }
    }
}

/**
 * Whether the gateway pods behind one Service see each client's own address: the one predicate
 * for every Service in front of the gateway (IP allow/deny lists rely on it). `lb` is the load
 * balancer bound to the Service, if any.
 * - Never when the load balancer terminates TLS: it opens its own connections.
 * - An NLB passes the client address only with client address preservation on its server
 *   groups, off by default on Alibaba Cloud; the component turns it on unless
 *   `preserveClientIp: false`.
 * - A ClusterIP Service (in-cluster clients) only DNATs.
 * - Otherwise the address survives to the pod when the pod is the backend (ENI) or kube-proxy
 *   does not SNAT to a node address (`externalTrafficPolicy: Local`).
 */
export function keepsClientAddress(spec: GatewaySpec, lb: LoadBalancerPlan | undefined): boolean {
    if (lb?.settings.tls !== undefined) return false;
    if (lb?.settings.type === "NLB" && lb.settings.preserveClientIp === false) return false;
    const type = lb !== undefined ? "LoadBalancer" : serviceTypeOf(spec);
    if (type === "ClusterIP") return true;
    return spec.externalTrafficPolicy === "Local" || lb?.settings.backendType === "eni";
}

/** Whether a Service gets a load balancer on the internet (the cloud controller's default address type). */
export function facesInternet(spec: GatewaySpec, lb: LoadBalancerPlan | undefined): boolean {
    if (lb !== undefined) return lb.settings.addressType === "internet";
    return serviceTypeOf(spec) === "LoadBalancer" && spec.serviceAnnotations?.[`${CCM_ANNOTATION_PREFIX}address-type`] !== "intranet";
}

/** A load balancer terminating TLS uploads its certificate to Alibaba Cloud: it must be a `certificates` entry with PEM. */
export function checkLoadBalancerCertificates(
    clusters: { loadBalancers: LoadBalancerPlan[] }[],
    pemCertificates: Set<string>,
    list: IssueList,
): void {
    for (const lb of clusters.flatMap((c) => c.loadBalancers)) {
        const tls = lb.settings.tls;
        if (tls !== undefined && !pemCertificates.has(tls.certificate)) {
            list.add(
                [...lb.path, "tls", "certificate"],
                `"${tls.certificate}" must be a certificates entry with pem (it is uploaded to Alibaba Cloud for the load balancer)`,
            );
        }
    }
}

/** Per certificate name: the Service ports where load balancers terminate TLS with it, in any cluster. */
export function loadBalancerTlsPorts(clusters: { loadBalancers: LoadBalancerPlan[] }[]): Map<string, number[]> {
    const out = new Map<string, number[]>();
    for (const lb of clusters.flatMap((c) => c.loadBalancers)) {
        const tls = lb.settings.tls;
        if (tls === undefined) continue;
        out.set(tls.certificate, [...new Set([...(out.get(tls.certificate) ?? []), ...tls.ports])]);
    }
    return out;
}

/** The kind of an address as reported (a Service's status, a reused load balancer): IPv4 (A), IPv6 (AAAA) or a name (CNAME). */
export function addressKindOfAddress(address: string): AddressKind {
    if (/^[0-9.]+$/.test(address)) return "IPv4";
    if (address.includes(":")) return "IPv6";
    return "hostname";
}

/** What DNS needs to point at a load balancer: a CLB's IP (A or AAAA), an NLB's name (CNAME). */
export function addressKindOf(lb: LoadBalancerPlan): AddressKind {
    if (lb.settings.type === "NLB") return "hostname";
    return lb.settings.ipVersion === "ipv6" ? "IPv6" : "IPv4";
}

/** Warnings a user should read in the plan: what carries a reused load balancer's traffic, health checks, drain. */
export function loadBalancerNotes(lb: LoadBalancerPlan, clusterId: string): ConfigIssue[] {
    const notes: ConfigIssue[] = [];
    const s = lb.settings;
    const ports = lb.ports.map((p) => p.port).join(", ");
    if (!lb.create) {
        // The controller reconciles no listener on a reused load balancer without
        // force-override-listeners ("listener override is false, skip reconcile listeners").
        const groups = (s.vServerGroups ?? []).map((g) => `${g.id} (port ${g.port})`).join(", ");
        notes.push({
            path: formatPath(lb.path),
            message:
                s.forceOverrideListeners === true
                    ? `cluster ${clusterId}: reused load balancer: the controller writes listeners for ports ${ports}, replacing any on those ports; its other listeners are kept`
                    : groups !== ""
                      ? `cluster ${clusterId}: reused load balancer: no listener is created or changed; the gateway pods join the vServer groups ${groups}, so only the existing listeners that forward to those groups carry the gateway's traffic`
                      : `cluster ${clusterId}: reused load balancer: no listener is created or changed, so no listener forwards to the gateway pods and the gateway gets no traffic through it; set forceOverrideListeners: true (listeners for ports ${ports}) or vServerGroups (the existing listeners' groups)`,
        });
    }
    if (healthCheckPort(lb) === undefined && lb.ports.some((p) => targetPort(p) === STATUS_PORT) && s.backendType === undefined) {
        notes.push({
            path: formatPath([...lb.path, "backendType"]),
            message:
                "health checks probe each listener's own port; set backendType (eni or ecs) to probe the gateway's readiness on the status port",
        });
    }
    if (lb.statusHostname?.why !== undefined) {
        notes.push({
            path: formatPath([...lb.path, "statusHostname"]),
            message:
                `cluster ${clusterId}: the ${lb.serviceName} Service's status names the CLB "${lb.statusHostname.hostname}" instead of its IP ` +
                `(cloud controller annotation hostname), because ${lb.statusHostname.why}. Pods now reach the IP through the CLB; ` +
                "the gateway's address output and DNS records still use the CLB's IP. Set statusHostname.enabled: false to keep the IP in the status, or statusHostname.hostname to name it",
        });
    }
    if (s.type === "CLB" && s.tls !== undefined) {
        notes.push({
            path: formatPath([...lb.path, "tls", "ports"]),
            message: `cluster ${clusterId}: connection drain applies to a CLB's layer-4 listeners only: the HTTPS listeners on ${s.tls.ports.join(", ")} close a removed pod's connections at once (the gateway's own drain still runs)`,
        });
    }
    return notes;
}
