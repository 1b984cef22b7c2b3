// What Kubernetes accepts as names, label values and annotation keys (apimachinery's validation
// in k8s.io/apimachinery/pkg/util/validation), for the rules that check them before the API server would.
import type { IssueList, PathSegment } from "./errors";

export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Refuses label or annotation keys Kubernetes would: `[prefix/]name`, name a qualified name of at most 63, prefix a DNS subdomain. */
export function checkKeys(map: Record<string, string> | undefined, path: PathSegment[], what: string, list: IssueList): void {
    for (const key of Object.keys(map ?? {})) {
        const slash = key.lastIndexOf("/");
        const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
        const name = slash >= 0 ? key.slice(slash + 1) : key;
        const ok =
            QUALIFIED_NAME.test(name) &&
            name.length <= 63 &&
            (prefix === undefined || (DNS_SUBDOMAIN.test(prefix) && prefix.length <= 253));
        if (!ok)
            list.add(
                [...path, key],
                `"${key}" is not a valid ${what} key ([prefix/]name: name of at most 63 letters, digits, '-', '_', '.')`,
            );
    }
}
