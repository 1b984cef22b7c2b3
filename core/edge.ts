// DNS, certificates and edge security: names that resolve to each cluster's gateway, TLS
// Secrets the listeners use, and policy on the gateway workload. Plain TypeScript; private keys
// are opaque values here (Pulumi secrets in a program) and only parsed when given as text.
import { X509Certificate, createPrivateKey } from "crypto";
import { BlockList, isIP } from "net";
import type { IssueList, PathSegment } from "./errors";
import type { CloudId } from "./loadBalancer";
import type { Listener, RoutingSpec } from "./routing";
import { DEFAULTS } from "./spec";

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
    /** Accepted `aud` values. Default: any audience. */
    audiences?: string[];
    /** Hosts that require a token; none: every host. */
    hosts?: string[];
    /** Paths that require a token (`/api/*`); none: every path. */
    paths?: string[];
}

export interface CustomAuthRule {
    /** Name of the mesh's extension provider (`meshConfig.extensionProviders`). */
    provider: string;
    /** Hosts that need authorization; none: every host. */
    hosts?: string[];
    /** Paths that need authorization (`/api/*`); none: every path. */
    paths?: string[];
}

export interface SecuritySpec {
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
    (routing?.listeners ?? []).forEach((listener, index) => {
        const name = listener.tls?.credentialName;
        if (name !== undefined) (out.get(name) ?? out.set(name, []).get(name)!).push({ listener, index });
    });
    return out;
}

/** Hosts a certificate must cover: given, or those of the listeners that use it. */
export function certificateHosts(cert: CertificateSpec, routing: RoutingSpec | undefined): string[] {
    if (cert.hosts !== undefined) return cert.hosts;
    return [...new Set((terminatingListeners(routing).get(cert.name) ?? []).flatMap((u) => u.listener.hosts).filter((h) => h !== "*"))];
}

export interface EdgeContext {
    /** Per cluster, the kind of address its gateway gets, when the plan knows it (from its load balancer). */
    addressKinds: Map<string, "IPv4" | "IPv6" | "hostname" | undefined>;
    /** Whether every cluster keeps the client's source IP at the gateway (externalTrafficPolicy Local, or ENI backends). */
    sourceIpPreserved: boolean;
    mode: "asm" | "istio";
    /** Clusters that have credentials of their own (asm mode needs them for Secrets). */
    clustersWithCredentials: Set<string>;
    clusterIds: string[];
    /** When to warn about expiry. */
    now: Date;
}

export function checkDns(dns: DnsSpec, routing: RoutingSpec | undefined, ctx: EdgeContext, list: IssueList): void {
    const at = (...rest: PathSegment[]): PathSegment[] => ["dns", ...rest];
    if (!DNS_NAME.test(dns.zone) || dns.zone.startsWith("*")) list.add(at("zone"), `"${dns.zone}" is not a DNS zone name`);
    const hosts = dnsHosts(dns, routing);
    if (hosts.length === 0) list.add(at(dns.hosts === undefined ? "zone" : "hosts"), `no host to publish: no listener host is in ${dns.zone}; give dns.hosts`);
    const kinds = ctx.clusterIds.map((id) => ctx.addressKinds.get(id));
    if (dns.privateZoneId !== undefined && kinds.includes("IPv6")) list.add(at("privateZoneId"), "PrivateZone records here are A or CNAME; an IPv6 load balancer needs AAAA: use public DNS");
    if (ctx.mode === "asm") {
        ctx.clusterIds.forEach((id) => {
            if (ctx.addressKinds.get(id) === undefined) list.add(at(), `in asm mode DNS points at the load balancer the component manages: cluster ${id} needs gateway.loadBalancer (ASM reports addresses only after the gateway is up)`);
        });
    }
    const records = dns.records ?? DEFAULTS.dnsRecords;
    hosts.forEach((h, i) => {
        const where = dns.hosts !== undefined ? at("hosts", i) : at("zone");
        const rr = recordName(h, dns.zone);
        if (rr === undefined) {
            list.add(where, `${h} is outside the zone ${dns.zone}`);
            return;
        }
        if (rr === "@" && kinds.includes("hostname") && records !== "perCluster") {
            list.add(where, `${h} is the zone apex, which cannot be a CNAME; an NLB's address is a DNS name: use a CLB, or publish a subdomain`);
        }
        // One name, one record per cluster: DNS allows no CNAME beside another record.
        if (records !== "perCluster" && kinds.includes("hostname") && kinds.length > 1) {
            list.add(where, `${h} would need several CNAME records, or a CNAME beside A records, which DNS forbids: set dns.records to perCluster (a name per cluster), or use CLBs`);
        }
    });
    if (records !== "shared") {
        ctx.clusterIds.forEach((id) => {
            if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(id)) list.add(at("records"), `cluster id ${id} cannot be a DNS label; per-cluster names are <clusterId>.<host>`);
        });
    }
}

