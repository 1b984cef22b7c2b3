// The cloud side of DNS, certificates and the login: Alibaba Cloud DNS (or PrivateZone) records
// per cluster address, PEM checks for certificates that arrive as Outputs, the upload of a
// certificate to Alibaba Cloud Certificate Management, and asm mode's login provider in ASM.
import { createHash } from "crypto";
import * as alicloud from "@pulumi/alicloud";
import * as pulumi from "@pulumi/pulumi";
import { checkPem, certificateHosts, planDnsRecords, type CertificateSpec, type PemCertificate } from "../core/edge";
import { formatPath } from "../core/errors";
import { ASM_EXT_AUTH_TYPE, asmOidcProviderConfig, checkCookieSecret, oidcProviderName } from "../core/oidc";
import type { GatewayFleetSpec } from "../core/fleet";
import { DEFAULTS } from "../core/spec";
import { certificateSiteOf } from "../providers/regions";
import type { AddressKind } from "../core/loadBalancer";
import { clbCertificateName, dnsRecordName, nlbCertificateName, oidcExtensionProviderName, uploadedCertificateName } from "./names";

export interface ClusterAddress {
    address?: string;
    addressKind?: AddressKind;
}

/**
 * Certificates with their PEM, and the single sign-on's client and cookie secrets, turned into
 * Pulumi secrets (plain text given in config included).
 */
export function withSecretPem(fleet: GatewayFleetSpec): GatewayFleetSpec {
    const oidc = fleet.security?.oidc;
    const secured: GatewayFleetSpec =
        oidc === undefined
            ? fleet
            : {
                  ...fleet,
                  security: {
                      ...fleet.security,
                      oidc: {
                          ...oidc,
                          clientSecret: pulumi.secret(oidc.clientSecret as pulumi.Input<string>),
                          cookieSecret: pulumi.secret(oidc.cookieSecret as pulumi.Input<string>),
                      },
                  },
              };
    return withSecretCertificates(secured);
}

/**
 * A cookie secret given as an Output is checked once it resolves (oauth2-proxy would refuse to
 * start with it in every cluster); the check fails, holding back every resource, when it is bad.
 */
export function oidcChecks(fleet: GatewayFleetSpec): pulumi.Output<string | undefined>[] {
    const secret = fleet.security?.oidc?.cookieSecret;
    if (secret === undefined || typeof secret === "string") return [];
    return [
        pulumi.output(secret as pulumi.Input<string>).apply((value) => {
            const problem = checkCookieSecret(value);
            // The message names the field only: never the secret.
            return problem === undefined ? undefined : `${formatPath(["security", "oidc", "cookieSecret"])}: ${problem}`;
        }),
    ];
}

/**
 * asm mode's login: the ExtensionProvider ASM's API registers (CreateExtensionProvider, type
 * httpextauth), from which ASM runs oauth2-proxy. Its `config` holds the client and cookie
 * secrets: built from the secret inputs, kept secret in state and in the outputs read back
 * (additionalSecretOutputs). It waits for `gate` (a cookie secret given as an Output is checked
 * there), so ASM never receives settings the checks refuse. ASM's API is central
 * (servicemesh.aliyuncs.com), so it goes through the component's default alicloud provider,
 * as the ASM instance itself is read.
 */
export function asmOidcExtensionProvider(
    name: string,
    fleet: GatewayFleetSpec,
    serviceMeshId: pulumi.Input<string>,
    gate: pulumi.Output<unknown> | undefined,
    parent: pulumi.Resource,
): alicloud.servicemesh.ExtensionProvider | undefined {
    const oidc = fleet.security?.oidc;
    if (oidc === undefined) return undefined;
    const config = pulumi
        .all([oidc.clientSecret as pulumi.Input<string>, oidc.cookieSecret as pulumi.Input<string>, gate])
        .apply(([clientSecret, cookieSecret]) => asmOidcProviderConfig({ ...oidc, clientSecret, cookieSecret }, fleet.name));
    return new alicloud.servicemesh.ExtensionProvider(
        oidcExtensionProviderName(name),
        {
            serviceMeshId,
            extensionProviderName: oidcProviderName(oidc, fleet.name, "asm"),
            type: ASM_EXT_AUTH_TYPE,
            config: pulumi.secret(config),
        },
        { parent, additionalSecretOutputs: ["config"] },
    );
}

