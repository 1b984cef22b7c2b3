// The config-driven stack: `pulumi up` deploys every gateway listed under the `gateways` config
// key and exports each gateway's per-cluster addresses. Kubeconfigs are separate secret keys
// (`kubeconfig-<clusterId>`, `asmKubeconfig`) so the fleet's shape stays a plain value.
import * as pulumi from "@pulumi/pulumi";
import { fleetsFromConfig } from "./offline/stackConfig";
import { MeshGateway, type GatewayAddress } from "./lib";

const config = new pulumi.Config();
const fleets = fleetsFromConfig(config.requireObject<unknown>("gateways"), {
    kubeconfig: (clusterId) => config.getSecret(`kubeconfig-${clusterId}`),
    controlPlaneKubeconfig: () => config.getSecret("asmKubeconfig"),
});

export const addresses: Record<string, pulumi.Output<Record<string, GatewayAddress>>> = Object.fromEntries(
    fleets.map((fleet) => [fleet.name, new MeshGateway(fleet.name, fleet.args).addresses]),
);
