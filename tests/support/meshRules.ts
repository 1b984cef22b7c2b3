// Checks a planned fleet's routing and security objects the way Istio reads them, written from
// Istio's and Gateway API's source independently of the product's own code (a shared mistake
// would otherwise pass): DestinationRule lookup, JWT issuer binding, virtual host names, the
// versions the target mesh reads, IST0133 (DENY/CUSTOM rules with only HTTP attributes) and
// IST0151 (relative EnvoyFilter patches without priority).
import * as fs from "fs";
import YAML from "yaml";
import type { FleetPlan } from "../../core/plan";
import type { KubeObject } from "../../core/render/common";
import { upstreamCrdFiles } from "../../scripts/upstream";
import type { Obj } from "./objects";

/** The mesh root namespace of a default install (meshConfig.rootNamespace). */
const ROOT_NAMESPACE = "istio-system";

/** What a target Istio reads TCPRoute and TLSRoute at (pkg/config/schema/gvk/resources.gen.go per release branch). */
export function istioReads(kind: string, istioMinor: number): string | undefined {
    if (kind === "TCPRoute") return istioMinor >= 31 ? "v1" : "v1alpha2";
    if (kind === "TLSRoute") return istioMinor >= 30 ? "v1" : "v1alpha2";
    return undefined;
}

let served: Set<string> | undefined;
/** `group/version/Kind` the pinned CRDs (Istio 1.31 line, Gateway API v1.6 standard) serve. */
function servedByPinnedCrds(): Set<string> {
    if (served !== undefined) return served;
    served = new Set();
    for (const file of upstreamCrdFiles()) {
        for (const doc of YAML.parseAllDocuments(fs.readFileSync(file, "utf8"))) {
            const crd = doc.toJS() as {
                kind?: string;
                spec?: { group: string; names: { kind: string }; versions: { name: string; served: boolean }[] };
            } | null;
            if (crd?.kind !== "CustomResourceDefinition" || crd.spec === undefined) continue;
            for (const v of crd.spec.versions) if (v.served) served.add(`${crd.spec.group}/${v.name}/${crd.spec.names.kind}`);
        }
    }
    return served;
}

/** Istio's host.Name SubsetOf: `a` is covered by `b`. */
function subsetOf(a: string, b: string): boolean {
    if (b === "*" || a === b) return true;
    if (!b.startsWith("*.")) return false;
    const suffix = b.slice(1);
    return a.startsWith("*.") ? a.slice(1).endsWith(suffix) : a.endsWith(suffix);
}

