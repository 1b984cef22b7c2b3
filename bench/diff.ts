// `npm run bench:diff`: the istio-mode diff's restart prediction, which renders each changed
// field on its own. Times `diffFleets` for a change of three gateway fields in every cluster,
// next to what rendering the whole fleet per changed field (the way the diff used to) costs.
import { performance } from "perf_hooks";
import { isDeepStrictEqual } from "util";
import { planFleet, renderFleet, type FleetPlan } from "../core/plan";
import type { GatewaySpec } from "../core/spec";
import { diffFleets } from "../offline/diff";
import { benchFleet } from "./fleets";

const CHANGE: Partial<GatewaySpec> = {
    replicaCount: 4,
    priorityClassName: "system-cluster-critical",
    serviceAnnotations: { "example.com/owner": "edge" },
};

/** The old way: per cluster and changed field, the whole fleet rendered with only that field changed. */
function wholeFleetPerField(before: FleetPlan, after: FleetPlan): number {
    let renders = 0;
    for (const c of after.clusters) {
        const a = before.clusters.find((x) => x.clusterId === c.clusterId)!.spec;
        for (const field of Object.keys(CHANGE) as (keyof GatewaySpec)[]) {
            if (isDeepStrictEqual(a[field], c.spec[field])) continue;
            const spec = { ...a, [field]: c.spec[field] };
            renderFleet({ ...before, clusters: before.clusters.map((x) => (x.clusterId === c.clusterId ? { ...x, spec } : x)) });
            renders++;
        }
    }
    return renders;
}

function time(f: () => unknown): number {
    const start = performance.now();
    f();
    return performance.now() - start;
}

function main(): void {
    console.log(`diff restart prediction — node ${process.version}; 3 fields changed in every cluster, 100 routes`);
    console.log(" clusters | diffFleets ms | whole fleet per field ms | ratio");
    for (const clusters of [1, 10, 50, 100]) {
        const spec = benchFleet(clusters, 100);
        const before = planFleet(spec);
        const after = planFleet({ ...spec, gateway: { ...spec.gateway, ...CHANGE } });
        diffFleets([before], [after]); // warm-up
        const ours = time(() => diffFleets([before], [after]));
        const old = time(() => wholeFleetPerField(before, after));
        console.log(
            `${String(clusters).padStart(9)} | ${ours.toFixed(1).padStart(13)} | ${old.toFixed(1).padStart(24)} | ${(old / ours).toFixed(1).padStart(5)}`,
        );
    }
}

main();
