// Alibaba Cloud load balancers: the cloud resources created (or read), the cloud controller
// annotations on each cluster's Service (or ASM override), and the outputs.
import { expect } from "chai";
import type { Service } from "kubernetes-types/core/v1";
import type { MeshGatewayArgs } from "../components/meshGateway";
import { CCM_ANNOTATION_PREFIX as P, LB_ID_ANNOTATION } from "../core/loadBalancer";
import type { KubeObject } from "../core/render/common";
import { runInProcess } from "../offline/engine";
import { MeshGateway } from "../components/meshGateway";
import { fakeCloudCall, fakeCloudState, runGateway, valueOf, type FleetRun } from "./support/fleet";
import { assertValidObjects } from "./support/schemas";

const CLB = "alicloud:slb/applicationLoadBalancer:ApplicationLoadBalancer";
const NLB = "alicloud:nlb/loadBalancer:LoadBalancer";
const clusters = [{ id: "c1", kubeconfig: "kc1", region: "cn-hangzhou" }, { id: "c2", kubeconfig: "kc2", region: "cn-hangzhou" }];
const nlbZones = [{ zoneId: "cn-hangzhou-h", vswitchId: "vsw-given" }, { zoneId: "cn-hangzhou-j" }];

function services(run: FleetRun, scope: string): (KubeObject & Service)[] {
    return run.objects.filter((o) => o.scope === scope && o.object.kind === "Service").map((o) => o.object as KubeObject & Service);
}

