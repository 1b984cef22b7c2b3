// Alibaba Cloud load balancers: the cloud resources created (or read), the cloud controller
// annotations on each cluster's Service (or ASM override), and the outputs.
import { expect } from "chai";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Service } from "kubernetes-types/core/v1";
import selfsigned from "selfsigned";
import YAML from "yaml";
import type { ConfigError } from "../core/errors";
import type { RoutingSpec } from "../core/routing";
import { loadFleets, offlineCall, planOffline } from "../offline/plan";
import type { MeshGatewayArgs } from "../components/meshGateway";
import { CCM_ANNOTATION_PREFIX as P, defaultCloudName, LB_ID_ANNOTATION } from "../core/loadBalancer";
import type { KubeObject } from "../core/render/common";
import { runInProcess, type RecordedResource } from "../offline/engine";
import { MeshGateway } from "../components/meshGateway";
import { oneIstioCluster, twoClustersWithCredentials } from "./support/builders";
import { fakeCloudCall, fakeCloudState, runGateway, valueOf, type FleetRun } from "./support/fleet";
import { resource } from "./support/objects";
import { assertValidObjects } from "./support/schemas";

const CLB = "alicloud:slb/applicationLoadBalancer:ApplicationLoadBalancer";
const NLB = "alicloud:nlb/loadBalancer:LoadBalancer";
const clusters = twoClustersWithCredentials();
const nlbZones = [{ zoneId: "cn-hangzhou-h", vswitchId: "vsw-given" }, { zoneId: "cn-hangzhou-j" }];

function services(run: FleetRun, scope: string): (KubeObject & Service)[] {
    return run.objects.filter((o) => o.scope === scope && o.object.kind === "Service").map((o) => o.object as KubeObject & Service);
}

/** Values the cloud controller accepts for the annotations the component writes. */
const ACCEPTED: Record<string, RegExp> = {
    [LB_ID_ANNOTATION]: /^(lb|nlb)-[-a-z0-9]+$|-id$/,
    [`${P}force-override-listeners`]: /^(true|false)$/,
    [`${P}connection-drain`]: /^(on|off)$/,
    [`${P}connection-drain-timeout`]: /^([0-9]|[1-9][0-9]|[1-8][0-9]{2}|900)$/,
    [`${P}health-check-flag`]: /^(on|off)$/,
    [`${P}health-check-type`]: /^(tcp|http)$/,
    [`${P}health-check-uri`]: /^\/\S*$/,
    [`${P}health-check-connect-port`]: /^([1-9][0-9]{0,4})$/,
    [`${P}health-check-interval`]: /^([1-9]|[1-4][0-9]|50)$/,
    [`${P}health-check-connect-timeout`]: /^([1-9]|[1-9][0-9]|[12][0-9]{2}|300)$/,
    [`${P}healthy-threshold`]: /^([2-9]|10)$/,
    [`${P}unhealthy-threshold`]: /^([2-9]|10)$/,
    [`${P}scheduler`]: /^(wrr|rr|wlc|Wrr|sch|tch|qch)$/,
    [`${P}preserve-client-ip`]: /^(on|off)$/,
    [`${P}vgroup-port`]: /^rsp-[a-z0-9]+:[0-9]+(,rsp-[a-z0-9]+:[0-9]+)*$/,
    [`${P}acl-status`]: /^(on|off)$/,
    [`${P}acl-id`]: /^acl-[a-z0-9]+$/,
    [`${P}acl-type`]: /^(white|black)$/,
    [`${P}protocol-port`]: /^(https|TCPSSL):[0-9]+(,(https|TCPSSL):[0-9]+)*$/,
    [`${P}cert-id`]: /\S/,
    [`${P}hostname`]: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    "service.beta.kubernetes.io/backend-type": /^(eni|ecs)$/,
};

function expectAcceptedAnnotations(annotations: Record<string, string> | undefined): void {
    for (const [key, value] of Object.entries(annotations ?? {})) {
        if (!key.startsWith("service.beta.kubernetes.io/")) continue;
        expect(ACCEPTED, `annotation ${key} is one the component should write`).to.have.property(key);
        expect(value, key).to.be.a("string").and.match(ACCEPTED[key]);
    }
}

