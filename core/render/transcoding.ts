// Envoy's gRPC-JSON transcoder on the gateway pods, as one EnvoyFilter: the filter sits switched
// off (no services) in the HTTP listeners that serve a transcoded host, and each transcoded
// virtual host (`host:port`) gets the whole config in `typed_per_filter_config`, the most
// specific config Envoy uses for a route. So other hosts on the same listener are never
// transcoded, and listeners without a transcoded host carry no extra filter.
import type { RoutingSpec } from "../routing";
import type { GrpcTranscoding } from "../transcoding";
import { vhostPatches } from "../vhostPatch";
import type { WorkloadNames } from "../fleet";
import { gatewayLabel, httpFilterBeforeRouter, vhostFilterConfig, type KubeObject } from "./common";

export const TRANSCODER_FILTER = "envoy.filters.http.grpc_json_transcoder";
export const TRANSCODER_TYPE_URL = "type.googleapis.com/envoy.extensions.filters.http.grpc_json_transcoder.v3.GrpcJsonTranscoder";

/** The descriptor of each entry, by index: inline bytes (base64) or a path in the gateway pods. */
export interface TranscodingDescriptors {
    inline: ReadonlyMap<number, string>;
    mounted: ReadonlyMap<number, string>;
}

export interface TranscodingContext {
    gatewayName: string;
    names: WorkloadNames;
    gatewayNamespace: string;
    apiVersion: string;
    priority: number;
    descriptors: TranscodingDescriptors;
    /** The gateway pods' ports behind Service ports, in any cluster (where a listener's filter goes). */
    podPorts: (servicePorts: Iterable<number>) => number[];
}

function transcoderConfig(e: GrpcTranscoding, i: number, d: TranscodingDescriptors): Record<string, unknown> {
    const inline = d.inline.get(i);
    return {
        "@type": TRANSCODER_TYPE_URL,
        ...(inline !== undefined ? { proto_descriptor_bin: inline } : { proto_descriptor: d.mounted.get(i) }),
        services: e.services,
        // The route the JSON request matched keeps it: without this Envoy routes again on the
        // gRPC path (/package.Service/Method), which the host's routes may send elsewhere.
        match_incoming_request_route: true,
        ...(e.autoMapping === true ? { auto_mapping: true } : {}),
        ...(e.convertGrpcStatus === true ? { convert_grpc_status: true } : {}),
        ...(e.ignoreUnknownQueryParameters === true ? { ignore_unknown_query_parameters: true } : {}),
    };
}

/** The EnvoyFilter, or nothing without `routing.grpcTranscoding`. */
export function renderGrpcTranscoding(routing: RoutingSpec, ctx: TranscodingContext): KubeObject | undefined {
    const entries = routing.grpcTranscoding ?? [];
    if (entries.length === 0) return undefined;
    // Only the listeners carrying a transcoded virtual host get the filter. No services: Envoy
    // treats it as disabled there (it still needs a descriptor source).
    const placement = vhostPatches(routing);
    const servicePorts = entries.flatMap((e) => e.hosts.flatMap((h) => placement.listeners(h).map((l) => l.port)));
    const patches: Record<string, unknown>[] = ctx
        .podPorts(servicePorts)
        .map((port) =>
            httpFilterBeforeRouter(
                { name: TRANSCODER_FILTER, typed_config: { "@type": TRANSCODER_TYPE_URL, proto_descriptor_bin: "" } },
                port,
            ),
        );
    entries.forEach((e, i) => {
        for (const host of e.hosts) {
            // Validation refuses a host that only a wider (wildcard) virtual host serves.
            for (const l of placement.listeners(host))
                patches.push(vhostFilterConfig(host, l.port, TRANSCODER_FILTER, transcoderConfig(e, i, ctx.descriptors)));
        }
    });
    return {
        apiVersion: ctx.apiVersion,
        kind: "EnvoyFilter",
        metadata: {
            name: `${ctx.names.workload}-grpc-transcoding`,
            namespace: ctx.gatewayNamespace,
            labels: gatewayLabel(ctx.gatewayName),
        },
        spec: { workloadSelector: { labels: { ...ctx.names.selector } }, priority: ctx.priority, configPatches: patches },
    };
}
