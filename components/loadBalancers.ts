// The Alibaba Cloud side of a load balancer binding: create a CLB or NLB from the plan, or read a
// reused one, and give back its id and address for the Service annotations and the outputs.
import * as alicloud from "@pulumi/alicloud";
import * as pulumi from "@pulumi/pulumi";
import { formatPath, type PathSegment } from "../core/errors";
import { addressKindOf, addressKindOfAddress, type AddressKind, type LoadBalancerPlan, type LoadBalancerType } from "../core/loadBalancer";

export interface LoadBalancerBinding {
    /** `default` (the gateway Service) or the additional load balancer's name. */
    name: string;
    serviceName: string;
    type: LoadBalancerType;
    /** True when the component created it (and deletion protection guards it by default). */
    created: boolean;
    id: pulumi.Output<string>;
    /** CLB: its IP address; NLB: its DNS name. */
    address: pulumi.Output<string | undefined>;
    addressKind: pulumi.Output<AddressKind | undefined>;
}

/** What a load balancer resolves to in the component's outputs. */
export interface LoadBalancerInfo {
    /** `default` (the gateway Service's) or the additional load balancer's name. */
    name: string;
    /** The Service bound to it. */
    serviceName: string;
    /** CLB or NLB. */
    type: LoadBalancerType;
    /** True when the component created it (deletion protection guards it by default); false when reused. */
    created: boolean;
    /** Alibaba Cloud id of the load balancer. */
    id: string;
    /** CLB: its IP address; NLB: its DNS name. Unset until known. */
    address?: string;
    /** The DNS record the address needs: IPv4 (A), IPv6 (AAAA) or hostname (CNAME). */
    addressKind?: AddressKind;
}

/**
 * The cloud checks and lookups of a fleet's load balancers, each through the provider of its
 * cluster's region: vSwitches for NLB zones given without one (and each given vSwitch, which
 * must be in that region and zone), and reused load balancers (which must exist there).
 * `failures(clusterId)` resolve to a message each when a check fails; the component holds the
 * cluster's resources behind them, so a wrong region or a missing vSwitch creates nothing there.
 */
