// Runs MeshGateway against the in-process engine with a fake cloud: Services get load balancer
// addresses, ASM reports per-cluster addresses, ACK hands out kubeconfigs.
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { MeshGateway, type MeshGatewayArgs } from "../../components/meshGateway";
import type { KubeObject } from "../../core/render/common";
import { runInProcess, type RecordedResource } from "../../offline/engine";
// The component's shape: the fixtures are manifests a user passes to MeshGateway as they are.
import type { GatewaySpec } from "../../components/args";

export const FIXTURES = path.join(__dirname, "..", "..", "..", "tests", "fixtures");

/** The `spec` and name of an IstioGateway manifest in tests/fixtures. */
export function fixture(file: string): { name: string; spec: GatewaySpec } {
    const doc = YAML.parse(fs.readFileSync(path.join(FIXTURES, file), "utf8"));
    return { name: doc.metadata.name, spec: doc.spec };
}

let ipCounter = 0;
export function fakeCloudState(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> | undefined {
    if (type === "kubernetes:core/v1:Service") {
        const spec = inputs.spec as { type?: string };
        ipCounter++;
        if (spec.type === "LoadBalancer") return { status: { loadBalancer: { ingress: [{ ip: `47.100.0.${ipCounter}` }] } } };
        return { spec: { ...spec, clusterIP: `10.96.0.${ipCounter}` } };
    }
    if (type === "alicloud:slb/applicationLoadBalancer:ApplicationLoadBalancer") {
        ipCounter++;
        return { address: inputs.addressIpVersion === "ipv6" ? `2408:4000::${ipCounter}` : inputs.addressType === "intranet" ? `192.168.0.${ipCounter}` : `121.40.0.${ipCounter}` };
    }
    if (type === "alicloud:nlb/loadBalancer:LoadBalancer") {
        return { dnsName: `${name}.cn-hangzhou.nlb.aliyuncsslb.com` };
    }
    if (type === "kubernetes:istio.alibabacloud.com/v1beta1:IstioGateway") {
        const ids = (inputs.spec as { clusterIds: string[] }).clusterIds;
        return { status: { ClusterIdGatewayAddressMap: ids.map((clusterId, i) => ({ clusterId, ipAddress: `39.96.0.${i + 1}` })) } };
    }
    return undefined;
}

export function fakeCloudCall(token: string, args: Record<string, unknown>): Record<string, unknown> {
    if (token === "alicloud:cs/getClusterCredential:getClusterCredential") {
        return { clusterId: args.clusterId, kubeConfig: `apiVersion: v1\nkind: Config\n# ack credential for ${args.clusterId}\n` };
    }
    if (token === "alicloud:index/getRegions:getRegions") return { ids: ["cn-hangzhou"], regions: [] };
    if (token === "alicloud:vpc/getSwitches:getSwitches") {
        // Zone "cn-hangzhou-x" has no vSwitch in this fake cloud.
        const ids = args.zoneId === "cn-hangzhou-x" ? [] : [`vsw-${String(args.zoneId).slice(-1)}-${String(args.vpcId)}`];
        return { ids, vswitches: [] };
    }
    if (token === "alicloud:slb/getApplicationLoadBalancers:getApplicationLoadBalancers") {
        return { balancers: (args.ids as string[]).map((id) => ({ id, address: `47.99.0.${id.length}` })) };
    }
    if (token === "alicloud:nlb/getLoadBalancers:getLoadBalancers") {
        return { balancers: (args.ids as string[]).map((id) => ({ id, dnsName: `${id}.cn-hangzhou.nlb.aliyuncsslb.com` })) };
    }
    return {};
}

export interface FleetRun {
    gateway: MeshGateway;
    resources: RecordedResource[];
    /** The Kubernetes objects registered, with the cluster (provider name suffix) they go to. */
    objects: { scope: string; object: KubeObject }[];
}

export async function runGateway(name: string, args: MeshGatewayArgs): Promise<FleetRun> {
    let gateway: MeshGateway | undefined;
    const resources = await runInProcess(() => {
        gateway = new MeshGateway(name, args);
    }, { preview: false, state: fakeCloudState, call: fakeCloudCall });
    const providers = new Map(resources.filter((r) => r.type === "pulumi:providers:kubernetes").map((r) => [r.urn, r.name]));
    const objects = resources
        .filter((r) => r.type.startsWith("kubernetes:") && r.inputs.kind !== undefined)
        .map((r) => ({ scope: providers.get(r.provider ?? "") ?? "", object: r.inputs as unknown as KubeObject }));
    return { gateway: gateway!, resources, objects };
}

export function valueOf<T>(output: { apply<U>(f: (t: T) => U): unknown }): Promise<T> {
    return new Promise((resolve) => output.apply((v: T) => { resolve(v); return v; }));
}
