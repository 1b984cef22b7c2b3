// Certificates and edge security as Kubernetes objects: TLS Secrets (from PEM, with the values
// passed through untouched so they stay Pulumi secrets), cert-manager Certificates, and Istio
// RequestAuthentication/AuthorizationPolicy on the gateway workload.
import {
    acceptsAnyAudience,
    audienceForms,
    certificateHosts,
    jwtScopeKey,
    usedByGateway,
    type CertificateSpec,
    type JwtRule,
    type SecuritySpec,
} from "../edge";
import { OAUTH2_PROXY_USER_HEADERS, oidcPolicyName, oidcPolicyRule } from "../oidc";
import type { RoutingSpec } from "../routing";
import { DEFAULTS } from "../spec";
import type { WorkloadNames } from "../fleet";
import { compact, gatewayLabel, type KubeObject } from "./common";

export interface EdgeRenderContext {
    names: WorkloadNames;
    /** The gateway's namespace: Istio reads gateway credentials there, and policies select there. */
    namespace: string;
    gatewayName: string;
}

export interface SecurityRenderContext extends EdgeRenderContext {
    /** security.istio.io/v1, or v1beta1 for older meshes. */
    apiVersion: string;
    /** Container ports of the HTTP(S) listeners: rules with HTTP attributes are scoped to them. */
    httpPorts: number[];
    /** The login's provider is named after ASM's rule in asm mode. */
    mode: "asm" | "istio";
}

export const CERT_MANAGER_VERSION = "cert-manager.io/v1";

/**
 * One TLS Secret or cert-manager Certificate per declared certificate (none for existing
 * Secrets). A PEM becomes a Secret only where a gateway listener uses it: one that only a load
 * balancer terminates with stays out of the clusters.
 */
export function renderCertificates(
    certs: CertificateSpec[] | undefined,
    routing: RoutingSpec | undefined,
    ctx: EdgeRenderContext,
): KubeObject[] {
    return (certs ?? []).flatMap((c): KubeObject[] => {
        const metadata = { name: c.name, namespace: ctx.namespace, labels: gatewayLabel(ctx.gatewayName) };
        if (c.pem !== undefined) {
            if (!usedByGateway(c, routing)) return [];
            // Renewal changes only this Secret's data: Istio's SDS pushes it to the running
            // gateways, so nothing else (and no pod) changes.
            return [
                {
                    apiVersion: "v1",
                    kind: "Secret",
                    metadata,
                    type: "kubernetes.io/tls",
                    stringData: compact({
                        "tls.crt": c.pem.certificate as string,
                        "tls.key": c.pem.privateKey as string,
                        "ca.crt": c.clientCaCertificate as string | undefined,
                    }),
                },
            ];
        }
        if (c.certManager !== undefined) {
            // cert-manager's own ca.crt is its issuer's CA; the client CA of a MUTUAL listener is
            // read by Istio from `<credentialName>-cacert`.
            const clientCa: KubeObject[] =
                c.clientCaCertificate === undefined
                    ? []
                    : [
                          {
                              apiVersion: "v1",
                              kind: "Secret",
                              metadata: { ...metadata, name: `${c.name}-cacert` },
                              type: "Opaque",
                              stringData: { "ca.crt": c.clientCaCertificate as string },
                          },
                      ];
            return [
                ...clientCa,
                {
                    apiVersion: CERT_MANAGER_VERSION,
                    kind: "Certificate",
                    metadata,
                    spec: compact({
                        secretName: c.name,
                        dnsNames: certificateHosts(c, routing),
                        issuerRef: {
                            name: c.certManager.issuer,
                            kind: c.certManager.kind ?? DEFAULTS.issuerKind,
                            group: "cert-manager.io",
                        },
                        duration: c.certManager.duration,
                        renewBefore: c.certManager.renewBefore,
                        privateKey: { rotationPolicy: "Always", algorithm: "ECDSA", size: 256 },
                    }),
                },
            ];
        }
        return [];
    });
}

/**
 * Edge policy on the gateway pods. Everything that must hold together is a DENY policy (IP
 * lists, "token required"), because ALLOW policies are alternatives: an IP allow-list and a JWT
 * requirement written as two ALLOW policies would let either one suffice.
 */
