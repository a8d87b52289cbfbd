import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { randomBytes, webcrypto } from "node:crypto";

/**
 * Certificates for the local clusters (each API server's own CA and serving certificate, a service
 * account signing key) and the mesh's trust material, which the e2e stacks bring in with trust mode
 * `external`, as a team whose root lives in an offline PKI would. ECDSA P-256 throughout: quick to make.
 */

const algorithm = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export interface KeyAndCert {
    keyPem: string;
    certPem: string;
    /** For signing further certificates. */
    keys: CryptoKeyPair;
    cert: x509.X509Certificate;
}

async function keyPair(): Promise<CryptoKeyPair> {
    return (await webcrypto.subtle.generateKey(algorithm, true, ["sign", "verify"])) as CryptoKeyPair;
}

async function privateKeyPem(keys: CryptoKeyPair): Promise<string> {
    const der = await webcrypto.subtle.exportKey("pkcs8", keys.privateKey as webcrypto.CryptoKey);
    return x509.PemConverter.encode(der, "PRIVATE KEY") + "\n";
}

function serial(): string {
    const bytes = randomBytes(16);
    bytes[0] &= 0x7f;
    return bytes.toString("hex");
}

const day = 86_400_000;

/** A CA certificate: self-signed when `issuer` is absent, else signed by it (an intermediate). */
export async function makeCa(commonName: string, issuer?: KeyAndCert, organization = "istio-multicluster e2e"): Promise<KeyAndCert> {
    const keys = await keyPair();
    const subject = `O=${organization}, CN=${commonName}`;
    const ski = await x509.SubjectKeyIdentifierExtension.create(keys.publicKey);
    const cert = await x509.X509CertificateGenerator.create({
        serialNumber: serial(),
        subject,
        issuer: issuer ? issuer.cert.subject : subject,
        notBefore: new Date(Date.now() - day),
        notAfter: new Date(Date.now() + 30 * day),
        publicKey: keys.publicKey,
        signingKey: (issuer ?? { keys }).keys.privateKey,
        signingAlgorithm: algorithm,
        extensions: [
            new x509.BasicConstraintsExtension(true, undefined, true),
            new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
            ski,
            ...(issuer ? [await x509.AuthorityKeyIdentifierExtension.create(issuer.cert)] : []),
        ],
    });
    return { keyPem: await privateKeyPem(keys), certPem: cert.toString("pem") + "\n", keys, cert };
}

/** A serving certificate for 127.0.0.1 and localhost, signed by `ca`. */
export async function makeServingCert(ca: KeyAndCert, commonName: string): Promise<KeyAndCert> {
    const keys = await keyPair();
    const cert = await x509.X509CertificateGenerator.create({
        serialNumber: serial(),
        subject: `CN=${commonName}`,
        issuer: ca.cert.subject,
        notBefore: new Date(Date.now() - day),
        notAfter: new Date(Date.now() + 30 * day),
        publicKey: keys.publicKey,
        signingKey: ca.keys.privateKey,
        signingAlgorithm: algorithm,
        extensions: [
            new x509.BasicConstraintsExtension(false, undefined, true),
            new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
            new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
            new x509.SubjectAlternativeNameExtension([
                { type: "ip", value: "127.0.0.1" },
                { type: "dns", value: "localhost" },
            ]),
            await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
        ],
    });
    return { keyPem: await privateKeyPem(keys), certPem: cert.toString("pem") + "\n", keys, cert };
}

/** A bare key pair (PEM), e.g. for signing service account tokens. */
export async function makeKey(): Promise<{ privatePem: string; publicPem: string }> {
    const keys = await keyPair();
    const spki = await webcrypto.subtle.exportKey("spki", keys.publicKey as webcrypto.CryptoKey);
    return { privatePem: await privateKeyPem(keys), publicPem: x509.PemConverter.encode(spki, "PUBLIC KEY") + "\n" };
}
