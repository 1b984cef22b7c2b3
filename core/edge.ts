// DNS, certificates and edge security: names that resolve to each cluster's gateway, TLS
// Secrets the listeners use, and policy on the gateway workload. Plain TypeScript; private keys
// are opaque values here (Pulumi secrets in a program) and only parsed when given as text.
import { ownValue } from "./input";
import { X509Certificate, createPrivateKey } from "crypto";
import { BlockList, isIP } from "net";
import type { IssueList, PathSegment } from "./errors";
import { DEFAULT_LB_KEY, isDefaultLoadBalancer, type AddressKind, type CloudId } from "./loadBalancer";
import { checkOidc, oauth2ProxyName, oidcScope, type OidcSpec } from "./oidc";
import { hostMatches, servesHttp, type HttpRoute, type Listener, type RoutingSpec } from "./routing";
import { podPorts } from "./vhostPatch";
import type { WorkloadNames } from "./fleet";
import { DNS_LABEL } from "./kubeNames";
import type { MeshTarget } from "./meshVersion";
import { DEFAULTS, type GatewaySpec } from "./spec";

/**
 * PEM text: a string in config files; in a program also a Pulumi secret Output. Opaque to the
 * core until it is a string (the component's arguments give `pulumi.Input<string>`).
 */
export type SecretText = CloudId;

/**
 * Which DNS records a name gets: `shared` (one record per cluster address: DNS round-robin),
 * `perCluster` (`<clusterId>.<host>` per cluster) or `both`.
 */
export const DnsRecords = { Shared: "shared", PerCluster: "perCluster", Both: "both" } as const;
export type DnsRecords = (typeof DnsRecords)[keyof typeof DnsRecords];

/** The cert-manager issuer kind: namespaced `Issuer` or cluster-wide `ClusterIssuer`. */
export const IssuerKind = { Issuer: "Issuer", ClusterIssuer: "ClusterIssuer" } as const;
export type IssuerKind = (typeof IssuerKind)[keyof typeof IssuerKind];

export interface DnsSpec<Id = CloudId> {
    /** The DNS zone (Alibaba Cloud DNS domain), e.g. `example.com`. Every host must be in it. */
    zone: string;
    /** Write the records in this private zone (PrivateZone) instead of public Alibaba Cloud DNS. */
    privateZoneId?: Id;
    /** Names to publish. Default: every listener host in the zone (`*.example.com` as a wildcard record). */
    hosts?: string[];
    /**
     * `shared` (default): each name gets one record per cluster address (DNS round-robin).
     * `perCluster`: `<clusterId>.<host>` per cluster. `both`: the two.
     */
    records?: DnsRecords;
    /** Seconds a resolver may cache the record, 1–86400. Default 600. */
    ttl?: number;
    /** Alibaba Cloud DNS resolution line, default `default`. */
    line?: string;
    /**
     * The load balancer the records point at, in every cluster: `default` (the gateway's own,
     * the default) or the name of an `additionalLoadBalancers` entry, e.g. the intranet one for
     * a PrivateZone that internal callers use.
     */
    loadBalancer?: string;
    /** Per published host: the load balancer its records point at, instead of `loadBalancer`. */
    hostLoadBalancers?: Record<string, string>;
}

export interface PemCertificate<Text = SecretText> {
    /** The certificate chain, PEM. May be a Pulumi secret. */
    certificate: Text;
    /** The private key, PEM. Kept secret. */
    privateKey: Text;
}

export interface CertManagerSource {
    /** Name of the cert-manager Issuer or ClusterIssuer. */
    issuer: string;
    /** Default ClusterIssuer. */
    kind?: IssuerKind;
    /** e.g. "2160h". */
    duration?: string;
    /** How long before expiry cert-manager renews, hours/minutes/seconds such as `360h`. Default: cert-manager's (a third of the duration). */
    renewBefore?: string;
}

export interface CertificateSpec<Text = SecretText> {
    /** The Secret name, which listeners give as `tls.credentialName`. */
    name: string;
    /** Host names the certificate must cover. Default: the hosts of the listeners using it. */
    hosts?: string[];
    /** Certificate and key given as PEM. */
    pem?: PemCertificate<Text>;
    /** Issued and renewed by cert-manager from this Issuer or ClusterIssuer. */
    certManager?: CertManagerSource;
    /** The Secret exists already (made by another tool); nothing is created. */
    existingSecret?: boolean;
    /** Client CA (PEM) for MUTUAL listeners: stored as `ca.crt` in the same Secret. */
    clientCaCertificate?: Text;
    /** Also upload the PEM to Alibaba Cloud Certificate Management, for TLS terminated at the load balancer. */
    uploadToAlibabaCloud?: boolean;
}

export interface JwtRule {
    /** The token issuer (`iss` claim) accepted. */
    issuer: string;
    /** Where the signing keys are published. Give jwksUri or jwks, not both. */
    jwksUri?: string;
    /** Inline JWKS (JSON). */
    jwks?: string;
    /**
     * Accepted `aud` values, in this rule's hosts and paths: a token of the issuer for another
     * rule's audience does not open them. None (or empty): any audience.
     */
    audiences?: string[];
    /** Hosts that require a token; none: every host. */
    hosts?: string[];
    /** Paths that require a token (`/api/*`); none: every path. */
    paths?: string[];
    /**
     * Let OPTIONS requests through without a token, so that browsers' CORS preflights (which never
     * carry one) reach the gateway's CORS policy instead of a 403. Rules with the same hosts and
     * paths must agree. Default false.
     */
    skipAuthPreflight?: boolean;
}

export interface CustomAuthRule {
    /** Name of the mesh's extension provider (`meshConfig.extensionProviders`). */
    provider: string;
    /** Hosts that need authorization; none: every host. */
    hosts?: string[];
    /** Paths that need authorization (`/api/*`); none: every path. */
    paths?: string[];
    /** Send no OPTIONS request to the provider (CORS preflights carry no credentials). Default false. */
    skipAuthPreflight?: boolean;
}

