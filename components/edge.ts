// The cloud side of DNS and certificates: Alibaba Cloud DNS (or PrivateZone) records per
// cluster address, PEM checks for certificates that arrive as Outputs, and the upload of a
// certificate to Alibaba Cloud Certificate Management.
import * as alicloud from "@pulumi/alicloud";
import * as pulumi from "@pulumi/pulumi";
import { checkPem, certificateHosts, planDnsRecords, type CertificateSpec, type PemCertificate } from "../core/edge";
import { formatPath } from "../core/errors";
import type { GatewayFleetSpec } from "../core/fleet";
import { DEFAULTS } from "../core/spec";
import { slug } from "../core/render/routing";
import type { AddressKind } from "./loadBalancers";

export interface ClusterAddress {
    address?: string;
    addressKind?: AddressKind;
}

/** Certificates with their PEM turned into Pulumi secrets (plain text given in config included). */
export function withSecretPem(fleet: GatewayFleetSpec): GatewayFleetSpec {
    if (fleet.certificates === undefined) return fleet;
    return {
        ...fleet,
        certificates: fleet.certificates.map((c): CertificateSpec => ({
            ...c,
            pem: c.pem === undefined ? undefined : {
                certificate: pulumi.secret(c.pem.certificate as pulumi.Input<string>),
                privateKey: pulumi.secret(c.pem.privateKey as pulumi.Input<string>),
            },
            clientCaCertificate: c.clientCaCertificate === undefined ? undefined : pulumi.secret(c.clientCaCertificate as pulumi.Input<string>),
        })),
    };
}

/**
 * PEM given as Outputs cannot be checked before the program runs; they are checked as soon as
 * they resolve, and the returned checks fail (holding back every resource) when they are bad.
 */
export function pemChecks(fleet: GatewayFleetSpec): pulumi.Output<string | undefined>[] {
    return (fleet.certificates ?? []).flatMap((c, i) => {
        if (c.pem === undefined || (typeof c.pem.certificate === "string" && typeof c.pem.privateKey === "string")) return [];
        const hosts = certificateHosts(c, fleet.routing);
        return [pulumi.all([c.pem.certificate as pulumi.Input<string>, c.pem.privateKey as pulumi.Input<string>]).apply(([cert, key]) => {
            const issues = checkPem(cert, key, hosts, new Date());
            for (const w of issues.filter((x) => x.warning)) pulumi.log.warn(`${formatPath(["certificates", i, "pem", ...w.field])}: ${w.message}`);
            const errors = issues.filter((x) => !x.warning);
            // The message names fields only: never the PEM itself.
            return errors.length === 0 ? undefined : errors.map((e) => `${formatPath(["certificates", i, "pem", ...e.field])}: ${e.message}`).join("\n  ");
        })];
    });
}

/** Uploads a certificate's PEM to Alibaba Cloud Certificate Management; returns its id. */
function upload(name: string, workload: string, cert: CertificateSpec & { pem: PemCertificate }, parent: pulumi.Resource): pulumi.Output<string> {
    return new alicloud.cas.ServiceCertificate(`${name}-cas-${cert.name}`, {
        certificateName: `${workload}-${cert.name}`,
        cert: cert.pem.certificate as pulumi.Input<string>,
        key: cert.pem.privateKey as pulumi.Input<string>,
    }, { parent }).id;
}

/** Uploads certificates marked `uploadToAlibabaCloud`; returns their Certificate Management ids by name. */
export function uploadCertificates(name: string, workload: string, fleet: GatewayFleetSpec, parent: pulumi.Resource): Record<string, pulumi.Output<string>> {
    const ids: Record<string, pulumi.Output<string>> = {};
    for (const c of fleet.certificates ?? []) {
        if (c.uploadToAlibabaCloud === true && c.pem !== undefined) ids[c.name] = upload(name, workload, { ...c, pem: c.pem }, parent);
    }
    return ids;
}

/**
 * Certificates for load balancers that terminate TLS: a CLB uses an SLB server certificate, an
 * NLB a Certificate Management certificate named `<id>-<region>` (cloud controller rule).
 */
export function loadBalancerCertificates(name: string, workload: string, fleet: GatewayFleetSpec, uses: { type: "CLB" | "NLB"; certificate: string }[], uploaded: Record<string, pulumi.Output<string>>, parent: pulumi.Resource): (type: "CLB" | "NLB", certificate: string) => pulumi.Output<string> {
    const clb = new Map<string, pulumi.Output<string>>();
    const nlb = new Map<string, pulumi.Output<string>>();
    let region: pulumi.Output<string> | undefined;
    for (const use of uses) {
        const cert = fleet.certificates?.find((c) => c.name === use.certificate);
        if (cert?.pem === undefined) continue;
        if (use.type === "CLB" && !clb.has(cert.name)) {
            clb.set(cert.name, new alicloud.slb.ServerCertificate(`${name}-slb-cert-${cert.name}`, {
                name: `${workload}-${cert.name}`,
                serverCertificate: cert.pem.certificate as pulumi.Input<string>,
                privateKey: cert.pem.privateKey as pulumi.Input<string>,
            }, { parent }).id);
        }
        if (use.type === "NLB" && !nlb.has(cert.name)) {
            region ??= alicloud.getRegionsOutput({ current: true }, { parent }).ids.apply((ids) => ids?.[0] ?? "");
            const cas = uploaded[cert.name] ?? upload(name, workload, { ...cert, pem: cert.pem }, parent);
            nlb.set(cert.name, pulumi.interpolate`${cas}-${region}`);
        }
    }
    return (type, certificate) => (type === "CLB" ? clb : nlb).get(certificate)!;
}

const RECORD_TYPE: Record<AddressKind, string> = { IPv4: "A", IPv6: "AAAA", hostname: "CNAME" };

/**
 * One record per cluster address. Each record waits only for its own cluster's address, so
 * clusters do not wait on each other.
 */
export function dnsRecords(name: string, fleet: GatewayFleetSpec, addresses: Record<string, pulumi.Output<ClusterAddress>>, parent: pulumi.Resource): pulumi.CustomResource[] {
    const dns = fleet.dns;
    if (dns === undefined) return [];
    return planDnsRecords(dns, fleet.routing, fleet.clusters.map((c) => c.id)).map((r) => {
        const address = addresses[r.clusterId].apply((a) => {
            if (a.address === undefined || a.addressKind === undefined) {
                throw new pulumi.RunError(`dns: cluster ${r.clusterId} reports no gateway address for ${r.name}; is its Service of type LoadBalancer?`);
            }
            return a as Required<ClusterAddress>;
        });
        const type = address.apply((a) => RECORD_TYPE[a.addressKind]);
        const value = address.apply((a) => a.address);
        const resourceName = `${name}-dns-${r.clusterId}-${slug(r.name)}`;
        if (dns.privateZoneId !== undefined) {
            return new alicloud.pvtz.ZoneRecord(resourceName, { zoneId: dns.privateZoneId as pulumi.Input<string>, rr: r.rr, type, value, ttl: dns.ttl ?? DEFAULTS.dnsTtl }, { parent });
        }
        return new alicloud.dns.AlidnsRecord(resourceName, { domainName: dns.zone, rr: r.rr, type, value, ttl: dns.ttl ?? DEFAULTS.dnsTtl, line: dns.line ?? DEFAULTS.dnsLine }, { parent });
    });
}
