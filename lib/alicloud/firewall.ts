import { Cidr, parseCidr } from "../internal/cidr";
import { ClusterRole, GatewayAddressType, GatewayNodePorts, meshPorts, PodNetworking } from "../model/vocabulary";
import { Problem } from "../model/problems";

/**
 * The least-privilege firewall of a mesh on Alibaba Cloud: which ECS prefix lists exist in which region,
 * what they hold, and which ingress rules each cluster's security group needs. Pure; ClusterNetworkLink
 * turns it into resources.
 *
 * Rules reference prefix lists, so a cluster's rule count stays constant as the mesh grows and only the
 * lists gain entries: with R regions and V VPCs the lists hold at most R×V entries per kind. Prefix lists
 * are regional, hence one list of each kind per region.
 */

/**
 * `maxEntries` of every prefix list. It cannot change after creation (a change replaces the list and
 * every rule using it), so it is fixed with headroom instead of derived from today's mesh. Small enough
 * that a cluster's four rules at most (cross-network, istiod's two, pods), each counted as its list's
 * capacity, fit a security group's quota beside ACK's own rules (see `ruleQuotaProblems`).
 */
export const defaultPrefixListMaxEntries = 40;

/** Rules one security group holds, inbound and outbound together (ECS's documented limit). */
export const defaultSecurityGroupRuleQuota = 200;

/** Rules kept free for those ACK puts in a cluster's security group itself (a handful today). */
export const ackReservedRules = 10;


export interface FirewallCluster {
    readonly name: string;
    readonly region: string;
    /** VPC identity; clusters sharing a VPC share its range. */
    readonly vpc: string;
    readonly vpcCidr: string;
    readonly network: string;
    readonly role: ClusterRole;
    readonly controlPlane?: string;
    /** `flannel`: pods on an overlay range, LB backends are nodes; `terway`: pods and LB backends are VPC ENIs. */
    readonly podNetworking: PodNetworking;
    /** The overlay pod range (Flannel). */
    readonly podCidr?: string;
    /** Terway: the pod vSwitches' ranges, where its pods get their addresses. */
    readonly podRanges?: readonly string[];
    /** The east-west gateway, when the cluster has one. */
    readonly eastWestGateway?: {
        readonly addressType: GatewayAddressType;
        /** Required with Flannel: the NodePorts the load balancer forwards to. */
        readonly nodePorts?: GatewayNodePorts;
        /** The gateway is reached on fixed node addresses (externalIPs), on the mesh ports themselves. */
        readonly fixedAddresses?: boolean;
        /** The gateway exposes istiod to remotes. */
        readonly exposesIstiod: boolean;
    };
}

export interface FirewallOptions {
    /**
     * Egress ranges of peers that reach internet-facing gateways (NAT gateway EIPs, on-prem ranges); only
     * these are admitted to an internet gateway.
     */
    readonly internetPeerRanges?: readonly string[];
    readonly maxEntries?: number;
    /** Rules a security group may hold. @default 200 */
    readonly ruleQuota?: number;
}

export type PrefixListKind = "mesh-vpcs" | `remote-vpcs-${string}` | "internet-peers" | `pods-${string}`;

export interface PrefixListPlan {
    /** Stable key: `<kind>@<region>`. */
    readonly key: string;
    readonly kind: PrefixListKind;
    readonly region: string;
    readonly entries: readonly { cidr: string; description: string }[];
    readonly maxEntries: number;
}

export interface RulePlan {
    /** Stable key, unique per cluster. */
    readonly key: string;
    readonly cluster: string;
    readonly ipProtocol: "tcp";
    /** `from/to`, as ECS writes port ranges. */
    readonly portRange: string;
    /** The prefix list (by key) the traffic must come from. */
    readonly prefixList: string;
    readonly description: string;
}

export interface FirewallPlan {
    readonly prefixLists: PrefixListPlan[];
    readonly rules: RulePlan[];
}

function port(p: number): string {
    return `${p}/${p}`;
}

