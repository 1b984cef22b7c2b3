// What the target mesh can read: the Istio version it runs (istio mode: `istioVersion`; asm mode:
// the Istio version its ASM version embeds) and the Gateway API CRD bundle installed in the
// clusters. Routing is rendered at versions that mesh reads, and features it would drop are
// refused instead of emitted. Each rule names the upstream source it comes from.
import type { GatewayFleetSpec } from "./fleet";

/** Gateway API CRD release channels: which CRDs and versions the bundle installs. */
export const GatewayApiChannel = { standard: "standard", experimental: "experimental" } as const;
export type GatewayApiChannel = (typeof GatewayApiChannel)[keyof typeof GatewayApiChannel];

/** The line the tests validate against (versions.json pins the schemas): Istio 1.31, Gateway API v1.6. */
export const DEFAULT_ISTIO_VERSION = "1.31";
export const DEFAULT_GATEWAY_API_VERSION = "1.6";
export const VERSION_PATTERN = "^1\\.\\d+(\\.\\d+)?$";

export interface MeshTarget {
    /** Istio minor version, e.g. 31 for 1.31. */
    istioMinor: number;
    /** Where the Istio version came from, for messages: `Istio 1.29` or `ASM 1.29 (Istio 1.29)`. */
    istioLabel: string;
    /** Gateway API minor version of the installed CRDs, e.g. 6 for v1.6. */
    gatewayApiMinor: number;
    gatewayApiChannel: GatewayApiChannel;
    /** `Gateway API v1.6 (standard channel)`, for messages. */
    gatewayApiLabel: string;
}

function minorOf(version: string): number {
    return Number(version.split(".")[1]);
}

/**
 * The mesh a fleet's routing targets. ASM numbers its releases after the Istio release they embed
 * (ASM `v1.17.2.42-…-aliyun` runs Istio `1.17.2`: the `IstioOperatorVersion` and `IstioVersion`
 * fields of ASM's DescribeUpgradeVersion API), so asm mode reads the Istio minor from asmVersion.
 */
export function meshTarget(fleet: Pick<GatewayFleetSpec, "mode" | "asmVersion" | "istioVersion" | "routing">): MeshTarget {
    const asm = fleet.mode === "asm";
    const istio = asm ? (fleet.asmVersion ?? DEFAULT_ISTIO_VERSION) : (fleet.istioVersion ?? DEFAULT_ISTIO_VERSION);
    const istioMinor = minorOf(istio);
    const gatewayApi = fleet.routing?.gatewayApiVersion ?? DEFAULT_GATEWAY_API_VERSION;
    const channel = fleet.routing?.gatewayApiChannel ?? GatewayApiChannel.standard;
    return {
        istioMinor,
        istioLabel: asm && fleet.asmVersion !== undefined ? `ASM ${fleet.asmVersion} (Istio 1.${istioMinor})` : `Istio 1.${istioMinor}`,
        gatewayApiMinor: minorOf(gatewayApi),
        gatewayApiChannel: channel,
        gatewayApiLabel: `Gateway API v1.${minorOf(gatewayApi)} (${channel} channel)`,
    };
}

/** Route kinds whose version depends on the target. */
export type VersionedRouteKind = "TCPRoute" | "TLSRoute";

/**
 * The version Istio watches a kind at (the kind's primary GroupVersionKind in
 * `pkg/config/schema/gvk/resources.gen.go`, release-1.22 … release-1.31): TLSRoute at v1 from
 * Istio 1.30, TCPRoute at v1 from 1.31, both at v1alpha2 before.
 */
export function routeKindVersion(kind: VersionedRouteKind, target: MeshTarget): "v1" | "v1alpha2" {
    const since = kind === "TLSRoute" ? 30 : 31;
    return target.istioMinor >= since ? "v1" : "v1alpha2";
}

/**
 * Whether the installed CRDs serve `kind` at `version` (`served:` in the CRD bundles
 * config/crd/{standard,experimental} of sigs.k8s.io/gateway-api v1.2.1 … v1.6.3): TLSRoute v1 is
 * standard from v1.5, TCPRoute v1 from v1.6; standard bundles serve neither at v1alpha2 and
 * carried neither before; experimental bundles serve v1alpha2 throughout.
 */
export function crdServes(kind: VersionedRouteKind, version: "v1" | "v1alpha2", target: MeshTarget): boolean {
    const v1Since = kind === "TLSRoute" ? 5 : 6;
    if (version === "v1") return target.gatewayApiMinor >= v1Since;
    return target.gatewayApiChannel === GatewayApiChannel.experimental;
}

/** A feature of the rendered objects that needs a minimum Istio and Gateway API version. */
export interface FeatureSupport {
    /** What the user wrote, for messages. */
    feature: string;
    /** Istio minor that first reads it. */
    istioSince: number;
    /** Gateway API minor whose CRDs keep the field, per channel (older CRDs prune it). */
    gatewayApiSince?: Record<GatewayApiChannel, number>;
    /** What happens on an older mesh. */
    otherwise: string;
}

/**
 * HTTPRoute CORS filter: read by Istio from 1.26 (`HTTPRouteFilterCORS` in
 * pilot/pkg/config/kube/gateway/conversion.go, absent in release-1.25); in the CRDs from v1.5
 * (standard) and v1.3 (experimental).
 */
export const CORS_FILTER: FeatureSupport = {
    feature: "the HTTPRoute CORS filter",
    istioSince: 26,
    gatewayApiSince: { standard: 5, experimental: 3 },
    otherwise: "the filter is not applied (no CORS headers)",
};

/**
 * `requestMirror.percent`: read by Istio from 1.24 (conversion.go `filter.Percent`, absent in
 * release-1.23); in the CRDs from v1.3 (standard) and v1.2 (experimental). Where it is pruned or
 * ignored, every request is mirrored.
 */
export const MIRROR_PERCENT: FeatureSupport = {
    feature: "requestMirror.percent",
    istioSince: 24,
    gatewayApiSince: { standard: 3, experimental: 2 },
    otherwise: "the percentage is dropped and every request is mirrored",
};

/** Why `target` cannot carry `f`, or undefined when it can. */
export function unsupported(f: FeatureSupport, target: MeshTarget): string | undefined {
    if (target.istioMinor < f.istioSince)
        return `${target.istioLabel} does not read ${f.feature} (Istio 1.${f.istioSince} and later do): ${f.otherwise}`;
    const crd = f.gatewayApiSince?.[target.gatewayApiChannel];
    if (crd !== undefined && target.gatewayApiMinor < crd)
        return `${target.gatewayApiLabel} CRDs prune ${f.feature} (v1.${crd} and later keep it): ${f.otherwise}`;
    return undefined;
}

/** Istio's v1 networking and security APIs exist from Istio 1.22 (Istio 1.22 release announcement). */
export const ISTIO_V1_API_SINCE = 22;

/** Compares dotted versions numerically: negative when `a` is older than `b`. */
export function compareVersions(a: string, b: string): number {
    const pa = a.split(".").map(Number);
    const pb = b.split(".").map(Number);
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
        const d = (pa[i] ?? 0) - (pb[i] ?? 0);
        if (d !== 0) return d;
    }
    return 0;
}
