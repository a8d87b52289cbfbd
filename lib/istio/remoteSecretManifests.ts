import { stringify } from "yaml";
import { ClusterRole } from "../model/vocabulary";

/**
 * Remote secrets exactly as `istioctl create-remote-secret` makes them (istioctl/pkg/multicluster): the
 * reader's token Secret in the watched cluster, and in each other primary a Secret holding a bearer-token
 * kubeconfig whose cluster, context and user are all named after the watched cluster.
 */

export const readerServiceAccount = "istio-reader-service-account";
export const readerTokenSecretName = "istio-reader-service-account-istio-remote-secret-token";

/** The name of the Secret, in a primary, that lets its istiod watch `cluster`. */
export function remoteSecretName(cluster: string): string {
    return `istio-remote-secret-${cluster}`;
}

/** Kubernetes ≥1.24 creates no token for a service account by itself: this Secret asks for one. */
export function readerTokenSecret(): {
    metadata: { name: string; annotations: Record<string, string> };
    type: string;
} {
    return {
        metadata: {
            name: readerTokenSecretName,
            annotations: { "kubernetes.io/service-account.name": readerServiceAccount },
        },
        type: "kubernetes.io/service-account-token",
    };
}

/** The kubeconfig istiod uses to watch a cluster, serialized as client-go writes it (keys sorted). */
export function remoteKubeconfig(args: { cluster: string; server: string; caCertPem: string; token: string; tlsServerName?: string }): string {
    const config = {
        apiVersion: "v1",
        clusters: [
            {
                cluster: {
                    "certificate-authority-data": Buffer.from(args.caCertPem, "utf8").toString("base64"),
                    server: args.server,
                    ...(args.tlsServerName ? { "tls-server-name": args.tlsServerName } : {}),
                },
                name: args.cluster,
            },
        ],
        contexts: [{ context: { cluster: args.cluster, user: args.cluster }, name: args.cluster }],
        "current-context": args.cluster,
        kind: "Config",
        preferences: {},
        users: [{ name: args.cluster, user: { token: args.token } }],
    };
    return stringify(config, { lineWidth: 0, indentSeq: false });
}

/** The Secret's metadata: istiod finds it by label and reads the cluster ID from the annotation and key. */
export function remoteSecretMetadata(cluster: string, istioNamespace: string): {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
} {
    return {
        name: remoteSecretName(cluster),
        namespace: istioNamespace,
        labels: { "istio/multiCluster": "true" },
        annotations: { "networking.istio.io/cluster": cluster },
    };
}

/**
 * Which primary must hold a secret for which cluster: every primary watches every other cluster of the
 * mesh, so P primaries and N clusters need P×(N−1) secrets and none for a cluster's own ID. The secret a
 * remote's own control plane holds is made by RemoteCluster (its gateways wait for it); `RemoteSecret`
 * makes the others.
 */
export function remoteSecretPlan(
    clusters: readonly { name: string; role: ClusterRole; controlPlane?: string }[],
): { watcher: string; watched: string; madeByRemoteCluster: boolean }[] {
    return clusters
        .filter((p) => p.role === "primary")
        .flatMap((p) =>
            clusters
                .filter((c) => c.name !== p.name)
                .map((c) => ({ watcher: p.name, watched: c.name, madeByRemoteCluster: c.role === "remote" && c.controlPlane === p.name })),
        );
}
