import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { isIP } from "node:net";
import { withComponentDependsOn } from "../internal/dependsOn";
import { Problem, reportInputProblems } from "../model/problems";
import { resolveCharts, ResolvedCharts } from "./chartSource";
import { clusterArgsProblems, ClusterRevision, IstioCluster, IstioClusterArgs, ReaderCredentials } from "./clusterContract";
import { installBase, installIngressGateway, installIstiods, installRevisionTags, istioNamespace, labelInjectionNamespaces, readerToken, withNewestVersion } from "./clusterResources";
import { PrimaryCluster } from "./primaryCluster";
import { createRemoteSecret } from "./remoteSecret";
import { defaultIstioNamespace } from "../model/vocabulary";
import { injectionPath, remoteIstiodValues, webhookCaBundle } from "./helmValues";
import { injectionRevision } from "./revisions";

/** A cluster whose workloads a primary's istiod serves, through that primary's east-west gateway. */
export interface RemoteClusterArgs extends IstioClusterArgs {
    /** The primary whose istiod serves this cluster (it must have `servesRemotes: true`). */
    readonly controlPlane: PrimaryCluster;
    /**
     * IP address (IPv4 or IPv6) at which this cluster reaches the primary's istiod (15012, 15017): normally
     * the primary's east-west gateway address. A hostname is refused: for one, the istiod chart makes the
     * `istiod` Service an ExternalName Service, and the API server then calls the injection and validation
     * webhooks at the hostname's port 443 (the Service port; an ExternalName Service maps no target port),
     * where the gateway does not listen, or refuses the Service type outright when it routes to endpoints
     * (istio#45014).
     */
    readonly remotePilotAddress: pulumi.Input<string>;
}

/**
 * A cluster served by a primary's istiod: Istio namespace annotated with its control plane before
 * anything is installed, `base` and `istiod` with the remote profile, the reader token, and the remote
 * secret in its primary (the primary patches this cluster's webhook CA bundle once it watches it, so
 * gateways and workloads here wait for that secret). No `cacerts`: the primary signs its workloads.
 */
export class RemoteCluster extends pulumi.ComponentResource implements IstioCluster {
    /** {@inheritDoc IstioCluster.clusterName} */
    public readonly clusterName: string;
    /** {@inheritDoc IstioCluster.network} */
    public readonly network: string;
    /** {@inheritDoc IstioCluster.role} */
    public readonly role = "remote" as const;
    /** Its primary's: the primary's istiod injects and signs for this cluster's workloads. */
    public readonly trustDomain: string;
    /** The primary whose istiod serves this cluster. */
    public readonly controlPlane: string;
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
    /** Address of the ingress gateway's load balancer, when one was asked for. */
    public readonly ingressAddress?: pulumi.Output<string>;
    /** The Secret in the control plane that lets its istiod watch this cluster. */
    public readonly secretInControlPlane: k8s.core.v1.Secret;

