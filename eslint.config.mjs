// ESLint flat config: typescript-eslint's recommended rules everywhere, plus the type-aware rules
// that catch what bites a Pulumi program (a promise nobody awaits, an await on a non-promise).
// Formatting is Prettier's (npm run lint runs both); no rule here is about layout.
import eslint from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    {
        ignores: [
            "bin/",
            "node_modules/",
            "plan-out/",
            "examples/*/node_modules/",
            "tests/e2e/go/",
            "tests/e2e/go-program/",
            "**/*.js",
            "**/*.mjs",
        ],
    },
    {
        linterOptions: { reportUnusedDisableDirectives: "error" },
    },
    eslint.configs.recommended,
    tseslint.configs.recommended,
    {
        languageOptions: {
            parserOptions: {
                projectService: {
                    // The examples are outside tsconfig.json's include: they get a default program.
                    allowDefaultProject: ["examples/*/index.ts"],
                },
                tsconfigRootDir: import.meta.dirname,
            },
        },
        rules: {
            "@typescript-eslint/no-floating-promises": "error",
            "@typescript-eslint/await-thenable": "error",
            "@typescript-eslint/no-misused-promises": "error",
            // `import fs = require("fs")` is TypeScript's typed import of the module object itself.
            "@typescript-eslint/no-require-imports": ["error", { allowAsImport: true }],
            // The component's argument types are interfaces extending a core type with Pulumi Inputs
            // (`interface DnsSpec extends edge.DnsSpec<Id> {}`): the interface gives the type its name
            // in the package schema that Pulumi infers.
            "@typescript-eslint/no-empty-object-type": ["error", { allowInterfaces: "with-single-extends" }],
            // `_`-prefixed names are placeholders kept for a signature or a destructuring.
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
        },
    },
    {
        // The pure core stays readable in one screen per function.
        files: ["core/**/*.ts"],
        rules: {
            "max-lines-per-function": ["error", { max: 60, skipBlankLines: true, skipComments: true }],
        },
    },
);
