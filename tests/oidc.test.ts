// Single sign-on through an OpenID Connect issuer: oauth2-proxy beside the gateway, the CUSTOM
// policy with the login flow's paths, the mesh config entry printed (never applied) in istio
// mode; in asm mode the ExtensionProvider registered through ASM's API and the policy waiting for
// it; and the client and cookie secrets kept out of every plain-text place.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import YAML from "yaml";
import type { MeshGatewayArgs } from "../components/meshGateway";
import type { GatewayFleetSpec } from "../core/fleet";
import { asmOidcProviderConfig, checkCookieSecret, cookieSecretBytes, OAUTH2_PROXY_IMAGE, type OidcSpec } from "../core/oidc";
import { planFleet } from "../core/plan";
import type { KubeObject } from "../core/render/common";
import { runInProcess } from "../offline/engine";
import { buildFleetGraph, toDot } from "../offline/graph";
import { loadFleets, planOffline, writePlan } from "../offline/plan";
import { filesUnder } from "./support/secrets";
import { fakeCloudCall, fakeCloudState, runGateway } from "./support/fleet";
import { assertValidObjects } from "./support/schemas";
import { denied, jwtFilterRefuses } from "./support/meshRules";
import { MeshGateway } from "../components/meshGateway";

type Obj = KubeObject & { spec: Record<string, any>; stringData?: Record<string, string> }; // eslint-disable-line @typescript-eslint/no-explicit-any

const CLIENT_SECRET = "client-S3CR3T-4f9a1c";
const COOKIE_SECRET = "cookie-S3CR3T-0123456789abcdef"; // 30 bytes raw: refused
const GOOD_COOKIE = Buffer.alloc(32, 7).toString("base64url"); // URL-safe base64 of 32 bytes

const clusters = [
    { id: "c1", kubeconfig: "kc1", region: "cn-hangzhou" },
    { id: "c2", kubeconfig: "kc2", region: "cn-hangzhou" },
];
const routing: GatewayFleetSpec["routing"] = {
    listeners: [
        { name: "http", port: 80, protocol: "HTTP", hosts: ["app.example.com"], httpsRedirect: true },
        { name: "https", port: 443, protocol: "HTTPS", hosts: ["app.example.com"], tls: { mode: "SIMPLE", credentialName: "app-cert" } },
    ],
    http: [{ name: "app", hosts: ["app.example.com"], destinations: [{ host: "app", namespace: "default", port: 80 }] }],
};
const oidc = (change: Partial<OidcSpec> = {}): OidcSpec => ({
    issuerUrl: "https://keycloak.example.com/realms/main",
    clientId: "gateway",
    clientSecret: CLIENT_SECRET,
    cookieSecret: GOOD_COOKIE,
    hosts: ["app.example.com"],
    paths: ["/admin/*"],
    allowedGroups: ["admins"],
    ...change,
});
const fleet = (o: OidcSpec, extra: Partial<GatewayFleetSpec> = {}): GatewayFleetSpec => ({
    name: "edge",
    mode: "istio",
    namespace: "gateways",
    clusters,
    gateway: {},
    routing,
    certificates: [{ name: "app-cert", existingSecret: true }],
    security: { oidc: o },
    ...extra,
});
const ofKind = (objects: KubeObject[], kind: string): Obj[] => objects.filter((o) => o.kind === kind) as Obj[];
const proxyArgs = (objects: KubeObject[]): string[] =>
    ofKind(objects, "Deployment").find((d) => d.metadata.name === "istio-edge-oauth2-proxy")!.spec.template.spec.containers[0].args;

