// The Pulumi package schema the Node.js SDK infers for this package's components: what
// `pulumi package get-schema <repo>` returns (PulumiPlugin.yaml, runtime nodejs), computed
// in-process by the same SDK code (ComponentProvider.getSchema). The SDK's analyzer refuses
// any argument type it cannot express in every language, and then no schema exists at all:
// this throws with its message.
import * as fs from "fs";
import * as path from "path";

const REPO_DIR = path.resolve(__dirname, "..", "..", "..");

export const SNAPSHOT_DIR = path.join(REPO_DIR, "tests", "e2e", "schema");
export const SNAPSHOT_FILE = path.join(SNAPSHOT_DIR, "mesh-gateway.schema.json");

export async function inferSchema(): Promise<Record<string, unknown>> {
    const { ComponentProvider } = await import("@pulumi/pulumi/provider/experimental");
    const { getPulumiComponents } = await import("@pulumi/pulumi/provider/experimental/provider");
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the built package, loaded by path as the provider loads it
    const lib = require(path.join(REPO_DIR, "bin", "lib.js")) as Record<string, unknown>;
    const provider = new ComponentProvider({ components: getPulumiComponents(lib), dirname: REPO_DIR, name: "mesh-gateway" });
    return JSON.parse(await provider.getSchema()) as Record<string, unknown>;
}

interface SchemaProperty {
    description?: string;
}

interface SchemaObject {
    properties?: Record<string, SchemaProperty>;
    inputProperties?: Record<string, SchemaProperty>;
}

/** `<type or resource>.<property>` for every property of the schema without a description. */
export function undocumentedProperties(schema: Record<string, unknown>): string[] {
    const missing: string[] = [];
    const objects = { ...(schema.types as Record<string, SchemaObject>), ...(schema.resources as Record<string, SchemaObject>) };
    for (const [token, object] of Object.entries(objects)) {
        const name = token.split(":").pop();
        for (const [kind, props] of [
            ["", object.properties],
            ["input ", object.inputProperties],
        ] as const) {
            for (const [prop, def] of Object.entries(props ?? {})) if (!def.description) missing.push(`${kind}${name}.${prop}`);
        }
    }
    return missing;
}

if (require.main === module) {
    // `--write`: refresh the committed snapshot.
    inferSchema().then(
        (schema) => {
            const text = JSON.stringify(schema, null, 2) + "\n";
            if (process.argv.includes("--write")) fs.writeFileSync(SNAPSHOT_FILE, text);
            else process.stdout.write(text);
        },
        (e: unknown) => {
            console.error((e as Error).message);
            process.exit(1);
        },
    );
}
