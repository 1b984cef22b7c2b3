// `npm run bench [-- --quick] [-- --no-stacks] [-- --profile] [-- --repeat N]`
// Plans the bench fleet at several sizes, each in a fresh child process, against the in-process
// engine, next to a floor that registers as many resources with inputs of the same sizes.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { InstallMode } from "../core/fleet";
import type { Job, Result } from "./child";
import { ROUTES_SCALE } from "./fleets";

interface Options {
    quick: boolean;
    stackTraceLimit?: number;
    profileDir?: string;
    repeat: number;
    modes: InstallMode[];
}

function parseArgs(argv: string[]): Options {
    const opts: Options = { quick: false, repeat: 1, modes: ["istio", "asm"] };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--quick") opts.quick = true;
        else if (a === "--no-stacks") opts.stackTraceLimit = 0;
        else if (a === "--profile") opts.profileDir = path.resolve("bench-profiles");
        else if (a === "--repeat") opts.repeat = Number(argv[++i]);
        else if (a === "--mode") opts.modes = [argv[++i] as InstallMode];
        else throw new Error(`unknown option ${a}`);
    }
    return opts;
}

const CHILD = path.join(__dirname, "child.js");

function runChild(job: Job, opts: Options, tag: string): Result {
    const nodeArgs = opts.profileDir ? ["--cpu-prof", "--cpu-prof-dir", opts.profileDir, "--cpu-prof-name", `${tag}.cpuprofile`] : [];
    const out = execFileSync(process.execPath, [...nodeArgs, CHILD, JSON.stringify(job)], { encoding: "utf8", maxBuffer: 64 << 20 });
    return JSON.parse(out.trim().split("\n").pop()!) as Result;
}

/** Median by runMs of `n` runs (fresh process each). */
function measure(job: Job, opts: Options, tag: string): Result {
    const runs = Array.from({ length: opts.repeat }, (_, i) => runChild(job, opts, `${tag}-${i}`));
    runs.sort((a, b) => a.runMs - b.runMs);
    return runs[Math.floor(runs.length / 2)];
}

const pad = (s: string | number, n: number) => String(s).padStart(n);
const f1 = (x: number) => x.toFixed(1);
const f2 = (x: number) => x.toFixed(2);

