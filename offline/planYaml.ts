// The plan's YAML files, written directly. The `yaml` library's stringify spends about 2 ms per
// Kubernetes object (a document model per object, every scalar tested against every tag and
// folded), which made writing a plan's files as costly as loading our own modules
// (docs/benchmarks.md, "Start-up cost"). This writer produces the very text of
// `YAML.stringify(value, { version: "1.1", sortMapEntries: false })` for the values a plan holds,
// and says so by returning undefined for anything it does not settle with certainty (a string
// that the library would fold or write as a block, a fraction, a non-ASCII character...), for
// which the caller uses the library. tests/plan-yaml.test.ts compares the two.
import YAML from "yaml";

/** The options the plan's files are written with (YAML 1.1 quoting: kubectl reads a bare `on` as a boolean). */
export const PLAN_YAML_OPTIONS = { sortMapEntries: false, version: "1.1" } as const;

/** `YAML.stringify(value, PLAN_YAML_OPTIONS)` for a plain object, or undefined where this writer does not decide. */
export function planYaml(value: unknown): string | undefined {
    if (!isPlainObject(value) || Object.keys(value).length === 0) return undefined;
    const lines: string[] = [];
    return writeMap(value, "", "", lines) ? lines.join("\n") + "\n" : undefined;
}

/**
 * When the library would not fold a scalar written at `column` (the column of its key or dash):
 * its `foldFlowLines` (width 80, minimum content 20) leaves alone any text of at most
 * max(21, 81 - indent) characters, the indent being the column plus 2; and a plain or
 * single-quoted value without a space, after a key of at most 50 characters, has nowhere to fold.
 */
function foldFree(text: string, column: number, key?: string): boolean {
    if (text.length <= Math.max(20, 78 - column)) return true;
    return key !== undefined && key.length <= 50 && !text.startsWith('"') && !text.includes(" ");
}

/**
 * YAML 1.1 scalars a plain string would be read as (null, booleans, numbers, timestamps, merge
 * keys): the resolvers of the library's own 1.1 schema, so the quoting decision is the one it makes.
 */
let ambiguousTests: RegExp[] | undefined;

function ambiguous(s: string): boolean {
    ambiguousTests ??= new YAML.Document(null, { version: "1.1" }).schema.tags.flatMap((t) =>
        t.default === true && t.tag !== "tag:yaml.org,2002:str" && t.test !== undefined ? [t.test] : [],
    );
    return ambiguousTests.some((re) => re.test(s));
}

// The YAML spec's plain-scalar restrictions for one printable line: an indicator first, a lone
// or spaced `-`/`?`, `: ` or ` #` inside, a trailing space or colon.
const NOT_PLAIN = /^[ ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-] |: | #|[ :]$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
// A line starting a directive or a document marker is written differently at each depth.
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/;

/** A string as the library writes it (key or value), or undefined where it might fold or escape. */
function stringScalar(s: string): string | undefined {
    if (!PRINTABLE_ASCII.test(s) || DOCUMENT_MARKER.test(s)) return undefined;
    if (!NOT_PLAIN.test(s) && !ambiguous(s)) return s;
    // Quoted: single quotes when that spares escaping a double quote, else JSON-style double quotes
    // (for printable ASCII, the library's double-quoted form is exactly JSON's).
    if (s.includes('"') && !s.includes("'")) return `'${s}'`;
    return JSON.stringify(s);
}

function scalar(value: unknown): string | undefined {
    if (typeof value === "string") return stringScalar(value);
    if (typeof value === "number") return Number.isSafeInteger(value) && !Object.is(value, -0) ? String(value) : undefined;
    if (typeof value === "boolean") return value ? "true" : "false";
    if (value === null) return "null";
    return undefined;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
    const proto = Object.getPrototypeOf(v) as unknown;
    return proto === Object.prototype || proto === null;
}

/** Non-empty maps and sequences open a block; empty ones are written inline (`{}`, `[]`). */
function isBlock(v: unknown): boolean {
    return Array.isArray(v) ? v.length > 0 : isPlainObject(v) && Object.keys(v).length > 0;
}

function inline(v: unknown): string | undefined {
    if (Array.isArray(v)) return "[]";
    if (isPlainObject(v)) return "{}";
    return scalar(v);
}

/**
 * Appends a block map whose keys sit at `indent`; the first line starts with `first` instead
 * (a sequence's `- `). False when a value needs the library.
 */
function writeMap(map: Record<string, unknown>, first: string, indent: string, lines: string[]): boolean {
    let lead = first;
    for (const [k, v] of Object.entries(map)) {
        const key = stringScalar(k);
        if (key === undefined || key.length > 100 || v === undefined) return false;
        if (isBlock(v)) {
            lines.push(`${lead}${key}:`);
            const child = indent + "  ";
            if (!(Array.isArray(v) ? writeSeq(v, child, lines) : writeMap(v as Record<string, unknown>, child, child, lines))) return false;
        } else {
            const text = inline(v);
            if (text === undefined || !foldFree(text, indent.length, key)) return false;
            lines.push(`${lead}${key}: ${text}`);
        }
        lead = indent;
    }
    return true;
}

/** Appends a block sequence whose dashes sit at `indent`. */
function writeSeq(seq: unknown[], indent: string, lines: string[]): boolean {
    for (const item of seq) {
        if (isBlock(item)) {
            const ok = Array.isArray(item)
                ? writeNestedSeq(item, indent, lines)
                : writeMap(item as Record<string, unknown>, `${indent}- `, indent + "  ", lines);
            if (!ok) return false;
        } else {
            const text = inline(item);
            if (text === undefined || !foldFree(text, indent.length)) return false;
            lines.push(`${indent}- ${text}`);
        }
    }
    return true;
}

/** A sequence inside a sequence: its first item shares the outer dash's line (`- - a`). */
function writeNestedSeq(seq: unknown[], indent: string, lines: string[]): boolean {
    const start = lines.length;
    if (!writeSeq(seq, indent + "  ", lines)) return false;
    lines[start] = `${indent}- ${lines[start].slice(indent.length + 2)}`;
    return true;
}
