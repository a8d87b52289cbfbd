export { MeshRootCa } from "./trust/meshRootCa";
export type {
    CacertsOutputs,
    ExternalIntermediateArgs,
    ExternalTrustArgs,
    ImportedRootArgs,
    MeshRootCaArgs,
    TrustMode,
} from "./trust/meshRootCa";
export { cacertsFiles, cacertsKeys, multiRootIstiodValues } from "./trust/pki";
export type { CaKeyAlgorithm, CacertsKey, EcdsaCurve } from "./trust/pki";
export { validateTopology, minimumKubernetesVersion, minimumWorkers } from "./mesh/topology";
export type {
    ClusterRole,
    ClusterTopology,
    MeshTopology,
    NetworkLinkMode,
    TopologyProblem,
    TopologyReport,
} from "./mesh/topology";
