// gRPC-JSON transcoding: the descriptor set (a file read at plan time, or a mounted ConfigMap), the
// services it must hold, the hosts it applies to, its size.
import { base } from "../support/builders";
import { BOOKSTORE, BOOKSTORE_PB, transcodedFleet, transcodedRouting } from "../support/transcoding";
import type { Case } from "./case";

export const cases: Case[] = [
    [
        "a descriptor file that does not exist",
        () => transcodedFleet({ descriptor: { file: "examples/istio-ingress-two-clusters/grpc/missing.pb" } }),
        "routing.grpcTranscoding[0].descriptor.file: cannot read examples/istio-ingress-two-clusters/grpc/missing.pb: no such file",
    ],
    [
        "a descriptor file that is a directory",
        () => transcodedFleet({ descriptor: { file: "examples/istio-ingress-two-clusters/grpc" } }),
        "routing.grpcTranscoding[0].descriptor.file: cannot read examples/istio-ingress-two-clusters/grpc: it is a directory",
    ],
    [
        "a descriptor file that is not a descriptor set (the .proto source)",
        () => transcodedFleet({ descriptor: { file: "examples/istio-ingress-two-clusters/grpc/bookstore.proto" } }),
        "routing.grpcTranscoding[0].descriptor.file: examples/istio-ingress-two-clusters/grpc/bookstore.proto is not a FileDescriptorSet",
    ],
    [
        "a service the descriptor set does not hold",
        () => transcodedFleet({ services: [BOOKSTORE, "bookstore.v1.Library"] }),
        "routing.grpcTranscoding[0].services[1]: bookstore.v1.Library is not in examples/istio-ingress-two-clusters/grpc/bookstore.pb (it has bookstore.v1.Bookstore)",
    ],
    [
        "a service named without its package",
        () => transcodedFleet({ services: ["Bookstore"] }),
        "routing.grpcTranscoding[0].services[0]: Bookstore is not in",
    ],
    [
        "a service name that is not a protobuf name",
        () => transcodedFleet({ services: ["bookstore/v1.Bookstore"] }),
        'routing.grpcTranscoding[0].services[0]: "bookstore/v1.Bookstore" is not a fully qualified gRPC service name',
    ],
    ["no services", () => transcodedFleet({ services: [] }), "routing.grpcTranscoding[0].services: must NOT have fewer than 1 items"],
    [
        "both a file and a ConfigMap volume",
        () => transcodedFleet({ descriptor: { file: BOOKSTORE_PB, configVolume: "protos", key: "api.pb" } }),
        "routing.grpcTranscoding[0].descriptor: give exactly one of file (read at plan time) and configVolume (a mounted ConfigMap)",
    ],
    [
        "a ConfigMap volume the gateway does not mount",
        () => transcodedFleet({ descriptor: { configVolume: "protos", key: "api.pb" } }),
        "routing.grpcTranscoding[0].descriptor.configVolume: protos is not in gateway.configVolumes: mount the ConfigMap there",
    ],
    [
        "a ConfigMap volume without a key",
        () => ({
            ...transcodedFleet({ descriptor: { configVolume: "protos" } }),
            gateway: { configVolumes: [{ name: "protos", configMapName: "bookstore-protos", mountPath: "/etc/protos" }] },
        }),
        "routing.grpcTranscoding[0].descriptor.key: configVolume needs key",
    ],
    [
        "a ConfigMap volume one cluster's override drops",
        () => ({
            ...transcodedFleet({ descriptor: { configVolume: "protos", key: "api.pb" } }),
            gateway: {
                configVolumes: [{ name: "protos", configMapName: "bookstore-protos", mountPath: "/etc/protos" }],
                overrides: { c2: { configVolumes: [] } },
            },
        }),
        "routing.grpcTranscoding[0].descriptor.configVolume: protos is not in the configVolumes of cluster c2",
    ],
    [
        "a host no HTTP listener serves",
        () => transcodedFleet({ hosts: ["grpc.example.com"] }),
        "routing.grpcTranscoding[0].hosts[0]: no HTTP listener serves grpc.example.com",
    ],
    [
        "a host that only a wildcard route serves",
        () => ({
            ...base(),
            routing: {
                ...transcodedRouting({ hosts: ["shop.example.com"] }),
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["*.example.com"] }],
                http: [{ name: "all", hosts: ["*.example.com"], destinations: [{ host: "bookstore", port: 9090 }] }],
            },
        }),
        "routing.grpcTranscoding[0].hosts[0]: shop.example.com is served by the virtual host *.example.com:80",
    ],
    [
        "a host served only on a listener that redirects to HTTPS",
        () => {
            const fleet = transcodedFleet();
            fleet.routing!.listeners![0].httpsRedirect = true;
            return fleet;
        },
        "routing.grpcTranscoding[0].hosts[0]: api.example.com is served only on listeners that redirect to HTTPS (httpsRedirect), where every request gets the redirect: serve it on an HTTPS listener too",
    ],
    [
        "a host whose virtual host Istio merges with another's (same routes, from one wider route host)",
        () => ({
            ...base(),
            routing: {
                ...transcodedRouting({ hosts: ["shop.example.com"] }),
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["shop.example.com", "blog.example.com", "*.example.com"] }],
                http: [{ name: "all", hosts: ["*.example.com"], destinations: [{ host: "bookstore", port: 9090 }] }],
            },
        }),
        "routing.grpcTranscoding[0].hosts[0]: shop.example.com gets the same routes as blog.example.com, *.example.com on port 80 (only from a wider route host), and Istio merges virtual hosts with the same routes into one",
    ],
    [
        "a host transcoded twice",
        () => {
            const fleet = transcodedFleet();
            fleet.routing!.grpcTranscoding!.push({ hosts: ["api.example.com"], services: [BOOKSTORE], descriptor: { file: BOOKSTORE_PB } });
            return fleet;
        },
        "routing.grpcTranscoding[1].hosts[0]: api.example.com is already transcoded by grpcTranscoding[0]; one per host",
    ],
    [
        "transcoding on an egress gateway",
        () => ({ ...transcodedFleet(), gateway: { gatewayType: "egress" } }),
        "routing.grpcTranscoding: gRPC-JSON transcoding serves clients of an ingress gateway",
    ],
    [
        "an unknown field in a transcoding entry",
        () => transcodedFleet({ printOptions: {} } as never),
        "routing.grpcTranscoding[0].printOptions: unknown field",
    ],
];
