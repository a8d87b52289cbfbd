import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { MockCloud, inspect } from "../harness/mocks";
import { parseCertificate } from "../harness/x509";

describe("example: mesh-root-ca", () => {
    it("builds a root and one intermediate per configured cluster, with secret keys in its outputs", async () => {
        const cloud = MockCloud.install({ project: "mesh-root-ca", stack: "dev" });
        pulumi.runtime.setAllConfig({ "mesh-root-ca:clusters": JSON.stringify(["cluster1", "cluster2"]) });
        // A program runs when loaded: another test (the offline plan) may have loaded it already.
        delete require.cache[require.resolve("../../examples/mesh-root-ca/index")];
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program must load after the mocks and config
        const program = require("../../examples/mesh-root-ca/index") as typeof import("../../examples/mesh-root-ca/index");
        const root = await inspect(program.rootCertPem);
        assert.equal(parseCertificate(root.value).cert.subject, "O=Istio, CN=Root CA");
        assert.deepEqual(Object.keys(program.cacerts), ["cluster1", "cluster2"]);
        for (const cluster of ["cluster1", "cluster2"]) {
            const key = await inspect(program.cacerts[cluster]["ca-key.pem"]);
            assert.equal(key.secret, true);
            const intermediate = parseCertificate((await inspect(program.cacerts[cluster]["ca-cert.pem"])).value);
            assert.equal(intermediate.cert.subject, `L=${cluster}, O=Istio, CN=Intermediate CA`);
        }
        await cloud.settle();
        assert.equal(cloud.ofType("tls:index/locallySignedCert:LocallySignedCert").length, 2);
        assert.equal(cloud.find("tls:index/privateKey:PrivateKey", "mesh-ca-root-key").protect, true);
        assert.equal(cloud.find("tls:index/selfSignedCert:SelfSignedCert", "mesh-ca-root-cert").protect, true);
    });
});
