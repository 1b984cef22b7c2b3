// `mesh-gateway import`: Kubernetes YAML in, a fleet config out, with a report of every setting
// that could not be carried over. Pure functions: the CLI reads the files and writes the result.
import YAML from "yaml";
import { ConfigError } from "../core/errors";
import { plainInput } from "../core/input";
import type { InstallMode } from "../core/fleet";
import type { RoutingApi } from "../core/routing";
import { DEFAULTS, type GatewaySpec } from "../core/spec";
import { importIngresses } from "./ingressNginx";
import { importIstio } from "./istio";
import { describeObject, type Dropped, type Imported, type KubeDocument, type Note } from "./types";

export interface ImportOptions {
    /** Routing API of the output. Default `istio`. */
    api?: RoutingApi;
    /** Gateway name. Default `ingress`. */
    name?: string;
    /** Install mode. Default `istio`. */
    mode?: InstallMode;
    /** Cluster ids. Default one cluster, `cluster-1`, to be edited. */
    clusters?: string[];
}

export interface ImportResult {
    /** The fleet config: `{ gateways: [ … ] }`. */
    config: { gateways: Record<string, unknown>[] };
    /** What the imported objects were: `ingress-nginx` or `istio`. */
    source: "ingress-nginx" | "istio";
    dropped: Dropped[];
    notes: Note[];
}

const ROUTING_KINDS = new Set(["Ingress", "Gateway", "VirtualService", "DestinationRule"]);

/**
 * A document's value as plain data, or undefined with the problem in `issues`: aliases that expand
 * too far (the parser stops a "billion laughs" file), a cycle, a value that is not data (core/input.ts).
 */
function plainDocument(doc: YAML.Document.Parsed, source: string, issues: { path: string; message: string }[]): unknown {
    try {
        return plainInput(doc.toJS(), () => false);
    } catch (e) {
        if (e instanceof ConfigError) issues.push(...e.issues.map((i) => ({ path: `${source}.${i.path}`, message: i.message })));
        else issues.push({ path: source, message: `YAML: ${e instanceof Error ? e.message : String(e)}` });
        return undefined;
    }
}

/** Reads every YAML document of each input; throws ConfigError on YAML that does not parse. */
export function parseInputs(inputs: { name: string; text: string }[]): KubeDocument[] {
    const issues: { path: string; message: string }[] = [];
    const docs: KubeDocument[] = [];
    for (const input of inputs) {
        YAML.parseAllDocuments(input.text).forEach((doc, i) => {
            // The first error of a document says where it breaks; the rest follow from it.
            if (doc.errors.length > 0) issues.push({ path: `${input.name}#${i}`, message: `YAML: ${doc.errors[0].message}` });
            const value = plainDocument(doc, `${input.name}#${i}`, issues);
            if (value === null || value === undefined) return;
            const items = (value as { kind?: string }).kind === "List" ? ((value as { items?: unknown[] }).items ?? []) : [value];
            items.forEach((item, j) => {
                if (item === null || typeof item !== "object" || Array.isArray(item)) {
                    issues.push({ path: `${input.name}#${i}`, message: "not a Kubernetes object" });
                    return;
                }
                docs.push({
                    ...(item as Omit<KubeDocument, "source">),
                    source: items.length > 1 ? `${input.name}#${i}.items[${j}]` : `${input.name}#${i}`,
                });
            });
        });
    }
    if (issues.length > 0) throw new ConfigError(issues, "input");
    return docs;
}