function resource(run: FleetRun, type: string, name: string) {
    const r = run.resources.find((x) => x.type === type && x.name === name);
    if (!r) throw new Error(`no ${type} ${name} among ${run.resources.map((x) => `${x.type}/${x.name}`).join(", ")}`);
    return r;
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
                loadBalancer: { type: "CLB", tags: { team: "edge" }, backendType: "eni", healthCheck: { intervalSeconds: 5, unhealthyThreshold: 3 } },
                overrides: { c2: { loadBalancer: { type: "NLB", addressType: "intranet", vpcId: "vpc-1", zoneMappings: nlbZones, connectionDrainSeconds: 20 } } },
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
            zoneMappings: [{ zoneId: "cn-hangzhou-h", vswitchId: "vsw-given" }, { zoneId: "cn-hangzhou-j", vswitchId: "vsw-j-vpc-1" }],
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
        expect(svc2.metadata.annotations).to.include({ [LB_ID_ANNOTATION]: "edge-c2-lb-id", [`${P}connection-drain-timeout`]: "20", [`${P}health-check-flag`]: "on" });
        for (const s of [svc1, svc2]) expectAcceptedAnnotations(s.metadata.annotations);

        // The Service waits for its load balancer and is replaced with it.
        const svcResource = resource(run, "kubernetes:core/v1:Service", "edge-c1-istio-edge");
        expect(svcResource.dependencies).to.include(clb.urn);
        expect(svcResource.replaceOnChanges).to.deep.equal([`metadata.annotations["${LB_ID_ANNOTATION}"]`, "spec.loadBalancerClass"]);

        const addresses = await valueOf(run.gateway.addresses);
        expect(addresses.c1.address).to.match(/^121\.40\.0\.\d+$/);
        expect(addresses.c1.addressKind).to.equal("IPv4");
        expect(addresses.c1.loadBalancers).to.deep.equal([{ name: "default", serviceName: "istio-edge", type: "CLB", created: true, id: "edge-c1-lb-id", address: addresses.c1.address, addressKind: "IPv4" }]);
        expect(addresses.c2).to.include({ address: "edge-c2-lb.cn-hangzhou.nlb.aliyuncsslb.com", addressKind: "hostname" });
        expect(addresses.c2.loadBalancers[0]).to.include({ type: "NLB", id: "edge-c2-lb-id" });
    });

    it("reuses an existing load balancer without touching its listeners unless asked", async () => {
        const run = await runGateway("edge", {
            mode: "istio",
            clusters,
            gateway: { overrides: { c1: { loadBalancer: { existingId: "lb-bp1existing" } }, c2: { loadBalancer: { existingId: "lb-bp2existing", forceOverrideListeners: true } } } },
        });
        expect(run.resources.filter((r) => r.type === CLB || r.type === NLB)).to.have.length(0);
        expect(services(run, "edge-c1")[0].metadata.annotations).to.include({ [LB_ID_ANNOTATION]: "lb-bp1existing", [`${P}force-override-listeners`]: "false" });
        expect(services(run, "edge-c2")[0].metadata.annotations).to.include({ [LB_ID_ANNOTATION]: "lb-bp2existing", [`${P}force-override-listeners`]: "true" });
        const addresses = await valueOf(run.gateway.addresses);
        expect(addresses.c1.loadBalancers).to.deep.equal([{ name: "default", serviceName: "istio-edge", type: "CLB", created: false, id: "lb-bp1existing", address: "47.99.0.14", addressKind: "IPv4" }]);
        expect(addresses.c1.address).to.equal("47.99.0.14");
    });

    it("says in the plan what happens to a reused load balancer's listeners", async () => {
        const { layoutFleet } = await import("../core/plan");
        const layout = layoutFleet({ name: "edge", mode: "istio", clusters: [{ id: "c1", region: "cn-hangzhou" }], gateway: { loadBalancer: { existingId: "lb-1", backendType: "eni" } } });
        expect(layout.warnings.map((w) => `${w.path}: ${w.message}`)).to.deep.equal([
            "gateway.loadBalancer: cluster c1: reused load balancer: no listener is created or changed, so no listener forwards to the gateway pods and the gateway gets no traffic through it; set forceOverrideListeners: true (listeners for ports 15021, 80, 443) or vServerGroups (the existing listeners' groups)",
        ]);
    });

    it("takes an id from another resource (an Output) as it is", async () => {
        const pulumi = await import("@pulumi/pulumi");
        const run = await runGateway("edge", { mode: "istio", clusters: [clusters[0]], gateway: { loadBalancer: { existingId: pulumi.output("lb-from-output"), backendType: "eni" } } });
        expect(services(run, "edge-c1")[0].metadata.annotations).to.include({ [LB_ID_ANNOTATION]: "lb-from-output" });
    });

    it("binds each cluster through its override's serviceAnnotations in asm mode, keeping the base annotations", async () => {
        const run = await runGateway("edge", {
            mode: "asm",
            clusters: [{ id: "c1", region: "cn-hangzhou" }, { id: "c2", region: "cn-hangzhou" }],
            controlPlane: { kubeconfig: "kc" },
            gateway: {
                serviceAnnotations: { "example.com/owner": "platform" },
                loadBalancer: { type: "NLB", vpcId: "vpc-1", zoneMappings: nlbZones },
                overrides: { c2: { replicaCount: 3, serviceAnnotations: { "example.com/owner": "team-b" } } },
            },
        });
        const [cr] = run.objects.map((o) => o.object) as (KubeObject & { spec: Record<string, unknown> & { overrides: Record<string, { serviceAnnotations: Record<string, string>; replicaCount?: number }> } })[];
        assertValidObjects([cr]);
        expect(cr.spec).to.not.have.property("loadBalancer");
        expect(cr.spec.loadBalancerClass).to.equal("alibabacloud.com/nlb");
        expect(cr.spec.overrides.c1.serviceAnnotations).to.include({ "example.com/owner": "platform", [LB_ID_ANNOTATION]: "edge-c1-lb-id" });
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
                additionalLoadBalancers: [{ name: "internal", addressType: "intranet", vswitchId: "vsw-internal", ports: ["status-port", "http2"], backendType: "eni" }],
            },
        });
        assertValidObjects(run.objects.map((o) => o.object));
        const [main, internal] = ["istio-edge", "istio-edge-internal"].map((n) => services(run, "edge-c1").find((x) => x.metadata.name === n)!);
        expect(main.metadata.name).to.equal("istio-edge");
        expect(internal.metadata.name).to.equal("istio-edge-internal");
        expect(internal.spec!.selector).to.deep.equal(main.spec!.selector);
        expect(internal.spec!.type).to.equal("LoadBalancer");
        expect(internal.spec!.ports!.map((p) => p.port)).to.deep.equal([15021, 80]);
        expect(internal.metadata.annotations).to.include({ [LB_ID_ANNOTATION]: "edge-c1-lb-internal-id" });
        expect(resource(run, CLB, "edge-c1-lb-internal").inputs).to.include({ addressType: "intranet", vswitchId: "vsw-internal", loadBalancerName: "istio-edge-internal-c1" });
        const addresses = await valueOf(run.gateway.addresses);
        expect(addresses.c1.loadBalancers.map((lb) => [lb.name, lb.serviceName])).to.deep.equal([["default", "istio-edge"], ["internal", "istio-edge-internal"]]);
        expect(addresses.c1.loadBalancers[1].address).to.match(/^192\.168\.0\./);
    });

    it("gives each bound Service the class of its own load balancer", async () => {
        const run = await runGateway("edge", {
            mode: "istio",
            clusters: [clusters[0]],
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
            await runInProcess(() => {
                new MeshGateway("edge", { mode: "istio", clusters, gateway: { loadBalancer: { type: "NLB", vpcId: "vpc-1", zoneMappings: [{ zoneId: "cn-hangzhou-h" }, { zoneId: "cn-hangzhou-x" }] } } } satisfies MeshGatewayArgs);
            }, { preview: false, state: (type, name, inputs) => { recorded.push(type); return fakeCloudState(type, name, inputs); }, call: fakeCloudCall });
        } catch (e) {
            error = e;
        }
        expect(String(error)).to.include('gateway.loadBalancer.zoneMappings[1].vswitchId: no vSwitch of vpc-1 in zone cn-hangzhou-x');
        // Providers are configuration, not cloud resources: nothing exists until one is used.
        expect(recorded.filter((t) => t !== "mesh-gateway:index:MeshGateway" && !t.startsWith("pulumi:providers:"))).to.deep.equal([]);
    });
});
