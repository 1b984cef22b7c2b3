// The fleet validator is generated as code at build time (scripts/gen-fleet-validator.ts) so a run
// does not compile it at start-up. It must be the one in use, made from the current schema, and
// answer exactly as the validator compiled from the schema does.
import { expect } from "chai";
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