describe("load balancers", () => {
    it("creates a CLB in one cluster and an NLB in another, each bound to that cluster's gateway Service", async () => {
        const run = await runGateway("edge", {
            mode: "istio",
            clusters,
            gateway: {
                loadBalancer: {
                    type: "CLB",
                    tags: { team: "edge" },
                    backendType: "eni",
                    healthCheck: { intervalSeconds: 5, unhealthyThreshold: 3 },
                },
                overrides: {
                    c2: {
                        loadBalancer: {
                            type: "NLB",
                            addressType: "intranet",
                            vpcId: "vpc-1",
                            zoneMappings: nlbZones,
                            connectionDrainSeconds: 20,
                        },
                    },
                },
            },
        });
        assertValidObjects(run.objects.map((o) => o.object));

        const clb = resource(run, CLB, "edge-c1-lb");
        expect(clb.inputs).to.deep.equal({
            loadBalancerName: "istio-edge-c1",
            addressType: "internet",
            addressIpVersion: "ipv4",
            instanceChargeType: "PayByCLCU",
            internetChargeType: "PayByTraffic",
            tags: { team: "edge" },
            paymentType: "PayAsYouGo",
            deleteProtection: "on",
        });
        expect(clb.ignoreChanges).to.deep.equal(["tags"]);
        const nlb = resource(run, NLB, "edge-c2-lb");
        expect(nlb.inputs).to.deep.equal({
            loadBalancerName: "istio-edge-c2",
            addressType: "Intranet",
            addressIpVersion: "ipv4",
            vpcId: "vpc-1",
            // The second zone's vSwitch was looked up in the VPC.
            zoneMappings: [
                { zoneId: "cn-hangzhou-h", vswitchId: "vsw-given" },
                { zoneId: "cn-hangzhou-j", vswitchId: "vsw-j-vpc-1" },
            ],
            deletionProtectionEnabled: true,
        });
        expect(run.resources.filter((r) => r.type === CLB || r.type === NLB)).to.have.length(2);
        // Both through the explicit provider of their clusters' region.
        const hz = resource(run, "pulumi:providers:alicloud", "edge-alicloud-cn-hangzhou");
        expect(clb.provider).to.equal(hz.urn);
        expect(nlb.provider).to.equal(hz.urn);

        const [svc1] = services(run, "edge-c1");
        expect(svc1.metadata.annotations).to.deep.equal({
            [LB_ID_ANNOTATION]: "edge-c1-lb-id",
            [`${P}force-override-listeners`]: "true",
            [`${P}connection-drain`]: "on",
            [`${P}connection-drain-timeout`]: "30",
            "service.beta.kubernetes.io/backend-type": "eni",
            [`${P}health-check-type`]: "http",
            [`${P}health-check-uri`]: "/healthz/ready",
            [`${P}health-check-connect-port`]: "15021",
            [`${P}health-check-interval`]: "5",
            [`${P}unhealthy-threshold`]: "3",
        });
        expect(svc1.spec!.loadBalancerClass).to.equal(undefined);
        const [svc2] = services(run, "edge-c2");
        expect(svc2.spec!.loadBalancerClass).to.equal("alibabacloud.com/nlb");
        expect(svc2.metadata.annotations).to.include({
            [LB_ID_ANNOTATION]: "edge-c2-lb-id",
            [`${P}connection-drain-timeout`]: "20",
            [`${P}health-check-flag`]: "on",
        });
        for (const s of [svc1, svc2]) expectAcceptedAnnotations(s.metadata.annotations);

        // The Service waits for its load balancer and is replaced with it.
        const svcResource = resource(run, "kubernetes:core/v1:Service", "edge-c1-istio-edge");
        expect(svcResource.dependencies).to.include(clb.urn);
        expect(svcResource.replaceOnChanges).to.deep.equal([`metadata.annotations["${LB_ID_ANNOTATION}"]`, "spec.loadBalancerClass"]);

        const addresses = await valueOf(run.gateway.addresses);
        expect(addresses.c1.address).to.match(/^121\.40\.0\.\d+$/);
        expect(addresses.c1.addressKind).to.equal("IPv4");
        expect(addresses.c1.loadBalancers).to.deep.equal([
            {
                name: "default",
                serviceName: "istio-edge",
                type: "CLB",
                created: true,
                id: "edge-c1-lb-id",
                address: addresses.c1.address,
                addressKind: "IPv4",
            },
        ]);
        expect(addresses.c2).to.include({ address: "edge-c2-lb.cn-hangzhou.nlb.aliyuncsslb.com", addressKind: "hostname" });
        expect(addresses.c2.loadBalancers[0]).to.include({ type: "NLB", id: "edge-c2-lb-id" });
    });

    it("reuses an existing load balancer without touching its listeners unless asked", async () => {
        const run = await runGateway("edge", {
            mode: "istio",
            clusters,
            gateway: {
                overrides: {
                    c1: { loadBalancer: { existingId: "lb-bp1existing" } },
                    c2: { loadBalancer: { existingId: "lb-bp2existing", forceOverrideListeners: true } },
                },
            },
        });
        expect(run.resources.filter((r) => r.type === CLB || r.type === NLB)).to.have.length(0);
        expect(services(run, "edge-c1")[0].metadata.annotations).to.include({
            [LB_ID_ANNOTATION]: "lb-bp1existing",
            [`${P}force-override-listeners`]: "false",
        });
        expect(services(run, "edge-c2")[0].metadata.annotations).to.include({
            [LB_ID_ANNOTATION]: "lb-bp2existing",
            [`${P}force-override-listeners`]: "true",
        });
        const addresses = await valueOf(run.gateway.addresses);
        expect(addresses.c1.loadBalancers).to.deep.equal([
            {
                name: "default",
                serviceName: "istio-edge",
                type: "CLB",
                created: false,
                id: "lb-bp1existing",
                address: "47.99.0.14",
                addressKind: "IPv4",
            },
        ]);
        expect(addresses.c1.address).to.equal("47.99.0.14");
    });

    it("says in the plan what happens to a reused load balancer's listeners", async () => {
        const { layoutFleet } = await import("../core/plan");
        const layout = layoutFleet({
            name: "edge",
            mode: "istio",
            clusters: [{ id: "c1", region: "cn-hangzhou" }],
            gateway: { loadBalancer: { existingId: "lb-1", backendType: "eni" } },
        });
        expect(layout.warnings.map((w) => `${w.path}: ${w.message}`)).to.deep.equal([
            "gateway.loadBalancer: cluster c1: reused load balancer: no listener is created or changed, so no listener forwards to the gateway pods and the gateway gets no traffic through it; set forceOverrideListeners: true (listeners for ports 15021, 80, 443) or vServerGroups (the existing listeners' groups)",
        ]);
    });

    it("takes an id from another resource (an Output) as it is", async () => {
        const pulumi = await import("@pulumi/pulumi");
        const run = await runGateway("edge", {
            ...oneIstioCluster(),
            gateway: { loadBalancer: { existingId: pulumi.output("lb-from-output"), backendType: "eni" } },
        });
        expect(services(run, "edge-c1")[0].metadata.annotations).to.include({ [LB_ID_ANNOTATION]: "lb-from-output" });
    });

    it("binds each cluster through its override's serviceAnnotations in asm mode, keeping the base annotations", async () => {
        const run = await runGateway("edge", {
            mode: "asm",
            clusters: [
                { id: "c1", region: "cn-hangzhou" },
                { id: "c2", region: "cn-hangzhou" },
            ],
            controlPlane: { kubeconfig: "kc" },
            gateway: {
                serviceAnnotations: { "example.com/owner": "platform" },
                loadBalancer: { type: "NLB", vpcId: "vpc-1", zoneMappings: nlbZones },
                overrides: { c2: { replicaCount: 3, serviceAnnotations: { "example.com/owner": "team-b" } } },
            },
        });
        const [cr] = run.objects.map((o) => o.object) as (KubeObject & {
            spec: Record<string, unknown> & {
                overrides: Record<string, { serviceAnnotations: Record<string, string>; replicaCount?: number }>;
            };
        })[];
        assertValidObjects([cr]);
        expect(cr.spec).to.not.have.property("loadBalancer");
        expect(cr.spec.loadBalancerClass).to.equal("alibabacloud.com/nlb");
        expect(cr.spec.overrides.c1.serviceAnnotations).to.include({
            "example.com/owner": "platform",
            [LB_ID_ANNOTATION]: "edge-c1-lb-id",
        });
        expect(cr.spec.overrides.c2.serviceAnnotations).to.include({ "example.com/owner": "team-b", [LB_ID_ANNOTATION]: "edge-c2-lb-id" });
        expect(cr.spec.overrides.c2.replicaCount).to.equal(3);
        for (const id of ["c1", "c2"]) expectAcceptedAnnotations(cr.spec.overrides[id].serviceAnnotations);
        expect(run.resources.filter((r) => r.type === NLB).map((r) => r.name)).to.deep.equal(["edge-c1-lb", "edge-c2-lb"]);
        const gatewayResource = resource(run, "kubernetes:istio.alibabacloud.com/v1beta1:IstioGateway", "edge-asm-edge");
        expect(gatewayResource.dependencies).to.include.members(run.resources.filter((r) => r.type === NLB).map((r) => r.urn));
        const addresses = await valueOf(run.gateway.addresses);
        expect(addresses.c1).to.include({ address: "edge-c1-lb.cn-hangzhou.nlb.aliyuncsslb.com", addressKind: "hostname" });
    });

    it("puts several load balancers in front of the same pods, each through its own Service", async () => {
        const run = await runGateway("edge", {
            mode: "istio",
            clusters,
            gateway: {
                loadBalancer: { backendType: "eni" },
                additionalLoadBalancers: [
                    {
                        name: "internal",
                        addressType: "intranet",
                        vswitchId: "vsw-internal",
                        ports: ["status-port", "http2"],
                        backendType: "eni",
                    },
                ],
            },
        });
        assertValidObjects(run.objects.map((o) => o.object));
        const [main, internal] = ["istio-edge", "istio-edge-internal"].map((n) =>
            services(run, "edge-c1").find((x) => x.metadata.name === n)!,
        );
        expect(main.metadata.name).to.equal("istio-edge");
        expect(internal.metadata.name).to.equal("istio-edge-internal");
        expect(internal.spec!.selector).to.deep.equal(main.spec!.selector);
        expect(internal.spec!.type).to.equal("LoadBalancer");
        expect(internal.spec!.ports!.map((p) => p.port)).to.deep.equal([15021, 80]);
        expect(internal.metadata.annotations).to.include({ [LB_ID_ANNOTATION]: "edge-c1-lb-internal-id" });
        expect(resource(run, CLB, "edge-c1-lb-internal").inputs).to.include({
            addressType: "intranet",
            vswitchId: "vsw-internal",
            loadBalancerName: "istio-edge-internal-c1",
        });
        const addresses = await valueOf(run.gateway.addresses);
        expect(addresses.c1.loadBalancers.map((lb) => [lb.name, lb.serviceName])).to.deep.equal([
            ["default", "istio-edge"],
            ["internal", "istio-edge-internal"],
        ]);
        expect(addresses.c1.loadBalancers[1].address).to.match(/^192\.168\.0\./);
    });

    it("gives each bound Service the class of its own load balancer", async () => {
        const run = await runGateway("edge", {
            ...oneIstioCluster(),
            gateway: {
                loadBalancerClass: "alibabacloud.com/nlb",
                loadBalancer: { type: "NLB", vpcId: "vpc-1", zoneMappings: nlbZones, backendType: "eni" },
                additionalLoadBalancers: [{ name: "internal", addressType: "intranet", vswitchId: "vsw-1", backendType: "eni" }],
            },
        });
        const byName = (n: string) => services(run, "edge-c1").find((x) => x.metadata.name === n)!;
        const [main, internal] = [byName("istio-edge"), byName("istio-edge-internal")];
        expect(main.spec!.loadBalancerClass).to.equal("alibabacloud.com/nlb");
        expect(internal.spec!.loadBalancerClass).to.equal(undefined);
    });

    it("creates an additional load balancer's Service in the cluster itself in asm mode", async () => {
        const run = await runGateway("edge", {
            mode: "asm",
            clusters: [{ id: "c1", kubeconfig: "kc1", region: "cn-hangzhou" }],
            controlPlane: { kubeconfig: "kc" },
            gateway: { additionalLoadBalancers: [{ name: "internal", addressType: "intranet", vswitchId: "vsw-1" }] },
        });
        expect(run.objects.map((o) => `${o.scope}/${o.object.kind}/${o.object.metadata.name}`)).to.have.members([
            "edge-asm/IstioGateway/edge",
            "edge-c1/Service/istio-edge-internal",
        ]);
        assertValidObjects(run.objects.map((o) => o.object));
    });

    it("creates nothing when a zone has no vSwitch to look up", async () => {
        const recorded: string[] = [];
        let error: unknown;
        try {
            await runInProcess(
                () => {
                    new MeshGateway("edge", {
                        mode: "istio",
                        clusters,
                        gateway: {
                            loadBalancer: {
                                type: "NLB",
                                vpcId: "vpc-1",
                                zoneMappings: [{ zoneId: "cn-hangzhou-h" }, { zoneId: "cn-hangzhou-x" }],
                            },
                        },
                    } satisfies MeshGatewayArgs);
                },
                {
                    preview: false,
                    state: (type, name, inputs) => {
                        recorded.push(type);
                        return fakeCloudState(type, name, inputs);
                    },
                    call: fakeCloudCall,
                },
            );
        } catch (e) {
            error = e;
        }
        expect(String(error)).to.include("gateway.loadBalancer.zoneMappings[1].vswitchId: no vSwitch of vpc-1 in zone cn-hangzhou-x");
        // Providers are configuration, not cloud resources: nothing exists until one is used.
        expect(recorded.filter((t) => t !== "mesh-gateway:index:MeshGateway" && !t.startsWith("pulumi:providers:"))).to.deep.equal([]);
    });
});

