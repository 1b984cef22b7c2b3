// Istio's own analyzers over everything the product writes: every example, every e2e test stack,
// a set of feature fleets (each routing, certificate and security feature, in both modes) and
// generated fleets with gRPC-JSON transcoding and the login (tests/support/featureArbitraries.ts).
// Each cluster's planned objects are analyzed together with what the cluster holds besides them
// (see `clusterWorld`), so selector, port and Secret checks mean something. A Warning or Error
// that docs/istioctl-analyze.md does not list fails the test.
import { expect } from "chai";
import fc from "fast-check";
import * as fs from "fs";
import * as path from "path";
import { fleetSpecOf, type GatewayFleetSpec } from "../core/fleet";
import { readPlanFiles } from "../components/planFiles";
import { renderFleet, layoutFleet, type FleetPlan } from "../core/plan";
import type { KubeObject } from "../core/render/common";
import type { RoutingSpec } from "../core/routing";
import { loadFleets } from "../offline/plan";
import { analyze, analyzeWithRuntime, judgesOrSkip, namespacesOf, podsOf, type AnalyzerMessage, type Judges } from "./support/judges";
import { BOOKSTORE, BOOKSTORE_PB } from "./support/transcoding";
import { acceptedMessages, istiod, pem, stored, userWorld } from "./support/analyzeWorld";
import { featureFleetArb } from "./support/featureArbitraries";
import { configError } from "./support/objects";
import { asmWorkload } from "./support/asmWorkload";

const REPO = path.join(__dirname, "..", "..");

// ---- what a cluster holds besides the product's objects -------------------------------------

/**
 * ASM renders the gateway workload from the IstioGateway in each cluster; analyze needs its
 * Service and pods. They come from the planned IstioGateway, rendered the way the e2e harness
 * plays ASM (tests/support/asmWorkload.ts): what ASM reads is the IstioGateway, nothing else.
 */
function asmWorkloadStandIns(plan: FleetPlan, clusterId: string): KubeObject[] {
    const rendered = plan.controlPlaneObjects
        .filter((o) => o.kind === "IstioGateway")
        .flatMap((g) => asmWorkload(g, clusterId)) as KubeObject[];
    return [...rendered.filter((o) => o.kind === "Service"), ...podsOf(rendered)];
}

interface Target {
    /** "examples/…: gateway x, cluster c1" */
    label: string;
    objects: KubeObject[];
}

/** Per cluster: what the product applies there (plus, in asm mode, what the control plane holds and serves to it). */
function targets(source: string, plan: FleetPlan, standInPem: { certificate: string; privateKey: string }): Target[] {
    return plan.clusters.map((c) => {
        const planned =
            plan.mode === "istio"
                ? c.objects
                : // The IstioGateway is ASM's own kind: analyze knows nothing of it.
                  [...c.objects, ...plan.controlPlaneObjects.filter((o) => o.kind !== "IstioGateway")];
        const workload = plan.mode === "istio" ? podsOf(c.objects) : asmWorkloadStandIns(plan, c.clusterId);
        const objects = [
            ...planned.map(stored),
            ...workload,
            ...userWorld(plan, planned, standInPem),
            ...istiod(plan.mode === "istio" ? plan.fleet.revision : undefined),
        ];
        return {
            label: `${source}: gateway ${plan.name} (${plan.mode}), cluster ${c.clusterId}${plan.mode === "asm" ? " with the control plane's objects" : ""}`,
            objects: [...namespacesOf(objects), ...objects],
        };
    });
}

function planOf(fleet: GatewayFleetSpec): FleetPlan {
    return renderFleet(layoutFleet(fleet, `gateway "${fleet.name}"`, readPlanFiles(fleet)));
}

/**
 * Random fleets with gRPC-JSON transcoding, and with the login beside it (fixed seed): the
 * transcoder's listener ports and virtual hosts, and the login's policy, on routing the tests did
 * not write by hand. Those the generator draws that planning refuses are left out.
 */
function generatedFleets(): FleetPlan[] {
    const arbs = [featureFleetArb({ transcoding: true }), featureFleetArb({ transcoding: true, oidc: true })];
    const plans = arbs.flatMap((arb) =>
        fc
            .sample(arb, { numRuns: 20, seed: 20261202 })
            .filter((f) => configError(structuredClone(f.fleet), f.files) === undefined)
            .slice(0, 4)
            .map((f) => renderFleet(layoutFleet(f.fleet, `gateway "${f.fleet.name}"`, f.files))),
    );
    expect(plans.length, "generated fleets that plan").to.be.at.least(6);
    return plans;
}

function plansOfFile(file: string): FleetPlan[] {
    return loadFleets(path.join(REPO, file)).map((f) => planOf(fleetSpecOf(f.name, f.args)));
}