/** Turns Ingress objects, or Istio Gateway/VirtualService/DestinationRule objects, into a fleet config. */
export function importObjects(docs: KubeDocument[], options: ImportOptions = {}): ImportResult {
    const api = options.api ?? "istio";
    const notes: Note[] = [];
    const routingDocs = docs.filter(
        (d) =>
            d.kind !== undefined &&
            ROUTING_KINDS.has(d.kind) &&
            (d.kind === "Ingress" || (d.apiVersion ?? "").startsWith("networking.istio.io/")),
    );
    for (const d of docs.filter((x) => !routingDocs.includes(x))) {
        notes.push({
            object: describeObject(d),
            path: "kind",
            message: "not a routing object (Ingress, or an Istio Gateway, VirtualService or DestinationRule): skipped",
        });
    }
    const ingresses = routingDocs.filter((d) => d.kind === "Ingress");
    const istio = routingDocs.filter((d) => d.kind !== "Ingress");
    if (ingresses.length > 0 && istio.length > 0) {
        throw new ConfigError(
            [
                {
                    path: istio[0].source,
                    message: "import Ingress objects and Istio objects separately: they describe two different gateways",
                },
            ],
            "input",
        );
    }
    if (routingDocs.length === 0) {
        throw new ConfigError([{ path: "input", message: "no Ingress, Gateway, VirtualService or DestinationRule found" }], "input");
    }
    let imported: Imported;
    const gateway: GatewaySpec = {};
    if (ingresses.length > 0) {
        imported = importIngresses(ingresses, api);
    } else {
        const result = importIstio(istio, api);
        imported = result;
        if (result.extraPorts.length > 0) gateway.ports = [...DEFAULTS.ports.map((p) => ({ ...p })), ...result.extraPorts];
    }
    if (imported.externalTrafficPolicy !== undefined) {
        gateway.externalTrafficPolicy = imported.externalTrafficPolicy;
        notes.push({
            object: "gateway",
            path: "externalTrafficPolicy",
            message:
                "set to Local so the gateway sees client addresses for the imported IP lists (behind an L7 proxy, set security.trustedProxies instead)",
        });
    }
    const entry: Record<string, unknown> = {
        name: options.name ?? "ingress",
        mode: options.mode ?? "istio",
        clusters: (options.clusters ?? ["cluster-1"]).map((id) => ({ id })),
        gateway,
        routing: imported.routing,
    };
    if (imported.certificates.length > 0) entry.certificates = imported.certificates;
    if (imported.security !== undefined) entry.security = imported.security;
    return {
        config: { gateways: [entry] },
        source: ingresses.length > 0 ? "ingress-nginx" : "istio",
        dropped: imported.dropped,
        notes: [...imported.notes, ...notes],
    };
}

/** The report: every dropped setting and every action needed, per object. */
export function formatReport(result: ImportResult): string {
    const lines: string[] = [];
    const group = <T extends { object: string }>(items: T[]) => {
        const by = new Map<string, T[]>();
        for (const i of items) (by.get(i.object) ?? by.set(i.object, []).get(i.object)!).push(i);
        return by;
    };
    if (result.dropped.length > 0) {
        lines.push(`not carried over (${result.dropped.length}):`);
        for (const [object, items] of group(result.dropped)) {
            lines.push(`  ${object}`);
            for (const d of items) lines.push(`    ${d.path}: ${d.reason}`);
        }
    }
    if (result.notes.length > 0) {
        lines.push(`to do or to know (${result.notes.length}):`);
        for (const [object, items] of group(result.notes)) {
            lines.push(`  ${object}`);
            for (const n of items) lines.push(`    ${n.path}: ${n.message}`);
        }
    }
    return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}

/** The fleet config as YAML, headed by what was imported and what was not. */
export function formatConfig(result: ImportResult, inputs: string[]): string {
    const doc = new YAML.Document(result.config);
    const head = [
        ` Imported by mesh-gateway import from ${inputs.join(", ")} (${result.source}).`,
        result.dropped.length > 0
            ? ` ${result.dropped.length} setting(s) could not be carried over; the import report lists each with its reason.`
            : " Every setting was carried over.",
        " Set clusters (and their kubeconfigs) before planning: `mesh-gateway plan` this file.",
    ];
    doc.commentBefore = head.join("\n");
    return doc.toString({ lineWidth: 0 });
}
