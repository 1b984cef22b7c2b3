// DNS records per cluster address, TLS certificates wired to listeners, and edge security on
// the gateway workload. Certificates are generated here; no key is committed.
import { expect } from "chai";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import selfsigned from "selfsigned";
import YAML from "yaml";
import type { MeshGatewayArgs } from "../components/meshGateway";
import type { GatewayFleetSpec } from "../core/fleet";
import { planFleet } from "../core/plan";
import type { RoutingSpec } from "../core/routing";
import { planOffline, writePlan } from "../offline/plan";
import { twoClustersWithCredentials } from "./support/builders";
import { runGateway, valueOf } from "./support/fleet";
import { refusal, type Obj } from "./support/objects";
import { assertValidObjects } from "./support/schemas";
import { denied, jwtFilterRefuses, meshRuleProblems } from "./support/meshRules";

/** The cloud name of an uploaded certificate: the gateway workload, the certificate, and a hash of its PEM. */
function cloudCertName(pem: string): string {
    return `istio-edge-shop-cert-${createHash("sha256").update(pem).digest("hex").slice(0, 8)}`;
}

interface Pem {
    cert: string;
    key: string;
}

async function certificate(hosts: string[], options: { days?: number; notBefore?: Date } = {}): Promise<Pem> {
    const notBefore = options.notBefore ?? new Date();
    const generated = await selfsigned.generate([{ name: "commonName", value: hosts[0] }], {
        keyType: "ec",
        curve: "P-256",
        notBeforeDate: notBefore,
        notAfterDate: new Date(notBefore.getTime() + (options.days ?? 90) * 86_400_000),
        extensions: [{ name: "subjectAltName", altNames: hosts.map((value) => ({ type: 2, value })) }],
    });
    return { cert: generated.cert, key: generated.private };
}

const routing: RoutingSpec = {
    listeners: [
        { name: "http", port: 80, protocol: "HTTP", hosts: ["shop.example.com"], httpsRedirect: true },
        { name: "https", port: 443, protocol: "HTTPS", hosts: ["shop.example.com"], tls: { mode: "SIMPLE", credentialName: "shop-cert" } },
    ],
    http: [{ name: "shop", hosts: ["shop.example.com"], destinations: [{ host: "shop", port: 80 }] }],
};
const clusters = twoClustersWithCredentials();

function base(extra: Partial<GatewayFleetSpec>): GatewayFleetSpec {
    return {
        name: "edge",
        mode: "istio",
        clusters,
        gateway: {},
        routing,
        certificates: [{ name: "shop-cert", existingSecret: true }],
        ...extra,
    };
}

