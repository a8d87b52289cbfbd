import * as pulumi from "@pulumi/pulumi";
import { MeshConfig, MultiClusterMesh } from "../../lib";

/** The example stacks' program: the whole mesh from one structured config value, `mesh`. */
export function meshStack(): {
    clusters: MultiClusterMesh["clusters"];
    rootCertPem: pulumi.Output<string>;
    diagram: string;
    verificationCommand?: string;
} {
    const mesh = new MultiClusterMesh("mesh", { config: new pulumi.Config().requireObject<MeshConfig>("mesh") });
    return { clusters: mesh.clusters, rootCertPem: mesh.rootCertPem, diagram: mesh.diagram, verificationCommand: mesh.verificationCommand };
}
