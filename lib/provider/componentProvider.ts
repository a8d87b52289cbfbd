import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type * as provider from "@pulumi/pulumi/provider";
import type * as k8s from "@pulumi/kubernetes";
import { AssumeRoleArgs } from "../alicloud/listenerAcl";
import { MeshInput } from "../mesh/inputs";
import { MultiClusterMesh } from "../mesh/multiClusterMesh";
import { Problem, reportInputProblems } from "../model/problems";
import { cacertsOutputs, MeshRootCa, MeshRootCaArgs } from "../trust/meshRootCa";
import { CacertsKey, cacertsKeys } from "../trust/pki";
import { CacertsInputs, PrimaryCluster, PrimaryClusterArgs } from "../istio/primaryCluster";
import { RemoteCluster, RemoteClusterArgs } from "../istio/remoteCluster";
import { EastWestGateway, EastWestGatewayArgs } from "../istio/eastWestGateway";
import { RemoteSecret, RemoteSecretArgs } from "../istio/remoteSecret";
import { componentArgsTypes } from "./componentSchema";
import { packageSchema } from "./schema";
import { packageName, token, wireName } from "./translation";

/** The components a reference can stand for: the Istio clusters, which other components build on. */
type IstioClusterComponent = PrimaryCluster | RemoteCluster;

interface Constructed {
    resource: pulumi.ComponentResource;
    state: pulumi.Inputs;
}

/**
 * The provider plugin other languages' SDKs talk to: it answers the package schema and constructs the
 * components in this process, as a TypeScript program would, so their children and checks are the same.
 * A reference to a PrimaryCluster or RemoteCluster arrives as its URN and stands for the component this
 * process constructed under it; a cluster's Kubernetes provider arrives in the `providers` resource option.
 */
export class MeshComponentProvider implements provider.Provider {
    public readonly schema: string;
    private readonly clusters = new Map<string, IstioClusterComponent>();

    constructor(public readonly version: string) {
        this.schema = JSON.stringify(packageSchema(version));
    }

    public async construct(name: string, type: string, inputs: pulumi.Inputs, options: pulumi.ComponentResourceOptions): Promise<provider.ConstructResult> {
        const constructed = await this.constructComponent(name, type, inputs, options);
        if (constructed.resource instanceof PrimaryCluster || constructed.resource instanceof RemoteCluster) {
            this.clusters.set(await settled(constructed.resource.urn), constructed.resource);
        }
        return { urn: constructed.resource.urn, state: constructed.state };
    }

    private async constructComponent(name: string, type: string, inputs: pulumi.Inputs, options: pulumi.ComponentResourceOptions): Promise<Constructed> {
        // The engine sends plain data with Outputs where values are secret, unknown or come from other
        // resources: what the components' args take.
        switch (type) {
            case token("MultiClusterMesh"): {
                const mesh = new MultiClusterMesh(name, { config: inputs.config as MeshInput, alicloudAssumeRole: inputs.alicloudAssumeRole as pulumi.Input<AssumeRoleArgs> | undefined }, options);
                return { resource: mesh, state: { clusters: mesh.clusters, rootCertPem: mesh.rootCertPem, diagram: mesh.diagram, verificationCommand: mesh.verificationCommand } };
            }
            case token("MeshRootCa"): {
                const ca = new MeshRootCa(name, inputs as MeshRootCaArgs, options);
                const cacerts = Object.fromEntries(Object.entries(ca.cacerts).map(([cluster, files]) => [cluster, Object.fromEntries(cacertsKeys.map((key) => [wireName(key), files[key]]))]));
                return { resource: ca, state: { rootCertPem: ca.rootCertPem, trustBundlePem: ca.trustBundlePem, cacerts, multiRootTrust: ca.multiRootTrust, mode: ca.mode } };
            }
            case token("PrimaryCluster"): {
                const cacerts = inputs.cacerts === undefined ? undefined : cacertsFiles(inputs.cacerts as pulumi.Input<Record<string, string>>);
                const primary = new PrimaryCluster(name, { ...inputs, cacerts, provider: kubernetesProvider("PrimaryCluster", name, options) } as unknown as PrimaryClusterArgs, options);
                return { resource: primary, state: { ...clusterState(primary), servesRemotes: primary.servesRemotes, trustBundlePem: primary.trustBundlePem } };
            }
            case token("RemoteCluster"): {
                const controlPlane = await this.referenced(`RemoteCluster ${name}`, { controlPlane: inputs.controlPlane }, "PrimaryCluster");
                const remote = new RemoteCluster(name, { ...inputs, ...controlPlane, provider: kubernetesProvider("RemoteCluster", name, options) } as RemoteClusterArgs, options);
                return { resource: remote, state: { ...clusterState(remote), controlPlane: remote.controlPlane } };
            }
            case token("EastWestGateway"): {
                const cluster = await this.referenced(`EastWestGateway ${name}`, { cluster: inputs.cluster });
                const gateway = new EastWestGateway(name, { ...inputs, ...cluster } as EastWestGatewayArgs, options);
                return { resource: gateway, state: { address: gateway.address } };
            }
            case token("RemoteSecret"): {
                const clusters = await this.referenced(`RemoteSecret ${name}`, { watched: inputs.watched, watcher: inputs.watcher });
                return { resource: new RemoteSecret(name, clusters as unknown as RemoteSecretArgs, options), state: {} };
            }
        }
        const known = ["MultiClusterMesh", ...Object.keys(componentArgsTypes())].map(token);
        throw new Error(`${packageName} has no component ${type}; it has ${known.join(", ")}`);
    }

