// Changing one cluster's inputs (its override, its kubeconfig) leaves every other cluster's
// registered resources exactly as they were: same types, names, inputs, parents, dependencies.
import { expect } from "chai";
import fc from "fast-check";
import type { MeshGatewayArgs } from "../../components/meshGateway";
import type { GatewayFleetSpec } from "../../core/fleet";
import { planFleet } from "../../core/plan";
import type { RecordedResource } from "../../offline/engine";
import { fleetArb } from "../support/arbitraries";
import { runGateway } from "../support/fleet";

/** Registrations grouped by the cluster they belong to (a provider's clusterIdentifier). */
function byCluster(resources: RecordedResource[]): Map<string, unknown[]> {
    const clusterOf = new Map<string, string>();
    for (const r of resources) if (r.type === "pulumi:providers:kubernetes") clusterOf.set(r.urn, String(r.inputs.clusterIdentifier));
    const groups = new Map<string, unknown[]>();
    for (const r of resources) {
        const cluster = clusterOf.get(r.type === "pulumi:providers:kubernetes" ? r.urn : (r.provider ?? ""));
        if (cluster === undefined) continue;
        (groups.get(cluster) ?? groups.set(cluster, []).get(cluster)!).push({
            urn: r.urn,
            type: r.type,
            custom: r.custom,
            read: r.read,
            parent: r.parent,
            provider: r.provider,
            dependencies: r.dependencies,
            inputs: r.inputs,
            secretPaths: r.secretPaths,
        });
    }
    for (const list of groups.values()) list.sort((a, b) => ((a as { urn: string }).urn < (b as { urn: string }).urn ? -1 : 1));
    return groups;
}

const base = (): MeshGatewayArgs => ({
    mode: "istio",
    clusters: ["c1", "c2", "c3", "c4"].map((id) => ({ id, kubeconfig: `kubeconfig ${id}` })),
    gateway: {
        replicaCount: 2,
        serviceAnnotations: { "example.com/team": "edge" },
        overrides: { c1: { replicaCount: 3 }, c3: { nodeSelector: { pool: "edge" } } },
    },
});

type Change = [title: string, change: (a: MeshGatewayArgs) => void, visible: boolean];
const changes: Change[] = [
    [
        "its override changes",
        (a) => {
            a.gateway.overrides!.c2 = { replicaCount: 5, podAnnotations: { x: "y" } };
        },
        true,
    ],
    [
        "its override is removed",
        (a) => {
            delete a.gateway.overrides!.c1;
        },
        true,
    ],
    [
        "its override turns on an HPA",
        (a) => {
            a.gateway.overrides!.c2 = { maxReplicas: 6, minReplicas: 2 };
        },
        true,
    ],
    [
        "its Service type changes",
        (a) => {
            a.gateway.overrides!.c2 = { serviceType: "NodePort", ports: [{ name: "http", port: 8080, nodePort: 30080 }] };
        },
        true,
    ],
    // A kubeconfig is a secret: the change is invisible in recorded inputs, even for its own cluster.
    [
        "its kubeconfig changes",
        (a) => {
            a.clusters[1] = { id: "c2", kubeconfig: "another kubeconfig" };
        },
        false,
    ],
    [
        "its credential switches to ACK",
        (a) => {
            a.clusters[1] = { id: "c2", ackClusterId: "ack-c2" };
        },
        false,
    ],
];

let compared = 0;

describe("robustness: cluster isolation", function () {
    this.timeout(120_000);
    after(() => console.log(`      isolation: ${compared} per-cluster comparisons`));

    for (const [title, change, visible] of changes) {
        it(`other clusters register identical resources when one cluster's ${title.replace(/^its /, "")}`, async () => {
            const before = byCluster((await runGateway("iso", base())).resources);
            const args = base();
            change(args);
            const changedIds = ["c1", "c2"].filter(
                (id) =>
                    JSON.stringify(args.gateway.overrides?.[id]) !== JSON.stringify(base().gateway.overrides?.[id]) ||
                    JSON.stringify(args.clusters.find((c) => c.id === id)) !== JSON.stringify(base().clusters.find((c) => c.id === id)),
            );
            expect(changedIds.length, "the change touches exactly one cluster").to.equal(1);
            const after = byCluster((await runGateway("iso", args)).resources);
            expect([...after.keys()].sort()).to.deep.equal(["c1", "c2", "c3", "c4"]);
            for (const id of ["c1", "c2", "c3", "c4"]) {
                if (id === changedIds[0]) {
                    if (visible) expect(after.get(id), `${id} should change`).to.not.deep.equal(before.get(id));
                    continue;
                }
                expect(after.get(id), `cluster ${id}`).to.deep.equal(before.get(id));
                compared++;
            }
        });
    }

    it("asm mode: one cluster's override changes only that cluster's entry of the IstioGateway", async () => {
        const asm = (): MeshGatewayArgs => ({
            mode: "asm",
            controlPlane: { kubeconfig: "cp" },
            clusters: [{ id: "c1" }, { id: "c2" }, { id: "c3" }],
            gateway: { overrides: { c1: { replicaCount: 2 } } },
        });
        const spec = async (args: MeshGatewayArgs) => {
            const run = await runGateway("iso", args);
            return run.objects.find((o) => o.object.kind === "IstioGateway")!.object.spec as { overrides?: Record<string, unknown> };
        };
        const a = await spec(asm());
        const changed = asm();
        changed.gateway.overrides!.c2 = { replicaCount: 4, serviceAnnotations: { x: "y" } };
        const b = await spec(changed);
        expect({ ...b, overrides: { ...b.overrides, c2: undefined } }).to.deep.equal({
            ...a,
            overrides: { ...a.overrides, c2: undefined },
        });
        expect(b.overrides!.c2).to.not.equal(undefined);
        compared++;
    });

    it("property: changing one cluster's override never changes another cluster's plan", () => {
        const arb = fleetArb(fc.constant("istio"))
            .filter((f) => f.clusters.length >= 2)
            .chain((fleet) => fc.integer({ min: 1, max: 5 }).map((replicas) => ({ fleet, replicas })));
        let cases = 0;
        fc.assert(
            fc.property(arb, ({ fleet, replicas }) => {
                cases++;
                const changed: GatewayFleetSpec = structuredClone(fleet);
                const target = changed.clusters[0].id;
                const overrides = (changed.gateway.overrides ??= {});
                overrides[target] = {
                    ...overrides[target],
                    replicaCount: (overrides[target]?.replicaCount ?? 0) + replicas,
                    podAnnotations: { "example.com/changed": String(replicas) },
                };
                const a = planFleet(fleet);
                const b = planFleet(changed);
                for (const c of a.clusters) {
                    if (c.clusterId === target) continue;
                    expect(b.clusters.find((x) => x.clusterId === c.clusterId)!.objects).to.deep.equal(c.objects);
                    compared++;
                }
            }),
            { numRuns: Math.max(1, Math.round(30 * (Number(process.env.MESH_GATEWAY_PROPERTY_RUNS ?? 1) || 1))), seed: 20261123 },
        );
        console.log(`      isolation property: ${cases} fleets`);
    });
});
