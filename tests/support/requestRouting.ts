// Where a request goes, decided two ways from documented semantics and nothing of the product's:
// - `nginxOutcome` reads Ingress objects as the NGINX Ingress Controller serves them (one server
//   per host, one location per path, Prefix paths as `/p/` plus `= /p`, regex locations when any
//   Ingress of the host uses `use-regex` or `rewrite-target`, longest path first, canaries per
//   upstream: header, then weight), following ingress-nginx's controller and template code.
// - `istioOutcome` reads Istio Gateway and VirtualService objects as Istio and Envoy serve them
//   (servers per port, one virtual host per route host, exact host before the longest wildcard,
//   the first matching route wins, RE2 regexes match the whole path).
// The import test runs the input through one and the objects the product renders through the
// other, so a translation mistake shows as two different outcomes.

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface TestRequest {
    host: string;
    /** Path with an optional query. */
    path: string;
    headers?: Record<string, string>;
    /** Sent over TLS (port 443, SNI = host); plain HTTP on port 80 otherwise. */
    tls?: boolean;
}

/** `backend shop/web:80=90,shop/web-canary:80=10 /path`, `redirect https`, `redirect 301 /x/`, `passthrough …`, `404`. */
export type Outcome = string;

function backendsText(list: { key: string; weight: number }[]): string {
    const merged = new Map<string, number>();
    for (const b of list) if (b.weight > 0) merged.set(b.key, (merged.get(b.key) ?? 0) + b.weight);
    return [...merged]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, w]) => `${k}=${w}`)
        .join(",");
}

function splitPath(p: string): { path: string; query: string } {
    const i = p.indexOf("?");
    return i < 0 ? { path: p, query: "" } : { path: p.slice(0, i), query: p.slice(i) };
}

/** An RE2 pattern as a JavaScript RegExp: a leading `(?i)` becomes the `i` flag. */
function re2(pattern: string, anchored: boolean): RegExp {
    const insensitive = pattern.startsWith("(?i)");
    const body = insensitive ? pattern.slice(4) : pattern;
    return new RegExp(anchored ? `^(?:${body})$` : body, insensitive ? "i" : "");
}

// ---------------------------------------------------------------- ingress-nginx

const A = "nginx.ingress.kubernetes.io/";

interface NginxLocation {
    path: string;
    exact: boolean;
    ing: Obj;
    backend?: string;
    isDefault: boolean;
}

function annotation(ing: Obj, key: string): string | undefined {
    return ing.metadata?.annotations?.[A + key];
}

function flag(ing: Obj, key: string, fallback: boolean): boolean {
    const v = annotation(ing, key);
    return v === undefined ? fallback : v.toLowerCase() === "true";
}

function serviceKey(ing: Obj, backend: Obj | undefined): string | undefined {
    if (backend?.service?.name === undefined) return undefined;
    return `${ing.metadata?.namespace ?? "default"}/${backend.service.name}:${backend.service.port?.number ?? ""}`;
}

function rewrites(l: NginxLocation): boolean {
    const target = annotation(l.ing, "rewrite-target");
    return target !== undefined && target !== "" && target !== l.path;
}

