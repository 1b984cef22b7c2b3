// Fleets that offer the example's gRPC API (bookstore.v1.Bookstore) to HTTP/JSON clients.
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
