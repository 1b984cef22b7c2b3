// The Pulumi name of every child resource the component registers, made here and nowhere else.
// A child's name is its identity in the user's stack: a new name replaces the resource (a new
// load balancer and address, a DNS record deleted and re-created, a Service re-created). These
// functions are therefore frozen: tests/child-names.test.ts pins what they produce, and a change
// must keep the old names (or add `aliases`) so that existing stacks keep their resources.
import { createHash } from "crypto";
import type { KubeObject } from "../core/render/common";
import { isDefaultLoadBalancer } from "../core/loadBalancer";

/** The Kubernetes provider of one cluster, and the prefix of the objects registered through it. */
export function clusterScope(component: string, clusterId: string): string {
    return `${component}-${clusterId}`;
}

/** The Kubernetes provider of the ASM control plane, and the prefix of the objects registered through it. */
export function controlPlaneScope(component: string): string {
    return `${component}-asm`;
}

/** The ASM instance read to get the control plane's kubeconfig. */
export function serviceMeshName(component: string): string {
    return `${component}-mesh`;
}

/** The ExtensionProvider registered through ASM's API for the single sign-on (asm mode). */
export function oidcExtensionProviderName(component: string): string {
    return `${component}-oidc-extension-provider`;
}

/** The Alibaba Cloud provider of one region. */
export function regionProviderName(component: string, region: string): string {
    return `${component}-alicloud-${region}`;
}

/** A Kubernetes object: `<scope>-<object name>`, with its namespace when it is not the gateway's. */
export function kubeObjectName(scope: string, obj: KubeObject<unknown>, gatewayNamespace: string): string {
    const ns = obj.metadata.namespace;
    const nsPart = ns === undefined || ns === gatewayNamespace ? "" : `${ns}-`;
    return `${scope}-${nsPart}${obj.metadata.name}`;
}

/** A load balancer the component creates for one cluster: the gateway Service's, or an additional one's (by its key). */
export function loadBalancerName(component: string, clusterId: string, key: string): string {
    return isDefaultLoadBalancer(key) ? `${component}-${clusterId}-lb` : `${component}-${clusterId}-lb-${key}`;
}

/** A certificate uploaded to Certificate Management for the listeners (uploadToAlibabaCloud). */
export function uploadedCertificateName(component: string, certificate: string): string {
    return `${component}-cas-${certificate}`;
}

/** A CLB's server certificate, in its region. */
export function clbCertificateName(component: string, region: string, certificate: string): string {
    return `${component}-${region}-slb-cert-${certificate}`;
}

/** An NLB's certificate, in Certificate Management of its region's site. */
export function nlbCertificateName(component: string, site: string, certificate: string): string {
    return `${component}-${site}-cas-${certificate}`;
}

/** A DNS record (Alibaba Cloud DNS or PrivateZone) of one cluster for one published name. */
export function dnsRecordName(component: string, clusterId: string, host: string): string {
    return `${component}-dns-${clusterId}-${hostPart(host)}`;
}

/**
 * A host as a name part: `shop.example.com` → `shop-example-com`; a wildcard, or a name cut to
 * fit, gets a short hash of the host so two hosts never share a name. Its own copy, not the
 * Kubernetes renderer's object-name helper: that one may change with the objects it names,
 * while a record's name must not.
 */
function hostPart(host: string): string {
    const plain = host.replace(/\./g, "-");
    if (/^[a-z0-9-]{1,50}$/.test(plain) && !plain.endsWith("-")) return plain;
    const readable = host.replace(/^\*$/, "any").replace(/^\*\./, "wildcard.").replace(/\./g, "-").slice(0, 40).replace(/-+$/, "");
    return `${readable}-${createHash("sha256").update(host).digest("hex").slice(0, 8)}`;
}
