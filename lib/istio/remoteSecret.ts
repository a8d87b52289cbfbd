import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Problem, reportInputProblems } from "../model/problems";
import { IstioCluster } from "./clusterContract";
import { remoteKubeconfig, remoteSecretMetadata } from "./remoteSecretManifests";

/** Which istiod watches which cluster. */
export interface RemoteSecretArgs {
    /** The cluster to be watched: its reader credentials go into the secret. */
    readonly watched: IstioCluster;
    /** The primary whose istiod watches it; the Secret is created there. */
    readonly watcher: IstioCluster;
}

/**
 * Lets one primary's istiod watch another cluster: Secret `istio-remote-secret-<watched>` in the watcher,
 * exactly as `istioctl create-remote-secret` writes it. For a multi-primary mesh, create one per ordered
 * pair of clusters after all clusters exist (`remoteSecretPlan` lists them), so no cluster needs another
 * as a constructor argument.
 */
export class RemoteSecret extends pulumi.ComponentResource {
    /** The remote secret, in the watcher's Istio namespace. */
    public readonly secret: k8s.core.v1.Secret;

    constructor(name: string, args: RemoteSecretArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-multicluster:index:RemoteSecret", name, {}, opts);
        reportInputProblems(`RemoteSecret ${name}`, { errors: validateRemoteSecretArgs(args), warnings: [] }, this);
        this.secret = createRemoteSecret(`${name}-secret`, args.watched, args.watcher, this);
        this.registerOutputs({});
    }
}

/** Every problem with RemoteSecret's arguments, each with its field. */
export function validateRemoteSecretArgs(args: RemoteSecretArgs): Problem[] {
    const problems: Problem[] = [];
    if (args.watcher.role !== "primary") {
        problems.push({ propertyPath: "watcher", reason: `cluster "${args.watcher.clusterName}" is a remote and runs no istiod to watch other clusters; the watcher must be a primary` });
    }
    if (args.watcher.trustDomain !== args.watched.trustDomain) {
        problems.push({
            propertyPath: "watched",
            reason: `cluster "${args.watched.clusterName}" has trust domain "${args.watched.trustDomain}" and "${args.watcher.clusterName}" has "${args.watcher.trustDomain}": one mesh has one trust domain, or its workloads' identities do not match across clusters`,
        });
    }
    if (args.watcher.clusterName === args.watched.clusterName) {
        problems.push({ propertyPath: "watched", reason: `cluster "${args.watched.clusterName}" cannot watch itself: istiod already reads its own cluster` });
    }
    return problems;
}

/** The Secret in `watcher` that holds the kubeconfig for `watched`. */
export function createRemoteSecret(name: string, watched: IstioCluster, watcher: IstioCluster, parent: pulumi.Resource): k8s.core.v1.Secret {
    return new k8s.core.v1.Secret(
        name,
        {
            metadata: remoteSecretMetadata(watched.clusterName, watcher.istioNamespace),
            stringData: {
                [watched.clusterName]: pulumi.secret(
                    watched.readerCredentials.apply((c) => remoteKubeconfig({ cluster: watched.clusterName, ...c })),
                ),
            },
        },
        // The reader's ClusterRole comes with the watched cluster's istiod chart: without it istiod's first
        // sync of that cluster is refused (403).
        { parent, provider: watcher.provider, dependsOn: [watcher.namespace, watched.istiod] },
    );
}
