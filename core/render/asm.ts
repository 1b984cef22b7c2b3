// ASM mode: one IstioGateway on the mesh control plane. ASM's controller renders the workload
// in every cluster of `clusterIds`, applying `overrides` itself; the spec passes through as the
// user wrote it, plus the fleet's cluster list and the two console options that have no field.
import type { GatewaySpec } from "../spec";
import { DEFAULTS, DEFAULT_NAMESPACE } from "../spec";
import { compact, withDrainDuration, withSpreadAffinity, type KubeObject, type WorkloadNames } from "./common";

export interface AsmRenderContext {
    gatewayName: string;
    names: WorkloadNames;
    clusterIds: string[];
    spreadReplicas: boolean;
    drainSeconds: number;
}

export const ISTIO_GATEWAY_API_VERSION = "istio.alibabacloud.com/v1beta1";

export function renderAsmGateway(gateway: GatewaySpec, ctx: AsmRenderContext): KubeObject {
    const { overrides, clusterIds: _given, ...base } = gateway;
    // ASM replaces a field given in overrides, so the drain setting must be in every
    // per-cluster podAnnotations too, or that cluster loses it.
    const renderedOverrides = overrides === undefined ? undefined : Object.fromEntries(
        Object.entries(overrides).map(([id, o]) => [
            id,
            o.podAnnotations === undefined ? o : { ...o, podAnnotations: withDrainDuration(o.podAnnotations, ctx.drainSeconds) },
        ]),
    );
    return {
        apiVersion: ISTIO_GATEWAY_API_VERSION,
        kind: "IstioGateway",
        metadata: { name: ctx.gatewayName, namespace: DEFAULT_NAMESPACE },
        spec: compact({
            ...base,
            gatewayType: base.gatewayType ?? DEFAULTS.gatewayType,
            clusterIds: ctx.clusterIds,
            podAnnotations: withDrainDuration(base.podAnnotations, ctx.drainSeconds),
            affinity: ctx.spreadReplicas ? withSpreadAffinity(base.affinity, ctx.names.selector) : base.affinity,
            overrides: renderedOverrides,
        }),
    };
}
