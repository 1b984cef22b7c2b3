// The package's components served as a Pulumi resource plugin (`pulumi-resource-mesh-gateway`,
// see plugin/), for programs in other languages. It is what `pulumi package add` runs through
// PulumiPlugin.yaml and the Node.js language host (the SDK's componentProviderHost); the e2e
// tests start it directly because that language host is not available here.
//
// The SDK's schema inference refuses union-typed arguments (tests/e2e/schema/refusals.json).
// Until the component's types change, this plugin serves those properties as strings
// (widenRefusedTypes), which is enough for the YAML test stack, whose values are strings and
// numbers as they are.
import * as path from "path";
import { widenRefusedTypes } from "./inferSchema";

const REPO_DIR = path.resolve(__dirname, "..", "..", "..");

widenRefusedTypes();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { componentProviderHost, getPulumiComponents } = require("@pulumi/pulumi/provider/experimental/provider") as {
    componentProviderHost(o: { components: unknown[]; dirname: string; name: string }): Promise<void>;
    getPulumiComponents(m: unknown): unknown[];
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lib = require(path.join(REPO_DIR, "bin", "lib.js")) as Record<string, unknown>;
componentProviderHost({ components: getPulumiComponents(lib), dirname: REPO_DIR, name: "mesh-gateway" }).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
});
