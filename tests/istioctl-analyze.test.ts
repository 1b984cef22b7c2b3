// Istio's own analyzers over everything the product writes: every example, every e2e test stack
// and a set of feature fleets (each routing, certificate and security feature, in both modes).
// Each cluster's planned objects are analyzed together with what the cluster holds besides them
// (see `clusterWorld`), so selector, port and Secret checks mean something. A Warning or Error
// that docs/istioctl-analyze.md does not list fails the test.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import selfsigned from "selfsigned";
import type { GatewayFleetSpec } from "../core/fleet";
import { fleetSpecOf } from "../components/meshGateway";
import { renderFleet, layoutFleet, type FleetPlan } from "../core/plan";
import { renderIstioGateway } from "../core/render/istio";
import type { KubeObject } from "../core/render/common";
import type { RoutingSpec } from "../core/routing";
import { loadFleets } from "../offline/plan";
import { analyze, analyzeWithRuntime, judgesOrSkip, namespacesOf, podsOf, type AnalyzerMessage, type Judges } from "./support/judges";

const REPO = path.join(__dirname, "..", "..");

// ---- what a cluster holds besides the product's objects -------------------------------------

/**
 * The ASM control plane renders the gateway workload from the IstioGateway in each cluster.
 * analyze needs its Service and pods; they are stood in for by the istio-mode rendering of the
 * same spec (the objects of Istio's gateway chart, which ASM's renderer also produces).
 */
function asmWorkloadStandIns(plan: FleetPlan, clusterId: string): KubeObject[] {
    const cluster = plan.clusters.find((c) => c.clusterId === clusterId)!;
    const rendered = renderIstioGateway(cluster.spec, {
        names: plan.names,
        namespace: plan.namespace,
        spreadReplicas: plan.fleet.spreadReplicas ?? true,
        drainSeconds: plan.drainSeconds,
        terminationGracePeriodSeconds: plan.terminationGracePeriodSeconds,
        bindings: [],
    });
    return [...rendered.filter((o) => o.kind === "Service"), ...podsOf(rendered)];
}

/**
 * What exists in a real cluster that the product does not write: TLS Secrets the user keeps
 * (`existingSecret`) or cert-manager issues from a planned Certificate, and the user's backend
 * Services and their pods (a destination `host` in `namespace`, its port, with the labels of
 * the subsets the routing declares).
 */
function userWorld(plan: FleetPlan, planned: readonly KubeObject[], standInPem: { certificate: string; privateKey: string }): KubeObject[] {
    const out: KubeObject[] = [];
    const ns = plan.namespace;
    const secretNames = new Set(planned.filter((o) => o.kind === "Secret").map((o) => o.metadata.name));
    const b64 = (text: string) => Buffer.from(text).toString("base64");
    const tlsSecret = (name: string): KubeObject => ({
        apiVersion: "v1", kind: "Secret", type: "kubernetes.io/tls", metadata: { name, namespace: ns },
        data: { "tls.crt": b64(standInPem.certificate), "tls.key": b64(standInPem.privateKey) },
    });
    for (const c of plan.fleet.certificates ?? []) {
        if (c.existingSecret === true && !secretNames.has(c.name)) out.push(tlsSecret(c.name));
    }
    for (const o of planned) {
        if (o.kind === "Certificate") out.push(tlsSecret((o.spec as { secretName: string }).secretName));
    }
    const routing = plan.fleet.routing;
    const routeNs = routing?.namespace ?? ns;
    const backends = new Map<string, { name: string; namespace: string; ports: Set<number> }>();
    const destinations = [
        ...(routing?.http ?? []).flatMap((r) => [...(r.destinations ?? []), ...(r.mirror ? [r.mirror.destination] : [])]),
        ...(routing?.tcp ?? []).flatMap((r) => r.destinations),
        ...(routing?.tls ?? []).flatMap((r) => r.destinations),
    ];
    for (const d of destinations) {
        // A short name or name.namespace(.svc.cluster.local) is a Kubernetes Service.
        const [name, hostNs] = d.host.split(".");
        const namespace = hostNs ?? d.namespace ?? routeNs;
        const key = `${name}.${namespace}`;
        const b = backends.get(key) ?? backends.set(key, { name, namespace, ports: new Set() }).get(key)!;
        b.ports.add(d.port ?? 80);
    }
    for (const b of backends.values()) {
        out.push({
            apiVersion: "v1", kind: "Service", metadata: { name: b.name, namespace: b.namespace },
            spec: { selector: { app: b.name }, ports: [...b.ports].map((port) => ({ name: `http-${port}`, port, targetPort: port })) },
        });
        // The subsets the routes name take `version: <name>` unless `backends` declares their labels.
        const declared = routing?.backends?.[b.name]?.subsets ?? {};
        const named = destinations.filter((d) => d.host.split(".")[0] === b.name && d.subset !== undefined).map((d) => d.subset!);
        const subsetNames = [...new Set([...Object.keys(declared), ...named])];
        const podLabels = subsetNames.length > 0 ? subsetNames.map((n) => declared[n] ?? { version: n }) : [{}];
        podLabels.forEach((labels, i) => out.push({
            apiVersion: "v1", kind: "Pod", metadata: { name: `${b.name}-${i}`, namespace: b.namespace, labels: { app: b.name, ...labels } },
            spec: { containers: [{ name: "app", image: "app", ports: [...b.ports].map((containerPort) => ({ containerPort })) }] },
        }));
    }
    return out;
}