export function renderSecurity(security: SecuritySpec | undefined, ctx: SecurityRenderContext): KubeObject[] {
    if (security === undefined) return [];
    const objects: KubeObject[] = [];
    const selector = { matchLabels: { ...ctx.names.selector } };
    const named = (name: string, spec: Record<string, unknown>): KubeObject => ({
        apiVersion: ctx.apiVersion,
        kind: "AuthorizationPolicy",
        metadata: { name, namespace: ctx.namespace },
        spec: { selector, ...spec },
    });
    const policy = (suffix: string, spec: Record<string, unknown>): KubeObject => named(`${ctx.names.workload}-${suffix}`, spec);
    // Behind an L7 proxy the client is in X-Forwarded-For (remoteIpBlocks); otherwise the
    // gateway sees it directly only when the load balancer keeps the source address (ipBlocks).
    const remote = security.trustedProxies !== undefined;
    const [blocks, notBlocks] = remote ? ["remoteIpBlocks", "notRemoteIpBlocks"] : ["ipBlocks", "notIpBlocks"];
    if ((security.ipAllow ?? []).length > 0) {
        objects.push(policy("ip-allow", { action: "DENY", rules: [{ from: [{ source: { [notBlocks]: security.ipAllow } }] }] }));
    }
    if ((security.ipDeny ?? []).length > 0) {
        objects.push(policy("ip-deny", { action: "DENY", rules: [{ from: [{ source: { [blocks]: security.ipDeny } }] }] }));
    }
    const jwt = security.jwt ?? [];
    if (jwt.length > 0) {
        objects.push({
            apiVersion: ctx.apiVersion,
            kind: "RequestAuthentication",
            metadata: { name: `${ctx.names.workload}-jwt`, namespace: ctx.namespace },
            spec: {
                selector,
                jwtRules: jwt.map((r) =>
                    compact({ issuer: r.issuer, jwksUri: r.jwksUri, jwks: r.jwks, audiences: r.audiences, forwardOriginalToken: true }),
                ),
            },
        });
        objects.push(policy("jwt-required", { action: "DENY", rules: jwtRequiredRules(jwt, ctx.httpPorts) }));
    }
    // The login is one more external authorization rule: the same CUSTOM policy, naming
    // oauth2-proxy's provider, with the login flow's own paths in its scope.
    const oidc =
        security.oidc === undefined
            ? []
            : [{ name: oidcPolicyName(ctx.names), rule: oidcPolicyRule(security.oidc, ctx.gatewayName, ctx.mode) }];
    const custom = [...(security.customAuth ?? []).map((rule, i) => ({ name: `${ctx.names.workload}-ext-authz-${i}`, rule })), ...oidc];
    for (const { name, rule } of custom) {
        const to = operation(rule, ctx.httpPorts);
        objects.push(named(name, { action: "CUSTOM", provider: { name: rule.provider }, rules: [{ to }] }));
    }
    if (security.oidc !== undefined) objects.push(oidcHeaderFilter(ctx));
    return objects;
}

/**
 * The "token required" DENY rules, per scope (rules with equal hosts and paths share one).
 * RequestAuthentication alone lets requests without a token through, and its JWT filter accepts
 * on every path a token that any rule accepts (`convertToEnvoyJwtConfig` in
 * pilot/pkg/security/authn/policy_applier.go). So each scope refuses, first, a request without a
 * principal of the scope's issuers (`<iss>/<sub>`: `<iss>/*` binds the scope to its issuers) and
 * then, per issuer whose rules there all list audiences, a token of that issuer without one of
 * them: a token for another scope's audience does not open this one. Istio ANDs a DENY rule's
 * `from`, `to` and `when` (pilot/pkg/security/authz/model/model.go), so those are two rules.
 */
