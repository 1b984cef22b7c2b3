// Routing: Istio Gateway/VirtualService/DestinationRule and Gateway API objects, field by field,
// each valid against the CRDs, and the Istio ingress task's httpbin example in both APIs.
import type { KubeObject } from "../core/render/common";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { planFleet } from "../core/plan";
import type { RoutingSpec } from "../core/routing";
import { fleetSpecOf, type GatewayFleetSpec } from "../core/fleet";
import { readPlanFiles } from "../components/planFiles";
import { loadFleets } from "../offline/plan";
import { runGateway } from "./support/fleet";
import { denied, meshRuleProblems } from "./support/meshRules";
import { one, type Obj } from "./support/objects";
import { inMode, ROUTING_FLEETS } from "./support/routingFleets";
import { assertValidObjects } from "./support/schemas";

const EXAMPLES = path.join(__dirname, "..", "..", "examples");

/** The httpbin listener and route of the Istio ingress task, in this product's model. */
const httpbin: RoutingSpec = {
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
};

function fleet(routing: RoutingSpec, extra: Partial<GatewayFleetSpec> = {}): GatewayFleetSpec {
    return { name: "httpbin-gateway", mode: "istio", clusters: [{ id: "c1", region: "cn-hangzhou" }], gateway: {}, routing, ...extra };
}

function routingObjects(spec: GatewayFleetSpec): Obj[] {
    const plan = planFleet(spec);
    const objects = (plan.mode === "asm" ? plan.controlPlaneObjects : plan.clusters[0].objects).filter(
        (o) => /networking|gateway\.networking|ServiceEntry/.test(o.apiVersion) || o.kind === "EnvoyFilter",
    ) as Obj[];
    assertValidObjects(objects);
    return objects;
}

/** The manifests the Istio ingress task applies in one of its tabs ("istio-apis", "gateway-api"). */
function seedManifests(tab: "istio-apis" | "gateway-api"): Obj[] {
    const file = path.join(__dirname, "..", "..", "tests", "fixtures", `istio-ingress-task-${tab}.yaml`);
    return YAML.parseAllDocuments(fs.readFileSync(file, "utf8")).map((d) => d.toJS() as Obj);
}

