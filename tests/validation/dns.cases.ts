// DNS records for the gateway's addresses.
import { base, asm } from "../support/builders";
import type { Case } from "./case";

export const cases: Case[] = [
    [
        "DNS following a load balancer a cluster lacks",
        () => ({
            ...base(),
            gateway: {
                loadBalancer: {},
                overrides: { c1: { additionalLoadBalancers: [{ name: "internal", addressType: "intranet", vswitchId: "v" }] } },
            },
            routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }] },
            dns: { zone: "example.com", privateZoneId: "pz", loadBalancer: "internal" },
        }),
        "dns.loadBalancer: cluster c2 has no additional load balancer named internal to point DNS at",
    ],
    [
        "DNS per host for a name not published",
        () => ({
            ...base(),
            routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }] },
            dns: { zone: "example.com", hostLoadBalancers: { "b.example.com": "default" } },
        }),
        'dns.hostLoadBalancers["b.example.com"]: b.example.com is not a published name (a.example.com)',
    ],
    [
        "DNS in asm mode without a managed load balancer",
        () => ({
            ...asm(),
            routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }] },
            dns: { zone: "example.com" },
        }),
        "dns: in asm mode DNS points at the load balancer the component manages: cluster c1 needs gateway.loadBalancer",
    ],
    [
        "a DNS zone that is not a name",
        () => ({
            ...base(),
            routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }] },
            dns: { zone: "*.example.com" },
        }),
        'dns.zone: "*.example.com" is not a DNS zone name',
    ],
    [
        "DNS with no host in the zone",
        () => ({
            ...base(),
            routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }] },
            dns: { zone: "example.org" },
        }),
        "dns.zone: no host to publish: no listener host is in example.org",
    ],
    [
        "per-cluster names for a cluster id that is not a DNS label",
        () => ({
            ...base(),
            clusters: [{ id: "C_1" }],
            routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }] },
            dns: { zone: "example.com", records: "perCluster" },
        }),
        "dns.records: cluster id C_1 cannot be a DNS label",
    ],
    [
        "an IPv6 load balancer in a private zone",
        () => ({
            ...base(),
            gateway: { loadBalancer: { ipVersion: "ipv6" } },
            routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }] },
            dns: { zone: "example.com", privateZoneId: "pz" },
        }),
        "dns.privateZoneId: PrivateZone records here are A or CNAME",
    ],
];
