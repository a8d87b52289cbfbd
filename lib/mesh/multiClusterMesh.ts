import * as alicloud from "@pulumi/alicloud";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AckCluster, validateAckClusterArgs } from "../alicloud/ackCluster";
import { ApiServerAccessArgs } from "../alicloud/apiServerAccess";
import { FirewallCluster, firewallProblems } from "../alicloud/firewall";
import { ClusterNetworkLink, linkedCluster } from "../alicloud/clusterNetworkLink";
import { reportInputProblems, Problem } from "../model/problems";
import { EastWestGateway } from "../istio/eastWestGateway";
import { GatewayNodePorts } from "../model/vocabulary";
import { IstioCluster } from "../istio/cluster";
import { PrimaryCluster } from "../istio/primaryCluster";
import { RemoteCluster } from "../istio/remoteCluster";
import { RemoteSecret } from "../istio/remoteSecret";
import { remoteSecretPlan } from "../istio/remoteSecrets";
import { MeshRootCa } from "../trust/meshRootCa";
import { MeshConfig, meshConfigShapeProblems, topologyOfConfig } from "./config";
import { clustersWithEastWestGateway, meshDiagram } from "./diagram";
import { localityProblems } from "../istio/locality";
import { verificationCommand, verificationObjects } from "./verification";
import { injectionLabels } from "../istio/values";
import { validateTopology } from "../model/topology";

/** NodePorts pinned on east-west gateways of Flannel clusters, where load balancers forward to nodes. */
export const defaultFlannelNodePorts: GatewayNodePorts = { crossNetwork: 31443, istiodXds: 31012, istiodWebhook: 31017 };

export interface MultiClusterMeshArgs {
    /** The whole mesh as data, normally the stack config value `mesh` (see meshConfig.schema.json). */
    readonly config: MeshConfig;
    /** Alibaba Cloud providers by region. @default one per region of the ACK clusters, made here */
    readonly alicloudProviders?: Readonly<Record<string, alicloud.Provider>>;
}

export interface MeshClusterOutputs {
    /** The east-west gateway's IP address, where the cluster has one. */
    eastWestAddress?: pulumi.Output<string>;
    /** The ingress gateway's IP address, where one was asked for. */
    ingressAddress?: pulumi.Output<string>;
    /** Secret. */
    kubeconfig: pulumi.Output<string>;
}

/**
 * A whole multi-cluster mesh from one description: validation, ACK clusters or existing ones, the network
 * between them, the trust root, Istio in every cluster, east-west gateways where networks or remotes need
 * them, remote secrets and locality failover, each step waiting only for what it needs.
 */
export class MultiClusterMesh extends pulumi.ComponentResource {
    private readonly remoteSecrets: RemoteSecret[] = [];
    public readonly clusters: Readonly<Record<string, MeshClusterOutputs>>;
    public readonly rootCertPem: pulumi.Output<string>;
    /** A Mermaid flowchart of the topology. */
    public readonly diagram: string;
    /** With `verification.enabled`: the command that shows both helloworld versions answering. */
    public readonly verificationCommand?: string;

