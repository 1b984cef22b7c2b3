// Deploys the gateways of this stack's `gateways` config; kubeconfigs come from the secret
// keys kubeconfig-<clusterId> and asmKubeconfig, or from ACK and ASM when absent.
import * as pulumi from "@pulumi/pulumi";
import { MeshGateway, fleetsFromConfig } from "mesh-gateway";

const config = new pulumi.Config();
const fleets = fleetsFromConfig(config.requireObject<unknown>("gateways"), {
    kubeconfig: (clusterId) => config.getSecret(`kubeconfig-${clusterId}`),
    controlPlaneKubeconfig: () => config.getSecret("asmKubeconfig"),
});

export const addresses = Object.fromEntries(fleets.map((f) => [f.name, new MeshGateway(f.name, f.args).addresses]));
