// What a CLI run pays for before it does anything: every run loads and compiles what it imports,
// so the plan loads only what it uses and skips work that only pays off in a long-running process
// (docs/benchmarks.md, "Start-up cost"; `npm run bench:startup` measures the CPU time).
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as nodeModule from "module";
import * as os from "os";
import * as path from "path";

const ROOT = path.join(__dirname, "..", "..");
const CLI = path.join(ROOT, "bin", "cli", "main.js");
const HOOK = path.join(__dirname, "support", "loadedModules.js");

describe("a CLI run's start-up", () => {
    it("plans without the protobuf runtime when no descriptor set is given, and without V8's optimizing compiler", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mesh-gateway-startup-"));
        const modules = path.join(dir, "modules.json");
        // No routing.grpcTranscoding in this example; V8 prints each function TurboFan compiled.
        const r = spawnSync(
            process.execPath,
            ["--trace-opt", "-r", HOOK, CLI, "plan", path.join("examples", "asm-ingress-two-clusters", "Pulumi.dev.yaml")],
            { cwd: ROOT, encoding: "utf8", env: { ...process.env, MESH_GATEWAY_LOADED_MODULES: modules } },
        );
        expect(r.status, r.stderr).to.equal(0);
        expect(r.stdout).to.match(/\d+ resources:/);
        expect(r.stdout).to.not.match(/target TURBOFAN/);
        const loaded = JSON.parse(fs.readFileSync(modules, "utf8")) as string[];
        expect(loaded.some((f) => f.includes(`${path.sep}bin${path.sep}offline${path.sep}engine.js`))).to.equal(true);
        expect(loaded.filter((f) => f.includes(`node_modules${path.sep}@bufbuild${path.sep}`))).to.deep.equal([]);
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("keeps compiled code in Node's compile cache where Node has one (22.1+), under the temporary directory", function () {
        // Node 20 has no compile cache: there the CLI runs without one (cli/shortRun.ts).
        if (typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache !== "function") this.skip();
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mesh-gateway-startup-"));
        const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp };
        delete env.NODE_COMPILE_CACHE;
        delete env.NODE_DISABLE_COMPILE_CACHE;
        const plan = () =>
            spawnSync(process.execPath, [CLI, "plan", path.join("examples", "asm-ingress-two-clusters", "Pulumi.dev.yaml")], {
                cwd: ROOT,
                encoding: "utf8",
                env,
            });
        const first = plan();
        expect(first.status, first.stderr).to.equal(0);
        const cache = path.join(tmp, "node-compile-cache");
        const entries = fs.readdirSync(cache, { recursive: true }).length;
        expect(entries).to.be.greaterThan(100); // the SDKs' modules and the package's
        // A second run reads the cache and plans the same.
        const second = plan();
        expect(second.status, second.stderr).to.equal(0);
        expect(second.stdout).to.equal(first.stdout);
        // NODE_DISABLE_COMPILE_CACHE=1 is honoured: nothing is written.
        fs.rmSync(cache, { recursive: true, force: true });
        const off = spawnSync(process.execPath, [CLI, "plan", path.join("examples", "asm-ingress-two-clusters", "Pulumi.dev.yaml")], {
            cwd: ROOT,
            encoding: "utf8",
            env: { ...env, NODE_DISABLE_COMPILE_CACHE: "1" },
        });
        expect(off.status, off.stderr).to.equal(0);
        expect(fs.existsSync(cache)).to.equal(false);
        fs.rmSync(tmp, { recursive: true, force: true });
    });
});
