// Validates every emitted Kubernetes object the way `kubectl apply --validate=strict` would:
// built-in kinds against the official Kubernetes OpenAPI v3 schemas, Istio and Gateway API
// kinds against their upstream CRDs (Go modules pinned in versions.json, see scripts/upstream.ts),
// and ASM's IstioGateway against the gateway schema.
import type Ajv from "ajv";
import * as fs from "fs";
import YAML from "yaml";
import k8sDefinitions from "../../core/k8s-definitions.json";
import type { KubeObject } from "../../core/render/common";
import { newKubernetesAjv, strictify, describeAjvErrors, type JsonSchema, type SchemaViolation } from "../../core/openapi";
import { FLEET_SCHEMA } from "../../core/schema";
import { loadKubernetesSchemas, upstreamCrdFiles } from "../../scripts/upstream";

type Validate = (value: unknown) => SchemaViolation[];

class SchemaRegistry {
    private readonly ajv: Ajv = newKubernetesAjv();
    private readonly sources = new Map<string, () => Validate>();
    private readonly compiled = new Map<string, Validate>();

    constructor() {
        this.addKubernetes();
        this.addCrds();
        this.addIstioGateway();
        this.addAsmExtensionProvider();
    }

    private addKubernetes(): void {
        const schemas = loadKubernetesSchemas();
        const doc = { components: { schemas: strictify(schemas) } };
        this.ajv.addSchema(doc as JsonSchema, "k8s-openapi");
        for (const [name, schema] of Object.entries(schemas)) {
            const gvks = (schema["x-kubernetes-group-version-kind"] ?? []) as { group: string; version: string; kind: string }[];
            for (const gvk of gvks) {
                const apiVersion = gvk.group === "" ? gvk.version : `${gvk.group}/${gvk.version}`;
                const ref = `k8s-openapi#/components/schemas/${name}`;
                this.sources.set(`${apiVersion}/${gvk.kind}`, () => this.compile({ $ref: ref }));
            }
        }
    }

    private addCrds(): void {
        for (const file of upstreamCrdFiles()) {
            for (const doc of YAML.parseAllDocuments(fs.readFileSync(file, "utf8"))) {
                const crd = doc.toJS() as CustomResourceDefinition | null;
                if (crd?.kind !== "CustomResourceDefinition") continue;
                for (const v of crd.spec.versions) {
                    const schema = v.schema?.openAPIV3Schema;
                    if (!schema) continue;
                    // The API server accepts apiVersion, kind and metadata on every custom resource
                    // whether or not the CRD lists them (Istio's CRDs do not).
                    const root = {
                        ...schema,
                        properties: {
                            apiVersion: { type: "string" },
                            kind: { type: "string" },
                            metadata: { $ref: "k8s-openapi#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta" },
                            ...(schema.properties as JsonSchema | undefined),
                        },
                    };
                    this.sources.set(`${crd.spec.group}/${v.name}/${crd.spec.names.kind}`, () => this.compile(root));
                }
            }
        }
    }

    private addIstioGateway(): void {
        const gatewayProperties = (FLEET_SCHEMA.properties as JsonSchema).gateway as JsonSchema;
        const schema: JsonSchema = {
            type: "object",
            required: ["apiVersion", "kind", "metadata", "spec"],
            properties: {
                apiVersion: { const: "istio.alibabacloud.com/v1beta1" },
                kind: { const: "IstioGateway" },
                metadata: {
                    type: "object",
                    required: ["name", "namespace"],
                    properties: { name: { type: "string" }, namespace: { const: "istio-system" } },
                    "x-kubernetes-preserve-unknown-fields": true,
                },
                spec: { ...gatewayProperties, required: ["clusterIds", "gatewayType"] },
            },
        };
        this.ajv.addSchema(strictify(k8sDefinitions) as JsonSchema, "k8s");
        this.sources.set("istio.alibabacloud.com/v1beta1/IstioGateway", () => this.compile(schema));
    }

    // ASM publishes no CRD file: the fields of its ASMExtensionProvider reference page that the
    // product writes (https://www.alibabacloud.com/help/en/asm/sidecar/description-of-asmextensionprovider-crd:
    // a cluster-wide object whose envoyFileAccessLog carries a path and a logFormat text).
    private addAsmExtensionProvider(): void {
        const schema: JsonSchema = {
            type: "object",
            required: ["apiVersion", "kind", "metadata", "spec"],
            properties: {
                apiVersion: { const: "istio.alibabacloud.com/v1" },
                kind: { const: "ASMExtensionProvider" },
                metadata: {
                    type: "object",
                    required: ["name"],
                    not: { required: ["namespace"] },
                    properties: { name: { type: "string", minLength: 1 } },
                    "x-kubernetes-preserve-unknown-fields": true,
                },
                spec: {
                    type: "object",
                    required: ["envoyFileAccessLog"],
                    properties: {
                        envoyFileAccessLog: {
                            type: "object",
                            properties: {
                                path: { type: "string" },
                                logFormat: { type: "object", required: ["text"], properties: { text: { type: "string", minLength: 1 } } },
                            },
                        },
                    },
                },
            },
        };
        this.sources.set("istio.alibabacloud.com/v1/ASMExtensionProvider", () => this.compile(schema));
    }

    private compile(schema: JsonSchema): Validate {
        const validate = this.ajv.compile(strictify(schema) as JsonSchema);
        return (value) => (validate(value) ? [] : describeAjvErrors(validate.errors));
    }

    validator(apiVersion: string, kind: string): Validate | undefined {
        const key = `${apiVersion}/${kind}`;
        let v = this.compiled.get(key);
        if (!v) {
            const source = this.sources.get(key);
            if (!source) return undefined;
            v = source();
            this.compiled.set(key, v);
        }
        return v;
    }

    kinds(): string[] {
        return [...this.sources.keys()];
    }
}

interface CustomResourceDefinition {
    kind: string;
    spec: { group: string; names: { kind: string }; versions: { name: string; schema?: { openAPIV3Schema?: JsonSchema } }[] };
}

let registry: SchemaRegistry | undefined;
export function schemas(): SchemaRegistry {
    return (registry ??= new SchemaRegistry());
}

/** Schema violations of one object, `[]` when valid; an unknown kind is itself a violation. */
export function violations(obj: KubeObject): string[] {
    const validate = schemas().validator(obj.apiVersion, obj.kind);
    if (!validate) return [`no schema known for ${obj.apiVersion} ${obj.kind}`];
    return validate(obj).map((v) => `${obj.kind}/${obj.metadata?.name}${v.path}: ${v.message}`);
}

/** Throws with every violation of every object; the helper all emitted objects go through. */
export function assertValidObjects(objects: readonly KubeObject[]): void {
    const all = objects.flatMap(violations);
    if (all.length > 0) throw new Error(`schema violations:\n  ${all.join("\n  ")}`);
}
