// The package's public API: `import { MeshGateway } from "mesh-gateway"`. Importing it runs nothing.
export { MeshGateway, MESH_GATEWAY_TYPE } from "./components/meshGateway";
export type { MeshGatewayArgs, Cluster, ClusterArgs, GatewayAddress } from "./components/meshGateway";
export type { LoadBalancerInfo } from "./components/loadBalancers";
export type { ClusterConnection, ControlPlaneConnection } from "./providers/clusters";
// The argument types as MeshGateway takes them (cloud ids and PEM as Pulumi inputs, int-or-string
// fields as strings). Named exports take precedence over the core's same-named types below.
export type {
    AdditionalLoadBalancer,
    CertificateSpec,
    DnsSpec,
    GatewayOverride,
    GatewaySpec,
    HTTPGetAction,
    Lifecycle,
    LifecycleHandler,
    LoadBalancerSettings,
    NlbZone,
    OidcSettings,
    PemCertificate,
    SecuritySpec,
    TCPSocketAction,
} from "./components/args";
export type * from "./core/spec";
export type * from "./core/loadBalancer";
export type * from "./core/routing";
export type { GrpcTranscoding, DescriptorSource, PlanFile, PlanFiles } from "./core/transcoding";
export type { SecretText, JwtRule, CustomAuthRule, CertManagerSource } from "./core/edge";
export type { OidcSpec } from "./core/oidc";
export type { FleetOptions, GatewayFleetSpec, GracefulShutdown } from "./core/fleet";
// Each set of values as an object (`LoadBalancerType.NLB`); the string literals work as well.
export {
    DnsPolicy,
    ExternalTrafficPolicy,
    GatewayType,
    GzipCompressionLevel,
    GzipCompressionStrategy,
    PortProtocol,
    ServiceType,
} from "./core/spec";
export {
    AddressKind,
    HealthCheckType,
    LoadBalancerAddressType,
    LoadBalancerBackendType,
    LoadBalancerInstanceChargeType,
    LoadBalancerInternetChargeType,
    LoadBalancerIpVersion,
    LoadBalancerType,
} from "./core/loadBalancer";
export {
    BalancingAlgorithm,
    EgressProtocol,
    HttpMethod,
    IstioApiVersion,
    ListenerProtocol,
    RateLimitUnit,
    RedirectScheme,
    RoutingApi,
    TlsMode,
    TlsVersion,
} from "./core/routing";
export { DnsRecords, IssuerKind } from "./core/edge";
export { InstallMode } from "./core/fleet";
export { planFleet, layoutFleet, renderFleet } from "./core/plan";
export { readPlanFiles } from "./components/planFiles";
export type { FleetPlan, ClusterPlan, FleetLayout } from "./core/plan";
export type { ClusterLayout } from "./core/layout";
export type { KubeObject } from "./core/render/common";
export { ConfigError } from "./core/errors";
export type { ConfigIssue } from "./core/errors";
export { fleetsFromConfig } from "./offline/stackConfig";
export type { NamedFleet, Credentials } from "./offline/stackConfig";
