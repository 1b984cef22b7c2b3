// gRPC-JSON transcoding (issue 20): the descriptor set parsed with a protobuf library, the
// EnvoyFilter in both modes (scoped to the transcoded virtual hosts), HTTP/2 to the gRPC backend,
// the ConfigMap alternative, the size limit, the component reading the file at plan time.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { create, toBinary } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import type { MeshGatewayArgs } from "../components/meshGateway";
import { readPlanFiles } from "../components/planFiles";
import type { GatewayFleetSpec } from "../core/fleet";
import { planFleet, type FleetPlan } from "../core/plan";
import { TRANSCODER_FILTER, TRANSCODER_TYPE_URL } from "../core/render/transcoding";
import { parseDescriptorSet } from "../core/transcoding";
import { loadFleets } from "../offline/plan";
import { buildBookstoreDescriptorSet, OUTPUT as EXAMPLE_DESCRIPTOR } from "../scripts/gen-example-descriptor";
import { runGateway } from "./support/fleet";
import { one, refusal, type Obj } from "./support/objects";
import { assertValidObjects } from "./support/schemas";
import { BOOKSTORE, BOOKSTORE_PB, transcodedFleet } from "./support/transcoding";

const plan = (fleet: GatewayFleetSpec): FleetPlan => planFleet(fleet, undefined, readPlanFiles(fleet));
const objectsOf = (p: FleetPlan, scope: "c1" | "asm"): Obj[] =>
    (scope === "asm" ? p.controlPlaneObjects : p.clusters.find((c) => c.clusterId === scope)!.objects) as Obj[];

/** The VIRTUAL_HOST patches of the transcoding EnvoyFilter, by virtual host name. */
function vhostConfigs(filter: Obj): Map<string, Record<string, unknown>> {
    const patches = filter.spec.configPatches as {
        applyTo: string;
        match: { routeConfiguration: { vhost: { name: string } } };
        patch: { value: { typed_per_filter_config: Record<string, Record<string, unknown>> } };
    }[];
    return new Map(
        patches
            .filter((p) => p.applyTo === "VIRTUAL_HOST")
            .map((p) => [p.match.routeConfiguration.vhost.name, p.patch.value.typed_per_filter_config[TRANSCODER_FILTER]]),
    );
}

function tempFile(name: string, bytes: Uint8Array): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mesh-gateway-transcoding-"));
    const file = path.join(dir, name);
    fs.writeFileSync(file, bytes);
    return file;
}

