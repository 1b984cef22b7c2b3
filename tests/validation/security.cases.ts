// Edge security: JWT, external authorization, single sign-on, IP lists.
import { asm, base } from "../support/builders";
import type { Case } from "./case";

export const cases: Case[] = [
    [
        "a wildcard host in a JWT rule",
        () => ({
            ...base(),
            routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["*.example.com"] }] },
            security: { jwt: [{ issuer: "i", jwksUri: "https://i/jwks", hosts: ["*.example.com"] }] },
        }),
        'security.jwt[0].hosts[0]: "*.example.com": policy hosts must be exact',
    ],
    [
        "two external authorization providers",
        () => ({ ...base(), security: { customAuth: [{ provider: "a" }, { provider: "b" }] } }),
        "security.customAuth: Istio allows one external authorization provider per workload",
    ],
    [
        "an external authorization provider whose name Istio 1.30 refuses",
        () => ({ ...base(), security: { customAuth: [{ provider: "Corp_Authz" }] } }),
        "security.customAuth[0].provider: \"Corp_Authz\" is not a DNS label (lower-case letters, digits and '-', at most 63): Istio 1.30 and later refuse",
    ],
    [
        "single sign-on on a gateway whose name leaves oauth2-proxy's Service name over 63 characters",
        () => ({ ...base(), name: "g".repeat(51), security: { oidc: oidc() } }),
        `security.oidc: oauth2-proxy's Service and pod label would be istio-${"g".repeat(51)}-oauth2-proxy (70 characters); Kubernetes allows 63: shorten the gateway name by 7`,
    ],
    [
        "single sign-on with a provider name Istio 1.30 refuses",
        () => ({ ...base(), security: { oidc: oidc({ provider: "shop.oidc" }) } }),
        'security.oidc.provider: "shop.oidc" is not a DNS label',
    ],
    [
        "IP lists when the load balancer terminates TLS",
        () => ({
            ...base(),
            gateway: { externalTrafficPolicy: "Local", loadBalancer: { backendType: "eni", tls: { certificate: "c", ports: [443] } } },
            security: { ipAllow: ["10.0.0.0/8"] },
        }),
        "security.ipAllow: the gateway does not see client addresses",
    ],
    [
        "IP lists behind trusted proxies with a TCP listener that a Service hides client addresses from",
        () => ({
            ...base(),
            gateway: {
                ports: [
                    { name: "status-port", port: 15021 },
                    { name: "http", port: 80, protocol: "HTTP" },
                    { name: "tcp-db", port: 5432, protocol: "TCP" },
                ],
            },
            routing: {
                listeners: [
                    { name: "web", port: 80, protocol: "HTTP", hosts: ["*"] },
                    { name: "db", port: 5432, protocol: "TCP", hosts: ["*"] },
                ],
            },
            security: { ipDeny: ["203.0.113.0/24"], trustedProxies: 1 },
        }),
        "security.ipDeny: trustedProxies reads client addresses from X-Forwarded-For, which the TCP listener db does not carry",
    ],
    [
        "a JWKS URI that is not https",
        () => ({ ...base(), security: { jwt: [{ issuer: "i", jwksUri: "http://i/jwks" }] } }),
        "security.jwt[0].jwksUri: must be an https:// URL",
    ],
    [
        "inline JWKS that is not JSON",
        () => ({ ...base(), security: { jwt: [{ issuer: "i", jwks: "{keys" }] } }),
        "security.jwt[0].jwks: is not JSON",
    ],
    [
        "a policy path without a slash",
        () => ({ ...base(), security: { customAuth: [{ provider: "p", paths: ["admin"] }] } }),
        'security.customAuth[0].paths[0]: "admin" must start with /',
    ],
    [
        "a policy host no listener serves",
        () => ({
            ...base(),
            routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }] },
            security: { jwt: [{ issuer: "i", jwksUri: "https://i/jwks", hosts: ["b.example.com"] }] },
        }),
        "security.jwt[0].hosts[0]: no listener serves b.example.com",
    ],
    [
        "a policy host in upper case",
        () => ({
            ...base(),
            routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["shop.example.com"] }] },
            security: { jwt: [{ issuer: "i", jwksUri: "https://i/jwks", hosts: ["SHOP.example.com"] }] },
        }),
        'security.jwt[0].hosts[0]: "SHOP.example.com": hosts are lower-case',
    ],
    [
        "IP lists while an additional load balancer's Service hides client addresses",
        () => ({
            ...base(),
            gateway: {
                loadBalancer: { backendType: "eni" },
                additionalLoadBalancers: [{ name: "internal", addressType: "intranet", vswitchId: "vsw-1" }],
            },
            security: { ipAllow: ["10.0.0.0/8"] },
        }),
        "security.ipAllow: the gateway does not see client addresses behind Service istio-edge-internal in cluster c1 " +
            "(gateway.additionalLoadBalancers[0])",
    ],
    [
        "JWT rules of two issuers whose scopes overlap",
        () => ({
            ...base(),
            security: {
                jwt: [
                    { issuer: "https://a.example.com", jwksUri: "https://a.example.com/jwks" },
                    { issuer: "https://b.example.com", jwksUri: "https://b.example.com/jwks", paths: ["/internal/*"] },
                ],
            },
        }),
        "security.jwt[1]: its hosts and paths overlap those of security.jwt[0] (issuer https://a.example.com) without being the same",
    ],
    [
        "a JWT rule on a gateway without an HTTP port",
        () => ({
            ...base(),
            gateway: { ports: [{ name: "tcp", port: 31400, protocol: "TCP" }] },
            security: { jwt: [{ issuer: "i", jwksUri: "https://i/jwks" }] },
        }),
        "security.jwt[0]: the gateway has no HTTP or HTTPS port to apply it to",
    ],
    [
        "a JWT rule on a port HTTPS shares with TLS passthrough",
        () => ({
            ...base(),
            routing: {
                listeners: [
                    { name: "https", port: 443, protocol: "HTTPS", hosts: ["a.example.com"], tls: { mode: "SIMPLE", credentialName: "c" } },
                    { name: "pass", port: 443, protocol: "TLS", hosts: ["db.example.com"], tls: { mode: "PASSTHROUGH" } },
                ],
            },
            certificates: [{ name: "c", existingSecret: true }],
            security: { jwt: [{ issuer: "i", jwksUri: "https://i/jwks" }] },
        }),
        "security.jwt[0]: port 443 carries HTTP(S) and routing.listeners[1] (TLS): Istio drops a rule's HTTP attributes on TCP and " +
            "TLS passthrough connections",
    ],
    [
        "single sign-on with an issuer that is not https",
        () => ({ ...base(), security: { oidc: oidc({ issuerUrl: "http://keycloak.example.com/realms/main" }) } }),
        "security.oidc.issuerUrl: must be an https:// URL",
    ],
    [
        "single sign-on with a cookie secret oauth2-proxy cannot use",
        () => ({ ...base(), security: { oidc: oidc({ cookieSecret: "twenty-bytes-secret!" }) } }),
        "security.oidc.cookieSecret: is 20 bytes; oauth2-proxy needs 16, 24 or 32",
    ],
    [
        "single sign-on without saying who may log in",
        () => ({ ...base(), security: { oidc: oidc({ allowedGroups: undefined }) } }),
        "security.oidc: say who may log in: allowedGroups, allowedEmails or allowedEmailDomains",
    ],
    [
        "single sign-on with no host",
        () => ({ ...base(), security: { oidc: oidc({ hosts: [] }) } }),
        "security.oidc.hosts: give the hosts users log in on",
    ],
    [
        "single sign-on on a host served over plain HTTP only",
        () => ({
            ...base(),
            routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["app.example.com"] }] },
            security: { oidc: oidc() },
        }),
        "security.oidc.hosts[0]: app.example.com is served over plain HTTP only",
    ],
    [
        "single sign-on on a host no listener serves",
        () => ({
            ...base(),
            routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["other.example.com"] }] },
            security: { oidc: oidc() },
        }),
        "security.oidc.hosts[0]: no listener serves app.example.com",
    ],
    [
        "single sign-on with a path without a slash",
        () => ({ ...base(), security: { oidc: oidc({ paths: ["admin"] }) } }),
        'security.oidc.paths[0]: "admin" must start with /',
    ],
    [
        "single sign-on beside another external authorization provider",
        () => ({ ...base(), security: { customAuth: [{ provider: "opa" }], oidc: oidc() } }),
        "security.oidc: Istio allows one external authorization provider per workload; security.customAuth uses opa",
    ],
    [
        "single sign-on with an allowed email that is not one",
        () => ({ ...base(), security: { oidc: oidc({ allowedEmails: ["admins"] }) } }),
        'security.oidc.allowedEmails[0]: "admins" is not an email address',
    ],
    [
        "single sign-on without its client secret",
        () => ({ ...base(), security: { oidc: oidc({ clientSecret: undefined }) } }),
        "security.oidc: must have required property 'clientSecret'",
    ],
    [
        "single sign-on in asm mode without the ASM instance id",
        () => ({ ...asm(), security: { oidc: asmOidc() } }),
        "controlPlane.serviceMeshId: asm mode registers the login's extension provider through ASM's API, which needs the ASM instance id",
    ],
    [
        "single sign-on in asm mode on two hosts",
        () => ({ ...asmWithId(), security: { oidc: asmOidc({ hosts: ["app.example.com", "admin.example.com"] }) } }),
        "security.oidc.hosts[1]: asm mode logs in on one host: ASM's OIDC settings have one redirect domain",
    ],
    [
        "single sign-on in asm mode admitting groups",
        () => ({ ...asmWithId(), security: { oidc: asmOidc({ allowedGroups: ["admins"] }) } }),
        "security.oidc.allowedGroups: ASM's OIDC settings have no group or email condition: everyone the issuer authenticates gets in",
    ],
    [
        "single sign-on in asm mode admitting email addresses",
        () => ({ ...asmWithId(), security: { oidc: asmOidc({ allowedEmails: ["ops@example.com"] }) } }),
        "security.oidc.allowedEmails: ASM's OIDC settings have no group or email condition",
    ],
    [
        "single sign-on in asm mode admitting an email domain",
        () => ({ ...asmWithId(), security: { oidc: asmOidc({ allowedEmailDomains: ["example.com"] }) } }),
        "security.oidc.allowedEmailDomains: ASM's OIDC settings have no group or email condition",
    ],
    [
        "single sign-on in asm mode with a provider name without ASM's type prefix",
        () => ({ ...asmWithId(), security: { oidc: asmOidc({ provider: "edge-oidc" }) } }),
        'security.oidc.provider: "edge-oidc" must start with httpextauth- (ASM\'s rule)',
    ],
    [
        "single sign-on in asm mode with a provider name in upper case",
        () => ({ ...asmWithId(), security: { oidc: asmOidc({ provider: "httpextauth-Edge" }) } }),
        "security.oidc.provider: \"httpextauth-Edge\" must start with httpextauth- (ASM's rule) and go on with lower-case letters, digits and '-'",
    ],
    [
        "single sign-on in asm mode with a provider name too long for ASM's oauth2-proxy Service",
        () => ({ ...asmWithId(), security: { oidc: asmOidc({ provider: `httpextauth-${"a".repeat(36)}` }) } }),
        `security.oidc.provider: "httpextauth-${"a".repeat(36)}" is 48 characters; at most 47, so that ASM's Service asm-oauth2proxy-<name> fits in 63`,
    ],
    [
        "single sign-on in asm mode whose default provider name is too long",
        () => ({ ...asmWithId(), name: "g".repeat(36), security: { oidc: asmOidc() } }),
        `security.oidc: the default provider name httpextauth-${"g".repeat(36)} is 48 characters; at most 47`,
    ],
    [
        "single sign-on in asm mode with an oauth2-proxy image",
        () => ({ ...asmWithId(), security: { oidc: asmOidc({ image: "oauth2-proxy:mine" }) } }),
        "security.oidc.image: ASM runs the login's oauth2-proxy itself; set it in istio mode only",
    ],
    [
        "single sign-on in asm mode with oauth2-proxy replicas",
        () => ({ ...asmWithId(), security: { oidc: asmOidc({ replicas: 3 }) } }),
        "security.oidc.replicas: ASM runs the login's oauth2-proxy itself",
    ],
    [
        "single sign-on in asm mode beside another external authorization provider",
        () => ({ ...asmWithId(), security: { customAuth: [{ provider: "httpextauth-opa" }], oidc: asmOidc() } }),
        "security.oidc: Istio allows one external authorization provider per workload; security.customAuth uses httpextauth-opa and the login uses httpextauth-edge",
    ],
    [
        "a JWT rule of another issuer in the login's scope",
        () => ({
            ...base(),
            security: { jwt: [{ issuer: "https://api-issuer.example.com", jwksUri: "https://api-issuer.example.com/jwks" }], oidc: oidc() },
        }),
        "security.jwt[0]: its hosts and paths overlap the login's (security.oidc): a logged-in browser sends the session cookie, not a token",
    ],
    [
        "a JWT rule of the login's issuer for other audiences, in the login's scope",
        () => ({
            ...base(),
            security: {
                jwt: [
                    {
                        issuer: "https://keycloak.example.com/realms/main",
                        jwksUri: "https://keycloak.example.com/jwks",
                        audiences: ["api"],
                        hosts: ["app.example.com"],
                        paths: ["/admin/users"],
                    },
                ],
                oidc: oidc({ paths: ["/admin/*"] }),
            },
        }),
        "security.jwt[0].audiences: the gateway's JWT filter checks every token on every host and path, whatever the rules' hosts and paths, and refuses (401) one no rule accepts; in the login's scope that is the token the login forwards in Authorization (the ID token of https://keycloak.example.com/realms/main, audience gateway), which audiences api refuse, so every logged-in request would be refused; add gateway to the audiences of security.jwt[0]",
    ],
    [
        "a JWT rule of another issuer outside the login's scope, and none for the login's ID token",
        () => ({
            ...base(),
            security: {
                jwt: [{ issuer: "https://api-issuer.example.com", jwksUri: "https://api-issuer.example.com/jwks", paths: ["/api/*"] }],
                oidc: oidc({ paths: ["/admin/*"] }),
            },
        }),
        "security.jwt: the gateway's JWT filter checks every token on every host and path, whatever the rules' hosts and paths, and refuses (401) one no rule accepts; in the login's scope that is the token the login forwards in Authorization (the ID token of https://keycloak.example.com/realms/main, audience gateway), which no rule's issuer matches, so every logged-in request would be refused; add a rule of issuer https://keycloak.example.com/realms/main with the login's hosts and paths (and audiences gateway, or none)",
    ],
    [
        "a JWT audience with a wildcard",
        () => ({
            ...base(),
            security: {
                jwt: [{ issuer: "https://a.example.com", jwksUri: "https://a.example.com/jwks", audiences: ["api", "*.example.com"] }],
            },
        }),
        'security.jwt[0].audiences[1]: "*.example.com": the JWT filter takes no wildcard in audiences, and Istio\'s authorization policy reads a * at either end as a wildcard, so they would disagree; list the audiences themselves',
    ],
    [
        "a JWT rule of the login's issuer in the login's scope for other audiences, beside one for the client id elsewhere",
        () => ({
            ...base(),
            security: {
                jwt: [
                    {
                        issuer: "https://keycloak.example.com/realms/main",
                        jwksUri: "https://keycloak.example.com/jwks",
                        audiences: ["api"],
                        paths: ["/admin/*"],
                    },
                    {
                        issuer: "https://keycloak.example.com/realms/main",
                        jwksUri: "https://keycloak.example.com/jwks",
                        audiences: ["gateway"],
                        paths: ["/app/*"],
                    },
                ],
                oidc: oidc({ paths: ["/admin/*"] }),
            },
        }),
        "security.jwt[0].audiences: its hosts and paths overlap the login's (security.oidc), where Istio checks the token the login forwards in Authorization (the ID token of https://keycloak.example.com/realms/main, audience gateway), and its policy there requires audiences api, so every logged-in request there would be refused (403); add gateway to them, or make the scopes disjoint",
    ],
    [
        "JWT rules with the same hosts and paths that disagree on skipAuthPreflight",
        () => ({
            ...base(),
            security: {
                jwt: [
                    { issuer: "https://a.example.com", jwksUri: "https://a.example.com/jwks", paths: ["/api/*"] },
                    { issuer: "https://b.example.com", jwksUri: "https://b.example.com/jwks", paths: ["/api/*"], skipAuthPreflight: true },
                ],
            },
        }),
        'security.jwt[1].skipAuthPreflight: security.jwt[0] has the same hosts and paths and does not skip preflights: rules with one scope share one "token required" rule, so give them the same skipAuthPreflight',
    ],
    [
        "single sign-on whose skipAuthPreflight is not a boolean",
        () => ({ ...base(), security: { oidc: { ...oidc(), skipAuthPreflight: "yes" } } }),
        "security.oidc.skipAuthPreflight: must be boolean",
    ],
];