/** A self-signed certificate for `hosts` (generated here; no key is committed). */
async function certificate(hosts: string[]): Promise<{ cert: string; key: string }> {
    const generated = await selfsigned.generate([{ name: "commonName", value: hosts[0] }], {
        keyType: "ec",
        curve: "P-256",
        notAfterDate: new Date(Date.now() + 90 * 86_400_000),
        extensions: [{ name: "subjectAltName", altNames: hosts.map((value) => ({ type: 2, value })) }],
    });
    return { cert: generated.cert, key: generated.private };
}

/** Runs a fleet against the fake cloud, recording every cloud lookup with the region it was asked in. */
async function runWithLookups(
    args: MeshGatewayArgs,
): Promise<{ resources: RecordedResource[]; created: string[]; lookups: string[]; error?: unknown }> {
    const lookups: string[] = [];
    const created: string[] = [];
    let error: unknown;
    let resources: RecordedResource[] = [];
    try {
        resources = await runInProcess(
            () => {
                new MeshGateway("edge", args);
            },
            {
                preview: false,
                state: (type, name, inputs) => {
                    created.push(type);
                    return fakeCloudState(type, name, inputs);
                },
                call: (token, inputs, provider) => {
                    lookups.push(
                        `${token.split(":")[1]} ${JSON.stringify(inputs.ids ?? inputs.zoneId ?? inputs.clusterId)} in ${String(provider?.region ?? "the default region")}`,
                    );
                    return fakeCloudCall(token, inputs, provider);
                },
            },
        );
    } catch (e) {
        error = e;
    }
    return { resources, created, lookups, error };
}

