// End-to-end harness: one etcd and three kube-apiservers on 127.0.0.1 (two data-plane clusters
// and one standing in for the ASM control plane), the CRDs the gateways need, and the Pulumi
// CLI driving the real engine with a local file backend. Each data-plane cluster also runs
// kube-controller-manager, kube-scheduler and kwok (fake nodes over three zones whose pods become
// Running and Ready), and the harness itself plays Alibaba Cloud's cloud controller (load
// balancer addresses on Services) and ASM (the IstioGateway's per-cluster address status).
// Every process it starts is stopped by pid when the harness stops, when the test process
// exits, or on SIGINT/SIGTERM.
import { spawn, execFileSync, type ChildProcess } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as https from "https";
import * as http from "http";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import YAML from "yaml";
import { upstreamCrdFiles } from "../../scripts/upstream";
import { CloudController, type AssignedAddress } from "./cloud";

/** The repo root (bin/tests/e2e/../../..). */
export const REPO_DIR = path.resolve(__dirname, "..", "..", "..");
const SOURCE_DIR = path.join(REPO_DIR, "tests", "e2e");

export interface Binaries {
    pulumi: string;
    "pulumi-resource-kubernetes": string;
    etcd: string;
    "kube-apiserver": string;
    "kube-controller-manager": string;
    "kube-scheduler": string;
    /** kwok; its stages are `stages.yaml` next to it. */
    kwok: string;
    /** Pulumi YAML's language host, for the YAML test stack (when setup.sh reports it). */
    "pulumi-language-yaml"?: string;
    /** Seconds each took to build in this run (0: cached or on PATH). */
    buildSeconds: Record<string, number>;
}

/** Runs tests/e2e/setup.sh (instant when everything is cached) and returns the binaries' paths. */
export function binaries(): Binaries {
    const out = execFileSync("bash", [path.join(SOURCE_DIR, "setup.sh")], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
        maxBuffer: 1 << 24,
    });
    const result: Record<string, unknown> = { buildSeconds: {} };
    for (const line of out.trim().split("\n")) {
        const [name, file, seconds] = line.split(" ");
        result[name] = file;
        (result.buildSeconds as Record<string, number>)[name] = Number(seconds);
    }
    for (const name of [
        "pulumi",
        "pulumi-resource-kubernetes",
        "etcd",
        "kube-apiserver",
        "kube-controller-manager",
        "kube-scheduler",
        "kwok",
    ]) {
        if (typeof result[name] !== "string") throw new Error(`setup.sh did not report ${name}`);
    }
    return result as unknown as Binaries;
}

// ---- processes ------------------------------------------------------------------------------

const running = new Set<ChildProcess>();

function killAll(signal: NodeJS.Signals): void {
    for (const child of running) {
        if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
            try {
                process.kill(child.pid, signal);
            } catch {
                // already gone
            }
        }
    }
}

let handlersInstalled = false;
function installExitHandlers(): void {
    if (handlersInstalled) return;
    handlersInstalled = true;
    process.on("exit", () => killAll("SIGKILL"));
    for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
        process.once(sig, () => {
            killAll("SIGKILL");
            process.exit(130);
        });
    }
}

export function start(name: string, file: string, args: string[], logDir: string): ChildProcess {
    installExitHandlers();
    const log = fs.openSync(path.join(logDir, `${name}.log`), "a");
    const child = spawn(file, args, { stdio: ["ignore", log, log] });
    fs.closeSync(log);
    running.add(child);
    child.once("exit", () => running.delete(child));
    return child;
}

export async function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    process.kill(child.pid, "SIGTERM");
    const timer = setTimeout(() => {
        if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, "SIGKILL");
    }, graceMs);
    await exited;
    clearTimeout(timer);
}

async function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.once("error", reject);
        srv.listen(0, "127.0.0.1", () => {
            const port = (srv.address() as net.AddressInfo).port;
            srv.close(() => resolve(port));
        });
    });
}

