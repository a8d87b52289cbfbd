import { carveIpv4, parseCidr } from "../internal/cidr";
import { PodNetworking } from "../model/vocabulary";

/** Prefix of every vSwitch a VPC made by `AckCluster` gets. */
export const vswitchPrefix = 20;

/**
 * The vSwitch ranges of a VPC made by `AckCluster`: one /20 per zone for nodes, then (Terway) one per zone
 * for pods, carved in order from the VPC's range; undefined when the range is invalid or too small.
 */
export function vswitchRanges(vpcCidr: string, zoneCount: number, podNetworking: PodNetworking): { nodes: string[]; pods: string[] } | undefined {
    const block = parseCidr(vpcCidr);
    const carved = block.ok ? carveIpv4(block.cidr, vswitchPrefix, zoneCount * 2) : undefined;
    if (!carved) {
        return undefined;
    }
    return { nodes: carved.slice(0, zoneCount), pods: podNetworking === "terway" ? carved.slice(zoneCount) : [] };
}
