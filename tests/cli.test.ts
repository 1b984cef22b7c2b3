// The CLI run as a user runs it: a child process, on the examples and on bad files.
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import YAML from "yaml";
import type { KubeObject } from "../core/render/common";
import type { PlannedResource } from "../offline/plan";
import { assertValidObjects } from "./support/schemas";

const ROOT = path.join(__dirname, "..", "..");
const CLI = path.join(ROOT, "bin", "cli", "main.js");
const EXAMPLES = ["asm-ingress-two-clusters", "istio-ingress-two-clusters", "egress-gateway"];

function cli(...args: string[]) {
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8" });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tmp(): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), "mesh-gateway-plan-"));
}

/** The written objects, read as kubectl reads them (YAML 1.1: a bare `on` is a boolean). */
function readObjects(dir: string): KubeObject[] {
    return fs
        .readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .flatMap((e) =>
            fs
                .readdirSync(path.join(dir, e.name))
                .map((f) => YAML.parse(fs.readFileSync(path.join(dir, e.name, f), "utf8"), { version: "1.1" }) as KubeObject),
        );
}

describe("mesh-gateway CLI", () => {
    for (const example of EXAMPLES) {
        it(`plans the ${example} example: summary, one folder per target, valid objects, plan.json`, () => {
            const out = tmp();
            const r = cli("plan", path.join("examples", example, "Pulumi.dev.yaml"), "--out", out);
            expect(r.code, r.stderr).to.equal(0);
            expect(r.stdout).to.match(/^gateway \S+ \((asm|istio) mode/);
            expect(r.stdout).to.match(/\d+ resources:/);
            const plan = JSON.parse(fs.readFileSync(path.join(out, "plan.json"), "utf8")) as { resources: PlannedResource[] };
            const folders = fs
                .readdirSync(out)
                .filter((f) => f !== "plan.json")
                .sort();
            const clusters = [...new Set(plan.resources.filter((x) => x.type.startsWith("kubernetes:")).map((x) => x.cluster))].sort();
            expect(folders).to.deep.equal(clusters);
            const objects = readObjects(out);
            expect(objects.length).to.equal(plan.resources.filter((x) => x.type.startsWith("kubernetes:")).length);
            assertValidObjects(objects);
            for (const res of plan.resources) {
                expect(res).to.have.keys("type", "name", "cluster", "inputs", "parent", "dependencies");
                // A `secure:` stack value is unknown offline; a cluster's objects (its provider too)
                // wait for the checks of it, so the kubeconfig is unknown then: never plain text.
                if (res.type === "pulumi:providers:kubernetes") expect(["[secret]", "[unknown]"]).to.include(res.inputs.kubeconfig);
            }
            expect(fs.readFileSync(path.join(out, "plan.json"), "utf8")).not.to.contain("placeholder-kubeconfig");
        });
    }

    it("shows the per-cluster effective settings after overrides", () => {
        const r = cli("plan", "examples/istio-ingress-two-clusters/Pulumi.dev.yaml");
        expect(r.stdout).to.contain("cluster prod-hz: LoadBalancer, HPA 2-10, status-port:15021 http2:80 https:443\n");
        expect(r.stdout).to.contain(
            "cluster prod-sh: LoadBalancer, HPA 3-20, status-port:15021 http2:80 https:443; overrides: minReplicas, maxReplicas, nodeSelector, loadBalancer, additionalLoadBalancers\n",
        );
        expect(r.stdout).to.contain(
            "    load balancer default: NLB internet ipv4 for Service istio-ingress (created, deletion protection on; ports 15021,80,443)\n",
        );
        expect(r.stdout).to.contain("     3  alicloud:slb/applicationLoadBalancer:ApplicationLoadBalancer\n");
        expect(r.stdout).to.contain("     4  kubernetes:apps/v1:Deployment\n");
        // Compression, local rate limit, gRPC-JSON transcoding and the login's header filter, in each cluster.
        expect(r.stdout).to.contain("     8  kubernetes:networking.istio.io/v1alpha3:EnvoyFilter\n");
        expect(r.stdout).to.contain(
            "  routing (istio API, namespace istio-system, in every cluster): 2 listener(s), 2 HTTP, 0 TCP, 0 TLS, 0 egress route(s)\n",
        );
    });

    it("plans IstioGateway manifests, in asm mode by default and in istio mode on request", () => {
        const manifest = path.join("tests", "fixtures", "asm-ingress-example.yaml");
        const asmDir = tmp();
        const asm = cli("plan", manifest, "--out", asmDir);
        expect(asm.code).to.equal(0);
        // Each warning once: in the summary, not echoed again by the SDK's log.
        expect((asm.stdout + asm.stderr).split("has no effect without maxReplicas").length - 1).to.equal(1);
        expect(fs.readdirSync(asmDir).sort()).to.deep.equal(["asm", "plan.json"]);
        const istioDir = tmp();
        const r = cli("plan", manifest, "--mode", "istio", "--out", istioDir);
        expect(r.code, r.stderr).to.equal(0);
        expect(fs.readdirSync(istioDir).sort()).to.deep.equal(["c8a4b2xxxxxx", "c9f3e7xxxxxx", "plan.json"]);
    });

    it("writes byte-for-byte the same plan twice", () => {
        const a = tmp();
        const b = tmp();
        cli("plan", "examples/istio-ingress-two-clusters/Pulumi.dev.yaml", "--out", a);
        cli("plan", "examples/istio-ingress-two-clusters/Pulumi.dev.yaml", "--out", b);
        const files = (d: string) => fs.readdirSync(d, { recursive: true }).map(String).sort();
        expect(files(a)).to.deep.equal(files(b));
        for (const f of files(a)) {
            if (fs.statSync(path.join(a, f)).isFile())
                expect(fs.readFileSync(path.join(a, f), "utf8"), f).to.equal(fs.readFileSync(path.join(b, f), "utf8"));
        }
    });

    it("refuses a bad file with the field path, exit code 2 and nothing written", () => {
        const dir = tmp();
        const bad = path.join(dir, "bad.yaml");
        fs.writeFileSync(
            bad,
            YAML.stringify({
                gateways: [
                    {
                        name: "edge",
                        mode: "istio",
                        clusters: [{ id: "c1" }],
                        gateway: { overrides: { c3: {} }, minReplicas: 4, maxReplicas: 2 },
                    },
                ],
            }),
        );
        const out = path.join(dir, "out");
        const r = cli("plan", bad, "--out", out);
        expect(r.code).to.equal(2);
        expect(r.stderr).to.contain('gateway.overrides["c3"]: cluster c3 is not in clusters (c1)');
        expect(r.stderr).to.contain("gateway.minReplicas: 4 is greater than maxReplicas (2)");
        expect(r.stderr).not.to.match(/\n\s+at /);
        expect(fs.existsSync(out)).to.equal(false);
    });

    it("explains a missing file and an unknown mode", () => {
        expect(cli("plan", "nope.yaml")).to.include({ code: 1 });
        expect(cli("plan", "nope.yaml").stderr).to.contain("no such file: nope.yaml");
        const r = cli("plan", "examples/egress-gateway/Pulumi.dev.yaml", "--mode", "helm");
        expect(r.code).to.not.equal(0);
        expect(r.stderr).to.contain("Allowed choices are asm, istio");
    });

    it("diffs two configs per cluster and flags the changes that restart pods", () => {
        const dir = tmp();
        const base = YAML.parse(fs.readFileSync(path.join(ROOT, "examples/asm-ingress-two-clusters/Pulumi.dev.yaml"), "utf8"));
        const next = structuredClone(base);
        const gw = next.config["asm-ingress-two-clusters:gateways"][0];
        gw.gateway.overrides.c9f3e7xxxxxx.replicaCount = 3;
        gw.gateway.env = [{ name: "envname1", value: "changed" }];
        gw.gateway.ports.push({ name: "grpc", port: 9090 });
        fs.writeFileSync(path.join(dir, "old.yaml"), YAML.stringify(base));
        fs.writeFileSync(path.join(dir, "new.yaml"), YAML.stringify(next));
        const r = cli("diff", path.join(dir, "old.yaml"), path.join(dir, "new.yaml"));
        expect(r.code, r.stderr).to.equal(0);
        expect(r.stdout).to.equal(
            [
                "gateway myexample-customingressgateway, cluster c8a4b2xxxxxx: RESTARTS gateway pods",
                "  ! env",
                "  ~ ports (ASM 1.22 applies it without a restart)",
                "gateway myexample-customingressgateway, cluster c9f3e7xxxxxx: RESTARTS gateway pods",
                "  ! env",
                "  ~ ports (ASM 1.22 applies it without a restart)",
                "  ~ replicaCount",
                "",
            ].join("\n"),
        );
        expect(cli("diff", path.join(dir, "old.yaml"), path.join(dir, "old.yaml")).stdout).to.equal("no changes\n");
    });
});