/**
 * Istio's sidecar injector, as istiod's chart installs it (webhooks `object.sidecar-injector`
 * and, for a revision, `rev.object.sidecar-injector`): analyze checks that a pod with
 * `image: auto` is matched by one.
 */
function injectorWebhook(revision: string | undefined): KubeObject {
    const webhook = (name: string, objectSelector: object) => ({
        name,
        admissionReviewVersions: ["v1"],
        sideEffects: "None",
        clientConfig: { service: { name: "istiod", namespace: "istio-system", path: "/inject", port: 443 } },
        rules: [{ operations: ["CREATE"], apiGroups: [""], apiVersions: ["v1"], resources: ["pods"] }],
        namespaceSelector: { matchExpressions: [{ key: "istio-injection", operator: "DoesNotExist" }, { key: "istio.io/rev", operator: "DoesNotExist" }] },
        objectSelector,
    });
    return {
        apiVersion: "admissionregistration.k8s.io/v1",
        kind: "MutatingWebhookConfiguration",
        metadata: { name: revision ? `istio-sidecar-injector-${revision}` : "istio-sidecar-injector" },
        webhooks: [revision
            ? webhook("rev.object.sidecar-injector.istio.io", { matchExpressions: [{ key: "sidecar.istio.io/inject", operator: "NotIn", values: ["false"] }, { key: "istio.io/rev", operator: "In", values: [revision] }] })
            : webhook("object.sidecar-injector.istio.io", { matchExpressions: [{ key: "sidecar.istio.io/inject", operator: "In", values: ["true"] }, { key: "istio.io/rev", operator: "DoesNotExist" }] })],
    };
}

/** The mesh's control plane as analyze sees it: istiod's Service and its injection webhook. */
function istiod(revision: string | undefined): KubeObject[] {
    return [
        injectorWebhook(revision),
        { apiVersion: "v1", kind: "Service", metadata: { name: "istiod", namespace: "istio-system" }, spec: { selector: { app: "istiod" }, ports: [{ name: "https-webhook", port: 443, targetPort: 15017 }, { name: "grpc-xds", port: 15012 }] } },
    ];
}

/** A Secret as the API server stores it: `stringData` folded into base64 `data` (analyze reads `data`). */
function stored(o: KubeObject): KubeObject {
    if (o.kind !== "Secret" || o.stringData === undefined) return o;
    const { stringData, ...rest } = o as KubeObject & { stringData: Record<string, string>; data?: Record<string, string> };
    const data = { ...rest.data, ...Object.fromEntries(Object.entries(stringData).map(([k, v]) => [k, Buffer.from(v).toString("base64")])) };
    return { ...rest, data };
}

interface Target {
    /** "examples/…: gateway x, cluster c1" */
    label: string;
    objects: KubeObject[];
}

