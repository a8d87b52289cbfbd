"""The whole mesh from the stack config value `mesh`, from Python: the MultiClusterMesh component of the
TypeScript examples, through its provider plugin and the generated Python SDK."""

import pulumi
import pulumi_istio_multicluster as istio_multicluster

# Schema of the `mesh` config value: lib/mesh/meshConfig.schema.json (the same as the TypeScript examples').
mesh = istio_multicluster.MultiClusterMesh("mesh", config=pulumi.Config().require_object("mesh"))

# Per cluster: east-west and ingress addresses, kubeconfig (secret).
pulumi.export("clusters", mesh.clusters)
pulumi.export("rootCertPem", mesh.root_cert_pem)
# Paste into any Mermaid viewer.
pulumi.export("diagram", mesh.diagram)
# With `verification.enabled`: run it to see both helloworld versions answer.
pulumi.export("verificationCommand", mesh.verification_command)