/** Fleets that plan, with a warning. */
export const warnings: Case[] = [
    [
        "a JWT rule of the login's issuer in the login's scope in asm mode",
        () => ({
            ...asmWithId(),
            security: {
                jwt: [{ issuer: "https://keycloak.example.com/realms/main", jwksUri: "https://keycloak.example.com/jwks" }],
                oidc: asmOidc(),
            },
        }),
        "security.jwt: the gateway's JWT filter checks every token on every host and path, whatever the rules' hosts and paths, and refuses (401) one no rule accepts; in the login's scope that is the token the login forwards in Authorization: logged-in requests pass only if a rule accepts it (ASM documents a JWT, not which token; oauth2-proxy's is the ID token)",
    ],
    [
        "a route with a CORS policy in a JWT rule's scope, preflights not skipped",
        () => ({
            ...base(),
            routing: {
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["api.example.com"] }],
                http: [
                    {
                        name: "api",
                        hosts: ["api.example.com"],
                        destinations: [{ host: "api", port: 80 }],
                        cors: { allowOrigins: ["https://app.example.com"], allowHeaders: ["authorization"] },
                    },
                ],
            },
            security: { jwt: [{ issuer: "https://a.example.com", jwksUri: "https://a.example.com/jwks", paths: ["/v1/*"] }] },
        }),
        'routing.http[0].cors: route api is in the scope of security.jwt[0] (api.example.com): a browser sends its CORS preflights (OPTIONS) without a token, and Istio applies the rule\'s "token required" policy before the CORS policy, so each preflight is refused (403)',
    ],
    [
        "a route with a CORS policy in the login's scope, preflights not skipped",
        () => ({
            ...base(),
            routing: {
                listeners: [
                    {
                        name: "https",
                        port: 443,
                        protocol: "HTTPS",
                        hosts: ["app.example.com"],
                        tls: { mode: "SIMPLE", credentialName: "c" },
                    },
                ],
                http: [
                    {
                        name: "admin-api",
                        hosts: ["app.example.com"],
                        match: [{ path: { prefix: "/admin/api" } }],
                        destinations: [{ host: "admin", port: 80 }],
                        cors: { allowOrigins: ["https://shop.example.com"] },
                    },
                ],
            },
            certificates: [{ name: "c", existingSecret: true }],
            security: { oidc: oidc({ paths: ["/admin/*"] }) },
        }),
        "routing.http[0].cors: route admin-api is in the login's scope (app.example.com): a browser sends its CORS preflights (OPTIONS) without the session cookie, and Istio runs the login before the CORS policy, so each preflight gets the login's redirect and the browser refuses the cross-origin call. Set security.oidc.skipAuthPreflight: true",
    ],
    [
        "JWT audiences on Istio 1.20",
        () => ({
            ...base(),
            istioVersion: "1.20",
            security: {
                jwt: [{ issuer: "https://a.example.com", jwksUri: "https://a.example.com/jwks", audiences: ["api"], paths: ["/api/*"] }],
            },
        }),
        "security.jwt[0].audiences: Istio 1.20 checks a rule's audiences in its hosts and paths against the token's first audience only (Istio 1.21 and later: any of them): a token listing several is refused there unless its first one is listed",
    ],
    [
        "a JWT rule of the login's issuer in the login's scope for other audiences in asm mode",
        () => ({
            ...asmWithId(),
            security: {
                jwt: [
                    {
                        issuer: "https://keycloak.example.com/realms/main",
                        jwksUri: "https://keycloak.example.com/jwks",
                        audiences: ["api"],
                    },
                ],
                oidc: asmOidc(),
            },
        }),
        "security.jwt[0].audiences: its hosts and paths overlap the login's (security.oidc), where Istio checks the token the login forwards in Authorization, and its policy there requires audiences api: if ASM forwards a token for another audience, logged-in requests there are refused",
    ],
    [
        "JWT rules of one issuer with other audiences on overlapping scopes",
        () => ({
            ...base(),
            security: {
                jwt: [
                    { issuer: "https://a.example.com", jwksUri: "https://a.example.com/jwks", audiences: ["api"], paths: ["/api/*"] },
                    {
                        issuer: "https://a.example.com",
                        jwksUri: "https://a.example.com/jwks",
                        audiences: ["admin"],
                        paths: ["/api/admin/*"],
                    },
                ],
            },
        }),
        "security.jwt[1].audiences: its hosts and paths overlap those of security.jwt[0] (same issuer, audiences api) without being the same: each rule applies its audiences in the overlap, so a request there needs a token listing one audience of each rule; make the scopes disjoint if one audience should suffice there",
    ],
    [
        "an external authorization provider name an older Istio accepts and 1.30 refuses",
        () => ({ ...base(), istioVersion: "1.29", security: { customAuth: [{ provider: "corp_authz" }] } }),
        "security.customAuth[0].provider: \"corp_authz\" is not a DNS label (lower-case letters, digits and '-', at most 63): Istio 1.30 and later refuse such an external authorization provider and deny every request its policy covers; Istio 1.29 still accepts it",
    ],
];

/** asm mode with the ASM instance id, which the login's extension provider needs. */
function asmWithId(): Record<string, unknown> {
    return { ...asm(), controlPlane: { kubeconfig: "kc", serviceMeshId: "mesh-1" } };
}

/** A valid asm-mode single sign-on: one host, no admission condition. */
function asmOidc(change: Record<string, unknown> = {}): Record<string, unknown> {
    return oidc({ allowedGroups: undefined, ...change });
}

/** A valid single sign-on setting, with `change` applied. */
function oidc(change: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        issuerUrl: "https://keycloak.example.com/realms/main",
        clientId: "gateway",
        clientSecret: "client-secret-value",
        cookieSecret: "0123456789abcdef0123456789abcdef",
        hosts: ["app.example.com"],
        allowedGroups: ["admins"],
        ...change,
    };
}
