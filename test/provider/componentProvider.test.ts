import * as assert from "node:assert/strict";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { EastWestGateway, MeshConfig, MeshRootCa, MultiClusterMesh, PrimaryCluster, RemoteCluster, RemoteSecret } from "../../lib";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { libraryVersion, MeshComponentProvider } from "../../lib/provider/componentProvider";
import { packageSchema } from "../../lib/provider/schema";
import { exampleStacks } from "../harness/examples";
import { alicloudInvokes, alicloudResources } from "../harness/alicloudProvider";
import { MockCloud, inspect, Registration } from "../harness/mocks";
import { loadBalancerIp } from "../harness/kubernetesProvider";
import { isSecretWrapper, reveal } from "../harness/secrets";

const token = "istio-multicluster:index:MultiClusterMesh";
const onprem = exampleStacks().find((s) => s.example === "existing-clusters" && s.stack === "onprem")!.config["existing-clusters:mesh"] as MeshConfig;

/** What a registration is, independent of how it was reached: type, name and the chain of parents' types. */
function shapeOf(cloud: MockCloud): string[] {
    const byUrn = new Map(cloud.registrations.map((r) => [r.urn, r]));
    const chain = (r: Registration): string => (r.parent && byUrn.has(r.parent) ? `${chain(byUrn.get(r.parent)!)} > ` : "") + `${r.type} ${r.name}`;
    return cloud.registrations.map(chain).sort();
}

