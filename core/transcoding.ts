// gRPC-JSON transcoding: HTTP/JSON clients call a gRPC service through the gateway, by Envoy's
// `grpc_json_transcoder` filter. The descriptor set comes as bytes (read by the caller at plan
// time: this module does no I/O) or from a ConfigMap the gateway pods mount.
import type { IssueList, PathSegment } from "./errors";
import type { ConfigVolume } from "./spec";

/** Where the descriptor set (`protoc --include_imports --descriptor_set_out`) comes from: `file`, or `configVolume` with `key`. */
export interface DescriptorSource {
    /**
     * A descriptor set file, read at plan time and inlined (base64) in the EnvoyFilter. A relative
     * path is relative to the stack or fleet config file (the Pulumi project directory).
     */
    file?: string;
    /** The name of a `gateway.configVolumes` entry whose ConfigMap holds the descriptor set. */
    configVolume?: string;
    /** The ConfigMap key of the descriptor set (with `configVolume`), e.g. `api.pb`. */
    key?: string;
}

/** One gRPC API offered to HTTP/JSON clients on some hosts. */
export interface GrpcTranscoding {
    /** Hosts whose requests are transcoded, on each HTTP listener serving them; each needs an HTTP route of its own. */
    hosts: string[];
    /** Fully qualified gRPC services (`package.Service`) to expose; each must be in the descriptor set. */
    services: string[];
    /** The compiled protos: a file read at plan time, or a mounted ConfigMap. */
    descriptor: DescriptorSource;
    /** Methods without a `google.api.http` option answer `POST /package.Service/Method` with a JSON body. Default false. */
    autoMapping?: boolean;
    /** gRPC errors become a JSON `google.rpc.Status` body. Default false. */
    convertGrpcStatus?: boolean;
    /** Query parameters that map to no request field are ignored instead of failing the mapping. Default false. */
    ignoreUnknownQueryParameters?: boolean;
}

/** A file the config names, as the caller read it: its bytes, or why it could not be read. */
export type PlanFile = { bytes: Uint8Array } | { error: string };
/** Files by the path the config writes. */
export type PlanFiles = ReadonlyMap<string, PlanFile>;

/**
 * Most bytes of descriptor sets one EnvoyFilter may inline (base64, once per virtual host). etcd
 * refuses requests over 1.5 MiB (`--max-request-bytes`); the rest of the object and the apply
 * request need room too.
 */
export const MAX_INLINE_DESCRIPTOR_BYTES = 1024 * 1024;

/** Where the gateway pods see a ConfigMap's descriptor set. */
export function mountedDescriptorPath(volume: ConfigVolume, key: string): string {
    return `${volume.mountPath.replace(/\/+$/, "")}/${key}`;
}

/** The descriptor files a config names (the config is not validated yet: what is not in shape is skipped). */
export function descriptorFilesOf(input: unknown): string[] {
    const routing = (input as { routing?: { grpcTranscoding?: unknown } } | null)?.routing;
    const entries = routing?.grpcTranscoding;
    if (!Array.isArray(entries)) return [];
    return entries.flatMap((e: unknown) => {
        const file = (e as { descriptor?: { file?: unknown } } | null)?.descriptor?.file;
        return typeof file === "string" && file.length > 0 ? [file] : [];
    });
}

/** The fully qualified services of a descriptor set, or why Envoy could not load it. */
export function parseDescriptorSet(bytes: Uint8Array): { services: string[] } | { error: string } {
    // The protobuf runtime is loaded here, on first use: only a config with a descriptor file
    // needs it, and loading it cost every other run ~50 ms of CPU (docs/benchmarks.md, "Start-up
    // cost"). The descriptor schema comes from its own module: the `wkt` index loads every
    // well-known type.
    /* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use (see above) */
    const { createFileRegistry, fromBinary } = require("@bufbuild/protobuf") as typeof import("@bufbuild/protobuf");
    const { FileDescriptorSetSchema } =
        require("@bufbuild/protobuf/wkt/google/protobuf/descriptor_pb.js") as typeof import("@bufbuild/protobuf/wkt/google/protobuf/descriptor_pb.js");
    /* eslint-enable @typescript-eslint/no-require-imports */
    let set;
    try {
        set = fromBinary(FileDescriptorSetSchema, bytes);
    } catch (e) {
        return { error: `is not a FileDescriptorSet (${(e as Error).message})` };
    }
    if (set.file.length === 0) return { error: "is not a FileDescriptorSet with any file (compile it with protoc --descriptor_set_out)" };
    try {
        // Resolves every import within the set, as Envoy builds its descriptor pool from the set alone.
        const registry = createFileRegistry(set);
        const services: string[] = [];
        for (const file of registry.files) services.push(...file.services.map((s) => s.typeName));
        return { services };
    } catch (e) {
        return {
            error: `does not load as a self-contained descriptor set (${(e as Error).message}); compile it with protoc --include_imports`,
        };
    }
}

