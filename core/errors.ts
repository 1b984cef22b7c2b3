import { closest, distance } from "fastest-levenshtein";

// Errors users read: every one names the field path in their own config and the rule broken.

export interface ConfigIssue {
    /** Where in the user's config, e.g. `gateway.overrides["c3"].replicaCount`. */
    path: string;
    message: string;
}

export class ConfigError extends Error {
    readonly issues: ConfigIssue[];
    constructor(given: ConfigIssue[], subject = "configuration") {
        const issues = given.map((i) => ({ path: clipQuoted(i.path), message: clipQuoted(i.message) }));
        super(`invalid ${subject}:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join("\n")}`);
        this.name = "ConfigError";
        this.issues = issues;
    }
}

/** Quoted values longer than this are cut in messages: a PEM pasted into a name field must not flood the terminal. */
const QUOTED_MAX = 120;

/** `text` with every quoted value longer than QUOTED_MAX cut to its start and its length. */
export function clipQuoted(text: string): string {
    if (text.length <= QUOTED_MAX) return text;
    // A scan, not a regular expression: a pattern over a value of megabytes overflows the regex stack.
    let out = "";
    let from = 0;
    for (let open = text.indexOf('"'); open !== -1; open = text.indexOf('"', from)) {
        let close = open + 1;
        while (close < text.length && text[close] !== '"') close += text[close] === "\\" ? 2 : 1;
        if (close >= text.length) break;
        const inner = text.slice(open + 1, close);
        out +=
            text.slice(from, open) +
            (inner.length <= QUOTED_MAX ? `"${inner}"` : `"${inner.slice(0, QUOTED_MAX / 2)}…" (${inner.length} characters)`);
        from = close + 1;
    }
    return out + text.slice(from);
}

export type PathSegment = string | number | { key: string };

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Fields whose children are user-chosen keys, shown quoted: `overrides["c3"]`, `podLabels["app"]`. */
const MAP_FIELDS = new Set([
    "overrides",
    "serviceAnnotations",
    "serviceLabels",
    "podLabels",
    "podAnnotations",
    "nodeSelector",
    "parameters",
    "labels",
    "annotations",
    "limits",
    "requests",
    "tags",
]);

export function formatPath(segments: readonly PathSegment[]): string {
    let out = "";
    segments.forEach((seg, i) => {
        const prev = segments[i - 1];
        if (typeof seg === "number") out += `[${seg}]`;
        else if (typeof seg === "object") out += `[${JSON.stringify(seg.key)}]`;
        else if (typeof prev === "string" && MAP_FIELDS.has(prev)) out += `[${JSON.stringify(seg)}]`;
        else if (!IDENTIFIER.test(seg)) out += `[${JSON.stringify(seg)}]`;
        else out += out === "" ? seg : `.${seg}`;
    });
    return out;
}

/** Turns a JSON pointer (`/gateway/ports/0/name`) into path segments. */
export function pointerToSegments(pointer: string): PathSegment[] {
    if (pointer === "") return [];
    return (
        pointer
            .slice(1)
            .split("/")
            .map((raw) => raw.replace(/~1/g, "/").replace(/~0/g, "~"))
            // A digit-only key of a map (cluster "007", label "123") is a key, not an array index.
            .map((seg, i, all) =>
                /^\d+$/.test(seg) && !MAP_FIELDS.has(all[i - 1]) ? Number(seg) : MAP_FIELDS.has(all[i - 1]) ? { key: seg } : seg,
            )
    );
}

/** Collects issues while a validator walks a config; throws them all at once. */
export class IssueList {
    readonly issues: ConfigIssue[] = [];
    readonly warnings: ConfigIssue[] = [];
    // A base-spec rule is checked once per cluster that inherits it; it is reported once.
    add(path: readonly PathSegment[], message: string): void {
        push(this.issues, { path: formatPath(path), message });
    }
    warn(path: readonly PathSegment[], message: string): void {
        push(this.warnings, { path: formatPath(path), message });
    }
    warnRaw(issue: ConfigIssue): void {
        push(this.warnings, issue);
    }
    throwIfAny(subject?: string): void {
        if (this.issues.length > 0) throw new ConfigError(this.issues, subject);
    }
}

function push(list: ConfigIssue[], given: ConfigIssue): void {
    const issue = { path: clipQuoted(given.path), message: clipQuoted(given.message) };
    // Few issues per config: a linear scan is cheaper than keeping a set beside the list.
    if (!list.some((i) => i.path === issue.path && i.message === issue.message)) list.push(issue);
}

/** The closest of `candidates` to `word`, for "did you mean" hints on typos; none if nothing is near. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
    if (candidates.length === 0) return undefined;
    const best = closest(word, [...candidates]);
    return distance(word.toLowerCase(), best.toLowerCase()) <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}
