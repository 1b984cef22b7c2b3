// The offline plan: runs the real MeshGateway components against the in-process engine and
// reports what `pulumi up` would register, without a cloud account or the Pulumi CLI.
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import YAML from "yaml";
import { MeshGateway } from "../components/meshGateway";
import { fleetSpecOf } from "../core/fleet";
import { ConfigError, type ConfigIssue } from "../core/errors";
import { plainInput } from "../core/input";
import { CONTROL_PLANE_IDENTIFIER } from "../providers/clusters";
import type { InstallMode } from "../core/fleet";
import { serviceTypeOf } from "../core/effective";
import { planFleet, type FleetPlan } from "../core/plan";
import type { KubeObject } from "../core/render/common";
import { readPlanFiles } from "../components/planFiles";
import { runInProcess, SECRET_MASK, UNKNOWN_MASK, UNKNOWN_VALUE, type RecordedResource } from "./engine";
import { fleetsFromConfig, type NamedFleet } from "./stackConfig";

/** Stands in for every credential offline; it is registered as a secret like a real one. */
export const OFFLINE_KUBECONFIG = "offline-plan-placeholder-kubeconfig";

/**
 * Reads a fleet from a file: a fleet config (`gateways: [...]`), a Pulumi stack config
 * (`config: {<project>:gateways: [...]}`), or IstioGateway manifests (clusters from `clusterIds`).
 */
export function loadFleets(file: string, mode?: InstallMode): NamedFleet[] {
    const text = fs.readFileSync(file, "utf8");
    // Merge keys (`<<: *common`) as the Pulumi CLI reads a stack file (gopkg.in/yaml.v2 applies them).
    const lines = new YAML.LineCounter();
    const docs = YAML.parseAllDocuments(text, { merge: true, lineCounter: lines });
    // A tag the parser does not know (`!Ref x`) would otherwise become the plain text after it.
    const unresolved = (d: YAML.Document.Parsed) => d.warnings.filter((w) => w.code === "TAG_RESOLVE_FAILED");
    const errors = docs.flatMap((d) =>
        [...d.errors, ...unresolved(d)].map((e) => ({ path: file, message: `YAML: ${e.message}` })).concat(keyProblems(d, file, lines)),
    );
    if (errors.length > 0) throw new ConfigError(errors, file);
    const values = docs.map((d) => secureAsSecret(plainDocument(d, file))).filter((v) => v !== null && v !== undefined);
    const credentials = { kubeconfig: () => OFFLINE_KUBECONFIG, controlPlaneKubeconfig: () => OFFLINE_KUBECONFIG };

    if (values.length > 0 && values.every((v) => (v as { kind?: unknown }).kind === "IstioGateway")) {
        return values.map((v) => fromManifest(v as IstioGatewayManifest, mode ?? "asm"));
    }
    if (values.length !== 1 || typeof values[0] !== "object") {
        throw new ConfigError(
            [{ path: file, message: "expected a fleet config (gateways: [...]), a Pulumi stack config, or IstioGateway manifests" }],
            file,
        );
    }
    const root = values[0] as Record<string, unknown>;
    const stackConfig = root.config as Record<string, unknown> | undefined;
    const key = stackConfig && Object.keys(stackConfig).find((k) => k === "gateways" || k.endsWith(":gateways"));
    const gateways = key ? stackConfig![key] : root.gateways;
    const fleets = fleetsFromConfig(gateways, credentials).map((f) => rebaseFiles(f, path.dirname(file)));
    return mode ? fleets.map((f) => ({ ...f, args: { ...f.args, mode } })) : fleets;
}

/**
 * Map keys a JavaScript object cannot keep as written: a list or map as a key, and a key YAML reads
 * as something whose text differs (`007` is the number 7, `null` an empty key, `1.0` is 1), which
 * would silently name another cluster or label.
 */
function keyProblems(doc: YAML.Document.Parsed, file: string, lines: YAML.LineCounter): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    const at = (node: YAML.Node) => {
        const pos = node.range ? lines.linePos(node.range[0]) : undefined;
        return pos === undefined ? "" : ` at line ${pos.line}, column ${pos.col}`;
    };
    YAML.visit(doc, {
        Pair(_, pair) {
            const key = pair.key;
            if (YAML.isCollection(key))
                issues.push({ path: file, message: `YAML: the map key${at(key)} is a list or map; keys must be text` });
            // A merge key (`<<`) reads as a symbol: the parser applies it.
            if (!YAML.isScalar(key) || typeof key.value === "string" || typeof key.value === "symbol" || key.source === undefined) return;
            const read = key.value === null ? "" : String(key.value as string | number | boolean);
            if (read !== key.source) {
                issues.push({
                    path: file,
                    message: `YAML: the key ${key.source}${at(key)} is read as ${key.value === null ? "null (an empty key)" : `${typeof key.value} ${read}`}: quote it ("${key.source}") to keep it as written`,
                });
            }
        },
    });
    return issues;
}