    constructor(name: string, args: MultiClusterMeshArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-multicluster:index:MultiClusterMesh", name, {}, opts);
        const config = args.config;
        reportInputProblems(`MultiClusterMesh ${name}`, meshProblems(config), this);

        const linkMode = config.networkLink?.mode ?? "none";
        const regions = [...new Set(config.clusters.filter((c) => c.ack).map((c) => c.region!))].sort();
        const providers: Record<string, alicloud.Provider> = { ...args.alicloudProviders };
        for (const region of regions) {
            providers[region] ??= new alicloud.Provider(`${name}-${region}`, { region }, { parent: this });
        }

        // Clusters: made on ACK, or existing.
        const acks = new Map<string, AckCluster>();
        const access = new Map<string, { provider: k8s.Provider; apiServer: pulumi.Input<string>; kubeconfig: pulumi.Output<string> }>();
        for (const c of config.clusters) {
            if (c.ack) {
                const ack = new AckCluster(
                    `${name}-${c.name}`,
                    {
                        clusterName: c.name,
                        region: c.region!,
                        provider: providers[c.region!],
                        zones: c.ack.zones,
                        kubernetesVersion: c.ack.kubernetesVersion,
                        vpcCidr: c.ack.vpcCidr,
                        podNetworking: c.ack.podNetworking,
                        podCidr: c.ack.podCidr,
                        serviceCidr: c.ack.serviceCidr,
                        workers: c.ack.workers,
                        instanceTypes: c.ack.instanceTypes,
                        publicApiServer: c.ack.publicApiServer,
                        apiServerAccess: apiServerAccessOf(config, c.name),
                    },
                    { parent: this },
                );
                acks.set(c.name, ack);
                // Peers reach the API server privately when the networks are joined, else publicly.
                access.set(c.name, { provider: ack.kubernetesProvider, apiServer: linkMode === "none" ? ack.apiServerPublic : ack.apiServerIntranet, kubeconfig: ack.kubeconfig });
            } else {
                const kubeconfig = pulumi.secret(c.kubeconfig!);
                access.set(c.name, { provider: new k8s.Provider(`${name}-${c.name}-k8s`, { kubeconfig }, { parent: this }), apiServer: c.apiServer!, kubeconfig });
            }
        }

        const withGateway = new Set(clustersWithEastWestGateway(config));
        const addressType = (c: MeshConfig["clusters"][number]) => c.eastWestGateway?.addressType ?? (linkMode === "none" ? "internet" : "intranet");
        const fixed = (c: MeshConfig["clusters"][number]) => (c.eastWestGateway?.externalIPs ?? []).length > 0;
        const nodePortsOf = (c: MeshConfig["clusters"][number]) => (c.ack && c.ack.podNetworking === "flannel" && !fixed(c) ? defaultFlannelNodePorts : undefined);
        const servesRemotes = (n: string) => config.clusters.some((r) => r.role === "remote" && r.controlPlane === n);

        // The network, for clusters made here.
        let network: ClusterNetworkLink | undefined;
        if (acks.size > 0) {
            network = new ClusterNetworkLink(
                `${name}-network`,
                {
                    mode: linkMode,
                    providers,
                    internetPeerRanges: config.networkLink?.internetPeerRanges,
                    ...(linkMode === "cen" && config.networkLink?.bandwidth ? { cen: { bandwidth: config.networkLink.bandwidth } } : {}),
                    clusters: config.clusters
                        .filter((c) => acks.has(c.name))
                        .map((c) =>
                            linkedCluster(acks.get(c.name)!, {
                                role: c.role,
                                controlPlane: c.controlPlane,
                                network: c.network,
                                vpc: c.vpc,
                                eastWestGateway: withGateway.has(c.name)
                                    ? { addressType: addressType(c), exposesIstiod: servesRemotes(c.name), nodePorts: nodePortsOf(c), fixedAddresses: fixed(c) }
                                    : undefined,
                            }),
                        ),
                },
                { parent: this },
            );
        }

        // A remote's sidecars (its gateway's too) are injected and configured by its primary's istiod,
        // through the network: that work waits for the path between the two, and nothing else does.
        const linked = (n: string) => acks.has(n);
        const pathToControlPlane = (c: MeshConfig["clusters"][number]): pulumi.Resource[] => {
            if (!network || c.role !== "remote") {
                return [];
            }
            const ends = [c.name, c.controlPlane!].filter(linked);
            return ends.length === 2 ? network.resourcesBetween(ends[0], ends[1]) : ends.flatMap((n) => network!.resourcesBetween(n, n));
        };

        const primaries = config.clusters.filter((c) => c.role === "primary");
        const ca = new MeshRootCa(
            `${name}-ca`,
            {
                clusters: primaries.map((c) => c.name),
                organization: config.trust?.organization,
                ...(config.trust?.mode === "imported" || (config.trust?.rootKeyPem && config.trust?.mode === undefined)
                    ? { importedRoot: { certPem: config.trust!.rootCertPem!, privateKeyPem: pulumi.secret(config.trust!.rootKeyPem!) } }
                    : {}),
                ...(config.trust?.mode === "external"
                    ? { external: { rootCertPem: config.trust.rootCertPem!, intermediates: config.trust.intermediates ?? {} } }
                    : {}),
            },
            { parent: this },
        );
        this.rootCertPem = ca.rootCertPem;

        const istio = config.istio ?? {};
        const charts = { version: istio.version, chartRepository: istio.chartRepository, hub: istio.hub, imagePullSecrets: istio.imagePullSecrets, skipAwait: istio.skipAwait };
        const failover = config.localityFailover;
        const istioClusters = new Map<string, IstioCluster>();
        const gateways = new Map<string, EastWestGateway>();
        const ingress = new Map<string, pulumi.Output<string> | undefined>();
        const gatewayFor = (c: MeshConfig["clusters"][number], cluster: IstioCluster) =>
            new EastWestGateway(
                `${name}-${c.name}-eastwest`,
                {
                    cluster,
                    addressType: c.eastWestGateway?.externalIPs?.length ? undefined : addressType(c),
                    externalIPs: c.eastWestGateway?.externalIPs,
                    nodePorts: nodePortsOf(c),
                    exposeServices: cluster.role === "primary" ? new Set(config.clusters.map((x) => x.network)).size > 1 : undefined,
                    exposeIstiod: cluster.role === "primary" && servesRemotes(c.name),
                },
                { parent: this, dependsOn: pathToControlPlane(c) },
            );
        // What every Istio cluster component takes, from the config and the cluster's access.
        const common = (c: MeshConfig["clusters"][number]) => ({
            clusterName: c.name,
            network: c.network,
            meshId: config.meshId,
            provider: access.get(c.name)!.provider,
            apiServer: access.get(c.name)!.apiServer,
            injectionNamespaces: c.injectionNamespaces,
            existingIstioNamespace: c.existingIstioNamespace,
            validationFailurePolicy: istio.validationFailurePolicy,
        });
        for (const c of primaries) {
            const primary = new PrimaryCluster(
                `${name}-${c.name}`,
                {
                    ...common(c),
                    cacerts: ca.cacerts[c.name],
                    multiRootTrust: ca.multiRootTrust,
                    istio: charts,
                    revision: istio.revision,
                    istiodValues: istio.values,
                    servesRemotes: servesRemotes(c.name),
                    mtls: config.mtls,
                    ingressGateway: c.ingressGateway ? {} : undefined,
                    // Mesh-wide when asked for (enabled, or a failover order); `services` alone stays per service.
                    localityRouting: failover && failover.enabled !== false && (failover.enabled === true || (failover.failover ?? []).length > 0) ? { failover: failover.failover } : undefined,
                    serviceLocalityRouting: (failover?.services ?? []).map((svc) => ({ name: svc.name, namespace: svc.namespace, host: svc.host, routing: { failover: svc.failover } })),
                },
                { parent: this },
            );
            istioClusters.set(c.name, primary);
            ingress.set(c.name, primary.ingressAddress);
            if (withGateway.has(c.name)) {
                gateways.set(c.name, gatewayFor(c, primary));
            }
        }
        for (const c of config.clusters.filter((c) => c.role === "remote")) {
            const remote = new RemoteCluster(
                `${name}-${c.name}`,
                {
                    ...common(c),
                    controlPlane: istioClusters.get(c.controlPlane!) as PrimaryCluster,
                    remotePilotAddress: gateways.get(c.controlPlane!)!.address,
                },
                { parent: this },
            );
            istioClusters.set(c.name, remote);
            if (withGateway.has(c.name)) {
                gateways.set(c.name, gatewayFor(c, remote));
            }
        }
        for (const s of remoteSecretPlan(config.clusters).filter((s) => !s.madeByRemoteCluster)) {
            this.remoteSecrets.push(
                new RemoteSecret(`${name}-${s.watcher}-watches-${s.watched}`, { watcher: istioClusters.get(s.watcher)!, watched: istioClusters.get(s.watched)! }, { parent: this }),
            );
        }

        if (config.verification?.enabled) {
            this.verificationCommand = this.deployVerification(name, config, istioClusters, access, pathToControlPlane);
        }

        this.clusters = Object.fromEntries(
            config.clusters.map((c) => [
                c.name,
                { eastWestAddress: gateways.get(c.name)?.address, ingressAddress: ingress.get(c.name), kubeconfig: access.get(c.name)!.kubeconfig },
            ]),
        );
        this.diagram = meshDiagram(config);
        this.registerOutputs({ clusters: this.clusters, rootCertPem: this.rootCertPem, diagram: this.diagram, verificationCommand: this.verificationCommand });
    }

