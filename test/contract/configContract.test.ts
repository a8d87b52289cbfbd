import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { defaultChartRepository, defaultTrustDomain } from "../../lib/istio/helmValues";
import { defaultIstioVersion, minimumWorkers } from "../../lib/model/compatibility";
import { configReference, generatedSchema, readmeFile, readmeWithReference, schemaFile, schemaText } from "./configContract";
import { componentArgsFile, generatedComponentArgsSchema } from "./componentArgsContract";

describe("the mesh config contract: one source, the interfaces in lib/mesh/config.ts", function () {
    // Generating reads the library's TypeScript program once.
    this.timeout(120_000);
    const schema = generatedSchema();

    it("the JSON Schema the library validates against is the one the interfaces give (run `npm run schema`)", () => {
        assert.equal(readFileSync(schemaFile, "utf8"), schemaText(schema));
    });

    it("the README's config reference is the one the interfaces give (run `npm run schema`)", () => {
        const readme = readFileSync(readmeFile, "utf8");
        assert.equal(readme, readmeWithReference(readme, configReference(schema)));
    });

    it("describes every setting, and gives the defaults the library applies", () => {
        const reference = configReference(schema);
        const rows = reference.split("\n").filter((l) => l.startsWith("| `mesh."));
        assert.ok(rows.length > 60, `${rows.length} settings`);
        assert.deepEqual(rows.filter((r) => r.endsWith("|  |")), [], "every setting has a description");
        for (const [setting, fallback] of [
            ["mesh.mtls", '"STRICT"'],
            ["mesh.networkLink.mode", '"none"'],
            ["mesh.clusters[].ack.workers", JSON.stringify(minimumWorkers)],
            ["mesh.clusters[].ack.podNetworking", '"terway"'],
            ["mesh.istio.version", JSON.stringify(defaultIstioVersion)],
            ["mesh.istio.trustDomain", JSON.stringify(defaultTrustDomain)],
            ["mesh.istio.chartRepository", JSON.stringify(defaultChartRepository)],
        ]) {
            assert.ok(rows.some((r) => r.startsWith(`| \`${setting}\` |`) && r.includes(`| \`${fallback}\` |`)), `${setting} defaults to ${fallback}`);
        }
    });
});

describe("the building blocks' args contract: one source, the components' TypeScript interfaces", function () {
    this.timeout(120_000);
    let schema: ReturnType<typeof generatedComponentArgsSchema>;
    before(() => {
        schema = generatedComponentArgsSchema();
    });

    it("the args schema the package schema is translated from is the one the interfaces give (run `npm run schema`)", () => {
        assert.equal(readFileSync(componentArgsFile, "utf8"), schemaText(schema));
    });

    it("marks what is not data: the Kubernetes provider, and the clusters a component builds on", () => {
        const definitions = schema.definitions as Record<string, { properties: Record<string, Record<string, unknown>> }>;
        const marks = Object.entries(definitions).flatMap(([name, d]) => Object.entries(d.properties ?? {}).filter(([, p]) => p["x-resource"]).map(([f, p]) => `${name}.${f}: ${String(p["x-resource"])}`));
        assert.deepEqual(marks.sort(), [
            "EastWestGatewayArgs.cluster: IstioCluster",
            "PrimaryClusterArgs.provider: KubernetesProvider",
            "RemoteClusterArgs.controlPlane: PrimaryCluster",
            "RemoteClusterArgs.provider: KubernetesProvider",
            "RemoteSecretArgs.watched: IstioCluster",
            "RemoteSecretArgs.watcher: IstioCluster",
        ]);
        const meshId = definitions.PrimaryClusterArgs.properties.meshId;
        assert.equal(meshId.type, "string", "a pulumi.Input<string> is a string on the wire");
    });
});