describe("gRPC-JSON transcoding", () => {
    describe("the descriptor set", () => {
        it("lists the fully qualified services of the example's descriptor set", () => {
            expect(parseDescriptorSet(fs.readFileSync(BOOKSTORE_PB))).to.deep.equal({ services: [BOOKSTORE] });
        });

        it("is what scripts/gen-example-descriptor.ts writes (the committed file is reproducible)", () => {
            expect(Buffer.from(buildBookstoreDescriptorSet()).equals(fs.readFileSync(EXAMPLE_DESCRIPTOR))).to.equal(true);
        });

        it("refuses a set whose imports are not in it (Envoy builds its pool from the set alone)", () => {
            const set = create(FileDescriptorSetSchema, {
                file: [
                    {
                        name: "api.proto",
                        package: "api.v1",
                        syntax: "proto3",
                        dependency: ["google/api/annotations.proto"],
                        service: [{ name: "Api" }],
                    },
                ],
            });
            const parsed = parseDescriptorSet(toBinary(FileDescriptorSetSchema, set));
            expect(parsed)
                .to.have.property("error")
                .that.matches(/self-contained.*google\/api\/annotations\.proto.*--include_imports/);
        });

        it("refuses bytes that are not a descriptor set, and an empty set", () => {
            expect(parseDescriptorSet(new Uint8Array([0x0a, 0x05, 1, 2])))
                .to.have.property("error")
                .that.contains("is not a FileDescriptorSet");
            expect(parseDescriptorSet(new Uint8Array())).to.have.property("error").that.contains("with any file");
        });

        it("refuses sets too large to inline in one EnvoyFilter, counting a copy per virtual host", () => {
            // About 700 KiB once base64-encoded: one copy fits, two (ports 80 and 8080) do not.
            const count = Math.ceil((700 * 1024 * 0.75) / 504);
            const set = create(FileDescriptorSetSchema, {
                file: [
                    {
                        name: "big.proto",
                        package: "bookstore.v1",
                        syntax: "proto3",
                        messageType: Array.from({ length: count }, (_, i) => ({
                            name: `M${String(i).padStart(8, "0")}${"x".repeat(490)}`,
                        })),
                        service: [{ name: "Bookstore" }],
                    },
                ],
            });
            const file = tempFile("big.pb", toBinary(FileDescriptorSetSchema, set));
            const onePort = transcodedFleet({ descriptor: { file } });
            expect(refusalWithFiles(onePort)).to.deep.equal([]);
            const twoPorts = transcodedFleet({ descriptor: { file } });
            twoPorts.gateway = {
                ports: [
                    { name: "http2", port: 80, protocol: "HTTP2" },
                    { name: "http-alt", port: 8080, protocol: "HTTP" },
                ],
            };
            twoPorts.routing!.listeners!.push({ name: "alt", port: 8080, protocol: "HTTP", hosts: ["api.example.com"] });
            expect(refusalWithFiles(twoPorts).join("\n")).to.match(
                /routing\.grpcTranscoding\[0\]\.descriptor\.file: the EnvoyFilter would inline 1[34]\d\d KiB .* over 1024 KiB/,
            );
        });
    });

    describe("istio mode", () => {
        const p = plan(transcodedFleet());
        const objects = objectsOf(p, "c1");
        const filter = one(objects, "EnvoyFilter", "istio-edge-grpc-transcoding");

        it("inserts the filter, switched off, before the router of the gateway's HTTP listeners, with a priority", () => {
            const [insert] = filter.spec.configPatches;
            expect(insert.applyTo).to.equal("HTTP_FILTER");
            expect(insert.match.listener.portNumber, "the listener serving api.example.com").to.equal(80);
            expect(insert.match.listener.filterChain.filter.subFilter.name).to.equal("envoy.filters.http.router");
            expect(insert.patch.operation).to.equal("INSERT_BEFORE");
            expect(insert.patch.value.name).to.equal(TRANSCODER_FILTER);
            // Envoy treats a transcoder without services as disabled.
            expect(insert.patch.value.typed_config).to.deep.equal({ "@type": TRANSCODER_TYPE_URL, proto_descriptor_bin: "" });
            expect(filter.spec.priority, "a relative patch needs a priority (IST0151)").to.be.a("number").above(0);
            expect(filter.spec.workloadSelector.labels).to.deep.equal({ app: "istio-edge", istio: "edge" });
        });

        it("gives the descriptor set and services only to the transcoded host's virtual host, not its neighbour's", () => {
            const configs = vhostConfigs(filter);
            expect([...configs.keys()]).to.deep.equal(["api.example.com:80"]);
            expect(configs.get("api.example.com:80")).to.deep.equal({
                "@type": TRANSCODER_TYPE_URL,
                proto_descriptor_bin: fs.readFileSync(BOOKSTORE_PB).toString("base64"),
                services: [BOOKSTORE],
                match_incoming_request_route: true,
            });
        });

        it("passes the options through", () => {
            const config = vhostConfigs(
                one(
                    objectsOf(
                        plan(transcodedFleet({ autoMapping: true, convertGrpcStatus: true, ignoreUnknownQueryParameters: true })),
                        "c1",
                    ),
                    "EnvoyFilter",
                    "istio-edge-grpc-transcoding",
                ),
            ).get("api.example.com:80");
            expect(config).to.include({ auto_mapping: true, convert_grpc_status: true, ignore_unknown_query_parameters: true });
        });

        it("speaks HTTP/2 to the transcoded host's backend only (h2UpgradePolicy), whatever its port's protocol", () => {
            const rule = one(objects, "DestinationRule");
            expect(rule.spec.host).to.equal("bookstore.istio-system.svc.cluster.local");
            expect(rule.spec.trafficPolicy).to.deep.equal({ connectionPool: { http: { h2UpgradePolicy: "UPGRADE" } } });
        });

        it("warns when a transcoded host's routes also reach another backend (it gets HTTP/2 too)", () => {
            expect(plan(transcodedFleet()).warnings).to.deep.equal([]);
            const fleet = transcodedFleet();
            fleet.routing!.http!.unshift({
                name: "docs",
                hosts: ["api.example.com"],
                match: [{ path: { prefix: "/docs" } }],
                destinations: [{ host: "docs" }],
            });
            expect(plan(fleet).warnings.map((w) => `${w.path}: ${w.message}`)).to.include(
                "routing.grpcTranscoding[0].hosts[0]: the routes of api.example.com send to docs, bookstore: the gateway speaks HTTP/2 (h2UpgradePolicy: UPGRADE) to every destination of a transcoded host, which a plain HTTP/1.1 backend refuses; give such a backend a host of its own",
            );
        });

        it("keeps a backend's own connection pool beside the upgrade", () => {
            const fleet = transcodedFleet();
            fleet.routing!.backends = { bookstore: { connectionPool: { maxConnections: 10, http2MaxRequests: 100 } } };
            const rule = one(objectsOf(plan(fleet), "c1"), "DestinationRule");
            expect(rule.spec.trafficPolicy.connectionPool).to.deep.equal({
                tcp: { maxConnections: 10 },
                http: { http2MaxRequests: 100, h2UpgradePolicy: "UPGRADE" },
            });
        });

        it("is in every cluster, and every object is valid against the upstream schemas", () => {
            for (const c of p.clusters) one(c.objects as Obj[], "EnvoyFilter", "istio-edge-grpc-transcoding");
            assertValidObjects(p.clusters.flatMap((c) => c.objects));
        });

        it("inserts the filter only in the listeners that serve a transcoded host, on the gateway pods' ports (targetPort, per cluster)", () => {
            const fleet = transcodedFleet();
            fleet.gateway = {
                ports: [
                    { name: "http2", port: 80, targetPort: 8080, protocol: "HTTP2" },
                    { name: "http-web", port: 8081, protocol: "HTTP" },
                ],
                // Another container port in c2: one EnvoyFilter serves both clusters.
                overrides: {
                    c2: {
                        ports: [
                            { name: "http2", port: 80, targetPort: 9080, protocol: "HTTP2" },
                            { name: "http-web", port: 8081, protocol: "HTTP" },
                        ],
                    },
                },
            };
            fleet.routing!.listeners!.push({ name: "web", port: 8081, protocol: "HTTP", hosts: ["web.example.com"] });
            const filter = one(objectsOf(plan(fleet), "c1"), "EnvoyFilter", "istio-edge-grpc-transcoding");
            const inserts = (filter.spec.configPatches as Obj["spec"][]).filter((x) => x.applyTo === "HTTP_FILTER");
            // Istio binds a gateway listener to the targetPort, and matches portNumber against it.
            expect(inserts.map((x) => x.match.listener.portNumber)).to.deep.equal([8080, 9080]);
            for (const x of inserts) expect(x.patch.value.name).to.equal(TRANSCODER_FILTER);
            expect([...vhostConfigs(filter).keys()]).to.deep.equal(["api.example.com:80"]);
        });

        it("leaves listeners that redirect to HTTPS alone: no filter there, no virtual host config (both routing APIs)", () => {
            for (const api of ["istio", "gateway-api"] as const) {
                // The property tests' counterexample: a wildcard listener host, the route's own host under it.
                const fleet = transcodedFleet({ hosts: ["www.apps.example.com"] });
                fleet.gateway = {
                    ports: [
                        { name: "http2", port: 80, protocol: "HTTP2" },
                        { name: "https", port: 443, targetPort: 8443, protocol: "HTTPS" },
                    ],
                };
                fleet.routing = {
                    ...fleet.routing,
                    api,
                    listeners: [
                        { name: "http", port: 80, protocol: "HTTP", hosts: ["*.apps.example.com"], httpsRedirect: true },
                        {
                            name: "https",
                            port: 443,
                            protocol: "HTTPS",
                            hosts: ["*.apps.example.com"],
                            tls: { mode: "SIMPLE", credentialName: "apps" },
                        },
                    ],
                    http: [{ name: "api", hosts: ["www.apps.example.com"], destinations: [{ host: "bookstore", port: 9090 }] }],
                };
                fleet.certificates = [{ name: "apps", existingSecret: true }];
                const filter = one(objectsOf(plan(fleet), "c1"), "EnvoyFilter", "istio-edge-grpc-transcoding");
                const inserts = (filter.spec.configPatches as Obj["spec"][]).filter((x) => x.applyTo === "HTTP_FILTER");
                expect(
                    inserts.map((x) => x.match.listener.portNumber),
                    api,
                ).to.deep.equal([8443]);
                expect([...vhostConfigs(filter).keys()], api).to.deep.equal(["www.apps.example.com:443"]);
            }
        });

        it("leaves a host alone on a port where another server redirects it to HTTPS (Istio merges the two servers' virtual hosts)", () => {
            const fleet = transcodedFleet();
            fleet.routing!.listeners = [
                { name: "http", port: 80, protocol: "HTTP", hosts: ["*.example.com"], httpsRedirect: true },
                { name: "api-http", port: 80, protocol: "HTTP", hosts: ["api.example.com"] },
                { name: "https", port: 443, protocol: "HTTPS", hosts: ["*.example.com"], tls: { mode: "SIMPLE", credentialName: "c" } },
            ];
            fleet.certificates = [{ name: "c", existingSecret: true }];
            const filter = one(objectsOf(plan(fleet), "c1"), "EnvoyFilter", "istio-edge-grpc-transcoding");
            const inserts = (filter.spec.configPatches as Obj["spec"][]).filter((x) => x.applyTo === "HTTP_FILTER");
            // Port 80's one route configuration: api.example.com:80 gets require_tls from the redirecting server.
            expect(inserts.map((x) => x.match.listener.portNumber)).to.deep.equal([443]);
            expect([...vhostConfigs(filter).keys()]).to.deep.equal(["api.example.com:443"]);
        });

        it("transcodes a host whose only routes come from a wider route host where Istio keeps its virtual host apart (Gateway API)", () => {
            const fleet = transcodedFleet({ hosts: ["shop.example.com"] });
            fleet.routing = {
                ...fleet.routing,
                api: "gateway-api",
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["shop.example.com", "blog.example.com", "*.example.com"] }],
                http: [{ name: "all", hosts: ["*.example.com"], destinations: [{ host: "bookstore", port: 9090 }] }],
            };
            // Each hostname is a Gateway API listener, and an Istio Gateway, of its own. With Istio
            // APIs the three virtual hosts have the same routes and become one (a validation case).
            const filter = one(objectsOf(plan(fleet), "c1"), "EnvoyFilter", "istio-edge-grpc-transcoding");
            expect([...vhostConfigs(filter).keys()]).to.deep.equal(["shop.example.com:80"]);
        });

        it("renders nothing for a fleet without transcoding", () => {
            const fleet = transcodedFleet();
            delete fleet.routing!.grpcTranscoding;
            const plain = objectsOf(plan(fleet), "c1");
            expect(plain.filter((o) => o.kind === "EnvoyFilter" || o.kind === "DestinationRule")).to.deep.equal([]);
        });
    });

    describe("asm mode", () => {
        it("puts the EnvoyFilter on the control plane, with the routing, and none in the clusters", () => {
            const p = plan(transcodedFleet({}, "asm"));
            const filter = one(objectsOf(p, "asm"), "EnvoyFilter", "istio-edge-grpc-transcoding");
            expect([...vhostConfigs(filter).keys()]).to.deep.equal(["api.example.com:80"]);
            for (const c of p.clusters) expect(c.objects.filter((o) => o.kind === "EnvoyFilter")).to.deep.equal([]);
            assertValidObjects(p.controlPlaneObjects.filter((o) => o.kind !== "IstioGateway"));
        });
    });

    describe("a descriptor set in a ConfigMap", () => {
        const fleet = (): GatewayFleetSpec => ({
            ...transcodedFleet({ descriptor: { configVolume: "protos", key: "bookstore.pb" } }),
            gateway: { configVolumes: [{ name: "protos", configMapName: "bookstore-protos", mountPath: "/etc/istio/protos/" }] },
        });

        it("names the path the gateway pods mount it at, and warns that the services are not checked", () => {
            const p = plan(fleet());
            const config = vhostConfigs(one(objectsOf(p, "c1"), "EnvoyFilter")).get("api.example.com:80")!;
            expect(config.proto_descriptor).to.equal("/etc/istio/protos/bookstore.pb");
            expect(config).not.to.have.property("proto_descriptor_bin");
            const deployment = one(objectsOf(p, "c1"), "Deployment");
            expect(deployment.spec.template.spec.volumes).to.deep.include({ name: "protos", configMap: { name: "bookstore-protos" } });
            expect(p.warnings.map((w) => `${w.path}: ${w.message}`).join("\n")).to.contain(
                "routing.grpcTranscoding[0].services: the descriptor set is in ConfigMap volume protos, which the plan cannot read",
            );
            // Per-filter configs are built with the route configuration, which Envoy takes or refuses whole:
            // a bad descriptor takes the other hosts of that port down with the transcoded one.
            const warning = p.warnings.find((w) => w.path === "routing.grpcTranscoding[0].services")!.message;
            expect(warning).to.contain(
                "refuses the whole route configuration holding api.example.com, with every other host on the same listener port",
            );
            expect(warning).not.to.contain("keep working");
        });

        it("works in asm mode too (the IstioGateway mounts the volume)", () => {
            const p = plan({ ...fleet(), mode: "asm", controlPlane: { kubeconfig: "kc" } });
            const gateway = one(objectsOf(p, "asm"), "IstioGateway");
            expect(gateway.spec.configVolumes).to.deep.equal([
                { name: "protos", configMapName: "bookstore-protos", mountPath: "/etc/istio/protos/" },
            ]);
            expect(vhostConfigs(one(objectsOf(p, "asm"), "EnvoyFilter")).get("api.example.com:80")!.proto_descriptor).to.equal(
                "/etc/istio/protos/bookstore.pb",
            );
        });

        it("refuses a volume mounted at different paths in different clusters (one EnvoyFilter names one path)", () => {
            const f = fleet();
            f.gateway.overrides = { c2: { configVolumes: [{ name: "protos", configMapName: "bookstore-protos", mountPath: "/protos" }] } };
            expect(refusalWithFiles(f).join("\n")).to.contain(
                "routing.grpcTranscoding[0].descriptor.configVolume: protos is mounted at /etc/istio/protos/ and /protos in different clusters",
            );
        });
    });

    describe("read at plan time", () => {
        it("the component reads the descriptor file and registers the EnvoyFilter with its bytes", async () => {
            const { name, ...args } = transcodedFleet();
            const run = await runGateway(name, { ...args, gatewayName: name } as MeshGatewayArgs);
            const filters = run.objects
                .filter((o) => o.object.kind === "EnvoyFilter")
                .map((o) => ({ scope: o.scope, object: o.object as Obj }));
            // One per cluster (istio mode), each under its cluster's provider.
            expect(filters).to.have.length(2);
            expect(new Set(filters.map((f) => f.scope)).size).to.equal(2);
            expect(vhostConfigs(filters[0].object).get("api.example.com:80")!.proto_descriptor_bin).to.equal(
                fs.readFileSync(BOOKSTORE_PB).toString("base64"),
            );
        });

        it("the core reads nothing: without the file's bytes it refuses, naming the file", () => {
            const lines = refusalWithoutFiles(transcodedFleet());
            expect(lines).to.include(
                `routing.grpcTranscoding[0].descriptor.file: ${BOOKSTORE_PB} was not read: pass the bytes of the files the config names (readPlanFiles)`,
            );
        });

        it("a path in a stack config is relative to the config file, wherever the plan runs", () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mesh-gateway-stack-"));
            fs.mkdirSync(path.join(dir, "protos"));
            fs.copyFileSync(BOOKSTORE_PB, path.join(dir, "protos", "api.pb"));
            const fleet = transcodedFleet({ descriptor: { file: "protos/api.pb" } });
            const stack = path.join(dir, "Pulumi.dev.yaml");
            fs.writeFileSync(stack, JSON.stringify({ config: { "shop:gateways": [{ ...fleet, clusters: fleet.clusters }] } }));
            const [loaded] = loadFleets(stack);
            const file = loaded.args.routing!.grpcTranscoding![0].descriptor.file!;
            expect(path.isAbsolute(file)).to.equal(false);
            expect(path.resolve(file)).to.equal(path.join(dir, "protos", "api.pb"));
        });
    });
});

function refusalWithFiles(fleet: GatewayFleetSpec): string[] {
    try {
        plan(fleet);
    } catch (e) {
        return (e as { issues: { path: string; message: string }[] }).issues.map((i) => `${i.path}: ${i.message}`);
    }
    return [];
}

function refusalWithoutFiles(fleet: GatewayFleetSpec): string[] {
    return refusal(fleet);
}
