// OpenID Connect single sign-on in front of protected hosts and paths: oauth2-proxy beside the
// gateway as Istio's external authorization service (an `envoyExtAuthzHttp` mesh extension
// provider) and a CUSTOM AuthorizationPolicy on the gateway pods. The provider entry is mesh
// config, not the gateway's: istio mode prints it (as access logs do) and never claims to apply it.
//
// The login flow runs through the policy alone: an unauthenticated request gets oauth2-proxy's
// redirect to the issuer, and the issuer's redirect back to `https://<host>/oauth2/callback`
// reaches oauth2-proxy as another authorization check, whose redirect (with the session cookie)
// Envoy returns to the browser. So `/oauth2/*` is always inside the policy's paths.
//
// In asm mode ASM runs oauth2-proxy itself: the component registers the provider through ASM's
// API (an `httpextauth` ExtensionProvider whose JSON config carries the OIDC settings, see
// asmOidcProviderConfig) and the same CUSTOM policy, on the control plane, names it.
import type { IssueList, PathSegment } from "./errors";
import type { CorsRouteInScope, CustomAuthRule, SecretText } from "./edge";
import { servesHttp, type RoutingSpec } from "./routing";
import { meshConfigYaml } from "./observability";
import type { WorkloadNames } from "./fleet";
import { compact, gatewayLabel, type KubeObject } from "./render/common";

/** Single sign-on through an OpenID Connect issuer (Keycloak, Alibaba Cloud IDaaS, any issuer). */
export interface OidcSpec<Text = SecretText> {
    /** The issuer URL (`https://`), whose `/.well-known/openid-configuration` oauth2-proxy reads. */
    issuerUrl: string;
    /** The client id registered at the issuer. */
    clientId: string;
    /** The client secret. Kept secret: give a Pulumi secret; it reaches the pods through a Secret only. */
    clientSecret: Text;
    /**
     * The key of oauth2-proxy's session cookies: 16, 24 or 32 bytes, raw or URL-safe base64
     * (`openssl rand -base64 32 | tr -- '+/' '-_'`). Kept secret. The same in every cluster, so a
     * session survives a move between clusters.
     */
    cookieSecret: Text;
    /** Hosts users log in on. Each needs `https://<host>/oauth2/callback` registered at the issuer as a redirect URI. */
    hosts: string[];
    /** Paths that need a login (`/admin/*`); none: every path. `/oauth2/*` is always added (the login flow's own). */
    paths?: string[];
    /** Admit members of one of these groups only (the ID token's `groups` claim). Default: no group condition. */
    allowedGroups?: string[];
    /** Admit these email addresses (with allowedEmailDomains: either matches). */
    allowedEmails?: string[];
    /** Admit email addresses in these domains (`example.com`); `*` admits every account of the issuer. */
    allowedEmailDomains?: string[];
    /**
     * Name of the mesh extension provider. Default `<gateway name>-oidc`; in asm mode
     * `httpextauth-<gateway name>` (ASM requires the `httpextauth-` prefix; at most 47 characters).
     */
    provider?: string;
    /** The oauth2-proxy image (istio mode; ASM runs its own). Default `quay.io/oauth2-proxy/oauth2-proxy:v7.15.3`. */
    image?: string;
    /** oauth2-proxy replicas per cluster (istio mode; ASM runs its own). Default 2. */
    replicas?: number;
    /**
     * Let OPTIONS requests through without a login (oauth2-proxy's `--skip-auth-preflight`), so
     * that browsers' CORS preflights, which never carry the session cookie, reach the gateway's
     * CORS policy instead of the login's redirect. An OPTIONS request the CORS policy does not
     * answer reaches the backend without a login. Default false.
     */
    skipAuthPreflight?: boolean;
}

/** oauth2-proxy's release the product is written against (its flags and probes are this release's). */
export const OAUTH2_PROXY_IMAGE = "quay.io/oauth2-proxy/oauth2-proxy:v7.15.3";
export const OAUTH2_PROXY_PORT = 4180;
const OAUTH2_PATHS = "/oauth2/*";
/**
 * oauth2-proxy answers its ping and ready paths with 200 on any host, before any session check
 * (`buildPreAuthChain` in oauthproxy.go, pkg/middleware/healthcheck.go and readynesscheck.go),
 * and Envoy lets a request through when the check answers 200. At the defaults `/ping` and
 * `/ready` a backend's own paths of those names would pass without a login; under `/oauth2/`,
 * which the login flow owns on every protected host, they do not.
 */
