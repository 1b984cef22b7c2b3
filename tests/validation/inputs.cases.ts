// Values that are not data, wherever a program, a parser or another language's SDK puts them:
// Maps, Sets, Dates, binary data, class instances, functions, BigInts, symbols, NaN and Infinity,
// getters that throw, cycles, `__proto__` keys; Pulumi Outputs and Promises where the fleet's shape
// must be known at construction, and anything but text (or an Output of it) where it takes one.
import * as pulumi from "@pulumi/pulumi";
import { asm, base } from "../support/builders";
import type { Case } from "./case";

const OUTPUT_RULE =
    "is a Pulumi Output or a Promise; it must be a plain value known when the component is constructed, since it decides which resources exist";
const INPUT_RULE = "must be a string, or a Pulumi Output or Promise of one";

class GatewayConfig {
    replicaCount = 2;
}

/** A cluster that gets a load balancer: cloud ids are read there. */
const lbCluster = () => ({ ...base(), clusters: [{ id: "c1", region: "cn-hangzhou" }] });
const nlbZones = [
    { zoneId: "cn-hangzhou-h", vswitchId: "vsw-h" },
    { zoneId: "cn-hangzhou-j", vswitchId: "vsw-j" },
];

export const cases: Case[] = [
    [
        "a Map of labels (its entries are not fields: every rule would see it empty)",
        () => ({ ...base(), gateway: { podLabels: new Map([["team", "edge"]]) } }),
        "gateway.podLabels: is a Map, not a plain object",
    ],
    [
        "a Map of load balancer tags",
        () => ({ ...lbCluster(), gateway: { loadBalancer: { tags: new Map([["team", "edge"]]) } } }),
        "gateway.loadBalancer.tags: is a Map, not a plain object",
    ],
    [
        "a Set of ports",
        () => ({ ...base(), gateway: { ports: new Set([{ name: "http2", port: 80 }]) } }),
        "gateway.ports: is a Set, not a list",
    ],
    [
        "a Date as an annotation value (a YAML timestamp)",
        () => ({ ...base(), gateway: { podAnnotations: { since: new Date(0) } } }),
        'gateway.podAnnotations["since"]: is a Date, not text',
    ],
    [
        "binary data as an annotation value (a YAML !!binary)",
        () => ({ ...base(), gateway: { serviceAnnotations: { blob: new Uint8Array([104, 105]) } } }),
        'gateway.serviceAnnotations["blob"]: is binary data',
    ],
    [
        "a class instance as the gateway (its prototype's getters would be lost)",
        () => ({ ...base(), gateway: new GatewayConfig() }),
        "gateway: is an instance of GatewayConfig, not plain data",
    ],
    [
        "a String object as a name",
        () => ({ ...base(), gateway: { priorityClassName: new String("high") } }),
        "gateway.priorityClassName: is a string object (new String(…)), not a string",
    ],
    ["a BigInt replica count", () => ({ ...base(), gateway: { replicaCount: BigInt(2) } }), "gateway.replicaCount: is a BigInt"],
    [
        "a symbol as a label value",
        () => ({ ...base(), gateway: { podLabels: { team: Symbol("edge") } } }),
        'gateway.podLabels["team"]: is a symbol',
    ],
    [
        "a function as a field",
        () => ({ ...base(), gateway: { priorityClassName: () => "high" } }),
        "gateway.priorityClassName: is a function",
    ],
    ["NaN replicas", () => ({ ...base(), gateway: { replicaCount: NaN } }), "gateway.replicaCount: is NaN, not a finite number"],
    [
        "Infinity as maxReplicas (a YAML .inf; the schema's integer check lets it through)",
        () => ({ ...base(), gateway: { maxReplicas: Infinity } }),
        "gateway.maxReplicas: is Infinity, not a finite number",
    ],
    [
        "a replica count beyond Kubernetes' 32-bit integers",
        () => ({ ...base(), gateway: { replicaCount: 1e23 } }),
        "gateway.replicaCount: must be <= 2147483647",
    ],
    [
        "a retry count beyond 32 bits",
        () => ({
            ...base(),
            routing: {
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["shop.example.com"] }],
                http: [{ name: "shop", hosts: ["shop.example.com"], destinations: [{ host: "shop" }], retries: { attempts: 2 ** 32 } }],
            },
        }),
        "routing.http[0].retries.attempts: must be <= 2147483647",
    ],
    [
        "a getter that throws",
        () => ({
            ...base(),
            gateway: {
                get replicaCount(): number {
                    throw new Error("replicas not loaded yet");
                },
            },
        }),
        "gateway.replicaCount: could not be read: replicas not loaded yet",
    ],
    [
        "a Proxy that cannot list its keys",
        () => ({
            ...base(),
            gateway: new Proxy(
                {},
                {
                    ownKeys() {
                        throw new Error("revoked");
                    },
                },
            ),
        }),
        "gateway: could not be read: revoked",
    ],
    [
        "a cycle",
        () => {
            const gateway: Record<string, unknown> = { podLabels: {} };
            (gateway.podLabels as Record<string, unknown>).self = gateway;
            return { ...base(), gateway };
        },
        'gateway.podLabels["self"]: refers back to gateway: a cycle',
    ],
    [
        "a cycle under a field the schema does not open (kubeconfig)",
        () => {
            const kubeconfig: Record<string, unknown> = {};
            kubeconfig.self = kubeconfig;
            return { ...base(), clusters: [{ id: "c1", kubeconfig }] };
        },
        `clusters[0].kubeconfig: ${INPUT_RULE} (got an object)`,
    ],
    [
        "nesting deeper than any fleet",
        () => {
            const root: Record<string, unknown> = {};
            let node = root;
            for (let i = 0; i < 10_000; i++) node = (node.nodeAffinity = {}) as Record<string, unknown>;
            return { ...base(), gateway: { affinity: root } };
        },
        "gateway.affinity.nodeAffinity.nodeAffinity",
    ],
    [
        "a __proto__ tag (JSON.parse makes it an own key)",
        () => ({ ...lbCluster(), gateway: { loadBalancer: { tags: JSON.parse('{"__proto__": "x", "team": "edge"}') as object } } }),
        'gateway.loadBalancer.tags["__proto__"]: "__proto__" cannot be a key',
    ],
    [
        "a __proto__ override",
        () => ({ ...base(), gateway: { overrides: JSON.parse('{"__proto__": {"replicaCount": 3}}') as object } }),
        'gateway.overrides["__proto__"]: "__proto__" cannot be a key',
    ],
    [
        "a 100 000-character name, quoted in the message only in part",
        () => ({ ...base(), gateway: { priorityClassName: "x".repeat(100_000) } }),
        `gateway.priorityClassName: "${"x".repeat(60)}…" (100000 characters) is not a valid PriorityClass name`,
    ],
    [
        "cluster ids that differ only in case",
        () => ({ ...base(), clusters: [{ id: "prod-HZ" }, { id: "prod-hz" }] }),
        'clusters[1].id: "prod-hz" differs from clusters[0].id ("prod-HZ") only in case',
    ],
    // Where the fleet takes a Pulumi input: text, or an Output or Promise of it.
    [
        "a number as a kubeconfig",
        () => ({ ...base(), clusters: [{ id: "c1", kubeconfig: 42 }] }),
        `clusters[0].kubeconfig: ${INPUT_RULE} (got a number)`,
    ],
    [
        "a parsed kubeconfig object instead of its text",
        () => ({ ...base(), clusters: [{ id: "c1", kubeconfig: { apiVersion: "v1", kind: "Config" } }] }),
        `clusters[0].kubeconfig: ${INPUT_RULE} (got an object)`,
    ],
    [
        "binary data as a kubeconfig (a YAML !!binary)",
        () => ({ ...base(), clusters: [{ id: "c1", kubeconfig: new Uint8Array([1]) }] }),
        `clusters[0].kubeconfig: ${INPUT_RULE} (got an object)`,
    ],
    [
        "a number as an ACK cluster id",
        () => ({ ...base(), clusters: [{ id: "c1", ackClusterId: 7 }] }),
        `clusters[0].ackClusterId: ${INPUT_RULE}`,
    ],
    [
        "an object as the service mesh id",
        () => ({ ...asm(), controlPlane: { serviceMeshId: { id: "m-1" } } }),
        `controlPlane.serviceMeshId: ${INPUT_RULE} (got an object)`,
    ],
    [
        "an object as a reused load balancer's id",
        () => ({ ...lbCluster(), gateway: { loadBalancer: { existingId: { id: "lb-1" } } } }),
        `gateway.loadBalancer.existingId: ${INPUT_RULE} (got an object)`,
    ],
    [
        "an object as a VPC id",
        () => ({ ...lbCluster(), gateway: { loadBalancer: { type: "NLB", vpcId: { id: "vpc-1" }, zoneMappings: nlbZones } } }),
        `gateway.loadBalancer.vpcId: ${INPUT_RULE} (got an object)`,
    ],
    [
        "an object as PEM text",
        () => ({ ...base(), certificates: [{ name: "edge-cert", pem: { certificate: { pem: "x" }, privateKey: "key" } }] }),
        `certificates[0].pem.certificate: ${INPUT_RULE} (got an object)`,
    ],
    // Outputs and Promises where the fleet's shape must be known at construction.
    ["an Output as the gateway", () => ({ ...base(), gateway: pulumi.output({ replicaCount: 2 }) }), `gateway: ${OUTPUT_RULE}`],
    [
        "a Promise as the gateway (it would read as an empty gateway)",
        () => ({ ...base(), gateway: Promise.resolve({}) }),
        `gateway: ${OUTPUT_RULE}`,
    ],
    ["an Output as the clusters", () => ({ ...base(), clusters: pulumi.output([{ id: "c1" }]) }), `clusters: ${OUTPUT_RULE}`],
    ["an Output as a cluster id", () => ({ ...base(), clusters: [{ id: pulumi.output("c1") }] }), `clusters[0].id: ${OUTPUT_RULE}`],
    [
        "an Output as a region",
        () => ({ ...base(), clusters: [{ id: "c1", region: pulumi.output("cn-hangzhou") }] }),
        `clusters[0].region: ${OUTPUT_RULE}`,
    ],
    ["a Promise as the mode", () => ({ ...base(), mode: Promise.resolve("istio") }), `mode: ${OUTPUT_RULE}`],
    [
        "an Output as a replica count",
        () => ({ ...base(), gateway: { replicaCount: pulumi.output(2) } }),
        `gateway.replicaCount: ${OUTPUT_RULE}`,
    ],
    [
        "an Output as an override",
        () => ({ ...base(), gateway: { overrides: { c1: pulumi.output({ replicaCount: 3 }) } } }),
        `gateway.overrides["c1"]: ${OUTPUT_RULE}`,
    ],
    [
        "an Output as a label map",
        () => ({ ...base(), gateway: { podLabels: pulumi.output({ team: "edge" }) } }),
        `gateway.podLabels: ${OUTPUT_RULE}`,
    ],
    [
        "an Output as load balancer tags",
        () => ({ ...lbCluster(), gateway: { loadBalancer: { tags: pulumi.output({ team: "edge" }) } } }),
        `gateway.loadBalancer.tags: ${OUTPUT_RULE}`,
    ],
    [
        "an Output as an NLB zone",
        () => ({
            ...lbCluster(),
            gateway: {
                loadBalancer: { type: "NLB", vpcId: "vpc-1", zoneMappings: [{ zoneId: pulumi.output("cn-hangzhou-h") }, nlbZones[1]] },
            },
        }),
        `gateway.loadBalancer.zoneMappings[0].zoneId: ${OUTPUT_RULE}`,
    ],
    ["an Output as the routing", () => ({ ...base(), routing: pulumi.output({}) }), `routing: ${OUTPUT_RULE}`],
    [
        "an Output as a listener host",
        () => ({
            ...base(),
            routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: [pulumi.output("shop.example.com")] }] },
        }),
        `routing.listeners[0].hosts[0]: ${OUTPUT_RULE}`,
    ],
];
