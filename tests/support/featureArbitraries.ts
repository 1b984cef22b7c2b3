// Fleets with the features most rules are about: load balancers (CLB/NLB, created or reused,
// internet or intranet, IPv6 and dual-stack, additional ones), routing (hosts, listeners, routes,
// weights, Istio API and Gateway API, gRPC-JSON transcoding), DNS, certificates, edge security
// (OIDC single sign-on among it), and egress routes.
// Values are drawn near the rules' edges, so a good share of the fleets plans and the rest is
// refused: the property tests check that each either plans or is refused with field paths.
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import fc from "fast-check";
import type { CertificateSpec, DnsSpec, SecuritySpec } from "../../core/edge";
import type { GatewayFleetSpec, InstallMode } from "../../core/fleet";
import type { AdditionalLoadBalancer, LoadBalancerSettings } from "../../core/loadBalancer";
import type { Destination, HttpRoute, Listener, RoutingApi, RoutingSpec } from "../../core/routing";
import type { OidcSpec } from "../../core/oidc";
import type { ConfigVolume, GatewayOverride } from "../../core/spec";
import type { GrpcTranscoding, PlanFile } from "../../core/transcoding";
import { descriptorSetOf } from "./transcoding";

/** What a generated fleet exercises, by feature, for the tests to count. */
export interface FeatureFleet {
    fleet: GatewayFleetSpec;
    features: string[];
    /** The descriptor sets the fleet names, by path, as `readPlanFiles` would read them (`writeFeatureFiles` puts them there). */
    files: Map<string, PlanFile & { bytes: Uint8Array }>;
    /** How the component is given the OIDC client and cookie secrets: both must end up secret. */
    oidcSecrets: "plain" | "pulumi.secret";
}

const REGION = "cn-hangzhou";
const ZONES = [`${REGION}-h`, `${REGION}-j`, `${REGION}-k`];
const HOSTS = ["shop.example.com", "api.example.com", "example.com", "*.apps.example.com", "db.example.org"];
const CERT = "edge-cert";

// ── load balancers ───────────────────────────────────────────────────────────────────────

const clbCreated: fc.Arbitrary<LoadBalancerSettings<string>> = fc
    .record(
        {
            addressType: fc.constantFrom("internet", "intranet") as fc.Arbitrary<"internet" | "intranet">,
            ipVersion: fc.constantFrom(undefined, "ipv4", "ipv6") as fc.Arbitrary<"ipv4" | "ipv6" | undefined>,
            scheduler: fc.constantFrom(undefined, "wrr", "rr", "wlc"),
            connectionDrainSeconds: fc.option(fc.integer({ min: 10, max: 30 }), { nil: undefined }),
            deletionProtection: fc.option(fc.boolean(), { nil: undefined }),
            // Drawn with and without a prototype, as parsers make them: both must register alike.
            tags: fc.option(fc.dictionary(fc.constantFrom("team", "env", "cost"), fc.constantFrom("edge", "prod")), { nil: undefined }),
            healthCheck: fc.option(
                fc.record({
                    type: fc.constantFrom("http", "tcp") as fc.Arbitrary<"http" | "tcp">,
                    intervalSeconds: fc.integer({ min: 1, max: 50 }),
                }),
                {
                    nil: undefined,
                },
            ),
            acl: fc.option(
                fc.record({ id: fc.constant("acl-edge"), type: fc.constantFrom("white", "black") as fc.Arbitrary<"white" | "black"> }),
                { nil: undefined },
            ),
        },
        { requiredKeys: ["addressType"] },
    )
    // IPv6 CLBs are internet-facing only; an intranet one is left to the validation table.
    .map((lb) => (lb.ipVersion === "ipv6" ? { ...lb, addressType: "internet" as const } : lb))
    .map((lb) => compact({ ...lb, vswitchId: lb.addressType === "intranet" ? `vsw-${REGION}-h1` : undefined }));