/** Per cluster: what the product applies there (plus, in asm mode, what the control plane holds and serves to it). */
function targets(source: string, plan: FleetPlan, standInPem: { certificate: string; privateKey: string }): Target[] {
    return plan.clusters.map((c) => {
        const planned = plan.mode === "istio"
            ? c.objects
            // The IstioGateway is ASM's own kind: analyze knows nothing of it.
            : [...c.objects, ...plan.controlPlaneObjects.filter((o) => o.kind !== "IstioGateway")];
        const workload = plan.mode === "istio" ? podsOf(c.objects) : asmWorkloadStandIns(plan, c.clusterId);
        const objects = [...planned.map(stored), ...workload, ...userWorld(plan, planned, standInPem), ...istiod(plan.mode === "istio" ? plan.fleet.revision : undefined)];
        return { label: `${source}: gateway ${plan.name} (${plan.mode}), cluster ${c.clusterId}${plan.mode === "asm" ? " with the control plane's objects" : ""}`, objects: [...namespacesOf(objects), ...objects] };
    });
}

function planOf(fleet: GatewayFleetSpec): FleetPlan {
    return renderFleet(layoutFleet(fleet, `gateway "${fleet.name}"`));
}

function plansOfFile(file: string): FleetPlan[] {
    return loadFleets(path.join(REPO, file)).map((f) => planOf(fleetSpecOf(f.name, f.args)));
}

// ---- the feature fleets ---------------------------------------------------------------------

async function pem(hosts: string[]): Promise<{ certificate: string; privateKey: string }> {
    const g = await selfsigned.generate([{ name: "commonName", value: hosts[0] }], {
        keyType: "ec", curve: "P-256",
        notBeforeDate: new Date(),
        notAfterDate: new Date(Date.now() + 90 * 86_400_000),
        extensions: [{ name: "subjectAltName", altNames: hosts.map((value) => ({ type: 2, value })) }],
    });
    return { certificate: g.cert, privateKey: g.private };
}

/** Every routing feature: each listener protocol and TLS mode, each route field, backends, rate limits, egress. */
const fullRouting = (api: "istio" | "gateway-api"): RoutingSpec => ({
    api,
    namespace: "apps",
    listeners: [
        { name: "http", port: 80, protocol: "HTTP", hosts: ["shop.example.com", "api.example.com"], httpsRedirect: api === "istio" ? true : undefined },
        { name: "https", port: 443, protocol: "HTTPS", hosts: ["shop.example.com", "api.example.com"], tls: { mode: "SIMPLE", credentialName: "shop-cert", ...(api === "istio" ? { minProtocolVersion: "TLSV1_2" as const } : {}) } },
        ...(api === "istio" ? [{ name: "mtls", port: 8443, protocol: "HTTPS" as const, hosts: ["partner.example.com"], tls: { mode: "MUTUAL" as const, credentialName: "partner-cert" } }] : []),
        { name: "passthrough", port: 9443, protocol: "TLS", hosts: ["db.example.com"], tls: { mode: "PASSTHROUGH" } },
        { name: "db", port: 5432, protocol: "TCP", hosts: ["*"] },
    ],
    http: [
        {
            name: "shop",
            hosts: ["shop.example.com"],
            match: [{ path: { prefix: "/cart" }, headers: { "x-canary": { exact: "1" } }, method: "GET", queryParams: { v: { exact: "2" } } }, { path: { regex: "^/items/[0-9]+$" } }],
            // Gateway API routes to Services, not subsets, and has no retries.
            destinations: api === "istio"
                ? [{ host: "shop", port: 8080, subset: "v1", weight: 90 }, { host: "shop", port: 8080, subset: "v2", weight: 10 }]
                : [{ host: "shop", port: 8080, weight: 90 }, { host: "shop-canary", port: 8080, weight: 10 }],
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
});

async function featureFleets(): Promise<GatewayFleetSpec[]> {
    const shop = await pem(["shop.example.com", "api.example.com"]);
    const partner = await pem(["partner.example.com"]);
    const clientCa = await pem(["clients.example.com"]);
    const fleets: GatewayFleetSpec[] = [];
    for (const mode of ["istio", "asm"] as const) {
        const placement = mode === "istio"
            ? { mode, clusters: [{ id: "c1", kubeconfig: "kc1" }, { id: "c2", kubeconfig: "kc2" }] }
            : { mode, clusters: [{ id: "c1", kubeconfig: "kc1" }, { id: "c2", kubeconfig: "kc2" }], controlPlane: { kubeconfig: "cp" } };
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
                jwt: [{ issuer: "https://auth.example.com", jwksUri: "https://auth.example.com/jwks.json", hosts: ["api.example.com"], paths: ["/v2/*"] }],
                customAuth: [{ provider: "oauth2-proxy", hosts: ["shop.example.com"], paths: ["/admin/*"] }],
            },
        });
        fleets.push({
            name: `gwapi-${mode}`,
            ...placement,
            gateway,
            routing: fullRouting("gateway-api"),
            certificates: mode === "istio" ? [{ name: "shop-cert", certManager: { issuer: "letsencrypt" } }] : [{ name: "shop-cert", existingSecret: true }],
        });
        fleets.push({
            name: `egress-${mode}`,
            ...placement,
            gateway: { gatewayType: "egress", ports: [{ name: "http2", port: 80, targetPort: 8080, protocol: "HTTP2" }, { name: "https", port: 443, targetPort: 8443, protocol: "HTTPS" }] },
            routing: { istioApiVersion: "v1beta1", egress: [{ host: "api.partner.com", protocol: "TLS" }, { host: "httpbin.org", protocol: "HTTP" }] },
        });
    }
    return fleets;
}

