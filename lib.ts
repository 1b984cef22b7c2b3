// The package's public API: `import { MeshGateway } from "mesh-gateway"`. Importing it runs nothing.
export { MeshGateway, MESH_GATEWAY_TYPE } from "./components/meshGateway";
export type { MeshGatewayArgs, ClusterArgs, GatewayAddress, AddressKind } from "./components/meshGateway";
export type { ClusterConnection, ControlPlaneConnection } from "./providers/clusters";
export type * from "./core/spec";
export type { GatewayFleetSpec, GracefulShutdown, InstallMode } from "./core/fleet";
export { planFleet } from "./core/plan";
export type { FleetPlan, ClusterPlan } from "./core/plan";
export type { KubeObject } from "./core/render/common";
export { ConfigError } from "./core/errors";
export type { ConfigIssue } from "./core/errors";
export { fleetsFromConfig } from "./offline/stackConfig";
export type { NamedFleet, Credentials } from "./offline/stackConfig";
