import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { p256, p384 } from "@noble/curves/nist";
import { createHash, createPrivateKey, createPublicKey, KeyObject, webcrypto } from "node:crypto";
import { KeyPool, keyKindOf } from "./keyPool";
import { reveal } from "./secrets";

/**
 * An emulation of the `@pulumi/tls` provider (terraform-provider-tls) that really generates keys and
 * really signs certificates, so tests can check chains and extensions with an X.509 library. Where the
 * provider is surprising, this follows it:
 * - `maxPathLength` 0 (or negative) emits no path-length constraint at all (Go's MaxPathLen 0 without
 *   MaxPathLenZero); only a positive value is written;
 * - a CA certificate always gets a subject key identifier; a locally signed one gets an authority key
 *   identifier whenever its issuer has a subject key identifier (Go's x509 does that itself);
 * - basic constraints are always present and critical; key usage is critical;
 * - `subject.emailAddress` is ignored (the provider never copies it into the name);
 * - `allowedUses` values are the provider's snake_case names and an unknown one is an error;
 * - the CA key of a locally signed certificate must match the CA certificate.
 * Deterministic: keys come from a fixed pool by resource name, the clock is fixed, serial numbers derive
 * from the resource name, and ECDSA signatures use RFC 6979 nonces, so the same program yields the same
 * bytes on every run.
 */

const subtle = webcrypto.subtle;

const keyUsageFlags: Record<string, x509.KeyUsageFlags> = {
    digital_signature: x509.KeyUsageFlags.digitalSignature,
    content_commitment: x509.KeyUsageFlags.nonRepudiation,
    key_encipherment: x509.KeyUsageFlags.keyEncipherment,
    data_encipherment: x509.KeyUsageFlags.dataEncipherment,
    key_agreement: x509.KeyUsageFlags.keyAgreement,
    cert_signing: x509.KeyUsageFlags.keyCertSign,
    crl_signing: x509.KeyUsageFlags.cRLSign,
    encipher_only: x509.KeyUsageFlags.encipherOnly,
    decipher_only: x509.KeyUsageFlags.decipherOnly,
};

const extendedKeyUsages: Record<string, string> = {
    any_extended: "2.5.29.37.0",
    server_auth: x509.ExtendedKeyUsage.serverAuth,
    client_auth: x509.ExtendedKeyUsage.clientAuth,
    code_signing: x509.ExtendedKeyUsage.codeSigning,
    email_protection: x509.ExtendedKeyUsage.emailProtection,
    ipsec_end_system: "1.3.6.1.5.5.7.3.5",
    ipsec_tunnel: "1.3.6.1.5.5.7.3.6",
    ipsec_user: "1.3.6.1.5.5.7.3.7",
    timestamping: x509.ExtendedKeyUsage.timeStamping,
    ocsp_signing: x509.ExtendedKeyUsage.ocspSigning,
    microsoft_server_gated_crypto: "1.3.6.1.4.1.311.10.3.3",
    netscape_server_gated_crypto: "2.16.840.1.113730.4.1",
    microsoft_commercial_code_signing: "1.3.6.1.4.1.311.2.1.22",
    microsoft_kernel_code_signing: "1.3.6.1.4.1.311.61.1.1",
};