describe("DNS, certificates and edge security", function () {
    this.timeout(120_000);
    let shop: Pem;
    before(async () => {
        shop = await certificate(["shop.example.com"]);
    });

    it("publishes each host once per cluster address: A for a CLB, CNAME for an NLB name per cluster", async () => {
        const run = await runGateway("edge", {
            mode: "istio",
            clusters,
            gateway: {
                loadBalancer: { backendType: "eni" },
                overrides: {
                    c2: {
                        loadBalancer: {
                            type: "NLB",
                            vpcId: "vpc-1",
                            zoneMappings: [{ zoneId: "cn-hangzhou-h" }, { zoneId: "cn-hangzhou-j" }],
                            backendType: "eni",
                        },
                    },
                },
            },
            routing,
            certificates: [{ name: "shop-cert", existingSecret: true }],
            dns: { zone: "example.com", records: "perCluster", ttl: 60 },
        });
        const records = run.resources.filter((r) => r.type === "alicloud:dns/alidnsRecord:AlidnsRecord");
        const addresses = await valueOf(run.gateway.addresses);
        expect(records.map((r) => [r.name, r.inputs])).to.deep.equal([
            [
                "edge-dns-c1-c1-shop-example-com",
                { domainName: "example.com", rr: "c1.shop", type: "A", value: addresses.c1.address, ttl: 60, line: "default" },
            ],
            [
                "edge-dns-c2-c2-shop-example-com",
                {
                    domainName: "example.com",
                    rr: "c2.shop",
                    type: "CNAME",
                    value: "edge-c2-lb.cn-hangzhou.nlb.aliyuncsslb.com",
                    ttl: 60,
                    line: "default",
                },
            ],
        ]);
        // Each record waits for its own cluster's load balancer only.
        const lbOf = (id: string) => run.resources.find((r) => r.name === `edge-${id}-lb`)!.urn;
        expect(records[0].dependencies).to.include(lbOf("c1")).and.not.include(lbOf("c2"));
        expect(records[1].dependencies).to.include(lbOf("c2")).and.not.include(lbOf("c1"));
    });

    it("writes a shared name with a record per cluster, in a private zone when asked", async () => {
        const run = await runGateway("edge", {
            mode: "istio",
            clusters,
            gateway: { loadBalancer: { backendType: "eni" } },
            routing,
            certificates: [{ name: "shop-cert", existingSecret: true }],
            dns: { zone: "example.com", privateZoneId: "pz-1" },
        });
        const records = run.resources.filter((r) => r.type === "alicloud:pvtz/zoneRecord:ZoneRecord");
        expect(records.map((r) => [r.inputs.rr, r.inputs.type, r.inputs.zoneId, r.inputs.ttl])).to.deep.equal([
            ["shop", "A", "pz-1", 600],
            ["shop", "A", "pz-1", 600],
        ]);
        expect(new Set(records.map((r) => r.inputs.value)).size).to.equal(2);
    });

    it("stores PEM certificates as kubernetes.io/tls Secrets, secret in state, in every cluster", async () => {
        const run = await runGateway("edge", {
            mode: "istio",
            clusters,
            gateway: {},
            routing,
            certificates: [{ name: "shop-cert", pem: { certificate: shop.cert, privateKey: shop.key }, uploadToAlibabaCloud: true }],
        });
        const secrets = run.resources.filter((r) => r.type === "kubernetes:core/v1:Secret");
        expect(secrets.map((r) => r.name)).to.deep.equal(["edge-c1-shop-cert", "edge-c2-shop-cert"]);
        for (const s of secrets) {
            expect(s.inputs).to.deep.include({ type: "kubernetes.io/tls", stringData: "[secret]" });
            expect(s.secretPaths).to.include("stringData");
        }
        const cas = run.resources.find((r) => r.type === "alicloud:cas/serviceCertificate:ServiceCertificate")!;
        expect(cas.inputs).to.deep.equal({ certificateName: cloudCertName(shop.cert), cert: "[secret]", key: "[secret]" });
        expect(await valueOf(run.gateway.certificateIds)).to.deep.equal({ "shop-cert": "edge-cas-shop-cert-id" });
        const objects = run.objects.map((o) => o.object);
        // Recorded inputs show secrets masked; the same objects, unmasked, come from the plan.
        assertValidObjects(
            planFleet(base({ certificates: [{ name: "shop-cert", pem: { certificate: shop.cert, privateKey: shop.key } }] })).clusters[0]
                .objects,
        );
        const gatewayObject = objects.find((o) => o.kind === "Gateway") as Obj;
        expect(gatewayObject.spec.servers[1].tls).to.deep.equal({
            mode: "SIMPLE",
            credentialName: "shop-cert",
            minProtocolVersion: "TLSV1_2",
        });
        // No private key in any recorded input, in clear.
        expect(JSON.stringify(run.resources)).to.not.include("PRIVATE KEY");
    });

    it("renews by changing the Secret's data only: the gateway workload is untouched", async () => {
        const renewed = await certificate(["shop.example.com"]);
        const plan = (pem: Pem) =>
            planFleet(base({ certificates: [{ name: "shop-cert", pem: { certificate: pem.cert, privateKey: pem.key } }] }));
        const [before, after] = [plan(shop), plan(renewed)];
        const without = (p: typeof before) => p.clusters[0].objects.filter((o) => o.kind !== "Secret");
        expect(without(after)).to.deep.equal(without(before));
        const secret = (p: typeof before) => p.clusters[0].objects.find((o) => o.kind === "Secret")!;
        expect(secret(after).metadata).to.deep.equal(secret(before).metadata);
        expect(secret(after).stringData).to.not.deep.equal(secret(before).stringData);
    });

    it("requests certificates from cert-manager for the listeners' hosts", () => {
        const plan = planFleet(
            base({ certificates: [{ name: "shop-cert", certManager: { issuer: "letsencrypt", renewBefore: "720h" } }] }),
        );
        const cert = plan.clusters[0].objects.find((o) => o.kind === "Certificate") as Obj;
        assertValidObjects([cert]);
        expect(cert.metadata).to.include({ name: "shop-cert", namespace: "istio-system" });
        expect(cert.spec).to.deep.equal({
            secretName: "shop-cert",
            dnsNames: ["shop.example.com"],
            issuerRef: { name: "letsencrypt", kind: "ClusterIssuer", group: "cert-manager.io" },
            renewBefore: "720h",
            privateKey: { rotationPolicy: "Always", algorithm: "ECDSA", size: 256 },
        });
    });

    describe("CORS preflights in JWT and external authorization scopes", () => {
        const cors = { allowOrigins: ["https://app.example.com"], allowMethods: ["GET", "PUT"] };
        const withCors: RoutingSpec = { ...routing, http: routing.http!.map((r) => ({ ...r, cors })) };
        const jwt = { issuer: "https://auth.example.com", jwksUri: "https://auth.example.com/jwks.json", paths: ["/api/*"] };
        const ext = { provider: "authz", paths: ["/admin/*"] };
        const policies = (security: GatewayFleetSpec["security"]) => {
            const objects = planFleet(base({ security })).clusters[0].objects as Obj[];
            assertValidObjects(objects);
            const byName = Object.fromEntries(objects.map((o) => [o.metadata.name, o]));
            return {
                required: byName["istio-edge-jwt-required"].spec.rules[0].to[0].operation,
                custom: byName["istio-edge-ext-authz-0"].spec.rules[0].to[0].operation,
            };
        };

        it("leaves OPTIONS out of a rule's DENY or CUSTOM policy with skipAuthPreflight, and only then", () => {
            const skipped = policies({ jwt: [{ ...jwt, skipAuthPreflight: true }], customAuth: [{ ...ext, skipAuthPreflight: true }] });
            expect(skipped.required.notMethods).to.deep.equal(["OPTIONS"]);
            expect(skipped.custom.notMethods).to.deep.equal(["OPTIONS"]);
            const kept = policies({ jwt: [jwt], customAuth: [ext] });
            expect(kept.required).to.not.have.property("notMethods");
            expect(kept.custom).to.not.have.property("notMethods");
        });

        it("warns for a route with a CORS policy in a JWT or external authorization scope that preflights do not skip", () => {
            const warned = (security: GatewayFleetSpec["security"]) =>
                planFleet(base({ routing: withCors, security })).warnings.filter((w) => w.path.endsWith(".cors"));
            const [token] = warned({ jwt: [jwt] });
            expect(token.message).to.include("is in the scope of security.jwt[0] (shop.example.com)");
            expect(token.message).to.include("each preflight is refused (403)");
            expect(token.message).to.include("Set security.jwt[0].skipAuthPreflight: true");
            const [asked] = warned({ customAuth: [ext] });
            expect(asked.message).to.include("Istio asks authz before the CORS policy answers them");
            expect(warned({ jwt: [{ ...jwt, skipAuthPreflight: true }], customAuth: [{ ...ext, skipAuthPreflight: true }] })).to.deep.equal(
                [],
            );
            // A route outside the scope's paths.
            const shopOnly: RoutingSpec = {
                ...routing,
                http: routing.http!.map((r) => ({ ...r, match: [{ path: { prefix: "/shop" } }], cors })),
            };
            expect(
                planFleet(base({ routing: shopOnly, security: { jwt: [jwt] } })).warnings.filter((w) => w.path.endsWith(".cors")),
            ).to.deep.equal([]);
        });
    });

    it("puts IP lists, required JWTs and external authorization on the gateway pods as DENY and CUSTOM policies", () => {
        const plan = planFleet(
            base({
                gateway: { externalTrafficPolicy: "Local" },
                security: {
                    ipAllow: ["10.0.0.0/8", "192.168.1.7"],
                    ipDeny: ["10.1.2.0/24"],
                    jwt: [
                        {
                            issuer: "https://auth.example.com",
                            jwksUri: "https://auth.example.com/.well-known/jwks.json",
                            hosts: ["shop.example.com"],
                            paths: ["/api/*"],
                        },
                    ],
                    customAuth: [{ provider: "oauth2-proxy", paths: ["/admin/*"] }],
                },
            }),
        );
        const objects = plan.clusters[0].objects.filter((o) => o.apiVersion.startsWith("security.istio.io")) as Obj[];
        assertValidObjects(objects);
        const byName = Object.fromEntries(objects.map((o) => [o.metadata.name, o]));
        const selector = { matchLabels: { app: "istio-edge", istio: "edge" } };
        expect(byName["istio-edge-ip-allow"].spec).to.deep.equal({
            selector,
            action: "DENY",
            rules: [{ from: [{ source: { notIpBlocks: ["10.0.0.0/8", "192.168.1.7"] } }] }],
        });
        expect(byName["istio-edge-ip-deny"].spec).to.deep.equal({
            selector,
            action: "DENY",
            rules: [{ from: [{ source: { ipBlocks: ["10.1.2.0/24"] } }] }],
        });
        expect(byName["istio-edge-jwt"].kind).to.equal("RequestAuthentication");
        expect(byName["istio-edge-jwt"].spec.jwtRules).to.deep.equal([
            { issuer: "https://auth.example.com", jwksUri: "https://auth.example.com/.well-known/jwks.json", forwardOriginalToken: true },
        ]);
        expect(byName["istio-edge-jwt-required"].spec).to.deep.equal({
            selector,
            action: "DENY",
            // Bound to its issuer, and to the HTTP(S) ports: TCP connections carry no token.
            rules: [
                {
                    from: [{ source: { notRequestPrincipals: ["https://auth.example.com/*"] } }],
                    to: [{ operation: { ports: ["80", "443"], hosts: ["shop.example.com", "shop.example.com:*"], paths: ["/api/*"] } }],
                },
            ],
        });
        expect(byName["istio-edge-ext-authz-0"].spec).to.deep.equal({
            selector,
            action: "CUSTOM",
            provider: { name: "oauth2-proxy" },
            rules: [{ to: [{ operation: { ports: ["80", "443"], paths: ["/admin/*"] } }] }],
        });
    });

    it("scopes HTTP rules to the port the gateway listens on when its Service opts out of Istio's port translation", () => {
        const plan = planFleet(
            base({
                gateway: {
                    ports: [
                        { name: "http", port: 80, targetPort: 8080, protocol: "HTTP" },
                        { name: "https", port: 443, targetPort: 8443, protocol: "HTTPS" },
                    ],
                    // Istio then binds the listener to the Service port itself (resolvePorts), and the
                    // policy's ports compare the connection's own port.
                    serviceLabels: { "experimental.istio.io/disable-gateway-port-translation": "true" },
                },
                security: { customAuth: [{ provider: "oauth2-proxy", paths: ["/admin/*"] }] },
            }),
        );
        const policy = plan.clusters[0].objects.find((o) => o.metadata.name === "istio-edge-ext-authz-0") as Obj;
        expect(policy.spec.rules[0].to[0].operation.ports).to.include.members(["80", "443"]);
    });

    describe("JWT audiences per scope", () => {
        const issuer = "https://auth.example.com";
        const web = { issuer, jwksUri: `${issuer}/jwks.json`, audiences: ["web"], paths: ["/app/*"] };
        const api = { issuer, jwksUri: `${issuer}/jwks.json`, audiences: ["api", "api-v2"], paths: ["/api/*"] };
        // Envoy's JWT filter ignores a scheme and a trailing slash in audiences; the policy lists those forms.
        const forms = (a: string) => [a, `${a}/`, `http://${a}`, `http://${a}/`, `https://${a}`, `https://${a}/`];
        const objectsOf = (jwt: NonNullable<GatewayFleetSpec["security"]>["jwt"]) => {
            const objects = planFleet(base({ security: { jwt } })).clusters[0].objects as Obj[];
            assertValidObjects(objects);
            return objects;
        };
        const req = (path: string, audiences?: string | string[], principal = `${issuer}/alice`) => ({
            host: "shop.example.com",
            path,
            port: 80,
            principal,
            audiences,
            ip: "10.1.2.3",
        });

        it("binds each rule's audiences to its hosts and paths: a token for one scope's audience does not open another's", () => {
            const objects = objectsOf([web, api]);
            const required = objects.find((o) => o.metadata.name === "istio-edge-jwt-required")!;
            const ports = ["80", "443"];
            expect(required.spec.rules).to.deep.equal([
                { from: [{ source: { notRequestPrincipals: [`${issuer}/*`] } }], to: [{ operation: { ports, paths: ["/app/*"] } }] },
                {
                    from: [{ source: { requestPrincipals: [`${issuer}/*`] } }],
                    to: [{ operation: { ports, paths: ["/app/*"] } }],
                    when: [{ key: "request.auth.audiences", notValues: forms("web") }],
                },
                { from: [{ source: { notRequestPrincipals: [`${issuer}/*`] } }], to: [{ operation: { ports, paths: ["/api/*"] } }] },
                {
                    from: [{ source: { requestPrincipals: [`${issuer}/*`] } }],
                    to: [{ operation: { ports, paths: ["/api/*"] } }],
                    when: [{ key: "request.auth.audiences", notValues: [...forms("api"), ...forms("api-v2")] }],
                },
            ]);
            const plan = planFleet(base({ security: { jwt: [web, api] } }));
            expect(meshRuleProblems(plan)).to.deep.equal([]);
            // The checker sees an audience condition that binds no issuer.
            const unbound = JSON.parse(JSON.stringify(plan)) as typeof plan;
            for (const o of unbound.clusters[0].objects as Obj[])
                if (o.metadata.name === "istio-edge-jwt-required") delete o.spec.rules[1].from;
            expect(meshRuleProblems(unbound).join("\n")).to.contain("an audience condition not bound to the principals of one issuer");
            // The JWT filter accepts both tokens everywhere; the scope's policy decides.
            for (const aud of ["web", "api"]) expect(jwtFilterRefuses(objects, req("/api/orders", aud)), aud).to.equal(false);
            expect(denied(objects, req("/api/orders", "web")), "the web token on the API").to.equal(true);
            expect(denied(objects, req("/app/home", "api")), "the API token on the web paths").to.equal(true);
            expect(denied(objects, req("/api/orders", "api"))).to.equal(false);
            expect(denied(objects, req("/api/orders", ["web", "api-v2"])), "a token listing an accepted audience").to.equal(false);
            expect(denied(objects, req("/app/home", ["web"]))).to.equal(false);
            expect(denied(objects, req("/api/orders", undefined)), "a token without aud").to.equal(true);
            expect(denied(objects, { ...req("/api/orders"), principal: undefined }), "no token").to.equal(true);
            expect(denied(objects, req("/public", "web")), "outside every scope").to.equal(false);
            expect(jwtFilterRefuses(objects, req("/public", "other")), "an audience no rule accepts").to.equal(true);
        });

        it("keeps any audience for a rule without audiences, and binds each issuer of a shared scope to its own", () => {
            const open = { issuer, jwksUri: `${issuer}/jwks.json`, paths: ["/api/*"] };
            const any = objectsOf([web, open]);
            expect(any.find((o) => o.metadata.name === "istio-edge-jwt-required")!.spec.rules).to.have.length(3);
            expect(denied(any, req("/api/orders", "web"))).to.equal(false);
            expect(denied(any, req("/api/orders", "anything"))).to.equal(false);
            expect(jwtFilterRefuses(any, req("/app/home", "anything"))).to.equal(false);
            expect(denied(any, req("/app/home", "anything")), "the web rule still wants its audience").to.equal(true);
            // Two rules of one issuer and scope: either's audiences, and one without: any.
            const both = objectsOf([api, { ...api, audiences: ["mobile"] }]);
            expect(both.find((o) => o.metadata.name === "istio-edge-jwt-required")!.spec.rules[1].when).to.deep.equal([
                { key: "request.auth.audiences", notValues: ["api", "api-v2", "mobile"].flatMap(forms) },
            ]);
            expect(
                objectsOf([api, { ...api, audiences: [] }]).find((o) => o.metadata.name === "istio-edge-jwt-required")!.spec.rules,
            ).to.have.length(1);
            // Two issuers on one scope: a token of either, each for its own audiences.
            const other = {
                issuer: "https://partner.example.com",
                jwksUri: "https://partner.example.com/jwks",
                audiences: ["partner"],
                paths: ["/api/*"],
            };
            const shared = objectsOf([api, other]);
            const partner = (aud: string) => req("/api/orders", aud, "https://partner.example.com/bot");
            expect(denied(shared, partner("partner"))).to.equal(false);
            expect(denied(shared, partner("api")), "the partner's token for the API's audience").to.equal(true);
            expect(denied(shared, req("/api/orders", "partner")), "the API issuer's token for the partner's audience").to.equal(true);
            expect(denied(shared, req("/api/orders", "api"))).to.equal(false);
        });

        it("accepts in a scope the forms of an audience that Envoy's JWT filter accepts: with or without a scheme and a trailing slash", () => {
            const url = { ...api, audiences: ["https://api.example.com/"] };
            const objects = objectsOf([web, url]);
            expect(objects.find((o) => o.metadata.name === "istio-edge-jwt-required")!.spec.rules[3].when[0].notValues).to.deep.equal([
                "https://api.example.com/",
                "api.example.com",
                "api.example.com/",
                "http://api.example.com",
                "http://api.example.com/",
                "https://api.example.com",
            ]);
            for (const aud of ["api.example.com", "https://api.example.com", "http://api.example.com/"]) {
                expect(jwtFilterRefuses(objects, req("/api/orders", aud)), aud).to.equal(false);
                expect(denied(objects, req("/api/orders", aud)), aud).to.equal(false);
            }
            expect(denied(objects, req("/api/orders", "https://api.example.com/v2")), "another audience").to.equal(true);
            expect(refusal(base({ security: { jwt: [{ ...api, audiences: ["https://*.example.com"] }] } })).join("\n")).to.include(
                'security.jwt[0].audiences[0]: "https://*.example.com": the JWT filter takes no wildcard in audiences',
            );
        });

        it("warns for rules of one issuer with other audiences on overlapping scopes: the overlap needs both", () => {
            const admin = { ...api, audiences: ["admin"], paths: ["/api/admin/*"] };
            const objects = objectsOf([api, admin]);
            expect(denied(objects, req("/api/admin/users", "admin")), "the admin audience alone").to.equal(true);
            expect(denied(objects, req("/api/admin/users", ["api", "admin"]))).to.equal(false);
            const [warning] = planFleet(base({ security: { jwt: [api, admin] } })).warnings.filter(
                (w) => w.path === "security.jwt[1].audiences",
            );
            expect(warning.message).to.include("a request there needs a token listing one audience of each rule");
            expect(
                planFleet(base({ security: { jwt: [api, { ...admin, audiences: ["api"] }] } })).warnings.filter((w) =>
                    w.path.endsWith(".audiences"),
                ),
            ).to.deep.equal([]);
        });

        it("refuses wildcard audiences, and warns that Istio before 1.21 checks a token's first audience only", () => {
            expect(refusal(base({ security: { jwt: [{ ...api, audiences: ["api*"] }] } })).join("\n")).to.include(
                'security.jwt[0].audiences[0]: "api*": the JWT filter takes no wildcard in audiences',
            );
            const old = planFleet(base({ istioVersion: "1.20", security: { jwt: [web, api] } })).warnings.map(
                (w) => `${w.path}: ${w.message}`,
            );
            expect(old.join("\n")).to.include(
                "security.jwt[0].audiences: Istio 1.20 checks a rule's audiences in its hosts and paths against the token's first audience only",
            );
            expect(planFleet(base({ security: { jwt: [web, api] } })).warnings.filter((w) => w.path.endsWith(".audiences"))).to.deep.equal(
                [],
            );
        });
    });

    it("reads client addresses from X-Forwarded-For behind trusted proxies", () => {
        const plan = planFleet(base({ security: { ipAllow: ["203.0.113.0/24"], trustedProxies: 1 } }));
        const allow = plan.clusters[0].objects.find((o) => o.metadata.name === "istio-edge-ip-allow") as Obj;
        expect(allow.spec.rules[0].from[0].source).to.deep.equal({ notRemoteIpBlocks: ["203.0.113.0/24"] });
        const pod = (plan.clusters[0].objects.find((o) => o.kind === "Deployment") as Obj).spec.template;
        expect(JSON.parse(pod.metadata.annotations["proxy.istio.io/config"])).to.deep.equal({
            terminationDrainDuration: "30s",
            gatewayTopology: { numTrustedProxies: 1 },
        });
    });

    it("refuses bad certificates, DNS and security settings before anything is created", async () => {
        const other = await certificate(["other.example.com"]);
        const expired = await certificate(["shop.example.com"], { days: 1, notBefore: new Date(Date.now() - 10 * 86_400_000) });
        const cases: [unknown, string][] = [
            [base({ certificates: [] }), "routing.listeners[1].tls.credentialName: no certificate source for shop-cert"],
            [
                base({ certificates: [{ name: "shop-cert", existingSecret: true, certManager: { issuer: "x" } }] }),
                "certificates[0]: has 2 sources (certManager, existingSecret); give exactly one",
            ],
            [
                base({ certificates: [{ name: "shop-cert", pem: { certificate: "not a pem", privateKey: shop.key } }] }),
                "certificates[0].pem.certificate: does not parse as a PEM certificate",
            ],
            [
                base({ certificates: [{ name: "shop-cert", pem: { certificate: shop.cert, privateKey: other.key } }] }),
                "certificates[0].pem.privateKey: does not match the certificate",
            ],
            [
                base({ certificates: [{ name: "shop-cert", pem: { certificate: other.cert, privateKey: other.key } }] }),
                "certificates[0].pem.certificate: does not cover shop.example.com",
            ],
            [
                base({ certificates: [{ name: "shop-cert", pem: { certificate: expired.cert, privateKey: expired.key } }] }),
                "certificates[0].pem.certificate: expired on",
            ],
            [
                base({ dns: { zone: "example.com", hosts: ["shop.example.org"] } }),
                "dns.hosts[0]: shop.example.org is outside the zone example.com",
            ],
            [
                base({
                    gateway: { loadBalancer: { type: "NLB", vpcId: "v", zoneMappings: [{ zoneId: "a" }, { zoneId: "b" }] } },
                    dns: { zone: "example.com", hosts: ["example.com"], records: "both" },
                }),
                "dns.hosts[0]: example.com is the zone apex, which cannot be a CNAME",
            ],
            [
                base({
                    gateway: { loadBalancer: { type: "NLB", vpcId: "v", zoneMappings: [{ zoneId: "a" }, { zoneId: "b" }] } },
                    dns: { zone: "example.com" },
                }),
                "dns.zone: shop.example.com would need several CNAME records",
            ],
            [
                base({ security: { ipAllow: ["10.0.0.0/33"] }, gateway: { externalTrafficPolicy: "Local" } }),
                'security.ipAllow[0]: "10.0.0.0/33" is not an IP address or CIDR block',
            ],
            [base({ security: { ipDeny: ["10.0.0.0/8"] } }), "security.ipDeny: the gateway does not see client addresses"],
            [
                base({ security: { jwt: [{ issuer: "i", jwksUri: "https://a/jwks", jwks: '{"keys": []}' }] } }),
                "security.jwt[0]: give jwksUri or jwks, not both",
            ],
            [
                base({
                    mode: "asm",
                    clusters: [{ id: "c1" }],
                    controlPlane: { kubeconfig: "k" },
                    certificates: [{ name: "shop-cert", certManager: { issuer: "x" } }],
                }),
                "certificates[0]: in asm mode the TLS Secret is created in each cluster",
            ],
        ];
        for (const [fleet, expected] of cases) {
            const lines = refusal(fleet);
            expect(
                lines.some((l) => l.startsWith(expected)),
                `expected ${expected}\ngot ${lines.join("\n")}`,
            ).to.equal(true);
        }
        const soon = await certificate(["shop.example.com"], { days: 10 });
        const warned = planFleet(base({ certificates: [{ name: "shop-cert", pem: { certificate: soon.cert, privateKey: soon.key } }] }));
        expect(warned.warnings.map((w) => `${w.path}: ${w.message}`).join("\n")).to.match(
            /certificates\[0\]\.pem\.certificate: expires in [89] days/,
        );
    });

    it("terminates TLS at the load balancer: HTTPS listeners on a CLB, TCPSSL on an NLB, each with its certificate", async () => {
        const P = "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-";
        const plainHttps: RoutingSpec = {
            listeners: [
                { name: "http", port: 80, protocol: "HTTP", hosts: ["shop.example.com"] },
                { name: "https", port: 443, protocol: "HTTP", hosts: ["shop.example.com"] },
            ],
        };
        const run = await runGateway("edge", {
            mode: "istio",
            clusters,
            gateway: {
                loadBalancer: { backendType: "eni", tls: { certificate: "shop-cert", ports: [443] } },
                overrides: {
                    c2: {
                        loadBalancer: {
                            type: "NLB",
                            vpcId: "vpc-1",
                            zoneMappings: [{ zoneId: "cn-hangzhou-h" }, { zoneId: "cn-hangzhou-j" }],
                            backendType: "eni",
                            tls: { certificate: "shop-cert", ports: [443] },
                        },
                    },
                },
            },
            routing: plainHttps,
            certificates: [{ name: "shop-cert", pem: { certificate: shop.cert, privateKey: shop.key } }],
        });
        const slbCert = run.resources.find((r) => r.type === "alicloud:slb/serverCertificate:ServerCertificate")!;
        expect(slbCert.inputs).to.deep.include({ serverCertificate: "[secret]", privateKey: "[secret]" });
        expect(slbCert.inputs.name).to.match(/^istio-edge-shop-cert-[0-9a-f]{8}$/);
        const annotations = (scope: string) =>
            run.objects.find((o) => o.scope === scope && o.object.kind === "Service")!.object.metadata.annotations ?? {};
        expect(annotations("edge-c1")).to.include({
            [`${P}protocol-port`]: "https:443",
            [`${P}cert-id`]: "edge-cn-hangzhou-slb-cert-shop-cert-id",
        });
        expect(annotations("edge-c2")).to.include({
            [`${P}protocol-port`]: "TCPSSL:443",
            [`${P}cert-id`]: "edge-cn-hangzhou-cas-shop-cert-id-cn-hangzhou",
        });
        const refused = refusal(
            base({
                gateway: { loadBalancer: { tls: { certificate: "shop-cert", ports: [443] } } },
                certificates: [{ name: "shop-cert", pem: { certificate: shop.cert, privateKey: shop.key } }],
            }),
        );
        expect(refused).to.include(
            "routing.listeners[1].protocol: the load balancer terminates TLS on port 443 (gateway.loadBalancer.tls), so the gateway receives plain traffic there: use protocol HTTP",
        );
        expect(refusal(base({ gateway: { loadBalancer: { tls: { certificate: "shop-cert", ports: [8443] } } } }))).to.include.members([
            'gateway.loadBalancer.tls.certificate: "shop-cert" must be a certificates entry with pem (it is uploaded to Alibaba Cloud for the load balancer)',
            "gateway.loadBalancer.tls.ports[0]: 8443 is not a port of this load balancer's Service (15021, 80, 443)",
        ]);
    });

    it("checks a PEM given as an Output when it resolves, and creates nothing when it is bad", async () => {
        const other = await certificate(["other.example.com"]);
        let error: unknown;
        try {
            await runGateway("edge", {
                mode: "istio",
                clusters,
                gateway: {},
                routing,
                certificates: [
                    { name: "shop-cert", pem: { certificate: pulumi.secret(other.cert), privateKey: pulumi.secret(other.key) } },
                ],
            } as MeshGatewayArgs);
        } catch (e) {
            error = e;
        }
        expect(String(error)).to.include("certificates[0].pem.certificate: does not cover shop.example.com");
        expect(String(error)).to.not.include("PRIVATE KEY");
    });

    it("keeps private keys out of the offline plan's files, and certificates and CA bundles in them", async () => {
        const ca = await certificate(["clients.example.com"]);
        const plan = await planOffline([
            {
                name: "edge",
                args: {
                    mode: "istio",
                    clusters,
                    gateway: {},
                    routing,
                    certificates: [
                        { name: "shop-cert", pem: { certificate: shop.cert, privateKey: shop.key }, clientCaCertificate: ca.cert },
                    ],
                },
            },
        ]);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mesh-gateway-edge-"));
        try {
            const files = writePlan(plan, dir);
            for (const f of files) expect(fs.readFileSync(f, "utf8"), f).to.not.include("PRIVATE KEY");
            const file = files.find((f) => f.endsWith(path.join("c1", "secret.istio-system.shop-cert.yaml")));
            expect(file).to.not.equal(undefined);
            // Only the private key needs filling in before `kubectl apply`.
            expect(YAML.parse(fs.readFileSync(file!, "utf8")).stringData).to.deep.equal({
                "tls.crt": shop.cert,
                "tls.key": "[secret]",
                "ca.crt": ca.cert,
            });
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
