// The package schema the Node.js SDK infers (what `pulumi package get-schema` and
// `pulumi package add` see) must not drift unnoticed. The snapshot is the list of argument types
// the SDK refuses (tests/e2e/schema/refusals.json) and the schema inferred with those widened to
// strings (mesh-gateway.schema.json). Refresh both with
//   npm run build && node bin/tests/e2e/inferSchema.js --write
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { SNAPSHOT_DIR, inferSchema } from "./e2e/inferSchema";

describe("inferred package schema", function () {
    this.timeout(120_000);

    it("matches the committed snapshot", async () => {
        const inferred = await inferSchema({ collectRefusals: true });
        const read = (file: string) => JSON.parse(fs.readFileSync(path.join(SNAPSHOT_DIR, file), "utf8")) as unknown;
        expect(inferred.refusals, "types the SDK's schema inference refuses").to.deep.equal(read("refusals.json"));
        expect(inferred.schema, "the inferred schema").to.deep.equal(read("mesh-gateway.schema.json"));
    });
});
