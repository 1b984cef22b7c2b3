// Turns the `gateways` stack config value into MeshGateway args. Shared by the stack program
// (index.ts) and the offline plan, so a stack config file plans exactly as it deploys.
import type * as pulumi from "@pulumi/pulumi";
import type { MeshGatewayArgs } from "../components/meshGateway";
import { ConfigError } from "../core/errors";
import { needsCredentials } from "../core/layout";

export interface NamedFleet {
    /** Component name, and gateway name unless `gatewayName` is given. */
    name: string;
    args: MeshGatewayArgs;
}

export interface Credentials {
    /** The secret kubeconfig of a cluster, when the stack has one (else ACK is asked). */
    kubeconfig(clusterId: string): pulumi.Input<string> | undefined;
    /** The ASM control plane's secret kubeconfig, when the stack has one. */
    controlPlaneKubeconfig(): pulumi.Input<string> | undefined;
}

/**
 * `gateways` is a list of MeshGateway args with a `name` each. Credentials never sit in it:
 * the caller supplies them from secret config keys.
 */
export function fleetsFromConfig(gateways: unknown, credentials: Credentials): NamedFleet[] {
    if (!Array.isArray(gateways)) {
        throw new ConfigError([{ path: "gateways", message: "must be a list of gateways, each with a name, mode, clusters and gateway" }]);
    }
    const names = new Set<string>();
    return gateways.map((entry: unknown, i: number) => {
        if (entry === null || typeof entry !== "object" || typeof (entry as { name?: unknown }).name !== "string") {
            throw new ConfigError([{ path: `gateways[${i}].name`, message: "every gateway needs a name" }]);
        }
        const { name, ...rest } = entry as { name: string } & Record<string, unknown>;
        if (names.has(name)) throw new ConfigError([{ path: `gateways[${i}].name`, message: `gateway ${name} is listed twice` }]);
        names.add(name);
        const args = rest as unknown as MeshGatewayArgs;
        const clusters = Array.isArray(args.clusters)
            ? args.clusters.map((c) => {
                  // ASM reaches its clusters itself; istio mode needs their kubeconfigs, and so do TLS
                  // Secrets and additional load balancers' Services in asm mode.
                  if (c === null || typeof c !== "object" || typeof c.id !== "string" || c.kubeconfig !== undefined) return c;
                  // The config is not validated yet: what is not an object counts as absent.
                  const wanted = needsCredentials(
                      {
                          mode: args.mode,
                          gateway: args.gateway !== null && typeof args.gateway === "object" ? args.gateway : {},
                          certificates: Array.isArray(args.certificates)
                              ? args.certificates.filter((x) => x !== null && typeof x === "object")
                              : [],
                          routing: args.routing,
                      },
                      c.id,
                  );
                  const kubeconfig = wanted ? credentials.kubeconfig(c.id) : undefined;
                  return kubeconfig === undefined ? c : { ...c, kubeconfig };
              })
            : args.clusters;
        const controlPlaneKubeconfig =
            args.mode === "asm" && args.controlPlane?.serviceMeshId === undefined ? credentials.controlPlaneKubeconfig() : undefined;
        const controlPlane =
            controlPlaneKubeconfig === undefined ? args.controlPlane : { ...args.controlPlane, kubeconfig: controlPlaneKubeconfig };
        return { name, args: { ...args, clusters, ...(controlPlane ? { controlPlane } : {}) } };
    });
}
