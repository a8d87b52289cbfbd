import * as assert from "node:assert/strict";
import { CenVpc, planCen } from "../../lib/alicloud/cenPlan";

const vpc = (key: string, region: string, vpcCidr: string, extra: Partial<CenVpc> = {}): CenVpc => ({ key, region, vpcCidr, routedPodCidrs: [], peerCidrs: [], ...extra });

describe("CEN plan", () => {
    it("two regions: two attachments, one inter-region connection, bindings at both of its ends", () => {
        const plan = planCen([
            vpc("hz", "cn-hangzhou", "10.10.0.0/16", { peerCidrs: ["10.20.0.0/16"] }),
            vpc("sh", "cn-shanghai", "10.20.0.0/16", { peerCidrs: ["10.10.0.0/16"] }),
        ]);
        assert.deepEqual(plan.regions, ["cn-hangzhou", "cn-shanghai"]);
        assert.deepEqual(plan.vpcAttachments.map((a) => a.key), ["vpc:hz", "vpc:sh"]);
        assert.deepEqual(plan.peerAttachments, [{ key: "peer:cn-hangzhou~cn-shanghai", region: "cn-hangzhou", peerRegion: "cn-shanghai" }]);
        assert.deepEqual(plan.routeTableBindings.map((b) => b.key), [
            "cn-hangzhou/vpc:hz",
            "cn-shanghai/vpc:sh",
            "cn-hangzhou/peer:cn-hangzhou~cn-shanghai",
            "cn-shanghai/peer:cn-hangzhou~cn-shanghai",
        ]);
        assert.deepEqual(plan.vpcRoutes, [
            { key: "hz/10.20.0.0/16", vpc: "hz", destination: "10.20.0.0/16", attachment: "vpc:hz" },
            { key: "sh/10.10.0.0/16", vpc: "sh", destination: "10.10.0.0/16", attachment: "vpc:sh" },
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
        assert.deepEqual(plan.peerAttachments.map((p) => p.key), ["peer:cn-beijing~cn-hangzhou", "peer:cn-beijing~cn-shanghai", "peer:cn-hangzhou~cn-shanghai"]);
        assert.equal(plan.routeTableBindings.length, 3 + 2 * 3);
        assert.deepEqual(plan.transitRoutes.map((r) => [r.region, r.destination, r.attachment]), [
            ["cn-beijing", "172.16.0.0/16", "vpc:a"],
            ["cn-hangzhou", "172.16.0.0/16", "peer:cn-beijing~cn-hangzhou"],
            ["cn-shanghai", "172.16.0.0/16", "peer:cn-beijing~cn-shanghai"],
        ]);
    });

    it("adding a VPC in a known region adds only its own entries", () => {
        const two = planCen([vpc("a", "r1", "10.1.0.0/16"), vpc("b", "r2", "10.2.0.0/16")]);
        const three = planCen([vpc("a", "r1", "10.1.0.0/16"), vpc("b", "r2", "10.2.0.0/16"), vpc("c", "r1", "10.3.0.0/16")]);
        const keys = (p: typeof two) => [...p.vpcAttachments, ...p.peerAttachments, ...p.routeTableBindings].map((x) => x.key);
        assert.ok(keys(two).every((k) => keys(three).includes(k)));
        assert.deepEqual(keys(three).filter((k) => !keys(two).includes(k)), ["vpc:c", "r1/vpc:c"]);
    });
});
