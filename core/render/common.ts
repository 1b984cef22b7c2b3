// Pieces both install modes render the same way: names and labels of the gateway workload,
// the proxy's drain setting, and the "spread replicas" anti-affinity.
import type { Affinity, WeightedPodAffinityTerm } from "kubernetes-types/core/v1";
import type { ObjectMeta } from "kubernetes-types/meta/v1";
import YAML from "yaml";

/**
 * A Kubernetes object as plain data, ready for YAML or for a Pulumi resource. `Value` is the type
 * of its annotation values: strings, and in the component also the cloud ids some annotations
 * hold (`string | Id`, where Id is a Pulumi Output that Pulumi resolves wherever it sits).
 */
export interface KubeObject<Value = string> {
    apiVersion: string;
    kind: string;
    metadata: Omit<ObjectMeta, "annotations"> & { name: string; annotations?: Record<string, Value> };
    [field: string]: unknown;
}

export const PROXY_CONFIG_ANNOTATION = "proxy.istio.io/config";

/**
 * Sets the gateway's proxy settings in the pod's `proxy.istio.io/config` annotation:
 * `terminationDrainDuration`, and the number of trusted proxies in front when IP policies read
 * X-Forwarded-For. Whatever the user already put there wins.
 */
export function withProxyConfig(
    annotations: Record<string, string> | undefined,
    drainSeconds: number,
    numTrustedProxies?: number,
): Record<string, string> {
    const existing = annotations?.[PROXY_CONFIG_ANNOTATION];
    const parsed: unknown = existing ? YAML.parse(existing) : {};
    const config = parsed !== null && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
    const topology = numTrustedProxies === undefined ? {} : { gatewayTopology: { numTrustedProxies } };
    const merged = { terminationDrainDuration: `${drainSeconds}s`, ...topology, ...config };
    return { ...annotations, [PROXY_CONFIG_ANNOTATION]: JSON.stringify(merged) };
}

/**
 * "Deploy replicas as widely as possible": prefer nodes, then zones, without a gateway pod.
 * Preferred, not required, so a small cluster still schedules every replica.
 */
export function withSpreadAffinity(affinity: Affinity | undefined, selector: Record<string, string>): Affinity {
    const term = (topologyKey: string, weight: number): WeightedPodAffinityTerm => ({
        weight,
        podAffinityTerm: { labelSelector: { matchLabels: { ...selector } }, topologyKey },
    });
    const existing = affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
    const ours = [term("kubernetes.io/hostname", 100), term("topology.kubernetes.io/zone", 50)].filter(
        (t) => !existing.some((e) => e.podAffinityTerm.topologyKey === t.podAffinityTerm.topologyKey),
    );
    return {
        ...affinity,
        podAntiAffinity: {
            ...affinity?.podAntiAffinity,
            preferredDuringSchedulingIgnoredDuringExecution: [...existing, ...ours],
        },
    };
}

/**
 * The labels every object the product creates carries (Kubernetes' recommended labels):
 * `kubectl get -l app.kubernetes.io/managed-by=mesh-gateway` lists them all, and
 * `app.kubernetes.io/part-of=<gateway name>` one gateway's.
 */
export function productLabels(gatewayName: string): Record<string, string> {
    return { "app.kubernetes.io/managed-by": "mesh-gateway", "app.kubernetes.io/part-of": gatewayName };
}

/** The label that ties an object the gateway's own config renders (routing, security, filters) to its gateway. */
export function gatewayLabel(gatewayName: string): Record<string, string> {
    return { "mesh-gateway/gateway": gatewayName };
}

/** `objects` with the product's labels; a label the object already has (a user's `serviceLabels`) is kept. */
export function withProductLabels<Value>(objects: KubeObject<Value>[], gatewayName: string): KubeObject<Value>[] {
    return objects.map((o) => ({ ...o, metadata: { ...o.metadata, labels: { ...productLabels(gatewayName), ...o.metadata.labels } } }));
}

/** Drops keys whose value is undefined, so emitted objects carry only what was decided. */
export function compact<T extends object>(value: T): T {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * An EnvoyFilter patch that adds an HTTP filter to the gateway's listeners, just before the
 * router: filters after the router never see the request. With `portNumber`, only to the
 * listener on that port of the gateway pod (a container port: Istio binds a gateway listener to
 * the Service port's targetPort, and EnvoyFilter matches the listener's own address).
 */
export function httpFilterBeforeRouter(value: Record<string, unknown>, portNumber?: number): Record<string, unknown> {
    return {
        applyTo: "HTTP_FILTER",
        match: {
            context: "GATEWAY",
            listener: {
                ...(portNumber === undefined ? {} : { portNumber }),
                filterChain: {
                    filter: { name: "envoy.filters.network.http_connection_manager", subFilter: { name: "envoy.filters.http.router" } },
                },
            },
        },
        patch: { operation: "INSERT_BEFORE", value },
    };
}

/**
 * An EnvoyFilter patch that gives the virtual host `<host>:<port>` (`port`: the Gateway server's,
 * which Istio names gateway virtual hosts after) its own config of an HTTP filter, which Envoy
 * prefers over the filter's own (the most specific per-filter config wins).
 */
export function vhostFilterConfig(host: string, port: number, filter: string, config: Record<string, unknown>): Record<string, unknown> {
    return {
        applyTo: "VIRTUAL_HOST",
        match: { context: "GATEWAY", routeConfiguration: { vhost: { name: `${host}:${port}` } } },
        patch: { operation: "MERGE", value: { typed_per_filter_config: { [filter]: config } } },
    };
}
