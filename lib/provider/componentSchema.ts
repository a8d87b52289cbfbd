import type { MeshRootCa } from "../trust/meshRootCa";
import type { PrimaryCluster } from "../istio/primaryCluster";
import type { RemoteCluster } from "../istio/remoteCluster";
import type { EastWestGateway } from "../istio/eastWestGateway";
import argsSchema from "./componentArgs.schema.json";
import { ComponentSpec, JsonSchema, propertiesOf, PropertySpec, token, Translation, typeOf, TypeSpec, typeRef } from "./translation";

// The building blocks in the package schema. Their inputs are translated from the JSON Schema `npm run
// schema` generates from their TypeScript args (lib/provider/componentArgs.schema.json), so every field and
// its documentation has one source. What the args hold that is not data: a cluster's Kubernetes provider
// travels as the `kubernetes` entry of the `providers` resource option, and the clusters a component builds
// on are references to the PrimaryCluster and RemoteCluster resources of the same program.

/** The building blocks other languages use, with the TypeScript args type each takes. */
export function componentArgsTypes(): Record<string, string> {
    return { MeshRootCa: "MeshRootCaArgs", PrimaryCluster: "PrimaryClusterArgs", RemoteCluster: "RemoteClusterArgs", EastWestGateway: "EastWestGatewayArgs", RemoteSecret: "RemoteSecretArgs" };
}

/** Args fields that hold private keys: secret in every SDK, as the components make them in TypeScript. */
export function secretArgFields(): Record<string, readonly string[]> {
    return { CacertsInputs: ["ca-key.pem"], ImportedRootArgs: ["privateKeyPem"], ExternalIntermediateArgs: ["caKeyPem"] };
}

/** A field marked as the cluster's Kubernetes provider, which the `providers` resource option carries instead. */
export function isKubernetesProvider(field: JsonSchema): boolean {
    return field["x-resource"] === "KubernetesProvider";
}

const resourceRef = (component: string): PropertySpec => ({ $ref: `#/resources/${token(component)}` });

/** The package's name of an args type: without the TypeScript convention's suffix, which the SDKs add their own of. */
export function componentTypeName(definition: string): string {
    return definition.replace(/(Args|Inputs)$/, "");
}

function translation(): Translation {
    return {
        source: "the component args schema",
        typeName: componentTypeName,
        secretFields: secretArgFields(),
        resource: (mark) => {
            switch (mark) {
                case "PrimaryCluster":
                    return resourceRef("PrimaryCluster");
                case "IstioCluster":
                    return { oneOf: [resourceRef("PrimaryCluster"), resourceRef("RemoteCluster")] };
            }
            return undefined;
        },
    };
}

const kubernetesProviderNote = " Its Kubernetes provider is the `kubernetes` entry of the `providers` resource option.";

function descriptions(): Record<string, string> {
    return {
        MeshRootCa: "The mesh's trust root and one intermediate CA per cluster that runs istiod, in the layout of Istio's plug-in CA (`cacerts`): generated here, from an imported root, or signed outside (external).",
        PrimaryCluster: `A cluster that runs istiod: the Istio namespace with its network label, the \`cacerts\` Secret before istiod, the \`base\` and \`istiod\` charts, mesh-wide mTLS, injection labels and the reader token other istiods watch it with.${kubernetesProviderNote}`,
        RemoteCluster: `A cluster served by a primary's istiod: \`base\` and \`istiod\` with the remote profile, the reader token, and its remote secret in the primary.${kubernetesProviderNote}`,
        EastWestGateway: "The east-west gateway of one cluster (the `gateway` chart as release `istio-eastwestgateway`), its address, and on a primary the Istio objects that route through it. It runs with its cluster's Kubernetes provider.",
        RemoteSecret: "Lets a primary's istiod watch another cluster: Secret `istio-remote-secret-<watched>` in the watcher, exactly as `istioctl create-remote-secret` writes it. For several primaries, one per ordered pair, after every cluster.",
    };
}