// ---- the feature fleets ---------------------------------------------------------------------

/** Every routing feature: each listener protocol and TLS mode, each route field, backends, rate limits, egress. */
const fullRouting = (api: "istio" | "gateway-api"): RoutingSpec => ({
    api,
    namespace: "apps",
    listeners: [
        {
            name: "http",
            port: 80,
            protocol: "HTTP",
            hosts: ["shop.example.com", "api.example.com"],
            httpsRedirect: api === "istio" ? true : undefined,
        },
        {
            name: "https",
            port: 443,
            protocol: "HTTPS",
            hosts: ["shop.example.com", "api.example.com"],
            tls: { mode: "SIMPLE", credentialName: "shop-cert", ...(api === "istio" ? { minProtocolVersion: "TLSV1_2" as const } : {}) },
        },
        ...(api === "istio"
            ? [
                  {
                      name: "mtls",
                      port: 8443,
                      protocol: "HTTPS" as const,
                      hosts: ["partner.example.com"],
                      tls: { mode: "MUTUAL" as const, credentialName: "partner-cert" },
                  },
              ]
            : []),
        { name: "passthrough", port: 9443, protocol: "TLS", hosts: ["db.example.com"], tls: { mode: "PASSTHROUGH" } },
        { name: "db", port: 5432, protocol: "TCP", hosts: ["*"] },
    ],
    http: [
        {
            name: "shop",
            hosts: ["shop.example.com"],
            match: [
                { path: { prefix: "/cart" }, headers: { "x-canary": { exact: "1" } }, method: "GET", queryParams: { v: { exact: "2" } } },
                { path: { regex: "^/items/[0-9]+$" } },
            ],
            // Gateway API routes to Services, not subsets, and has no retries.
            destinations:
                api === "istio"
                    ? [
                          { host: "shop", port: 8080, subset: "v1", weight: 90 },
                          { host: "shop", port: 8080, subset: "v2", weight: 10 },
                      ]
                    : [
                          { host: "shop", port: 8080, weight: 90 },
                          { host: "shop-canary", port: 8080, weight: 10 },
                      ],
            timeout: "5s",
            retries: api === "istio" ? { attempts: 2, perTryTimeout: "2s", retryOn: "5xx" } : undefined,
            headers: { request: { set: { "x-gw": "edge" } }, response: { remove: ["server"] } },
        },
        {
            name: "api",
            hosts: ["api.example.com"],
            destinations: [{ host: "api", port: 80 }],
            mirror: { destination: { host: "api-shadow", port: 80 }, percentage: 5 },
            cors: { allowOrigins: ["https://shop.example.com"], allowMethods: ["GET"], maxAge: "1h" },
            rewrite: { uri: "/v2" },
            fault: api === "istio" ? { delay: { fixedDelay: "1s", percentage: 1 } } : undefined,
        },
        { name: "old", hosts: ["shop.example.com"], match: [{ path: { prefix: "/old" } }], redirect: { uri: "/new", redirectCode: 301 } },
        ...(api === "istio" ? [{ name: "partner", hosts: ["partner.example.com"], destinations: [{ host: "partner", port: 80 }] }] : []),
    ],
    tcp: [{ name: "db", port: 5432, destinations: [{ host: "postgres", port: 5432 }] }],
    tls: [{ name: "db-tls", sniHosts: ["db.example.com"], destinations: [{ host: "postgres-tls", port: 5432 }] }],
    backends: {
        shop: {
            subsets: api === "istio" ? { v1: { version: "v1" }, v2: { version: "v2" } } : undefined,
            connectionPool: { maxConnections: 100, connectTimeout: "1s", maxRequestsPerConnection: 10 },
            outlierDetection: { consecutive5xxErrors: 5, interval: "10s", baseEjectionTime: "30s", maxEjectionPercent: 50 },
            loadBalancer: "LEAST_REQUEST",
        },
    },
    rateLimits: api === "istio" ? [{ hosts: ["api.example.com"], requests: 100, unit: "second" }] : undefined,
    // Beside the rate limit on the same virtual host: both EnvoyFilters merge into it.
    grpcTranscoding: [{ hosts: ["api.example.com"], services: [BOOKSTORE], descriptor: { file: BOOKSTORE_PB }, autoMapping: true }],
});

