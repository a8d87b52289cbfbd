import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { imageRepositoryProblem, pemCertificatesProblem, releaseVersionProblem, serverNameProblem, urlProblem } from "../internal/formats";
import { dns1123LabelProblem } from "../internal/names";
import { Problem } from "../model/problems";
import { ClusterRole, ValidationFailurePolicy } from "../model/vocabulary";
import { IstioChartsArgs, ResolvedCharts } from "./chartSource";
import { serviceSettingsProblems } from "./gatewayService";

/** An ingress gateway (the `gateway` chart as release `istio-ingressgateway`) behind a load balancer. */
export interface IngressGatewayArgs {
    /** Service annotations, e.g. Alibaba CLB settings. @default {} */
    readonly serviceAnnotations?: Record<string, string>;
    /** Source ranges admitted by the load balancer. @default [] (all) */
    readonly loadBalancerSourceRanges?: string[];
}

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
    /**
     * CA certificates (PEM) that peers' istiods verify `apiServer` with, for an API server behind a proxy or
     * a load balancer that presents its own certificate.
     * @default the cluster CA from the reader's token Secret
     */
    readonly apiServerCaPem?: pulumi.Input<string>;
    /**
     * Name that peers' istiods expect in `apiServer`'s certificate (the kubeconfig's `tls-server-name`),
     * when it is not `apiServer`'s host, e.g. an IP address in front of a certificate for a DNS name.
     * @default `apiServer`'s host
     */
    readonly apiServerTlsServerName?: pulumi.Input<string>;
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
    /**
     * Install an ingress gateway and output its address. On a remote it is injected by, and takes its
     * routes from, the primary's istiod, so it is installed once that istiod watches the remote.
     * @default none
     */
    readonly ingressGateway?: IngressGatewayArgs;
    /** Extra istiod Helm values, deep-merged last (escape hatch). @default {} */
    readonly istiodValues?: pulumi.Input<Record<string, unknown>>;
}

/** Problems with the fields every Istio cluster component shares. */
export function clusterArgsProblems(args: IstioClusterArgs): Problem[] {
    const problems: Problem[] = [];
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
    problems.push(...formatProblems(args));
    if (args?.ingressGateway) {
        problems.push(...serviceSettingsProblems(args.ingressGateway, "ingressGateway."));
    }
    (args?.injectionNamespaces ?? []).forEach((namespace, i) => {
        const problem = dns1123LabelProblem(namespace);
        if (problem) {
            problems.push({ propertyPath: `injectionNamespaces[${i}]`, reason: `namespace ${problem}` });
        }
    });
    return problems;
}

/** Where a known value (not yet an Output) is not of its format: versions, URLs, registries, certificates. */
function formatProblems(args: IstioClusterArgs): Problem[] {
    const checks: [string, unknown, (value: string) => string | undefined][] = [
        ["istio.version", args?.istio?.version, releaseVersionProblem],
        ["istio.chartRepository", args?.istio?.chartRepository, (v) => urlProblem(v, ["https", "http", "oci"])],
        ["istio.hub", args?.istio?.hub, imageRepositoryProblem],
        ["apiServer", args?.apiServer, (v) => urlProblem(v, ["https"])],
        ["apiServerCaPem", args?.apiServerCaPem, pemCertificatesProblem],
        ["apiServerTlsServerName", args?.apiServerTlsServerName, serverNameProblem],
    ];
    return checks.flatMap(([field, value, problemOf]) => {
        const problem = typeof value === "string" ? problemOf(value) : undefined;
        return problem ? [{ propertyPath: field, reason: `${field} ${problem}` }] : [];
    });
}

/** How another cluster's istiod reaches this one: its API server, CA and the reader's token. */
export interface ReaderCredentials {
    /** The API server's URL as peers reach it. */
    server: string;
    /** The CA certificates (PEM) peers verify the API server with. */
    caCertPem: string;
    /** The reader service account's token. */
    token: string;
    /** The name to verify the server's certificate against, when it is not the server's host. */
    tlsServerName?: string;
}

/** One istiod revision a cluster runs: its name, its Istio version if not the cluster's, its tags. */
export interface ClusterRevision {
    /** The revision's name; none for istiod without a revision. */
    readonly revision?: string;
    /** Its Istio release. @default the cluster's */
    readonly version?: pulumi.Input<string>;
    /** The revision tags that point at it. */
    readonly tags: readonly string[];
}

/** What every Istio cluster component offers the components that build on it. */
export interface IstioCluster {
    /** The Istio cluster ID, unique in the mesh. */
    readonly clusterName: string;
    /** The Istio network (`topology.istio.io/network`) of its workloads. */
    readonly network: string;
    /** `primary` runs istiod; `remote` is served by a primary's. */
    readonly role: ClusterRole;
    /** The SPIFFE trust domain of this cluster's workloads: its own istiod's, or for a remote, its primary's. */
    readonly trustDomain: string;
    /** The namespace Istio runs in. */
    readonly istioNamespace: string;
    /** The main revision: gateways and `base`'s default validator follow it. */
    readonly revision?: string;
    /** Every istiod revision, the main one first (a remote runs its primary's). */
    readonly revisions: readonly ClusterRevision[];
    /** The Kubernetes provider of the cluster. */
    readonly provider: k8s.Provider;
    /** The Istio release, chart repository and images its charts come from. */
    readonly charts: pulumi.Output<ResolvedCharts>;
    /** A secret: what a peer istiod needs to watch this cluster. */
    readonly readerCredentials: pulumi.Output<ReaderCredentials>;
    /** The istiod chart's release, which also brings the reader ClusterRole peers' istiods watch this cluster with. */
    readonly istiod: k8s.helm.v3.Release;
    /** Resources that must exist before gateways and workloads start here (the injector among them). */
    readonly readyResources: pulumi.Resource[];
    /** The Istio namespace resource, for objects that must wait for it. */
    readonly namespace: pulumi.Resource;
}
