// End-to-end: the root stack program on the real Pulumi engine against real kube-apiservers.
// For each test stack under tests/e2e/stacks: up, preview and refresh without changes, live
// objects equal to the offline plan, an override for one cluster that touches only that
// cluster's objects, and destroy leaving nothing behind.
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { LocalWorkspace, type EngineEvent, type Stack } from "@pulumi/pulumi/automation";
import { Harness, REPO_DIR, type KubeApi, type KubeObject } from "./harness";

const CLUSTERS = ["dp-1", "dp-2"];
const CONTROL_PLANE = "asm";
const PROJECT = "mesh-gateway";
const STACKS_DIR = path.join(REPO_DIR, "tests", "e2e", "stacks");

interface PlannedResource {
    type: string;
    name: string;
    cluster?: string;
    inputs: KubeObject;
}

/** The stack program the Pulumi CLI runs: the package's own index.ts, loaded afresh each run. */
async function program(): Promise<Record<string, unknown>> {
    const entry = require.resolve(path.join(REPO_DIR, "bin", "index.js"));
    delete require.cache[entry];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const stack = require(entry) as Record<string, unknown>;
    return { ...stack };
}

/** The offline plan of a stack config (`mesh-gateway plan <file> --out DIR`). */
function offlinePlan(dir: string, config: Record<string, unknown>): PlannedResource[] {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `Pulumi.e2e.yaml`);
    fs.writeFileSync(file, YAML.stringify({ config }));
    execFileSync(process.execPath, [path.join(REPO_DIR, "bin", "cli", "main.js"), "plan", file, "--out", path.join(dir, "out")], { stdio: "pipe" });
    const plan = JSON.parse(fs.readFileSync(path.join(dir, "out", "plan.json"), "utf8")) as { resources: PlannedResource[] };
    return plan.resources.filter((r) => r.type.startsWith("kubernetes:"));
}

/** Paths where `live` differs from `expected`, looking only at what `expected` sets. */
function differences(expected: unknown, live: unknown, at = ""): string[] {
    if (expected === null || typeof expected !== "object") {
        return expected === live ? [] : [`${at}: planned ${JSON.stringify(expected)}, live ${JSON.stringify(live)}`];
    }
    if (Array.isArray(expected)) {
        if (!Array.isArray(live) || live.length !== expected.length) return [`${at}: planned ${JSON.stringify(expected)}, live ${JSON.stringify(live)}`];
        return expected.flatMap((e, i) => differences(e, live[i], `${at}[${i}]`));
    }
    if (live === null || typeof live !== "object") return [`${at}: planned an object, live ${JSON.stringify(live)}`];
    return Object.entries(expected).flatMap(([k, v]) => differences(v, (live as Record<string, unknown>)[k], at ? `${at}.${k}` : k));
}

function resourceName(urn: string): string {
    return urn.split("::").pop()!;
}

/** Resource URNs (non-`same` steps) of a preview, from the engine's events. */
async function previewChanges(stack: Stack): Promise<{ urn: string; op: string; type: string }[]> {
    const steps: { urn: string; op: string; type: string }[] = [];
    await stack.preview({
        onEvent: (e: EngineEvent) => {
            const m = e.resourcePreEvent?.metadata;
            if (m && m.op !== "same" && m.op !== "read") steps.push({ urn: m.urn, op: m.op, type: m.type });
        },
    });
    return steps;
}

function loadStackConfig(file: string): Record<string, unknown> {
    return (YAML.parse(fs.readFileSync(file, "utf8")) as { config: Record<string, unknown> }).config;
}