function jwtRequiredRules(jwt: JwtRule[], ports: number[]): Record<string, unknown>[] {
    const scopes = new Map<string, JwtRule[]>();
    for (const r of jwt) (scopes.get(jwtScopeKey(r)) ?? scopes.set(jwtScopeKey(r), []).get(jwtScopeKey(r))!).push(r);
    return [...scopes.values()].flatMap((rules) => {
        const to = operation(rules[0], ports);
        const issuers = [...new Set(rules.map((r) => r.issuer))];
        const audienceRules = issuers.flatMap((issuer) => {
            const own = rules.filter((r) => r.issuer === issuer);
            if (own.some(acceptsAnyAudience)) return [];
            // `request.auth.audiences` is the token's `aud`, a string or a list: Istio matches
            // either, a list when one of its values is listed (`requestAudiencesGenerator` in
            // pilot/pkg/security/authz/model/generator.go), as Envoy's audience check does; but
            // exactly, where Envoy ignores a scheme and a trailing slash: list those forms too.
            const audiences = [...new Set(own.flatMap((r) => r.audiences!.flatMap(audienceForms)))];
            return [
                {
                    from: [{ source: { requestPrincipals: [`${issuer}/*`] } }],
                    to,
                    when: [{ key: "request.auth.audiences", notValues: audiences }],
                },
            ];
        });
        return [{ from: [{ source: { notRequestPrincipals: issuers.map((i) => `${i}/*`) } }], to }, ...audienceRules];
    });
}

/**
 * Removes the login's user headers from every client request, before any filter reads them:
 * Envoy's header mutation filter as the first HTTP filter of the gateway's listeners (ahead of
 * Istio's ext_authz, which then sets the ones oauth2-proxy answers with). An INSERT_FIRST patch
 * is not relative to another filter, so it needs no priority (pkg/config/analysis/analyzers/envoyfilter).
 */
function oidcHeaderFilter(ctx: SecurityRenderContext): KubeObject {
    return {
        apiVersion: "networking.istio.io/v1alpha3",
        kind: "EnvoyFilter",
        metadata: {
            name: `${ctx.names.workload}-oidc-headers`,
            namespace: ctx.namespace,
            labels: gatewayLabel(ctx.gatewayName),
        },
        spec: {
            workloadSelector: { labels: { ...ctx.names.selector } },
            configPatches: [
                {
                    applyTo: "HTTP_FILTER",
                    match: {
                        context: "GATEWAY",
                        listener: { filterChain: { filter: { name: "envoy.filters.network.http_connection_manager" } } },
                    },
                    patch: {
                        operation: "INSERT_FIRST",
                        value: {
                            name: "envoy.filters.http.header_mutation",
                            typed_config: {
                                "@type": "type.googleapis.com/envoy.extensions.filters.http.header_mutation.v3.HeaderMutation",
                                mutations: { request_mutations: OAUTH2_PROXY_USER_HEADERS.map((h) => ({ remove: h })) },
                            },
                        },
                    },
                },
            ],
        },
    };
}

/**
 * OPTIONS left out of a rule with skipAuthPreflight: `notMethods` negates the method match
 * (pilot/pkg/security/authz/model/model.go), so a DENY rule does not refuse them, and a CUSTOM
 * rule does not send them to its provider (Istio calls ext_authz only for requests its shadow
 * RBAC filter matched, pilot/pkg/security/authz/builder/builder.go).
 */
function skipped(rule: { skipAuthPreflight?: boolean }): string[] | undefined {
    return rule.skipAuthPreflight === true ? ["OPTIONS"] : undefined;
}

/**
 * Where a rule with HTTP attributes applies: its hosts and paths, on the HTTP(S) listeners'
 * ports only. On TCP connections Istio drops the HTTP attributes of DENY and CUSTOM rules (a
 * wider rule: `rule.checkError` in pilot/pkg/security/authz/model/model.go), so without ports the
 * rule would deny every TCP and TLS passthrough connection in the policy's scope (Istio's
 * AuthorizationPolicy validation warning, pkg/config/validation/validation.go; IST0133).
 */
function operation(scope: { hosts?: string[]; paths?: string[]; skipAuthPreflight?: boolean }, ports: number[]): Record<string, unknown>[] {
    // Hosts arrive with or without a port in the Host header; match both.
    const hosts = scope.hosts?.flatMap((h) => [h, `${h}:*`]);
    return [{ operation: compact({ ports: ports.map(String), hosts, paths: scope.paths, notMethods: skipped(scope) }) }];
}
