#!/usr/bin/env node
// mesh-gateway: the offline plan and config diff, from the command line.
// First: it sets V8 flags that only apply to code compiled after it.
import "./shortRun";
import { readPlanFiles } from "../components/planFiles";
import * as fs from "fs";
import { Command, InvalidArgumentError, Option } from "commander";
import { fleetSpecOf, type InstallMode } from "../core/fleet";
import { ConfigError } from "../core/errors";
import { planFleet } from "../core/plan";
import type { RoutingApi } from "../core/routing";
import type { FleetGraph } from "../offline/graph";
import { loadFleets, planOffline, summarize, writePlan } from "../offline/plan";

// Each command loads only the modules it uses (the importer, the diff, the graph renderer are
// loaded by their commands and options): every run pays for what it loads (docs/benchmarks.md,
// "Start-up cost").
const graphModule = () => import("../offline/graph");

// The SDK captures a stack trace for every promise it tracks; the CLI never shows them, and
// capturing them is most of the SDK's cost per resource (measured: docs/benchmarks.md, --no-stacks).
Error.stackTraceLimit = 0;

/** `--graph FILE`: the picture's format comes from the extension, checked before anything is planned. */
function graphFile(file: string): string {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- an option's parser is synchronous; loaded only when --graph is given
    const { graphFormatOf } = require("../offline/graph") as typeof import("../offline/graph");
    if (graphFormatOf(file) === undefined) throw new InvalidArgumentError("the file name must end in .svg, .png or .dot");
    return file;
}

async function writeGraph(graph: FleetGraph, file: string): Promise<void> {
    const { graphFormatOf, renderGraph } = await graphModule();
    fs.writeFileSync(file, await renderGraph(graph, graphFormatOf(file)!));
    process.stdout.write(`drew the fleet in ${file}\n`);
}

const program = new Command()
    .name("mesh-gateway")
    .description("Plan Istio and ASM gateway fleets offline, and see what a config change does.")
    .showHelpAfterError();

program
    .command("plan")
    .description("show what `pulumi up` would register for a fleet config, stack config or IstioGateway manifests")
    .argument("<file>", "fleet config YAML, Pulumi.<stack>.yaml, or IstioGateway manifests")
    .option("--out <dir>", "write every Kubernetes object as YAML (a folder per cluster) and plan.json")
    .option("--graph <file>", "draw the fleet: DNS, load balancers, clusters, listeners, routes, backends (.svg, .png or .dot)", graphFile)
    .addOption(new Option("--mode <mode>", "install mode for every gateway").choices(["asm", "istio"]))
    .action(async (file: string, options: { out?: string; graph?: string; mode?: InstallMode }) => {
        const plan = await planOffline(loadFleets(file, options.mode));
        process.stdout.write(summarize(plan));
        if (options.out) {
            const written = writePlan(plan, options.out);
            process.stdout.write(`wrote ${written.length} files to ${options.out}\n`);
        }
        if (options.graph) await writeGraph((await graphModule()).buildFleetGraph(plan.fleets), options.graph);
    });

program
    .command("diff")
    .description("list, per cluster, what changes between two configs and which changes restart the gateway pods")
    .argument("<old>", "the current config")
    .argument("<new>", "the proposed config")
    .option("--graph <file>", "draw the new fleet with the changes coloured and pod restarts marked (.svg, .png or .dot)", graphFile)
    .addOption(new Option("--mode <mode>", "install mode for every gateway").choices(["asm", "istio"]))
    .action(async (oldFile: string, newFile: string, options: { graph?: string; mode?: InstallMode }) => {
        const plans = (file: string) =>
            loadFleets(file, options.mode).map((f) => {
                const spec = fleetSpecOf(f.name, f.args);
                return planFleet(spec, `gateway "${f.name}" in ${file}`, readPlanFiles(spec));
            });
        const before = plans(oldFile);
        const after = plans(newFile);
        const { diffFleets, formatDiff } = await import("../offline/diff");
        const changes = diffFleets(before, after);
        process.stdout.write(formatDiff(changes));
        if (options.graph) {
            const { buildFleetGraph, diffFleetGraphs } = await graphModule();
            await writeGraph(diffFleetGraphs(buildFleetGraph(before), buildFleetGraph(after), changes), options.graph);
        }
    });

program
    .command("import")
    .description(
        "turn Ingress objects (NGINX Ingress Controller) or Istio Gateway/VirtualService/DestinationRule objects into a fleet config",
    )
    .argument("<files...>", "Kubernetes YAML files, or - for standard input")
    .addOption(new Option("--api <api>", "routing API of the fleet config").choices(["istio", "gateway-api"]).default("istio"))
    .option("--out <file>", "write the fleet config here instead of standard output")
    .option("--name <name>", "gateway name", "ingress")
    .addOption(new Option("--mode <mode>", "install mode").choices(["asm", "istio"]).default("istio"))
    .option("--cluster <id...>", "cluster ids of the fleet (default: cluster-1, to be edited)")
    .action(async (files: string[], options: { api: RoutingApi; out?: string; name: string; mode: InstallMode; cluster?: string[] }) => {
        const { formatConfig, formatReport, importObjects, parseInputs } = await import("../import");
        const inputs = files.map((f) => ({ name: f === "-" ? "stdin" : f, text: fs.readFileSync(f === "-" ? 0 : f, "utf8") }));
        const result = importObjects(parseInputs(inputs), {
            api: options.api,
            name: options.name,
            mode: options.mode,
            clusters: options.cluster,
        });
        const yaml = formatConfig(
            result,
            inputs.map((i) => i.name),
        );
        if (options.out) fs.writeFileSync(options.out, yaml);
        else process.stdout.write(yaml);
        process.stderr.write(formatReport(result));
        if (options.out) process.stderr.write(`wrote ${options.out}\n`);
        // A CI job notices a setting that did not come across.
        if (result.dropped.length > 0) process.exitCode = 3;
    });

/**
 * Ends the process once what it wrote to stdout and stderr has been handed to the OS (a pipe is
 * written asynchronously on some platforms), instead of letting Node return from its event loop
 * and V8 free its heap page by page: after a plan that teardown alone cost ~0.1 s of CPU
 * (docs/benchmarks.md, "Start-up cost"). The command is done by then; nothing is left to run.
 */
function exitWhenFlushed(code: number): void {
    let pending = 2;
    const flushed = () => {
        if (--pending === 0) process.exit(code);
    };
    process.stdout.write("", flushed);
    process.stderr.write("", flushed);
}

program.parseAsync(process.argv).then(
    () => exitWhenFlushed(Number(process.exitCode ?? 0)),
    (e: unknown) => {
        if (e instanceof ConfigError) {
            process.stderr.write(`mesh-gateway: ${e.message}\n`);
            return exitWhenFlushed(2);
        }
        const err = e as NodeJS.ErrnoException;
        process.stderr.write(`mesh-gateway: ${err.code === "ENOENT" ? `no such file: ${err.path}` : err.message}\n`);
        exitWhenFlushed(1);
    },
);