export function lookUpCloud(
    plans: { clusterId: string; region: string; lb: LoadBalancerPlan }[],
    provider: (region: string) => pulumi.ProviderResource,
    parent: pulumi.Resource,
): {
    failures: (clusterId: string) => pulumi.Output<string | undefined>[];
    vswitch: (clusterId: string, lb: LoadBalancerPlan, zone: number) => pulumi.Input<string>;
    existing: (clusterId: string, lb: LoadBalancerPlan) => pulumi.Output<string | undefined>;
} {
    const found = new Map<string, pulumi.Output<string | undefined>>();
    const addresses = new Map<string, pulumi.Output<string | undefined>>();
    const failures = new Map<string, pulumi.Output<string | undefined>[]>();
    const fail = (clusterId: string, check: pulumi.Output<string | undefined>) =>
        (failures.get(clusterId) ?? failures.set(clusterId, []).get(clusterId)!).push(check);
    for (const { clusterId, region, lb } of plans) {
        const opts = { parent, provider: provider(region) };
        const s = lb.settings;
        if (!lb.create) {
            const id = pulumi.output(s.existingId as pulumi.Input<string>);
            // Whether it exists (the ids found) is known before its address: `preview` may not
            // know the address yet.
            const clb = s.type === "CLB" ? alicloud.slb.getApplicationLoadBalancersOutput({ ids: [id] }, opts) : undefined;
            const nlb = s.type === "NLB" ? alicloud.nlb.getLoadBalancersOutput({ ids: [id] }, opts) : undefined;
            const foundIds = clb?.ids ?? nlb!.ids;
            const address =
                clb !== undefined
                    ? clb.balancers.apply((b) => b?.[0]?.address || undefined)
                    : nlb!.balancers.apply((b) => b?.[0]?.dnsName || undefined);
            addresses.set(`${clusterId}/${lb.key}`, address);
            fail(
                clusterId,
                pulumi
                    .all([foundIds, id])
                    .apply(([ids, lbId]) =>
                        (ids ?? []).includes(lbId)
                            ? undefined
                            : `${formatPath([...lb.path, "existingId"])}: no ${s.type} ${lbId} in region ${region} (the cluster's region); a load balancer is bound only in its cluster's region`,
                    ),
            );
            continue;
        }
        const given: [PathSegment[], pulumi.Input<string>, string | undefined][] = [];
        if (s.vswitchId !== undefined) given.push([[...lb.path, "vswitchId"], s.vswitchId as pulumi.Input<string>, undefined]);
        (s.zoneMappings ?? []).forEach((zone, i) => {
            if (zone.vswitchId !== undefined) {
                given.push([[...lb.path, "zoneMappings", i, "vswitchId"], zone.vswitchId as pulumi.Input<string>, zone.zoneId]);
                return;
            }
            const result = alicloud.vpc.getSwitchesOutput({ vpcId: s.vpcId as pulumi.Input<string>, zoneId: zone.zoneId }, opts);
            // The lowest id, so that the choice does not depend on the order the API lists them in.
            found.set(
                `${clusterId}/${lb.key}/${i}`,
                result.ids.apply((ids) => [...(ids ?? [])].sort()[0]),
            );
            fail(
                clusterId,
                pulumi
                    .all([result.ids, s.vpcId as pulumi.Input<string>])
                    .apply(([ids, vpc]) =>
                        (ids ?? []).length > 0
                            ? undefined
                            : `${formatPath([...lb.path, "zoneMappings", i, "vswitchId"])}: no vSwitch of ${vpc} in zone ${zone.zoneId}; create one or give vswitchId`,
                    ),
            );
        });
        for (const [path, id, zoneId] of given) {
            const result = alicloud.vpc.getSwitchesOutput({ ids: [id] }, opts);
            fail(
                clusterId,
                pulumi.all([result.vswitches, id]).apply(([vswitches, vsw]) => {
                    const v = (vswitches ?? [])[0];
                    if (v === undefined) return `${formatPath(path)}: no vSwitch ${vsw} in region ${region} (the cluster's region)`;
                    if (zoneId !== undefined && v.zoneId !== undefined && v.zoneId !== "" && v.zoneId !== zoneId)
                        return `${formatPath(path)}: vSwitch ${vsw} is in zone ${v.zoneId}, not ${zoneId}`;
                    return undefined;
                }),
            );
        }
    }
    return {
        failures: (clusterId) => failures.get(clusterId) ?? [],
        vswitch: (clusterId, lb, zone) =>
            (lb.settings.zoneMappings![zone].vswitchId as pulumi.Input<string> | undefined) ??
            found.get(`${clusterId}/${lb.key}/${zone}`)!.apply((id) => id!),
        existing: (clusterId, lb) => addresses.get(`${clusterId}/${lb.key}`)!,
    };
}

/** Resolves when every check passes; fails, naming each failed one, otherwise. */
export function gateOf(checks: pulumi.Output<string | undefined>[], parent: pulumi.Resource): pulumi.Output<unknown> | undefined {
    if (checks.length === 0) return undefined;
    return pulumi.all(checks).apply((messages) => {
        const failed = messages.filter((m): m is string => m !== undefined);
        if (failed.length > 0) throw new pulumi.ResourceError(`cannot create the gateway:\n  ${failed.join("\n  ")}`, parent, true);
        return true;
    });
}

/**
 * Creates the load balancer of one binding through its region's provider, or describes a reused
 * one (`existingAddress`, from `lookUpCloud`).
 */
