import * as pulumi from "@pulumi/pulumi";
import { MeshConfig, MultiClusterMesh } from "istio-multicluster";

// The whole mesh is the stack config value `mesh` (README.md says how to write it). Set kubeconfigs as
// secrets: pulumi config set --secret --path 'mesh.clusters[0].kubeconfig' "$(cat cluster1.kubeconfig)"
const mesh = new MultiClusterMesh("mesh", { config: new pulumi.Config().requireObject<MeshConfig>("mesh") });

/** Per cluster: east-west and ingress addresses, kubeconfig (secret). */
export const clusters = mesh.clusters;
export const rootCertPem = mesh.rootCertPem;
/** The topology as a Mermaid flowchart. */
export const diagram = mesh.diagram;
