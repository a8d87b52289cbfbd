import * as assert from "node:assert/strict";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { setStandInMocks, StandInCloud, StandInCloudOptions } from "../../lib/testing";
import { examplesDir, exampleStacks, runExample } from "../harness/examples";
import { programFailures } from "../harness/mocks";
import { isSecretWrapper } from "../harness/secrets";

type Stack = ReturnType<typeof exampleStacks>[number];

/** Runs an example stack's program against the stand-in cloud, as a user's unit test would. */
async function runOnStandIn(s: Stack, options: StandInCloudOptions = {}): Promise<{ cloud: StandInCloud; program: Record<string, unknown>; failures: string[] }> {
    const cloud = await setStandInMocks({ ...options, project: s.project, stack: s.stack });
    pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(s.config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])));
    const entry = require.resolve(path.join(examplesDir, s.example, "index"));
    delete require.cache[entry];
    let program: Record<string, unknown> = {};
    let failed = false;
    const failures = await programFailures(async () => {
        process.once("unhandledRejection", () => (failed = true));
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- a program runs when loaded, after its mocks and config
        program = require(entry) as Record<string, unknown>;
        // Every registration the program started has been answered, unless one failed (then the rest never come).
        let settled = false;
        await Promise.race([pulumi.runtime.disconnect().finally(() => (settled = true)), untilTrue(() => failed || settled)]);
    });
    return { cloud, program, failures };
}

async function untilTrue(condition: () => boolean): Promise<void> {
    while (!condition()) {
        await new Promise((resolve) => setTimeout(resolve, 20));
    }
}

const stack = (name: string) => exampleStacks().find((s) => `${s.example}/${s.stack}` === name)!;
/** The zones the example stacks pin, so the stand-in offers them. */
const pinnedZones = { "cn-hangzhou": ["cn-hangzhou-h", "cn-hangzhou-i"], "cn-shanghai": ["cn-shanghai-e", "cn-shanghai-f"] };
const kinds = (resources: { type: string; name: string }[]) => resources.map((r) => `${r.type} ${r.name}`).sort();