export interface SecuritySpec<Text = SecretText> {
    /** Only these client CIDRs may connect. */
    ipAllow?: string[];
    /** These client CIDRs are refused. */
    ipDeny?: string[];
    /**
     * L7 proxies in front of the gateway that add X-Forwarded-For (a WAF, an ALB). With it,
     * IP lists match the client address those proxies report (`remoteIpBlocks`).
     */
    trustedProxies?: number;
    /** JWT validation: requests to the given hosts/paths need a valid token of one of these issuers. Default: none. */
    jwt?: JwtRule[];
    /** External authorization (a mesh extension provider) for the given hosts/paths. Default: none. */
    customAuth?: CustomAuthRule[];
    /**
     * Single sign-on through an OpenID Connect issuer for the given hosts/paths: oauth2-proxy in
     * the gateway's namespace and a CUSTOM policy naming its mesh extension provider. Default: none.
     */
    oidc?: OidcSpec<Text>;
}

const DNS_NAME = /^(\*\.)?([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)*[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The record name of `host` in `zone`: `@` at the apex, else the labels before the zone. */
export function recordName(host: string, zone: string): string | undefined {
    if (host === zone) return "@";
    return host.endsWith(`.${zone}`) ? host.slice(0, -(zone.length + 1)) : undefined;
}

/** The names DNS publishes: given hosts, or every listener host inside the zone. */
export function dnsHosts(dns: DnsSpec, routing: RoutingSpec | undefined): string[] {
    if (dns.hosts !== undefined) return dns.hosts;
    const all = (routing?.listeners ?? []).flatMap((l) => l.hosts).filter((h) => h !== "*");
    return [...new Set(all)].filter((h) => recordName(h, dns.zone) !== undefined);
}

/** Listeners that terminate TLS with a Secret, by credential name. */
function terminatingListeners(routing: RoutingSpec | undefined): Map<string, { listener: Listener; index: number }[]> {
    const out = new Map<string, { listener: Listener; index: number }[]>();
    // Also called on config not yet validated (the stack program decides which credentials to read).
    (Array.isArray(routing?.listeners) ? routing.listeners : []).forEach((listener, index) => {
        const name = listener?.tls?.credentialName;
        if (name !== undefined) (out.get(name) ?? out.set(name, []).get(name)!).push({ listener, index });
    });
    return out;
}

/**
 * Hosts a certificate must cover: given, or those of the listeners that use it — the gateway
 * listeners naming it, and the listeners on the ports where a load balancer terminates TLS with
 * it (`lbPorts`: the ports of every `loadBalancer.tls` that names this certificate).
 */
export function certificateHosts(cert: CertificateSpec, routing: RoutingSpec | undefined, lbPorts: number[] = []): string[] {
    if (cert.hosts !== undefined) return cert.hosts;
    const atGateway = (terminatingListeners(routing).get(cert.name) ?? []).map((u) => u.listener);
    const atLoadBalancer = (routing?.listeners ?? []).filter((l) => lbPorts.includes(l.port));
    return [...new Set([...atGateway, ...atLoadBalancer].flatMap((l) => l.hosts).filter((h) => h !== "*"))];
}

/**
 * Whether a certificate becomes a TLS Secret in the clusters: only when a gateway listener names
 * it. A PEM used only by load balancers goes to Alibaba Cloud, and its private key is copied
 * nowhere else.
 */
export function usedByGateway(cert: CertificateSpec, routing: RoutingSpec | undefined): boolean {
    return terminatingListeners(routing).has(cert.name);
}

/**
 * Whether a certificate becomes an object in the clusters: a TLS Secret (a PEM a gateway listener
 * uses) or a cert-manager Certificate.
 */
export function placedInClusters(cert: CertificateSpec, routing: RoutingSpec | undefined): boolean {
    return (cert.pem !== undefined && usedByGateway(cert, routing)) || cert.certManager !== undefined;
}

export interface EdgeContext {
    /**
     * Per cluster and load balancer name (`default` or an additional one): the kind of address it
     * gets. A name missing from a cluster's map is a load balancer that cluster does not have.
     */
    addressKinds: Map<string, Map<string, AddressKind>>;
    /** Per certificate name: the ports where a load balancer terminates TLS with it. */
    loadBalancerTlsPorts: Map<string, number[]>;
    /** Services in front of the gateway whose clients reach the pods as node addresses (described for messages). */
    servicesHidingClients: string[];
    /** Services in front of the gateway with a load balancer on the internet (described for messages). */
    internetLoadBalancers: string[];
    /** Container ports of the gateway's HTTP(S) listeners, where HTTP attributes of a policy apply. */
    httpPorts: number[];
    mode: "asm" | "istio";
    /** Clusters that have credentials of their own (asm mode needs them for Secrets). */
    clustersWithCredentials: Set<string>;
    clusterIds: string[];
    /** When to warn about expiry. */
    now: Date;
    gatewayName: string;
    namespace: string;
    names: WorkloadNames;
    /** The mesh the policies are written for (rules that changed between Istio releases). */
    target: MeshTarget;
    /** Whether controlPlane.serviceMeshId is given (asm mode reaches ASM's API with it). */
    serviceMeshId: boolean;
}

const dnsAt = (...rest: PathSegment[]): PathSegment[] => ["dns", ...rest];

export function checkDns(dns: DnsSpec, routing: RoutingSpec | undefined, ctx: EdgeContext, list: IssueList): void {
    if (!DNS_NAME.test(dns.zone) || dns.zone.startsWith("*")) list.add(dnsAt("zone"), `"${dns.zone}" is not a DNS zone name`);
    const hosts = dnsHosts(dns, routing);
    if (hosts.length === 0)
        list.add(
            dnsAt(dns.hosts === undefined ? "zone" : "hosts"),
            `no host to publish: no listener host is in ${dns.zone}; give dns.hosts`,
        );
    for (const h of Object.keys(dns.hostLoadBalancers ?? {})) {
        if (!hosts.includes(h))
            list.add(dnsAt("hostLoadBalancers", { key: h }), `${h} is not a published name (${hosts.join(", ") || "none"})`);
    }
    const kindsOf = addressKindsOfHost(dns, ctx, list);
    if (dns.privateZoneId !== undefined && hosts.some((h) => kindsOf(h).includes("IPv6")))
        list.add(dnsAt("privateZoneId"), "PrivateZone records here are A or CNAME; an IPv6 load balancer needs AAAA: use public DNS");
    const records = dns.records ?? DEFAULTS.dnsRecords;
    hosts.forEach((h, i) => checkDnsRecord(dns, h, dns.hosts !== undefined ? dnsAt("hosts", i) : dnsAt("zone"), kindsOf(h), records, list));
    if (records !== "shared") {
        ctx.clusterIds.forEach((id) => {
            if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(id))
                list.add(dnsAt("records"), `cluster id ${id} cannot be a DNS label; per-cluster names are <clusterId>.<host>`);
        });
    }
}

/** Which load balancer a published host follows, and where the user chose it. */
function dnsTarget(dns: DnsSpec, h: string): [string, PathSegment[]] {
    const chosen = ownValue(dns.hostLoadBalancers, h);
    return chosen !== undefined
        ? [chosen, dnsAt("hostLoadBalancers", { key: h })]
        : [dns.loadBalancer ?? DEFAULT_LB_KEY, dns.loadBalancer !== undefined ? dnsAt("loadBalancer") : dnsAt()];
}

/**
 * The kind of address each cluster gives a host's load balancer. A load balancer missing in a
 * cluster is reported once, however many hosts follow it.
 */
function addressKindsOfHost(dns: DnsSpec, ctx: EdgeContext, list: IssueList): (h: string) => (AddressKind | undefined)[] {
    const reported = new Set<string>();
    return (h) => {
        const [name, where] = dnsTarget(dns, h);
        return ctx.clusterIds.map((id) => {
            const kind = ctx.addressKinds.get(id)?.get(name);
            const key = `${name}/${id}`;
            if (kind === undefined && (!isDefaultLoadBalancer(name) || ctx.mode === "asm") && !reported.has(key)) {
                reported.add(key);
                list.add(
                    where,
                    isDefaultLoadBalancer(name)
                        ? `in asm mode DNS points at the load balancer the component manages: cluster ${id} needs gateway.loadBalancer (ASM reports addresses only after the gateway is up)`
                        : `cluster ${id} has no additional load balancer named ${name} to point DNS at`,
                );
            }
            return kind;
        });
    };
}

/** Whether a host can have the records it needs: inside the zone, and no CNAME where DNS forbids one. */
function checkDnsRecord(
    dns: DnsSpec,
    h: string,
    where: PathSegment[],
    kinds: (AddressKind | undefined)[],
    records: NonNullable<DnsSpec["records"]>,
    list: IssueList,
): void {
    const rr = recordName(h, dns.zone);
    if (rr === undefined) {
        list.add(where, `${h} is outside the zone ${dns.zone}`);
        return;
    }
    if (rr === "@" && kinds.includes("hostname") && records !== "perCluster") {
        list.add(
            where,
            `${h} is the zone apex, which cannot be a CNAME; an NLB's address is a DNS name: use a CLB, or publish a subdomain`,
        );
    }
    // One name, one record per cluster: DNS allows no CNAME beside another record.
    if (records !== "perCluster" && kinds.includes("hostname") && kinds.length > 1) {
        list.add(
            where,
            `${h} would need several CNAME records, or a CNAME beside A records, which DNS forbids: set dns.records to perCluster (a name per cluster), or use CLBs`,
        );
    }
}

export function checkCertificates(certs: CertificateSpec[], routing: RoutingSpec | undefined, ctx: EdgeContext, list: IssueList): void {
    const byName = new Map<string, number>();
    certs.forEach((c, i) => {
        if (byName.has(c.name)) list.add(["certificates", i, "name"], `certificate ${c.name} is declared twice`);
        byName.set(c.name, i);
        checkCertificate(c, i, routing, ctx, list);
    });
    checkListenerCertificates(certs, byName, routing, list);
}

function checkCertificate(c: CertificateSpec, i: number, routing: RoutingSpec | undefined, ctx: EdgeContext, list: IssueList): void {
    const p = (...rest: PathSegment[]): PathSegment[] => ["certificates", i, ...rest];
    const sources = (["pem", "certManager", "existingSecret"] as const).filter((k) => c[k] !== undefined && c[k] !== false);
    if (sources.length !== 1) {
        list.add(
            p(),
            sources.length === 0
                ? "needs a source: pem, certManager or existingSecret"
                : `has ${sources.length} sources (${sources.join(", ")}); give exactly one`,
        );
    }
    if (c.uploadToAlibabaCloud === true && c.pem === undefined) list.add(p("uploadToAlibabaCloud"), "uploads a PEM certificate: give pem");
    if (c.clientCaCertificate !== undefined && c.existingSecret === true)
        list.add(p("clientCaCertificate"), "an existing Secret carries its own ca.crt");
    const hosts = certificateHosts(c, routing, ctx.loadBalancerTlsPorts.get(c.name));
    if (c.certManager !== undefined && hosts.length === 0)
        list.add(p("hosts"), "cert-manager needs the host names to request: give hosts, or use the certificate on a listener with hosts");
    if (ctx.mode === "asm" && placedInClusters(c, routing)) {
        for (const id of ctx.clusterIds) {
            if (!ctx.clustersWithCredentials.has(id))
                list.add(
                    p(),
                    `in asm mode the TLS Secret is created in each cluster (the gateway reads it there): cluster ${id} needs a kubeconfig or ackClusterId`,
                );
        }
    }
    if (c.pem !== undefined && typeof c.pem.certificate === "string" && typeof c.pem.privateKey === "string") {
        for (const issue of checkPem(c.pem.certificate, c.pem.privateKey, hosts, ctx.now)) {
            (issue.warning ? list.warn.bind(list) : list.add.bind(list))(p("pem", ...issue.field), issue.message);
        }
    }
    if (typeof c.clientCaCertificate === "string") {
        try {
            new X509Certificate(c.clientCaCertificate);
        } catch (e) {
            list.add(p("clientCaCertificate"), `does not parse as a PEM certificate: ${(e as Error).message}`);
        }
    }
}

/** Every TLS listener's credential has a declared certificate, with a client CA where the listener asks for client certificates. */
function checkListenerCertificates(
    certs: CertificateSpec[],
    byName: Map<string, number>,
    routing: RoutingSpec | undefined,
    list: IssueList,
): void {
    for (const [name, users] of terminatingListeners(routing)) {
        const i = byName.get(name);
        for (const u of users) {
            if (i === undefined) {
                list.add(
                    ["routing", "listeners", u.index, "tls", "credentialName"],
                    `no certificate source for ${name}: declare it under certificates (pem, certManager or existingSecret)`,
                );
            } else if (
                u.listener.tls?.mode === "MUTUAL" &&
                certs[i].clientCaCertificate === undefined &&
                certs[i].existingSecret !== true
            ) {
                list.add(
                    ["certificates", i, "clientCaCertificate"],
                    `listener ${u.listener.name} requires client certificates (MUTUAL): give the client CA`,
                );
            }
        }
    }
}

export interface PemIssue {
    field: PathSegment[];
    message: string;
    warning?: boolean;
}

/** Parses a PEM certificate and key: they match, cover `hosts`, and are not expired (warns under 30 days). */
export function checkPem(certificate: string, privateKey: string, hosts: string[], now: Date): PemIssue[] {
    let cert: X509Certificate;
    try {
        cert = new X509Certificate(certificate);
    } catch (e) {
        return [{ field: ["certificate"], message: `does not parse as a PEM certificate: ${(e as Error).message}` }];
    }
    const issues: PemIssue[] = [];
    try {
        const key = createPrivateKey(privateKey);
        if (!cert.checkPrivateKey(key))
            issues.push({
                field: ["privateKey"],
                message: `does not match the certificate (subject ${cert.subject.replace(/\n/g, ", ")})`,
            });
    } catch (e) {
        issues.push({ field: ["privateKey"], message: `does not parse as a PEM private key: ${(e as Error).message}` });
    }
    for (const host of hosts) {
        // A wildcard listener host needs a wildcard certificate: check a name it stands for.
        const probe = host.startsWith("*.") ? `wildcard-probe${host.slice(1)}` : host;
        if (cert.checkHost(probe, { wildcards: true }) === undefined) {
            issues.push({
                field: ["certificate"],
                message: `does not cover ${host} (subject alternative names: ${cert.subjectAltName ?? "none"})`,
            });
        }
    }
    const expires = new Date(cert.validTo);
    const days = (expires.getTime() - now.getTime()) / 86_400_000;
    if (days < 0) issues.push({ field: ["certificate"], message: `expired on ${expires.toISOString().slice(0, 10)}` });
    else if (days < 30)
        issues.push({
            field: ["certificate"],
            message: `expires in ${Math.floor(days)} days (${expires.toISOString().slice(0, 10)})`,
            warning: true,
        });
    return issues;
}

const securityAt = (...rest: PathSegment[]): PathSegment[] => ["security", ...rest];

export function checkSecurity(security: SecuritySpec, routing: RoutingSpec | undefined, ctx: EdgeContext, list: IssueList): void {
    const at = securityAt;
    checkIpLists(security, routing, ctx, list);
    const jwtOrAuth = [
        ...(security.jwt ?? []).map((_, i) => at("jwt", i)),
        ...(security.customAuth ?? []).map((_, i) => at("customAuth", i)),
        ...(security.oidc !== undefined ? [at("oidc")] : []),
    ];
    if (jwtOrAuth.length > 0) checkHttpPortsFor(jwtOrAuth[0], routing, ctx, list);
    (security.jwt ?? []).forEach((rule, i) => checkJwtRule(rule, i, routing, list));
    checkIssuerScopes(security.jwt ?? [], list);
    checkAudiences(security.jwt ?? [], ctx.target, list);
    checkAudienceOverlaps(security.jwt ?? [], list);
    checkPreflights(security, routing, list);
    checkScopeSkips(security.jwt ?? [], list);
    (security.customAuth ?? []).forEach((rule, i) => checkPolicyScope(rule, (...rest) => at("customAuth", i, ...rest), routing, list));
    (security.customAuth ?? []).forEach((rule, i) => checkProviderName(rule.provider, at("customAuth", i, "provider"), ctx.target, list));
    // asm mode checks the login's provider name against ASM's stricter rule (checkOidc).
    if (security.oidc?.provider !== undefined && ctx.mode === "istio")
        checkProviderName(security.oidc.provider, at("oidc", "provider"), ctx.target, list);
    const providers = [...new Set((security.customAuth ?? []).map((r) => r.provider))];
    if (providers.length > 1)
        list.add(at("customAuth"), `Istio allows one external authorization provider per workload; got ${providers.join(", ")}`);
    if (security.oidc !== undefined) {
        // oauth2-proxy's Service name is a DNS-1035 label, and its pods' `app` label value: both at
        // most 63. In asm mode ASM runs its own oauth2-proxy, named from the provider (checkOidc).
        const proxy = oauth2ProxyName(ctx.names);
        if (ctx.mode === "istio" && proxy.length > 63)
            list.add(
                at("oidc"),
                `oauth2-proxy's Service and pod label would be ${proxy} (${proxy.length} characters); Kubernetes allows 63: shorten the gateway name by ${proxy.length - 63}`,
            );
        checkOidc(
            security.oidc,
            routing,
            {
                ...ctx,
                tlsAtLoadBalancer: [...ctx.loadBalancerTlsPorts.values()].flat(),
                customAuthProviders: providers,
                checkScope: (scope, p) => checkPolicyScope(scope, p, routing, list),
                corsRoutesIn: (scope) => corsRoutesIn(scope, routing),
            },
            list,
        );
        checkJwtBesideLogin(security.jwt ?? [], security.oidc, ctx.mode, list);
    }
}

/** Istio release from which an external authorization provider must be named by a DNS label. */
const PROVIDER_NAME_RULE_SINCE = 30;

/**
 * From Istio 1.30 istiod resolves an `envoyExtAuthzHttp`/`envoyExtAuthzGrpc` provider only when
 * its name is a DNS label of at most 63 characters (`validateProviderName` in
 * pilot/pkg/security/authz/builder/extauthz.go); any other name is a provider with errors, and a
 * CUSTOM policy naming it denies every request it covers. Older releases take any name.
 */
function checkProviderName(name: string, path: PathSegment[], target: MeshTarget, list: IssueList): void {
    if (DNS_LABEL.test(name) && name.length <= 63) return;
    const rule = `"${name}" is not a DNS label (lower-case letters, digits and '-', at most 63): Istio 1.${PROVIDER_NAME_RULE_SINCE} and later refuse such an external authorization provider and deny every request its policy covers`;
    if (target.istioMinor >= PROVIDER_NAME_RULE_SINCE) list.add(path, rule);
    else list.warn(path, `${rule}; ${target.istioLabel} still accepts it, an upgrade would not`);
}

/**
 * Istio runs the CUSTOM check (the login) before the JWT filter and the DENY policies
 * (pilot/pkg/networking/core/listener_builder.go), so in the login's scope the JWT checks see the
 * token the login forwards in Authorization, not one the browser sends (it sends the session
 * cookie). In istio mode that is the login issuer's ID token (oauth2-proxy's
 * --set-authorization-header), whose audience is the client id. ASM documents a JWT there, not which.
 *
 * Two checks see it. A rule's DENY policy, in the rule's scope only, wants a principal of the
 * rule's issuer. The JWT filter, built from every rule of the RequestAuthentication, checks every
 * token on every path whatever the rules' scopes (`convertToEnvoyJwtConfig` in
 * pilot/pkg/security/authn/policy_applier.go matches prefix `/`), and refuses with 401 a token no
 * rule accepts: another issuer's (Envoy's `allow_missing` lets only a missing token through),
 * or the right issuer's for other audiences. So once the gateway has JWT rules, one of them must
 * accept the ID token, even when none overlaps the login's scope.
 */
function checkJwtBesideLogin(rules: JwtRule[], oidc: OidcSpec, mode: "asm" | "istio", list: IssueList): void {
    if (rules.length === 0) return;
    const login = oidcScope(oidc);
    const forwarded = `the token the login forwards in Authorization${mode === "istio" ? ` (the ID token of ${oidc.issuerUrl}, audience ${oidc.clientId})` : ""}`;
    rules.forEach((rule, j) => {
        if (!scopesOverlap(rule, login)) return;
        if (rule.issuer === oidc.issuerUrl) {
            checkLoginAudience(rules, j, oidc, mode, forwarded, list);
            return;
        }
        list.add(
            ["security", "jwt", j],
            `its hosts and paths overlap the login's (security.oidc): a logged-in browser sends the session cookie, not a token, and Istio checks JWTs after the login, on ${forwarded}, so a rule of issuer ${rule.issuer} would refuse every logged-in request; make the scopes disjoint (the API on other paths or hosts)`,
        );
    });
    const same = rules.flatMap((r, j) => (r.issuer === oidc.issuerUrl ? [j] : []));
    const accepted = same.some((j) => acceptsAnyAudience(rules[j]) || rules[j].audiences!.includes(oidc.clientId));
    const filter = `the gateway's JWT filter checks every token on every host and path, whatever the rules' hosts and paths, and refuses (401) one no rule accepts; in the login's scope that is ${forwarded}`;
    const fix =
        same.length > 0
            ? `add ${oidc.clientId} to the audiences of security.jwt[${same[0]}]`
            : `add a rule of issuer ${oidc.issuerUrl} with the login's hosts and paths (and audiences ${oidc.clientId}, or none)`;
    if (mode === "asm") {
        list.warn(
            ["security", "jwt"],
            `${filter}: logged-in requests pass only if a rule accepts it (ASM documents a JWT, not which token; oauth2-proxy's is the ID token)${accepted ? "" : `; if they are refused, ${fix}`}`,
        );
        return;
    }
    if (accepted) return;
    list.add(
        same.length > 0 ? ["security", "jwt", same[0], "audiences"] : ["security", "jwt"],
        `${filter}, which ${same.length > 0 ? `audiences ${rules[same[0]].audiences!.join(", ")} refuse` : `no rule's issuer matches`}, so every logged-in request would be refused; ${fix}`,
    );
}

/**
 * A rule of the login's issuer in the login's scope: its "token required" policy there checks the
 * forwarded token's audience (the client id in istio mode) against the audiences of the rules of
 * that issuer and scope.
 */
function checkLoginAudience(rules: JwtRule[], j: number, oidc: OidcSpec, mode: "asm" | "istio", forwarded: string, list: IssueList): void {
    const rule = rules[j];
    const group = rules.filter((r) => r.issuer === rule.issuer && jwtScopeKey(r) === jwtScopeKey(rule));
    if (group.some((r) => acceptsAnyAudience(r) || r.audiences!.includes(oidc.clientId))) return;
    const message = `its hosts and paths overlap the login's (security.oidc), where Istio checks ${forwarded}, and its policy there requires audiences ${rule.audiences!.join(", ")}`;
    if (mode === "asm")
        list.warn(
            ["security", "jwt", j, "audiences"],
            `${message}: if ASM forwards a token for another audience, logged-in requests there are refused`,
        );
    else
        list.add(
            ["security", "jwt", j, "audiences"],
            `${message}, so every logged-in request there would be refused (403); add ${oidc.clientId} to them, or make the scopes disjoint`,
        );
}

/** The IP lists parse, and match client addresses: the gateway must see them, and clients must not be able to forge them. */
function checkIpLists(security: SecuritySpec, routing: RoutingSpec | undefined, ctx: EdgeContext, list: IssueList): void {
    const at = securityAt;
    for (const field of ["ipAllow", "ipDeny"] as const) {
        (security[field] ?? []).forEach((cidr, i) => {
            if (parseCidr(cidr) === undefined) list.add(at(field, i), `"${cidr}" is not an IP address or CIDR block`);
        });
    }
    const listsIps = (security.ipAllow ?? []).length > 0 || (security.ipDeny ?? []).length > 0;
    if (listsIps && security.trustedProxies === undefined && ctx.servicesHidingClients.length > 0) {
        list.add(
            at(security.ipAllow !== undefined ? "ipAllow" : "ipDeny"),
            `the gateway does not see client addresses behind ${describe(ctx.servicesHidingClients)}: with externalTrafficPolicy Cluster (or a load balancer terminating TLS) they are replaced by node or proxy addresses, so the lists would match those. ` +
                "Set gateway.externalTrafficPolicy: Local (or backendType: eni on each load balancer) for every Service in front of the gateway, or security.trustedProxies if an L7 proxy in front adds X-Forwarded-For",
        );
    }
    // trustedProxies reads client addresses from X-Forwarded-For, which only HTTP has: on a TCP or
    // TLS-passthrough listener the lists still match the connection's source, a node address
    // behind these Services (Istio's remote.ip is the peer address when there is no header).
    const opaque = (routing?.listeners ?? []).filter((l) => !servesHttp(l));
    if (listsIps && security.trustedProxies !== undefined && ctx.servicesHidingClients.length > 0 && opaque.length > 0) {
        list.add(
            at(security.ipAllow !== undefined ? "ipAllow" : "ipDeny"),
            `trustedProxies reads client addresses from X-Forwarded-For, which the ${opaque.map((l) => `${l.protocol} listener ${l.name}`).join(", ")} ${opaque.length === 1 ? "does" : "do"} not carry: ` +
                `there the lists match the connection's source, a node address behind ${describe(ctx.servicesHidingClients)}. ` +
                "Set gateway.externalTrafficPolicy: Local (or backendType: eni on each load balancer) so that those connections keep the client's address",
        );
    }
    if (security.trustedProxies !== undefined && ctx.internetLoadBalancers.length > 0) {
        const one = ctx.internetLoadBalancers.length === 1;
        list.warn(
            at("trustedProxies"),
            `${describe(ctx.internetLoadBalancers)} ${one ? "faces" : "face"} the internet: a client that reaches ${one ? "it" : "them"} directly, bypassing the L7 proxy, can write any X-Forwarded-For and pass the IP lists. ` +
                "Let only the proxy reach the gateway: an intranet load balancer (addressType: intranet) behind it, or an access control list on the load balancer that allows only the proxy's addresses",
        );
    }
}

/** JWT and external authorization rules apply to HTTP only: the gateway needs HTTP ports, each carrying nothing else. */
function checkHttpPortsFor(where: PathSegment[], routing: RoutingSpec | undefined, ctx: EdgeContext, list: IssueList): void {
    if (ctx.httpPorts.length === 0) {
        list.add(
            where,
            "the gateway has no HTTP or HTTPS port to apply it to (it applies to HTTP traffic only): declare HTTP(S) listeners, or gateway ports with protocol HTTP, HTTP2 or HTTPS",
        );
    }
    // On a port that also carries TLS passthrough or TCP (HTTPS and TLS listeners share a port by
    // SNI), the rule's HTTP attributes are dropped for those connections and the rule denies them all.
    const listeners = routing?.listeners ?? [];
    const isHttp = servesHttp;
    const mixed = [...new Set(listeners.filter(isHttp).map((l) => l.port))].filter((port) =>
        listeners.some((l) => !isHttp(l) && l.port === port),
    );
    if (mixed.length > 0) {
        const other = listeners.findIndex((l) => !isHttp(l) && l.port === mixed[0]);
        list.add(
            where,
            `port ${mixed[0]} carries HTTP(S) and routing.listeners[${other}] (${listeners[other].protocol}): Istio drops a rule's HTTP attributes on TCP and TLS passthrough connections, so it would deny all of them; give routing.listeners[${other}] a port of its own`,
        );
    }
}

function checkJwtRule(rule: JwtRule, i: number, routing: RoutingSpec | undefined, list: IssueList): void {
    const p = (...rest: PathSegment[]): PathSegment[] => securityAt("jwt", i, ...rest);
    if (rule.jwksUri !== undefined && rule.jwks !== undefined) list.add(p(), "give jwksUri or jwks, not both");
    if (rule.jwksUri !== undefined && !/^https:\/\//.test(rule.jwksUri)) list.add(p("jwksUri"), "must be an https:// URL");
    if (rule.jwks !== undefined) {
        try {
            const keys = (JSON.parse(rule.jwks) as { keys?: unknown }).keys;
            if (!Array.isArray(keys)) list.add(p("jwks"), 'must be a JWKS document: {"keys": [...]}');
        } catch (e) {
            list.add(p("jwks"), `is not JSON: ${(e as Error).message}`);
        }
    }
    checkPolicyScope(rule, p, routing, list);
}

/** The hosts and paths a rule applies to: each can match a request the gateway serves. */
function checkPolicyScope(
    scope: { hosts?: string[]; paths?: string[] },
    p: (...rest: PathSegment[]) => PathSegment[],
    routing: RoutingSpec | undefined,
    list: IssueList,
): void {
    const hosts = new Set((routing?.listeners ?? []).flatMap((l) => l.hosts));
    (scope.hosts ?? []).forEach((h, j) => {
        if (h !== h.toLowerCase()) {
            list.add(p("hosts", j), `"${h}": hosts are lower-case (write ${h.toLowerCase()}); a host in another case never matches`);
            return;
        }
        // Istio matches policy hosts with one `*` at one end: `*.example.com` would miss
        // `x.example.com:443`, and the request would skip the policy.
        if (h.includes("*"))
            list.add(
                p("hosts", j),
                `"${h}": policy hosts must be exact (a wildcard host would let requests with a port in Host through); list the hosts, or scope by paths`,
            );
        if (routing !== undefined && ![...hosts].some((l) => l === "*" || l === h || (l.startsWith("*.") && h.endsWith(l.slice(1)))))
            list.add(p("hosts", j), `no listener serves ${h}`);
    });
    (scope.paths ?? []).forEach((path, j) => {
        if (!path.startsWith("/") && path !== "*") list.add(p("paths", j), `"${path}" must start with /`);
    });
}

/** A route with a CORS policy whose hosts and paths meet a policy scope, and the hosts they share. */
export interface CorsRouteInScope {
    index: number;
    route: HttpRoute;
    hosts: string[];
}

/** Routes with a `cors` policy that requests in the scope (hosts exact; none: every host) can reach. */
function corsRoutesIn(scope: { hosts?: string[]; paths?: string[] }, routing: RoutingSpec | undefined): CorsRouteInScope[] {
    return (routing?.http ?? []).flatMap((route, index) => {
        if (route.cors === undefined) return [];
        const hosts = route.hosts.filter(
            (h) => scope.hosts === undefined || scope.hosts.some((s) => hostMatches(h, s) || hostMatches(s, h)),
        );
        return hosts.length > 0 && pathsOverlap(routePolicyPaths(route), scope.paths) ? [{ index, route, hosts }] : [];
    });
}

/** A route's paths as policy paths: exact as is, a prefix as `<prefix>*`, a regex as any path; none: every path. */
function routePolicyPaths(r: HttpRoute): string[] | undefined {
    const matches = r.match ?? [];
    if (matches.length === 0 || matches.some((m) => m.path === undefined)) return undefined;
    return matches.map((m) => m.path!.exact ?? (m.path!.prefix !== undefined ? `${m.path!.prefix}*` : "*"));
}

/**
 * A CORS preflight carries no credentials (Fetch standard), and Istio runs the CUSTOM check and
 * the DENY policies before the CORS filter (`buildHTTPConnectionManager` in
 * pilot/pkg/networking/core/listener_builder.go): in a JWT rule's scope its "token required"
 * policy refuses every preflight (403; Istio's JWT filter itself lets them through), and in an
 * external authorization rule's scope the provider decides. The login's own check is checkOidc's.
 */
function checkPreflights(security: SecuritySpec, routing: RoutingSpec | undefined, list: IssueList): void {
    const where = (r: CorsRouteInScope) => ["routing", "http", r.index, "cors"];
    const names = (r: CorsRouteInScope) => `route ${r.route.name} is in the scope of`;
    (security.jwt ?? []).forEach((rule, i) => {
        if (rule.skipAuthPreflight === true) return;
        for (const r of corsRoutesIn(rule, routing))
            list.warn(
                where(r),
                `${names(r)} security.jwt[${i}] (${r.hosts.join(", ")}): a browser sends its CORS preflights (OPTIONS) without a token, and Istio applies the rule's "token required" policy before the CORS policy, so each preflight is refused (403) and the browser refuses the cross-origin call. Set security.jwt[${i}].skipAuthPreflight: true (OPTIONS requests then pass without a token), or keep the route out of the rule's hosts and paths`,
            );
    });
    (security.customAuth ?? []).forEach((rule, i) => {
        if (rule.skipAuthPreflight === true) return;
        for (const r of corsRoutesIn(rule, routing))
            list.warn(
                where(r),
                `${names(r)} security.customAuth[${i}] (${r.hosts.join(", ")}): a browser sends its CORS preflights (OPTIONS) without credentials, and Istio asks ${rule.provider} before the CORS policy answers them: unless ${rule.provider} allows them, the browser refuses the cross-origin call. Set security.customAuth[${i}].skipAuthPreflight: true (OPTIONS requests are then not sent to ${rule.provider}), or keep the route out of the rule's hosts and paths`,
            );
    });
}

function describe(items: string[]): string {
    return items.length <= 2 ? items.join(" and ") : `${items.slice(0, 2).join(", ")} and ${items.length - 2} more`;
}

/** The key of a JWT rule's scope: rules with equal scopes accept a token of any of their issuers (and share one DENY rule). */
export function jwtScopeKey(rule: JwtRule): string {
    return JSON.stringify([[...(rule.hosts ?? [])].sort(), [...(rule.paths ?? [])].sort()]);
}

/** Rules with the same hosts and paths share one "token required" rule: they must agree on preflights. */
function checkScopeSkips(rules: JwtRule[], list: IssueList): void {
    rules.forEach((b, j) => {
        const a = rules.findIndex((r) => jwtScopeKey(r) === jwtScopeKey(b));
        if (a < j && (rules[a].skipAuthPreflight === true) !== (b.skipAuthPreflight === true))
            list.add(
                ["security", "jwt", j, "skipAuthPreflight"],
                `security.jwt[${a}] has the same hosts and paths and ${rules[a].skipAuthPreflight === true ? "skips" : "does not skip"} preflights: rules with one scope share one "token required" rule, so give them the same skipAuthPreflight`,
            );
    });
}

/** A rule without audiences (or with an empty list) accepts a token of any audience, as Istio's RequestAuthentication does. */
export function acceptsAnyAudience(rule: JwtRule): boolean {
    return rule.audiences === undefined || rule.audiences.length === 0;
}

/**
 * An audience as Envoy's JWT filter compares it: without one leading `http://` or `https://` and
 * one trailing `/` (`sanitizeAudience` in envoyproxy/envoy source/common/jwt/check_audience.cc).
 */
function sanitizeAudience(aud: string): string {
    const scheme = ["http://", "https://"].find((p) => aud.startsWith(p));
    const start = scheme?.length ?? 0;
    const end = aud.endsWith("/") ? aud.length - 1 : aud.length;
    return aud.slice(start, Math.max(start, end));
}

/**
 * Every `aud` value Envoy's JWT filter accepts for a configured audience (with or without a
 * scheme and a trailing slash), the audience first: Istio's authorization policy compares them
 * exactly, so the policy lists all of them to agree with the filter.
 */
export function audienceForms(aud: string): string[] {
    const core = sanitizeAudience(aud);
    const forms = ["", "http://", "https://"].flatMap((p) => [`${p}${core}`, `${p}${core}/`]);
    return [...new Set([aud, ...forms.filter((f) => f !== "" && sanitizeAudience(f) === core)])];
}

/** Istio release from which `request.auth.audiences` matches every value of a token's `aud`. */
const ALL_AUDIENCES_SINCE = 21;

/**
 * A rule's audiences are checked twice: by the JWT filter (Envoy's jwt_authn, no wildcards), and
 * in the rule's scope by its DENY policy on `request.auth.audiences`, where Istio reads a `*` at
 * either end as a wildcard (`StringMatcherWithPrefix` in pilot/pkg/security/authz/matcher/string.go): the
 * two would disagree. Proxies before Istio 1.21 match only the token's first audience there
 * (istio/proxy source/extensions/common/authn.cc; `SupportsEnvoyExtendedJwt` in
 * pilot/pkg/model/context.go), so a token listing several is refused unless its first is listed.
 */
function checkAudiences(rules: JwtRule[], target: MeshTarget, list: IssueList): void {
    rules.forEach((rule, i) =>
        (rule.audiences ?? []).forEach((aud, k) => {
            const core = sanitizeAudience(aud);
            if ([aud, core].some((a) => a.startsWith("*") || a.endsWith("*")))
                list.add(
                    ["security", "jwt", i, "audiences", k],
                    `"${aud}": the JWT filter takes no wildcard in audiences, and Istio's authorization policy reads a * at either end as a wildcard, so they would disagree; list the audiences themselves`,
                );
        }),
    );
    const bound = rules.findIndex((r) => !acceptsAnyAudience(r));
    if (bound >= 0 && target.istioMinor < ALL_AUDIENCES_SINCE)
        list.warn(
            ["security", "jwt", bound, "audiences"],
            `${target.istioLabel} checks a rule's audiences in its hosts and paths against the token's first audience only (Istio 1.${ALL_AUDIENCES_SINCE} and later: any of them): a token listing several is refused there unless its first one is listed`,
        );
}

/** Whether two Istio policy path lists can match one path (`*`, `prefix*`, `*suffix`, exact). */
function pathsOverlap(a: string[] | undefined, b: string[] | undefined): boolean {
    if (a === undefined || b === undefined) return true;
    const one = (x: string, y: string): boolean => {
        if (x === "*" || y === "*" || x.startsWith("*") || y.startsWith("*")) return true;
        const px = x.endsWith("*") ? x.slice(0, -1) : undefined;
        const py = y.endsWith("*") ? y.slice(0, -1) : undefined;
        if (px !== undefined && py !== undefined) return px.startsWith(py) || py.startsWith(px);
        if (px !== undefined) return y.startsWith(px);
        if (py !== undefined) return x.startsWith(py);
        return x === y;
    };
    return a.some((x) => b.some((y) => one(x, y)));
}

/** Whether two rules' hosts and paths can match one request. */
type PolicyScope = { hosts?: string[]; paths?: string[] };

function scopesOverlap(a: PolicyScope, b: PolicyScope): boolean {
    const hosts = a.hosts === undefined || b.hosts === undefined || a.hosts.some((h) => b.hosts!.includes(h));
    return hosts && pathsOverlap(a.paths, b.paths);
}

/**
 * Rules of one issuer whose scopes overlap without being equal each apply their audiences in the
 * overlap (one DENY rule each): a request there needs a token for one audience of each, which
 * only a token listing several carries.
 */
function checkAudienceOverlaps(rules: JwtRule[], list: IssueList): void {
    rules.forEach((b, j) => {
        const i = rules.findIndex(
            (a, k) =>
                k < j &&
                a.issuer === b.issuer &&
                jwtScopeKey(a) !== jwtScopeKey(b) &&
                !acceptsAnyAudience(a) &&
                !acceptsAnyAudience(b) &&
                !a.audiences!.some((x) => b.audiences!.includes(x)) &&
                scopesOverlap(a, b),
        );
        if (i >= 0)
            list.warn(
                ["security", "jwt", j, "audiences"],
                `its hosts and paths overlap those of security.jwt[${i}] (same issuer, audiences ${rules[i].audiences!.join(", ")}) without being the same: each rule applies its audiences in the overlap, so a request there needs a token listing one audience of each rule; make the scopes disjoint if one audience should suffice there`,
            );
    });
}

/**
 * Each JWT rule requires a token of its own issuer where it applies (a DENY rule per scope with
 * `notRequestPrincipals: ["<issuer>/*"]`). Where the scopes of rules with different issuers
 * overlap without being equal, a request would need tokens of two issuers at once, which no
 * request carries (Istio takes one principal per request): refused.
 */
function checkIssuerScopes(rules: JwtRule[], list: IssueList): void {
    rules.forEach((b, j) => {
        for (let i = 0; i < j; i++) {
            const a = rules[i];
            if (a.issuer === b.issuer || jwtScopeKey(a) === jwtScopeKey(b)) continue;
            if (scopesOverlap(a, b)) {
                list.add(
                    ["security", "jwt", j],
                    `its hosts and paths overlap those of security.jwt[${i}] (issuer ${a.issuer}) without being the same: requests in the overlap would need a token of both issuers, and one request carries one. Give both rules the same hosts and paths (a token of either issuer is then accepted), or make them disjoint`,
                );
                return;
            }
        }
    });
}

/**
 * The container ports of the gateway's HTTP(S) listeners, in every cluster: where a policy's HTTP
 * attributes apply. A DENY or CUSTOM rule with only HTTP attributes would also deny every TCP
 * and TLS passthrough connection in its scope (Istio's AuthorizationPolicy validation warning,
 * istioctl analyze IST0133), so those rules are scoped to these ports. Without listeners, the
 * gateway ports that declare an HTTP protocol.
 */
export function httpTargetPorts(routing: RoutingSpec | undefined, specs: GatewaySpec[]): number[] {
    const listeners = routing?.listeners ?? [];
    const http =
        listeners.length > 0
            ? listeners.filter(servesHttp).map((l) => l.port)
            : (specs[0]?.ports ?? DEFAULTS.ports)
                  .filter((p) => ["HTTP", "HTTPS", "HTTP2", "GRPC", "GRPC-WEB"].includes(p.protocol ?? ""))
                  .map((p) => p.port);
    return podPorts(http, specs);
}

/** A CIDR (or a single address) as [address, prefix], or undefined when it does not parse. */
export function parseCidr(text: string): [string, number] | undefined {
    const [address, prefixText, extra] = text.split("/");
    const family = isIP(address);
    if (family === 0 || extra !== undefined) return undefined;
    const max = family === 4 ? 32 : 128;
    const prefix = prefixText === undefined ? max : /^\d+$/.test(prefixText) ? Number(prefixText) : NaN;
    if (!(prefix >= 0 && prefix <= max)) return undefined;
    // BlockList refuses what the kernel would: this catches host bits in odd places no regex does.
    new BlockList().addSubnet(address, prefix, family === 4 ? "ipv4" : "ipv6");
    return [address, prefix];
}

export interface DnsRecordPlan {
    clusterId: string;
    /** The name published, e.g. `shop.example.com` or `c1.shop.example.com`. */
    name: string;
    /** The record name within the zone (`@` at the apex). */
    rr: string;
    /** A name shared by every cluster (one record each), or this cluster's own. */
    shared: boolean;
    /** The load balancer (`default` or an additional one's name) whose address the record holds. */
    loadBalancer: string;
}

/** Every record to write: per host, one per cluster, shared and/or per-cluster names. */
export function planDnsRecords(dns: DnsSpec, routing: RoutingSpec | undefined, clusterIds: string[]): DnsRecordPlan[] {
    const records = dns.records ?? DEFAULTS.dnsRecords;
    const out: DnsRecordPlan[] = [];
    for (const host of dnsHosts(dns, routing)) {
        const rr = recordName(host, dns.zone);
        if (rr === undefined) continue;
        const loadBalancer = ownValue(dns.hostLoadBalancers, host) ?? dns.loadBalancer ?? DEFAULT_LB_KEY;
        for (const clusterId of clusterIds) {
            if (records !== "perCluster") out.push({ clusterId, name: host, rr, shared: true, loadBalancer });
            // A wildcard has no per-cluster form (`c1.*.example.com` is not a name).
            if (records !== "shared" && !host.startsWith("*.")) {
                out.push({
                    clusterId,
                    name: `${clusterId}.${host}`,
                    rr: rr === "@" ? clusterId : `${clusterId}.${rr}`,
                    shared: false,
                    loadBalancer,
                });
            }
        }
    }
    return out;
}
