// A stranger's program: the packed mesh-gateway installed from its tarball in a fresh project
// outside the repository. It must type-check against the shipped declarations (string literals
// and the enum objects both work, ids may be Outputs) and plan a fleet offline.
import * as pulumi from "@pulumi/pulumi";
import { LoadBalancerType, MeshGateway, planFleet, type MeshGatewayArgs } from "mesh-gateway";

const args: MeshGatewayArgs = {
    mode: "istio",
    clusters: [
        { id: "hz", kubeconfig: "kubeconfig-hz" },
        { id: "sh", kubeconfig: pulumi.secret("kubeconfig-sh") },
    ],
    gateway: {
        serviceType: "LoadBalancer",
        ports: [
            { name: "status-port", port: 15021 },
            { name: "http2", port: 80, protocol: "HTTP2" },
        ],
        rollingMaxSurge: "1",
        loadBalancer: {
            type: LoadBalancerType.NLB,
            vpcId: pulumi.output("vpc-123"),
            zoneMappings: [{ zoneId: "cn-hangzhou-j" }, { zoneId: "cn-hangzhou-k" }],
        },
        overrides: { sh: { loadBalancer: { type: "CLB" }, maxReplicas: 5 } },
    },
};

// Constructing needs a Pulumi engine; the type is what is checked here.
export const construct = (name: string): MeshGateway => new MeshGateway(name, args);

if (require.main === module) {
    const plan = planFleet({
        name: "edge",
        mode: "istio",
        clusters: [{ id: "hz" }, { id: "sh" }],
        gateway: { overrides: { sh: { replicaCount: 3 } } },
    });
    const deployments = plan.clusters.map((c) => [
        c.clusterId,
        c.objects.filter((o) => o.kind === "Deployment").map((o) => (o.spec as { replicas?: number }).replicas),
    ]);
    process.stdout.write(JSON.stringify(Object.fromEntries(deployments)) + "\n");
}
