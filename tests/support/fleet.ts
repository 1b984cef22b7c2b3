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
const secretRevisions = new Map<string, { content: string; revision: number }>();
export function fakeCloudState(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> | undefined {
    if (type === "kubernetes:core/v1:Service") {
        const spec = inputs.spec as { type?: string };
        ipCounter++;
        // The CLB controller writes its hostname annotation, when there is one, instead of the IP.
        const hostname = (inputs.metadata as { annotations?: Record<string, string> }).annotations?.[
            "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-hostname"
        ];
        if (spec.type === "LoadBalancer")
            return { status: { loadBalancer: { ingress: [hostname !== undefined ? { hostname } : { ip: `47.100.0.${ipCounter}` }] } } };
        return { spec: { ...spec, clusterIP: `10.96.0.${ipCounter}` } };
    }
    // The API server's revision of a Secret: a counter that moves whenever the Secret is written with new content.
    if (type === "kubernetes:core/v1:Secret") {
        const content = JSON.stringify(inputs);
        const last = secretRevisions.get(name);
        const revision = last === undefined ? 1 : last.content === content ? last.revision : last.revision + 1;
        secretRevisions.set(name, { content, revision });
        return { metadata: { ...(inputs.metadata as Record<string, unknown>), resourceVersion: String(revision) } };
    }
    if (type === "alicloud:slb/applicationLoadBalancer:ApplicationLoadBalancer") {
        ipCounter++;
        return {
            address:
                inputs.addressIpVersion === "ipv6"
                    ? `2408:4000::${ipCounter}`
                    : inputs.addressType === "intranet"
                      ? `192.168.0.${ipCounter}`
                      : `121.40.0.${ipCounter}`,
        };
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

/** ACK clusters of the fake cloud that are not in the region asked about: id → their region. */
export const FAKE_ACK_REGIONS: Record<string, string> = { "c-beijing": "cn-beijing" };

export function fakeCloudCall(token: string, args: Record<string, unknown>, provider?: Record<string, unknown>): Record<string, unknown> {
    const region = String(provider?.region ?? "cn-hangzhou");
    if (token === "alicloud:cs/getClusters:getClusters") {
        // Every cluster runs where it is asked about, except those FAKE_ACK_REGIONS places elsewhere.
        const ids = (args.ids as string[]).filter((id) => (FAKE_ACK_REGIONS[id] ?? region) === region);
        return { ids, clusters: ids.map((id) => ({ id, clusterId: id, regionId: region })) };
    }
    if (token === "alicloud:cs/getClusterCredential:getClusterCredential") {
        return { clusterId: args.clusterId, kubeConfig: `apiVersion: v1\nkind: Config\n# ack credential for ${args.clusterId}\n` };
    }
    if (token === "alicloud:index/getRegions:getRegions") return { ids: ["cn-hangzhou"], regions: [] };
    if (token === "alicloud:vpc/getSwitches:getSwitches" && args.ids !== undefined) {
        // A vSwitch named "vsw-<region>-<zone letter>…" is in that region and zone; any other exists everywhere.
        const vswitches = (args.ids as string[]).flatMap((id) => {
            const m = /^vsw-([a-z]+-[a-z]+)-([a-z])/.exec(id);
            if (m !== null && m[1] !== region) return [];
            return [{ id, vswitchId: id, zoneId: m === null ? "" : `${m[1]}-${m[2]}` }];
        });
        return { ids: vswitches.map((v) => v.id), vswitches };
    }
    if (token === "alicloud:vpc/getSwitches:getSwitches") {
        // Zone "cn-hangzhou-x" has no vSwitch in this fake cloud.
        const ids = args.zoneId === "cn-hangzhou-x" ? [] : [`vsw-${String(args.zoneId).slice(-1)}-${String(args.vpcId)}`];
        return { ids, vswitches: [] };
    }
    // Load balancers with "elsewhere" in their id are in another region than the one asked.
    const here = (ids: string[]) => ids.filter((id) => !id.includes("elsewhere"));
    if (token === "alicloud:slb/getApplicationLoadBalancers:getApplicationLoadBalancers") {
        return {
            ids: here(args.ids as string[]),
            balancers: here(args.ids as string[]).map((id) => ({ id, address: `47.99.0.${id.length}` })),
        };
    }
    if (token === "alicloud:nlb/getLoadBalancers:getLoadBalancers") {
        return {
            ids: here(args.ids as string[]),
            balancers: here(args.ids as string[]).map((id) => ({ id, dnsName: `${id}.${region}.nlb.aliyuncsslb.com` })),
        };
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
    const resources = await runInProcess(
        () => {
            gateway = new MeshGateway(name, args);
        },
        { preview: false, state: fakeCloudState, call: fakeCloudCall },
    );
    const providers = new Map(resources.filter((r) => r.type === "pulumi:providers:kubernetes").map((r) => [r.urn, r.name]));
    const objects = resources
        .filter((r) => r.type.startsWith("kubernetes:") && r.inputs.kind !== undefined)
        .map((r) => ({ scope: providers.get(r.provider ?? "") ?? "", object: r.inputs as unknown as KubeObject }));
    return { gateway: gateway!, resources, objects };
}

export function valueOf<T>(output: { apply<U>(f: (t: T) => U): unknown }): Promise<T> {
    return new Promise((resolve) =>
        output.apply((v: T) => {
            resolve(v);
            return v;
        }),
    );
}
