// Realistic routing and edge-security fleets, the kind a new user writes after the Istio tasks:
// per routing API, each planned in both install modes by the tests.
import type { GatewayFleetSpec } from "../../core/fleet";
import type { RoutingApi } from "../../core/routing";
import { BOOKSTORE, BOOKSTORE_PB } from "./transcoding";

type Fleet = Omit<GatewayFleetSpec, "mode" | "clusters">;

const httpOnly = {
    ports: [
        { name: "http2", port: 80, protocol: "HTTP2" as const },
        { name: "https", port: 443, protocol: "HTTPS" as const },
        { name: "tcp", port: 31400, protocol: "TCP" as const },
        { name: "tls", port: 8443, protocol: "TLS" as const },
    ],
};
const jwt = [
    { issuer: "https://a.example.com", jwksUri: "https://a.example.com/jwks", paths: ["/api/*"] },
    { issuer: "https://b.example.com", jwksUri: "https://b.example.com/jwks", paths: ["/internal/*"] },
];

export const ROUTING_FLEETS: Record<RoutingApi, Record<string, Fleet>> = {
    istio: {
        "httpbin (the Istio ingress task)": {
            name: "httpbin",
            gateway: {},
            routing: {
                namespace: "default",
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["httpbin.example.com"] }],
                http: [
                    {
                        name: "httpbin",
                        hosts: ["httpbin.example.com"],
                        match: [{ path: { prefix: "/status" } }, { path: { prefix: "/delay" } }],
                        destinations: [{ host: "httpbin", port: 8000 }],
                    },
                ],
            },
        },
        "mutual TLS": {
            name: "mtls",
            gateway: {},
            certificates: [{ name: "mtls-cert", existingSecret: true }],
            routing: {
                listeners: [
                    {
                        name: "https",
                        port: 443,
                        protocol: "HTTPS",
                        hosts: ["secure.example.com"],
                        tls: { mode: "MUTUAL", credentialName: "mtls-cert" },
                    },
                ],
                http: [
                    { name: "secure", hosts: ["secure.example.com"], destinations: [{ host: "secure", namespace: "apps", port: 8080 }] },
                ],
            },
        },
        "canary with mirroring in a routing namespace": {
            name: "shop",
            gateway: {},
            routing: {
                namespace: "edge-routing",
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["shop.example.com"] }],
                http: [
                    {
                        name: "canary",
                        hosts: ["shop.example.com"],
                        match: [{ headers: { "x-canary": { exact: "1" } } }],
                        destinations: [{ host: "shop", namespace: "shop", port: 80, subset: "v2" }],
                    },
                    {
                        name: "shop",
                        hosts: ["shop.example.com"],
                        destinations: [
                            { host: "shop", namespace: "shop", port: 80, subset: "v1", weight: 90 },
                            { host: "shop", namespace: "shop", port: 80, subset: "v2", weight: 10 },
                        ],
                        mirror: { destination: { host: "shop-shadow", namespace: "shop", port: 80 }, percentage: 10 },
                    },
                ],
                backends: { shop: { connectionPool: { maxConnections: 100 }, outlierDetection: { consecutive5xxErrors: 5 } } },
            },
        },
        "gRPC per method": {
            name: "grpc",
            gateway: httpOnly,
            routing: {
                listeners: [{ name: "grpc", port: 80, protocol: "HTTP2", hosts: ["grpc.example.com"] }],
                http: [
                    {
                        name: "say-hello",
                        hosts: ["grpc.example.com"],
                        match: [{ path: { exact: "/helloworld.Greeter/SayHello" } }],
                        destinations: [{ host: "greeter", port: 50051, subset: "v2" }],
                    },
                    {
                        name: "greeter",
                        hosts: ["grpc.example.com"],
                        match: [{ path: { prefix: "/helloworld.Greeter/" } }],
                        destinations: [{ host: "greeter", port: 50051, subset: "v1" }],
                    },
                ],
            },
        },
        "a gRPC API for HTTP/JSON clients beside a web app": {
            name: "bookstore",
            gateway: {},
            routing: {
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["api.example.com", "www.example.com"] }],
                http: [
                    {
                        name: "bookstore",
                        hosts: ["api.example.com"],
                        match: [{ path: { prefix: "/v1/" } }, { path: { prefix: "/bookstore.v1.Bookstore/" } }],
                        destinations: [{ host: "bookstore", namespace: "books", port: 9090 }],
                    },
                    { name: "www", hosts: ["www.example.com"], destinations: [{ host: "www", port: 8080 }] },
                ],
                grpcTranscoding: [
                    { hosts: ["api.example.com"], services: [BOOKSTORE], descriptor: { file: BOOKSTORE_PB }, convertGrpcStatus: true },
                ],
            },
        },
        "TCP canary and TLS passthrough": {
            name: "l4",
            gateway: httpOnly,
            routing: {
                listeners: [
                    { name: "tcp", port: 31400, protocol: "TCP", hosts: ["*"] },
                    { name: "pass", port: 8443, protocol: "TLS", hosts: ["db.example.com"], tls: { mode: "PASSTHROUGH" } },
                ],
                tcp: [
                    {
                        name: "echo",
                        port: 31400,
                        destinations: [
                            { host: "tcp-echo", port: 9000, subset: "v1", weight: 80 },
                            { host: "tcp-echo", port: 9000, subset: "v2", weight: 20 },
                        ],
                    },
                ],
                tls: [{ name: "db", sniHosts: ["db.example.com"], destinations: [{ host: "db", namespace: "data", port: 5432 }] }],
            },
        },
        "per-host rate limits under a wildcard listener": {
            name: "shops",
            gateway: {},
            routing: {
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["*.shops.example.com"] }],
                http: [
                    { name: "acme", hosts: ["acme.shops.example.com"], destinations: [{ host: "acme" }] },
                    { name: "shops", hosts: ["*.shops.example.com"], destinations: [{ host: "shops" }] },
                ],
                rateLimits: [
                    { hosts: ["acme.shops.example.com"], requests: 100, unit: "second" },
                    { hosts: ["*.shops.example.com"], requests: 1000, unit: "second" },
                ],
            },
        },
        "egress through the gateway": {
            name: "egress",
            gateway: {
                gatewayType: "egress",
                ports: [
                    { name: "tls", port: 443 },
                    { name: "http", port: 80 },
                ],
            },
            routing: {
                egress: [
                    { host: "api.partner.com", protocol: "TLS" },
                    { host: "status.partner.com", protocol: "HTTP" },
                ],
            },
        },
        "JWT per issuer, IP lists and TCP beside HTTP": {
            name: "secure",
            gateway: { ...httpOnly, externalTrafficPolicy: "Local" },
            routing: {
                listeners: [
                    { name: "http", port: 80, protocol: "HTTP", hosts: ["app.example.com"] },
                    { name: "tcp", port: 31400, protocol: "TCP", hosts: ["*"] },
                ],
                http: [{ name: "app", hosts: ["app.example.com"], destinations: [{ host: "app" }] }],
                tcp: [{ name: "db", port: 31400, destinations: [{ host: "db", port: 5432 }] }],
            },
            security: {
                ipAllow: ["10.0.0.0/8"],
                ipDeny: ["10.9.0.0/16"],
                jwt,
                customAuth: [{ provider: "oauth2-proxy", paths: ["/admin/*"] }],
            },
        },
    },
    "gateway-api": {
        "httpbin (the Istio ingress task)": {
            name: "httpbin",
            gateway: {},
            routing: {
                api: "gateway-api",
                namespace: "default",
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["httpbin.example.com"] }],
                http: [
                    {
                        name: "httpbin",
                        hosts: ["httpbin.example.com"],
                        match: [{ path: { prefix: "/status" } }, { path: { prefix: "/delay" } }],
                        destinations: [{ host: "httpbin", port: 8000 }],
                    },
                ],
            },
        },
        "canary by Service with mirroring, CORS and circuit breaking": {
            name: "shop",
            gateway: {},
            routing: {
                api: "gateway-api",
                namespace: "web",
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["shop.example.com"] }],
                http: [
                    {
                        name: "shop",
                        hosts: ["shop.example.com"],
                        destinations: [
                            { host: "shop", namespace: "store", port: 80, weight: 90 },
                            { host: "shop-v2", namespace: "store", port: 80, weight: 10 },
                        ],
                        mirror: { destination: { host: "shop-shadow", namespace: "store", port: 80 }, percentage: 10 },
                        cors: { allowOrigins: ["https://m.example.com"] },
                    },
                ],
                backends: { shop: { connectionPool: { maxConnections: 100 } } },
            },
        },
        "TCP and TLS passthrough": {
            name: "l4",
            gateway: httpOnly,
            routing: {
                api: "gateway-api",
                listeners: [
                    { name: "tcp", port: 31400, protocol: "TCP", hosts: ["*"] },
                    { name: "pass", port: 8443, protocol: "TLS", hosts: ["db.example.com"], tls: { mode: "PASSTHROUGH" } },
                ],
                tcp: [{ name: "echo", port: 31400, destinations: [{ host: "tcp-echo", port: 9000 }] }],
                tls: [{ name: "db", sniHosts: ["db.example.com"], destinations: [{ host: "db", port: 5432 }] }],
            },
        },
        "per-host rate limits": {
            name: "shops",
            gateway: {},
            routing: {
                api: "gateway-api",
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["*.shops.example.com"] }],
                http: [{ name: "acme", hosts: ["acme.shops.example.com"], destinations: [{ host: "acme", port: 80 }] }],
                rateLimits: [{ hosts: ["acme.shops.example.com"], requests: 100, unit: "second" }],
            },
        },
        "a gRPC API for HTTP/JSON clients": {
            name: "bookstore",
            gateway: {},
            routing: {
                api: "gateway-api",
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["api.example.com"] }],
                http: [
                    {
                        name: "bookstore",
                        hosts: ["api.example.com"],
                        match: [{ path: { prefix: "/v1/" } }],
                        destinations: [{ host: "bookstore", port: 9090 }],
                    },
                ],
                grpcTranscoding: [{ hosts: ["api.example.com"], services: [BOOKSTORE], descriptor: { file: BOOKSTORE_PB } }],
            },
        },
        "JWT per issuer": {
            name: "secure",
            gateway: {},
            routing: {
                api: "gateway-api",
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["app.example.com"] }],
                http: [{ name: "app", hosts: ["app.example.com"], destinations: [{ host: "app", port: 80 }] }],
            },
            security: { jwt },
        },
    },
};

/** A fleet in one install mode, on two clusters. */
export function inMode(f: Fleet, mode: "istio" | "asm"): GatewayFleetSpec {
    return mode === "istio"
        ? { ...f, mode, clusters: [{ id: "c1" }, { id: "c2" }] }
        : {
              ...f,
              mode,
              clusters: [
                  { id: "c1", kubeconfig: "k1" },
                  { id: "c2", kubeconfig: "k2" },
              ],
              controlPlane: { kubeconfig: "kc" },
          };
}
