import * as pulumi from "@pulumi/pulumi";
import { MeshRootCa } from "../../lib";

// The mesh's trust root and one intermediate per primary cluster, in Istio's `cacerts` layout.
const config = new pulumi.Config();
const clusters = config.requireObject<string[]>("clusters");

const ca = new MeshRootCa("mesh-ca", {
    clusters,
    organization: config.get("organization"),
    keyAlgorithm: config.get<"RSA" | "ECDSA">("keyAlgorithm"),
});

export const rootCertPem = ca.rootCertPem;
/** Per cluster: the four cacerts entries; ca-key.pem is a secret, shown only with --show-secrets. */
export const cacerts = ca.cacerts;
