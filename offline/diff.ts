// What a config change does, per cluster, and which changes restart the gateway pods. In asm
// mode ASM renders the workload, so its CRD reference's "Fields that trigger rolling restarts"
// (with its ASM-version exception) decides. In istio mode the product renders the workload, and
// Kubernetes starts new pods exactly when the pod template (or the workload's kind) changes, so
// each changed field is rendered on its own and the templates compared.
import { isDeepStrictEqual } from "util";
import { renderClusterGateway, type FleetPlan } from "../core/plan";
import type { KubeObject } from "../core/render/common";
import { RESTARTING_FIELDS, type GatewaySpec } from "../core/spec";
import { compareVersions } from "../core/meshVersion";

export interface FieldChange {
    field: string;
    restarts: boolean;
    note?: string;
}

export interface ClusterChange {
    gateway: string;
    cluster: string;
    kind: "added" | "removed" | "changed";
    changes: FieldChange[];
}

export function diffFleets(before: FleetPlan[], after: FleetPlan[]): ClusterChange[] {
    const out: ClusterChange[] = [];
    const old = new Map(before.map((f) => [f.name, f]));
    const next = new Map(after.map((f) => [f.name, f]));
    for (const name of [...new Set([...old.keys(), ...next.keys()])].sort()) {
        const a = old.get(name);
        const b = next.get(name);
        const clustersA = new Map((a?.clusters ?? []).map((c) => [c.clusterId, c.spec]));
        const clustersB = new Map((b?.clusters ?? []).map((c) => [c.clusterId, c.spec]));
        for (const cluster of [...new Set([...clustersA.keys(), ...clustersB.keys()])].sort()) {
            const sa = clustersA.get(cluster);
            const sb = clustersB.get(cluster);
            if (!sa) out.push({ gateway: name, cluster, kind: "added", changes: [] });
            else if (!sb) out.push({ gateway: name, cluster, kind: "removed", changes: [] });
            else {
                const modeChanged = a!.mode !== b!.mode;
                const changes = modeChanged || b!.mode === "asm" ? asmFieldChanges(sa, sb, b!) : istioFieldChanges(a!, b!, cluster);
                if (modeChanged)
                    changes.unshift({ field: "mode", restarts: true, note: `${a!.mode} → ${b!.mode}: the gateway is reinstalled` });
                if (changes.length > 0) out.push({ gateway: name, cluster, kind: "changed", changes });
            }
        }
    }
    return out;
}

function changedFields(a: GatewaySpec, b: GatewaySpec): (keyof GatewaySpec)[] {
    const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort() as (keyof GatewaySpec)[];
    return fields.filter((f) => !isDeepStrictEqual(a[f], b[f]));
}

/** The gateway workload's kind and pod template among a cluster's objects: what decides a new rollout. */
function workloadOf(plan: FleetPlan, objects: KubeObject[]): { kind: string; template: unknown } | undefined {
    const workload = objects.find((o) => (o.kind === "Deployment" || o.kind === "DaemonSet") && o.metadata.name === plan.names.workload);
    return workload && { kind: workload.kind, template: (workload.spec as { template?: unknown } | undefined)?.template };
}

function clusterObjects(plan: FleetPlan, clusterId: string): KubeObject[] {
    return plan.clusters.find((c) => c.clusterId === clusterId)?.objects ?? [];
}

function istioFieldChanges(before: FleetPlan, after: FleetPlan, clusterId: string): FieldChange[] {
    const a = before.clusters.find((c) => c.clusterId === clusterId)!.spec;
    const b = after.clusters.find((c) => c.clusterId === clusterId)!.spec;
    const was = workloadOf(before, clusterObjects(before, clusterId));
    // Only this cluster's gateway objects, per field: the cost grows with the clusters changed,
    // not with the fleet.
    const changes = changedFields(a, b).map((field): FieldChange => {
        const onlyThis = renderClusterGateway(before, clusterId, { ...a, [field]: b[field] });
        return { field, restarts: !isDeepStrictEqual(workloadOf(before, onlyThis), was) };
    });
    // Fleet-wide settings (revision, gracefulShutdown, security.trustedProxies, spreadReplicas)
    // reach the pods too, without any gateway field changing.
    if (!isDeepStrictEqual(workloadOf(after, clusterObjects(after, clusterId)), was) && !changes.some((c) => c.restarts)) {
        changes.push({ field: "pod template", restarts: true, note: "changed by fleet-wide settings" });
    }
    return changes;
}

function asmFieldChanges(a: GatewaySpec, b: GatewaySpec, plan: FleetPlan): FieldChange[] {
    return changedFields(a, b).map((field) => {
        const rule = RESTARTING_FIELDS.find((r) => r.field === field);
        if (!rule) return { field, restarts: false };
        if (rule.untilAsm && plan.mode === "asm") {
            const version = plan.fleet.asmVersion;
            if (version === undefined)
                return { field, restarts: true, note: `only on ASM before ${rule.untilAsm} (set asmVersion to know)` };
            if (compareVersions(version, rule.untilAsm) >= 0)
                return { field, restarts: false, note: `ASM ${version} applies it without a restart` };
        }
        return { field, restarts: true };
    });
}

export function formatDiff(changes: ClusterChange[]): string {
    if (changes.length === 0) return "no changes\n";
    const lines: string[] = [];
    for (const c of changes) {
        if (c.kind !== "changed") {
            lines.push(`gateway ${c.gateway}, cluster ${c.cluster}: ${c.kind}`);
            continue;
        }
        const restarts = c.changes.some((x) => x.restarts);
        lines.push(`gateway ${c.gateway}, cluster ${c.cluster}: ${restarts ? "RESTARTS gateway pods" : "no restart"}`);
        for (const x of c.changes) lines.push(`  ${x.restarts ? "!" : "~"} ${x.field}${x.note ? ` (${x.note})` : ""}`);
    }
    return lines.join("\n") + "\n";
}
