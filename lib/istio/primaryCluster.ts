import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { withComponentDependsOn } from "../internal/dependsOn";
import { Problem, reportInputProblems } from "../model/problems";
import { dnsSubdomainProblem } from "../internal/formats";
import { dns1123LabelProblem } from "../internal/names";
import { CacertsKey, cacertsKeys } from "../trust/pki";
import { localityDestinationRule, localityLbSetting, localityProblems, LocalityRoutingArgs } from "./locality";
import { resolveCharts, ResolvedCharts } from "./chartSource";
import { clusterArgsProblems, ClusterRevision, IstioCluster, IstioClusterArgs, ReaderCredentials } from "./clusterContract";
import { installBase, installIngressGateway, installIstiods, installRevisionTags, istioNamespace, labelInjectionNamespaces, readerToken, withNewestVersion } from "./clusterResources";
import { meshPeerAuthentication } from "./istioConfigObjects";
import { defaultIstioNamespace, MtlsMode } from "../model/vocabulary";
import { defaultTrustDomain, primaryIstiodValues, webhookCaBundle } from "./helmValues";
import { injectionRevision, revisionProblems } from "./revisions";

/** Locality routing for one service. */
export interface ServiceLocalityRoutingArgs {
    /** DestinationRule name. */
    readonly name: string;
    /** The service's namespace. */
    readonly namespace: string;
    /** The service host, e.g. `reviews.bookinfo.svc.cluster.local`. */
    readonly host: string;
    /** Its failover and distribution rules. */
    readonly routing: LocalityRoutingArgs;
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

/** One cluster's four `cacerts` entries, as `MeshRootCa.cacerts` holds them. */
export interface CacertsInputs extends Readonly<Record<CacertsKey, pulumi.Input<string>>> {
    /** The cluster's intermediate CA certificate (PEM). */
    readonly "ca-cert.pem": pulumi.Input<string>;
    /** The intermediate's private key (PEM): keep it a secret. */
    readonly "ca-key.pem": pulumi.Input<string>;
    /** The roots the cluster trusts: the signing root first, then any still trusted during a rotation. */
    readonly "root-cert.pem": pulumi.Input<string>;
    /** The chain from the intermediate up to its root. */
    readonly "cert-chain.pem": pulumi.Input<string>;
}

/** A cluster that runs istiod: its trust material, revisions, locality routing and the mesh's settings. */
export interface PrimaryClusterArgs extends IstioClusterArgs {
    /** The four `cacerts` entries for this cluster, e.g. `MeshRootCa.cacerts[clusterName]`. */
    readonly cacerts: CacertsInputs;
    /**
     * More than one root is trusted (a root rotation in progress): istiod and proxies get Istio's
     * multi-root settings. Pass `MeshRootCa.multiRootTrust`.
     * @default false
     */
    readonly multiRootTrust?: pulumi.Input<boolean>;
    /**
     * Revision name for canary upgrades, used by istiod, gateways and injection labels.
     * @default none (the default revision)
     */
    readonly revision?: string;
    /**
     * Revision tags pointing at `revision`. The tags' webhooks and Services are the component's own, not an
     * istiod release's, so a tag moves between revisions in place. Namespaces are labelled with the first
     * tag (this list's, then each additional revision's), so moving that tag moves them.
     * @default []
     */
    readonly revisionTags?: string[];
    /**
     * Further istiod revisions to run side by side with `revision`, e.g. a canary of a newer Istio. Each
     * shares the namespace, `cacerts` and `base` (installed from the newest revision's chart, for its CRDs),
     * and may carry revision tags of its own. Remotes served by this cluster run them too.
     * @default []
     */
    readonly additionalRevisions?: readonly IstiodRevisionArgs[];
    /**
     * SPIFFE trust domain of the workloads this istiod signs for (`meshConfig.trustDomain`). Every primary of
     * a mesh needs the same one (RemoteSecret refuses to join two that differ); set it here, never through
     * `istiodValues`.
     * @default "cluster.local" (Istio's)
     */
    readonly trustDomain?: string;
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
     * Mesh-wide locality routing with failover: istiod's `localityLbSetting` and a DestinationRule for
     * `*.local` in the Istio namespace carrying it with outlier detection (without which Istio never fails
     * over). Unset: locality load balancing is on, with Istio's default order and no failover rule.
     * @default unset
     */
    readonly localityRouting?: LocalityRoutingArgs;
    /** Per-service locality routing: one DestinationRule per entry, in the service's namespace. @default [] */
    readonly serviceLocalityRouting?: readonly ServiceLocalityRoutingArgs[];
}

/**
 * A cluster that runs istiod: Istio namespace (network label), the `cacerts` Secret before istiod, the
 * `base` and `istiod` charts, mesh-wide mTLS, injection labels, and the reader token other istiods use
 * to watch it. Works on any Kubernetes cluster reached through `provider`.
 */
export class PrimaryCluster extends pulumi.ComponentResource implements IstioCluster {
    /** {@inheritDoc IstioCluster.clusterName} */
    public readonly clusterName: string;
    /** {@inheritDoc IstioCluster.network} */
    public readonly network: string;
    /** {@inheritDoc IstioCluster.role} */
    public readonly role = "primary" as const;
    /** {@inheritDoc IstioCluster.trustDomain} */
    public readonly trustDomain: string;
    /** Whether this istiod also serves remote clusters. */
    public readonly servesRemotes: boolean;
    /** {@inheritDoc IstioCluster.istioNamespace} */
    public readonly istioNamespace: string;
    /** {@inheritDoc IstioCluster.revision} */
    public readonly revision?: string;
    /** {@inheritDoc IstioCluster.revisions} */
    public readonly revisions: readonly ClusterRevision[];
    /** {@inheritDoc IstioCluster.provider} */
    public readonly provider: k8s.Provider;
    /** {@inheritDoc IstioCluster.charts} */
    public readonly charts: pulumi.Output<ResolvedCharts>;
    /** {@inheritDoc IstioCluster.readerCredentials} */
    public readonly readerCredentials: pulumi.Output<ReaderCredentials>;
    /** {@inheritDoc IstioCluster.readyResources} */
    public readonly readyResources: pulumi.Resource[];
    /** The Istio namespace: created here, or patched where it already existed. */
    public readonly namespace: k8s.core.v1.Namespace | k8s.core.v1.NamespacePatch;
    /** {@inheritDoc IstioCluster.istiod} */
    public readonly istiod: k8s.helm.v3.Release;
    /**
     * The roots this cluster's istiod chains to (its `cacerts` `root-cert.pem`, two roots during a
     * rotation): the webhooks of its remotes trust its istiod with them.
     */
    public readonly trustBundlePem: pulumi.Output<string>;
    /** Address of the ingress gateway's load balancer, when one was asked for. */
    public readonly ingressAddress?: pulumi.Output<string>;