const SERVICE_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const CONFIGMAP_KEY = /^[-._a-zA-Z0-9]+$/;

export interface TranscodingCheck {
    /** Whether this is an egress gateway (no transcoding there). */
    egress: boolean;
    /** The config volumes of the base spec (cluster id "") and of each cluster's effective spec. */
    volumesByCluster: { clusterId: string; volumes: ConfigVolume[] }[];
    files: PlanFiles;
    /** Whether a host has an HTTP listener and a virtual host of its own name (else the message). */
    vhostProblem: (host: string) => string | undefined;
    /** The destination Services (as routes write them) of a host's HTTP routes. */
    destinations: (host: string) => string[];
    /** How many virtual hosts of its own name a host has (one per HTTP listener port serving it): copies of the config. */
    vhostCount: (host: string) => number;
    list: IssueList;
}

/** Checks `routing.grpcTranscoding`; returns the inlined descriptor sets (base64) by entry index. */
export function checkGrpcTranscoding(entries: GrpcTranscoding[], c: TranscodingCheck): Map<number, string> {
    const inlined = new Map<number, string>();
    const at = (...rest: PathSegment[]): PathSegment[] => ["routing", "grpcTranscoding", ...rest];
    if (entries.length === 0) return inlined;
    if (c.egress) c.list.add(at(), "gRPC-JSON transcoding serves clients of an ingress gateway; this is an egress gateway");
    const transcoded = new Map<string, number>();
    let total = 0;
    entries.forEach((e, i) => {
        e.hosts.forEach((h, j) => {
            const problem = c.vhostProblem(h);
            if (problem !== undefined) c.list.add(at(i, "hosts", j), problem);
            if (transcoded.has(h))
                c.list.add(at(i, "hosts", j), `${h} is already transcoded by grpcTranscoding[${transcoded.get(h)}]; one per host`);
            transcoded.set(h, i);
            const destinations = c.destinations(h);
            if (destinations.length > 1)
                c.list.warn(
                    at(i, "hosts", j),
                    `the routes of ${h} send to ${destinations.join(", ")}: the gateway speaks HTTP/2 (h2UpgradePolicy: UPGRADE) to every destination of a transcoded host, which a plain HTTP/1.1 backend refuses; give such a backend a host of its own`,
                );
        });
        const seen = new Set<string>();
        e.services.forEach((s, j) => {
            if (!SERVICE_NAME.test(s))
                c.list.add(at(i, "services", j), `"${s}" is not a fully qualified gRPC service name (package.Service)`);
            if (seen.has(s)) c.list.add(at(i, "services", j), `${s} is listed twice`);
            seen.add(s);
        });
        const base64 = checkDescriptor(e, at(i), c);
        if (base64 !== undefined) {
            inlined.set(i, base64);
            total += base64.length * e.hosts.reduce((n, h) => n + c.vhostCount(h), 0);
        }
    });
    if (total > MAX_INLINE_DESCRIPTOR_BYTES) {
        for (const i of inlined.keys())
            c.list.add(
                at(i, "descriptor", "file"),
                `the EnvoyFilter would inline ${kib(total)} KiB of descriptor sets (base64, once per virtual host: host and port), over ${kib(MAX_INLINE_DESCRIPTOR_BYTES)} KiB: Kubernetes stores objects in etcd, which refuses requests over 1.5 MiB; put only the files the services need in the set`,
            );
    }
    return inlined;
}

