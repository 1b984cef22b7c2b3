// Fleets that offer the example's gRPC API (bookstore.v1.Bookstore) to HTTP/JSON clients.
import { create, toBinary } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import type { GatewayFleetSpec } from "../../core/fleet";
import type { RoutingSpec } from "../../core/routing";
import type { GrpcTranscoding } from "../../core/transcoding";
import { asm, base } from "./builders";

/** The example's committed descriptor set, relative to the repository root (the tests' working directory). */
export const BOOKSTORE_PB = "examples/istio-ingress-two-clusters/grpc/bookstore.pb";
export const BOOKSTORE = "bookstore.v1.Bookstore";

/** api.example.com served on port 80, its routes to the gRPC backend; web.example.com beside it, not transcoded. */
export function transcodedRouting(entry: Partial<GrpcTranscoding> = {}): RoutingSpec {
    return {
        listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["api.example.com", "web.example.com"] }],
        http: [
            { name: "api", hosts: ["api.example.com"], destinations: [{ host: "bookstore", port: 9090 }] },
            { name: "web", hosts: ["web.example.com"], destinations: [{ host: "web", port: 8080 }] },
        ],
        grpcTranscoding: [{ hosts: ["api.example.com"], services: [BOOKSTORE], descriptor: { file: BOOKSTORE_PB }, ...entry }],
    };
}

export function transcodedFleet(entry: Partial<GrpcTranscoding> = {}, mode: "istio" | "asm" = "istio"): GatewayFleetSpec {
    return { ...(mode === "asm" ? asm() : base()), routing: transcodedRouting(entry) };
}

/** One .proto file of a generated descriptor set: a package and its services. */
export interface ProtoFile {
    package: string;
    services: string[];
}

/**
 * A descriptor set as `protoc --include_imports --descriptor_set_out` writes it for `files`:
 * each service has a unary method whose request and response are in a shared `common.proto`
 * every file imports, so the set only loads with its imports (as Envoy builds its pool).
 */
export function descriptorSetOf(files: ProtoFile[]): Uint8Array {
    const common = {
        name: "common/v1/common.proto",
        package: "common.v1",
        syntax: "proto3",
        messageType: [{ name: "Request" }, { name: "Reply" }],
    };
    const set = create(FileDescriptorSetSchema, {
        file: [
            common,
            ...files.map((f) => ({
                name: `${f.package.replace(/\./g, "/")}/api.proto`,
                package: f.package,
                syntax: "proto3",
                dependency: [common.name],
                service: f.services.map((name) => ({
                    name,
                    method: [{ name: "Call", inputType: ".common.v1.Request", outputType: ".common.v1.Reply" }],
                })),
            })),
        ],
    });
    return toBinary(FileDescriptorSetSchema, set);
}