/** The prefix lists and security-group rules a mesh needs; input is assumed validated. */
export function planFirewall(clusters: readonly FirewallCluster[], options: FirewallOptions = {}): FirewallPlan {
    const maxEntries = options.maxEntries ?? defaultPrefixListMaxEntries;
    const regions = [...new Set(clusters.map((c) => c.region))].sort();
    const lists = new Map<string, PrefixListPlan>();
    const list = (kind: PrefixListKind, region: string, entries: { cidr: string; description: string }[]) => {
        const key = `${kind}@${region}`;
        const unique = [...new Map(entries.map((e) => [e.cidr, e])).values()].sort((a, b) => a.cidr.localeCompare(b.cidr));
        lists.set(key, { key, kind, region, entries: unique, maxEntries });
        return key;
    };
    const vpcEntries = (members: readonly FirewallCluster[]) =>
        members.map((c) => ({ cidr: c.vpcCidr, description: `VPC of ${clusters.filter((o) => o.vpc === c.vpc).map((o) => o.name).join(", ")}` }));

    const rules: RulePlan[] = [];
    for (const cluster of clusters) {
        const gateway = cluster.eastWestGateway;
        if (gateway) {
            const ports = cluster.podNetworking === "flannel" && !gateway.fixedAddresses ? gateway.nodePorts! : meshPorts;
            const source =
                gateway.addressType === "intranet"
                    ? list("mesh-vpcs", cluster.region, vpcEntries(clusters))
                    : list("internet-peers", cluster.region, (options.internetPeerRanges ?? []).map((cidr) => ({ cidr, description: "peer egress" })));
            rules.push({
                key: `${cluster.name}/cross-network`,
                cluster: cluster.name,
                ipProtocol: "tcp",
                portRange: port(ports.crossNetwork),
                prefixList: source,
                description: `Istio cross-network traffic to the east-west gateway of ${cluster.name}`,
            });
            if (gateway.exposesIstiod) {
                // Stryker disable next-line ConditionalExpression: only remotes name a control plane (the topology refuses it on a primary)
                const remotes = clusters.filter((c) => c.role === "remote" && c.controlPlane === cluster.name);
                // Only this primary's own remotes reach its istiod.
                const istiodSource = gateway.addressType === "intranet" ? list(`remote-vpcs-${cluster.name}`, cluster.region, vpcEntries(remotes)) : source;
                if (remotes.length > 0 || gateway.addressType === "internet") {
                    for (const [name, p] of [["istiod-xds", ports.istiodXds], ["istiod-webhook", ports.istiodWebhook]] as const) {
                        rules.push({
                            key: `${cluster.name}/${name}`,
                            cluster: cluster.name,
                            ipProtocol: "tcp",
                            portRange: port(p),
                            prefixList: istiodSource,
                            description: `remote clusters to istiod of ${cluster.name} (${name === "istiod-xds" ? "xDS and certificates" : "injection webhook"})`,
                        });
                    }
                }
            }
        }
        // Flat network: pods of the same Istio network reach each other directly, on any port, from their
        // pod ranges only (Flannel's overlay range, Terway's pod vSwitches); nodes are not admitted.
        const flatPeers = clusters.filter((c) => c.network === cluster.network && c.vpc !== cluster.vpc);
        if (flatPeers.length > 0) {
            const podEntries = clusters
                .filter((c) => c.network === cluster.network)
                .flatMap((c) => (c.podNetworking === "flannel" ? [c.podCidr!] : (c.podRanges ?? [])).map((cidr) => ({ cidr, description: `pods of ${c.name}` })));
            rules.push({
                key: `${cluster.name}/pods`,
                cluster: cluster.name,
                ipProtocol: "tcp",
                portRange: "1/65535",
                prefixList: list(`pods-${cluster.network}`, cluster.region, podEntries),
                description: `pod-to-pod traffic on Istio network ${cluster.network}`,
            });
        }
    }
    const prefixLists = regions.flatMap((region) => [...lists.values()].filter((l) => l.region === region).sort((a, b) => a.key.localeCompare(b.key)));
    return { prefixLists, rules };
}