    /**
     * The clusters `references` name by URN, each the one constructed here; every field that names none,
     * or a remote where only a primary will do, is a problem reported at once, with its field.
     */
    private async referenced(what: string, references: Record<string, unknown>, kind: "PrimaryCluster" | "any" = "any"): Promise<Record<string, IstioClusterComponent>> {
        const found: Record<string, IstioClusterComponent> = {};
        const problems: Problem[] = [];
        for (const [field, reference] of Object.entries(references)) {
            const urn = reference === undefined ? undefined : await settled(reference as pulumi.Input<string>);
            const cluster = urn === undefined ? undefined : this.clusters.get(urn);
            if (cluster && (kind === "any" || cluster instanceof PrimaryCluster)) {
                found[field] = cluster;
            } else {
                const wanted = kind === "any" ? "a PrimaryCluster or RemoteCluster" : "a PrimaryCluster";
                problems.push({ propertyPath: field, reason: `${urn === undefined ? "missing" : `${urn} is not`} ${wanted} of this program` });
            }
        }
        reportInputProblems(what, { errors: problems, warnings: [] });
        return found;
    }
}

/**
 * `cacerts` as the SDKs send it (the SDKs' field names, often one Output that is secret as a whole, since
 * it holds the key) as PrimaryCluster takes it, with MeshRootCa's secrecy per entry, so that what is derived
 * from them is the same as in TypeScript.
 */
function cacertsFiles(cacerts: pulumi.Input<Record<string, string>>): CacertsInputs {
    return cacertsOutputs(pulumi.output(cacerts).apply((c) => Object.fromEntries(cacertsKeys.map((key) => [key, c[wireName(key)]])) as Record<CacertsKey, string>));
}

/** What every Istio cluster component outputs. */
function clusterState(cluster: IstioClusterComponent): pulumi.Inputs {
    return {
        clusterName: cluster.clusterName,
        network: cluster.network,
        trustDomain: cluster.trustDomain,
        istioNamespace: cluster.istioNamespace,
        revision: cluster.revision,
        ingressAddress: cluster.ingressAddress,
    };
}

/** The `kubernetes` entry of the `providers` resource option: the cluster a PrimaryCluster or RemoteCluster installs into. */
function kubernetesProvider(component: string, name: string, options: pulumi.ComponentResourceOptions): k8s.Provider {
    // The engine sends providers by package, as a map.
    const found = (options.providers as Record<string, pulumi.ProviderResource> | undefined)?.kubernetes;
    if (found === undefined) {
        throw new Error(`${component} ${name} needs its cluster's Kubernetes provider: pass it in the providers resource option (its "kubernetes" entry)`);
    }
    return found as k8s.Provider;
}

/** The value of an Input once known: URNs always are, in previews too. */
function settled<T>(input: pulumi.Input<T>): Promise<T> {
    return new Promise((resolve) => pulumi.output(input).apply((value) => resolve(value as T)));
}

/** The library's version, from the nearest package.json of the library above `dir`: two folders up in the sources, three in the build. */
export function libraryVersion(dir: string): string {
    for (let at = dir; at !== path.dirname(at); at = path.dirname(at)) {
        const file = path.join(at, "package.json");
        if (existsSync(file)) {
            const manifest = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
            if (manifest.name === packageName && manifest.version) {
                return manifest.version;
            }
        }
    }
    throw new Error(`no package.json of ${packageName} above ${dir}`);
}
