import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ValidationFailurePolicy } from "../model/vocabulary";
import { ResolvedCharts } from "./chartSource";
import { ClusterRevision, IngressGatewayArgs, ReaderCredentials } from "./clusterContract";
import { istiodServiceName, newestVersion, revisionTagService, revisionTagWebhook } from "./revisions";
import { baseValues, GatewayServiceOptions, ingressGatewayReleaseName, ingressGatewayValues, injectionLabels } from "./helmValues";
import { istioRelease, loadBalancerAddress } from "./releases";
import { readerTokenSecret } from "./remoteSecretManifests";

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
        /** PEM certificates the default validator trusts istiod's serving certificate with. @default unset (istiod patches it in) */
        validationCaPem?: pulumi.Input<string | undefined>;
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
            values: pulumi.all([args.charts, args.validationCaPem]).apply(([c, validationCaPem]) =>
                baseValues({
                    remote: args.remote,
                    istioNamespace: args.istioNamespace,
                    images: c.images,
                    defaultRevision: args.defaultRevision,
                    validationFailurePolicy: args.validationFailurePolicy,
                    validationCaPem,
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

/** The reader's token Secret and, once Kubernetes has filled it in, the credentials built from it. */
export function readerToken(
    name: string,
    args: {
        istioNamespace: pulumi.Input<string>;
        apiServer: pulumi.Input<string>;
        apiServerCaPem?: pulumi.Input<string>;
        apiServerTlsServerName?: pulumi.Input<string>;
    },
    opts: pulumi.CustomResourceOptions,
): { secret: k8s.core.v1.Secret; credentials: pulumi.Output<ReaderCredentials> } {
    const manifest = readerTokenSecret();
    const secret = new k8s.core.v1.Secret(
        name,
        { metadata: { ...manifest.metadata, namespace: args.istioNamespace }, type: manifest.type },
        opts,
    );
    const credentials = pulumi.secret(
        pulumi.all([secret.data, args.apiServer, args.apiServerCaPem, args.apiServerTlsServerName]).apply(([data, server, caCertPem, tlsServerName]) => {
            if (!data?.token || !data["ca.crt"]) {
                // Only known at deploy time: a remote secret without the token cannot authenticate.
                throw new pulumi.ResourceError(
                    `the reader's token Secret ${manifest.metadata.name} holds no token yet: Kubernetes' token controller (in kube-controller-manager) fills it in`,
                    secret,
                );
            }
            return {
                server,
                caCertPem: caCertPem ?? Buffer.from(data["ca.crt"], "base64").toString("utf8"),
                token: Buffer.from(data.token, "base64").toString("utf8"),
                ...(tlsServerName ? { tlsServerName } : {}),
            };
        }),
    );
    return { secret, credentials };
}

/** The ingress gateway release and, once Helm has it, its load balancer's address. */
export function installIngressGateway(
    name: string,
    args: { namespace: pulumi.Input<string>; charts: pulumi.Output<ResolvedCharts>; revision?: string; gateway: IngressGatewayArgs },
    opts: pulumi.CustomResourceOptions,
): pulumi.Output<string> {
    const release = istioRelease(
        name,
        {
            chart: "gateway",
            releaseName: ingressGatewayReleaseName,
            namespace: args.namespace,
            charts: args.charts,
            values: ingressGatewayValues({
                revision: args.revision,
                service: { annotations: args.gateway.serviceAnnotations, loadBalancerSourceRanges: args.gateway.loadBalancerSourceRanges } satisfies GatewayServiceOptions,
            }),
        },
        opts,
    );
    return loadBalancerAddress(`${name}-service`, release, { parent: opts.parent, provider: opts.provider });
}

/** The resource name of a revision's istiod release: `<name>-istiod-<revision>`, or `<name>-istiod` without one. */
export function istiodResourceName(name: string, revision: string | undefined): string {
    return revision ? `${name}-istiod-${revision}` : `${name}-istiod`;
}

/** The cluster's charts at the newest version any of its revisions runs (for `base`, whose CRDs all need). */
export function withNewestVersion(charts: pulumi.Output<ResolvedCharts>, revisions: readonly ClusterRevision[]): pulumi.Output<ResolvedCharts> {
    const versions = pulumi.all(revisions.map((r) => r.version));
    return pulumi.all([charts, versions]).apply(([c, own]) =>
        // Stryker disable next-line ConditionalExpression: sort never hands undefined to its comparator (it sorts last), so an unfiltered list gives the same newest version.
        ({ ...c, version: newestVersion([c.version, ...own.filter((v): v is string => v !== undefined)]) }),
    );
}

/**
 * Each revision tag's injection webhook and, in a primary, its Service; named by tag, so a tag that moves
 * to another revision is updated in place.
 */
export function installRevisionTags(
    name: string,
    revisions: readonly ClusterRevision[],
    target: { istioNamespace: string; injectionPath?: string; caBundle: pulumi.Input<string> },
    include: { services: boolean; skipAwait: pulumi.Input<boolean> },
    opts: pulumi.CustomResourceOptions,
): pulumi.Resource[] {
    return revisions.flatMap(({ revision, tags }) =>
        tags.flatMap((tag) => {
            const webhook = pulumi.output(target.caBundle).apply((caBundle) => revisionTagWebhook(tag, revision, { ...target, caBundle }));
            const objects: pulumi.Resource[] = [
                new k8s.admissionregistration.v1.MutatingWebhookConfiguration(`${name}-tag-${tag}`, { metadata: webhook.metadata, webhooks: webhook.webhooks }, opts),
            ];
            if (include.services) {
                const service = revisionTagService(tag, revision, target.istioNamespace);
                // The provider waits for a Service's pods; without waiting for workloads, it must not either.
                const metadata = pulumi.output(include.skipAwait).apply((skip) => ({ ...service.metadata, ...(skip ? { annotations: { "pulumi.com/skipAwait": "true" } } : {}) }));
                objects.push(new k8s.core.v1.Service(`${name}-tag-${tag}-service`, { metadata, spec: service.spec }, opts));
            }
            return objects;
        }),
    );
}

/**
 * One istiod release per revision, each from its revision's chart version and named for the revision, so a
 * canary that becomes the main revision keeps its release. The main revision's release was `<name>-istiod`
 * before revisions were named for themselves: an alias keeps it.
 */
export function installIstiods(
    name: string,
    revisions: readonly ClusterRevision[],
    args: {
        namespace: pulumi.Input<string>;
        charts: pulumi.Output<ResolvedCharts>;
        values: (revision: string | undefined, charts: pulumi.Output<ResolvedCharts>) => pulumi.Input<Record<string, unknown>>;
    },
    opts: pulumi.CustomResourceOptions,
): k8s.helm.v3.Release[] {
    return revisions.map(({ revision, version }, i) => {
        const charts = version === undefined ? args.charts : pulumi.all([args.charts, version]).apply(([c, v]) => ({ ...c, version: v }));
        return istioRelease(
            istiodResourceName(name, revision),
            { chart: "istiod", releaseName: istiodServiceName(revision), namespace: args.namespace, charts, values: args.values(revision, charts) },
            { ...opts, aliases: i === 0 && revision ? [{ name: `${name}-istiod` }] : [] },
        );
    });
}
