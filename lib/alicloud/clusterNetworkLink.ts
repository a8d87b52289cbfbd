import * as alicloud from "@pulumi/alicloud";
import * as pulumi from "@pulumi/pulumi";
import { Problem, reportInputProblems } from "../model/problems";
import { nameToken } from "../internal/names";
import { clusterProblems, vpcKeyOf } from "../model/topology";
import { LinkPart, linkPart, planCen, VpcRouteMode } from "./cenPlan";
import { ClusterRole, GatewayAddressType, GatewayNodePorts, NetworkLinkMode, PodNetworking } from "../model/vocabulary";
import { firewallProblems, FirewallCluster, planFirewall } from "./firewall";
import { AckCluster } from "./ackCluster";
import { CloudPlacement, placementArgs, placementProblems, tagArgs } from "./ackSettings";
import { transitRouterZones } from "./zones";

/** One cluster as the network sees it (an `AckCluster` provides every cloud field). */
export interface LinkedCluster {
    /** Istio cluster ID. */
    readonly name: string;
    /** The region it runs in. */
    readonly region: string;
    /** `primary` runs istiod; `remote` is served by `controlPlane`'s. */
    readonly role: ClusterRole;
    /** For a remote: its primary. */
    readonly controlPlane?: string;
    /** Istio network. */
    readonly network: string;
    /** Clusters naming the same `vpc` share one VPC. @default the cluster's name (with `same-vpc`: all share one) */
    readonly vpc?: string;
    /** The VPC's ID. */
    readonly vpcId: pulumi.Input<string>;
    /** The VPC's range. */
    readonly vpcCidr: string;
    /** The VPC's route table, where routes toward the transit router go. */
    readonly routeTableId: pulumi.Input<string>;
    /** vSwitches by zone, for the transit router's attachment (two zones it supports are picked). */
    readonly vswitches: readonly { zone: pulumi.Input<string>; id: pulumi.Input<string> }[];
    /** The nodes' security group, where the mesh's rules go. */
    readonly securityGroupId: pulumi.Input<string>;
    /** Terway (pods on VPC addresses) or Flannel (an overlay). */
    readonly podNetworking: PodNetworking;
    /** Flannel's pod range. @default none (Terway) */
    readonly podCidr?: string;
    /** Terway: the pod vSwitches' ranges; needed on an Istio network shared across VPCs. @default none */
    readonly podRanges?: readonly string[];
    /** The Kubernetes service range, checked against every other range. @default not checked */
    readonly serviceCidr?: string;
    /** The cluster's east-west gateway, when it has one. */
    readonly eastWestGateway?: {
        readonly addressType: GatewayAddressType;
        readonly exposesIstiod?: boolean;
        /** With Flannel: the gateway Service's pinned NodePorts. */
        readonly nodePorts?: GatewayNodePorts;
        /** The gateway uses fixed node addresses (externalIPs) on the mesh ports. */
        readonly fixedAddresses?: boolean;
    };
}

/** How CEN joins the VPCs (mode `cen`): a new or existing instance, transit routers, bandwidth and routes. */
export interface CenArgs {
    /** Use this CEN instance instead of creating one. @default a new one */
    readonly existingCenId?: pulumi.Input<string>;
    /** Transit routers that already exist, by region (a CEN allows one per region). @default new ones */
    readonly existingTransitRouterIds?: Readonly<Record<string, pulumi.Input<string>>>;
    /**
     * Inter-region billing: `DataTransfer` (pay by traffic) or `BandwidthPackage`.
     * @default "DataTransfer"
     */
    readonly bandwidthType?: "DataTransfer" | "BandwidthPackage";
    /**
     * Bandwidth of each inter-region connection, in Mbit/s.
     * @default 100
     */
    readonly bandwidth?: number;
    /** The bandwidth package for `BandwidthPackage`. */
    readonly bandwidthPackageId?: pulumi.Input<string>;
    /**
     * What each VPC routes to its transit router: the RFC 1918 blocks holding peer ranges (at most three
     * routes per VPC), or every peer range (when a VPC already routes a whole private block elsewhere).
     * @default "private-blocks"
     */
    readonly vpcRoutes?: VpcRouteMode;
}