    constructor(name: string, args: PrimaryClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-multicluster:index:PrimaryCluster", name, {}, opts);
        reportInputProblems(`PrimaryCluster ${name}`, { errors: validatePrimaryClusterArgs(args), warnings: [] }, this);

        this.clusterName = args.clusterName;
        this.network = args.network;
        this.istioNamespace = args.istioNamespace ?? defaultIstioNamespace;
        this.revision = args.revision;
        this.revisions = [
            { revision: args.revision, tags: args.revisionTags ?? [] },
            ...(args.additionalRevisions ?? []).map((extra) => ({ revision: extra.revision, version: extra.version, tags: extra.revisionTags ?? [] })),
        ];
        this.trustDomain = args.trustDomain ?? defaultTrustDomain;
        this.servesRemotes = args.servesRemotes ?? false;
        this.provider = args.provider;
        this.charts = resolveCharts(args.istio);
        this.trustBundlePem = pulumi.output(args.cacerts["root-cert.pem"]);
        const k8sOpts = { parent: this, provider: args.provider };

        this.namespace = istioNamespace(
            `${name}-namespace`,
            { name: this.istioNamespace, existing: args.existingIstioNamespace ?? false, labels: { "topology.istio.io/network": this.network } },
            { ...k8sOpts, dependsOn: withComponentDependsOn([], opts) },
        );
        const namespaceName = this.namespace.metadata.name;
        // istiod decides at start-up whether to use plugged-in certificates: cacerts must exist first.
        // A Secret's stringData is a Pulumi secret as a whole (the SDK wraps it), ca-key.pem with it.
        const cacerts = new k8s.core.v1.Secret(
            `${name}-cacerts`,
            {
                metadata: { name: "cacerts", namespace: namespaceName },
                stringData: Object.fromEntries(cacertsKeys.map((key) => [key, args.cacerts[key]])),
            },
            k8sOpts,
        );
        const base = installBase(
            `${name}-base`,
            {
                remote: false,
                istioNamespace: this.istioNamespace,
                namespace: namespaceName,
                charts: withNewestVersion(this.charts, this.revisions),
                // base names the default validator's service `istiod-<defaultRevision>`: a revision, never a tag.
                defaultRevision: this.revision,
                validationFailurePolicy: args.validationFailurePolicy,
            },
            k8sOpts,
        );
        const istiods = installIstiods(
            name,
            this.revisions,
            {
                namespace: namespaceName,
                charts: this.charts,
                values: (revision, charts) =>
                    pulumi.all([charts, args.meshId, args.istiodValues, args.multiRootTrust]).apply(([resolved, meshId, extraValues, multiRootTrust]) => {
                        const problem = trustDomainInValuesProblem(extraValues);
                        if (problem) {
                            // Only known now when the values were an Output.
                            throw new pulumi.ResourceError(problem, this);
                        }
                        return primaryIstiodValues({
                            meshId,
                            clusterName: this.clusterName,
                            network: this.network,
                            istioNamespace: this.istioNamespace,
                            revision,
                            images: resolved.images,
                            externalIstiod: this.servesRemotes,
                            dnsCapture: args.dnsCapture ?? true,
                            multiRootTrust: multiRootTrust ?? false,
                            localityLbSetting: args.localityRouting ? localityLbSetting(args.localityRouting) : undefined,
                            validationFailurePolicy: args.validationFailurePolicy,
                            trustDomain: args.trustDomain,
                            extraValues,
                        });
                    }),
            },
            { ...k8sOpts, dependsOn: [cacerts, base] },
        );
        this.istiod = istiods[0];
        const tags = installRevisionTags(
            name,
            this.revisions,
            { istioNamespace: this.istioNamespace, caBundle: this.trustBundlePem.apply(webhookCaBundle) },
            { services: true, skipAwait: this.charts.skipAwait },
            { ...k8sOpts, dependsOn: istiods },
        );

        const reader = readerToken(
            `${name}-reader-token`,
            { istioNamespace: namespaceName, apiServer: args.apiServer, apiServerCaPem: args.apiServerCaPem, apiServerTlsServerName: args.apiServerTlsServerName },
            // base creates the istio-reader-service-account the token belongs to.
            { ...k8sOpts, dependsOn: [base] },
        );
        this.readerCredentials = reader.credentials;

        new k8s.apiextensions.CustomResource(`${name}-peer-authentication`, meshPeerAuthentication(this.istioNamespace, args.mtls ?? "STRICT"), {
            ...k8sOpts,
            dependsOn: [this.istiod],
        });

        const routingRules = [
            ...(args.localityRouting ? [localityDestinationRule("locality-default", this.istioNamespace, "*.local", args.localityRouting)] : []),
            ...(args.serviceLocalityRouting ?? []).map((r) => localityDestinationRule(r.name, r.namespace, r.host, r.routing)),
        ];
        for (const rule of routingRules) {
            new k8s.apiextensions.CustomResource(`${name}-dr-${rule.metadata.namespace}-${rule.metadata.name}`, rule, { ...k8sOpts, dependsOn: [this.istiod] });
        }

        const revisionsReady = [...istiods, ...tags];
        labelInjectionNamespaces(name, args.injectionNamespaces ?? ["default"], injectionRevision(this.revisions), { ...k8sOpts, dependsOn: revisionsReady });

        if (args.ingressGateway) {
            // Gateway pods use `image: auto`: the injector must be up first.
            this.ingressAddress = installIngressGateway(
                `${name}-ingress`,
                { namespace: namespaceName, charts: this.charts, revision: this.revision, gateway: args.ingressGateway },
                { ...k8sOpts, dependsOn: [this.istiod] },
            );
        }

        this.readyResources = revisionsReady;
        this.registerOutputs({
            clusterName: this.clusterName,
            network: this.network,
            istioNamespace: this.istioNamespace,
            readerCredentials: this.readerCredentials,
            ingressAddress: this.ingressAddress,
        });
    }
}

/** The trust domain must come from `trustDomain`, where the components can compare it across primaries. */
function trustDomainInValuesProblem(values: Record<string, unknown> | undefined): string | undefined {
    const meshConfig = values?.meshConfig as Record<string, unknown> | undefined;
    return meshConfig?.trustDomain === undefined
        ? undefined
        : "istiodValues sets meshConfig.trustDomain: set trustDomain instead, so every primary of the mesh can be checked to share it";
}

export function validatePrimaryClusterArgs(args: PrimaryClusterArgs): Problem[] {
    const problems = clusterArgsProblems(args);
    const inValues = pulumi.Output.isInstance(args?.istiodValues) ? undefined : trustDomainInValuesProblem(args?.istiodValues as Record<string, unknown> | undefined);
    if (inValues) {
        problems.push({ propertyPath: "istiodValues.meshConfig.trustDomain", reason: inValues });
    }
    if (args?.trustDomain !== undefined && dnsSubdomainProblem(args.trustDomain)) {
        problems.push({ propertyPath: "trustDomain", reason: `trustDomain ${dnsSubdomainProblem(args.trustDomain)}` });
    }
    if (args?.mtls !== undefined && args.mtls !== "STRICT" && args.mtls !== "PERMISSIVE") {
        problems.push({ propertyPath: "mtls", reason: `mtls ${JSON.stringify(args.mtls)} is not one of STRICT, PERMISSIVE` });
    }
    for (const key of cacertsKeys) {
        if (args?.cacerts?.[key] === undefined) {
            problems.push({ propertyPath: `cacerts.${key}`, reason: `cacerts needs ${key}: without plugged-in certificates istiod signs with its own root and cross-cluster mTLS fails` });
        }
    }
    if (args?.localityRouting) {
        problems.push(...localityProblems(args.localityRouting, undefined, "localityRouting"));
    }
    (args?.serviceLocalityRouting ?? []).forEach((r, i) => {
        const at = `serviceLocalityRouting[${i}]`;
        for (const [field, reason] of [
            ["name", dnsSubdomainProblem(r.name)],
            ["namespace", dns1123LabelProblem(r.namespace)],
            // A host may be a wildcard (`*.example.com`); what follows the wildcard is a DNS name.
            ["host", dnsSubdomainProblem(r.host.replace(/^\*\./, ""))],
        ] as const) {
            if (reason) {
                problems.push({ propertyPath: `${at}.${field}`, reason: `${field} ${reason}` });
            }
        }
        problems.push(...localityProblems(r.routing, undefined, `${at}.routing`));
    });
    problems.push(...revisionProblems(args ?? {}));
    return problems;
}