const nlbCreated: fc.Arbitrary<LoadBalancerSettings<string>> = fc
    .record(
        {
            addressType: fc.constantFrom("internet", "intranet") as fc.Arbitrary<"internet" | "intranet">,
            ipVersion: fc.constantFrom(undefined, "ipv4", "dualstack") as fc.Arbitrary<"ipv4" | "dualstack" | undefined>,
            zones: fc.shuffledSubarray(ZONES, { minLength: 2 }),
            preserveClientIp: fc.option(fc.boolean(), { nil: undefined }),
            crossZoneEnabled: fc.option(fc.boolean(), { nil: undefined }),
            connectionDrainSeconds: fc.option(fc.integer({ min: 10, max: 30 }), { nil: undefined }),
        },
        { requiredKeys: ["addressType", "zones"] },
    )
    .map(({ zones, ...lb }) =>
        compact({
            ...lb,
            type: "NLB" as const,
            vpcId: "vpc-edge",
            // A dual-stack NLB needs its vSwitches named: the IPv6 ones cannot be looked up.
            zoneMappings: zones.map((zoneId) =>
                lb.ipVersion === "dualstack" ? { zoneId, vswitchId: `vsw-${REGION}-${zoneId.slice(-1)}1` } : { zoneId },
            ),
        }),
    );

type LbChoice =
    { kind: "none" } | { kind: "created"; lb: LoadBalancerSettings<string> } | { kind: "reused"; type: "CLB" | "NLB"; force: boolean };

const lbChoice: fc.Arbitrary<LbChoice> = fc.oneof(
    fc.constant({ kind: "none" as const }),
    clbCreated.map((lb) => ({ kind: "created" as const, lb })),
    nlbCreated.map((lb) => ({ kind: "created" as const, lb })),
    fc.record({
        kind: fc.constant("reused" as const),
        type: fc.constantFrom("CLB", "NLB") as fc.Arbitrary<"CLB" | "NLB">,
        force: fc.boolean(),
    }),
);

const additionalLb: fc.Arbitrary<AdditionalLoadBalancer<string> | undefined> = fc.option(
    fc.constantFrom<AdditionalLoadBalancer<string>>(
        { name: "internal", addressType: "intranet", vswitchId: `vsw-${REGION}-j1` },
        { name: "public-v6", ipVersion: "ipv6" },
        { name: "nlb", type: "NLB", vpcId: "vpc-edge", zoneMappings: [{ zoneId: ZONES[0] }, { zoneId: ZONES[1] }], ports: ["http2"] },
    ),
    { nil: undefined },
);

function lbFeatures(choice: LbChoice, extra: AdditionalLoadBalancer<string> | undefined): string[] {
    const out: string[] = [];
    if (choice.kind === "created") {
        out.push(`loadBalancer:${choice.lb.type ?? "CLB"}-created`, `loadBalancer:${choice.lb.addressType ?? "internet"}`);
        if (choice.lb.ipVersion === "ipv6" || choice.lb.ipVersion === "dualstack") out.push(`loadBalancer:${choice.lb.ipVersion}`);
    }
    if (choice.kind === "reused") out.push(`loadBalancer:${choice.type}-reused`);
    if (extra !== undefined) out.push("loadBalancer:additional");
    return out;
}

// ── routing ──────────────────────────────────────────────────────────────────────────────

interface RoutingShape {
    api: RoutingApi;
    https: boolean;
    hosts: string[];
}

const weights = (n: number): fc.Arbitrary<number[]> =>
    n === 1
        ? fc.constant([100])
        : fc.integer({ min: 1, max: 99 }).map((w) => (n === 2 ? [w, 100 - w] : [Math.min(w, 98), 1, 99 - Math.min(w, 98)]));

function destinations(api: RoutingApi): fc.Arbitrary<Destination[]> {
    return fc.integer({ min: 1, max: 3 }).chain((n) =>
        weights(n).chain((ws) =>
            fc.tuple(...ws.map(() => fc.constantFrom("shop", "shop-v2", "api", "legacy"))).map((hosts) =>
                // Gateway API backends are Services with a port; weights only when there are several.
                hosts.map((host, i) =>
                    compact({ host, port: api === "gateway-api" ? 8080 : undefined, weight: n > 1 ? ws[i] : undefined }),
                ),
            ),
        ),
    );
}

function httpRoute(api: RoutingApi, host: string, i: number): fc.Arbitrary<HttpRoute> {
    return fc
        .record(
            {
                destinations: destinations(api),
                prefix: fc.option(fc.constantFrom("/", "/api", "/static/"), { nil: undefined }),
                timeout: fc.option(fc.constantFrom("5s", "30s", "1m"), { nil: undefined }),
                retries:
                    api === "istio"
                        ? fc.option(fc.record({ attempts: fc.integer({ min: 1, max: 5 }) }), { nil: undefined })
                        : fc.constant(undefined),
                headers: fc.option(fc.constant({ request: { set: { "x-edge": "1" } } }), { nil: undefined }),
            },
            { requiredKeys: ["destinations"] },
        )
        .map(
            ({ prefix, ...r }) =>
                compact({
                    name: `route-${i}`,
                    hosts: [host],
                    match: prefix === undefined ? undefined : [{ path: { prefix } }],
                    ...r,
                }) as HttpRoute,
        );
}