async function featureFleets(): Promise<GatewayFleetSpec[]> {
    const shop = await pem(["shop.example.com", "api.example.com"]);
    const partner = await pem(["partner.example.com"]);
    const clientCa = await pem(["clients.example.com"]);
    const fleets: GatewayFleetSpec[] = [];
    for (const mode of ["istio", "asm"] as const) {
        const placement =
            mode === "istio"
                ? {
                      mode,
                      clusters: [
                          { id: "c1", kubeconfig: "kc1" },
                          { id: "c2", kubeconfig: "kc2" },
                      ],
                  }
                : {
                      mode,
                      clusters: [
                          { id: "c1", kubeconfig: "kc1" },
                          { id: "c2", kubeconfig: "kc2" },
                      ],
                      controlPlane: { kubeconfig: "cp" },
                  };
        const gateway = {
            ports: [
                { name: "status-port", port: 15021, targetPort: 15021, protocol: "TCP" as const },
                { name: "http2", port: 80, targetPort: 80, protocol: "HTTP2" as const },
                { name: "https", port: 443, targetPort: 443, protocol: "HTTPS" as const },
                { name: "https-mtls", port: 8443, targetPort: 8443, protocol: "HTTPS" as const },
                { name: "tls", port: 9443, targetPort: 9443, protocol: "TLS" as const },
                { name: "tcp-db", port: 5432, targetPort: 5432, protocol: "TCP" as const },
            ],
            externalTrafficPolicy: "Local" as const,
            minReplicas: 2,
            maxReplicas: 6,
            compression: mode === "istio" ? { enabled: true, gzip: {} } : undefined,
        };
        fleets.push({
            name: `routing-${mode}`,
            ...placement,
            gateway,
            routing: fullRouting("istio"),
            certificates: [
                { name: "shop-cert", pem: shop },
                { name: "partner-cert", pem: partner, clientCaCertificate: clientCa.certificate },
            ],
            security: {
                ipAllow: ["10.0.0.0/8"],
                ipDeny: ["10.1.2.0/24"],
                trustedProxies: 1,
                // One issuer, an audience per scope: the audience rules of the "token required" policy.
                jwt: [
                    {
                        issuer: "https://auth.example.com",
                        jwksUri: "https://auth.example.com/jwks.json",
                        audiences: ["api"],
                        hosts: ["api.example.com"],
                        paths: ["/v2/*"],
                    },
                    {
                        issuer: "https://auth.example.com",
                        jwksUri: "https://auth.example.com/jwks.json",
                        audiences: ["partner"],
                        hosts: ["api.example.com"],
                        paths: ["/partner/*"],
                    },
                ],
                customAuth: [{ provider: "oauth2-proxy", hosts: ["shop.example.com"], paths: ["/admin/*"] }],
            },
        });
        fleets.push({
            name: `gwapi-${mode}`,
            ...placement,
            gateway,
            routing: fullRouting("gateway-api"),
            certificates:
                mode === "istio"
                    ? [{ name: "shop-cert", certManager: { issuer: "letsencrypt" } }]
                    : [{ name: "shop-cert", existingSecret: true }],
        });
        fleets.push({
            name: `egress-${mode}`,
            ...placement,
            gateway: {
                gatewayType: "egress",
                ports: [
                    { name: "http2", port: 80, targetPort: 8080, protocol: "HTTP2" },
                    { name: "https", port: 443, targetPort: 8443, protocol: "HTTPS" },
                ],
            },
            routing: {
                istioApiVersion: "v1beta1",
                egress: [
                    { host: "api.partner.com", protocol: "TLS" },
                    { host: "httpbin.org", protocol: "HTTP" },
                ],
            },
        });
    }
    // Single sign-on (istio mode; asm mode refuses it): oauth2-proxy beside the gateway and the
    // CUSTOM policy naming its provider.
    fleets.push({
        name: "oidc-istio",
        mode: "istio",
        clusters: [
            { id: "c1", kubeconfig: "kc1" },
            { id: "c2", kubeconfig: "kc2" },
        ],
        gateway: {},
        routing: {
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
            http: [{ name: "shop", hosts: ["shop.example.com"], destinations: [{ host: "shop", namespace: "default", port: 8080 }] }],
        },
        certificates: [{ name: "shop-cert", pem: shop }],
        security: {
            oidc: {
                issuerUrl: "https://keycloak.example.com/realms/main",
                clientId: "shop",
                clientSecret: "client-secret",
                cookieSecret: "0123456789abcdef0123456789abcdef",
                hosts: ["shop.example.com"],
                paths: ["/admin/*"],
                allowedGroups: ["shop-admins"],
            },
        },
    });
    return fleets;
}

// ---- the accepted messages ---------------------------------------------------------------------

