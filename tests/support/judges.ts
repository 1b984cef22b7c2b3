// Istio's own judges of what the product writes: `istioctl analyze` and Helm rendering Istio's
// `gateway` chart. Both binaries are built from the Go module proxy by tests/e2e/setup.sh (as
// the end-to-end binaries are) and cached; the fast suite uses them when they are there, and CI
// (which builds them first) always.
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import YAML from "yaml";
import type { KubeObject } from "../../core/render/common";

const SETUP = path.join(__dirname, "..", "..", "..", "tests", "e2e", "setup.sh");

export interface Judges {
    istioctl: string;
    /** istioctl analyze's analyzers over files with Pods, Services and Secrets (tests/e2e/go/istio-judges/analyze-runtime). */
    analyzeRuntime: string;
    helm: string;
}

let found: { judges?: Judges; reason?: string } | undefined;

/** The cached judges, or why they cannot run here. Never builds anything. */
export function findJudges(): { judges?: Judges; reason?: string } {
    if (found) return found;
    let out = "";
    try {
        out = execFileSync("bash", [SETUP, "--cached", "judges"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } catch (e) {
        return (found = { reason: `tests/e2e/setup.sh --cached judges failed: ${(e as Error).message}` });
    }
    const paths = new Map(
        out
            .trim()
            .split("\n")
            .filter((l) => l !== "")
            .map((l) => l.split(" ") as [string, string]),
    );
    const missing = ["istioctl", "istio-analyze-runtime", "helm"].filter((n) => !paths.has(n));
    if (missing.length > 0) {
        return (found = {
            reason: `${missing.join(" and ")} not built on this machine (run 'npm run e2e:setup' or 'bash tests/e2e/setup.sh judges', tens of minutes cold)`,
        });
    }
    return (found = {
        judges: { istioctl: paths.get("istioctl")!, analyzeRuntime: paths.get("istio-analyze-runtime")!, helm: paths.get("helm")! },
    });
}

/**
 * For a mocha `before`: the judges, or a skip with the reason printed. In CI (`CI=true`) a
 * missing judge fails instead: .ci/run builds them before the tests.
 */
export function judgesOrSkip(ctx: Mocha.Context, what: string): Judges {
    const { judges, reason } = findJudges();
    if (judges) return judges;
    if (process.env.CI === "true") throw new Error(`${what} must run in CI, but ${reason}`);
    console.log(`      SKIPPED ${what}: ${reason}`);
    ctx.skip();
}

export function toYamlStream(objects: readonly object[]): string {
    return objects.map((o) => YAML.stringify(o, { version: "1.1" })).join("---\n");
}

function withTempDir<T>(f: (dir: string) => T): T {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mesh-judges-"));
    try {
        return f(dir);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

// ---- istioctl analyze ---------------------------------------------------------------------

export interface AnalyzerMessage {
    code: string;
    level: "Error" | "Warning" | "Info";
    /** `Kind name.namespace` of the object the message is about. */
    origin: string;
    message: string;
    /** The cluster (kubeconfig context) the object is in, when analyze read more than one. */
    cluster?: string;
}

/**
 * The pods a Deployment creates, as the API server stores them once Istio's injector has run:
 * the template's labels, annotations and spec, with the proxy image in place of `auto` (which
 * the injector replaces; a stored pod still saying `auto` is IST0147). analyze reads Pods for
 * its selector, port and subset checks.
 */
export function podsOf(objects: readonly KubeObject[]): KubeObject[] {
    return objects
        .filter((o) => o.kind === "Deployment" || o.kind === "DaemonSet")
        .map((o) => {
            const template = (
                o.spec as {
                    template: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec: object };
                }
            ).template;
            return {
                apiVersion: "v1",
                kind: "Pod",
                metadata: {
                    name: `${o.metadata.name}-planned-0`,
                    namespace: o.metadata.namespace,
                    labels: template.metadata?.labels,
                    annotations: template.metadata?.annotations,
                },
                spec: {
                    ...template.spec,
                    containers: (template.spec as { containers: { name: string; image?: string }[] }).containers.map((c) =>
                        c.image === "auto" ? { ...c, image: "docker.io/istio/proxyv2:injected" } : c,
                    ),
                },
            };
        });
}

/** The Namespaces the objects live in (a real cluster has them; analyze reads their labels). */
export function namespacesOf(objects: readonly KubeObject[]): KubeObject[] {
    const names = [...new Set(objects.map((o) => o.metadata.namespace).filter((n): n is string => n !== undefined))].sort();
    return names.map((name) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name } }));
}

