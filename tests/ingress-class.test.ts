// The gateway as the Kubernetes Ingress controller (issue 20, item 2): an IngressClass with
// Istio's controller in every cluster, and the mesh config istiod needs printed, never applied.
import { expect } from "chai";
import { planFleet } from "../core/plan";
import { assertValidObjects } from "./support/schemas";
import { runGateway } from "./support/fleet";

// Every object the product creates carries these (tests/labels.test.ts).
const PRODUCT_LABELS = { "app.kubernetes.io/managed-by": "mesh-gateway", "app.kubernetes.io/part-of": "edge" };

const clusters = [
    { id: "c1", kubeconfig: "kc1" },
    { id: "c2", kubeconfig: "kc2" },
];

describe("ingressClass", () => {
    it("creates the IngressClass in every cluster, valid, cluster-scoped, marked default when asked", async () => {
        const run = await runGateway("edge", { mode: "istio", clusters, gateway: {}, ingressClass: { name: "istio-edge", default: true } });
        const classes = run.objects.filter((o) => o.object.kind === "IngressClass");
        expect(classes.map((o) => o.scope)).to.deep.equal(["edge-c1", "edge-c2"]);
        for (const { object } of classes) {
            expect(object).to.deep.equal({
                apiVersion: "networking.k8s.io/v1",
                kind: "IngressClass",
                metadata: {
                    name: "istio-edge",
                    annotations: { "ingressclass.kubernetes.io/is-default-class": "true" },
                    labels: PRODUCT_LABELS,
                },
                spec: { controller: "istio.io/ingress-controller" },
            });
        }
        assertValidObjects(classes.map((o) => o.object));
        // Not the default: no annotation at all (the admission plugin reads "true" only).
        const plain = planFleet({ name: "edge", mode: "istio", clusters: [{ id: "c1" }], gateway: {}, ingressClass: { name: "istio" } });
        expect(plain.clusters[0].objects.find((o) => o.kind === "IngressClass")!.metadata).to.deep.equal({
            name: "istio",
            labels: PRODUCT_LABELS,
        });
    });

    it("prints the meshConfig istiod needs to serve Ingresses through this gateway's pods, and says it is not applied", () => {
        const plan = planFleet({
            name: "edge",
            mode: "istio",
            namespace: "gateways",
            clusters: [{ id: "c1" }],
            gateway: {},
            ingressClass: { name: "istio-edge" },
        });
        const notes = plan.warnings.filter((w) => w.path === "ingressClass");
        expect(notes).to.have.length(1);
        const message = notes[0].message;
        expect(message).to.include("which this component does not apply");
        // The selector istiod uses is `istio: <ingressSelector>`; the gateway pods carry `istio: <gateway name>`.
        const deployment = plan.clusters[0].objects.find((o) => o.kind === "Deployment") as
            { spec: { template: { metadata: { labels: Record<string, string> } } } } | undefined;
        expect(deployment!.spec.template.metadata.labels.istio).to.equal("edge");
        expect(message).to.include(
            "meshConfig:\n  ingressControllerMode: STRICT\n  ingressSelector: edge\n  ingressService: istio-edge\n  ingressClass: istio-edge\n",
        );
        expect(message).to.include("K8S_INGRESS_NS=gateways");
        expect(message).to.include("Istio ignores Ingress annotations");
        // Without the setting: no class, no note.
        const none = planFleet({ name: "edge", mode: "istio", clusters: [{ id: "c1" }], gateway: {} });
        expect(none.clusters[0].objects.map((o) => o.kind)).to.not.include("IngressClass");
        expect(none.warnings.filter((w) => w.path === "ingressClass")).to.deep.equal([]);
    });
});