const routingShape: fc.Arbitrary<RoutingShape> = fc.record({
    api: fc.constantFrom("istio", "gateway-api") as fc.Arbitrary<RoutingApi>,
    https: fc.boolean(),
    hosts: fc.shuffledSubarray(HOSTS, { minLength: 1, maxLength: 3 }),
});

function routingArb(shape: RoutingShape): fc.Arbitrary<RoutingSpec> {
    const { api, https, hosts } = shape;
    const listeners: Listener[] = [{ name: "http", port: 80, protocol: "HTTP", hosts, httpsRedirect: https ? true : undefined }];
    if (https) listeners.push({ name: "https", port: 443, protocol: "HTTPS", hosts, tls: { mode: "SIMPLE", credentialName: CERT } });
    const routeHosts = hosts.map((h) => (h.startsWith("*.") ? `www${h.slice(1)}` : h));
    return fc
        .record(
            {
                http: fc.tuple(...routeHosts.map((h, i) => httpRoute(api, h, i))),
                rateLimit:
                    api === "istio"
                        ? fc.option(fc.record({ requests: fc.integer({ min: 1, max: 1000 }), unit: fc.constantFrom("second", "minute") }), {
                              nil: undefined,
                          })
                        : fc.constant(undefined),
                namespace: fc.option(fc.constantFrom("default", "edge-routing"), { nil: undefined }),
            },
            { requiredKeys: ["http"] },
        )
        .map(({ http, rateLimit, namespace }) =>
            compact({
                api,
                namespace,
                listeners: listeners.map((l) => compact(l)),
                http,
                rateLimits: rateLimit === undefined ? undefined : [rateLimit as { requests: number; unit: "second" | "minute" }],
            }),
        );
}

// ── DNS, certificates, security ──────────────────────────────────────────────────────────

const dnsArb: fc.Arbitrary<DnsSpec<string> | undefined> = fc.option(
    fc.record(
        {
            zone: fc.constantFrom("example.com", "example.com", "example.com", "example.org"),
            records: fc.constantFrom("shared", "perCluster", "both") as fc.Arbitrary<"shared" | "perCluster" | "both">,
            ttl: fc.option(fc.integer({ min: 60, max: 3600 }), { nil: undefined }),
            privateZoneId: fc.option(fc.constant("pz-edge"), { nil: undefined }),
        },
        { requiredKeys: ["zone", "records"] },
    ),
    { nil: undefined },
);

function certificateArb(hosts: string[]): fc.Arbitrary<CertificateSpec<string>> {
    const named = hosts.filter((h) => !h.startsWith("*"));
    return fc.oneof(
        fc.constant({ name: CERT, existingSecret: true }),
        fc.record({
            name: fc.constant(CERT),
            certManager: fc.record({
                issuer: fc.constantFrom("letsencrypt"),
                kind: fc.constantFrom("Issuer", "ClusterIssuer") as fc.Arbitrary<"Issuer" | "ClusterIssuer">,
            }),
            hosts: fc.constant<string[]>(named.length > 0 ? named : ["shop.example.com"]),
        }),
    );
}

function securityArb(hosts: string[]): fc.Arbitrary<SecuritySpec | undefined> {
    const named = hosts.filter((h) => !h.startsWith("*"));
    return fc.option(
        fc
            .record(
                {
                    ipAllow: fc.option(fc.constantFrom<string[]>(["10.0.0.0/8"], ["192.168.0.0/16", "172.16.0.0/12"]), { nil: undefined }),
                    ipDeny: fc.option(fc.constant<string[]>(["10.1.2.3/32"]), { nil: undefined }),
                    trustedProxies: fc.option(fc.integer({ min: 1, max: 2 }), { nil: undefined }),
                    jwt: fc.option(
                        fc.constant<SecuritySpec["jwt"]>([
                            compact({
                                issuer: "https://issuer.example.com",
                                jwksUri: "https://issuer.example.com/jwks",
                                hosts: named.length > 0 ? [named[0]] : undefined,
                                paths: ["/api/*"],
                            }),
                        ]),
                        { nil: undefined },
                    ),
                    customAuth: fc.option(fc.constant<SecuritySpec["customAuth"]>([{ provider: "ext-authz", paths: ["/admin/*"] }]), {
                        nil: undefined,
                    }),
                },
                { requiredKeys: [] },
            )
            .map((s) => compact(s)),
        { nil: undefined },
    );
}

