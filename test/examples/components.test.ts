import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { runExample } from "../harness/examples";
import { inspect } from "../harness/mocks";
import { isSecretWrapper, reveal } from "../harness/secrets";

// examples/components, the building blocks composed by hand, with the stack config its README shows.
const cluster = (i: number, network: string, extra: Record<string, unknown> = {}) => ({
    name: `cluster${i}`,
    network,
    apiServer: `https://10.${i}0.0.10:6443`,
    kubeconfig: `kubeconfig of cluster${i}`,
    ...extra,
});
const run = (config: Record<string, unknown>) =>
    runExample({ example: "components", project: "components", stack: "test", config: Object.fromEntries(Object.entries(config).map(([k, v]) => [`components:${k}`, v])) });

describe("examples/components", () => {
    it("on two networks: an intermediate and istiod per cluster, east-west gateways at the given addresses, remote secrets both ways", async () => {
        const { cloud, program } = await run({ meshId: "mesh1", clusters: [cluster(1, "network1", { gatewayAddress: "192.0.2.10" }), cluster(2, "network2")] });
        assert.deepEqual(cloud.ofType("istio-multicluster:index:PrimaryCluster").map((r) => r.name), ["cluster1", "cluster2"]);
        assert.deepEqual(cloud.ofType("kubernetes:helm.sh/v3:Release").map((r) => r.name).sort(), ["cluster1-base", "cluster1-eastwest-release", "cluster1-istiod", "cluster2-base", "cluster2-eastwest-release", "cluster2-istiod"]);
        assert.deepEqual(cloud.ofType("istio-multicluster:index:RemoteSecret").map((r) => r.name).sort(), ["cluster1-watches-cluster2", "cluster2-watches-cluster1"]);
        assert.equal(cloud.ofType("tls:index/locallySignedCert:LocallySignedCert").length, 2, "one intermediate per cluster");
        const addresses = program.gatewayAddresses as Record<string, pulumi.Output<string>>;
        assert.equal((await inspect(addresses.cluster1)).value, "192.0.2.10");
        for (const name of ["cluster1-k8s", "cluster2-k8s"]) {
            assert.ok(isSecretWrapper(cloud.find("pulumi:providers:kubernetes", name).inputs.kubeconfig), `${name}'s kubeconfig is a secret`);
        }
        assert.equal(reveal(cloud.find("pulumi:providers:kubernetes", "cluster2-k8s").inputs.kubeconfig), "kubeconfig of cluster2");
    });

    it("on one network: no gateways; offline-signed intermediates when `trust` is given, their keys secret", async () => {
        const intermediate = (name: string) => ({ caCertPem: `-----BEGIN CERTIFICATE-----\n${name}\n-----END CERTIFICATE-----\n`, caKeyPem: `-----BEGIN PRIVATE KEY-----\n${name}\n-----END PRIVATE KEY-----\n` });
        const trust = { rootCertPem: "-----BEGIN CERTIFICATE-----\nroot\n-----END CERTIFICATE-----\n", intermediates: { cluster1: intermediate("one"), cluster2: intermediate("two") } };
        const { cloud, program } = await run({ meshId: "mesh1", clusters: [cluster(1, "network1"), cluster(2, "network1")], trust, istio: { chartRepository: "https://charts.example.com/istio" }, validationFailurePolicy: "Ignore" });
        assert.equal(cloud.ofType("istio-multicluster:index:EastWestGateway").length, 0);
        assert.deepEqual(program.gatewayAddresses, {});
        assert.equal(cloud.registrations.filter((r) => r.type.startsWith("tls:")).length, 0, "nothing signed here");
        const cacerts = cloud.find("kubernetes:core/v1:Secret", "cluster2-cacerts");
        assert.ok(isSecretWrapper(cacerts.inputs.stringData));
        assert.equal((reveal(cacerts.inputs.stringData) as Record<string, string>)["ca-key.pem"], trust.intermediates.cluster2.caKeyPem);
        const istiod = cloud.find("kubernetes:helm.sh/v3:Release", "cluster1-istiod");
        assert.equal(istiod.inputs.chart, "istiod");
        assert.deepEqual(istiod.inputs.repositoryOpts, { repo: "https://charts.example.com/istio" });
        assert.equal((reveal(cloud.find("kubernetes:helm.sh/v3:Release", "cluster1-base").inputs.values) as { base: { validationFailurePolicy: string } }).base.validationFailurePolicy, "Ignore");
        assert.equal((await inspect(program.rootCertPem as pulumi.Output<string>)).value, trust.rootCertPem);
    });
});
