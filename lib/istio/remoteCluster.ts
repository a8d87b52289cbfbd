import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { withComponentDependsOn } from "../internal/dependsOn";
import { Problem, reportInputProblems } from "../model/problems";
import { istioRelease } from "./releases";
import { resolveCharts, ResolvedCharts } from "./chartSource";
import { clusterArgsProblems, IstioCluster, IstioClusterArgs, ReaderCredentials } from "./clusterContract";
import { installBase, istioNamespace, labelInjectionNamespaces, readerToken } from "./clusterResources";
import { PrimaryCluster } from "./primaryCluster";
import { createRemoteSecret } from "./remoteSecret";
import { defaultIstioNamespace } from "../model/vocabulary";
import { remoteIstiodValues } from "./helmValues";

export interface RemoteClusterArgs extends IstioClusterArgs {
    /** The primary whose istiod serves this cluster (it must have `servesRemotes: true`). */
    readonly controlPlane: PrimaryCluster;
    /**
     * IP address at which this cluster reaches the primary's istiod (15012, 15017): normally the primary's
     * east-west gateway address. Must be an IP: a hostname makes the chart create an ExternalName
     * Service, and webhooks then fail (istio#45014).
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
    public readonly clusterName: string;
    public readonly network: string;
    public readonly role = "remote" as const;
    /** The primary whose istiod serves this cluster. */
    public readonly controlPlane: string;
    public readonly istioNamespace: string;
    public readonly revision?: string;
    public readonly provider: k8s.Provider;
    public readonly charts: pulumi.Output<ResolvedCharts>;
    public readonly readerCredentials: pulumi.Output<ReaderCredentials>;
    public readonly readyResources: pulumi.Resource[];
    /** The Istio namespace: created here, or patched where it already existed. */
    public readonly namespace: k8s.core.v1.Namespace | k8s.core.v1.NamespacePatch;
    public readonly istiod: k8s.helm.v3.Release;
    /** The Secret in the control plane that lets its istiod watch this cluster. */
    public readonly secretInControlPlane: k8s.core.v1.Secret;

    constructor(name: string, args: RemoteClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-multicluster:index:RemoteCluster", name, {}, opts);
        reportInputProblems(`RemoteCluster ${name}`, { errors: validateRemoteClusterArgs(args), warnings: [] }, this);

        this.clusterName = args.clusterName;
        this.network = args.network;
        this.istioNamespace = args.istioNamespace ?? defaultIstioNamespace;
        this.revision = args.controlPlane.revision;
        this.controlPlane = args.controlPlane.clusterName;
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
                charts: this.charts,
                defaultRevision: this.revision,
                validationFailurePolicy: args.validationFailurePolicy,
            },
            k8sOpts,
        );
        const reader = readerToken(
            `${name}-reader-token`,
            { istioNamespace: namespaceName, apiServer: args.apiServer },
            { ...k8sOpts, dependsOn: [base] },
        );
        this.readerCredentials = reader.credentials;
        this.secretInControlPlane = createRemoteSecret(`${name}-remote-secret`, this, args.controlPlane, this);

        this.istiod = istioRelease(
            `${name}-istiod`,
            {
                chart: "istiod",
                releaseName: this.revision ? `istiod-${this.revision}` : "istiod",
                namespace: namespaceName,
                charts: this.charts,
                values: pulumi
                    .all([this.charts, args.meshId, args.remotePilotAddress, args.istiodValues])
                    .apply(([charts, meshId, remotePilotAddress, extraValues]) => {
                        if (!isIpv4(remotePilotAddress)) {
                            // Only known at deploy time (a load balancer's address): stop before the chart
                            // installs webhooks that point nowhere.
                            throw new pulumi.ResourceError(remotePilotAddressProblem(remotePilotAddress), this);
                        }
                        return remoteIstiodValues({
                            meshId,
                            clusterName: this.clusterName,
                            network: this.network,
                            istioNamespace: this.istioNamespace,
                            revision: this.revision,
                            images: charts.images,
                            remotePilotAddress,
                            extraValues,
                        });
                    }),
            },
            { ...k8sOpts, dependsOn: [base] },
        );

        this.readyResources = [this.istiod, this.secretInControlPlane, ...args.controlPlane.readyResources];
        labelInjectionNamespaces(name, args.injectionNamespaces ?? ["default"], this.revision, { ...k8sOpts, dependsOn: this.readyResources });
        this.registerOutputs({
            clusterName: this.clusterName,
            network: this.network,
            istioNamespace: this.istioNamespace,
            readerCredentials: this.readerCredentials,
        });
    }
}

export function validateRemoteClusterArgs(args: RemoteClusterArgs): Problem[] {
    const problems = clusterArgsProblems(args);
    if (args?.controlPlane && !args.controlPlane.servesRemotes) {
        problems.push({
            propertyPath: "controlPlane",
            reason: `primary "${args.controlPlane.clusterName}" does not serve remotes: create it with servesRemotes: true (global.externalIstiod)`,
        });
    }
    if (args?.controlPlane?.clusterName === args?.clusterName) {
        problems.push({ propertyPath: "controlPlane", reason: `remote cluster "${args.clusterName}" names itself as its control plane` });
    }
    if (typeof args?.remotePilotAddress === "string" && !isIpv4(args.remotePilotAddress)) {
        problems.push({ propertyPath: "remotePilotAddress", reason: remotePilotAddressProblem(args.remotePilotAddress) });
    }
    return problems;
}

/** The istiod chart treats only a dotted-quad as an address; anything else becomes an ExternalName. */
function isIpv4(address: string): boolean {
    return /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(address);
}

function remotePilotAddressProblem(address: string): string {
    return address === ""
        ? "remotePilotAddress is empty: the primary's east-west gateway has no IP address (a load balancer with only a hostname cannot serve)"
        : `remotePilotAddress "${address}" is not an IPv4 address: the istiod chart turns anything else into an ExternalName Service and the injection webhook fails (istio#45014)`;
}
