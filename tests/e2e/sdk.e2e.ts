// End-to-end: MeshGateway from other languages, through the real Pulumi CLI. The package schema
// comes from `pulumi package get-schema` on the repository, SDKs from `pulumi package gen-sdk`;
// the Python SDK must byte-compile, the Go SDK must build against the Go SDK of the CLI's release,
// and a Go program using it deploys a two-cluster gateway with an override for dp-2 (Go
// Automation API, inline program) onto clusters whose controllers run, waiting for the address
// the harness's cloud controller assigns. tests/e2e/README.md says how the language hosts are built
// (tests/e2e/go/language-hosts).
import { expect } from "chai";
import { execFile, execFileSync, type ExecFileSyncOptions } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { Harness, REPO_DIR } from "./harness";
import { SNAPSHOT_FILE } from "./inferSchema";

const CLUSTERS = ["dp-1", "dp-2"];
const execFileAsync = promisify(execFile);
const GO_DIR = path.join(REPO_DIR, "tests", "e2e", "go");
const LANGUAGES = ["nodejs", "python", "go"];
/** The import path the Go generator gives a package without Go settings in its schema. */
const GO_SDK_MODULE = "example.com/pulumi-mesh-gateway/sdk/go/mesh-gateway";

describe("e2e: SDKs in other languages", function () {
    this.timeout(60 * 60_000);
    let pulumi: string;
    let env: NodeJS.ProcessEnv;
    let work: string;

    const run = (file: string, args: string[], options: ExecFileSyncOptions = {}): string =>
        // Not in the repository: the CLI refuses a folder holding both Pulumi.yaml and PulumiPlugin.yaml as its project.
        execFileSync(file, args, {
            env,
            cwd: work,
            encoding: "utf8",
            stdio: ["ignore", "pipe", "pipe"],
            maxBuffer: 1 << 26,
            ...options,
        }) as string;
    // Go builds share two cores with everything else.
    const goRun = (dir: string, args: string[]): string => run("nice", ["-n", "10", "go", ...args], { cwd: dir });

    before(function () {
        this.timeout(90 * 60_000);
        // Only the Pulumi CLI here (built once by setup.sh); the Go program below starts the clusters.
        const setup = execFileSync("bash", [path.join(REPO_DIR, "tests", "e2e", "setup.sh"), "pulumi"], {
            encoding: "utf8",
            stdio: ["ignore", "pipe", "inherit"],
        });
        pulumi = setup
            .trim()
            .split("\n")
            .map((l) => l.split(" "))
            .find(([name]) => name === "pulumi")![1];
        work = fs.mkdtempSync(path.join(os.tmpdir(), "mesh-gateway-sdk-"));
        const hosts = path.join(work, "language-hosts");
        fs.mkdirSync(path.join(work, "pulumi-home"), { recursive: true });
        env = {
            ...process.env,
            PULUMI_HOME: path.join(work, "pulumi-home"),
            PULUMI_SKIP_UPDATE_CHECK: "1",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            GOFLAGS: "-mod=mod",
            GONOSUMDB: "github.com/pulumi",
        };
        // One binary, linked under each language host's name.
        goRun(path.join(GO_DIR, "language-hosts"), ["build", "-o", path.join(hosts, "pulumi-language-nodejs"), "."]);
        for (const l of ["go", "python"])
            fs.symlinkSync(path.join(hosts, "pulumi-language-nodejs"), path.join(hosts, `pulumi-language-${l}`));
        env.PATH = [hosts, path.dirname(pulumi), process.env.PATH].join(path.delimiter);
    });

    after(function () {
        const failed =
            this.test?.parent?.tests.some((t) => t.state === "failed") ||
            this.test?.parent?.suites.some((s) => s.tests.some((t) => t.state === "failed"));
        if (failed) console.log(`kept ${work} (SDKs, build output) for the failed run`);
        else if (work && !process.env.MESH_E2E_KEEP) fs.rmSync(work, { recursive: true, force: true });
    });

    it("pulumi package get-schema on the repository gives the committed, complete schema", () => {
        const schema = JSON.parse(run(pulumi, ["package", "get-schema", REPO_DIR])) as Record<string, unknown>;
        // The CLI re-serialises the SDK's schema: the SDK's own `optional` flags and empty
        // `required` lists go; everything else is the committed snapshot.
        const withoutOptional = (v: unknown): unknown =>
            JSON.parse(
                JSON.stringify(v, (k, x: unknown) =>
                    (k === "optional" && typeof x === "boolean") || (k === "required" && Array.isArray(x) && x.length === 0)
                        ? undefined
                        : x,
                ),
            );
        const snapshot = JSON.parse(fs.readFileSync(SNAPSHOT_FILE, "utf8")) as Record<string, unknown>;
        for (const key of ["name", "version", "types", "resources"]) expect(schema[key], key).to.deep.equal(withoutOptional(snapshot[key]));
        fs.writeFileSync(path.join(work, "schema.json"), JSON.stringify(schema));
    });

    it("pulumi package gen-sdk generates the nodejs, python and go SDKs", () => {
        const schema = JSON.parse(fs.readFileSync(path.join(work, "schema.json"), "utf8")) as {
            language: Record<string, Record<string, unknown>>;
        };
        // Go's generator (pkg/codegen/go/gen.go, populateDetailsForPropertyTypes) gives a plain
        // array of objects among a resource's inputs no input type unless a plain object input
        // sorts before it: `certificates` and `clusters` would be `[]CertificateSpecArgs` and
        // `[]ClusterArgs` with neither type generated. Its documented switch
        // `generateExtraInputTypes` generates them (README: "Use it from Go").
        schema.language.go = { ...schema.language.go, generateExtraInputTypes: true };
        fs.writeFileSync(path.join(work, "schema-go.json"), JSON.stringify(schema));
        for (const language of LANGUAGES) {
            const file = language === "go" ? "schema-go.json" : "schema.json";
            run(pulumi, ["package", "gen-sdk", path.join(work, file), "--language", language, "--out", path.join(work, "sdk")]);
        }
        expect(fs.existsSync(path.join(work, "sdk", "nodejs", "meshGateway.ts"))).to.equal(true);
        expect(fs.existsSync(path.join(work, "sdk", "python", "pulumi_mesh_gateway", "mesh_gateway.py"))).to.equal(true);
        expect(fs.existsSync(path.join(work, "sdk", "go", "meshgateway", "meshGateway.go"))).to.equal(true);
        // Each set of values is an enum, e.g. Python's LoadBalancerType and Go's InstallModeIstio.
        expect(fs.readFileSync(path.join(work, "sdk", "python", "pulumi_mesh_gateway", "_enums.py"), "utf8")).to.match(
            /class LoadBalancerType\(_builtins\.str, Enum\)/,
        );
        expect(fs.readFileSync(path.join(work, "sdk", "go", "meshgateway", "pulumiEnums.go"), "utf8")).to.include(
            'InstallModeIstio = InstallMode("istio")',
        );
    });

    it("the Python SDK byte-compiles", () => {
        run("python3", ["-m", "compileall", "-q", path.join(work, "sdk", "python")]);
    });

    it("the Go SDK builds against github.com/pulumi/pulumi/sdk/v3 from the module proxy", () => {
        const sdk = path.join(work, "sdk", "go", "meshgateway");
        // The generated SDK has no go.mod: give it one, with the module path its own imports use,
        // on the module versions of the pinned CLI.
        const goMod = fs
            .readFileSync(path.join(GO_DIR, "language-hosts", "go.mod"), "utf8")
            .replace(/^module .*$/m, `module ${GO_SDK_MODULE}`);
        fs.writeFileSync(path.join(sdk, "go.mod"), goMod);
        fs.copyFileSync(path.join(GO_DIR, "language-hosts", "go.sum"), path.join(sdk, "go.sum"));
        goRun(sdk, ["build", "./..."]);
    });

    describe("a Go program using the Go SDK", function () {
        let h: Harness;
        let program: string;
        // Asynchronous: while `up` waits for the load balancer's address, the harness's cloud
        // controller, in this process, must be free to assign it.
        const goProgram = async (command: string): Promise<string> => {
            const config = {
                ...h.pulumiEnv(),
                PATH: `${h.pathWithBinaries()}${path.delimiter}${env.PATH}`,
                MESH_E2E_WORK_DIR: path.join(work, "go-program-workspace"),
                MESH_E2E_PLUGIN_DIR: path.join(REPO_DIR, "tests", "e2e", "plugin"),
                MESH_E2E_KUBECONFIG_DP1: h.api("dp-1").kubeconfig(),
                MESH_E2E_KUBECONFIG_DP2: h.api("dp-2").kubeconfig(),
            };
            fs.mkdirSync(config.MESH_E2E_WORK_DIR, { recursive: true });
            const { stdout } = await execFileAsync(path.join(program, "go-program"), [command], {
                cwd: program,
                env: { ...env, ...config },
                encoding: "utf8",
                maxBuffer: 1 << 26,
            });
            return stdout;
        };

        before(async function () {
            this.timeout(90 * 60_000);
            program = path.join(work, "go-program");
            fs.cpSync(path.join(REPO_DIR, "tests", "e2e", "go-program"), program, { recursive: true });
            fs.copyFileSync(path.join(GO_DIR, "language-hosts", "go.sum"), path.join(program, "go.sum"));
            goRun(program, ["mod", "edit", `-replace=${GO_SDK_MODULE}=${path.join(work, "sdk", "go", "meshgateway")}`]);
            goRun(program, ["build", "-o", "go-program", "."]);
            h = await Harness.start({ clusters: CLUSTERS, controlPlane: "asm" });
        });

        after(async function () {
            const failed = this.test?.parent?.tests.some((t) => t.state === "failed");
            if (h) await h.stop({ keepFiles: failed });
            if (failed && h) console.log(`kept ${h.dir} (logs, state) for the failed run`);
        });

        it("deploys the gateway to both clusters, with dp-2's override", async () => {
            const outputs = JSON.parse(await goProgram("up")) as {
                serviceName: string;
                addresses: Record<string, { serviceName: string; namespace: string; address?: string; addressKind?: string }>;
            };
            expect(outputs.serviceName).to.equal("istio-go-ingress");
            expect(Object.keys(outputs.addresses).sort()).to.deep.equal(CLUSTERS);
            // `up` waited for the load balancer's address, as it does against Alibaba Cloud.
            for (const id of CLUSTERS) {
                const a = outputs.addresses[id];
                const assigned = h.assigned.get(`${id}/${a.namespace}/${a.serviceName}`);
                expect(assigned, `${id}: the cloud controller served ${a.serviceName}`).to.not.equal(undefined);
                expect(a, id).to.include({ address: assigned!.address, addressKind: assigned!.addressKind });
            }
            for (const [id, maxReplicas] of [
                ["dp-1", 3],
                ["dp-2", 5],
            ] as const) {
                const hpa = await h.api(id).get("autoscaling/v2", "HorizontalPodAutoscaler", "istio-go-ingress", "istio-system");
                expect((hpa?.spec as { maxReplicas?: number } | undefined)?.maxReplicas, id).to.equal(maxReplicas);
                const service = await h.api(id).get("v1", "Service", "istio-go-ingress", "istio-system");
                expect((service?.spec as { externalTrafficPolicy?: string } | undefined)?.externalTrafficPolicy, id).to.equal("Local");
            }
        });

        it("destroy removes the objects", async () => {
            await goProgram("destroy");
            for (const id of CLUSTERS) {
                expect(await h.api(id).list("apps/v1", "Deployment", "istio-system"), id).to.deep.equal([]);
            }
        });
    });
});
