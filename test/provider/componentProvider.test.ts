import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { MeshConfig, MultiClusterMesh } from "../../lib";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { libraryVersion, MeshComponentProvider } from "../../lib/provider/componentProvider";
import { packageSchema } from "../../lib/provider/schema";
import { exampleStacks } from "../harness/examples";
import { alicloudInvokes, alicloudResources } from "../harness/alicloudProvider";
import { MockCloud, inspect, Registration } from "../harness/mocks";

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
        assert.deepEqual(Object.keys(state).sort(), Object.keys(declared).sort());
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

    it("refuses a component it does not have, naming the one it has", async () => {
        MockCloud.install({});
        await assert.rejects(new MeshComponentProvider("1.2.3").construct("x", "istio-multicluster:index:PrimaryCluster", {}, {}), {
            message: "istio-multicluster has no component istio-multicluster:index:PrimaryCluster; it has istio-multicluster:index:MultiClusterMesh",
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
});