export function nginxOutcome(objects: Obj[], req: TestRequest): Outcome {
    const ingresses = objects.filter((o) => o.kind === "Ingress");
    const primaries = ingresses.filter((i) => !flag(i, "canary", false));
    const canaries = ingresses.filter((i) => flag(i, "canary", false));
    const servers = new Map<string, NginxLocation[]>();
    const hostOf = (rule: Obj) => rule.host ?? "_";
    let catchAll: string | undefined;
    for (const ing of primaries) {
        const rules: Obj[] = ing.spec?.rules ?? [];
        const def = serviceKey(ing, ing.spec?.defaultBackend);
        if (def !== undefined && rules.length === 0 && catchAll === undefined) catchAll = def;
        for (const rule of rules) {
            if (!servers.has(hostOf(rule))) servers.set(hostOf(rule), [{ path: "/", exact: false, ing, backend: def, isDefault: true }]);
        }
    }
    if (!servers.has("_")) servers.set("_", [{ path: "/", exact: false, ing: primaries[0] ?? {}, backend: catchAll, isDefault: true }]);
    else servers.get("_")![0].backend ??= catchAll;
    const types = new Map<NginxLocation, string>();
    for (const ing of primaries) {
        for (const rule of ing.spec?.rules ?? []) {
            const locs = servers.get(hostOf(rule))!;
            for (const p of rule.http?.paths ?? []) {
                const loc: NginxLocation = {
                    path: p.path ?? "/",
                    exact: p.pathType === "Exact",
                    ing,
                    backend: serviceKey(ing, p.backend),
                    isDefault: false,
                };
                const type = p.pathType ?? "ImplementationSpecific";
                const i = locs.findIndex((l) => l.path === loc.path && (types.get(l) ?? "Prefix") === type);
                types.set(loc, type);
                if (i < 0) locs.push(loc);
                else if (locs[i].isDefault) locs[i] = loc;
            }
        }
    }
    // Canaries: alternative backends of the primary upstream of the same host, path and type.
    const alternatives = new Map<string, { ing: Obj; backend: string }>();
    for (const ing of canaries) {
        for (const rule of ing.spec?.rules ?? []) {
            for (const p of rule.http?.paths ?? []) {
                const loc = (servers.get(hostOf(rule)) ?? []).find(
                    (l) =>
                        !l.isDefault &&
                        l.backend !== undefined &&
                        l.path === (p.path ?? "/") &&
                        types.get(l) === (p.pathType ?? "ImplementationSpecific"),
                );
                const alt = serviceKey(ing, p.backend);
                if (loc !== undefined && alt !== undefined && !alternatives.has(loc.backend!))
                    alternatives.set(loc.backend!, { ing, backend: alt });
            }
        }
    }
    const certHosts = new Set(
        primaries.flatMap((i) => (i.spec?.tls ?? []).filter((t: Obj) => t.secretName).flatMap((t: Obj) => t.hosts ?? [])),
    );

    // server_name: exact, then the longest leading wildcard, then the default server.
    const host = req.host.toLowerCase();
    const wildcard = [...servers.keys()]
        .filter((h) => h.startsWith("*.") && host.endsWith(h.slice(1)))
        .sort((a, b) => b.length - a.length)[0];
    const serverName = servers.has(host) ? host : (wildcard ?? "_");
    const locations = servers.get(serverName)!;
    if (req.tls && locations.some((l) => !l.isDefault && flag(l.ing, "ssl-passthrough", false))) {
        const root = locations.find((l) => l.path === "/");
        return root?.backend ? `passthrough ${root.backend}=100` : "404";
    }

    // updateServerLocations: Prefix /p becomes /p/ plus = /p, unless the location rewrites or uses regex.
    const expanded: NginxLocation[] = [];
    const exactPaths = new Set(locations.filter((l) => l.exact).map((l) => l.path));
    for (const l of locations) {
        if (l.path === "/" || types.get(l) !== "Prefix" || rewrites(l) || flag(l.ing, "use-regex", false)) {
            expanded.push(l);
            continue;
        }
        const slashed = l.path.endsWith("/") ? l.path : `${l.path}/`;
        expanded.push({ ...l, path: slashed });
        if (!exactPaths.has(l.path)) expanded.push({ ...l, exact: true });
    }
    const regex = locations.some((l) => rewrites(l) || flag(l.ing, "use-regex", false));
    const { path, query } = splitPath(req.path);
    let chosen: NginxLocation | undefined;
    if (regex) {
        const sorted = [...expanded]
            .sort((a, b) => (a.path < b.path ? 1 : a.path > b.path ? -1 : 0))
            .sort((a, b) => b.path.length - a.path.length);
        chosen = sorted.find((l) => new RegExp(`^${l.path}`, "i").test(path));
    } else {
        chosen = expanded.find((l) => l.exact && l.path === path);
        if (chosen === undefined) {
            const auto = expanded.find((l) => !l.exact && l.path !== "/" && l.path.endsWith("/") && l.path === `${path}/`);
            if (auto !== undefined) return `redirect 301 ${auto.path}${query}`;
            chosen = expanded.filter((l) => !l.exact && path.startsWith(l.path)).sort((a, b) => b.path.length - a.path.length)[0];
        }
    }
    if (chosen === undefined) return "404";
    if (
        !req.tls &&
        ((certHosts.has(serverName) && flag(chosen.ing, "ssl-redirect", true)) || flag(chosen.ing, "force-ssl-redirect", false))
    )
        return "redirect https";
    if (chosen.backend === undefined) return "404";

    // Canary (balancer.lua route_to_alternative_balancer): header, then weight.
    let backends = [{ key: chosen.backend, weight: 100 }];
    const alt = alternatives.get(chosen.backend);
    if (alt !== undefined) {
        const name = annotation(alt.ing, "canary-by-header")?.toLowerCase();
        const value = name === undefined ? undefined : Object.entries(req.headers ?? {}).find(([k]) => k.toLowerCase() === name)?.[1];
        const wanted = annotation(alt.ing, "canary-by-header-value");
        const pattern = annotation(alt.ing, "canary-by-header-pattern");
        let decided: boolean | undefined;
        if (value !== undefined) {
            if (wanted) decided = value === wanted ? true : undefined;
            else if (pattern) decided = new RegExp(pattern).test(value) ? true : undefined;
            else if (value === "always") decided = true;
            else if (value === "never") decided = false;
        }
        if (decided === true) backends = [{ key: alt.backend, weight: 100 }];
        else if (decided === undefined) {
            const total = Number(annotation(alt.ing, "canary-weight-total") ?? 100);
            const w = Math.round((Number(annotation(alt.ing, "canary-weight") ?? 0) * 100) / total);
            backends = [
                { key: chosen.backend, weight: 100 - Math.min(w, 100) },
                { key: alt.backend, weight: Math.min(w, 100) },
            ];
        }
    }
    // rewrite "(?i)<path>" <target> break: the first match decides, the whole URI is replaced.
    let upstreamPath = path;
    if (rewrites(chosen)) {
        const m = new RegExp(chosen.path, "i").exec(path);
        if (m !== null) upstreamPath = annotation(chosen.ing, "rewrite-target")!.replace(/\$(\d)/g, (_, n: string) => m[Number(n)] ?? "");
    }
    return `backend ${backendsText(backends)} ${upstreamPath}${query}`;
}