export const OAUTH2_PROXY_PING_PATH = "/oauth2/ping";
export const OAUTH2_PROXY_READY_PATH = "/oauth2/ready";
const EMAILS_FILE_DIR = "/etc/oauth2-proxy";
const EMAILS_KEY = "authenticated-emails";
const DEFAULT_REPLICAS = 2;
/**
 * Who logged in, as oauth2-proxy answers an allowed check (`--set-xauthrequest`). It leaves out a
 * header whose claim the session lacks (pkg/header/injector.go skips empty claims), and Envoy
 * sets only the headers the answer has: a client's own header of that name would reach the
 * backend. So the gateway removes them from every request first (`oidcHeaderFilter`).
 */
export const OAUTH2_PROXY_USER_HEADERS = [
    "x-auth-request-user",
    "x-auth-request-email",
    "x-auth-request-groups",
    "x-auth-request-preferred-username",
];

const oidcAt = (...rest: PathSegment[]): PathSegment[] => ["security", "oidc", ...rest];

/**
 * ASM names an extension provider `<type>-<name>` (CreateExtensionProvider; the alicloud
 * provider's `extension_provider_name`), and runs the login's oauth2-proxy as the Service
 * `asm-oauth2proxy-<provider name>` in istio-system: a Service name is a DNS label of at most 63
 * characters, which leaves 47 for the provider's name.
 */