describe("istioctl analyze (Istio's analyzers over every planned object)", function () {
    this.timeout(600_000);
    let judges: Judges;
    const seen = new Map<string, AnalyzerMessage & { target: string }>();

    before(function () {
        judges = judgesOrSkip(this, "istioctl analyze");
    });

    async function sources(): Promise<{ source: string; plans: FleetPlan[] }[]> {
        const examples = fs
            .readdirSync(path.join(REPO, "examples"))
            .sort()
            .map((d) => `examples/${d}/Pulumi.dev.yaml`)
            .filter((f) => fs.existsSync(path.join(REPO, f)));
        const stacks = fs
            .readdirSync(path.join(REPO, "tests", "e2e", "stacks"))
            .sort()
            .map((f) => `tests/e2e/stacks/${f}`);
        const fixtures = fs
            .readdirSync(path.join(REPO, "tests", "fixtures"))
            .sort()
            .filter((f) => /example\.yaml$/.test(f))
            .map((f) => `tests/fixtures/${f}`);
        return [
            ...[...examples, ...stacks, ...fixtures].map((source) => ({ source, plans: plansOfFile(source) })),
            { source: "feature fleets", plans: (await featureFleets()).map(planOf) },
            { source: "generated transcoding and login fleets", plans: generatedFleets() },
        ];
    }

    it("reports no Warning or Error that docs/istioctl-analyze.md does not list, for every example, test stack and feature fleet", async () => {
        const accepted = acceptedMessages();
        const unlisted: string[] = [];
        let analyzed = 0;
        const standInPem = await pem(["*.example.com", "shop.example.com", "api.example.com", "partner.example.com", "db.example.com"]);
        for (const { source, plans } of await sources()) {
            for (const plan of plans) {
                for (const t of targets(source, plan, standInPem)) {
                    analyzed++;
                    const messages = [...analyze(judges.istioctl, t.objects), ...analyzeWithRuntime(judges.analyzeRuntime, t.objects)];
                    const once = new Map(messages.map((m) => [`${m.code} ${m.origin} ${m.message}`, m]));
                    for (const m of once.values()) {
                        if (m.level === "Info") continue;
                        const key = `${m.code} ${m.origin}`;
                        if (!seen.has(key)) seen.set(key, { ...m, target: t.label });
                        if (!accepted.some((a) => a.code === m.code && a.origin.test(m.origin))) {
                            unlisted.push(`${t.label}:\n    ${m.level} [${m.code}] (${m.origin}) ${m.message}`);
                        }
                    }
                }
            }
        }
        expect(analyzed).to.be.greaterThan(20);
        expect(unlisted, `messages not listed in docs/istioctl-analyze.md:\n  ${unlisted.join("\n  ")}`).to.deep.equal([]);
    });

    it("sees the planned gateway pods: without them the Gateway's selector matches nothing (IST0101)", async () => {
        const [plan] = plansOfFile("tests/e2e/stacks/istio.yaml");
        const standInPem = await pem(["shop.example.com", "api.example.com"]);
        const [t] = targets("tests/e2e/stacks/istio.yaml", plan, standInPem);
        const codes = (objects: KubeObject[]) =>
            analyzeWithRuntime(judges.analyzeRuntime, objects)
                .filter((m) => m.origin.startsWith("Gateway "))
                .map((m) => m.code);
        expect(codes(t.objects)).to.not.include("IST0101");
        expect(codes(t.objects.filter((o) => !(o.kind === "Pod" && o.metadata.name.startsWith(plan.names.workload))))).to.include(
            "IST0101",
        );
    });

    it("in asm mode, sees the gateway pods ASM renders from the IstioGateway: without them the Gateway's selector matches nothing (IST0101)", async () => {
        const plan = planOf((await featureFleets()).find((f) => f.name === "routing-asm")!);
        const standInPem = await pem(["shop.example.com", "api.example.com", "partner.example.com"]);
        const [t] = targets("feature fleets", plan, standInPem);
        const codes = (objects: KubeObject[]) =>
            analyzeWithRuntime(judges.analyzeRuntime, objects)
                .filter((m) => m.origin.startsWith("Gateway "))
                .map((m) => m.code);
        expect(t.objects.filter((o) => o.kind === "Pod" && o.metadata.name.startsWith(plan.names.workload))).to.not.have.lengthOf(0);
        expect(codes(t.objects)).to.not.include("IST0101");
        expect(codes(t.objects.filter((o) => !(o.kind === "Pod" && o.metadata.name.startsWith(plan.names.workload))))).to.include(
            "IST0101",
        );
    });

    it("lists no message in docs/istioctl-analyze.md that no longer occurs", function () {
        if (seen.size === 0) this.skip();
        const stale = acceptedMessages().filter((a) => ![...seen.values()].some((m) => m.code === a.code && a.origin.test(m.origin)));
        expect(
            stale.map((a) => `${a.code} ${a.originText}`),
            "docs/istioctl-analyze.md lists messages analyze no longer reports",
        ).to.deep.equal([]);
    });
});
