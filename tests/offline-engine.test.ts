// The in-process engine's `sourcePositions: false` (what the offline plan runs with): the SDK
// captures no stack per resource, and nothing the engine records changes.
import { expect } from "chai";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { MeshGateway } from "../components/meshGateway";
import { runInProcess, type EngineOptions } from "../offline/engine";
import { loadFleets, offlineCall } from "../offline/plan";

const ROOT = path.join(__dirname, "..", "..");
const sdkResource = pulumi.Resource as unknown as { callsites: () => unknown[] };

async function quickstart(options: EngineOptions): Promise<{ recorded: unknown; callsites: number }> {
    const fleets = loadFleets(path.join(ROOT, "examples", "istio-ingress-two-clusters", "Pulumi.dev.yaml"));
    let callsites = -1;
    const recorded = await runInProcess(
        () => {
            callsites = sdkResource.callsites().length;
            for (const f of fleets) new MeshGateway(f.name, f.args);
        },
        { preview: true, call: offlineCall, warnings: [], ...options },
    );
    return { recorded, callsites };
}

describe("in-process engine without source positions", () => {
    it("records every registration exactly as with them, captures no stack, and restores the SDK afterwards", async () => {
        const original = sdkResource.callsites;
        const withPositions = await quickstart({});
        const without = await quickstart({ sourcePositions: false });
        expect(withPositions.callsites).to.be.greaterThan(0);
        expect(without.callsites).to.equal(0);
        expect(without.recorded).to.deep.equal(withPositions.recorded);
        expect(sdkResource.callsites).to.equal(original);
    });
});