    /** Istio's multicluster check, in every cluster once its Istio (and every remote secret) is in place. */
    private deployVerification(
        name: string,
        config: MeshConfig,
        istioClusters: Map<string, IstioCluster>,
        access: Map<string, { provider: k8s.Provider }>,
        pathToControlPlane: (c: MeshConfig["clusters"][number]) => pulumi.Resource[],
    ): string {
        const secrets = this.remoteSecrets;
        config.clusters.forEach((c, i) => {
            const cluster = istioClusters.get(c.name)!;
            const objects = verificationObjects({
                version: i === 0 ? "v1" : i === 1 ? "v2" : undefined,
                injectionLabels: injectionLabels(cluster.revision),
                images: { helloworld: config.verification?.helloworldImage, curl: config.verification?.curlImage },
            });
            const opts = { parent: this, provider: access.get(c.name)!.provider, dependsOn: [...cluster.readyResources, ...secrets, ...pathToControlPlane(c)] };
            const ns = new k8s.core.v1.Namespace(`${name}-${c.name}-verify-namespace`, objects.namespace, opts);
            const inNamespace = { ...opts, dependsOn: [...opts.dependsOn, ns] };
            new k8s.core.v1.Service(`${name}-${c.name}-verify-helloworld`, objects.service, inNamespace);
            for (const d of objects.deployments) {
                const manifest = config.istio?.skipAwait ? { ...d, metadata: { ...d.metadata, annotations: { "pulumi.com/skipAwait": "true" } } } : d;
                new k8s.apps.v1.Deployment(`${name}-${c.name}-verify-${d.metadata.name}`, manifest, inNamespace);
            }
        });
        return verificationCommand(config.clusters[0].name);
    }
}

