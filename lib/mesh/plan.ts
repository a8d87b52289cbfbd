import type { Input } from "@pulumi/pulumi";
import { AckClusterArgs } from "../alicloud/ackClusterArgs";
import { ApiServerAccessArgs } from "../alicloud/apiServerAccess";
import { FirewallCluster } from "../alicloud/firewall";
import { vswitchRanges } from "../alicloud/vpcPlan";
import { GatewayAvailability } from "../istio/helmValues";
import { vpcKeyOf } from "../model/topology";
import { GatewayAddressType, GatewayNodePorts, NetworkLinkMode, ClusterRole } from "../model/vocabulary";
import { ClusterInput, IntermediateInput, MeshInput } from "./inputs";

/** NodePorts pinned on east-west gateways of Flannel clusters, where load balancers forward to nodes. */
export const defaultFlannelNodePorts: GatewayNodePorts = { crossNetwork: 31443, istiodXds: 31012, istiodWebhook: 31017 };

/** A cluster's east-west gateway, as the network and the gateway component both see it. */
export interface EastWestGatewayPlan {
    /** Where its load balancer listens (also decided for a gateway on fixed addresses, for the firewall). */
    readonly addressType: GatewayAddressType;
    /** Fixed node addresses instead of a load balancer. @default none */
    readonly externalIPs?: string[];
    /** NodePorts to pin: with Flannel, unless the gateway is on fixed addresses. */
    readonly nodePorts?: GatewayNodePorts;
    /** The gateway exposes istiod to the primary's remotes. */
    readonly exposesIstiod: boolean;
    /** Replicas, resources, budget and zone spread (the component's defaults where unset). */
    readonly availability: GatewayAvailability;
    /** Further annotations for its load balancer Service. */
    readonly serviceAnnotations?: Record<string, string>;
    /** A primary's gateway exposes the mesh's services when the mesh spans networks; undefined on remotes. */
    readonly exposesServices?: boolean;
}

/** Everything decided about one cluster, once. */
export interface ClusterPlan {
    readonly config: ClusterInput;
    /** Position in `clusters`, for config paths. */
    readonly index: number;
    /** Which VPC the cluster is in, as the network link keys it. */
    readonly vpc: string;
    /** A primary that serves remotes (runs `global.externalIstiod`). */
    readonly servesRemotes: boolean;
    readonly eastWestGateway?: EastWestGatewayPlan;
    /** For a cluster made on ACK: AckCluster's arguments, but the provider. */
    readonly ack?: Omit<AckClusterArgs, "provider">;
    /** For a cluster made on ACK: what the firewall plan needs of it. */
    readonly firewall?: FirewallCluster;
}

/** The trust root's arguments: a generated root, an imported one, or finished external material. */
export interface TrustPlan {
    readonly clusters: string[];
    readonly organization?: string;
    readonly importedRoot?: { readonly certPem: Input<string>; readonly privateKeyPem: Input<string> };
    readonly external?: { readonly rootCertPem: Input<string>; readonly intermediates: Record<string, IntermediateInput> };
}

/** The whole mesh, decided once from its config; validation and construction both read it. */
export interface MeshPlan {
    readonly linkMode: NetworkLinkMode;
    /** Regions with a cluster made on ACK, sorted: one Alibaba Cloud provider each. */
    readonly ackRegions: string[];
    readonly clusters: ClusterPlan[];
    readonly trust: TrustPlan;
    /** Mesh-wide locality failover, when asked for (enabled, or a failover order). */
    readonly localityRouting?: { readonly failover?: { from: string; to: string }[] };
}

/** Which clusters get an east-west gateway: all when the mesh spans networks, and primaries serving remotes. */
export function clustersWithEastWestGateway(config: MeshInput): string[] {
    const multiNetwork = spansNetworks(config);
    return config.clusters.filter((c) => multiNetwork || servesRemotes(config, c.name)).map((c) => c.name);
}

function spansNetworks(config: MeshInput): boolean {
    return new Set(config.clusters.map((c) => c.network)).size > 1;
}

function servesRemotes(config: MeshInput, name: string): boolean {
    // Only remotes name a control plane: the topology refuses it on a primary.
    return config.clusters.some((r) => r.controlPlane === name);
}

/**
 * Who may reach an ACK cluster's API server: the configured clients, and every other primary, whose
 * istiod watches this cluster through its remote secret, from its VPC (and Flannel pod range) when the
 * networks are joined, or from the peers' egress ranges through the public endpoint when they are not.
 */
export function apiServerAccessOf(config: MeshInput, clusterName: string): ApiServerAccessArgs {
    const joined = (config.networkLink?.mode ?? "none") !== "none";
    const peers = config.clusters
        .filter((p) => p.role === "primary" && p.name !== clusterName)
        .map((p) => {
            // An overlay's pods leave from their own range (ACK refuses a podCidr with Terway).
            const podRange = p.ack ? p.ack.podCidr : p.podCidr;
            const ranges = joined ? [p.ack?.vpcCidr ?? p.vpcCidr, podRange] : (config.networkLink?.internetPeerRanges ?? []);
            return { name: p.name, ranges: ranges.filter((r): r is string => r !== undefined) };
        });
    return { clientRanges: config.apiServerAccess?.clientRanges, peers };
}