// Written out with the components' own field names, so that the compiler refuses an output that is not one.
function outputs(): Record<string, { properties: Record<string, PropertySpec>; required: string[] }> {
    const text = (description: string, secret?: boolean): PropertySpec => ({ type: "string", description, ...(secret ? { secret } : {}) });
    const cluster = {
        clusterName: text("The Istio cluster ID, unique in the mesh."),
        network: text("The Istio network of its workloads."),
        trustDomain: text("The SPIFFE trust domain of its workloads."),
        istioNamespace: text("The namespace Istio runs in."),
        revision: text("The main istiod revision's name; none for istiod without a revision."),
        ingressAddress: text("The ingress gateway's IP address, where one was asked for."),
    };
    return {
        MeshRootCa: {
            properties: {
                rootCertPem: text("The root certificate that signs the intermediates (PEM)."),
                trustBundlePem: text("Every root the mesh trusts: the signing root, then `additionalTrustedRoots` (PEM bundle)."),
                cacerts: { type: "object", additionalProperties: typeRef("Cacerts"), description: "Per cluster name: its `cacerts` entries, for that cluster's PrimaryCluster." },
                multiRootTrust: { type: "boolean", description: "True while more than one distinct root is trusted: pass it to each PrimaryCluster." },
                mode: { ...typeRef("TrustMode"), description: "Where the root came from: made here, imported, or external with finished intermediates." },
            } satisfies Partial<Record<keyof MeshRootCa, PropertySpec>>,
            required: ["rootCertPem", "trustBundlePem", "cacerts", "multiRootTrust", "mode"],
        },
        PrimaryCluster: {
            properties: {
                ...cluster,
                servesRemotes: { type: "boolean", description: "Its istiod also serves remote clusters." },
                trustBundlePem: text("The roots this cluster's istiod chains to (its `cacerts` `root-cert.pem`)."),
            } satisfies Partial<Record<keyof PrimaryCluster, PropertySpec>>,
            required: ["clusterName", "network", "trustDomain", "istioNamespace", "servesRemotes", "trustBundlePem"],
        },
        RemoteCluster: {
            properties: { ...cluster, controlPlane: text("The cluster name of the primary whose istiod serves it.") } satisfies Partial<Record<keyof RemoteCluster, PropertySpec>>,
            required: ["clusterName", "network", "trustDomain", "istioNamespace", "controlPlane"],
        },
        EastWestGateway: {
            properties: { address: text("The gateway's IP address: the load balancer's once it has one, or the first fixed external IP.") } satisfies Partial<Record<keyof EastWestGateway, PropertySpec>>,
            required: ["address"],
        },
        RemoteSecret: { properties: {}, required: [] },
    };
}

/** The building blocks as package schema components, and the types their inputs and outputs use. */
export function componentResources(schema: JsonSchema = argsSchema as JsonSchema): { resources: Record<string, ComponentSpec>; types: Record<string, TypeSpec> } {
    const rules = translation();
    const definitions = schema.definitions ?? {};
    const argsTypes = Object.values(componentArgsTypes());
    const types = Object.fromEntries(
        Object.entries(definitions)
            .filter(([name]) => !argsTypes.includes(name))
            .map(([name, definition]) => [token(componentTypeName(name)), typeOf(name, definition, rules)]),
    );
    const output = outputs();
    const resources = Object.fromEntries(
        Object.entries(componentArgsTypes()).map(([component, argsType]) => {
            const args = definitions[argsType];
            if (args === undefined) {
                throw new Error(`the component args schema has no ${argsType}: run \`npm run schema\``);
            }
            const inputs = propertiesOf(argsType, args, rules, isKubernetesProvider);
            return [
                token(component),
                {
                    isComponent: true as const,
                    description: descriptions()[component],
                    inputProperties: inputs,
                    requiredInputs: (args.required ?? []).filter((field) => field in inputs),
                    // The CLI leaves out an empty list of outputs: so does the schema, to be the one it reads.
                    ...(output[component].required.length > 0 ? { properties: output[component].properties, required: output[component].required } : {}),
                },
            ];
        }),
    );
    return { resources, types };
}
