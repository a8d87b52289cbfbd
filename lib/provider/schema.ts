import { meshConfigSchema } from "../mesh/config";
import type { MeshClusterOutputs } from "../mesh/multiClusterMesh";
import type { AssumeRoleArgs } from "../alicloud/listenerAcl";

// The package schema other languages' SDKs are generated from. Pulumi cannot infer it from the TypeScript
// args (the mesh config has literal unions and Inputs nested in plain data), so it is written out here,
// and the mesh config's part is translated from the JSON Schema that `npm run schema` generates from
// lib/mesh/config.ts: one source for the stack config, TypeScript and every other language.

/** The name of the package, of its provider plugin (`pulumi-resource-<name>`) and the first part of every token. */
export const packageName = "istio-multicluster";

/** A property in Pulumi's package schema (the subset this package uses). */
export interface PropertySpec {
    type?: "string" | "boolean" | "integer" | "number" | "array" | "object";
    $ref?: string;
    items?: PropertySpec;
    additionalProperties?: PropertySpec;
    oneOf?: PropertySpec[];
    description?: string;
    secret?: boolean;
}

/** An object or enum type in Pulumi's package schema. */
export type TypeSpec =
    | { type: "object"; description?: string; properties: Record<string, PropertySpec>; required?: string[] }
    | { type: "string"; description?: string; enum: { value: string }[] };

/** A component resource in Pulumi's package schema. */
export interface ComponentSpec {
    isComponent: true;
    description: string;
    inputProperties: Record<string, PropertySpec>;
    requiredInputs: string[];
    properties: Record<string, PropertySpec>;
    required: string[];
}

/** Pulumi's package schema, as `pulumi package get-schema` shows it and SDK generators read it. */
export interface PackageSchema {
    name: string;
    displayName: string;
    version: string;
    description: string;
    license: string;
    keywords: string[];
    language: Record<string, unknown>;
    resources: Record<string, ComponentSpec>;
    types: Record<string, TypeSpec>;
}

/** Mesh config fields that hold credentials or private keys: secret in every SDK, as in the stack config. */
export const secretConfigFields: Readonly<Record<string, readonly string[]>> = {
    ClusterConfig: ["kubeconfig"],
    TrustConfig: ["rootKeyPem"],
    IntermediateConfig: ["caKeyPem"],
};

interface JsonSchema {
    type?: string | string[];
    $ref?: string;
    items?: JsonSchema;
    properties?: Record<string, JsonSchema>;
    additionalProperties?: JsonSchema | boolean;
    required?: string[];
    enum?: string[];
    description?: string;
    default?: unknown;
    definitions?: Record<string, JsonSchema>;
}

function token(typeName: string): string {
    return `${packageName}:index:${typeName}`;
}

function typeRef(typeName: string): PropertySpec {
    return { $ref: `#/types/${token(typeName)}` };
}

/** A JSON Schema description with its default spelled out, since the SDKs leave defaults to the component. */
function described(json: JsonSchema): { description?: string } {
    const parts = [json.description, json.default === undefined ? undefined : `Default: \`${JSON.stringify(json.default)}\`.`].filter((p) => p !== undefined);
    return parts.length > 0 ? { description: parts.join(" ") } : {};
}

function propertyOf(json: JsonSchema, where: string): PropertySpec {
    if (json.$ref !== undefined) {
        const definition = /^#\/definitions\/(\w+)$/.exec(json.$ref);
        if (definition) {
            return typeRef(definition[1]);
        }
    }
    if (Array.isArray(json.type)) {
        return { oneOf: json.type.map((type) => propertyOf({ type }, where)) };
    }
    switch (json.type) {
        case "string":
        case "boolean":
        case "integer":
        case "number":
            return { type: json.type };
        case "array":
            return { type: "array", items: propertyOf(json.items ?? {}, `${where}[]`) };
        case "object":
            if (json.properties === undefined && typeof json.additionalProperties === "object") {
                const values = json.additionalProperties;
                // `{}` is JSON Schema's "anything": Istio's own values, passed through.
                return { type: "object", additionalProperties: Object.keys(values).length === 0 ? { $ref: "pulumi.json#/Any" } : propertyOf(values, `${where}{}`) };
            }
    }
    throw new Error(`${where}: the mesh config schema has a type the package schema cannot express: ${JSON.stringify(json)}`);
}