/**
 * A document's value as plain data. Aliases are expanded here: the parser stops one that expands
 * too far (a "billion laughs" file), and an alias inside its own anchor makes a cycle, refused
 * with its path like any value that is not data (core/input.ts).
 */
function plainDocument(doc: YAML.Document.Parsed, file: string): unknown {
    let value: unknown;
    try {
        value = doc.toJS();
    } catch (e) {
        throw new ConfigError([{ path: file, message: `YAML: ${e instanceof Error ? e.message : String(e)}` }], file);
    }
    return plainInput(value, () => false, file);
}

/**
 * Files a config names are relative to the config file (the Pulumi project directory, where
 * `pulumi up` runs the program); the plan may run elsewhere, so they are rebased on the working
 * directory, still relative (the plan's output stays the same on every machine).
 */
function rebaseFiles(f: NamedFleet, dir: string): NamedFleet {
    const entries = f.args.routing?.grpcTranscoding;
    if (!Array.isArray(entries)) return f;
    const rebase = (p: unknown) =>
        typeof p === "string" && p.length > 0 && !path.isAbsolute(p) ? path.relative(process.cwd(), path.resolve(dir, p)) : p;
    const grpcTranscoding = entries.map((e) =>
        e !== null && typeof e === "object" && e.descriptor !== null && typeof e.descriptor === "object" && e.descriptor.file !== undefined
            ? { ...e, descriptor: { ...e.descriptor, file: rebase(e.descriptor.file) as string } }
            : e,
    );
    return { ...f, args: { ...f.args, routing: { ...f.args.routing, grpcTranscoding } } };
}

/**
 * A stack file keeps `pulumi config set --secret` values encrypted (`{secure: <ciphertext>}`),
 * which only the Pulumi CLI can decrypt. Offline they are secrets of unknown content, exactly what
 * the component gets from an Output: checks that need the value (a PEM's) wait for it.
 */
function secureAsSecret(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(secureAsSecret);
    if (value === null || typeof value !== "object") return value;
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1 && entries[0][0] === "secure" && typeof entries[0][1] === "string")
        return pulumi.secret(pulumi.output(pulumi.unknown as unknown as string));
    return Object.fromEntries(entries.map(([k, v]) => [k, secureAsSecret(v)]));
}

interface IstioGatewayManifest {
    metadata?: { name?: string; namespace?: string };
    spec?: { clusterIds?: string[] } & Record<string, unknown>;
}

function fromManifest(m: IstioGatewayManifest, mode: InstallMode): NamedFleet {
    const name = m.metadata?.name ?? "";
    const clusterIds = Array.isArray(m.spec?.clusterIds) ? m.spec!.clusterIds : [];
    return {
        name,
        args: {
            mode,
            namespace: m.metadata?.namespace,
            clusters: clusterIds.map((id) => (mode === "istio" ? { id, kubeconfig: OFFLINE_KUBECONFIG } : { id })),
            controlPlane: mode === "asm" ? { kubeconfig: OFFLINE_KUBECONFIG } : undefined,
            gateway: (m.spec ?? {}) as NamedFleet["args"]["gateway"],
        },
    };
}

export interface PlannedResource {
    type: string;
    name: string;
    /** Cluster id, "asm" for the mesh control plane, null for cloud and component resources. */
    cluster: string | null;
    inputs: Record<string, unknown>;
    parent: string | null;
    dependencies: string[];
}

export interface OfflinePlan {
    fleets: FleetPlan[];
    /** Warnings the components logged while running that the plans do not list (e.g. from Outputs). */
    runtimeWarnings: string[];
    resources: PlannedResource[];
    /** Kubernetes objects by target ("asm" or a cluster id). */
    objects: Record<string, KubeObject[]>;
}

/** Plans every fleet with the real components. Throws ConfigError for bad input, before registering. */
export async function planOffline(fleets: NamedFleet[]): Promise<OfflinePlan> {
    // Validate every fleet first: a bad one must not leave the others half-planned.
    const plans = fleets.map((f) => {
        const spec = fleetSpecOf(f.name, f.args);
        return planFleet(spec, `gateway "${f.name}"`, readPlanFiles(spec));
    });
    // The components' warnings are the plans' warnings, which the summary shows: keep only the
    // ones the plans do not have (from values that resolve at run time).
    const logged: string[] = [];
    const recorded = await runInProcess(
        () => {
            for (const f of fleets) new MeshGateway(f.name, f.args);
        },
        // The plan shows no source positions: the SDK need not capture a stack per resource.
        { preview: true, call: offlineCall, state: offlineState, warnings: logged, sourcePositions: false },
    );
    const known = new Set(plans.flatMap((p) => p.warnings.map((w) => `${w.path}: ${w.message}`)));
    return { fleets: plans, ...describe(recorded), runtimeWarnings: logged.filter((w) => !known.has(w)) };
}