function withSecretCertificates(fleet: GatewayFleetSpec): GatewayFleetSpec {
    if (fleet.certificates === undefined) return fleet;
    return {
        ...fleet,
        certificates: fleet.certificates.map((c): CertificateSpec => ({
            ...c,
            pem:
                c.pem === undefined
                    ? undefined
                    : {
                          certificate: pulumi.secret(c.pem.certificate as pulumi.Input<string>),
                          privateKey: pulumi.secret(c.pem.privateKey as pulumi.Input<string>),
                      },
            clientCaCertificate:
                c.clientCaCertificate === undefined ? undefined : pulumi.secret(c.clientCaCertificate as pulumi.Input<string>),
        })),
    };
}

/**
 * PEM given as Outputs cannot be checked before the program runs; they are checked as soon as
 * they resolve, and the returned checks fail (holding back every resource) when they are bad.
 */
export function pemChecks(fleet: GatewayFleetSpec, lbTlsPorts: Map<string, number[]> = new Map()): pulumi.Output<string | undefined>[] {
    return (fleet.certificates ?? []).flatMap((c, i) => {
        if (c.pem === undefined || (typeof c.pem.certificate === "string" && typeof c.pem.privateKey === "string")) return [];
        const hosts = certificateHosts(c, fleet.routing, lbTlsPorts.get(c.name));
        return [
            pulumi.all([c.pem.certificate as pulumi.Input<string>, c.pem.privateKey as pulumi.Input<string>]).apply(([cert, key]) => {
                const issues = checkPem(cert, key, hosts, new Date());
                for (const w of issues.filter((x) => x.warning))
                    void pulumi.log.warn(`${formatPath(["certificates", i, "pem", ...w.field])}: ${w.message}`);
                const errors = issues.filter((x) => !x.warning);
                // The message names fields only: never the PEM itself.
                return errors.length === 0
                    ? undefined
                    : errors.map((e) => `${formatPath(["certificates", i, "pem", ...e.field])}: ${e.message}`).join("\n  ");
            }),
        ];
    });
}

/**
 * The cloud name of a certificate: unique per PEM, so that a renewed certificate (a replacement:
 * its content cannot change in place) is created beside the old one under a new name, the
 * listener moves to it, and only then is the old one deleted. The hash is of the certificate, which
 * every TLS client receives anyway, never of the key; so the name need not be a secret.
 */
function cloudName(workload: string, cert: CertificateSpec & { pem: PemCertificate }): pulumi.Output<string> {
    const digest = pulumi
        .output(cert.pem.certificate as pulumi.Input<string>)
        .apply((pem) => createHash("sha256").update(pem).digest("hex").slice(0, 8));
    return pulumi.unsecret(pulumi.interpolate`${workload}-${cert.name}-${digest}`);
}

/** Uploads a certificate's PEM to Alibaba Cloud Certificate Management; returns its id. */
function upload(
    resourceName: string,
    workload: string,
    cert: CertificateSpec & { pem: PemCertificate },
    parent: pulumi.Resource,
    provider?: pulumi.ProviderResource,
): pulumi.Output<string> {
    return new alicloud.cas.ServiceCertificate(
        resourceName,
        {
            certificateName: cloudName(workload, cert),
            cert: cert.pem.certificate as pulumi.Input<string>,
            key: cert.pem.privateKey as pulumi.Input<string>,
        },
        { parent, provider },
    ).id;
}

/**
 * Uploads certificates marked `uploadToAlibabaCloud`; returns their Certificate Management ids
 * by name. Certificate Management is not regional: these go through the stack's default provider.
 */
export function uploadCertificates(
    name: string,
    workload: string,
    fleet: GatewayFleetSpec,
    parent: pulumi.Resource,
): Record<string, pulumi.Output<string>> {
    const ids: Record<string, pulumi.Output<string>> = {};
    for (const c of fleet.certificates ?? []) {
        if (c.uploadToAlibabaCloud === true && c.pem !== undefined)
            ids[c.name] = upload(uploadedCertificateName(name, c.name), workload, { ...c, pem: c.pem }, parent);
    }
    return ids;
}

