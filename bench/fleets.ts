// Fleets the benchmark plans: a realistic gateway (ports, resources, HPA, annotations, volumes)
// across `clusters` clusters, with a few per-cluster overrides, in either install mode.
import type { GatewayFleetSpec, InstallMode } from "../core/fleet";
import type { GatewayOverride, GatewaySpec } from "../core/spec";

/** Every this-many clusters gets an override (asm mode: only fields ASM takes per cluster). */
const OVERRIDE_EVERY = 5;

export function clusterId(i: number): string {
    return `cluster-${String(i).padStart(3, "0")}`;
}

/**
 * The benchmark fleet. `routes` is the number of routes the gateway serves.
 *
 * NOTE: routes do not exist in the gateway spec yet, so `routes` changes nothing for now
 * (the bench table says so). See ROUTES / LOAD BALANCERS / DNS below for where to add them.
 */
export function benchFleet(clusters: number, routes: number, mode: InstallMode = "istio"): GatewayFleetSpec {
    const ids = Array.from({ length: clusters }, (_, i) => clusterId(i + 1));
    const overrides: Record<string, GatewayOverride> = {};
    ids.forEach((id, i) => {
        if (i % OVERRIDE_EVERY !== OVERRIDE_EVERY - 1) return;
        overrides[id] = mode === "asm"
            ? { replicaCount: 3, serviceAnnotations: { "example.com/cluster": id } }
            : { replicaCount: 3, serviceAnnotations: { "example.com/cluster": id }, nodeSelector: { "example.com/pool": "edge" } };
    });

    const gateway: GatewaySpec = {
        gatewayType: "ingress",
        ports: [
            { name: "status-port", port: 15021, targetPort: 15021, protocol: "TCP" },
            { name: "http2", port: 80, targetPort: 80, protocol: "HTTP2" },
            { name: "https", port: 443, targetPort: 443, protocol: "HTTPS" },
        ],
        serviceType: "LoadBalancer",
        externalTrafficPolicy: "Local",
        serviceAnnotations: {
            "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-spec": "slb.s2.small",
            "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type": "internet",
        },
        podAnnotations: { "example.com/owner": "platform" },
        resources: { limits: { cpu: "2", memory: "2G" }, requests: { cpu: "500m", memory: "512Mi" } },
        replicaCount: 2,
        maxReplicas: 10,
        minReplicas: 2,
        cpu: { targetAverageUtilization: 70 },
        rollingMaxSurge: "25%",
        rollingMaxUnavailable: "25%",
        tolerations: [{ key: "dedicated", operator: "Equal", value: "gateway", effect: "NoSchedule" }],
        ...(Object.keys(overrides).length > 0 ? { overrides } : {}),

        // ── ROUTES: add `routes` route entries here once the gateway spec has them, e.g.
        //    routes: Array.from({ length: routes }, (_, i) => ({ host: `svc-${i}.example.com`, ... })),
        // ── LOAD BALANCERS: add the gateway's load balancer settings here (per cluster in overrides).
        // ── DNS / CERTIFICATES: add DNS records and certificates for the route hosts here.
    };
    void routes; // see ROUTES above: nothing scales with routes yet.

    return {
        name: "bench",
        mode,
        clusters: ids.map((id) => (mode === "istio" ? { id, kubeconfig: `apiVersion: v1\nkind: Config\n# bench kubeconfig ${id}\n` } : { id })),
        ...(mode === "asm" ? { controlPlane: { kubeconfig: "apiVersion: v1\nkind: Config\n# bench asm control plane\n" } } : {}),
        gateway,
        gracefulShutdown: { drainSeconds: 20 },
    };
}

/** Whether `benchFleet` scales anything with `routes` yet (flip when routes are added). */
export const ROUTES_SCALE = false;
