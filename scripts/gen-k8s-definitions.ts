// Writes core/k8s-definitions.json: the Kubernetes schemas of the pod fields a gateway spec
// passes through (affinity, tolerations, env, lifecycle, resources, topology spread, pull secrets,
// HPA behavior), so the component can
// check them at run time without the full OpenAPI documents. `npm test` checks it is current.
import * as fs from "fs";
import * as path from "path";
import { KUBERNETES_VERSION, loadKubernetesSchemas } from "./upstream";

export const ROOTS = [
    ...["Affinity", "Toleration", "EnvVar", "Lifecycle", "ResourceRequirements", "TopologySpreadConstraint", "LocalObjectReference"].map(
        (n) => `io.k8s.api.core.v1.${n}`,
    ),
    "io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerBehavior",
];
export const OUTPUT = path.join(__dirname, "..", "..", "core", "k8s-definitions.json");

export function buildDefinitions(): string {
    const all = loadKubernetesSchemas();
    const picked: Record<string, unknown> = {};
    const visit = (name: string) => {
        if (picked[name]) return;
        const schema = all[name];
        if (!schema) throw new Error(`schema ${name} not found`);
        const text = JSON.stringify(schema, (k, v) => (k === "description" ? undefined : v)).replace(
            /#\/components\/schemas\//g,
            "#/definitions/",
        );
        picked[name] = JSON.parse(text);
        for (const m of text.matchAll(/"#\/definitions\/([^"]+)"/g)) visit(m[1]);
    };
    ROOTS.forEach(visit);
    const sorted = Object.fromEntries(
        Object.keys(picked)
            .sort()
            .map((k) => [k, picked[k]]),
    );
    return JSON.stringify({ source: `k8s.io/kubernetes@${KUBERNETES_VERSION} api/openapi-spec/v3`, definitions: sorted }, null, 1) + "\n";
}

if (require.main === module) {
    fs.writeFileSync(OUTPUT, buildDefinitions());
    console.log(`wrote ${OUTPUT}`);
}