type RawMessage = { code: string; level: string; origin: string; message: string; cluster?: string };

function messagesOf(raw: RawMessage[]): AnalyzerMessage[] {
    return raw.map((m) => ({
        code: m.code,
        level: m.level as AnalyzerMessage["level"],
        origin: m.origin,
        message: m.message,
        ...(m.cluster !== undefined ? { cluster: m.cluster } : {}),
    }));
}

/**
 * `istioctl analyze --use-kube=false -A` over the objects; every message it reports. istioctl
 * drops Pods, Services, Secrets and Namespaces read from files (and skips the analyzers that
 * need them): `analyzeWithRuntime` runs those.
 */
export function analyze(istioctl: string, objects: readonly KubeObject[]): AnalyzerMessage[] {
    return withTempDir((dir) => {
        const file = path.join(dir, "objects.yaml");
        fs.writeFileSync(file, toYamlStream(objects));
        const r = spawnSync(istioctl, ["analyze", "--use-kube=false", "-A", "-o", "json", file], { encoding: "utf8", maxBuffer: 1 << 26 });
        // Exit codes: 0 clean, 79 (warnings) or 3 (errors) with messages; anything else is a failure.
        if (r.error) throw r.error;
        const text = r.stdout.trim();
        if (![0, 3, 79].includes(r.status ?? -1) || (text !== "" && !text.startsWith("["))) {
            throw new Error(`istioctl analyze exited ${r.status}: ${r.stderr}\n${r.stdout}`);
        }
        return messagesOf(text === "" ? [] : (JSON.parse(text) as RawMessage[]));
    });
}