export const ASM_EXT_AUTH_TYPE = "httpextauth";
const ASM_PROXY_PREFIX = "asm-oauth2proxy-";
const ASM_PROVIDER_NAME = /^httpextauth-[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const ASM_PROVIDER_MAX_LENGTH = 63 - ASM_PROXY_PREFIX.length;
/** The scopes oauth2-proxy's OIDC provider asks for by default (providers/oidc.go). */
const OIDC_SCOPES = ["openid", "email", "profile"];

/** The mesh extension provider the CUSTOM policy names. */
export function oidcProviderName(oidc: Pick<OidcSpec<unknown>, "provider">, gatewayName: string, mode: "asm" | "istio"): string {
    return oidc.provider ?? (mode === "asm" ? `${ASM_EXT_AUTH_TYPE}-${gatewayName}` : `${gatewayName}-oidc`);
}

/** The Service (in istio-system) of the oauth2-proxy ASM runs for the login in asm mode. */
export function asmOauth2ProxyName(oidc: Pick<OidcSpec<unknown>, "provider">, gatewayName: string): string {
    return `${ASM_PROXY_PREFIX}${oidcProviderName(oidc, gatewayName, "asm")}`;
}

/** Name of the login's CUSTOM AuthorizationPolicy. */
export function oidcPolicyName(names: WorkloadNames): string {
    return `${names.workload}-oidc`;
}

/** Name of oauth2-proxy's Deployment, Service and Secret in the gateway's namespace. */
export function oauth2ProxyName(names: WorkloadNames): string {
    return `${names.workload}-oauth2-proxy`;
}

/** The policy scope of the login: the user's paths plus the login flow's own. */
export function oidcScope(oidc: OidcSpec<unknown>): { hosts: string[]; paths?: string[] } {
    return { hosts: oidc.hosts, paths: oidc.paths === undefined ? undefined : [...new Set([...oidc.paths, OAUTH2_PATHS])] };
}

/** The login's rule of the CUSTOM policy: its provider, its scope, and whether OPTIONS skip it. */
export function oidcPolicyRule(oidc: OidcSpec<unknown>, gatewayName: string, mode: "asm" | "istio"): CustomAuthRule {
    return { provider: oidcProviderName(oidc, gatewayName, mode), ...oidcScope(oidc), skipAuthPreflight: oidc.skipAuthPreflight };
}

/**
 * oauth2-proxy's own rule (pkg/validation/cookie.go `validateCookieSecret`, pkg/encryption/utils.go
 * `SecretBytes`): the secret is URL-safe base64 of 16, 24 or 32 bytes, or else its raw bytes must be.
 * Returns the byte length oauth2-proxy would use.
 */
export function cookieSecretBytes(secret: string): number {
    // Go's base64 decoder skips CR and LF (encoding/base64 `Encoding.Decode`), so a secret read
    // from a file with its newline still decodes; padding is trimmed before, as `SecretBytes` does.
    const trimmed = secret.replace(/=+$/, "").replace(/[\r\n]/g, "");
    if (/^[A-Za-z0-9_-]*$/.test(trimmed) && trimmed.length % 4 !== 1) {
        const decoded = Buffer.from(trimmed, "base64url").length;
        if ([16, 24, 32].includes(decoded)) return decoded;
    }
    return Buffer.byteLength(secret, "utf8");
}

/** Messages about a cookie secret; never its value. */
export function checkCookieSecret(secret: string): string | undefined {
    const bytes = cookieSecretBytes(secret);
    return [16, 24, 32].includes(bytes)
        ? undefined
        : `is ${bytes} bytes; oauth2-proxy needs 16, 24 or 32 (raw, or URL-safe base64 of that many: openssl rand -base64 32 | tr -- '+/' '-_')`;
}

export interface OidcContext {
    mode: "asm" | "istio";
    gatewayName: string;
    namespace: string;
    names: WorkloadNames;
    /** Ports where a load balancer terminates TLS (the gateway listener there is plain HTTP, the browser's is HTTPS). */
    tlsAtLoadBalancer: number[];
    /** Providers of `security.customAuth`: a workload has one external authorization provider. */
    customAuthProviders: string[];
    /** Whether controlPlane.serviceMeshId is given: ASM's API needs it. */
    serviceMeshId: boolean;
    /** Checks a scope's hosts and paths as every policy rule's (security.customAuth's own check). */
    checkScope: (scope: { hosts?: string[]; paths?: string[] }, p: (...rest: PathSegment[]) => PathSegment[]) => void;
    /** Routes with a CORS policy that requests in a policy scope can reach. */
    corsRoutesIn: (scope: { hosts?: string[]; paths?: string[] }) => CorsRouteInScope[];
}

export function checkOidc(oidc: OidcSpec, routing: RoutingSpec | undefined, ctx: OidcContext, list: IssueList): void {
    const at = oidcAt;
    if (!/^https:\/\/[^/\s]+/.test(oidc.issuerUrl))
        list.add(at("issuerUrl"), "must be an https:// URL (oauth2-proxy reads the issuer's discovery document over TLS)");
    if (typeof oidc.cookieSecret === "string") {
        const problem = checkCookieSecret(oidc.cookieSecret);
        if (problem !== undefined) list.add(at("cookieSecret"), problem);
    }
    if (oidc.hosts.length === 0)
        list.add(at("hosts"), "give the hosts users log in on (each needs https://<host>/oauth2/callback registered at the issuer)");
    ctx.checkScope(oidcScope(oidc), at);
    checkHttpsHosts(oidc, routing, ctx, list);
    checkPreflights(oidc, ctx, list);
    if (ctx.mode === "asm") checkAsmOidc(oidc, ctx, list);
    else checkAdmission(oidc, list);
    const provider = oidcProviderName(oidc, ctx.gatewayName, ctx.mode);
    const others = ctx.customAuthProviders.filter((p) => p !== provider);
    if (others.length > 0)
        list.add(
            at(),
            `Istio allows one external authorization provider per workload; security.customAuth uses ${others.join(", ")} and the login uses ${provider}`,
        );
    const redirects = `Register at the issuer the redirect URIs ${oidc.hosts.map((h) => `https://${h}/oauth2/callback`).join(", ")}`;
    if (ctx.mode === "asm") {
        list.warn(
            at(),
            `ASM runs the login's oauth2-proxy (Service ${asmOauth2ProxyName(oidc, ctx.gatewayName)} in istio-system) for the extension provider ${provider}, ` +
                "which the component registers through ASM's API before the CUSTOM policy that names it. " +
                "Everyone the issuer authenticates gets in: ASM's OIDC settings have no group or email condition. " +
                `Restrict who may log in at the issuer (grant the client ${oidc.clientId} only to the users or groups who may enter), ` +
                `or use istio mode, where allowedGroups, allowedEmails and allowedEmailDomains apply. ${redirects}`,
        );
        return;
    }
    list.warn(
        at(),
        `the login goes through the extension provider ${provider}, which only the mesh config can define. ` +
            "Until the mesh config (istiod's meshConfig, e.g. the istio ConfigMap or IstioOperator/helm values) holds this entry, " +
            `Istio denies every request in the login's scope (a CUSTOM policy naming an unknown provider):\n${meshConfigYaml(oidcMeshProvider(oidc, ctx.gatewayName, ctx.namespace, ctx.names))}` +
            redirects,
    );
}

/**
 * What ASM's OIDC settings can say: one redirect domain (so one host: Istio calls one CUSTOM
 * provider per workload by default, so a second provider cannot serve a second host), no
 * admission condition, and no oauth2-proxy of the component's own; and the ASM instance to
 * register the provider with.
 */
function checkAsmOidc(oidc: OidcSpec, ctx: OidcContext, list: IssueList): void {
    const at = oidcAt;
    const provider = oidcProviderName(oidc, ctx.gatewayName, "asm");
    const where = oidc.provider === undefined ? at() : at("provider");
    const named = oidc.provider === undefined ? `the default provider name ${provider}` : `"${provider}"`;
    if (!ASM_PROVIDER_NAME.test(provider))
        list.add(where, `${named} must start with ${ASM_EXT_AUTH_TYPE}- (ASM's rule) and go on with lower-case letters, digits and '-'`);
    else if (provider.length > ASM_PROVIDER_MAX_LENGTH)
        list.add(
            where,
            `${named} is ${provider.length} characters; at most ${ASM_PROVIDER_MAX_LENGTH}, so that ASM's Service ${ASM_PROXY_PREFIX}<name> fits in 63` +
                (oidc.provider === undefined ? "; give a shorter security.oidc.provider" : ""),
        );
    if (oidc.hosts.length > 1)
        list.add(
            at("hosts", 1),
            "asm mode logs in on one host: ASM's OIDC settings have one redirect domain, and Istio calls one CUSTOM provider per gateway workload (unless istiod sets PILOT_ENABLE_MULTIPLE_CUSTOM_AUTHZ_PROVIDERS, off by default), so a second provider cannot serve another host; use one host (or istio mode)",
        );
    const admission = (["allowedGroups", "allowedEmails", "allowedEmailDomains"] as const).filter((f) => {
        const given = oidc[f] ?? [];
        return given.length > 0 && !(f === "allowedEmailDomains" && given.length === 1 && given[0] === "*");
    });
    for (const f of admission)
        list.add(
            at(f),
            `ASM's OIDC settings have no group or email condition: everyone the issuer authenticates gets in. Restrict who may log in at the issuer (grant the client ${oidc.clientId} only to those users or groups), or use istio mode`,
        );
    for (const f of ["image", "replicas"] as const)
        if (oidc[f] !== undefined) list.add(at(f), "ASM runs the login's oauth2-proxy itself; set it in istio mode only");
    if (!ctx.serviceMeshId)
        list.add(
            ["controlPlane", "serviceMeshId"],
            "asm mode registers the login's extension provider through ASM's API, which needs the ASM instance id; give controlPlane.serviceMeshId (a kubeconfig may stay beside it, for the connection)",
        );
}

/** The session cookie is Secure and the callback URL https: a host served only over plain HTTP could never log in. */
function checkHttpsHosts(oidc: OidcSpec, routing: RoutingSpec | undefined, ctx: OidcContext, list: IssueList): void {
    const listeners = routing?.listeners;
    if (listeners === undefined) return;
    oidc.hosts.forEach((h, j) => {
        const serving = listeners.filter(
            (l) => servesHttp(l) && l.hosts.some((x) => x === "*" || x === h || (x.startsWith("*.") && h.endsWith(x.slice(1)))),
        );
        if (serving.length > 0 && !serving.some((l) => l.protocol === "HTTPS" || ctx.tlsAtLoadBalancer.includes(l.port)))
            list.add(
                oidcAt("hosts", j),
                `${h} is served over plain HTTP only: oauth2-proxy's session cookie is Secure and its callback URL https://${h}/oauth2/callback, so the login could never complete; serve it on an HTTPS listener (or a load balancer port that terminates TLS)`,
            );
    });
}

/**
 * Istio's HTTP filter chain runs the CUSTOM check (ext_authz) before the CORS filter
 * (`buildHTTPConnectionManager` in pilot/pkg/networking/core/listener_builder.go), and a CORS
 * preflight never carries cookies (Fetch standard), so in the login's scope every preflight gets
 * the login's redirect, which a browser takes as a failed preflight.
 */
function checkPreflights(oidc: OidcSpec, ctx: OidcContext, list: IssueList): void {
    if (oidc.skipAuthPreflight === true) return;
    for (const { index, route, hosts } of ctx.corsRoutesIn(oidcScope(oidc)))
        list.warn(
            ["routing", "http", index, "cors"],
            `route ${route.name} is in the login's scope (${hosts.join(", ")}): a browser sends its CORS preflights (OPTIONS) without the session cookie, and Istio runs the login before the CORS policy, so each preflight gets the login's redirect and the browser refuses the cross-origin call. ` +
                "Set security.oidc.skipAuthPreflight: true (OPTIONS requests then pass without a login, as with oauth2-proxy's --skip-auth-preflight), or keep the route out of the login's hosts and paths",
        );
}

/** Who may log in: at least one condition, each well-formed. */
function checkAdmission(oidc: OidcSpec, list: IssueList): void {
    const at = oidcAt;
    const given = [oidc.allowedGroups, oidc.allowedEmails, oidc.allowedEmailDomains].filter((x) => x !== undefined && x.length > 0);
    if (given.length === 0)
        list.add(
            at(),
            "say who may log in: allowedGroups, allowedEmails or allowedEmailDomains (allowedEmailDomains: ['*'] admits every account of the issuer)",
        );
    (oidc.allowedEmails ?? []).forEach((e, i) => {
        if (!/^[^@\s]+@[^@\s]+$/.test(e)) list.add(at("allowedEmails", i), `"${e}" is not an email address`);
    });
    (oidc.allowedEmailDomains ?? []).forEach((d, i) => {
        if (d !== "*" && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(d))
            list.add(at("allowedEmailDomains", i), `"${d}" is not a lower-case domain name (or *)`);
    });
}

/** The mesh config's `extensionProviders` entry for the login (istio/api mesh/v1alpha1/config.proto, EnvoyExternalAuthorizationHttpProvider). */
export interface OidcMeshProvider {
    name: string;
    envoyExtAuthzHttp: {
        service: string;
        port: number;
        timeout: string;
        includeRequestHeadersInCheck: string[];
        headersToUpstreamOnAllow: string[];
        headersToDownstreamOnAllow: string[];
        headersToDownstreamOnDeny: string[];
    };
}

export function oidcMeshProvider(oidc: OidcSpec<unknown>, gatewayName: string, namespace: string, names: WorkloadNames): OidcMeshProvider {
    return {
        name: oidcProviderName(oidc, gatewayName, "istio"),
        envoyExtAuthzHttp: {
            service: `${oauth2ProxyName(names)}.${namespace}.svc.cluster.local`,
            port: OAUTH2_PROXY_PORT,
            timeout: "10s",
            // The session and CSRF cookies, and a bearer token. Host, method and path are always sent.
            includeRequestHeadersInCheck: ["authorization", "cookie"],
            // The ID token and who logged in, for the backends (--set-authorization-header, --set-xauthrequest).
            headersToUpstreamOnAllow: ["authorization", ...OAUTH2_PROXY_USER_HEADERS],
            // A refreshed session cookie.
            headersToDownstreamOnAllow: ["set-cookie"],
            // The redirect to the issuer (Location is always passed) and the cookies set with it.
            headersToDownstreamOnDeny: ["set-cookie", "content-type"],
        },
    };
}

/**
 * The `config` of the login's ExtensionProvider in asm mode: the envoyExtAuthzHttp fields Istio
 * defines (ASM's API creates a standard Istio extension provider) with the header lists of ASM's
 * own OIDC example, and ASM's `oidc` block, which makes ASM run oauth2-proxy against the issuer
 * with its callback at `https://<host>/oauth2/callback`. Compact JSON with keys sorted at every
 * level: the form ASM hands the stored config back in (the alicloud provider's acceptance test
 * reads back exactly such a string), so a refresh finds no difference. It holds the client and
 * cookie secrets: the caller keeps it secret.
 */
export function asmOidcProviderConfig(oidc: OidcSpec<string>, gatewayName: string): string {
    return sortedJson({
        service: `${asmOauth2ProxyName(oidc, gatewayName)}.istio-system.svc.cluster.local`,
        port: OAUTH2_PROXY_PORT,
        timeout: "10s",
        includeRequestHeadersInCheck: ["cookie", "x-forward-access-token"],
        headersToUpstreamOnAllow: ["authorization", "cookie", "path", "x-auth-request-access-token", "x-forwarded-access-token"],
        headersToDownstreamOnDeny: ["content-type", "set-cookie"],
        oidc: {
            issuerURI: oidc.issuerUrl,
            clientID: oidc.clientId,
            clientSecret: oidc.clientSecret,
            cookieSecret: oidc.cookieSecret,
            redirectDomain: oidc.hosts[0],
            // Hosts served over plain HTTP only are refused: the callback is always https.
            redirectProtocol: "https",
            scopes: OIDC_SCOPES,
        },
    });
}

function sortedJson(value: unknown): string {
    const sort = (v: unknown): unknown =>
        Array.isArray(v)
            ? v.map(sort)
            : v !== null && typeof v === "object"
              ? Object.fromEntries(
                    Object.keys(v)
                        .sort()
                        .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
                )
              : v;
    return JSON.stringify(sort(value));
}

export interface OidcRenderContext {
    names: WorkloadNames;
    namespace: string;
    gatewayName: string;
}

/**
 * The pod template annotation carrying the revision of oauth2-proxy's Secret: the API server's
 * `resourceVersion`, which every write of the Secret changes. oauth2-proxy reads the secrets at
 * start only, so a rotated client or cookie secret must roll its pods. Not a hash of the values:
 * that would put something derived from the secrets into the pod template, which more users may
 * read than the Secret (and a weak client secret could be guessed from it). The Pulumi shell sets
 * it from the registered Secret, so the Deployment also waits for the Secret's update.
 */
export const OAUTH2_PROXY_SECRET_REVISION = "mesh-gateway/oauth2-proxy-secret-revision";

/** The oauth2-proxy Deployment with its Secret's revision on the pod template; any other object as is. */
export function withSecretRevision<T>(obj: KubeObject<T>, names: WorkloadNames, revision: T): KubeObject<T> {
    if (obj.kind !== "Deployment" || obj.metadata.name !== oauth2ProxyName(names)) return obj;
    const spec = obj.spec as { template: { metadata: { annotations?: Record<string, T> } } };
    const template = {
        ...spec.template,
        metadata: { ...spec.template.metadata, annotations: { [OAUTH2_PROXY_SECRET_REVISION]: revision } },
    };
    return { ...obj, spec: { ...spec, template } };
}

/** oauth2-proxy in the gateway's namespace: its Secret, Deployment, Service and (with 2+ replicas) PodDisruptionBudget. */
export function renderOidc(oidc: OidcSpec | undefined, ctx: OidcRenderContext): KubeObject[] {
    if (oidc === undefined) return [];
    const name = oauth2ProxyName(ctx.names);
    const labels = { app: name, ...gatewayLabel(ctx.gatewayName) };
    const metadata = { name, namespace: ctx.namespace, labels };
    const emails = oidc.allowedEmails ?? [];
    const secret: KubeObject = {
        apiVersion: "v1",
        kind: "Secret",
        metadata,
        type: "Opaque",
        // Passed through untouched, so a Pulumi secret stays one.
        stringData: compact({
            "client-secret": oidc.clientSecret as string,
            "cookie-secret": oidc.cookieSecret as string,
            [EMAILS_KEY]: emails.length > 0 ? emails.map((e) => `${e}\n`).join("") : undefined,
        }),
    };
    const service: KubeObject = {
        apiVersion: "v1",
        kind: "Service",
        metadata,
        spec: {
            selector: { app: name },
            ports: [{ name: "http", port: OAUTH2_PROXY_PORT, targetPort: "http", protocol: "TCP", appProtocol: "http" }],
        },
    };
    // As the gateway's own budget: a drain never takes the last running pod, and one pod alone
    // gets none (it could never be evicted).
    const replicas = oidc.replicas ?? DEFAULT_REPLICAS;
    const budget: KubeObject[] =
        replicas > 1
            ? [
                  {
                      apiVersion: "policy/v1",
                      kind: "PodDisruptionBudget",
                      metadata,
                      spec: { minAvailable: 1, selector: { matchLabels: { app: name } } },
                  },
              ]
            : [];
    return [secret, oauth2ProxyDeployment(oidc, name, metadata, emails.length > 0), service, ...budget];
}

/** The oauth2-proxy flags: OIDC against the issuer, an authorization service for Envoy (`static://200` on success). */
export function oauth2ProxyArgs(oidc: OidcSpec<unknown>, emailsFile: boolean): string[] {
    const domains = oidc.allowedEmailDomains ?? [];
    // No email condition: every email passes, and the groups decide (oauth2-proxy admits no one without one).
    const emailDomains = domains.length > 0 ? domains : emailsFile ? [] : ["*"];
    return [
        "--provider=oidc",
        `--oidc-issuer-url=${oidc.issuerUrl}`,
        `--client-id=${oidc.clientId}`,
        `--http-address=0.0.0.0:${OAUTH2_PROXY_PORT}`,
        "--upstream=static://200",
        "--reverse-proxy",
        "--skip-provider-button",
        "--set-xauthrequest",
        "--set-authorization-header",
        `--ping-path=${OAUTH2_PROXY_PING_PATH}`,
        `--ready-path=${OAUTH2_PROXY_READY_PATH}`,
        "--silence-ping-logging",
        ...emailDomains.map((d) => `--email-domain=${d}`),
        ...(emailsFile ? [`--authenticated-emails-file=${EMAILS_FILE_DIR}/${EMAILS_KEY}`] : []),
        ...(oidc.allowedGroups ?? []).map((g) => `--allowed-group=${g}`),
    ];
}

function oauth2ProxyDeployment(oidc: OidcSpec, name: string, metadata: KubeObject["metadata"], emailsFile: boolean): KubeObject {
    const fromSecret = (env: string, key: string) => ({ name: env, valueFrom: { secretKeyRef: { name, key } } });
    const probe = (path: string) => ({ httpGet: { path, port: "http" }, periodSeconds: 10, timeoutSeconds: 2 });
    return {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata,
        spec: {
            replicas: oidc.replicas ?? DEFAULT_REPLICAS,
            selector: { matchLabels: { app: name } },
            template: {
                metadata: { labels: { ...metadata.labels } },
                spec: {
                    automountServiceAccountToken: false,
                    securityContext: {
                        runAsNonRoot: true,
                        runAsUser: 65532,
                        runAsGroup: 65532,
                        seccompProfile: { type: "RuntimeDefault" },
                    },
                    containers: [
                        {
                            name: "oauth2-proxy",
                            image: oidc.image ?? OAUTH2_PROXY_IMAGE,
                            args: oauth2ProxyArgs(oidc, emailsFile),
                            env: [
                                fromSecret("OAUTH2_PROXY_CLIENT_SECRET", "client-secret"),
                                fromSecret("OAUTH2_PROXY_COOKIE_SECRET", "cookie-secret"),
                            ],
                            ports: [{ name: "http", containerPort: OAUTH2_PROXY_PORT, protocol: "TCP" }],
                            livenessProbe: probe(OAUTH2_PROXY_PING_PATH),
                            readinessProbe: probe(OAUTH2_PROXY_READY_PATH),
                            resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
                            securityContext: {
                                allowPrivilegeEscalation: false,
                                readOnlyRootFilesystem: true,
                                capabilities: { drop: ["ALL"] },
                            },
                            ...(emailsFile ? { volumeMounts: [{ name: "emails", mountPath: EMAILS_FILE_DIR, readOnly: true }] } : {}),
                        },
                    ],
                    ...(emailsFile
                        ? { volumes: [{ name: "emails", secret: { secretName: name, items: [{ key: EMAILS_KEY, path: EMAILS_KEY }] } }] }
                        : {}),
                },
            },
        },
    };
}