async function waitFor(
    what: string,
    check: () => Promise<boolean>,
    child: ChildProcess,
    logFile: string,
    timeoutMs = 120_000,
): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        if (child.exitCode !== null || child.signalCode !== null) {
            throw new Error(`${what} exited (${child.exitCode ?? child.signalCode}); last log lines:\n${tail(logFile)}`);
        }
        if (await check().catch(() => false)) return;
        if (Date.now() > deadline) throw new Error(`${what} not ready after ${timeoutMs / 1000}s; last log lines:\n${tail(logFile)}`);
        await new Promise((r) => setTimeout(r, 250));
    }
}

function tail(file: string, lines = 30): string {
    try {
        return fs.readFileSync(file, "utf8").trim().split("\n").slice(-lines).join("\n");
    } catch {
        return "(no log)";
    }
}

// ---- Kubernetes API -------------------------------------------------------------------------

export interface KubeObject {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace?: string; [k: string]: unknown };
    [k: string]: unknown;
}

export class KubeApi {
    constructor(
        readonly id: string,
        readonly server: string,
        private readonly token: string,
    ) {}

    /** A kubeconfig for this server (static token; the self-signed serving cert is not verified). */
    kubeconfig(): string {
        return YAML.stringify({
            apiVersion: "v1",
            kind: "Config",
            clusters: [{ name: this.id, cluster: { server: this.server, "insecure-skip-tls-verify": true } }],
            users: [{ name: "admin", user: { token: this.token } }],
            contexts: [{ name: this.id, context: { cluster: this.id, user: "admin" } }],
            "current-context": this.id,
        });
    }