/** The network between the clusters, and the placement (resource group, tags) of what it creates. */
export interface ClusterNetworkLinkArgs extends CloudPlacement {
    /** `cen`: transit routers within and across regions; `same-vpc`: one VPC; `none`: joined already, rules only. */
    readonly mode: NetworkLinkMode;
    /** Every cluster of the mesh made on ACK (see `linkedCluster`). */
    readonly clusters: readonly LinkedCluster[];
    /** One Alibaba Cloud provider per region the clusters are in; cross-region work is always explicit. */
    readonly providers: Readonly<Record<string, alicloud.Provider>>;
    /** CEN settings (mode `cen`). */
    readonly cen?: CenArgs;
    /** Egress ranges of peers that reach internet-facing east-west gateways (NAT EIPs, on-prem ranges). @default [] */
    readonly internetPeerRanges?: string[];
    /**
     * Capacity of each prefix list. Fixed at creation: changing it later replaces the lists and their rules.
     * A rule referencing a list is assumed to count as the list's capacity against its security group's
     * quota (see `securityGroupRuleQuota`).
     * @default 40
     */
    readonly prefixListMaxEntries?: number;
    /**
     * Rules a cluster's security group may hold (ECS's limit, unless your account's was raised); the mesh's
     * rules, each counted as its prefix list's capacity, and 10 kept for ACK's own must fit.
     * @default 200
     */
    readonly securityGroupRuleQuota?: number;
}


/**
 * Joins the mesh's networks on Alibaba Cloud with only what the mesh needs: CEN transit routers,
 * attachments, inter-region connections and routes (`cen`), and in every mode least-privilege security
 * group rules fed by regional prefix lists. Every range is validated before anything is created.
 */
export class ClusterNetworkLink extends pulumi.ComponentResource {
    /** The CEN instance, in mode `cen`. */
    public readonly cenId?: pulumi.Output<string>;
    /** The transit router of each region, in mode `cen`. */
    public readonly transitRouterIds: Readonly<Record<string, pulumi.Output<string>>>;
    /** Resources by what they serve (see `LinkPart`). */
    private readonly parts = new Map<LinkPart, pulumi.Resource[]>();
    private readonly placement = new Map<string, { vpc: string; region: string }>();

    constructor(name: string, args: ClusterNetworkLinkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-multicluster:index:ClusterNetworkLink", name, {}, opts);
        const clusters = args.clusters.map((c) => ({ ...c, vpc: vpcKeyOf(c, args.mode) }));
        for (const c of clusters) {
            this.placement.set(c.name, { vpc: c.vpc, region: c.region });
        }
        const firewallInput: FirewallCluster[] = clusters.map((c) => ({
            name: c.name,
            region: c.region,
            vpc: c.vpc,
            vpcCidr: c.vpcCidr,
            network: c.network,
            role: c.role,
            controlPlane: c.controlPlane,
            podNetworking: c.podNetworking,
            podCidr: c.podCidr,
            podRanges: c.podRanges,
            eastWestGateway: c.eastWestGateway && { ...c.eastWestGateway, exposesIstiod: c.eastWestGateway.exposesIstiod ?? false },
        }));
        const firewallOptions = { internetPeerRanges: args.internetPeerRanges, maxEntries: args.prefixListMaxEntries, ruleQuota: args.securityGroupRuleQuota };
        reportInputProblems(`ClusterNetworkLink ${name}`, linkProblems(args, firewallInput, firewallOptions), this);

        const providerFor = (region: string) => args.providers[region];
        const firewall = planFirewall(firewallInput, firewallOptions);
        const prefixLists = new Map(
            firewall.prefixLists.map((list) => [
                list.key,
                new alicloud.ecs.EcsPrefixList(
                    `${name}-${nameToken(list.key)}`,
                    { prefixListName: `${name}-${nameToken(list.kind)}`, addressFamily: "IPv4", maxEntries: list.maxEntries, entries: list.entries.map((e) => ({ ...e })) },
                    { parent: this, provider: providerFor(list.region) },
                ),
            ]),
        );
        for (const rule of firewall.rules) {
            const cluster = clusters.find((c) => c.name === rule.cluster)!;
            this.own(linkPart.rules(cluster.name), prefixLists.get(rule.prefixList)!);
            const resource = new alicloud.ecs.SecurityGroupRule(
                `${name}-${nameToken(rule.key)}`,
                {
                    securityGroupId: cluster.securityGroupId,
                    type: "ingress",
                    ipProtocol: rule.ipProtocol,
                    portRange: rule.portRange,
                    prefixListId: prefixLists.get(rule.prefixList)!.id,
                    policy: "accept",
                    nicType: "intranet",
                    description: rule.description,
                },
                { parent: this, provider: providerFor(cluster.region) },
            );
            this.own(linkPart.rules(cluster.name), resource);
        }

        const transitRouterIds: Record<string, pulumi.Output<string>> = {};
        if (args.mode === "cen") {
            this.cenId = this.joinWithCen(name, args, clusters, transitRouterIds);
        }
        this.transitRouterIds = transitRouterIds;
        this.registerOutputs({ cenId: this.cenId, transitRouterIds });
    }

