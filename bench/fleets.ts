// Fleets the benchmark plans: a realistic gateway (ports, resources, HPA, annotations, volumes)
// across `clusters` clusters, with a few per-cluster overrides, in either install mode.
import type { GatewayFleetSpec, InstallMode } from "../core/fleet";
import type { GatewayOverride, GatewaySpec } from "../core/spec";

/** Every this-many clusters gets an override (asm mode: only fields ASM takes per cluster). */
const OVERRIDE_EVERY = 5;

export function clusterId(i: number): string {
    return `cluster-${String(i).padStart(3, "0")}`;
}

/** Routes per host: each host's routes share one VirtualService. */
const ROUTES_PER_HOST = 10;

/**
 * The benchmark fleet: `routes` HTTP routes over `routes / 10` hosts, a CLB created per cluster,
 * a wildcard DNS record per cluster, and a cert-manager certificate for the HTTPS listener.
 */
export function benchFleet(clusters: number, routes: number, mode: InstallMode = "istio"): GatewayFleetSpec {
    const ids = Array.from({ length: clusters }, (_, i) => clusterId(i + 1));
    const overrides: Record<string, GatewayOverride> = {};
    ids.forEach((id, i) => {
        if (i % OVERRIDE_EVERY !== OVERRIDE_EVERY - 1) return;
        overrides[id] =
            mode === "asm"
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
        serviceAnnotations: { "example.com/owner": "platform" },
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
        loadBalancer: { type: "CLB", backendType: "eni" },
    };
    const hosts = Math.max(1, Math.ceil(routes / ROUTES_PER_HOST));

    return {
        name: "bench",
        mode,
        // Both modes: asm mode creates the TLS Secrets' cert-manager Certificates in each cluster.
        clusters: ids.map((id) => ({ id, region: "cn-hangzhou", kubeconfig: `apiVersion: v1\nkind: Config\n# bench kubeconfig ${id}\n` })),
        ...(mode === "asm" ? { controlPlane: { kubeconfig: "apiVersion: v1\nkind: Config\n# bench asm control plane\n" } } : {}),
        gateway,
        gracefulShutdown: { drainSeconds: 20 },
        routing: {
            listeners: [
                { name: "http", port: 80, protocol: "HTTP", hosts: ["*.example.com"], httpsRedirect: true },
                {
                    name: "https",
                    port: 443,
                    protocol: "HTTPS",
                    hosts: ["*.example.com"],
                    tls: { mode: "SIMPLE", credentialName: "wildcard-example-com" },
                },
            ],
            http: Array.from({ length: routes }, (_, i) => ({
                name: `route-${i}`,
                hosts: [`svc-${i % hosts}.example.com`],
                // A trailing slash: Istio prefixes are string prefixes, so `/api/1` would also take `/api/11`.
                match: [{ path: { prefix: `/api/${i}/` } }],
                destinations: [{ host: `svc-${i}`, namespace: "apps", port: 8080 }],
                timeout: "5s",
            })),
        },
        certificates: [{ name: "wildcard-example-com", certManager: { issuer: "letsencrypt" } }],
        dns: { zone: "example.com" },
    };
}

/** `benchFleet` scales the routing objects with `routes`. */
export const ROUTES_SCALE = true;
