/** What a region offers a cluster, zone by zone, as Alibaba Cloud's APIs answer before anything exists. */
export interface ZoneOffer {
    readonly region: string;
    /** Zones where a vSwitch can be made. */
    readonly vswitchZones: readonly string[];
    /** For each worker instance type, the zones where it is on sale. */
    readonly instanceTypeZones: readonly { readonly instanceType: string; readonly zones: readonly string[] }[];
    /** Zones where the region's transit router attaches a VPC; undefined when the cluster is not on CEN. */
    readonly transitRouterZones?: readonly string[];
}

/**
 * The zones where a transit router attaches a VPC, from `cen.getTransitRouterAvailableResources`. The
 * provider returns empty lists for what the API leaves out: take every list there is.
 */
export function transitRouterZones(resources: readonly { availableZones?: string[]; masterZones?: string[]; slaveZones?: string[] }[]): string[] {
    return resources.flatMap((r) => [...(r.availableZones ?? []), ...(r.masterZones ?? []), ...(r.slaveZones ?? [])]);
}

/** Why each zone cannot hold the cluster ("" for a zone that can). */
function shortcomings(offer: ZoneOffer, zone: string): string {
    const missing: string[] = [];
    if (!offer.vswitchZones.includes(zone)) {
        missing.push("no vSwitch can be made there");
    }
    if (!offer.instanceTypeZones.some((t) => t.zones.includes(zone))) {
        missing.push(`none of the worker instance types (${offer.instanceTypeZones.map((t) => t.instanceType).join(", ")}) is on sale there`);
    }
    if (offer.transitRouterZones && !offer.transitRouterZones.includes(zone)) {
        missing.push("the transit router cannot attach a VPC there");
    }
    return missing.join("; ");
}

/**
 * The cluster's zones: the ones named, or the first `count` in ID order where a vSwitch can be made, a
 * worker instance type is on sale and (on CEN) the transit router attaches; or why there are none. A
 * node pool whose zones miss its instance types, or a VPC the transit router cannot attach, is otherwise
 * found only after the cluster exists.
 */
export function pickZones(offer: ZoneOffer, named: readonly string[] | undefined, count: number): { zones: string[] } | { problem: string } {
    if (named) {
        const refused = named.map((zone) => [zone, shortcomings(offer, zone)] as const).filter(([, why]) => why !== "");
        if (refused.length > 0) {
            return { problem: `zones ${refused.map(([zone, why]) => `${zone} (${why})`).join(", ")} cannot hold the cluster; zones that can: ${usable(offer).join(", ") || "none"}` };
        }
        return { zones: [...named] };
    }
    const zones = usable(offer);
    if (zones.length < count) {
        const types = offer.instanceTypeZones.map((t) => `${t.instanceType} in ${t.zones.join(", ") || "none"}`).join("; ");
        const transitRouter = offer.transitRouterZones ? `; the transit router attaches in ${offer.transitRouterZones.join(", ") || "none"}` : "";
        return {
            problem: `${offer.region} has ${zones.length === 0 ? "no zone" : `only ${zones.join(", ")}`} for the cluster, which needs ${count}: vSwitches can be made in ${[...offer.vswitchZones].sort().join(", ") || "none"}; the worker instance types are on sale ${types}${transitRouter}. Choose other instance types, or another region`,
        };
    }
    return { zones: zones.slice(0, count) };
}

function usable(offer: ZoneOffer): string[] {
    return [...new Set(offer.vswitchZones)].filter((zone) => shortcomings(offer, zone) === "").sort();
}