/** Problems that would open the firewall wider than the mesh needs, or break it; with field paths. */
export function firewallProblems(clusters: readonly FirewallCluster[], options: FirewallOptions = {}): Problem[] {
    const problems: Problem[] = [];
    (options.internetPeerRanges ?? []).forEach((range, i) => {
        const parsed = parseCidr(range);
        if (!parsed.ok) {
            problems.push({ propertyPath: `internetPeerRanges[${i}]`, reason: `internetPeerRanges entry ${parsed.reason}` });
        } else if (isEverything(parsed.cidr)) {
            problems.push({ propertyPath: `internetPeerRanges[${i}]`, reason: `${range} admits the whole internet; list the peers' egress ranges (NAT gateway EIPs, on-prem ranges)` });
        }
    });
    const internet = clusters.filter((c) => c.eastWestGateway?.addressType === "internet");
    if (internet.length > 0 && (options.internetPeerRanges ?? []).length === 0) {
        problems.push({
            propertyPath: "internetPeerRanges",
            reason: `${internet.map((c) => c.name).join(", ")} ${internet.length === 1 ? "has" : "have"} an internet-facing east-west gateway, which admits only internetPeerRanges; list the peers' egress ranges`,
        });
    }
    clusters.forEach((c, i) => {
        if (c.eastWestGateway && c.podNetworking === "flannel" && !c.eastWestGateway.nodePorts && !c.eastWestGateway.fixedAddresses) {
            problems.push({
                propertyPath: `clusters[${i}].eastWestGateway.nodePorts`,
                reason: `cluster "${c.name}" uses Flannel, so its load balancer forwards to NodePorts; pin them so the security group can admit exactly those`,
            });
        }
        const flat = clusters.some((o) => o !== c && o.network === c.network && o.vpc !== c.vpc);
        if (c.podNetworking === "flannel" && c.podCidr === undefined && clusters.some((o) => o !== c && o.network === c.network)) {
            problems.push({ propertyPath: `clusters[${i}].podCidr`, reason: `cluster "${c.name}" uses Flannel on a shared Istio network; its podCidr is needed to admit its peers' pods` });
        }
        if (c.podNetworking === "terway" && c.podCidr !== undefined) {
            problems.push({ propertyPath: `clusters[${i}].podCidr`, reason: `cluster "${c.name}" uses Terway, which gives pods VPC addresses from pod vSwitches; podCidr applies only to Flannel (give podRanges)` });
        }
        if (c.podNetworking === "terway" && (c.podRanges ?? []).length === 0 && flat) {
            problems.push({
                propertyPath: `clusters[${i}].podRanges`,
                reason: `cluster "${c.name}" uses Terway on an Istio network shared across VPCs; its pod vSwitches' ranges are needed to admit its pods, and only them, in its peers`,
            });
        }
        (c.podRanges ?? []).forEach((range, j) => {
            const parsed = parseCidr(range);
            if (!parsed.ok) {
                problems.push({ propertyPath: `clusters[${i}].podRanges[${j}]`, reason: `pod range ${parsed.reason}` });
            }
        });
    });
    const maxEntries = options.maxEntries ?? defaultPrefixListMaxEntries;
    if (!Number.isInteger(maxEntries) || maxEntries < 1 || maxEntries > 200) {
        problems.push({ propertyPath: "prefixListMaxEntries", reason: `prefixListMaxEntries must be a whole number from 1 to 200, not ${maxEntries}` });
    } else if (problems.length === 0) {
        const plan = planFirewall(clusters, options);
        for (const l of plan.prefixLists) {
            if (l.entries.length > maxEntries) {
                problems.push({ propertyPath: "prefixListMaxEntries", reason: `prefix list ${l.key} needs ${l.entries.length} entries but holds at most ${maxEntries}; raising it replaces the lists and their rules` });
            }
        }
        problems.push(...ruleQuotaProblems(plan, maxEntries, options.ruleQuota ?? defaultSecurityGroupRuleQuota));
    }
    return problems;
}

/**
 * Security groups the plan would fill past their quota. ECS does not say how a rule that references a
 * prefix list counts against it; on AWS it counts as the list's capacity, so that worst case is assumed.
 */
export function ruleQuotaProblems(plan: FirewallPlan, maxEntries: number, ruleQuota: number): Problem[] {
    const rulesPerCluster = new Map<string, number>();
    for (const rule of plan.rules) {
        rulesPerCluster.set(rule.cluster, (rulesPerCluster.get(rule.cluster) ?? 0) + 1);
    }
    const available = ruleQuota - ackReservedRules;
    return [...rulesPerCluster]
        .filter(([, rules]) => rules * maxEntries > available)
        .map(([cluster, rules]) => ({
            propertyPath: "prefixListMaxEntries",
            reason: `the security group of cluster "${cluster}" would hold ${rules} rules that reference prefix lists of ${maxEntries} entries, which count as ${rules * maxEntries} against its quota of ${ruleQuota} (with ${ackReservedRules} kept for ACK's own rules); lower prefixListMaxEntries to ${Math.floor(available / rules)} or less`,
        }));
}

function isEverything(cidr: Cidr): boolean {
    return cidr.range[1] === 0;
}
