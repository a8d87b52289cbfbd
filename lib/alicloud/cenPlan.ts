import * as ipaddr from "ipaddr.js";

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

/**
 * What a VPC's route table sends to the transit router: `private-blocks` routes each RFC 1918 block that
 * holds a peer range (at most three routes per VPC, so routes grow with VPCs, not their square; the VPC's
 * own, more specific vSwitch routes still win), `peer-ranges` one route per peer range (for VPCs whose
 * route tables already route a whole private block elsewhere).
 */
export type VpcRouteMode = "private-blocks" | "peer-ranges";

const privateBlocks = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((text) => ({ text, range: ipaddr.IPv4.parseCIDR(text) }));

/** The destinations a VPC routes to its transit router for the given peer ranges. */
export function vpcRouteDestinations(peerCidrs: readonly string[], mode: VpcRouteMode): string[] {
    const destinations = peerCidrs.map((cidr) => {
        if (mode === "peer-ranges") {
            return cidr;
        }
        const [address, prefix] = ipaddr.parseCIDR(cidr);
        // Stryker disable next-line EqualityOperator: with prefix > block, a range equal to its block routes as itself: the same text
        const block = privateBlocks.find((b) => address.kind() === "ipv4" && (address as ipaddr.IPv4).match(b.range) && prefix >= b.range[1]);
        return block?.text ?? cidr;
    });
    return [...new Set(destinations)];
}

/**
 * What a resource of the network link serves, as a key: a cluster's security-group rules, a VPC's
 * attachment, or the connection between two regions. Only `linkPart` builds them.
 */
export type LinkPart = `rules:${string}` | `vpc:${string}` | `peer:${string}~${string}`;

export const linkPart = {
    rules: (cluster: string): LinkPart => `rules:${cluster}`,
    vpc: (vpc: string): LinkPart => `vpc:${vpc}`,
    /** The same key whichever end is named first. */
    // Stryker disable next-line EqualityOperator: with a === b both orders give the same key
    peer: (a: string, b: string): LinkPart => (a < b ? `peer:${a}~${b}` : `peer:${b}~${a}`),
};

export interface CenPlan {
    readonly regions: string[];
    readonly vpcAttachments: { key: LinkPart; vpc: string; region: string }[];
    /**
     * One per unordered pair of regions, created on the first region's transit router, in rounds where no
     * router takes part twice (a round-robin tournament), so R regions connect in R−1 rounds (R if odd).
     */
    readonly peerAttachments: { key: LinkPart; region: string; peerRegion: string; round: number }[];
    /** Association and propagation of an attachment with a region's route table. */
    readonly routeTableBindings: { key: string; region: string; attachment: LinkPart }[];
    /** Static routes: destination range → attachment, in a region's transit-router route table. */
    readonly transitRoutes: { key: string; region: string; destination: string; attachment: LinkPart }[];
    /** VPC route entries: destination range → the VPC's own attachment (see `VpcRouteMode`). */
    readonly vpcRoutes: { key: string; vpc: string; destination: string; attachment: LinkPart }[];
}

/**
 * Every pair of regions, in rounds of disjoint pairs (the circle method): one region stays, the others
 * rotate; with an odd count a placeholder makes one region sit out each round.
 */
export function roundRobinPairs(regions: readonly string[]): { a: string; b: string; round: number }[] {
    const seats: (string | undefined)[] = regions.length % 2 === 0 ? [...regions] : [...regions, undefined];
    const pairs: { a: string; b: string; round: number }[] = [];
    for (let round = 0; round < seats.length - 1; round++) {
        for (let i = 0; i < seats.length / 2; i++) {
            const [x, y] = [seats[i], seats[seats.length - 1 - i]];
            if (x !== undefined && y !== undefined) {
                // Stryker disable next-line EqualityOperator: regions are distinct, so x <= y and x < y agree
                pairs.push({ a: x < y ? x : y, b: x < y ? y : x, round });
            }
        }
        seats.splice(1, 0, seats.pop());
    }
    return pairs;
}

/** Plans CEN for the given VPCs; keys are stable so adding a VPC only adds entries. */
export function planCen(vpcs: readonly CenVpc[], vpcRouteMode: VpcRouteMode = "private-blocks"): CenPlan {
    const regions = [...new Set(vpcs.map((v) => v.region))].sort();
    const vpcAttachments = vpcs.map((v) => ({ key: linkPart.vpc(v.key), vpc: v.key, region: v.region }));
    const peerAttachments = roundRobinPairs(regions).map((p) => ({ key: linkPart.peer(p.a, p.b), region: p.a, peerRegion: p.b, round: p.round }));

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
                attachment: region === v.region ? linkPart.vpc(v.key) : linkPart.peer(region, v.region),
            })),
        ),
    );

    const vpcRoutes = vpcs.flatMap((v) =>
        vpcRouteDestinations(v.peerCidrs, vpcRouteMode).map((cidr) => ({ key: `${v.key}/${cidr}`, vpc: v.key, destination: cidr, attachment: linkPart.vpc(v.key) })),
    );
    return { regions, vpcAttachments, peerAttachments, routeTableBindings, transitRoutes, vpcRoutes };
}
