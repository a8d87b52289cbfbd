/**
 * Istio's plugin-CA profile (tools/certs/Makefile.selfsigned.mk and common.mk in istio/istio): the names,
 * key usages and validity periods of a root CA and of each cluster's intermediate, and the layout of the
 * `cacerts` Secret istiod reads at start-up. Pure functions; the MeshRootCa component wires them up.
 */

/** Istio's default organization for the CA subjects. */
export const defaultOrganization = "Istio";
/** Istio's default validity for both root and intermediates: 3650 days. */
export const defaultValidityHours = 3650 * 24;
/** Re-issue an intermediate during the last 90 days of its life, on any `pulumi up` in that window. */
export const defaultIntermediateEarlyRenewalHours = 90 * 24;
export const defaultRsaBits = 4096;
export const defaultEcdsaCurve = "P256";

/**
 * `keyUsage = critical, digitalSignature, nonRepudiation, keyEncipherment, keyCertSign`, in the tls
 * provider's names (nonRepudiation is `content_commitment` there).
 */
export const caAllowedUses = ["digital_signature", "content_commitment", "key_encipherment", "cert_signing"];

/** The key type of the root and intermediate CAs. */
export type CaKeyAlgorithm = "RSA" | "ECDSA";
/** The curve of ECDSA CA keys. */
export type EcdsaCurve = "P256" | "P384";
export const supportedRsaBits = [2048, 3072, 4096] as const;

export function rootSubject(organization: string): { organization: string; commonName: string } {
    return { organization, commonName: "Root CA" };
}

export function intermediateSubject(
    organization: string,
    cluster: string,
): { organization: string; commonName: string; locality: string } {
    return { organization, commonName: "Intermediate CA", locality: cluster };
}

/** The DNS name Istio puts in each intermediate: the istiod Service in the Istio namespace. */
export function istiodDnsName(istioNamespace: string): string {
    return `istiod.${istioNamespace}.svc`;
}

/** `tls.PrivateKey` inputs for a CA key. */
export function caKeyArgs(
    algorithm: CaKeyAlgorithm,
    rsaBits: number,
    ecdsaCurve: EcdsaCurve,
): { algorithm: CaKeyAlgorithm; rsaBits?: number; ecdsaCurve?: EcdsaCurve } {
    return algorithm === "RSA" ? { algorithm, rsaBits } : { algorithm, ecdsaCurve };
}

/** Concatenates PEM blocks, each ending in exactly one newline, dropping repeats. */
export function pemBundle(blocks: readonly string[]): string {
    const seen = new Set<string>();
    const out: string[] = [];
    for (const block of blocks) {
        const normalized = block.trim() + "\n";
        if (block.trim() !== "" && !seen.has(normalized)) {
            seen.add(normalized);
            out.push(normalized);
        }
    }
    return out.join("");
}

/** The four files of Istio's `cacerts` Secret. */
export type CacertsKey = "ca-cert.pem" | "ca-key.pem" | "root-cert.pem" | "cert-chain.pem";
export const cacertsKeys: readonly CacertsKey[] = ["ca-cert.pem", "ca-key.pem", "root-cert.pem", "cert-chain.pem"];

/**
 * The `cacerts` contents: the cluster's intermediate and its key, the trust bundle (signing root first, then
 * any roots still trusted during a rotation), and the chain from the intermediate up to its root.
 */
export function cacertsFiles(material: {
    intermediateCertPem: string;
    intermediateKeyPem: string;
    rootCertPem: string;
    additionalTrustedRoots?: readonly string[];
    certChainPem?: string;
}): Record<CacertsKey, string> {
    return {
        "ca-cert.pem": pemBundle([material.intermediateCertPem]),
        "ca-key.pem": pemBundle([material.intermediateKeyPem]),
        "root-cert.pem": pemBundle([material.rootCertPem, ...(material.additionalTrustedRoots ?? [])]),
        "cert-chain.pem": material.certChainPem
            ? pemBundle([material.certChainPem])
            : pemBundle([material.intermediateCertPem, material.rootCertPem]),
    };
}

/**
 * What istiod and the proxies need while `root-cert.pem` holds more than one root (Istio's cacert rotation
 * test): istiod distributes the whole bundle, and the proxy agent serves it over xDS. The istiod chart
 * takes istiod's environment as top-level `env` (IstioOperator's `pilot.env` is not a chart value).
 */
export function multiRootIstiodValues(): {
    env: { ISTIO_MULTIROOT_MESH: string };
    meshConfig: { defaultConfig: { proxyMetadata: { PROXY_CONFIG_XDS_AGENT: string } } };
} {
    return {
        env: { ISTIO_MULTIROOT_MESH: "true" },
        meshConfig: { defaultConfig: { proxyMetadata: { PROXY_CONFIG_XDS_AGENT: "true" } } },
    };
}
