// Ingress (networking.k8s.io/v1) objects served by the NGINX Ingress Controller, turned into the
// routing model. The rules follow ingress-nginx's own code (docs/upstream-behaviour.md, section
// "ingress-nginx"): how it builds one server per host and one location per path, which location
// a request takes, and what each annotation does. Whatever the routing model cannot reproduce is
// reported, never left out quietly.
import type { CertificateSpec, SecuritySpec } from "../core/edge";
import type { CorsPolicy, Destination, HttpMatch, HttpRoute, Listener, RoutingApi, RoutingSpec, TlsRoute } from "../core/routing";
import { hostMatches } from "../core/routing";
import { annotationPath, describeObject, label, Names, type Dropped, type Imported, type KubeDocument, type Note } from "./types";

const NGINX = "nginx.ingress.kubernetes.io/";
/** ingress-nginx's defaults for `enable-cors` (internal/ingress/annotations/cors/main.go). */
const CORS_DEFAULT_METHODS = "GET, PUT, POST, DELETE, PATCH, OPTIONS";
const CORS_DEFAULT_HEADERS = "DNT,Keep-Alive,User-Agent,X-Requested-With,If-Modified-Since,Cache-Control,Content-Type,Range,Authorization";
const CORS_DEFAULT_MAX_AGE = 1728000;

/** Annotations this importer reads (without the prefix). */
const HANDLED = new Set([
    "rewrite-target",
    "use-regex",
    "ssl-redirect",
    "force-ssl-redirect",
    "backend-protocol",
    "canary",
    "canary-weight",
    "canary-weight-total",
    "canary-by-header",
    "canary-by-header-value",
    "canary-by-header-pattern",
    "enable-cors",
    "cors-allow-origin",
    "cors-allow-methods",
    "cors-allow-headers",
    "cors-expose-headers",
    "cors-allow-credentials",
    "cors-max-age",
    "whitelist-source-range",
    "denylist-source-range",
    "ssl-passthrough",
]);

/** Annotations read and reported as not carried over, each with its reason. */
const NOT_CARRIED: Record<string, string> = {
    "limit-rps":
        "ingress-nginx limits requests per client address (limit_req keyed by $binary_remote_addr, burst 5x); the gateway's rate limits " +
        "(routing.rateLimits) count all clients of a host together per gateway pod, so the same number would throttle every client at once. " +
        "Size a per-host limit from your total traffic instead",
    "limit-rpm":
        "ingress-nginx limits requests per client address; routing.rateLimits count all clients of a host together per gateway pod",
    "limit-connections": "connection limits per client address have no equivalent in the routing model",
    "proxy-read-timeout":
        "ingress-nginx bounds the time between two reads from the backend; an Istio route timeout bounds the whole request, " +
        "so a long streamed response would be cut off. Left unset (Istio's default: no route timeout); set routing.http[].timeout if the whole request must end",
    "proxy-send-timeout": "ingress-nginx bounds the time between two writes to the backend; Istio has no per-write timeout on a route",
    "proxy-connect-timeout":
        "the connect timeout belongs to the destination (routing.backends[host].connectionPool.connectTimeout), which is shared by every route to it",
    "configuration-snippet":
        "refused: raw NGINX configuration cannot be translated. Express what it does with routing settings (headers, rewrite, redirect) or an EnvoyFilter",
    "server-snippet": "refused: raw NGINX configuration cannot be translated. Express what it does with routing settings or an EnvoyFilter",
    "auth-url":
        "external authentication: use security.customAuth with a mesh extension provider (meshConfig.extensionProviders) for these paths",
    "auth-type": "basic authentication has no Istio equivalent at the gateway: use security.jwt or security.customAuth",
};

interface Backend {
    service: string;
    namespace: string;
    port?: number;
}

interface Canary {
    ingress: KubeDocument;
    backend: Backend;
    header?: string;
    headerValue?: string;
    headerPattern?: string;
    /** Share of requests, percent (already scaled from canary-weight-total). */
    weight: number;
}

interface Settings {
    ingress: KubeDocument;
    rewriteTarget?: string;
    useRegex: boolean;
    sslRedirect: boolean;
    forceSslRedirect: boolean;
    cors?: CorsPolicy;
    allow?: string[];
    deny?: string[];
    passthrough: boolean;
}

type PathType = "Exact" | "Prefix" | "ImplementationSpecific";

