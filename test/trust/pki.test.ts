import * as assert from "node:assert/strict";
import {
    caAllowedUses,
    caKeyArgs,
    cacertsFiles,
    intermediateSubject,
    istiodDnsName,
    multiRootIstiodValues,
    pemBundle,
    rootSubject,
} from "../../lib/trust/pki";

const block = (n: number) => `-----BEGIN CERTIFICATE-----\nMII${n}\n-----END CERTIFICATE-----`;

describe("Istio plugin-CA profile", () => {
    it("names the root and intermediates as Istio's Makefile does", () => {
        assert.deepEqual(rootSubject("Istio"), { organization: "Istio", commonName: "Root CA" });
        assert.deepEqual(intermediateSubject("Istio", "cluster1"), { organization: "Istio", commonName: "Intermediate CA", locality: "cluster1" });
        assert.equal(istiodDnsName("istio-system"), "istiod.istio-system.svc");
    });

    it("uses the provider's names for digitalSignature, nonRepudiation, keyEncipherment, keyCertSign", () => {
        assert.deepEqual(caAllowedUses, ["digital_signature", "content_commitment", "key_encipherment", "cert_signing"]);
    });

    it("sends only the key parameter that applies", () => {
        assert.deepEqual(caKeyArgs("RSA", 4096, "P256"), { algorithm: "RSA", rsaBits: 4096 });
        assert.deepEqual(caKeyArgs("ECDSA", 4096, "P384"), { algorithm: "ECDSA", ecdsaCurve: "P384" });
    });

    it("bundles PEM blocks one newline apart, without repeats or blanks", () => {
        assert.equal(pemBundle([block(1), `${block(2)}\n\n`, block(1), "  "]), `${block(1)}\n${block(2)}\n`);
    });

    it("lays out cacerts: chain is intermediate then root; extra roots only in root-cert.pem", () => {
        const files = cacertsFiles({
            intermediateCertPem: block(1),
            intermediateKeyPem: "-----BEGIN RSA PRIVATE KEY-----\nk\n-----END RSA PRIVATE KEY-----",
            rootCertPem: block(2),
            additionalTrustedRoots: [block(3)],
        });
        assert.deepEqual(Object.keys(files), ["ca-cert.pem", "ca-key.pem", "root-cert.pem", "cert-chain.pem"]);
        assert.equal(files["cert-chain.pem"], `${block(1)}\n${block(2)}\n`);
        assert.equal(files["root-cert.pem"], `${block(2)}\n${block(3)}\n`);
        assert.equal(files["ca-cert.pem"], `${block(1)}\n`);
    });

    it("keeps a supplied chain as given", () => {
        const files = cacertsFiles({ intermediateCertPem: block(1), intermediateKeyPem: "k", rootCertPem: block(3), certChainPem: `${block(1)}\n${block(2)}\n${block(3)}` });
        assert.equal(files["cert-chain.pem"], `${block(1)}\n${block(2)}\n${block(3)}\n`);
        assert.equal(files["root-cert.pem"], `${block(3)}\n`, "one root, and nothing else, when no other is trusted");
    });

    it("gives istiod and proxies Istio's multi-root settings", () => {
        assert.deepEqual(multiRootIstiodValues(), {
            env: { ISTIO_MULTIROOT_MESH: "true" },
            meshConfig: { defaultConfig: { proxyMetadata: { PROXY_CONFIG_XDS_AGENT: "true" } } },
        });
    });
});
