// Build step: the fleet validator as Ajv standalone code (bin/core/fleetValidator.generated.js),
// so no run compiles it at start-up. It carries the digest of the schema it was made from, and
// core/schema.ts uses it only when that digest matches (else it compiles, as before).
import * as fs from "fs";
import * as path from "path";
import { _ } from "ajv";
import standaloneCode from "ajv/dist/standalone";
import { compileFleetValidator, fleetSchemaDigest } from "../core/schema";

const { ajv, validate } = compileFleetValidator({ code: { source: true, formats: _`require("./formats").KUBERNETES_FORMATS` } });
const out = path.join(__dirname, "..", "core", "fleetValidator.generated.js");
fs.writeFileSync(out, `${standaloneCode(ajv, validate)}\nmodule.exports.digest = ${JSON.stringify(fleetSchemaDigest())};\n`);