// ---------------------------------------------------------------- Istio

function hostCovers(pattern: string, host: string): boolean {
    if (pattern === "*" || pattern === host) return true;
    return pattern.startsWith("*.") && host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1;
}

function stripNamespace(h: string): string {
    const i = h.indexOf("/");
    return (i < 0 ? h : h.slice(i + 1)).toLowerCase();
}

/** Envoy's domain choice: the exact name, then the longest suffix wildcard, then `*`. */
function mostSpecific(names: string[], host: string): string | undefined {
    if (names.includes(host)) return host;
    return names.filter((n) => hostCovers(n, host)).sort((a, b) => (a === "*" ? 1 : b === "*" ? -1 : b.length - a.length))[0];
}

function stringMatches(m: Obj, value: string | undefined): boolean {
    if (value === undefined) return false;
    if (m.exact !== undefined) return value === m.exact;
    if (m.prefix !== undefined) return value.startsWith(m.prefix);
    if (m.regex !== undefined) return re2(m.regex, true).test(value);
    return true;
}

function destinationKey(d: Obj, namespace: string): string {
    const parts = String(d.host).split(".");
    const svc =
        parts.length === 1
            ? `${namespace}/${parts[0]}`
            : parts.length >= 2 && (parts.length === 2 || String(d.host).endsWith(".svc.cluster.local"))
              ? `${parts[1]}/${parts[0]}`
              : String(d.host);
    return `${svc}:${d.port?.number ?? ""}${d.subset ? `#${d.subset}` : ""}`;
}