describe("single sign-on (OIDC)", () => {
    it("renders oauth2-proxy and the CUSTOM policy in every cluster, every object schema-valid", () => {
        const plan = planFleet(fleet(oidc({ allowedEmails: ["ops@example.com"] })));
        for (const c of plan.clusters) {
            assertValidObjects(c.objects);
            const named = c.objects.filter((o) => o.metadata.name === "istio-edge-oauth2-proxy").map((o) => o.kind);
            expect(named.sort()).to.deep.equal(["Deployment", "PodDisruptionBudget", "Secret", "Service"]);
            expect(ofKind(c.objects, "PodDisruptionBudget").find((p) => p.metadata.name === "istio-edge-oauth2-proxy")!.spec).to.deep.equal(
                {
                    minAvailable: 1,
                    selector: { matchLabels: { app: "istio-edge-oauth2-proxy" } },
                },
            );
            const [policy] = ofKind(c.objects, "AuthorizationPolicy").filter((p) => p.spec.action === "CUSTOM");
            expect(policy.metadata).to.include({ name: "istio-edge-oidc", namespace: "gateways" });
            expect(policy.spec.provider).to.deep.equal({ name: "edge-oidc" });
            // The callback path is in the policy's scope, or the login could not complete.
            expect(policy.spec.rules[0].to[0].operation.paths).to.deep.equal(["/admin/*", "/oauth2/*"]);
            expect(policy.spec.rules[0].to[0].operation.hosts).to.deep.equal(["app.example.com", "app.example.com:*"]);
            const deployment = ofKind(c.objects, "Deployment").find((d) => d.metadata.name === "istio-edge-oauth2-proxy")!;
            expect(deployment.spec.replicas).to.equal(2);
            const pod = deployment.spec.template.spec;
            const container = pod.containers[0];
            expect(container.image).to.equal(OAUTH2_PROXY_IMAGE);
            expect(container.livenessProbe.httpGet.path).to.equal("/oauth2/ping");
            expect(container.readinessProbe.httpGet.path).to.equal("/oauth2/ready");
            expect(container.securityContext).to.deep.include({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
            expect(pod.securityContext).to.deep.include({ runAsNonRoot: true });
            // The secrets reach the pod through the Secret only, never in its spec.
            expect(container.env).to.deep.equal([
                {
                    name: "OAUTH2_PROXY_CLIENT_SECRET",
                    valueFrom: { secretKeyRef: { name: "istio-edge-oauth2-proxy", key: "client-secret" } },
                },
                {
                    name: "OAUTH2_PROXY_COOKIE_SECRET",
                    valueFrom: { secretKeyRef: { name: "istio-edge-oauth2-proxy", key: "cookie-secret" } },
                },
            ]);
            expect(JSON.stringify(deployment)).to.not.include(CLIENT_SECRET);
            const secret = ofKind(c.objects, "Secret").find((s) => s.metadata.name === "istio-edge-oauth2-proxy")!;
            expect(secret.stringData).to.deep.equal({
                "client-secret": CLIENT_SECRET,
                "cookie-secret": GOOD_COOKIE,
                "authenticated-emails": "ops@example.com\n",
            });
        }
    });

    it("admits by groups with any email, by an emails file, or by email domains, as oauth2-proxy's flags say", () => {
        const groups = proxyArgs(planFleet(fleet(oidc())).clusters[0].objects);
        expect(groups).to.include.members([
            "--provider=oidc",
            "--oidc-issuer-url=https://keycloak.example.com/realms/main",
            "--client-id=gateway",
        ]);
        expect(groups).to.include.members(["--upstream=static://200", "--reverse-proxy", "--set-xauthrequest", "--skip-provider-button"]);
        expect(groups).to.include.members(["--email-domain=*", "--allowed-group=admins"]);
        const emails = proxyArgs(
            planFleet(fleet(oidc({ allowedGroups: undefined, allowedEmails: ["a@example.com"] }))).clusters[0].objects,
        );
        expect(emails).to.include("--authenticated-emails-file=/etc/oauth2-proxy/authenticated-emails");
        expect(emails.filter((a) => a.startsWith("--email-domain"))).to.deep.equal([]);
        const domains = proxyArgs(
            planFleet(fleet(oidc({ allowedGroups: undefined, allowedEmailDomains: ["example.com"] }))).clusters[0].objects,
        );
        expect(domains.filter((a) => a.startsWith("--email-domain"))).to.deep.equal(["--email-domain=example.com"]);
        expect(domains.some((a) => a.startsWith("--authenticated-emails-file"))).to.equal(false);
    });

    it("moves oauth2-proxy's ping and ready paths under /oauth2/, so a backend's own /ping and /ready still need a login", () => {
        // oauth2-proxy answers its health paths with 200 on any host before any session check, and
        // Envoy admits a request whose check answers 200: at /ping and /ready they would open those paths.
        const objects = planFleet(fleet(oidc({ paths: undefined }))).clusters[0].objects;
        expect(proxyArgs(objects)).to.include.members(["--ping-path=/oauth2/ping", "--ready-path=/oauth2/ready"]);
        const container = ofKind(objects, "Deployment").find((d) => d.metadata.name === "istio-edge-oauth2-proxy")!.spec.template.spec
            .containers[0];
        expect([container.livenessProbe.httpGet.path, container.readinessProbe.httpGet.path]).to.deep.equal([
            "/oauth2/ping",
            "/oauth2/ready",
        ]);
    });

    it("removes client-sent X-Auth-Request-* headers before authorization: oauth2-proxy leaves out a header whose claim is missing", () => {
        const objects = planFleet(fleet(oidc())).clusters[0].objects;
        const filters = ofKind(objects, "EnvoyFilter").filter((f) => f.metadata.name === "istio-edge-oidc-headers");
        expect(filters).to.have.length(1);
        const [patch] = filters[0].spec.configPatches;
        expect(filters[0].spec.workloadSelector.labels).to.deep.equal({ app: "istio-edge", istio: "edge" });
        // First in the chain: ahead of Istio's ext_authz filter, which sets only what oauth2-proxy answers.
        expect(patch.applyTo).to.equal("HTTP_FILTER");
        expect(patch.match.context).to.equal("GATEWAY");
        expect(patch.patch.operation).to.equal("INSERT_FIRST");
        const removed = patch.patch.value.typed_config.mutations.request_mutations.map((m: { remove: string }) => m.remove);
        // Every user header the provider passes upstream, and not Authorization (which JWT rules and oauth2-proxy's answer use).
        const w = planFleet(fleet(oidc())).warnings.find((x) => x.path === "security.oidc" && x.message.includes("meshConfig:"))!;
        const entry = YAML.parse(w.message.slice(w.message.indexOf("meshConfig:"), w.message.indexOf("Register at the issuer")));
        const upstream: string[] = entry.meshConfig.extensionProviders[0].envoyExtAuthzHttp.headersToUpstreamOnAllow;
        expect(removed).to.deep.equal(upstream.filter((h) => h !== "authorization"));
        expect(removed).to.include("x-auth-request-groups");
        // Without single sign-on there is nothing to remove.
        const plain = planFleet(fleet(oidc(), { security: {} })).clusters[0].objects;
        expect(ofKind(plain, "EnvoyFilter").some((f) => f.metadata.name === "istio-edge-oidc-headers")).to.equal(false);
    });

    it("prints the exact meshConfig.extensionProviders entry and the redirect URIs, and applies no mesh config", () => {
        const plan = planFleet(fleet(oidc({ hosts: ["app.example.com"] })));
        const w = plan.warnings.find((x) => x.path === "security.oidc" && x.message.includes("meshConfig:"))!;
        expect(w, "the warning with the mesh config").to.not.equal(undefined);
        const yaml = YAML.parse(w.message.slice(w.message.indexOf("meshConfig:"), w.message.indexOf("Register at the issuer")));
        expect(yaml.meshConfig.extensionProviders).to.deep.equal([
            {
                name: "edge-oidc",
                envoyExtAuthzHttp: {
                    service: "istio-edge-oauth2-proxy.gateways.svc.cluster.local",
                    port: 4180,
                    timeout: "10s",
                    includeRequestHeadersInCheck: ["authorization", "cookie"],
                    headersToUpstreamOnAllow: [
                        "authorization",
                        "x-auth-request-user",
                        "x-auth-request-email",
                        "x-auth-request-groups",
                        "x-auth-request-preferred-username",
                    ],
                    headersToDownstreamOnAllow: ["set-cookie"],
                    headersToDownstreamOnDeny: ["set-cookie", "content-type"],
                },
            },
        ]);
        expect(w.message).to.include("https://app.example.com/oauth2/callback");
        const all = plan.clusters.flatMap((c) => c.objects);
        expect(all.filter((o) => o.kind === "ConfigMap" || o.kind === "IstioOperator")).to.deep.equal([]);
    });

    it("without paths the whole host needs a login; the policy keeps the gateway's HTTP ports only", () => {
        const plan = planFleet(fleet(oidc({ paths: undefined })));
        const [policy] = ofKind(plan.clusters[0].objects, "AuthorizationPolicy");
        expect(policy.spec.rules[0].to[0].operation).to.not.have.property("paths");
        expect(policy.spec.rules[0].to[0].operation.ports).to.deep.equal(["80", "443"]);
    });

    it("accepts JWT rules beside the login when one of them accepts the login's ID token, wherever their scopes", () => {
        const issuer = "https://keycloak.example.com/realms/main";
        const sameIssuer = { issuer, jwksUri: `${issuer}/certs`, audiences: ["gateway"] };
        const plan = planFleet(fleet(oidc(), { security: { oidc: oidc(), jwt: [sameIssuer] } }));
        expect(ofKind(plan.clusters[0].objects, "RequestAuthentication")).to.have.length(1);
        // The login's paths are /admin/* and /oauth2/*: the API's rule (/api/*) is outside them,
        // and the login issuer's rule there accepts the ID token the login forwards.
        const api = { issuer: "https://api.example.com", jwksUri: "https://api.example.com/jwks", paths: ["/api/*"] };
        const loginRule = { issuer, audiences: ["gateway"], paths: ["/admin/*"] };
        expect(() => planFleet(fleet(oidc(), { security: { oidc: oidc(), jwt: [api, loginRule] } }))).to.not.throw();
        // A second rule of the issuer for the client id is enough: Envoy accepts a token any rule accepts.
        const apiAudience = { issuer, audiences: ["api"], paths: ["/api/*"] };
        expect(() => planFleet(fleet(oidc(), { security: { oidc: oidc(), jwt: [apiAudience, loginRule] } }))).to.not.throw();
    });

    it("the login's ID token (audience: the client id) passes the JWT filter but does not open an API rule of the same issuer for other audiences", () => {
        const issuer = "https://keycloak.example.com/realms/main";
        const apiAudience = { issuer, jwks: '{"keys":[]}', audiences: ["api"], paths: ["/api/*"] };
        const loginRule = { issuer, jwks: '{"keys":[]}', audiences: ["gateway"], paths: ["/admin/*"] };
        const objects = planFleet(fleet(oidc(), { security: { oidc: oidc(), jwt: [apiAudience, loginRule] } })).clusters[0].objects;
        assertValidObjects(objects);
        const req = (path: string, audiences: string) => ({
            host: "app.example.com",
            path,
            port: 80,
            principal: `${issuer}/alice`,
            audiences,
            ip: "10.1.2.3",
        });
        expect(jwtFilterRefuses(objects, req("/api/orders", "gateway"))).to.equal(false);
        expect(denied(objects, req("/api/orders", "gateway")), "the ID token on the API").to.equal(true);
        expect(denied(objects, req("/api/orders", "api"))).to.equal(false);
        expect(denied(objects, req("/admin/users", "gateway")), "the ID token the login forwards, in its scope").to.equal(false);
        // In the login's scope, a rule of its issuer must accept the client id.
        const inLogin = { issuer, jwks: '{"keys":[]}', audiences: ["api"], paths: ["/admin/*"] };
        expect(() =>
            planFleet(fleet(oidc(), { security: { oidc: oidc(), jwt: [inLogin, { ...loginRule, paths: ["/other/*"] }] } })),
        ).to.throw(
            /security\.jwt\[0\]\.audiences: its hosts and paths overlap the login's \(security\.oidc\).*requires audiences api, so every logged-in request there would be refused \(403\); add gateway to them/,
        );
    });

    it("refuses JWT rules none of which accepts the login's ID token, also when their scopes are disjoint from the login's", () => {
        // Istio's JWT filter checks every token on every path (RequestAuthentication has no scope):
        // the ID token forwarded on /admin/* would be refused there by a rule written for /api/*.
        const issuer = "https://keycloak.example.com/realms/main";
        const other = { issuer: "https://api.example.com", jwksUri: "https://api.example.com/jwks", paths: ["/api/*"] };
        expect(() => planFleet(fleet(oidc(), { security: { oidc: oidc(), jwt: [other] } }))).to.throw(
            /security\.jwt: the gateway's JWT filter checks every token on every host and path.*no rule's issuer matches.*add a rule of issuer https:\/\/keycloak\.example\.com\/realms\/main with the login's hosts and paths/,
        );
        const apiAudience = { issuer, audiences: ["api"], paths: ["/api/*"] };
        expect(() => planFleet(fleet(oidc(), { security: { oidc: oidc(), jwt: [apiAudience] } }))).to.throw(
            /security\.jwt\[0\]\.audiences: the gateway's JWT filter .*which audiences api refuse.*add gateway to the audiences of security\.jwt\[0\]/,
        );
        // The rule's own scope overlapping the login's is refused besides.
        expect(() => planFleet(fleet(oidc(), { security: { oidc: oidc({ paths: undefined }), jwt: [other] } }))).to.throw(
            /security\.jwt\[0\]: its hosts and paths overlap the login's/,
        );
    });

    describe("CORS preflights", () => {
        const cors = { allowOrigins: ["https://shop.example.com"], allowMethods: ["GET", "POST"], allowCredentials: true };
        const withCors = (match?: { path: { prefix: string } }[], api: "istio" | "gateway-api" = "istio"): GatewayFleetSpec["routing"] => ({
            ...routing,
            api,
            http: [{ ...routing!.http![0], match, cors }],
        });
        const preflightWarnings = (plan: ReturnType<typeof planFleet>) => plan.warnings.filter((w) => w.path.endsWith(".cors"));

        it("leaves OPTIONS out of the login's policy with skipAuthPreflight, and only then", () => {
            for (const skip of [true, false, undefined]) {
                const plan = planFleet(fleet(oidc({ skipAuthPreflight: skip })));
                for (const c of plan.clusters) {
                    assertValidObjects(c.objects);
                    const [policy] = ofKind(c.objects, "AuthorizationPolicy").filter((p) => p.spec.action === "CUSTOM");
                    expect(policy.spec.rules).to.have.length(1);
                    const operation = policy.spec.rules[0].to[0].operation;
                    if (skip === true) expect(operation.notMethods).to.deep.equal(["OPTIONS"]);
                    else expect(operation, String(skip)).to.not.have.property("notMethods");
                    // The rest of the scope is unchanged: the login still covers every other method there.
                    expect(operation.paths).to.deep.equal(["/admin/*", "/oauth2/*"]);
                    expect(operation).to.not.have.property("methods");
                }
            }
        });

        it("warns, with either routing API, when a route with a CORS policy is in the login's scope and preflights need a login", () => {
            for (const api of ["istio", "gateway-api"] as const) {
                const plan = planFleet(fleet(oidc({ paths: undefined }), { routing: withCors(undefined, api) }));
                const [warning, ...rest] = preflightWarnings(plan);
                expect(rest, api).to.deep.equal([]);
                expect(warning.path).to.equal("routing.http[0].cors");
                expect(warning.message).to.include("route app is in the login's scope (app.example.com)");
                expect(warning.message).to.include("Set security.oidc.skipAuthPreflight: true");
            }
            // The route's prefix inside the login's paths, or a wildcard route host covering the login's host.
            expect(preflightWarnings(planFleet(fleet(oidc(), { routing: withCors([{ path: { prefix: "/admin/api" } }]) })))).to.have.length(
                1,
            );
            const wildcard: GatewayFleetSpec["routing"] = {
                listeners: routing!.listeners!.map((l) => ({ ...l, hosts: ["*.example.com"] })),
                http: [{ ...routing!.http![0], hosts: ["*.example.com"], cors }],
            };
            expect(preflightWarnings(planFleet(fleet(oidc({ paths: undefined }), { routing: wildcard })))).to.have.length(1);
        });

        it("does not warn when preflights skip the login, or the route is outside the login's paths or hosts", () => {
            expect(
                preflightWarnings(planFleet(fleet(oidc({ paths: undefined, skipAuthPreflight: true }), { routing: withCors() }))),
            ).to.deep.equal([]);
            // The login covers /admin/* and /oauth2/*; the route serves /api only.
            expect(preflightWarnings(planFleet(fleet(oidc(), { routing: withCors([{ path: { prefix: "/api" } }]) })))).to.deep.equal([]);
            const other: GatewayFleetSpec["routing"] = {
                listeners: routing!.listeners!.map((l) => ({ ...l, hosts: ["app.example.com", "api.example.com"] })),
                http: [routing!.http![0], { name: "api", hosts: ["api.example.com"], destinations: [{ host: "api", port: 80 }], cors }],
            };
            expect(preflightWarnings(planFleet(fleet(oidc({ paths: undefined }), { routing: other })))).to.deep.equal([]);
        });
    });

    it("gives a single oauth2-proxy replica no disruption budget (it could never be evicted)", () => {
        const objects = planFleet(fleet(oidc({ replicas: 1 }))).clusters[0].objects;
        expect(objects.filter((o) => o.metadata.name === "istio-edge-oauth2-proxy").map((o) => o.kind)).to.not.include(
            "PodDisruptionBudget",
        );
    });

    it("rolls oauth2-proxy when its Secret changes: the Secret's revision on the pod template, never a value derived from the secrets", async function () {
        this.timeout(120_000);
        const revisionOf = async (clientSecret: string) => {
            const run = await runGateway("edge", fleet(oidc({ clientSecret: pulumi.secret(clientSecret) })) as MeshGatewayArgs);
            const deployment = run.resources.find((r) => r.name === "edge-c1-istio-edge-oauth2-proxy" && r.type.endsWith(":Deployment"))!;
            const secret = run.resources.find((r) => r.name === "edge-c1-istio-edge-oauth2-proxy" && r.type.endsWith(":Secret"))!;
            // It waits for the Secret: new pods start once the Secret holds the new values.
            expect(deployment.dependencies).to.include(secret.urn);
            expect(deployment.secretPaths).to.deep.equal([]);
            const template = (deployment.inputs.spec as Obj["spec"]).template;
            expect(JSON.stringify(deployment.inputs)).to.not.include(clientSecret);
            return template.metadata.annotations["mesh-gateway/oauth2-proxy-secret-revision"] as string;
        };
        const first = await revisionOf(CLIENT_SECRET);
        expect(first).to.match(/^\d+$/);
        expect(await revisionOf(CLIENT_SECRET), "unchanged Secret: no rollout").to.equal(first);
        expect(await revisionOf("client-ROTATED-9b1e"), "rotated secret: a rollout").to.not.equal(first);
    });

    it("reads a cookie secret as oauth2-proxy does: URL-safe base64 of 16/24/32 bytes, else its raw bytes", () => {
        expect(cookieSecretBytes(GOOD_COOKIE)).to.equal(32);
        expect(cookieSecretBytes(`${Buffer.alloc(16, 1).toString("base64url")}==`)).to.equal(16);
        expect(cookieSecretBytes("0123456789abcdef0123456789abcdef")).to.equal(24); // valid base64url of 24 bytes
        expect(cookieSecretBytes("0123456789abcdef")).to.equal(16); // raw (its base64 decoding is 12 bytes)
        expect(checkCookieSecret(COOKIE_SECRET)).to.match(/^is 30 bytes; oauth2-proxy needs 16, 24 or 32/);
        expect(checkCookieSecret(COOKIE_SECRET)).to.not.include(COOKIE_SECRET);
    });

    it("reads a cookie secret with a trailing newline as oauth2-proxy does: Go's base64 decoder skips CR and LF", () => {
        expect(cookieSecretBytes(`${GOOD_COOKIE}\n`)).to.equal(32);
        expect(cookieSecretBytes(`${Buffer.alloc(24, 3).toString("base64url")}\r\n`)).to.equal(24);
        expect(checkCookieSecret(`${GOOD_COOKIE}\n`)).to.equal(undefined);
        // Padding is trimmed before the newline is skipped: "=" left inside is not base64url, so the raw bytes count.
        expect(cookieSecretBytes(`${Buffer.alloc(16, 1).toString("base64url")}==\n`)).to.equal(25);
    });

    it("the component registers the Secret with its data secret in state; no secret appears in any registered input", async function () {
        this.timeout(120_000);
        const run = await runGateway("edge", fleet(oidc({ clientSecret: pulumi.secret(CLIENT_SECRET) })) as MeshGatewayArgs);
        const secrets = run.resources.filter((r) => r.type === "kubernetes:core/v1:Secret");
        expect(secrets.map((r) => r.name)).to.deep.equal(["edge-c1-istio-edge-oauth2-proxy", "edge-c2-istio-edge-oauth2-proxy"]);
        for (const s of secrets) {
            expect(s.inputs.stringData).to.equal("[secret]");
            expect(s.secretPaths).to.include("stringData");
        }
        const text = JSON.stringify(run.resources.map((r) => r.inputs));
        expect(text).to.not.include(CLIENT_SECRET);
        expect(text).to.not.include(GOOD_COOKIE);
    });

    it("a cookie secret given as an Output is checked when it resolves, naming the field and never the value", async function () {
        this.timeout(120_000);
        let error: unknown;
        try {
            await runGateway("edge", fleet(oidc({ cookieSecret: pulumi.secret(COOKIE_SECRET) })) as MeshGatewayArgs);
        } catch (e) {
            error = e;
        }
        expect(String(error)).to.include("security.oidc.cookieSecret: is 30 bytes; oauth2-proxy needs 16, 24 or 32");
        expect(String(error)).to.not.include(COOKIE_SECRET);
    });

    it("keeps the client and cookie secrets out of the offline plan's files and report", async function () {
        this.timeout(120_000);
        const plan = await planOffline([{ name: "edge", args: fleet(oidc()) as MeshGatewayArgs }]);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mesh-gateway-oidc-"));
        try {
            writePlan(plan, dir);
            const files = filesUnder(dir);
            for (const f of files) {
                const text = fs.readFileSync(f, "utf8");
                expect(text, f).to.not.include(CLIENT_SECRET);
                expect(text, f).to.not.include(GOOD_COOKIE);
            }
            // Only the API server knows the Secret's revision.
            const deploymentFile = files.find((f) => f.endsWith(path.join("c1", "deployment.gateways.istio-edge-oauth2-proxy.yaml")))!;
            expect(YAML.parse(fs.readFileSync(deploymentFile, "utf8")).spec.template.metadata.annotations).to.deep.equal({
                "mesh-gateway/oauth2-proxy-secret-revision": "[unknown]",
            });
            const secretFile = files.find((f) => f.endsWith(path.join("c1", "secret.gateways.istio-edge-oauth2-proxy.yaml")))!;
            expect(YAML.parse(fs.readFileSync(secretFile, "utf8")).stringData).to.deep.equal({
                "client-secret": "[secret]",
                "cookie-secret": "[secret]",
            });
            expect(JSON.stringify(plan.fleets.flatMap((f) => f.warnings))).to.not.include(CLIENT_SECRET);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("writes a Secret whose values are `secure:` stack values as a map of [secret], which applies once filled in", async function () {
        this.timeout(120_000);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mesh-gateway-oidc-"));
        try {
            const stack = path.join(dir, "Pulumi.dev.yaml");
            const gateway = { ...fleet(oidc()), clusters: [{ id: "c1" }] } as Record<string, unknown>;
            const secure = { secure: "v1:ciphertext" };
            gateway.security = { oidc: { ...oidc(), clientSecret: secure, cookieSecret: secure } };
            gateway.certificates = [{ name: "app-cert", pem: { certificate: secure, privateKey: secure } }];
            fs.writeFileSync(stack, YAML.stringify({ config: { "app:gateways": [gateway] } }));
            const out = path.join(dir, "out");
            writePlan(await planOffline(loadFleets(stack)), out);
            const read = (f: string) => YAML.parse(fs.readFileSync(path.join(out, "c1", f), "utf8")) as Obj;
            const sso = read("secret.gateways.istio-edge-oauth2-proxy.yaml");
            expect(sso.stringData).to.deep.equal({ "client-secret": "[secret]", "cookie-secret": "[secret]" });
            expect(read("secret.gateways.app-cert.yaml").stringData).to.deep.equal({ "tls.crt": "[secret]", "tls.key": "[secret]" });
            assertValidObjects([sso]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("single sign-on (OIDC) in asm mode", () => {
    const EXTENSION_PROVIDER = "alicloud:servicemesh/extensionProvider:ExtensionProvider";
    const asmOidc = (change: Partial<OidcSpec> = {}): OidcSpec => oidc({ allowedGroups: undefined, ...change });
    const asmFleet = (o: OidcSpec, extra: Partial<GatewayFleetSpec> = {}): GatewayFleetSpec =>
        fleet(o, {
            mode: "asm",
            namespace: undefined,
            clusters: [{ id: "c1" }, { id: "c2" }],
            controlPlane: { kubeconfig: "kc-mesh", serviceMeshId: "mesh-1" },
            ...extra,
        });

    it("puts the CUSTOM policy naming ASM's provider on the control plane, and no oauth2-proxy anywhere", () => {
        const plan = planFleet(asmFleet(asmOidc()));
        assertValidObjects(plan.controlPlaneObjects);
        const [policy] = ofKind(plan.controlPlaneObjects, "AuthorizationPolicy").filter((p) => p.spec.action === "CUSTOM");
        expect(policy.metadata).to.include({ name: "istio-edge-oidc", namespace: "istio-system" });
        expect(policy.spec.provider).to.deep.equal({ name: "httpextauth-edge" });
        expect(policy.spec.rules[0].to[0].operation.paths).to.deep.equal(["/admin/*", "/oauth2/*"]);
        expect(policy.spec.rules[0].to[0].operation.hosts).to.deep.equal(["app.example.com", "app.example.com:*"]);
        const all = [...plan.controlPlaneObjects, ...plan.clusters.flatMap((c) => c.objects)];
        expect(all.filter((o) => o.metadata.name.includes("oauth2-proxy"))).to.deep.equal([]);
        expect(all.filter((o) => ["Deployment", "Secret"].includes(o.kind))).to.deep.equal([]);
    });

    it("leaves OPTIONS out of the control plane's CUSTOM policy with skipAuthPreflight, and warns about a CORS route without it", () => {
        const policyOf = (o: OidcSpec) =>
            ofKind(planFleet(asmFleet(o)).controlPlaneObjects, "AuthorizationPolicy").filter((p) => p.spec.action === "CUSTOM")[0];
        expect(policyOf(asmOidc({ skipAuthPreflight: true })).spec.rules[0].to[0].operation.notMethods).to.deep.equal(["OPTIONS"]);
        expect(policyOf(asmOidc()).spec.rules[0].to[0].operation).to.not.have.property("notMethods");
        const cors: GatewayFleetSpec["routing"] = {
            ...routing,
            http: [{ ...routing!.http![0], cors: { allowOrigins: ["https://shop.example.com"] } }],
        };
        const warned = (o: OidcSpec) => planFleet(asmFleet(o, { routing: cors })).warnings.filter((w) => w.path === "routing.http[0].cors");
        expect(warned(asmOidc({ paths: undefined }))).to.have.length(1);
        expect(warned(asmOidc({ paths: undefined, skipAuthPreflight: true }))).to.deep.equal([]);
    });

    it("draws ASM's extension provider, asked by every cluster's gateway pods, and no oauth2-proxy or mesh config entry", () => {
        const graph = buildFleetGraph([planFleet(asmFleet(asmOidc()))]);
        const provider = graph.nodes.find((n) => n.title === "ASM extension provider httpextauth-edge");
        expect(provider, graph.nodes.map((n) => n.title).join(", ")).to.not.equal(undefined);
        expect(provider!.details).to.include("oauth2-proxy asm-oauth2proxy-httpextauth-edge.istio-system (run by ASM)");
        expect(graph.edges.filter((e) => e.to === provider!.id).map((e) => e.from)).to.have.length(2);
        expect(graph.nodes.filter((n) => n.kind === "meshConfig" || n.title.startsWith("oauth2-proxy"))).to.deep.equal([]);
        expect(toDot(graph)).to.not.include(CLIENT_SECRET);
    });

    it("warns who gets in (everyone the issuer authenticates) and how to restrict it; prints no mesh config", () => {
        const plan = planFleet(asmFleet(asmOidc({ provider: "httpextauth-sso" })));
        const lines = plan.warnings.filter((w) => w.path === "security.oidc").map((w) => w.message);
        expect(lines).to.have.length(1);
        expect(lines[0]).to.include("Service asm-oauth2proxy-httpextauth-sso in istio-system");
        expect(lines[0]).to.include("Everyone the issuer authenticates gets in");
        expect(lines[0]).to.include("grant the client gateway only to the users or groups who may enter");
        expect(lines[0]).to.include("https://app.example.com/oauth2/callback");
        expect(lines[0]).to.not.include("meshConfig");
        expect(JSON.stringify(plan.warnings)).to.not.include(CLIENT_SECRET);
    });

    it("builds ASM's config: Istio's ext_authz fields, ASM's oidc block, keys sorted, compact", () => {
        const config = asmOidcProviderConfig(asmOidc({ clientSecret: CLIENT_SECRET }) as OidcSpec<string>, "edge");
        expect(JSON.parse(config)).to.deep.equal({
            headersToDownstreamOnDeny: ["content-type", "set-cookie"],
            headersToUpstreamOnAllow: ["authorization", "cookie", "path", "x-auth-request-access-token", "x-forwarded-access-token"],
            includeRequestHeadersInCheck: ["cookie", "x-forward-access-token"],
            oidc: {
                clientID: "gateway",
                clientSecret: CLIENT_SECRET,
                cookieSecret: GOOD_COOKIE,
                issuerURI: "https://keycloak.example.com/realms/main",
                redirectDomain: "app.example.com",
                redirectProtocol: "https",
                scopes: ["openid", "email", "profile"],
            },
            port: 4180,
            service: "asm-oauth2proxy-httpextauth-edge.istio-system.svc.cluster.local",
            timeout: "10s",
        });
        // The stored form ASM reads back: any other key order or spacing would be a diff on every refresh.
        expect(config.startsWith('{"headersToDownstreamOnDeny":["content-type","set-cookie"],"headersToUpstreamOnAllow":')).to.equal(true);
        expect(config).to.include(`"oidc":{"clientID":"gateway","clientSecret":"${CLIENT_SECRET}","cookieSecret":`);
        expect(
            config.endsWith('"port":4180,"service":"asm-oauth2proxy-httpextauth-edge.istio-system.svc.cluster.local","timeout":"10s"}'),
        ).to.equal(true);
    });

    it("registers the ExtensionProvider with its config secret, and the policy waits for it", async function () {
        this.timeout(120_000);
        const sent: Record<string, unknown>[] = [];
        const resources = await runInProcess(
            () => new MeshGateway("edge", asmFleet(asmOidc({ clientSecret: pulumi.secret(CLIENT_SECRET) })) as MeshGatewayArgs),
            {
                preview: false,
                call: fakeCloudCall,
                state: (type, name, inputs) => {
                    if (type === EXTENSION_PROVIDER) sent.push(inputs);
                    return fakeCloudState(type, name, inputs);
                },
            },
        );
        const providers = resources.filter((r) => r.type === EXTENSION_PROVIDER);
        expect(providers.map((r) => r.name)).to.deep.equal(["edge-oidc-extension-provider"]);
        const [provider] = providers;
        expect(provider.inputs).to.deep.equal({
            serviceMeshId: "mesh-1",
            extensionProviderName: "httpextauth-edge",
            type: "httpextauth",
            config: "[secret]",
        });
        expect(provider.secretPaths).to.deep.equal(["config"]);
        expect(provider.additionalSecretOutputs).to.deep.equal(["config"]);
        // ASM's API is central: the component's default alicloud provider, not a region's.
        expect(provider.provider).to.equal(undefined);
        expect(provider.parent).to.match(/MeshGateway::edge$/);
        // What ASM receives is the core's config, secrets included, marked secret on the wire.
        expect(sent.map((i) => i.config)).to.deep.equal([
            {
                [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig,
                value: asmOidcProviderConfig(asmOidc({ clientSecret: CLIENT_SECRET }) as OidcSpec<string>, "edge"),
            },
        ]);
        const policy = resources.find((r) => r.type.endsWith(":AuthorizationPolicy") && r.name === "edge-asm-istio-edge-oidc")!;
        expect(policy.dependencies).to.include(provider.urn);
        const gateway = resources.find((r) => r.type.endsWith(":IstioGateway"))!;
        expect(gateway.dependencies).to.not.include(provider.urn);
        expect(resources.filter((r) => r.name.includes("oauth2-proxy"))).to.deep.equal([]);
        const text = JSON.stringify(resources.map((r) => r.inputs));
        expect(text).to.not.include(CLIENT_SECRET);
        expect(text).to.not.include(GOOD_COOKIE);
    });

    it("sends ASM nothing when a cookie secret given as an Output is refused", async function () {
        this.timeout(120_000);
        const sent: string[] = [];
        let error: unknown;
        try {
            await runInProcess(
                () => new MeshGateway("edge", asmFleet(asmOidc({ cookieSecret: pulumi.secret(COOKIE_SECRET) })) as MeshGatewayArgs),
                {
                    preview: false,
                    call: fakeCloudCall,
                    state: (type, name, inputs) => {
                        if (type === EXTENSION_PROVIDER) sent.push(String(inputs.config));
                        return fakeCloudState(type, name, inputs);
                    },
                },
            );
        } catch (e) {
            error = e;
        }
        expect(String(error)).to.include("security.oidc.cookieSecret: is 30 bytes; oauth2-proxy needs 16, 24 or 32");
        expect(String(error)).to.not.include(COOKIE_SECRET);
        expect(sent).to.deep.equal([]);
    });

    it("keeps the secrets out of the offline plan's files and lists the ExtensionProvider with its config masked", async function () {
        this.timeout(120_000);
        const plan = await planOffline([{ name: "edge", args: asmFleet(asmOidc()) as MeshGatewayArgs }]);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mesh-gateway-oidc-"));
        try {
            writePlan(plan, dir);
            for (const f of filesUnder(dir)) {
                const text = fs.readFileSync(f, "utf8");
                expect(text, f).to.not.include(CLIENT_SECRET);
                expect(text, f).to.not.include(GOOD_COOKIE);
            }
            const planned = JSON.parse(fs.readFileSync(path.join(dir, "plan.json"), "utf8")).resources as {
                type: string;
                inputs: unknown;
            }[];
            expect(planned.filter((r) => r.type === EXTENSION_PROVIDER).map((r) => r.inputs)).to.deep.equal([
                { serviceMeshId: "mesh-1", extensionProviderName: "httpextauth-edge", type: "httpextauth", config: "[secret]" },
            ]);
            expect(JSON.stringify([plan.fleets.flatMap((f) => f.warnings), plan.runtimeWarnings])).to.not.include(CLIENT_SECRET);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
