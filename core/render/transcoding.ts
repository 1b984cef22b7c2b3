// Envoy's gRPC-JSON transcoder on the gateway pods, as one EnvoyFilter: the filter sits switched
// off (no services) in the HTTP listeners that serve a transcoded host, and each transcoded
// virtual host (`host:port`) gets the whole config in `typed_per_filter_config`, the most
// specific config Envoy uses for a route. So other hosts on the same listener are never
// transcoded, and listeners without a transcoded host carry no extra filter.
import type { RoutingSpec } from "../routing";
import { transcodedListeners, type GrpcTranscoding } from "../transcoding";
import type { WorkloadNames } from "../fleet";
import { gatewayLabel, httpFilterBeforeRouter, type KubeObject } from "./common";

export const TRANSCODER_FILTER = "envoy.filters.http.grpc_json_transcoder";
export const TRANSCODER_TYPE_URL = "type.googleapis.com/envoy.extensions.filters.http.grpc_json_transcoder.v3.GrpcJsonTranscoder";

/** The descriptor of each entry, by index: inline bytes (base64) or a path in the gateway pods; and where the filter goes. */
export interface TranscodingDescriptors {
    inline: ReadonlyMap<number, string>;
    mounted: ReadonlyMap<number, string>;
    /** The gateway pods' listener ports (targetPorts, in any cluster) that serve a transcoded virtual host. */
    ports: readonly number[];
}

export interface TranscodingContext {
    gatewayName: string;
    names: WorkloadNames;
    gatewayNamespace: string;
    apiVersion: string;
    priority: number;
    descriptors: TranscodingDescriptors;
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
    // No services: Envoy treats the filter as disabled here (it still needs a descriptor source).
    const patches: Record<string, unknown>[] = ctx.descriptors.ports.map((port) =>
        httpFilterBeforeRouter({ name: TRANSCODER_FILTER, typed_config: { "@type": TRANSCODER_TYPE_URL, proto_descriptor_bin: "" } }, port),
    );
    entries.forEach((e, i) => {
        for (const host of e.hosts) {
            // Validation refuses a host that only a wider (wildcard) virtual host serves.
            for (const l of transcodedListeners(routing, host)) {
                patches.push({
                    applyTo: "VIRTUAL_HOST",
                    match: { context: "GATEWAY", routeConfiguration: { vhost: { name: `${host}:${l.port}` } } },
                    patch: {
                        operation: "MERGE",
                        value: { typed_per_filter_config: { [TRANSCODER_FILTER]: transcoderConfig(e, i, ctx.descriptors) } },
                    },
                });
            }
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