describe("routing", () => {
    it("renders the ingress task's httpbin example with Istio APIs as the task writes it", () => {
        const [seedGateway, seedVs] = seedManifests("istio-apis");
        const objects = routingObjects(fleet(httpbin));
        const gateway = one(objects, "Gateway");
        const vs = one(objects, "VirtualService");
        expect(gateway.apiVersion).to.equal("networking.istio.io/v1");
        expect(gateway.metadata).to.include({ name: seedGateway.metadata.name, namespace: "default" });
        expect(gateway.spec.servers).to.deep.equal(seedGateway.spec.servers);
        // The task selects `istio: ingressgateway`; this product selects the pods it installs.
        expect(gateway.spec.selector).to.deep.equal({ app: "istio-httpbin-gateway", istio: "httpbin-gateway" });
        expect(vs.spec.hosts).to.deep.equal(seedVs.spec.hosts);
        expect(vs.spec.gateways).to.deep.equal([`default/${seedVs.spec.gateways[0]}`]);
        const seedRoute = seedVs.spec.http[0];
        expect(vs.spec.http).to.deep.equal([
            {
                name: "httpbin",
                match: seedRoute.match,
                // The same Service, fully qualified so it resolves from any namespace.
                route: [
                    {
                        destination: {
                            host: `${seedRoute.route[0].destination.host}.default.svc.cluster.local`,
                            port: seedRoute.route[0].destination.port,
                        },
                    },
                ],
            },
        ]);
    });

    it("renders the same example with Gateway API, bound to the product's own gateway", () => {
        const [seedGateway, seedRoute] = seedManifests("gateway-api");
        const objects = routingObjects(fleet({ ...httpbin, api: "gateway-api" }));
        const gateway = one(objects, "Gateway");
        const route = one(objects, "HTTPRoute");
        expect(gateway.apiVersion).to.equal("gateway.networking.k8s.io/v1");
        expect(gateway.metadata.name).to.equal(seedGateway.metadata.name);
        expect(gateway.spec.gatewayClassName).to.equal(seedGateway.spec.gatewayClassName);
        expect(gateway.spec.listeners).to.deep.equal(seedGateway.spec.listeners);
        expect(gateway.spec.addresses).to.deep.equal([{ type: "Hostname", value: "istio-httpbin-gateway.istio-system.svc.cluster.local" }]);
        expect(route.spec.hostnames).to.deep.equal(seedRoute.spec.hostnames);
        expect(route.spec.parentRefs).to.deep.equal([{ ...seedRoute.spec.parentRefs[0], sectionName: "http" }]);
        expect(route.spec.rules).to.deep.equal(seedRoute.spec.rules);
        expect(objects.map((o) => o.kind)).to.deep.equal(["Gateway", "HTTPRoute"]);
    });

    it("maps canaries, subsets, mirroring, retries, faults, rewrites, headers and CORS into one VirtualService per host", () => {
        const objects = routingObjects(
            fleet(
                {
                    listeners: [
                        { name: "http", port: 80, protocol: "HTTP", hosts: ["shop.example.com"], httpsRedirect: true },
                        {
                            name: "https",
                            port: 443,
                            protocol: "HTTPS",
                            hosts: ["shop.example.com", "*.api.example.com"],
                            tls: { mode: "SIMPLE", credentialName: "shop-cert" },
                        },
                    ],
                    http: [
                        {
                            name: "checkout",
                            hosts: ["shop.example.com"],
                            match: [{ path: { regex: "^/checkout/[0-9]+$" }, method: "POST", headers: { "x-canary": { exact: "1" } } }],
                            destinations: [
                                { host: "checkout", port: 8080, subset: "v1", weight: 90 },
                                { host: "checkout", port: 8080, subset: "v2", weight: 10 },
                            ],
                            mirror: { destination: { host: "checkout-shadow", port: 8080 }, percentage: 5 },
                            timeout: "3s",
                            retries: { attempts: 3, perTryTimeout: "1s", retryOn: "5xx,reset" },
                            fault: { delay: { fixedDelay: "2s", percentage: 1 } },
                            headers: { request: { set: { "x-route": "checkout" } }, response: { remove: ["server"] } },
                        },
                        {
                            name: "legacy",
                            hosts: ["shop.example.com"],
                            match: [{ path: { prefix: "/old" } }],
                            redirect: { uri: "/new", redirectCode: 301 },
                        },
                        {
                            name: "api",
                            hosts: ["v1.api.example.com"],
                            rewrite: { uri: "/" },
                            destinations: [{ host: "api", namespace: "backend", port: 80 }],
                            cors: { allowOrigins: ["https://shop.example.com"], allowMethods: ["GET"], maxAge: "24h" },
                        },
                    ],
                    backends: {
                        checkout: {
                            connectionPool: { maxConnections: 100, http1MaxPendingRequests: 10 },
                            outlierDetection: { consecutive5xxErrors: 5, interval: "10s", baseEjectionTime: "30s" },
                        },
                    },
                },
                { name: "edge", certificates: [{ name: "shop-cert", existingSecret: true }] },
            ),
        );
        const gateway = one(objects, "Gateway");
        expect(gateway.spec.servers).to.deep.equal([
            { port: { number: 80, name: "http", protocol: "HTTP" }, hosts: ["shop.example.com"], tls: { httpsRedirect: true } },
            {
                port: { number: 443, name: "https", protocol: "HTTPS" },
                hosts: ["shop.example.com", "*.api.example.com"],
                tls: { mode: "SIMPLE", credentialName: "shop-cert", minProtocolVersion: "TLSV1_2" },
            },
        ]);
        const shop = one(objects, "VirtualService", "edge-shop-example-com");
        expect(shop.spec.http.map((r: { name: string }) => r.name)).to.deep.equal(["checkout", "legacy"]);
        expect(shop.spec.http[0]).to.deep.equal({
            name: "checkout",
            match: [{ uri: { regex: "^/checkout/[0-9]+$" }, headers: { "x-canary": { exact: "1" } }, method: { exact: "POST" } }],
            route: [
                { destination: { host: "checkout.istio-system.svc.cluster.local", subset: "v1", port: { number: 8080 } }, weight: 90 },
                { destination: { host: "checkout.istio-system.svc.cluster.local", subset: "v2", port: { number: 8080 } }, weight: 10 },
            ],
            timeout: "3s",
            retries: { attempts: 3, perTryTimeout: "1s", retryOn: "5xx,reset" },
            fault: { delay: { fixedDelay: "2s", percentage: { value: 1 } } },
            mirror: { host: "checkout-shadow.istio-system.svc.cluster.local", port: { number: 8080 } },
            mirrorPercentage: { value: 5 },
            headers: { request: { set: { "x-route": "checkout" } }, response: { remove: ["server"] } },
        });
        expect(shop.spec.http[1]).to.deep.equal({
            name: "legacy",
            match: [{ uri: { prefix: "/old" } }],
            redirect: { uri: "/new", redirectCode: 301 },
        });
        const api = one(objects, "VirtualService", "edge-v1-api-example-com");
        expect(api.spec.http[0]).to.deep.include({
            rewrite: { uri: "/" },
            route: [{ destination: { host: "api.backend.svc.cluster.local", port: { number: 80 } } }],
            corsPolicy: { allowOrigins: [{ exact: "https://shop.example.com" }], allowMethods: ["GET"], maxAge: "24h" },
        });
        const dr = one(objects, "DestinationRule", "edge-checkout-istio-system-svc-cluster-local");
        expect(dr.spec).to.deep.equal({
            host: "checkout.istio-system.svc.cluster.local",
            exportTo: ["."],
            subsets: [
                { name: "v1", labels: { version: "v1" } },
                { name: "v2", labels: { version: "v2" } },
            ],
            trafficPolicy: {
                connectionPool: { tcp: { maxConnections: 100 }, http: { http1MaxPendingRequests: 10 } },
                outlierDetection: { consecutive5xxErrors: 5, interval: "10s", baseEjectionTime: "30s" },
            },
        });
        expect(objects.filter((o) => o.kind === "DestinationRule")).to.have.length(1);
    });

    it("routes gRPC between two versions, TCP with a weighted canary, and TLS passthrough by SNI", () => {
        const objects = routingObjects(
            fleet(
                {
                    listeners: [
                        { name: "grpc", port: 80, protocol: "HTTP2", hosts: ["grpc.example.com"] },
                        { name: "tcp", port: 31400, protocol: "TCP", hosts: ["*"] },
                        { name: "passthrough", port: 443, protocol: "TLS", hosts: ["secure.example.com"], tls: { mode: "PASSTHROUGH" } },
                    ],
                    http: [
                        {
                            name: "greeter",
                            hosts: ["grpc.example.com"],
                            match: [{ path: { prefix: "/helloworld.Greeter/" } }],
                            destinations: [
                                { host: "greeter", port: 50051, subset: "v1", weight: 50 },
                                { host: "greeter", port: 50051, subset: "v2", weight: 50 },
                            ],
                        },
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
                    tls: [{ name: "secure", sniHosts: ["secure.example.com"], destinations: [{ host: "secure", port: 443 }] }],
                },
                {
                    name: "edge",
                    gateway: {
                        ports: [
                            { name: "http2", port: 80 },
                            { name: "tls", port: 443 },
                            { name: "tcp", port: 31400 },
                        ],
                    },
                },
            ),
        );
        const tcp = one(objects, "VirtualService", "edge-tcp");
        expect(tcp.spec).to.deep.equal({
            hosts: ["*"],
            gateways: ["istio-system/edge"],
            tcp: [
                {
                    match: [{ port: 31400 }],
                    route: [
                        {
                            destination: { host: "tcp-echo.istio-system.svc.cluster.local", subset: "v1", port: { number: 9000 } },
                            weight: 80,
                        },
                        {
                            destination: { host: "tcp-echo.istio-system.svc.cluster.local", subset: "v2", port: { number: 9000 } },
                            weight: 20,
                        },
                    ],
                },
            ],
        });
        expect(one(objects, "VirtualService", "edge-secure-example-com").spec.tls).to.deep.equal([
            {
                match: [{ sniHosts: ["secure.example.com"], port: 443 }],
                route: [{ destination: { host: "secure.istio-system.svc.cluster.local", port: { number: 443 } } }],
            },
        ]);
        expect(
            one(objects, "VirtualService", "edge-grpc-example-com").spec.http[0].route.map((r: { weight: number }) => r.weight),
        ).to.deep.equal([50, 50]);
        expect(
            objects.filter((o) => o.kind === "DestinationRule").map((o) => o.spec.subsets.map((s: { name: string }) => s.name)),
        ).to.deep.equal([
            ["v1", "v2"],
            ["v1", "v2"],
        ]);
    });

    it("throttles per host with Envoy's local rate limit on the gateway pods", () => {
        const objects = routingObjects(
            fleet(
                {
                    listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["shop.example.com", "static.example.com"] }],
                    http: [{ name: "shop", hosts: ["shop.example.com"], destinations: [{ host: "shop", port: 80 }] }],
                    rateLimits: [{ hosts: ["shop.example.com"], requests: 1000, unit: "second" }],
                },
                { name: "edge" },
            ),
        );
        const filter = one(objects, "EnvoyFilter");
        expect(filter.metadata.namespace).to.equal("istio-system");
        expect(filter.spec.workloadSelector).to.deep.equal({ labels: { app: "istio-edge", istio: "edge" } });
        const [insert, vhost] = filter.spec.configPatches;
        expect(insert.patch.operation).to.equal("INSERT_BEFORE");
        expect(vhost.match).to.deep.equal({ context: "GATEWAY", routeConfiguration: { vhost: { name: "shop.example.com:80" } } });
        expect(vhost.patch.value.typed_per_filter_config["envoy.filters.http.local_ratelimit"].value.token_bucket).to.deep.equal({
            max_tokens: 1000,
            tokens_per_fill: 1000,
            fill_interval: "1s",
        });
    });

    it("sends in-mesh traffic for an external host through the egress gateway", () => {
        const objects = routingObjects(
            fleet(
                { egress: [{ host: "api.partner.com", protocol: "TLS" }] },
                {
                    name: "egress",
                    gateway: { gatewayType: "egress", ports: [{ name: "tls", port: 443 }] },
                },
            ),
        );
        expect(one(objects, "ServiceEntry").spec).to.deep.equal({
            hosts: ["api.partner.com"],
            ports: [{ number: 443, name: "tls-443", protocol: "TLS" }],
            resolution: "DNS",
            location: "MESH_EXTERNAL",
        });
        expect(one(objects, "Gateway").spec.servers).to.deep.equal([
            {
                port: { number: 443, name: "tls-api-partner-com", protocol: "TLS" },
                hosts: ["api.partner.com"],
                tls: { mode: "PASSTHROUGH" },
            },
        ]);
        expect(one(objects, "VirtualService").spec).to.deep.equal({
            hosts: ["api.partner.com"],
            gateways: ["mesh", "istio-system/egress"],
            tls: [
                {
                    match: [{ gateways: ["mesh"], port: 443, sniHosts: ["api.partner.com"] }],
                    route: [{ destination: { host: "istio-egress.istio-system.svc.cluster.local", port: { number: 443 } } }],
                },
                {
                    match: [{ gateways: ["istio-system/egress"], port: 443, sniHosts: ["api.partner.com"] }],
                    route: [{ destination: { host: "api.partner.com", port: { number: 443 } } }],
                },
            ],
        });
    });

    it("uses Gateway API for HTTPS with redirects, mirrors, CORS and cross-namespace backends (with a ReferenceGrant)", () => {
        const objects = routingObjects(
            fleet(
                {
                    api: "gateway-api",
                    namespace: "web",
                    listeners: [
                        { name: "http", port: 80, protocol: "HTTP", hosts: ["shop.example.com"], httpsRedirect: true },
                        {
                            name: "https",
                            port: 443,
                            protocol: "HTTPS",
                            hosts: ["shop.example.com"],
                            tls: { mode: "SIMPLE", credentialName: "shop-cert" },
                        },
                    ],
                    http: [
                        {
                            name: "shop",
                            hosts: ["shop.example.com"],
                            match: [{ path: { prefix: "/" }, headers: { "x-env": { exact: "prod" } } }],
                            destinations: [
                                { host: "shop", namespace: "store", port: 80, weight: 95 },
                                { host: "shop-canary", namespace: "store", port: 80, weight: 5 },
                            ],
                            mirror: { destination: { host: "shop-shadow", port: 80 }, percentage: 10 },
                            cors: { allowOrigins: ["https://m.example.com"], maxAge: "1h" },
                            timeout: "5s",
                        },
                    ],
                },
                { name: "edge", certificates: [{ name: "shop-cert", existingSecret: true }] },
            ),
        );
        const gateway = one(objects, "Gateway");
        expect(gateway.metadata.namespace).to.equal("web");
        expect(gateway.spec.listeners[1]).to.deep.equal({
            name: "https",
            hostname: "shop.example.com",
            port: 443,
            protocol: "HTTPS",
            tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", group: "", name: "shop-cert", namespace: "istio-system" }] },
            allowedRoutes: { namespaces: { from: "Same" } },
        });
        expect(one(objects, "HTTPRoute", "edge-https-redirect").spec).to.deep.equal({
            parentRefs: [{ name: "edge", sectionName: "http" }],
            rules: [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }],
        });
        const shop = one(objects, "HTTPRoute", "edge-shop");
        expect(shop.spec.parentRefs).to.deep.equal([{ name: "edge", sectionName: "https" }]);
        expect(shop.spec.rules[0]).to.deep.equal({
            matches: [{ path: { type: "PathPrefix", value: "/" }, headers: [{ type: "Exact", name: "x-env", value: "prod" }] }],
            filters: [
                { type: "RequestMirror", requestMirror: { backendRef: { name: "shop-shadow", port: 80 }, percent: 10 } },
                { type: "CORS", cors: { allowOrigins: ["https://m.example.com"], maxAge: 3600 } },
            ],
            backendRefs: [
                { name: "shop", namespace: "store", port: 80, weight: 95 },
                { name: "shop-canary", namespace: "store", port: 80, weight: 5 },
            ],
            timeouts: { request: "5s" },
        });
        const grants = objects.filter((o) => o.kind === "ReferenceGrant");
        expect(grants.map((g) => [g.metadata.namespace, g.spec.from, g.spec.to])).to.deep.equal([
            ["istio-system", [{ group: "gateway.networking.k8s.io", kind: "Gateway", namespace: "web" }], [{ group: "", kind: "Secret" }]],
            ["store", [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", namespace: "web" }], [{ group: "", kind: "Service" }]],
        ]);
    });

    it("puts routing on the mesh control plane in asm mode and in every cluster in istio mode", async () => {
        const asm = await runGateway("edge", {
            mode: "asm",
            clusters: [{ id: "c1" }, { id: "c2" }],
            controlPlane: { kubeconfig: "kc" },
            gateway: {},
            routing: httpbin,
        });
        expect(asm.objects.map((o) => `${o.scope}/${o.object.kind}`).sort()).to.deep.equal([
            "edge-asm/Gateway",
            "edge-asm/IstioGateway",
            "edge-asm/VirtualService",
        ]);
        const istio = await runGateway("edge", {
            mode: "istio",
            clusters: [
                { id: "c1", kubeconfig: "a" },
                { id: "c2", kubeconfig: "b" },
            ],
            gateway: {},
            routing: httpbin,
        });
        for (const scope of ["edge-c1", "edge-c2"]) {
            expect(
                istio.objects
                    .filter((o) => o.scope === scope && o.object.apiVersion.startsWith("networking.istio.io"))
                    .map((o) => o.object.kind),
            ).to.deep.equal(["Gateway", "VirtualService"]);
        }
        // Routing objects outside the gateway namespace are named with their namespace.
        expect(istio.resources.map((r) => r.name)).to.include("edge-c1-default-edge-httpbin-example-com");
    });

    it("applies a backend policy to the destination as routes write it, in its own namespace, once", () => {
        const objects = routingObjects(
            fleet({
                ...httpbin,
                namespace: undefined,
                http: [{ ...httpbin.http![0], destinations: [{ host: "httpbin", namespace: "default", port: 8000 }] }],
                backends: { httpbin: { outlierDetection: { consecutive5xxErrors: 3 } } },
            }),
        );
        const rules = objects.filter((o) => o.kind === "DestinationRule");
        expect(rules.map((r) => [r.metadata.namespace, r.spec.host, r.spec.trafficPolicy])).to.deep.equal([
            ["istio-system", "httpbin.default.svc.cluster.local", { outlierDetection: { consecutive5xxErrors: 3 } }],
        ]);
    });

    it("attaches TCP routes to TLS listeners that terminate, in both APIs", () => {
        const spec = (api: "istio" | "gateway-api") =>
            fleet(
                {
                    api,
                    listeners: [
                        {
                            name: "db",
                            port: 443,
                            protocol: "TLS",
                            hosts: ["db.example.com"],
                            tls: { mode: "SIMPLE", credentialName: "db-cert" },
                        },
                    ],
                    tcp: [{ name: "db", port: 443, destinations: [{ host: "db", port: 5432 }] }],
                },
                { name: "edge", certificates: [{ name: "db-cert", existingSecret: true }] },
            );
        expect(one(routingObjects(spec("gateway-api")), "TCPRoute").spec.parentRefs).to.deep.equal([{ name: "edge", sectionName: "db" }]);
        expect(one(routingObjects(spec("istio")), "VirtualService", "edge-tcp").spec.tcp[0].match).to.deep.equal([{ port: 443 }]);
    });

    it("renders v1beta1 Istio objects for older meshes", () => {
        const objects = routingObjects(fleet({ ...httpbin, istioApiVersion: "v1beta1" }));
        expect(objects.map((o) => o.apiVersion)).to.deep.equal(["networking.istio.io/v1beta1", "networking.istio.io/v1beta1"]);
    });
});

