// The Pulumi package schema the Node.js SDK infers for this package's components: what
// `pulumi package get-schema <repo>` returns (PulumiPlugin.yaml, runtime nodejs), computed
// in-process by the same SDK code (ComponentProvider.getSchema).
//
// The SDK's analyzer stops at the first type it refuses. With `collectRefusals`, each refused
// property is recorded and analysed as a string instead, so one run lists every refusal.
import * as fs from "fs";
import * as path from "path";

export interface InferredSchema {
    /** Properties the analyzer refused, with its message. Empty when the schema is complete. */
    refusals: string[];
    /** The schema (with refused properties as strings when refusals were collected). */
    schema?: Record<string, unknown>;
}

const REPO_DIR = path.resolve(__dirname, "..", "..", "..");

export async function inferSchema(options: { collectRefusals?: boolean } = {}): Promise<InferredSchema> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { ComponentProvider } = require("@pulumi/pulumi/provider/experimental") as typeof import("@pulumi/pulumi/provider/experimental");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const lib = require(path.join(REPO_DIR, "bin", "lib.js")) as Record<string, unknown>;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { getPulumiComponents } = require("@pulumi/pulumi/provider/experimental/provider") as { getPulumiComponents(m: unknown): never[] };

    const refusals: string[] = [];
    const restore = options.collectRefusals ? widenRefusedTypes(refusals) : () => undefined;
    try {
        const provider = new ComponentProvider({ components: getPulumiComponents(lib), dirname: REPO_DIR, name: "mesh-gateway" });
        const schema = JSON.parse(await provider.getSchema()) as Record<string, unknown>;
        return { refusals, schema };
    } catch (e) {
        return { refusals: [...refusals, (e as Error).message] };
    } finally {
        restore();
    }
}

/**
 * Makes the SDK's analyzer record each property it refuses (in `refusals`) and type it as a
 * string instead of stopping. Returns the function that undoes it.
 */
export function widenRefusedTypes(refusals: string[] = []): () => void {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Analyzer } = require("@pulumi/pulumi/provider/experimental/analyzer") as { Analyzer: { prototype: Record<string, unknown> } };
    const original = Analyzer.prototype.analyzeSymbol as (this: unknown, context: unknown, symbol: unknown) => unknown;
    Analyzer.prototype.analyzeSymbol = function (this: unknown, context: unknown, symbol: unknown) {
        try {
            return original.call(this, context, symbol);
        } catch (e) {
            refusals.push((e as Error).message);
            return { type: "string", optional: true };
        }
    };
    return () => {
        Analyzer.prototype.analyzeSymbol = original;
    };
}

export const SNAPSHOT_DIR = path.join(REPO_DIR, "tests", "e2e", "schema");

if (require.main === module) {
    // `--write`: refresh the committed snapshot (refusals, and the schema with refused types widened).
    inferSchema({ collectRefusals: true }).then((r) => {
        if (process.argv.includes("--write")) {
            fs.writeFileSync(path.join(SNAPSHOT_DIR, "refusals.json"), JSON.stringify(r.refusals, null, 2) + "\n");
            fs.writeFileSync(path.join(SNAPSHOT_DIR, "mesh-gateway.schema.json"), JSON.stringify(r.schema, null, 2) + "\n");
        } else {
            process.stdout.write(JSON.stringify(r, null, 2) + "\n");
        }
    });
}