describe("e2e: the stack program on real kube-apiservers", function () {
    this.timeout(15 * 60_000);
    let h: Harness;

    before(async function () {
        // A fresh machine builds the binaries first (tests/e2e/setup.sh): tens of minutes.
        this.timeout(90 * 60_000);
        h = await Harness.start({ clusters: CLUSTERS, controlPlane: CONTROL_PLANE });
        process.env.PATH = h.pathWithBinaries();
    });

    after(async function () {
        const failed = this.test?.parent?.tests.some((t) => t.state === "failed") || this.test?.parent?.suites.some((s) => s.tests.some((t) => t.state === "failed"));
        if (h) await h.stop({ keepFiles: failed });
        if (failed && h) console.log(`kept ${h.dir} (logs, state) for the failed run`);
    });

    for (const stackName of ["istio", "asm"]) {
        describe(`${stackName} stack`, function () {
            let stack: Stack;
            let config: Record<string, unknown>;
            let plan: PlannedResource[];

            const apiFor = (r: PlannedResource): KubeApi => h.api(r.cluster === CONTROL_PLANE || r.cluster === undefined ? CONTROL_PLANE : r.cluster);

            async function setConfig(cfg: Record<string, unknown>): Promise<void> {
                const values: Record<string, { value: string; secret?: boolean }> = {};
                for (const [k, v] of Object.entries(cfg)) values[k] = { value: typeof v === "string" ? v : JSON.stringify(v) };
                for (const id of CLUSTERS) values[`${PROJECT}:kubeconfig-${id}`] = { value: h.api(id).kubeconfig(), secret: true };
                values[`${PROJECT}:asmKubeconfig`] = { value: h.api(CONTROL_PLANE).kubeconfig(), secret: true };
                await stack.setAllConfig(values);
            }

            async function expectLiveMatchesPlan(planned: PlannedResource[]): Promise<void> {
                const problems: string[] = [];
                for (const r of planned) {
                    const { apiVersion, kind, metadata } = r.inputs;
                    const live = await apiFor(r).get(apiVersion, kind, metadata.name, metadata.namespace);
                    if (!live) {
                        problems.push(`${r.cluster}: ${kind} ${metadata.namespace}/${metadata.name} is missing`);
                        continue;
                    }
                    problems.push(...differences(r.inputs, live).map((d) => `${r.cluster}: ${kind} ${metadata.name}: ${d}`));
                }
                expect(problems).to.deep.equal([]);
                // The stack holds exactly the planned Kubernetes objects.
                const state = (await stack.exportStack()).deployment as { resources?: { urn: string; type: string }[] };
                const deployed = (state.resources ?? []).filter((r) => r.type.startsWith("kubernetes:")).map((r) => `${r.type} ${resourceName(r.urn)}`).sort();
                expect(deployed).to.deep.equal(planned.map((r) => `${r.type} ${r.name}`).sort());
            }

            before(async function () {
                const env = h.pulumiEnv();
                const workDir = path.join(h.dir, `workspace-${stackName}`);
                fs.mkdirSync(workDir, { recursive: true });
                stack = await LocalWorkspace.createOrSelectStack(
                    { stackName, projectName: PROJECT, program },
                    {
                        workDir,
                        envVars: env,
                        projectSettings: { name: PROJECT, runtime: "nodejs", backend: { url: env.PULUMI_BACKEND_URL } },
                    },
                );
                config = loadStackConfig(path.join(STACKS_DIR, `${stackName}.yaml`));
                await setConfig(config);
                plan = offlinePlan(path.join(h.dir, "plan-0"), config);
            });

            it("up creates every planned object", async () => {
                const result = await stack.up({ onOutput: () => undefined });
                expect(result.summary.result).to.equal("succeeded");
                expect(result.outputs.addresses?.value).to.be.an("object");
            });

            it("exports each gateway's address per cluster from the live Service", async () => {
                const outputs = await stack.outputs();
                const addresses = outputs.addresses.value as Record<string, Record<string, { serviceName: string; namespace: string; address?: string; addressKind?: string }>>;
                const gateways = config[`${PROJECT}:gateways`] as { name: string; mode: string; clusters: { id: string }[] }[];
                expect(Object.keys(addresses).sort()).to.deep.equal(gateways.map((g) => g.name).sort());
                for (const g of gateways) {
                    expect(Object.keys(addresses[g.name]).sort()).to.deep.equal(g.clusters.map((c) => c.id).sort());
                    for (const c of g.clusters) {
                        const a = addresses[g.name][c.id];
                        // asm: the address comes from the IstioGateway's status, which no controller writes here.
                        if (g.mode !== "istio") {
                            expect(a.address).to.equal(undefined);
                            continue;
                        }
                        const svc = await h.api(c.id).get("v1", "Service", a.serviceName, a.namespace);
                        const spec = svc?.spec as { type?: string; clusterIP?: string } | undefined;
                        expect(spec, `${c.id}: Service ${a.serviceName}`).to.not.equal(undefined);
                        if (spec?.type === "ClusterIP") expect(a).to.include({ address: spec.clusterIP, addressKind: "IPv4" });
                        else expect(a.address, "no load balancer controller runs").to.equal(undefined);
                    }
                }
            });

            it("preview after up has no changes", async () => {
                await stack.preview({ expectNoChanges: true });
            });

            it("refresh finds no drift", async () => {
                await stack.refresh({ expectNoChanges: true });
            });

            it("live objects equal the offline plan", async () => {
                await expectLiveMatchesPlan(plan);
            });

            it("an override for dp-2 changes only dp-2's objects", async () => {
                const changed = structuredClone(config) as { [k: string]: { gateway: { overrides?: Record<string, Record<string, unknown>> } }[] };
                const gateway = changed[`${PROJECT}:gateways`][0].gateway;
                const dp2 = (gateway.overrides ??= {})["dp-2"] ?? {};
                gateway.overrides["dp-2"] = {
                    ...dp2,
                    maxReplicas: 30,
                    serviceAnnotations: { ...(dp2.serviceAnnotations as object | undefined), "pulumi.com/skipAwait": "true", "e2e.mesh-gateway/changed": "yes" },
                };
                const newPlan = offlinePlan(path.join(h.dir, "plan-1"), changed);
                const before = new Map(plan.map((r) => [`${r.type} ${r.name}`, r]));
                const expectedChanges = newPlan
                    .filter((r) => differences(r.inputs, before.get(`${r.type} ${r.name}`)?.inputs).length > 0 || differences(before.get(`${r.type} ${r.name}`)?.inputs, r.inputs).length > 0)
                    .map((r) => `${r.type} ${r.name}`)
                    .sort();
                expect(expectedChanges, "the offline plan changes something").to.not.be.empty;
                for (const key of expectedChanges) {
                    const r = newPlan.find((p) => `${p.type} ${p.name}` === key)!;
                    expect([stackName === "asm" ? CONTROL_PLANE : "dp-2"]).to.include(r.cluster);
                }

                await setConfig(changed);
                const steps = await previewChanges(stack);
                expect(steps.every((s) => s.op === "update"), JSON.stringify(steps)).to.equal(true);
                expect(steps.map((s) => `${s.type} ${resourceName(s.urn)}`).sort()).to.deep.equal(expectedChanges);

                const result = await stack.up({ onOutput: () => undefined });
                expect(result.summary.result).to.equal("succeeded");
                await stack.preview({ expectNoChanges: true });
                await expectLiveMatchesPlan(newPlan);
                config = changed as unknown as Record<string, unknown>;
                plan = newPlan;
            });

            it("destroy removes every object", async () => {
                const result = await stack.destroy({ onOutput: () => undefined });
                expect(result.summary.result).to.equal("succeeded");
                const left: string[] = [];
                for (const r of plan) {
                    const { apiVersion, kind, metadata } = r.inputs;
                    if (await apiFor(r).get(apiVersion, kind, metadata.name, metadata.namespace)) left.push(`${r.cluster}: ${kind} ${metadata.name}`);
                }
                expect(left).to.deep.equal([]);
                const state = (await stack.exportStack()).deployment as { resources?: unknown[] };
                expect(state.resources ?? []).to.deep.equal([]);
            });
        });
    }

    describe("Pulumi YAML program using MeshGateway as a package", function () {
        let stack: Stack;

        before(async function () {
            if (!h.bins["pulumi-language-yaml"]) this.skip();
            // The program, with the component plugin's folder made absolute.
            const workDir = path.join(h.dir, "yaml");
            fs.mkdirSync(workDir, { recursive: true });
            const project = YAML.parse(fs.readFileSync(path.join(REPO_DIR, "tests", "e2e", "yaml", "Pulumi.yaml"), "utf8")) as { plugins: { providers: { path: string }[] } };
            for (const p of project.plugins.providers) p.path = path.resolve(REPO_DIR, "tests", "e2e", "yaml", p.path);
            fs.writeFileSync(path.join(workDir, "Pulumi.yaml"), YAML.stringify(project));
            stack = await LocalWorkspace.createOrSelectStack({ stackName: "yaml", workDir }, { envVars: h.pulumiEnv() });
            await stack.setAllConfig({
                kubeconfigDp1: { value: h.api("dp-1").kubeconfig(), secret: true },
                kubeconfigDp2: { value: h.api("dp-2").kubeconfig(), secret: true },
            });
        });

        it("up deploys the gateway to both clusters, with dp-2's override", async () => {
            const result = await stack.up({ onOutput: () => undefined });
            expect(result.summary.result).to.equal("succeeded");
            expect(result.outputs.serviceName.value).to.equal("istio-yaml-ingress");
            for (const [id, maxReplicas] of [["dp-1", 3], ["dp-2", 5]] as const) {
                const deployment = await h.api(id).get("apps/v1", "Deployment", "istio-yaml-ingress", "istio-system");
                // The int-or-string field arrives as the string "1" and reaches Kubernetes as a count.
                expect((deployment?.spec as { strategy?: { rollingUpdate?: unknown } } | undefined)?.strategy?.rollingUpdate, id).to.deep.equal({ maxSurge: 1, maxUnavailable: "0%" });
                const hpa = await h.api(id).get("autoscaling/v2", "HorizontalPodAutoscaler", "istio-yaml-ingress", "istio-system");
                expect((hpa?.spec as { maxReplicas?: number } | undefined)?.maxReplicas, id).to.equal(maxReplicas);
            }
        });

        it("preview after up has no changes", async () => {
            await stack.preview({ expectNoChanges: true });
        });

        it("destroy removes the objects", async () => {
            const result = await stack.destroy({ onOutput: () => undefined });
            expect(result.summary.result).to.equal("succeeded");
            for (const id of CLUSTERS) {
                expect(await h.api(id).list("apps/v1", "Deployment", "istio-system"), id).to.deep.equal([]);
            }
        });
    });
});
