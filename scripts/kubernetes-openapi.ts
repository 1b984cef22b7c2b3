// Locates the official Kubernetes OpenAPI v3 documents. They ship in the k8s.io/kubernetes Go
// module (api/openapi-spec/v3), which the machine's ordinary `go` client fetches once into
// its module cache; no copy of them is kept in this repository.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

export const KUBERNETES_VERSION = "v1.34.2";

let cached: string | undefined;

/** The directory holding `api__v1_openapi.json`, `apis__apps__v1_openapi.json`, … */
export function kubernetesOpenApiDir(): string {
    if (cached) return cached;
    let out: string;
    try {
        out = execFileSync("go", ["mod", "download", "-json", `k8s.io/kubernetes@${KUBERNETES_VERSION}`], {
            encoding: "utf8",
            cwd: fs.mkdtempSync(path.join(require("os").tmpdir(), "k8s-openapi-")),
            env: { ...process.env, GOFLAGS: "-mod=mod" },
            stdio: ["ignore", "pipe", "pipe"],
        });
    } catch (e) {
        throw new Error(
            `The Kubernetes schemas come from the Go module k8s.io/kubernetes@${KUBERNETES_VERSION}; ` +
                `'go mod download' failed (is Go installed and the module proxy reachable?): ${(e as Error).message}`,
        );
    }
    const dir = path.join(JSON.parse(out).Dir as string, "api", "openapi-spec", "v3");
    if (!fs.existsSync(path.join(dir, "api__v1_openapi.json"))) throw new Error(`no OpenAPI documents in ${dir}`);
    cached = dir;
    return dir;
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
