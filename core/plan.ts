// Config in, validated per-cluster plan out: the one code path behind the Pulumi components,
// the offline plan and the tests. Plain TypeScript, no Pulumi.
import type { ConfigIssue } from "./errors";
import type { GatewayFleetSpec, InstallMode } from "./fleet";
import { renderAsmGateway } from "./render/asm";
import { effectiveSpec, workloadNames, type KubeObject, type WorkloadNames } from "./render/common";
import { renderIstioGateway } from "./render/istio";
import { DEFAULTS, DEFAULT_NAMESPACE, type GatewaySpec } from "./spec";
import { validateFleet } from "./validate";

export interface ClusterPlan {
    clusterId: string;
    /** The gateway spec this cluster runs, after its override. */
    spec: GatewaySpec;
    /** Objects applied to this cluster (istio mode); ASM renders them itself in asm mode. */
    objects: KubeObject[];
}

export interface FleetPlan {
    /** The validated input. */
    fleet: GatewayFleetSpec;
    name: string;
    mode: InstallMode;
    namespace: string;
    names: WorkloadNames;
    clusters: ClusterPlan[];
    /** Objects applied to the ASM control plane (asm mode). */
    controlPlaneObjects: KubeObject[];
    warnings: ConfigIssue[];
}

/** Validates a fleet and renders every object it needs. Throws ConfigError on bad input. */
export function planFleet(input: unknown, subject?: string): FleetPlan {
    const { spec: fleet, warnings } = validateFleet(input, subject);
    const names = workloadNames(fleet.name);
    const namespace = fleet.namespace ?? DEFAULT_NAMESPACE;
    const spreadReplicas = fleet.spreadReplicas ?? true;
    const drainSeconds = fleet.gracefulShutdown?.drainSeconds ?? DEFAULTS.drainSeconds;
    const terminationGracePeriodSeconds =
        fleet.gracefulShutdown?.terminationGracePeriodSeconds ?? Math.max(DEFAULTS.terminationGracePeriodSeconds, drainSeconds);

    const clusters = fleet.clusters.map((c): ClusterPlan => {
        const spec = effectiveSpec(fleet.gateway, c.id);
        const objects = fleet.mode === "istio"
            ? renderIstioGateway(spec, { names, namespace, revision: fleet.revision, spreadReplicas, drainSeconds, terminationGracePeriodSeconds })
            : [];
        return { clusterId: c.id, spec, objects };
    });
    const controlPlaneObjects = fleet.mode === "asm"
        ? [renderAsmGateway(fleet.gateway, { gatewayName: fleet.name, names, clusterIds: fleet.clusters.map((c) => c.id), spreadReplicas, drainSeconds })]
        : [];
    return { fleet, name: fleet.name, mode: fleet.mode, namespace, names, clusters, controlPlaneObjects, warnings };
}
