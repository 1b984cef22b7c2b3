// An in-process Pulumi engine: the SDK's mock monitor, extended to record every registration
// whole (parent, provider, dependencies, inputs with secrets masked). The offline plan and the
// tests run the real components against it, so they see exactly what `pulumi up` would register.
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
// Two SDK internals, absent from its type declarations: "wait until every registration is
// answered" (what `pulumi.runtime.disconnect` uses), and the store holding the monitor that
// `setMocks` installs, whose requests we record.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- absent from the SDK's type declarations (see above)
const { waitForRPCs } = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };
// eslint-disable-next-line @typescript-eslint/no-require-imports -- absent from the SDK's type declarations (see above)
const { getStore } = require("@pulumi/pulumi/runtime/state") as { getStore(): { settings: { monitor: unknown } } };

export const SECRET_MASK = "[secret]";
export const UNKNOWN_MASK = "[unknown]";
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";
/** The engine's "not known until the cloud answers" value; a mock call may return it. */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface RecordedResource {
    urn: string;
    type: string;
    name: string;
    /** False for component resources. */
    custom: boolean;
    /** True for a read of an existing cloud resource (`Resource.get`). */
    read: boolean;
    parent?: string;
    /** URN of the provider resource this one is managed by, if any. */
    provider?: string;
    /** URNs this resource waits for. */
    dependencies: string[];
    /** Inputs as registered, secrets replaced by "[secret]" and unknowns by "[unknown]". */
    inputs: Record<string, unknown>;
    /** Paths (a.b[0]) of the inputs that are secrets. */
    secretPaths: string[];
    /** Resource options that change how updates are applied. */
    replaceOnChanges: string[];
    ignoreChanges: string[];
    /** True when a replacement deletes the old resource before creating the new one. */
    deleteBeforeReplace: boolean;
    /** Outputs the engine keeps secret though the provider does not mark them so. */
    additionalSecretOutputs: string[];
}

export interface MockState {
    /** Output properties a resource gets beyond its inputs (e.g. a Service's status). */
    state?: (type: string, name: string, inputs: Record<string, unknown>) => Record<string, unknown> | undefined;
    /**
     * Results of provider functions (data sources), by token. `provider` is the inputs of the
     * explicit provider the call goes through (its `region`, say), when there is one.
     */
    call?: (token: string, args: Record<string, unknown>, provider?: Record<string, unknown>) => Record<string, unknown>;
}

export interface EngineOptions extends MockState {
    project?: string;
    stack?: string;
    /** Preview: outputs the engine does not know stay unknown, as in `pulumi preview`. */
    preview?: boolean;
    /**
     * Collects the warnings the program logs. Without an engine the SDK prints them to the
     * console itself (`warning: [runtime] …`); given this list, they land here instead.
     */
    warnings?: string[];
    /**
     * False: the SDK skips capturing each resource's source position and stack. @pulumi/pulumi's
     * `Resource` constructor (resource.js) calls `Resource.stackTrace(4)` → `Resource.callsites()`
     * for every resource, which raises `Error.stackTraceLimit` to infinity and parses a
     * `new Error().stack`; the result only fills the request's `sourcePosition`/`stackTrace`
     * (runtime/resource.js `registerResource`/`readResource`, `marshalSourcePosition`), which
     * this engine never records and the mock monitor never reads. Default true, as under `pulumi up`.
     */
    sourcePositions?: boolean;
}

interface Request {
    getType(): string;
    getName(): string;
    getParent(): string;
    getProvider(): string;
    getCustom?(): boolean;
    getDependenciesList?(): string[];
    getObject?(): { toJavaScript(): Record<string, unknown> };
    getProperties?(): { toJavaScript(): Record<string, unknown> };
    getReplaceonchangesList?(): string[];
    getIgnorechangesList?(): string[];
    getDeletebeforereplace?(): boolean;
    getAdditionalsecretoutputsList?(): string[];
}

/** Records each request the SDK sends to the mock monitor, then lets the monitor answer it. */
class Recorder {
    readonly recorded: RecordedResource[] = [];

    attach(monitor: MockMonitor): void {
        const register = monitor.registerResource.bind(monitor);
        const read = monitor.readResource.bind(monitor);
        monitor.registerResource = (req: Request, callback) => register(this.record(req, false), callback);
        monitor.readResource = (req: Request, callback) => read(this.record(req, true), callback);
    }