interface Location {
    settings: Settings;
    path: string;
    pathType: PathType;
    /** Undefined: the controller's default backend (404). */
    backend?: Backend;
    /** The root location ingress-nginx adds to every server. */
    isDefault: boolean;
    field: string;
}

interface Server {
    host: string;
    locations: Location[];
}

interface IngressSpec {
    ingressClassName?: string;
    defaultBackend?: { service?: { name?: string; port?: { number?: number; name?: string } }; resource?: unknown };
    tls?: { hosts?: string[]; secretName?: string }[];
    rules?: { host?: string; http?: { paths?: { path?: string; pathType?: string; backend?: IngressSpec["defaultBackend"] }[] } }[];
}

function bool(value: string | undefined, fallback: boolean): boolean {
    if (value === undefined) return fallback;
    return value.trim().toLowerCase() === "true";
}

function list(value: string | undefined): string[] | undefined {
    if (value === undefined) return undefined;
    const items = value
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== "");
    return items.length > 0 ? items : undefined;
}

/** Whether a location rewrites (needsRewrite in internal/ingress/controller/location.go). */
function needsRewrite(l: Location): boolean {
    return l.settings.rewriteTarget !== undefined && l.settings.rewriteTarget !== "" && l.settings.rewriteTarget !== l.path;
}

function regexLocation(l: Location): boolean {
    return needsRewrite(l) || l.settings.useRegex;
}

