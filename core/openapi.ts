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

/**
 * A copy of `schema` in which every subschema of a field (a property's, an array's items, a
 * map's values) of at least `minBytes` of JSON is moved to `definitions` and referenced by `$ref`,
 * named by the first field path it is found at. Compiled with Ajv's `inlineRefs: false`, each
 * becomes a function of its own instead of part of one function for the whole schema, which V8
 * would compile whole on the first validation; one subschema object used by several fields
 * becomes one function. Only `schemaPath` in Ajv's errors changes (it names the definition).
 */
export function hoistSubschemas(schema: JsonSchema, minBytes: number): JsonSchema {
    const names = new Map<unknown, string>();
    const definitions: Record<string, JsonSchema> = {};
    const field = (sub: unknown, name: string): unknown => {
        if (sub === null || typeof sub !== "object" || Array.isArray(sub)) return sub;
        if (JSON.stringify(sub).length < minBytes) return walk(sub as JsonSchema, name);
        if (!names.has(sub)) {
            names.set(sub, name);
            definitions[name] = walk(sub as JsonSchema, name);
        }
        return { $ref: `#/definitions/${names.get(sub)}` };
    };
    const walk = (node: JsonSchema, at: string): JsonSchema => {
        const prefix = at === "" ? "" : `${at}.`;
        const out: JsonSchema = {};
        for (const [key, value] of Object.entries(node)) {
            if (key === "properties") {
                const props = Object.entries(value as JsonSchema);
                out[key] = Object.fromEntries(props.map(([name, sub]) => [name, field(sub, `${prefix}${name}`)]));
            } else if (key === "items" || key === "additionalProperties") {
                out[key] = field(value, `${prefix}${key === "items" ? "items" : "values"}`);
            } else if (key === "oneOf" || key === "anyOf" || key === "allOf") {
                out[key] = (value as JsonSchema[]).map((branch, i) => walk(branch, `${prefix}${key}${i}`));
            } else {
                out[key] = value;
            }
        }
        return out;
    };
    const root = walk(schema, "");
    return Object.keys(definitions).length === 0 ? root : { ...root, definitions };
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
