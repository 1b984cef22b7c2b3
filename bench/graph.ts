// The longest dependency chain among registered resources: how many registrations must happen
// one after another, whatever the parallelism. A resource waits for its explicit dependencies,
// its provider and its parent.
import type { RecordedResource } from "../offline/engine";

export interface CriticalPath {
    /** Number of resources on the longest chain (1 = nothing waits on anything). */
    length: number;
    /** Types along the chain, first registered first. */
    types: string[];
    /** Edge targets that are not registered resources (should be 0). */
    dangling: number;
}

export function waitsFor(r: RecordedResource): string[] {
    const out = new Set(r.dependencies);
    if (r.provider) out.add(r.provider);
    if (r.parent) out.add(r.parent);
    out.delete(r.urn);
    return [...out];
}

export function criticalPath(resources: readonly RecordedResource[]): CriticalPath {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const memo = new Map<string, string[]>();
    let dangling = 0;
    const visiting = new Set<string>();
    const chain = (urn: string): string[] => {
        const known = memo.get(urn);
        if (known) return known;
        if (visiting.has(urn)) throw new Error(`dependency cycle through ${urn}`);
        visiting.add(urn);
        let best: string[] = [];
        for (const dep of waitsFor(byUrn.get(urn)!)) {
            if (!byUrn.has(dep)) {
                dangling++;
                continue;
            }
            const c = chain(dep);
            if (c.length > best.length) best = c;
        }
        visiting.delete(urn);
        const result = [...best, urn];
        memo.set(urn, result);
        return result;
    };
    let longest: string[] = [];
    for (const r of resources) {
        const c = chain(r.urn);
        if (c.length > longest.length) longest = c;
    }
    return { length: longest.length, types: longest.map((u) => byUrn.get(u)!.type), dangling };
}
