// One measurement in a fresh process, so peak memory belongs to one size:
//   node bin/bench/child.js '<json Job>'   → prints one JSON line (a Result).
// "component" registers a MeshGateway for the bench fleet; "floor" registers the same number of
// plain ConfigMaps whose inputs serialize to the same sizes, against the same in-process engine.
import * as fs from "fs";
import type * as K8s from "@pulumi/kubernetes";
import type * as Pulumi from "@pulumi/pulumi";
import type { InstallMode } from "../core/fleet";
import { criticalPath, type CriticalPath } from "./graph";

export interface Job {
    kind: "component" | "floor" | "floor-deep" | "floor-struct";
    mode: InstallMode;
    clusters: number;
    routes: number;
    /** floor: file with the JSON array of serialized input sizes to reproduce. */
    sizesFile?: string;
    /** component: where to write the serialized input sizes for the floor. */
    writeSizes?: string;
    /** component: where to write the recorded inputs; floor-deep: where to read them. */
    inputsFile?: string;
    /** Error.stackTraceLimit for the run (undefined: Node's default, as under `pulumi up`). */
    stackTraceLimit?: number;
}

export interface Result {
    job: Job;
    /** Time to load the modules (SDK, component), ms. */
    loadMs: number;
    /** Time from constructing the program to every registration answered, ms (validator already compiled). */
    runMs: number;
    /** Component: one-time compile of the fleet's JSON Schema validator (Ajv), paid by the first plan in a process, ms. */
    compileMs: number;
    resources: number;
    /** Sum of the serialized inputs of every registration, bytes. */
    inputBytes: number;
    rssBeforeMb: number;
    /** Highest RSS sampled during the run. */
    rssPeakSampledMb: number;
    /** Peak RSS of the whole process (getrusage), includes module loading. */
    maxRssMb: number;
    heapUsedAfterMb: number;
    critical?: CriticalPath;
}

async function main(): Promise<void> {
    const job = JSON.parse(process.argv[2]) as Job;
    if (job.stackTraceLimit !== undefined) Error.stackTraceLimit = job.stackTraceLimit;
    const t0 = performance.now();
    /* eslint-disable @typescript-eslint/no-require-imports -- loaded here, not imported, so that loadMs measures the load */
    const pulumi = require("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
    const k8s = require("@pulumi/kubernetes") as typeof import("@pulumi/kubernetes");
    const { runInProcess } = require("../offline/engine") as typeof import("../offline/engine");
    const { MeshGateway } = require("../components/meshGateway") as typeof import("../components/meshGateway");
    const { fakeCloudCall, fakeCloudState } = require("../tests/support/fleet") as typeof import("../tests/support/fleet");
    const { benchFleet } = require("./fleets") as typeof import("./fleets");
    /* eslint-enable @typescript-eslint/no-require-imports */
    const loadMs = performance.now() - t0;

    let compileMs = 0;
    let program: () => void;
    if (job.kind === "component") {
        // The first plan in a process compiles the fleet schema; measured apart, as a fixed cost.
        const { fleetValidator } = require("../core/schema") as typeof import("../core/schema"); // eslint-disable-line @typescript-eslint/no-require-imports -- loaded after the timer starts
        const tc = performance.now();
        fleetValidator();
        compileMs = performance.now() - tc;
        const { name, ...rest } = benchFleet(job.clusters, job.routes, job.mode);
        const args = { ...rest, gatewayName: name } as ConstructorParameters<typeof MeshGateway>[1];
        program = () => {
            new MeshGateway(name, args);
        };
    } else if (job.kind === "floor-struct") {
        // The same input objects with the component's structure (a component parent, one
        // Kubernetes provider per cluster) but none of its code: no planning, no address Outputs.
        const inputs = JSON.parse(fs.readFileSync(job.inputsFile!, "utf8")) as {
            urn: string;
            type: string;
            custom: boolean;
            provider?: string;
            inputs: Record<string, unknown>;
        }[];
        program = () => {
            class Plain extends pulumi.CustomResource {}
            class Parent extends pulumi.ComponentResource {}
            let parent: Pulumi.ComponentResource | undefined;
            const providers = new Map<string, Pulumi.ProviderResource>();
            inputs.forEach((r, i) => {
                if (!r.custom) parent = new Parent("bench:index:Struct", `floor-${i}`, {});
                else if (r.type === "pulumi:providers:kubernetes") {
                    providers.set(
                        r.urn,
                        new k8s.Provider(`floor-${i}`, { ...r.inputs, kubeconfig: pulumi.secret("kubeconfig") } as K8s.ProviderArgs, {
                            parent,
                        }),
                    );
                } else new Plain(r.type, `floor-${i}`, r.inputs, { parent, provider: r.provider ? providers.get(r.provider) : undefined });
            });
        };
    } else if (job.kind === "floor-deep") {
        // The very input objects the component registered (same nesting, same sizes), as plain
        // custom resources of the same types: no parent, no provider, no planning.
        const inputs = JSON.parse(fs.readFileSync(job.inputsFile!, "utf8")) as { type: string; inputs: Record<string, unknown> }[];
        program = () => {
            class Plain extends pulumi.CustomResource {}
            inputs.forEach((r, i) => {
                new Plain(r.type.startsWith("pulumi:providers:") ? "bench:index:Provider" : r.type, `floor-${i}`, r.inputs);
            });
        };
    } else {
        const sizes = JSON.parse(fs.readFileSync(job.sizesFile!, "utf8")) as number[];
        program = () => {
            sizes.forEach((size, i) => {
                const name = `floor-${i}`;
                const shell = JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data: { blob: "" } }).length;
                new k8s.core.v1.ConfigMap(name, { metadata: { name }, data: { blob: "x".repeat(Math.max(0, size - shell)) } });
            });
        };
    }

    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
    }, 2);
    const t1 = performance.now();
    const recorded = await runInProcess(program, { preview: false, state: fakeCloudState, call: fakeCloudCall });
    const runMs = performance.now() - t1;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);

    const sizes = recorded.map((r) => JSON.stringify(r.inputs).length);
    if (job.writeSizes) fs.writeFileSync(job.writeSizes, JSON.stringify(sizes));
    if (job.inputsFile && job.kind === "component")
        fs.writeFileSync(
            job.inputsFile,
            JSON.stringify(recorded.map((r) => ({ urn: r.urn, type: r.type, custom: r.custom, provider: r.provider, inputs: r.inputs }))),
        );
    const mb = (b: number) => b / 1024 / 1024;
    const result: Result = {
        job,
        loadMs,
        runMs,
        compileMs,
        resources: recorded.length,
        inputBytes: sizes.reduce((a, b) => a + b, 0),
        rssBeforeMb: mb(rssBefore),
        rssPeakSampledMb: mb(peak),
        maxRssMb: process.resourceUsage().maxRSS / 1024,
        heapUsedAfterMb: mb(process.memoryUsage().heapUsed),
        critical: job.kind === "component" ? criticalPath(recorded) : undefined,
    };
    process.stdout.write(JSON.stringify(result) + "\n");
}

main().catch((e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exit(1);
});
