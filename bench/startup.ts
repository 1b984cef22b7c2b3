// `npm run bench:startup`: the fixed cost every user pays per run. CPU time (user + sys) of the
// quickstart's `mesh-gateway plan` (what `npm start` runs) next to a bare Node process that only
// loads @pulumi/pulumi, @pulumi/kubernetes and @pulumi/alicloud: whole processes, alternating,
// medians of seven (`--runs N` to change). Target: ratio ≤ 1.25. The CLI turns V8's optimizing
// compiler off for its short run (cli/shortRun.ts); a third process, the bare load with the same
// flag, shows that the ratio does not come from making the SDKs' own load cheaper.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");

/** CPU seconds (user + sys) of one whole process, from bash's `times` (children's line). */
function cpuSeconds(command: string): number {
    const out = execFileSync("bash", ["-c", `${command} >/dev/null; times`], { cwd: ROOT, encoding: "utf8" });
    const children = out.trim().split("\n").pop()!;
    const seconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
    if (seconds.length !== 2) throw new Error(`unexpected \`times\` output: ${children}`);
    return seconds[0] + seconds[1];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function measureStartup(runs: number): { bare: number; plan: number; ratio: number; bareSameFlags: number } {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "mesh-gateway-startup-"));
    const node = JSON.stringify(process.execPath);
    const load = `-e 'require("@pulumi/pulumi"); require("@pulumi/kubernetes"); require("@pulumi/alicloud")'`;
    const bare = `${node} ${load}`;
    const bareSameFlags = `${node} --no-turbofan ${load}`;
    const plan = `${node} bin/cli/main.js plan examples/istio-ingress-two-clusters/Pulumi.dev.yaml --out ${JSON.stringify(out)}`;
    const b: number[] = [];
    const p: number[] = [];
    const f: number[] = [];
    try {
        cpuSeconds(bare); // warms the file cache for both
        for (let i = 0; i < runs; i++) {
            b.push(cpuSeconds(bare));
            p.push(cpuSeconds(plan));
            f.push(cpuSeconds(bareSameFlags));
        }
    } finally {
        fs.rmSync(out, { recursive: true, force: true });
    }
    return { bare: median(b), plan: median(p), ratio: median(p) / median(b), bareSameFlags: median(f) };
}

if (require.main === module) {
    const i = process.argv.indexOf("--runs");
    const runs = i > 0 ? Number(process.argv[i + 1]) : 7;
    const r = measureStartup(runs);
    process.stdout.write(`bare load of the three SDKs: ${r.bare.toFixed(2)} s CPU (median of ${runs})\n`);
    process.stdout.write(`mesh-gateway plan (quickstart): ${r.plan.toFixed(2)} s CPU (median of ${runs})\n`);
    process.stdout.write(`ratio: ${r.ratio.toFixed(2)} (target ≤ 1.25)\n`);
    process.stdout.write(
        `bare load with V8's optimizing compiler off, as the CLI runs: ${r.bareSameFlags.toFixed(2)} s CPU; ratio ${(r.plan / r.bareSameFlags).toFixed(2)}\n`,
    );
    process.stdout.write(
        `load average: ${os
            .loadavg()
            .map((l) => l.toFixed(1))
            .join(" ")}\n`,
    );
}
