// Validation against Kubernetes OpenAPI schemas the way `kubectl --validate=strict` does it.
// CRD and built-in schemas do not forbid unknown fields (the API server prunes them silently),
// so a plain JSON-schema check passes a typo such as `spec.http[0].rout`. `strictify` closes
// every object node that lists its properties, unless Kubernetes marks it open.
import type Ajv from "ajv";
import type { ErrorObject, Options } from "ajv";
import { KUBERNETES_FORMATS } from "./formats";
import { suggest } from "./errors";

export type JsonSchema = { [keyword: string]: unknown };

/** An Ajv instance that knows the OpenAPI/Kubernetes keywords and formats these schemas use. */
export function newKubernetesAjv(options: Options = {}): Ajv {
    // Loaded on first use: a run with the validator generated at build time never needs Ajv's compiler.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use (see above)
    const AjvClass = (require("ajv") as { default: typeof Ajv }).default;
    const ajv = new AjvClass({ allErrors: true, strict: false, validateFormats: true, verbose: true, ...options });
    for (const [name, format] of Object.entries(KUBERNETES_FORMATS)) ajv.addFormat(name, format);
    return ajv;
}

/**
 * A copy of `schema` in which every object node that names its properties refuses others,
 * except where Kubernetes keeps unknown fields (`x-kubernetes-preserve-unknown-fields`).
 * Descriptions are dropped: they are most of the bytes and none of the rules.
 */
export function strictify(schema: unknown, partial = false): unknown {
    if (Array.isArray(schema)) return schema.map((s) => strictify(s, partial));
    if (schema === null || typeof schema !== "object") return schema;
    const node = schema as JsonSchema;
    const out: JsonSchema = {};
    for (const [key, value] of Object.entries(node)) {
        if (key === "description" || key === "example") continue;
        // `properties`, `patternProperties`, `definitions` and `components.schemas` map names
        // to schemas: their keys are not keywords.
        if (key === "properties" || key === "patternProperties" || key === "schemas" || key === "definitions") {
            out[key] = Object.fromEntries(Object.entries(value as JsonSchema).map(([name, sub]) => [name, strictify(sub)]));
        } else {
            // A branch of oneOf/anyOf/allOf constrains some fields of an object whose full set of
            // fields is named by the node around it: closing the branch would refuse the others.
            out[key] = strictify(value, key === "oneOf" || key === "anyOf" || key === "allOf");
        }
    }
    const open = node["x-kubernetes-preserve-unknown-fields"] === true;
    if (node.properties !== undefined && node.additionalProperties === undefined && !open && !partial) {
        out.additionalProperties = false;
    }
    return out;
}

/** One schema violation, with the path in the object (`/spec/template/...`). */
export interface SchemaViolation {
    path: string;
    message: string;
}

export function describeAjvErrors(errors: ErrorObject[] | null | undefined): SchemaViolation[] {
    const seen = new Set<string>();
    const out: SchemaViolation[] = [];
    for (const e of errors ?? []) {
        // oneOf/anyOf failures repeat what their branches already said.
        if (e.keyword === "oneOf" || e.keyword === "anyOf" || e.keyword === "if") continue;
        let path = e.instancePath;
        let message = e.message ?? e.keyword;
        if (e.keyword === "additionalProperties") {
            const field = (e.params as { additionalProperty: string }).additionalProperty;
            path = `${path}/${field.replace(/~/g, "~0").replace(/\//g, "~1")}`;
            const known = Object.keys((e.parentSchema?.properties as JsonSchema | undefined) ?? {});
            const hint = suggest(field, known);
            message = hint ? `unknown field (did you mean ${hint}?)` : "unknown field";
        } else if (e.keyword === "enum") {
            message = `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
        }
        const key = `${path}\u0000${message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ path, message });
    }
    return out;
}
