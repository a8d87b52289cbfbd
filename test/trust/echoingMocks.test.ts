import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { MeshRootCa } from "../../lib";
import { loadBalancerAddress } from "../../lib/istio/releases";
import { programFailures, valueOf } from "../harness/mocks";

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

describe("a gateway's address under mocks that echo every resource's inputs", () => {
    it("stops naming the Service read and its missing status, not with a TypeError", async () => {
        await pulumi.runtime.setMocks({ newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }), call: (args) => args.inputs }, "project", "stack", false);
        let failure = "";
        await programFailures(async () => {
            const release = new k8s.helm.v3.Release("eastwest", { chart: "gateway", namespace: "istio-system" });
            failure = await valueOf(loadBalancerAddress("eastwest-service", release, {})).then(
                () => "resolved",
                (err: Error) => err.message,
            );
        });
        assert.equal(failure, "Kubernetes Service eastwest-service answered without status, which its provider computes and the mesh needs");
    });
});