// ---- the accepted messages ---------------------------------------------------------------------

interface Accepted {
    code: string;
    /** Glob over the message's origin (`Kind name.namespace`), `*` for any run of characters. */
    origin: RegExp;
    originText: string;
}

/** The table rows of docs/istioctl-analyze.md: `| IST0000 | origin glob | why |`. */
function acceptedMessages(): Accepted[] {
    const text = fs.readFileSync(path.join(REPO, "docs", "istioctl-analyze.md"), "utf8");
    return text.split("\n").flatMap((line) => {
        const cells = line.split("|").map((c) => c.trim());
        if (cells.length < 5 || !/^IST\d{4}$/.test(cells[1])) return [];
        const glob = cells[2].replace(/`/g, "");
        const origin = new RegExp(`^${glob.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
        return [{ code: cells[1], origin, originText: glob }];
    });
}

describe("istioctl analyze (Istio's analyzers over every planned object)", function () {
    this.timeout(600_000);
    let judges: Judges;
    const seen = new Map<string, AnalyzerMessage & { target: string }>();

    before(function () {
        judges = judgesOrSkip(this, "istioctl analyze");
    });

    async function sources(): Promise<{ source: string; plans: FleetPlan[] }[]> {
        const examples = fs.readdirSync(path.join(REPO, "examples")).sort()
            .map((d) => `examples/${d}/Pulumi.dev.yaml`)
            .filter((f) => fs.existsSync(path.join(REPO, f)));
        const stacks = fs.readdirSync(path.join(REPO, "tests", "e2e", "stacks")).sort().map((f) => `tests/e2e/stacks/${f}`);
        const fixtures = fs.readdirSync(path.join(REPO, "tests", "fixtures")).sort().filter((f) => /example\.yaml$/.test(f)).map((f) => `tests/fixtures/${f}`);
        return [
            ...[...examples, ...stacks, ...fixtures].map((source) => ({ source, plans: plansOfFile(source) })),
            { source: "feature fleets", plans: (await featureFleets()).map(planOf) },
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
        const codes = (objects: KubeObject[]) => analyzeWithRuntime(judges.analyzeRuntime, objects).filter((m) => m.origin.startsWith("Gateway ")).map((m) => m.code);
        expect(codes(t.objects)).to.not.include("IST0101");
        expect(codes(t.objects.filter((o) => !(o.kind === "Pod" && o.metadata.name.startsWith(plan.names.workload))))).to.include("IST0101");
    });

    it("lists no message in docs/istioctl-analyze.md that no longer occurs", function () {
        if (seen.size === 0) this.skip();
        const stale = acceptedMessages().filter((a) => ![...seen.values()].some((m) => m.code === a.code && a.origin.test(m.origin)));
        expect(stale.map((a) => `${a.code} ${a.originText}`), "docs/istioctl-analyze.md lists messages analyze no longer reports").to.deep.equal([]);
    });
});
