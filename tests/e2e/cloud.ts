// The cloud, played by the harness: Alibaba Cloud's cloud controller gives LoadBalancer Services
// an address (an IPv4 address for a CLB, a hostname for an NLB, the class the product sets for
// NLBs telling them apart), and ASM writes each cluster's gateway address into the IstioGateway's
// status. Addresses are given only to Services whose load balancer annotations the real
// controller reads, with values it accepts; anything else is refused and gets no address, so an
// `up` that sets a wrong annotation waits and fails the way it would in production.
// ASM's controller also renders each IstioGateway's workload (ServiceAccount, Deployment, Service,
// HPA; `asmWorkload`) in every cluster of its `clusterIds`, and removes it when the cluster or the
// IstioGateway goes: the harness does the same, so the data-plane clusters run the gateway pods ASM would.
import * as crypto from "crypto";
import { BACKEND_TYPE_ANNOTATION, CCM_ANNOTATION_PREFIX, NLB_CLASS } from "../../core/loadBalancer";
import { asmWorkload } from "../support/asmWorkload";
import type { KubeApi, KubeObject } from "./harness";

/**
 * Every `service.beta.kubernetes.io/alibaba-cloud-loadbalancer-<name>` the cloud controller reads:
 * kubernetes/cloud-provider-alibaba-cloud, pkg/controller/service/reconcile/annotation/annotations.go
 * (the `AnnotationLoadBalancerPrefix + "<name>"` constants, commit eeb0ddc6).
 */
export const CCM_ANNOTATION_NAMES: readonly string[] = [
    "address-type",
    "id",
    "name",
    "resource-group-id",
    "additional-resource-tags",
    "delete-protection",
    "modification-protection",
    "cert-id",
    "protocol-port",
    "idle-timeout",
    "tls-cipher-policy",
    "scheduler",
    "connection-drain",
    "connection-drain-timeout",
    "ignore-weight-update",
    "preserve-lb-on-delete",
    "vswitch-id",
    "network-type",
    "charge-type",
    "force-override-listeners",
    "master-zoneid",
    "slave-zoneid",
    "bandwidth",
    "spec",
    "instance-charge-type",
    "ip-version",
    "external-ip-type",
    "hostname",
    "ip",
    "acl-status",
    "acl-id",
    "acl-type",
    "forward-port",
    "http2-enabled",
    "health-check-switch",
    "health-check-flag",
    "health-check-type",
    "health-check-uri",
    "health-check-connect-port",
    "healthy-threshold",
    "unhealthy-threshold",
    "health-check-interval",
    "health-check-connect-timeout",
    "health-check-timeout",
    "health-check-domain",
    "health-check-httpcode",
    "health-check-method",
    "sticky-session",
    "sticky-session-type",
    "cookie-timeout",
    "cookie",
    "persistence-timeout",
    "vgroup-port",
    "xforwardedfor-proto",
    "xforwardedfor-slbport",
    "xforwardedfor-clientsrcport",
    "request-timeout",
    "established-timeout",
    "proxy-protocol",
    "domain-extensions",
    "backend-label",
    "backend-ip-version",
    "remove-unscheduled-backend",
    "weight",
    "default-weight",
    "zone-maps",
    "security-group-ids",
    "bandwidth-package-id",
    "ipv6-address-type",
    "cross-zone-enabled",
    "cacert-id",
    "cacert",
    "cps",
    "preserve-client-ip",
    "server-group-type",
    "ppv2-pvl-ep-id-enabled",
    "ppv2-pvl-eps-id-enabled",
    "ppv2-pvl-vpc-id-enabled",
    "alpn",
    "alpn-policy",
    "listener-port-range",
    "additional-cert-ids",
];
/** The controller also reads the same names under its legacy prefix (same file, `AnnotationLegacyPrefix`). */
const LEGACY_PREFIX = "service.beta.kubernetes.io/alicloud-loadbalancer-";

const ON_OFF = /^(on|off)$/;
const INTEGER = /^[0-9]+$/;
/** Values the controller parses, for the annotations the product writes (the rest only need a known name). */
const VALUE_RULES: Record<string, RegExp> = {
    "address-type": /^(internet|intranet)$/,
    "connection-drain": ON_OFF,
    "connection-drain-timeout": INTEGER,
    "force-override-listeners": /^(true|false)$/,
    "health-check-flag": ON_OFF,
    "health-check-switch": ON_OFF,
    "health-check-type": /^(tcp|http)$/,
    "health-check-connect-port": INTEGER,
    "health-check-interval": INTEGER,
    "health-check-connect-timeout": INTEGER,
    "healthy-threshold": INTEGER,
    "unhealthy-threshold": INTEGER,
    scheduler: /^(wrr|rr|wlc|sch|tch|qch)$/,
    "ip-version": /^(ipv4|ipv6|dualstack)$/,
    spec: /^slb\.[a-z0-9.]+$/,
    bandwidth: INTEGER,
    "delete-protection": ON_OFF,
    // Written as status.loadBalancer.ingress[0].hostname, which the API server takes as a DNS-1123 subdomain only.
    hostname: /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
};

