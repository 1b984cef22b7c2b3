// What a cluster's gateway spec means once its override and the defaults apply: the one reading
// of the spec that validation, the layout and the renderers share.
import { ownValue } from "./input";
import { DEFAULTS, type GatewayPort, type GatewaySpec, type GatewayType, type ServiceType } from "./spec";

/** The spec a cluster runs: the base spec with that cluster's override fields replacing it. */
export function effectiveSpec(gateway: GatewaySpec, clusterId: string): GatewaySpec {
    const { overrides, clusterIds: _ids, ...base } = gateway;
    return { ...base, ...ownValue(overrides, clusterId) };
}

export function gatewayTypeOf(spec: GatewaySpec): GatewayType {
    return spec.gatewayType ?? DEFAULTS.gatewayType;
}

/** The gateway Service's type: as given, else by gateway type (ingress faces clients through a load balancer). */
export function serviceTypeOf(spec: GatewaySpec): ServiceType {
    return spec.serviceType ?? DEFAULTS.serviceType[gatewayTypeOf(spec)];
}

export function portsOf(spec: GatewaySpec): GatewayPort[] {
    return spec.ports ?? DEFAULTS.ports;
}

/** The container port a Service port sends to. */
export function targetPort(p: GatewayPort): number {
    // ASM writes targetPort 0 for "same as port".
    return p.targetPort || p.port;
}

/** A DaemonSet gateway runs one pod per node: it has no replica count, HPA or PodDisruptionBudget. */
export function isDaemonSet(spec: GatewaySpec): boolean {
    return spec.kind === "DaemonSet";
}

/** Whether an HPA manages the replica count; then the Deployment must not set it. */
export function autoscaled(spec: GatewaySpec): boolean {
    if (spec.autoscaleEnabled === false || isDaemonSet(spec)) return false;
    return spec.autoscaleEnabled === true || spec.maxReplicas !== undefined;
}
