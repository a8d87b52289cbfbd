import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { MeshRootCa } from "../../lib";
import { programFailures } from "../harness/mocks";

describe("MeshRootCa under mocks that echo every resource's inputs", () => {
    it("stops naming the resource and the field its provider computes, not with a TypeError", async () => {
        // What a user's first unit test often does: every resource's state is its inputs.
        await pulumi.runtime.setMocks({ newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }), call: (args) => args.inputs }, "project", "stack", false);
        const failures = await programFailures(async () => {
            new MeshRootCa("ca", { clusters: ["c1"] });
            await new Promise((resolve) => setTimeout(resolve, 500));
        });
        assert.ok(failures.length > 0, "the program fails");
        for (const failure of failures) {
            assert.doesNotMatch(failure, /TypeError|Cannot read/);
        }
        assert.ok(
            failures.some((f) => f.includes("tls PrivateKey ca-root-key answered without privateKeyPem, which its provider computes and the mesh needs")),
            failures.join(" | "),
        );
    });

    it("takes an empty key or certificate for a missing one", async () => {
        const computed = { privateKeyPem: "", publicKeyPem: "", certPem: "", certRequestPem: "" };
        await pulumi.runtime.setMocks({ newResource: (args) => ({ id: `${args.name}-id`, state: { ...args.inputs, ...computed } }), call: (args) => args.inputs }, "project", "stack", false);
        const failures = await programFailures(async () => {
            new MeshRootCa("ca", { clusters: ["c1"] });
            await new Promise((resolve) => setTimeout(resolve, 500));
        });
        assert.ok(failures.some((f) => f.includes("tls PrivateKey ca-root-key answered without privateKeyPem")), failures.join(" | "));
    });
});
