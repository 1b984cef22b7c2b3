// The fleet validator is generated as code at build time (scripts/gen-fleet-validator.ts) so a run
// does not compile it at start-up. It must be the one in use, made from the current schema, and
// answer exactly as the validator compiled from the schema does.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { hoistSubschemas, newKubernetesAjv, strictify, type JsonSchema } from "../core/openapi";
import { compileFleetValidator, fleetSchemaDigest, fleetValidator } from "../core/schema";

const base = { name: "edge", mode: "istio", clusters: [{ id: "c1", kubeconfig: "kc" }], gateway: {} };
const inputs: unknown[] = [
    base,
    { ...base, gateway: { replicaCount: 2, ports: [{ name: "http2", port: 80, targetPort: 8080 }] } },
    { ...base, gateway: { replicaCont: 2 } },
    { ...base, mode: "both" },
    { ...base, gateway: { ports: [{ name: "http2", port: 2 ** 40 }] } },
    { ...base, gateway: { tolerations: [{ key: "k", operator: "Exists", effect: "NoSchedule", tolerationSecond: 5 }] } },
    { ...base, gateway: { resources: { limits: { cpu: 2 } }, env: [{ name: "A", valueFrom: { fieldRef: {} } }] } },
    {
        ...base,
        gateway: {
            affinity: {
                nodeAffinity: {
                    requiredDuringSchedulingIgnoredDuringExecution: {
                        nodeSelectorTerms: [{ matchExpressions: [{ key: "k", operator: "In" }] }],
                    },
                },
            },
        },
    },
    {
        ...base,
        routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: [] }] },
        kernel: { parameters: { "net.core.somaxconn": 1024 } },
    },
    "not an object",
];

describe("the fleet validator generated at build time", () => {
    it("is the one in use, made from the current schema", () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- a JavaScript file the build writes beside the compiled core, with no TypeScript source
        const generated = require("../core/fleetValidator.generated") as { digest: string };
        expect(generated.digest).to.equal(fleetSchemaDigest());
        expect(fleetValidator()).to.equal(generated);
    });

    it("answers every input exactly as the compiled schema does, errors included", () => {
        const compiled = compileFleetValidator().validate;
        const generated = fleetValidator();
        let refused = 0;
        for (const input of inputs) {
            const [a, b] = [compiled(input), generated(input)];
            expect(b, JSON.stringify(input)).to.equal(a);
            expect(JSON.parse(JSON.stringify(generated.errors ?? null)), JSON.stringify(input)).to.deep.equal(
                JSON.parse(JSON.stringify(compiled.errors ?? null)),
            );
            if (!a) refused++;
        }
        expect(refused).to.be.greaterThan(5);
    });
});

describe("the fleet schema's big subschemas as functions of their own", () => {
    const port = { type: "object", properties: { name: { type: "string", minLength: 1 }, port: { type: "integer", maximum: 65535 } } };
    const balancer = { type: "object", properties: { type: { enum: ["CLB", "NLB"] }, ports: { type: "array", items: port } } };
    const schema: JsonSchema = {
        type: "object",
        properties: {
            name: { type: "string" },
            loadBalancer: balancer,
            overrides: { type: "object", additionalProperties: { type: "object", properties: { loadBalancer: balancer } } },
        },
    };

    it("moves each big subschema to definitions once, however many fields use it, and leaves small ones in place", () => {
        // 150 bytes: a port's schema (113) and the ports array's (~140) stay in place.
        const hoisted = hoistSubschemas(schema, 150);
        const props = hoisted.properties as Record<string, JsonSchema>;
        expect(props.name).to.deep.equal({ type: "string" });
        expect(props.loadBalancer).to.deep.equal({ $ref: "#/definitions/loadBalancer" });
        expect(props.overrides).to.deep.equal({ $ref: "#/definitions/overrides" });
        const definitions = hoisted.definitions as Record<string, JsonSchema>;
        expect(Object.keys(definitions).sort()).to.deep.equal(["loadBalancer", "overrides", "overrides.values"]);
        expect(definitions.loadBalancer).to.deep.equal(balancer);
        expect(definitions.overrides.additionalProperties).to.deep.equal({ $ref: "#/definitions/overrides.values" });
        // The second use of the same subschema refers to the first one's definition.
        expect(definitions["overrides.values"].properties).to.deep.equal({ loadBalancer: { $ref: "#/definitions/loadBalancer" } });
        expect(hoistSubschemas(schema, 10_000)).to.deep.equal(schema);
    });

    it("validates as the schema it came from: same answers, same error paths and messages", () => {
        const plain = newKubernetesAjv().compile(strictify(schema) as JsonSchema);
        const split = newKubernetesAjv({ inlineRefs: false }).compile(strictify(hoistSubschemas(schema, 150)) as JsonSchema);
        const cases: unknown[] = [
            { name: "a", loadBalancer: { type: "CLB", ports: [{ name: "http", port: 80 }] } },
            { name: 1, loadBalancer: { type: "ALB", ports: [{ name: "", port: 70000, extra: 1 }] }, nope: 1 },
            { overrides: { c1: { loadBalancer: { ports: [{ port: "80" }], typo: 1 } } } },
        ];
        const seen = (e: { instancePath: string; message?: string; keyword: string; params: unknown }) => [
            e.instancePath,
            e.message,
            e.keyword,
            e.params,
        ];
        for (const input of cases) {
            expect(split(input), JSON.stringify(input)).to.equal(plain(input));
            expect((split.errors ?? []).map(seen), JSON.stringify(input)).to.deep.equal((plain.errors ?? []).map(seen));
        }
    });

    it("leaves no function of the generated validator so big that its first use compiles most of the schema", () => {
        const code = fs.readFileSync(path.join(__dirname, "..", "core", "fleetValidator.generated.js"), "utf8");
        const starts = [...code.matchAll(/function validate\d+\(/g)].map((m) => m.index!);
        const sizes = starts.map((start, i) => (starts[i + 1] ?? code.length) - start);
        expect(sizes.length).to.be.greaterThan(10);
        expect(Math.max(...sizes)).to.be.lessThan(code.length / 5);
    });
});
