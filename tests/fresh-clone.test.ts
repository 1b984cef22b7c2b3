// A user clones the repository alone: nothing the suite reads may come from beside it.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import versions from "../versions.json";
import { GUARDS_CLONE_PARENT, outsideReads } from "./support/readGuard";
import { gatewayApiCrdFiles, istioCrdFiles, ISTIO_MODULE_VERSION } from "../scripts/upstream";

const REPO_ROOT = path.resolve(__dirname, "..", "..");

describe("a fresh clone", () => {
    it("is guarded: a read of a file beside the repository is caught and fails the run", function () {
        if (!GUARDS_CLONE_PARENT) this.skip(); // cloned straight into the temporary folder
        const beside = path.join(REPO_ROOT, "..", "shared", "crds", "istio", "crd-all.gen.yaml");
        try {
            fs.readFileSync(beside, "utf8");
        } catch {
            // absent on a user's machine; the attempt is what counts
        }
        expect([...outsideReads]).to.include(`readFileSync(${beside})`);
        outsideReads.delete(`readFileSync(${beside})`);
    });

    it("runs only what the sources compile to: the build leaves no compiled file of a deleted source in bin/", () => {
        // Generated beside the compiled sources by the build itself (scripts/gen-fleet-validator.ts).
        const generated = new Set([path.join("core", "fleetValidator.generated.js")]);
        const stale = (dir: string): string[] =>
            fs.readdirSync(path.join(REPO_ROOT, "bin", dir), { withFileTypes: true }).flatMap((e) => {
                const rel = path.join(dir, e.name);
                if (e.isDirectory()) return stale(rel);
                if (generated.has(rel)) return [];
                const source = rel.replace(/(\.d\.ts|\.js\.map|\.js)$/, ".ts");
                return fs.existsSync(path.join(REPO_ROOT, source)) ? [] : [path.join("bin", rel)];
            });
        expect(stale("")).to.deep.equal([]);
    });

    it("takes Istio's and Gateway API's CRDs from the Go modules pinned in versions.json", () => {
        expect(istioCrdFiles()[0]).to.contain(`istio.io/istio@${ISTIO_MODULE_VERSION}`);
        expect(gatewayApiCrdFiles().map((f) => path.basename(f))).to.include.members([
            "gateway.networking.k8s.io_gateways.yaml",
            "gateway.networking.k8s.io_httproutes.yaml",
            "gateway.networking.k8s.io_tcproutes.yaml",
            "gateway.networking.k8s.io_tlsroutes.yaml",
        ]);
        expect(gatewayApiCrdFiles()[0]).to.contain(`gateway-api@v${versions["gateway-api"]}`);
    });

    it("pins each upstream version once: the e2e wrapper modules agree with versions.json", () => {
        const goMod = fs.readFileSync(path.join(REPO_ROOT, "tests", "e2e", "go", "kube-apiserver", "go.mod"), "utf8");
        expect(goMod).to.match(new RegExp(`k8s\\.io/kubernetes v${versions.kubernetes.replace(/\./g, "\\.")}\\b`));
        const judges = fs.readFileSync(path.join(REPO_ROOT, "tests", "e2e", "go", "istio-judges", "go.mod"), "utf8");
        expect(judges).to.contain(`istio.io/istio ${versions.istio}`);
        expect(judges).to.contain(`helm.sh/helm/v4 v${versions.helm}`);
        const requires = (dir: string, module: string, version: string): void => {
            const mod = fs.readFileSync(path.join(REPO_ROOT, "tests", "e2e", "go", dir, "go.mod"), "utf8");
            expect(
                mod.split("\n").map((l) =>
                    l
                        .trim()
                        .replace(/^require\s+/, "")
                        .replace(/\s*\/\/.*$/, ""),
                ),
                dir,
            ).to.include(`${module} v${version}`);
        };
        requires("pulumi-kubernetes", "github.com/pulumi/pulumi-kubernetes/provider/v4", versions["pulumi-resource-kubernetes"]);
        requires("kwok", "sigs.k8s.io/kwok", versions.kwok);
        const nothingReadsShared = (dir: string): string[] =>
            fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
                const p = path.join(dir, e.name);
                if (e.isDirectory()) return ["node_modules", "bin", ".git"].includes(e.name) ? [] : nothingReadsShared(p);
                if (!/\.(ts|sh|json|ya?ml)$/.test(e.name) || p.endsWith("fresh-clone.test.ts")) return [];
                return /\.\.\/shared|MESH_GATEWAY_SHARED/.test(fs.readFileSync(p, "utf8")) ? [path.relative(REPO_ROOT, p)] : [];
            });
        expect(nothingReadsShared(REPO_ROOT)).to.deep.equal([]);
    });
});
