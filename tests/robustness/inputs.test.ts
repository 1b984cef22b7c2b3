// Inputs as programs, parsers and other languages' SDKs really make them: objects without a
// prototype, keys named like Object.prototype's members, `undefined` fields, frozen objects, and
// YAML files with aliases, merge keys, tags and keys that are not text. Each plans as its plain
// equivalent or is refused with a field path; the caller's objects are never changed.
import { expect } from "chai";
import { spawnSync } from "child_process";
import fc from "fast-check";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { isDeepStrictEqual } from "util";
import type { MeshGatewayArgs } from "../../components/meshGateway";
import { ConfigError } from "../../core/errors";
import type { GatewayFleetSpec } from "../../core/fleet";
import { planFleet } from "../../core/plan";
import { parseInputs } from "../../import";
import { loadFleets } from "../../offline/plan";
import { fleetArb } from "../support/arbitraries";
import { base } from "../support/builders";
import { featureFleetArb, writeFeatureFiles } from "../support/featureArbitraries";
import { runGateway } from "../support/fleet";
import { configError } from "../support/objects";

const ROOT = path.join(__dirname, "..", "..", "..");
const CLI = path.join(ROOT, "bin", "cli", "main.js");

/** `value` with every plain object (not arrays) rebuilt without a prototype, as some parsers build them. */
function withoutPrototypes<T>(value: T): T {
    if (Array.isArray(value)) return value.map(withoutPrototypes) as T;
    if (value === null || typeof value !== "object") return value;
    const out = Object.create(null) as Record<string, unknown>;
    for (const [k, v] of Object.entries(value)) out[k] = withoutPrototypes(v);
    return out as T;
}

function deepFreeze<T>(value: T): T {
    if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
        Object.freeze(value);
        for (const v of Object.values(value)) deepFreeze(v);
    }
    return value;
}

function argsOf(fleet: GatewayFleetSpec): { name: string; args: MeshGatewayArgs } {
    const { name, ...rest } = fleet;
    return { name, args: { ...rest, gatewayName: name } as MeshGatewayArgs };
}

/**
 * What the component registered, without what differs between runs of the same args: a DNS
 * record's address, which the fake cloud numbers anew on every run.
 */
async function registered(name: string, args: MeshGatewayArgs) {
    const run = await runGateway(name, args);
    return run.resources.map((r) => {
        const { value: _address, ...inputs } = r.inputs;
        const dns = r.type.startsWith("alicloud:dns/") || r.type.startsWith("alicloud:pvtz/");
        return { type: r.type, name: r.name, inputs: dns ? inputs : r.inputs, parent: r.parent, provider: r.provider };
    });
}

/** A fleet with a load balancer, tags, labels, overrides and routing: every kind of map the args have. */
const mapsEverywhere = (): GatewayFleetSpec => ({
    name: "edge",
    mode: "istio",
    clusters: [
        { id: "c1", kubeconfig: "kc1", region: "cn-hangzhou" },
        { id: "c2", kubeconfig: "kc2", region: "cn-hangzhou" },
    ],
    gateway: {
        podLabels: { team: "edge" },
        serviceAnnotations: { "example.com/owner": "edge" },
        nodeSelector: { pool: "edge" },
        loadBalancer: { backendType: "eni", tags: { team: "edge", cost: "shared" } },
        overrides: { c2: { podAnnotations: { "example.com/zone": "b" }, replicaCount: 3 } },
    },
    routing: {
        listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["shop.example.com"] }],
        http: [{ name: "shop", hosts: ["shop.example.com"], destinations: [{ host: "shop", subset: "v1" }] }],
        backends: { shop: { subsets: { v1: { version: "v1" } } } },
    },
});