/** A load balancer that terminates TLS, in its cluster's region. */
export interface LoadBalancerCertificateUse {
    type: "CLB" | "NLB";
    region: string;
    certificate: string;
}

/**
 * Certificates for load balancers that terminate TLS. A CLB uses an SLB server certificate in its
 * own region; an NLB a Certificate Management certificate of its region's site (`cn-hangzhou`
 * for mainland China, `ap-southeast-1` elsewhere), named `<id>-<site>` (cloud controller rule),
 * uploaded through the provider of that site's region.
 */
export function loadBalancerCertificates(
    name: string,
    workload: string,
    fleet: GatewayFleetSpec,
    uses: LoadBalancerCertificateUse[],
    provider: (region: string) => pulumi.ProviderResource,
    parent: pulumi.Resource,
): (use: LoadBalancerCertificateUse) => pulumi.Output<string> {
    const ids = new Map<string, pulumi.Output<string>>();
    const key = (use: LoadBalancerCertificateUse) =>
        use.type === "CLB" ? `clb/${use.region}/${use.certificate}` : `nlb/${certificateSiteOf(use.region)}/${use.certificate}`;
    for (const use of uses) {
        const cert = fleet.certificates?.find((c) => c.name === use.certificate);
        if (cert?.pem === undefined || ids.has(key(use))) continue;
        const pem = { ...cert, pem: cert.pem };
        if (use.type === "CLB") {
            ids.set(
                key(use),
                new alicloud.slb.ServerCertificate(
                    clbCertificateName(name, use.region, cert.name),
                    {
                        name: cloudName(workload, pem),
                        serverCertificate: cert.pem.certificate as pulumi.Input<string>,
                        privateKey: cert.pem.privateKey as pulumi.Input<string>,
                    },
                    { parent, provider: provider(use.region) },
                ).id,
            );
        } else {
            const site = certificateSiteOf(use.region);
            const cas = upload(nlbCertificateName(name, site, cert.name), workload, pem, parent, provider(site));
            ids.set(key(use), pulumi.interpolate`${cas}-${site}`);
        }
    }
    return (use) => ids.get(key(use))!;
}

const RECORD_TYPE: Record<AddressKind, string> = { IPv4: "A", IPv6: "AAAA", hostname: "CNAME" };

/**
 * One record per cluster address. Each record waits only for its own cluster's address, so
 * clusters do not wait on each other. `address(clusterId, loadBalancer)` is the address of the
 * load balancer a record follows. Alidns and PrivateZone are not regional services: records go
 * through the stack's default provider, so adding or removing a region never moves them.
 */
export function dnsRecords(
    name: string,
    fleet: GatewayFleetSpec,
    address: (clusterId: string, loadBalancer: string) => pulumi.Output<ClusterAddress>,
    parent: pulumi.Resource,
): pulumi.CustomResource[] {
    const dns = fleet.dns;
    if (dns === undefined) return [];
    return planDnsRecords(
        dns,
        fleet.routing,
        fleet.clusters.map((c) => c.id),
    ).map((r) => {
        // An address not known yet (preview, a reused load balancer read from the cloud) stays
        // unknown here: this only runs once it resolves.
        const resolved = address(r.clusterId, r.loadBalancer).apply((a) => {
            if (a.address === undefined || a.addressKind === undefined) {
                throw new pulumi.RunError(
                    `dns: cluster ${r.clusterId} reports no address for load balancer ${r.loadBalancer} (record ${r.name}); is its Service of type LoadBalancer?`,
                );
            }
            return a as Required<ClusterAddress>;
        });
        const type = resolved.apply((a) => RECORD_TYPE[a.addressKind]);
        const value = resolved.apply((a) => a.address);
        const resourceName = dnsRecordName(name, r.clusterId, r.name);
        const ttl = dns.ttl ?? DEFAULTS.dnsTtl;
        if (dns.privateZoneId !== undefined) {
            return new alicloud.pvtz.ZoneRecord(
                resourceName,
                { zoneId: dns.privateZoneId as pulumi.Input<string>, rr: r.rr, type, value, ttl },
                { parent },
            );
        }
        return new alicloud.dns.AlidnsRecord(
            resourceName,
            { domainName: dns.zone, rr: r.rr, type, value, ttl, line: dns.line ?? DEFAULTS.dnsLine },
            { parent },
        );
    });
}
