// The README's examples are what users copy: each fenced block that can be checked runs through
// the code path it shows (the fleet validation and plan the CLI runs, the package's type
// declarations, the CLI's own options, package.json's scripts, the repository's files), so an
// example cannot drift from the code unnoticed. A block no check applies to fails the test until
// it gets a check or a row in SKIPPED with the reason.
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as ts from "typescript";
import YAML from "yaml";
import { readPlanFiles } from "../components/planFiles";
import { ConfigError } from "../core/errors";
import { fleetSpecOf } from "../core/fleet";
import { planFleet, type FleetPlan } from "../core/plan";
import { FLEET_SCHEMA } from "../core/schema";
import { loadFleets } from "../offline/plan";

const ROOT = path.join(__dirname, "..", "..");
const CLI = path.join(ROOT, "bin", "cli", "main.js");

interface Block {
    lang: string;
    text: string;
    /** 1-based line of the opening fence. */
    line: number;
    /** The nearest heading above the block, and the block's ordinal under it (from 1). */
    section: string;
    ordinal: number;
}

/** Fenced blocks (also indented ones, inside list items) and the inline code spans outside them. */
function parseMarkdown(text: string): { blocks: Block[]; inline: { code: string; line: number }[] } {
    const blocks: Block[] = [];
    const inline: { code: string; line: number }[] = [];
    const lines = text.split("\n");
    let section = "";
    const counts = new Map<string, number>();
    for (let i = 0; i < lines.length; i++) {
        const open = /^(\s*)```(\S*)\s*$/.exec(lines[i]);
        if (open) {
            const indent = open[1].length;
            const body: string[] = [];
            let j = i + 1;
            for (; j < lines.length && !/^\s*```\s*$/.test(lines[j]); j++)
                body.push(lines[j].slice(Math.min(indent, /^\s*/.exec(lines[j])![0].length)));
            const ordinal = (counts.get(section) ?? 0) + 1;
            counts.set(section, ordinal);
            blocks.push({ lang: open[2], text: body.join("\n") + "\n", line: i + 1, section, ordinal });
            i = j;
            continue;
        }
        const heading = /^#+\s+(.*)$/.exec(lines[i]);
        if (heading) section = heading[1].trim();
        for (const m of lines[i].matchAll(/`([^`]+)`/g)) inline.push({ code: m[1], line: i + 1 });
    }
    return { blocks, inline };
}

const README = parseMarkdown(fs.readFileSync(path.join(ROOT, "README.md"), "utf8"));
const key = (b: Block) => `${b.section} #${b.ordinal}`;

/** Blocks no check applies to, by section and ordinal, with the reason. */
const SKIPPED: Record<string, string> = {};

// ---------------------------------------------------------------------------------------------
// YAML: fleet configs and fragments of them, planned as the CLI plans them.

/**
 * The fleet a fragment is merged into (objects merged key by key, a list or value in the fragment
 * replaces the base's): two clusters with the regions load balancers need, the ports the blocks'
 * listeners use. Whole files (a `Pulumi.<stack>.yaml` with `config:`) are planned as they are.
 */
const BASE_FLEET = {
    name: "edge",
    mode: "istio",
    clusters: [
        { id: "prod-hz", region: "cn-hangzhou" },
        { id: "prod-sh", region: "cn-shanghai" },
    ],
    gateway: {
        ports: [
            { name: "status-port", port: 15021, targetPort: 15021 },
            { name: "http2", port: 80, targetPort: 80 },
            { name: "https", port: 443, targetPort: 443 },
        ],
    },
};

const BASE_PORTS = BASE_FLEET.gateway.ports;
const SHOP_LISTENERS = {
    routing: {
        listeners: [
            { name: "http", port: 80, protocol: "HTTP", hosts: ["shop.example.com"] },
            {
                name: "https",
                port: 443,
                protocol: "HTTPS",
                hosts: ["shop.example.com"],
                tls: { mode: "SIMPLE", credentialName: "shop-cert" },
            },
        ],
        http: [{ name: "shop", hosts: ["shop.example.com"], destinations: [{ host: "shop", port: 8080 }] }],
    },
};

