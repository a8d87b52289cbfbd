/**
 * The mesh's vocabulary: the words every layer shares. Each is declared here once; the layers above import
 * them and never spell them out again.
 */

/** `primary` runs istiod; `remote` is served by the istiod of a primary (its control plane). */
export type ClusterRole = "primary" | "remote";

/** How the clusters' networks are joined: CEN across VPCs and regions, one shared VPC, or already joined. */
export type NetworkLinkMode = "cen" | "same-vpc" | "none";

/** `flannel`: pods on an overlay range, load-balancer backends are nodes; `terway`: pods and backends are VPC ENIs. */
export type PodNetworking = "flannel" | "terway";

/** Where a gateway's load balancer listens: inside the VPC, or on the internet. */
export type GatewayAddressType = "intranet" | "internet";

/**
 * Where the mesh's root of trust comes from:
 * - `generated`: a root key and self-signed root certificate created here (key protected in state);
 * - `imported`: a root certificate and key you supply; intermediates are signed here, so the root key
 *   lives in Pulumi state (encrypted as a secret);
 * - `external`: you supply every cluster's finished `cacerts` material; no root key enters Pulumi at all.
 */
export type TrustMode = "generated" | "imported" | "external";

/** Mesh-wide mutual TLS: `STRICT` refuses plaintext between workloads, `PERMISSIVE` accepts it. */
export type MtlsMode = "STRICT" | "PERMISSIVE";

/**
 * What the API server does with an Istio config write when istiod's validating webhook cannot be reached
 * (`base.validationFailurePolicy`). Unset, the charts install the webhook failing open and leave the field
 * out on upgrades, where Kubernetes defaults it to `Fail` until istiod takes the webhook over.
 */
export type ValidationFailurePolicy = "Fail" | "Ignore";

/** The ports the mesh opens between clusters; nothing else is opened. */
export const meshPorts = {
    /** Cross-network traffic through the east-west gateway (mTLS, SNI-routed). */
    crossNetwork: 15443,
    /** istiod's xDS and certificate service. */
    istiodXds: 15012,
    /** istiod's injection and validation webhooks. */
    istiodWebhook: 15017,
} as const;

/** NodePorts pinned on an east-west gateway's Service, one per mesh port. */
export interface GatewayNodePorts {
    /** For 15443, cross-network traffic. */
    readonly crossNetwork: number;
    /** For 15012, istiod xDS and certificates. */
    readonly istiodXds: number;
    /** For 15017, istiod's injection webhook. */
    readonly istiodWebhook: number;
}

/** Istio's control-plane namespace unless a cluster names another. */
export const defaultIstioNamespace = "istio-system";