    constructor(name: string, args: RemoteClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-multicluster:index:RemoteCluster", name, {}, opts);
        reportInputProblems(`RemoteCluster ${name}`, { errors: validateRemoteClusterArgs(args), warnings: [] }, this);

        this.clusterName = args.clusterName;
        this.network = args.network;
        this.istioNamespace = args.istioNamespace ?? defaultIstioNamespace;
        this.revision = args.controlPlane.revision;
        this.revisions = args.controlPlane.revisions;
        this.controlPlane = args.controlPlane.clusterName;
        this.trustDomain = args.controlPlane.trustDomain;
        this.provider = args.provider;
        this.charts = args.istio ? resolveCharts(args.istio) : args.controlPlane.charts;
        const k8sOpts = { parent: this, provider: args.provider };

        this.namespace = istioNamespace(
            `${name}-namespace`,
            {
                name: this.istioNamespace,
                existing: args.existingIstioNamespace ?? false,
                labels: { "topology.istio.io/network": this.network },
                annotations: { "topology.istio.io/controlPlaneClusters": args.controlPlane.clusterName },
            },
            { ...k8sOpts, dependsOn: withComponentDependsOn([], opts) },
        );
        const namespaceName = this.namespace.metadata.name;
        const base = installBase(
            `${name}-base`,
            {
                remote: true,
                istioNamespace: this.istioNamespace,
                namespace: namespaceName,
                charts: withNewestVersion(this.charts, this.revisions),
                defaultRevision: this.revision,
                validationFailurePolicy: args.validationFailurePolicy,
                // Nothing patches a remote's default validator: it trusts the primary's istiod from the
                // start, and so fails closed, unless the user chose to let writes through (Ignore).
                validationCaPem: args.validationFailurePolicy === "Ignore" ? undefined : args.controlPlane.trustBundlePem,
            },
            k8sOpts,
        );
        // One remote-profile istiod per revision of the primary: its Service and EndpointSlice lead that
        // revision's webhooks and proxies to the primary's istiod of the same revision.
        const istiods = installIstiods(
            name,
            this.revisions,
            {
                namespace: namespaceName,
                charts: this.charts,
                values: (revision, charts) =>
                    pulumi
                        .all([charts, args.meshId, args.remotePilotAddress, args.controlPlane.trustBundlePem, args.istiodValues])
                        .apply(([resolved, meshId, remotePilotAddress, trustBundlePem, extraValues]) => {
                            const problem = remotePilotAddressProblem(remotePilotAddress);
                            if (problem) {
                                // Only known at deploy time (a load balancer's address): stop before the chart
                                // installs webhooks that point nowhere.
                                throw new pulumi.ResourceError(problem, this);
                            }
                            return remoteIstiodValues({
                                meshId,
                                clusterName: this.clusterName,
                                network: this.network,
                                istioNamespace: this.istioNamespace,
                                revision,
                                images: resolved.images,
                                remotePilotAddress,
                                injectionCaPem: trustBundlePem,
                                extraValues,
                            });
                        }),
            },
            { ...k8sOpts, dependsOn: [base] },
        );
        this.istiod = istiods[0];
        const tags = installRevisionTags(
            name,
            this.revisions,
            {
                istioNamespace: this.istioNamespace,
                injectionPath: injectionPath(this.clusterName, this.network),
                caBundle: args.controlPlane.trustBundlePem.apply(webhookCaBundle),
            },
            { services: false, skipAwait: this.charts.skipAwait },
            { ...k8sOpts, dependsOn: istiods },
        );
        const reader = readerToken(
            `${name}-reader-token`,
            { istioNamespace: namespaceName, apiServer: args.apiServer, apiServerCaPem: args.apiServerCaPem, apiServerTlsServerName: args.apiServerTlsServerName },
            { ...k8sOpts, dependsOn: [base] },
        );
        this.readerCredentials = reader.credentials;
        this.secretInControlPlane = createRemoteSecret(`${name}-remote-secret`, this, args.controlPlane, this);

        this.readyResources = [...istiods, ...tags, this.secretInControlPlane, ...args.controlPlane.readyResources];
        labelInjectionNamespaces(name, args.injectionNamespaces ?? ["default"], injectionRevision(this.revisions), { ...k8sOpts, dependsOn: this.readyResources });
        if (args.ingressGateway) {
            this.ingressAddress = installIngressGateway(
                `${name}-ingress`,
                { namespace: namespaceName, charts: this.charts, revision: this.revision, gateway: args.ingressGateway },
                { ...k8sOpts, dependsOn: this.readyResources },
            );
        }
        this.registerOutputs({
            clusterName: this.clusterName,
            network: this.network,
            istioNamespace: this.istioNamespace,
            readerCredentials: this.readerCredentials,
            ingressAddress: this.ingressAddress,
        });
    }
}

export function validateRemoteClusterArgs(args: RemoteClusterArgs): Problem[] {
    const problems = clusterArgsProblems(args);
    if (!args?.controlPlane) {
        problems.push({ propertyPath: "controlPlane", reason: "controlPlane is required: the primary whose istiod serves this cluster" });
    } else if (!args.controlPlane.servesRemotes) {
        problems.push({
            propertyPath: "controlPlane",
            reason: `primary "${args.controlPlane.clusterName}" does not serve remotes: create it with servesRemotes: true (global.externalIstiod)`,
        });
    }
    if (args?.controlPlane && args.controlPlane.clusterName === args.clusterName) {
        problems.push({ propertyPath: "controlPlane", reason: `remote cluster "${args.clusterName}" names itself as its control plane` });
    }
    if (typeof args?.remotePilotAddress === "string") {
        const problem = remotePilotAddressProblem(args.remotePilotAddress);
        if (problem) {
            problems.push({ propertyPath: "remotePilotAddress", reason: problem });
        }
    }
    return problems;
}

/** Why an address cannot be a remote's `remotePilotAddress`, if it cannot. */
function remotePilotAddressProblem(address: string): string | undefined {
    if (address === "") {
        return "remotePilotAddress is empty: the primary's east-west gateway has no IP address (a load balancer with only a hostname cannot serve)";
    }
    // The chart's own test for an address: a dotted quad, or IPv6 written in hex groups only.
    if (!(isIP(address) === 4 || (isIP(address) === 6 && /^[0-9a-fA-F:]+$/.test(address)))) {
        return `remotePilotAddress "${address}" is not an IPv4 or IPv6 address: for a hostname the istiod chart makes an ExternalName Service, whose webhooks the API server calls at port 443 of that host, where the east-west gateway does not listen (istio#45014)`;
    }
    return undefined;
}