/** What a fragment refers to and the base lacks (hosts, certificates, ports, files), merged in before it. */
const CONTEXT: Record<string, { fleet: Record<string, unknown>; files?: Record<string, string> }> = {
    "Routing: listeners and routes #1": {
        fleet: {
            gateway: {
                ports: [
                    ...BASE_PORTS,
                    { name: "tcp-db", port: 31400, targetPort: 31400, protocol: "TCP" },
                    { name: "tls-pass", port: 8443, targetPort: 8443, protocol: "TLS" },
                ],
            },
            certificates: [{ name: "shop-cert", existingSecret: true }],
        },
    },
    "gRPC for HTTP/JSON clients (transcoding) #1": {
        fleet: { certificates: [{ name: "books-cert", existingSecret: true }] },
        // The descriptor set the block names, next to the config (paths are relative to it).
        files: { "protos/bookstore.pb": "examples/istio-ingress-two-clusters/grpc/bookstore.pb" },
    },
    "DNS, certificates and edge security #1": {
        fleet: { ...SHOP_LISTENERS, gateway: { externalTrafficPolicy: "Local" } },
    },
    "Single sign-on (OIDC) #1": {
        fleet: { ...SHOP_LISTENERS, certificates: [{ name: "shop-cert", existingSecret: true }] },
    },
};

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);

function merge(base: Json, over: Json): Json {
    const out: Json = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = isObject(v) && isObject(out[k]) ? merge(out[k] as Json, v) : v;
    return out;
}

const FLEET_KEYS = new Set(Object.keys((FLEET_SCHEMA as { properties: Json }).properties));

/** Writes a file with the given files beside it, and plans it as `mesh-gateway plan`/`diff` do: loadFleets, then the core. */
function planFile(name: string, text: string, files: Record<string, string> = {}): FleetPlan[] {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mesh-gateway-readme-"));
    for (const [to, from] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, to)), { recursive: true });
        fs.copyFileSync(path.join(ROOT, from), path.join(dir, to));
    }
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return loadFleets(file).map((f) => {
        const spec = fleetSpecOf(f.name, f.args);
        return planFleet(spec, `gateway "${f.name}" in ${file}`, readPlanFiles(spec));
    });
}

function plans(run: () => FleetPlan[], where: string): FleetPlan[] {
    try {
        return run();
    } catch (e) {
        if (e instanceof ConfigError) expect.fail(`${where}: ${e.message}`);
        throw e;
    }
}

function checkYaml(b: Block): void {
    const where = `README.md:${b.line} (${key(b)})`;
    const doc = YAML.parse(b.text) as Json;
    expect(isObject(doc), where).to.equal(true);
    const keys = Object.keys(doc);
    if (keys.includes("runtime") && keys.includes("resources")) return checkYamlProgram(doc, where);
    if (isObject(doc.config)) {
        // A whole stack file, named as its first comment names it.
        const name = /^#\s*(Pulumi\.[\w-]+\.yaml)/.exec(b.text)?.[1] ?? "Pulumi.readme.yaml";
        const planned = plans(() => planFile(name, b.text), where);
        expect(planned.length, where).to.be.greaterThan(0);
        return;
    }
    if (keys.length === 1 && keys[0] === "meshConfig") return checkMeshConfig(doc.meshConfig as Json, where);
    if (isObject(doc.deploy) && Array.isArray((doc.deploy as Json).steps)) {
        // A CI job: its commands are checked as the shell blocks are.
        for (const step of (doc.deploy as { steps: { run?: string }[] }).steps) if (step.run) checkCommands(step.run, where);
        return;
    }
    const unknown = keys.filter((k) => !FLEET_KEYS.has(k));
    expect(
        unknown,
        `${where}: top-level keys that are not fleet fields; check the block another way or skip it with the reason`,
    ).to.deep.equal([]);
    const context = CONTEXT[key(b)] ?? { fleet: {} };
    const fleet = merge(merge(BASE_FLEET, context.fleet), doc);
    const [plan] = plans(() => planFile("fleet.yaml", YAML.stringify({ gateways: [fleet] }), context.files), where);
    expect(plan.clusters.flatMap((c) => c.objects).length + plan.controlPlaneObjects.length, where).to.be.greaterThan(0);
}

/** The YAML program is the e2e test's, except where the package comes from. */
function checkYamlProgram(doc: Json, where: string): void {
    const e2e = YAML.parse(fs.readFileSync(path.join(ROOT, "tests", "e2e", "yaml", "Pulumi.yaml"), "utf8")) as Json;
    const strip = ({ packages: _p, plugins: _q, ...rest }: Json) => rest;
    expect(strip(doc), `${where}: the program differs from tests/e2e/yaml/Pulumi.yaml`).to.deep.equal(strip(e2e));
}

