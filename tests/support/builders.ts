// Fleets the tests start from, so that each test file states only what it changes.
import type { GatewayFleetSpec } from "../../core/fleet";

/** Two istio-mode clusters in one region, without credentials (enough for planning). */
export const base = (): GatewayFleetSpec => ({
    name: "edge",
    mode: "istio",
    clusters: [
        { id: "c1", region: "cn-hangzhou" },
        { id: "c2", region: "cn-hangzhou" },
    ],
    gateway: {},
});

/** `base()` in asm mode, with a control plane. */
export const asm = (): GatewayFleetSpec => ({ ...base(), mode: "asm", controlPlane: { kubeconfig: "kc" } });

/** Two clusters with kubeconfigs in one region: what the component needs to deploy and create load balancers. */
export const twoClustersWithCredentials = () => [
    { id: "c1", kubeconfig: "kc1", region: "cn-hangzhou" },
    { id: "c2", kubeconfig: "kc2", region: "cn-hangzhou" },
];

/** The first of `twoClustersWithCredentials()` alone, in istio mode: the fleet most load balancer tests change. */
export const oneIstioCluster = () => ({ mode: "istio" as const, clusters: [twoClustersWithCredentials()[0]] });
