// Kubernetes int-or-string fields arrive as strings from every language but TypeScript (the
// package schema types them as strings): a string of digits must reach Kubernetes as an integer,
// since the API server reads a string as a percentage (rolling update) or a port name (hooks).
import { expect } from "chai";
import type { Deployment } from "kubernetes-types/apps/v1";
import { assertValidObjects } from "./support/schemas";
import { runGateway } from "./support/fleet";

describe("int-or-string fields given as strings", () => {
    it("sends digit strings as integers and keeps percentages and port names", async () => {
        const run = await runGateway("edge", {
            mode: "istio",
            clusters: [
                { id: "c1", kubeconfig: "k1" },
                { id: "c2", kubeconfig: "k2" },
            ],
            gateway: {
                rollingMaxSurge: "1",
                rollingMaxUnavailable: "25%",
                lifecycle: {
                    preStop: { httpGet: { path: "/drain", port: "15021" } },
                    postStart: { tcpSocket: { port: "http-envoy-prom" } },
                },
                overrides: { c2: { rollingMaxSurge: "50%", rollingMaxUnavailable: "0" } },
            },
        });
        const deployment = (scope: string) =>
            run.objects.find((o) => o.scope === scope && o.object.kind === "Deployment")!.object as unknown as Deployment;
        assertValidObjects(run.objects.map((o) => o.object));
        expect(deployment("edge-c1").spec!.strategy!.rollingUpdate).to.deep.equal({ maxSurge: 1, maxUnavailable: "25%" });
        expect(deployment("edge-c2").spec!.strategy!.rollingUpdate).to.deep.equal({ maxSurge: "50%", maxUnavailable: 0 });
        const lifecycle = deployment("edge-c1").spec!.template.spec!.containers[0].lifecycle!;
        expect(lifecycle.preStop!.httpGet).to.deep.equal({ path: "/drain", port: 15021 });
        expect(lifecycle.postStart!.tcpSocket).to.deep.equal({ port: "http-envoy-prom" });
    });
});
