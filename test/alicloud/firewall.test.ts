import * as assert from "node:assert/strict";
import { FirewallCluster, firewallProblems, planFirewall } from "../../lib/alicloud/firewall";
import { parseCidr } from "../../lib/internal/cidr";

const cluster = (name: string, region: string, vpcCidr: string, extra: Partial<FirewallCluster> = {}): FirewallCluster => ({
    name,
    region,
    vpc: name,
    vpcCidr,
    network: `net-${name}`,
    role: "primary",
    podNetworking: "terway",
    eastWestGateway: { addressType: "intranet", exposesIstiod: false },
    ...extra,
});

describe("mesh firewall plan", () => {
    it("multi-primary over CEN: one VPC list per region, one 15443 rule per cluster, nothing else", () => {
        const plan = planFirewall([cluster("hz", "cn-hangzhou", "10.10.0.0/16"), cluster("sh", "cn-shanghai", "10.20.0.0/16")]);
        assert.deepEqual(
            plan.prefixLists.map((l) => [l.key, l.entries.map((e) => e.cidr), l.maxEntries]),
            [
                ["mesh-vpcs@cn-hangzhou", ["10.10.0.0/16", "10.20.0.0/16"], 40],
                ["mesh-vpcs@cn-shanghai", ["10.10.0.0/16", "10.20.0.0/16"], 40],
            ],
        );
        assert.deepEqual(
            plan.rules.map((r) => [r.cluster, r.ipProtocol, r.portRange, r.prefixList]),
            [
                ["hz", "tcp", "15443/15443", "mesh-vpcs@cn-hangzhou"],
                ["sh", "tcp", "15443/15443", "mesh-vpcs@cn-shanghai"],
            ],
        );
    });

    it("lists a shared VPC once, named for every cluster in it", () => {
        const plan = planFirewall([cluster("a", "r", "10.0.0.0/16", { vpc: "v" }), cluster("b", "r", "10.0.0.0/16", { vpc: "v" }), cluster("c", "r", "10.1.0.0/16")]);
        assert.deepEqual(plan.prefixLists[0].entries, [
            { cidr: "10.0.0.0/16", description: "VPC of a, b" },
            { cidr: "10.1.0.0/16", description: "VPC of c" },
        ]);
    });

    it("primary-remote across networks: istiod ports only from the remotes' VPCs, and both directions for 15443", () => {
        const plan = planFirewall([
            cluster("cp", "cn-beijing", "10.0.0.0/16", { eastWestGateway: { addressType: "intranet", exposesIstiod: true } }),
            cluster("dp", "cn-beijing", "10.1.0.0/16", { role: "remote", controlPlane: "cp" }),
        ]);
        assert.deepEqual(
            plan.rules.map((r) => [r.cluster, r.portRange, r.prefixList]),
            [
                ["cp", "15443/15443", "mesh-vpcs@cn-beijing"],
                ["cp", "15012/15012", "remote-vpcs-cp@cn-beijing"],
                ["cp", "15017/15017", "remote-vpcs-cp@cn-beijing"],
                ["dp", "15443/15443", "mesh-vpcs@cn-beijing"],
            ],
        );
        assert.deepEqual(plan.prefixLists.find((l) => l.key === "remote-vpcs-cp@cn-beijing")!.entries.map((e) => e.cidr), ["10.1.0.0/16"]);
    });

    it("admits to each primary's istiod only its own remotes", () => {
        const plan = planFirewall([
            cluster("p1", "r", "10.0.0.0/16", { eastWestGateway: { addressType: "intranet", exposesIstiod: true } }),
            cluster("p2", "r", "10.1.0.0/16", { eastWestGateway: { addressType: "intranet", exposesIstiod: true } }),
            cluster("r1", "r", "10.2.0.0/16", { role: "remote", controlPlane: "p1" }),
            cluster("r2", "r", "10.3.0.0/16", { role: "remote", controlPlane: "p2" }),
        ]);
        const entries = (key: string) => plan.prefixLists.find((l) => l.key === key)!.entries.map((e) => e.cidr);
        assert.deepEqual(entries("remote-vpcs-p1@r"), ["10.2.0.0/16"]);
        assert.deepEqual(entries("remote-vpcs-p2@r"), ["10.3.0.0/16"]);
    });

    it("admits to an internet-facing istiod the peer ranges, even for remotes it does not manage", () => {
        const internet = planFirewall([cluster("p", "r", "10.0.0.0/16", { eastWestGateway: { addressType: "internet", exposesIstiod: true } })], { internetPeerRanges: ["203.0.113.0/24"] });
        assert.deepEqual(
            internet.rules.map((r) => [r.portRange, r.prefixList]),
            [
                ["15443/15443", "internet-peers@r"],
                ["15012/15012", "internet-peers@r"],
                ["15017/15017", "internet-peers@r"],
            ],
        );
        assert.deepEqual(internet.prefixLists.find((l) => l.key === "internet-peers@r")!.entries, [{ cidr: "203.0.113.0/24", description: "peer egress" }]);
        // Inside the VPC, istiod opens only to remotes the plan knows.
        const intranet = planFirewall([cluster("p", "r", "10.0.0.0/16", { eastWestGateway: { addressType: "intranet", exposesIstiod: true } })]);
        assert.deepEqual(intranet.rules.map((r) => r.portRange), ["15443/15443"]);
    });

    it("says in every rule and entry whom it admits, and admits to a flat network only that network's pods", () => {
        const plan = planFirewall([
            cluster("cp", "r", "10.0.0.0/16", { network: "flat", podNetworking: "flannel", podCidr: "172.20.0.0/16", eastWestGateway: { addressType: "intranet", exposesIstiod: true, fixedAddresses: true } }),
            cluster("dp", "r", "10.1.0.0/16", { network: "flat", role: "remote", controlPlane: "cp", eastWestGateway: undefined, podRanges: ["10.1.32.0/20", "10.1.48.0/20"] }),
            cluster("other", "r", "10.2.0.0/16", { network: "apart", podNetworking: "flannel", podCidr: "172.22.0.0/16", eastWestGateway: undefined }),
        ]);
        assert.deepEqual(
            plan.rules.map((r) => [r.key, r.description]),
            [
                ["cp/cross-network", "Istio cross-network traffic to the east-west gateway of cp"],
                ["cp/istiod-xds", "remote clusters to istiod of cp (xDS and certificates)"],
                ["cp/istiod-webhook", "remote clusters to istiod of cp (injection webhook)"],
                ["cp/pods", "pod-to-pod traffic on Istio network flat"],
                ["dp/pods", "pod-to-pod traffic on Istio network flat"],
            ],
        );
        assert.deepEqual(plan.prefixLists.map((l) => l.key), ["mesh-vpcs@r", "pods-flat@r", "remote-vpcs-cp@r"], "a region's lists by key");
        assert.deepEqual(
            plan.prefixLists.find((l) => l.key === "pods-flat@r")?.entries,
            [
                { cidr: "10.1.32.0/20", description: "pods of dp" },
                { cidr: "10.1.48.0/20", description: "pods of dp" },
                { cidr: "172.20.0.0/16", description: "pods of cp" },
            ],
            "Terway pods from their pod vSwitches, not the whole VPC",
        );
    });

    it("plans the same lists whatever order the clusters come in", () => {
        const hz = cluster("hz", "cn-hangzhou", "10.10.0.0/16");
        const sh = cluster("sh", "cn-shanghai", "10.20.0.0/16");
        const keys = (clusters: FirewallCluster[]) => planFirewall(clusters).prefixLists.map((l) => l.key);
        assert.deepEqual(keys([sh, hz]), ["mesh-vpcs@cn-hangzhou", "mesh-vpcs@cn-shanghai"]);
        assert.deepEqual(keys([sh, hz]), keys([hz, sh]));
    });

    it("opens the mesh ports themselves for a Flannel gateway on fixed addresses", () => {
        const plan = planFirewall([cluster("a", "r", "10.0.0.0/16", { podNetworking: "flannel", podCidr: "172.20.0.0/16", eastWestGateway: { addressType: "intranet", exposesIstiod: false, fixedAddresses: true } })]);
        assert.deepEqual(plan.rules.map((r) => r.portRange), ["15443/15443"]);
        assert.deepEqual(firewallProblems([cluster("a", "r", "10.0.0.0/16", { podNetworking: "flannel", podCidr: "172.20.0.0/16", eastWestGateway: { addressType: "intranet", exposesIstiod: false, fixedAddresses: true } })]), []);
    });

    it("flat network with Flannel: pod-to-pod from peers' pod ranges, gateway rules on pinned NodePorts", () => {
        const nodePorts = { crossNetwork: 31443, istiodXds: 31012, istiodWebhook: 31017 };
        const plan = planFirewall([
            cluster("cp", "cn-hangzhou", "10.0.0.0/16", { network: "net1", podNetworking: "flannel", podCidr: "172.20.0.0/16", eastWestGateway: { addressType: "intranet", exposesIstiod: true, nodePorts } }),
            cluster("dp", "cn-shanghai", "10.1.0.0/16", { network: "net1", podNetworking: "flannel", podCidr: "172.21.0.0/16", role: "remote", controlPlane: "cp", eastWestGateway: undefined }),
        ]);
        assert.deepEqual(
            plan.rules.map((r) => [r.cluster, r.portRange, r.prefixList]),
            [
                ["cp", "31443/31443", "mesh-vpcs@cn-hangzhou"],
                ["cp", "31012/31012", "remote-vpcs-cp@cn-hangzhou"],
                ["cp", "31017/31017", "remote-vpcs-cp@cn-hangzhou"],
                ["cp", "1/65535", "pods-net1@cn-hangzhou"],
                ["dp", "1/65535", "pods-net1@cn-shanghai"],
            ],
        );
        assert.deepEqual(plan.prefixLists.find((l) => l.key === "pods-net1@cn-shanghai")!.entries.map((e) => e.cidr), ["172.20.0.0/16", "172.21.0.0/16"]);
    });

    it("grows rules linearly and list entries with VPCs per region, never the square", () => {
        for (const n of [2, 4, 8, 16]) {
            const clusters = Array.from({ length: n }, (_, i) => cluster(`c${i}`, ["cn-hangzhou", "cn-shanghai"][i % 2], `10.${i}.0.0/16`));
            const plan = planFirewall(clusters);
            assert.equal(plan.rules.length, n, "one rule per cluster");
            assert.equal(plan.prefixLists.length, 2, "one list per region");
            assert.equal(plan.prefixLists.reduce((sum, l) => sum + l.entries.length, 0), 2 * n, "regions × VPCs entries");
        }
    });

    it("admits internet-facing gateways only from the configured peer ranges", () => {
        const plan = planFirewall([cluster("a", "cn-hangzhou", "10.0.0.0/16", { eastWestGateway: { addressType: "internet", exposesIstiod: false } })], {
            internetPeerRanges: ["203.0.113.10/32", "198.51.100.0/24"],
        });
        assert.deepEqual(plan.prefixLists.map((l) => [l.key, l.entries.map((e) => e.cidr)]), [["internet-peers@cn-hangzhou", ["198.51.100.0/24", "203.0.113.10/32"]]]);
        assert.deepEqual(plan.rules.map((r) => r.prefixList), ["internet-peers@cn-hangzhou"]);

        // Without peer ranges (which validation rejects) the plan still fails closed: an empty list admits no one.
        const closed = planFirewall([cluster("a", "cn-hangzhou", "10.0.0.0/16", { eastWestGateway: { addressType: "internet", exposesIstiod: false } })]);
        assert.deepEqual(closed.prefixLists.map((l) => [l.key, l.entries]), [["internet-peers@cn-hangzhou", []]]);
    });

    it("never opens a rule to the whole internet or a port outside the mesh set", () => {
        const plan = planFirewall(
            [
                cluster("cp", "cn-hangzhou", "10.0.0.0/16", { network: "n", eastWestGateway: { addressType: "intranet", exposesIstiod: true } }),
                cluster("dp", "cn-hangzhou", "10.1.0.0/16", { network: "n", role: "remote", controlPlane: "cp" }),
            ],
        );
        for (const list of plan.prefixLists) {
            assert.ok(list.entries.every((e) => !e.cidr.endsWith("/0")), list.key);
            assert.ok(list.entries.every((e) => parseCidr(e.cidr).ok), `${list.key}: ranges only`);
        }
        // Terway clusters without pod ranges (which the checks refuse here) admit no pods: the plan fails closed.
        assert.deepEqual(plan.prefixLists.find((l) => l.key === "pods-n@cn-hangzhou")?.entries, []);
        const allowed = new Set(["15443/15443", "15012/15012", "15017/15017", "1/65535"]);
        assert.ok(plan.rules.every((r) => allowed.has(r.portRange)));
        assert.ok(plan.rules.filter((r) => r.portRange === "1/65535").every((r) => r.prefixList.startsWith("pods-")), "all ports only between pods of one flat network");
    });

    it("rejects what would open too much or cannot work", () => {
        assert.deepEqual(
            firewallProblems([cluster("a", "r", "10.0.0.0/16", { eastWestGateway: { addressType: "internet", exposesIstiod: false } })], { internetPeerRanges: ["0.0.0.0/0"] }),
            [{ propertyPath: "internetPeerRanges[0]", reason: "0.0.0.0/0 admits the whole internet; list the peers' egress ranges (NAT gateway EIPs, on-prem ranges)" }],
        );
        assert.deepEqual(firewallProblems([cluster("a", "r", "10.0.0.0/16", { eastWestGateway: { addressType: "internet", exposesIstiod: false } })]).map((p) => p.propertyPath), ["internetPeerRanges"]);
        assert.deepEqual(
            firewallProblems([cluster("a", "r", "10.0.0.0/16", { eastWestGateway: { addressType: "internet", exposesIstiod: false } })], { internetPeerRanges: ["203.0.113.0/24", "nat-eip"] }),
            [{ propertyPath: "internetPeerRanges[1]", reason: `internetPeerRanges entry "nat-eip" is not a CIDR block (expected a form like 10.0.0.0/16)` }],
        );
        assert.deepEqual(firewallProblems([cluster("a", "r", "10.0.0.0/16", { podNetworking: "flannel", podCidr: "172.20.0.0/16" })]), [
            {
                propertyPath: "clusters[0].eastWestGateway.nodePorts",
                reason: `cluster "a" uses Flannel, so its load balancer forwards to NodePorts; pin them so the security group can admit exactly those`,
            },
        ]);
        assert.deepEqual(
            firewallProblems([
                cluster("a", "r", "10.0.0.0/16", { network: "flat", podNetworking: "flannel", eastWestGateway: undefined }),
                cluster("b", "r", "10.1.0.0/16", { network: "flat", eastWestGateway: undefined, podRanges: ["10.1.32.0/20"] }),
                cluster("c", "r", "10.2.0.0/16", { network: "alone", podNetworking: "flannel", eastWestGateway: undefined }),
            ]),
            [{ propertyPath: "clusters[0].podCidr", reason: `cluster "a" uses Flannel on a shared Istio network; its podCidr is needed to admit its peers' pods` }],
        );
        assert.deepEqual(
            firewallProblems([
                cluster("a", "r", "10.0.0.0/16", { network: "flat", eastWestGateway: undefined, podRanges: ["10.0.32.0/20", "10.0.48"] }),
                cluster("b", "r", "10.1.0.0/16", { network: "flat", eastWestGateway: undefined }),
                cluster("c", "r", "10.2.0.0/16", { network: "alone", eastWestGateway: undefined }),
                cluster("d", "r", "10.2.0.0/16", { network: "alone", vpc: "c", eastWestGateway: undefined }),
            ]),
            [
                { propertyPath: "clusters[0].podRanges[1]", reason: `pod range "10.0.48" is not a CIDR block (expected a form like 10.0.0.0/16)` },
                {
                    propertyPath: "clusters[1].podRanges",
                    reason: `cluster "b" uses Terway on an Istio network shared across VPCs; its pod vSwitches' ranges are needed to admit its pods, and only them, in its peers`,
                },
            ],
            "Terway clusters sharing one VPC need no pod rule, so no ranges",
        );
        assert.deepEqual(firewallProblems([cluster("a", "r", "10.0.0.0/16", { podCidr: "172.20.0.0/16", podRanges: ["10.0.32.0/20"] })]), [
            {
                propertyPath: "clusters[0].podCidr",
                reason: `cluster "a" uses Terway, which gives pods VPC addresses from pod vSwitches; podCidr applies only to Flannel (give podRanges)`,
            },
        ]);
        for (const maxEntries of [0, 201, 2.5]) {
            assert.deepEqual(firewallProblems([cluster("a", "r", "10.0.0.0/16")], { maxEntries }), [
                { propertyPath: "prefixListMaxEntries", reason: `prefixListMaxEntries must be a whole number from 1 to 200, not ${maxEntries}` },
            ]);
        }
        assert.deepEqual(firewallProblems([cluster("a", "r", "10.0.0.0/16")], { maxEntries: 190 }), []);
        assert.deepEqual(firewallProblems([cluster("a", "r", "10.0.0.0/16")], { maxEntries: 200, ruleQuota: 1000 }), [], "a raised quota");
        const internetTwo = [cluster("a", "r", "10.0.0.0/16", { eastWestGateway: { addressType: "internet", exposesIstiod: false } }), cluster("b", "r", "10.1.0.0/16", { eastWestGateway: { addressType: "internet", exposesIstiod: false } })];
        assert.deepEqual(firewallProblems(internetTwo), [
            { propertyPath: "internetPeerRanges", reason: "a, b have an internet-facing east-west gateway, which admits only internetPeerRanges; list the peers' egress ranges" },
        ]);
        assert.deepEqual(firewallProblems(internetTwo.slice(0, 1)).map((p) => p.reason), ["a has an internet-facing east-west gateway, which admits only internetPeerRanges; list the peers' egress ranges"]);
        const crowded = Array.from({ length: 6 }, (_, i) => cluster(`c${i}`, "r", `10.${i}.0.0/16`));
        assert.deepEqual(firewallProblems(crowded, { maxEntries: 5 }), [
            { propertyPath: "prefixListMaxEntries", reason: "prefix list mesh-vpcs@r needs 6 entries but holds at most 5; raising it replaces the lists and their rules" },
        ]);
        assert.deepEqual(firewallProblems(crowded, { maxEntries: 500 }).map((p) => p.propertyPath), ["prefixListMaxEntries"]);
        assert.deepEqual(firewallProblems(crowded, { maxEntries: 6 }), [], "a list filled exactly to its capacity fits");
    });

    it("fits every security group's quota, counting each rule as its prefix list's capacity, with room for ACK's own", () => {
        const nodePorts = undefined;
        const busiest = [
            cluster("cp", "r", "10.0.0.0/16", { network: "n", eastWestGateway: { addressType: "intranet", exposesIstiod: true, nodePorts }, podRanges: ["10.0.32.0/20"] }),
            cluster("dp", "r", "10.1.0.0/16", { network: "n", role: "remote", controlPlane: "cp", eastWestGateway: undefined, podRanges: ["10.1.32.0/20"] }),
        ];
        assert.equal(planFirewall(busiest).rules.filter((r) => r.cluster === "cp").length, 4, "cross-network, istiod's two, pods: the most a cluster has");
        assert.deepEqual(firewallProblems(busiest), [], "the default capacity fits the most rules a cluster has");
        assert.deepEqual(firewallProblems(busiest, { maxEntries: 47 }), [], "4 × 47 + 10 = 198");
        assert.deepEqual(firewallProblems(busiest, { maxEntries: 48 }), [
            {
                propertyPath: "prefixListMaxEntries",
                reason: `the security group of cluster "cp" would hold 4 rules that reference prefix lists of 48 entries, which count as 192 against its quota of 200 (with 10 kept for ACK's own rules); lower prefixListMaxEntries to 47 or less`,
            },
        ]);
        assert.deepEqual(firewallProblems(busiest, { maxEntries: 100 }).map((p) => p.reason.split(" would")[0]), ['the security group of cluster "cp"'], "dp's one rule counts 100: it fits");
        assert.deepEqual(firewallProblems(busiest, { maxEntries: 100, ruleQuota: 410 }), [], "a quota raised for the account");
    });
});
