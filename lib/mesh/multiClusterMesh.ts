import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Provider as AlicloudProvider } from "@pulumi/alicloud";
import type { AckCluster, ClusterNetworkLink } from "../alicloud";
import { AssumeRoleArgs } from "../alicloud/listenerAcl";
import { EastWestGateway } from "../istio/eastWestGateway";
import { IstioCluster } from "../istio/clusterContract";
import { PrimaryCluster } from "../istio/primaryCluster";
import { RemoteCluster } from "../istio/remoteCluster";
import { RemoteSecret } from "../istio/remoteSecret";
import { remoteSecretPlan } from "../istio/remoteSecretManifests";
import { injectionLabels } from "../istio/helmValues";
import { injectionRevision } from "../istio/revisions";
import { reportInputProblems } from "../model/problems";
import { MeshRootCa, MeshRootCaArgs } from "../trust/meshRootCa";
import { checkedOnResolution, MeshInput } from "./inputs";
import { AlibabaCloudModules, loadAlibabaCloud } from "./alibabaCloud";
import { meshDiagram } from "./diagram";
import { ClusterPlan, clustersOf, MeshPlan, planMesh, TrustPlan } from "./plan";
import { apiServerChecks, meshProblems } from "./validation";
import { verificationCommand, verificationObjects } from "./verification";

/** The mesh as data, and how Alibaba Cloud is reached when the mesh makes ACK clusters. */
export interface MultiClusterMeshArgs {
    /**
     * The whole mesh as data: the stack config value `mesh` (see meshConfig.schema.json) as it is, or built
     * in the program with kubeconfigs, API server settings and trust material as Inputs (secrets, other
     * stacks' outputs). What is known is checked here; the rest when it resolves, with the same errors.
     */
    readonly config: MeshInput;
    /**
     * Alibaba Cloud providers (`alicloud.Provider`) by region.
     * @default one per region of the ACK clusters, made here
     */
    readonly alicloudProviders?: Readonly<Record<string, pulumi.ProviderResource>>;
    /**
     * The RAM role the Alibaba Cloud calls run as: the providers made here assume it, and so do the API
     * server whitelists (which call the CLB API themselves). With `alicloudProviders`, give the role they
     * assume.
     * @default `ALICLOUD_ASSUME_ROLE_ARN` when set (as the provider reads it); else the credentials themselves
     */
    readonly alicloudAssumeRole?: pulumi.Input<AssumeRoleArgs>;
}

/** What a person needs of one cluster of the mesh. */
export interface MeshClusterOutputs {
    /** The east-west gateway's IP address, where the cluster has one. */
    eastWestAddress?: pulumi.Output<string>;
    /** The ingress gateway's IP address, where one was asked for. */
    ingressAddress?: pulumi.Output<string>;
    /** Secret. */
    kubeconfig: pulumi.Output<string>;
}

/** How the mesh reaches one cluster. */
interface ClusterAccess {
    readonly provider: k8s.Provider;
    /** The API server as the other clusters' istiods reach it. */
    readonly apiServer: pulumi.Input<string>;
    /** Secret. */
    readonly kubeconfig: pulumi.Output<string>;
    /** The ACK cluster, for clusters made here. */
    readonly ack?: AckCluster;
}

/** Istio in every cluster, with the gateways the plan asks for. */
interface MeshIstio {
    readonly clusters: Map<string, IstioCluster>;
    readonly eastWestGateways: Map<string, EastWestGateway>;
    readonly ingressAddresses: Map<string, pulumi.Output<string> | undefined>;
}

/**
 * A whole multi-cluster mesh from one description: validation, ACK clusters or existing ones, the network
 * between them, the trust root, Istio in every cluster, east-west gateways where networks or remotes need
 * them, remote secrets and locality failover, each step waiting only for what it needs. Every decision is
 * made once, by `planMesh`; this component only turns the plan into components.
 */