describe("the stand-in cloud (istio-multicluster/testing)", () => {
    for (const name of ["existing-clusters/onprem", "alicloud-multi-primary/dev", "alicloud-primary-remote/gateways"]) {
        it(`runs ${name} to its end, registering what the strict test mocks see`, async () => {
            const { cloud, failures } = await runOnStandIn(stack(name), { zones: pinnedZones });
            assert.deepEqual(failures, []);
            const strict = await runExample(stack(name));
            assert.deepEqual(kinds(cloud.resources), kinds(strict.cloud.registrations));
        });
    }

    it("marks every value it makes up: IDs, keys, certificates, tokens, API servers, addresses, zones", async () => {
        const { cloud, program } = await runOnStandIn(stack("alicloud-multi-primary/dev"), { zones: pinnedZones });
        const made = (type: string) => cloud.resources.filter((r) => r.type === type);
        for (const r of cloud.resources.filter((r) => r.type.startsWith("alicloud:") || r.type.startsWith("tls:"))) {
            assert.ok(r.state.id === undefined, `${r.name}: the ID is the resource's, not a state field`);
        }
        const vpc = made("alicloud:vpc/network:Network")[0];
        const vswitch = made("alicloud:vpc/switch:Switch").find((s) => s.inputs.vpcId !== undefined)!;
        assert.match(String(vswitch.inputs.vpcId), /^<stand-in: alicloud:vpc\/network:Network mesh-.+-vpc>$/);
        assert.ok(made("alicloud:vpc/network:Network").some((n) => n.name === vpc.name));
        for (const key of made("tls:index/privateKey:PrivateKey")) {
            assert.equal(key.state.privateKeyPem, `<stand-in: privateKeyPem of ${key.name}>`);
        }
        for (const cert of made("tls:index/locallySignedCert:LocallySignedCert")) {
            assert.equal(cert.state.certPem, `<stand-in: certPem of ${cert.name}>`);
        }
        const cacerts = made("kubernetes:core/v1:Secret").filter((s) => (s.inputs.metadata as { name?: string })?.name === "cacerts");
        assert.equal(cacerts.length, 2);
        for (const secret of cacerts) {
            assert.match(String((secret.inputs.stringData as Record<string, string>)["ca-key.pem"]), /^<stand-in: privateKeyPem of .+-intermediate-.+-key>\n$/);
        }
        const clusters = program.clusters as Record<string, { eastWestAddress?: pulumi.Output<string> }>;
        for (const c of Object.values(clusters)) {
            const address = await new Promise<string>((resolve) => c.eastWestAddress!.apply(resolve));
            assert.match(address, /^192\.0\.2\.\d+$/, "a documentation address (RFC 5737)");
        }
        const remoteSecrets = made("kubernetes:core/v1:Secret").filter((s) => (s.inputs.metadata as { labels?: Record<string, string> })?.labels?.["istio/multiCluster"] === "true");
        assert.equal(remoteSecrets.length, 2);
        for (const secret of remoteSecrets) {
            const kubeconfig = Object.values(secret.inputs.stringData as Record<string, string>)[0];
            assert.match(kubeconfig, /server: https:\/\/[a-z0-9-]+\.intranet\.stand-in\.invalid:6443/);
            assert.match(kubeconfig, /token: "<stand-in: token of istio-system\/istio-reader-service-account-istio-remote-secret-token, from mesh-cluster[12]-reader-token>"/);
        }
        for (const vsw of made("alicloud:vpc/switch:Switch")) {
            assert.ok(Object.values(pinnedZones).flat().includes(String(vsw.inputs.zoneId)), `${vsw.name} in ${String(vsw.inputs.zoneId)}`);
        }
    });

    it("offers zones named as stand-ins unless the test names them, so a pinned zone must be named", async () => {
        const { failures } = await runOnStandIn(stack("alicloud-multi-primary/dev"));
        assert.ok(failures.length > 0);
        assert.match(failures.join("\n"), /cn-hangzhou-h/);
        assert.match(failures.join("\n"), /<stand-in: cn-hangzhou zone 1>/);
    });

    it("in a preview, leaves everything a provider computes unknown and still runs the program to its end", async () => {
        const { cloud, failures } = await runOnStandIn(stack("alicloud-multi-primary/dev"), { preview: true, zones: pinnedZones });
        assert.deepEqual(failures, []);
        const key = cloud.resources.find((r) => r.type === "tls:index/privateKey:PrivateKey")!;
        assert.equal(key.state.privateKeyPem, pulumi.runtime.unknownValue);
        const cluster = cloud.resources.find((r) => r.type === "alicloud:cs/managedKubernetes:ManagedKubernetes")!;
        assert.equal(cluster.state.connections, pulumi.runtime.unknownValue);
        assert.ok(!JSON.stringify(cloud.resources.map((r) => r.inputs)).includes("<stand-in:"), "nothing made up reaches a resource's inputs");
    });

    it("keeps secrets secret: kubeconfigs and keys stay Pulumi secrets in the program's outputs", async () => {
        const { program } = await runOnStandIn(stack("existing-clusters/onprem"));
        const clusters = program.clusters as Record<string, { kubeconfig: pulumi.Output<string> }>;
        for (const c of Object.values(clusters)) {
            assert.equal(await pulumi.isSecret(c.kubeconfig), true);
        }
    });

    it("reads only Services the program made, on the cluster it made them on", () => {
        const cloud = new StandInCloud();
        const provider = "urn:pulumi:s::p::pulumi:providers:kubernetes::east::id";
        cloud.newResource({ type: "kubernetes:core/v1:Service", name: "svc", custom: true, provider, inputs: { metadata: { name: "gw", namespace: "istio-system" }, spec: { type: "LoadBalancer" } } });
        const read = cloud.newResource({ type: "kubernetes:core/v1:Service", name: "svc-read", custom: true, provider, id: "istio-system/gw", inputs: {} });
        assert.deepEqual(read.state.status, cloud.resources[0].state.status);
        assert.throws(
            () => cloud.newResource({ type: "kubernetes:core/v1:Service", name: "other", custom: true, provider: provider.replace("east", "west"), id: "istio-system/gw", inputs: {} }),
            /the stand-in cloud has no kubernetes:core\/v1:Service istio-system\/gw to read/,
        );
    });

    it("answers a Helm release with its status, a token Secret with its data, and unwraps secret inputs", () => {
        const cloud = new StandInCloud();
        const release = cloud.newResource({ type: "kubernetes:helm.sh/v3:Release", name: "istiod", custom: true, inputs: { chart: "https://example.org/istiod", version: "1.30.3", namespace: "istio-system" } });
        assert.deepEqual(release.state.status, { name: "istiod", namespace: "istio-system", chart: "istiod", version: "1.30.3", appVersion: "1.30.3", revision: 1, status: "deployed" });
        const token = cloud.newResource({
            type: "kubernetes:core/v1:Secret",
            name: "reader-token",
            custom: true,
            inputs: { type: "kubernetes.io/service-account-token", metadata: { name: "reader", namespace: "istio-system" }, stringData: { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value: { a: "b" } } },
        });
        const data = token.state.data as Record<string, string>;
        assert.equal(Buffer.from(data.token, "base64").toString(), "<stand-in: token of istio-system/reader, from reader-token>");
        assert.equal(Buffer.from(data.namespace, "base64").toString(), "istio-system");
        assert.deepEqual(cloud.resources[1].inputs.stringData, { a: "b" });
        assert.equal(isSecretWrapper(cloud.resources[1].inputs.stringData), false);
    });

    it("names a function it does not answer", () => {
        assert.throws(() => new StandInCloud().call({ token: "aws:index/getRegion:getRegion", inputs: {} }), /the stand-in cloud does not answer aws:index\/getRegion:getRegion/);
    });
});
