/**
 * How CEN joins the mesh's VPCs across regions: one transit router per region, one VPC attachment per
 * VPC, one inter-region connection per pair of regions, route-table association and propagation for
 * every attachment, static routes for overlay pod ranges a transit router cannot learn, and the VPC
 * route entries that send peer ranges to the transit router. Pure; ClusterNetworkLink makes resources.
 */

export interface CenVpc {
    /** VPC identity (shared by clusters in one VPC). */
    readonly key: string;
    readonly region: string;
    readonly vpcCidr: string;
    /**
     * Overlay pod ranges (Flannel) in this VPC that peers must reach directly: they live in per-node VPC
     * routes that a transit router does not learn, so they need static transit-router routes. Terway pod
     * vSwitches are VPC routes and propagate by themselves.
     */
    readonly routedPodCidrs: readonly string[];
    /** Peer ranges this VPC must send to the transit router (peers' VPC ranges and routed pod ranges). */
    readonly peerCidrs: readonly string[];
}

export interface CenPlan {
    readonly regions: string[];
    readonly vpcAttachments: { key: string; vpc: string; region: string }[];
    /** One per unordered pair of regions, created on the first region's transit router. */
    readonly peerAttachments: { key: string; region: string; peerRegion: string }[];
    /** Association and propagation of an attachment with a region's route table. */
    readonly routeTableBindings: { key: string; region: string; attachment: string }[];
    /** Static routes: destination range → attachment, in a region's transit-router route table. */
    readonly transitRoutes: { key: string; region: string; destination: string; attachment: string }[];
    /** VPC route entries: destination range → the VPC's own attachment. */
    readonly vpcRoutes: { key: string; vpc: string; destination: string; attachment: string }[];
}

function pairKey(a: string, b: string): string {
    return `${a}~${b}`;
}

/** Plans CEN for the given VPCs; keys are stable so adding a VPC only adds entries. */
export function planCen(vpcs: readonly CenVpc[]): CenPlan {
    const regions = [...new Set(vpcs.map((v) => v.region))].sort();
    const vpcAttachments = vpcs.map((v) => ({ key: `vpc:${v.key}`, vpc: v.key, region: v.region }));
    const peerAttachments = regions.flatMap((a, i) => regions.slice(i + 1).map((b) => ({ key: `peer:${pairKey(a, b)}`, region: a, peerRegion: b })));
    const peerBetween = (a: string, b: string) => `peer:${a < b ? pairKey(a, b) : pairKey(b, a)}`;

    const routeTableBindings = [
        ...vpcAttachments.map((v) => ({ key: `${v.region}/${v.key}`, region: v.region, attachment: v.key })),
        // An inter-region connection takes part in the route tables at both of its ends.
        ...peerAttachments.flatMap((p) => [
            { key: `${p.region}/${p.key}`, region: p.region, attachment: p.key },
            { key: `${p.peerRegion}/${p.key}`, region: p.peerRegion, attachment: p.key },
        ]),
    ];

    const transitRoutes = vpcs.flatMap((v) =>
        v.routedPodCidrs.flatMap((cidr) =>
            regions.map((region) => ({
                key: `${region}/${cidr}`,
                region,
                destination: cidr,
                attachment: region === v.region ? `vpc:${v.key}` : peerBetween(region, v.region),
            })),
        ),
    );

    const vpcRoutes = vpcs.flatMap((v) => v.peerCidrs.map((cidr) => ({ key: `${v.key}/${cidr}`, vpc: v.key, destination: cidr, attachment: `vpc:${v.key}` })));
    return { regions, vpcAttachments, peerAttachments, routeTableBindings, transitRoutes, vpcRoutes };
}