/**
 * Answers the cloud lookups the components make: with stand-ins that say what they stand for, or,
 * where only the cloud knows (a reused load balancer's address, whether a vSwitch is where the
 * config says), with unknown values, as `pulumi preview` would show them before the cloud answers.
 */
export function offlineCall(token: string, args: Record<string, unknown>, provider?: Record<string, unknown>): Record<string, unknown> {
    if (token.startsWith("alicloud:cs/getClusterCredential")) return { clusterId: args.clusterId, kubeConfig: OFFLINE_KUBECONFIG };
    // The region check with ACK: offline, the cluster is taken to be where the config says.
    if (token.startsWith("alicloud:cs/getClusters")) {
        return {
            ids: args.ids,
            clusters: ((args.ids as string[] | undefined) ?? []).map((id) => ({
                id,
                clusterId: id,
                regionId: provider?.region ?? UNKNOWN_VALUE,
            })),
        };
    }
    // A vSwitch or a reused load balancer is taken to exist where the config says; the zone of a
    // vSwitch and the address of a load balancer only the cloud knows.
    if (token.startsWith("alicloud:vpc/getSwitches")) {
        if (args.ids !== undefined)
            return { ids: args.ids, vswitches: (args.ids as string[]).map((id) => ({ id, vswitchId: id, zoneId: "" })) };
        return { ids: [`<vSwitch of ${String(args.vpcId)} in ${String(args.zoneId)}>`], vswitches: [] };
    }
    if (token.startsWith("alicloud:slb/getApplicationLoadBalancers") || token.startsWith("alicloud:nlb/getLoadBalancers"))
        return { ids: args.ids, balancers: UNKNOWN_VALUE };
    return {};
}

/** What only the API server knows: the revision it gives an object on every write. */
export function offlineState(type: string, _name: string, inputs: Record<string, unknown>): Record<string, unknown> | undefined {
    if (type !== "kubernetes:core/v1:Secret") return undefined;
    return { metadata: { ...(inputs.metadata as Record<string, unknown>), resourceVersion: UNKNOWN_VALUE } };
}

function describe(recorded: RecordedResource[]): Pick<OfflinePlan, "resources" | "objects"> {
    const clusterOfProvider = new Map<string, string>();
    for (const r of recorded) {
        if (r.type === "pulumi:providers:kubernetes") {
            const id = String(r.inputs.clusterIdentifier);
            clusterOfProvider.set(r.urn, id === CONTROL_PLANE_IDENTIFIER ? "asm" : id);
        }
    }
    const sorted = [...recorded].sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
    const resources = sorted.map((r): PlannedResource => ({
        type: r.type,
        name: r.name,
        // A Kubernetes provider belongs to its own cluster; everything else to its provider's.
        cluster: clusterOfProvider.get(r.type === "pulumi:providers:kubernetes" ? r.urn : (r.provider ?? "")) ?? null,
        inputs: r.inputs,
        parent: r.parent ?? null,
        dependencies: r.dependencies,
    }));
    const objects: Record<string, KubeObject[]> = {};
    for (const r of resources) {
        if (r.cluster === null || !r.type.startsWith("kubernetes:") || r.inputs.kind === undefined) continue;
        (objects[r.cluster] ??= []).push(r.inputs as unknown as KubeObject);
    }
    return { resources, objects };
}

