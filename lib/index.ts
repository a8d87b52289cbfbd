// The public surface: the components, their arguments, the config they read and a few helpers chosen on
// purpose. Everything else is internal and may change in any release; test/api/istio-multicluster.api.md
// records this surface so a change to it shows in review. Nothing here loads @pulumi/alicloud: ACK clusters
// and the network between them are in `istio-multicluster/alicloud` (lib/alicloud/index.ts), which
// MultiClusterMesh loads only when its config makes ACK clusters.

// The whole mesh from one config value.
export { MultiClusterMesh } from "./mesh/multiClusterMesh";
export type { MultiClusterMeshArgs, MeshClusterOutputs } from "./mesh/multiClusterMesh";
export type { ClusterInput, IntermediateInput, MeshInput, TrustInput } from "./mesh/inputs";
export type {
    MeshConfig,
    IstioConfig,
    TrustConfig,
    IntermediateConfig,
    NetworkLinkConfig,
    ApiServerAccessConfig,
    LocalityFailoverConfig,
    FailoverRuleConfig,
    ServiceFailoverConfig,
    VerificationConfig,
    ClusterConfig,
    AckConfig,
    EastWestGatewayConfig,
    GatewayResourcesConfig,
    PodDisruptionBudgetConfig,
    ResourceQuantitiesConfig,
    RevisionConfig,
} from "./mesh/config";
/** The mesh config's JSON Schema, for editors and CI checks of stack files. */
export { meshConfigSchema } from "./mesh/config";
/** Every problem of a mesh config, with its config path, without deploying anything. */
export { meshProblems } from "./mesh/validation";
/** A Mermaid flowchart of a mesh config. */
export { meshDiagram } from "./mesh/diagram";

// Trust.
export { MeshRootCa } from "./trust/meshRootCa";
export type { CacertsOutputs, ExternalIntermediateArgs, ExternalTrustArgs, ImportedRootArgs, MeshRootCaArgs } from "./trust/meshRootCa";
export type { CaKeyAlgorithm, CacertsKey, EcdsaCurve } from "./trust/pki";

// Istio on any Kubernetes cluster.
export { PrimaryCluster } from "./istio/primaryCluster";
export type { CacertsInputs, PrimaryClusterArgs, IstiodRevisionArgs, ServiceLocalityRoutingArgs } from "./istio/primaryCluster";
export type { LocalityRoutingArgs, FailoverRule, DistributeRule, OutlierDetection } from "./istio/locality";
export { RemoteCluster } from "./istio/remoteCluster";
export type { RemoteClusterArgs } from "./istio/remoteCluster";
export { EastWestGateway } from "./istio/eastWestGateway";
export type { EastWestGatewayArgs } from "./istio/eastWestGateway";
export { RemoteSecret } from "./istio/remoteSecret";
export type { RemoteSecretArgs } from "./istio/remoteSecret";
export type { ClusterRevision, IngressGatewayArgs, IstioCluster, IstioClusterArgs, ReaderCredentials } from "./istio/clusterContract";
export type { IstioChartsArgs, ResolvedCharts } from "./istio/chartSource";
export type { GatewayAvailability, GatewayResources, ImageSettings, PodDisruptionBudgetSettings, ResourceQuantities } from "./istio/helmValues";
/** Which primary holds a remote secret for which cluster, for meshes composed from the components. */
export { remoteSecretPlan } from "./istio/remoteSecretManifests";

// Alibaba Cloud settings as the mesh config takes them (types only; the components are in ./alicloud).
export type { AckClusterSettings, AuditLogSettings, CloudPlacement, ControlPlaneLogComponent, ControlPlaneLogsSettings } from "./alicloud/ackSettings";
export type { AssumeRoleArgs } from "./alicloud/listenerAcl";

// The mesh's vocabulary.
export type {
    ClusterRole,
    GatewayAddressType,
    GatewayNodePorts,
    MtlsMode,
    NetworkLinkMode,
    PodNetworking,
    TrustMode,
    ValidationFailurePolicy,
} from "./model/vocabulary";
export type { Problem, ProblemReport } from "./model/problems";
