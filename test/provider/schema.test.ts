import * as assert from "node:assert/strict";
import { meshConfigSchema } from "../../lib";
import { meshConfigTypes, mergedTypes, packageSchema, PackageSchema, PropertySpec, secretConfigFields, TypeSpec } from "../../lib/provider/schema";
import { componentArgsTypes, componentResources, componentTypeName, secretArgFields } from "../../lib/provider/componentSchema";
import { wireName } from "../../lib/provider/translation";
import componentArgsSchema from "../../lib/provider/componentArgs.schema.json";
import { exampleStacks } from "../harness/examples";

// Made afresh for every test, so that each test is one that runs the code it checks.
let schema: PackageSchema;
const prefix = "istio-multicluster:index:";
type JsonSchema = { properties: Record<string, { description?: string; default?: unknown; "x-resource"?: string }>; required?: string[]; definitions: Record<string, JsonSchema> };
const json = meshConfigSchema as unknown as JsonSchema;
const argsJson = componentArgsSchema as unknown as JsonSchema;

/** Every `$ref` in a property, its items, map values and alternatives. */
function refsOf(property: PropertySpec): string[] {
    return [
        ...(property.$ref ? [property.$ref] : []),
        ...(property.items ? refsOf(property.items) : []),
        ...(property.additionalProperties ? refsOf(property.additionalProperties) : []),
        ...(property.oneOf ?? []).flatMap(refsOf),
    ];
}

/** The problems of a value against a package schema property: unknown fields, missing required ones, wrong types, values outside an enum. */
function conformance(value: unknown, property: PropertySpec, at: string): string[] {
    if (property.$ref === "pulumi.json#/Any") {
        return [];
    }
    if (property.$ref) {
        const type: TypeSpec = schema.types[property.$ref.replace("#/types/", "")];
        if (type.type === "string") {
            return type.enum.some((e) => e.value === value) ? [] : [`${at}: ${String(value)} is not one of ${type.enum.map((e) => e.value).join(", ")}`];
        }
        if (typeof value !== "object" || value === null) {
            return [`${at}: not an object`];
        }
        const fields = value as Record<string, unknown>;
        return [
            ...(type.required ?? []).filter((f) => !(f in fields)).map((f) => `${at}.${f}: missing`),
            ...Object.entries(fields).flatMap(([f, v]) => (type.properties[f] ? conformance(v, type.properties[f], `${at}.${f}`) : [`${at}.${f}: not in the schema`])),
        ];
    }
    if (property.oneOf) {
        return property.oneOf.some((p) => conformance(value, p, at).length === 0) ? [] : [`${at}: none of the alternatives`];
    }
    switch (property.type) {
        case "array":
            return Array.isArray(value) ? value.flatMap((v, i) => conformance(v, property.items!, `${at}[${i}]`)) : [`${at}: not an array`];
        case "object":
            return typeof value === "object" && value !== null ? Object.entries(value).flatMap(([k, v]) => conformance(v, property.additionalProperties!, `${at}.${k}`)) : [`${at}: not a map`];
        case "integer":
            return Number.isInteger(value) ? [] : [`${at}: not an integer`];
        default:
            return typeof value === property.type ? [] : [`${at}: not a ${property.type}`];
    }
}

