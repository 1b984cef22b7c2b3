// ASM mode: one IstioGateway on the mesh control plane. ASM's controller renders the workload
// in every cluster of `clusterIds`, applying `overrides` itself; the spec passes through as the
// user wrote it, plus the fleet's cluster list, the two console options that have no field, and
// each cluster's load balancer binding (as that cluster's `serviceAnnotations` override).
import { ownValue } from "../input";
import { isDefaultLoadBalancer, NLB_CLASS, type ServiceBinding } from "../loadBalancer";
import type { GatewayOverride, GatewaySpec } from "../spec";
import { DEFAULTS, DEFAULT_NAMESPACE } from "../spec";
import type { WorkloadNames } from "../fleet";
import { compact, withProxyConfig, withSpreadAffinity, type KubeObject } from "./common";
import { additionalServices, boundAnnotations, type ServiceContext } from "./service";

export interface AsmRenderContext<Id = string> {
    gatewayName: string;
    names: WorkloadNames;
    clusterIds: string[];
    spreadReplicas: boolean;
    drainSeconds: number;
    /** L7 proxies in front that add X-Forwarded-For (edge security's IP lists). */
    numTrustedProxies?: number;
    /** Per cluster id, its load balancer bindings. */
    bindings: Record<string, ServiceBinding<Id>[]>;
}

export const ISTIO_GATEWAY_API_VERSION = "istio.alibabacloud.com/v1beta1";

/** An override as rendered: its serviceAnnotations may hold the cluster's load balancer ids. */
type RenderedOverride<Id> = Omit<GatewayOverride, "serviceAnnotations"> & { serviceAnnotations?: Record<string, string | Id> };

export function renderAsmGateway<Id = string>(gateway: GatewaySpec, ctx: AsmRenderContext<Id>): KubeObject {
    const { overrides, clusterIds: _given, loadBalancer: _lb, additionalLoadBalancers: _extra, ...base } = gateway;
    const bound = (id: string) => ownValue(ctx.bindings, id)?.find((b) => isDefaultLoadBalancer(b.lb.key));
    const nlb = ctx.clusterIds.some((id) => bound(id)?.lb.settings.type === "NLB");
    const renderedOverrides: Record<string, RenderedOverride<Id>> = {};
    for (const id of ctx.clusterIds) {
        const { loadBalancer: _l, additionalLoadBalancers: _a, ...own } = ownValue(overrides, id) ?? {};
        const o: RenderedOverride<Id> = { ...own };
        // ASM replaces a field given in overrides, so the drain setting must be in every
        // per-cluster podAnnotations too, or that cluster loses it; the same goes for the user's
        // base serviceAnnotations when a binding adds this cluster's load balancer annotations.
        if (o.podAnnotations !== undefined) o.podAnnotations = withProxyConfig(o.podAnnotations, ctx.drainSeconds, ctx.numTrustedProxies);
        const binding = bound(id);
        if (binding !== undefined)
            o.serviceAnnotations = boundAnnotations(own.serviceAnnotations ?? base.serviceAnnotations, binding, ctx.drainSeconds);
        if (Object.keys(o).length > 0) renderedOverrides[id] = o;
    }
    return {
        apiVersion: ISTIO_GATEWAY_API_VERSION,
        kind: "IstioGateway",
        metadata: { name: ctx.gatewayName, namespace: DEFAULT_NAMESPACE },
        spec: compact({
            ...base,
            gatewayType: base.gatewayType ?? DEFAULTS.gatewayType,
            clusterIds: ctx.clusterIds,
            // ASM takes loadBalancerClass for all clusters at once; validation keeps NLB all-or-none.
            loadBalancerClass: nlb ? NLB_CLASS : base.loadBalancerClass,
            podAnnotations: withProxyConfig(base.podAnnotations, ctx.drainSeconds, ctx.numTrustedProxies),
            affinity: ctx.spreadReplicas ? withSpreadAffinity(base.affinity, ctx.names.selector) : base.affinity,
            overrides: Object.keys(renderedOverrides).length > 0 ? renderedOverrides : undefined,
        }),
    };
}

/** What asm mode applies to a data-plane cluster itself: the Services of additional load balancers. */
export function renderAsmClusterObjects<Id = string>(
    spec: GatewaySpec,
    ctx: ServiceContext & { bindings: ServiceBinding<Id>[] },
): KubeObject<string | Id>[] {
    return additionalServices(spec, ctx, ctx.bindings);
}