    /**
     * What carries traffic between two of the linked clusters: both clusters' security-group rules and
     * prefix lists and, across VPCs, both VPCs' attachments, bindings and routes and the connection
     * between their regions. Work that needs the path (a remote's gateway, whose sidecar is injected and
     * configured by its primary's istiod) waits for these alone, not for the whole network.
     */
    public resourcesBetween(a: string, b: string): pulumi.Resource[] {
        const [pa, pb] = [a, b].map((name) => this.placementOf(name));
        // Within one region there is no connection between regions: its part holds nothing.
        const keys = [linkPart.rules(a), linkPart.rules(b), linkPart.peer(pa.region, pb.region)];
        if (pa.vpc !== pb.vpc) {
            keys.push(linkPart.vpc(pa.vpc), linkPart.vpc(pb.vpc));
        }
        return [...new Set(keys.flatMap((k) => this.parts.get(k) ?? []))];
    }

    /** A linked cluster's own security-group rules and their prefix lists. */
    public resourcesOf(cluster: string): pulumi.Resource[] {
        this.placementOf(cluster);
        return [...new Set(this.parts.get(linkPart.rules(cluster)) ?? [])];
    }

    private placementOf(cluster: string): { vpc: string; region: string } {
        const placed = this.placement.get(cluster);
        if (!placed) {
            throw new Error(`cluster "${cluster}" is not linked by this ClusterNetworkLink`);
        }
        return placed;
    }

    private own<T extends pulumi.Resource>(part: LinkPart, resource: T): T {
        this.parts.set(part, [...(this.parts.get(part) ?? []), resource]);
        return resource;
    }

