import * as assert from "node:assert/strict";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { setStandInMocks, StandInCloud, StandInCloudOptions } from "../../lib/testing";
import { examplesDir, exampleStacks, runExample } from "../harness/examples";
import { programFailures } from "../harness/mocks";
import { isSecretWrapper, reveal } from "../harness/secrets";

type Stack = ReturnType<typeof exampleStacks>[number];

/** Runs an example stack's program against the stand-in cloud, as a user's unit test would. */
async function runOnStandIn(s: Stack, options: StandInCloudOptions = {}): Promise<{ cloud: StandInCloud; program: Record<string, unknown>; failures: string[] }> {
    const cloud = await setStandInMocks({ ...options, project: s.project, stack: s.stack });
    pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(s.config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])));
    const entry = require.resolve(path.join(examplesDir, s.example, "index"));
    delete require.cache[entry];
    let program: Record<string, unknown> = {};
    let failed = () => {};
    const firstFailure = new Promise<void>((resolve) => (failed = resolve));
    const failures = await programFailures(async () => {
        process.on("unhandledRejection", failed);
        try {
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- a program runs when loaded, after its mocks and config
            program = require(entry) as Record<string, unknown>;
            // Every registration the program started has been answered, unless one failed (then the rest never come).
            await Promise.race([pulumi.runtime.disconnect(), firstFailure]);
        } finally {
            process.off("unhandledRejection", failed);
        }
    });
    return { cloud, program, failures };
}

const stack = (name: string) => exampleStacks().find((s) => `${s.example}/${s.stack}` === name)!;
/** The zones the example stacks pin, so the stand-in offers them. */
const pinnedZones = { "cn-hangzhou": ["cn-hangzhou-h", "cn-hangzhou-i"], "cn-shanghai": ["cn-shanghai-e", "cn-shanghai-f"] };
const kinds = (resources: { type: string; name: string }[]) => resources.map((r) => `${r.type} ${r.name}`).sort();
/** Where a value holds something: the paths of its leaves that are neither undefined nor empty. */
function filledPaths(value: unknown, at = ""): string[] {
    if (Array.isArray(value)) {
        return value.flatMap((v, i) => filledPaths(v, `${at}[${i}]`));
    }
    if (typeof value === "object" && value !== null) {
        return Object.entries(value).flatMap(([k, v]) => filledPaths(v, at ? `${at}.${k}` : k));
    }
    return value === undefined || value === "" ? [] : [at];
}
/** Each resource's filled input paths, by type and name: a field the program reads back and nobody answered leaves a hole. */
const filledInputs = (resources: { type: string; name: string; inputs: Record<string, unknown> }[]) =>
    Object.fromEntries(resources.map((r) => [`${r.type} ${r.name}`, filledPaths(reveal(r.inputs)).sort()]));

