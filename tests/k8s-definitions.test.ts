import { expect } from "chai";
import * as fs from "fs";
import { buildDefinitions, OUTPUT } from "../scripts/gen-k8s-definitions";

describe("core/k8s-definitions.json", () => {
    it("is what scripts/gen-k8s-definitions.ts makes from the Kubernetes OpenAPI documents", () => {
        expect(fs.readFileSync(OUTPUT, "utf8")).to.equal(buildDefinitions());
    });
});
