import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { InputProblem, reportInputProblems } from "../internal/errors";
import { dns1123LabelProblem } from "../internal/names";
import { CacertsKey, cacertsKeys } from "../trust/pki";
import { IstioChartsArgs, istioRelease, resolveCharts, ResolvedCharts } from "./charts";
import { IstioCluster, ReaderCredentials, readerToken } from "./cluster";
import { meshPeerAuthentication } from "./objects";
import {
    baseValues,
    defaultIstioNamespace,
    GatewayServiceOptions,
    ingressGatewayReleaseName,
    ingressGatewayValues,
    injectionLabels,
    MtlsMode,
    primaryIstiodValues,
} from "./values";

export interface IngressGatewayArgs {
    /** Service annotations, e.g. Alibaba CLB settings. @default {} */
    readonly serviceAnnotations?: Record<string, string>;
    /** Source ranges admitted by the load balancer. @default [] (all) */
    readonly loadBalancerSourceRanges?: string[];
}

/** A further istiod revision in the same cluster. */
export interface IstiodRevisionArgs {
    /** Revision name (DNS-1123 label), different from every other revision in the cluster. */
    readonly revision: string;
    /** Istio version of this revision's istiod chart. @default the cluster's version */
    readonly version?: pulumi.Input<string>;
    /** Revision tags pointing at this revision. @default [] */
    readonly revisionTags?: string[];
}

export interface PrimaryClusterArgs {
    /** Istio cluster ID (`global.multiCluster.clusterName`); a DNS-1123 label unique in the mesh. */
    readonly clusterName: string;
    /** Istio network of this cluster (`global.network`, namespace label `topology.istio.io/network`). */
    readonly network: string;
    /** Mesh ID (`global.meshID`), the same in every cluster. */
    readonly meshId: pulumi.Input<string>;
    /** Kubernetes provider for this cluster; every child uses it. */
    readonly provider: k8s.Provider;
    /**
     * URL of this cluster's API server as the other clusters' istiods reach it (goes into remote secrets).
     */
    readonly apiServer: pulumi.Input<string>;
    /** The four `cacerts` entries for this cluster, e.g. `MeshRootCa.cacerts[clusterName]`. */
    readonly cacerts: Readonly<Record<CacertsKey, pulumi.Input<string>>>;
    /**
     * More than one root is trusted (a root rotation in progress): istiod and proxies get Istio's
     * multi-root settings. Pass `MeshRootCa.multiRootTrust`.
     * @default false
     */
    readonly multiRootTrust?: boolean;
    /** Charts and images. @default Istio 1.30.3 from Istio's chart repository */
    readonly istio?: IstioChartsArgs;
    /**
     * Revision name for canary upgrades, used by istiod, gateways and injection labels.
     * @default none (the default revision)
     */
    readonly revision?: string;
    /**
     * Revision tags pointing at `revision` (`revisionTags`). Namespaces are labelled with the first tag, so
     * moving the tag to another revision (see `additionalRevisions`) moves them.
     * @default []
     */
    readonly revisionTags?: string[];
    /**
     * Further istiod revisions to run side by side with `revision`, e.g. a canary of a newer Istio. Each
     * shares the namespace, `cacerts` and `base`, and may carry revision tags of its own.
     * @default []
     */
    readonly additionalRevisions?: readonly IstiodRevisionArgs[];
    /**
     * Namespace Istio runs in.
     * @default "istio-system"
     */
    readonly istioNamespace?: string;
    /**
     * This istiod also serves remote clusters (`global.externalIstiod`).
     * @default false
     */
    readonly servesRemotes?: boolean;
    /**
     * Mesh-wide mutual TLS mode.
     * @default "STRICT"
     */
    readonly mtls?: MtlsMode;
    /**
     * DNS proxying in the sidecar, so a service that exists only in another cluster still resolves.
     * @default true
     */
    readonly dnsCapture?: boolean;
    /**
     * Existing namespaces to label for sidecar injection (with `istio.io/rev` when a revision is set).
     * @default ["default"]
     */
    readonly injectionNamespaces?: string[];
    /** Install an ingress gateway and output its address. @default none */
    readonly ingressGateway?: IngressGatewayArgs;
    /** Extra istiod Helm values, deep-merged last (escape hatch). @default {} */
    readonly istiodValues?: pulumi.Input<Record<string, unknown>>;
}

/**
 * A cluster that runs istiod: Istio namespace (network label), the `cacerts` Secret before istiod, the
 * `base` and `istiod` charts, mesh-wide mTLS, injection labels, and the reader token other istiods use
 * to watch it. Works on any Kubernetes cluster reached through `provider`.
 */
