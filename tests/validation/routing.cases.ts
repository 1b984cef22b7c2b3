// Routing: listeners, HTTP/TCP/TLS routes, weights, matches, rate limits, backends, Istio API and Gateway API versions.
import { base, asm } from "../support/builders";
import type { Case } from "./case";

const oneHost = (http: object) => ({
    ...base(),
    routing: {
        listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }],
        http: [{ name: "r", hosts: ["a.example.com"], destinations: [{ host: "svc" }], ...http }],
    },
});

export const cases: Case[] = [
    [
        "one match naming a header twice in different case (header names are case-insensitive)",
        () => oneHost({ match: [{ headers: { "X-User": { exact: "a" }, "x-user": { exact: "b" } } }] }),
        'routing.http[0].match[0].headers["x-user"]: X-User is the same header (HTTP header names are case-insensitive): a request would have to match both',
    ],
    [
        "a header set twice in different case",
        () => oneHost({ headers: { response: { set: { "Cache-Control": "no-store", "cache-control": "max-age=60" } } } }),
        'routing.http[0].headers.response.set["cache-control"]: Cache-Control is the same header (HTTP header names are case-insensitive): give it once',
    ],
    [
        "a route for a host no listener serves (the classic 404)",
        () => ({
            ...base(),
            routing: {
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }],
                http: [{ name: "r", hosts: ["b.example.com"], destinations: [{ host: "svc" }] }],
            },
        }),
        "routing.http[0].hosts[0]: no HTTP or HTTPS listener serves b.example.com: requests for it would get 404",
    ],
    [
        "weights that do not sum to 100",
        () => ({
            ...base(),
            routing: {
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["*"] }],
                http: [
                    {
                        name: "r",
                        hosts: ["a.example.com"],
                        destinations: [
                            { host: "v1", weight: 90 },
                            { host: "v2", weight: 20 },
                        ],
                    },
                ],
            },
        }),
        "routing.http[0].destinations: weights sum to 110; they must sum to 100",
    ],
    [
        "several destinations without weights",
        () => ({
            ...base(),
            routing: {
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["*"] }],
                http: [{ name: "r", hosts: ["a.example.com"], destinations: [{ host: "v1" }, { host: "v2" }] }],
            },
        }),
        "routing.http[0].destinations: give every destination a weight when there is more than one",
    ],
    [
        "an invalid regex",
        () => ({
            ...base(),
            routing: {
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["*"] }],
                http: [
                    { name: "r", hosts: ["a.example.com"], match: [{ path: { regex: "/items/([0-9]+" } }], destinations: [{ host: "v1" }] },
                ],
            },
        }),
        'routing.http[0].match[0].path.regex: "/items/([0-9]+" is not a valid regular expression',
    ],
    [
        "a regex RE2 refuses",
        () => ({
            ...base(),
            routing: {
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["*"] }],
                http: [
                    { name: "r", hosts: ["a.example.com"], match: [{ path: { regex: "^/(?!admin)" } }], destinations: [{ host: "v1" }] },
                ],
            },
        }),
        'routing.http[0].match[0].path.regex: "^/(?!admin)" uses lookaround or backreferences',
    ],
    [
        "one port and host with two TLS settings",
        () => ({
            ...base(),
            routing: {
                listeners: [
                    { name: "a", port: 443, protocol: "HTTPS", hosts: ["a.example.com"], tls: { mode: "SIMPLE", credentialName: "a" } },
                    { name: "b", port: 443, protocol: "HTTPS", hosts: ["a.example.com"], tls: { mode: "MUTUAL", credentialName: "b" } },
                ],
            },
        }),
        "routing.listeners[1].hosts[0]: port 443 and host a.example.com are also served by listeners[0] with different TLS settings",
    ],
    [
        "a passthrough route on a listener that terminates TLS",
        () => ({
            ...base(),
            routing: {
                listeners: [
                    { name: "https", port: 443, protocol: "HTTPS", hosts: ["a.example.com"], tls: { mode: "SIMPLE", credentialName: "a" } },
                ],
                tls: [{ name: "p", sniHosts: ["a.example.com"], destinations: [{ host: "svc", port: 443 }] }],
            },
        }),
        "routing.tls[0].sniHosts[0]: a.example.com is served by a listener that does not pass TLS through",
    ],
    [
        "a mirror to the route's own destination",
        () => ({
            ...base(),
            routing: {
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["*"] }],
                http: [{ name: "r", hosts: ["a.example.com"], destinations: [{ host: "svc" }], mirror: { destination: { host: "svc" } } }],
            },
        }),
        "routing.http[0].mirror.destination: mirrors to svc, which the route already sends to",
    ],
    [
        "a listener on a port the gateway does not expose",
        () => ({ ...base(), routing: { listeners: [{ name: "http", port: 8080, protocol: "HTTP", hosts: ["*"] }] } }),
        "routing.listeners[0].port: 8080 is not a port of the gateway Service (15021, 80, 443); add it to gateway.ports",
    ],
    [
        "a TLS-terminating listener without a certificate",
        () => ({
            ...base(),
            routing: { listeners: [{ name: "https", port: 443, protocol: "HTTPS", hosts: ["a.example.com"], tls: { mode: "SIMPLE" } }] },
        }),
        "routing.listeners[0].tls.credentialName: is required to terminate TLS",
    ],
    [
        "retries with Gateway API",
        () => ({
            ...base(),
            routing: {
                api: "gateway-api",
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["*"] }],
                http: [{ name: "r", hosts: ["a.example.com"], destinations: [{ host: "svc", port: 80 }], retries: { attempts: 3 } }],
            },
        }),
        "routing.http[0].retries: Gateway API (standard channel) has no retries; use api: istio",
    ],
    [
        "a subset with Gateway API",
        () => ({
            ...base(),
            routing: {
                api: "gateway-api",
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["*"] }],
                http: [{ name: "r", hosts: ["a.example.com"], destinations: [{ host: "svc", port: 80, subset: "v2" }] }],
            },
        }),
        "routing.http[0].destinations[0].subset: Gateway API routes to Services, not subsets",
    ],
    [
        "a TCP route without a TCP listener",
        () => ({ ...base(), routing: { tcp: [{ name: "t", port: 31400, destinations: [{ host: "svc" }] }] } }),
        "routing.tcp[0].port: no TCP listener (or TLS listener that terminates) on port 31400",
    ],
    [
        "a route that neither forwards nor redirects",
        () => ({
            ...base(),
            routing: {
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["*"] }],
                http: [{ name: "r", hosts: ["a.example.com"] }],
            },
        }),
        "routing.http[0]: needs destinations or a redirect",
    ],
    [
        "a duration without a unit",
        () => ({
            ...base(),
            routing: {
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["*"] }],
                http: [{ name: "r", hosts: ["a.example.com"], destinations: [{ host: "svc" }], timeout: "10" }],
            },
        }),
        'routing.http[0].timeout: "10" is not a duration',
    ],
    [
        "HTTP routes on a TLS listener (they never match there)",
        () => ({
            ...base(),
            routing: {
                listeners: [
                    { name: "tls", port: 443, protocol: "TLS", hosts: ["a.example.com"], tls: { mode: "SIMPLE", credentialName: "c" } },
                ],
                http: [{ name: "r", hosts: ["a.example.com"], destinations: [{ host: "svc" }] }],
            },
            certificates: [{ name: "c", existingSecret: true }],
        }),
        "routing.http[0].hosts[0]: a.example.com is served only by TLS/TCP listeners, where HTTP routes never match",
    ],
    [
        "a route only on a redirecting listener",
        () => ({
            ...base(),
            routing: {
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"], httpsRedirect: true }],
                http: [{ name: "r", hosts: ["a.example.com"], destinations: [{ host: "svc" }] }],
            },
        }),
        "routing.http[0].hosts[0]: a.example.com is served only by listeners that redirect to HTTPS",
    ],
    [
        "MUTUAL TLS with Gateway API",
        () => ({
            ...base(),
            routing: {
                api: "gateway-api",
                listeners: [
                    { name: "https", port: 443, protocol: "HTTPS", hosts: ["a.example.com"], tls: { mode: "MUTUAL", credentialName: "c" } },
                ],
            },
            certificates: [{ name: "c", existingSecret: true }],
        }),
        "routing.listeners[0].tls.mode: MUTUAL is not rendered for Gateway API",
    ],
    [
        "a host name as a Gateway API backend",
        () => ({
            ...base(),
            routing: {
                api: "gateway-api",
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["*"] }],
                http: [{ name: "r", hosts: ["a.example.com"], destinations: [{ host: "svc.other.svc.cluster.local", port: 80 }] }],
            },
        }),
        "routing.http[0].destinations[0].host: Gateway API routes to a Service by name",
    ],
    [
        "a fractional duration with Gateway API",
        () => ({
            ...base(),
            routing: {
                api: "gateway-api",
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["*"] }],
                http: [{ name: "r", hosts: ["a.example.com"], destinations: [{ host: "svc", port: 80 }], timeout: "1.5s" }],
            },
        }),
        'routing.http[0].timeout: "1.5s": Gateway API durations are whole numbers',
    ],
    [
        "a listener port one cluster's override removes",
        () => ({
            ...base(),
            routing: {
                listeners: [
                    { name: "https", port: 443, protocol: "HTTPS", hosts: ["a.example.com"], tls: { mode: "SIMPLE", credentialName: "c" } },
                ],
            },
            certificates: [{ name: "c", existingSecret: true }],
            gateway: { overrides: { c2: { ports: [{ name: "http2", port: 80 }] } } },
        }),
        "routing.listeners[0].port: cluster c2's gateway Service has no port 443",
    ],
    [
        "a listener name used twice",
        () => ({
            ...base(),
            routing: {
                listeners: [
                    { name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] },
                    { name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] },
                ],
            },
        }),
        "routing.listeners[1].name: listener name http is used twice",
    ],
    [
        "a listener host that is not a host name",
        () => ({ ...base(), routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a_b"] }] } }),
        'routing.listeners[0].hosts[0]: "a_b" is not a host name',
    ],
    [
        "an HTTPS listener without tls",
        () => ({ ...base(), routing: { listeners: [{ name: "https", port: 443, protocol: "HTTPS", hosts: ["a.example.com"] }] } }),
        "routing.listeners[0].tls: a HTTPS listener needs tls settings",
    ],
    [
        "tls on an HTTP listener",
        () => ({
            ...base(),
            routing: {
                listeners: [
                    { name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"], tls: { mode: "SIMPLE", credentialName: "c" } },
                ],
            },
            certificates: [{ name: "c", existingSecret: true }],
        }),
        "routing.listeners[0].tls: tls applies to HTTPS and TLS listeners; this one is HTTP",
    ],
    [
        "PASSTHROUGH on an HTTPS listener",
        () => ({
            ...base(),
            routing: {
                listeners: [{ name: "https", port: 443, protocol: "HTTPS", hosts: ["a.example.com"], tls: { mode: "PASSTHROUGH" } }],
            },
        }),
        "routing.listeners[0].tls.mode: PASSTHROUGH needs protocol TLS",
    ],
    [
        "a maximum TLS version below the minimum",
        () => ({
            ...base(),
            routing: {
                listeners: [
                    {
                        name: "https",
                        port: 443,
                        protocol: "HTTPS",
                        hosts: ["a.example.com"],
                        tls: { mode: "SIMPLE", credentialName: "c", minProtocolVersion: "TLSV1_3", maxProtocolVersion: "TLSV1_2" },
                    },
                ],
            },
            certificates: [{ name: "c", existingSecret: true }],
        }),
        "routing.listeners[0].tls.maxProtocolVersion: is lower than minProtocolVersion",
    ],
    [
        "httpsRedirect on an HTTPS listener",
        () => ({
            ...base(),
            routing: {
                listeners: [
                    {
                        name: "https",
                        port: 443,
                        protocol: "HTTPS",
                        hosts: ["a.example.com"],
                        httpsRedirect: true,
                        tls: { mode: "SIMPLE", credentialName: "c" },
                    },
                ],
            },
            certificates: [{ name: "c", existingSecret: true }],
        }),
        "routing.listeners[0].httpsRedirect: applies to HTTP listeners",
    ],
    [
        "a route name used twice",
        () => ({
            ...base(),
            routing: {
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }],
                http: [
                    { name: "r", hosts: ["a.example.com"], destinations: [{ host: "s" }] },
                    { name: "r", hosts: ["a.example.com"], destinations: [{ host: "s" }] },
                ],
            },
        }),
        "routing.http[1].name: route name r is used twice",
    ],
    [
        "a match with two kinds",
        () => ({
            ...base(),
            routing: {
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }],
                http: [
                    {
                        name: "r",
                        hosts: ["a.example.com"],
                        match: [{ path: { exact: "/a", prefix: "/a" } }],
                        destinations: [{ host: "s" }],
                    },
                ],
            },
        }),
        "routing.http[0].match[0].path: give exactly one of exact, prefix, regex (got 2)",
    ],
    [
        "a query prefix match",
        () => ({
            ...base(),
            routing: {
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }],
                http: [
                    {
                        name: "r",
                        hosts: ["a.example.com"],
                        match: [{ queryParams: { q: { prefix: "a" } } }],
                        destinations: [{ host: "s" }],
                    },
                ],
            },
        }),
        'routing.http[0].match[0].queryParams["q"].prefix: prefix matching is not available here',
    ],
    [
        "a redirect with destinations",
        () => ({
            ...base(),
            routing: {
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }],
                http: [{ name: "r", hosts: ["a.example.com"], destinations: [{ host: "s" }], redirect: { uri: "/b" } }],
            },
        }),
        "routing.http[0].redirect: a route either redirects or forwards to destinations, not both",
    ],
    [
        "fault injection with Gateway API",
        () => ({
            ...base(),
            routing: {
                api: "gateway-api",
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }],
                http: [
                    {
                        name: "r",
                        hosts: ["a.example.com"],
                        destinations: [{ host: "s", port: 80 }],
                        fault: { abort: { httpStatus: 503, percentage: 1 } },
                    },
                ],
            },
        }),
        "routing.http[0].fault: Gateway API has no fault injection",
    ],
    [
        "a Gateway API rewrite without prefix matches",
        () => ({
            ...base(),
            routing: {
                api: "gateway-api",
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }],
                http: [
                    {
                        name: "r",
                        hosts: ["a.example.com"],
                        match: [{ path: { exact: "/a" } }],
                        rewrite: { uri: "/" },
                        destinations: [{ host: "s", port: 80 }],
                    },
                ],
            },
        }),
        "routing.http[0].rewrite.uri: with Gateway API a path rewrite replaces a path prefix",
    ],
    [
        "a regular-expression path rewrite with Gateway API",
        () => ({
            ...base(),
            routing: {
                api: "gateway-api",
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }],
                http: [
                    {
                        name: "r",
                        hosts: ["a.example.com"],
                        match: [{ path: { prefix: "/a" } }],
                        rewrite: { uriRegex: { match: "^/a/(.*)", rewrite: "/\\1" } },
                        destinations: [{ host: "s", port: 80 }],
                    },
                ],
            },
        }),
        "routing.http[0].rewrite.uriRegex: Gateway API has no regular-expression path rewrite",
    ],
    [
        "a path rewrite given both ways",
        () => ({
            ...base(),
            routing: {
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }],
                http: [
                    {
                        name: "r",
                        hosts: ["a.example.com"],
                        rewrite: { uri: "/", uriRegex: { match: "^/a/(.*)", rewrite: "/\\1" } },
                        destinations: [{ host: "s" }],
                    },
                ],
            },
        }),
        "routing.http[0].rewrite.uriRegex: give uri or uriRegex, not both",
    ],
    [
        "a regular-expression path rewrite that does not compile",
        () => ({
            ...base(),
            routing: {
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }],
                http: [
                    {
                        name: "r",
                        hosts: ["a.example.com"],
                        rewrite: { uriRegex: { match: "^/a/(.*", rewrite: "/" } },
                        destinations: [{ host: "s" }],
                    },
                ],
            },
        }),
        'routing.http[0].rewrite.uriRegex.match: "^/a/(.*" is not a valid regular expression',
    ],
    [
        "a Gateway API destination without a port",
        () => ({
            ...base(),
            routing: {
                api: "gateway-api",
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }],
                http: [{ name: "r", hosts: ["a.example.com"], destinations: [{ host: "s" }] }],
            },
        }),
        "routing.http[0].destinations[0].port: Gateway API needs the Service port",
    ],
    [
        "Gateway API with backend subsets",
        () => ({ ...base(), routing: { api: "gateway-api", backends: { s: { subsets: { v1: { version: "v1" } } } } } }),
        'routing.backends["s"].subsets: Gateway API routes to Services, not subsets',
    ],
    [
        "istioApiVersion with Gateway API",
        () => ({ ...base(), routing: { api: "gateway-api", istioApiVersion: "v1beta1" } }),
        "routing.istioApiVersion: applies to api: istio",
    ],
    [
        "a backend duration without a unit",
        () => ({ ...base(), routing: { backends: { s: { outlierDetection: { interval: "10" } } } } }),
        'routing.backends["s"].outlierDetection.interval: "10" is not a duration',
    ],
    [
        "a rate limit for a host no listener serves",
        () => ({
            ...base(),
            routing: {
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }],
                rateLimits: [{ hosts: ["b.example.com"], requests: 10, unit: "second" }],
            },
        }),
        "routing.rateLimits[0].hosts[0]: no HTTP listener serves b.example.com",
    ],
    [
        "a routing namespace that is not a DNS label",
        () => ({ ...base(), routing: { namespace: "Web_1" } }),
        'routing.namespace: "Web_1" is not a valid namespace name',
    ],
    [
        "an HTTP and a TCP listener on one port (Istio drops one server)",
        () => ({
            ...base(),
            routing: {
                listeners: [
                    { name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] },
                    { name: "tcp", port: 80, protocol: "TCP", hosts: ["*"] },
                ],
            },
        }),
        "routing.listeners[1].port: port 80 is also used by listeners[0] (HTTP): Istio cannot serve HTTP and TCP on one port",
    ],
    [
        "two plain TCP listeners on one port",
        () => ({
            ...base(),
            gateway: { ports: [{ name: "tcp", port: 31400 }] },
            routing: {
                listeners: [
                    { name: "a", port: 31400, protocol: "TCP", hosts: ["*"] },
                    { name: "b", port: 31400, protocol: "TCP", hosts: ["db.example.com"] },
                ],
            },
        }),
        "routing.listeners[1].port: port 31400 is also used by listeners[0] (TCP): Istio cannot serve two plain TCP servers on one port",
    ],
    [
        "plain HTTP and HTTPS on one port",
        () => ({
            ...base(),
            routing: {
                listeners: [
                    { name: "http", port: 443, protocol: "HTTP", hosts: ["a.example.com"] },
                    { name: "https", port: 443, protocol: "HTTPS", hosts: ["b.example.com"], tls: { mode: "SIMPLE", credentialName: "c" } },
                ],
            },
            certificates: [{ name: "c", existingSecret: true }],
        }),
        "routing.listeners[1].port: port 443 is also used by listeners[0] (HTTP): Istio cannot serve HTTP and TLS on one port",
    ],
    [
        "a route host in upper case",
        () => ({
            ...base(),
            routing: {
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["shop.example.com"] }],
                http: [{ name: "r", hosts: ["Shop.example.com"], destinations: [{ host: "s" }] }],
            },
        }),
        'routing.http[0].hosts[0]: "Shop.example.com": hosts are lower-case (write shop.example.com)',
    ],
    [
        "a listener host in upper case",
        () => ({ ...base(), routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["Shop.example.com"] }] } }),
        'routing.listeners[0].hosts[0]: "Shop.example.com": hosts are lower-case',
    ],
    [
        "a per-host rate limit only a wildcard virtual host carries",
        () => ({
            ...base(),
            routing: {
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["*.shops.example.com"] }],
                http: [{ name: "shops", hosts: ["*.shops.example.com"], destinations: [{ host: "shop" }] }],
                rateLimits: [{ hosts: ["acme.shops.example.com"], requests: 100, unit: "second" }],
            },
        }),
        "routing.rateLimits[0].hosts[0]: acme.shops.example.com is served by the virtual host *.shops.example.com:80, which Istio " +
            "builds from the route host *.shops.example.com",
    ],
    [
        "a per-host rate limit on a virtual host Istio merges with others (same routes, from one wider route host)",
        () => ({
            ...base(),
            routing: {
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["acme.shops.example.com", "*.shops.example.com"] }],
                http: [{ name: "shops", hosts: ["*.shops.example.com"], destinations: [{ host: "shops" }] }],
                rateLimits: [{ hosts: ["*.shops.example.com"], requests: 100, unit: "second" }],
            },
        }),
        "routing.rateLimits[0].hosts[0]: *.shops.example.com gets the same routes as acme.shops.example.com on port 80 (only from a wider route host), and Istio merges virtual hosts with the same routes into one named after one of them",
    ],
    [
        "a per-host rate limit for a host served only on a listener that redirects to HTTPS",
        () => ({
            ...base(),
            routing: {
                listeners: [
                    { name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com", "b.example.com"], httpsRedirect: true },
                    { name: "https", port: 443, protocol: "HTTPS", hosts: ["a.example.com"], tls: { mode: "SIMPLE", credentialName: "a" } },
                ],
                http: [{ name: "a", hosts: ["a.example.com"], destinations: [{ host: "a" }] }],
                rateLimits: [{ hosts: ["b.example.com"], requests: 100, unit: "second" }],
            },
            certificates: [{ name: "a", existingSecret: true }],
        }),
        "routing.rateLimits[0].hosts[0]: b.example.com is served only on listeners that redirect to HTTPS (httpsRedirect), where every request gets the redirect",
    ],
    [
        "a per-host rate limit for a host no route serves",
        () => ({
            ...base(),
            routing: {
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com", "b.example.com"] }],
                http: [{ name: "a", hosts: ["a.example.com"], destinations: [{ host: "a" }] }],
                rateLimits: [{ hosts: ["b.example.com"], requests: 100, unit: "second" }],
            },
        }),
        "routing.rateLimits[0].hosts[0]: no HTTP route serves b.example.com, so Istio builds no virtual host to limit",
    ],
    [
        "a TCPRoute for an Istio that reads it only at v1alpha2, with standard Gateway API v1.6 CRDs",
        () => ({
            ...base(),
            istioVersion: "1.29",
            gateway: { ports: [{ name: "tcp", port: 31400 }] },
            routing: {
                api: "gateway-api",
                listeners: [{ name: "tcp", port: 31400, protocol: "TCP", hosts: ["*"] }],
                tcp: [{ name: "t", port: 31400, destinations: [{ host: "db", port: 5432 }] }],
            },
        }),
        "routing.tcp: Istio 1.29 reads TCPRoute at v1alpha2 only, which the Gateway API v1.6 (standard channel) CRDs do not serve",
    ],
    [
        "a TLSRoute with Gateway API CRDs older than v1.5",
        () => ({
            ...base(),
            gateway: { ports: [{ name: "tls", port: 443 }] },
            routing: {
                api: "gateway-api",
                gatewayApiVersion: "1.4",
                listeners: [{ name: "tls", port: 443, protocol: "TLS", hosts: ["a.example.com"], tls: { mode: "PASSTHROUGH" } }],
                tls: [{ name: "t", sniHosts: ["a.example.com"], destinations: [{ host: "a", port: 443 }] }],
            },
        }),
        "routing.tls: Istio 1.31 reads TLSRoute at v1 only, which the Gateway API v1.4 (standard channel) CRDs do not serve",
    ],
    [
        "a Gateway API CORS filter for Istio 1.25",
        () => ({
            ...base(),
            istioVersion: "1.25.2",
            routing: {
                api: "gateway-api",
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }],
                http: [
                    {
                        name: "r",
                        hosts: ["a.example.com"],
                        destinations: [{ host: "s", port: 80 }],
                        cors: { allowOrigins: ["https://b.example.com"] },
                    },
                ],
            },
        }),
        "routing.http[0].cors: Istio 1.25 does not read the HTTPRoute CORS filter (Istio 1.26 and later do)",
    ],
    [
        "a Gateway API mirror percentage for ASM 1.23",
        () => ({
            ...asm(),
            asmVersion: "1.23",
            routing: {
                api: "gateway-api",
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }],
                http: [
                    {
                        name: "r",
                        hosts: ["a.example.com"],
                        destinations: [{ host: "s", port: 80 }],
                        mirror: { destination: { host: "shadow", port: 80 }, percentage: 5 },
                    },
                ],
            },
        }),
        "routing.http[0].mirror.percentage: ASM 1.23 (Istio 1.23) does not read requestMirror.percent (Istio 1.24 and later do): the " +
            "percentage is dropped and every request is mirrored",
    ],
    [
        "a Gateway API mirror percentage with CRDs that prune it",
        () => ({
            ...base(),
            routing: {
                api: "gateway-api",
                gatewayApiVersion: "1.2",
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }],
                http: [
                    {
                        name: "r",
                        hosts: ["a.example.com"],
                        destinations: [{ host: "s", port: 80 }],
                        mirror: { destination: { host: "shadow", port: 80 }, percentage: 5 },
                    },
                ],
            },
        }),
        "routing.http[0].mirror.percentage: Gateway API v1.2 (standard channel) CRDs prune requestMirror.percent",
    ],
    [
        "v1 Istio APIs for Istio 1.20",
        () => ({ ...base(), istioVersion: "1.20", routing: { istioApiVersion: "v1" } }),
        "routing.istioApiVersion: Istio 1.20 has no v1 Istio APIs",
    ],
    [
        "an unknown Gateway API channel",
        () => ({ ...base(), routing: { api: "gateway-api", gatewayApiChannel: "beta" } }),
        'routing.gatewayApiChannel: must be one of "standard", "experimental"',
    ],
    [
        "two rate limits for one host (the second would replace the first)",
        () => ({
            ...base(),
            routing: {
                listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }],
                http: [{ name: "a", hosts: ["a.example.com"], destinations: [{ host: "a" }] }],
                rateLimits: [
                    { hosts: ["a.example.com"], requests: 100, unit: "second" },
                    { hosts: ["a.example.com"], requests: 10, unit: "second" },
                ],
            },
        }),
        "routing.rateLimits[1].hosts[0]: a.example.com is already limited by rateLimits[0]",
    ],
    [
        "two whole-gateway rate limits",
        () => ({
            ...base(),
            routing: {
                rateLimits: [
                    { requests: 100, unit: "second" },
                    { requests: 1000, unit: "minute" },
                ],
            },
        }),
        "routing.rateLimits[1]: the whole gateway is already limited by rateLimits[0]",
    ],
];