    /**
     * Records `req` and returns it for the monitor, its inputs already converted from protobuf:
     * the monitor's `deserializeProperties` would otherwise walk the same Struct again
     * (`toJavaScript`), a cost per registration (docs/benchmarks.md, "Start-up cost"). The
     * record is a copy (`mask` builds new objects), so the monitor may keep or change `raw`.
     */
    private record(req: Request, read: boolean): Request {
        const getInputs = read ? "getProperties" : "getObject";
        const raw = req[getInputs]!().toJavaScript();
        const converted = { toJavaScript: () => raw };
        const secretPaths: string[] = [];
        const provider = req.getProvider() ? req.getProvider().split("::").slice(0, -1).join("::") : undefined;
        this.recorded.push({
            urn: urnOf(req.getParent(), req.getType(), req.getName()),
            type: req.getType(),
            name: req.getName(),
            custom: read || (req.getCustom?.() ?? true),
            read,
            parent: req.getParent() || undefined,
            provider,
            dependencies: [...(req.getDependenciesList?.() ?? [])].sort(),
            inputs: mask(raw, "", secretPaths) as Record<string, unknown>,
            secretPaths,
            replaceOnChanges: [...(req.getReplaceonchangesList?.() ?? [])],
            ignoreChanges: [...(req.getIgnorechangesList?.() ?? [])],
            deleteBeforeReplace: req.getDeletebeforereplace?.() ?? false,
            additionalSecretOutputs: [...(req.getAdditionalsecretoutputsList?.() ?? [])],
        });
        return Object.create(req, { [getInputs]: { value: () => converted } }) as Request;
    }
}

function urnOf(parent: string, type: string, name: string): string {
    const qualified = parent ? `${parent.split("::")[2].split("$").pop()}$${type}` : type;
    return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${qualified}::${name}`;
}

function mask(value: unknown, path: string, secretPaths: string[]): unknown {
    if (value === UNKNOWN_VALUE) return UNKNOWN_MASK;
    if (Array.isArray(value)) return value.map((v, i) => mask(v, `${path}[${i}]`, secretPaths));
    if (value !== null && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        if (obj[SECRET_SIG] === SECRET_VALUE) {
            secretPaths.push(path);
            return SECRET_MASK;
        }
        // Resource references (e.g. a provider passed as an input) show as their URN.
        if (typeof obj[SECRET_SIG] === "string" && typeof obj.urn === "string") return obj.urn;
        return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, mask(v, path ? `${path}.${k}` : k, secretPaths)]));
    }
    return value;
}

const consoleWarn = console.warn;
const RUNTIME_WARNING = "warning: [runtime] ";

function collectInto(warnings: string[], fallback: typeof console.warn): typeof console.warn {
    return (...args: unknown[]) => {
        const text = args.map(String).join(" ");
        if (text.startsWith(RUNTIME_WARNING)) warnings.push(text.slice(RUNTIME_WARNING.length));
        else fallback(...args);
    };
}

// `Resource.callsites` is private in the SDK's type declarations (see `sourcePositions`).
const sdkResource = pulumi.Resource as unknown as { callsites: () => unknown[] };
const sdkCallsites = sdkResource.callsites;

let running = false;
let onUnhandled: ((reason: unknown) => void) | undefined;
const onUnhandledRejection = (reason: unknown) => onUnhandled?.(reason);

/**
 * Runs `program` against the in-process engine and returns every registration in order.
 * Only one program runs at a time: the SDK keeps its engine connection in global state.
 */
export async function runInProcess(program: () => unknown, options: EngineOptions = {}): Promise<RecordedResource[]> {
    if (running) throw new Error("runInProcess: another program is still running");
    running = true;
    const preview = options.preview ?? true;
    try {
        const mocks: pulumi.runtime.Mocks = {
            newResource: (args) => ({
                // As in `pulumi preview`, a resource to be created has no id yet (providers keep
                // one so their children can name them).
                id: args.id || (args.custom && !(preview && !args.type.startsWith("pulumi:providers:")) ? `${args.name}-id` : undefined),
                state: { ...args.inputs, ...options.state?.(args.type, args.name, args.inputs) },
            }),
            call: (args) => {
                const urn = args.provider?.split("::").slice(0, -1).join("::");
                const provider = urn === undefined ? undefined : recorder.recorded.find((r) => r.urn === urn)?.inputs;
                return options.call?.(args.token, args.inputs, provider) ?? {};
            },
        };
        const recorder = new Recorder();
        await pulumi.runtime.setMocks(mocks, options.project ?? "mesh-gateway", options.stack ?? "plan", preview);
        recorder.attach(getStore().settings.monitor as MockMonitor);
        // The Node.js language host ends a program at its first unhandled error (an input that
        // failed, say); resources waiting on the failed one would otherwise wait forever here.
        const failed = new Promise<never>((_, reject) => {
            onUnhandled = (reason) => reject(reason instanceof Error ? reason : new Error(String(reason)));
        });
        process.on("unhandledRejection", onUnhandledRejection);
        if (options.sourcePositions === false) sdkResource.callsites = () => [];
        if (options.warnings !== undefined) console.warn = collectInto(options.warnings, consoleWarn);
        await Promise.race([
            (async () => {
                await program();
                await waitForRPCs();
            })(),
            failed,
        ]);
        return recorder.recorded;
    } finally {
        sdkResource.callsites = sdkCallsites;
        console.warn = consoleWarn;
        process.off("unhandledRejection", onUnhandledRejection);
        onUnhandled = undefined;
        running = false;
    }
}