describe("MeshComponentProvider", () => {
    it("constructs MultiClusterMesh from the engine's inputs with exactly the resources a TypeScript program registers", async () => {
        const direct = MockCloud.install({ resources: alicloudResources, invokes: alicloudInvokes });
        new MultiClusterMesh("mesh", { config: onprem });
        await direct.settle();
        const expected = shapeOf(direct);

        const viaProvider = MockCloud.install({ resources: alicloudResources, invokes: alicloudInvokes });
        const result = await new MeshComponentProvider("1.2.3").construct("mesh", token, { config: onprem }, {});
        await viaProvider.settle();
        assert.ok(expected.length > 30, `${expected.length} registrations`);
        assert.deepEqual(shapeOf(viaProvider), expected);
        assert.equal((await inspect(pulumi.output(result.urn))).value, viaProvider.find(token, "mesh").urn);
    });

    it("keeps a kubeconfig given as a secret secret, and returns the outputs its schema declares", async () => {
        const cloud = MockCloud.install({ resources: alicloudResources, invokes: alicloudInvokes });
        const config = { ...onprem, clusters: onprem.clusters.map((c) => ({ ...c, kubeconfig: pulumi.secret(c.kubeconfig!) })) };
        const { state } = await new MeshComponentProvider("1.2.3").construct("mesh", token, { config }, {});
        await cloud.settle();
        const declared = packageSchema("1.2.3").resources[token].properties;
        assert.deepEqual(Object.keys(state).sort(), Object.keys(declared ?? {}).sort());
        const clusters = state.clusters as MultiClusterMesh["clusters"];
        assert.deepEqual(Object.keys(clusters), ["cluster1", "cluster2"]);
        const kubeconfig = await inspect(clusters.cluster1.kubeconfig);
        assert.equal(kubeconfig.secret, true);
        assert.equal(kubeconfig.value, onprem.clusters[0].kubeconfig);
        assert.match((await inspect(state.rootCertPem as pulumi.Output<string>)).value as string, /^-----BEGIN CERTIFICATE-----/);
        assert.equal(state.diagram, new MultiClusterMesh("again", { config: onprem }).diagram);
        await cloud.settle();
    });

    it("answers its schema at its version", () => {
        const provider = new MeshComponentProvider("1.2.3");
        assert.equal(provider.version, "1.2.3");
        assert.deepEqual(JSON.parse(provider.schema), packageSchema("1.2.3"));
    });

    it("reports the library's version from its own package.json, passing over other packages' on the way up", () => {
        const ours = JSON.parse(readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as { version: string };
        assert.equal(libraryVersion(path.join(__dirname, "..", "..", "lib", "provider")), ours.version);
        const installed = mkdtempSync(path.join(tmpdir(), "istio-multicluster-version-"));
        const nested = path.join(installed, "build", "lib", "provider");
        mkdirSync(nested, { recursive: true });
        writeFileSync(path.join(installed, "package.json"), JSON.stringify({ name: "istio-multicluster", version: "9.8.7" }));
        writeFileSync(path.join(installed, "build", "package.json"), JSON.stringify({ name: "something-else", version: "1.0.0" }));
        writeFileSync(path.join(installed, "build", "lib", "package.json"), JSON.stringify({ name: "istio-multicluster" }));
        assert.equal(libraryVersion(nested), "9.8.7");
        assert.throws(() => libraryVersion(tmpdir()), /^Error: no package.json of istio-multicluster above /);
    });

    it("refuses a component it does not have, naming the ones it has", async () => {
        MockCloud.install({});
        await assert.rejects(new MeshComponentProvider("1.2.3").construct("x", "istio-multicluster:index:ClusterNetworkLink", {}, {}), {
            message:
                "istio-multicluster has no component istio-multicluster:index:ClusterNetworkLink; it has istio-multicluster:index:MultiClusterMesh, istio-multicluster:index:MeshRootCa, istio-multicluster:index:PrimaryCluster, istio-multicluster:index:RemoteCluster, istio-multicluster:index:EastWestGateway, istio-multicluster:index:RemoteSecret",
        });
    });

    it("reports config problems at their paths before anything registers, as the engine shows them", async () => {
        const cloud = MockCloud.install({ resources: alicloudResources, invokes: alicloudInvokes });
        const config = { ...onprem, meshId: "Mesh One", clusters: [{ ...onprem.clusters[0], network: "" }, onprem.clusters[1]] };
        await assert.rejects(new MeshComponentProvider("1.2.3").construct("mesh", token, { config }, {}), (e: unknown) => {
            assert.ok(pulumi.InputPropertiesError.isInstance(e), String(e));
            assert.deepEqual(
                e.errors?.map((p) => p.propertyPath),
                ["mesh.meshId", "mesh.clusters[0].network"],
            );
            return true;
        });
        assert.deepEqual(cloud.registrations.filter((r) => r.custom).map((r) => r.type), []);
    });

    describe("the building blocks, as another language's program composes them", () => {
        const kubernetes = (cluster: string) => ({ providers: { kubernetes: new k8s.Provider(`${cluster}-k8s`, { kubeconfig: "k" }) } });
        const cluster = (name: string, network: string) => ({ clusterName: name, network, meshId: "mesh1", apiServer: `https://${name}:6443` });

        /** Two primaries on two networks (one serving a remote on its network) with gateways and remote secrets, in TypeScript. */
        async function composedDirectly(): Promise<MockCloud> {
            const cloud = MockCloud.install();
            const ca = new MeshRootCa("ca", { clusters: ["east", "west"] });
            const east = new PrimaryCluster("east", { ...cluster("east", "net1"), provider: kubernetes("east").providers.kubernetes, cacerts: ca.cacerts.east, servesRemotes: true }, {});
            const west = new PrimaryCluster("west", { ...cluster("west", "net2"), provider: kubernetes("west").providers.kubernetes, cacerts: ca.cacerts.west });
            const gateway = new EastWestGateway("east-eastwest", { cluster: east, exposeIstiod: true });
            new EastWestGateway("west-eastwest", { cluster: west });
            const edge = new RemoteCluster("edge", { ...cluster("edge", "net1"), provider: kubernetes("edge").providers.kubernetes, controlPlane: east, remotePilotAddress: gateway.address });
            new RemoteSecret("east-watches-west", { watcher: east, watched: west });
            new RemoteSecret("west-watches-east", { watcher: west, watched: east });
            new RemoteSecret("west-watches-edge", { watcher: west, watched: edge });
            await cloud.settle();
            return cloud;
        }

        /** The same through the provider: references as the URNs the engine sends, providers in the resource option, `cacerts` with the SDKs' field names. */
        async function composedThroughProvider(provider = new MeshComponentProvider("1.2.3")): Promise<{ cloud: MockCloud; states: Record<string, pulumi.Inputs> }> {
            const cloud = MockCloud.install();
            const construct = async (name: string, component: string, inputs: pulumi.Inputs, options: pulumi.ComponentResourceOptions = {}): Promise<pulumi.Inputs> => {
                const result = await provider.construct(name, `istio-multicluster:index:${component}`, inputs, options);
                return { ...result.state, urn: pulumi.output(result.urn) };
            };
            const ca = await construct("ca", "MeshRootCa", { clusters: ["east", "west"] });
            const cacerts = ca.cacerts as Record<string, pulumi.Inputs>;
            const east = await construct("east", "PrimaryCluster", { ...cluster("east", "net1"), cacerts: cacerts.east, servesRemotes: true }, kubernetes("east"));
            const west = await construct("west", "PrimaryCluster", { ...cluster("west", "net2"), cacerts: cacerts.west }, kubernetes("west"));
            const gateway = await construct("east-eastwest", "EastWestGateway", { cluster: east.urn, exposeIstiod: true });
            await construct("west-eastwest", "EastWestGateway", { cluster: west.urn });
            const edge = await construct("edge", "RemoteCluster", { ...cluster("edge", "net1"), controlPlane: east.urn, remotePilotAddress: gateway.address }, kubernetes("edge"));
            await construct("east-watches-west", "RemoteSecret", { watcher: east.urn, watched: west.urn });
            await construct("west-watches-east", "RemoteSecret", { watcher: west.urn, watched: east.urn });
            await construct("west-watches-edge", "RemoteSecret", { watcher: west.urn, watched: edge.urn });
            await cloud.settle();
            return { cloud, states: { ca, east, west, gateway, edge } };
        }

        it("registers exactly what the TypeScript program registers, with the same inputs, providers and dependencies", async () => {
            const expected = await composedDirectly();
            const { cloud } = await composedThroughProvider();
            assert.ok(expected.registrations.length > 40, `${expected.registrations.length} registrations`);
            assert.deepEqual(shapeOf(cloud), shapeOf(expected));
            const comparable = (r: Registration) => ({ urn: r.urn, provider: r.provider, inputs: r.inputs, dependencies: [...r.dependencies].sort() });
            const byUrn = new Map(expected.registrations.map((r) => [r.urn, comparable(r)]));
            for (const registration of cloud.registrations) {
                assert.deepEqual(comparable(registration), byUrn.get(registration.urn), registration.urn);
            }
        });

        it("returns the outputs the schema declares, the CA keys secret, under the SDKs' field names", async () => {
            const { states } = await composedThroughProvider();
            const declared = (component: string) => Object.keys(packageSchema("1.2.3").resources[`istio-multicluster:index:${component}`].properties ?? {}).sort();
            const keys = (state: pulumi.Inputs) => Object.keys(state).filter((k) => k !== "urn").sort();
            assert.deepEqual(keys(states.ca), declared("MeshRootCa"));
            assert.deepEqual(keys(states.east), declared("PrimaryCluster"));
            assert.deepEqual(keys(states.edge), declared("RemoteCluster"));
            assert.deepEqual(keys(states.gateway), declared("EastWestGateway"));
            const eastCacerts = (states.ca.cacerts as Record<string, Record<string, pulumi.Output<string>>>).east;
            assert.deepEqual(Object.keys(eastCacerts), ["caCertPem", "caKeyPem", "rootCertPem", "certChainPem"]);
            assert.equal((await inspect(eastCacerts.caKeyPem)).secret, true);
            assert.match((await inspect(eastCacerts.caKeyPem)).value, /PRIVATE KEY/);
            assert.equal((await inspect(eastCacerts.caCertPem)).secret, false);
            assert.equal(states.edge.controlPlane, "east");
            assert.equal(states.east.servesRemotes, true);
            assert.equal((await inspect(states.gateway.address as pulumi.Output<string>)).value, loadBalancerIp("east-k8s", "istio-system/istio-eastwestgateway"));
        });

        it("takes cacerts given back as one secret object, as SDKs send it: the key stays secret, the certificates are not", async () => {
            const cloud = MockCloud.install();
            const provider = new MeshComponentProvider("1.2.3");
            const { state } = await provider.construct("ca", "istio-multicluster:index:MeshRootCa", { clusters: ["east"] }, {});
            // An SDK hands a map entry of an output back as one Output of the whole object.
            const cacerts = pulumi.secret(pulumi.output((state.cacerts as Record<string, pulumi.Inputs>).east));
            const east = await provider.construct("east", "istio-multicluster:index:PrimaryCluster", { ...cluster("east", "net1"), cacerts }, kubernetes("east"));
            await cloud.settle();
            const secret = cloud.find("kubernetes:core/v1:Secret", "east-cacerts");
            assert.deepEqual(Object.keys(reveal(secret.inputs.stringData) as object).sort(), ["ca-cert.pem", "ca-key.pem", "cert-chain.pem", "root-cert.pem"]);
            assert.match((reveal(secret.inputs.stringData) as Record<string, string>)["ca-key.pem"], /PRIVATE KEY/);
            assert.ok(isSecretWrapper(secret.inputs.stringData), "the cacerts Secret's data is a secret");
            const trustBundle = await inspect(east.state.trustBundlePem as pulumi.Output<string>);
            assert.deepEqual([trustBundle.secret, trustBundle.value], [false, (await inspect(pulumi.output((state.cacerts as Record<string, pulumi.Inputs>).east.rootCertPem))).value]);
        });

        it("refuses a cluster without its Kubernetes provider, and references to anything but this program's clusters, each at its field", async () => {
            const cloud = MockCloud.install();
            const provider = new MeshComponentProvider("1.2.3");
            const { state: ca } = await provider.construct("ca", "istio-multicluster:index:MeshRootCa", { clusters: ["east"] }, {});
            const cacerts = (ca.cacerts as Record<string, pulumi.Inputs>).east;
            await assert.rejects(provider.construct("east", "istio-multicluster:index:PrimaryCluster", { ...cluster("east", "net1"), cacerts }, {}), {
                message: 'PrimaryCluster east needs its cluster\'s Kubernetes provider: pass it in the providers resource option (its "kubernetes" entry)',
            });
            const east = await provider.construct("east", "istio-multicluster:index:PrimaryCluster", { ...cluster("east", "net1"), cacerts, servesRemotes: true }, kubernetes("east"));
            const edge = await provider.construct("edge", "istio-multicluster:index:RemoteCluster", { ...cluster("edge", "net1"), controlPlane: east.urn, remotePilotAddress: "10.0.0.1" }, kubernetes("edge"));
            const problems = async (work: Promise<unknown>) =>
                work.then(
                    () => assert.fail("constructed"),
                    (e: unknown) => {
                        assert.ok(pulumi.InputPropertiesError.isInstance(e), String(e));
                        return e.errors?.map((p) => `${p.propertyPath}: ${p.reason}`);
                    },
                );
            const edgeUrn = (await inspect(pulumi.output(edge.urn))).value;
            assert.deepEqual(await problems(provider.construct("edge2", "istio-multicluster:index:RemoteCluster", { ...cluster("edge2", "net1"), controlPlane: edge.urn, remotePilotAddress: "10.0.0.1" }, kubernetes("edge2"))), [
                `controlPlane: ${edgeUrn} is not a PrimaryCluster of this program`,
            ]);
            assert.deepEqual(await problems(provider.construct("s", "istio-multicluster:index:RemoteSecret", { watched: "urn:pulumi:stack::project::istio-multicluster:index:PrimaryCluster::elsewhere" }, {})), [
                "watched: urn:pulumi:stack::project::istio-multicluster:index:PrimaryCluster::elsewhere is not a PrimaryCluster or RemoteCluster of this program",
                "watcher: missing a PrimaryCluster or RemoteCluster of this program",
            ]);
            assert.deepEqual(await problems(provider.construct("gw", "istio-multicluster:index:EastWestGateway", {}, {})), ["cluster: missing a PrimaryCluster or RemoteCluster of this program"]);
            await cloud.settle();
            assert.equal(cloud.registrations.filter((r) => ["edge2", "s", "gw"].includes(r.name)).length, 0, "nothing registered for the refused ones");
        });
    });
});