export class MultiClusterMesh extends pulumi.ComponentResource {
    /** Each cluster's addresses and kubeconfig, by cluster name. */
    public readonly clusters: Readonly<Record<string, MeshClusterOutputs>>;
    /** The mesh's root certificate (PEM), the one every workload trusts. */
    public readonly rootCertPem: pulumi.Output<string>;
    /** A Mermaid flowchart of the topology. */
    public readonly diagram: string;
    /** With `verification.enabled`: the command that shows both helloworld versions answering. */
    public readonly verificationCommand?: string;

    constructor(name: string, args: MultiClusterMeshArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-multicluster:index:MultiClusterMesh", name, {}, opts);
        reportInputProblems(`MultiClusterMesh ${name}`, meshProblems(args.config), this);
        const config = checkedOnResolution(`MultiClusterMesh ${name}`, args.config, apiServerChecks, this);
        const plan = planMesh(config);

        const ackClusters = plan.clusters.filter((c) => c.ack).map((c) => c.config.name);
        const cloud = ackClusters.length > 0 ? loadAlibabaCloud(this, ackClusters) : undefined;
        // Typed loosely in the args so that their declarations need no @pulumi/alicloud; they are its providers.
        const providers = { ...args.alicloudProviders } as Record<string, AlicloudProvider>;
        for (const region of plan.ackRegions) {
            providers[region] ??= new cloud!.Provider(`${name}-${region}`, { region, ...(args.alicloudAssumeRole ? { assumeRole: args.alicloudAssumeRole } : {}) }, { parent: this });
        }
        const access = new Map(plan.clusters.map((c) => [c.config.name, this.accessCluster(name, plan, c, cloud, providers, args.alicloudAssumeRole)]));
        const network = cloud && this.linkNetworks(name, config, plan, cloud, providers, access);
        // A remote's sidecars (its gateway's too) are injected and configured by its primary's istiod,
        // through the network: that work waits for the path between the two, and nothing else does.
        const pathToControlPlane = (c: ClusterPlan): pulumi.Resource[] => {
            if (!network || c.config.role !== "remote") {
                return [];
            }
            const ends = [c.config.name, c.config.controlPlane!].filter((n) => access.get(n)!.ack);
            return ends.length === 2 ? network.resourcesBetween(ends[0], ends[1]) : ends.flatMap((n) => network.resourcesOf(n));
        };

        const ca = new MeshRootCa(`${name}-ca`, rootCaArgs(plan.trust), { parent: this });
        this.rootCertPem = ca.rootCertPem;
        const istio = this.installIstio(name, config, plan, ca, access, pathToControlPlane);
        const remoteSecrets = remoteSecretPlan(config.clusters)
            .filter((s) => !s.madeByRemoteCluster)
            .map(
                (s) =>
                    new RemoteSecret(
                        `${name}-${s.watcher}-watches-${s.watched}`,
                        { watcher: istio.clusters.get(s.watcher)!, watched: istio.clusters.get(s.watched)! },
                        { parent: this },
                    ),
            );
        if (config.verification?.enabled) {
            this.verificationCommand = this.deployVerification(name, config, plan, istio, access, remoteSecrets, pathToControlPlane);
        }

        this.clusters = Object.fromEntries(
            config.clusters.map((c) => [
                c.name,
                { eastWestAddress: istio.eastWestGateways.get(c.name)?.address, ingressAddress: istio.ingressAddresses.get(c.name), kubeconfig: access.get(c.name)!.kubeconfig },
            ]),
        );
        this.diagram = meshDiagram(config);
        this.registerOutputs({ clusters: this.clusters, rootCertPem: this.rootCertPem, diagram: this.diagram, verificationCommand: this.verificationCommand });
    }

