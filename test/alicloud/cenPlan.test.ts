import * as assert from "node:assert/strict";
import { CenVpc, planCen, roundRobinPairs, vpcRouteDestinations } from "../../lib/alicloud/cenPlan";

const vpc = (key: string, region: string, vpcCidr: string, extra: Partial<CenVpc> = {}): CenVpc => ({ key, region, vpcCidr, routedPodCidrs: [], peerCidrs: [], ...extra });

describe("CEN plan", () => {
    it("two regions: two attachments, one inter-region connection, bindings at both of its ends", () => {
        const plan = planCen([
            vpc("hz", "cn-hangzhou", "10.10.0.0/16", { peerCidrs: ["10.20.0.0/16"] }),
            vpc("sh", "cn-shanghai", "10.20.0.0/16", { peerCidrs: ["10.10.0.0/16"] }),
        ]);
        assert.deepEqual(plan.regions, ["cn-hangzhou", "cn-shanghai"]);
        assert.deepEqual(plan.vpcAttachments.map((a) => a.key), ["vpc:hz", "vpc:sh"]);
        assert.deepEqual(plan.peerAttachments, [{ key: "peer:cn-hangzhou~cn-shanghai", region: "cn-hangzhou", peerRegion: "cn-shanghai", round: 0 }]);
        assert.deepEqual(plan.routeTableBindings.map((b) => b.key), [
            "cn-hangzhou/vpc:hz",
            "cn-shanghai/vpc:sh",
            "cn-hangzhou/peer:cn-hangzhou~cn-shanghai",
            "cn-shanghai/peer:cn-hangzhou~cn-shanghai",
        ]);
        assert.deepEqual(plan.vpcRoutes, [
            { key: "hz/10.0.0.0/8", vpc: "hz", destination: "10.0.0.0/8", attachment: "vpc:hz" },
            { key: "sh/10.0.0.0/8", vpc: "sh", destination: "10.0.0.0/8", attachment: "vpc:sh" },
        ]);
        assert.deepEqual(plan.transitRoutes, []);
    });

    it("three regions: R(R−1)/2 connections; Flannel pod ranges routed statically in every region", () => {
        const plan = planCen([
            vpc("a", "cn-beijing", "10.1.0.0/16", { routedPodCidrs: ["172.16.0.0/16"] }),
            vpc("b", "cn-hangzhou", "10.2.0.0/16"),
            vpc("c", "cn-shanghai", "10.3.0.0/16"),
        ]);
        assert.equal(plan.peerAttachments.length, 3);
        assert.deepEqual(
            plan.peerAttachments.map((p) => [p.round, p.key]),
            [
                [0, "peer:cn-hangzhou~cn-shanghai"],
                [1, "peer:cn-beijing~cn-shanghai"],
                [2, "peer:cn-beijing~cn-hangzhou"],
            ],
            "three regions: one connection per round, each router sitting one round out",
        );
        assert.equal(plan.routeTableBindings.length, 3 + 2 * 3);
        assert.deepEqual(plan.transitRoutes.map((r) => [r.region, r.destination, r.attachment]), [
            ["cn-beijing", "172.16.0.0/16", "vpc:a"],
            ["cn-hangzhou", "172.16.0.0/16", "peer:cn-beijing~cn-hangzhou"],
            ["cn-shanghai", "172.16.0.0/16", "peer:cn-beijing~cn-shanghai"],
        ]);
    });

    it("adding a VPC in a known region adds only its own entries", () => {
        assert.deepEqual(planCen([vpc("b", "r2", "10.2.0.0/16"), vpc("a", "r1", "10.1.0.0/16")]).regions, ["r1", "r2"], "regions in order, whatever order the VPCs come in");
        const two = planCen([vpc("a", "r1", "10.1.0.0/16"), vpc("b", "r2", "10.2.0.0/16")]);
        const three = planCen([vpc("a", "r1", "10.1.0.0/16"), vpc("b", "r2", "10.2.0.0/16"), vpc("c", "r1", "10.3.0.0/16")]);
        const keys = (p: typeof two) => [...p.vpcAttachments, ...p.peerAttachments, ...p.routeTableBindings].map((x) => x.key);
        assert.ok(keys(two).every((k) => keys(three).includes(k)));
        assert.deepEqual(keys(three).filter((k) => !keys(two).includes(k)), ["vpc:c", "r1/vpc:c"]);
    });

    it("connects every pair of regions once, in rounds where no transit router takes part twice", () => {
        for (const count of [2, 3, 4, 5, 8, 9, 16]) {
            const regions = Array.from({ length: count }, (_, i) => `r${String(i).padStart(2, "0")}`);
            const pairs = roundRobinPairs(regions);
            assert.equal(pairs.length, (count * (count - 1)) / 2);
            assert.equal(new Set(pairs.map((p) => `${p.a}~${p.b}`)).size, pairs.length, "each pair once");
            assert.ok(pairs.every((p) => p.a < p.b));
            const rounds = Math.max(...pairs.map((p) => p.round)) + 1;
            assert.equal(rounds, count % 2 === 0 ? count - 1 : count);
            for (let round = 0; round < rounds; round++) {
                const busy = pairs.filter((p) => p.round === round).flatMap((p) => [p.a, p.b]);
                assert.equal(new Set(busy).size, busy.length, `round ${round} uses each router at most once`);
                assert.equal(busy.length, count % 2 === 0 ? count : count - 1);
            }
            assert.deepEqual(pairs.map((p) => p.round), [...pairs.map((p) => p.round)].sort((x, y) => x - y), "listed round by round");
        }
    });

    it("routes private blocks that hold peer ranges, so a VPC has at most three routes however many peers", () => {
        assert.deepEqual(vpcRouteDestinations(["10.1.0.0/16", "10.2.0.0/16", "172.20.0.0/16", "192.168.4.0/24"], "private-blocks"), [
            "10.0.0.0/8",
            "172.16.0.0/12",
            "192.168.0.0/16",
        ]);
        // Ranges outside RFC 1918 (shared address space, public ranges used privately) are routed as they are.
        assert.deepEqual(vpcRouteDestinations(["100.80.0.0/16", "11.0.0.0/16", "172.32.0.0/16", "10.3.0.0/16"], "private-blocks"), [
            "100.80.0.0/16",
            "11.0.0.0/16",
            "172.32.0.0/16",
            "10.0.0.0/8",
        ]);
        assert.deepEqual(vpcRouteDestinations(["10.1.0.0/16", "10.2.0.0/16"], "peer-ranges"), ["10.1.0.0/16", "10.2.0.0/16"]);
        assert.deepEqual(vpcRouteDestinations(["192.168.0.0/15"], "private-blocks"), ["192.168.0.0/15"], "a range wider than its private block is routed as it is");
        assert.deepEqual(vpcRouteDestinations(["fd00:10::/32"], "private-blocks"), ["fd00:10::/32"], "an IPv6 range lies in no IPv4 private block");
        const peers = Array.from({ length: 31 }, (_, i) => `10.${i + 1}.0.0/16`);
        const plan = planCen(peers.map((cidr, i) => vpc(`v${i}`, `r${i % 4}`, cidr, { peerCidrs: peers.filter((p) => p !== cidr) })));
        assert.equal(plan.vpcRoutes.length, 31, "one route per VPC, not N(N−1)");
        assert.equal(planCen(peers.map((cidr, i) => vpc(`v${i}`, `r${i % 4}`, cidr, { peerCidrs: peers.filter((p) => p !== cidr) })), "peer-ranges").vpcRoutes.length, 31 * 30);
    });
});