/** Converts ingress-nginx Ingress objects; `docs` holds only Ingress objects. */
export function importIngresses(docs: KubeDocument[], api: RoutingApi): Imported {
    const dropped: Dropped[] = [];
    const notes: Note[] = [];
    const drop = (d: KubeDocument, path: string, reason: string) => dropped.push({ object: describeObject(d), path, reason });
    const note = (d: KubeDocument, path: string, message: string) => notes.push({ object: describeObject(d), path, message });

    const settingsOf = new Map<KubeDocument, Settings>();
    const canaries: KubeDocument[] = [];
    const primaries: KubeDocument[] = [];
    for (const d of docs) {
        if (d.apiVersion !== "networking.k8s.io/v1") {
            drop(
                d,
                "apiVersion",
                `${d.apiVersion} Ingress is not read; the API server serves Ingress at networking.k8s.io/v1 only since Kubernetes 1.22: convert it first`,
            );
            continue;
        }
        const ann = d.metadata?.annotations ?? {};
        const get = (k: string) => ann[NGINX + k];
        const isCanary = bool(get("canary"), false);
        for (const key of Object.keys(ann)) {
            if (!key.startsWith(NGINX)) {
                if (key === "kubernetes.io/ingress.class" || key === "kubectl.kubernetes.io/last-applied-configuration") continue;
                if (key === "cert-manager.io/cluster-issuer" || key === "cert-manager.io/issuer") continue;
                drop(d, annotationPath(key), "not an ingress-nginx annotation; the importer does not read it");
                continue;
            }
            const name = key.slice(NGINX.length);
            if (isCanary && !name.startsWith("canary")) {
                note(
                    d,
                    annotationPath(key),
                    "ingress-nginx ignores this annotation on a canary Ingress (the primary Ingress's settings apply): not carried over",
                );
                continue;
            }
            if (NOT_CARRIED[name] !== undefined) drop(d, annotationPath(key), NOT_CARRIED[name]);
            else if (!HANDLED.has(name)) drop(d, annotationPath(key), "this ingress-nginx annotation is not carried over by the importer");
        }
        const originsText = get("cors-allow-origin");
        const settings: Settings = {
            ingress: d,
            rewriteTarget: get("rewrite-target"),
            useRegex: bool(get("use-regex"), false),
            sslRedirect: bool(get("ssl-redirect"), true),
            forceSslRedirect: bool(get("force-ssl-redirect"), false),
            allow: list(get("whitelist-source-range")),
            deny: list(get("denylist-source-range")),
            passthrough: bool(get("ssl-passthrough"), false),
        };
        if (bool(get("enable-cors"), false)) {
            const origins = list(originsText) ?? ["*"];
            const kept = origins.includes("*") ? ["*"] : origins.filter((o) => !o.includes("*"));
            if (kept.length < origins.length && !origins.includes("*")) {
                drop(
                    d,
                    annotationPath(NGINX + "cors-allow-origin"),
                    `wildcard origins (${origins.filter((o) => o.includes("*")).join(", ")}) are not carried over: list each origin`,
                );
            }
            const maxAge = Number(get("cors-max-age") ?? CORS_DEFAULT_MAX_AGE);
            settings.cors = {
                allowOrigins: kept.length > 0 ? kept : ["*"],
                allowMethods: list(get("cors-allow-methods") ?? CORS_DEFAULT_METHODS),
                allowHeaders: list(get("cors-allow-headers") ?? CORS_DEFAULT_HEADERS),
                ...(get("cors-expose-headers") !== undefined ? { exposeHeaders: list(get("cors-expose-headers")) } : {}),
                maxAge: `${Number.isFinite(maxAge) ? maxAge : CORS_DEFAULT_MAX_AGE}s`,
                allowCredentials: bool(get("cors-allow-credentials"), true),
            };
        } else if (Object.keys(ann).some((k) => k.startsWith(`${NGINX}cors-`))) {
            note(
                d,
                annotationPath(`${NGINX}enable-cors`),
                'cors-* annotations take effect only with enable-cors: "true"; none carried over',
            );
        }
        const protocol = get("backend-protocol")?.toUpperCase();
        if (protocol === "GRPC") {
            note(
                d,
                annotationPath(`${NGINX}backend-protocol`),
                "Istio speaks HTTP/2 to a backend when its Service port says so: give the Service port appProtocol: grpc (or a name starting with grpc-)",
            );
        } else if (protocol === "HTTPS" || protocol === "GRPCS") {
            drop(
                d,
                annotationPath(`${NGINX}backend-protocol`),
                `${protocol}: the routing model does not originate TLS to a backend; with Istio's mutual TLS (a sidecar on the backend) the gateway encrypts by itself, otherwise add a DestinationRule with trafficPolicy.tls.mode SIMPLE for the Service`,
            );
        } else if (protocol !== undefined && protocol !== "HTTP") {
            drop(d, annotationPath(`${NGINX}backend-protocol`), `${protocol} backends are not carried over`);
        }
        if (settings.passthrough)
            note(
                d,
                annotationPath(`${NGINX}ssl-passthrough`),
                "ingress-nginx passes TLS through only with --enable-ssl-passthrough; the gateway does it with a TLS PASSTHROUGH listener",
            );
        const spec = (d.spec ?? {}) as IngressSpec;
        if (spec.ingressClassName !== undefined && spec.ingressClassName !== "nginx") {
            note(d, "spec.ingressClassName", `class ${spec.ingressClassName}: imported as an ingress-nginx Ingress`);
        }
        settingsOf.set(d, settings);
        (isCanary ? canaries : primaries).push(d);
    }

    const backendOf = (d: KubeDocument, b: IngressSpec["defaultBackend"], field: string): Backend | undefined | null => {
        if (b === undefined) return undefined;
        if (b.service?.name === undefined) {
            drop(d, field, "only Service backends are carried over (a resource backend has no Istio equivalent)");
            return null;
        }
        if (b.service.port?.name !== undefined) {
            drop(
                d,
                `${field}.service.port.name`,
                `port name ${b.service.port.name}: routes name Service ports by number; the Service's only port is used. Give port.number`,
            );
        }
        return { service: b.service.name, namespace: d.metadata?.namespace ?? "default", port: b.service.port?.number };
    };

    // One server per host, in the order the Ingresses come (ingress-nginx: createServers).
    const servers = new Map<string, Server>();
    const catchAll: Server = { host: "*", locations: [] };
    servers.set("*", catchAll);
    let catchAllBackend: Backend | undefined;
    let catchAllIngress: KubeDocument | undefined;
    for (const d of primaries) {
        const spec = (d.spec ?? {}) as IngressSpec;
        const s = settingsOf.get(d)!;
        const def = backendOf(d, spec.defaultBackend, "spec.defaultBackend") ?? undefined;
        if (def !== undefined && (spec.rules ?? []).length === 0 && catchAllBackend === undefined) {
            catchAllBackend = def;
            catchAllIngress = d;
        }
        (spec.rules ?? []).forEach((rule) => {
            const host = (rule.host ?? "*").toLowerCase();
            if (!servers.has(host))
                servers.set(host, {
                    host,
                    locations: [
                        { settings: s, path: "/", pathType: "Prefix", backend: def, isDefault: true, field: "spec.defaultBackend" },
                    ],
                });
        });
    }
    if (primaries.length > 0)
        catchAll.locations.push({
            settings: settingsOf.get(catchAllIngress ?? primaries[0])!,
            path: "/",
            pathType: "Prefix",
            backend: catchAllBackend,
            isDefault: true,
            field: "spec.defaultBackend",
        });
    for (const d of primaries) {
        const spec = (d.spec ?? {}) as IngressSpec;
        const s = settingsOf.get(d)!;
        (spec.rules ?? []).forEach((rule, i) => {
            const server = servers.get((rule.host ?? "*").toLowerCase())!;
            (rule.http?.paths ?? []).forEach((p, j) => {
                const field = `spec.rules[${i}].http.paths[${j}]`;
                const backend = backendOf(d, p.backend, `${field}.backend`);
                if (backend === null) return;
                const pathType = (p.pathType ?? "ImplementationSpecific") as PathType;
                if (!["Exact", "Prefix", "ImplementationSpecific"].includes(pathType)) {
                    drop(d, `${field}.pathType`, `unknown path type ${pathType}`);
                    return;
                }
                const path = p.path ?? "/";
                const same = server.locations.findIndex((l) => l.path === path && l.pathType === pathType);
                const loc: Location = { settings: s, path, pathType, backend, isDefault: false, field };
                if (same < 0) server.locations.push(loc);
                else if (server.locations[same].isDefault) server.locations[same] = loc;
                else
                    drop(
                        d,
                        `${field}`,
                        `${server.host}${path} (${pathType}) is already served by ${describeObject(server.locations[same].settings.ingress)}; ingress-nginx keeps the first`,
                    );
            });
        });
    }

    // Canaries join the primary backend (the upstream) of a location with the same host, path and
    // path type, and then apply to every location of that upstream (mergeAlternativeBackends).
    const upstreamKey = (b: Backend) => `${b.namespace}/${b.service}:${b.port ?? ""}`;
    const canaryOf = new Map<string, Canary>();
    for (const d of canaries) {
        const spec = (d.spec ?? {}) as IngressSpec;
        const ann = d.metadata?.annotations ?? {};
        const get = (k: string) => ann[NGINX + k];
        const total = Number(get("canary-weight-total") ?? 100);
        let weight = Number(get("canary-weight") ?? 0);
        if (!Number.isFinite(weight) || weight < 0) weight = 0;
        let scaled = Math.min(100, (weight * 100) / (total > 0 ? total : 100));
        if (!Number.isInteger(scaled)) {
            drop(
                d,
                annotationPath(`${NGINX}canary-weight`),
                `${weight} of ${total} is ${scaled.toFixed(3)} %; routes take whole percentages: rounded to ${Math.round(scaled)} %`,
            );
            scaled = Math.round(scaled);
        }
        if (spec.defaultBackend !== undefined) drop(d, "spec.defaultBackend", "a canary default backend is not carried over");
        if ((spec.tls ?? []).length > 0) note(d, "spec.tls", "ingress-nginx ignores tls on a canary Ingress");
        (spec.rules ?? []).forEach((rule, i) => {
            const server = servers.get((rule.host ?? "*").toLowerCase());
            (rule.http?.paths ?? []).forEach((p, j) => {
                const field = `spec.rules[${i}].http.paths[${j}]`;
                const backend = backendOf(d, p.backend, `${field}.backend`);
                if (backend === null || backend === undefined) return;
                const primary = server?.locations.find(
                    (l) =>
                        !l.isDefault &&
                        l.backend !== undefined &&
                        l.path === (p.path ?? "/") &&
                        l.pathType === (p.pathType ?? "ImplementationSpecific"),
                );
                if (primary === undefined) {
                    drop(
                        d,
                        field,
                        `no primary Ingress serves ${rule.host ?? "*"}${p.path ?? "/"} with path type ${p.pathType}: ingress-nginx drops this canary backend`,
                    );
                    return;
                }
                const key = upstreamKey(primary.backend!);
                if (canaryOf.has(key)) {
                    drop(
                        d,
                        field,
                        `${primary.backend!.service} already has a canary (${describeObject(canaryOf.get(key)!.ingress)}); ingress-nginx shapes traffic to the first alternative backend only`,
                    );
                    return;
                }
                canaryOf.set(key, {
                    ingress: d,
                    backend,
                    header: get("canary-by-header")?.toLowerCase(),
                    headerValue: get("canary-by-header-value"),
                    headerPattern: get("canary-by-header-pattern"),
                    weight: scaled,
                });
            });
        });
        if (get("canary-by-cookie") !== undefined)
            drop(d, annotationPath(`${NGINX}canary-by-cookie`), "cookie canaries are not carried over");
    }

    // Listeners: TLS hosts from the primaries' tls sections, first Secret per host wins.
    const certificates: CertificateSpec[] = [];
    const secretOfHost = new Map<string, string>();
    const certNames = new Map<string, string>();
    for (const d of primaries) {
        const spec = (d.spec ?? {}) as IngressSpec;
        const ns = d.metadata?.namespace ?? "default";
        const ann = d.metadata?.annotations ?? {};
        (spec.tls ?? []).forEach((t, i) => {
            if (t.secretName === undefined || (t.hosts ?? []).length === 0) {
                drop(
                    d,
                    `spec.tls[${i}]`,
                    t.secretName === undefined
                        ? "no secretName: ingress-nginx serves its default certificate, the gateway needs one"
                        : "no hosts: name the hosts the certificate is for",
                );
                return;
            }
            const key = `${ns}/${t.secretName}`;
            let name = certNames.get(key);
            if (name === undefined) {
                name = [...certNames.values()].includes(t.secretName) ? label(`${ns}-${t.secretName}`) : t.secretName;
                certNames.set(key, name);
                const issuer = ann["cert-manager.io/cluster-issuer"] ?? ann["cert-manager.io/issuer"];
                if (issuer !== undefined) {
                    const kind = ann["cert-manager.io/cluster-issuer"] !== undefined ? "ClusterIssuer" : "Issuer";
                    certificates.push({ name, certManager: { issuer, kind } });
                    if (kind === "Issuer")
                        note(
                            d,
                            annotationPath("cert-manager.io/issuer"),
                            `the Certificate is created in the gateway's namespace: the Issuer ${issuer} must exist there`,
                        );
                } else {
                    certificates.push({ name, existingSecret: true });
                    note(
                        d,
                        `spec.tls[${i}].secretName`,
                        `the gateway reads certificates in its own namespace: copy Secret ${key} there${name !== t.secretName ? ` as ${name}` : ""}`,
                    );
                }
            }
            for (const h of t.hosts ?? []) {
                const host = h.toLowerCase();
                if (!secretOfHost.has(host)) secretOfHost.set(host, name);
            }
        });
    }

    const routes: HttpRoute[] = [];
    const tlsRoutes: TlsRoute[] = [];
    const names = new Names();
    const redirectHosts: string[] = [];
    const plainHosts: string[] = [];
    const passthroughHosts: string[] = [];
    const ingressNamespaces = new Set(primaries.map((d) => d.metadata?.namespace ?? "default"));
    const routingNamespace = ingressNamespaces.size === 1 ? [...ingressNamespaces][0] : undefined;
    const destination = (b: Backend): Destination => {
        const d: Destination = { host: b.service };
        if (b.namespace !== routingNamespace) d.namespace = b.namespace;
        if (b.port !== undefined) d.port = b.port;
        return d;
    };

    // Istio appends the routes of a VirtualService for a wildcard (or `*`) to the virtual host of
    // every narrower host the gateway serves, in VirtualService creation order
    // (buildGatewayHTTPRouteConfig in pilot/pkg/networking/core/gateway.go). ingress-nginx keeps
    // the servers apart, so a wider host that covers another imported host cannot be carried.
    const servedHosts = [...servers.values()]
        .filter((s) => s.locations.some((l) => !l.isDefault || l.backend !== undefined))
        .map((s) => s.host);
    const shadowed = new Set<string>();
    for (const server of servers.values()) {
        if (!servedHosts.includes(server.host) || !(server.host === "*" || server.host.startsWith("*."))) continue;
        const covered = servedHosts.filter((h) => h !== server.host && hostMatches(server.host, h));
        if (covered.length === 0) continue;
        shadowed.add(server.host);
        const what =
            server.host === "*" ? "requests for hosts no rule names (the default backend and rules without a host)" : `${server.host}`;
        for (const l of server.locations.filter((x) => x.backend !== undefined)) {
            drop(
                l.settings.ingress,
                l.field,
                `${what}: Istio would merge these routes into the virtual host of ${covered.join(", ")} (a VirtualService for ${server.host} covers them), ` +
                    "so their requests could reach these backends; import the narrower hosts into another gateway to keep this",
            );
        }
    }

    for (const server of servers.values()) {
        const host = server.host;
        const served = server.locations.filter((l) => !l.isDefault || l.backend !== undefined);
        if (served.length === 0 || shadowed.has(host)) continue;
        const passthrough = server.locations.some((l) => !l.isDefault && l.settings.passthrough);
        if (passthrough) {
            // Only the root location's backend gets the TLS stream (getConfiguration in controller.go).
            const root = server.locations.find((l) => l.path === "/" && l.backend !== undefined);
            if (root === undefined || host === "*") {
                drop(
                    server.locations.find((l) => l.settings.passthrough)!.settings.ingress,
                    annotationPath(`${NGINX}ssl-passthrough`),
                    host === "*"
                        ? "passthrough needs a host (SNI)"
                        : `no path / in ${host}: ingress-nginx passes TLS to the backend of path / only`,
                );
            } else {
                passthroughHosts.push(host);
                tlsRoutes.push({
                    name: names.take(label(`${root.settings.ingress.metadata?.name ?? "ingress"}-tls`)),
                    sniHosts: [host],
                    destinations: [destination(root.backend!)],
                });
                for (const l of server.locations) {
                    if (!l.isDefault && l.path !== "/" && l.settings.passthrough)
                        drop(
                            l.settings.ingress,
                            l.field,
                            "ingress-nginx ignores paths other than / with ssl-passthrough (on port 443); they are served on port 80 only",
                        );
                }
            }
        }

        // ssl-redirect is per location in ingress-nginx and per listener (host) here.
        const hasCert = secretOfHost.has(host);
        const wants = served
            .filter((l) => !l.isDefault)
            .map((l) => ({ l, redirect: (hasCert && l.settings.sslRedirect) || l.settings.forceSslRedirect }));
        let redirect = wants.length > 0 && wants.every((w) => w.redirect);
        if (redirect && !hasCert) {
            for (const w of wants)
                drop(
                    w.l.settings.ingress,
                    annotationPath(`${NGINX}force-ssl-redirect`),
                    `${host} has no certificate (tls section), so the gateway cannot serve the HTTPS it would redirect to`,
                );
            redirect = false;
        } else if (!redirect && wants.some((w) => w.redirect)) {
            for (const w of wants.filter((x) => x.redirect)) {
                drop(
                    w.l.settings.ingress,
                    `${w.l.field}`,
                    `the redirect to HTTPS is per host here, and other paths of ${host} are served over plain HTTP: this path is too`,
                );
            }
        }
        (redirect ? redirectHosts : plainHosts).push(host);

        const enforceRegex = server.locations.some(regexLocation);
        // Prefix paths are expanded even where another Ingress makes the host's paths regular
        // expressions: only a location's own rewrite or use-regex keeps it as written.
        const locations = expandPrefixes(server.locations);
        // ingress-nginx writes locations longest path first (getBackendServers: two stable sorts).
        locations.sort((a, b) => (a.path < b.path ? 1 : a.path > b.path ? -1 : 0));
        locations.sort((a, b) => b.path.length - a.path.length);
        const ordered = enforceRegex
            ? locations
            : [...locations.filter((l) => l.pathType === "Exact"), ...locations.filter((l) => l.pathType !== "Exact")];
        for (const l of ordered) {
            if (l.backend === undefined) {
                if (enforceRegex) break; // `^/` takes every request left: the default backend's 404, as no route
                continue;
            }
            const base = label(`${l.settings.ingress.metadata?.name ?? "ingress"}-${l.path === "/" ? "root" : l.path}`);
            const match: HttpMatch = {
                path: enforceRegex ? { regex: locationRegex(l.path) } : l.pathType === "Exact" ? { exact: l.path } : { prefix: l.path },
            };
            const route: Omit<HttpRoute, "name"> = { hosts: [host], match: [match] };
            if (needsRewrite(l)) {
                const rewrite = rewriteOf(l);
                if (typeof rewrite === "string") drop(l.settings.ingress, annotationPath(`${NGINX}rewrite-target`), rewrite);
                else if (api === "gateway-api")
                    drop(
                        l.settings.ingress,
                        annotationPath(`${NGINX}rewrite-target`),
                        "Gateway API has no regular-expression path rewrite: use --api istio",
                    );
                else route.rewrite = { uriRegex: rewrite };
            }
            if (l.settings.cors !== undefined) route.cors = l.settings.cors;
            const canary = canaryOf.get(upstreamKey(l.backend));
            const primary = destination(l.backend);
            if (canary !== undefined) {
                const alt = destination(canary.backend);
                if (canary.header !== undefined && canary.headerValue !== undefined) {
                    routes.push({
                        name: names.take(`${base}-canary`),
                        ...route,
                        match: [{ ...match, headers: { [canary.header]: { exact: canary.headerValue } } }],
                        destinations: [alt],
                    });
                } else if (canary.header !== undefined && canary.headerPattern !== undefined) {
                    // ngx.re.match searches the value; an Envoy header regex matches the whole value.
                    routes.push({
                        name: names.take(`${base}-canary`),
                        ...route,
                        match: [{ ...match, headers: { [canary.header]: { regex: `.*(?:${canary.headerPattern}).*` } } }],
                        destinations: [alt],
                    });
                } else if (canary.header !== undefined) {
                    routes.push({
                        name: names.take(`${base}-canary`),
                        ...route,
                        match: [{ ...match, headers: { [canary.header]: { exact: "always" } } }],
                        destinations: [alt],
                    });
                    routes.push({
                        name: names.take(`${base}-stable`),
                        ...route,
                        match: [{ ...match, headers: { [canary.header]: { exact: "never" } } }],
                        destinations: [primary],
                    });
                }
                const weighted =
                    canary.weight === 0
                        ? [primary]
                        : canary.weight >= 100
                          ? [alt]
                          : [
                                { ...primary, weight: 100 - canary.weight },
                                { ...alt, weight: canary.weight },
                            ];
                routes.push({ name: names.take(base), ...route, destinations: weighted });
            } else {
                routes.push({ name: names.take(base), ...route, destinations: [primary] });
            }
            if (!enforceRegex && l.pathType !== "Exact" && l.path.endsWith("/") && l.path !== "/") {
                // nginx answers `/foo` with a 301 to `/foo/` for a location `/foo/` that proxies
                // (auto_redirect), unless a location `= /foo` exists.
                const bare = l.path.slice(0, -1);
                if (
                    !locations.some((x) => x.pathType === "Exact" && x.path === bare) &&
                    !locations.some((x) => x.pathType !== "Exact" && x.path === bare)
                ) {
                    routes.push({
                        name: names.take(`${base}-slash`),
                        hosts: [host],
                        match: [{ path: { exact: bare } }],
                        redirect: { uri: l.path, redirectCode: 301 },
                    });
                }
            }
        }
    }
    orderRedirectsFirst(routes);

    // IP lists: ingress-nginx applies them to the locations of the Ingress that sets them, the
    // gateway to every request. Carried over only when every Ingress with paths has the same list.
    let security: SecuritySpec | undefined;
    const withPaths = primaries.filter((d) => ((d.spec ?? {}) as IngressSpec).rules?.some((r) => (r.http?.paths ?? []).length > 0));
    for (const kind of ["allow", "deny"] as const) {
        const annotation = kind === "allow" ? "whitelist-source-range" : "denylist-source-range";
        const setting = (d: KubeDocument) => settingsOf.get(d)![kind];
        const listed = withPaths.filter((d) => setting(d) !== undefined);
        if (listed.length === 0) continue;
        const key = (d: KubeDocument) => JSON.stringify([...(setting(d) ?? [])].sort());
        const catchAllServed = catchAllBackend !== undefined;
        if (listed.length === withPaths.length && !catchAllServed && listed.every((d) => key(d) === key(listed[0]))) {
            security = { ...security, [kind === "allow" ? "ipAllow" : "ipDeny"]: [...setting(listed[0])!] };
        } else {
            for (const d of listed) {
                drop(
                    d,
                    annotationPath(`${NGINX}${annotation}`),
                    `applies to this Ingress's paths only; the gateway's security.${kind === "allow" ? "ipAllow" : "ipDeny"} applies to every request, and other Ingresses have another or no list. Give every Ingress the same list, or write an AuthorizationPolicy per path`,
                );
            }
        }
    }

    const listeners: Listener[] = [];
    if (plainHosts.length > 0) listeners.push({ name: "http", port: 80, protocol: "HTTP", hosts: plainHosts });
    if (redirectHosts.length > 0)
        listeners.push({ name: "http-redirect", port: 80, protocol: "HTTP", hosts: redirectHosts, httpsRedirect: true });
    const bySecret = new Map<string, string[]>();
    for (const [host, secret] of secretOfHost) {
        if (passthroughHosts.includes(host)) continue;
        (bySecret.get(secret) ?? bySecret.set(secret, []).get(secret)!).push(host);
    }
    const listenerNames = new Names();
    listenerNames.take("http");
    listenerNames.take("http-redirect");
    for (const [secret, hosts] of bySecret) {
        listeners.push({
            name: listenerNames.take(label(`https-${secret}`)),
            port: 443,
            protocol: "HTTPS",
            hosts,
            tls: { mode: "SIMPLE", credentialName: secret },
        });
    }
    if (passthroughHosts.length > 0)
        listeners.push({
            name: listenerNames.take("tls-passthrough"),
            port: 443,
            protocol: "TLS",
            hosts: passthroughHosts,
            tls: { mode: "PASSTHROUGH" },
        });
    // Certificates no listener uses (passthrough hosts) are not needed.
    const usedCerts = new Set(listeners.map((l) => l.tls?.credentialName));
    const routing: RoutingSpec = {
        ...(api === "gateway-api" ? { api } : {}),
        ...(routingNamespace ? { namespace: routingNamespace } : {}),
        listeners,
    };
    if (routes.length > 0) routing.http = routes;
    if (tlsRoutes.length > 0) routing.tls = tlsRoutes;
    return {
        routing,
        certificates: certificates.filter((c) => usedCerts.has(c.name)),
        security,
        externalTrafficPolicy: security !== undefined ? "Local" : undefined,
        dropped,
        notes,
    };
}