export class PrimaryCluster extends pulumi.ComponentResource implements IstioCluster {
    public readonly clusterName: string;
    public readonly network: string;
    public readonly role = "primary" as const;
    /** Whether this istiod also serves remote clusters. */
    public readonly servesRemotes: boolean;
    public readonly istioNamespace: string;
    public readonly revision?: string;
    public readonly provider: k8s.Provider;
    public readonly charts: pulumi.Output<ResolvedCharts>;
    public readonly readerCredentials: pulumi.Output<ReaderCredentials>;
    public readonly readyResources: pulumi.Resource[];
    public readonly namespace: k8s.core.v1.Namespace;
    public readonly istiod: k8s.helm.v3.Release;
    /** Address of the ingress gateway's load balancer, when one was asked for. */
    public readonly ingressAddress?: pulumi.Output<string>;

    constructor(name: string, args: PrimaryClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-multicluster:index:PrimaryCluster", name, {}, opts);
        reportInputProblems(`PrimaryCluster ${name}`, { errors: validatePrimaryClusterArgs(args), warnings: [] }, this);

        this.clusterName = args.clusterName;
        this.network = args.network;
        this.istioNamespace = args.istioNamespace ?? defaultIstioNamespace;
        this.revision = args.revision;
        this.servesRemotes = args.servesRemotes ?? false;
        this.provider = args.provider;
        this.charts = resolveCharts(args.istio);
        const k8sOpts = { parent: this, provider: args.provider };

        this.namespace = new k8s.core.v1.Namespace(
            `${name}-namespace`,
            { metadata: { name: this.istioNamespace, labels: { "topology.istio.io/network": this.network } } },
            k8sOpts,
        );
        const namespaceName = this.namespace.metadata.name;
        // istiod decides at start-up whether to use plugged-in certificates: cacerts must exist first.
        const cacerts = new k8s.core.v1.Secret(
            `${name}-cacerts`,
            {
                metadata: { name: "cacerts", namespace: namespaceName },
                stringData: Object.fromEntries(cacertsKeys.map((key) => [key, key === "ca-key.pem" ? pulumi.secret(args.cacerts[key]) : args.cacerts[key]])),
            },
            k8sOpts,
        );
        const base = istioRelease(
            `${name}-base`,
            {
                chart: "base",
                releaseName: "istio-base",
                namespace: namespaceName,
                charts: this.charts,
                values: this.charts.apply((c) => baseValues({ remote: false, istioNamespace: this.istioNamespace, images: c.images })),
            },
            k8sOpts,
        );
        const istiodRelease = (resourceName: string, revision: string | undefined, revisionTags: string[] | undefined, version?: pulumi.Input<string>) => {
            const charts = version === undefined ? this.charts : pulumi.all([this.charts, version]).apply(([c, v]) => ({ ...c, version: v }));
            return istioRelease(
                resourceName,
                {
                    chart: "istiod",
                    releaseName: revision ? `istiod-${revision}` : "istiod",
                    namespace: namespaceName,
                    charts,
                    values: pulumi.all([charts, args.meshId, args.istiodValues]).apply(([resolved, meshId, extraValues]) =>
                        primaryIstiodValues({
                            meshId,
                            clusterName: this.clusterName,
                            network: this.network,
                            istioNamespace: this.istioNamespace,
                            revision,
                            revisionTags,
                            images: resolved.images,
                            externalIstiod: this.servesRemotes,
                            dnsCapture: args.dnsCapture ?? true,
                            multiRootTrust: args.multiRootTrust ?? false,
                            extraValues,
                        }),
                    ),
                },
                { ...k8sOpts, dependsOn: [cacerts, base] },
            );
        };
        this.istiod = istiodRelease(`${name}-istiod`, this.revision, args.revisionTags);
        const revisions = [this.istiod];
        for (const extra of args.additionalRevisions ?? []) {
            revisions.push(istiodRelease(`${name}-istiod-${extra.revision}`, extra.revision, extra.revisionTags, extra.version));
        }

        const reader = readerToken(
            `${name}-reader-token`,
            { istioNamespace: namespaceName, apiServer: args.apiServer },
            // base creates the istio-reader-service-account the token belongs to.
            { ...k8sOpts, dependsOn: [base] },
        );
        this.readerCredentials = reader.credentials;

        const peerAuthentication = meshPeerAuthentication(this.istioNamespace, args.mtls ?? "STRICT");
        new k8s.apiextensions.CustomResource(
            `${name}-peer-authentication`,
            { apiVersion: peerAuthentication.apiVersion, kind: peerAuthentication.kind, metadata: peerAuthentication.metadata, spec: peerAuthentication.spec },
            { ...k8sOpts, dependsOn: [this.istiod] },
        );

        const injectionRevision = args.revisionTags?.[0] ?? this.revision;
        for (const namespace of args.injectionNamespaces ?? ["default"]) {
            new k8s.core.v1.NamespacePatch(
                `${name}-injection-${namespace}`,
                { metadata: { name: namespace, labels: injectionLabels(injectionRevision) } },
                { ...k8sOpts, dependsOn: revisions },
            );
        }

        if (args.ingressGateway) {
            const ingress = istioRelease(
                `${name}-ingress`,
                {
                    chart: "gateway",
                    releaseName: ingressGatewayReleaseName,
                    namespace: namespaceName,
                    charts: this.charts,
                    values: ingressGatewayValues({
                        revision: this.revision,
                        service: {
                            annotations: args.ingressGateway.serviceAnnotations,
                            loadBalancerSourceRanges: args.ingressGateway.loadBalancerSourceRanges,
                        } satisfies GatewayServiceOptions,
                    }),
                },
                // Gateway pods use `image: auto`: the injector must be up first.
                { ...k8sOpts, dependsOn: [this.istiod] },
            );
            this.ingressAddress = loadBalancerAddress(`${name}-ingress-service`, ingress, k8sOpts);
        }

        this.readyResources = revisions;
        this.registerOutputs({
            clusterName: this.clusterName,
            network: this.network,
            istioNamespace: this.istioNamespace,
            readerCredentials: this.readerCredentials,
            ingressAddress: this.ingressAddress,
        });
    }
}