// ── gRPC-JSON transcoding ────────────────────────────────────────────────────────────────

const PROTO_PACKAGES = ["bookstore.v1", "shop.api.v2", "echo"];
const SERVICE_NAMES = ["Bookstore", "Catalog", "Echo"];
/** Where generated descriptor sets are written for the component, which reads them itself (content-addressed). */
const DESCRIPTOR_DIR = path.join(os.tmpdir(), "mesh-gateway-property-descriptors");
export const PROTOS_VOLUME: ConfigVolume = { name: "protos", configMapName: "grpc-protos", mountPath: "/etc/istio/protos" };

interface TranscodingDrawn {
    entries: GrpcTranscoding[];
    files: Map<string, { bytes: Uint8Array }>;
}

const protoFiles = fc.uniqueArray(
    fc.record({
        package: fc.constantFrom(...PROTO_PACKAGES),
        services: fc.uniqueArray(fc.constantFrom(...SERVICE_NAMES), { minLength: 1, maxLength: 2 }),
    }),
    { minLength: 1, maxLength: 2, selector: (f) => f.package },
);

/** One entry over `hosts`: a generated descriptor set (a file, or a ConfigMap the pods mount) and some of its services. */
function transcodingEntry(hosts: string[]): fc.Arbitrary<{ entry: GrpcTranscoding; file?: [string, Uint8Array] }> {
    return fc
        .record({
            protos: protoFiles,
            mounted: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
            autoMapping: fc.option(fc.boolean(), { nil: undefined }),
            convertGrpcStatus: fc.option(fc.boolean(), { nil: undefined }),
            ignoreUnknownQueryParameters: fc.option(fc.boolean(), { nil: undefined }),
        })
        .chain(({ protos, mounted, ...options }) => {
            const all = protos.flatMap((f) => f.services.map((s) => `${f.package}.${s}`));
            return fc.shuffledSubarray(all, { minLength: 1 }).map((services) => {
                const bytes = descriptorSetOf(protos);
                const file = path.join(DESCRIPTOR_DIR, `${createHash("sha256").update(bytes).digest("hex").slice(0, 16)}.pb`);
                const descriptor = mounted ? { configVolume: PROTOS_VOLUME.name, key: `${protos[0].package}.pb` } : { file };
                return {
                    entry: compact({ hosts, services, descriptor, ...options }),
                    file: mounted ? undefined : ([file, bytes] as [string, Uint8Array]),
                };
            });
        });
}

/** One or two entries over some of the routes' hosts (each host in one entry). */
function transcodingArb(routing: RoutingSpec, always = false): fc.Arbitrary<TranscodingDrawn | undefined> {
    const hosts = [...new Set((routing.http ?? []).flatMap((r) => r.hosts))];
    const drawn = fc
        .shuffledSubarray(hosts, { minLength: 1 })
        .chain((picked) =>
            fc.integer({ min: 1, max: picked.length }).chain((cut) => {
                const groups = [picked.slice(0, cut), picked.slice(cut)].filter((g) => g.length > 0);
                return fc.tuple(...groups.map(transcodingEntry));
            }),
        )
        .map((drawnEntries) => ({
            entries: drawnEntries.map((d) => d.entry),
            files: new Map(drawnEntries.flatMap((d) => (d.file === undefined ? [] : [[d.file[0], { bytes: d.file[1] }] as const]))),
        }));
    return always ? drawn : fc.option(drawn, { nil: undefined, freq: 2 });
}

// ── OIDC single sign-on ──────────────────────────────────────────────────────────────────