/** Why the cloud controller would not serve this Service, or undefined when it would. */
export function refusal(annotations: Record<string, string>): string | undefined {
    for (const [key, value] of Object.entries(annotations)) {
        if (key === BACKEND_TYPE_ANNOTATION) {
            if (!/^(eni|ecs)$/.test(value)) return `${key}: "${value}" is not eni or ecs`;
            continue;
        }
        const prefix = key.startsWith(CCM_ANNOTATION_PREFIX)
            ? CCM_ANNOTATION_PREFIX
            : key.startsWith(LEGACY_PREFIX)
              ? LEGACY_PREFIX
              : undefined;
        if (prefix === undefined) continue;
        const name = key.slice(prefix.length);
        if (!CCM_ANNOTATION_NAMES.includes(name)) return `${key}: not an annotation the cloud controller reads`;
        const rule = VALUE_RULES[name];
        if (rule !== undefined && !rule.test(value)) return `${key}: "${value}" is not a value the cloud controller accepts`;
    }
    return undefined;
}

export interface AssignedAddress {
    address: string;
    addressKind: "IPv4" | "hostname";
    /** `ccm`: a Service's status; `asm`: the IstioGateway's status for that cluster. */
    by: "ccm" | "asm";
}

interface ServiceLike {
    metadata: { name: string; namespace: string; annotations?: Record<string, string> };
    spec: { type?: string; loadBalancerClass?: string };
    status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}

interface IstioGatewayLike extends KubeObject {
    metadata: KubeObject["metadata"] & { generation?: number };
    spec: {
        clusterIds?: string[];
        serviceType?: string;
        serviceAnnotations?: Record<string, string>;
        loadBalancerClass?: string;
        overrides?: Record<string, { serviceAnnotations?: Record<string, string> }>;
    };
    status?: { ClusterIdGatewayAddressMap?: { clusterId: string; ipAddress: string }[] };
}

export class CloudController {
    /** By `<cluster>/<namespace>/<Service or IstioGateway name>`. */
    readonly assigned = new Map<string, AssignedAddress>();
    /** Services the controller refused, with the reason, by the same key. */
    readonly refused = new Map<string, string>();
    private timer?: NodeJS.Timeout;
    private busy = false;
    private nextIp = 10;
    /** ASM's rendered workloads, by `<cluster>/<namespace>/<IstioGateway name>`: the generation rendered and its objects. */
    private readonly rendered = new Map<string, { generation: number; objects: KubeObject[] }>();

    constructor(
        private readonly clusters: KubeApi[],
        private readonly controlPlane: KubeApi,
    ) {}

    start(): void {
        this.timer = setInterval(() => {
            if (this.busy) return;
            this.busy = true;
            this.reconcile()
                .catch(() => undefined)
                .finally(() => (this.busy = false));
        }, 300);
    }

    stop(): void {
        if (this.timer) clearInterval(this.timer);
    }

    private address(key: string, nlb: boolean, by: AssignedAddress["by"]): AssignedAddress {
        let a = this.assigned.get(key);
        if (a === undefined) {
            a = nlb
                ? {
                      address: `nlb-${crypto.createHash("sha256").update(key).digest("hex").slice(0, 16)}.cn-hangzhou.nlb.aliyuncsslb.com`,
                      addressKind: "hostname",
                      by,
                  }
                : { address: `203.0.113.${this.nextIp++}`, addressKind: "IPv4", by };
            this.assigned.set(key, a);
        }
        return a;
    }

    private async reconcile(): Promise<void> {
        // Each cluster on its own: a stopped API server must not hold up the others.
        await Promise.all(this.clusters.map((api) => this.reconcileServices(api).catch(() => undefined)));
        await this.reconcileAsm().catch(() => undefined);
    }

