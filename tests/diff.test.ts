// The offline diff's restart prediction. In istio mode it must say what Kubernetes will do: new
// pods exactly when the workload's pod template (or kind) changes.
import { expect } from "chai";
import type { GatewayFleetSpec } from "../core/fleet";
import { planFleet } from "../core/plan";
import type { GatewaySpec } from "../core/spec";
import { diffFleets, formatDiff } from "../offline/diff";

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
});
