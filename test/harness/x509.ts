import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { X509Certificate as NodeCertificate } from "node:crypto";

/** The PEM blocks of a bundle, in order. */
export function pemBlocks(bundle: string): string[] {
    return bundle.match(/-----BEGIN [A-Z ]+-----[\s\S]+?-----END [A-Z ]+-----\n?/g) ?? [];
}

/** A certificate read twice: by @peculiar/x509 for extensions, by Node's OpenSSL binding for chain checks. */
export interface ParsedCertificate {
    pem: string;
    cert: x509.X509Certificate;
    openssl: NodeCertificate;
}

export function parseCertificates(bundle: string): ParsedCertificate[] {
    return pemBlocks(bundle).map((pem) => ({ pem, cert: new x509.X509Certificate(pem), openssl: new NodeCertificate(pem) }));
}

export function parseCertificate(pem: string): ParsedCertificate {
    const [only, ...rest] = parseCertificates(pem);
    if (!only || rest.length > 0) {
        throw new Error(`expected exactly one certificate, found ${rest.length + (only ? 1 : 0)}`);
    }
    return only;
}

export function basicConstraints(c: ParsedCertificate): x509.BasicConstraintsExtension | undefined {
    return c.cert.getExtension(x509.BasicConstraintsExtension) ?? undefined;
}

export function keyUsages(c: ParsedCertificate): { critical: boolean; usages: string[] } | undefined {
    const ext = c.cert.getExtension(x509.KeyUsagesExtension);
    if (!ext) {
        return undefined;
    }
    const usages = Object.entries(x509.KeyUsageFlags)
        .filter(([name, bit]) => typeof bit === "number" && isNaN(Number(name)) && (ext.usages & bit) !== 0)
        .map(([name]) => name)
        .sort();
    return { critical: ext.critical, usages };
}

export function dnsNames(c: ParsedCertificate): string[] {
    const san = c.cert.getExtension(x509.SubjectAlternativeNameExtension);
    return san ? san.names.items.filter((n) => n.type === "dns").map((n) => n.value) : [];
}

export { x509 };

/** A throwaway self-signed certificate (ECDSA P-256, quick to make), for inputs that must be real X.509. */
export async function selfSignedPem(commonName: string): Promise<string> {
    const algorithm = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
    const keys = await crypto.subtle.generateKey(algorithm, false, ["sign", "verify"]);
    const cert = await x509.X509CertificateGenerator.createSelfSigned({ name: `CN=${commonName}`, keys, signingAlgorithm: algorithm, notBefore: new Date(), notAfter: new Date(Date.now() + 86_400_000) });
    return cert.toString("pem");
}