    private joinWithCen(
        name: string,
        args: ClusterNetworkLinkArgs,
        clusters: (LinkedCluster & { vpc: string })[],
        transitRouterIds: Record<string, pulumi.Output<string>>,
    ): pulumi.Output<string> {
        const cenArgs = args.cen ?? {};
        const tags = tagArgs(args);
        const vpcs = [...new Map(clusters.map((c) => [c.vpc, c])).values()];
        const flatNetworks = new Set(clusters.filter((c) => clusters.some((o) => o.network === c.network && o.vpc !== c.vpc)).map((c) => c.network));
        // Only Flannel clusters have a podCidr (Terway's is refused): their overlay needs routes.
        const routedPods = (vpc: string) => clusters.filter((c) => c.vpc === vpc && c.podCidr && flatNetworks.has(c.network)).map((c) => c.podCidr!);
        const plan = planCen(
            vpcs.map((v) => ({
                key: v.vpc,
                region: v.region,
                vpcCidr: v.vpcCidr,
                routedPodCidrs: routedPods(v.vpc),
                peerCidrs: vpcs.filter((o) => o.vpc !== v.vpc).flatMap((o) => [o.vpcCidr, ...routedPods(o.vpc)]),
            })),
            cenArgs.vpcRoutes,
        );
        const regionOpts = (region: string) => ({ parent: this, provider: args.providers[region] });
        const firstRegion = plan.regions[0];
        const cenId = cenArgs.existingCenId
            ? pulumi.output(cenArgs.existingCenId)
            : new alicloud.cen.Instance(`${name}-cen`, { cenInstanceName: name, description: "Istio mesh network", ...placementArgs(args) }, regionOpts(firstRegion)).id;

        // The cloud runs one operation at a time on a transit router: queue them per router instead of
        // letting a deploy turn into a string of retries.
        const queues = new Map<string, pulumi.Resource[]>();
        // Stryker disable next-line MethodExpression: waiting for every earlier operation of a router orders the same as waiting for the last
        const queued = (region: string) => ({ ...regionOpts(region), dependsOn: queues.get(region)?.slice(-1) ?? [] });
        const enqueue = <T extends pulumi.Resource>(region: string, resource: T): T => {
            queues.set(region, [...(queues.get(region) ?? []), resource]);
            return resource;
        };

        const routeTables: Record<string, pulumi.Output<string>> = {};
        for (const region of plan.regions) {
            const existing = cenArgs.existingTransitRouterIds?.[region];
            transitRouterIds[region] = existing
                ? pulumi.output(existing)
                : new alicloud.cen.TransitRouter(`${name}-tr-${region}`, { cenId, transitRouterName: `${name}-${region}`, ...tags }, regionOpts(region)).transitRouterId;
            routeTables[region] = enqueue(
                region,
                new alicloud.cen.TransitRouterRouteTable(
                    `${name}-route-table-${region}`,
                    { transitRouterId: transitRouterIds[region], transitRouterRouteTableName: `${name}-mesh`, ...tags },
                    queued(region),
                ),
            ).transitRouterRouteTableId;
        }

        // Inter-region connections first, in rounds that keep every router busy, while the routers are
        // in step; each router's own attachments and bindings follow at its own pace.
        const attachments = new Map<string, pulumi.Output<string>>();
        for (const peer of plan.peerAttachments) {
            const resource = new alicloud.cen.TransitRouterPeerAttachment(
                `${name}-peer-${peer.region}-${peer.peerRegion}`,
                {
                    cenId,
                    transitRouterId: transitRouterIds[peer.region],
                    peerTransitRouterId: transitRouterIds[peer.peerRegion],
                    peerTransitRouterRegionId: peer.peerRegion,
                    bandwidthType: cenArgs.bandwidthType ?? "DataTransfer",
                    bandwidth: cenArgs.bandwidth ?? 100,
                    ...(cenArgs.bandwidthType === "BandwidthPackage" ? { cenBandwidthPackageId: cenArgs.bandwidthPackageId } : {}),
                    transitRouterPeerAttachmentName: `${name}-${peer.region}-${peer.peerRegion}`,
                    routeTableAssociationEnabled: false,
                    routeTablePropagationEnabled: false,
                    ...tags,
                },
                // It occupies both transit routers.
                // Stryker disable next-line MethodExpression: waiting for every earlier operation of a router orders the same as waiting for the last
                { ...queued(peer.region), dependsOn: [...(queues.get(peer.region)?.slice(-1) ?? []), ...(queues.get(peer.peerRegion)?.slice(-1) ?? [])] },
            );
            enqueue(peer.region, resource);
            enqueue(peer.peerRegion, resource);
            this.own(peer.key, resource);
            // `id` is `<cen>:<attachment>`; routes and bindings take the attachment's own ID.
            attachments.set(peer.key, resource.transitRouterAttachmentId);
        }
        for (const attachment of plan.vpcAttachments) {
            const vpc = vpcs.find((v) => v.vpc === attachment.vpc)!;
            const available = alicloud.cen.getTransitRouterAvailableResourcesOutput({}, regionOpts(attachment.region));
            const zoneMappings = pulumi.all([available, pulumi.all(vpc.vswitches.map((s) => s.zone))]).apply(([{ resources }, zones]) => {
                const supported = new Set(transitRouterZones(resources));
                const mappings = vpc.vswitches.map((s, i) => ({ zoneId: zones[i], vswitchId: s.id })).filter((m) => supported.has(m.zoneId));
                if (mappings.length < 2) {
                    // Only known at deploy time: stop with the reason instead of a failed attachment.
                    throw new pulumi.ResourceError(
                        `the ${attachment.region} transit router supports ${[...supported].sort().join(", ") || "no zones"}, but VPC ${attachment.vpc} has vSwitches in ${zones.join(", ")}; it needs two in supported zones`,
                        this,
                    );
                }
                return mappings.slice(0, 2);
            });
            const resource = new alicloud.cen.TransitRouterVpcAttachment(
                `${name}-attach-${nameToken(attachment.vpc)}`,
                {
                    cenId,
                    transitRouterId: transitRouterIds[attachment.region],
                    vpcId: vpc.vpcId,
                    zoneMappings,
                    transitRouterVpcAttachmentName: `${name}-${nameToken(attachment.vpc)}`,
                    // Bound to the mesh's route table below, not to the router's default one. Explicit until
                    // Alibaba documents the API's default, which may bind the default route table.
                    routeTableAssociationEnabled: false,
                    routeTablePropagationEnabled: false,
                    ...tags,
                },
                queued(attachment.region),
            );
            enqueue(attachment.region, resource);
            this.own(attachment.key, resource);
            attachments.set(attachment.key, resource.transitRouterAttachmentId);
        }
        for (const binding of plan.routeTableBindings) {
            const bindingArgs = { transitRouterAttachmentId: attachments.get(binding.attachment)!, transitRouterRouteTableId: routeTables[binding.region] };
            const token = nameToken(binding.key);
            const own = <T extends pulumi.Resource>(resource: T) => this.own(binding.attachment, enqueue(binding.region, resource));
            own(new alicloud.cen.TransitRouterRouteTableAssociation(`${name}-associate-${token}`, bindingArgs, queued(binding.region)));
            own(new alicloud.cen.TransitRouterRouteTablePropagation(`${name}-propagate-${token}`, bindingArgs, queued(binding.region)));
        }
        for (const route of plan.transitRoutes) {
            const resource = new alicloud.cen.TransitRouterRouteEntry(
                `${name}-tr-route-${nameToken(route.key)}`,
                {
                    transitRouterRouteTableId: routeTables[route.region],
                    transitRouterRouteEntryDestinationCidrBlock: route.destination,
                    transitRouterRouteEntryNextHopType: "Attachment",
                    transitRouterRouteEntryNextHopId: attachments.get(route.attachment)!,
                },
                queued(route.region),
            );
            this.own(route.attachment, enqueue(route.region, resource));
        }
        // A VPC's route table takes one route entry at a time (concurrent ones fail with TaskConflict).
        for (const route of plan.vpcRoutes) {
            const vpc = vpcs.find((v) => v.vpc === route.vpc)!;
            // Stryker disable next-line MethodExpression: waiting for every earlier entry of the table orders the same as waiting for the last
            const earlier = this.parts.get(route.attachment)?.filter((r) => r instanceof alicloud.vpc.RouteEntry).slice(-1) ?? [];
            this.own(
                route.attachment,
                new alicloud.vpc.RouteEntry(
                    `${name}-vpc-route-${nameToken(route.key)}`,
                    { routeTableId: vpc.routeTableId, destinationCidrblock: route.destination, nexthopType: "Attachment", nexthopId: attachments.get(route.attachment)! },
                    { ...regionOpts(vpc.region), dependsOn: earlier },
                ),
            );
        }
        return cenId;
    }
}