/**
 * ingress-nginx's Prefix locations (updateServerLocations): `/foo` becomes a prefix location
 * `/foo/` and an exact location `= /foo` (unless one exists), so `/foobar` does not match.
 * ImplementationSpecific stays a plain nginx prefix, which does match `/foobar`.
 */
function expandPrefixes(locations: Location[]): Location[] {
    const exact = new Set(locations.filter((l) => l.pathType === "Exact").map((l) => l.path));
    return locations.flatMap((l) => {
        if (l.path === "/" || l.pathType !== "Prefix" || regexLocation(l)) return [l];
        const normalized = l.path.endsWith("/") ? l.path : `${l.path}/`;
        if (exact.has(l.path)) return [{ ...l, path: normalized }];
        return [
            { ...l, path: normalized },
            { ...l, pathType: "Exact" as const },
        ];
    });
}

/**
 * A regular-expression location `~* "^<path>"`: case-insensitive and anchored at the start only.
 * An Envoy regex matches the whole path, so the rest of the path is matched explicitly.
 */
function locationRegex(path: string): string {
    return `(?i)${path}.*`.replace(/^\(\?i\)(.*\|.*)\.\*$/, "(?i).*?(?:^$1).*");
}

/**
 * `rewrite "(?i)<path>" <target> break;` (buildProxyPass in template.go): the whole URI is
 * replaced by the target, `$1`… from the path's groups. Envoy replaces only what its pattern
 * matches, so the pattern covers the whole path. Returns the reason when it cannot be carried.
 */
