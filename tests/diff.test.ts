// The offline diff's restart prediction. In istio mode it must say what Kubernetes will do: new
// pods exactly when the workload's pod template (or kind) changes.
import { expect } from "chai";
import fc from "fast-check";
import type { GatewayFleetSpec } from "../core/fleet";
import { planFleet, renderClusterGateway } from "../core/plan";
import type { GatewaySpec } from "../core/spec";
import { diffFleets, formatDiff } from "../offline/diff";
import { fleetArb } from "./support/arbitraries";

const fleet = (gateway: GatewaySpec, extra: Partial<GatewayFleetSpec> = {}): GatewayFleetSpec => ({
    name: "edge",
    mode: "istio",
    clusters: [{ id: "c1" }, { id: "c2" }],
    gateway,
    ...extra,
});

function diff(before: GatewayFleetSpec, after: GatewayFleetSpec): string {
    return formatDiff(diffFleets([planFleet(before)], [planFleet(after)]));
}

describe("offline diff", () => {
    it("in istio mode, marks a change as restarting exactly when it changes the rendered pod template", () => {
        const before = fleet({ replicaCount: 2 });
        const after = fleet({
            replicaCount: 3,
            resources: { requests: { cpu: "500m", memory: "512Mi" }, limits: { cpu: "2", memory: "2G" } },
            serviceAnnotations: { "example.com/team": "edge" },
            // Fields beyond the IstioGateway CRD that live in the pod template restart too.
            priorityClassName: "system-cluster-critical",
            topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway" }],
            annotations: { "example.com/owner": "edge" },
            overrides: { c2: { kind: "DaemonSet" } },
        });
        expect(diff(before, after)).to.equal(
            [
                "gateway edge, cluster c1: RESTARTS gateway pods",
                "  ~ annotations",
                "  ! priorityClassName",
                "  ~ replicaCount",
                "  ! resources",
                "  ~ serviceAnnotations",
                "  ! topologySpreadConstraints",
                "gateway edge, cluster c2: RESTARTS gateway pods",
                "  ~ annotations",
                "  ! kind",
                "  ! priorityClassName",
                "  ~ replicaCount",
                "  ! resources",
                "  ~ serviceAnnotations",
                "  ! topologySpreadConstraints",
                "",
            ].join("\n"),
        );
    });

    it("in istio mode, sees fleet-wide settings that reach the pods", () => {
        expect(diff(fleet({}), fleet({}, { gracefulShutdown: { drainSeconds: 60 } }))).to.equal(
            [
                "gateway edge, cluster c1: RESTARTS gateway pods",
                "  ! pod template (changed by fleet-wide settings)",
                "gateway edge, cluster c2: RESTARTS gateway pods",
                "  ! pod template (changed by fleet-wide settings)",
                "",
            ].join("\n"),
        );
        expect(diff(fleet({}), fleet({ maxReplicas: 5 }))).to.equal(
            "gateway edge, cluster c1: no restart\n  ~ maxReplicas\ngateway edge, cluster c2: no restart\n  ~ maxReplicas\n",
        );
    });

    it("renders one cluster's gateway objects exactly as the whole fleet's render has them", () => {
        // Fixed seed: a failure reproduces. Both modes, up to five clusters with overrides each.
        fc.assert(
            fc.property(fleetArb(), (spec) => {
                const plan = planFleet(spec);
                for (const c of plan.clusters) {
                    const own = renderClusterGateway(plan, c.clusterId);
                    if (plan.mode === "istio") {
                        const workload = (objects: { kind: string; metadata: { name?: string } }[]) =>
                            objects.filter((o) => ["Deployment", "DaemonSet"].includes(o.kind) && o.metadata.name === plan.names.workload);
                        expect(workload(own), c.clusterId).to.have.length(1);
                        expect(workload(own)).to.deep.equal(workload(c.objects));
                    }
                    // Every object it renders is the full render's, and the full render has no other gateway object.
                    expect(c.objects.slice(0, own.length), c.clusterId).to.deep.equal(own);
                    const ownNames = new Set(own.map((o) => `${o.kind}/${o.metadata.name}`));
                    expect(c.objects.slice(own.length).filter((o) => ownNames.has(`${o.kind}/${o.metadata.name}`))).to.deep.equal([]);
                }
                // With a spec of its own, it renders that spec: one field changed, the pods restart.
                const first = plan.clusters[0];
                if (plan.mode === "istio") {
                    const changed = renderClusterGateway(plan, first.clusterId, { ...first.spec, priorityClassName: "other-class" });
                    const template = changed.find(
                        (o) => ["Deployment", "DaemonSet"].includes(o.kind) && o.metadata.name === plan.names.workload,
                    )?.spec as {
                        template: { spec: { priorityClassName?: string } };
                    };
                    expect(template.template.spec.priorityClassName).to.equal("other-class");
                }
            }),
            { numRuns: 25, seed: 20261202 },
        );
        expect(() => renderClusterGateway(planFleet(fleet({})), "c9")).to.throw("cluster c9 is not in gateway edge");
    });
});
