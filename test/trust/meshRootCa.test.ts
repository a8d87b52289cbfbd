import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { MockCloud, inspect, urnOf, valueOf } from "../harness/mocks";
import { isSecretWrapper, looksSensitive, plainStrings, reveal } from "../harness/secrets";
import { basicConstraints, dnsNames, keyUsages, parseCertificate, parseCertificates, x509 } from "../harness/x509";
import { MeshRootCa, MeshRootCaArgs } from "../../lib";
import { supportedRsaBits } from "../../lib/trust/pki";
import { validateMeshRootCaArgs } from "../../lib/trust/meshRootCa";

const T = {
    component: "istio-multicluster:index:MeshRootCa",
    key: "tls:index/privateKey:PrivateKey",
    selfSigned: "tls:index/selfSignedCert:SelfSignedCert",
    csr: "tls:index/certRequest:CertRequest",
    signed: "tls:index/locallySignedCert:LocallySignedCert",
};
const caUsages = ["digitalSignature", "keyCertSign", "keyEncipherment", "nonRepudiation"];

async function build(name: string, args: MeshRootCaArgs, cloud = MockCloud.install()) {
    const ca = new MeshRootCa(name, args);
    await urnOf(ca);
    const files: Record<string, Record<string, { value: string; secret: boolean }>> = {};
    for (const [cluster, entries] of Object.entries(ca.cacerts)) {
        files[cluster] = {};
        for (const [key, output] of Object.entries(entries)) {
            files[cluster][key] = await inspect(output);
        }
    }
    await cloud.settle();
    return { ca, cloud, files };
}