/** Every problem of a mesh config, by its config path. */
export function meshProblems(config: MeshConfig, prefix = "mesh"): { errors: Problem[]; warnings: Problem[] } {
    const shape = meshConfigShapeProblems(config, prefix);
    if (shape.length > 0) {
        return { errors: shape, warnings: [] };
    }
    const { topology, locate } = topologyOfConfig(config, prefix);
    const report = validateTopology(topology);
    const errors = report.errors.map(locate);
    const regions = [...new Set(config.clusters.map((c) => c.region).filter((r): r is string => r !== undefined))];
    if (config.localityFailover) {
        errors.push(...localityProblems({ failover: config.localityFailover.failover }, regions, `${prefix}.localityFailover`));
    }
    const linkMode = config.networkLink?.mode ?? "none";
    config.clusters.forEach((c, i) => {
        const at = `${prefix}.clusters[${i}]`;
        if (c.ack) {
            if (c.region === undefined) {
                errors.push({ propertyPath: `${at}.region`, reason: `cluster "${c.name}" is made on ACK and needs its region` });
            }
            if (c.ack.zones !== undefined && (c.ack.zones.length < 2 || new Set(c.ack.zones).size !== c.ack.zones.length)) {
                errors.push({ propertyPath: `${at}.ack.zones`, reason: `name at least two distinct zones of ${c.region ?? "the region"} for cluster "${c.name}", or leave zones out to take the region's first two` });
            }
        } else if (linkMode !== "none") {
            errors.push({ propertyPath: `${at}`, reason: `networkLink.mode ${linkMode} joins clusters made on ACK; existing cluster "${c.name}" must already be reachable (use mode none)` });
        }
    });
    // What the parts would reject later, asked now, so nothing is created for a mesh that cannot be built.
    const seen = new Set(errors.map((e) => e.propertyPath));
    config.clusters.forEach((c, i) => {
        if (!c.ack) {
            return;
        }
        const at = `${prefix}.clusters[${i}]`;
        const ackProblems = validateAckClusterArgs({ clusterName: c.name, region: c.region ?? "", ...c.ack, apiServerAccess: apiServerAccessOf(config, c.name) });
        for (const p of ackProblems) {
            const path =
                p.propertyPath === "clusterName"
                    ? `${at}.name`
                    : p.propertyPath.startsWith("apiServerAccess.clientRanges")
                      ? `${prefix}.${p.propertyPath}`
                      : p.propertyPath.startsWith("apiServerAccess.peers")
                        ? `${prefix}.networkLink.internetPeerRanges`
                        : `${at}.ack.${p.propertyPath}`;
            if (!seen.has(path)) {
                seen.add(path);
                errors.push({ propertyPath: path, reason: p.reason });
            }
        }
    });
    if (errors.length === 0 && config.clusters.some((c) => c.ack)) {
        const withGateway = new Set(clustersWithEastWestGateway(config));
        const firewall: FirewallCluster[] = config.clusters
            .filter((c) => c.ack)
            .map((c) => ({
                name: c.name,
                region: c.region!,
                vpc: linkMode === "same-vpc" ? "shared" : (c.vpc ?? c.name),
                vpcCidr: c.ack!.vpcCidr,
                network: c.network,
                role: c.role,
                controlPlane: c.controlPlane,
                podNetworking: c.ack!.podNetworking ?? "terway",
                podCidr: c.ack!.podCidr,
                eastWestGateway: withGateway.has(c.name)
                    ? {
                          addressType: c.eastWestGateway?.addressType ?? (linkMode === "none" ? "internet" : "intranet"),
                          exposesIstiod: false,
                          nodePorts: defaultFlannelNodePorts,
                          fixedAddresses: (c.eastWestGateway?.externalIPs ?? []).length > 0,
                      }
                    : undefined,
            }));
        for (const p of firewallProblems(firewall, { internetPeerRanges: config.networkLink?.internetPeerRanges })) {
            errors.push({ propertyPath: `${prefix}.networkLink.${p.propertyPath}`, reason: p.reason });
        }
        config.clusters.forEach((c, i) => {
            if (!c.ack) {
                return;
            }
            const { peers } = apiServerAccessOf(config, c.name);
            if (c.ack.publicApiServer === false && linkMode === "none" && peers!.length > 0) {
                errors.push({
                    propertyPath: `${prefix}.clusters[${i}].ack.publicApiServer`,
                    reason: `cluster "${c.name}" is watched by other primaries, which reach it only through its public endpoint while the networks are not joined (networkLink.mode none)`,
                });
            }
            for (const peer of peers!.filter((p) => p.ranges.length === 0)) {
                errors.push({
                    propertyPath: `${prefix}.networkLink.internetPeerRanges`,
                    reason: `istiod in "${peer.name}" reads cluster "${c.name}" through its public API endpoint (networkLink.mode none): list the egress ranges it comes from`,
                });
            }
        });
    }
    return { errors, warnings: report.warnings.map(locate) };
}

/**
 * Who may reach an ACK cluster's API server: the configured clients, and every other primary, whose
 * istiod watches this cluster through its remote secret, from its VPC (and Flannel pod range) when the
 * networks are joined, or from the peers' egress ranges through the public endpoint when they are not.
 */
export function apiServerAccessOf(config: MeshConfig, clusterName: string): ApiServerAccessArgs {
    const joined = (config.networkLink?.mode ?? "none") !== "none";
    const peers = config.clusters
        .filter((p) => p.role === "primary" && p.name !== clusterName)
        .map((p) => {
            const podRange = p.ack ? ((p.ack.podNetworking ?? "terway") === "flannel" ? p.ack.podCidr : undefined) : p.podCidr;
            const ranges = joined ? [p.ack?.vpcCidr ?? p.vpcCidr, podRange] : (config.networkLink?.internetPeerRanges ?? []);
            return { name: p.name, ranges: ranges.filter((r): r is string => r !== undefined) };
        });
    return { clientRanges: config.apiServerAccess?.clientRanges, peers };
}