const httpsRouting: RoutingSpec = {
    listeners: [
        { name: "http", port: 80, protocol: "HTTP", hosts: ["shop.example.com"] },
        { name: "https", port: 443, protocol: "HTTP", hosts: ["shop.example.com"] },
    ],
    http: [{ name: "shop", hosts: ["shop.example.com"], destinations: [{ host: "shop", port: 80 }] }],
};

/** A CLB terminating TLS on 443 with `pem` as the certificate `shop-cert`, in front of `httpsRouting`. */
function tlsAtClb(pem: { cert: string; key: string }) {
    return {
        gateway: { loadBalancer: { backendType: "eni" as const, tls: { certificate: "shop-cert", ports: [443] } } },
        routing: httpsRouting,
        certificates: [{ name: "shop-cert", pem: { certificate: pem.cert, privateKey: pem.key } }],
    };
}

describe("load balancers on real Alibaba Cloud (issue 13)", () => {
    it("creates each cluster's load balancers, lookups and certificates in its own region, through that region's provider", async () => {
        const shop = await certificate(["shop.example.com"]);
        const { resources, lookups, error } = await runWithLookups({
            mode: "istio",
            clusters: [
                { id: "hz", kubeconfig: "kc1", region: "cn-hangzhou" },
                { id: "bj", region: "cn-beijing" },
            ],
            gateway: {
                loadBalancer: { backendType: "eni", tls: { certificate: "shop-cert", ports: [443] } },
                overrides: {
                    bj: {
                        loadBalancer: {
                            type: "NLB",
                            vpcId: "vpc-bj",
                            zoneMappings: [{ zoneId: "cn-beijing-h" }, { zoneId: "cn-beijing-j", vswitchId: "vsw-cn-beijing-j1" }],
                            backendType: "eni",
                        },
                    },
                },
            },
            routing: httpsRouting,
            certificates: [{ name: "shop-cert", pem: { certificate: shop.cert, privateKey: shop.key } }],
        });
        expect(error).to.equal(undefined);
        const component = resources.find((r) => r.type === "mesh-gateway:index:MeshGateway")!;
        const providers = resources.filter((r) => r.type === "pulumi:providers:alicloud");
        expect(providers.map((p) => [p.name, p.inputs.region, p.parent])).to.deep.equal([
            ["edge-alicloud-cn-beijing", "cn-beijing", component.urn],
            ["edge-alicloud-cn-hangzhou", "cn-hangzhou", component.urn],
        ]);
        const [bj, hz] = providers.map((p) => p.urn);
        const at = (type: string, name: string) => resources.find((r) => r.type === type && r.name === name)!.provider;
        expect(at(CLB, "edge-hz-lb")).to.equal(hz);
        expect(at(NLB, "edge-bj-lb")).to.equal(bj);
        expect(at("alicloud:slb/serverCertificate:ServerCertificate", "edge-cn-hangzhou-slb-cert-shop-cert")).to.equal(hz);
        // The ACK check, the vSwitch lookup and check, and the kubeconfig, all asked in Beijing.
        expect(lookups.filter((l) => l.endsWith("in cn-beijing")).sort()).to.deep.equal([
            'cs/getClusterCredential "bj" in cn-beijing',
            'cs/getClusters ["bj"] in cn-beijing',
            'vpc/getSwitches "cn-beijing-h" in cn-beijing',
            'vpc/getSwitches ["vsw-cn-beijing-j1"] in cn-beijing',
        ]);
        expect(lookups.filter((l) => !l.endsWith("in cn-beijing"))).to.deep.equal([]);
    });

    it("refuses, creating nothing, a region ACK does not confirm and a reused load balancer or vSwitch outside the region", async () => {
        // A cluster's checks fail together; the run stops at the first cluster that fails.
        const ack = await runWithLookups({
            mode: "istio",
            clusters: [{ id: "c-beijing", region: "cn-hangzhou" }],
            gateway: { loadBalancer: { existingId: "lb-elsewhere1", forceOverrideListeners: true, backendType: "eni" } },
        });
        expect(String(ack.error)).to.include(
            "clusters[0].region: ACK has no cluster c-beijing in region cn-hangzhou; give the region the cluster runs in",
        );
        expect(String(ack.error)).to.include("gateway.loadBalancer.existingId: no CLB lb-elsewhere1 in region cn-hangzhou");
        const vsw = await runWithLookups({
            mode: "istio",
            clusters: [{ id: "c2", kubeconfig: "kc2", region: "cn-hangzhou" }],
            gateway: {
                loadBalancer: {
                    type: "NLB",
                    vpcId: "vpc-1",
                    backendType: "eni",
                    zoneMappings: [
                        { zoneId: "cn-hangzhou-h", vswitchId: "vsw-cn-beijing-h1" },
                        { zoneId: "cn-hangzhou-j", vswitchId: "vsw-cn-hangzhou-k1" },
                    ],
                },
            },
        });
        expect(String(vsw.error)).to.include(
            "gateway.loadBalancer.zoneMappings[0].vswitchId: no vSwitch vsw-cn-beijing-h1 in region cn-hangzhou",
        );
        expect(String(vsw.error)).to.include(
            "gateway.loadBalancer.zoneMappings[1].vswitchId: vSwitch vsw-cn-hangzhou-k1 is in zone cn-hangzhou-k, not cn-hangzhou-j",
        );
        // Providers are configuration, not cloud resources.
        for (const { created } of [ack, vsw])
            expect(created.filter((t) => t !== "mesh-gateway:index:MeshGateway" && !t.startsWith("pulumi:providers:"))).to.deep.equal([]);
    });

    it("gives a dual-stack NLB the IPv6 address type of its IPv4 address (the API default is intranet)", async () => {
        const zones = [
            { zoneId: "cn-hangzhou-h", vswitchId: "vsw-h6" },
            { zoneId: "cn-hangzhou-j", vswitchId: "vsw-j6" },
        ];
        const run = await runGateway("edge", {
            mode: "istio",
            clusters,
            gateway: {
                loadBalancer: { type: "NLB", ipVersion: "dualstack", vpcId: "vpc-1", zoneMappings: zones, backendType: "eni" },
                overrides: {
                    c2: {
                        loadBalancer: {
                            type: "NLB",
                            ipVersion: "dualstack",
                            addressType: "intranet",
                            vpcId: "vpc-1",
                            zoneMappings: zones,
                            backendType: "eni",
                        },
                    },
                },
            },
        });
        expect(resource(run, NLB, "edge-c1-lb").inputs).to.include({
            addressType: "Internet",
            addressIpVersion: "DualStack",
            ipv6AddressType: "Internet",
        });
        expect(resource(run, NLB, "edge-c2-lb").inputs).to.include({
            addressType: "Intranet",
            addressIpVersion: "DualStack",
            ipv6AddressType: "Intranet",
        });
    });

    it("says what carries a reused CLB's traffic, joins its vServer groups, and binds an ACL where the controller writes listeners", async () => {
        const run = await runGateway("edge", {
            mode: "istio",
            clusters,
            gateway: {
                overrides: {
                    c1: {
                        loadBalancer: {
                            existingId: "lb-bp1reused",
                            backendType: "eni",
                            vServerGroups: [
                                { port: 80, id: "rsp-bp1http" },
                                { port: 443, id: "rsp-bp1https" },
                            ],
                        },
                    },
                    c2: {
                        loadBalancer: {
                            existingId: "lb-bp2reused",
                            backendType: "eni",
                            forceOverrideListeners: true,
                            acl: { id: "acl-bp1office", type: "white" },
                        },
                    },
                },
            },
        });
        const [svc1] = services(run, "edge-c1");
        const [svc2] = services(run, "edge-c2");
        expect(svc1.metadata.annotations).to.include({
            [`${P}vgroup-port`]: "rsp-bp1http:80,rsp-bp1https:443",
            [`${P}force-override-listeners`]: "false",
        });
        expect(svc2.metadata.annotations).to.include({
            [`${P}acl-status`]: "on",
            [`${P}acl-id`]: "acl-bp1office",
            [`${P}acl-type`]: "white",
        });
        for (const s of [svc1, svc2]) expectAcceptedAnnotations(s.metadata.annotations);
        const { layoutFleet } = await import("../core/plan");
        const notes = layoutFleet({
            name: "edge",
            mode: "istio",
            clusters,
            gateway: {
                overrides: {
                    c1: { loadBalancer: { existingId: "lb-1", backendType: "eni", vServerGroups: [{ port: 80, id: "rsp-bp1http" }] } },
                },
            },
        }).warnings.map((w) => w.message);
        expect(notes).to.deep.equal([
            "cluster c1: reused load balancer: no listener is created or changed; the gateway pods join the vServer groups rsp-bp1http (port 80), so only the existing listeners that forward to those groups carry the gateway's traffic",
        ]);
    });

    it("points DNS at the load balancer it names: a PrivateZone record at the intranet CLB, the public name at the internet one", async () => {
        const run = await runGateway("edge", {
            ...oneIstioCluster(),
            gateway: {
                loadBalancer: { backendType: "eni" },
                additionalLoadBalancers: [{ name: "internal", addressType: "intranet", vswitchId: "vsw-internal", backendType: "eni" }],
            },
            routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["shop.example.com", "shop.corp.example.com"] }] },
            dns: {
                zone: "example.com",
                privateZoneId: "pz-1",
                loadBalancer: "internal",
                hostLoadBalancers: { "shop.example.com": "default" },
            },
        });
        const records = run.resources.filter((r) => r.type === "alicloud:pvtz/zoneRecord:ZoneRecord");
        const value = (rr: string) => records.find((r) => r.inputs.rr === rr)!.inputs.value as string;
        expect(value("shop.corp")).to.match(/^192\.168\.0\.\d+$/);
        expect(value("shop")).to.match(/^121\.40\.0\.\d+$/);
        // DNS is not regional: its records stay on the default provider.
        expect(records.every((r) => r.provider === undefined || !r.provider.includes("providers:alicloud"))).to.equal(true);
    });

    it("turns health checks on for a CLB's HTTPS listeners and says connection drain does not apply there", async () => {
        const shop = await certificate(["shop.example.com"]);
        const run = await runGateway("edge", {
            ...oneIstioCluster(),
            ...tlsAtClb(shop),
        });
        expect(services(run, "edge-c1")[0].metadata.annotations).to.include({
            [`${P}health-check-flag`]: "on",
            [`${P}health-check-type`]: "http",
            [`${P}health-check-uri`]: "/healthz/ready",
            [`${P}protocol-port`]: "https:443",
        });
        const { planFleet } = await import("../core/plan");
        const plan = planFleet({
            name: "edge",
            ...oneIstioCluster(),
            ...tlsAtClb(shop),
        });
        expect(plan.warnings.map((w) => `${w.path}: ${w.message}`)).to.include(
            "gateway.loadBalancer.tls.ports: cluster c1: connection drain applies to a CLB's layer-4 listeners only: the HTTPS listeners on 443 close a removed pod's connections at once (the gateway's own drain still runs)",
        );
    });

    it("names an NLB's certificate by its Certificate Management site, uploads it through that site's region, and renews it create-before-delete", async () => {
        const shop = await certificate(["shop.example.com"]);
        const nlb = (zone: string) => ({
            type: "NLB" as const,
            vpcId: "vpc-1",
            zoneMappings: [
                { zoneId: `${zone}a`, vswitchId: "vsw-a" },
                { zoneId: `${zone}b`, vswitchId: "vsw-b" },
            ],
            backendType: "eni" as const,
            tls: { certificate: "shop-cert", ports: [443] },
        });
        const run = await runGateway("edge", {
            mode: "istio",
            clusters: [
                { id: "sh", kubeconfig: "kc1", region: "cn-shanghai" },
                { id: "sg", kubeconfig: "kc2", region: "ap-southeast-1" },
            ],
            gateway: {
                loadBalancer: {
                    ...nlb("cn-shanghai-"),
                    zoneMappings: [
                        { zoneId: "cn-shanghai-k", vswitchId: "vsw-k" },
                        { zoneId: "cn-shanghai-l", vswitchId: "vsw-l" },
                    ],
                },
                overrides: { sg: { loadBalancer: nlb("ap-southeast-1") } },
            },
            routing: httpsRouting,
            certificates: [{ name: "shop-cert", pem: { certificate: shop.cert, privateKey: shop.key } }],
        });
        const certId = (scope: string) => services(run, scope)[0].metadata.annotations![`${P}cert-id`];
        expect(certId("edge-sh")).to.equal("edge-cn-hangzhou-cas-shop-cert-id-cn-hangzhou");
        expect(certId("edge-sg")).to.equal("edge-ap-southeast-1-cas-shop-cert-id-ap-southeast-1");
        const providers = new Map(run.resources.filter((r) => r.type === "pulumi:providers:alicloud").map((r) => [r.name, r.urn]));
        const cas = run.resources.filter((r) => r.type === "alicloud:cas/serviceCertificate:ServiceCertificate");
        expect(cas.map((c) => [c.name, c.provider])).to.have.deep.members([
            ["edge-cn-hangzhou-cas-shop-cert", providers.get("edge-alicloud-cn-hangzhou")],
            ["edge-ap-southeast-1-cas-shop-cert", providers.get("edge-alicloud-ap-southeast-1")],
        ]);
        // A renewed PEM replaces the certificate: the new one, under a new name, is created first,
        // the Service moves to it, then the old one is deleted.
        for (const c of cas) {
            expect(c.deleteBeforeReplace).to.equal(false);
            expect(c.inputs.certificateName).to.equal(
                `istio-edge-shop-cert-${createHash("sha256").update(shop.cert).digest("hex").slice(0, 8)}`,
            );
        }
        const svc = resource(run, "kubernetes:core/v1:Service", "edge-sh-istio-edge");
        expect(svc.dependencies).to.include(cas.find((c) => c.name === "edge-cn-hangzhou-cas-shop-cert")!.urn);
    });

    it("writes a PEM as a TLS Secret only where a gateway listener uses it", async () => {
        const shop = await certificate(["shop.example.com"]);
        const run = await runGateway("edge", {
            mode: "asm",
            // No cluster credentials: nothing needs to go into the clusters.
            clusters: [{ id: "c1", region: "cn-hangzhou" }],
            controlPlane: { kubeconfig: "kc" },
            ...tlsAtClb(shop),
        });
        expect(run.objects.filter((o) => o.object.kind === "Secret")).to.deep.equal([]);
        expect(run.resources.filter((r) => r.type === "alicloud:slb/serverCertificate:ServerCertificate")).to.have.length(1);
    });

    it("refuses a certificate at the load balancer that does not cover the hosts of the listeners it serves", async () => {
        const other = await certificate(["other.example.com"]);
        const { planFleet } = await import("../core/plan");
        let error: unknown;
        try {
            planFleet({
                name: "edge",
                ...oneIstioCluster(),
                ...tlsAtClb(other),
            });
        } catch (e) {
            error = e;
        }
        expect((error as ConfigError).issues.map((i) => `${i.path}: ${i.message}`)).to.include(
            "certificates[0].pem.certificate: does not cover shop.example.com (subject alternative names: DNS:other.example.com)",
        );
    });

    it("warns about pay-by-specification billing asked of the cloud controller in the user's own annotations", async () => {
        const { planFleet } = await import("../core/plan");
        const plan = planFleet({
            name: "edge",
            mode: "asm",
            clusters: [{ id: "c1" }],
            controlPlane: { kubeconfig: "kc" },
            gateway: {
                overrides: { c1: { serviceAnnotations: { "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-spec": "slb.s1.small" } } },
            },
        });
        expect(plan.warnings.map((w) => w.path)).to.deep.equal([
            'gateway.overrides["c1"].serviceAnnotations["service.beta.kubernetes.io/alibaba-cloud-loadbalancer-spec"]',
        ]);
    });

    it("passes the user's listener annotations that bind nothing (an ACL) through, beside the binding", async () => {
        const run = await runGateway("edge", {
            ...oneIstioCluster(),
            gateway: {
                serviceAnnotations: { [`${P}acl-status`]: "on", [`${P}acl-id`]: "acl-bp1office", [`${P}acl-type`]: "black" },
                loadBalancer: { backendType: "eni" },
            },
        });
        expect(services(run, "edge-c1")[0].metadata.annotations).to.include({
            [`${P}acl-status`]: "on",
            [`${P}acl-id`]: "acl-bp1office",
            [LB_ID_ANNOTATION]: "edge-c1-lb-id",
        });
    });

    it("keeps the client address behind an NLB only with client address preservation, which it turns on", async () => {
        const { keepsClientAddress, planLoadBalancers } = await import("../core/loadBalancer");
        const lb = (settings: Record<string, unknown>) => planLoadBalancers({}, "c1", { loadBalancer: settings }, "istio-edge")[0];
        const nlb = { type: "NLB", vpcId: "v", zoneMappings: [] };
        expect(keepsClientAddress({ externalTrafficPolicy: "Local" }, lb(nlb))).to.equal(true);
        expect(keepsClientAddress({}, lb({ ...nlb, backendType: "eni" }))).to.equal(true);
        expect(keepsClientAddress({ externalTrafficPolicy: "Local" }, lb({ ...nlb, preserveClientIp: false }))).to.equal(false);
        expect(
            keepsClientAddress({ externalTrafficPolicy: "Local" }, lb({ backendType: "eni", tls: { certificate: "c", ports: [443] } })),
        ).to.equal(false);
        expect(keepsClientAddress({}, lb({}))).to.equal(false);
        expect(keepsClientAddress({ externalTrafficPolicy: "Local" }, undefined)).to.equal(true);
        const run = await runGateway("edge", {
            ...oneIstioCluster(),
            gateway: {
                externalTrafficPolicy: "Local",
                loadBalancer: { ...nlb, type: "NLB", zoneMappings: [{ zoneId: "cn-hangzhou-h" }, { zoneId: "cn-hangzhou-j" }] },
            },
        });
        expect(services(run, "edge-c1")[0].metadata.annotations).to.include({ [`${P}preserve-client-ip`]: "on" });
    });
});