function typeOf(name: string, json: JsonSchema): TypeSpec {
    if (json.enum !== undefined) {
        return { type: "string", ...described(json), enum: json.enum.map((value) => ({ value })) };
    }
    const properties = Object.fromEntries(
        Object.entries(json.properties ?? {}).map(([field, property]) => [
            field,
            { ...propertyOf(property, `${name}.${field}`), ...described(property), ...(secretConfigFields[name]?.includes(field) ? { secret: true } : {}) },
        ]),
    );
    return { type: "object", ...described(json), properties, ...(json.required ? { required: json.required } : {}) };
}

/** The mesh config's JSON Schema as package schema types: `MeshConfig` and every type it refers to. */
export function meshConfigTypes(schema: Readonly<Record<string, unknown>> = meshConfigSchema): Record<string, TypeSpec> {
    const { definitions = {}, ...root } = schema as JsonSchema;
    const types: Record<string, TypeSpec> = { [token("MeshConfig")]: typeOf("MeshConfig", root) };
    for (const [name, definition] of Object.entries(definitions)) {
        types[token(name)] = typeOf(name, definition);
    }
    return types;
}

/** The package schema of the components other languages use, at the library's version. */
export function packageSchema(version: string): PackageSchema {
    return {
        name: packageName,
        displayName: "Istio multi-cluster mesh",
        version,
        description: "A multi-region Istio service mesh on Alibaba Cloud ACK and on existing Kubernetes clusters, from one mesh config.",
        license: "Apache-2.0",
        // Stryker disable next-line StringLiteral: search words for the Pulumi registry; only "kind/component" has a meaning (tested)
        keywords: ["pulumi", "istio", "kubernetes", "alicloud", "category/cloud", "kind/component"],
        language: {
            python: { packageName: "pulumi_istio_multicluster", respectSchemaVersion: true, pyproject: { enabled: true } },
        },
        resources: {
            [token("MultiClusterMesh")]: {
                isComponent: true,
                description:
                    "A whole multi-cluster mesh from one description: validation, ACK clusters or existing ones, the network between them, the trust root, Istio in every cluster, east-west gateways, remote secrets and locality failover. Alibaba Cloud providers are made per region from the stack's credentials (and `alicloudAssumeRole`).",
                inputProperties: {
                    config: { ...typeRef("MeshConfig"), description: "The whole mesh as data: the stack config value `mesh` as it is, or built in the program. Kubeconfigs, API server settings and trust material may be secrets or other resources' outputs." },
                    alicloudAssumeRole: { ...typeRef("AssumeRole"), description: "The RAM role the Alibaba Cloud calls run as. Default: `ALICLOUD_ASSUME_ROLE_ARN` when set; else the credentials themselves." },
                },
                requiredInputs: ["config"],
                properties: {
                    clusters: { type: "object", additionalProperties: typeRef("MeshClusterOutputs"), description: "Each cluster's addresses and kubeconfig, by cluster name." },
                    rootCertPem: { type: "string", description: "The mesh's root certificate (PEM), the one every workload trusts." },
                    diagram: { type: "string", description: "A Mermaid flowchart of the topology." },
                    verificationCommand: { type: "string", description: "With `verification.enabled`: the command that shows both helloworld versions answering." },
                },
                required: ["clusters", "rootCertPem", "diagram"],
            },
        },
        types: {
            ...meshConfigTypes(),
            [token("AssumeRole")]: { type: "object", description: "A RAM role to assume.", properties: assumeRoleProperties(), required: ["roleArn"] },
            [token("MeshClusterOutputs")]: { type: "object", description: "What a person needs of one cluster of the mesh.", properties: clusterOutputProperties(), required: ["kubeconfig"] },
        },
    };
}

// Written out with the TypeScript types' keys, so that the compiler refuses a field added there and not here.
function assumeRoleProperties() {
    return {
        roleArn: { type: "string", description: "The role's ARN, e.g. `acs:ram::123456789012:role/mesh-deployer`." },
        sessionName: { type: "string", description: 'Session name, shown in ActionTrail. Default: `"istio-multicluster"`.' },
        sessionExpiration: { type: "integer", description: "Session lifetime in seconds, 900 to the role's maximum. Default: `3600`." },
        externalId: { type: "string", description: "The external ID the role's trust policy asks for. Default: none." },
    } satisfies Record<keyof AssumeRoleArgs, PropertySpec>;
}

function clusterOutputProperties() {
    return {
        eastWestAddress: { type: "string", description: "The east-west gateway's IP address, where the cluster has one." },
        ingressAddress: { type: "string", description: "The ingress gateway's IP address, where one was asked for." },
        kubeconfig: { type: "string", secret: true, description: "The cluster's kubeconfig." },
    } satisfies Record<keyof MeshClusterOutputs, PropertySpec>;
}
