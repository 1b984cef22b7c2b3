import { expect } from "chai";
import type { GatewaySpec } from "../core/spec";
import { assertValidObjects } from "./support/schemas";
import { fixture, runGateway, valueOf } from "./support/fleet";

interface IstioGatewayInputs {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace: string };
    spec: GatewaySpec & { clusterIds: string[] };
}

describe("asm mode", () => {
    it("puts the CRD reference's ingress example on the control plane unchanged, plus drain and spread", async () => {
        const { name, spec } = fixture("asm-ingress-example.yaml");
        const run = await runGateway("ingress", {
            mode: "asm",
            gatewayName: name,
            clusters: spec.clusterIds!.map((id) => ({ id })),
            controlPlane: { kubeconfig: "asm-kubeconfig" },
            gateway: spec,
        });
        expect(run.objects.map((o) => `${o.scope}/${o.object.kind}`)).to.deep.equal(["ingress-asm/IstioGateway"]);
        const cr = run.objects[0].object as unknown as IstioGatewayInputs;
        assertValidObjects([run.objects[0].object]);
        expect(cr.apiVersion).to.equal("istio.alibabacloud.com/v1beta1");
        // The product's labels are the one addition to the metadata (every object it creates carries them).
        expect(cr.metadata).to.deep.equal({
            name: "myexample-customingressgateway",
            namespace: "istio-system",
            labels: { "app.kubernetes.io/managed-by": "mesh-gateway", "app.kubernetes.io/part-of": "myexample-customingressgateway" },
        });

        const { podAnnotations, affinity, overrides, ...rest } = cr.spec;
        const { podAnnotations: givenAnnotations, overrides: givenOverrides, ...given } = spec;
        expect(rest).to.deep.equal(given);
        expect(podAnnotations).to.deep.equal({ ...givenAnnotations, "proxy.istio.io/config": '{"terminationDrainDuration":"30s"}' });
        expect(overrides).to.deep.equal(givenOverrides);
        expect(affinity!.podAntiAffinity!.preferredDuringSchedulingIgnoredDuringExecution![0].podAffinityTerm).to.deep.equal({
            labelSelector: { matchLabels: { app: "istio-myexample-customingressgateway", istio: "myexample-customingressgateway" } },
            topologyKey: "kubernetes.io/hostname",
        });

        const provider = run.resources.find((r) => r.type === "pulumi:providers:kubernetes")!;
        expect(provider.name).to.equal("ingress-asm");
        expect(provider.inputs.kubeconfig).to.equal("[secret]");
        // ASM reaches the data-plane clusters itself: no provider per cluster.
        expect(run.resources.filter((r) => r.type === "pulumi:providers:kubernetes")).to.have.length(1);
    });

    it("publishes per-cluster addresses from the IstioGateway status", async () => {
        const { name, spec } = fixture("asm-ingress-example.yaml");
        const run = await runGateway("ingress", {
            mode: "asm",
            gatewayName: name,
            clusters: spec.clusterIds!.map((id) => ({ id })),
            controlPlane: { kubeconfig: "k" },
            gateway: spec,
        });
        expect(await valueOf(run.gateway.addresses)).to.deep.equal({
            c8a4b2xxxxxx: {
                serviceName: "istio-myexample-customingressgateway",
                namespace: "istio-system",
                address: "39.96.0.1",
                addressKind: "IPv4",
                loadBalancers: [],
            },
            c9f3e7xxxxxx: {
                serviceName: "istio-myexample-customingressgateway",
                namespace: "istio-system",
                address: "39.96.0.2",
                addressKind: "IPv4",
                loadBalancers: [],
            },
        });
    });

    it("takes the egress example as it is", async () => {
        const { name, spec } = fixture("asm-egress-example.yaml");
        const run = await runGateway("egress", {
            mode: "asm",
            gatewayName: name,
            clusters: [{ id: "c8a4b2xxxxxx" }],
            controlPlane: { kubeconfig: "k" },
            gateway: spec,
            spreadReplicas: false,
        });
        const cr = run.objects[0].object as unknown as IstioGatewayInputs;
        assertValidObjects([run.objects[0].object]);
        const { podAnnotations, ...rest } = cr.spec;
        expect(rest).to.deep.equal(spec);
        expect(podAnnotations).to.deep.equal({ "proxy.istio.io/config": '{"terminationDrainDuration":"30s"}' });
    });

    it("keeps the drain setting in clusters whose override replaces podAnnotations, and the user's own proxy config", async () => {
        const run = await runGateway("edge", {
            mode: "asm",
            clusters: [{ id: "c1" }, { id: "c2" }],
            controlPlane: { kubeconfig: "k" },
            gracefulShutdown: { drainSeconds: 25 },
            gateway: {
                podAnnotations: { "proxy.istio.io/config": "holdApplicationUntilProxyStarts: true" },
                overrides: { c2: { podAnnotations: { team: "b" }, replicaCount: 3 } },
            },
        });
        const cr = run.objects[0].object as unknown as IstioGatewayInputs;
        expect(JSON.parse(cr.spec.podAnnotations!["proxy.istio.io/config"])).to.deep.equal({
            terminationDrainDuration: "25s",
            holdApplicationUntilProxyStarts: true,
        });
        expect(cr.spec.overrides!.c2).to.deep.equal({
            podAnnotations: { team: "b", "proxy.istio.io/config": '{"terminationDrainDuration":"25s"}' },
            replicaCount: 3,
        });
        expect(cr.spec.clusterIds).to.deep.equal(["c1", "c2"]);
    });

    it("reads the control plane's kubeconfig from the ASM instance when given its id", async () => {
        const run = await runGateway("edge", {
            mode: "asm",
            clusters: [{ id: "c1" }],
            controlPlane: { serviceMeshId: "mesh-123" },
            gateway: {},
        });
        const read = run.resources.find((r) => r.read)!;
        expect(read.type).to.equal("alicloud:servicemesh/serviceMesh:ServiceMesh");
        expect(read.name).to.equal("edge-mesh");
    });
});

describe("schema validation helper", () => {
    it("catches an unknown field in a built-in kind and in an Istio CRD kind", () => {
        expect(() => assertValidObjects([{ apiVersion: "v1", kind: "Service", metadata: { name: "x" }, spec: { portz: [] } }])).to.throw(
            "Service/x/spec/portz: unknown field",
        );
        expect(() =>
            assertValidObjects([
                { apiVersion: "networking.istio.io/v1", kind: "VirtualService", metadata: { name: "v" }, spec: { http: [{ rout: [] }] } },
            ]),
        ).to.throw("VirtualService/v/spec/http/0/rout: unknown field");
        expect(() =>
            assertValidObjects([
                { apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", metadata: { name: "r" }, spec: { hostnames: [7] } },
            ]),
        ).to.throw("HTTPRoute/r/spec/hostnames/0: must be string");
        expect(() => assertValidObjects([{ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } }])).to.throw(
            "no schema known for example.com/v1 Widget",
        );
    });
});
