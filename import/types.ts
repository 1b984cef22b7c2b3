// What an importer reads and reports: Kubernetes objects in, fleet config pieces out, and every
// setting that could not be carried over, per object, with its path and the reason.
import type { CertificateSpec, SecuritySpec } from "../core/edge";
import type { RoutingSpec } from "../core/routing";
import type { ExternalTrafficPolicy } from "../core/spec";

/** A Kubernetes object as read from YAML: only the fields every kind has are typed. */
export interface KubeDocument {
    apiVersion?: string;
    kind?: string;
    metadata?: { name?: string; namespace?: string; annotations?: Record<string, string>; labels?: Record<string, string> };
    spec?: unknown;
    /** Where it was read: `file.yaml#2` (the document's index in the file). */
    source: string;
}

/** A setting of an input object that the fleet config does not reproduce. */
export interface Dropped {
    /** `Ingress shop/web (in.yaml#0)`. */
    object: string;
    /** Field path in that object, e.g. `metadata.annotations["nginx.ingress.kubernetes.io/limit-rps"]`. */
    path: string;
    reason: string;
}

/** Something the user must do for the imported config to behave like the input (not a dropped setting). */
export interface Note {
    object: string;
    path: string;
    message: string;
}

/** The parts of a fleet config an importer produces. */
export interface Imported {
    routing: RoutingSpec;
    certificates: CertificateSpec[];
    security?: SecuritySpec;
    /** Set when IP lists need the client address at the gateway. */
    externalTrafficPolicy?: ExternalTrafficPolicy;
    dropped: Dropped[];
    notes: Note[];
}

export function describeObject(d: KubeDocument): string {
    const ns = d.metadata?.namespace ?? "default";
    return `${d.kind ?? "?"} ${ns}/${d.metadata?.name ?? "?"} (${d.source})`;
}

/** `metadata.annotations["…"]`, as the validation messages write map keys. */
export function annotationPath(key: string): string {
    return `metadata.annotations[${JSON.stringify(key)}]`;
}

/** A DNS label from any text: lower case, `-` for anything else, at most 63 characters. */
export function label(text: string, fallback = "route"): string {
    const s = text
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, "-")
        .replace(/-+/g, "-")
        .replace(/^-|-$/g, "")
        .slice(0, 55)
        .replace(/-$/, "");
    return s === "" ? fallback : s;
}

/** Gives each name once: `web`, `web-2`, `web-3`. */
export class Names {
    private readonly used = new Set<string>();
    take(base: string): string {
        let name = base;
        for (let i = 2; this.used.has(name); i++) name = `${base}-${i}`;
        this.used.add(name);
        return name;
    }
}
