// What a config change does, per cluster, and which changes restart the gateway pods
// (the CRD reference's "Fields that trigger rolling restarts", with its ASM-version exception).
import { isDeepStrictEqual } from "util";
import type { FleetPlan } from "../core/plan";
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
                const changes = fieldChanges(sa, sb, b!);
                if (modeChanged) changes.unshift({ field: "mode", restarts: true, note: `${a!.mode} → ${b!.mode}: the gateway is reinstalled` });
                if (changes.length > 0) out.push({ gateway: name, cluster, kind: "changed", changes });
            }
        }
    }
    return out;
}

function fieldChanges(a: GatewaySpec, b: GatewaySpec, plan: FleetPlan): FieldChange[] {
    const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort() as (keyof GatewaySpec)[];
    return fields
        .filter((f) => !isDeepStrictEqual(a[f], b[f]))
        .map((field) => {
            const rule = RESTARTING_FIELDS.find((r) => r.field === field);
            if (!rule) return { field, restarts: false };
            if (rule.untilAsm && plan.mode === "asm") {
                const version = plan.fleet.asmVersion;
                if (version === undefined) return { field, restarts: true, note: `only on ASM before ${rule.untilAsm} (set asmVersion to know)` };
                if (compareVersions(version, rule.untilAsm) >= 0) return { field, restarts: false, note: `ASM ${version} applies it without a restart` };
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