/** The plan of a mesh whose config has the right shape (see `meshConfigShapeProblems`). Pure. */
export function planMesh(config: MeshInput): MeshPlan {
    const linkMode = config.networkLink?.mode ?? "none";
    const multiNetwork = spansNetworks(config);
    const withGateway = new Set(clustersWithEastWestGateway(config));
    const clusters = config.clusters.map((c, index): ClusterPlan => {
        const serves = c.role === "primary" && servesRemotes(config, c.name);
        const fixed = (c.eastWestGateway?.externalIPs ?? []).length > 0;
        const gateway: EastWestGatewayPlan | undefined = withGateway.has(c.name)
            ? {
                  addressType: c.eastWestGateway?.addressType ?? (linkMode === "none" ? "internet" : "intranet"),
                  externalIPs: c.eastWestGateway?.externalIPs,
                  nodePorts: c.ack?.podNetworking === "flannel" && !fixed ? defaultFlannelNodePorts : undefined,
                  exposesIstiod: serves,
                  exposesServices: c.role === "primary" ? multiNetwork : undefined,
                  availability: {
                      replicas: c.eastWestGateway?.replicas,
                      resources: c.eastWestGateway?.resources,
                      podDisruptionBudget: c.eastWestGateway?.podDisruptionBudget,
                      zoneSpread: c.eastWestGateway?.zoneSpread,
                  },
                  serviceAnnotations: c.eastWestGateway?.serviceAnnotations,
              }
            : undefined;
        const vpc = vpcKeyOf(c, linkMode);
        // Stryker disable next-line StringLiteral: an ACK cluster without a region is refused before anything is made; the placeholder lets the other checks run
        const region = c.region ?? "";
        return {
            config: c,
            index,
            vpc,
            servesRemotes: serves,
            eastWestGateway: gateway,
            ...(c.ack
                ? {
                      ack: {
                          clusterName: c.name,
                          region,
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
                          deletionProtection: c.ack.deletionProtection,
                          rrsa: c.ack.rrsa,
                          secretsEncryptionKeyId: c.ack.secretsEncryptionKeyId,
                          controlPlaneLogs: c.ack.controlPlaneLogs,
                          auditLog: c.ack.auditLog,
                          ...config.alicloud,
                      },
                      firewall: {
                          name: c.name,
                          region,
                          vpc,
                          vpcCidr: c.ack.vpcCidr,
                          network: c.network,
                          role: c.role,
                          controlPlane: c.controlPlane,
                          podNetworking: c.ack.podNetworking ?? "terway",
                          podCidr: c.ack.podCidr,
                          podRanges: vswitchRanges(c.ack.vpcCidr, c.ack.zones?.length ?? 2, c.ack.podNetworking ?? "terway")?.pods,
                          eastWestGateway: gateway && { addressType: gateway.addressType, exposesIstiod: gateway.exposesIstiod, nodePorts: gateway.nodePorts, fixedAddresses: fixed },
                      },
                  }
                : {}),
        };
    });
    const failover = config.localityFailover;
    return {
        linkMode,
        ackRegions: [...new Set(clusters.flatMap((c) => (c.ack ? [c.ack.region] : [])))],
        clusters,
        trust: trustPlan(config),
        localityRouting:
            failover && failover.enabled !== false && (failover.enabled === true || (failover.failover ?? []).length > 0) ? { failover: failover.failover } : undefined,
    };
}

/** Clusters of a role, in config order. */
export function clustersOf(plan: MeshPlan, role: ClusterRole): ClusterPlan[] {
    return plan.clusters.filter((c) => c.config.role === role);
}

function trustPlan(config: MeshInput): TrustPlan {
    const trust = config.trust;
    // A root given with its key is imported unless the mode says otherwise.
    const imported = trust?.mode === "imported" || (trust?.mode === undefined && trust?.rootKeyPem !== undefined);
    return {
        clusters: config.clusters.filter((c) => c.role === "primary").map((c) => c.name),
        organization: trust?.organization,
        ...(imported ? { importedRoot: { certPem: trust!.rootCertPem!, privateKeyPem: trust!.rootKeyPem! } } : {}),
        ...(trust?.mode === "external" ? { external: { rootCertPem: trust!.rootCertPem!, intermediates: trust!.intermediates ?? {} } } : {}),
    };
}

/**
 * Where a problem with one of AckCluster's arguments lives in the mesh config: the cluster's name and
 * region, the mesh's API server access (client ranges as given; peers' ranges derived from
 * `networkLink.internetPeerRanges`), or a field under the cluster's `ack`.
 */
export function ackConfigPath(argumentPath: string, clusterIndex: number, prefix = "mesh"): string {
    const at = `${prefix}.clusters[${clusterIndex}]`;
    const within = (argument: string) => argumentPath === argument || argumentPath.startsWith(`${argument}[`) || argumentPath.startsWith(`${argument}.`);
    if (argumentPath === "clusterName") {
        return `${at}.name`;
    }
    if (argumentPath === "region") {
        return `${at}.region`;
    }
    if (within("apiServerAccess.peers")) {
        return `${prefix}.networkLink.internetPeerRanges`;
    }
    if (within("apiServerAccess")) {
        return `${prefix}.${argumentPath}`;
    }
    if (within("tags") || within("resourceGroupId")) {
        return `${prefix}.alicloud.${argumentPath}`;
    }
    return `${at}.ack.${argumentPath}`;
}

/**
 * Where a problem of the firewall plan lives in the mesh config: a cluster's fields under that cluster
 * (the firewall numbers only the clusters made on ACK); peer ranges, list capacity and rule quota under
 * `networkLink`.
 */
export function firewallConfigPath(argumentPath: string, plan: MeshPlan, prefix = "mesh"): string {
    const cluster = /^clusters\[(\d+)\]\.(.*)$/.exec(argumentPath);
    if (cluster) {
        const index = plan.clusters.filter((c) => c.firewall)[Number(cluster[1])].index;
        const field = cluster[2].startsWith("eastWestGateway") ? "eastWestGateway" : `ack.${cluster[2]}`;
        return `${prefix}.clusters[${index}].${field}`;
    }
    return `${prefix}.networkLink.${argumentPath}`;
}
