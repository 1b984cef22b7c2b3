// The gateway's Kubernetes Service: ports, Service type, traffic policy, source ranges, IP families, Service labels and annotations.
import { base } from "../support/builders";
import type { Case } from "./case";

export const cases: Case[] = [
    [
        "duplicate port names",
        () => ({
            ...base(),
            gateway: {
                ports: [
                    { name: "http", port: 80 },
                    { name: "http", port: 8080 },
                ],
            },
        }),
        'gateway.ports[1].name: duplicate port name "http" (also ports[0])',
    ],
    [
        "duplicate port numbers",
        () => ({
            ...base(),
            gateway: {
                ports: [
                    { name: "http", port: 80 },
                    { name: "http-alt", port: 80 },
                ],
            },
        }),
        "gateway.ports[1].port: duplicate port 80 (also ports[0])",
    ],
    [
        "a port out of range",
        () => ({ ...base(), gateway: { ports: [{ name: "http", port: 70000 }] } }),
        "gateway.ports[0].port: must be <= 65535",
    ],
    [
        "a port targeting the proxy's own port",
        () => ({ ...base(), gateway: { ports: [{ name: "metrics", port: 9090, targetPort: 15090 }] } }),
        "gateway.ports[0].targetPort: 15090 belongs to the injected Envoy proxy",
    ],
    [
        "externalTrafficPolicy on a ClusterIP Service",
        () => ({ ...base(), gateway: { serviceType: "ClusterIP", externalTrafficPolicy: "Local" } }),
        "gateway.externalTrafficPolicy: applies only to LoadBalancer and NodePort Services; serviceType is ClusterIP",
    ],
    [
        "loadBalancerClass on a NodePort Service in one cluster",
        () => ({ ...base(), gateway: { loadBalancerClass: "alibabacloud.com/nlb", overrides: { c2: { serviceType: "NodePort" } } } }),
        'gateway.overrides["c2"].loadBalancerClass: applies only when serviceType is LoadBalancer; it is NodePort',
    ],
    [
        "an invalid label key",
        () => ({ ...base(), gateway: { serviceLabels: { "bad key": "x" } } }),
        'gateway.serviceLabels["bad key"]: "bad key" is not a valid label key',
    ],
    [
        "a node port on a ClusterIP Service",
        () => ({ ...base(), gateway: { serviceType: "ClusterIP", ports: [{ name: "http", port: 80, nodePort: 30080 }] } }),
        "gateway.ports[0].nodePort: a ClusterIP Service has no node ports",
    ],
    [
        "an invalid annotation key",
        () => ({ ...base(), gateway: { serviceAnnotations: { "Example.com/x": "1" } } }),
        'gateway.serviceAnnotations["Example.com/x"]: "Example.com/x" is not a valid annotation key',
    ],
    [
        "source ranges on a ClusterIP Service",
        () => ({ ...base(), gateway: { serviceType: "ClusterIP", loadBalancerSourceRanges: ["10.0.0.0/8"] } }),
        "gateway.loadBalancerSourceRanges: applies only when serviceType is LoadBalancer; it is ClusterIP",
    ],
    [
        "a source range that is not a CIDR block",
        () => ({ ...base(), gateway: { loadBalancerSourceRanges: ["10.0.0.1"] } }),
        'gateway.loadBalancerSourceRanges[0]: "10.0.0.1" is not a CIDR block',
    ],
    [
        "an external IP that is not an address",
        () => ({ ...base(), gateway: { externalIPs: ["gw.example.com"] } }),
        'gateway.externalIPs[0]: "gw.example.com" is not an IP address',
    ],
    [
        "two IP families on a single stack",
        () => ({ ...base(), gateway: { ipFamilies: ["IPv4", "IPv6"] } }),
        "gateway.ipFamilyPolicy: two ipFamilies need ipFamilyPolicy PreferDualStack or RequireDualStack",
    ],
    [
        "an IP family twice",
        () => ({ ...base(), gateway: { ipFamilyPolicy: "PreferDualStack", ipFamilies: ["IPv4", "IPv4"] } }),
        "gateway.ipFamilies: must NOT have duplicate items",
    ],
    [
        "an unknown IP family policy",
        () => ({ ...base(), gateway: { ipFamilyPolicy: "DualStack" } }),
        'gateway.ipFamilyPolicy: must be one of "SingleStack", "PreferDualStack", "RequireDualStack"',
    ],
];
