import { meshStack } from "../shared/meshStack";

// Schema of the `mesh` config value: lib/mesh/meshConfig.schema.json.
const mesh = meshStack();

/** Per cluster: east-west and ingress addresses, kubeconfig (secret). */
export const clusters = mesh.clusters;
export const rootCertPem = mesh.rootCertPem;
/** Paste into any Mermaid viewer. */
export const diagram = mesh.diagram;
/** With `verification.enabled`: run it to see both helloworld versions answer. */
export const verificationCommand = mesh.verificationCommand;