describe("The package schema", () => {
    beforeEach(() => {
        schema = packageSchema("1.2.3");
    });

    it("has the mesh config as types: the root and every definition of the JSON Schema, each field with its description", () => {
        const types = meshConfigTypes();
        assert.deepEqual(Object.keys(types).sort(), ["MeshConfig", ...Object.keys(json.definitions)].map((n) => prefix + n).sort());
        const root = types[`${prefix}MeshConfig`];
        assert.equal(root.type, "object");
        assert.deepEqual(Object.keys(root.type === "object" ? root.properties : {}), Object.keys(json.properties));
        assert.deepEqual(root.type === "object" && root.required, ["meshId", "clusters"]);
        const cluster = types[`${prefix}ClusterConfig`];
        assert.ok(cluster.type === "object");
        assert.deepEqual(cluster.required, ["name", "role", "network"]);
        assert.deepEqual(cluster.properties.role, { $ref: `#/types/${prefix}ClusterRole`, description: json.definitions.ClusterConfig.properties.role.description });
        assert.deepEqual(cluster.properties.injectionNamespaces.items, { type: "string" });
        assert.equal(cluster.properties.ingressGateway.description, `${json.definitions.ClusterConfig.properties.ingressGateway.description} Default: \`false\`.`);
    });

    it("translates every kind of field the mesh config has: enums, integers, maps, Istio's free-form values, number-or-string", () => {
        const types = meshConfigTypes();
        assert.deepEqual(types[`${prefix}NetworkLinkMode`], { type: "string", enum: [{ value: "cen" }, { value: "same-vpc" }, { value: "none" }], description: (json.definitions.NetworkLinkMode as unknown as { description: string }).description });
        const istio = types[`${prefix}IstioConfig`];
        const link = types[`${prefix}NetworkLinkConfig`];
        const gateway = types[`${prefix}EastWestGatewayConfig`];
        const budget = types[`${prefix}PodDisruptionBudgetConfig`];
        const trust = types[`${prefix}TrustConfig`];
        assert.ok(istio.type === "object" && link.type === "object" && gateway.type === "object" && budget.type === "object" && trust.type === "object");
        assert.deepEqual(istio.properties.values.additionalProperties, { $ref: "pulumi.json#/Any" });
        assert.equal(link.properties.bandwidth.type, "integer");
        assert.deepEqual(gateway.properties.serviceAnnotations.additionalProperties, { type: "string" });
        assert.deepEqual(budget.properties.minAvailable.oneOf, [{ type: "number" }, { type: "string" }]);
        assert.deepEqual(trust.properties.intermediates.additionalProperties, { $ref: `#/types/${prefix}IntermediateConfig` });
    });

    it("refuses, naming the field, a JSON Schema construct it cannot express", () => {
        const withUnion = { type: "object", properties: { port: { anyOf: [{ type: "string" }, { type: "integer" }] } }, definitions: {} };
        assert.throws(() => meshConfigTypes(withUnion), /MeshConfig\.port: the mesh config schema has a type the package schema cannot express/);
        const withOpenObject = { type: "object", properties: { extra: { type: "object" } }, definitions: {} };
        assert.throws(() => meshConfigTypes(withOpenObject), /MeshConfig\.extra: /);
        const withOutsideRef = { type: "object", properties: { other: { $ref: "other.json#/definitions/Thing" } }, definitions: {} };
        assert.throws(() => meshConfigTypes(withOutsideRef), /MeshConfig\.other: the mesh config schema has a type the package schema cannot express: \{"\$ref":"other\.json#\/definitions\/Thing"\}/);
        const withInnerRef = { type: "object", properties: { inner: { $ref: "#/definitions/Thing/properties/name" } }, definitions: {} };
        assert.throws(() => meshConfigTypes(withInnerRef), /MeshConfig\.inner: /);
        const withInlineObject = { type: "object", properties: { inline: { type: "object", properties: { a: { type: "string" } }, additionalProperties: false } }, definitions: {} };
        assert.throws(() => meshConfigTypes(withInlineObject), /MeshConfig\.inline: /, "an object type without a name of its own");
        const withInlineMapObject = { type: "object", properties: { inline: { type: "object", properties: { a: { type: "string" } }, additionalProperties: { type: "string" } } }, definitions: {} };
        assert.throws(() => meshConfigTypes(withInlineMapObject), /MeshConfig\.inline: /, "named fields beside a map's are no map");
        const inList = { type: "object", properties: { list: { type: "array", items: { anyOf: [] } } }, definitions: {} };
        assert.throws(() => meshConfigTypes(inList), /MeshConfig\.list\[\]: /);
        const inMap = { type: "object", properties: { map: { type: "object", additionalProperties: { anyOf: [] } } }, definitions: {} };
        assert.throws(() => meshConfigTypes(inMap), /MeshConfig\.map\{\}: /);
    });

    it("gives a field without description or default none, rather than an empty one", () => {
        assert.deepEqual(meshConfigTypes({ type: "object", properties: { plain: { type: "string" } }, definitions: {} }), {
            [`${prefix}MeshConfig`]: { type: "object", properties: { plain: { type: "string" } } },
        });
    });

    it("marks secret exactly the fields the config asks to set as secrets, the args that hold private keys, and the kubeconfig it returns", () => {
        const askedSecret = Object.entries(json.definitions)
            .flatMap(([name, d]) => Object.entries(d.properties ?? {}).map(([field, p]) => ({ name, field, description: p.description ?? "" })))
            .filter((p) => /as a secret/i.test(p.description))
            .map((p) => `${p.name}.${p.field}`)
            .sort();
        const privateKeys = Object.entries(argsJson.definitions)
            .flatMap(([name, d]) => Object.entries(d.properties ?? {}).map(([field, p]) => ({ name, field, description: p.description ?? "" })))
            .filter((p) => /private key/i.test(p.description))
            .map((p) => `${p.name}.${p.field}`)
            .sort();
        const marked = Object.entries(schema.types)
            .flatMap(([token, t]) => (t.type === "object" ? Object.entries(t.properties).filter(([, p]) => p.secret).map(([field]) => `${token.replace(prefix, "")}.${field}`) : []))
            .sort();
        assert.deepEqual(askedSecret, ["ClusterConfig.kubeconfig", "IntermediateConfig.caKeyPem", "TrustConfig.rootKeyPem"]);
        assert.deepEqual(privateKeys, ["CacertsInputs.ca-key.pem", "ExternalIntermediateArgs.caKeyPem", "ImportedRootArgs.privateKeyPem"]);
        assert.deepEqual(marked, [...askedSecret, "Cacerts.caKeyPem", "ExternalIntermediate.caKeyPem", "ImportedRoot.privateKeyPem", "MeshClusterOutputs.kubeconfig"].sort());
        assert.deepEqual(Object.entries(secretConfigFields).flatMap(([n, fields]) => fields.map((f) => `${n}.${f}`)).sort(), askedSecret);
        assert.deepEqual(Object.entries(secretArgFields()).flatMap(([n, fields]) => fields.map((f) => `${n}.${f}`)).sort(), privateKeys);
        const resourceSecrets = Object.entries(schema.resources).flatMap(([token, r]) => Object.entries({ ...r.inputProperties, ...r.properties }).filter(([, p]) => p.secret).map(([f]) => `${token.replace(prefix, "")}.${f}`));
        assert.deepEqual(resourceSecrets, [], "secrets are fields of types; no component input or output is one as a whole");
    });

    it("declares MultiClusterMesh as a component with the inputs and outputs the provider handles, and every reference resolves", () => {
        const mesh = schema.resources[`${prefix}MultiClusterMesh`];
        assert.equal(schema.name, "istio-multicluster");
        assert.equal(schema.version, "1.2.3");
        assert.equal(mesh.isComponent, true);
        assert.deepEqual(Object.keys(mesh.inputProperties), ["config", "alicloudAssumeRole"]);
        assert.deepEqual(mesh.requiredInputs, ["config"]);
        assert.deepEqual(Object.keys(mesh.properties ?? {}), ["clusters", "rootCertPem", "diagram", "verificationCommand"]);
        assert.deepEqual(mesh.required, ["clusters", "rootCertPem", "diagram"], "every output but the verification command, which only verification makes");
        const properties = [
            ...Object.values(schema.resources).flatMap((r) => [...Object.values(r.inputProperties), ...Object.values(r.properties ?? {})]),
            ...Object.values(schema.types).flatMap((t) => (t.type === "object" ? Object.values(t.properties) : [])),
        ];
        const resolves = (ref: string) => ref === "pulumi.json#/Any" || (ref.startsWith("#/types/") && ref.slice(8) in schema.types) || (ref.startsWith("#/resources/") && ref.slice(12) in schema.resources);
        const dangling = properties.flatMap(refsOf).filter((ref) => !resolves(ref));
        assert.deepEqual(dangling, []);
        for (const [token, type] of Object.entries(schema.types)) {
            for (const field of type.type === "object" ? (type.required ?? []) : []) {
                assert.ok(type.type === "object" && field in type.properties, `${token} requires ${field}, which it does not have`);
            }
        }
    });

    it("documents every component, input, output, type and field the SDKs show, with a type each", () => {
        const types = ["string", "boolean", "integer", "number", "array", "object"];
        const undocumented: string[] = [];
        const untyped: string[] = [];
        const visit = (at: string, p: PropertySpec, top: boolean) => {
            if (top && !p.description) {
                undocumented.push(at);
            }
            if (!(p.$ref || p.oneOf || (p.type && types.includes(p.type)))) {
                untyped.push(at);
            }
            [p.items, p.additionalProperties, ...(p.oneOf ?? [])].forEach((inner) => inner && visit(`${at}[]`, inner, false));
        };
        for (const [token, r] of Object.entries(schema.resources)) {
            if (!r.description) {
                undocumented.push(token);
            }
            Object.entries({ ...r.inputProperties, ...r.properties }).forEach(([f, p]) => visit(`${token}.${f}`, p, true));
        }
        for (const [token, t] of Object.entries(schema.types)) {
            if (!t.description) {
                undocumented.push(token);
            }
            if (t.type === "object") {
                Object.entries(t.properties).forEach(([f, p]) => visit(`${token}.${f}`, p, true));
            }
        }
        assert.deepEqual(undocumented, []);
        assert.deepEqual(untyped, []);
        assert.ok(schema.displayName && schema.description, "the package is described");
        assert.equal(schema.license, "Apache-2.0", "the npm package's license");
        assert.ok(schema.keywords.includes("kind/component"), "a component package, as the registry classifies it");
        assert.deepEqual(schema.language.python, { packageName: "pulumi_istio_multicluster", respectSchemaVersion: true, pyproject: { enabled: true } }, "the module Python programs import, versioned as the library");
        const assumeRole = schema.types[`${prefix}AssumeRole`];
        const clusterOutputs = schema.types[`${prefix}MeshClusterOutputs`];
        assert.ok(assumeRole.type === "object" && clusterOutputs.type === "object");
        assert.deepEqual([assumeRole.required, clusterOutputs.required], [["roleArn"], ["kubeconfig"]], "required as in the TypeScript types");
        assert.equal(assumeRole.properties.sessionExpiration.type, "integer");
        const istio = schema.types[`${prefix}IstioConfig`];
        assert.equal("required" in istio, false, "no required list where the JSON Schema has none");
    });

    it("takes every example stack's mesh config as it is", () => {
        const configs = exampleStacks().flatMap((s) => Object.entries(s.config).filter(([key]) => key.endsWith(":mesh")).map(([key, value]) => ({ at: `${s.example} ${s.stack} ${key}`, value })));
        assert.ok(configs.length >= 4, `${configs.length} example mesh configs`);
        for (const { at, value } of configs) {
            assert.deepEqual(conformance(value, schema.resources[`${prefix}MultiClusterMesh`].inputProperties.config, at), []);
        }
        assert.deepEqual(conformance({ meshId: "m", clusters: [{ name: "c", role: "leader", network: "n", zones: [] }] }, { $ref: `#/types/${prefix}MeshConfig` }, "bad"), [
            "bad.clusters[0].role: leader is not one of primary, remote",
            "bad.clusters[0].zones: not in the schema",
        ]);
    });

    describe("the building blocks", () => {
        const component = (name: string) => schema.resources[`${prefix}${name}`];

        it("takes every field of each component's TypeScript args, with its description, except the Kubernetes provider, which the providers option carries", () => {
            assert.deepEqual(Object.keys(componentArgsTypes()), ["MeshRootCa", "PrimaryCluster", "RemoteCluster", "EastWestGateway", "RemoteSecret"]);
            for (const [name, argsType] of Object.entries(componentArgsTypes())) {
                const args = argsJson.definitions[argsType];
                const fields = Object.keys(args.properties).filter((f) => args.properties[f]["x-resource"] !== "KubernetesProvider");
                assert.deepEqual(Object.keys(component(name).inputProperties), fields, name);
                assert.deepEqual(component(name).requiredInputs, (args.required ?? []).filter((f) => fields.includes(f)), name);
                for (const field of fields) {
                    assert.ok(component(name).inputProperties[field].description?.startsWith(args.properties[field].description!), `${name}.${field}`);
                }
                assert.ok(component(name).isComponent && component(name).description, name);
            }
            assert.deepEqual(["PrimaryCluster", "RemoteCluster"].map((c) => "provider" in component(c).inputProperties), [false, false]);
            assert.ok(["PrimaryCluster", "RemoteCluster"].every((c) => component(c).description.includes("`kubernetes` entry of the `providers` resource option")));
            assert.ok(component("PrimaryCluster").requiredInputs.includes("cacerts") && component("RemoteCluster").requiredInputs.includes("controlPlane"));
        });

        it("takes other components as resource references: a remote's control plane is a PrimaryCluster, a gateway's or remote secret's cluster either kind", () => {
            const primary = { $ref: `#/resources/${prefix}PrimaryCluster` };
            const either = [primary, { $ref: `#/resources/${prefix}RemoteCluster` }];
            assert.deepEqual({ ...component("RemoteCluster").inputProperties.controlPlane, description: undefined }, { ...primary, description: undefined });
            assert.deepEqual(component("EastWestGateway").inputProperties.cluster.oneOf, either);
            assert.deepEqual([component("RemoteSecret").inputProperties.watched.oneOf, component("RemoteSecret").inputProperties.watcher.oneOf], [either, either]);
        });

        it("names the args' types without the TypeScript suffix, and cacerts' files with identifiers, one type for MeshRootCa's output and PrimaryCluster's input", () => {
            const cacerts = schema.types[`${prefix}Cacerts`];
            assert.ok(cacerts.type === "object");
            assert.deepEqual(Object.keys(cacerts.properties), ["caCertPem", "caKeyPem", "rootCertPem", "certChainPem"]);
            assert.deepEqual(cacerts.required?.sort(), ["caCertPem", "caKeyPem", "certChainPem", "rootCertPem"]);
            assert.equal(component("PrimaryCluster").inputProperties.cacerts.$ref, `#/types/${prefix}Cacerts`);
            assert.deepEqual(component("MeshRootCa").properties!.cacerts.additionalProperties, { $ref: `#/types/${prefix}Cacerts` });
            assert.deepEqual(component("PrimaryCluster").inputProperties.istio.$ref, `#/types/${prefix}IstioCharts`);
            assert.deepEqual(component("PrimaryCluster").inputProperties.additionalRevisions.items, { $ref: `#/types/${prefix}IstiodRevision` });
            assert.deepEqual(Object.keys(schema.types).filter((t) => /(Args|Inputs)$/.test(t)), []);
            assert.deepEqual([componentTypeName("IngressGatewayArgs"), componentTypeName("CacertsInputs"), componentTypeName("GatewayAvailability"), componentTypeName("ArgsHolder")], ["IngressGateway", "Cacerts", "GatewayAvailability", "ArgsHolder"]);
            assert.deepEqual(["ca-cert.pem", "cert-chain.pem", "caKeyPem", "x", "a--b..c"].map(wireName), ["caCertPem", "certChainPem", "caKeyPem", "x", "aBC"]);
        });

        it("shares the vocabulary's enums with the mesh config, and refuses a type name that means two things", () => {
            const blocks = componentResources();
            const config = meshConfigTypes();
            const shared = Object.keys(blocks.types).filter((t) => t in config).sort();
            assert.deepEqual(shared, ["GatewayAddressType", "MtlsMode", "TrustMode", "ValidationFailurePolicy"].map((t) => prefix + t));
            const different: Record<string, TypeSpec> = { [`${prefix}MtlsMode`]: { type: "string", enum: [{ value: "STRICT" }] } };
            assert.throws(() => mergedTypes(config, different), { message: `${prefix}MtlsMode is one type in the mesh config and another in the components' args` });
            assert.deepEqual(Object.keys(mergedTypes(config, blocks.types)).length, Object.keys({ ...config, ...blocks.types }).length);
        });

        it("declares each component's outputs, the ones it always has required", () => {
            assert.deepEqual(Object.keys(component("MeshRootCa").properties ?? {}), ["rootCertPem", "trustBundlePem", "cacerts", "multiRootTrust", "mode"]);
            assert.deepEqual(component("MeshRootCa").required, ["rootCertPem", "trustBundlePem", "cacerts", "multiRootTrust", "mode"]);
            assert.deepEqual(Object.keys(component("PrimaryCluster").properties ?? {}), ["clusterName", "network", "trustDomain", "istioNamespace", "revision", "ingressAddress", "servesRemotes", "trustBundlePem"]);
            assert.deepEqual(component("PrimaryCluster").required, ["clusterName", "network", "trustDomain", "istioNamespace", "servesRemotes", "trustBundlePem"]);
            assert.deepEqual(component("RemoteCluster").required, ["clusterName", "network", "trustDomain", "istioNamespace", "controlPlane"]);
            assert.deepEqual([Object.keys(component("EastWestGateway").properties ?? {}), component("EastWestGateway").required], [["address"], ["address"]]);
            assert.deepEqual(["properties" in component("RemoteSecret"), "required" in component("RemoteSecret")], [false, false], "no empty lists, as the CLI leaves them out");
        });

        it("refuses an args schema it cannot translate, or one without a component's args", () => {
            const inline = { definitions: { ...argsJson.definitions, RemoteSecretArgs: { type: "object", properties: { odd: { type: "object", properties: {} } } } } };
            assert.throws(() => componentResources(inline as never), /^Error: RemoteSecretArgs\.odd: the component args schema has a type the package schema cannot express/);
            const withoutOne = { ...argsJson.definitions };
            delete (withoutOne as Record<string, unknown>).RemoteSecretArgs;
            assert.throws(() => componentResources({ definitions: withoutOne } as never), { message: "the component args schema has no RemoteSecretArgs: run `npm run schema`" });
        });
    });
});
