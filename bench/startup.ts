// `npm run bench:startup`: the fixed cost every user pays per run. CPU time (user + sys) of the
// quickstart's `mesh-gateway plan` (what `npm start` runs) next to a bare Node process that only
// loads @pulumi/pulumi, @pulumi/kubernetes and @pulumi/alicloud: whole processes, medians of seven
// rounds (`--runs N`), the order of the processes rotated every round so that none always runs
// first after a pause. Target: ratio ≤ 1.25.
//
// Two more processes show where the ratio comes from (cli/shortRun.ts): the bare load with V8's
// optimizing compiler off, as the CLI runs; and, where Node has a compile cache (22.1+) and so the
// CLI uses one, the bare load with a warm cache too, which leaves only the plan's own work in the
// ratio. `--node PATH` measures under another Node binary (users run 22 and 24).
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs } from "util";

const ROOT = path.resolve(__dirname, "..", "..");

/** CPU seconds (user + sys) of one whole process, from bash's `times` (children's line). */
function cpuSeconds(command: string, env: NodeJS.ProcessEnv): number {
    const out = execFileSync("bash", ["-c", `${command} >/dev/null; times`], { cwd: ROOT, encoding: "utf8", env });
    const children = out.trim().split("\n").pop()!;
    const seconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
    if (seconds.length !== 2) throw new Error(`unexpected \`times\` output: ${children}`);
    return seconds[0] + seconds[1];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export interface StartupFigures {
    node: string;
    /** CPU s, medians: the bare SDK load, the plan, the bare load with the CLI's V8 flag. */
    bare: number;
    plan: number;
    bareSameFlags: number;
    /** The bare load with a warm compile cache, where the Node binary has one. */
    bareCompileCache?: number;
    ratio: number;
}

/** Whether a Node binary has `module.enableCompileCache` (Node 22.1+), so the CLI uses a compile cache. */
function hasCompileCache(node: string): boolean {
    return execFileSync(node, ["-p", "typeof require('module').enableCompileCache"], { encoding: "utf8" }).trim() === "function";
}

export function measureStartup(runs: number, node: string = process.execPath): StartupFigures {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "mesh-gateway-startup-"));
    const quoted = JSON.stringify(node);
    const load = `-e 'require("@pulumi/pulumi"); require("@pulumi/kubernetes"); require("@pulumi/alicloud")'`;
    // Each process's environment: no inherited cache settings, and the plan's and the cached bare
    // load's compile caches in directories of their own, warmed by the first round.
    const base = { ...process.env };
    delete base.NODE_COMPILE_CACHE;
    delete base.NODE_DISABLE_COMPILE_CACHE;
    const processes: { name: keyof StartupFigures; command: string; env: NodeJS.ProcessEnv }[] = [
        { name: "bare", command: `${quoted} ${load}`, env: { ...base, NODE_DISABLE_COMPILE_CACHE: "1" } },
        {
            name: "plan",
            command: `${quoted} bin/cli/main.js plan examples/istio-ingress-two-clusters/Pulumi.dev.yaml --out ${JSON.stringify(path.join(work, "out"))}`,
            env: { ...base, NODE_COMPILE_CACHE: path.join(work, "plan-cache") },
        },
        { name: "bareSameFlags", command: `${quoted} --no-turbofan ${load}`, env: { ...base, NODE_DISABLE_COMPILE_CACHE: "1" } },
    ];
    if (hasCompileCache(node)) {
        processes.push({
            name: "bareCompileCache",
            command: `${quoted} ${load}`,
            env: { ...base, NODE_COMPILE_CACHE: path.join(work, "bare-cache") },
        });
    }
    const samples = new Map<string, number[]>(processes.map((p) => [p.name, []]));
    try {
        for (const p of processes) cpuSeconds(p.command, p.env); // the file cache and the compile caches
        for (let i = 0; i < runs; i++) {
            for (let j = 0; j < processes.length; j++) {
                const p = processes[(i + j) % processes.length];
                samples.get(p.name)!.push(cpuSeconds(p.command, p.env));
            }
        }
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
    const m = (name: string) => (samples.has(name) ? median(samples.get(name)!) : undefined);
    const version = execFileSync(node, ["--version"], { encoding: "utf8" }).trim();
    return {
        node: version,
        bare: m("bare")!,
        plan: m("plan")!,
        bareSameFlags: m("bareSameFlags")!,
        bareCompileCache: m("bareCompileCache"),
        ratio: m("plan")! / m("bare")!,
    };
}

if (require.main === module) {
    const { values } = parseArgs({ options: { runs: { type: "string", default: "7" }, node: { type: "string" } } });
    const runs = Number(values.runs);
    const r = measureStartup(runs, values.node);
    const out = (line: string) => process.stdout.write(`${line}\n`);
    out(`Node ${r.node}, medians of ${runs} rounds, CPU s (user + sys)`);
    out(`bare load of the three SDKs: ${r.bare.toFixed(2)}`);
    out(`mesh-gateway plan (quickstart): ${r.plan.toFixed(2)}`);
    out(`ratio: ${r.ratio.toFixed(2)} (target ≤ 1.25)`);
    out(
        `bare load with V8's optimizing compiler off, as the CLI runs: ${r.bareSameFlags.toFixed(2)}; ratio ${(r.plan / r.bareSameFlags).toFixed(2)}`,
    );
    if (r.bareCompileCache !== undefined) {
        out(
            `bare load with a warm compile cache, as the CLI runs: ${r.bareCompileCache.toFixed(2)}; ratio ${(r.plan / r.bareCompileCache).toFixed(2)}`,
        );
    } else {
        out("this Node has no compile cache (Node 22.1+ has), so the CLI runs without one");
    }
    out(
        `load average: ${os
            .loadavg()
            .map((l) => l.toFixed(1))
            .join(" ")}`,
    );
}