export function checkCertificates(certs: CertificateSpec[], routing: RoutingSpec | undefined, ctx: EdgeContext, list: IssueList): void {
    const byName = new Map<string, number>();
    certs.forEach((c, i) => {
        const p = (...rest: PathSegment[]): PathSegment[] => ["certificates", i, ...rest];
        if (byName.has(c.name)) list.add(p("name"), `certificate ${c.name} is declared twice`);
        byName.set(c.name, i);
        const sources = (["pem", "certManager", "existingSecret"] as const).filter((k) => c[k] !== undefined && c[k] !== false);
        if (sources.length !== 1) {
            list.add(p(), sources.length === 0 ? "needs a source: pem, certManager or existingSecret" : `has ${sources.length} sources (${sources.join(", ")}); give exactly one`);
        }
        if (c.uploadToAlibabaCloud === true && c.pem === undefined) list.add(p("uploadToAlibabaCloud"), "uploads a PEM certificate: give pem");
        if (c.clientCaCertificate !== undefined && c.existingSecret === true) list.add(p("clientCaCertificate"), "an existing Secret carries its own ca.crt");
        const hosts = certificateHosts(c, routing);
        if (c.certManager !== undefined && hosts.length === 0) list.add(p("hosts"), "cert-manager needs the host names to request: give hosts, or use the certificate on a listener with hosts");
        if (ctx.mode === "asm" && (c.pem !== undefined || c.certManager !== undefined)) {
            for (const id of ctx.clusterIds) {
                if (!ctx.clustersWithCredentials.has(id)) list.add(p(), `in asm mode the TLS Secret is created in each cluster (the gateway reads it there): cluster ${id} needs a kubeconfig or ackClusterId`);
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
    });
    for (const [name, users] of terminatingListeners(routing)) {
        const i = byName.get(name);
        for (const u of users) {
            if (i === undefined) {
                list.add(["routing", "listeners", u.index, "tls", "credentialName"], `no certificate source for ${name}: declare it under certificates (pem, certManager or existingSecret)`);
            } else if (u.listener.tls?.mode === "MUTUAL" && certs[i].clientCaCertificate === undefined && certs[i].existingSecret !== true) {
                list.add(["certificates", i, "clientCaCertificate"], `listener ${u.listener.name} requires client certificates (MUTUAL): give the client CA`);
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
        if (!cert.checkPrivateKey(key)) issues.push({ field: ["privateKey"], message: `does not match the certificate (subject ${cert.subject.replace(/\n/g, ", ")})` });
    } catch (e) {
        issues.push({ field: ["privateKey"], message: `does not parse as a PEM private key: ${(e as Error).message}` });
    }
    for (const host of hosts) {
        // A wildcard listener host needs a wildcard certificate: check a name it stands for.
        const probe = host.startsWith("*.") ? `wildcard-probe${host.slice(1)}` : host;
        if (cert.checkHost(probe, { wildcards: true }) === undefined) {
            issues.push({ field: ["certificate"], message: `does not cover ${host} (subject alternative names: ${cert.subjectAltName ?? "none"})` });
        }
    }
    const expires = new Date(cert.validTo);
    const days = (expires.getTime() - now.getTime()) / 86_400_000;
    if (days < 0) issues.push({ field: ["certificate"], message: `expired on ${expires.toISOString().slice(0, 10)}` });
    else if (days < 30) issues.push({ field: ["certificate"], message: `expires in ${Math.floor(days)} days (${expires.toISOString().slice(0, 10)})`, warning: true });
    return issues;
}

export function checkSecurity(security: SecuritySpec, routing: RoutingSpec | undefined, ctx: EdgeContext, list: IssueList): void {
    const at = (...rest: PathSegment[]): PathSegment[] => ["security", ...rest];
    for (const field of ["ipAllow", "ipDeny"] as const) {
        (security[field] ?? []).forEach((cidr, i) => {
            if (parseCidr(cidr) === undefined) list.add(at(field, i), `"${cidr}" is not an IP address or CIDR block`);
        });
    }
    const listsIps = (security.ipAllow ?? []).length > 0 || (security.ipDeny ?? []).length > 0;
    if (listsIps && security.trustedProxies === undefined && !ctx.sourceIpPreserved) {
        list.add(at(security.ipAllow !== undefined ? "ipAllow" : "ipDeny"),
            "the gateway does not see client addresses: behind a load balancer with externalTrafficPolicy Cluster they are replaced by node addresses. " +
            "Set gateway.externalTrafficPolicy: Local (or loadBalancer.backendType: eni) in every cluster, or security.trustedProxies if an L7 proxy in front adds X-Forwarded-For");
    }
    const hosts = new Set((routing?.listeners ?? []).flatMap((l) => l.hosts));
    const checkScope = (scope: { hosts?: string[]; paths?: string[] }, p: (...rest: PathSegment[]) => PathSegment[]) => {
        (scope.hosts ?? []).forEach((h, j) => {
            // Istio matches policy hosts with one `*` at one end: `*.example.com` would miss
            // `x.example.com:443`, and the request would skip the policy.
            if (h.includes("*")) list.add(p("hosts", j), `"${h}": policy hosts must be exact (a wildcard host would let requests with a port in Host through); list the hosts, or scope by paths`);
            if (routing !== undefined && ![...hosts].some((l) => l === "*" || l === h || (l.startsWith("*.") && h.endsWith(l.slice(1))))) list.add(p("hosts", j), `no listener serves ${h}`);
        });
        (scope.paths ?? []).forEach((path, j) => {
            if (!path.startsWith("/") && path !== "*") list.add(p("paths", j), `"${path}" must start with /`);
        });
    };
    (security.jwt ?? []).forEach((rule, i) => {
        const p = (...rest: PathSegment[]): PathSegment[] => at("jwt", i, ...rest);
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
        checkScope(rule, p);
    });
    (security.customAuth ?? []).forEach((rule, i) => checkScope(rule, (...rest) => at("customAuth", i, ...rest)));
    const providers = [...new Set((security.customAuth ?? []).map((r) => r.provider))];
    if (providers.length > 1) list.add(at("customAuth"), `Istio allows one external authorization provider per workload; got ${providers.join(", ")}`);
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
}

/** Every record to write: per host, one per cluster, shared and/or per-cluster names. */
export function planDnsRecords(dns: DnsSpec, routing: RoutingSpec | undefined, clusterIds: string[]): DnsRecordPlan[] {
    const records = dns.records ?? DEFAULTS.dnsRecords;
    const out: DnsRecordPlan[] = [];
    for (const host of dnsHosts(dns, routing)) {
        const rr = recordName(host, dns.zone);
        if (rr === undefined) continue;
        for (const clusterId of clusterIds) {
            if (records !== "perCluster") out.push({ clusterId, name: host, rr, shared: true });
            // A wildcard has no per-cluster form (`c1.*.example.com` is not a name).
            if (records !== "shared" && !host.startsWith("*.")) {
                out.push({ clusterId, name: `${clusterId}.${host}`, rr: rr === "@" ? clusterId : `${clusterId}.${rr}`, shared: false });
            }
        }
    }
    return out;
}