/** The same analyzers with the runtime objects read from the files too (Istio's own tests read files this way). */
export function analyzeWithRuntime(analyzeRuntime: string, objects: readonly KubeObject[]): AnalyzerMessage[] {
    return withTempDir((dir) => {
        const file = path.join(dir, "objects.yaml");
        fs.writeFileSync(file, toYamlStream(objects));
        const r = spawnSync(analyzeRuntime, [file], { encoding: "utf8", maxBuffer: 1 << 26 });
        if (r.error) throw r.error;
        // Istio's logger writes to stdout as well: the messages are the JSON list at the end.
        const start = r.stdout.search(/^\[/m);
        if (r.status !== 0 || start < 0) throw new Error(`istio-analyze-runtime exited ${r.status}: ${r.stderr}\n${r.stdout.slice(-2000)}`);
        return messagesOf(JSON.parse(r.stdout.slice(start)) as RawMessage[]);
    });
}

/**
 * `istioctl analyze -A` against a live cluster (the API server of `kubeconfig`): the analyzers
 * read every Pod, Service, Secret and Namespace the cluster holds, as they do for a user.
 */
export function analyzeLive(istioctl: string, kubeconfig: string): AnalyzerMessage[] {
    return analyzeLiveClusters(istioctl, kubeconfig, []);
}

/**
 * `istioctl analyze -A --remote-contexts …`: the mesh's multi-cluster analysis. The primary
 * cluster (`primary`, the one holding the mesh's configuration) is read whole; each remote
 * cluster adds what it holds except Deployments, ConfigMaps and webhook configurations
 * (istio/istio, istioctl/pkg/analyze/analyze.go `getClients`; pkg/config/analysis/local/
 * istiod_analyze.go `AddRunningKubeSourceWithRevision`, `DefaultRemoteClusterExcludedSchemas`),
 * so the Istio configuration on the primary is checked against the pods and Services of every
 * cluster. Each kubeconfig is one context, its name the cluster's id; istioctl takes the remote
 * contexts from the same file, so they are merged into one.
 */
export function analyzeLiveClusters(istioctl: string, primary: string, remotes: readonly string[]): AnalyzerMessage[] {
    return withTempDir((dir) => {
        const file = path.join(dir, "kubeconfig");
        const merged = mergeKubeconfigs([primary, ...remotes]);
        fs.writeFileSync(file, merged.text, { mode: 0o600 });
        const contexts = merged.contexts.slice(1).flatMap((c) => ["--remote-contexts", c]);
        const r = spawnSync(istioctl, ["analyze", "--kubeconfig", file, ...contexts, "-A", "-o", "json"], {
            encoding: "utf8",
            maxBuffer: 1 << 26,
            timeout: 180_000,
        });
        if (r.error) throw r.error;
        const text = r.stdout.trim();
        if (![0, 3, 79].includes(r.status ?? -1) || (text !== "" && !text.startsWith("["))) {
            throw new Error(`istioctl analyze exited ${r.status}: ${r.stderr}\n${r.stdout}`);
        }
        return messagesOf(text === "" ? [] : (JSON.parse(text) as RawMessage[]));
    });
}

interface Kubeconfig {
    clusters: { name: string; cluster: unknown }[];
    users: { name: string; user: unknown }[];
    contexts: { name: string; context: { cluster: string; user: string } }[];
    "current-context": string;
}

/** One kubeconfig with every given one's current context (users renamed per context, so equal names do not collide); the first is current. */
export function mergeKubeconfigs(kubeconfigs: readonly string[]): { text: string; contexts: string[] } {
    const merged: Kubeconfig = { clusters: [], users: [], contexts: [], "current-context": "" };
    for (const text of kubeconfigs) {
        const k = YAML.parse(text) as Kubeconfig;
        const context = k.contexts.find((c) => c.name === k["current-context"])!;
        if (merged.contexts.some((c) => c.name === context.name)) throw new Error(`two kubeconfigs with context ${context.name}`);
        const user = `${context.name}-user`;
        merged.clusters.push(k.clusters.find((c) => c.name === context.context.cluster)!);
        merged.users.push({ name: user, user: k.users.find((u) => u.name === context.context.user)!.user });
        merged.contexts.push({ name: context.name, context: { cluster: context.context.cluster, user } });
    }
    merged["current-context"] = merged.contexts[0].name;
    return { text: YAML.stringify({ apiVersion: "v1", kind: "Config", ...merged }), contexts: merged.contexts.map((c) => c.name) };
}

// ---- helm template ------------------------------------------------------------------------

/** `helm template <release> <chart> -n <namespace> -f values.yaml`: the objects the chart renders. */
export function helmTemplate(helm: string, chartDir: string, release: string, namespace: string, values: object): KubeObject[] {
    return withTempDir((dir) => {
        const file = path.join(dir, "values.yaml");
        fs.writeFileSync(file, YAML.stringify(values));
        const env = {
            ...process.env,
            HELM_CACHE_HOME: path.join(dir, "cache"),
            HELM_CONFIG_HOME: path.join(dir, "config"),
            HELM_DATA_HOME: path.join(dir, "data"),
        };
        const out = execFileSync(helm, ["template", release, chartDir, "-n", namespace, "-f", file], {
            encoding: "utf8",
            env,
            stdio: ["ignore", "pipe", "pipe"],
            maxBuffer: 1 << 26,
        });
        return YAML.parseAllDocuments(out)
            .map((d) => d.toJS() as KubeObject)
            .filter((o) => o !== null && typeof o === "object");
    });
}
