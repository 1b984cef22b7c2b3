// The root Pulumi program (index.ts): reads the fleet from stack config, credentials from
// secret keys, and exports each gateway's addresses.
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { runInProcess } from "../offline/engine";
import { fakeCloudCall, fakeCloudState, valueOf } from "./support/fleet";

const PROGRAM = path.join(__dirname, "..", "index.js");

describe("config-driven stack (index.ts)", () => {
    it("deploys every configured gateway with secret kubeconfigs and exports addresses", async () => {
        let exported: Record<string, pulumi.Output<Record<string, { address?: string }>>> = {};
        const resources = await runInProcess(
            () => {
                pulumi.runtime.setAllConfig(
                    {
                        "mesh-gateway:gateways": JSON.stringify([
                            {
                                name: "ingress",
                                mode: "istio",
                                clusters: [{ id: "c1" }, { id: "c2" }],
                                gateway: { overrides: { c2: { replicaCount: 2 } } },
                            },
                            { name: "egress", mode: "asm", clusters: [{ id: "c1" }], gateway: { gatewayType: "egress" } },
                        ]),
                        "mesh-gateway:kubeconfig-c1": "kubeconfig-of-c1",
                        "mesh-gateway:asmKubeconfig": "kubeconfig-of-asm",
                    },
                    ["mesh-gateway:kubeconfig-c1", "mesh-gateway:asmKubeconfig"],
                );
                delete require.cache[PROGRAM];
                // eslint-disable-next-line @typescript-eslint/no-require-imports -- the stack program is loaded afresh, after deleting it from the cache
                exported = require(PROGRAM).addresses;
            },
            { preview: false, state: fakeCloudState, call: fakeCloudCall },
        );

        expect(Object.keys(exported)).to.deep.equal(["ingress", "egress"]);
        expect(Object.keys(await valueOf(exported.ingress))).to.deep.equal(["c1", "c2"]);
        expect((await valueOf(exported.egress)).c1.address).to.equal("39.96.0.1");
        const providers = resources.filter((r) => r.type === "pulumi:providers:kubernetes").map((r) => r.name);
        expect(providers).to.deep.equal(["ingress-c1", "ingress-c2", "egress-asm"]);
        const text = JSON.stringify(resources);
        expect(text).not.to.contain("kubeconfig-of-c1");
        expect(text).not.to.contain("kubeconfig-of-asm");
    });
});