describe("MeshRootCa", () => {
    describe("generated root (default)", () => {
        let result: Awaited<ReturnType<typeof build>>;
        before(async () => {
            result = await build("mesh", { clusters: ["cluster1", "cluster2"] });
        });

        it("registers a root key and self-signed root, and key, request and certificate per cluster", () => {
            const names = result.cloud.registrations.map((r) => `${r.type} ${r.name}`).sort();
            assert.deepEqual(names, [
                `${T.component} mesh`,
                `${T.signed} mesh-intermediate-cluster1-cert`,
                `${T.signed} mesh-intermediate-cluster2-cert`,
                `${T.csr} mesh-intermediate-cluster1-csr`,
                `${T.csr} mesh-intermediate-cluster2-csr`,
                `${T.key} mesh-intermediate-cluster1-key`,
                `${T.key} mesh-intermediate-cluster2-key`,
                `${T.key} mesh-root-key`,
                `${T.selfSigned} mesh-root-cert`,
            ].sort());
            const componentUrn = result.cloud.find(T.component, "mesh").urn;
            for (const r of result.cloud.registrations.filter((r) => r.type !== T.component)) {
                assert.equal(r.parent, componentUrn, `${r.name} is parented to the component`);
            }
        });

        it("uses Istio's plugin-CA key profile: RSA 4096", () => {
            for (const name of ["mesh-root-key", "mesh-intermediate-cluster1-key", "mesh-intermediate-cluster2-key"]) {
                assert.deepEqual(result.cloud.find(T.key, name).inputs, { algorithm: "RSA", rsaBits: 4096 });
            }
        });

        it("protects the root key and certificate, and nothing else", () => {
            assert.equal(result.cloud.find(T.key, "mesh-root-key").protect, true);
            assert.equal(result.cloud.find(T.selfSigned, "mesh-root-cert").protect, true);
            for (const r of result.cloud.registrations.filter((r) => !["mesh-root-key", "mesh-root-cert"].includes(r.name))) {
                assert.notEqual(r.protect, true, `${r.name} is not protected`);
            }
        });

        it("issues a self-signed CA root O=Istio, CN=Root CA with Istio's key usages", () => {
            const root = parseCertificate(result.files.cluster1["root-cert.pem"].value);
            assert.equal(root.cert.subject, "O=Istio, CN=Root CA");
            assert.equal(root.cert.issuer, root.cert.subject);
            assert.ok(root.openssl.checkIssued(root.openssl), "self-issued");
            assert.ok(root.openssl.verify(root.openssl.publicKey), "self-signed");
            assert.equal(root.openssl.ca, true);
            const bc = basicConstraints(root)!;
            assert.equal(bc.ca, true);
            assert.equal(bc.critical, true);
            assert.deepEqual(keyUsages(root), { critical: true, usages: caUsages });
            assert.equal(root.openssl.publicKey.asymmetricKeyDetails?.modulusLength, 4096);
            const days = (root.cert.notAfter.getTime() - root.cert.notBefore.getTime()) / 86_400_000;
            assert.equal(days, 3650);
        });

        it("issues one intermediate per cluster, signed by the root, in Istio's intermediate profile", () => {
            const root = parseCertificate(result.files.cluster1["root-cert.pem"].value);
            for (const cluster of ["cluster1", "cluster2"]) {
                const intermediate = parseCertificate(result.files[cluster]["ca-cert.pem"].value);
                assert.equal(intermediate.cert.subject, `L=${cluster}, O=Istio, CN=Intermediate CA`);
                assert.equal(intermediate.cert.issuer, "O=Istio, CN=Root CA");
                assert.ok(intermediate.openssl.checkIssued(root.openssl), `${cluster} issued by the root`);
                assert.ok(intermediate.openssl.verify(root.openssl.publicKey), `${cluster} signed by the root key`);
                const bc = basicConstraints(intermediate)!;
                assert.equal(bc.ca, true);
                assert.equal(bc.critical, true);
                // @pulumi/tls cannot write pathlen:0 (see the README); no constraint is written at all.
                assert.equal(bc.pathLength, undefined);
                assert.deepEqual(keyUsages(intermediate), { critical: true, usages: caUsages });
                assert.deepEqual(dnsNames(intermediate), ["istiod.istio-system.svc"]);
                assert.equal(intermediate.openssl.publicKey.asymmetricKeyDetails?.modulusLength, 4096);
                const aki = intermediate.cert.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId;
                const ski = root.cert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
                assert.ok(ski && aki === ski, "authority key id names the root");
                const days = (intermediate.cert.notAfter.getTime() - intermediate.cert.notBefore.getTime()) / 86_400_000;
                assert.equal(days, 3650);
            }
        });

        it("pairs each ca-key.pem with its ca-cert.pem", async () => {
            const { createPrivateKey, createPublicKey } = await import("node:crypto");
            for (const cluster of ["cluster1", "cluster2"]) {
                const key = createPublicKey(createPrivateKey(result.files[cluster]["ca-key.pem"].value));
                const cert = parseCertificate(result.files[cluster]["ca-cert.pem"].value);
                assert.ok(key.equals(cert.openssl.publicKey), `${cluster} key matches its certificate`);
            }
        });

        it("gives every intermediate its own key, apart from the root's and every other cluster's", async () => {
            const { createPrivateKey, createPublicKey } = await import("node:crypto");
            const rootKey = reveal(result.cloud.find(T.key, "mesh-root-key").state!.privateKeyPem) as string;
            const rootPublic = createPublicKey(createPrivateKey(rootKey));
            const seen = new Set([rootKey]);
            for (const cluster of ["cluster1", "cluster2"]) {
                const ownKey = reveal(result.cloud.find(T.key, `mesh-intermediate-${cluster}-key`).state!.privateKeyPem) as string;
                assert.equal(reveal(result.cloud.find(T.csr, `mesh-intermediate-${cluster}-csr`).inputs.privateKeyPem), ownKey, `${cluster}'s request is signed with its own key`);
                assert.equal(result.files[cluster]["ca-key.pem"].value, ownKey, `${cluster}'s ca-key.pem is its own key`);
                assert.ok(!seen.has(ownKey), `${cluster}'s key is also the root's or another cluster's`);
                seen.add(ownKey);
                assert.ok(!parseCertificate(result.files[cluster]["ca-cert.pem"].value).openssl.publicKey.equals(rootPublic), `${cluster}'s certificate carries the root's key`);
            }
        });

        it("outputs exactly the four cacerts entries, with cert-chain.pem = ca-cert.pem + root-cert.pem", () => {
            for (const cluster of ["cluster1", "cluster2"]) {
                const f = result.files[cluster];
                assert.deepEqual(Object.keys(f).sort(), ["ca-cert.pem", "ca-key.pem", "cert-chain.pem", "root-cert.pem"]);
                assert.equal(f["cert-chain.pem"].value, f["ca-cert.pem"].value + f["root-cert.pem"].value);
                const chain = parseCertificates(f["cert-chain.pem"].value);
                assert.equal(chain.length, 2);
                assert.ok(chain[0].openssl.checkIssued(chain[1].openssl));
            }
        });

        it("shares one root across all clusters", async () => {
            const root = await valueOf(result.ca.rootCertPem);
            assert.equal(result.files.cluster1["root-cert.pem"].value, root);
            assert.equal(result.files.cluster2["root-cert.pem"].value, root);
            assert.equal(await valueOf(result.ca.trustBundlePem), root);
            assert.equal(await valueOf(result.ca.multiRootTrust), false);
        });

        it("keeps every private key inside Pulumi secrets, in inputs, provider state and outputs", () => {
            for (const cluster of ["cluster1", "cluster2"]) {
                assert.equal(result.files[cluster]["ca-key.pem"].secret, true, `${cluster} ca-key.pem is secret`);
                for (const key of ["ca-cert.pem", "root-cert.pem", "cert-chain.pem"]) {
                    assert.equal(result.files[cluster][key].secret, false, `${cluster} ${key} stays readable`);
                }
            }
            for (const r of result.cloud.registrations) {
                for (const leaf of [...plainStrings(r.inputs, "inputs"), ...plainStrings(r.state ?? {}, "state")]) {
                    assert.ok(!looksSensitive(leaf.value), `${r.name} ${leaf.path} holds key material outside a secret`);
                }
            }
            assert.ok(isSecretWrapper(result.cloud.find(T.csr, "mesh-intermediate-cluster1-csr").inputs.privateKeyPem));
            assert.ok(isSecretWrapper(result.cloud.find(T.signed, "mesh-intermediate-cluster1-cert").inputs.caPrivateKeyPem));
            assert.ok(isSecretWrapper(result.cloud.find(T.selfSigned, "mesh-root-cert").inputs.privateKeyPem));
        });

        it("re-issues intermediates early but never the root", () => {
            assert.equal(reveal(result.cloud.find(T.selfSigned, "mesh-root-cert").inputs.earlyRenewalHours), 0);
            assert.equal(reveal(result.cloud.find(T.signed, "mesh-intermediate-cluster1-cert").inputs.earlyRenewalHours), 2160);
        });
    });

    for (const key of [...supportedRsaBits.map((rsaBits) => ({ keyAlgorithm: "RSA" as const, rsaBits })), { keyAlgorithm: "ECDSA" as const, ecdsaCurve: "P256" as const }, { keyAlgorithm: "ECDSA" as const, ecdsaCurve: "P384" as const }]) {
        it(`issues a chain with every key size it accepts: ${key.keyAlgorithm} ${"rsaBits" in key ? key.rsaBits : key.ecdsaCurve}`, async () => {
            const { files } = await build("mesh", { clusters: ["c1"], ...key });
            const cert = parseCertificate(files.c1["ca-cert.pem"].value).openssl;
            const details = cert.publicKey.asymmetricKeyDetails!;
            if ("rsaBits" in key) {
                assert.equal(details.modulusLength, key.rsaBits);
            } else {
                assert.equal(details.namedCurve, key.ecdsaCurve === "P256" ? "prime256v1" : "secp384r1");
            }
        });
    }

    it("issues the chain in ECDSA P-384 when asked, signing with SHA-384", async () => {
        const { files } = await build("ec", { clusters: ["east"], keyAlgorithm: "ECDSA", ecdsaCurve: "P384" });
        const root = parseCertificate(files.east["root-cert.pem"].value);
        const intermediate = parseCertificate(files.east["ca-cert.pem"].value);
        assert.equal(intermediate.openssl.publicKey.asymmetricKeyDetails?.namedCurve, "secp384r1");
        assert.ok(intermediate.openssl.verify(root.openssl.publicKey));
        assert.equal(intermediate.cert.signatureAlgorithm.name, "ECDSA");
        assert.deepEqual((intermediate.cert.signatureAlgorithm as EcdsaParams).hash, { name: "SHA-384" });
    });

    it("honours organization, namespace and validity settings", async () => {
        const { files, cloud } = await build("custom", {
            clusters: ["c1"],
            organization: "Example Corp",
            istioNamespace: "mesh-system",
            rootValidityHours: 20 * 8760,
            intermediateValidityHours: 8760,
            intermediateEarlyRenewalHours: 720,
            protectRoot: false,
        });
        const root = parseCertificate(files.c1["root-cert.pem"].value);
        const intermediate = parseCertificate(files.c1["ca-cert.pem"].value);
        assert.equal(root.cert.subject, "O=Example Corp, CN=Root CA");
        assert.equal(intermediate.cert.subject, "L=c1, O=Example Corp, CN=Intermediate CA");
        assert.deepEqual(dnsNames(intermediate), ["istiod.mesh-system.svc"]);
        assert.equal((root.cert.notAfter.getTime() - root.cert.notBefore.getTime()) / 3_600_000, 20 * 8760);
        assert.equal((intermediate.cert.notAfter.getTime() - intermediate.cert.notBefore.getTime()) / 3_600_000, 8760);
        assert.equal(reveal(cloud.find(T.signed, "custom-intermediate-c1-cert").inputs.earlyRenewalHours), 720);
        assert.notEqual(cloud.find(T.key, "custom-root-key").protect, true);
        assert.notEqual(cloud.find(T.selfSigned, "custom-root-cert").protect, true);
    });

    describe("imported root", () => {
        it("signs intermediates with the supplied root and keeps its key secret", async () => {
            const source = await build("source", { clusters: ["x"] });
            const rootCertPem = source.files.x["root-cert.pem"].value;
            const rootKeyPem = reveal(source.cloud.find(T.key, "source-root-key").state!.privateKeyPem) as string;

            const { files, cloud, ca } = await build("imported", {
                clusters: ["a"],
                importedRoot: { certPem: rootCertPem, privateKeyPem: rootKeyPem },
            });
            assert.equal(ca.mode, "imported");
            assert.equal(cloud.ofType(T.key).length, 1, "only the intermediate key is generated");
            assert.equal(cloud.ofType(T.selfSigned).length, 0);
            const signed = cloud.find(T.signed, "imported-intermediate-a-cert");
            assert.ok(isSecretWrapper(signed.inputs.caPrivateKeyPem), "the plain-string root key was made secret");
            const intermediate = parseCertificate(files.a["ca-cert.pem"].value);
            assert.ok(intermediate.openssl.verify(parseCertificate(rootCertPem).openssl.publicKey));
            assert.equal(files.a["root-cert.pem"].value, rootCertPem);
        });
    });

    describe("external intermediates", () => {
        it("passes offline material through, registers no key or certificate, and keeps ca-key.pem secret", async () => {
            const source = await build("offline", { clusters: ["east", "west"] });
            const { files, cloud, ca } = await build("ext", {
                clusters: ["east", "west"],
                external: {
                    rootCertPem: source.files.east["root-cert.pem"].value,
                    intermediates: {
                        east: { caCertPem: source.files.east["ca-cert.pem"].value, caKeyPem: source.files.east["ca-key.pem"].value },
                        west: {
                            caCertPem: source.files.west["ca-cert.pem"].value,
                            caKeyPem: source.files.west["ca-key.pem"].value,
                            certChainPem: source.files.west["cert-chain.pem"].value,
                        },
                    },
                },
            });
            assert.equal(ca.mode, "external");
            assert.deepEqual(cloud.registrations.map((r) => r.type), [T.component], "no root key can enter state");
            for (const cluster of ["east", "west"]) {
                for (const key of ["ca-cert.pem", "ca-key.pem", "root-cert.pem", "cert-chain.pem"]) {
                    assert.equal(files[cluster][key].value, source.files[cluster][key].value, `${cluster} ${key}`);
                }
                assert.equal(files[cluster]["ca-key.pem"].secret, true);
                for (const key of ["ca-cert.pem", "root-cert.pem", "cert-chain.pem"]) {
                    assert.equal(files[cluster][key].secret, false, `${cluster} ${key} stays readable`);
                }
            }
            const threeLevelChain = source.files.west["cert-chain.pem"].value + source.files.west["root-cert.pem"].value;
            const kept = await build("ext-chain", {
                clusters: ["west"],
                external: {
                    rootCertPem: source.files.west["root-cert.pem"].value,
                    intermediates: { west: { caCertPem: source.files.west["ca-cert.pem"].value, caKeyPem: "k", certChainPem: threeLevelChain } },
                },
            });
            assert.equal(kept.files.west["cert-chain.pem"].value, threeLevelChain, "a supplied chain is kept as given");
        });
    });

    describe("root rotation", () => {
        it("appends additional trusted roots to root-cert.pem only, and flags the mesh as multi-root", async () => {
            const other = await build("next", { clusters: ["z"] });
            const newRoot = other.files.z["root-cert.pem"].value;
            const { files, ca } = await build("rot", { clusters: ["a", "b"], additionalTrustedRoots: [newRoot] });
            const signingRoot = await valueOf(ca.rootCertPem);
            for (const cluster of ["a", "b"]) {
                const bundle = parseCertificates(files[cluster]["root-cert.pem"].value);
                assert.deepEqual(bundle.map((c) => c.pem), [signingRoot, newRoot]);
                assert.equal(files[cluster]["cert-chain.pem"].value, files[cluster]["ca-cert.pem"].value + signingRoot);
            }
            assert.equal(await valueOf(ca.trustBundlePem), signingRoot + newRoot);
            assert.equal(await valueOf(ca.multiRootTrust), true);
        });

        it("is not multi-root when the extra root is the signing root itself or blank", async () => {
            const source = await build("self", { clusters: ["a"] });
            const { ca } = await build("self", { clusters: ["a"], additionalTrustedRoots: [source.files.a["root-cert.pem"].value, ""] });
            assert.equal(await valueOf(ca.multiRootTrust), false);
        });
    });

    it("adding a cluster registers only that cluster's intermediate and changes nothing else", async () => {
        const before = await build("grow", { clusters: ["a", "b"] });
        const after = await build("grow", { clusters: ["a", "b", "c"] });
        const snapshot = (r: (typeof before.cloud.registrations)[number]) => ({
            urn: r.urn,
            inputs: r.inputs,
            parent: r.parent,
            protect: r.protect,
            dependencies: [...r.dependencies].sort(),
            state: r.state,
        });
        const beforeByUrn = new Map(before.cloud.registrations.map((r) => [r.urn, snapshot(r)]));
        const added = after.cloud.registrations.filter((r) => !beforeByUrn.has(r.urn)).map((r) => r.name).sort();
        assert.deepEqual(added, ["grow-intermediate-c-cert", "grow-intermediate-c-csr", "grow-intermediate-c-key"]);
        for (const r of after.cloud.registrations.filter((r) => beforeByUrn.has(r.urn))) {
            assert.deepEqual(snapshot(r), beforeByUrn.get(r.urn), `${r.name} unchanged`);
        }
        assert.equal(after.cloud.registrations.length, before.cloud.registrations.length + 3);
    });

    it("gives a cluster named root its own intermediate, apart from the root", async () => {
        const { cloud } = await build("m", { clusters: ["root"] });
        assert.deepEqual(cloud.ofType(T.key).map((r) => r.name).sort(), ["m-intermediate-root-key", "m-root-key"]);
    });

    it("evaluates byte for byte the same on every run", async () => {
        const first = await build("same", { clusters: ["a", "b"], keyAlgorithm: "ECDSA" });
        const second = await build("same", { clusters: ["a", "b"], keyAlgorithm: "ECDSA" });
        const strip = (cloud: MockCloud) => cloud.registrations.map(({ startedAt: _s, finishedAt: _f, ...rest }) => rest);
        assert.deepEqual(strip(second.cloud), strip(first.cloud));
        assert.deepEqual(second.files, first.files);
    });

    describe("invalid arguments", () => {
        function rejects(args: MeshRootCaArgs): pulumi.InputPropertiesError {
            const cloud = MockCloud.install();
            try {
                new MeshRootCa("bad", args);
            } catch (err) {
                assert.ok(pulumi.InputPropertiesError.isInstance(err), `expected InputPropertiesError, got ${String(err)}`);
                assert.equal(cloud.registrations.filter((r) => r.type !== T.component).length, 0, "no child registered");
                return err;
            }
            assert.fail("expected MeshRootCa to reject its arguments");
        }

        it("reports every problem at once with its field", () => {
            const err = rejects({ clusters: ["ok", "Bad_Name", "ok"], rsaBits: 1024, intermediateEarlyRenewalHours: 90000 });
            assert.deepEqual(
                err.errors.map((e) => e.propertyPath),
                ["clusters[1]", "clusters[2]", "rsaBits", "intermediateEarlyRenewalHours"],
            );
            assert.match(err.errors[0].reason, /"Bad_Name" is not a DNS-1123 label.*underscores are not allowed/);
            assert.equal(err.errors[1].reason, `cluster "ok" is listed twice; each cluster gets one intermediate`);
            assert.equal(err.errors[2].reason, "rsaBits 1024 is not one of 2048, 3072, 4096");
            assert.match(err.message, /MeshRootCa bad has 4 problems:\n {2}- clusters\[1\]: /);
        });

        it("rejects conflicting trust modes", () => {
            const err = rejects({
                clusters: ["a"],
                mode: "generated",
                importedRoot: { certPem: "x", privateKeyPem: "y" },
            });
            assert.deepEqual(err.errors, [
                { propertyPath: "mode", reason: "mode generated creates its own root, but importedRoot is set; remove it or set the matching mode" },
            ]);
            const generatedExternal = rejects({ clusters: ["a"], mode: "generated", external: { rootCertPem: "r", intermediates: { a: { caCertPem: "c", caKeyPem: "k" } } } });
            assert.deepEqual(generatedExternal.errors, [
                { propertyPath: "mode", reason: "mode generated creates its own root, but external is set; remove it or set the matching mode" },
                { propertyPath: "external", reason: "external is only used in mode external, not generated" },
            ]);
            const external = rejects({ clusters: ["a"], mode: "external", importedRoot: { certPem: "x", privateKeyPem: "y" } });
            assert.deepEqual(external.errors, [
                { propertyPath: "external", reason: "mode external needs external.rootCertPem and one external.intermediates entry per cluster" },
                { propertyPath: "importedRoot", reason: "importedRoot is only used in mode imported, not external" },
            ]);
            const both = rejects({
                clusters: ["a"],
                importedRoot: { certPem: "x", privateKeyPem: "y" },
                external: { rootCertPem: "r", intermediates: { a: { caCertPem: "c", caKeyPem: "k" } } },
            });
            assert.deepEqual(both.errors, [{ propertyPath: "external", reason: "importedRoot and external are two different trust modes; set only one of them" }]);
        });

        it("rejects external material that does not match the clusters", () => {
            const err = rejects({
                clusters: ["a", "b"],
                external: { rootCertPem: "r", intermediates: { a: { caCertPem: "c", caKeyPem: "k" }, c: { caCertPem: "c", caKeyPem: "k" } } },
            });
            assert.deepEqual(err.errors, [
                { propertyPath: "external.intermediates.b", reason: `cluster "b" runs istiod but has no intermediate material` },
                { propertyPath: "external.intermediates.c", reason: `"c" is not in clusters; remove its material or add the cluster` },
            ]);
        });

        it("rejects key settings that do not apply to the chosen algorithm", () => {
            assert.deepEqual(rejects({ clusters: ["a"], ecdsaCurve: "P384" }).errors, [
                { propertyPath: "ecdsaCurve", reason: "ecdsaCurve applies only with keyAlgorithm ECDSA; the keys are RSA" },
            ]);
            assert.deepEqual(rejects({ clusters: ["a"], keyAlgorithm: "ECDSA", rsaBits: 4096 }).errors, [
                { propertyPath: "rsaBits", reason: "rsaBits applies only with keyAlgorithm RSA; the keys are ECDSA" },
            ]);
        });

        it("rejects settings that do not apply to the trust mode, each at its own field", () => {
            const external = rejects({
                clusters: ["a"],
                external: { rootCertPem: "r", intermediates: { a: { caCertPem: "c", caKeyPem: "k" } } },
                rsaBits: 4096,
                organization: "Example",
                protectRoot: false,
            });
            assert.deepEqual(external.errors.map((e) => e.propertyPath), ["rsaBits", "organization", "protectRoot"]);
            assert.equal(external.errors[0].reason, "rsaBits does not apply in mode external: the material is made outside Pulumi");
            const imported = rejects({ clusters: ["a"], importedRoot: { certPem: "c", privateKeyPem: "k" }, rootValidityHours: 1000 });
            assert.deepEqual(imported.errors, [{ propertyPath: "rootValidityHours", reason: "rootValidityHours does not apply in mode imported: the root is yours, not made here" }]);
        });

        it("rejects intermediates that would outlive their root", () => {
            assert.deepEqual(rejects({ clusters: ["a"], rootValidityHours: 8760, intermediateValidityHours: 17520 }).errors.map((e) => e.propertyPath), ["intermediateValidityHours"]);
        });

        it("rejects a missing imported root and an empty cluster list", () => {
            const err = rejects({ clusters: [], mode: "imported" });
            assert.deepEqual(err.errors.map((e) => e.propertyPath), ["clusters", "importedRoot"]);
        });

        it("rejects external material outside mode external, and a key algorithm it does not know", () => {
            assert.deepEqual(rejects({ clusters: ["a"], mode: "imported", importedRoot: { certPem: "c", privateKeyPem: "k" }, external: { rootCertPem: "r", intermediates: {} } }).errors, [
                { propertyPath: "external", reason: "importedRoot and external are two different trust modes; set only one of them" },
            ]);
            assert.deepEqual(rejects({ clusters: ["a"], mode: "imported", external: { rootCertPem: "r", intermediates: {} } }).errors.map((e) => [e.propertyPath, e.reason]).slice(-1), [
                ["external", "external is only used in mode external, not imported"],
            ]);
            assert.deepEqual(rejects({ clusters: ["a"], keyAlgorithm: "DSA" as never }).errors, [{ propertyPath: "keyAlgorithm", reason: `keyAlgorithm "DSA" is not one of RSA, ECDSA` }]);
        });

        it("says what is wrong with each key and validity setting", () => {
            const reasons = (args: Partial<MeshRootCaArgs>) => rejects({ clusters: ["a"], ...args }).errors.map((e) => `${e.propertyPath}: ${e.reason}`);
            assert.deepEqual(reasons({ rsaBits: 1024 }), ["rsaBits: rsaBits 1024 is not one of 2048, 3072, 4096"]);
            assert.deepEqual(reasons({ keyAlgorithm: "ECDSA", ecdsaCurve: "P521" as never }), ["ecdsaCurve: ecdsaCurve \"P521\" is not one of P256, P384"]);
            assert.deepEqual(reasons({ ecdsaCurve: "P384" }), ["ecdsaCurve: ecdsaCurve applies only with keyAlgorithm ECDSA; the keys are RSA"]);
            assert.deepEqual(reasons({ keyAlgorithm: "ECDSA", rsaBits: 2048 }), ["rsaBits: rsaBits applies only with keyAlgorithm RSA; the keys are ECDSA"]);
            assert.deepEqual(reasons({ rootValidityHours: 0, intermediateValidityHours: 1.5 }), [
                "rootValidityHours: rootValidityHours must be a positive whole number of hours, not 0",
                "intermediateValidityHours: intermediateValidityHours must be a positive whole number of hours, not 1.5",
                "intermediateValidityHours: intermediateValidityHours 1.5 is longer than rootValidityHours 0: intermediates would outlive their root and stop validating before they are renewed",
            ]);
            assert.deepEqual(reasons({ intermediateEarlyRenewalHours: -1 }), ["intermediateEarlyRenewalHours: intermediateEarlyRenewalHours must be a whole number of hours ≥ 0, not -1"]);
            assert.deepEqual(reasons({ intermediateValidityHours: 100, intermediateEarlyRenewalHours: 100 }), [
                "intermediateEarlyRenewalHours: intermediateEarlyRenewalHours 100 is not shorter than intermediateValidityHours 100: every pulumi up would re-issue the intermediates",
            ]);
            assert.deepEqual(reasons({ mode: "imported" }), ["importedRoot: mode imported needs importedRoot with the root's certPem and privateKeyPem"]);
        });

        it("rejects a trust mode it does not know", () => {
            assert.deepEqual(rejects({ clusters: ["a"], mode: "self-signed" as never }).errors, [{ propertyPath: "mode", reason: `mode "self-signed" is not one of generated, imported, external` }]);
        });

        it("rejects a cluster list that is not a list, as a YAML config can give", () => {
            assert.deepEqual(rejects({ clusters: "c1" as never }).errors, [{ propertyPath: "clusters", reason: "name at least one cluster that runs istiod" }]);
        });
    });
});

describe("MeshRootCa early renewal", () => {
    it("takes zero hours (renew only at expiry)", () => {
        assert.deepEqual(validateMeshRootCaArgs({ clusters: ["a"], intermediateEarlyRenewalHours: 0 }), []);
    });
});