/** host.Names ordering (pkg/config/host/names.go MoreSpecific): longest first, alphabetical, wildcards last. */
function moreSpecificFirst(a: string, b: string): number {
    const [wa, wb] = [a.startsWith("*"), b.startsWith("*")];
    if (wa !== wb) return wa ? 1 : -1;
    return a.length !== b.length ? b.length - a.length : a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The virtual host names Istio builds on a gateway (buildGatewayHTTPRouteConfig): `<more specific
 * host>:<port>`, each with what makes a patch on it wrong, if anything: a virtual host that
 * redirects every request (`require_tls`), or that Istio merged with others of the same route
 * configuration because their routes are the same (collapseDuplicateRoutes; the merged ones are
 * not built at all). Istio API: plain-text HTTP servers of one port share a route configuration,
 * an HTTPS server has its own (gatewayRDSRouteName). Gateway API: every listener is a Gateway of
 * its own, whose routes no other listener shares.
 */
function builtVhosts(objects: Obj[], gatewayNamespace: string): Map<string, string | undefined> {
    const names = new Map<string, string | undefined>();
    const intersect = (serverHosts: string[], routeHosts: string[]) =>
        serverHosts
            .flatMap((s) => routeHosts.flatMap((r) => (subsetOf(s, r) ? [s] : subsetOf(r, s) ? [r] : [])))
            .map((h) => h.toLowerCase());
    for (const gw of objects.filter((o) => o.kind === "Gateway" && o.apiVersion.startsWith("networking.istio.io"))) {
        const ref = `${gw.metadata.namespace}/${gw.metadata.name}`;
        const vss = objects.filter(
            (o) => o.kind === "VirtualService" && (o.spec.gateways ?? []).includes(ref) && o.spec.http !== undefined,
        );
        const configs = new Map<string, { port: number; vhosts: Map<string, { routes: string[]; requireTls: boolean }> }>();
        for (const server of gw.spec.servers ?? []) {
            if (!["HTTP", "HTTPS", "HTTP2", "GRPC"].includes(server.port.protocol)) continue;
            const rc = server.port.protocol === "HTTPS" ? `https.${server.port.number}.${server.port.name}` : `http.${server.port.number}`;
            const config = configs.get(rc) ?? configs.set(rc, { port: server.port.number, vhosts: new Map() }).get(rc)!;
            const vhost = (h: string) => config.vhosts.get(h) ?? config.vhosts.set(h, { routes: [], requireTls: false }).get(h)!;
            const redirect = server.tls?.httpsRedirect === true;
            for (const vs of vss) {
                for (const h of new Set(intersect(server.hosts, vs.spec.hosts))) {
                    vhost(h).routes.push(...vs.spec.http.map((_: unknown, i: number) => `${vs.metadata.name}#${i}`));
                    if (redirect) vhost(h).requireTls = true;
                }
            }
            if (redirect) for (const h of server.hosts) vhost(h.toLowerCase()).requireTls = true;
        }
        for (const { port, vhosts } of configs.values()) {
            const groups = new Map<string, string[]>();
            for (const [h, v] of vhosts) {
                const key = `${v.requireTls}|${v.routes.join(",")}`;
                groups.set(key, [...(groups.get(key) ?? []), h]);
            }
            for (const group of groups.values()) {
                const [primary, ...merged] = group.sort(moreSpecificFirst);
                const redirects = vhosts.get(primary)!.requireTls ? "redirects every request to HTTPS (require_tls)" : undefined;
                const mergedNote =
                    merged.length > 0 ? `serves ${merged.join(", ")} too (Istio merged their virtual hosts: same routes)` : undefined;
                names.set(`${primary}:${port}`, [redirects, mergedNote].filter((x) => x !== undefined).join("; ") || undefined);
            }
        }
    }
    for (const gw of objects.filter((o) => o.kind === "Gateway" && o.apiVersion.startsWith("gateway.networking.k8s.io"))) {
        for (const l of gw.spec.listeners ?? []) {
            if (!["HTTP", "HTTPS"].includes(l.protocol)) continue;
            for (const route of objects.filter(
                (o) =>
                    o.kind === "HTTPRoute" &&
                    o.spec.parentRefs.some(
                        (p: { name: string; sectionName?: string }) => p.name === gw.metadata.name && (p.sectionName ?? l.name) === l.name,
                    ),
            )) {
                for (const h of intersect([l.hostname ?? "*"], route.spec.hostnames?.length ? route.spec.hostnames : ["*"]))
                    if (!names.has(`${h}:${l.port}`)) names.set(`${h}:${l.port}`, undefined);
            }
        }
    }
    void gatewayNamespace;
    return names;
}

/** Whether a DestinationRule is one the gateway's proxy finds (destinationRule() in push_context.go). */
function visibleToGateway(dr: Obj, gatewayNamespace: string): boolean {
    const ns = dr.metadata.namespace!;
    const exportTo: string[] = dr.spec.exportTo ?? ["*"];
    const exported = exportTo.includes("*") || exportTo.includes(gatewayNamespace) || (exportTo.includes(".") && ns === gatewayNamespace);
    if (ns === gatewayNamespace) return true;
    const serviceNamespace = /^[^.]+\.([^.]+)\.svc\.cluster\.local$/.exec(dr.spec.host)?.[1];
    return exported && (ns === serviceNamespace || ns === ROOT_NAMESPACE);
}

const HTTP_ONLY_SOURCE = ["requestPrincipals", "notRequestPrincipals"];
const TCP_SOURCE = [
    "principals",
    "notPrincipals",
    "namespaces",
    "notNamespaces",
    "ipBlocks",
    "notIpBlocks",
    "remoteIpBlocks",
    "notRemoteIpBlocks",
    "serviceAccounts",
    "notServiceAccounts",
];

/** Every problem found in a plan's routing and security objects, each naming the object. */
export function meshRuleProblems(
    plan: FleetPlan,
    target: { istioMinor: number } = { istioMinor: 31 },
    ignore: (o: KubeObject) => boolean = () => false,
): string[] {
    const problems: string[] = [];
    const scopes = plan.mode === "asm" ? [plan.controlPlaneObjects] : plan.clusters.map((c) => c.objects);
    for (const objects of scopes as Obj[][]) {
        const id = (o: Obj) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`;
        const drs = objects.filter((o) => o.kind === "DestinationRule");
        for (const dr of drs)
            if (!visibleToGateway(dr, plan.namespace)) problems.push(`${id(dr)}: the gateway in ${plan.namespace} never reads it`);
        for (const vs of objects.filter((o) => o.kind === "VirtualService")) {
            const dests = [...(vs.spec.http ?? []), ...(vs.spec.tcp ?? []), ...(vs.spec.tls ?? [])].flatMap(
                (r: { route?: { destination: { host: string; subset?: string } }[] }) => (r.route ?? []).map((x) => x.destination),
            );
            for (const d of dests.filter((x) => x.subset !== undefined)) {
                const found = drs.some(
                    (dr) =>
                        dr.spec.host === d.host &&
                        visibleToGateway(dr, plan.namespace) &&
                        (dr.spec.subsets ?? []).some((s: { name: string }) => s.name === d.subset),
                );
                if (!found)
                    problems.push(
                        `${id(vs)}: subset ${d.subset} of ${d.host} is in no DestinationRule the gateway reads (503 cluster_not_found)`,
                    );
            }
        }
        const issuers = new Set(
            objects
                .filter((o) => o.kind === "RequestAuthentication")
                .flatMap((o) => o.spec.jwtRules.map((r: { issuer: string }) => r.issuer)),
        );
        for (const ap of objects.filter((o) => o.kind === "AuthorizationPolicy")) {
            for (const rule of ap.spec.rules ?? []) {
                for (const from of rule.from ?? []) {
                    for (const p of [...(from.source.notRequestPrincipals ?? []), ...(from.source.requestPrincipals ?? [])]) {
                        const iss = p.endsWith("/*") ? p.slice(0, -2) : undefined;
                        if (iss === undefined || !issuers.has(iss))
                            problems.push(
                                `${id(ap)}: notRequestPrincipals ${p} is not bound to one issuer of the RequestAuthentication (a token of any issuer would pass)`,
                            );
                    }
                }
                // An audience condition means something only for the tokens of one issuer.
                const audiences = (rule.when ?? []).filter((w: { key: string }) => w.key === "request.auth.audiences");
                const principals: string[] = (rule.from ?? []).flatMap(
                    (f: { source: { requestPrincipals?: string[] } }) => f.source.requestPrincipals ?? [],
                );
                if (audiences.length > 0 && (principals.length !== 1 || rule.from.length !== 1))
                    problems.push(
                        `${id(ap)}: an audience condition not bound to the principals of one issuer (requestPrincipals ["<iss>/*"])`,
                    );
                // IST0133, as Istio's AuthorizationPolicy validation decides it.
                if (ap.spec.action === "DENY" || ap.spec.action === "CUSTOM") {
                    const from = (rule.from ?? []).map((f: { source: Record<string, unknown> }) => f.source);
                    const tcpFrom = from.some((s: Record<string, unknown>) => TCP_SOURCE.some((k) => s[k] !== undefined));
                    const to = (rule.to ?? []).map((t: { operation: Record<string, unknown> }) => t.operation);
                    const tcpTo = to.some((o: Record<string, unknown>) => o.ports !== undefined || o.notPorts !== undefined);
                    const httpOnly =
                        (from.length > 0 &&
                            to.length === 0 &&
                            !tcpFrom &&
                            from.some((s: Record<string, unknown>) => HTTP_ONLY_SOURCE.some((k) => s[k] !== undefined))) ||
                        (to.length > 0 && !tcpTo);
                    if (httpOnly || (rule.from === undefined && rule.to === undefined))
                        problems.push(
                            `${id(ap)}: a ${ap.spec.action} rule with only HTTP attributes applies to every TCP connection in scope (IST0133)`,
                        );
                }
            }
        }
        const vhosts = builtVhosts(objects, plan.namespace);
        for (const ef of objects.filter((o) => o.kind === "EnvoyFilter" && !ignore(o))) {
            for (const patch of ef.spec.configPatches) {
                if (["INSERT_BEFORE", "INSERT_AFTER", "REPLACE", "REMOVE"].includes(patch.patch.operation) && !ef.spec.priority) {
                    problems.push(`${id(ef)}: relative ${patch.patch.operation} without priority (IST0151)`);
                }
                const vhost = patch.match?.routeConfiguration?.vhost?.name;
                if (vhost !== undefined && !vhosts.has(vhost))
                    problems.push(
                        `${id(ef)}: patches virtual host ${vhost}, which Istio does not build (it builds ${[...vhosts.keys()].join(", ") || "none"})`,
                    );
                else if (vhost !== undefined && vhosts.get(vhost) !== undefined)
                    problems.push(`${id(ef)}: patches virtual host ${vhost}, which ${vhosts.get(vhost)}`);
            }
        }
        for (const o of objects.filter((x) => x.apiVersion.startsWith("gateway.networking.k8s.io/"))) {
            const [group, version] = o.apiVersion.split("/");
            const reads = istioReads(o.kind, target.istioMinor);
            if (reads !== undefined && reads !== version)
                problems.push(`${id(o)}: written at ${version}, Istio 1.${target.istioMinor} reads ${o.kind} at ${reads}`);
            if (target.istioMinor >= 31 && !servedByPinnedCrds().has(`${group}/${version}/${o.kind}`))
                problems.push(`${id(o)}: ${o.apiVersion} is not served by the Gateway API v1.6 CRDs`);
        }
    }
    return problems;
}

/** A request as an AuthorizationPolicy sees it at the gateway. */
export interface GatewayRequest {
    host: string;
    path: string;
    /** The gateway container port the connection arrived on. */
    port: number;
    /** `<issuer>/<subject>` of a validated token, if any. */
    principal?: string;
    /** The token's `aud`: a string or a list, as the token has it. */
    audiences?: string | string[];
    /** False for a TCP or TLS passthrough connection (no HTTP attributes). */
    http?: boolean;
    /** The client's IPv4 address as the gateway sees it. */
    ip: string;
}

function inCidr(ip: string, cidr: string): boolean {
    const [base, bits = "32"] = cidr.split("/");
    const n = (a: string) => a.split(".").reduce((x, o) => x * 256 + Number(o), 0);
    const size = 2 ** (32 - Number(bits));
    return Math.floor(n(ip) / size) === Math.floor(n(base) / size);
}

function policyValueMatches(pattern: string, value: string): boolean {
    if (pattern === "*") return value !== "";
    if (pattern.endsWith("*")) return value.startsWith(pattern.slice(0, -1));
    if (pattern.startsWith("*")) return value.endsWith(pattern.slice(1));
    return pattern === value;
}

/**
 * A `when` condition, as Istio builds it (pilot/pkg/security/authz/model/model.go, generator.go).
 * `request.auth.audiences` is the token's `aud` claim, a string or a list: a value matches when
 * it equals the string or one element of the list; absent (no token), no value matches.
 */
function conditionMatches(when: { key: string; values?: string[]; notValues?: string[] }, req: GatewayRequest): boolean {
    if (when.key !== "request.auth.audiences") throw new Error(`the request model does not know the condition ${when.key}`);
    const aud = req.audiences === undefined ? [] : typeof req.audiences === "string" ? [req.audiences] : req.audiences;
    const any = (values: string[]) => values.some((v) => aud.some((a) => policyValueMatches(v, a)));
    if (when.values !== undefined && !any(when.values)) return false;
    if (when.notValues !== undefined && any(when.notValues)) return false;
    return true;
}

/**
 * Whether the DENY AuthorizationPolicies among `objects` deny `req` (Istio semantics: a rule
 * matches when all its fields match; a field with HTTP attributes never matches a TCP
 * connection's attributes, except that a DENY rule's HTTP attributes are dropped there, so the
 * rest of the rule decides).
 */
export function denied(objects: KubeObject[], req: GatewayRequest): boolean {
    const http = req.http !== false;
    return (objects as Obj[])
        .filter((o) => o.kind === "AuthorizationPolicy" && o.spec.action === "DENY")
        .some((ap) =>
            (ap.spec.rules ?? []).some(
                (rule: {
                    from?: { source: Record<string, string[]> }[];
                    to?: { operation: Record<string, string[]> }[];
                    when?: { key: string; values?: string[]; notValues?: string[] }[];
                }) => {
                    // HTTP-only conditions are dropped from a DENY rule on a TCP connection.
                    const whenOk = !http || (rule.when ?? []).every((w) => conditionMatches(w, req));
                    const fromOk =
                        rule.from === undefined ||
                        rule.from.some(({ source }) => {
                            const principal = req.principal ?? "";
                            if (source.ipBlocks !== undefined && !source.ipBlocks.some((c) => inCidr(req.ip, c))) return false;
                            if (source.notIpBlocks !== undefined && source.notIpBlocks.some((c) => inCidr(req.ip, c))) return false;
                            if (
                                source.notRequestPrincipals !== undefined &&
                                http &&
                                source.notRequestPrincipals.some((p) => policyValueMatches(p, principal))
                            )
                                return false;
                            if (
                                source.requestPrincipals !== undefined &&
                                http &&
                                !source.requestPrincipals.some((p) => policyValueMatches(p, principal))
                            )
                                return false;
                            return true;
                        });
                    const toOk =
                        rule.to === undefined ||
                        rule.to.some(({ operation }) => {
                            if (operation.ports !== undefined && !operation.ports.includes(String(req.port))) return false;
                            if (!http) return true;
                            if (
                                operation.hosts !== undefined &&
                                !operation.hosts.some((h) => policyValueMatches(h.toLowerCase(), req.host.toLowerCase()))
                            )
                                return false;
                            if (operation.paths !== undefined && !operation.paths.some((p) => policyValueMatches(p, req.path)))
                                return false;
                            return true;
                        });
                    return fromOk && toOk && whenOk;
                },
            ),
        );
}

/**
 * Whether the gateway's JWT filter refuses `req` (401): it carries a token no rule of the
 * workload's RequestAuthentication accepts, whatever the rules' scopes (Istio builds one Envoy
 * jwt_authn requirement for every path from all of them, `convertToEnvoyJwtConfig` in
 * pilot/pkg/security/authn/policy_applier.go; a rule checks the issuer, and the audiences when
 * it lists some, one of the token's sufficing).
 */
export function jwtFilterRefuses(objects: KubeObject[], req: GatewayRequest): boolean {
    if (req.principal === undefined || req.http === false) return false;
    const issuer = req.principal.slice(0, req.principal.lastIndexOf("/"));
    // Envoy compares audiences without one leading http:// or https:// and one trailing slash
    // (envoyproxy/envoy source/common/jwt/check_audience.cc).
    const bare = (a: string) => a.replace(/^https?:\/\//, "").replace(/\/$/, "");
    const aud = (req.audiences === undefined ? [] : typeof req.audiences === "string" ? [req.audiences] : req.audiences).map(bare);
    const rules = (objects as Obj[])
        .filter((o) => o.kind === "RequestAuthentication")
        .flatMap((o) => o.spec.jwtRules as { issuer: string; audiences?: string[] }[]);
    return !rules.some((r) => r.issuer === issuer && ((r.audiences ?? []).length === 0 || r.audiences!.some((a) => aud.includes(bare(a)))));
}
