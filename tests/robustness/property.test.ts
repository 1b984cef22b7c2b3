// Property tests: every valid fleet plans, deterministically, into schema-valid objects; every
// fleet broken by one rule is refused with the rule's field path, before anything is registered.
import { expect } from "chai";
import fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import { MeshGateway, type MeshGatewayArgs } from "../../components/meshGateway";
import { ConfigError } from "../../core/errors";
import type { GatewayFleetSpec } from "../../core/fleet";
import { planFleet } from "../../core/plan";
import { runInProcess } from "../../offline/engine";
import { fleetArb, MUTATIONS } from "../support/arbitraries";
import { featureFleetArb, writeFeatureFiles, type FeatureFleet } from "../support/featureArbitraries";
import { checkOidcInvariants, checkTranscodingInvariants } from "../support/featureInvariants";
import { meshRuleProblems } from "../support/meshRules";
import { runGateway } from "../support/fleet";
import { configError } from "../support/objects";
import { assertValidObjects } from "../support/schemas";

/** Scales every property's run count: MESH_GATEWAY_PROPERTY_RUNS=1000 for a long soak. */
const SCALE = Number(process.env.MESH_GATEWAY_PROPERTY_RUNS ?? 1) || 1;
const runs = (n: number) => Math.max(1, Math.round(n * SCALE));
/** Fixed seed by default so failures reproduce; FC_SEED=random explores. */
const seed = process.env.FC_SEED === "random" ? Date.now() : Number(process.env.FC_SEED ?? 20261123);
const params = (numRuns: number): fc.Parameters<unknown> => ({ numRuns: runs(numRuns), seed, verbose: 0 });

const counts: Record<string, number> = {};
const count = (key: string) => {
    counts[key] = (counts[key] ?? 0) + 1;
};

/** Per feature: how many generated fleets with it planned and how many were refused. */
const featureCounts: Record<string, { planned: number; refused: number }> = {};
function countFeatures(features: string[], outcome: "planned" | "refused"): void {
    for (const f of ["all", ...features]) (featureCounts[f] ??= { planned: 0, refused: 0 })[outcome]++;
}

/** Fleet fields a refusal may name: every issue's path starts with one. */
const TOP_LEVEL =
    /^(name|mode|namespace|clusters|controlPlane|gateway|routing|dns|certificates|security|gracefulShutdown|revision|asmVersion|istioVersion|spreadReplicas)\b/;

function argsOf(fleet: GatewayFleetSpec): { name: string; args: MeshGatewayArgs } {
    const { name, ...rest } = fleet;
    return { name, args: { ...rest, gatewayName: name } as MeshGatewayArgs };
}

/** The component's arguments for a feature fleet: its login secrets as drawn (plain strings or Pulumi secrets). */
function featureArgsOf(f: FeatureFleet): { name: string; args: MeshGatewayArgs } {
    const { name, args } = argsOf(f.fleet);
    const oidc = f.fleet.security?.oidc;
    if (oidc === undefined || f.oidcSecrets === "plain") return { name, args };
    const secrets = { clientSecret: pulumi.secret(oidc.clientSecret as string), cookieSecret: pulumi.secret(oidc.cookieSecret as string) };
    return { name, args: { ...args, security: { ...args.security, oidc: { ...args.security!.oidc!, ...secrets } } } };
}

/**
 * asm mode's login as registered: one ExtensionProvider (ASM's API) named as the policy says, its
 * config secret; the CUSTOM policy naming it waits for it; no oauth2-proxy of the component's own.
 */
function checkAsmLoginResources(run: Awaited<ReturnType<typeof runGateway>>, provider: string): void {
    const providers = run.resources.filter((r) => r.type === "alicloud:servicemesh/extensionProvider:ExtensionProvider");
    expect(providers, "one ExtensionProvider").to.have.length(1);
    expect(providers[0].inputs.extensionProviderName).to.equal(provider);
    expect(providers[0].secretPaths).to.include("config");
    const policies = run.resources.filter(
        (r) =>
            r.type.endsWith(":AuthorizationPolicy") &&
            (r.inputs.spec as { action?: string; provider?: { name: string } } | undefined)?.provider?.name === provider,
    );
    expect(policies, "one CUSTOM policy names the provider").to.have.length(1);
    expect(policies[0].dependencies, "the policy waits for its provider").to.include(providers[0].urn);
    expect(run.resources.filter((r) => r.name.includes("oauth2-proxy")).map((r) => r.name)).to.deep.equal([]);
}