function kib(bytes: number): number {
    return Math.ceil(bytes / 1024);
}

/** The descriptor source: exactly one of a readable, parsable file that has the services, or a mounted ConfigMap. */
function checkDescriptor(e: GrpcTranscoding, at: PathSegment[], c: TranscodingCheck): string | undefined {
    const d = e.descriptor;
    const p = (...rest: PathSegment[]) => [...at, "descriptor", ...rest];
    if ((d.file === undefined) === (d.configVolume === undefined)) {
        c.list.add(p(), "give exactly one of file (read at plan time) and configVolume (a mounted ConfigMap)");
        return undefined;
    }
    if (d.configVolume !== undefined) {
        checkConfigVolume(d.configVolume, d.key, p, c);
        c.list.warn(
            [...at, "services"],
            `the descriptor set is in ConfigMap volume ${d.configVolume}, which the plan cannot read: that it parses and holds ${e.services.join(", ")} is checked by Envoy only, and a gateway pod that cannot read or parse it refuses the whole route configuration holding ${e.hosts.join(", ")}, with every other host on the same listener port (Envoy takes or refuses a route configuration as one: a new pod has no routes there, a running one keeps its previous ones)`,
        );
        return undefined;
    }
    if (d.key !== undefined) c.list.add(p("key"), "key names a ConfigMap key: it goes with configVolume, not file");
    const read = c.files.get(d.file!);
    if (read === undefined) {
        c.list.add(p("file"), `${d.file} was not read: pass the bytes of the files the config names (readPlanFiles)`);
        return undefined;
    }
    if ("error" in read) {
        c.list.add(p("file"), `cannot read ${d.file}: ${read.error}`);
        return undefined;
    }
    const parsed = parseDescriptorSet(read.bytes);
    if ("error" in parsed) {
        c.list.add(p("file"), `${d.file} ${parsed.error}`);
        return undefined;
    }
    e.services.forEach((s, j) => {
        if (!parsed.services.includes(s))
            c.list.add(
                [...at, "services", j],
                `${s} is not in ${d.file} (it has ${parsed.services.length === 0 ? "no service" : parsed.services.join(", ")}): Envoy would refuse the route configuration`,
            );
    });
    return Buffer.from(read.bytes).toString("base64");
}

function checkConfigVolume(name: string, key: string | undefined, p: (...rest: PathSegment[]) => PathSegment[], c: TranscodingCheck): void {
    if (key === undefined) c.list.add(p("key"), "configVolume needs key: the ConfigMap key that holds the descriptor set");
    else if (!CONFIGMAP_KEY.test(key)) c.list.add(p("key"), `"${key}" is not a valid ConfigMap key`);
    const missing = c.volumesByCluster.filter((v) => !v.volumes.some((x) => x.name === name)).map((v) => v.clusterId);
    if (missing.length > 0) {
        const where = missing.includes("") ? "gateway.configVolumes" : `the configVolumes of cluster ${missing.join(", ")}`;
        c.list.add(p("configVolume"), `${name} is not in ${where}: mount the ConfigMap there`);
        return;
    }
    // The EnvoyFilter is one object for the whole fleet: it names one path.
    const paths = new Set(c.volumesByCluster.map((v) => v.volumes.find((x) => x.name === name)!.mountPath));
    if (paths.size > 1)
        c.list.add(
            p("configVolume"),
            `${name} is mounted at ${[...paths].join(" and ")} in different clusters; the EnvoyFilter names one path`,
        );
}

/** The mounted path of each ConfigMap-backed entry, by index (the volume is the same in every cluster: checked). */
export function mountedDescriptors(entries: GrpcTranscoding[], volumes: ConfigVolume[]): Map<number, string> {
    const out = new Map<number, string>();
    entries.forEach((e, i) => {
        const v = volumes.find((x) => x.name === e.descriptor.configVolume);
        if (v !== undefined && e.descriptor.key !== undefined) out.set(i, mountedDescriptorPath(v, e.descriptor.key));
    });
    return out;
}