/** The human summary: per gateway and cluster, the effective settings and what gets created. */
export function summarize(plan: OfflinePlan): string {
    const lines: string[] = [];
    for (const f of plan.fleets) {
        lines.push(
            `gateway ${f.name} (${f.mode} mode, ${f.fleet.gateway.gatewayType ?? "ingress"}, namespace ${f.namespace}, workload ${f.names.workload})`,
        );
        for (const c of f.clusters) {
            const s = c.spec;
            const scaling =
                s.maxReplicas !== undefined || s.autoscaleEnabled === true
                    ? `HPA ${s.minReplicas ?? 1}-${s.maxReplicas}`
                    : `${s.replicaCount ?? 1} replica(s)`;
            const ports = (s.ports ?? []).map((p) => `${p.name}:${p.port}`).join(" ") || "default ports";
            const overridden = Object.keys(f.fleet.gateway.overrides?.[c.clusterId] ?? {});
            lines.push(
                `  cluster ${c.clusterId}: ${serviceTypeOf(s)}, ${scaling}, ${ports}` +
                    (overridden.length > 0 ? `; overrides: ${overridden.join(", ")}` : ""),
            );
            for (const lb of c.loadBalancers) {
                const st = lb.settings;
                const how = lb.create
                    ? `created, deletion protection ${st.deletionProtection === false ? "off" : "on"}`
                    : `reused ${typeof st.existingId === "string" ? st.existingId : "(id from another resource)"}, ${
                          st.forceOverrideListeners
                              ? "listeners written on the gateway's ports"
                              : st.vServerGroups !== undefined
                                ? `listeners unchanged, pods in vServer groups ${st.vServerGroups.map((g) => g.id).join(",")}`
                                : "listeners unchanged: none forwards to the gateway"
                      }`;
                lines.push(
                    `    load balancer ${lb.key}: ${st.type} ${st.addressType} ${st.ipVersion} for Service ${lb.serviceName} (${how}; ports ${lb.ports.map((p) => p.port).join(",")})`,
                );
            }
        }
        const r = f.fleet.routing;
        if (r !== undefined) {
            const count = (n: number | undefined, what: string) => `${n ?? 0} ${what}`;
            lines.push(
                `  routing (${r.api ?? "istio"} API, namespace ${r.namespace ?? f.namespace}, ${f.mode === "asm" ? "on the mesh control plane" : "in every cluster"}): ` +
                    [
                        count(r.listeners?.length, "listener(s)"),
                        count(r.http?.length, "HTTP"),
                        count(r.tcp?.length, "TCP"),
                        count(r.tls?.length, "TLS"),
                        count(r.egress?.length, "egress"),
                    ].join(", ") +
                    " route(s)",
            );
        }
        for (const w of f.warnings) lines.push(`  warning: ${w.path}: ${w.message}`);
    }
    for (const w of plan.runtimeWarnings) lines.push(`warning: ${w}`);
    const byType = new Map<string, number>();
    for (const r of plan.resources) byType.set(r.type, (byType.get(r.type) ?? 0) + 1);
    lines.push(`${plan.resources.length} resources:`);
    for (const [type, n] of [...byType.entries()].sort()) lines.push(`  ${String(n).padStart(4)}  ${type}`);
    return lines.join("\n") + "\n";
}

/** Secret keys whose values are public (certificates), shown in the YAML so the file applies as is once the private parts are filled in. */
const PUBLIC_SECRET_KEYS = new Set(["tls.crt", "ca.crt"]);

/**
 * A Secret as the YAML shows it: Pulumi marks a Secret's whole `stringData` secret, so the
 * recorded inputs hide certificates and CA bundles too. The plan's own object has the values;
 * only the private ones (keys, and anything given as a Pulumi secret) are masked.
 */
function maskSecretValues(o: KubeObject, cluster: string, plan: OfflinePlan): KubeObject {
    const masked = o as KubeObject & { stringData?: unknown };
    // A value the engine does not know yet (a `secure:` stack value) makes the whole map unknown.
    if (o.kind !== "Secret" || (masked.stringData !== SECRET_MASK && masked.stringData !== UNKNOWN_MASK)) return o;
    const planned = plan.fleets
        .flatMap((f) =>
            cluster === "asm" ? f.controlPlaneObjects : f.clusters.filter((c) => c.clusterId === cluster).flatMap((c) => c.objects),
        )
        .find((x) => x.kind === "Secret" && x.metadata.name === o.metadata.name && x.metadata.namespace === o.metadata.namespace) as
        (KubeObject & { stringData?: Record<string, unknown> }) | undefined;
    if (planned?.stringData === undefined) return o;
    const stringData = Object.fromEntries(
        Object.entries(planned.stringData).map(([k, v]) => [k, PUBLIC_SECRET_KEYS.has(k) && typeof v === "string" ? v : SECRET_MASK]),
    );
    return { ...o, stringData } as KubeObject;
}

/** Writes one YAML file per object under `<dir>/<cluster>/`, and plan.json. */
export function writePlan(plan: OfflinePlan, dir: string): string[] {
    const written: string[] = [];
    fs.mkdirSync(dir, { recursive: true });
    for (const [cluster, objects] of Object.entries(plan.objects)) {
        const clusterDir = path.join(dir, cluster);
        fs.mkdirSync(clusterDir, { recursive: true });
        for (const recorded of objects) {
            const o = maskSecretValues(recorded, cluster, plan);
            const ns = o.metadata.namespace ? `${o.metadata.namespace}.` : "";
            const file = path.join(clusterDir, `${o.kind.toLowerCase()}.${ns}${o.metadata.name}.yaml`);
            // YAML 1.1 quoting: kubectl's parser reads a bare `on` or `yes` as a boolean, and an
            // annotation must be a string.
            fs.writeFileSync(file, YAML.stringify(o, { sortMapEntries: false, version: "1.1" }));
            written.push(file);
        }
    }
    const planFile = path.join(dir, "plan.json");
    fs.writeFileSync(planFile, JSON.stringify({ resources: plan.resources }, null, 2) + "\n");
    written.push(planFile);
    return written;
}