/** A cookie secret oauth2-proxy accepts: 16, 24 or 32 raw characters, or URL-safe base64 of that many bytes (padded or not). */
const cookieSecret: fc.Arbitrary<string> = fc.constantFrom(16, 24, 32).chain((n) =>
    fc.oneof(
        fc.string({ minLength: n, maxLength: n, unit: "grapheme-ascii" }),
        fc
            .uint8Array({ minLength: n, maxLength: n })
            .chain((b) =>
                fc.constantFrom(
                    Buffer.from(b).toString("base64url"),
                    Buffer.from(b).toString("base64").replace(/\+/g, "-").replace(/\//g, "_"),
                ),
            ),
    ),
);

/** Single sign-on on some of the routes' hosts (served over HTTPS), as each mode takes it. */
function oidcArb(routing: RoutingSpec, mode: InstallMode, always = false): fc.Arbitrary<OidcSpec<string> | undefined> {
    const hosts = [...new Set((routing.http ?? []).flatMap((r) => r.hosts))];
    const common = {
        issuerUrl: fc.constantFrom("https://keycloak.example.com/realms/main", "https://idaas.example.cn/api/v2/app/oidc"),
        clientId: fc.constantFrom("edge", "shop-sso"),
        // Long enough to be told apart from anything else in a plan (the tests look for leaks).
        clientSecret: fc.string({ minLength: 12, maxLength: 40, unit: "grapheme-ascii" }),
        cookieSecret,
        paths: fc.option(fc.constantFrom<string[]>(["/admin/*"], ["/admin/*", "/reports/*"], ["/oauth2/*", "/admin/*"]), {
            nil: undefined,
        }),
        skipAuthPreflight: fc.constantFrom(undefined, true, false),
    };
    const required = ["issuerUrl", "clientId", "clientSecret", "cookieSecret", "hosts"] as const;
    // ASM's settings: one host (one redirect domain), no admission condition but ['*'], ASM's
    // provider name prefix, and no oauth2-proxy of the component's own.
    const oidc =
        mode === "asm"
            ? fc
                  .record(
                      {
                          ...common,
                          hosts: fc.constantFrom(...hosts).map((h) => [h]),
                          allowedEmailDomains: fc.constantFrom<string[] | undefined>(undefined, ["*"]),
                          provider: fc.constantFrom(undefined, undefined, "httpextauth-sso"),
                      },
                      { requiredKeys: [...required] },
                  )
                  .map((o) => compact(o) as OidcSpec<string>)
            : fc
                  .record(
                      {
                          ...common,
                          hosts: fc.shuffledSubarray(hosts, { minLength: 1 }),
                          admission: fc.oneof(
                              fc.record({ allowedGroups: fc.constant<string[]>(["shop-admins"]) }),
                              fc.record({ allowedEmails: fc.constant<string[]>(["alice@example.com", "bob@example.org"]) }),
                              fc.record({ allowedEmailDomains: fc.constantFrom<string[]>(["example.com"], ["*"]) }),
                              fc.record({
                                  allowedGroups: fc.constant<string[]>(["ops"]),
                                  allowedEmailDomains: fc.constant<string[]>(["example.com"]),
                              }),
                          ),
                          provider: fc.constantFrom(undefined, undefined, "sso", "ext-authz"),
                          replicas: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
                          image: fc.option(fc.constant("registry.example.com/oauth2-proxy:v7.15.3"), { nil: undefined }),
                      },
                      { requiredKeys: [...required, "admission"] },
                  )
                  .map(({ admission: a, ...o }) => compact({ ...o, ...a }) as OidcSpec<string>);
    return always ? oidc : fc.option(oidc, { nil: undefined, freq: 2 });
}

/** Writes a fleet's descriptor sets where its config names them (the component reads them at plan time). */
export function writeFeatureFiles(f: FeatureFleet): void {
    for (const [file, { bytes }] of f.files) {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        if (!fs.existsSync(file)) fs.writeFileSync(file, bytes);
    }
}

// ── the fleet ────────────────────────────────────────────────────────────────────────────

/** Features every generated fleet has (and what they need: routing; istio mode and HTTPS for the login). */
export interface FeatureFocus {
    transcoding?: boolean;
    oidc?: boolean;
}

/** A fleet of one to three clusters with load balancer, routing, DNS, certificate and security settings. */
export function featureFleetArb(focus: FeatureFocus = {}): fc.Arbitrary<FeatureFleet> {
    const routing = focus.oidc
        ? routingShape.map((r) => ({ ...r, https: true }))
        : focus.transcoding
          ? routingShape
          : fc.option(routingShape, { nil: undefined });
    return fc
        .record({
            mode: fc.constantFrom("istio", "asm") as fc.Arbitrary<InstallMode>,
            clusterCount: fc.integer({ min: 1, max: 3 }),
            credentials: fc.integer({ min: 0, max: 3 }).map((n) => n > 0),
            egress: focus.oidc || focus.transcoding ? fc.constant(false) : fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
            lb: lbChoice,
            extraLb: additionalLb,
            backendType: fc.constantFrom(undefined, "eni") as fc.Arbitrary<"eni" | undefined>,
            externalTrafficPolicy: fc.constantFrom(undefined, "Local", "Cluster") as fc.Arbitrary<"Local" | "Cluster" | undefined>,
            sourceRanges: fc.option(fc.constant<string[]>(["10.0.0.0/8"]), { nil: undefined }),
            routing,
            dns: dnsArb,
        })
        .chain((f) =>
            fc
                .record({
                    routing: f.routing === undefined ? fc.constant(undefined) : routingArb(f.routing),
                    certificate: f.routing?.https === true ? certificateArb(f.routing.hosts) : fc.constant(undefined),
                    security: f.routing === undefined ? fc.constant(undefined) : securityArb(f.routing.hosts),
                    egressProtocol: fc.constantFrom("TLS", "HTTP") as fc.Arbitrary<"TLS" | "HTTP">,
                    oidcSecrets: fc.constantFrom("plain", "pulumi.secret") as fc.Arbitrary<"plain" | "pulumi.secret">,
                })
                .chain((g) =>
                    fc
                        .record({
                            transcoding: g.routing === undefined ? fc.constant(undefined) : transcodingArb(g.routing, focus.transcoding),
                            // The login's cookie is Secure, so its hosts need HTTPS.
                            oidc:
                                g.routing === undefined || f.routing?.https !== true
                                    ? fc.constant(undefined)
                                    : oidcArb(g.routing, f.mode, focus.oidc),
                        })
                        .map((h) => assemble(f, { ...g, ...h })),
                ),
        );
}

interface Drawn {
    mode: InstallMode;
    clusterCount: number;
    credentials: boolean;
    egress: boolean;
    lb: LbChoice;
    extraLb: AdditionalLoadBalancer<string> | undefined;
    backendType: "eni" | undefined;
    externalTrafficPolicy: "Local" | "Cluster" | undefined;
    sourceRanges: string[] | undefined;
    routing: RoutingShape | undefined;
    dns: DnsSpec<string> | undefined;
}

interface DrawnEdge {
    routing?: RoutingSpec;
    certificate?: CertificateSpec<string>;
    security?: SecuritySpec;
    egressProtocol: "TLS" | "HTTP";
    oidcSecrets: "plain" | "pulumi.secret";
    transcoding?: TranscodingDrawn;
    oidc?: OidcSpec<string>;
}

/**
 * The login beside the other security settings. A workload has one external authorization
 * provider: in istio mode the login shares customAuth's, except when it names one of its own
 * ("sso"), which is refused; in asm mode the login's provider is ASM's own, so customAuth is left
 * out. Beside JWT rules, a rule of the login's issuer for its client id and its hosts and paths
 * (the JWT filter checks the ID token the login forwards, whatever the API rule's scope).
 */
function withLogin(
    mode: InstallMode,
    drawn: SecuritySpec | undefined,
    login: OidcSpec<string> | undefined,
): { oidc?: OidcSpec<string>; security?: SecuritySpec } {
    if (login === undefined) return { security: drawn };
    const shared = mode === "istio" && drawn?.customAuth !== undefined && login.provider === undefined;
    const oidc = shared ? { ...login, provider: drawn!.customAuth![0].provider } : login;
    const loginRule = compact({ issuer: oidc.issuerUrl, audiences: [oidc.clientId], hosts: oidc.hosts, paths: oidc.paths });
    const jwt = drawn?.jwt === undefined ? undefined : [...drawn.jwt, loginRule];
    const customAuth = mode === "asm" ? undefined : drawn?.customAuth;
    return { oidc, security: compact({ ...drawn, jwt, customAuth, oidc }) };
}

function assemble(f: Drawn, g: DrawnEdge): FeatureFleet {
    const ids = ["c1", "c2", "c3"].slice(0, f.clusterCount);
    const features = [`mode:${f.mode}`];
    const clusters = ids.map((id) =>
        compact({ id, region: REGION, kubeconfig: f.mode === "istio" || f.credentials ? `kubeconfig of ${id}` : undefined }),
    );
    const gateway: GatewayFleetSpec["gateway"] = compact({
        externalTrafficPolicy: f.egress ? undefined : f.externalTrafficPolicy,
        loadBalancerSourceRanges: f.mode === "istio" && !f.egress ? f.sourceRanges : undefined,
    });
    if (f.egress) {
        features.push("egress");
        const fleet: GatewayFleetSpec = {
            name: "egress",
            mode: f.mode,
            clusters,
            controlPlane: f.mode === "asm" ? { kubeconfig: "apiVersion: v1\nkind: Config\n" } : undefined,
            gateway: {
                gatewayType: "egress",
                ports: [
                    { name: "tls", port: 443 },
                    { name: "http", port: 80 },
                ],
            },
            routing: { egress: [{ host: "api.partner.com", protocol: g.egressProtocol }] },
        };
        return { fleet: compact(fleet), features, files: new Map(), oidcSecrets: g.oidcSecrets };
    }
    if (f.lb.kind === "created") gateway.loadBalancer = compact({ ...f.lb.lb, backendType: f.backendType });
    if (f.lb.kind === "reused") {
        // One reused load balancer per cluster: an id serves one cluster's Service.
        const id = (c: string) => (f.lb.kind === "reused" && f.lb.type === "NLB" ? `nlb-edge${c}` : `lb-edge${c}`);
        gateway.loadBalancer = compact({
            type: f.lb.type === "NLB" ? ("NLB" as const) : undefined,
            forceOverrideListeners: f.lb.force || undefined,
        });
        const type = f.lb.type === "NLB" ? ("NLB" as const) : undefined;
        gateway.overrides = Object.fromEntries(
            ids.map((c) => [c, { loadBalancer: compact({ type, existingId: id(c) }) } as GatewayOverride]),
        );
    }
    if (f.extraLb !== undefined) gateway.additionalLoadBalancers = [f.extraLb];
    features.push(...lbFeatures(f.lb, f.extraLb));
    if (gateway.externalTrafficPolicy !== undefined) features.push(`edge:externalTrafficPolicy-${gateway.externalTrafficPolicy}`);
    if (gateway.loadBalancerSourceRanges !== undefined) features.push("edge:sourceRanges");
    if (g.routing !== undefined) {
        features.push(`routing:${g.routing.api}`, `routing:${g.routing.listeners!.length}-listeners`);
        if ((g.routing.http ?? []).some((r) => (r.destinations ?? []).length > 1)) features.push("routing:weights");
        if (g.routing.rateLimits !== undefined) features.push("routing:rateLimit");
    }
    if (f.dns !== undefined && g.routing !== undefined)
        features.push(`dns:${f.dns.records}${f.dns.privateZoneId === undefined ? "" : "-private"}`);
    if (g.certificate !== undefined) features.push(`certificates:${g.certificate.existingSecret ? "existingSecret" : "certManager"}`);
    const routing =
        g.routing === undefined || g.transcoding === undefined ? g.routing : { ...g.routing, grpcTranscoding: g.transcoding.entries };
    if (g.transcoding !== undefined) {
        for (const e of g.transcoding.entries)
            features.push(`routing:grpcTranscoding-${e.descriptor.file === undefined ? "configMap" : "file"}`);
        // The ConfigMap-backed descriptor sets are mounted in every cluster.
        if (g.transcoding.entries.some((e) => e.descriptor.configVolume !== undefined)) gateway.configVolumes = [PROTOS_VOLUME];
    }
    const { oidc, security } = withLogin(f.mode, g.security, g.oidc);
    if (security !== undefined) {
        for (const k of Object.keys(security)) features.push(`security:${k}`);
    }
    const fleet: GatewayFleetSpec = compact({
        name: "edge",
        mode: f.mode,
        clusters,
        // ASM's API, which registers the login's provider, needs the instance id (and refuses it unused).
        controlPlane:
            f.mode === "asm"
                ? compact({ kubeconfig: "apiVersion: v1\nkind: Config\n", serviceMeshId: oidc === undefined ? undefined : "mesh-1" })
                : undefined,
        gateway,
        routing,
        dns: g.routing === undefined ? undefined : f.dns,
        certificates: g.certificate === undefined ? undefined : [g.certificate],
        security,
    });
    if (oidc !== undefined) features.push(`security:oidc-${f.mode}-${g.oidcSecrets}`);
    return { fleet, features, files: g.transcoding?.files ?? new Map(), oidcSecrets: g.oidcSecrets };
}

function compact<T extends object>(value: T): T {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