    /** An ACK cluster made here, or an existing cluster through its kubeconfig. */
    private accessCluster(
        name: string,
        plan: MeshPlan,
        c: ClusterPlan,
        cloud: AlibabaCloudModules | undefined,
        providers: Record<string, AlicloudProvider>,
        assumeRole: pulumi.Input<AssumeRoleArgs> | undefined,
    ): ClusterAccess {
        if (c.ack) {
            const ack = new cloud!.AckCluster(
                `${name}-${c.config.name}`,
                { ...c.ack, provider: providers[c.ack.region], attachToTransitRouter: plan.linkMode === "cen", assumeRole },
                { parent: this },
            );
            // Peers reach the API server privately when the networks are joined, else publicly.
            return { provider: ack.kubernetesProvider, apiServer: plan.linkMode === "none" ? ack.apiServerPublic : ack.apiServerIntranet, kubeconfig: ack.kubeconfig, ack };
        }
        const kubeconfig = pulumi.secret(c.config.kubeconfig!);
        return { provider: new k8s.Provider(`${name}-${c.config.name}-k8s`, { kubeconfig }, { parent: this }), apiServer: c.config.apiServer!, kubeconfig };
    }

    /** The network between the clusters made here. */
    private linkNetworks(
        name: string,
        config: MeshInput,
        plan: MeshPlan,
        cloud: AlibabaCloudModules,
        providers: Record<string, AlicloudProvider>,
        access: Map<string, ClusterAccess>,
    ): ClusterNetworkLink {
        const made = plan.clusters.filter((c) => access.get(c.config.name)!.ack);
        return new cloud.ClusterNetworkLink(
            `${name}-network`,
            {
                mode: plan.linkMode,
                providers,
                internetPeerRanges: config.networkLink?.internetPeerRanges,
                prefixListMaxEntries: config.networkLink?.prefixListMaxEntries,
                securityGroupRuleQuota: config.networkLink?.securityGroupRuleQuota,
                ...config.alicloud,
                ...(plan.linkMode === "cen" && config.networkLink?.bandwidth ? { cen: { bandwidth: config.networkLink.bandwidth } } : {}),
                clusters: made.map((c) =>
                    cloud.linkedCluster(access.get(c.config.name)!.ack!, {
                        role: c.config.role,
                        controlPlane: c.config.controlPlane,
                        network: c.config.network,
                        vpc: c.config.vpc,
                        eastWestGateway: c.firewall!.eastWestGateway,
                    }),
                ),
            },
            { parent: this },
        );
    }

    /** Istio in every cluster, primaries first (remotes are served by them), with their gateways. */
    private installIstio(
        name: string,
        config: MeshInput,
        plan: MeshPlan,
        ca: MeshRootCa,
        access: Map<string, ClusterAccess>,
        pathToControlPlane: (c: ClusterPlan) => pulumi.Resource[],
    ): MeshIstio {
        const istio = config.istio ?? {};
        const charts = { version: istio.version, chartRepository: istio.chartRepository, hub: istio.hub, imagePullSecrets: istio.imagePullSecrets, skipAwait: istio.skipAwait };
        const installed: MeshIstio = { clusters: new Map(), eastWestGateways: new Map(), ingressAddresses: new Map() };
        const gatewayFor = (c: ClusterPlan, cluster: IstioCluster) => {
            const gateway = c.eastWestGateway!;
            return new EastWestGateway(
                `${name}-${c.config.name}-eastwest`,
                {
                    cluster,
                    addressType: gateway.externalIPs?.length ? undefined : gateway.addressType,
                    externalIPs: gateway.externalIPs,
                    nodePorts: gateway.nodePorts,
                    exposeServices: gateway.exposesServices,
                    exposeIstiod: gateway.exposesIstiod,
                    availability: gateway.availability,
                    serviceAnnotations: gateway.serviceAnnotations,
                },
                { parent: this, dependsOn: pathToControlPlane(c) },
            );
        };
        // What every Istio cluster component takes, from the config and the cluster's access.
        const common = ({ config: c }: ClusterPlan) => ({
            clusterName: c.name,
            network: c.network,
            meshId: config.meshId,
            provider: access.get(c.name)!.provider,
            apiServer: access.get(c.name)!.apiServer,
            apiServerCaPem: c.apiServerCaPem,
            apiServerTlsServerName: c.apiServerTlsServerName,
            injectionNamespaces: c.injectionNamespaces,
            existingIstioNamespace: c.existingIstioNamespace,
            validationFailurePolicy: istio.validationFailurePolicy,
            ingressGateway: c.ingressGateway ? {} : undefined,
        });
        for (const c of clustersOf(plan, "primary")) {
            const primary = new PrimaryCluster(
                `${name}-${c.config.name}`,
                {
                    ...common(c),
                    cacerts: ca.cacerts[c.config.name],
                    multiRootTrust: ca.multiRootTrust,
                    istio: charts,
                    revision: istio.revision,
                    revisionTags: istio.revisionTags,
                    additionalRevisions: istio.additionalRevisions,
                    trustDomain: istio.trustDomain,
                    istiodValues: istio.values,
                    servesRemotes: c.servesRemotes,
                    mtls: config.mtls,
                    localityRouting: plan.localityRouting,
                    // `services` alone stays per service.
                    serviceLocalityRouting: (config.localityFailover?.services ?? []).map((svc) => ({
                        name: svc.name,
                        namespace: svc.namespace,
                        host: svc.host,
                        routing: { failover: svc.failover },
                    })),
                },
                { parent: this },
            );
            installed.clusters.set(c.config.name, primary);
            installed.ingressAddresses.set(c.config.name, primary.ingressAddress);
            if (c.eastWestGateway) {
                installed.eastWestGateways.set(c.config.name, gatewayFor(c, primary));
            }
        }
        for (const c of clustersOf(plan, "remote")) {
            const remote = new RemoteCluster(
                `${name}-${c.config.name}`,
                {
                    ...common(c),
                    controlPlane: installed.clusters.get(c.config.controlPlane!) as PrimaryCluster,
                    remotePilotAddress: installed.eastWestGateways.get(c.config.controlPlane!)!.address,
                },
                { parent: this },
            );
            installed.clusters.set(c.config.name, remote);
            installed.ingressAddresses.set(c.config.name, remote.ingressAddress);
            if (c.eastWestGateway) {
                installed.eastWestGateways.set(c.config.name, gatewayFor(c, remote));
            }
        }
        return installed;
    }

