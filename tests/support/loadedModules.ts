// Preloaded (`node -r`) into a CLI run by tests/startup.test.ts: when the process exits, writes
// the files of every module it loaded to the file named by MESH_GATEWAY_LOADED_MODULES.
import * as fs from "fs";

const out = process.env.MESH_GATEWAY_LOADED_MODULES;
if (out !== undefined) process.on("exit", () => fs.writeFileSync(out, JSON.stringify(Object.keys(require.cache))));