describe("the stand-in cloud (istio-multicluster/testing)", () => {
    for (const name of ["existing-clusters/onprem", "alicloud-multi-primary/dev", "alicloud-primary-remote/gateways"]) {
        it(`runs ${name} to its end, registering what the strict test mocks see, each input filled as there`, async () => {
            const { cloud, failures } = await runOnStandIn(stack(name), { zones: pinnedZones });
            assert.deepEqual(failures, []);
            const strict = await runExample(stack(name));
            assert.deepEqual(kinds(cloud.resources), kinds(strict.cloud.registrations));
            assert.deepEqual(filledInputs(cloud.resources), filledInputs(strict.cloud.registrations));
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
            const [[watched, kubeconfig]] = Object.entries(secret.inputs.stringData as Record<string, string>);
            assert.ok(kubeconfig.includes(`server: https://mesh-${watched}-cluster.intranet.stand-in.invalid:6443\n`), kubeconfig);
            assert.match(kubeconfig, /token: "<stand-in: token of istio-system\/istio-reader-service-account-istio-remote-secret-token, from mesh-cluster[12]-reader-token>"/);
        }
        for (const provider of made("pulumi:providers:kubernetes")) {
            const cluster = provider.name.replace(/-k8s$/, "-cluster");
            assert.ok(String(provider.inputs.kubeconfig).includes(`server: "https://${cluster}.stand-in.invalid:6443"`), `${provider.name}: the API server of ${cluster}`);
        }
        // Whatever a provider would compute names the resource it comes from, last: the plan traces replacements by it.
        const names = new Set(cloud.resources.map((r) => r.name));
        const madeUp = [...JSON.stringify(cloud.resources.map((r) => r.inputs)).matchAll(/<stand-in: ([^<>]*)>/g)].map((m) => m[1]);
        assert.ok(madeUp.length > 50, `${madeUp.length} made-up values`);
        assert.deepEqual(madeUp.filter((text) => !names.has(text.split(" ").pop()!)), []);
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
        assert.deepEqual(read.state, { apiVersion: "v1", kind: "Service", metadata: { name: "gw", namespace: "istio-system" }, spec: { type: "LoadBalancer" }, status: cloud.resources[0].state.status });
        assert.match(JSON.stringify(read.state.status), /^\{"loadBalancer":\{"ingress":\[\{"ip":"192\.0\.2\.\d+"\}\]\}\}$/);
        const internal = cloud.newResource({ type: "kubernetes:core/v1:Service", name: "internal", custom: true, provider, inputs: { metadata: { name: "internal" }, spec: { type: "ClusterIP" } } });
        assert.equal(internal.state.status, undefined, "only a load balancer has an address to report");
        assert.throws(() => cloud.newResource({ type: "kubernetes:core/v1:Secret", name: "not-a-service", custom: true, provider, id: "istio-system/gw", inputs: {} }), /has no kubernetes:core\/v1:Secret istio-system\/gw to read/);
        cloud.newResource({ type: "kubernetes:core/v1:ConfigMap", name: "cm", custom: true, provider, inputs: { metadata: { name: "settings", namespace: "istio-system" } } });
        assert.throws(() => cloud.newResource({ type: "kubernetes:core/v1:Service", name: "cm-read", custom: true, provider, id: "istio-system/settings", inputs: {} }), /has no kubernetes:core\/v1:Service istio-system\/settings/, "a ConfigMap is no Service");
        const unknownId = cloud.newResource({ type: "kubernetes:core/v1:Service", name: "pending-read", custom: true, provider, id: pulumi.runtime.unknownValue, inputs: {} });
        assert.equal(unknownId.state.status, pulumi.runtime.unknownValue, "a read by an ID not known yet (a release still to come) is unknown, not missing");
        const previewing = new StandInCloud({ preview: true });
        previewing.newResource({ type: "kubernetes:core/v1:Service", name: "svc", custom: true, provider, inputs: { metadata: { name: "gw", namespace: "istio-system" }, spec: { type: "LoadBalancer" } } });
        assert.equal(previewing.newResource({ type: "kubernetes:core/v1:Service", name: "svc-read", custom: true, provider, id: "istio-system/gw", inputs: {} }).state.status, pulumi.runtime.unknownValue);
        assert.throws(
            () => cloud.newResource({ type: "kubernetes:core/v1:Service", name: "other", custom: true, provider: provider.replace("east", "west"), id: "istio-system/gw", inputs: {} }),
            /the stand-in cloud has no kubernetes:core\/v1:Service istio-system\/gw to read/,
        );
    });

    it("makes a gateway release's Service readable where Helm puts it: the release's namespace, else default; its values' name, else the release's", () => {
        const cloud = new StandInCloud();
        const release = (name: string, inputs: Record<string, unknown>) => cloud.newResource({ type: "kubernetes:helm.sh/v3:Release", name, custom: true, inputs: { chart: "gateway", ...inputs } });
        const readable = (id: string) => {
            try {
                cloud.newResource({ type: "kubernetes:core/v1:Service", name: `read-${id}`, custom: true, id, inputs: {} });
                return true;
            } catch {
                return false;
            }
        };
        assert.deepEqual(release("bare", {}).state.status, { name: "bare", namespace: "default", chart: "gateway", version: undefined, appVersion: undefined, revision: 1, status: "deployed" });
        release("named", { name: "gw", namespace: "istio-system" });
        release("valued", { name: "release", namespace: "edge", values: { name: "eastwest" } });
        release("headless", { name: "internal", namespace: "edge", values: { service: { type: "None" } } });
        assert.deepEqual(
            ["bare", "default/bare", "istio-system/gw", "edge/eastwest", "edge/release", "edge/internal"].map((id) => [id, readable(id)]),
            [
                ["bare", true],
                ["default/bare", true],
                ["istio-system/gw", true],
                ["edge/eastwest", true],
                ["edge/release", false],
                ["edge/internal", false],
            ],
        );
        // Only the gateway chart makes a load balancer Service; istiod's release makes none to read.
        cloud.newResource({ type: "kubernetes:helm.sh/v3:Release", name: "istiod", custom: true, inputs: { chart: "https://example.org/istiod", name: "istiod", namespace: "istio-system" } });
        assert.equal(readable("istio-system/istiod"), false);
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
        assert.equal(Buffer.from(data["ca.crt"], "base64").toString(), "<stand-in: cluster CA for istio-system/reader, from reader-token>");
        // Another Secret, or another kind with a token's type, is answered with no data of the stand-in's.
        assert.deepEqual(cloud.newResource({ type: "kubernetes:core/v1:Secret", name: "opaque", custom: true, inputs: { type: "Opaque", metadata: { name: "o" } } }).state, { type: "Opaque", metadata: { name: "o" } });
        assert.deepEqual(cloud.newResource({ type: "kubernetes:core/v1:ConfigMap", name: "cm", custom: true, inputs: { type: "kubernetes.io/service-account-token" } }).state, { type: "kubernetes.io/service-account-token" });
        assert.deepEqual(cloud.resources[1].inputs.stringData, { a: "b" });
        assert.equal(isSecretWrapper(cloud.resources[1].inputs.stringData), false);
        // Without a namespace or a name of its own, the object is the resource's, in default.
        const unnamed = cloud.newResource({ type: "kubernetes:core/v1:Secret", name: "token", custom: true, inputs: { type: "kubernetes.io/service-account-token" } }).state.data as Record<string, string>;
        assert.equal(Buffer.from(unnamed.token, "base64").toString(), "<stand-in: token of default/token, from token>");
        assert.equal(Buffer.from(unnamed.namespace, "base64").toString(), "default");
        cloud.newResource({ type: "kubernetes:core/v1:Service", name: "svc", custom: true, inputs: { spec: { type: "LoadBalancer" } } });
        assert.ok(cloud.newResource({ type: "kubernetes:core/v1:Service", name: "svc-read", custom: true, id: "svc", inputs: {} }).state.status);
        // A component is the program's own: no ID, its inputs as its state, a null among them (a program may pass one).
        assert.deepEqual(cloud.newResource({ type: "my:index:Mesh", name: "mesh", custom: false, inputs: { a: 1, b: null } }), { id: undefined, state: { a: 1, b: null } });
    });

    it("answers zones in the region of the Alibaba Cloud provider a call goes through", () => {
        const cloud = new StandInCloud({ zones: { "cn-shanghai": ["cn-shanghai-e"] } });
        const urn = (name: string) => `urn:pulumi:s::p::pulumi:providers:alicloud::${name}`;
        cloud.newResource({ type: "pulumi:providers:alicloud", name: "east", custom: true, inputs: { region: "cn-shanghai" } });
        cloud.newResource({ type: "pulumi:providers:alicloud", name: "west", custom: true, inputs: { region: "cn-chengdu" } });
        // Only a provider's region counts: another resource of the same name is not where calls go.
        cloud.newResource({ type: "my:index:Site", name: "east", custom: true, inputs: { region: "cn-beijing" } });
        const zones = (provider: string) => (cloud.call({ token: "alicloud:index/getZones:getZones", inputs: {}, provider: `${urn(provider)}::${provider}-id` }).zones as { id: string }[]).map((z) => z.id);
        assert.deepEqual(zones("east"), ["cn-shanghai-e"]);
        assert.deepEqual(zones("west"), ["<stand-in: cn-chengdu zone 1>", "<stand-in: cn-chengdu zone 2>", "<stand-in: cn-chengdu zone 3>"]);
        const routers = cloud.call({ token: "alicloud:cen/getTransitRouterAvailableResources:getTransitRouterAvailableResources", inputs: {}, provider: `${urn("east")}::east-id` });
        assert.deepEqual(routers, { resources: [{ availableZones: ["cn-shanghai-e"] }] });
    });

    it("puts API servers at DNS names made of their cluster's resource name", () => {
        const cloud = new StandInCloud();
        const server = (name: string) => (cloud.newResource({ type: "alicloud:cs/managedKubernetes:ManagedKubernetes", name, custom: true, inputs: {} }).state.connections as { apiServerInternet: string }).apiServerInternet;
        assert.equal(server("mesh-east-cluster"), "https://mesh-east-cluster.stand-in.invalid:6443");
        assert.equal(server("Mesh__East.1"), "https://mesh-east-1.stand-in.invalid:6443");
        assert.equal(server("--edge--"), "https://edge.stand-in.invalid:6443");
        assert.equal(server(`${"a".repeat(62)}-b`), `https://${"a".repeat(62)}.stand-in.invalid:6443`, "63 characters at most, no hyphen last");
        assert.equal(server("__"), "https://resource.stand-in.invalid:6443");
        const credential = (clusterId: string) => String(cloud.call({ token: "alicloud:cs/getClusterCredential:getClusterCredential", inputs: { clusterId } }).kubeConfig);
        assert.match(credential("<stand-in: alicloud:cs/managedKubernetes:ManagedKubernetes Mesh__East.1>"), /server: "https:\/\/mesh-east-1\.stand-in\.invalid:6443"/);
        assert.match(credential("c-0123abc"), /server: "https:\/\/c-0123abc\.stand-in\.invalid:6443"/);
        // A kubeconfig as kubectl reads it: its current context names a cluster with a server and a user with a token.
        const kubeconfig = parse(credential("c-0123abc")) as { apiVersion: string; kind: string; "current-context": string; contexts: { name: string; context: { cluster: string; user: string } }[]; clusters: { name: string; cluster: { server: string } }[]; users: { name: string; user: { token: string } }[] };
        assert.deepEqual([kubeconfig.apiVersion, kubeconfig.kind], ["v1", "Config"]);
        const context = kubeconfig.contexts.find((c) => c.name === kubeconfig["current-context"])!.context;
        assert.equal(kubeconfig.clusters.find((c) => c.name === context.cluster)!.cluster.server, "https://c-0123abc.stand-in.invalid:6443");
        assert.equal(kubeconfig.users.find((u) => u.name === context.user)!.user.token, "<stand-in: token for c-0123abc>");
        const authority = cloud.call({ token: "alicloud:cs/getClusterCredential:getClusterCredential", inputs: { clusterId: "c-0123abc" } }).certificateAuthority as { clusterCert: string };
        assert.equal(Buffer.from(authority.clusterCert, "base64").toString(), "<stand-in: CA certificate of c-0123abc>", "the cluster CA, base64 as ACK answers it");
    });

    it("gives providers IDs of their own name, and answers calls without one in the stack's region, else a stand-in's", async () => {
        const cloud = new StandInCloud();
        assert.equal(cloud.newResource({ type: "pulumi:providers:kubernetes", name: "east", custom: true, inputs: {} }).id, "east-id");
        assert.equal(cloud.newResource({ type: "kubernetes:core/v1:Namespace", name: "east", custom: true, inputs: {} }).id, "<stand-in: kubernetes:core/v1:Namespace east>");
        const zones = () => (cloud.call({ token: "alicloud:index/getZones:getZones", inputs: {} }).zones as { id: string }[])[0].id;
        pulumi.runtime.setAllConfig({ "alicloud:region": "cn-qingdao" });
        assert.equal(zones(), "<stand-in: cn-qingdao zone 1>");
        pulumi.runtime.setAllConfig({});
        assert.equal(zones(), "<stand-in: default-region zone 1>");
    });

    it("is installed for the program as project project, stack stack, not previewing, unless told otherwise", async () => {
        await setStandInMocks();
        assert.deepEqual([pulumi.getProject(), pulumi.getStack(), pulumi.runtime.isDryRun()], ["project", "stack", false]);
        await setStandInMocks({ project: "mesh", stack: "dev", preview: true });
        assert.deepEqual([pulumi.getProject(), pulumi.getStack(), pulumi.runtime.isDryRun()], ["mesh", "dev", true]);
    });

    it("names a function it does not answer", () => {
        assert.throws(() => new StandInCloud().call({ token: "aws:index/getRegion:getRegion", inputs: {} }), /the stand-in cloud does not answer aws:index\/getRegion:getRegion/);
    });
});
