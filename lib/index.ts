export { MeshRootCa } from "./trust/meshRootCa";
export type {
    CacertsOutputs,
    ExternalIntermediateArgs,
    ExternalTrustArgs,
    ImportedRootArgs,
    MeshRootCaArgs,
} from "./trust/meshRootCa";
export { meshPorts, defaultIstioNamespace } from "./model/vocabulary";
export type { ClusterRole, GatewayAddressType, GatewayNodePorts, MtlsMode, NetworkLinkMode, PodNetworking, TrustMode, ValidationFailurePolicy } from "./model/vocabulary";
export { defaultIstioVersion, minimumKubernetesVersion, minimumWorkers } from "./model/compatibility";
export type { Problem, ProblemReport } from "./model/problems";
export { cacertsFiles, cacertsKeys, multiRootIstiodValues } from "./trust/pki";
export type { CaKeyAlgorithm, CacertsKey, EcdsaCurve } from "./trust/pki";
export { validateTopology } from "./model/topology";
export type { ClusterTopology, MeshTopology } from "./model/topology";
export { PrimaryCluster } from "./istio/primaryCluster";
export type { PrimaryClusterArgs, IngressGatewayArgs, IstiodRevisionArgs, ServiceLocalityRoutingArgs } from "./istio/primaryCluster";
export { localityProblems, localityLbSetting, localityDestinationRule } from "./istio/locality";
export type { LocalityRoutingArgs, FailoverRule, DistributeRule, OutlierDetection } from "./istio/locality";
export { RemoteCluster } from "./istio/remoteCluster";
export type { RemoteClusterArgs } from "./istio/remoteCluster";
export { EastWestGateway } from "./istio/eastWestGateway";
export type { EastWestGatewayArgs } from "./istio/eastWestGateway";
export { RemoteSecret } from "./istio/remoteSecret";
export type { RemoteSecretArgs } from "./istio/remoteSecret";
export type { IstioCluster, ReaderCredentials } from "./istio/clusterContract";
export type { IstioChartsArgs } from "./istio/chartSource";
export { remoteSecretPlan, remoteKubeconfig, remoteSecretName } from "./istio/remoteSecretManifests";
export { crossNetworkGateway, istiodExposure, meshPeerAuthentication } from "./istio/istioConfigObjects";
export {
    baseValues,
    primaryIstiodValues,
    remoteIstiodValues,
    eastWestGatewayValues,
    ingressGatewayValues,
    injectionPath,
    defaultChartRepository,
} from "./istio/helmValues";
export { AckCluster } from "./alicloud/ackCluster";
export type { AckClusterArgs, ExistingVpcArgs } from "./alicloud/ackCluster";
export { apiServerAllowList, ackControlPlaneRange } from "./alicloud/apiServerAccess";
export type { ApiServerAccessArgs, AllowListEntry } from "./alicloud/apiServerAccess";
export { ListenerAclBinding } from "./alicloud/listenerAcl";
export type { ListenerAclBindingArgs } from "./alicloud/listenerAcl";
export { ClusterNetworkLink, linkedCluster } from "./alicloud/clusterNetworkLink";
export type { CenArgs, ClusterNetworkLinkArgs, LinkedCluster } from "./alicloud/clusterNetworkLink";
export { planFirewall } from "./alicloud/firewall";
export type { FirewallCluster, FirewallPlan } from "./alicloud/firewall";
export { planCen } from "./alicloud/cenPlan";
export type { CenPlan, CenVpc } from "./alicloud/cenPlan";
export { MultiClusterMesh } from "./mesh/multiClusterMesh";
export { meshProblems } from "./mesh/validation";
export { defaultFlannelNodePorts, apiServerAccessOf, clustersWithEastWestGateway, planMesh } from "./mesh/plan";
export type { MultiClusterMeshArgs, MeshClusterOutputs } from "./mesh/multiClusterMesh";
export { meshConfigSchema, meshConfigShapeProblems, topologyOfConfig } from "./mesh/config";
export type { MeshConfig, ClusterConfig } from "./mesh/config";
export { meshDiagram } from "./mesh/diagram";