describe("offline plan on real-world configs (issue 13)", () => {
    it("creates each load balancer of the istio-ingress-two-clusters example in its cluster's region", async () => {
        const [fleet] = loadFleets(path.join(__dirname, "..", "..", "examples", "istio-ingress-two-clusters", "Pulumi.dev.yaml"));
        const resources = await runInProcess(() => new MeshGateway(fleet.name, fleet.args), { preview: true, call: offlineCall });
        const regionOf = new Map(resources.filter((r) => r.type === "pulumi:providers:alicloud").map((r) => [r.urn, r.inputs.region]));
        const placed = resources
            .filter((r) => r.type === CLB || r.type === NLB)
            .map((r) => `${r.name} ${String(regionOf.get(r.provider ?? ""))}`);
        expect(placed.sort()).to.deep.equal([
            "ingress-prod-hz-lb cn-hangzhou",
            "ingress-prod-hz-lb-internal cn-hangzhou",
            "ingress-prod-sh-lb cn-shanghai",
            "ingress-prod-sh-lb-internal cn-shanghai",
        ]);
    });

    it("plans DNS behind a reused load balancer in asm mode: the address stays unknown, as in pulumi preview", async () => {
        const plan = await planOffline([
            {
                name: "edge",
                args: {
                    mode: "asm",
                    clusters: [{ id: "c1", region: "cn-hangzhou" }],
                    controlPlane: { kubeconfig: "kc" },
                    gateway: { loadBalancer: { existingId: "lb-bp1reused", forceOverrideListeners: true, backendType: "eni" } },
                    routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["shop.example.com"] }] },
                    dns: { zone: "example.com" },
                },
            },
        ]);
        const record = plan.resources.find((r) => r.type === "alicloud:dns/alidnsRecord:AlidnsRecord")!;
        expect(record.inputs).to.include({ rr: "shop", type: "[unknown]", value: "[unknown]" });
    });

    it("plans a stack file whose PEMs are `secure:` values as secrets of unknown content", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mesh-gateway-secure-"));
        const file = path.join(dir, "Pulumi.prod.yaml");
        fs.writeFileSync(
            file,
            YAML.stringify({
                config: {
                    "mesh-gateway:gateways": [
                        {
                            name: "edge",
                            mode: "istio",
                            clusters: [{ id: "c1", region: "cn-hangzhou" }],
                            gateway: { loadBalancer: { backendType: "eni" } },
                            routing: {
                                listeners: [
                                    {
                                        name: "https",
                                        port: 443,
                                        protocol: "HTTPS",
                                        hosts: ["shop.example.com"],
                                        tls: { mode: "SIMPLE", credentialName: "shop-cert" },
                                    },
                                ],
                            },
                            certificates: [
                                {
                                    name: "shop-cert",
                                    pem: { certificate: { secure: "v1:AAAAcert" }, privateKey: { secure: "v1:AAAAkey" } },
                                    uploadToAlibabaCloud: true,
                                },
                            ],
                        },
                    ],
                },
            }),
        );
        const plan = await planOffline(loadFleets(file));
        // Unknown until the CLI decrypts them; never the ciphertext, never a PEM check on it.
        const secret = plan.resources.find((r) => r.type === "kubernetes:core/v1:Secret")!;
        expect(secret.inputs.stringData).to.equal("[unknown]");
        const cas = plan.resources.find((r) => r.type === "alicloud:cas/serviceCertificate:ServiceCertificate")!;
        expect(cas.inputs).to.include({ cert: "[unknown]", key: "[unknown]" });
        expect(JSON.stringify(plan.resources)).to.not.include("v1:AAAA");
    });
});

