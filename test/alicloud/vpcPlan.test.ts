import * as assert from "node:assert/strict";
import { vswitchRanges } from "../../lib/alicloud/vpcPlan";

describe("vSwitches of a VPC made for a cluster", () => {
    it("carves a /20 per zone for nodes, then one per zone for Terway pods, in order", () => {
        assert.deepEqual(vswitchRanges("10.10.0.0/16", 2, "terway"), { nodes: ["10.10.0.0/20", "10.10.16.0/20"], pods: ["10.10.32.0/20", "10.10.48.0/20"] });
        assert.deepEqual(vswitchRanges("10.10.0.0/16", 3, "flannel"), { nodes: ["10.10.0.0/20", "10.10.16.0/20", "10.10.32.0/20"], pods: [] }, "Flannel pods need no vSwitch; the layout stays the same");
    });

    it("has no plan for a range that is not one, or too small", () => {
        assert.equal(vswitchRanges("10.10.0.0", 2, "terway"), undefined);
        assert.equal(vswitchRanges("10.10.0.0/19", 2, "terway"), undefined, "four /20s need a /18");
        assert.deepEqual(vswitchRanges("10.10.0.0/18", 2, "terway")?.pods, ["10.10.32.0/20", "10.10.48.0/20"]);
    });
});
