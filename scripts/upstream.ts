// Upstream sources the tests and the end-to-end harness read: the official Kubernetes OpenAPI v3
// documents, Istio's, Gateway API's and cert-manager's CRDs, and Istio's gateway chart. Each ships
// in a Go module that the machine's ordinary `go` client fetches once into its module cache, at
// the version pinned in versions.json; no copy is kept in this repository and nothing outside it
// and the Go module cache is read.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import versions from "../versions.json";

export const UPSTREAM_VERSIONS = versions;

/** k8s.io/kubernetes: the OpenAPI documents, and kube-apiserver in the e2e suite. */
export const KUBERNETES_VERSION = `v${versions.kubernetes}`;
export const CERT_MANAGER_VERSION = `v${versions["cert-manager"]}`;
/** istio.io/istio has no semver tags on the module proxy; this pseudo-version is on the 1.31 line. */
export const ISTIO_MODULE_VERSION = versions.istio;
export const GATEWAY_API_VERSION = `v${versions["gateway-api"]}`;

const moduleDirs = new Map<string, string>();

/** The unpacked source of a Go module, fetched once into Go's module cache by the ordinary `go` client. */
export function goModuleDir(module: string, version: string): string {
    const key = `${module}@${version}`;
    const known = moduleDirs.get(key);
    if (known) return known;
    let out: string;
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "go-module-"));
    try {
        out = execFileSync("go", ["mod", "download", "-json", key], {
            encoding: "utf8",
            cwd,
            env: { ...process.env, GOFLAGS: "-mod=mod" },
            stdio: ["ignore", "pipe", "pipe"],
        });
    } catch (e) {
        throw new Error(`'go mod download ${key}' failed (is Go installed and the module proxy reachable?): ${(e as Error).message}`);
    } finally {
        fs.rmSync(cwd, { recursive: true, force: true });
    }
    const dir = JSON.parse(out).Dir as string;
    moduleDirs.set(key, dir);
    return dir;
}

function existing(file: string): string {
    if (!fs.existsSync(file)) throw new Error(`${file} is missing from its Go module`);
    return file;
}

/** The directory holding `api__v1_openapi.json`, `apis__apps__v1_openapi.json`, … */
export function kubernetesOpenApiDir(): string {
    const dir = path.join(goModuleDir("k8s.io/kubernetes", KUBERNETES_VERSION), "api", "openapi-spec", "v3");
    existing(path.join(dir, "api__v1_openapi.json"));
    return dir;
}

/** cert-manager's Certificate CRD, from its Go module (deploy/crds). */
export function certManagerCrdFiles(): string[] {
    const dir = path.join(goModuleDir("github.com/cert-manager/cert-manager", CERT_MANAGER_VERSION), "deploy", "crds");
    return [existing(path.join(dir, "cert-manager.io_certificates.yaml"))];
}

/** Every Istio CRD, as Istio's base chart installs them. */
export function istioCrdFiles(): string[] {
    const dir = goModuleDir("istio.io/istio", ISTIO_MODULE_VERSION);
    return [existing(path.join(dir, "manifests", "charts", "base", "files", "crd-all.gen.yaml"))];
}

/** Istio's `gateway` Helm chart (what `helm install istio/gateway` renders). */
export function istioGatewayChartDir(): string {
    const dir = path.join(goModuleDir("istio.io/istio", ISTIO_MODULE_VERSION), "manifests", "charts", "gateway");
    existing(path.join(dir, "Chart.yaml"));
    return dir;
}

/** Gateway API's standard-channel CRDs. */
export function gatewayApiCrdFiles(): string[] {
    const dir = path.join(goModuleDir("sigs.k8s.io/gateway-api", GATEWAY_API_VERSION), "config", "crd", "standard");
    return fs
        .readdirSync(existing(dir))
        .filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml")
        .sort()
        .map((f) => path.join(dir, f));
}

/** Every CRD file the emitted objects are validated against and the e2e servers install. */
export function upstreamCrdFiles(): string[] {
    return [...istioCrdFiles(), ...gatewayApiCrdFiles(), ...certManagerCrdFiles()];
}

/** Every schema of every group-version document, by its dotted name (io.k8s.api.apps.v1.Deployment). */
export function loadKubernetesSchemas(): Record<string, Record<string, unknown>> {
    const dir = kubernetesOpenApiDir();
    const all: Record<string, Record<string, unknown>> = {};
    for (const file of fs.readdirSync(dir)) {
        if (!file.endsWith("_openapi.json")) continue;
        const doc = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));
        Object.assign(all, doc.components?.schemas ?? {});
    }
    return all;
}