export function deployLoadBalancer(
    resourceName: string,
    lb: LoadBalancerPlan,
    defaultName: string,
    gate: pulumi.Output<unknown> | undefined,
    vswitch: (zone: number) => pulumi.Input<string>,
    existingAddress: pulumi.Output<string | undefined> | undefined,
    provider: pulumi.ProviderResource,
    parent: pulumi.Resource,
): LoadBalancerBinding {
    const s = lb.settings;
    const common = { name: lb.key, serviceName: lb.serviceName, type: s.type, created: lb.create };
    if (!lb.create) {
        const id = pulumi.output(s.existingId as pulumi.Input<string>);
        const address = existingAddress!;
        return { ...common, id, address, addressKind: address.apply((a) => (a === undefined ? undefined : addressKindOfAddress(a))) };
    }
    // Tags: the cloud controller adds its own to a load balancer a Service is bound to by id.
    // Ignoring tag changes keeps those from showing as drift; the user's tags are set at creation.
    const opts: pulumi.CustomResourceOptions = { parent, provider, ignoreChanges: ["tags"] };
    const gated = <T>(value: pulumi.Input<T>): pulumi.Output<T> =>
        gate === undefined ? (pulumi.output(value) as pulumi.Output<T>) : pulumi.all([value, gate]).apply(([v]) => v as T);
    const name = s.loadBalancerName ?? defaultName;
    const kind = addressKindOf(lb);
    if (s.type === "CLB") {
        const clb = new alicloud.slb.ApplicationLoadBalancer(
            resourceName,
            {
                loadBalancerName: gated(name),
                addressType: s.addressType,
                addressIpVersion: s.ipVersion,
                // Pay-as-you-go CLBs are sold pay-by-CLCU only (CreateLoadBalancer, since
                // 2025-06-01); the provider's own default is still PayBySpec.
                instanceChargeType: "PayByCLCU",
                internetChargeType: s.addressType === "internet" ? "PayByTraffic" : undefined,
                vswitchId: s.vswitchId as pulumi.Input<string> | undefined,
                masterZoneId: s.masterZoneId,
                slaveZoneId: s.slaveZoneId,
                resourceGroupId: s.resourceGroupId as pulumi.Input<string> | undefined,
                tags: tagsInput(s.tags),
                // Deletion protection exists for pay-as-you-go CLBs only, which is what is created.
                paymentType: "PayAsYouGo",
                deleteProtection: s.deletionProtection === false ? "off" : "on",
            },
            opts,
        );
        return { ...common, id: clb.id, address: clb.address, addressKind: pulumi.output(kind) };
    }
    const internet = s.addressType === "internet";
    const nlb = new alicloud.nlb.LoadBalancer(
        resourceName,
        {
            loadBalancerName: gated(name),
            addressType: internet ? "Internet" : "Intranet",
            addressIpVersion: s.ipVersion === "dualstack" ? "DualStack" : "ipv4",
            // A dual-stack NLB's IPv6 address is private unless asked otherwise (the API default is
            // Intranet): follow the IPv4 address type, or IPv6 clients on the Internet cannot reach it.
            ipv6AddressType: s.ipVersion === "dualstack" ? (internet ? "Internet" : "Intranet") : undefined,
            vpcId: s.vpcId as pulumi.Input<string>,
            zoneMappings: (s.zoneMappings ?? []).map((z, i) => ({ zoneId: z.zoneId, vswitchId: vswitch(i) })),
            crossZoneEnabled: s.crossZoneEnabled,
            securityGroupIds: s.securityGroupIds as pulumi.Input<string>[] | undefined,
            resourceGroupId: s.resourceGroupId as pulumi.Input<string> | undefined,
            tags: tagsInput(s.tags),
            deletionProtectionEnabled: s.deletionProtection !== false,
        },
        opts,
    );
    return { ...common, id: nlb.id, address: nlb.dnsName, addressKind: pulumi.output(kind) };
}

/**
 * The user's tags as an Output. The SDK labels each top-level input of a resource with the value
 * as text (`${value}`, @pulumi/pulumi runtime/rpc.js `transferProperties`), which throws for a
 * map with a tag named `toString` or `valueOf`; an Output it labels without reading.
 */
function tagsInput(tags: Record<string, string> | undefined): pulumi.Output<Record<string, string>> | undefined {
    return tags === undefined ? undefined : pulumi.output(tags);
}