    request<T = unknown>(
        method: string,
        urlPath: string,
        body?: unknown,
        contentType = "application/json",
    ): Promise<{ status: number; body: T }> {
        const url = new URL(urlPath, this.server);
        const payload = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
        return new Promise((resolve, reject) => {
            const req = https.request(
                url,
                {
                    method,
                    rejectUnauthorized: false,
                    headers: {
                        Authorization: `Bearer ${this.token}`,
                        Accept: "application/json",
                        ...(payload !== undefined ? { "Content-Type": contentType, "Content-Length": Buffer.byteLength(payload) } : {}),
                    },
                },
                (res) => {
                    const chunks: Buffer[] = [];
                    res.on("data", (c: Buffer) => chunks.push(c));
                    res.on("end", () => {
                        const text = Buffer.concat(chunks).toString("utf8");
                        let parsed: unknown = text;
                        try {
                            parsed = JSON.parse(text);
                        } catch {
                            // not JSON (e.g. /readyz)
                        }
                        resolve({ status: res.statusCode ?? 0, body: parsed as T });
                    });
                },
            );
            req.on("error", reject);
            req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${url} timed out`)));
            if (payload !== undefined) req.write(payload);
            req.end();
        });
    }

    /** Resource collection path of a kind, found through discovery. */
    async resourcePath(apiVersion: string, kind: string, namespace?: string): Promise<string> {
        const base = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
        const res = await this.request<{ resources: { name: string; kind: string; namespaced: boolean }[] }>("GET", base);
        if (res.status !== 200) throw new Error(`${this.id}: discovery of ${apiVersion} answered ${res.status}`);
        const r = res.body.resources.find((x) => x.kind === kind && !x.name.includes("/"));
        if (!r) throw new Error(`${this.id}: no resource for ${apiVersion} ${kind}`);
        return r.namespaced ? `${base}/namespaces/${namespace ?? "default"}/${r.name}` : `${base}/${r.name}`;
    }

    async get(apiVersion: string, kind: string, name: string, namespace?: string): Promise<KubeObject | undefined> {
        const res = await this.request<KubeObject>("GET", `${await this.resourcePath(apiVersion, kind, namespace)}/${name}`);
        if (res.status === 404) return undefined;
        if (res.status !== 200) throw new Error(`${this.id}: GET ${kind} ${name}: ${res.status} ${JSON.stringify(res.body)}`);
        return res.body;
    }

    async list(apiVersion: string, kind: string, namespace?: string): Promise<KubeObject[]> {
        const res = await this.request<{ items: KubeObject[] }>("GET", await this.resourcePath(apiVersion, kind, namespace));
        if (res.status !== 200) throw new Error(`${this.id}: LIST ${kind}: ${res.status}`);
        return res.body.items;
    }

    /** Server-side apply, as an installer would (`kubectl apply --server-side`). */
    async apply(obj: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } }): Promise<void> {
        const url = `${await this.resourcePath(obj.apiVersion, obj.kind, obj.metadata.namespace)}/${obj.metadata.name}?fieldManager=e2e-harness&force=true`;
        const res = await this.request("PATCH", url, obj, "application/apply-patch+yaml");
        if (res.status >= 300)
            throw new Error(`${this.id}: apply ${obj.kind} ${obj.metadata.name}: ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
    }

    /** Deletes an object; one already gone is fine. */
    async delete(apiVersion: string, kind: string, name: string, namespace?: string): Promise<void> {
        const res = await this.request("DELETE", `${await this.resourcePath(apiVersion, kind, namespace)}/${name}`);
        if (res.status >= 300 && res.status !== 404)
            throw new Error(`${this.id}: delete ${kind} ${name}: ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
    }

    async waitEstablished(crdNames: string[], timeoutMs = 60_000): Promise<void> {
        const deadline = Date.now() + timeoutMs;
        for (const name of crdNames) {
            for (;;) {
                const crd = await this.get("apiextensions.k8s.io/v1", "CustomResourceDefinition", name);
                const conditions = (crd?.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? [];
                if (conditions.some((c) => c.type === "Established" && c.status === "True")) break;
                if (Date.now() > deadline) throw new Error(`${this.id}: CRD ${name} not established`);
                await new Promise((r) => setTimeout(r, 200));
            }
        }
    }
}

// ---- CRDs -----------------------------------------------------------------------------------

function loadYamlDocs(file: string): KubeObject[] {
    return YAML.parseAllDocuments(fs.readFileSync(file, "utf8"))
        .map((d) => d.toJS() as KubeObject | null)
        .filter((o): o is KubeObject => o !== null && typeof o === "object" && typeof o.kind === "string");
}

/** Istio's, Gateway API's and cert-manager's CRDs (every cluster), from the pinned upstream modules. */
export function meshCrds(): KubeObject[] {
    return upstreamCrdFiles()
        .flatMap(loadYamlDocs)
        .filter((o) => o.kind === "CustomResourceDefinition");
}

/** ASM's IstioGateway, schema-permissive: the control plane only has to store it. */
export const ISTIO_GATEWAY_CRD: KubeObject = {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "istiogateways.istio.alibabacloud.com" },
    spec: {
        group: "istio.alibabacloud.com",
        scope: "Namespaced",
        names: { plural: "istiogateways", singular: "istiogateway", kind: "IstioGateway", listKind: "IstioGatewayList" },
        versions: [
            {
                name: "v1beta1",
                served: true,
                storage: true,
                subresources: { status: {} },
                schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
            },
        ],
    },
};

// ---- the harness ----------------------------------------------------------------------------

export interface HarnessOptions {
    /** Data-plane cluster ids. */
    clusters: string[];
    /** Id of the server standing in for the ASM control plane. */
    controlPlane: string;
}

/** Zones of the fake nodes (two nodes each per cluster), so topology spreading means something. */
export const ZONES = ["cn-hangzhou-h", "cn-hangzhou-i", "cn-hangzhou-j"];
/** Node label the test stacks select with an override (`nodeSelector`): one node per zone has it. */
export const EDGE_POOL = { "node.kubernetes.io/pool": "edge" };

export class Harness {
    readonly apis = new Map<string, KubeApi>();
    /** Processes by name; etcd is stopped last. */
    private readonly children = new Map<string, ChildProcess>();
    private readonly apiServerArgs = new Map<string, string[]>();
    private cloudController?: CloudController;

    private constructor(
        readonly dir: string,
        readonly bins: Binaries,
    ) {}

    static async start(options: HarnessOptions): Promise<Harness> {
        const bins = binaries();
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mesh-gateway-e2e-"));
        const h = new Harness(dir, bins);
        try {
            await h.boot(options);
        } catch (e) {
            await h.stop();
            throw e;
        }
        return h;
    }

    get logDir(): string {
        return path.join(this.dir, "logs");
    }

    /** What the harness's cloud controller and ASM assigned, by `<cluster>/<namespace>/<Service name>`. */
    get assigned(): ReadonlyMap<string, AssignedAddress> {
        return this.cloudController?.assigned ?? new Map();
    }

    private run(name: string, file: string, args: string[]): ChildProcess {
        const child = start(name, file, args, this.logDir);
        this.children.set(name, child);
        return child;
    }

    private async boot(options: HarnessOptions): Promise<void> {
        fs.mkdirSync(this.logDir, { recursive: true });
        const [clientPort, peerPort] = [await freePort(), await freePort()];
        const etcd = this.run("etcd", this.bins.etcd, [
            "--name=e2e",
            `--data-dir=${path.join(this.dir, "etcd")}`,
            `--listen-client-urls=http://127.0.0.1:${clientPort}`,
            `--advertise-client-urls=http://127.0.0.1:${clientPort}`,
            `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
            `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
            `--initial-cluster=e2e=http://127.0.0.1:${peerPort}`,
            "--unsafe-no-fsync",
            "--log-level=warn",
        ]);
        await waitFor("etcd", () => httpOk(`http://127.0.0.1:${clientPort}/health`), etcd, path.join(this.logDir, "etcd.log"));

        // One service-account key pair and one static token for all servers.
        const { publicKey, privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
        const pub = path.join(this.dir, "sa.pub");
        const key = path.join(this.dir, "sa.key");
        fs.writeFileSync(pub, publicKey.export({ type: "spki", format: "pem" }));
        fs.writeFileSync(key, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
        const token = crypto.randomBytes(24).toString("hex");
        // A second token for the same user: a rotated credential for the same cluster.
        this.rotatedToken = crypto.randomBytes(24).toString("hex");
        const tokens = path.join(this.dir, "tokens.csv");
        fs.writeFileSync(tokens, `${token},admin,admin,"system:masters"\n${this.rotatedToken},admin,admin,"system:masters"\n`, {
            mode: 0o600,
        });

        const ids = [...options.clusters, options.controlPlane];
        await Promise.all(
            ids.map(async (id) => {
                const port = await freePort();
                this.apiServerArgs.set(id, [
                    `--etcd-servers=http://127.0.0.1:${clientPort}`,
                    `--etcd-prefix=/e2e/${id}`,
                    "--bind-address=127.0.0.1",
                    "--advertise-address=127.0.0.1",
                    `--secure-port=${port}`,
                    `--cert-dir=${path.join(this.dir, `certs-${id}`)}`,
                    `--token-auth-file=${tokens}`,
                    "--authorization-mode=RBAC",
                    `--service-account-key-file=${pub}`,
                    `--service-account-signing-key-file=${key}`,
                    "--service-account-issuer=https://kubernetes.default.svc",
                    "--service-cluster-ip-range=10.96.0.0/16",
                    // The `kubernetes` Service would point at this loopback address: not reconciled.
                    "--endpoint-reconciler-type=none",
                    // No controller manager runs for the control plane: without a garbage collector
                    // to clear it, a foreground-deletion finalizer would keep objects forever.
                    ...(id === options.controlPlane ? ["--enable-garbage-collector=false"] : []),
                    "--enable-priority-and-fairness=false",
                    "--profiling=false",
                    "--v=0",
                ]);
                this.apis.set(id, new KubeApi(id, `https://127.0.0.1:${port}`, token));
                await this.startApiServer(id);
            }),
        );

        // CRDs: Istio's and Gateway API's everywhere, ASM's IstioGateway on the control plane.
        const crds = meshCrds();
        await Promise.all(
            ids.map(async (id) => {
                const api = this.apis.get(id)!;
                const mine = id === options.controlPlane ? [...crds, ISTIO_GATEWAY_CRD] : crds;
                for (const crd of mine) await api.apply(crd);
                await api.waitEstablished(mine.map((c) => c.metadata.name));
                await api.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name: "istio-system" } });
            }),
        );

        // Data-plane clusters act like clusters: controllers, a scheduler, and kwok's nodes.
        await Promise.all(options.clusters.map((id, i) => this.startClusterControllers(id, i, key)));
        this.cloudController = new CloudController(
            options.clusters.map((id) => this.api(id)),
            this.api(options.controlPlane),
        );
        this.cloudController.start();
    }