/** Web Crypto whose ECDSA signatures are deterministic (RFC 6979); everything else is Node's own. */
const deterministicCrypto: Crypto = {
    ...(webcrypto as unknown as Crypto),
    getRandomValues: webcrypto.getRandomValues.bind(webcrypto) as Crypto["getRandomValues"],
    randomUUID: webcrypto.randomUUID.bind(webcrypto),
    subtle: new Proxy(subtle as unknown as SubtleCrypto, {
        get(target, prop) {
            if (prop === "sign") {
                return async (algorithm: EcdsaParams | AlgorithmIdentifier, key: CryptoKey, data: BufferSource) => {
                    const name = typeof algorithm === "string" ? algorithm : algorithm.name;
                    if (name !== "ECDSA") {
                        return target.sign(algorithm, key, data);
                    }
                    const jwk = await target.exportKey("jwk", key);
                    const hash = (algorithm as EcdsaParams).hash;
                    const hashName = (typeof hash === "string" ? hash : hash.name).replace("-", "").toLowerCase();
                    const digest = createHash(hashName).update(Buffer.from(data as ArrayBuffer)).digest();
                    const curve = jwk.crv === "P-384" ? p384 : p256;
                    const signature = curve.sign(digest, Buffer.from(jwk.d as string, "base64url"), { lowS: false });
                    return signature.toCompactRawBytes().slice().buffer;
                };
            }
            const value = Reflect.get(target, prop) as unknown;
            return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
    }),
};

interface WebKeys {
    privateKey: CryptoKey;
    publicKey: CryptoKey;
    signingAlgorithm: Algorithm | EcdsaParams;
    keyAlgorithm: "RSA" | "ECDSA";
}

async function webKeys(privateKey: KeyObject): Promise<WebKeys> {
    const pkcs8 = privateKey.export({ type: "pkcs8", format: "der" });
    const spki = createPublicKey(privateKey).export({ type: "spki", format: "der" });
    if (privateKey.asymmetricKeyType === "rsa") {
        const algorithm = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
        return {
            privateKey: await subtle.importKey("pkcs8", pkcs8, algorithm, true, ["sign"]),
            publicKey: await subtle.importKey("spki", spki, algorithm, true, ["verify"]),
            signingAlgorithm: algorithm,
            keyAlgorithm: "RSA",
        };
    }
    if (privateKey.asymmetricKeyType === "ec") {
        const namedCurve = privateKey.asymmetricKeyDetails?.namedCurve === "secp384r1" ? "P-384" : "P-256";
        const algorithm = { name: "ECDSA", namedCurve };
        return {
            privateKey: await subtle.importKey("pkcs8", pkcs8, algorithm, true, ["sign"]),
            publicKey: await subtle.importKey("spki", spki, algorithm, true, ["verify"]),
            signingAlgorithm: { name: "ECDSA", hash: namedCurve === "P-384" ? "SHA-384" : "SHA-256" },
            keyAlgorithm: "ECDSA",
        };
    }
    throw new Error(`unsupported key type ${privateKey.asymmetricKeyType}`);
}

type Inputs = Record<string, unknown>;
interface Subject {
    commonName?: string;
    organization?: string;
    organizationalUnit?: string;
    streetAddresses?: string[];
    locality?: string;
    province?: string;
    country?: string;
    postalCode?: string;
    serialNumber?: string;
}

/** The subject in the RDN order Go's pkix.Name writes. */
function subjectName(subject: Subject | undefined): x509.JsonName {
    const s = subject ?? {};
    const rdns: x509.JsonName = [];
    const add = (type: string, values: (string | undefined)[] | undefined) => {
        for (const v of values ?? []) {
            if (v !== undefined) {
                rdns.push({ [type]: [v] });
            }
        }
    };
    add("C", [s.country]);
    add("ST", [s.province]);
    add("L", [s.locality]);
    add("STREET", s.streetAddresses);
    add("2.5.4.17", [s.postalCode]);
    add("O", [s.organization]);
    add("OU", [s.organizationalUnit]);
    add("CN", [s.commonName]);
    add("2.5.4.5", [s.serialNumber]);
    return rdns;
}

function requireString(inputs: Inputs, key: string, type: string): string {
    const value = reveal(inputs[key]);
    if (typeof value !== "string" || value === "") {
        throw new Error(`${type}: input ${key} is required`);
    }
    return value;
}

function sanNames(inputs: Inputs): x509.JsonGeneralName[] {
    const list = (key: string) => (reveal(inputs[key]) as string[] | undefined) ?? [];
    return [
        ...list("dnsNames").map((value) => ({ type: "dns" as const, value })),
        ...list("ipAddresses").map((value) => ({ type: "ip" as const, value })),
        ...list("uris").map((value) => ({ type: "url" as const, value })),
    ];
}

export class TlsProviderMock {
    /** Outputs the provider computes (unknown in a preview of their creation). */
    public static readonly computedOutputs = [
        "privateKeyPem",
        "privateKeyPemPkcs8",
        "publicKeyPem",
        "certRequestPem",
        "certPem",
        "validityStartTime",
        "validityEndTime",
        "readyForRenewal",
        "keyAlgorithm",
        "caKeyAlgorithm",
    ];

    /** The emulated provider's clock: every certificate's validity starts here. */
    public static readonly now = new Date("2026-01-01T00:00:00Z");

    constructor(private readonly keys: KeyPool) {}

    public async create(type: string, name: string, inputs: Inputs): Promise<{ id: string; state: Inputs }> {
        switch (type) {
            case "tls:index/privateKey:PrivateKey":
                return this.privateKey(name, inputs);
            case "tls:index/selfSignedCert:SelfSignedCert":
                return this.certificate(name, inputs, "self-signed");
            case "tls:index/locallySignedCert:LocallySignedCert":
                return this.certificate(name, inputs, "locally-signed");
            case "tls:index/certRequest:CertRequest":
                return this.certRequest(inputs);
            default:
                throw new Error(`the tls provider mock has no resource type ${type}`);
        }
    }

    private privateKey(name: string, inputs: Inputs): { id: string; state: Inputs } {
        const algorithm = requireString(inputs, "algorithm", "tls.PrivateKey");
        const rsaBits = (reveal(inputs.rsaBits) as number | undefined) ?? 2048;
        const ecdsaCurve = (reveal(inputs.ecdsaCurve) as string | undefined) ?? "P224";
        const { key } = this.keys.keyFor(name, keyKindOf(algorithm, rsaBits, ecdsaCurve));
        const traditional = key.export({ type: algorithm === "RSA" ? "pkcs1" : "sec1", format: "pem" }) as string;
        const publicKeyPem = createPublicKey(key).export({ type: "spki", format: "pem" }) as string;
        return {
            id: createHash("sha1").update(publicKeyPem).digest("hex"),
            state: {
                ...inputs,
                algorithm,
                rsaBits,
                ecdsaCurve,
                privateKeyPem: traditional,
                privateKeyPemPkcs8: key.export({ type: "pkcs8", format: "pem" }),
                publicKeyPem,
            },
        };
    }

    private async certRequest(inputs: Inputs): Promise<{ id: string; state: Inputs }> {
        const privateKey = createPrivateKey(requireString(inputs, "privateKeyPem", "tls.CertRequest"));
        const keys = await webKeys(privateKey);
        const names = sanNames(inputs);
        const csr = await x509.Pkcs10CertificateRequestGenerator.create(
            {
                name: subjectName(reveal(inputs.subject) as Subject | undefined),
                keys: { privateKey: keys.privateKey, publicKey: keys.publicKey },
                signingAlgorithm: keys.signingAlgorithm,
                extensions: names.length > 0 ? [new x509.SubjectAlternativeNameExtension(names)] : [],
            },
            deterministicCrypto,
        );
        const certRequestPem = csr.toString("pem") + "\n";
        return {
            id: createHash("sha1").update(certRequestPem).digest("hex"),
            state: { ...inputs, certRequestPem, keyAlgorithm: keys.keyAlgorithm },
        };
    }

    private async certificate(
        name: string,
        inputs: Inputs,
        kind: "self-signed" | "locally-signed",
    ): Promise<{ id: string; state: Inputs }> {
        const type = kind === "self-signed" ? "tls.SelfSignedCert" : "tls.LocallySignedCert";
        const validityPeriodHours = reveal(inputs.validityPeriodHours);
        if (typeof validityPeriodHours !== "number") {
            throw new Error(`${type}: input validityPeriodHours is required`);
        }
        const earlyRenewalHours = (reveal(inputs.earlyRenewalHours) as number | undefined) ?? 0;
        const isCa = (reveal(inputs.isCaCertificate) as boolean | undefined) ?? false;
        const allowedUses = (reveal(inputs.allowedUses) as string[] | undefined) ?? [];
        for (const use of allowedUses) {
            if (!(use in keyUsageFlags) && !(use in extendedKeyUsages)) {
                throw new Error(`${type}: allowedUses value ${JSON.stringify(use)} is not one the provider accepts`);
            }
        }

        let subject: x509.JsonName | x509.Name;
        let subjectPublicKey: CryptoKey | x509.PublicKey;
        let names: x509.JsonGeneralName[];
        let issuer: x509.JsonName | x509.Name;
        let signer: WebKeys;
        let issuerKeyId: string | undefined;
        if (kind === "self-signed") {
            const privateKey = createPrivateKey(requireString(inputs, "privateKeyPem", type));
            signer = await webKeys(privateKey);
            subject = subjectName(reveal(inputs.subject) as Subject | undefined);
            issuer = subject;
            subjectPublicKey = signer.publicKey;
            names = sanNames(inputs);
        } else {
            const csr = new x509.Pkcs10CertificateRequest(requireString(inputs, "certRequestPem", type));
            const caCert = new x509.X509Certificate(requireString(inputs, "caCertPem", type));
            const caKey = createPrivateKey(requireString(inputs, "caPrivateKeyPem", type));
            const caPublic = createPublicKey(caKey).export({ type: "spki", format: "der" });
            if (!Buffer.from(caCert.publicKey.rawData).equals(caPublic)) {
                throw new Error(`${type}: x509: provided PrivateKey doesn't match parent's PublicKey`);
            }
            signer = await webKeys(caKey);
            subject = csr.subjectName;
            issuer = caCert.subjectName;
            subjectPublicKey = csr.publicKey;
            const san = csr.extensions.find((e) => e instanceof x509.SubjectAlternativeNameExtension);
            names = san ? (san as x509.SubjectAlternativeNameExtension).names.toJSON() : [];
            issuerKeyId = caCert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
        }
        const subjectIsEmpty = (Array.isArray(subject) ? subject.length : subject.toJSON().length) === 0;
        if (isCa && subjectIsEmpty) {
            throw new Error(`${type}: Must contain at least one Distinguished Name when creating Certificate Authority (CA)`);
        }

        const maxPathLength = reveal(inputs.maxPathLength) as number | undefined;
        const extensions: x509.Extension[] = [
            new x509.BasicConstraintsExtension(isCa, isCa && maxPathLength !== undefined && maxPathLength > 0 ? maxPathLength : undefined, true),
        ];
        const usageFlags = allowedUses.reduce((flags, use) => flags | (keyUsageFlags[use] ?? 0), 0);
        if (usageFlags !== 0) {
            extensions.push(new x509.KeyUsagesExtension(usageFlags, true));
        }
        const extUsages = allowedUses.filter((use) => use in extendedKeyUsages).map((use) => extendedKeyUsages[use]);
        if (extUsages.length > 0) {
            extensions.push(new x509.ExtendedKeyUsageExtension(extUsages, false));
        }
        const setSki = isCa || ((reveal(inputs.setSubjectKeyId) as boolean | undefined) ?? false);
        let ownSki: x509.SubjectKeyIdentifierExtension | undefined;
        if (setSki) {
            ownSki = await x509.SubjectKeyIdentifierExtension.create(subjectPublicKey, false, deterministicCrypto);
            extensions.push(ownSki);
        }
        if (kind === "self-signed" && ((reveal(inputs.setAuthorityKeyId) as boolean | undefined) ?? false)) {
            if (!ownSki) {
                throw new Error(`${type}: Could not determine Authority Key Identifier`);
            }
            extensions.push(new x509.AuthorityKeyIdentifierExtension(ownSki.keyId, false));
        }
        if (kind === "locally-signed" && issuerKeyId) {
            extensions.push(new x509.AuthorityKeyIdentifierExtension(issuerKeyId, false));
        }
        if (names.length > 0) {
            extensions.push(new x509.SubjectAlternativeNameExtension(names, subjectIsEmpty));
        }

        const notBefore = TlsProviderMock.now;
        const notAfter = new Date(notBefore.getTime() + validityPeriodHours * 3_600_000);
        // Positive 128-bit serial, derived from the resource name so reruns are byte-identical.
        const serial = createHash("sha256").update(`serial:${name}`).digest().subarray(0, 16);
        serial[0] &= 0x7f;
        const cert = await x509.X509CertificateGenerator.create(
            {
                serialNumber: serial.toString("hex"),
                subject,
                issuer,
                notBefore,
                notAfter,
                publicKey: subjectPublicKey,
                signingKey: signer.privateKey,
                signingAlgorithm: signer.signingAlgorithm,
                extensions,
            },
            deterministicCrypto,
        );
        const renewalAt = notAfter.getTime() - earlyRenewalHours * 3_600_000;
        return {
            id: BigInt(`0x${serial.toString("hex")}`).toString(10),
            state: {
                ...inputs,
                allowedUses,
                earlyRenewalHours,
                isCaCertificate: isCa,
                certPem: cert.toString("pem") + "\n",
                validityStartTime: notBefore.toISOString().replace(".000Z", "Z"),
                validityEndTime: notAfter.toISOString().replace(".000Z", "Z"),
                readyForRenewal: TlsProviderMock.now.getTime() >= renewalAt,
                ...(kind === "locally-signed" ? { caKeyAlgorithm: signer.keyAlgorithm } : { keyAlgorithm: signer.keyAlgorithm }),
            },
        };
    }
}
