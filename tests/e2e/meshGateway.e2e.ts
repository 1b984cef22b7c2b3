// End-to-end: the root stack program on the real Pulumi engine and pulumi-kubernetes' own
// provider, against clusters whose controllers run (Deployments roll out on kwok's nodes, the
// harness plays the cloud controller and ASM). For each test stack under tests/e2e/stacks: up
// waiting for real readiness, addresses as the cloud assigned them, preview and refresh without
// changes, live objects equal to the offline plan, a rotated kubeconfig replacing nothing, an
// override for one cluster that touches only that cluster's objects, the offline diff's
// rolling-restart marks against the ReplicaSets `up` creates, an API server stopped mid-up, and
// destroy leaving nothing behind.
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { LocalWorkspace, type EngineEvent, type Stack } from "@pulumi/pulumi/automation";
import { Harness, REPO_DIR, ZONES, type KubeApi, type KubeObject } from "./harness";
import { fleetSpecOf, workloadNames } from "../../core/fleet";
import { layoutFleet, renderFleet } from "../../core/plan";
import { loadFleets } from "../../offline/plan";
import type { KubeObject as PlannedObject } from "../../core/render/common";
import { acceptedMessages, istiod, pem, userWorld } from "../support/analyzeWorld";
import { analyzeLive, analyzeLiveClusters, judgesOrSkip, namespacesOf, type AnalyzerMessage } from "../support/judges";

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
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the stack program is loaded afresh, after deleting it from the cache
    const stack = require(entry) as Record<string, unknown>;
    return { ...stack };
}

/** The offline plan of a stack config (`mesh-gateway plan <file> --out DIR`). */
function offlinePlan(dir: string, config: Record<string, unknown>): PlannedResource[] {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `Pulumi.e2e.yaml`);
    fs.writeFileSync(file, YAML.stringify({ config }));
    execFileSync(process.execPath, [path.join(REPO_DIR, "bin", "cli", "main.js"), "plan", file, "--out", path.join(dir, "out")], {
        stdio: "pipe",
    });
    const plan = JSON.parse(fs.readFileSync(path.join(dir, "out", "plan.json"), "utf8")) as { resources: PlannedResource[] };
    return plan.resources.filter((r) => r.type.startsWith("kubernetes:"));
}