    /** The token of the same admin user that a rotated kubeconfig carries. */
    private rotatedToken = "";

    /** A kubeconfig for cluster `id` with a different token of the same user (a rotated credential). */
    rotatedKubeconfig(id: string): string {
        const api = this.api(id);
        return new KubeApi(api.id, api.server, this.rotatedToken).kubeconfig();
    }

    /** Starts (or restarts, on the same port) the API server of `id` and waits until it is ready. */
    async startApiServer(id: string): Promise<void> {
        const child = this.run(`kube-apiserver-${id}`, this.bins["kube-apiserver"], this.apiServerArgs.get(id)!);
        await waitFor(
            `kube-apiserver ${id}`,
            async () => (await this.api(id).request("GET", "/readyz")).status === 200,
            child,
            path.join(this.logDir, `kube-apiserver-${id}.log`),
        );
    }

    /** Stops the API server of `id` (its etcd data stays): the cluster is unreachable until restarted. */
    async stopApiServer(id: string): Promise<void> {
        const child = this.children.get(`kube-apiserver-${id}`);
        if (child) await stopProcess(child);
    }

    private async startClusterControllers(id: string, index: number, saKey: string): Promise<void> {
        const api = this.api(id);
        const kubeconfig = path.join(this.dir, `kubeconfig-${id}`);
        fs.writeFileSync(kubeconfig, api.kubeconfig(), { mode: 0o600 });
        this.run(`kube-controller-manager-${id}`, this.bins["kube-controller-manager"], [
            `--kubeconfig=${kubeconfig}`,
            "--leader-elect=false",
            "--secure-port=0",
            `--service-account-private-key-file=${saKey}`,
            "--use-service-account-credentials=false",
            // kwok renews node leases; a loaded machine must not make nodes look lost.
            "--node-monitor-grace-period=120s",
            "--v=1",
        ]);
        this.run(`kube-scheduler-${id}`, this.bins["kube-scheduler"], [
            `--kubeconfig=${kubeconfig}`,
            `--authentication-kubeconfig=${kubeconfig}`,
            `--authorization-kubeconfig=${kubeconfig}`,
            "--leader-elect=false",
            "--secure-port=0",
            "--v=1",
        ]);
        this.run(`kwok-${id}`, this.bins.kwok, [
            `--kubeconfig=${kubeconfig}`,
            `--config=${path.join(path.dirname(this.bins.kwok), "stages.yaml")}`,
            "--manage-all-nodes=true",
            `--cidr=10.${100 + index}.0.0/16`,
            "--node-ip=127.0.0.1",
        ]);
        // Two nodes per zone; one per zone in the `edge` pool.
        for (const [z, zone] of ZONES.entries()) {
            for (const n of [0, 1]) {
                const name = `${id}-node-${z}${n}`;
                const res = await api.request("POST", "/api/v1/nodes", {
                    apiVersion: "v1",
                    kind: "Node",
                    metadata: {
                        name,
                        annotations: { "kwok.x-k8s.io/node": "fake", "node.alpha.kubernetes.io/ttl": "0" },
                        labels: {
                            "kubernetes.io/hostname": name,
                            "kubernetes.io/os": "linux",
                            "kubernetes.io/arch": "amd64",
                            type: "kwok",
                            "topology.kubernetes.io/region": "cn-hangzhou",
                            "topology.kubernetes.io/zone": zone,
                            ...(n === 0 ? EDGE_POOL : {}),
                        },
                    },
                    status: {
                        allocatable: { cpu: "16", memory: "64Gi", pods: "110" },
                        capacity: { cpu: "16", memory: "64Gi", pods: "110" },
                    },
                });
                if (res.status >= 300)
                    throw new Error(`${id}: creating node ${name}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
            }
        }
        // Ready nodes, and the default ServiceAccount the controllers create, before any test runs.
        const deadline = Date.now() + 120_000;
        for (;;) {
            const nodes = await api.list("v1", "Node").catch(() => []);
            const ready = nodes.filter((n) =>
                ((n.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).some(
                    (c) => c.type === "Ready" && c.status === "True",
                ),
            );
            const sa = await api.get("v1", "ServiceAccount", "default", "istio-system").catch(() => undefined);
            if (ready.length === ZONES.length * 2 && sa) break;
            if (Date.now() > deadline)
                throw new Error(
                    `${id}: ${ready.length} of ${ZONES.length * 2} nodes Ready, default ServiceAccount ${sa ? "present" : "missing"}; see ${this.logDir}`,
                );
            await new Promise((r) => setTimeout(r, 500));
        }
    }

    api(id: string): KubeApi {
        const api = this.apis.get(id);
        if (!api) throw new Error(`no cluster ${id}`);
        return api;
    }

    /** Stops every process this harness started, by pid, and removes its files unless kept. */
    async stop(options: { keepFiles?: boolean } = {}): Promise<void> {
        this.cloudController?.stop();
        const etcd = this.children.get("etcd");
        await Promise.all([...this.children.values()].filter((c) => c !== etcd).map((c) => stopProcess(c)));
        if (etcd) await stopProcess(etcd);
        if (!options.keepFiles && !process.env.MESH_E2E_KEEP) fs.rmSync(this.dir, { recursive: true, force: true });
    }

    /** Environment for the Pulumi CLI: local file backend, no update checks, no downloads. */
    pulumiEnv(): Record<string, string> {
        const state = path.join(this.dir, "state");
        fs.mkdirSync(state, { recursive: true });
        const home = path.join(this.dir, "pulumi-home");
        installKubernetesPlugin(home, this.bins["pulumi-resource-kubernetes"]);
        return {
            PULUMI_BACKEND_URL: `file://${state}`,
            PULUMI_CONFIG_PASSPHRASE: "mesh-gateway-e2e",
            PULUMI_SKIP_UPDATE_CHECK: "1",
            PULUMI_HOME: home,
            PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "1",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        };
    }

    /** PATH with the Pulumi CLI (and the YAML language host) first. */
    pathWithBinaries(): string {
        const dirs = [this.bins.pulumi, this.bins["pulumi-language-yaml"]].filter((b): b is string => !!b).map((b) => path.dirname(b));
        return [...new Set(dirs), process.env.PATH ?? ""].join(path.delimiter);
    }
}

/** The version of `@pulumi/kubernetes` the package resolves to: the provider plugin version its resources ask for. */
export function kubernetesSdkVersion(): string {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_DIR, "node_modules", "@pulumi", "kubernetes", "package.json"), "utf8")) as {
        version: string;
    };
    return pkg.version;
}

/**
 * Installs the provider built from pulumi-kubernetes' module as the plugin version the installed
 * `@pulumi/kubernetes` asks for (the engine would otherwise try to download that version). The
 * binary itself reports the pseudo-version it was built from.
 */
function installKubernetesPlugin(pulumiHome: string, binary: string): void {
    const dir = path.join(pulumiHome, "plugins", `resource-kubernetes-v${kubernetesSdkVersion()}`);
    const link = path.join(dir, "pulumi-resource-kubernetes");
    if (fs.existsSync(link)) return;
    fs.mkdirSync(dir, { recursive: true });
    fs.symlinkSync(binary, link);
}

function httpOk(url: string): Promise<boolean> {
    return new Promise((resolve) => {
        const req = http.get(url, (res) => {
            res.resume();
            resolve(res.statusCode === 200);
        });
        req.on("error", () => resolve(false));
        req.setTimeout(2000, () => req.destroy());
    });
}