/**
 * Reads a chart-made LoadBalancer Service once its release is done (Helm waits for the address) and
 * returns the address. In a preview of a new stack the release has no status yet, so the read is skipped
 * and the address is unknown rather than an error.
 */
export function loadBalancerAddress(
    name: string,
    release: k8s.helm.v3.Release,
    opts: pulumi.CustomResourceOptions,
): pulumi.Output<string> {
    const service = k8s.core.v1.Service.get(name, pulumi.interpolate`${release.status.namespace}/${release.status.name}`, {
        ...opts,
        dependsOn: [release],
    });
    return service.status.apply((status) => {
        const ingress = status?.loadBalancer?.ingress?.[0];
        if (ingress && !ingress.ip) {
            // Istio needs an IP here (remotePilotAddress, network gateway discovery); a name cannot serve.
            void pulumi.log.warn(`load balancer of ${name} has the hostname ${ingress.hostname} but no IP address; Istio needs an IP`, service);
        }
        return ingress?.ip ?? "";
    });
}

export function validatePrimaryClusterArgs(args: PrimaryClusterArgs): InputProblem[] {
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
    if (args?.revision !== undefined && dns1123LabelProblem(args.revision)) {
        problems.push({ propertyPath: "revision", reason: `revision ${dns1123LabelProblem(args.revision)}` });
    }
    if (args?.mtls !== undefined && args.mtls !== "STRICT" && args.mtls !== "PERMISSIVE") {
        problems.push({ propertyPath: "mtls", reason: `mtls ${JSON.stringify(args.mtls)} is not one of STRICT, PERMISSIVE` });
    }
    for (const key of cacertsKeys) {
        if (args?.cacerts?.[key] === undefined) {
            problems.push({ propertyPath: `cacerts.${key}`, reason: `cacerts needs ${key}: without plugged-in certificates istiod signs with its own root and cross-cluster mTLS fails` });
        }
    }
    const revisionNames = new Set([args?.revision ?? "default"]);
    const tags = new Set(args?.revisionTags ?? []);
    (args?.additionalRevisions ?? []).forEach((extra, i) => {
        const problem = dns1123LabelProblem(extra.revision);
        if (problem) {
            problems.push({ propertyPath: `additionalRevisions[${i}].revision`, reason: `revision ${problem}` });
        } else if (revisionNames.has(extra.revision)) {
            problems.push({ propertyPath: `additionalRevisions[${i}].revision`, reason: `revision "${extra.revision}" already runs in this cluster; each revision needs its own name` });
        }
        revisionNames.add(extra.revision);
        for (const tag of extra.revisionTags ?? []) {
            if (tags.has(tag)) {
                problems.push({ propertyPath: `additionalRevisions[${i}].revisionTags`, reason: `revision tag "${tag}" already points at another revision; a tag points at one revision at a time` });
            }
            tags.add(tag);
        }
    });
    (args?.injectionNamespaces ?? []).forEach((namespace, i) => {
        const problem = dns1123LabelProblem(namespace);
        if (problem) {
            problems.push({ propertyPath: `injectionNamespaces[${i}]`, reason: `namespace ${problem}` });
        }
    });
    return problems;
}