function rewriteOf(l: Location): { match: string; rewrite: string } | string {
    const target = l.settings.rewriteTarget!;
    if (/^(https?:\/\/|\$scheme)/.test(target))
        return `${target} redirects the client; the importer carries path rewrites only: write a routing redirect`;
    if (target.includes("?")) return `${target} sets query arguments, which a path rewrite cannot`;
    const variable = target.match(/\$(?![0-9])[A-Za-z_{]\w*/);
    if (variable !== null) return `${target} uses the NGINX variable ${variable[0]}, which has no Envoy equivalent in a path rewrite`;
    const groups = (() => {
        try {
            return new RegExp(`${l.path}|`).exec("")!.length - 1;
        } catch {
            return -1;
        }
    })();
    if (groups < 0) return `${l.path} is not a regular expression Envoy can read`;
    const missing = [...target.matchAll(/\$(\d)/g)].map((m) => Number(m[1])).find((n) => n > groups);
    if (missing !== undefined) return `${target} uses $${missing}, but ${l.path} has ${groups} capture group(s)`;
    return { match: `(?i)^(?:${l.path}).*$`, rewrite: target.replace(/\\/g, "\\\\").replace(/\$(\d)/g, "\\$1") };
}

/** Redirect routes (exact paths) must come before the prefix routes that would take them. */
function orderRedirectsFirst(routes: HttpRoute[]): void {
    const redirects = routes.filter((r) => r.redirect !== undefined);
    const rest = routes.filter((r) => r.redirect === undefined);
    routes.splice(0, routes.length, ...redirects, ...rest);
}
