// The package's public API: `import { MeshGateway } from "mesh-gateway"`. Importing it runs nothing.
export { MeshGateway, MESH_GATEWAY_TYPE } from "./components/meshGateway";
export type { MeshGatewayArgs, ClusterArgs, GatewayAddress, AddressKind, LoadBalancerInfo } from "./components/meshGateway";
export type { ClusterConnection, ControlPlaneConnection } from "./providers/clusters";
export type * from "./core/spec";
export type * from "./core/loadBalancer";
export type * from "./core/routing";
export type { DnsSpec, CertificateSpec, PemCertificate, SecuritySpec, JwtRule, CustomAuthRule } from "./core/edge";
export type { GatewayFleetSpec, GracefulShutdown, InstallMode } from "./core/fleet";
export { planFleet, layoutFleet, renderFleet } from "./core/plan";
export type { FleetPlan, ClusterPlan, FleetLayout, ClusterLayout } from "./core/plan";
export type { KubeObject } from "./core/render/common";
export { ConfigError } from "./core/errors";
export type { ConfigIssue } from "./core/errors";
export { fleetsFromConfig } from "./offline/stackConfig";
export type { NamedFleet, Credentials } from "./offline/stackConfig";
