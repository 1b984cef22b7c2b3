// The gateway's Services, in both install modes: the gateway's own Service (istio mode) and the
// Services of additional load balancers, each bound to its load balancer by annotations.
import type { Service, ServicePort } from "kubernetes-types/core/v1";
import { bindingAnnotations, isDefaultLoadBalancer, NLB_CLASS, transportOf, type ServiceBinding } from "../loadBalancer";
import { serviceTypeOf, targetPort } from "../effective";
import type { GatewayPort, GatewaySpec } from "../spec";
import type { WorkloadNames } from "../fleet";
import { compact, type KubeObject } from "./common";

export interface ServiceContext {
    names: WorkloadNames;
    namespace: string;
    drainSeconds: number;
}

const APP_PROTOCOL: Record<string, string> = {
    HTTP: "http",
    HTTPS: "https",
    HTTP2: "http2",
    GRPC: "grpc",
    "GRPC-WEB": "grpc-web",
    TCP: "tcp",
    TLS: "tls",
    MONGO: "mongo",
    REDIS: "redis",
    MYSQL: "mysql",
};

/** Annotations binding a Service to its load balancer, merged over the user's own. */
export function boundAnnotations<Id>(
    own: Record<string, string> | undefined,
    binding: ServiceBinding<Id> | undefined,
    drainSeconds: number,
): Record<string, string | Id> | undefined {
    if (binding === undefined) return own;
    return { ...own, ...bindingAnnotations(binding, drainSeconds) };
}

/** A Service of type LoadBalancer (or the gateway's own type) over the gateway pods. */
export function gatewayService<Id = string>(
    spec: GatewaySpec,
    ctx: ServiceContext,
    name: string,
    ports: GatewayPort[],
    binding?: ServiceBinding<Id>,
    ownAnnotations = spec.serviceAnnotations,
): KubeObject<string | Id> & Pick<Service, "spec"> {
    const type = binding !== undefined ? "LoadBalancer" : serviceTypeOf(spec);
    const servicePorts: ServicePort[] = ports.map((p) =>
        compact({
            name: p.name,
            port: p.port,
            targetPort: targetPort(p),
            protocol: transportOf(p),
            appProtocol: p.protocol ? APP_PROTOCOL[p.protocol] : undefined,
            nodePort: type === "ClusterIP" ? undefined : p.nodePort,
        }),
    );
    const isGatewayService = name === ctx.names.workload;
    return {
        apiVersion: "v1",
        kind: "Service",
        metadata: compact({
            name,
            namespace: ctx.namespace,
            labels: { ...ctx.names.selector, ...spec.serviceLabels },
            // The chart's top-level annotations are on every object; the Service's own win.
            annotations: boundAnnotations(
                spec.annotations === undefined ? ownAnnotations : { ...spec.annotations, ...ownAnnotations },
                binding,
                ctx.drainSeconds,
            ),
        }),
        spec: compact({
            type,
            selector: { ...ctx.names.selector },
            ports: servicePorts,
            externalTrafficPolicy: spec.externalTrafficPolicy,
            // A bound Service's class follows its own load balancer (it is immutable once created).
            loadBalancerClass:
                binding !== undefined ? (binding.lb.settings.type === "NLB" ? NLB_CLASS : undefined) : spec.loadBalancerClass,
            // An IP asked for belongs to the gateway's own Service, not to its extra load balancers.
            loadBalancerIP: isGatewayService ? spec.loadBalancerIP : undefined,
            // The chart's Service fields beyond the IstioGateway CRD (istio mode only, validated there).
            loadBalancerSourceRanges: isGatewayService ? spec.loadBalancerSourceRanges : undefined,
            externalIPs: isGatewayService ? spec.externalIPs : undefined,
            ipFamilyPolicy: isGatewayService ? spec.ipFamilyPolicy : undefined,
            ipFamilies: isGatewayService ? spec.ipFamilies : undefined,
        }),
    };
}

/** Services of the additional load balancers: their own annotations only, never the gateway Service's. */
export function additionalServices<Id = string>(
    spec: GatewaySpec,
    ctx: ServiceContext,
    bindings: ServiceBinding<Id>[],
): KubeObject<string | Id>[] {
    return bindings
        .filter((b) => !isDefaultLoadBalancer(b.lb.key))
        .map((b) => gatewayService(spec, ctx, b.lb.serviceName, b.lb.ports, b, undefined));
}