export function istioOutcome(objects: Obj[], req: TestRequest): Outcome {
    const gateways = objects.filter((o) => o.kind === "Gateway" && String(o.apiVersion).startsWith("networking.istio.io/"));
    const services = objects.filter((o) => o.kind === "VirtualService");
    const port = req.tls ? 443 : 80;
    const host = req.host.toLowerCase();
    const servers = gateways.flatMap((g) =>
        (g.spec?.servers ?? [])
            .filter((s: Obj) => s.port?.number === port)
            .map((s: Obj) => ({
                gateway: `${g.metadata?.namespace ?? "default"}/${g.metadata?.name}`,
                server: s,
                hosts: (s.hosts ?? []).map(stripNamespace) as string[],
            })),
    );
    const boundTo = (vs: Obj, gateway: string) =>
        (vs.spec?.gateways ?? []).some((g: string) => (g.includes("/") ? g : `${vs.metadata?.namespace ?? "default"}/${g}`) === gateway);
    let candidates = servers;
    if (req.tls) {
        // SNI picks the server (one filter chain per server name).
        const name = mostSpecific([...new Set(servers.flatMap((s) => s.hosts))], host);
        candidates = servers.filter((s) => name !== undefined && s.hosts.includes(name));
        if (candidates.length === 0) return "404";
        const server = candidates[0];
        if (server.server.tls?.mode === "PASSTHROUGH") {
            for (const vs of services.filter((v) => boundTo(v, server.gateway))) {
                for (const r of vs.spec?.tls ?? []) {
                    if ((r.match ?? []).some((m: Obj) => (m.sniHosts ?? []).some((h: string) => hostCovers(h, host)))) {
                        return `passthrough ${backendsText(r.route.map((x: Obj) => ({ key: destinationKey(x.destination, vs.metadata?.namespace ?? "default"), weight: x.weight ?? 100 })))}`;
                    }
                }
            }
            return "404";
        }
    } else {
        candidates = servers.filter(
            (s) => (s.server.port?.protocol ?? "").toUpperCase().startsWith("HTTP") || s.server.port?.protocol === "GRPC",
        );
    }
    // Virtual hosts: per VirtualService host and server host that intersect, the narrower one.
    const vhosts = new Map<string, { routes: { route: Obj; ns: string }[]; redirect: boolean }>();
    for (const c of candidates) {
        for (const vs of services.filter((v) => boundTo(v, c.gateway))) {
            for (const h of (vs.spec?.hosts ?? []).map((x: string) => x.toLowerCase())) {
                for (const p of c.hosts) {
                    const name = hostCovers(p, h) ? h : hostCovers(h, p) ? p : undefined;
                    if (name === undefined) continue;
                    const v = vhosts.get(name) ?? { routes: [], redirect: false };
                    if (c.server.tls?.httpsRedirect === true) v.redirect = true;
                    if (!v.routes.some((x) => x.route === vs)) v.routes.push({ route: vs, ns: vs.metadata?.namespace ?? "default" });
                    vhosts.set(name, v);
                }
            }
        }
    }
    const vhostName = mostSpecific([...vhosts.keys()], host);
    if (vhostName === undefined) return "404";
    const vhost = vhosts.get(vhostName)!;
    if (vhost.redirect) return "redirect https";
    const { path, query } = splitPath(req.path);
    const params = new URLSearchParams(query);
    const headers = Object.fromEntries(Object.entries(req.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    for (const { route: vs, ns } of vhost.routes) {
        for (const r of vs.spec?.http ?? []) {
            const matches: Obj[] = r.match ?? [{}];
            const hit = matches.find(
                (m) =>
                    (m.uri === undefined || stringMatches(m.uri, path)) &&
                    Object.entries(m.headers ?? {}).every(([k, v]) => stringMatches(v as Obj, headers[k.toLowerCase()])) &&
                    (m.method === undefined || stringMatches(m.method, "GET")) &&
                    Object.entries(m.queryParams ?? {}).every(([k, v]) => stringMatches(v as Obj, params.get(k) ?? undefined)),
            );
            if (hit === undefined) continue;
            if (r.redirect !== undefined) {
                if (r.redirect.scheme === "https" && r.redirect.uri === undefined) return "redirect https";
                return `redirect ${r.redirect.redirectCode ?? 301} ${r.redirect.uri ?? path}${query}`;
            }
            let upstream = path;
            if (r.rewrite?.uriRegexRewrite !== undefined) {
                const { match, rewrite } = r.rewrite.uriRegexRewrite;
                const insensitive = match.startsWith("(?i)");
                upstream = path.replace(
                    new RegExp(insensitive ? match.slice(4) : match, insensitive ? "gi" : "g"),
                    rewrite.replace(/\$/g, "$$$$").replace(/\\(\d)/g, "$$$1"),
                );
            } else if (r.rewrite?.uri !== undefined) {
                upstream = hit.uri?.prefix !== undefined ? r.rewrite.uri + path.slice(hit.uri.prefix.length) : r.rewrite.uri;
            }
            const route: Obj[] = r.route ?? [];
            return `backend ${backendsText(route.map((x) => ({ key: destinationKey(x.destination, ns), weight: x.weight ?? (route.length === 1 ? 100 : 0) })))} ${upstream}${query}`;
        }
    }
    return "404";
}