describe("routing and security on a real mesh (issue 12)", () => {
    const objectsOf = (plan: ReturnType<typeof planFleet>): Obj[] =>
        (plan.mode === "asm" ? plan.controlPlaneObjects : plan.clusters[0].objects) as Obj[];

    for (const api of ["istio", "gateway-api"] as const) {
        it(`passes Istio's own rules for every example and test fleet with api: ${api}, in both modes`, () => {
            const fleets: [string, GatewayFleetSpec][] = [];
            for (const [title, f] of Object.entries(ROUTING_FLEETS[api]))
                for (const mode of ["istio", "asm"] as const) fleets.push([`${title} (${mode})`, inMode(f, mode)]);
            for (const dir of fs.readdirSync(EXAMPLES)) {
                const file = path.join(EXAMPLES, dir, "Pulumi.dev.yaml");
                if (!fs.existsSync(file)) continue;
                for (const f of loadFleets(file)) {
                    const spec = fleetSpecOf(f.name, f.args);
                    if ((spec.routing?.api ?? "istio") === api) fleets.push([`example ${dir}/${f.name}`, spec]);
                }
            }
            // ASM's own IstioGateway examples (no routing of their own: the default API).
            if (api === "istio") {
                for (const file of ["asm-ingress-example.yaml", "asm-egress-example.yaml"]) {
                    for (const f of loadFleets(path.join(EXAMPLES, "..", "tests", "fixtures", file)))
                        fleets.push([`fixture ${file}`, fleetSpecOf(f.name, f.args)]);
                }
            }
            expect(fleets.length).to.be.greaterThan(api === "istio" ? 18 : 10);
            const problems = fleets.flatMap(([title, spec]) => {
                const plan = planFleet(spec, undefined, readPlanFiles(spec));
                // A `secure:` stack value is a Pulumi secret Output here; Kubernetes sees the string it resolves to.
                const resolved = (o: KubeObject): KubeObject =>
                    o.kind === "Secret" && typeof o.stringData === "object" && o.stringData !== null
                        ? {
                              ...o,
                              stringData: Object.fromEntries(
                                  Object.entries(o.stringData).map(([k, v]) => [k, typeof v === "string" ? v : "[secret]"]),
                              ),
                          }
                        : o;
                assertValidObjects(
                    objectsOf(plan)
                        .filter((o) => o.kind !== "IstioGateway")
                        .map(resolved),
                );
                return meshRuleProblems(plan).map((p) => `${title}: ${p}`);
            });
            expect(problems, problems.join("\n")).to.deep.equal([]);
        });
    }

    it("the checker sees each defect it guards against", () => {
        const plan = planFleet(inMode(ROUTING_FLEETS.istio["JWT per issuer, IP lists and TCP beside HTTP"], "istio"));
        const objects = objectsOf(plan);
        const mutate = (f: (o: Obj) => void) => {
            const copy = JSON.parse(JSON.stringify(plan)) as typeof plan;
            (copy.clusters[0].objects as Obj[]).forEach(f);
            return meshRuleProblems(copy).join("\n");
        };
        expect(objects.some((o) => o.metadata.name === "istio-secure-jwt-required")).to.equal(true);
        expect(
            mutate((o) => {
                if (o.metadata.name === "istio-secure-jwt-required") o.spec.rules[0].from[0].source.notRequestPrincipals = ["*"];
            }),
        ).to.contain("is not bound to one issuer");
        expect(
            mutate((o) => {
                if (o.metadata.name === "istio-secure-jwt-required") delete o.spec.rules[0].to[0].operation.ports;
            }),
        ).to.contain("(IST0133)");
        const shop = planFleet(inMode(ROUTING_FLEETS.istio["canary with mirroring in a routing namespace"], "istio"));
        const moved = JSON.parse(JSON.stringify(shop)) as typeof shop;
        for (const o of moved.clusters[0].objects as Obj[])
            if (o.kind === "DestinationRule") {
                o.metadata.namespace = "edge-routing";
                delete o.spec.exportTo;
            }
        expect(meshRuleProblems(moved).join("\n")).to.contain(
            "subset v2 of shop.shop.svc.cluster.local is in no DestinationRule the gateway reads",
        );
        const shops = planFleet(inMode(ROUTING_FLEETS.istio["per-host rate limits under a wildcard listener"], "istio"));
        const renamed = JSON.parse(JSON.stringify(shops)) as typeof shops;
        for (const o of renamed.clusters[0].objects as Obj[])
            if (o.kind === "EnvoyFilter") {
                o.spec.configPatches[1].match.routeConfiguration.vhost.name = "www.shops.example.com:80";
                delete o.spec.priority;
            }
        expect(meshRuleProblems(renamed).join("\n"))
            .to.contain("patches virtual host www.shops.example.com:80, which Istio does not build")
            .and.to.contain("(IST0151)");
        // A limit moved to a virtual host that redirects, or that Istio merged with another's.
        const limited = planFleet(
            fleet(
                {
                    listeners: [
                        {
                            name: "http",
                            port: 80,
                            protocol: "HTTP",
                            hosts: ["a.example.com", "b.example.com", "*.example.com"],
                            httpsRedirect: true,
                        },
                        {
                            name: "https",
                            port: 443,
                            protocol: "HTTPS",
                            hosts: ["a.example.com", "b.example.com", "*.example.com"],
                            tls: { mode: "SIMPLE", credentialName: "c" },
                        },
                    ],
                    http: [
                        { name: "a", hosts: ["a.example.com"], destinations: [{ host: "a" }] },
                        { name: "all", hosts: ["*.example.com"], destinations: [{ host: "all" }] },
                    ],
                    rateLimits: [{ hosts: ["a.example.com"], requests: 10, unit: "second" }],
                },
                { certificates: [{ name: "c", existingSecret: true }] },
            ),
        );
        expect(meshRuleProblems(limited)).to.deep.equal([]);
        const limitOn = (vhost: string) => {
            const copy = JSON.parse(JSON.stringify(limited)) as typeof limited;
            for (const o of copy.clusters[0].objects as Obj[])
                if (o.kind === "EnvoyFilter") o.spec.configPatches.at(-1).match.routeConfiguration.vhost.name = vhost;
            return meshRuleProblems(copy).join("\n");
        };
        expect(limitOn("a.example.com:80")).to.contain("patches virtual host a.example.com:80, which redirects every request to HTTPS");
        expect(limitOn("b.example.com:443")).to.contain(
            "patches virtual host b.example.com:443, which serves *.example.com too (Istio merged their virtual hosts",
        );
    });

    it("writes DestinationRules where the gateway reads them, in both modes and both APIs", () => {
        for (const mode of ["istio", "asm"] as const) {
            const istio = objectsOf(planFleet(inMode(ROUTING_FLEETS.istio["canary with mirroring in a routing namespace"], mode)));
            const dr = one(istio, "DestinationRule", "shop-shop-shop-svc-cluster-local");
            expect(dr.metadata.namespace, mode).to.equal("istio-system");
            expect(dr.spec).to.deep.include({ host: "shop.shop.svc.cluster.local", exportTo: ["."] });
            expect(dr.spec.subsets.map((s: { name: string }) => s.name)).to.deep.equal(["v2", "v1"]);
            // The routes themselves stay in the routing namespace.
            expect(one(istio, "VirtualService").metadata.namespace).to.equal("edge-routing");
            const gw = objectsOf(
                planFleet(inMode(ROUTING_FLEETS["gateway-api"]["canary by Service with mirroring, CORS and circuit breaking"], mode)),
            );
            expect(
                gw.filter((o) => o.kind === "DestinationRule").map((o) => [o.metadata.namespace, o.spec.host, o.spec.exportTo]),
            ).to.deep.equal([["istio-system", "shop.store.svc.cluster.local", ["."]]]);
        }
    });

    it("binds each JWT rule to its issuer: a token of one issuer does not open another's paths, and TCP is left alone", () => {
        const objects = objectsOf(planFleet(inMode(ROUTING_FLEETS.istio["JWT per issuer, IP lists and TCP beside HTTP"], "istio")));
        const req = (path: string, principal?: string) => ({ host: "app.example.com", path, port: 80, principal, ip: "10.1.2.3" });
        expect(denied(objects, req("/api/orders", "https://a.example.com/alice"))).to.equal(false);
        expect(denied(objects, req("/internal/admin", "https://a.example.com/alice")), "issuer A on issuer B's paths").to.equal(true);
        expect(denied(objects, req("/internal/admin", "https://b.example.com/bot"))).to.equal(false);
        expect(denied(objects, req("/api/orders", "https://b.example.com/bot")), "issuer B on issuer A's paths").to.equal(true);
        expect(denied(objects, req("/api/orders")), "no token").to.equal(true);
        expect(denied(objects, req("/public"))).to.equal(false);
        expect(denied(objects, { host: "", path: "", port: 31400, http: false, ip: "10.1.2.3" }), "a TCP connection").to.equal(false);
        expect(denied(objects, { ...req("/public"), ip: "192.0.2.1" }), "outside the allow-list").to.equal(true);
        // Rules with one scope accept a token of either issuer.
        const either = objectsOf(
            planFleet(
                inMode(
                    {
                        name: "e",
                        gateway: {},
                        security: {
                            jwt: [
                                { issuer: "https://a.example.com", jwks: '{"keys":[]}' },
                                { issuer: "https://b.example.com", jwks: '{"keys":[]}' },
                            ],
                        },
                    },
                    "istio",
                ),
            ),
        );
        expect(one(either, "AuthorizationPolicy", "istio-e-jwt-required").spec.rules).to.deep.equal([
            {
                from: [{ source: { notRequestPrincipals: ["https://a.example.com/*", "https://b.example.com/*"] } }],
                to: [{ operation: { ports: ["80", "443"] } }],
            },
        ]);
    });

    it("limits a host on the virtual host Istio builds for it, with a priority", () => {
        const objects = objectsOf(planFleet(inMode(ROUTING_FLEETS.istio["per-host rate limits under a wildcard listener"], "istio")));
        const filter = one(objects, "EnvoyFilter");
        expect(filter.spec.priority).to.equal(10);
        expect(
            filter.spec.configPatches
                .slice(1)
                .map((p: { match: { routeConfiguration: { vhost: { name: string } } } }) => p.match.routeConfiguration.vhost.name),
        ).to.deep.equal(["acme.shops.example.com:80", "*.shops.example.com:80"]);
    });

    describe("rate limits: where the filter goes and which virtual hosts it configures", () => {
        type Patch = { applyTo: string; match: Obj["spec"]; patch: Obj["spec"] };
        const limiter = (spec: GatewayFleetSpec, cluster = 0): Patch[] =>
            (
                (planFleet(spec).clusters[cluster].objects as Obj[]).find(
                    (o) => o.kind === "EnvoyFilter" && o.metadata.name.endsWith("-local-ratelimit"),
                )!.spec.configPatches as Patch[]
            ).map((p) => p);
        const inserts = (patches: Patch[]) => patches.filter((p) => p.applyTo === "HTTP_FILTER").map((p) => p.match.listener.portNumber);
        const vhosts = (patches: Patch[]) =>
            patches.filter((p) => p.applyTo === "VIRTUAL_HOST").map((p) => p.match.routeConfiguration.vhost.name);
        const twoClusters = (routing: RoutingSpec, gateway: GatewayFleetSpec["gateway"]): GatewayFleetSpec => ({
            ...fleet(routing, { gateway }),
            clusters: [
                { id: "c1", region: "cn-hangzhou" },
                { id: "c2", region: "cn-hangzhou" },
            ],
        });

        it("inserts the filter only in the listeners that serve a limited host, on the gateway pods' ports (targetPort, per cluster)", () => {
            const spec = twoClusters(
                {
                    listeners: [
                        { name: "http", port: 80, protocol: "HTTP", hosts: ["shop.example.com"] },
                        { name: "web", port: 8081, protocol: "HTTP", hosts: ["web.example.com"] },
                    ],
                    http: [
                        { name: "shop", hosts: ["shop.example.com"], destinations: [{ host: "shop" }] },
                        { name: "web", hosts: ["web.example.com"], destinations: [{ host: "web" }] },
                    ],
                    rateLimits: [{ hosts: ["shop.example.com"], requests: 100, unit: "second" }],
                },
                {
                    ports: [
                        { name: "http", port: 80, targetPort: 8080, protocol: "HTTP" },
                        { name: "http-web", port: 8081, protocol: "HTTP" },
                    ],
                    // Another container port in c2: one EnvoyFilter serves both clusters.
                    overrides: {
                        c2: {
                            ports: [
                                { name: "http", port: 80, targetPort: 9080, protocol: "HTTP" },
                                { name: "http-web", port: 8081, protocol: "HTTP" },
                            ],
                        },
                    },
                },
            );
            const patches = limiter(spec);
            // Istio binds a gateway listener to the targetPort, and matches portNumber against it;
            // the virtual host keeps the Service (server) port in its name.
            expect(inserts(patches)).to.deep.equal([8080, 9080]);
            expect(vhosts(patches)).to.deep.equal(["shop.example.com:80"]);
            expect(limiter(spec, 1)).to.deep.equal(patches);
        });

        it("puts the whole gateway's limit in every HTTP listener", () => {
            const patches = limiter(
                fleet({
                    listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["shop.example.com"] }],
                    http: [{ name: "shop", hosts: ["shop.example.com"], destinations: [{ host: "shop" }] }],
                    rateLimits: [
                        { requests: 1000, unit: "second" },
                        { hosts: ["shop.example.com"], requests: 100, unit: "second" },
                    ],
                }),
            );
            expect(inserts(patches)).to.deep.equal([undefined]);
            expect(vhosts(patches)).to.deep.equal(["shop.example.com:80"]);
        });

        it("leaves listeners that redirect to HTTPS alone: no filter there, no virtual host config (both routing APIs)", () => {
            for (const api of ["istio", "gateway-api"] as const) {
                const spec = fleet(
                    {
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
                        http: [{ name: "www", hosts: ["www.apps.example.com"], destinations: [{ host: "www", port: 80 }] }],
                        rateLimits: [{ hosts: ["www.apps.example.com"], requests: 100, unit: "second" }],
                    },
                    {
                        gateway: {
                            ports: [
                                { name: "http", port: 80, protocol: "HTTP" },
                                { name: "https", port: 443, targetPort: 8443, protocol: "HTTPS" },
                            ],
                        },
                        certificates: [{ name: "apps", existingSecret: true }],
                    },
                );
                const patches = limiter(spec);
                expect(inserts(patches), api).to.deep.equal([8443]);
                expect(vhosts(patches), api).to.deep.equal(["www.apps.example.com:443"]);
            }
        });

        it("leaves a host alone on a port where another server redirects it to HTTPS (Istio merges the two servers' virtual hosts)", () => {
            const patches = limiter(
                fleet(
                    {
                        listeners: [
                            { name: "http", port: 80, protocol: "HTTP", hosts: ["*.example.com"], httpsRedirect: true },
                            { name: "api-http", port: 80, protocol: "HTTP", hosts: ["api.example.com"] },
                            {
                                name: "https",
                                port: 443,
                                protocol: "HTTPS",
                                hosts: ["*.example.com"],
                                tls: { mode: "SIMPLE", credentialName: "c" },
                            },
                        ],
                        http: [{ name: "api", hosts: ["api.example.com"], destinations: [{ host: "api" }] }],
                        rateLimits: [{ hosts: ["api.example.com"], requests: 100, unit: "second" }],
                    },
                    { certificates: [{ name: "c", existingSecret: true }] },
                ),
            );
            // Port 80's one route configuration: api.example.com:80 gets require_tls from the redirecting server.
            expect(vhosts(patches)).to.deep.equal(["api.example.com:443"]);
            expect(inserts(patches)).to.deep.equal([443]);
        });

        it("limits a host that shares a wildcard route with another listener host only where Istio keeps their virtual hosts apart", () => {
            const routing = (api: "istio" | "gateway-api"): RoutingSpec => ({
                api,
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com", "b.example.com", "*.example.com"] }],
                http: [{ name: "all", hosts: ["*.example.com"], destinations: [{ host: "all", port: 80 }] }],
                rateLimits: [{ hosts: ["b.example.com"], requests: 100, unit: "second" }],
            });
            // Gateway API: each hostname is a listener, and Istio a Gateway, of its own: two virtual hosts.
            expect(vhosts(limiter(fleet(routing("gateway-api"))))).to.deep.equal(["b.example.com:80"]);
            // Istio API: one server, one VirtualService: the two virtual hosts have the same routes and become one.
            expect(() => planFleet(fleet(routing("istio")))).to.throw(
                "routing.rateLimits[0].hosts[0]: b.example.com gets the same routes as a.example.com, *.example.com on port 80",
            );
        });
    });

    it("warns when the order of routes decides, under each API", () => {
        const canary = {
            name: "canary",
            hosts: ["shop.example.com"],
            match: [{ headers: { "x-canary": { exact: "1" } } }],
            destinations: [{ host: "shop-v2", port: 80 }],
        };
        const status = {
            name: "status",
            hosts: ["shop.example.com"],
            match: [{ path: { prefix: "/status" } }],
            destinations: [{ host: "status", port: 80 }],
        };
        const all = { name: "all", hosts: ["shop.example.com"], destinations: [{ host: "shop", port: 80 }] };
        const listeners = [{ name: "http", port: 80, protocol: "HTTP" as const, hosts: ["shop.example.com"] }];
        const warnings = (routing: RoutingSpec) =>
            planFleet(fleet(routing, { name: "edge" })).warnings.map((w) => `${w.path}: ${w.message}`);
        // Gateway API ranks a path prefix above a header match: the canary listed first loses.
        expect(warnings({ api: "gateway-api", listeners, http: [canary, status] })).to.deep.equal([
            "routing.http[0].match[0]: loses to routing.http[1] (status) for requests on shop.example.com that both match, although listed first: Gateway API ranks matches by path (exact, then longest prefix), method, header count and query count, not by order; make the matches disjoint or this one more specific",
        ]);
        expect(warnings({ listeners, http: [canary, status] }), "api: istio keeps the order").to.deep.equal([]);
        expect(warnings({ api: "gateway-api", listeners, http: [status, all] })).to.deep.equal([]);
        // A catch-all listed first hides everything after it under api: istio.
        expect(warnings({ listeners, http: [all, status] })).to.deep.equal([
            "routing.http[1]: is never reached for shop.example.com: routing.http[0] (all) is listed before it and matches every request it matches (Istio takes the first route that matches); list routing.http[1] first, or narrow routing.http[0]",
        ]);
        expect(
            warnings({
                listeners,
                http: [
                    { ...status, match: [{ path: { prefix: "/" } }] },
                    { ...canary, match: [{ path: { prefix: "/status" }, headers: { "x-canary": { exact: "1" } } }] },
                ],
            })[0],
        ).to.match(/^routing\.http\[1\]: is never reached/);
        expect(warnings({ listeners, http: [status, all] })).to.deep.equal([]);
    });

    it("warns where Istio merges a wildcard host's routes into a covered host's virtual host, and only there", () => {
        const wildApi = {
            name: "api",
            hosts: ["*.shop.example.com"],
            match: [{ path: { prefix: "/api" } }],
            destinations: [{ host: "api", port: 80 }],
        };
        const wildAll = { name: "shop", hosts: ["*.shop.example.com"], destinations: [{ host: "shop", port: 80 }] };
        const eu = { name: "eu", hosts: ["eu.shop.example.com"], destinations: [{ host: "eu", port: 80 }] };
        const euApi = { ...eu, name: "eu-api", match: [{ path: { prefix: "/api/v2" } }] };
        const listener = (hosts: string[]) => [{ name: "http", port: 80, protocol: "HTTP" as const, hosts }];
        const both = listener(["*.shop.example.com", "eu.shop.example.com"]);
        const warnings = (routing: RoutingSpec) =>
            planFleet(fleet(routing, { name: "edge" })).warnings.map((w) => `${w.path}: ${w.message}`);
        expect(warnings({ listeners: both, http: [wildApi, eu] })).to.deep.equal([
            "routing.http[0].hosts[0]: *.shop.example.com and routing.http[1] (eu, host eu.shop.example.com) share the virtual host for eu.shop.example.com on routing.listeners[0]: Istio tries routing.http[0].match[0] there first, although eu.shop.example.com is the more specific host, because it moves catch-all routes last; make the matches disjoint, or leave eu.shop.example.com out of routing.listeners[0].hosts (the listener host covering it then gives eu.shop.example.com a virtual host of its own routes only)",
        ]);
        // A listener host that only the wildcard covers: eu.shop.example.com gets a virtual host of its own.
        expect(warnings({ listeners: listener(["*.shop.example.com"]), http: [wildApi, eu] })).to.deep.equal([]);
        // The wildcard's catch-all goes behind eu's own routes, as the more specific host wants.
        expect(warnings({ listeners: both, http: [wildAll, euApi] })).to.deep.equal([]);
        // Disjoint matches: the order cannot change where a request goes (Istio prefixes are plain string prefixes).
        expect(warnings({ listeners: both, http: [wildApi, { ...euApi, match: [{ path: { prefix: "/web" } }] }] })).to.deep.equal([]);
        expect(warnings({ listeners: both, http: [wildApi, { ...euApi, match: [{ path: { prefix: "/apiv2" } }] }] })).to.have.length(1);
        // Routes that list the same hosts share one VirtualService per host, in the order written.
        expect(
            warnings({
                listeners: both,
                http: [
                    { ...euApi, hosts: wildApi.hosts.concat(eu.hosts) },
                    { ...wildApi, hosts: wildApi.hosts.concat(eu.hosts) },
                ],
            }),
        ).to.deep.equal([]);
        // Gateway API: element prefixes; Istio merges the hostnames' VirtualServices the same way.
        expect(warnings({ api: "gateway-api", listeners: both, http: [euApi, wildApi] })[0]).to.match(
            /^routing\.http\[1\]\.hosts\[0\]: \*\.shop\.example\.com and routing\.http\[0\] \(eu-api, host eu\.shop\.example\.com\) share the virtual host/,
        );
        expect(
            warnings({ api: "gateway-api", listeners: both, http: [{ ...euApi, match: [{ path: { prefix: "/apiv2" } }] }, wildApi] }),
            "/api does not take /apiv2 under Gateway API",
        ).to.deep.equal([]);
    });

    it("writes TCPRoute and TLSRoute at the versions the target mesh reads", () => {
        const l4 = ROUTING_FLEETS["gateway-api"]["TCP and TLS passthrough"];
        const versions = (extra: Partial<GatewayFleetSpec>, routing: Partial<RoutingSpec> = {}) => {
            const plan = planFleet({ ...inMode(l4, extra.mode ?? "istio"), ...extra, routing: { ...l4.routing, ...routing } });
            return objectsOf(plan)
                .filter((o) => o.kind === "TCPRoute" || o.kind === "TLSRoute")
                .map((o) => `${o.kind} ${o.apiVersion}`);
        };
        expect(versions({})).to.deep.equal(["TCPRoute gateway.networking.k8s.io/v1", "TLSRoute gateway.networking.k8s.io/v1"]);
        expect(versions({ istioVersion: "1.30" }, { gatewayApiChannel: "experimental" })).to.deep.equal([
            "TCPRoute gateway.networking.k8s.io/v1alpha2",
            "TLSRoute gateway.networking.k8s.io/v1",
        ]);
        expect(versions({ istioVersion: "1.29.3" }, { gatewayApiVersion: "1.4", gatewayApiChannel: "experimental" })).to.deep.equal([
            "TCPRoute gateway.networking.k8s.io/v1alpha2",
            "TLSRoute gateway.networking.k8s.io/v1alpha2",
        ]);
        expect(versions({ mode: "asm", asmVersion: "1.30" }, { gatewayApiChannel: "experimental" })).to.deep.equal([
            "TCPRoute gateway.networking.k8s.io/v1alpha2",
            "TLSRoute gateway.networking.k8s.io/v1",
        ]);
        // Every object written for an older mesh is valid against that version's CRD schema.
        const old = planFleet({
            ...inMode(l4, "istio"),
            istioVersion: "1.29",
            routing: { ...l4.routing, gatewayApiChannel: "experimental" },
        });
        assertValidObjects(objectsOf(old).filter((o) => o.kind === "TCPRoute" || o.kind === "TLSRoute"));
        expect(meshRuleProblems(old, { istioMinor: 29 })).to.deep.equal([]);
        // Istio APIs older than 1.22 are v1beta1, security included.
        const asm = objectsOf(
            planFleet({ ...inMode(ROUTING_FLEETS.istio["JWT per issuer, IP lists and TCP beside HTTP"], "asm"), asmVersion: "1.20" }),
        );
        expect([
            ...new Set(asm.filter((o) => o.kind !== "IstioGateway" && o.kind !== "EnvoyFilter").map((o) => o.apiVersion.split("/")[1])),
        ]).to.deep.equal(["v1beta1"]);
    });

    it("warns that an internet load balancer lets clients forge X-Forwarded-For past trusted proxies", () => {
        const warning = (gateway: GatewayFleetSpec["gateway"]) =>
            planFleet(
                fleet(
                    { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }] },
                    { name: "edge", gateway, security: { ipAllow: ["203.0.113.0/24"], trustedProxies: 1 } },
                ),
            )
                .warnings.filter((w) => w.path === "security.trustedProxies")
                .map((w) => w.message);
        expect(warning({ loadBalancer: { type: "CLB" } })[0]).to.match(
            /^Service istio-edge in cluster c1 \(gateway\.loadBalancer\) faces the internet: a client that reaches it directly, bypassing the L7 proxy, can write any X-Forwarded-For/,
        );
        expect(warning({})[0]).to.match(/^Service istio-edge in cluster c1 faces the internet/);
        const two = warning({ loadBalancer: { type: "CLB" }, additionalLoadBalancers: [{ name: "extra", type: "CLB" }] })[0];
        expect(two).to.match(/ face the internet: a client that reaches them directly/);
        expect(warning({ loadBalancer: { addressType: "intranet", vswitchId: "vsw-1" } })).to.deep.equal([]);
    });

    it("accepts IP lists when every Service in front of the pods keeps client addresses", () => {
        const plan = planFleet(
            fleet(
                {},
                {
                    name: "edge",
                    gateway: {
                        loadBalancer: { backendType: "eni" },
                        additionalLoadBalancers: [{ name: "internal", addressType: "intranet", vswitchId: "vsw-1", backendType: "eni" }],
                    },
                    security: { ipAllow: ["10.0.0.0/8"] },
                },
            ),
        );
        expect(one(plan.clusters[0].objects as Obj[], "AuthorizationPolicy").spec.rules).to.deep.equal([
            { from: [{ source: { notIpBlocks: ["10.0.0.0/8"] } }] },
        ]);
    });
});