    /** Istio's multicluster check, in every cluster once its Istio (and every remote secret) is in place. */
    private deployVerification(
        name: string,
        config: MeshInput,
        plan: MeshPlan,
        istio: MeshIstio,
        access: Map<string, ClusterAccess>,
        remoteSecrets: RemoteSecret[],
        pathToControlPlane: (c: ClusterPlan) => pulumi.Resource[],
    ): string {
        plan.clusters.forEach((c, i) => {
            const cluster = istio.clusters.get(c.config.name)!;
            const objects = verificationObjects({
                version: i === 0 ? "v1" : i === 1 ? "v2" : undefined,
                injectionLabels: injectionLabels(injectionRevision(cluster.revisions)),
                images: { helloworld: config.verification?.helloworldImage, curl: config.verification?.curlImage },
            });
            const opts = { parent: this, provider: access.get(c.config.name)!.provider, dependsOn: [...cluster.readyResources, ...remoteSecrets, ...pathToControlPlane(c)] };
            const ns = new k8s.core.v1.Namespace(`${name}-${c.config.name}-verify-namespace`, objects.namespace, opts);
            const inNamespace = { ...opts, dependsOn: [...opts.dependsOn, ns] };
            new k8s.core.v1.Service(`${name}-${c.config.name}-verify-helloworld`, objects.service, inNamespace);
            for (const d of objects.deployments) {
                const manifest = config.istio?.skipAwait ? { ...d, metadata: { ...d.metadata, annotations: { "pulumi.com/skipAwait": "true" } } } : d;
                new k8s.apps.v1.Deployment(`${name}-${c.config.name}-verify-${d.metadata.name}`, manifest, inNamespace);
            }
        });
        return verificationCommand(config.clusters[0].name);
    }
}

/** The trust root's arguments from its plan; an imported root's key is wrapped as a secret here. */
function rootCaArgs(trust: TrustPlan): MeshRootCaArgs {
    return {
        clusters: trust.clusters,
        organization: trust.organization,
        ...(trust.importedRoot ? { importedRoot: { certPem: trust.importedRoot.certPem, privateKeyPem: pulumi.secret(trust.importedRoot.privateKeyPem) } } : {}),
        ...(trust.external ? { external: trust.external } : {}),
    };
}
