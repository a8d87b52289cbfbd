import * as assert from "node:assert/strict";
import { pickZones, ZoneOffer } from "../../lib/alicloud/zones";

const offer = (extra: Partial<ZoneOffer> = {}): ZoneOffer => ({
    region: "cn-hangzhou",
    vswitchZones: ["cn-hangzhou-k", "cn-hangzhou-j", "cn-hangzhou-i", "cn-hangzhou-h"],
    instanceTypeZones: [
        { instanceType: "ecs.g7.xlarge", zones: ["cn-hangzhou-i", "cn-hangzhou-k"] },
        { instanceType: "ecs.g6.xlarge", zones: ["cn-hangzhou-j"] },
    ],
    ...extra,
});

describe("zones for a cluster", () => {
    it("takes the first zones in ID order where a vSwitch can be made and some worker type is on sale", () => {
        assert.deepEqual(pickZones(offer(), undefined, 2), { zones: ["cn-hangzhou-i", "cn-hangzhou-j"] });
        assert.deepEqual(pickZones(offer(), undefined, 3), { zones: ["cn-hangzhou-i", "cn-hangzhou-j", "cn-hangzhou-k"] });
    });

    it("on CEN, takes only zones where the transit router attaches", () => {
        assert.deepEqual(pickZones(offer({ transitRouterZones: ["cn-hangzhou-h", "cn-hangzhou-j", "cn-hangzhou-k"] }), undefined, 2), { zones: ["cn-hangzhou-j", "cn-hangzhou-k"] });
    });

    it("names what each zone lacks when too few qualify", () => {
        assert.deepEqual(pickZones(offer({ transitRouterZones: [] }), undefined, 2), {
            problem:
                "cn-hangzhou has no zone for the cluster, which needs 2: vSwitches can be made in cn-hangzhou-h, cn-hangzhou-i, cn-hangzhou-j, cn-hangzhou-k; the worker instance types are on sale ecs.g7.xlarge in cn-hangzhou-i, cn-hangzhou-k; ecs.g6.xlarge in cn-hangzhou-j; the transit router attaches in none. Choose other instance types, or another region",
        });
        assert.deepEqual(pickZones(offer({ vswitchZones: ["cn-hangzhou-i"] }), undefined, 2), {
            problem:
                "cn-hangzhou has only cn-hangzhou-i for the cluster, which needs 2: vSwitches can be made in cn-hangzhou-i; the worker instance types are on sale ecs.g7.xlarge in cn-hangzhou-i, cn-hangzhou-k; ecs.g6.xlarge in cn-hangzhou-j. Choose other instance types, or another region",
        });
    });

    it("lists every zone in the message, and says none where there is none", () => {
        assert.deepEqual(
            pickZones(
                offer({ vswitchZones: [], instanceTypeZones: [{ instanceType: "ecs.g5.xlarge", zones: [] }], transitRouterZones: ["cn-hangzhou-h", "cn-hangzhou-i"] }),
                undefined,
                2,
            ),
            {
                problem:
                    "cn-hangzhou has no zone for the cluster, which needs 2: vSwitches can be made in none; the worker instance types are on sale ecs.g5.xlarge in none; the transit router attaches in cn-hangzhou-h, cn-hangzhou-i. Choose other instance types, or another region",
            },
        );
        assert.match((pickZones(offer(), undefined, 4) as { problem: string }).problem, /^cn-hangzhou has only cn-hangzhou-i, cn-hangzhou-j, cn-hangzhou-k for the cluster, which needs 4:/);
    });

    it("keeps named zones that qualify, in the order given, and refuses each that does not, saying why", () => {
        assert.deepEqual(pickZones(offer(), ["cn-hangzhou-k", "cn-hangzhou-i"], 2), { zones: ["cn-hangzhou-k", "cn-hangzhou-i"] });
        assert.deepEqual(pickZones(offer({ vswitchZones: ["cn-hangzhou-i", "cn-hangzhou-j"], transitRouterZones: ["cn-hangzhou-i", "cn-hangzhou-j"] }), ["cn-hangzhou-h", "cn-hangzhou-i", "cn-hangzhou-k"], 3), {
            problem:
                "zones cn-hangzhou-h (no vSwitch can be made there; none of the worker instance types (ecs.g7.xlarge, ecs.g6.xlarge) is on sale there; the transit router cannot attach a VPC there), cn-hangzhou-k (no vSwitch can be made there; the transit router cannot attach a VPC there) cannot hold the cluster; zones that can: cn-hangzhou-i, cn-hangzhou-j",
        });
        assert.deepEqual(pickZones(offer({ instanceTypeZones: [{ instanceType: "ecs.g5.xlarge", zones: [] }] }), ["cn-hangzhou-h", "cn-hangzhou-i"], 2), {
            problem:
                "zones cn-hangzhou-h (none of the worker instance types (ecs.g5.xlarge) is on sale there), cn-hangzhou-i (none of the worker instance types (ecs.g5.xlarge) is on sale there) cannot hold the cluster; zones that can: none",
        });
    });
});
