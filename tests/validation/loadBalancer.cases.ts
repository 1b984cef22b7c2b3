// Alibaba Cloud load balancers: CLB and NLB, created or reused, internet or intranet, regions and zones, billing, ACLs,
// additional load balancers.
import { base, asm } from "../support/builders";
import type { Case } from "./case";

export const cases: Case[] = [
    [
        "an NLB with one zone",
        () => ({ ...base(), gateway: { loadBalancer: { type: "NLB", vpcId: "vpc-1", zoneMappings: [{ zoneId: "cn-hangzhou-h" }] } } }),
        "gateway.loadBalancer.zoneMappings: an NLB needs at least two zones (got 1)",
    ],
    [
        "an NLB without a VPC",
        () => ({ ...base(), gateway: { loadBalancer: { type: "NLB", zoneMappings: [{ zoneId: "a" }, { zoneId: "b" }] } } }),
        "gateway.loadBalancer.vpcId: is required to create an NLB",
    ],
    [
        "an NLB zone listed twice",
        () => ({ ...base(), gateway: { loadBalancer: { type: "NLB", vpcId: "v", zoneMappings: [{ zoneId: "a" }, { zoneId: "a" }] } } }),
        "gateway.loadBalancer.zoneMappings[1].zoneId: zone a is listed twice",
    ],
    [
        "IPv6 on an intranet CLB",
        () => ({ ...base(), gateway: { loadBalancer: { addressType: "intranet", ipVersion: "ipv6", vswitchId: "vsw-1" } } }),
        "gateway.loadBalancer.ipVersion: an intranet CLB cannot be IPv6",
    ],
    [
        "dual-stack on a CLB",
        () => ({ ...base(), gateway: { loadBalancer: { ipVersion: "dualstack" } } }),
        "gateway.loadBalancer.ipVersion: dualstack is an NLB option",
    ],
    [
        "a CLB specification (pay-by-specification CLBs are no longer sold)",
        () => ({ ...base(), gateway: { loadBalancer: { spec: "slb.s2.small" } } }),
        "gateway.loadBalancer.spec: pay-as-you-go CLBs are sold pay-by-CLCU only",
    ],
    [
        "an unknown CLB spec",
        () => ({ ...base(), gateway: { loadBalancer: { spec: "slb.s9.huge" } } }),
        "gateway.loadBalancer.spec: pay-as-you-go CLBs are sold pay-by-CLCU only (no specification; pay-by-specification CLBs are no " +
            'longer sold since 2025-06-01): remove spec ("slb.s9.huge" is not a CLB specification either)',
    ],
    [
        "an intranet CLB without a vSwitch",
        () => ({ ...base(), gateway: { loadBalancer: { addressType: "intranet" } } }),
        "gateway.loadBalancer.vswitchId: is required to create an intranet CLB",
    ],
    [
        "bandwidth without pay-by-bandwidth",
        () => ({ ...base(), gateway: { loadBalancer: { bandwidth: 100 } } }),
        "gateway.loadBalancer.bandwidth: applies only with internetChargeType PayByBandwidth",
    ],
    [
        "an NLB field on a CLB",
        () => ({ ...base(), gateway: { loadBalancer: { zoneMappings: [{ zoneId: "a" }, { zoneId: "b" }] } } }),
        "gateway.loadBalancer.zoneMappings: applies only to NLB (type: NLB)",
    ],
    [
        "one reused load balancer for two clusters",
        () => ({ ...base(), gateway: { loadBalancer: { existingId: "lb-1" } } }),
        "gateway.loadBalancer.existingId: load balancer lb-1 is already used by cluster c1",
    ],
    [
        "two Services on one load balancer with the same frontend port",
        () => ({
            ...base(),
            clusters: [{ id: "c1" }],
            gateway: {
                loadBalancer: { existingId: "lb-1" },
                additionalLoadBalancers: [{ name: "more", existingId: "lb-1", ports: ["http2"] }],
            },
        }),
        "gateway.additionalLoadBalancers[0].existingId: cluster c1: load balancer lb-1 already serves TCP:80 for the default Service",
    ],
    [
        "creation settings on a reused load balancer",
        () => ({ ...base(), clusters: [{ id: "c1" }], gateway: { loadBalancer: { existingId: "lb-1", spec: "slb.s2.small" } } }),
        "gateway.loadBalancer.spec: describes a load balancer the component creates",
    ],
    [
        "forceOverrideListeners on a created load balancer",
        () => ({ ...base(), gateway: { loadBalancer: { forceOverrideListeners: true } } }),
        "gateway.loadBalancer.forceOverrideListeners: applies only with existingId",
    ],
    [
        "a load balancer on a ClusterIP Service",
        () => ({ ...base(), gateway: { loadBalancer: {}, overrides: { c2: { serviceType: "ClusterIP" } } } }),
        "gateway.loadBalancer: cluster c2: a load balancer is configured but serviceType is ClusterIP",
    ],
    [
        "a drain timeout longer than the gateway drains",
        () => ({ ...base(), gateway: { loadBalancer: { connectionDrainSeconds: 60 } } }),
        "gateway.loadBalancer.connectionDrainSeconds: 60s is longer than the gateway's drain time (30s)",
    ],
    [
        "a CLB drain timeout below its minimum",
        () => ({ ...base(), gateway: { loadBalancer: { connectionDrainSeconds: 5 } } }),
        "gateway.loadBalancer.connectionDrainSeconds: must be 10–900 seconds for a CLB",
    ],
    [
        "binding annotations given twice",
        () => ({
            ...base(),
            gateway: { loadBalancer: {}, serviceAnnotations: { "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-id": "lb-x" } },
        }),
        "gateway.loadBalancer: cluster c1: serviceAnnotations already bind the Service",
    ],
    [
        "NLB in one ASM cluster and CLB in another (named at the override the user edited)",
        () => ({
            ...asm(),
            gateway: {
                loadBalancer: {},
                overrides: {
                    c2: {
                        loadBalancer: { type: "NLB", vpcId: "v", zoneMappings: [{ zoneId: "cn-hangzhou-h" }, { zoneId: "cn-hangzhou-j" }] },
                    },
                },
            },
        }),
        'gateway.overrides["c2"].loadBalancer.type: in asm mode every cluster\'s gateway Service gets the same loadBalancerClass',
    ],
    [
        "an additional load balancer on an unknown port",
        () => ({ ...base(), gateway: { additionalLoadBalancers: [{ name: "internal", ports: ["grpc"] }] } }),
        'gateway.additionalLoadBalancers[0].ports[0]: "grpc" is not one of the gateway\'s ports',
    ],
    [
        "an additional load balancer in asm mode without cluster credentials",
        () => ({ ...asm(), gateway: { additionalLoadBalancers: [{ name: "internal" }] } }),
        "gateway.additionalLoadBalancers[0]: cluster c1: in asm mode an additional load balancer's Service is created in the cluster " +
            "itself",
    ],
    [
        "ecs backends without a node port for the status port",
        () => ({ ...base(), gateway: { loadBalancer: { backendType: "ecs" } } }),
        "gateway.loadBalancer.backendType: with ecs backends the health check reaches the status port through its node port",
    ],
    [
        "a misspelt load balancer field",
        () => ({ ...base(), gateway: { loadBalancer: { adressType: "internet" } } }),
        "gateway.loadBalancer.adressType: unknown field (did you mean addressType?)",
    ],
    [
        "a load balancer in a cluster without a region",
        () => ({ ...base(), clusters: [{ id: "c1" }], gateway: { loadBalancer: {} } }),
        "clusters[0].region: is required: cluster c1 has a load balancer (gateway.loadBalancer), which is created and looked up in " +
            "the cluster's region",
    ],
    [
        "a region that is not a region id",
        () => ({ ...base(), clusters: [{ id: "c1", region: "Hangzhou" }] }),
        "clusters[0].region: must match pattern",
    ],
    [
        "an NLB zone outside the cluster's region",
        () => ({
            ...base(),
            clusters: [{ id: "c1", region: "cn-beijing" }],
            gateway: {
                loadBalancer: { type: "NLB", vpcId: "v", zoneMappings: [{ zoneId: "cn-hangzhou-h" }, { zoneId: "cn-hangzhou-j" }] },
            },
        }),
        "gateway.loadBalancer.zoneMappings[0].zoneId: zone cn-hangzhou-h is in region cn-hangzhou, not in the cluster's region cn-beijing",
    ],
    [
        "NLB zones from two regions",
        () => ({
            ...base(),
            gateway: {
                loadBalancer: { type: "NLB", vpcId: "v", zoneMappings: [{ zoneId: "cn-hangzhou-h" }, { zoneId: "cn-shanghai-l" }] },
            },
        }),
        "gateway.loadBalancer.zoneMappings[1].zoneId: zone cn-shanghai-l is in region cn-shanghai, not in the cluster's region cn-hangzhou",
    ],
    [
        "a CLB zone outside the cluster's region, in one cluster's override",
        () => ({ ...base(), gateway: { loadBalancer: {}, overrides: { c2: { loadBalancer: { masterZoneId: "ap-southeast-1a" } } } } }),
        'gateway.overrides["c2"].loadBalancer.masterZoneId: zone ap-southeast-1a is in region ap-southeast-1, not in the cluster\'s ' +
            "region cn-hangzhou",
    ],
    [
        "PayBySpec billing",
        () => ({ ...base(), gateway: { loadBalancer: { instanceChargeType: "PayBySpec" } } }),
        "gateway.loadBalancer.instanceChargeType: PayBySpec CLBs are no longer sold",
    ],
    [
        "PayByBandwidth on an internet CLB (pay-by-CLCU has no bandwidth billing)",
        () => ({ ...base(), gateway: { loadBalancer: { internetChargeType: "PayByBandwidth" } } }),
        "gateway.loadBalancer.internetChargeType: a pay-by-CLCU CLB is billed by data transfer (PayByTraffic) only",
    ],
    [
        "an NLB drain timeout below 10 s",
        () => ({
            ...base(),
            gateway: {
                loadBalancer: {
                    type: "NLB",
                    vpcId: "v",
                    zoneMappings: [{ zoneId: "cn-hangzhou-h" }, { zoneId: "cn-hangzhou-j" }],
                    connectionDrainSeconds: 5,
                },
            },
        }),
        "gateway.loadBalancer.connectionDrainSeconds: must be 10–900 seconds for a NLB",
    ],
    [
        "a reused NLB id without type NLB",
        () => ({
            ...base(),
            clusters: [{ id: "c1", region: "cn-hangzhou" }],
            gateway: { loadBalancer: { existingId: "nlb-wwhlsx1uj5hlmj9xxx" } },
        }),
        "gateway.loadBalancer.existingId: nlb-wwhlsx1uj5hlmj9xxx is the id of an NLB, but type is CLB",
    ],
    [
        "a reused CLB id with type NLB",
        () => ({
            ...base(),
            clusters: [{ id: "c1", region: "cn-hangzhou" }],
            gateway: { loadBalancer: { type: "NLB", existingId: "lb-bp1xxx" } },
        }),
        "gateway.loadBalancer.existingId: lb-bp1xxx is the id of an CLB, but type is NLB",
    ],
    [
        "zones looked up for a dual-stack NLB",
        () => ({
            ...base(),
            gateway: {
                loadBalancer: {
                    type: "NLB",
                    ipVersion: "dualstack",
                    vpcId: "v",
                    zoneMappings: [{ zoneId: "cn-hangzhou-h" }, { zoneId: "cn-hangzhou-j" }],
                },
            },
        }),
        "gateway.loadBalancer.zoneMappings[0].vswitchId: a dual-stack NLB needs an IPv6-enabled vSwitch in each zone",
    ],
    [
        "vServer groups on a created CLB",
        () => ({ ...base(), gateway: { loadBalancer: { vServerGroups: [{ port: 80, id: "rsp-1" }] } } }),
        "gateway.loadBalancer.vServerGroups: applies to a reused CLB (existingId)",
    ],
    [
        "a vServer group for a port the Service lacks",
        () => ({
            ...base(),
            clusters: [{ id: "c1", region: "cn-hangzhou" }],
            gateway: { loadBalancer: { existingId: "lb-1", vServerGroups: [{ port: 8080, id: "rsp-1" }] } },
        }),
        "gateway.loadBalancer.vServerGroups[0].port: 8080 is not a port of this load balancer's Service",
    ],
    [
        "vServer groups on an NLB",
        () => ({
            ...base(),
            clusters: [{ id: "c1", region: "cn-hangzhou" }],
            gateway: { loadBalancer: { type: "NLB", existingId: "nlb-1", vServerGroups: [{ port: 80, id: "rsp-1" }] } },
        }),
        "gateway.loadBalancer.vServerGroups: applies only to CLB",
    ],
    [
        "an ACL on a reused CLB whose listeners the controller leaves alone",
        () => ({
            ...base(),
            clusters: [{ id: "c1", region: "cn-hangzhou" }],
            gateway: { loadBalancer: { existingId: "lb-1", acl: { id: "acl-1", type: "white" } } },
        }),
        "gateway.loadBalancer.acl: the controller sets ACLs only on listeners it manages",
    ],
    [
        "an ACL type that is not white or black",
        () => ({ ...base(), gateway: { loadBalancer: { acl: { id: "acl-1", type: "allow" } } } }),
        'gateway.loadBalancer.acl.type: must be one of "white", "black"',
    ],
    [
        "client address preservation on a CLB",
        () => ({ ...base(), gateway: { loadBalancer: { preserveClientIp: false } } }),
        "gateway.loadBalancer.preserveClientIp: applies only to NLB (type: NLB)",
    ],
    [
        "an ACL both in serviceAnnotations and loadBalancer.acl",
        () => ({
            ...base(),
            gateway: {
                serviceAnnotations: { "service.beta.kubernetes.io/alicloud-loadbalancer-acl-id": "acl-1" },
                loadBalancer: { acl: { id: "acl-2", type: "white" } },
            },
        }),
        "gateway.loadBalancer: cluster c1: serviceAnnotations already bind the Service " +
            "(service.beta.kubernetes.io/alicloud-loadbalancer-acl-id)",
    ],
    [
        "a PayByBandwidth intranet CLB",
        () => ({ ...base(), gateway: { loadBalancer: { addressType: "intranet", vswitchId: "v", internetChargeType: "PayByBandwidth" } } }),
        "gateway.loadBalancer.internetChargeType: a pay-by-CLCU CLB is billed by data transfer (PayByTraffic) only",
    ],
    [
        "a vSwitch on an internet CLB",
        () => ({ ...base(), gateway: { loadBalancer: { vswitchId: "v" } } }),
        "gateway.loadBalancer.vswitchId: applies only to intranet CLBs",
    ],
    [
        "more than 10 tags on a CLB",
        () => ({
            ...base(),
            gateway: { loadBalancer: { tags: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`t${i}`, "v"])) } },
        }),
        "gateway.loadBalancer.tags: a CLB takes at most 10 tags",
    ],
    [
        "a CLB field on an NLB",
        () => ({
            ...base(),
            gateway: { loadBalancer: { type: "NLB", vpcId: "v", zoneMappings: [{ zoneId: "a" }, { zoneId: "b" }], spec: "slb.s2.small" } },
        }),
        "gateway.loadBalancer.spec: applies only to CLB",
    ],
    [
        "IPv6 on an NLB",
        () => ({
            ...base(),
            gateway: { loadBalancer: { type: "NLB", vpcId: "v", zoneMappings: [{ zoneId: "a" }, { zoneId: "b" }], ipVersion: "ipv6" } },
        }),
        "gateway.loadBalancer.ipVersion: an NLB is ipv4 or dualstack",
    ],
    [
        "an unknown scheduler",
        () => ({ ...base(), gateway: { loadBalancer: { scheduler: "sch" } } }),
        'gateway.loadBalancer.scheduler: "sch" is not a CLB scheduler',
    ],
    [
        "an additional load balancer named default",
        () => ({ ...base(), gateway: { additionalLoadBalancers: [{ name: "default" }] } }),
        'gateway.additionalLoadBalancers[0].name: "default" is used twice (or is the reserved name "default")',
    ],
    [
        "an additional load balancer whose Service name would pass 63 characters",
        () => ({ ...base(), name: "g".repeat(55), gateway: { additionalLoadBalancers: [{ name: "public" }] } }),
        `gateway.additionalLoadBalancers[0].name: its Service istio-${"g".repeat(55)}-public is 68 characters; Kubernetes allows 63`,
    ],
    [
        "an additional load balancer name that is not a DNS label",
        () => ({ ...base(), gateway: { additionalLoadBalancers: [{ name: "Internal_LB" }] } }),
        'gateway.additionalLoadBalancers[0].name: "Internal_LB" must be a DNS label',
    ],
    [
        "a loadBalancerClass that is not the NLB's",
        () => ({ ...base(), gateway: { loadBalancerClass: "example.com/lb", loadBalancer: {} } }),
        'gateway.loadBalancer.type: cluster c1: loadBalancerClass is "example.com/lb", which does not select a CLB',
    ],
    [
        "a status hostname on an NLB",
        () => ({
            ...base(),
            gateway: {
                loadBalancer: {
                    type: "NLB",
                    vpcId: "vpc-1",
                    zoneMappings: [{ zoneId: "cn-hangzhou-h" }, { zoneId: "cn-hangzhou-j" }],
                    statusHostname: { enabled: true },
                },
            },
        }),
        "gateway.loadBalancer.statusHostname: applies only to a CLB: an NLB's Service status always carries the NLB's DNS name",
    ],
    [
        "a status hostname that is an IP",
        () => ({ ...base(), gateway: { loadBalancer: { statusHostname: { hostname: "10.0.0.1" } } } }),
        'gateway.loadBalancer.statusHostname.hostname: "10.0.0.1" is an IP address',
    ],
    [
        "a status hostname that is not a DNS name",
        () => ({
            ...base(),
            gateway: { overrides: { c2: { loadBalancer: { statusHostname: { hostname: "Gateway_Edge.example.com" } } } } },
        }),
        'gateway.overrides["c2"].loadBalancer.statusHostname.hostname: "Gateway_Edge.example.com" is not a DNS name',
    ],
    [
        "a status hostname on an additional load balancer that is turned off",
        () => ({
            ...base(),
            gateway: {
                loadBalancer: {},
                additionalLoadBalancers: [
                    {
                        name: "internal",
                        addressType: "intranet",
                        vswitchId: "vsw-1",
                        statusHostname: { enabled: false, hostname: "gw.example.com" },
                    },
                ],
            },
        }),
        "gateway.additionalLoadBalancers[0].statusHostname.hostname: is given but enabled is false",
    ],
    [
        "a typo in statusHostname",
        () => ({ ...base(), gateway: { loadBalancer: { statusHostname: { hostName: "gw.example.com" } } } }),
        "gateway.loadBalancer.statusHostname.hostName: unknown field (did you mean hostname?)",
    ],
];