/** Plans a feature fleet with the descriptor sets it names. */
const planFeatures = (f: FeatureFleet) => planFleet(structuredClone(f.fleet), undefined, f.files);

describe("robustness: properties", function () {
    this.timeout(300_000);
    before(() => planFleet({ name: "warm", mode: "istio", clusters: [{ id: "c" }], gateway: {} })); // compile the schema once
    after(() => {
        console.log(
            `      property cases run (seed ${seed}): ${Object.entries(counts)
                .map(([k, v]) => `${k}=${v}`)
                .join(", ")}`,
        );
        const rows = Object.entries(featureCounts).sort(([a], [b]) => a.localeCompare(b));
        console.log(
            `      feature fleets by feature (planned/refused):\n${rows.map(([k, v]) => `        ${k}: ${v.planned}/${v.refused}`).join("\n")}`,
        );
    });

    it("every valid fleet plans, twice the same, into schema-valid objects", () => {
        fc.assert(
            fc.property(fleetArb(), (fleet) => {
                count(`valid-${fleet.mode}`);
                const a = planFleet(structuredClone(fleet));
                const b = planFleet(structuredClone(fleet));
                expect(a).to.deep.equal(b);
                const objects = [...a.controlPlaneObjects, ...a.clusters.flatMap((c) => c.objects)];
                expect(objects.length).to.be.greaterThan(0);
                assertValidObjects(objects);
                expect(a.clusters.map((c) => c.clusterId)).to.deep.equal(fleet.clusters.map((c) => c.id));
            }),
            params(60),
        );
    });

    it("the component registers every valid fleet (in-process engine)", async () => {
        await fc.assert(
            fc.asyncProperty(fleetArb(), async (fleet) => {
                count(`component-${fleet.mode}`);
                const { name, args } = argsOf(fleet);
                const run = await runGateway(name, args);
                const plan = planFleet(fleet);
                const expected = plan.mode === "asm" ? plan.controlPlaneObjects : plan.clusters.flatMap((c) => c.objects);
                expect(run.objects.map((o) => `${o.object.kind}/${o.object.metadata.name}`).sort()).to.deep.equal(
                    expected.map((o) => `${o.kind}/${o.metadata.name}`).sort(),
                );
            }),
            params(10),
        );
    });

    // Load balancers, routing, DNS, certificates and security: the product never throws anything but
    // a ConfigError, whose every issue names a field path and a rule; what plans is schema-valid.
    it("every feature-rich fleet plans into schema-valid objects or is refused with field paths", () => {
        fc.assert(
            fc.property(featureFleetArb(), (f) => {
                const { fleet, features } = f;
                const error = configError(structuredClone(fleet), f.files);
                if (error !== undefined) {
                    countFeatures(features, "refused");
                    expect(error.issues.length, error.message).to.be.greaterThan(0);
                    for (const issue of error.issues) {
                        expect(issue.path, `${issue.path}: ${issue.message}`).to.match(TOP_LEVEL);
                        expect(issue.message, issue.path).to.not.equal("");
                    }
                    return;
                }
                countFeatures(features, "planned");
                const plan = planFeatures(f);
                const objects = [...plan.controlPlaneObjects, ...plan.clusters.flatMap((c) => c.objects)];
                expect(objects.length).to.be.greaterThan(0);
                assertValidObjects(objects);
                // Istio's rules, written from its source apart from the product (e.g. the rate
                // limit's patches name virtual hosts Istio builds, that neither redirect nor merge).
                const problems = meshRuleProblems(plan);
                expect(problems, problems.join("\n")).to.deep.equal([]);
            }),
            params(120),
        );
        // The generator is aimed at valid fleets: most must plan, or the rules under test go untested.
        expect(featureCounts.all.planned, JSON.stringify(featureCounts.all)).to.be.greaterThan(featureCounts.all.refused);
    });

    it("the component registers feature-rich fleets that plan, and refuses the others before registering anything", async () => {
        await fc.assert(
            fc.asyncProperty(featureFleetArb(), async (f) => {
                const { fleet, features } = f;
                count(`component-features-${fleet.mode}`);
                const refused = configError(structuredClone(fleet), f.files);
                const { name, args } = featureArgsOf(f);
                // The component reads the descriptor sets itself.
                writeFeatureFiles(f);
                if (refused === undefined) {
                    // The fake cloud answers the component's look-ups (vSwitches, reused load balancers).
                    const run = await runGateway(name, args);
                    expect(run.objects.length, features.join(" ")).to.be.greaterThan(0);
                    return;
                }
                let error: unknown;
                const resources = await runInProcess(() => {
                    try {
                        new MeshGateway(name, args);
                    } catch (e) {
                        error = e;
                    }
                });
                expect(resources, features.join(" ")).to.deep.equal([]);
                expect((error as Error).message).to.contain(refused.issues[0].path);
            }),
            params(10),
        );
    });

    // gRPC-JSON transcoding and the OIDC login, on fleets that always have them (the general
    // generator draws them too rarely to say much): what they plan into, across objects.
    it("every transcoded fleet that plans patches exactly the transcoded hosts' virtual hosts, which its routes build", () => {
        let patches = 0;
        fc.assert(
            fc.property(featureFleetArb({ transcoding: true }), (f) => {
                if (configError(structuredClone(f.fleet), f.files) !== undefined) return void count("transcoding-refused");
                count(`transcoding-${f.fleet.mode}-${f.fleet.routing!.api ?? "istio"}`);
                const plan = planFeatures(f);
                assertValidObjects([...plan.controlPlaneObjects, ...plan.clusters.flatMap((c) => c.objects)]);
                patches += checkTranscodingInvariants(plan, f.files);
                const problems = meshRuleProblems(plan);
                expect(problems, problems.join("\n")).to.deep.equal([]);
            }),
            params(60),
        );
        for (const k of ["istio-istio", "istio-gateway-api", "asm-istio", "asm-gateway-api"])
            expect(counts[`transcoding-${k}`] ?? 0, JSON.stringify(counts)).to.be.greaterThan(0);
        expect(patches).to.be.greaterThan(20);
    });

    it("every fleet with the login that plans guards the login's hosts and paths: oauth2-proxy beside each gateway, or ASM's provider", () => {
        fc.assert(
            fc.property(featureFleetArb({ oidc: true }), (f) => {
                if (configError(structuredClone(f.fleet), f.files) !== undefined) return void count(`oidc-${f.fleet.mode}-refused`);
                count(`oidc-${f.fleet.mode}-planned`);
                const plan = planFeatures(f);
                assertValidObjects([...plan.controlPlaneObjects, ...plan.clusters.flatMap((c) => c.objects)]);
                checkOidcInvariants(plan);
            }),
            params(80),
        );
        // The rest is refused by the other features' rules (DNS, load balancers), as the general generator's.
        for (const mode of ["istio", "asm"])
            expect(counts[`oidc-${mode}-planned`] ?? 0, JSON.stringify(counts)).to.be.greaterThan(runs(80) / 8);
    });

    it("the component keeps the login's secrets secret, given plain or as Pulumi secrets, in either mode, with transcoding beside it", async () => {
        await fc.assert(
            fc.asyncProperty(featureFleetArb({ oidc: true, transcoding: true }), async (f) => {
                if (configError(structuredClone(f.fleet), f.files) !== undefined) return;
                count(`component-oidc-${f.fleet.mode}-${f.oidcSecrets}`);
                writeFeatureFiles(f);
                const { name, args } = featureArgsOf(f);
                const run = await runGateway(name, args);
                const oidc = f.fleet.security!.oidc!;
                const text = JSON.stringify(run.resources);
                for (const s of [oidc.clientSecret as string, oidc.cookieSecret as string])
                    expect(text, "a login secret in plain text").not.to.include(JSON.stringify(s).slice(1, -1));
                if (f.fleet.mode === "asm") checkAsmLoginResources(run, oidc.provider ?? `httpextauth-${f.fleet.name}`);
                else {
                    const secrets = run.resources.filter((r) => r.type === "kubernetes:core/v1:Secret" && r.name.endsWith("-oauth2-proxy"));
                    expect(secrets).to.have.length(f.fleet.clusters.length);
                    for (const s of secrets) expect(s.secretPaths, s.name).to.include("stringData");
                }
                const filters = run.objects.filter(
                    (o) => o.object.kind === "EnvoyFilter" && o.object.metadata.name.endsWith("-grpc-transcoding"),
                );
                expect(filters).to.have.length(f.fleet.mode === "asm" ? 1 : f.fleet.clusters.length);
            }),
            params(24),
        );
        for (const mode of ["istio", "asm"])
            expect(
                (counts[`component-oidc-${mode}-plain`] ?? 0) + (counts[`component-oidc-${mode}-pulumi.secret`] ?? 0),
                JSON.stringify(counts),
            ).to.be.greaterThan(0);
    });

    it(`covers many rules with mutations (${MUTATIONS.length})`, () => {
        expect(MUTATIONS.length).to.be.at.least(60);
    });

    it("a valid fleet broken by any one mutation is refused, naming the path", () => {
        const arb = fc.integer({ min: 0, max: MUTATIONS.length - 1 }).chain((i) => {
            const m = MUTATIONS[i];
            return fleetArb(m.modes ? fc.constantFrom(...m.modes) : undefined).map((fleet) => ({ m, fleet }));
        });
        fc.assert(
            fc.property(arb, ({ m, fleet }) => {
                count("mutated");
                const broken = structuredClone(fleet) as GatewayFleetSpec & Record<string, unknown>;
                const path = m.apply(broken);
                const error = configError(broken);
                expect(error, `${m.rule}: not refused\n${JSON.stringify(broken)}`).to.be.instanceOf(ConfigError);
                const paths = error!.issues.map((i) => i.path);
                expect(
                    paths.some((p) => p.includes(path)),
                    `${m.rule}: expected a path containing ${path}, got ${paths.join(", ")}`,
                ).to.equal(true);
            }),
            params(120),
        );
    });

    it("every mutation refuses on its own (each mutation, random fleets)", () => {
        for (const m of MUTATIONS) {
            fc.assert(
                fc.property(fleetArb(m.modes ? fc.constantFrom(...m.modes) : undefined), (fleet) => {
                    count("per-mutation");
                    const broken = structuredClone(fleet) as GatewayFleetSpec & Record<string, unknown>;
                    const path = m.apply(broken);
                    const error = configError(broken);
                    expect(error, `${m.rule}: not refused\n${JSON.stringify(broken)}`).to.be.instanceOf(ConfigError);
                    expect(
                        error!.issues.map((i) => i.path).some((p) => p.includes(path)),
                        `${m.rule}: no issue at ${path}: ${error!.message}`,
                    ).to.equal(true);
                }),
                params(2),
            );
        }
    });

    // Schema errors under a digit-only map key once came out as an array index (overrides[7]).
    it("names an all-digit cluster id in an override as a key, not an index", () => {
        const error = configError({
            name: "edge",
            mode: "istio",
            clusters: [{ id: "007" }],
            gateway: { overrides: { "007": { resorces: {} } } },
        });
        expect(error!.issues.map((i) => i.path)).to.include('gateway.overrides["007"].resorces');
    });

    it("the component refuses a mutated fleet before registering anything", async () => {
        for (const m of MUTATIONS) {
            const [fleet] = fc.sample(fleetArb(m.modes ? fc.constantFrom(...m.modes) : undefined), { numRuns: 1, seed });
            const broken = structuredClone(fleet) as GatewayFleetSpec & Record<string, unknown>;
            const path = m.apply(broken);
            const { name, args } = argsOf(broken);
            let error: unknown;
            const resources = await runInProcess(() => {
                try {
                    new MeshGateway(name, args);
                } catch (e) {
                    error = e;
                }
            });
            count("component-refused");
            expect(error, m.rule).to.be.instanceOf(Error);
            expect((error as Error).message, m.rule).to.contain(path);
            expect(resources, m.rule).to.deep.equal([]);
        }
    });
});
