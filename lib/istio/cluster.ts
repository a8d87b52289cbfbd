import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { InputProblem } from "../internal/errors";
import { dns1123LabelProblem } from "../internal/names";
import { IstioChartsArgs, istioRelease, ResolvedCharts } from "./charts";
import { readerTokenSecret } from "./remoteSecrets";
import { baseValues, injectionLabels, ValidationFailurePolicy } from "./values";

/** What every Istio cluster component takes. */
export interface IstioClusterArgs {
    /** Istio cluster ID (`global.multiCluster.clusterName`); a DNS-1123 label unique in the mesh. */
    readonly clusterName: string;
    /**
     * Istio network of this cluster (`global.network`, namespace label `topology.istio.io/network`);
     * clusters on one network reach each other's pods directly.
     */
    readonly network: string;
    /** Mesh ID (`global.meshID`), the same in every cluster. */
    readonly meshId: pulumi.Input<string>;
    /** Kubernetes provider for this cluster; every child here uses it. */
    readonly provider: k8s.Provider;
    /** URL of this cluster's API server as the other clusters' istiods reach it (goes into remote secrets). */
    readonly apiServer: pulumi.Input<string>;
    /** Charts and images. @default Istio 1.30.3 from Istio's chart repository (a remote: its control plane's) */
    readonly istio?: IstioChartsArgs;
    /**
     * Namespace Istio runs in.
     * @default "istio-system"
     */
    readonly istioNamespace?: string;
    /**
     * The Istio namespace already exists in this cluster (many distributions ship `istio-system`). The
     * cluster then adopts it: it adds its labels and annotations with a server-side patch, and on destroy
     * removes only those and what it installed there, leaving the namespace itself.
     * @default false (the namespace is created, and deleted on destroy)
     */
    readonly existingIstioNamespace?: boolean;
    /**
     * Failure policy of Istio's validating webhooks (`base.validationFailurePolicy`). `Ignore` keeps Istio
     * config writable while no istiod answers (istiod not yet running, or never, as in an install whose
     * pods run elsewhere); `Fail` rejects them until it answers.
     * @default unset (the charts' own: fail open on the first install; on upgrades Kubernetes' default, Fail)
     */
    readonly validationFailurePolicy?: ValidationFailurePolicy;
    /**
     * Existing namespaces to label for sidecar injection (`istio.io/rev` with a revision); `[]` turns
     * automatic injection off (inject with `istioctl kube-inject` instead).
     * @default ["default"]
     */
    readonly injectionNamespaces?: string[];
    /** Extra istiod Helm values, deep-merged last (escape hatch). @default {} */
    readonly istiodValues?: pulumi.Input<Record<string, unknown>>;
}

/** Problems with the fields every Istio cluster component shares. */
export function clusterArgsProblems(args: IstioClusterArgs): InputProblem[] {
    const problems: InputProblem[] = [];
    for (const field of ["clusterName", "network"] as const) {
        const problem = dns1123LabelProblem(args?.[field]);
        if (problem) {
            problems.push({ propertyPath: field, reason: `${field} ${problem}` });
        }
    }
    if (args?.istioNamespace !== undefined && dns1123LabelProblem(args.istioNamespace)) {
        problems.push({ propertyPath: "istioNamespace", reason: `istioNamespace ${dns1123LabelProblem(args.istioNamespace)}` });
    }
    if (args?.validationFailurePolicy !== undefined && args.validationFailurePolicy !== "Fail" && args.validationFailurePolicy !== "Ignore") {
        problems.push({ propertyPath: "validationFailurePolicy", reason: `validationFailurePolicy ${JSON.stringify(args.validationFailurePolicy)} is not one of Fail, Ignore` });
    }
    (args?.injectionNamespaces ?? []).forEach((namespace, i) => {
        const problem = dns1123LabelProblem(namespace);
        if (problem) {
            problems.push({ propertyPath: `injectionNamespaces[${i}]`, reason: `namespace ${problem}` });
        }
    });
    return problems;
}

/**
 * The Istio namespace with the cluster's labels and annotations: created, or, where it already exists,
 * adopted with a server-side patch that destroy takes back without deleting the namespace.
 */
export function istioNamespace(
    name: string,
    args: { name: string; existing: boolean; labels: Record<string, string>; annotations?: Record<string, string> },
    opts: pulumi.CustomResourceOptions,
): k8s.core.v1.Namespace | k8s.core.v1.NamespacePatch {
    const metadata = { name: args.name, labels: args.labels, ...(args.annotations ? { annotations: args.annotations } : {}) };
    return args.existing ? new k8s.core.v1.NamespacePatch(name, { metadata }, opts) : new k8s.core.v1.Namespace(name, { metadata }, opts);
}

/** The `base` chart (CRDs, cluster-wide RBAC, the reader service account). */
export function installBase(
    name: string,
    args: {
        remote: boolean;
        istioNamespace: string;
        namespace: pulumi.Input<string>;
        charts: pulumi.Output<ResolvedCharts>;
        defaultRevision?: string;
        validationFailurePolicy?: ValidationFailurePolicy;
    },
    opts: pulumi.CustomResourceOptions,
): k8s.helm.v3.Release {
    return istioRelease(
        name,
        {
            chart: "base",
            releaseName: "istio-base",
            namespace: args.namespace,
            charts: args.charts,
            values: args.charts.apply((c) =>
                baseValues({
                    remote: args.remote,
                    istioNamespace: args.istioNamespace,
                    images: c.images,
                    defaultRevision: args.defaultRevision,
                    validationFailurePolicy: args.validationFailurePolicy,
                }),
            ),
        },
        opts,
    );
}

/** Labels existing namespaces for injection once what injection needs is ready. */
export function labelInjectionNamespaces(
    name: string,
    namespaces: readonly string[],
    revision: string | undefined,
    opts: pulumi.CustomResourceOptions,
): void {
    for (const namespace of namespaces) {
        new k8s.core.v1.NamespacePatch(`${name}-injection-${namespace}`, { metadata: { name: namespace, labels: injectionLabels(revision) } }, opts);
    }
}

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
        pulumi.all([secret.data, args.apiServer]).apply(([data, server]) => {
            if (!data?.token || !data["ca.crt"]) {
                // Only known at deploy time: a remote secret without the token cannot authenticate.
                throw new pulumi.ResourceError(
                    `the reader's token Secret ${manifest.metadata.name} holds no token yet: Kubernetes' token controller (in kube-controller-manager) fills it in`,
                    secret,
                );
            }
            return { server, caCertPem: Buffer.from(data["ca.crt"], "base64").toString("utf8"), token: Buffer.from(data.token, "base64").toString("utf8") };
        }),
    );
    return { secret, credentials };
}