describe("robustness: inputs", function () {
    this.timeout(300_000);

    it("objects without a prototype anywhere in the args register exactly as plain objects", async () => {
        const plain = argsOf(mapsEverywhere());
        const bare = argsOf(withoutPrototypes(mapsEverywhere()));
        expect(Object.getPrototypeOf(bare.args.gateway.loadBalancer!.tags)).to.equal(null);
        expect(await registered(bare.name, bare.args)).to.deep.equal(await registered(plain.name, plain.args));
    });

    it("load balancer tags named toString or valueOf reach the load balancer", async () => {
        const fleet = mapsEverywhere();
        fleet.gateway.loadBalancer!.tags = { toString: "no", valueOf: "no", constructor: "yes" };
        const { name, args } = argsOf(fleet);
        const lbs = (await runGateway(name, args)).resources.filter(
            (r) => r.type === "alicloud:slb/applicationLoadBalancer:ApplicationLoadBalancer",
        );
        expect(lbs.map((r) => r.inputs.tags)).to.deep.equal([fleet.gateway.loadBalancer!.tags, fleet.gateway.loadBalancer!.tags]);
    });

    it("a user's key named like an Object.prototype member is only a key", () => {
        const routing = mapsEverywhere().routing!;
        const subsets = planFleet({
            ...base(),
            routing: { ...routing, backends: {}, http: [{ ...routing.http![0], destinations: [{ host: "shop", subset: "constructor" }] }] },
        })
            .clusters[0].objects.filter((o) => o.kind === "DestinationRule")
            .map((o) => (o.spec as { subsets: unknown }).subsets);
        // Not the Object constructor as its labels (JSON drops a function: a subset of every pod).
        expect(subsets).to.deep.equal([[{ name: "constructor", labels: { version: "constructor" } }]]);
        // Not "Istio's JSON access log already has a field constructor (function Object() …)".
        const logs = { accessLogs: { format: "json" as const, fields: [{ name: "constructor", requestHeader: "x-team" }] } };
        expect(() => planFleet({ ...base(), observability: logs })).to.not.throw();
        // Not a sysctl Kubernetes knows.
        const kernel = { enabled: true, parameters: { constructor: "1" } };
        expect(configError({ ...base(), gateway: { kernel } })?.issues.map((i) => i.path)).to.deep.equal([
            'gateway.kernel.parameters["constructor"]',
        ]);
    });

    it("a field set to undefined is a field not given, as Pulumi sends it", () => {
        const replicas = (gateway: GatewaySpecLike) =>
            planFleet({ ...base(), gateway: gateway as GatewayFleetSpec["gateway"] }).clusters.map(
                (c) => c.objects.find((o) => o.kind === "Deployment")!.spec as { replicas?: number },
            );
        // The override leaves the base replica count alone, instead of replacing it with nothing.
        expect(replicas({ replicaCount: 3, overrides: { c1: { replicaCount: undefined } } }).map((s) => s.replicas)).to.deep.equal([3, 3]);
        expect(replicas({ replicaCount: 3, overrides: { c1: undefined } }).map((s) => s.replicas)).to.deep.equal([3, 3]);
        expect(() => planFleet({ ...base(), namespace: undefined, revision: undefined, gateway: {} })).to.not.throw();
    });

    it("never changes the caller's args, which may be deep-frozen, and plans them as it plans a copy", async () => {
        await fc.assert(
            fc.asyncProperty(fc.oneof(fleetArb(), featureFleetArb()), async (drawn) => {
                const feature = "features" in drawn ? drawn : undefined;
                const fleet: GatewayFleetSpec = "features" in drawn ? drawn.fleet : drawn;
                if (feature !== undefined) writeFeatureFiles(feature);
                const files = feature?.files;
                if (configError(structuredClone(fleet), files) !== undefined) return;
                const snapshot = structuredClone(fleet);
                const frozen = deepFreeze(structuredClone(fleet));
                expect(planFleet(frozen, undefined, files)).to.deep.equal(planFleet(structuredClone(fleet), undefined, files));
                const { name, args } = argsOf(fleet);
                const a = await registered(name, args);
                // Compared as clones: the generator draws some objects without a prototype, which a clone gives one.
                expect(isDeepStrictEqual(structuredClone(fleet), snapshot), "the component changed its args").to.equal(true);
                const b = argsOf(frozen);
                expect(await registered(b.name, b.args)).to.deep.equal(a);
            }),
            { numRuns: 12, seed: 20261202 },
        );
    });
});

/** A gateway spec as a program may write it: an override may be `undefined`. */
type GatewaySpecLike = Omit<GatewayFleetSpec["gateway"], "overrides"> & { overrides?: Record<string, object | undefined> };

