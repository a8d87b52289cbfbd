// The Alibaba Cloud entry point, `istio-multicluster/alicloud`: ACK clusters and the network between them.
// It is apart from the main entry point because it loads @pulumi/alicloud, which users of existing clusters
// need not install. test/api/istio-multicluster-alicloud.api.md records this surface.

export { AckCluster } from "./ackCluster";
export type { AckClusterArgs, ExistingVpcArgs } from "./ackCluster";
export type { AckClusterSettings, AuditLogSettings, CloudPlacement, ControlPlaneLogComponent, ControlPlaneLogsSettings } from "./ackSettings";
export type { ApiServerAccessArgs } from "./apiServerAccess";
export type { AssumeRoleArgs } from "./listenerAcl";
export { ClusterNetworkLink, linkedCluster } from "./clusterNetworkLink";
export type { CenArgs, ClusterNetworkLinkArgs, LinkedCluster } from "./clusterNetworkLink";
export type { VpcRouteMode } from "./cenPlan";
export type { ClusterRole, GatewayAddressType, GatewayNodePorts, NetworkLinkMode, PodNetworking } from "../model/vocabulary";
