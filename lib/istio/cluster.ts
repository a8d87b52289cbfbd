import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ResolvedCharts } from "./charts";
import { readerTokenSecret } from "./remoteSecrets";

/** How another cluster's istiod reaches this one: its API server, CA and the reader's token. */
export interface ReaderCredentials {
    server: string;
    caCertPem: string;
    token: string;
}

/** What every Istio cluster component offers the components that build on it. */
export interface IstioCluster {
    readonly clusterName: string;
    readonly network: string;
    readonly role: "primary" | "remote";
    readonly istioNamespace: string;
    readonly revision?: string;
    readonly provider: k8s.Provider;
    readonly charts: pulumi.Output<ResolvedCharts>;
    /** A secret: what a peer istiod needs to watch this cluster. */
    readonly readerCredentials: pulumi.Output<ReaderCredentials>;
    /** Resources that must exist before gateways and workloads start here (the injector among them). */
    readonly readyResources: pulumi.Resource[];
    /** The Istio namespace resource, for objects that must wait for it. */
    readonly namespace: pulumi.Resource;
}

/** The reader's token Secret and, once Kubernetes has filled it in, the credentials built from it. */
export function readerToken(
    name: string,
    args: { istioNamespace: pulumi.Input<string>; apiServer: pulumi.Input<string> },
    opts: pulumi.CustomResourceOptions,
): { secret: k8s.core.v1.Secret; credentials: pulumi.Output<ReaderCredentials> } {
    const manifest = readerTokenSecret();
    const secret = new k8s.core.v1.Secret(
        name,
        { metadata: { ...manifest.metadata, namespace: args.istioNamespace }, type: manifest.type },
        opts,
    );
    const credentials = pulumi.secret(
        pulumi.all([secret.data, args.apiServer]).apply(([data, server]) => ({
            server,
            caCertPem: Buffer.from(data?.["ca.crt"] ?? "", "base64").toString("utf8"),
            token: Buffer.from(data?.token ?? "", "base64").toString("utf8"),
        })),
    );
    return { secret, credentials };
}
