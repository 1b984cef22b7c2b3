// Distinctive secret values and a check that none of them appears in plain text. Add new kinds
// of secrets (TLS private keys, DNS API tokens, …) to SECRET_KINDS as the component grows them.
import * as fs from "fs";
import * as path from "path";

export interface SecretValue {
    /** What it is, for failure messages: "kubeconfig of c1 (plain string)". */
    label: string;
    value: string;
}

/** Kinds of secrets the component handles; each test fleet uses every kind. */
export const SECRET_KINDS = ["cluster kubeconfig", "control-plane kubeconfig", "ACK credential"] as const;

let counter = 0;
/** A value no other part of a plan could contain by accident. */
export function secretValue(label: string): SecretValue {
    counter++;
    const tag = `S3CR3T-${counter}-${Math.random().toString(36).slice(2, 10)}`;
    return { label, value: `apiVersion: v1\nkind: Config\nusers:\n- name: admin\n  user:\n    token: ${tag}\n` };
}

/** Fragments to search for: the whole value and its distinctive token (in case it is re-encoded). */
function needles(s: SecretValue): string[] {
    const token = /token: (\S+)/.exec(s.value)?.[1];
    return token ? [s.value, token, Buffer.from(s.value).toString("base64")] : [s.value];
}

/** Every secret found in `text`, with where it was found. */
export function leaks(text: string, secrets: readonly SecretValue[], where: string): string[] {
    return secrets.flatMap((s) => (needles(s).some((n) => text.includes(n)) ? [`${s.label} in ${where}`] : []));
}

/** Every file under `dir`, recursively. */
export function filesUnder(dir: string): string[] {
    return fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}