/**
 * Accepted, with a warning: the same shape, but the fleet is planned and the line must be among
 * its warnings. Wildcard hosts here sit beside a host they cover on one listener.
 */
const wildcardBeside = (http: unknown[], api?: "gateway-api", hosts = ["*.shop.example.com", "eu.shop.example.com"]) => ({
    ...base(),
    routing: { api, listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts }], http },
});
const wildcardApi = {
    name: "api",
    hosts: ["*.shop.example.com"],
    match: [{ path: { prefix: "/api" } }],
    destinations: [{ host: "api", port: 80 }],
};

export const warnings: Case[] = [
    [
        "a wildcard route's match that Istio tries before the covered host's own catch-all",
        () => wildcardBeside([wildcardApi, { name: "eu", hosts: ["eu.shop.example.com"], destinations: [{ host: "eu", port: 80 }] }]),
        "routing.http[0].hosts[0]: *.shop.example.com and routing.http[1] (eu, host eu.shop.example.com) share the virtual host for eu.shop.example.com on routing.listeners[0]: Istio tries routing.http[0].match[0] there first, although eu.shop.example.com is the more specific host",
    ],
    [
        "a wildcard route and a covered host's route ordered by when their VirtualServices were created",
        () =>
            wildcardBeside([
                {
                    name: "eu-api",
                    hosts: ["eu.shop.example.com"],
                    match: [{ path: { prefix: "/api/v2" } }],
                    destinations: [{ host: "eu", port: 80 }],
                },
                wildcardApi,
            ]),
        "routing.http[1].hosts[0]: *.shop.example.com and routing.http[0] (eu-api, host eu.shop.example.com) share the virtual host for eu.shop.example.com on routing.listeners[0]: Istio tries first the routes of the VirtualService created first (then by name), not the order written",
    ],
    [
        "a catch-all host and a wildcard host, both catch-all, on a listener host they both cover",
        () =>
            wildcardBeside(
                [
                    { name: "any", hosts: ["*"], destinations: [{ host: "default", port: 80 }] },
                    { name: "shop", hosts: ["*.shop.example.com"], destinations: [{ host: "shop", port: 80 }] },
                ],
                undefined,
                ["*", "eu.shop.example.com"],
            ),
        "routing.http[0].hosts[0]: * and routing.http[1] (shop, host *.shop.example.com) share the virtual host for eu.shop.example.com on routing.listeners[0]: Istio tries first the routes of the VirtualService created first",
    ],
    [
        "Gateway API routes of a wildcard and a covered hostname that Istio merges in creation order",
        () =>
            wildcardBeside(
                [
                    {
                        name: "eu-api",
                        hosts: ["eu.shop.example.com"],
                        match: [{ path: { prefix: "/api/v2" } }],
                        destinations: [{ host: "eu", port: 80 }],
                    },
                    wildcardApi,
                ],
                "gateway-api",
            ),
        "routing.http[1].hosts[0]: *.shop.example.com and routing.http[0] (eu-api, host eu.shop.example.com) share the virtual host for eu.shop.example.com on routing.listeners[0]: Istio tries first the rules of the hostname whose HTTPRoutes were created first (then by name), although the Gateway API gives eu.shop.example.com precedence",
    ],
];
