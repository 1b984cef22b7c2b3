// Locates the official Kubernetes OpenAPI v3 documents. They ship in the k8s.io/kubernetes Go
// module (api/openapi-spec/v3), which the machine's ordinary `go` client fetches once into
// its module cache; no copy of them is kept in this repository.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

export const KUBERNETES_VERSION = "v1.34.2";

export const CERT_MANAGER_VERSION = "v1.19.1";

const moduleDirs = new Map<string, string>();

/** The unpacked source of a Go module, fetched once into Go's module cache by the ordinary `go` client. */
export function goModuleDir(module: string, version: string): string {
    const key = `${module}@${version}`;
    const known = moduleDirs.get(key);
    if (known) return known;
    let out: string;
    try {
        out = execFileSync("go", ["mod", "download", "-json", key], {
            encoding: "utf8",
            cwd: fs.mkdtempSync(path.join(require("os").tmpdir(), "go-module-")),
            env: { ...process.env, GOFLAGS: "-mod=mod" },
            stdio: ["ignore", "pipe", "pipe"],
        });
    } catch (e) {
        throw new Error(`'go mod download ${key}' failed (is Go installed and the module proxy reachable?): ${(e as Error).message}`);
    }
    const dir = JSON.parse(out).Dir as string;
    moduleDirs.set(key, dir);
    return dir;
}

/** The directory holding `api__v1_openapi.json`, `apis__apps__v1_openapi.json`, … */
export function kubernetesOpenApiDir(): string {
    const dir = path.join(goModuleDir("k8s.io/kubernetes", KUBERNETES_VERSION), "api", "openapi-spec", "v3");
    if (!fs.existsSync(path.join(dir, "api__v1_openapi.json"))) throw new Error(`no OpenAPI documents in ${dir}`);
    return dir;
}

/** cert-manager's Certificate CRD, from its Go module (deploy/crds). */
export function certManagerCrdFiles(): string[] {
    const dir = path.join(goModuleDir("github.com/cert-manager/cert-manager", CERT_MANAGER_VERSION), "deploy", "crds");
    return [path.join(dir, "cert-manager.io_certificates.yaml")];
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