/** The mesh config shown for a gateway named edge is the one the plan prints for the section's ingressClass block. */
function checkMeshConfig(shown: Json, where: string): void {
    const ingressClass = README.blocks.find((x) => x.section === "The gateway as the Kubernetes Ingress controller" && x.ordinal === 1)!;
    const fleet = merge(BASE_FLEET, YAML.parse(ingressClass.text) as Json);
    const [plan] = plans(() => planFile("fleet.yaml", YAML.stringify({ gateways: [fleet] })), where);
    const warning = plan.warnings.find((w) => w.path === "ingressClass");
    expect(warning, `${where}: the plan prints no mesh config`).to.not.equal(undefined);
    const printed = /^meshConfig:\n(?: {2}.*\n?)+/m.exec(warning!.message)?.[0];
    expect(printed, `${where}: no meshConfig YAML in the warning`).to.be.a("string");
    expect(shown, where).to.deep.equal((YAML.parse(printed!) as Json).meshConfig);
}

// ---------------------------------------------------------------------------------------------
// Shell: npm scripts, the CLI's commands and options, the repository's files.

const SCRIPTS = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

let cliCommands: Set<string> | undefined;
const cliOptions = new Map<string, Map<string, string[] | undefined>>();
const runCli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8" }).stdout;

/** The CLI's commands, from its `--help`. */
function commands(): Set<string> {
    return (cliCommands ??= new Set([...runCli("--help").matchAll(/^ {2}(\w+) \[options\]/gm)].map((m) => m[1])));
}

/** A command's options and, where it has them, their choices, from `<command> --help`. */
function optionsOf(command: string): Map<string, string[] | undefined> {
    const known = cliOptions.get(command);
    if (known) return known;
    // Commander wraps long descriptions; an option's text runs until the next option.
    const text = runCli(command, "--help").replace(/\n\s{10,}/g, " ");
    const opts = new Map<string, string[] | undefined>();
    for (const m of text.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)(.*)$/gm)) {
        const choices = /\(choices: ([^)]*?)(?:, default:|\))/.exec(m[2])?.[1];
        opts.set(m[1], choices === undefined ? undefined : [...choices.matchAll(/"([^"]+)"/g)].map((x) => x[1]));
    }
    cliOptions.set(command, opts);
    return opts;
}

/** Top-level files and folders of the repository that a path in the docs may start with (not build output users make). */
const TOP_LEVEL = new Set(fs.readdirSync(ROOT).filter((n) => !n.startsWith(".") && !["node_modules", "plan-out"].includes(n)));

/** Whether a path exists, `<placeholder>` and `…` standing for any name. */
function pathExists(p: string, base: string): boolean {
    const parts = p.replace(/\/$/, "").split("/");
    const walk = (dir: string, i: number): boolean => {
        if (i === parts.length) return fs.existsSync(dir);
        if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return false;
        if (!/[<…*]/.test(parts[i])) return walk(path.join(dir, parts[i]), i + 1);
        const pattern = new RegExp(`^${parts[i].replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/<[^>]*>|…|\*/g, ".+")}$`);
        return fs.readdirSync(dir).some((n) => pattern.test(n) && walk(path.join(dir, n), i + 1));
    };
    return walk(base, 0);
}