describe("robustness: YAML files", () => {
    let dir: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "mesh-gateway-yaml-"));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const write = (name: string, text: string) => {
        const file = path.join(dir, name);
        fs.writeFileSync(file, text);
        return file;
    };
    const fleetFile = (gateway: string, clusters = "[{ id: c1 }]") =>
        `gateways:\n  - name: edge\n    mode: istio\n    clusters: ${clusters}\n    gateway:\n${gateway}\n`;
    const refusal = (file: string): string[] => {
        try {
            loadFleets(file);
        } catch (e) {
            expect(e, String(e)).to.be.instanceOf(ConfigError);
            return (e as ConfigError).issues.map((i) => `${i.path}: ${i.message}`);
        }
        return [];
    };

    it("applies merge keys, as the Pulumi CLI reads a stack file", () => {
        const file = write(
            "merge.yaml",
            `common: &common { replicaCount: 2 }\n${fleetFile("      <<: *common\n      podLabels: { team: edge }")}`,
        );
        expect(loadFleets(file)[0].args.gateway).to.deep.equal({ replicaCount: 2, podLabels: { team: "edge" } });
    });

    it("refuses aliases that expand without end, and an alias inside its own anchor", () => {
        const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
        for (const [i, n] of ["b", "c", "d", "e", "f", "g", "h", "i"].entries())
            laughs.push(`${n}: &${n} [${Array(9).fill(`*${"abcdefgh"[i]}`).join(",")}]`);
        const bomb = write("laughs.yaml", `${laughs.join("\n")}\n${fleetFile("      podLabels: { x: *i }")}`);
        expect(refusal(bomb)).to.deep.equal([`${bomb}: YAML: Excessive alias count indicates a resource exhaustion attack`]);
        const loop = write(
            "loop.yaml",
            "gateways:\n  - &g\n    name: edge\n    mode: istio\n    clusters: [{ id: c1 }]\n    gateway: { podLabels: *g }\n",
        );
        expect(refusal(loop)).to.deep.equal(["gateways[0].gateway.podLabels: refers back to gateways[0]: a cycle, which data cannot have"]);
    });

    it("refuses keys YAML does not read as written, and keys that are lists", () => {
        const keys = write(
            "keys.yaml",
            fleetFile('      podLabels: { 1: a, "x": b }\n      overrides:\n        007: { replicaCount: 3 }', '[{ id: "007" }]'),
        );
        expect(refusal(keys)).to.deep.equal([
            `${keys}: YAML: the key 007 at line 8, column 9 is read as number 7: quote it ("007") to keep it as written`,
        ]);
        const list = write("list-key.yaml", fleetFile("      podLabels: { ? [a, b] : c }"));
        expect(refusal(list)).to.deep.equal([`${list}: YAML: the map key at line 6, column 22 is a list or map; keys must be text`]);
    });

    it("refuses tags that make values which are not text, and tags it does not know", () => {
        expect(refusal(write("binary.yaml", fleetFile("      podAnnotations: { a: !!binary aGVsbG8= }")))).to.deep.equal([
            'gateways[0].gateway.podAnnotations["a"]: is binary data (a YAML !!binary value?), not text',
        ]);
        expect(refusal(write("set.yaml", fleetFile("      podLabels: !!set { a, b }")))[0]).to.match(
            /^gateways\[0\]\.gateway\.podLabels: is a Set/,
        );
        expect(refusal(write("omap.yaml", fleetFile("      podLabels: !!omap [ a: b ]")))[0]).to.match(
            /^gateways\[0\]\.gateway\.podLabels: is a Map/,
        );
        expect(refusal(write("inf.yaml", fleetFile("      maxReplicas: .inf")))).to.deep.equal([
            "gateways[0].gateway.maxReplicas: is Infinity, not a finite number",
        ]);
        const unknown = write("tag.yaml", fleetFile("      podAnnotations: { a: !Ref foo }"));
        expect(refusal(unknown)[0]).to.match(/: YAML: Unresolved tag: !Ref at line 6, column 28/);
    });

    it("the importer refuses aliases that expand without end and cycles, with the document and path", () => {
        const parse = (text: string): string[] => {
            try {
                parseInputs([{ name: "in.yaml", text }]);
            } catch (e) {
                expect(e, String(e)).to.be.instanceOf(ConfigError);
                return (e as ConfigError).issues.map((i) => `${i.path}: ${i.message}`);
            }
            return [];
        };
        const levels = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
        const bomb = levels.map(
            (n, i) =>
                `${n}: &${n} [${
                    i === 0
                        ? Array(9).fill('"lol"').join(",")
                        : Array(9)
                              .fill(`*${levels[i - 1]}`)
                              .join(",")
                }]`,
        );
        expect(parse(bomb.join("\n"))).to.deep.equal(["in.yaml#0: YAML: Excessive alias count indicates a resource exhaustion attack"]);
        const loop = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: &m\n  name: web\n  annotations: { a: *m }\n";
        expect(parse(loop)).to.deep.equal([
            'in.yaml#0.metadata.annotations["a"]: refers back to metadata: a cycle, which data cannot have',
        ]);
    });

    it("the CLI prints the problem with its path and exits 2, never a JavaScript error", () => {
        const file = write(
            "proto.yaml",
            fleetFile("      loadBalancer: { tags: { __proto__: x, toString: y } }", "[{ id: c1, region: cn-hangzhou }]"),
        );
        const r = spawnSync(process.execPath, [CLI, "plan", file], { cwd: ROOT, encoding: "utf8" });
        expect(r.status, r.stderr).to.equal(2);
        expect(r.stderr).to.equal(
            `mesh-gateway: invalid ${file}:\n  gateways[0].gateway.loadBalancer.tags["__proto__"]: "__proto__" cannot be a key: JavaScript reads it as the object's prototype\n`,
        );
    });
});