function main(): void {
    const opts = parseArgs(process.argv.slice(2));
    const clusterSizes = opts.quick ? [1, 10] : [1, 10, 50, 100];
    const routeSizes = opts.quick ? [10] : [10, 100, 500];
    if (opts.profileDir) fs.mkdirSync(opts.profileDir, { recursive: true });
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mesh-gateway-bench-"));

    console.log(`mesh-gateway bench — node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"})`);
    console.log(
        `Error.stackTraceLimit: ${opts.stackTraceLimit ?? "node default (10)"}; median of ${opts.repeat} run(s) per cell; each cell a fresh process`,
    );
    if (!ROUTES_SCALE)
        console.log("NOTE: routes are not in the gateway spec yet — the routes column scales nothing (same fleet for every routes value).");
    console.log(
        "ms = program start to every registration answered (excludes module load and +ajv, the one-time compile of the fleet schema validator)",
    );
    console.log("peakMB = maxRSS of the child (getrusage); ΔrssMB = sampled RSS peak during the run minus RSS before it");
    console.log("ratio = component ms / floor ms; +ajv = (component ms + ajv compile) / floor ms; memR = peakMB component / floor");
    console.log(
        "floor = as many k8s ConfigMaps with inputs of the same serialized sizes (a flat string blob), same engine, same process setup",
    );
    console.log(
        "deep = floor-deep: the component's recorded input objects (same nesting) registered as plain CustomResources, no parent/provider; ratioD = ms / deep ms",
    );
    console.log(
        "strc = floor-struct: the same input objects under a component parent and one k8s Provider per cluster, none of the component's code; ratioS = ms / strc ms\n",
    );

    const header =
        `${pad("mode", 5)} ${pad("clusters", 8)} ${pad("routes", 6)} ${pad("res", 5)} ${pad("inKB", 6)} ${pad("ms", 8)} ${pad("ms/res", 7)} ${pad("+ajv", 5)} ${pad("peakMB", 7)} ${pad("ΔrssMB", 7)}` +
        ` | ${pad("floor ms", 8)} ${pad("ms/res", 7)} ${pad("peakMB", 7)} | ${pad("ratio", 5)} ${pad("+ajv", 5)} ${pad("memR", 5)} | ${pad("deep ms", 7)} ${pad("ratioD", 6)} ${pad("strc ms", 7)} ${pad("ratioS", 6)} | ${pad("load ms", 7)} | critical path`;
    const rows: { mode: InstallMode; clusters: number; routes: number; c: Result; f: Result; d: Result; st: Result }[] = [];
    for (const mode of opts.modes) {
        console.log(header);
        for (const clusters of clusterSizes) {
            for (const routes of routeSizes) {
                const tag = `${mode}-${clusters}c-${routes}r`;
                const sizesFile = path.join(tmp, `${tag}.json`);
                const base = { mode, clusters, routes, stackTraceLimit: opts.stackTraceLimit };
                const inputsFile = path.join(tmp, `${tag}.inputs.json`);
                const c = measure({ ...base, kind: "component", writeSizes: sizesFile, inputsFile }, opts, `${tag}-component`);
                const f = measure({ ...base, kind: "floor", sizesFile }, opts, `${tag}-floor`);
                const d = measure({ ...base, kind: "floor-deep", inputsFile }, opts, `${tag}-floor-deep`);
                const st = measure({ ...base, kind: "floor-struct", inputsFile }, opts, `${tag}-floor-struct`);
                rows.push({ mode, clusters, routes, c, f, d, st });
                const crit = c.critical!;
                console.log(
                    `${pad(mode, 5)} ${pad(clusters, 8)} ${pad(routes, 6)} ${pad(c.resources, 5)} ${pad(f1(c.inputBytes / 1024), 6)} ${pad(f1(c.runMs), 8)} ${pad(f2(c.runMs / c.resources), 7)} ${pad(c.compileMs.toFixed(0), 5)} ${pad(f1(c.maxRssMb), 7)} ${pad(f1(c.rssPeakSampledMb - c.rssBeforeMb), 7)}` +
                        ` | ${pad(f1(f.runMs), 8)} ${pad(f2(f.runMs / f.resources), 7)} ${pad(f1(f.maxRssMb), 7)} | ${pad(f2(c.runMs / f.runMs), 5)} ${pad(f2((c.runMs + c.compileMs) / f.runMs), 5)} ${pad(f2(c.maxRssMb / f.maxRssMb), 5)} | ${pad(f1(d.runMs), 7)} ${pad(f2(c.runMs / d.runMs), 6)} ${pad(f1(st.runMs), 7)} ${pad(f2(c.runMs / st.runMs), 6)} | ${pad(f1(c.loadMs), 7)} | ${crit.length}: ${crit.types.join(" → ")}${crit.dangling ? ` (${crit.dangling} dangling edges)` : ""}`,
                );
            }
        }
        console.log("");
    }

    // While routes scale nothing the routes columns are the same fleet: their median is a steadier figure.
    console.log(
        ROUTES_SCALE
            ? "per fleet size, median over the routes columns:"
            : "per fleet size, median over the routes columns (the same fleet while routes scale nothing):",
    );
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    for (const mode of opts.modes) {
        for (const clusters of clusterSizes) {
            const cell = rows.filter((r) => r.mode === mode && r.clusters === clusters);
            const [c, f, d, st] = [
                cell.map((r) => r.c.runMs),
                cell.map((r) => r.f.runMs),
                cell.map((r) => r.d.runMs),
                cell.map((r) => r.st.runMs),
            ].map(median);
            const res = cell[0].c.resources;
            console.log(
                `  ${pad(mode, 5)} ${pad(clusters, 4)} clusters ${pad(res, 4)} res: component ${pad(c.toFixed(0), 6)} ms (${f2(c / res)}/res)` +
                    ` floor ${pad(f.toFixed(0), 6)} deep ${pad(d.toFixed(0), 6)} struct ${pad(st.toFixed(0), 6)} | ratio ${f2(c / f)} vs deep ${f2(c / d)} vs struct ${f2(c / st)}` +
                    ` | peak ${median(cell.map((r) => r.c.maxRssMb)).toFixed(0)}/${median(cell.map((r) => r.f.maxRssMb)).toFixed(0)} MB`,
            );
        }
    }

    // Growth: time per resource as the fleet grows (first routes value, so routes do not blur it).
    console.log("growth (time per registered resource, component vs floor):");
    for (const mode of opts.modes) {
        const line = rows
            .filter((r) => r.mode === mode && r.routes === routeSizes[0])
            .map((r) => `${r.clusters}c ${f2(r.c.runMs / r.c.resources)}/${f2(r.f.runMs / r.f.resources)}/${f2(r.d.runMs / r.d.resources)}`)
            .join("   ");
        console.log(`  ${pad(mode, 5)}: ${line}  (ms/res component/floor/deep)`);
    }
    const paths = new Map(opts.modes.map((m) => [m, new Set(rows.filter((r) => r.mode === m).map((r) => r.c.critical!.length))]));
    for (const [m, lengths] of paths)
        console.log(
            `critical path length, ${m}: ${[...lengths].join(", ")}${lengths.size === 1 ? " (same at every size)" : " (VARIES with size)"}`,
        );
    const worst = rows.reduce((a, b) => (b.c.runMs / b.f.runMs > a.c.runMs / a.f.runMs ? b : a));
    console.log(`worst time ratio: ${f2(worst.c.runMs / worst.f.runMs)} (${worst.mode}, ${worst.clusters} clusters) — target ≤ 1.5`);
    const worstS = rows.reduce((a, b) => (b.c.runMs / b.st.runMs > a.c.runMs / a.st.runMs ? b : a));
    console.log(`worst time ratio vs struct floor: ${f2(worstS.c.runMs / worstS.st.runMs)} (${worstS.mode}, ${worstS.clusters} clusters)`);
    const worstD = rows.reduce((a, b) => (b.c.runMs / b.d.runMs > a.c.runMs / a.d.runMs ? b : a));
    console.log(`worst time ratio vs deep floor: ${f2(worstD.c.runMs / worstD.d.runMs)} (${worstD.mode}, ${worstD.clusters} clusters)`);
    if (opts.profileDir) console.log(`CPU profiles in ${opts.profileDir}`);
    fs.rmSync(tmp, { recursive: true, force: true });
}

main();
