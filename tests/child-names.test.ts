// The Pulumi names of every child resource, pinned. A resource's name is its identity in a
// user's stack: renaming a child replaces it (a new load balancer, a new DNS record, a Service
// re-created) in every stack that deploys the package. This test lists the children of
// representative fleets (both modes, created and reused load balancers, additional ones, DNS in
// both record forms and a PrivateZone, PEM, cert-manager and load-balancer certificates, security,
// egress) and compares them with the committed list. A change here must be a deliberate one,
// with an alias for the old name (`aliases` in the resource options) so existing stacks keep theirs.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import selfsigned from "selfsigned";
import type { MeshGatewayArgs } from "../components/meshGateway";
import { MeshGateway } from "../components/meshGateway";
import type { RoutingSpec } from "../core/routing";
import { runInProcess } from "../offline/engine";
import { fakeCloudCall, fakeCloudState, FIXTURES } from "./support/fleet";

const PINNED = path.join(FIXTURES, "child-resource-names.txt");

async function pem(hosts: string[]): Promise<{ certificate: string; privateKey: string }> {
    const generated = await selfsigned.generate([{ name: "commonName", value: hosts[0] }], {
        keyType: "ec",
        curve: "P-256",
        notAfterDate: new Date(Date.now() + 90 * 86_400_000),
        extensions: [{ name: "subjectAltName", altNames: hosts.map((value) => ({ type: 2, value })) }],
    });
    return { certificate: generated.cert, privateKey: generated.private };
}

const routing: RoutingSpec = {
    listeners: [
        { name: "http", port: 80, protocol: "HTTP", hosts: ["shop.example.com", "*.api.example.com", "example.com"] },
        { name: "https", port: 443, protocol: "HTTPS", hosts: ["shop.example.com"], tls: { mode: "SIMPLE", credentialName: "shop-cert" } },
        {
            name: "admin",
            port: 8443,
            protocol: "HTTPS",
            hosts: ["admin.example.com"],
            tls: { mode: "SIMPLE", credentialName: "admin-cert" },
        },
    ],
    http: [{ name: "shop", hosts: ["shop.example.com"], destinations: [{ host: "shop", port: 8080 }] }],
};
const ports = [
    { name: "status-port", port: 15021, targetPort: 15021, protocol: "TCP" as const },
    { name: "http2", port: 80, targetPort: 80, protocol: "HTTP2" as const },
    { name: "https", port: 443, targetPort: 443, protocol: "HTTPS" as const },
    { name: "admin", port: 8443, targetPort: 8443, protocol: "HTTPS" as const },
    { name: "edge-tls", port: 9443, targetPort: 9443, protocol: "TCP" as const },
];
const nlbZones = [{ zoneId: "cn-shanghai-k", vswitchId: "vsw-k" }, { zoneId: "cn-shanghai-l" }];

