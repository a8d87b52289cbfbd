import { Problem } from "../model/problems";
import { parseCidr } from "../internal/cidr";

/** Where ACK's managed control plane reaches the API server from; a whitelist without it breaks the cluster. */
export const ackControlPlaneRange = "100.104.0.0/16";

/** Entries one CLB access control list holds. */
export const aclEntryLimit = 300;

/** Who may reach an ACK cluster's API server, beyond the cluster itself and ACK's control plane. */
export interface ApiServerAccessArgs {
    /**
     * Egress ranges of the machines that deploy and operate the cluster: CI runners, workstations, a NAT
     * gateway's EIP. Required while the public endpoint is on, because the kubeconfig points there.
     * @default none
     */
    readonly clientRanges?: readonly string[];
    /**
     * Clusters whose istiod reads this one (they hold its remote secret), with the ranges their requests
     * come from: their VPC (and Flannel pod range) across CEN, or their egress ranges over the internet.
     * @default none
     */
    readonly peers?: readonly { readonly name: string; readonly ranges: readonly string[] }[];
}

/** One whitelist entry with the reason it is there (the CLB keeps it as the entry's comment). */
export interface AllowListEntry {
    readonly entry: string;
    readonly comment: string;
}

/**
 * The API server's whitelist. The listener on 6443 of the API server's CLB serves both endpoints, so the
 * list admits, in this order: ACK's control plane, the cluster's own VPC ranges (nodes, Terway pods) and
 * Flannel pod range, the clients, and each peer's ranges; a range is listed once, under its first reason.
 */
export function apiServerAllowList(cluster: { clusterName: string; vpcCidrs: readonly string[]; podCidr?: string }, access: ApiServerAccessArgs = {}): AllowListEntry[] {
    const wanted: AllowListEntry[] = [
        { entry: ackControlPlaneRange, comment: "ACK control plane" },
        ...cluster.vpcCidrs.map((entry) => ({ entry, comment: `${cluster.clusterName} VPC` })),
        ...(cluster.podCidr ? [{ entry: cluster.podCidr, comment: `${cluster.clusterName} pods` }] : []),
        ...(access.clientRanges ?? []).map((entry) => ({ entry, comment: "clients" })),
        ...(access.peers ?? []).flatMap((peer) => peer.ranges.map((entry) => ({ entry, comment: `istiod in ${peer.name}` }))),
    ];
    const seen = new Set<string>();
    return wanted
        .map((e) => {
            const parsed = parseCidr(e.entry);
            return { ...e, entry: parsed.ok ? parsed.cidr.text : e.entry };
        })
        .filter((e) => !seen.has(e.entry) && seen.add(e.entry));
}

/**
 * What is wrong with an access setting, each at its field (relative to `apiServerAccess`); `ownRanges`
 * counts the entries the cluster itself needs (ACK's control plane, VPC ranges, pod range).
 */
export function apiServerAccessProblems(access: ApiServerAccessArgs | undefined, publicEndpoint: boolean, ownRanges: number): Problem[] {
    const problems: Problem[] = [];
    const checkRange = (path: string, range: string) => {
        const parsed = parseCidr(range);
        if (!parsed.ok) {
            problems.push({ propertyPath: path, reason: parsed.reason });
        } else if (parsed.cidr.family !== "ipv4") {
            problems.push({ propertyPath: path, reason: `${range} is IPv6; the API server's load balancer takes an IPv4 access list` });
        } else if (parsed.cidr.range[1] === 0) {
            problems.push({ propertyPath: path, reason: `${range} admits the whole internet to the API server; list the egress ranges of the machines that need it` });
        }
    };
    const clients = access?.clientRanges ?? [];
    if (publicEndpoint && clients.length === 0) {
        problems.push({
            propertyPath: "apiServerAccess.clientRanges",
            reason: "the API server's public endpoint is on: list the egress ranges of the machines that deploy and operate the cluster (CI runners, workstations), or turn the public endpoint off and deploy from inside the cluster's VPC (a runner elsewhere on CEN needs its range listed too)",
        });
    }
    clients.forEach((range, i) => checkRange(`apiServerAccess.clientRanges[${i}]`, range));
    (access?.peers ?? []).forEach((peer, i) => peer.ranges.forEach((range, j) => checkRange(`apiServerAccess.peers[${i}].ranges[${j}]`, range)));
    const entries = ownRanges + clients.length + (access?.peers ?? []).reduce((total, p) => total + p.ranges.length, 0);
    if (entries > aclEntryLimit) {
        problems.push({ propertyPath: "apiServerAccess", reason: `the API server's access list would hold up to ${entries} entries; a CLB access list holds ${aclEntryLimit}: summarize ranges` });
    }
    return problems;
}