    private async reconcileServices(api: KubeApi): Promise<void> {
        const res = await api.request<{ items: ServiceLike[] }>("GET", "/api/v1/services");
        if (res.status !== 200) return;
        for (const svc of res.body.items) {
            if (svc.spec.type !== "LoadBalancer" || (svc.status?.loadBalancer?.ingress ?? []).length > 0) continue;
            const key = `${api.id}/${svc.metadata.namespace}/${svc.metadata.name}`;
            const why = refusal(svc.metadata.annotations ?? {});
            if (why !== undefined) {
                this.refused.set(key, why);
                continue;
            }
            const nlb = svc.spec.loadBalancerClass === NLB_CLASS;
            const a = this.address(key, nlb, "ccm");
            // The CLB controller writes the hostname annotation's value instead of the IP
            // (clbv1 `updateServiceStatus`); the NLB controller always writes the NLB's DNS name.
            const own = svc.metadata.annotations ?? {};
            const named = nlb ? undefined : (own[`${CCM_ANNOTATION_PREFIX}hostname`] ?? own[`${LEGACY_PREFIX}hostname`]);
            const ingress =
                named !== undefined ? { hostname: named } : a.addressKind === "hostname" ? { hostname: a.address } : { ip: a.address };
            await api.request(
                "PATCH",
                `/api/v1/namespaces/${svc.metadata.namespace}/services/${svc.metadata.name}/status`,
                { status: { loadBalancer: { ingress: [ingress] } } },
                "application/merge-patch+json",
            );
        }
    }

    private async reconcileAsm(): Promise<void> {
        const api = this.controlPlane;
        const res = await api.request<{ items: IstioGatewayLike[] }>("GET", "/apis/istio.alibabacloud.com/v1beta1/istiogateways");
        if (res.status !== 200) return;
        await this.renderAsmWorkloads(res.body.items);
        for (const gw of res.body.items) {
            const { namespace = "istio-system", name } = gw.metadata;
            const entries: { clusterId: string; ipAddress: string }[] = [];
            for (const clusterId of gw.spec.clusterIds ?? []) {
                if ((gw.spec.serviceType ?? "LoadBalancer") !== "LoadBalancer") continue;
                const key = `${clusterId}/${namespace}/${name}`;
                // ASM replaces a field given in an override: that cluster's annotations are the override's.
                const annotations = gw.spec.overrides?.[clusterId]?.serviceAnnotations ?? gw.spec.serviceAnnotations ?? {};
                const why = refusal(annotations);
                if (why !== undefined) {
                    this.refused.set(key, why);
                    continue;
                }
                entries.push({ clusterId, ipAddress: this.address(key, gw.spec.loadBalancerClass === NLB_CLASS, "asm").address });
            }
            if (JSON.stringify(gw.status?.ClusterIdGatewayAddressMap ?? []) === JSON.stringify(entries)) continue;
            await api.request(
                "PATCH",
                `/apis/istio.alibabacloud.com/v1beta1/namespaces/${namespace}/istiogateways/${name}/status`,
                { status: { ClusterIdGatewayAddressMap: entries } },
                "application/merge-patch+json",
            );
        }
    }

    /** Renders each IstioGateway's workload in its clusters when its spec changed; removes what no IstioGateway wants. */
    private async renderAsmWorkloads(gateways: IstioGatewayLike[]): Promise<void> {
        const wanted = new Set<string>();
        const ref = (o: KubeObject) => `${o.apiVersion} ${o.kind} ${o.metadata.namespace}/${o.metadata.name}`;
        for (const gw of gateways) {
            const { namespace = "istio-system", name, generation = 0 } = gw.metadata;
            for (const api of this.clusters.filter((c) => (gw.spec.clusterIds ?? []).includes(c.id))) {
                const key = `${api.id}/${namespace}/${name}`;
                wanted.add(key);
                const before = this.rendered.get(key);
                if (before?.generation === generation) continue;
                const objects = asmWorkload(gw, api.id);
                try {
                    for (const o of objects) await api.apply(o);
                    const kept = new Set(objects.map(ref));
                    for (const o of before?.objects ?? [])
                        if (!kept.has(ref(o))) await api.delete(o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace);
                    this.rendered.set(key, { generation, objects });
                } catch {
                    // That cluster's API server is down: tried again on the next round.
                }
            }
        }
        for (const [key, { objects }] of [...this.rendered]) {
            if (wanted.has(key)) continue;
            const api = this.clusters.find((c) => c.id === key.split("/")[0]);
            try {
                for (const o of objects) await api?.delete(o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace);
                this.rendered.delete(key);
            } catch {
                // Tried again on the next round.
            }
        }
    }
}
