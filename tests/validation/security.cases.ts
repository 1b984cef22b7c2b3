// Edge security: JWT, external authorization, IP lists.
import { base } from "../support/builders";
import type { Case } from "./case";

export const cases: Case[] = [
    [
        "a wildcard host in a JWT rule",
        () => ({
            ...base(),
            routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["*.example.com"] }] },
            security: { jwt: [{ issuer: "i", jwksUri: "https://i/jwks", hosts: ["*.example.com"] }] },
        }),
        'security.jwt[0].hosts[0]: "*.example.com": policy hosts must be exact',
    ],
    [
        "two external authorization providers",
        () => ({ ...base(), security: { customAuth: [{ provider: "a" }, { provider: "b" }] } }),
        "security.customAuth: Istio allows one external authorization provider per workload",
    ],
    [
        "IP lists when the load balancer terminates TLS",
        () => ({
            ...base(),
            gateway: { externalTrafficPolicy: "Local", loadBalancer: { backendType: "eni", tls: { certificate: "c", ports: [443] } } },
            security: { ipAllow: ["10.0.0.0/8"] },
        }),
        "security.ipAllow: the gateway does not see client addresses",
    ],
    [
        "a JWKS URI that is not https",
        () => ({ ...base(), security: { jwt: [{ issuer: "i", jwksUri: "http://i/jwks" }] } }),
        "security.jwt[0].jwksUri: must be an https:// URL",
    ],
    [
        "inline JWKS that is not JSON",
        () => ({ ...base(), security: { jwt: [{ issuer: "i", jwks: "{keys" }] } }),
        "security.jwt[0].jwks: is not JSON",
    ],
    [
        "a policy path without a slash",
        () => ({ ...base(), security: { customAuth: [{ provider: "p", paths: ["admin"] }] } }),
        'security.customAuth[0].paths[0]: "admin" must start with /',
    ],
    [
        "a policy host no listener serves",
        () => ({
            ...base(),
            routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }] },
            security: { jwt: [{ issuer: "i", jwksUri: "https://i/jwks", hosts: ["b.example.com"] }] },
        }),
        "security.jwt[0].hosts[0]: no listener serves b.example.com",
    ],
    [
        "a policy host in upper case",
        () => ({
            ...base(),
            routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["shop.example.com"] }] },
            security: { jwt: [{ issuer: "i", jwksUri: "https://i/jwks", hosts: ["SHOP.example.com"] }] },
        }),
        'security.jwt[0].hosts[0]: "SHOP.example.com": hosts are lower-case',
    ],
    [
        "IP lists while an additional load balancer's Service hides client addresses",
        () => ({
            ...base(),
            gateway: {
                loadBalancer: { backendType: "eni" },
                additionalLoadBalancers: [{ name: "internal", addressType: "intranet", vswitchId: "vsw-1" }],
            },
            security: { ipAllow: ["10.0.0.0/8"] },
        }),
        "security.ipAllow: the gateway does not see client addresses behind Service istio-edge-internal in cluster c1 " +
            "(gateway.additionalLoadBalancers[0])",
    ],
    [
        "JWT rules of two issuers whose scopes overlap",
        () => ({
            ...base(),
            security: {
                jwt: [
                    { issuer: "https://a.example.com", jwksUri: "https://a.example.com/jwks" },
                    { issuer: "https://b.example.com", jwksUri: "https://b.example.com/jwks", paths: ["/internal/*"] },
                ],
            },
        }),
        "security.jwt[1]: its hosts and paths overlap those of security.jwt[0] (issuer https://a.example.com) without being the same",
    ],
    [
        "a JWT rule on a gateway without an HTTP port",
        () => ({
            ...base(),
            gateway: { ports: [{ name: "tcp", port: 31400, protocol: "TCP" }] },
            security: { jwt: [{ issuer: "i", jwksUri: "https://i/jwks" }] },
        }),
        "security.jwt[0]: the gateway has no HTTP or HTTPS port to apply it to",
    ],
    [
        "a JWT rule on a port HTTPS shares with TLS passthrough",
        () => ({
            ...base(),
            routing: {
                listeners: [
                    { name: "https", port: 443, protocol: "HTTPS", hosts: ["a.example.com"], tls: { mode: "SIMPLE", credentialName: "c" } },
                    { name: "pass", port: 443, protocol: "TLS", hosts: ["db.example.com"], tls: { mode: "PASSTHROUGH" } },
                ],
            },
            certificates: [{ name: "c", existingSecret: true }],
            security: { jwt: [{ issuer: "i", jwksUri: "https://i/jwks" }] },
        }),
        "security.jwt[0]: port 443 carries HTTP(S) and routing.listeners[1] (TLS): Istio drops a rule's HTTP attributes on TCP and " +
            "TLS passthrough connections",
    ],
];
