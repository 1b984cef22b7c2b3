// The package schema the Node.js SDK infers (what `pulumi package get-schema` and
// `pulumi package add` see) must not drift unnoticed. While the SDK refuses some argument
// types, the refusals themselves are the snapshot (tests/e2e/schema/refusals.json); once there
// are none, the schema is (tests/e2e/schema/mesh-gateway.schema.json). Regenerate with
//   node bin/tests/e2e/inferSchema.js --collect-refusals
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { inferSchema } from "./e2e/inferSchema";

const SNAPSHOT_DIR = path.resolve(__dirname, "..", "..", "tests", "e2e", "schema");

describe("inferred package schema", function () {
    this.timeout(120_000);

    it("matches the committed snapshot", async () => {
        const inferred = await inferSchema({ collectRefusals: true });
        const refusals = JSON.parse(fs.readFileSync(path.join(SNAPSHOT_DIR, "refusals.json"), "utf8")) as string[];
        expect(inferred.refusals, "types the SDK's schema inference refuses").to.deep.equal(refusals);
        if (refusals.length === 0) {
            const file = path.join(SNAPSHOT_DIR, "mesh-gateway.schema.json");
            expect(fs.existsSync(file), `commit the inferred schema as ${file}`).to.equal(true);
            expect(inferred.schema).to.deep.equal(JSON.parse(fs.readFileSync(file, "utf8")));
        }
    });
});