/** Relative paths with a folder in them whose first part is in the repository (or beside the document) must exist. */
function checkPaths(tokens: string[], docDir: string | null, where: string): void {
    if (docDir === null) return;
    for (const raw of tokens) {
        const p = raw.replace(/^[("'[]+|[)"',.:;\]]+$/g, "");
        if (!/^[\w.@<>-]+(\/[\w.@<>…*-]*)+$/.test(p) || p.startsWith(".")) continue;
        const first = p.split("/")[0];
        const base = TOP_LEVEL.has(first) ? ROOT : fs.existsSync(path.join(docDir, first)) ? docDir : undefined;
        if (base === undefined) continue;
        expect(pathExists(p, base), `${where}: ${p} does not exist in the repository`).to.equal(true);
    }
}

/** Every command of a shell text: npm scripts exist, CLI commands and options exist (with their choices). */
function checkCommands(text: string, where: string, docDir: string | null = ROOT): void {
    for (const line of text.split("\n")) {
        const comment = /(?:^|\s)#\s?(.*)$/.exec(line)?.[1] ?? "";
        const code = line.replace(/(?:^|\s)#.*$/, "");
        checkPaths(comment.split(/\s+/), docDir, where);
        for (const command of code.split(/&&|\|\||[|;]/)) {
            // Quoted arguments are data (a jq program, a value), not paths or options.
            const words = command
                .replace(/'[^']*'|"[^"]*"/g, "''")
                .trim()
                .split(/\s+/)
                .filter(Boolean);
            checkCommand(words, where);
            const outputs = new Set(words.flatMap((w, i) => (w === ">" || w === "--out" ? [words[i + 1]] : [])));
            checkPaths(
                words.filter((w) => !outputs.has(w)),
                docDir,
                where,
            );
        }
    }
}

function checkCommand(words: string[], where: string): void {
    if (words[0] === "npm") {
        const args = words.slice(1).filter((w) => !w.startsWith("-"));
        if (args[0] === "run") expect(SCRIPTS, `${where}: npm run ${args[1]}`).to.have.property(args[1]);
        else if (args[0] === "test" || args[0] === "start") expect(SCRIPTS, `${where}: npm ${args[0]}`).to.have.property(args[0]);
        return;
    }
    const cli = words[0] === "npx" && words[1] === "mesh-gateway" ? 2 : words[0] === "node" && words[1] === "bin/cli/main.js" ? 2 : -1;
    // `mesh-gateway …` and `mesh-gateway <cmd>` stand for any command.
    if (cli < 0 || words.length <= cli || !/^\w+$/.test(words[cli])) return;
    const command = words[cli];
    expect([...commands()], `${where}: mesh-gateway ${command}`).to.include(command);
    const known = optionsOf(command);
    words.slice(cli + 1).forEach((w, i, rest) => {
        const option = /^\[?(--[\w-]+)/.exec(w)?.[1];
        if (option === undefined) return;
        expect([...known.keys()], `${where}: mesh-gateway ${command} ${option}`).to.include(option);
        const choices = known.get(option);
        const shown = rest[i + 1]?.replace(/[[\]]/g, "");
        if (choices !== undefined && shown !== undefined && shown.includes("|"))
            expect(shown.split("|").sort(), `${where}: ${command} ${option}'s values`).to.deep.equal([...choices].sort());
    });
}

// ---------------------------------------------------------------------------------------------
// TypeScript: each block compiled against the package's type declarations.

/** Names the README's snippets leave to the reader: their type, and a value as a program would have it. */
const TS_FREE_NAMES: Record<string, { type: string; value: () => unknown }> = {
    hzKubeconfig: { type: "pulumi.Output<string>", value: () => secretOutput() },
    config: { type: "pulumi.Config", value: () => ({ requireSecret: secretOutput, require: () => "value from the stack config" }) },
};

/** A secret known only when the program runs: what `config.requireSecret` gives. */
function secretOutput(): pulumi.Output<string> {
    return pulumi.secret(pulumi.output(pulumi.unknown as unknown as string));
}

/** Runs a block with a MeshGateway that records what it is given: each component's name and arguments. */
function constructions(b: Block): { name: string; args: Json }[] {
    const made: { name: string; args: Json }[] = [];
    class MeshGateway {
        constructor(name: string, args: Json) {
            made.push({ name, args });
        }
    }
    const js = ts.transpileModule(b.text, {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    const names = Object.keys(TS_FREE_NAMES);
    const load = (m: string): unknown => (m === "mesh-gateway" ? { MeshGateway } : m === "@pulumi/pulumi" ? pulumi : undefined);
    new Function("require", "exports", "MeshGateway", ...names, js)(load, {}, MeshGateway, ...names.map((n) => TS_FREE_NAMES[n].value()));
    return made;
}

/**
 * Type-checks the blocks as one program, each block a module of its own, with the options the
 * examples are checked with (tsconfig.examples.json). `mesh-gateway` resolves to the declarations
 * the package ships (bin/lib.d.ts, its `types`), as in a user's program; compiling them instead of
 * the sources keeps this to the snippets themselves.
 */
function typeCheck(blocks: Block[]): string[] {
    const configFile = path.join(ROOT, "tsconfig.examples.json");
    const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(configFile, ts.sys.readFile).config, ts.sys, ROOT);
    const options: ts.CompilerOptions = { ...parsed.options, noEmit: true, paths: { "mesh-gateway": ["./bin/lib.d.ts"] } };
    const sources = new Map(
        blocks.map((b) => {
            const free = Object.entries(TS_FREE_NAMES)
                .filter(([name]) => new RegExp(`\\b${name}\\b`).test(b.text))
                .map(([name, { type }]) => `declare const ${name}: ${type};`);
            const imports = [
                'import * as pulumi from "@pulumi/pulumi";',
                ...(/import .* from "mesh-gateway"/.test(b.text) ? [] : ['import { MeshGateway } from "mesh-gateway";']),
            ];
            // One line of preamble, so a message's line is the block's line.
            const text = `${[...imports, ...free].join(" ")} export {};\n${b.text}`;
            return [path.join(ROOT, `readme-block-${b.line}.ts`), text] as const;
        }),
    );
    const host = ts.createCompilerHost(options);
    const { getSourceFile, fileExists, readFile } = host;
    host.fileExists = (f) => sources.has(f) || fileExists.call(host, f);
    host.readFile = (f) => sources.get(f) ?? readFile.call(host, f);
    host.getSourceFile = (f, lang, ...rest) => {
        const text = sources.get(f);
        return text !== undefined ? ts.createSourceFile(f, text, lang) : getSourceFile.call(host, f, lang, ...rest);
    };
    const program = ts.createProgram([...sources.keys()], options, host);
    return ts.getPreEmitDiagnostics(program).map((d) => {
        const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
        if (d.file === undefined || d.start === undefined) return message;
        const block = Number(/readme-block-(\d+)\.ts$/.exec(d.file.fileName)?.[1] ?? 0);
        const { line } = d.file.getLineAndCharacterOfPosition(d.start);
        return `README.md:${block + line}: ${message}`;
    });
}

// ---------------------------------------------------------------------------------------------
// Python and Go: the classes, fields and enum values they use, against the package schema the SDK
// infers (tests/e2e/schema/, kept current by tests/schema-inference.test.ts), with the SDK
// generators' naming: Python `ClusterArgs(max_replicas=…)`, `InstallMode.ISTIO`; Go
// `ClusterArgs{MaxReplicas: …}`, `InstallModeIstio`. Compiling them needs the generated SDKs,
// which tests/e2e/sdk.e2e.ts builds.

interface SchemaProperty {
    $ref?: string;
    items?: SchemaProperty;
    additionalProperties?: SchemaProperty;
}
interface SchemaType {
    properties?: Record<string, SchemaProperty>;
    enum?: { name?: string; value: string }[];
}
const PACKAGE_SCHEMA = JSON.parse(fs.readFileSync(path.join(ROOT, "tests", "e2e", "schema", "mesh-gateway.schema.json"), "utf8")) as {
    types: Record<string, SchemaType>;
    resources: Record<string, { inputProperties: Record<string, SchemaProperty> }>;
};
const TOKEN = "mesh-gateway:index:";

/** The properties of an `<X>Args` class: the component's inputs or an object type's properties. */
function propertiesOf(args: string): Record<string, SchemaProperty> | undefined {
    const name = args.replace(/Args$/, "");
    return PACKAGE_SCHEMA.resources[TOKEN + name]?.inputProperties ?? PACKAGE_SCHEMA.types[TOKEN + name]?.properties;
}

/** The object or enum type a property holds (directly, as list items or as map values). */
function refOf(p: SchemaProperty): string | undefined {
    const ref = p.$ref ?? p.items?.$ref ?? p.additionalProperties?.$ref;
    return ref?.replace(`#/types/${TOKEN}`, "");
}

/** The text between the bracket at `open` and its partner. */
function bracketed(text: string, open: number): string {
    const pairs: Record<string, string> = { "(": ")", "{": "}", "[": "]" };
    let depth = 0;
    for (let i = open; i < text.length; i++) {
        if (text[i] === '"') i = text.indexOf('"', i + 1);
        else if (pairs[text[i]] !== undefined) depth++;
        else if (")]}".includes(text[i]) && --depth === 0) return text.slice(open + 1, i);
    }
    throw new Error(`unbalanced bracket at ${open}`);
}

/** The comma-separated parts of a list at its own level. */
function parts(body: string): string[] {
    const out: string[] = [];
    let depth = 0;
    let start = 0;
    for (let i = 0; i < body.length; i++) {
        if (body[i] === '"') i = body.indexOf('"', i + 1);
        else if ("([{".includes(body[i])) depth++;
        else if (")]}".includes(body[i])) depth--;
        else if (body[i] === "," && depth === 0) {
            out.push(body.slice(start, i));
            start = i + 1;
        }
    }
    return [...out, body.slice(start)].map((x) => x.trim()).filter(Boolean);
}

interface Sdk {
    /** `pkg.` in the code. */
    prefix: string;
    /** A field's name in the code to the schema's. */
    field: (name: string) => string;
    /** An enum value's name in the code from the type and its member's name. */
    enumValue: (type: string, member: string) => string;
    /** A field and its value in one part of an argument list or literal. */
    fieldPattern: RegExp;
}
const PYTHON: Sdk = {
    prefix: "mesh.",
    field: (n) => n.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase()),
    enumValue: (t, m) => `${t}.${m.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase()}`,
    fieldPattern: /^(\w+)\s*=\s*([\s\S]*)$/,
};
const GO: Sdk = {
    prefix: "meshgateway.",
    field: (n) => n[0].toLowerCase() + n.slice(1),
    enumValue: (t, m) => `${t}${m[0].toUpperCase()}${m.slice(1)}`,
    fieldPattern: /^([A-Z]\w*)\s*:\s*([\s\S]*)$/,
};

/** Every `<X>Args` use: each field exists and holds the type the schema says; every enum value exists. */
function checkSdkCode(code: string, sdk: Sdk, where: string): string[] {
    const problems: string[] = [];
    // Each enum value as the SDK names it, to its type.
    const enumTypes = new Map(
        Object.entries(PACKAGE_SCHEMA.types).flatMap(([token, t]) =>
            (t.enum ?? []).map((e) => [sdk.enumValue(token.replace(TOKEN, ""), e.name ?? e.value), token.replace(TOKEN, "")] as const),
        ),
    );
    const prefix = sdk.prefix.replace(".", "\\.");
    const typeOf = (name: string) => (/Args$/.test(name) ? name.replace(/Args$/, "") : enumTypes.get(name));
    const checkFields = (args: string, body: string) => {
        const properties = propertiesOf(args)!;
        for (const part of parts(body)) {
            const m = sdk.fieldPattern.exec(part);
            if (m === null) continue; // a positional argument, a map key
            const property = properties[sdk.field(m[1])];
            if (property === undefined) {
                problems.push(`${where}: ${args} has no field ${m[1]}`);
                continue;
            }
            const used = new RegExp(`${prefix}(\\w+(?:\\.\\w+)?)`).exec(m[2])?.[1];
            const expected = refOf(property);
            if (used !== undefined && expected !== undefined && typeOf(used) !== expected)
                problems.push(`${where}: ${args}.${m[1]} holds ${expected}, not ${used}`);
        }
    };
    for (const m of code.matchAll(new RegExp(`(\\[\\]|map\\[string\\])?${prefix}(\\w+Args|MeshGateway)\\s*([({])`, "g"))) {
        const args = m[2] === "MeshGateway" ? "MeshGatewayArgs" : m[2];
        if (propertiesOf(args) === undefined) {
            problems.push(`${where}: the SDK has no ${args}`);
            continue;
        }
        const body = bracketed(code, m.index + m[0].length - 1);
        // A Go slice or map literal: each element is one.
        if (m[1] !== undefined) for (const e of parts(body)) checkFields(args, bracketed(e, e.indexOf("{")));
        else checkFields(args, body);
    }
    for (const m of code.matchAll(new RegExp(`${prefix}(\\w+(?:\\.\\w+)?)`, "g"))) {
        const name = m[1];
        if (/Args$/.test(name) || ["MeshGateway", "NewMeshGateway"].includes(name)) continue;
        if (!enumTypes.has(name)) problems.push(`${where}: the SDK has no ${name}`);
    }
    return problems;
}

/**
 * The value a Python or Go expression of the block builds, as plain data: `<X>Args` calls and
 * literals become objects with the schema's field names, enum values their strings, `Ref`/`String`
 * wrappers their argument. Anything else (a config secret) stands in as a kubeconfig would.
 */
function valueOf(text: string, sdk: Sdk): unknown {
    const t = text.trim().replace(/^&/, "");
    const enumValue = Object.entries(PACKAGE_SCHEMA.types)
        .flatMap(([token, ty]) =>
            (ty.enum ?? []).map((e) => [sdk.prefix + sdk.enumValue(token.replace(TOKEN, ""), e.name ?? e.value), e.value]),
        )
        .find(([name]) => name === t)?.[1];
    if (enumValue !== undefined) return enumValue;
    if (/^"[^"]*"$/.test(t)) return t.slice(1, -1);
    if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
    const wrapped = /^pulumi\.(?:Float64Ref|IntRef|StringRef|BoolRef|String|Float64|Int|Bool)\(([\s\S]*)\)$/.exec(t);
    if (wrapped) return valueOf(wrapped[1], sdk);
    const fields = (body: string) =>
        Object.fromEntries(
            parts(body).flatMap((part) => {
                const m = sdk.fieldPattern.exec(part);
                return m ? [[sdk.field(m[1]), valueOf(m[2], sdk)]] : [];
            }),
        );
    const entries = (body: string, element: (v: string) => unknown) =>
        Object.fromEntries(
            parts(body).map((part) => {
                const m = /^"([^"]*)"\s*:\s*([\s\S]*)$/.exec(part)!;
                return [m[1], element(m[2])];
            }),
        );
    const literal = new RegExp(`^(\\[\\]|map\\[string\\])?${sdk.prefix.replace(".", "\\.")}\\w+Args\\s*[({]`).exec(t);
    if (literal) {
        const body = bracketed(t, literal[0].length - 1);
        if (literal[1] === "[]") return parts(body).map((e) => fields(bracketed(e, e.indexOf("{"))));
        if (literal[1] !== undefined) return entries(body, (v) => fields(bracketed(v, v.indexOf("{"))));
        return fields(body);
    }
    if (t.startsWith("[")) return parts(bracketed(t, 0)).map((v) => valueOf(v, sdk));
    if (t.startsWith("{")) return entries(bracketed(t, 0), (v) => valueOf(v, sdk));
    return "kubeconfig from the program's config";
}

/** The component a Python or Go block constructs: its name and arguments. */
function componentOf(code: string, sdk: Sdk): { name: string; args: Json } {
    const call = new RegExp(`${sdk.prefix.replace(".", "\\.")}(?:New)?MeshGateway\\(`).exec(code)!;
    const args = parts(bracketed(code, call.index + call[0].length - 1)).filter((a) => a !== "ctx");
    // Python passes the arguments as keywords, Go as a MeshGatewayArgs literal.
    const named = args.slice(1).filter((a) => sdk.fieldPattern.test(a));
    const value = named.length > 0 ? valueOf(`${sdk.prefix}MeshGatewayArgs(${named.join(",")})`, sdk) : valueOf(args[1], sdk);
    return { name: valueOf(args[0], sdk) as string, args: value as Json };
}

// ---------------------------------------------------------------------------------------------

/** Runs every check and lists what each refused, so one run shows every drift. */
function failures(checks: (() => void)[]): string[] {
    return checks.flatMap((check) => {
        try {
            check();
            return [];
        } catch (e) {
            return [(e as Error).message];
        }
    });
}

function cli(dir: string, ...args: string[]) {
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: "utf8" });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("README.md's examples work as shown", () => {
    const byLang = (...langs: string[]) => README.blocks.filter((b) => langs.includes(b.lang) && SKIPPED[key(b)] === undefined);

    it("every fenced block is checked or skipped with its reason", () => {
        const checked = new Set(["yaml", "ts", "sh", "python", "go", ""]);
        const unchecked = README.blocks.filter((b) => !checked.has(b.lang) && SKIPPED[key(b)] === undefined);
        expect(unchecked.map((b) => `README.md:${b.line} (${key(b)}) ${b.lang}`)).to.deep.equal([]);
        const stale = Object.keys(SKIPPED).filter((k) => !README.blocks.some((b) => key(b) === k));
        expect(stale, "SKIPPED rows that name no block").to.deep.equal([]);
        const unusedContext = Object.keys(CONTEXT).filter((k) => !README.blocks.some((b) => key(b) === k));
        expect(unusedContext, "CONTEXT rows that name no block").to.deep.equal([]);
    });

    for (const b of byLang("yaml")) {
        it(`README.md:${b.line} (${key(b)}): the YAML validates and plans`, () => checkYaml(b));
    }

    it("the TypeScript blocks type-check against the package's declarations", function () {
        const blocks = byLang("ts");
        expect(blocks.length).to.be.greaterThan(0);
        expect(typeCheck(blocks)).to.deep.equal([]);
    });

    it("the Python and Go blocks use the classes, fields and enum values the SDKs have", () => {
        const blocks = byLang("python", "go");
        expect(blocks.length).to.be.greaterThan(0);
        const problems = blocks.flatMap((b) => {
            const code = b.lang === "python" ? b.text.replace(/#.*$/gm, "") : b.text.replace(/\/\/.*$/gm, "");
            return checkSdkCode(code, b.lang === "python" ? PYTHON : GO, `README.md:${b.line} (${key(b)})`);
        });
        expect(problems).to.deep.equal([]);
    });

    for (const b of byLang("python", "go")) {
        it(`README.md:${b.line} (${key(b)}): the ${b.lang === "go" ? "Go" : "Python"} program's arguments validate and plan`, () => {
            const sdk = b.lang === "python" ? PYTHON : GO;
            const { name, args } = componentOf(b.text.replace(b.lang === "python" ? /#.*$/gm : /\/\/.*$/gm, ""), sdk);
            const spec = fleetSpecOf(name, args as unknown as Parameters<typeof fleetSpecOf>[1]);
            const where = `README.md:${b.line} (${key(b)})`;
            plans(() => [planFleet(spec, `gateway "${name}"`, readPlanFiles(spec))], where);
        });
    }

    for (const b of byLang("ts")) {
        it(`README.md:${b.line} (${key(b)}): the components it constructs validate and plan`, () => {
            const made = constructions(b);
            expect(made.length, "MeshGateway constructions").to.be.greaterThan(0);
            const where = `README.md:${b.line} (${key(b)})`;
            for (const { name, args } of made) {
                const spec = fleetSpecOf(name, args as unknown as Parameters<typeof fleetSpecOf>[1]);
                plans(() => [planFleet(spec, `gateway "${name}"`, readPlanFiles(spec))], where);
            }
        });
    }

    it("the shell blocks name npm scripts, CLI commands and options, and files that exist", () => {
        const blocks = byLang("sh");
        expect(blocks.length).to.be.greaterThan(0);
        expect(failures(blocks.map((b) => () => checkCommands(b.text, `README.md:${b.line} (${key(b)})`)))).to.deep.equal([]);
    });

    it("the inline code names npm scripts, CLI options and files that exist", () => {
        expect(
            failures(
                README.inline.map(
                    ({ code, line }) =>
                        () =>
                            checkCommands(code.replace(/#/g, ""), `README.md:${line}`),
                ),
            ),
        ).to.deep.equal([]);
    });

    it("the error output shown is what the CLI prints for those mistakes, and the rule shown beside it too", () => {
        const block = README.blocks.find((b) => b.lang === "" && b.text.startsWith("mesh-gateway: invalid"));
        expect(block, "the error output block").to.not.equal(undefined);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mesh-gateway-readme-"));
        // The block's two mistakes: a misspelt field and an override for a cluster the fleet lacks.
        const bad = {
            ...BASE_FLEET,
            clusters: [{ id: "c1" }, { id: "c2" }],
            gateway: { replicaCont: 2, overrides: { c3: { maxReplicas: 5 } } },
        };
        fs.writeFileSync(path.join(dir, "fleet.yaml"), YAML.stringify({ gateways: [bad] }));
        const r = cli(dir, "plan", "fleet.yaml", "--out", "out");
        expect(r.code).to.equal(2);
        expect(r.stderr).to.contain(block!.text);
        expect(fs.existsSync(path.join(dir, "out")), "nothing written").to.equal(false);
        // The value of the wrong type the text names: reported alone.
        const typed = { ...bad, gateway: { maxReplicas: "2", overrides: { c3: { maxReplicas: 5 } } } };
        fs.writeFileSync(path.join(dir, "fleet.yaml"), YAML.stringify({ gateways: [typed] }));
        const r2 = cli(dir, "plan", "fleet.yaml");
        expect(r2.code).to.equal(2);
        expect(r2.stderr).to.contain("gateway.maxReplicas: must be integer");
        expect(r2.stderr).to.not.contain("overrides");
    });
});

describe("the other documents name npm scripts, CLI options and files that exist", () => {
    const docs = [
        ...fs
            .readdirSync(path.join(ROOT, "docs"))
            .filter((f) => f.endsWith(".md"))
            .map((f) => path.join("docs", f)),
        ...fs.readdirSync(path.join(ROOT, "examples")).map((e) => path.join("examples", e, "README.md")),
        path.join("tests", "e2e", "README.md"),
    ].filter((f) => fs.existsSync(path.join(ROOT, f)));
    for (const doc of docs) {
        it(doc, () => {
            const { blocks, inline } = parseMarkdown(fs.readFileSync(path.join(ROOT, doc), "utf8"));
            // Its paths are the upstream repositories' (the source column), not this one's.
            const dir = doc === path.join("docs", "upstream-behaviour.md") ? null : path.dirname(path.join(ROOT, doc));
            const checks = [
                ...blocks.filter((x) => x.lang === "sh").map((b) => () => checkCommands(b.text, `${doc}:${b.line}`, dir)),
                ...inline.map(
                    ({ code, line }) =>
                        () =>
                            checkCommands(code.replace(/#/g, ""), `${doc}:${line}`, dir),
                ),
            ];
            expect(failures(checks)).to.deep.equal([]);
        });
    }

    // An example's YAML block is what its README says to add to the example's gateway: added, the stack still plans.
    for (const example of fs.readdirSync(path.join(ROOT, "examples"))) {
        const readme = path.join(ROOT, "examples", example, "README.md");
        const blocks = fs.existsSync(readme) ? parseMarkdown(fs.readFileSync(readme, "utf8")).blocks.filter((b) => b.lang === "yaml") : [];
        for (const b of blocks) {
            it(`examples/${example}/README.md:${b.line}: added to the example's gateway, the stack plans`, () => {
                const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mesh-gateway-readme-"));
                fs.cpSync(path.join(ROOT, "examples", example), dir, { recursive: true });
                const stack = YAML.parse(fs.readFileSync(path.join(dir, "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, Json[]> };
                const gateways = Object.keys(stack.config).find((k) => k.endsWith(":gateways"))!;
                stack.config[gateways][0] = merge(stack.config[gateways][0], YAML.parse(b.text) as Json);
                fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), YAML.stringify(stack));
                const where = `examples/${example}/README.md:${b.line}`;
                plans(
                    () =>
                        loadFleets(path.join(dir, "Pulumi.dev.yaml")).map((f) => {
                            const spec = fleetSpecOf(f.name, f.args);
                            return planFleet(spec, `gateway "${f.name}"`, readPlanFiles(spec));
                        }),
                    where,
                );
            });
        }
    }
});
