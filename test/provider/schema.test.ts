import * as assert from "node:assert/strict";
import { meshConfigSchema } from "../../lib";
import { meshConfigTypes, packageSchema, PackageSchema, PropertySpec, secretConfigFields, TypeSpec } from "../../lib/provider/schema";
import { exampleStacks } from "../harness/examples";

// Made afresh for every test, so that each test is one that runs the code it checks.
let schema: PackageSchema;
const prefix = "istio-multicluster:index:";
type JsonSchema = { properties: Record<string, { description?: string; default?: unknown }>; required?: string[]; definitions: Record<string, JsonSchema> };
const json = meshConfigSchema as unknown as JsonSchema;

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

    it("marks secret exactly the fields the config asks to set as secrets, and the kubeconfig it returns", () => {
        const askedSecret = Object.entries(json.definitions)
            .flatMap(([name, d]) => Object.entries(d.properties ?? {}).map(([field, p]) => ({ name, field, description: p.description ?? "" })))
            .filter((p) => /as a secret/i.test(p.description))
            .map((p) => `${p.name}.${p.field}`)
            .sort();
        const marked = Object.entries(schema.types)
            .flatMap(([token, t]) => (t.type === "object" ? Object.entries(t.properties).filter(([, p]) => p.secret).map(([field]) => `${token.replace(prefix, "")}.${field}`) : []))
            .sort();
        assert.deepEqual(askedSecret, ["ClusterConfig.kubeconfig", "IntermediateConfig.caKeyPem", "TrustConfig.rootKeyPem"]);
        assert.deepEqual(marked, [...askedSecret, "MeshClusterOutputs.kubeconfig"].sort());
        assert.deepEqual(Object.entries(secretConfigFields).flatMap(([n, fields]) => fields.map((f) => `${n}.${f}`)).sort(), askedSecret);
    });

    it("declares MultiClusterMesh as a component with the inputs and outputs the provider handles, and every reference resolves", () => {
        const mesh = schema.resources[`${prefix}MultiClusterMesh`];
        assert.equal(schema.name, "istio-multicluster");
        assert.equal(schema.version, "1.2.3");
        assert.equal(mesh.isComponent, true);
        assert.deepEqual(Object.keys(mesh.inputProperties), ["config", "alicloudAssumeRole"]);
        assert.deepEqual(mesh.requiredInputs, ["config"]);
        assert.deepEqual(Object.keys(mesh.properties), ["clusters", "rootCertPem", "diagram", "verificationCommand"]);
        assert.deepEqual(mesh.required, ["clusters", "rootCertPem", "diagram"], "every output but the verification command, which only verification makes");
        const properties = [
            ...Object.values(schema.resources).flatMap((r) => [...Object.values(r.inputProperties), ...Object.values(r.properties)]),
            ...Object.values(schema.types).flatMap((t) => (t.type === "object" ? Object.values(t.properties) : [])),
        ];
        const dangling = properties.flatMap(refsOf).filter((ref) => ref !== "pulumi.json#/Any" && !(ref.replace("#/types/", "") in schema.types));
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
});