describe("in-cluster access to a CLB's address (issue 20)", () => {
    const H = `${P}hostname`;
    const local = { loadBalancer: { backendType: "eni" as const }, externalTrafficPolicy: "Local" as const };
    const nlb = { type: "NLB" as const, vpcId: "vpc-1", zoneMappings: nlbZones, backendType: "eni" as const };

    it("with externalTrafficPolicy Local, names every CLB's Service by hostname in its status, says so, and keeps the IP for outputs and DNS", async () => {
        const fleet: MeshGatewayArgs = {
            mode: "istio",
            clusters,
            namespace: "gateways",
            gateway: {
                ...local,
                additionalLoadBalancers: [{ name: "internal", addressType: "intranet", vswitchId: "vsw-1", backendType: "eni" }],
                overrides: { c2: { loadBalancer: nlb } },
            },
            routing: { listeners: [httpsRouting.listeners![0]], http: httpsRouting.http },
            dns: { zone: "example.com", records: "perCluster" },
        };
        const run = await runGateway("edge", fleet);
        assertValidObjects(run.objects.map((o) => o.object));
        const byName = (scope: string) =>
            ["istio-edge", "istio-edge-internal"].map((n) => services(run, scope).find((x) => x.metadata.name === n)!);
        const [main1, internal1] = byName("edge-c1");
        expect(main1.metadata.annotations).to.include({ [H]: "istio-edge.gateways.svc.cluster.local" });
        expect(internal1.metadata.annotations).to.include({ [H]: "istio-edge-internal.gateways.svc.cluster.local" });
        expectAcceptedAnnotations(main1.metadata.annotations);
        // An NLB's status is its DNS name already: nothing to write there.
        const [main2, internal2] = byName("edge-c2");
        expect(main2.metadata.annotations).to.not.have.property(H);
        expect(internal2.metadata.annotations).to.include({ [H]: "istio-edge-internal.gateways.svc.cluster.local" });

        // The fake controller writes the hostname into the Service status (tests/support/fleet.ts);
        // the address output is still the CLB's IP, read from the CLB itself.
        const addresses = await valueOf(run.gateway.addresses);
        expect(addresses.c1).to.include({ addressKind: "IPv4" });
        expect(addresses.c1.address).to.match(/^121\.40\.0\.\d+$/);
        expect(addresses.c1.loadBalancers.map((lb) => lb.addressKind)).to.deep.equal(["IPv4", "IPv4"]);
        const records = run.resources.filter((r) => r.type === "alicloud:dns/alidnsRecord:AlidnsRecord");
        expect(records.map((r) => [r.inputs.rr, r.inputs.type, r.inputs.value])).to.deep.equal([
            ["c1.shop", "A", addresses.c1.address],
            ["c2.shop", "CNAME", "edge-c2-lb.cn-hangzhou.nlb.aliyuncsslb.com"],
        ]);

        const { layoutFleet } = await import("../core/plan");
        const warnings = layoutFleet({ ...fleet, name: "edge" }).warnings.filter((w) => w.path.endsWith("statusHostname"));
        expect(warnings.map((w) => w.path)).to.deep.equal([
            "gateway.loadBalancer.statusHostname",
            "gateway.additionalLoadBalancers[0].statusHostname",
            "gateway.additionalLoadBalancers[0].statusHostname",
        ]);
        expect(warnings[0].message).to.equal(
            'cluster c1: the istio-edge Service\'s status names the CLB "istio-edge.gateways.svc.cluster.local" instead of its IP (cloud controller annotation hostname), ' +
                "because externalTrafficPolicy is Local, so kube-proxy would answer the CLB's IP on each node with that node's gateway pods only (pods on nodes without one could not reach it). " +
                "Pods now reach the IP through the CLB; the gateway's address output and DNS records still use the CLB's IP. Set statusHostname.enabled: false to keep the IP in the status, or statusHostname.hostname to name it",
        );
    });

    it("leaves the IP in the status where kube-proxy does no harm, when turned off, and when the user's own annotation names it", async () => {
        const { planFleet } = await import("../core/plan");
        const annotationsOf = (gateway: Record<string, unknown>) => {
            const plan = planFleet({ name: "edge", ...oneIstioCluster(), gateway });
            const svc = plan.clusters[0].objects.find((o) => o.kind === "Service")!;
            return { annotations: svc.metadata.annotations ?? {}, notes: plan.warnings.filter((w) => w.path.includes("statusHostname")) };
        };
        for (const gateway of [
            { loadBalancer: { backendType: "eni" } },
            { ...local, loadBalancer: { backendType: "eni", statusHostname: { enabled: false } } },
            { ...local, serviceAnnotations: { "service.beta.kubernetes.io/alicloud-loadbalancer-hostname": "gw.example.com" } },
        ]) {
            const { annotations, notes } = annotationsOf(gateway);
            expect(annotations, JSON.stringify(gateway)).to.not.have.property(H);
            expect(notes, JSON.stringify(gateway)).to.deep.equal([]);
        }
        // Asked for by name, or forced on with Cluster: written, and no warning (the user chose it).
        for (const [gateway, name] of [
            [{ loadBalancer: { backendType: "eni", statusHostname: { hostname: "gw.example.com" } } }, "gw.example.com"],
            [{ loadBalancer: { backendType: "eni", statusHostname: { enabled: true } } }, "istio-edge.istio-system.svc.cluster.local"],
        ] as const) {
            const { annotations, notes } = annotationsOf(gateway);
            expect(annotations[H]).to.equal(name);
            expect(notes).to.deep.equal([]);
        }
    });

    it("turns it on for a CLB that terminates TLS (kube-proxy would hand in-cluster TLS to a plain-text port)", async () => {
        const shop = await certificate(["shop.example.com"]);
        const { planFleet } = await import("../core/plan");
        const plan = planFleet({
            name: "edge",
            ...oneIstioCluster(),
            ...tlsAtClb(shop),
        });
        const svc = plan.clusters[0].objects.find((o) => o.kind === "Service")!;
        expect(svc.metadata.annotations).to.include({ [H]: "istio-edge.istio-system.svc.cluster.local" });
        const note = plan.warnings.find((w) => w.path === "gateway.loadBalancer.statusHostname");
        expect(note?.message).to.include(
            "because the CLB terminates TLS on 443, and kube-proxy would send in-cluster TLS connections to the IP straight to the gateway's plain-text ports",
        );
    });

    it("writes it in asm mode through the cluster's serviceAnnotations", async () => {
        const { planFleet } = await import("../core/plan");
        const plan = planFleet({
            name: "edge",
            mode: "asm",
            controlPlane: { kubeconfig: "kc" },
            clusters: [{ id: "c1", region: "cn-hangzhou" }],
            gateway: local,
        });
        const gw = plan.controlPlaneObjects.find((o) => o.kind === "IstioGateway") as KubeObject & {
            spec: { overrides: Record<string, { serviceAnnotations: Record<string, string> }> };
        };
        expect(gw.spec.overrides.c1.serviceAnnotations).to.include({ [H]: "istio-edge.istio-system.svc.cluster.local" });
        assertValidObjects([gw]);
    });
});

describe("the cloud name of a created load balancer", () => {
    it("is <Service>-<cluster id>, cut to the 80 characters a CLB name may have, never ending in a hyphen or dot", () => {
        expect(defaultCloudName("istio-web", "c8a4b2")).to.equal("istio-web-c8a4b2");
        const long = `istio-${"a".repeat(40)}`;
        const id = "c" + "0".repeat(32);
        expect(defaultCloudName(long, id)).to.equal(`${long}-${id}`.slice(0, 80));
        // The cut falls right after the hyphen between the Service and the cluster id.
        const cutAtHyphen = `istio-${"b".repeat(73)}`;
        expect(cutAtHyphen.length).to.equal(79);
        const name = defaultCloudName(cutAtHyphen, id);
        expect(name).to.equal(cutAtHyphen);
        expect(name).to.match(/^[A-Za-z0-9][-A-Za-z0-9_./]*[A-Za-z0-9]$/);
        expect(defaultCloudName("istio-x.", "-")).to.equal("istio-x");
    });
});