function linkProblems(
    args: ClusterNetworkLinkArgs,
    firewall: FirewallCluster[],
    options: { internetPeerRanges?: readonly string[]; maxEntries?: number; ruleQuota?: number },
): { errors: Problem[]; warnings: Problem[] } {
    // A linked cluster carries every field the topology checks (no size or version: those are AckCluster's).
    const topology = clusterProblems(args.clusters, args.mode);
    const errors = [...topology.errors, ...firewallProblems(firewall, options), ...placementProblems(args)];
    const regions = [...new Set(args.clusters.map((c) => c.region))];
    for (const region of regions) {
        if (!args.providers?.[region]) {
            errors.push({ propertyPath: `providers.${region}`, reason: `clusters are in ${region} but no provider is given for it; every region needs its own explicit provider` });
        }
    }
    if (args.mode === "cen") {
        args.clusters.forEach((c, i) => {
            if (c.vswitches.length < 2) {
                errors.push({ propertyPath: `clusters[${i}].vswitches`, reason: `a transit router attaches a VPC in two zones; give cluster "${c.name}" vSwitches in at least two` });
            }
        });
        if (args.cen?.bandwidthType === "BandwidthPackage" && args.cen.bandwidthPackageId === undefined) {
            errors.push({ propertyPath: "cen.bandwidthPackageId", reason: "bandwidthType BandwidthPackage needs bandwidthPackageId" });
        }
    } else if (args.cen) {
        errors.push({ propertyPath: "cen", reason: `cen settings apply only to mode cen, not ${args.mode}` });
    }
    return { errors, warnings: topology.warnings };
}

/** A cluster made by `AckCluster`, as ClusterNetworkLink needs it: cloud fields from the cluster, mesh role from you. */
export function linkedCluster(
    ack: AckCluster,
    mesh: Pick<LinkedCluster, "role" | "controlPlane" | "network" | "eastWestGateway" | "vpc">,
): LinkedCluster {
    return {
        name: ack.clusterName,
        region: ack.region,
        vpcId: ack.vpcId,
        vpcCidr: ack.vpcCidr,
        routeTableId: ack.routeTableId,
        vswitches: ack.vswitches,
        securityGroupId: ack.securityGroupId,
        podNetworking: ack.podNetworking,
        podCidr: ack.podCidr,
        podRanges: ack.podVswitchCidrs,
        serviceCidr: ack.serviceCidr,
        ...mesh,
    };
}
