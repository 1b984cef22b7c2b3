// Publishable: `npm pack` gives a package a stranger installs from the tarball into a fresh
// project outside the repository, type-checks against (`import { MeshGateway } from
// "mesh-gateway"`), and runs: the program's own offline plan and the package's CLI.
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_DIR } from "./harness";

const CONSUMER_DIR = path.join(REPO_DIR, "tests", "e2e", "pack-consumer");

describe("e2e: the packed package in a fresh project", function () {
    this.timeout(10 * 60_000);
    let dir: string;
    let files: string[];

    before(function () {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "mesh-gateway-consumer-"));
        const packed = JSON.parse(
            execFileSync("npm", ["pack", "--json", "--pack-destination", dir], { cwd: REPO_DIR, encoding: "utf8" }),
        ) as { filename: string; files: { path: string }[] }[];
        files = packed[0].files.map((f) => f.path);
        for (const f of ["index.ts", "fleet.yaml", "tsconfig.json"]) fs.copyFileSync(path.join(CONSUMER_DIR, f), path.join(dir, f));
        const own = JSON.parse(fs.readFileSync(path.join(REPO_DIR, "package.json"), "utf8")) as { devDependencies: Record<string, string> };
        fs.writeFileSync(
            path.join(dir, "package.json"),
            JSON.stringify(
                {
                    name: "consumer",
                    private: true,
                    version: "1.0.0",
                    dependencies: { "mesh-gateway": `file:./${packed[0].filename}` },
                    devDependencies: { typescript: own.devDependencies.typescript, "@types/node": own.devDependencies["@types/node"] },
                },
                null,
                2,
            ),
        );
        // The dependencies come from the npm cache when `npm ci` ran here before; else the registry.
        execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], { cwd: dir, stdio: "pipe" });
    });

    after(() => {
        if (dir && !process.env.MESH_E2E_KEEP) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("ships the compiled code, its declarations and the Kubernetes schemas, and no tests", () => {
        expect(files).to.include.members([
            "package.json",
            "README.md",
            "bin/lib.js",
            "bin/lib.d.ts",
            "bin/cli/main.js",
            "bin/core/k8s-definitions.json",
        ]);
        expect(files.filter((f) => f.startsWith("bin/tests/") || f.startsWith("bin/bench/") || f.startsWith("bin/scripts/"))).to.deep.equal(
            [],
        );
    });

    it("type-checks a program that imports MeshGateway from the package, with no error in the shipped declarations", () => {
        // skipLibCheck is off in the consumer's tsconfig: the package's .d.ts files must resolve.
        execFileSync(process.execPath, [path.join(dir, "node_modules", "typescript", "bin", "tsc"), "-p", dir], {
            cwd: dir,
            encoding: "utf8",
        });
        expect(fs.existsSync(path.join(dir, "out", "index.js"))).to.equal(true);
    });

    it("runs the program's offline plan with the installed package", () => {
        const out = execFileSync(process.execPath, [path.join(dir, "out", "index.js")], { cwd: dir, encoding: "utf8" });
        expect(JSON.parse(out)).to.deep.equal({ hz: [1], sh: [3] });
    });

    it("runs the installed CLI's offline plan", () => {
        execFileSync(path.join(dir, "node_modules", ".bin", "mesh-gateway"), ["plan", "fleet.yaml", "--out", "plan-out"], {
            cwd: dir,
            encoding: "utf8",
        });
        const plan = JSON.parse(fs.readFileSync(path.join(dir, "plan-out", "plan.json"), "utf8")) as {
            resources: { type: string; cluster?: string }[];
        };
        const deployments = plan.resources
            .filter((r) => r.type === "kubernetes:apps/v1:Deployment")
            .map((r) => r.cluster)
            .sort();
        expect(deployments).to.deep.equal(["hz", "sh"]);
    });
});