describe("routing: regular expressions in RE2 syntax", () => {
    const routing = (route: RoutingSpec["http"]): RoutingSpec => ({
        namespace: "default",
        listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }],
        http: route,
    });

    it("accepts RE2's leading case-insensitive flag (?i), which JavaScript's RegExp does not parse", () => {
        const objects = routingObjects(
            fleet(
                routing([
                    {
                        name: "r",
                        hosts: ["a.example.com"],
                        match: [{ path: { regex: "(?i)/shop/[0-9]+.*" } }],
                        destinations: [{ host: "shop", port: 80 }],
                    },
                ]),
            ),
        );
        const vs = objects.find((o) => o.kind === "VirtualService")!;
        expect(vs.spec.http[0].match).to.deep.equal([{ uri: { regex: "(?i)/shop/[0-9]+.*" } }]);
    });

    it("renders rewrite.uriRegex as Istio's uriRegexRewrite, capture groups and all", () => {
        const objects = routingObjects(
            fleet(
                routing([
                    {
                        name: "r",
                        hosts: ["a.example.com"],
                        match: [{ path: { prefix: "/shop" } }],
                        rewrite: { uriRegex: { match: "^/shop(/|$)(.*)", rewrite: "/\\2" } },
                        destinations: [{ host: "shop", port: 80 }],
                    },
                ]),
            ),
        );
        const vs = objects.find((o) => o.kind === "VirtualService")!;
        expect(vs.spec.http[0].rewrite).to.deep.equal({ uriRegexRewrite: { match: "^/shop(/|$)(.*)", rewrite: "/\\2" } });
    });
});
