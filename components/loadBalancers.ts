// The Alibaba Cloud side of a load balancer binding: create a CLB or NLB from the plan, or read a
// reused one, and give back its id and address for the Service annotations and the outputs.
import * as alicloud from "@pulumi/alicloud";
import * as pulumi from "@pulumi/pulumi";
import { formatPath } from "../core/errors";
import { addressKindOf, type AddressKind, type LoadBalancerPlan, type LoadBalancerType } from "../core/loadBalancer";

export { AddressKind } from "../core/loadBalancer";

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
 * vSwitch lookups for NLB zones given without one. `failures(clusterId)` are that cluster's
 * lookups, each resolving to a message when its zone has no vSwitch; the component holds the
 * cluster's resources behind them, so a missing vSwitch creates nothing there.
 */
export function lookUpVswitches(plans: { clusterId: string; lb: LoadBalancerPlan }[], parent: pulumi.Resource): {
    failures: (clusterId: string) => pulumi.Output<string | undefined>[];
    vswitch: (clusterId: string, lb: LoadBalancerPlan, zone: number) => pulumi.Input<string>;
} {
    const found = new Map<string, pulumi.Output<string | undefined>>();
    const failures = new Map<string, pulumi.Output<string | undefined>[]>();
    for (const { clusterId, lb } of plans) {
        if (!lb.create || lb.settings.type !== "NLB") continue;
        (lb.settings.zoneMappings ?? []).forEach((zone, i) => {
            if (zone.vswitchId !== undefined) return;
            const result = alicloud.vpc.getSwitchesOutput({ vpcId: lb.settings.vpcId as pulumi.Input<string>, zoneId: zone.zoneId }, { parent });
            found.set(`${clusterId}/${lb.key}/${i}`, result.ids.apply((ids) => ids?.[0]));
            const failure = pulumi.all([result.ids, lb.settings.vpcId as pulumi.Input<string>]).apply(([ids, vpc]) => (ids ?? []).length > 0 ? undefined
                : `${formatPath([...lb.path, "zoneMappings", i, "vswitchId"])}: no vSwitch of ${vpc} in zone ${zone.zoneId}; create one or give vswitchId`);
            (failures.get(clusterId) ?? failures.set(clusterId, []).get(clusterId)!).push(failure);
        });
    }
    return {
        failures: (clusterId) => failures.get(clusterId) ?? [],
        vswitch: (clusterId, lb, zone) =>
            (lb.settings.zoneMappings![zone].vswitchId as pulumi.Input<string> | undefined) ?? found.get(`${clusterId}/${lb.key}/${zone}`)!.apply((id) => id!),
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

/** Creates or reads the load balancer of one binding. */
export function deployLoadBalancer(resourceName: string, lb: LoadBalancerPlan, defaultName: string, gate: pulumi.Output<unknown> | undefined, vswitch: (zone: number) => pulumi.Input<string>, parent: pulumi.Resource): LoadBalancerBinding {
    const s = lb.settings;
    const common = { name: lb.key, serviceName: lb.serviceName, type: s.type, created: lb.create };
    if (!lb.create) {
        const id = pulumi.output(s.existingId as pulumi.Input<string>);
        const address = s.type === "CLB"
            ? alicloud.slb.getApplicationLoadBalancersOutput({ ids: [id] }, { parent }).balancers.apply((b) => b?.[0]?.address)
            : alicloud.nlb.getLoadBalancersOutput({ ids: [id] }, { parent }).balancers.apply((b) => b?.[0]?.dnsName);
        return { ...common, id, address, addressKind: address.apply((a) => (a === undefined ? undefined : s.type === "NLB" ? "hostname" : a.includes(":") ? "IPv6" : "IPv4")) };
    }
    // Tags: the cloud controller adds its own to a load balancer a Service is bound to by id.
    // Ignoring tag changes keeps those from showing as drift; the user's tags are set at creation.
    const opts: pulumi.CustomResourceOptions = { parent, ignoreChanges: ["tags"] };
    const gated = <T>(value: pulumi.Input<T>): pulumi.Output<T> => (gate === undefined ? pulumi.output(value) as pulumi.Output<T> : pulumi.all([value, gate]).apply(([v]) => v as T));
    const name = s.loadBalancerName ?? defaultName;
    const kind = addressKindOf(lb);
    if (s.type === "CLB") {
        const clb = new alicloud.slb.ApplicationLoadBalancer(resourceName, {
            loadBalancerName: gated(name),
            addressType: s.addressType,
            addressIpVersion: s.ipVersion,
            loadBalancerSpec: s.spec,
            instanceChargeType: s.instanceChargeType,
            internetChargeType: s.internetChargeType,
            bandwidth: s.bandwidth,
            vswitchId: s.vswitchId as pulumi.Input<string> | undefined,
            masterZoneId: s.masterZoneId,
            slaveZoneId: s.slaveZoneId,
            resourceGroupId: s.resourceGroupId as pulumi.Input<string> | undefined,
            tags: s.tags,
            // Deletion protection exists for pay-as-you-go CLBs only, which is what is created.
            paymentType: "PayAsYouGo",
            deleteProtection: s.deletionProtection === false ? "off" : "on",
        }, opts);
        return { ...common, id: clb.id, address: clb.address, addressKind: pulumi.output(kind) };
    }
    const nlb = new alicloud.nlb.LoadBalancer(resourceName, {
        loadBalancerName: gated(name),
        addressType: s.addressType === "internet" ? "Internet" : "Intranet",
        addressIpVersion: s.ipVersion === "dualstack" ? "DualStack" : "ipv4",
        vpcId: s.vpcId as pulumi.Input<string>,
        zoneMappings: (s.zoneMappings ?? []).map((z, i) => ({ zoneId: z.zoneId, vswitchId: vswitch(i) })),
        crossZoneEnabled: s.crossZoneEnabled,
        securityGroupIds: s.securityGroupIds as pulumi.Input<string>[] | undefined,
        resourceGroupId: s.resourceGroupId as pulumi.Input<string> | undefined,
        tags: s.tags,
        deletionProtectionEnabled: s.deletionProtection !== false,
    }, opts);
    return { ...common, id: nlb.id, address: nlb.dnsName, addressKind: pulumi.output(kind) };
}
