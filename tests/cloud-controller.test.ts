// The e2e harness plays Alibaba Cloud's cloud controller and gives a Service an address only when
// its annotations are ones the real controller reads (tests/e2e/cloud.ts). Every annotation the
// product writes must pass that check, or production Services would never get an address.
import { expect } from "chai";
import type { MeshGatewayArgs } from "../components/meshGateway";
import { refusal } from "./e2e/cloud";
import { twoClustersWithCredentials } from "./support/builders";
import { runGateway } from "./support/fleet";

const clusters = twoClustersWithCredentials();
const nlbZones = [{ zoneId: "cn-hangzhou-h" }, { zoneId: "cn-hangzhou-j" }];

describe("cloud controller annotations", () => {
    it("every load balancer annotation the product writes is one the cloud controller reads, with a value it accepts", async () => {
        const variants: MeshGatewayArgs["gateway"][] = [
            {
                loadBalancer: {
                    type: "CLB",
                    backendType: "eni",
                    scheduler: "wrr",
                    healthCheck: { type: "tcp", intervalSeconds: 5, timeoutSeconds: 3, healthyThreshold: 2, unhealthyThreshold: 3 },
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
            {
                overrides: {
                    c1: {
                        loadBalancer: {
                            existingId: "lb-bp1existing",
                            forceOverrideListeners: true,
                            backendType: "eni",
                            acl: { id: "acl-bp1", type: "white" },
                        },
                    },
                    c2: { loadBalancer: { existingId: "lb-bp2existing", vServerGroups: [{ port: 80, id: "rsp-bp1" }] } },
                },
            },
            {
                loadBalancer: { backendType: "eni" },
                additionalLoadBalancers: [{ name: "internal", addressType: "intranet", vswitchId: "vsw-1", ports: ["http2"] }],
            },
            // In-cluster access: the hostname annotation, by default (Local) and by name.
            {
                externalTrafficPolicy: "Local",
                loadBalancer: { backendType: "eni" },
                overrides: { c2: { loadBalancer: { backendType: "eni", statusHostname: { hostname: "gw.example.com" } } } },
            },
        ];
        let checked = 0;
        const hostnames: string[] = [];
        for (const gateway of variants) {
            const run = await runGateway("edge", { mode: "istio", clusters, gateway });
            for (const { scope, object } of run.objects.filter((o) => o.object.kind === "Service")) {
                const annotations = Object.fromEntries(Object.entries(object.metadata.annotations ?? {}).map(([k, v]) => [k, String(v)]));
                expect(refusal(annotations), `${scope}: Service ${object.metadata.name}`).to.equal(undefined);
                checked += Object.keys(annotations).filter((k) => k.includes("loadbalancer-")).length;
                const hostname = annotations["service.beta.kubernetes.io/alibaba-cloud-loadbalancer-hostname"];
                if (hostname !== undefined) hostnames.push(hostname);
            }
        }
        expect(checked).to.be.greaterThan(20);
        expect(hostnames).to.deep.equal(["istio-edge.istio-system.svc.cluster.local", "gw.example.com"]);
    });

    it("refuses what the controller would not take", () => {
        const P = "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-";
        expect(refusal({ [`${P}adress-type`]: "internet" })).to.equal(`${P}adress-type: not an annotation the cloud controller reads`);
        expect(refusal({ [`${P}address-type`]: "public" })).to.equal(
            `${P}address-type: "public" is not a value the cloud controller accepts`,
        );
        expect(refusal({ "service.beta.kubernetes.io/backend-type": "pod" })).to.equal(
            'service.beta.kubernetes.io/backend-type: "pod" is not eni or ecs',
        );
        expect(refusal({ [`${P}spec`]: "slb.s1.small", "example.com/other": "x" })).to.equal(undefined);
        // The status update the controller makes from it must pass the API server's DNS-1123 check.
        expect(refusal({ [`${P}hostname`]: "Edge_GW.example.com" })).to.equal(
            `${P}hostname: "Edge_GW.example.com" is not a value the cloud controller accepts`,
        );
        expect(refusal({ [`${P}hostname`]: "istio-edge.istio-system.svc.cluster.local" })).to.equal(undefined);
    });
});
