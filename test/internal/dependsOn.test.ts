import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { withComponentDependsOn } from "../../lib/internal/dependsOn";
import { MockCloud, inspect } from "../harness/mocks";

describe("a component's dependsOn, passed on to its first children", () => {
    let a: pulumi.Resource;
    let b: pulumi.Resource;
    let c: pulumi.Resource;
    beforeEach(() => {
        MockCloud.install();
        [a, b, c] = ["a", "b", "c"].map((name) => new pulumi.ComponentResource("test:index:Thing", name));
    });

    it("is the children's own list when the component has none", () => {
        const own = [a];
        assert.equal(withComponentDependsOn(own, undefined), own);
        assert.equal(withComponentDependsOn(own, {}), own);
    });

    it("appends a list, or a single resource", () => {
        assert.deepEqual(withComponentDependsOn([a], { dependsOn: [b, c] }), [a, b, c]);
        assert.deepEqual(withComponentDependsOn([a], { dependsOn: b }), [a, b]);
    });

    it("appends a list, or a single resource, that is only known later", async () => {
        const later = withComponentDependsOn([a], { dependsOn: pulumi.output([b, c]) });
        assert.ok(pulumi.Output.isInstance(later));
        assert.deepEqual((await inspect(later as pulumi.Output<pulumi.Resource[]>)).value, [a, b, c]);
        const single = withComponentDependsOn([a], { dependsOn: pulumi.output(b) as unknown as pulumi.Input<pulumi.Resource[]> });
        assert.deepEqual((await inspect(single as pulumi.Output<pulumi.Resource[]>)).value, [a, b]);
    });
});
