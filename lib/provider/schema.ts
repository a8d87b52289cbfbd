import { isDeepStrictEqual } from "node:util";
import { meshConfigSchema } from "../mesh/config";
import type { MeshClusterOutputs } from "../mesh/multiClusterMesh";
import type { AssumeRoleArgs } from "../alicloud/listenerAcl";
import { componentResources } from "./componentSchema";
import { ComponentSpec, JsonSchema, packageName, PropertySpec, Translation, token, typeOf, TypeSpec, typeRef } from "./translation";

// The package schema other languages' SDKs are generated from. Pulumi cannot infer it from the TypeScript
// args (the mesh config has literal unions and Inputs nested in plain data; the building blocks take
// providers and other components), so it is assembled here from two JSON Schemas that `npm run schema`
// generates: the mesh config's, from lib/mesh/config.ts, and the building blocks' args, from their
// interfaces. One source for the stack config, TypeScript and every other language.

export { packageName } from "./translation";
export type { ComponentSpec, PropertySpec, TypeSpec } from "./translation";

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

const meshConfigTranslation: Translation = { source: "the mesh config schema", typeName: (definition) => definition, secretFields: secretConfigFields };

/** The mesh config's JSON Schema as package schema types: `MeshConfig` and every type it refers to. */
export function meshConfigTypes(schema: Readonly<Record<string, unknown>> = meshConfigSchema): Record<string, TypeSpec> {
    const { definitions = {}, ...root } = schema as JsonSchema;
    const types: Record<string, TypeSpec> = { [token("MeshConfig")]: typeOf("MeshConfig", root, meshConfigTranslation) };
    for (const [name, definition] of Object.entries(definitions)) {
        types[token(name)] = typeOf(name, definition, meshConfigTranslation);
    }
    return types;
}

/** The package schema of the components other languages use, at the library's version. */
export function packageSchema(version: string): PackageSchema {
    const blocks = componentResources();
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
            ...blocks.resources,
        },
        types: {
            ...mergedTypes(meshConfigTypes(), blocks.types),
            [token("AssumeRole")]: { type: "object", description: "A RAM role to assume.", properties: assumeRoleProperties(), required: ["roleArn"] },
            [token("MeshClusterOutputs")]: { type: "object", description: "What a person needs of one cluster of the mesh.", properties: clusterOutputProperties(), required: ["kubeconfig"] },
        },
    };
}

/** Both schemas' types in one table; a name both use must mean the same type in both (the vocabulary's enums do). */
export function mergedTypes(first: Record<string, TypeSpec>, second: Record<string, TypeSpec>): Record<string, TypeSpec> {
    for (const [name, type] of Object.entries(second)) {
        if (name in first && !isDeepStrictEqual(first[name], type)) {
            throw new Error(`${name} is one type in the mesh config and another in the components' args`);
        }
    }
    return { ...first, ...second };
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
