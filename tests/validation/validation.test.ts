// Bad input is refused before anything is created, with the field path and the rule. The cases
// live per feature in tests/validation/<feature>.cases.ts; this runner checks each one in the core
// and in the component.
import { expect } from "chai";
import { MeshGateway, type MeshGatewayArgs } from "../../components/meshGateway";
import { ConfigError } from "../../core/errors";
import type { GatewayFleetSpec } from "../../core/fleet";
import { planFleet } from "../../core/plan";
import { readPlanFiles } from "../../components/planFiles";
import { runInProcess } from "../../offline/engine";
import { base } from "../support/builders";
import { ALL_CASES as cases, CASES_BY_FEATURE, WARNING_CASES } from "./cases";

/** The number of cases today (234 when the table was split per feature): raise it when adding cases; never lower it. */
const MIN_CASES = 369;

describe("validation", () => {
    it(`covers at least 30 rules (${cases.length} cases)`, () => {
        expect(cases.length).to.be.at.least(30);
    });

    it(`keeps every case (${Object.entries(CASES_BY_FEATURE)
        .map(([f, c]) => `${f} ${c.length}`)
        .join(", ")})`, () => {
        expect(cases.length).to.be.at.least(MIN_CASES);
        expect(new Set(cases.map(([title]) => title)).size, "case titles are unique").to.equal(cases.length);
    });

    for (const [feature, featureCases] of Object.entries(CASES_BY_FEATURE)) {
        describe(feature, () => {
            for (const [title, fleet, expected] of featureCases) {
                it(`refuses ${title}`, () => {
                    let error: unknown;
                    try {
                        const input = fleet();
                        planFleet(input, undefined, readPlanFiles(input));
                    } catch (e) {
                        error = e;
                    }
                    expect(error, "no error was raised").to.be.instanceOf(ConfigError);
                    const lines = (error as ConfigError).issues.map((i) => `${i.path}: ${i.message}`);
                    expect(
                        lines.some((l) => l.startsWith(expected)),
                        `expected a line starting with\n  ${expected}\ngot\n  ${lines.join("\n  ")}`,
                    ).to.equal(true);
                });
            }
        });
    }

    describe("warnings", () => {
        for (const [title, fleet, expected] of WARNING_CASES) {
            it(`warns about ${title}`, () => {
                const lines = planFleet(fleet()).warnings.map((w) => `${w.path}: ${w.message}`);
                expect(
                    lines.some((l) => l.startsWith(expected)),
                    `expected a warning starting with\n  ${expected}\ngot\n  ${lines.join("\n  ")}`,
                ).to.equal(true);
            });
        }
    });

    it(`refuses every one of the ${cases.length} cases in the component too, registering nothing`, async () => {
        for (const [title, fleet, expected] of cases) {
            const { name, ...rest } = fleet() as GatewayFleetSpec;
            let error: unknown;
            const resources = await runInProcess(() => {
                try {
                    new MeshGateway(typeof name === "string" ? name : "edge", { ...rest, gatewayName: name } as MeshGatewayArgs);
                } catch (e) {
                    error = e;
                }
            });
            expect(resources, title).to.deep.equal([]);
            expect(String((error as Error | undefined)?.message), title).to.contain(expected.split(": ")[0]);
        }
    });

    it("reports every problem at once", () => {
        try {
            planFleet({
                ...base(),
                gateway: {
                    minReplicas: 5,
                    maxReplicas: 2,
                    ports: [
                        { name: "a", port: 80 },
                        { name: "a", port: 80 },
                    ],
                },
            });
            expect.fail("no error");
        } catch (e) {
            expect((e as ConfigError).issues.map((i) => i.path)).to.have.members([
                "gateway.minReplicas",
                "gateway.ports[1].name",
                "gateway.ports[1].port",
            ]);
        }
    });

    it("reports the rules across fields beside misspelt fields, and leaves them unrun beside other shape errors", () => {
        const issuesOf = (gateway: Record<string, unknown>) => {
            try {
                planFleet({ ...base(), gateway } as unknown as GatewayFleetSpec);
            } catch (e) {
                return (e as ConfigError).issues.map((i) => `${i.path}: ${i.message}`);
            }
            return expect.fail("no error");
        };
        // A typo is a field not given: the rules see the config as it would be deployed.
        expect(issuesOf({ replicaCont: 2, minReplicas: 5, maxReplicas: 2, overrides: { c3: { maxReplicas: 1 } } })).to.have.members([
            "gateway.replicaCont: unknown field (did you mean replicaCount?)",
            "gateway.minReplicas: 5 is greater than maxReplicas (2)",
            'gateway.overrides["c3"]: cluster c3 is not in clusters (c1, c2)',
        ]);
        // Values known later (a kubeconfig Output or Promise) stay where they are.
        try {
            planFleet({
                ...base(),
                clusters: [
                    { id: "c1", kubeconfig: Promise.resolve("kc1") },
                    { id: "c2", kubeconfig: "kc2" },
                ],
                gateway: { replicaCont: 2, overrides: { c3: { maxReplicas: 1 } } },
            } as unknown as GatewayFleetSpec);
            expect.fail("no error");
        } catch (e) {
            expect((e as ConfigError).issues.map((i) => i.path)).to.have.members(["gateway.replicaCont", 'gateway.overrides["c3"]']);
        }
        // A value of the wrong type could be misread by a rule: only the shape is reported.
        expect(issuesOf({ replicaCont: 2, maxReplicas: "2", overrides: { c3: { maxReplicas: 1 } } })).to.have.members([
            "gateway.replicaCont: unknown field (did you mean replicaCount?)",
            "gateway.maxReplicas: must be integer",
        ]);
    });
    it("refuses in the component before registering anything, with no stack trace", async () => {
        let error: unknown;
        const resources = await runInProcess(() => {
            try {
                new MeshGateway("edge", { ...base(), gateway: { overrides: { c3: {} } } } as MeshGatewayArgs);
            } catch (e) {
                error = e;
            }
        });
        expect(resources).to.deep.equal([]);
        expect((error as Error).message).to.contain('gateway.overrides["c3"]: cluster c3 is not in clusters (c1, c2)');
        expect((error as Error).message).to.contain('mesh-gateway:index:MeshGateway "edge"');
        expect((error as { hideStack?: boolean }).hideStack).to.equal(true);
    });

    it("warns, without refusing, about settings that have no effect", () => {
        const plan = planFleet({
            ...base(),
            gateway: { cpu: { targetAverageUtilization: 80 }, kernel: { enabled: true, parameters: { "net.ipv4.tcp_tw_reuse": "1" } } },
        });
        expect(plan.warnings.map((w) => `${w.path}: ${w.message}`)).to.deep.equal([
            "gateway.cpu: has no effect without maxReplicas: no HPA is created and replicaCount applies",
            'gateway.kernel.parameters["net.ipv4.tcp_tw_reuse"]: net.ipv4.tcp_tw_reuse is an unsafe sysctl: ' +
                "gateway pods start only on nodes whose kubelet allows it (--allowed-unsafe-sysctls)",
        ]);
    });
});