async function fleets(): Promise<{ name: string; args: MeshGatewayArgs }[]> {
    const shop = await pem(["shop.example.com"]);
    const admin = await pem(["admin.example.com"]);
    const edge = await pem(["edge.example.com"]);
    const istio: MeshGatewayArgs = {
        mode: "istio",
        clusters: [
            { id: "hz", kubeconfig: "kc-hz", region: "cn-hangzhou" },
            { id: "sh", ackClusterId: "c-shanghai", region: "cn-shanghai" },
        ],
        gateway: {
            ports,
            maxReplicas: 4,
            minReplicas: 2,
            compression: { enabled: true, gzip: {} },
            loadBalancer: { backendType: "eni", tls: { certificate: "edge-cert", ports: [9443] } },
            additionalLoadBalancers: [
                { name: "internal", addressType: "intranet", vswitchId: "vsw-internal", backendType: "eni", ports: ["http2"] },
            ],
            overrides: {
                sh: {
                    loadBalancer: {
                        type: "NLB",
                        vpcId: "vpc-sh",
                        zoneMappings: nlbZones,
                        backendType: "eni",
                        tls: { certificate: "edge-cert", ports: [9443] },
                    },
                    additionalLoadBalancers: [
                        { name: "internal", existingId: "lb-reused", forceOverrideListeners: true, backendType: "eni", ports: ["http2"] },
                    ],
                },
            },
        },
        routing: {
            ...routing,
            listeners: [...routing.listeners!, { name: "edge-tls", port: 9443, protocol: "HTTP", hosts: ["edge.example.com"] }],
        },
        dns: { zone: "example.com", records: "perCluster", hostLoadBalancers: { "admin.example.com": "internal" } },
        certificates: [
            { name: "shop-cert", pem: shop, uploadToAlibabaCloud: true },
            { name: "admin-cert", certManager: { issuer: "letsencrypt" } },
            { name: "edge-cert", pem: edge },
        ],
        security: {
            ipAllow: ["203.0.113.0/24"],
            trustedProxies: 1,
            jwt: [{ issuer: "https://issuer.example.com", jwksUri: "https://issuer.example.com/jwks", hosts: ["shop.example.com"] }],
        },
    };
    const asm: MeshGatewayArgs = {
        mode: "asm",
        clusters: [
            { id: "c1", kubeconfig: "kc1", region: "cn-hangzhou" },
            { id: "c2", ackClusterId: "c-two", region: "cn-hangzhou" },
        ],
        controlPlane: { kubeconfig: "kc-mesh" },
        gateway: {
            ports: ports.slice(0, 4),
            loadBalancer: { backendType: "eni" },
            additionalLoadBalancers: [{ name: "private", addressType: "intranet", vswitchId: "vsw-private", backendType: "eni" }],
            overrides: { c2: { loadBalancer: { existingId: "lb-existing", forceOverrideListeners: true, backendType: "eni" } } },
        },
        routing: { ...routing, api: "gateway-api" },
        dns: { zone: "example.com", privateZoneId: "pz-1", records: "both", loadBalancer: "private" },
        certificates: [
            { name: "shop-cert", pem: shop },
            { name: "admin-cert", pem: admin },
        ],
    };
    const egress: MeshGatewayArgs = {
        mode: "istio",
        clusters: [{ id: "hz", kubeconfig: "kc-hz" }],
        gateway: {
            gatewayType: "egress",
            ports: [
                { name: "http", port: 80, targetPort: 8080, protocol: "HTTP" },
                { name: "tls", port: 443, targetPort: 8443, protocol: "TLS" },
            ],
        },
        routing: {
            egress: [
                { host: "api.partner.example.org", protocol: "TLS" },
                { host: "status.partner.example.org", protocol: "HTTP" },
            ],
        },
    };
    // The control plane read from the ASM instance, and clusters ASM alone reaches; the login's
    // extension provider registered through ASM's API.
    const meshById: MeshGatewayArgs = {
        mode: "asm",
        clusters: [{ id: "c1" }, { id: "c2" }],
        controlPlane: { serviceMeshId: "mesh-id" },
        gateway: {},
        security: {
            oidc: {
                issuerUrl: "https://sso.example.com",
                clientId: "gateway",
                clientSecret: "client-secret",
                cookieSecret: "0123456789abcdef0123456789abcdef",
                hosts: ["shop.example.com"],
            },
        },
    };
    return [
        { name: "web", args: istio },
        { name: "mesh", args: asm },
        { name: "out", args: egress },
        { name: "byid", args: meshById },
    ];
}

/** Every registered resource as `<URN>`, sorted: type chain (parents) and name, which Pulumi keys state on. */
async function childUrns(): Promise<string[]> {
    const all = await fleets();
    const resources = await runInProcess(
        () => {
            for (const f of all) new MeshGateway(f.name, f.args);
        },
        { preview: false, state: fakeCloudState, call: fakeCloudCall },
    );
    return resources.map((r) => r.urn).sort();
}

describe("child resource names", () => {
    it("are the pinned ones: no existing child is renamed (a rename replaces it in every user's stack)", async () => {
        const urns = await childUrns();
        if (process.env.PIN_CHILD_NAMES === "write") fs.writeFileSync(PINNED, urns.join("\n") + "\n");
        const pinned = fs.readFileSync(PINNED, "utf8").trim().split("\n");
        expect(urns.length, "the fleets register a resource of every kind the component makes").to.be.greaterThan(60);
        expect(urns).to.deep.equal(pinned);
    });
});