/** Paths where `live` differs from `expected`, looking only at what `expected` sets. */
function differences(expected: unknown, live: unknown, at = ""): string[] {
    if (expected === null || typeof expected !== "object") {
        return expected === live ? [] : [`${at}: planned ${JSON.stringify(expected)}, live ${JSON.stringify(live)}`];
    }
    if (Array.isArray(expected)) {
        if (!Array.isArray(live) || live.length !== expected.length)
            return [`${at}: planned ${JSON.stringify(expected)}, live ${JSON.stringify(live)}`];
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

/** `mesh-gateway diff` of two stack configs: per cluster, whether it marks a restart (`!`). */
function offlineDiff(
    dir: string,
    before: Record<string, unknown>,
    after: Record<string, unknown>,
): { text: string; restarts: Map<string, boolean> } {
    fs.mkdirSync(dir, { recursive: true });
    const [a, b] = [path.join(dir, "Pulumi.old.yaml"), path.join(dir, "Pulumi.new.yaml")];
    fs.writeFileSync(a, YAML.stringify({ config: before }));
    fs.writeFileSync(b, YAML.stringify({ config: after }));
    const text = execFileSync(process.execPath, [path.join(REPO_DIR, "bin", "cli", "main.js"), "diff", a, b], { encoding: "utf8" });
    const restarts = new Map<string, boolean>();
    let current: string | undefined;
    for (const line of text.split("\n")) {
        const head = /^gateway (\S+), cluster (\S+): /.exec(line);
        if (head) {
            current = `${head[1]}/${head[2]}`;
            restarts.set(current, false);
        } else if (current && /^\s+!/.test(line)) restarts.set(current, true);
    }
    return { text, restarts };
}

type Conditions = { conditions?: { type: string; status: string }[] };

/** Names of the ReplicaSets a Deployment owns. */
async function replicaSets(api: KubeApi, deployment: string, namespace: string): Promise<string[]> {
    const all = await api.list("apps/v1", "ReplicaSet", namespace);
    return all
        .filter((rs) =>
            ((rs.metadata.ownerReferences as { kind: string; name: string }[] | undefined) ?? []).some(
                (o) => o.kind === "Deployment" && o.name === deployment,
            ),
        )
        .map((rs) => rs.metadata.name)
        .sort();
}

async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
        if (Date.now() > deadline) throw new Error(`${what}: not after ${timeoutMs / 1000}s`);
        await new Promise((r) => setTimeout(r, 500));
    }
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
        const failed =
            this.test?.parent?.tests.some((t) => t.state === "failed") ||
            this.test?.parent?.suites.some((s) => s.tests.some((t) => t.state === "failed"));
        if (h) await h.stop({ keepFiles: failed });
        if (failed && h) console.log(`kept ${h.dir} (logs, state) for the failed run`);
    });

    for (const stackName of ["istio", "asm"]) {
        describe(`${stackName} stack`, function () {
            let stack: Stack;
            let config: Record<string, unknown>;
            let plan: PlannedResource[];
            let rotated = false;
            const gatewaysOf = (cfg: Record<string, unknown>) =>
                cfg[`${PROJECT}:gateways`] as {
                    name: string;
                    gatewayName?: string;
                    mode: string;
                    clusters: { id: string }[];
                    gateway: { overrides?: Record<string, Record<string, unknown>> };
                }[];

            const apiFor = (r: PlannedResource): KubeApi =>
                h.api(r.cluster === CONTROL_PLANE || r.cluster === undefined ? CONTROL_PLANE : r.cluster);

            async function setConfig(cfg: Record<string, unknown>): Promise<void> {
                const values: Record<string, { value: string; secret?: boolean }> = {};
                for (const [k, v] of Object.entries(cfg)) values[k] = { value: typeof v === "string" ? v : JSON.stringify(v) };
                for (const id of CLUSTERS)
                    values[`${PROJECT}:kubeconfig-${id}`] = {
                        value: rotated ? h.rotatedKubeconfig(id) : h.api(id).kubeconfig(),
                        secret: true,
                    };
                values[`${PROJECT}:asmKubeconfig`] = {
                    value: rotated ? h.rotatedKubeconfig(CONTROL_PLANE) : h.api(CONTROL_PLANE).kubeconfig(),
                    secret: true,
                };
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
                const deployed = (state.resources ?? [])
                    .filter((r) => r.type.startsWith("kubernetes:"))
                    .map((r) => `${r.type} ${resourceName(r.urn)}`)
                    .sort();
                expect(deployed).to.deep.equal(planned.map((r) => `${r.type} ${r.name}`).sort());
            }

            /** The uid of every planned object, live: unchanged uids mean nothing was replaced. */
            async function liveUids(planned: PlannedResource[]): Promise<Record<string, string>> {
                const out: Record<string, string> = {};
                for (const r of planned) {
                    const { apiVersion, kind, metadata } = r.inputs;
                    const live = await apiFor(r).get(apiVersion, kind, metadata.name, metadata.namespace);
                    out[`${r.cluster} ${kind} ${metadata.name}`] = String(live?.metadata.uid);
                }
                return out;
            }

            /** Applies `changed` (checking the preview first when asked), then no changes after and live equal to its plan. */
            async function upTo(changed: Record<string, unknown>, planDir: string): Promise<PlannedResource[]> {
                const newPlan = offlinePlan(path.join(h.dir, planDir), changed);
                await setConfig(changed);
                const result = await stack.up({ onOutput: () => undefined });
                expect(result.summary.result).to.equal("succeeded");
                await stack.preview({ expectNoChanges: true });
                await expectLiveMatchesPlan(newPlan);
                config = changed;
                plan = newPlan;
                return newPlan;
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

            it("up creates every planned object and waits until the gateways roll out", async () => {
                const result = await stack.up({ onOutput: () => undefined });
                expect(result.summary.result).to.equal("succeeded");
                expect(result.outputs.addresses?.value).to.be.an("object");
                // pulumi-kubernetes waited for each Deployment: its pods run, Ready, on kwok's nodes.
                // Under an HPA the Deployment sets no replicas: the HPA controller raises it to the minimum.
                for (const r of plan.filter((p) => p.inputs.kind === "Deployment")) {
                    const api = apiFor(r);
                    const { name, namespace } = r.inputs.metadata;
                    const hpa = plan.find(
                        (p) =>
                            p.cluster === r.cluster &&
                            p.inputs.kind === "HorizontalPodAutoscaler" &&
                            (p.inputs.spec as { scaleTargetRef: { name: string } }).scaleTargetRef.name === name,
                    );
                    const planned = (r.inputs.spec as { replicas?: number }).replicas;
                    const expected = hpa ? ((hpa.inputs.spec as { minReplicas?: number }).minReplicas ?? 1) : (planned ?? 1);
                    await eventually(
                        `${r.cluster}: Deployment ${name} has ${expected} Ready replicas`,
                        async () => {
                            const d = await api.get("apps/v1", "Deployment", name, namespace);
                            const status = d?.status as { readyReplicas?: number; updatedReplicas?: number } | undefined;
                            return (
                                (d?.spec as { replicas?: number }).replicas === expected &&
                                status?.readyReplicas === expected &&
                                status?.updatedReplicas === expected
                            );
                        },
                        120_000,
                    );
                    const pods = (await api.list("v1", "Pod", namespace)).filter(
                        (p) =>
                            ((p.metadata.ownerReferences as { kind: string }[] | undefined) ?? []).some((o) => o.kind === "ReplicaSet") &&
                            p.metadata.name.startsWith(`${name}-`) &&
                            !p.metadata.deletionTimestamp,
                    );
                    expect(pods.length, `${r.cluster}: ${name} pods`).to.equal(expected);
                    expect(
                        pods.every((p) =>
                            ((p.status as Conditions | undefined)?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True"),
                        ),
                        `${r.cluster}: ${name} pods Ready`,
                    ).to.equal(true);
                    if (expected >= 2) {
                        // The product spreads replicas over zones: kwok's nodes carry three.
                        const nodes = new Map(
                            (await api.list("v1", "Node")).map((n) => [
                                n.metadata.name,
                                (n.metadata.labels as Record<string, string>)["topology.kubernetes.io/zone"],
                            ]),
                        );
                        const zones = new Set(pods.map((p) => nodes.get((p.spec as { nodeName?: string }).nodeName ?? "")));
                        expect(zones.size, `${r.cluster}: ${name} zones`).to.be.greaterThan(1);
                        expect(
                            [...zones].every((z) => ZONES.includes(z ?? "")),
                            `${r.cluster}: ${name} zones`,
                        ).to.equal(true);
                    }
                }
            });

            it("exports each gateway's address per cluster as the cloud (or ASM) assigned it", async () => {
                const gateways = gatewaysOf(config);
                if (stackName === "asm") {
                    // ASM writes the IstioGateway's status after it is created; no await reads it
                    // on create, so a refresh brings it into the state and the next up exports it.
                    await eventually("ASM wrote every cluster's address", async () => {
                        for (const g of gateways) {
                            const live = await h
                                .api(CONTROL_PLANE)
                                .get("istio.alibabacloud.com/v1beta1", "IstioGateway", g.gatewayName ?? g.name, "istio-system");
                            const entries =
                                (live?.status as { ClusterIdGatewayAddressMap?: unknown[] } | undefined)?.ClusterIdGatewayAddressMap ?? [];
                            if (entries.length !== g.clusters.length) return false;
                        }
                        return true;
                    });
                    await stack.refresh({ onOutput: () => undefined });
                    await stack.up({ onOutput: () => undefined });
                }
                const outputs = await stack.outputs();
                const addresses = outputs.addresses.value as Record<
                    string,
                    Record<string, { serviceName: string; namespace: string; address?: string; addressKind?: string }>
                >;
                expect(Object.keys(addresses).sort()).to.deep.equal(gateways.map((g) => g.name).sort());
                let loadBalanced = 0;
                for (const g of gateways) {
                    expect(Object.keys(addresses[g.name]).sort()).to.deep.equal(g.clusters.map((c) => c.id).sort());
                    for (const c of g.clusters) {
                        const a = addresses[g.name][c.id];
                        if (g.mode === "asm") {
                            const assigned = h.assigned.get(`${c.id}/istio-system/${g.gatewayName ?? g.name}`);
                            expect(assigned?.by, `${c.id}: ASM assigned an address`).to.equal("asm");
                            expect(a, c.id).to.include({ address: assigned!.address, addressKind: assigned!.addressKind });
                            loadBalanced++;
                            continue;
                        }
                        const svc = await h.api(c.id).get("v1", "Service", a.serviceName, a.namespace);
                        const spec = svc?.spec as { type?: string; clusterIP?: string } | undefined;
                        expect(spec, `${c.id}: Service ${a.serviceName}`).to.not.equal(undefined);
                        if (spec?.type === "ClusterIP") {
                            expect(a).to.include({ address: spec.clusterIP, addressKind: "IPv4" });
                            continue;
                        }
                        const assigned = h.assigned.get(`${c.id}/${a.namespace}/${a.serviceName}`);
                        expect(assigned, `${c.id}: the cloud controller served ${a.serviceName}`).to.not.equal(undefined);
                        expect(a, c.id).to.include({ address: assigned!.address, addressKind: assigned!.addressKind });
                        loadBalanced++;
                    }
                }
                expect(loadBalanced, "load-balanced gateways checked").to.be.greaterThan(0);
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

            if (stackName === "istio") {
                it("istioctl analyze on each live cluster reports nothing docs/istioctl-analyze.md does not list, and catches a VirtualService bound to a missing gateway", async function () {
                    const { istioctl } = judgesOrSkip(this, "live istioctl analyze");
                    // What a real cluster holds besides the product's objects (the same world the
                    // offline test writes to files): the TLS Secret the user keeps, the backend
                    // Services the routes send to with pods carrying the subsets' labels, and
                    // istiod's Service and injection webhook. The harness runs no istiod, so the
                    // webhook ignores its own failure: nothing created here waits on it.
                    const plans = loadFleets(path.join(STACKS_DIR, `${stackName}.yaml`)).map((f) =>
                        renderFleet(layoutFleet(fleetSpecOf(f.name, f.args), `gateway "${f.name}"`)),
                    );
                    const standInPem = await pem(["shop.example.com", "api.example.com"]);
                    const accepted = acceptedMessages({ live: "istio" });
                    const unlisted = (messages: AnalyzerMessage[]) =>
                        messages
                            .filter((m) => m.level !== "Info" && !accepted.some((a) => a.code === m.code && a.origin.test(m.origin)))
                            .map((m) => `${m.level} [${m.code}] (${m.origin}) ${m.message}`);
                    const created = new Map<string, PlannedObject[]>();
                    try {
                        for (const id of CLUSTERS) {
                            const byKey = new Map<string, PlannedObject>();
                            for (const p of plans) {
                                const planned = p.clusters.find((c) => c.clusterId === id)?.objects ?? [];
                                for (const o of [...userWorld(p, planned, standInPem), ...istiod(p.fleet.revision)])
                                    byKey.set(`${o.kind} ${o.metadata.namespace}/${o.metadata.name}`, o);
                            }
                            const world = [...byKey.values()].map((o) =>
                                o.kind !== "MutatingWebhookConfiguration"
                                    ? o
                                    : { ...o, webhooks: (o.webhooks as object[]).map((w) => ({ ...w, failurePolicy: "Ignore" })) },
                            );
                            const api = h.api(id);
                            const fresh: PlannedObject[] = [];
                            for (const ns of namespacesOf(world)) if (!(await api.get("v1", "Namespace", ns.metadata.name))) fresh.push(ns);
                            created.set(id, [...fresh, ...world]);
                            for (const o of [...fresh, ...world]) await api.apply(o);
                        }
                        for (const id of CLUSTERS) {
                            const messages = analyzeLive(istioctl, h.api(id).kubeconfig());
                            expect(unlisted(messages), `${id}: messages not listed in docs/istioctl-analyze.md`).to.deep.equal([]);
                            // It analyzed the live gateway: the accepted EnvoyFilter note is there, and
                            // every row listed for live clusters still occurs.
                            expect(
                                messages.map((m) => `${m.code} ${m.origin}`),
                                id,
                            ).to.include.members(["IST0133 EnvoyFilter istio-system/istio-ingress-compression"]);
                            const liveOnly = accepted.filter((a) => a.live === "istio");
                            expect(
                                liveOnly
                                    .filter((a) => !messages.some((m) => m.code === a.code && a.origin.test(m.origin)))
                                    .map((a) => `${a.code} ${a.originText}`),
                                `${id}: live rows that no longer occur`,
                            ).to.deep.equal([]);
                        }
                        // A defect applied by hand: a VirtualService bound to a gateway that does not exist.
                        const stray: PlannedObject = {
                            apiVersion: "networking.istio.io/v1",
                            kind: "VirtualService",
                            metadata: { name: "e2e-stray", namespace: "istio-system" },
                            spec: {
                                hosts: ["shop.example.com"],
                                gateways: ["istio-system/no-such-gateway"],
                                http: [{ route: [{ destination: { host: "shop.apps.svc.cluster.local", port: { number: 8080 } } }] }],
                            },
                        };
                        await h.api("dp-1").apply(stray);
                        created.get("dp-1")!.push(stray);
                        const found = unlisted(analyzeLive(istioctl, h.api("dp-1").kubeconfig()));
                        expect(
                            found.some((m) => m.includes("e2e-stray") && m.includes("no-such-gateway")),
                            found.join("\n"),
                        ).to.equal(true);
                    } finally {
                        for (const [id, objects] of created) {
                            for (const o of [...objects].reverse())
                                await h.api(id).delete(o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace);
                        }
                    }
                });
            }

            if (stackName === "asm") {
                it("istioctl analyze of the mesh (control plane, every data-plane cluster as a remote) and of each data-plane cluster reports nothing docs/istioctl-analyze.md does not list, and reads the gateway pods ASM runs", async function () {
                    const { istioctl } = judgesOrSkip(this, "live istioctl analyze (asm mode)");
                    const plans = loadFleets(path.join(STACKS_DIR, `${stackName}.yaml`)).map((f) =>
                        renderFleet(layoutFleet(fleetSpecOf(f.name, f.args), `gateway "${f.name}"`)),
                    );
                    // ASM (played by the harness) renders each gateway's workload in its clusters: wait until its pods run.
                    for (const p of plans) {
                        for (const c of p.clusters) {
                            await eventually(
                                `${c.clusterId}: ASM's gateway ${p.names.workload} has a Ready pod`,
                                async () =>
                                    (await h.api(c.clusterId).list("v1", "Pod", p.namespace)).some(
                                        (pod) =>
                                            pod.metadata.name.startsWith(`${p.names.workload}-`) &&
                                            ((pod.status as Conditions | undefined)?.conditions ?? []).some(
                                                (k) => k.type === "Ready" && k.status === "True",
                                            ),
                                    ),
                                120_000,
                            );
                        }
                    }
                    // What each data-plane cluster holds besides: the TLS Secrets the user keeps and
                    // the backend Services (with pods) the control plane's routes send to. ASM's
                    // control plane keeps configuration only; Services and pods are the clusters'.
                    const standInPem = await pem(["shop.example.com", "api.example.com"]);
                    const accepted = acceptedMessages({ live: "asm" });
                    const unlisted = (messages: AnalyzerMessage[]) =>
                        messages
                            .filter((m) => m.level !== "Info" && !accepted.some((a) => a.code === m.code && a.origin.test(m.origin)))
                            .map((m) => `${m.level} [${m.code}] (${m.cluster ?? ""} ${m.origin}) ${m.message}`);
                    const created = new Map<string, PlannedObject[]>([[CONTROL_PLANE, []]]);
                    const kubeconfigs = () => CLUSTERS.map((id) => h.api(id).kubeconfig());
                    try {
                        for (const id of CLUSTERS) {
                            const byKey = new Map<string, PlannedObject>();
                            for (const p of plans) {
                                const planned = [...(p.clusters.find((c) => c.clusterId === id)?.objects ?? []), ...p.controlPlaneObjects];
                                for (const o of userWorld(p, planned, standInPem))
                                    byKey.set(`${o.kind} ${o.metadata.namespace}/${o.metadata.name}`, o);
                            }
                            const world = [...byKey.values()];
                            const api = h.api(id);
                            const fresh: PlannedObject[] = [];
                            for (const ns of namespacesOf(world)) if (!(await api.get("v1", "Namespace", ns.metadata.name))) fresh.push(ns);
                            created.set(id, [...fresh, ...world]);
                            for (const o of [...fresh, ...world]) await api.apply(o);
                        }
                        const mesh = analyzeLiveClusters(istioctl, h.api(CONTROL_PLANE).kubeconfig(), kubeconfigs());
                        expect(unlisted(mesh), "the mesh: messages not listed in docs/istioctl-analyze.md").to.deep.equal([]);
                        expect(
                            accepted
                                .filter((a) => a.live === "asm" && !mesh.some((m) => m.code === a.code && a.origin.test(m.origin)))
                                .map((a) => `${a.code} ${a.originText}`),
                            "live asm rows that no longer occur",
                        ).to.deep.equal([]);
                        // IST0170 on the gateway Service is listed because only the node ports differ
                        // (each API server allocates its own): the Services must be equal otherwise.
                        for (const m of mesh.filter((x) => x.code === "IST0170" && x.origin.startsWith(`Service ${plans[0].namespace}/`))) {
                            const [namespace, name] = m.origin.slice("Service ".length).split("/");
                            const ports = await Promise.all(
                                CLUSTERS.map(async (id) =>
                                    (
                                        (await h.api(id).get("v1", "Service", name, namespace))?.spec as { ports?: object[] } | undefined
                                    )?.ports?.map(({ nodePort: _n, ...rest }: { nodePort?: number }) => rest),
                                ),
                            );
                            expect(ports[0], `${m.origin}: ports`).to.not.equal(undefined);
                            for (const p of ports.slice(1)) expect(p, `${m.origin}: ports apart from nodePort`).to.deep.equal(ports[0]);
                        }
                        for (const id of CLUSTERS) {
                            const own = analyzeLive(istioctl, h.api(id).kubeconfig());
                            expect(unlisted(own), `${id}: messages not listed in docs/istioctl-analyze.md`).to.deep.equal([]);
                        }

                        // The analysis reads ASM's gateway pods and Services in the data-plane clusters:
                        // an Istio Gateway on the control plane selecting the gateway's labels on its
                        // port 80 is clean with the remotes, and matches no pod without them (IST0101).
                        const [p] = plans;
                        const probe: PlannedObject = {
                            apiVersion: "networking.istio.io/v1",
                            kind: "Gateway",
                            metadata: { name: "e2e-probe", namespace: p.namespace },
                            spec: {
                                selector: p.names.selector,
                                servers: [{ port: { number: 80, name: "http", protocol: "HTTP" }, hosts: ["probe.example.com"] }],
                            },
                        };
                        // A defect applied by hand: a VirtualService bound to a gateway that does not exist.
                        const stray: PlannedObject = {
                            apiVersion: "networking.istio.io/v1",
                            kind: "VirtualService",
                            metadata: { name: "e2e-stray", namespace: "istio-system" },
                            spec: {
                                hosts: ["httpbin.example.com"],
                                gateways: ["istio-system/no-such-gateway"],
                                http: [{ route: [{ destination: { host: "httpbin.default.svc.cluster.local", port: { number: 8000 } } }] }],
                            },
                        };
                        for (const o of [probe, stray]) {
                            await h.api(CONTROL_PLANE).apply(o);
                            created.get(CONTROL_PLANE)!.push(o);
                        }
                        const about = (messages: AnalyzerMessage[], origin: string) =>
                            messages.filter((m) => m.level !== "Info" && m.origin === origin).map((m) => `${m.code} ${m.message}`);
                        const withRemotes = analyzeLiveClusters(istioctl, h.api(CONTROL_PLANE).kubeconfig(), kubeconfigs());
                        expect(about(withRemotes, `Gateway ${p.namespace}/e2e-probe`), "the probe, with the remotes").to.deep.equal([]);
                        const found = unlisted(withRemotes);
                        expect(
                            found.some((m) => m.includes("e2e-stray") && m.includes("no-such-gateway")),
                            found.join("\n"),
                        ).to.equal(true);
                        const alone = analyzeLive(istioctl, h.api(CONTROL_PLANE).kubeconfig());
                        expect(
                            about(alone, `Gateway ${p.namespace}/e2e-probe`).some((m) => m.startsWith("IST0101 ")),
                            "the probe, without the remotes",
                        ).to.equal(true);
                    } finally {
                        for (const [id, objects] of created) {
                            for (const o of [...objects].reverse())
                                await h.api(id).delete(o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace);
                        }
                    }
                });
            }

            it("a rotated kubeconfig (new token, same cluster) replaces nothing", async () => {
                const before = await liveUids(plan);
                rotated = true;
                await setConfig(config);
                const steps = await previewChanges(stack);
                expect(
                    steps.filter((s) => s.type.startsWith("kubernetes:")),
                    JSON.stringify(steps),
                ).to.deep.equal([]);
                const result = await stack.up({ onOutput: () => undefined });
                expect(result.summary.result).to.equal("succeeded");
                await stack.preview({ expectNoChanges: true });
                expect(await liveUids(plan)).to.deep.equal(before);
            });

            it("an override for dp-2 changes only dp-2's objects", async () => {
                const changed = structuredClone(config) as {
                    [k: string]: { gateway: { overrides?: Record<string, Record<string, unknown>> } }[];
                };
                const gateway = changed[`${PROJECT}:gateways`][0].gateway;
                const dp2 = (gateway.overrides ??= {})["dp-2"] ?? {};
                gateway.overrides["dp-2"] = {
                    ...dp2,
                    maxReplicas: 30,
                    serviceAnnotations: { ...(dp2.serviceAnnotations as object | undefined), "e2e.mesh-gateway/changed": "yes" },
                };
                const newPlan = offlinePlan(path.join(h.dir, "plan-1"), changed);
                const before = new Map(plan.map((r) => [`${r.type} ${r.name}`, r]));
                const expectedChanges = newPlan
                    .filter(
                        (r) =>
                            differences(r.inputs, before.get(`${r.type} ${r.name}`)?.inputs).length > 0 ||
                            differences(before.get(`${r.type} ${r.name}`)?.inputs, r.inputs).length > 0,
                    )
                    .map((r) => `${r.type} ${r.name}`)
                    .sort();
                expect(expectedChanges, "the offline plan changes something").to.not.have.lengthOf(0);
                for (const key of expectedChanges) {
                    const r = newPlan.find((p) => `${p.type} ${p.name}` === key)!;
                    expect([stackName === "asm" ? CONTROL_PLANE : "dp-2"]).to.include(r.cluster);
                }

                await setConfig(changed);
                const steps = await previewChanges(stack);
                expect(
                    steps.every((s) => s.op === "update"),
                    JSON.stringify(steps),
                ).to.equal(true);
                expect(steps.map((s) => `${s.type} ${resourceName(s.urn)}`).sort()).to.deep.equal(expectedChanges);
                const uidsBefore = await liveUids(plan);
                await upTo(changed as unknown as Record<string, unknown>, "plan-1b");
                // Nothing outside the changed objects was touched, and nothing was replaced.
                expect(await liveUids(plan)).to.deep.equal(uidsBefore);
                if (stackName === "asm") {
                    // ASM (the harness) applies the override in dp-2 alone: its HPA follows, dp-1's keeps the base.
                    const g = gatewaysOf(config)[0];
                    const { workload } = workloadNames(g.gatewayName ?? g.name);
                    const maxReplicas = async (id: string) =>
                        (
                            (await h.api(id).get("autoscaling/v2", "HorizontalPodAutoscaler", workload, "istio-system"))?.spec as
                                { maxReplicas?: number } | undefined
                        )?.maxReplicas;
                    await eventually("ASM rendered dp-2's override", async () => (await maxReplicas("dp-2")) === 30);
                    expect(await maxReplicas("dp-1"), "dp-1").to.equal(
                        (config[`${PROJECT}:gateways`] as { gateway: { maxReplicas: number } }[])[0].gateway.maxReplicas,
                    );
                }
            });

            if (stackName === "istio") {
                it("the offline diff marks (!) exactly the changes that roll out a new ReplicaSet", async function () {
                    // One field at a time in dp-1's override: some restart the pods, some do not.
                    const cases: [string, Record<string, unknown>][] = [
                        ["maxReplicas", { maxReplicas: 12 }],
                        ["serviceAnnotations", { serviceAnnotations: { "e2e.mesh-gateway/note": "not a restart" } }],
                        ["resources", { resources: { limits: { cpu: "2", memory: "2Gi" }, requests: { cpu: "500m", memory: "512Mi" } } }],
                        ["cpu", { cpu: { targetAverageUtilization: 60 } }],
                        ["podLabels", { podLabels: { "e2e.mesh-gateway/rev": "2" } }],
                        ["tolerations", { tolerations: [{ key: "dedicated", operator: "Equal", value: "gateway", effect: "NoSchedule" }] }],
                    ];
                    const gatewayName = gatewaysOf(config)[0].name;
                    const deployment = plan.find(
                        (r) => r.cluster === "dp-1" && r.inputs.kind === "Deployment" && r.name.includes(gatewayName),
                    )!.inputs.metadata;
                    const seen: string[] = [];
                    for (const [i, [field, change]] of cases.entries()) {
                        const changed = structuredClone(config);
                        const gw = gatewaysOf(changed)[0].gateway;
                        gw.overrides = { ...gw.overrides, "dp-1": { ...gw.overrides?.["dp-1"], ...change } };
                        const diff = offlineDiff(path.join(h.dir, `diff-${i}`), config, changed);
                        expect([...diff.restarts.keys()], diff.text).to.deep.equal([`${gatewayName}/dp-1`]);
                        const predicted = diff.restarts.get(`${gatewayName}/dp-1`)!;
                        const before = await replicaSets(h.api("dp-1"), deployment.name, deployment.namespace!);
                        await upTo(changed, `plan-restart-${i}`);
                        const after = await replicaSets(h.api("dp-1"), deployment.name, deployment.namespace!);
                        const rolled = after.some((rs) => !before.includes(rs));
                        seen.push(`${field}: diff ${predicted ? "!" : "~"}, new ReplicaSet ${rolled ? "yes" : "no"}`);
                    }
                    expect(seen).to.deep.equal(
                        cases.map(([field]) => {
                            const restarts = ["resources", "podLabels", "tolerations"].includes(field);
                            return `${field}: diff ${restarts ? "!" : "~"}, new ReplicaSet ${restarts ? "yes" : "no"}`;
                        }),
                    );
                });

                it("an API server stopped mid-up leaves the other cluster deployed; the next up converges", async function () {
                    // A change to both clusters' HPAs (each cluster's override: dp-1's already sets
                    // its own target); dp-2's API server stops as soon as the engine starts.
                    // `continueOnError` as a user of a fleet would run it: one cluster's failure
                    // must not hold back the others.
                    const changed = structuredClone(config);
                    const gw = gatewaysOf(changed)[0].gateway;
                    const before = new Map<string, number | undefined>();
                    for (const id of CLUSTERS)
                        gw.overrides = { ...gw.overrides, [id]: { ...gw.overrides?.[id], cpu: { targetAverageUtilization: 75 } } };
                    const newPlan = offlinePlan(path.join(h.dir, "plan-partial"), changed);
                    const hpas = newPlan.filter(
                        (r) => r.inputs.kind === "HorizontalPodAutoscaler" && r.name.includes(gatewaysOf(config)[0].name),
                    );
                    expect(hpas.map((r) => r.cluster).sort()).to.deep.equal(CLUSTERS);
                    const utilization = async (r: PlannedResource) => {
                        const live = await apiFor(r).get(
                            "autoscaling/v2",
                            "HorizontalPodAutoscaler",
                            r.inputs.metadata.name,
                            r.inputs.metadata.namespace,
                        );
                        return ((live?.spec as { metrics?: { resource?: { target?: { averageUtilization?: number } } }[] }).metrics ??
                            [])[0]?.resource?.target?.averageUtilization;
                    };
                    for (const r of hpas) before.set(r.cluster!, await utilization(r));
                    expect([...before.values()], "the change is a change").to.not.include(75);
                    const uidsBefore = await liveUids(plan);
                    await setConfig(changed);
                    let stopping: Promise<void> | undefined;
                    let failed: unknown;
                    try {
                        await stack.up({
                            onOutput: () => undefined,
                            continueOnError: true,
                            onEvent: (e: EngineEvent) => {
                                if (!stopping && e.preludeEvent) stopping = h.stopApiServer("dp-2");
                            },
                        });
                    } catch (e) {
                        failed = e;
                    } finally {
                        await stopping;
                        await h.startApiServer("dp-2");
                    }
                    expect(failed, "up fails while dp-2 is unreachable").to.not.equal(undefined);
                    expect(await utilization(hpas.find((r) => r.cluster === "dp-1")!), "dp-1 is updated").to.equal(75);
                    expect(await utilization(hpas.find((r) => r.cluster === "dp-2")!), "dp-2 is as it was").to.equal(before.get("dp-2"));
                    await upTo(changed, "plan-partial-2");
                    expect(await liveUids(plan), "nothing lost or replaced").to.deep.equal(uidsBefore);
                });
            }

            it("destroy removes every object, and the controllers remove the pods", async () => {
                const result = await stack.destroy({ onOutput: () => undefined });
                expect(result.summary.result).to.equal("succeeded");
                const left: string[] = [];
                for (const r of plan) {
                    const { apiVersion, kind, metadata } = r.inputs;
                    if (await apiFor(r).get(apiVersion, kind, metadata.name, metadata.namespace))
                        left.push(`${r.cluster}: ${kind} ${metadata.name}`);
                }
                expect(left).to.deep.equal([]);
                const state = (await stack.exportStack()).deployment as { resources?: unknown[] };
                expect(state.resources ?? []).to.deep.equal([]);
                for (const id of CLUSTERS) {
                    await eventually(
                        `${id}: no ReplicaSet or Pod left in istio-system`,
                        async () =>
                            (await h.api(id).list("apps/v1", "ReplicaSet", "istio-system")).length === 0 &&
                            (await h.api(id).list("v1", "Pod", "istio-system")).length === 0,
                    );
                }
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
            const project = YAML.parse(fs.readFileSync(path.join(REPO_DIR, "tests", "e2e", "yaml", "Pulumi.yaml"), "utf8")) as {
                plugins: { providers: { path: string }[] };
            };
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
            for (const [id, maxReplicas] of [
                ["dp-1", 3],
                ["dp-2", 5],
            ] as const) {
                const deployment = await h.api(id).get("apps/v1", "Deployment", "istio-yaml-ingress", "istio-system");
                // The int-or-string field arrives as the string "1" and reaches Kubernetes as a count.
                expect(
                    (deployment?.spec as { strategy?: { rollingUpdate?: unknown } } | undefined)?.strategy?.rollingUpdate,
                    id,
                ).to.deep.equal({ maxSurge: 1, maxUnavailable: "0%" });
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
