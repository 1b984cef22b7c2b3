// A fleet arrives from a program, a YAML file or another language's SDK as whatever JavaScript
// values those made. Before any rule reads it, it is copied into plain data: objects with
// Object.prototype (a null-prototype object from a parser, `Object.create(null)`, becomes one),
// arrays, strings, finite numbers, booleans and null. What is not data is refused with its field
// path instead of being read wrong later: a Map or Set (every rule would see it empty), a Date,
// binary data, a class instance, a function, a BigInt, NaN or Infinity, a getter that throws, a
// cycle, a `__proto__` key. Keys whose value is `undefined` are left out, as Pulumi leaves them out
// of a resource's inputs. The copy is what the core works on: the caller's objects are never
// changed, and may be frozen.
//
// A Pulumi Output or a Promise (a "deferred" value) is kept as it is, but only where the fleet
// takes one: kubeconfigs, cloud ids and PEM text (`takesInput`). Elsewhere the value decides which
// resources exist, so it must be known when the component is constructed.
import { ConfigError, formatPath, type ConfigIssue, type PathSegment } from "./errors";

/** Deeper than any fleet (a Kubernetes affinity is about ten levels): nesting beyond is a mistake. */
export const MAX_DEPTH = 64;

/** Where a deferred value may stand: the path of a kubeconfig, cloud id or PEM field. */
export type TakesInput = (path: readonly PathSegment[]) => boolean;

/** A Pulumi Output or a Promise: what a program gives for a value known only later. */
export function isDeferred(value: unknown): boolean {
    if (value === null || typeof value !== "object") return false;
    const v = value as { then?: unknown; apply?: unknown };
    return typeof v.then === "function" || typeof v.apply === "function";
}

/**
 * `map[key]` when `map` has it as its own field. A user's key (a cluster id, host, subset or label
 * named `constructor` or `toString`) must not find a member of Object.prototype, which every plain
 * object inherits.
 */
export function ownValue<T>(map: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
    return map !== undefined && Object.hasOwn(map, key) ? map[key] : undefined;
}

/** The plain-data copy of `input`, or a ConfigError naming every value that is not data. */
export function plainInput(input: unknown, takesInput: TakesInput, subject?: string): unknown {
    const issues: ConfigIssue[] = [];
    const copy = new Copier(takesInput, issues).value(input, [], []);
    if (issues.length > 0) throw new ConfigError(issues, subject);
    return copy;
}

/** Why a value is not plain data, or undefined when it is a string, finite number, boolean or null. */
function scalarProblem(value: unknown): string | undefined {
    switch (typeof value) {
        case "number":
            return Number.isFinite(value) ? undefined : `is ${String(value)}, not a finite number`;
        case "bigint":
            return "is a BigInt: give a number";
        case "symbol":
            return "is a symbol, not data";
        case "function":
            return "is a function, not data";
        default:
            return undefined;
    }
}

/** Why an object is not a plain object or array (a Map, a Date, a class instance, …), or undefined. */
function objectProblem(value: object): string | undefined {
    if (Array.isArray(value)) return undefined;
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto === null || proto === Object.prototype) return undefined;
    if (value instanceof Map)
        return "is a Map, not a plain object: give an object (Object.fromEntries(map); in YAML a mapping, not !!omap or !!pairs)";
    if (value instanceof Set) return "is a Set, not a list: give an array ([...set]; in YAML a sequence, not !!set)";
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return "is binary data (a YAML !!binary value?), not text";
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
        const type = typeof value.valueOf();
        return `is a ${type} object (new ${value.constructor.name}(…)), not a ${type}: give the ${type} itself`;
    }
    if (value instanceof Date) return "is a Date, not text: give the text you mean (a YAML timestamp needs quotes)";
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    return `is ${typeof name === "string" && name !== "" ? `an instance of ${name}` : "an object with a prototype"}, not plain data: give a plain object ({ ...value } copies its own fields)`;
}

class Copier {
    constructor(
        private readonly takesInput: TakesInput,
        private readonly issues: ConfigIssue[],
    ) {}

    private refuse(path: readonly PathSegment[], message: string): undefined {
        this.issues.push({ path: formatPath(path), message });
        return undefined;
    }

    /** The copy of `value` at `path`; `ancestors` are the objects above it (a cycle returns to one). */
    value(value: unknown, path: PathSegment[], ancestors: { value: object; path: PathSegment[] }[]): unknown {
        if (this.takesInput(path)) return this.input(value, path);
        const problem = scalarProblem(value);
        if (problem !== undefined) return this.refuse(path, problem);
        if (value === null || typeof value !== "object") return value;
        if (isDeferred(value)) {
            return this.refuse(
                path,
                "is a Pulumi Output or a Promise; it must be a plain value known when the component is constructed, since it " +
                    "decides which resources exist (Outputs are taken for kubeconfigs, cloud ids and PEM text)",
            );
        }
        const loop = ancestors.find((a) => a.value === value);
        if (loop !== undefined)
            return this.refuse(path, `refers back to ${formatPath(loop.path) || "the top"}: a cycle, which data cannot have`);
        if (ancestors.length >= MAX_DEPTH) return this.refuse(path, `is nested more than ${MAX_DEPTH} levels deep`);
        const wrong = objectProblem(value);
        if (wrong !== undefined) return this.refuse(path, wrong);
        const below = [...ancestors, { value, path }];
        return Array.isArray(value) ? this.array(value, path, below) : this.object(value, path, below);
    }

    /** A field that takes a Pulumi input: a string, or an Output or Promise of one, kept as given. */
    private input(value: unknown, path: PathSegment[]): unknown {
        if (value === undefined || typeof value === "string" || isDeferred(value)) return value;
        const got =
            value === null ? "null" : Array.isArray(value) ? "a list" : typeof value === "object" ? "an object" : `a ${typeof value}`;
        return this.refuse(path, `must be a string, or a Pulumi Output or Promise of one (got ${got})`);
    }

    private array(value: unknown[], path: PathSegment[], ancestors: { value: object; path: PathSegment[] }[]): unknown[] | undefined {
        const length = this.read(path, () => value.length);
        if (!length.ok) return undefined;
        const out: unknown[] = [];
        for (let i = 0; i < length.value; i++) {
            const item = this.read([...path, i], () => value[i]);
            out.push(item.ok ? this.value(item.value, [...path, i], ancestors) : undefined);
        }
        return out;
    }

    private object(value: object, path: PathSegment[], ancestors: { value: object; path: PathSegment[] }[]): object | undefined {
        const keys = this.read(path, () => Object.keys(value));
        if (!keys.ok) return undefined;
        const out: Record<string, unknown> = {};
        for (const key of keys.value) {
            const at = [...path, key];
            if (key === "__proto__") {
                this.refuse(at, `"__proto__" cannot be a key: JavaScript reads it as the object's prototype`);
                continue;
            }
            const item = this.read(at, () => (value as Record<string, unknown>)[key]);
            if (!item.ok || item.value === undefined) continue;
            const copy = this.value(item.value, [...path, key], ancestors);
            if (copy !== undefined) out[key] = copy;
        }
        return out;
    }

    /** Reads a field, turning a getter or Proxy that throws into an issue at its path. */
    private read<T>(path: readonly PathSegment[], get: () => T): { ok: true; value: T } | { ok: false } {
        try {
            return { ok: true, value: get() };
        } catch (e) {
            this.refuse(path, `could not be read: ${e instanceof Error ? e.message : String(e)}`);
            return { ok: false };
        }
    }
}
