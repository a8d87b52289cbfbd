import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { MeshConfig } from "../../lib/mesh/config";
import { checkedOnResolution, MeshInput } from "../../lib/mesh/inputs";
import { meshProblems } from "../../lib/mesh/validation";
import { MockCloud, inspect, programFailures } from "../harness/mocks";

const cluster = (name: string, apiServer: pulumi.Input<string>) => ({ name, role: "primary" as const, network: name, kubeconfig: "k", apiServer, eastWestGateway: { externalIPs: ["192.0.2.1"] } });
const checks = { apiServer: (v: string) => (v.startsWith("https://") ? undefined : "is not https"), apiServerCaPem: () => undefined };

describe("Inputs in the mesh config", () => {
    it("names a cluster entry or trust that is not an object at its path, without failing", () => {
        const { errors } = meshProblems({ meshId: "m", trust: "generated", clusters: [null, "c2"] } as unknown as MeshConfig);
        assert.deepEqual(errors.map((e) => `${e.propertyPath}: ${e.reason}`), ["mesh.trust: must be object", "mesh.clusters[0]: must be object", "mesh.clusters[1]: must be object"]);
    });

    it("leaves a config whose settings are all known as it is", () => {
        MockCloud.install();
        const config: MeshInput = { meshId: "m", clusters: [cluster("a", "https://a:6443")] };
        assert.equal(checkedOnResolution("mesh", config, checks, undefined as unknown as pulumi.Resource), config);
    });

    it("replaces each setting not known yet by its own value once checked, and leaves known ones as they are", async () => {
        MockCloud.install();
        const config: MeshInput = { meshId: "m", clusters: [cluster("a", pulumi.output("https://a:6443")), cluster("b", "https://b:6443"), cluster("c", pulumi.output("https://c:6443"))] };
        const checked = checkedOnResolution("mesh", config, checks, undefined as unknown as pulumi.Resource);
        assert.equal(checked.clusters[1].apiServer, "https://b:6443");
        assert.deepEqual([(await inspect(checked.clusters[0].apiServer as pulumi.Output<string>)).value, (await inspect(checked.clusters[2].apiServer as pulumi.Output<string>)).value], ["https://a:6443", "https://c:6443"]);
    });

    it("fails every setting not known yet when any of them is wrong, with every problem and its path", async () => {
        MockCloud.install();
        const config: MeshInput = { meshId: "m", clusters: [cluster("a", pulumi.output("https://a:6443")), cluster("b", pulumi.output("http://b:6443"))] };
        let outcomes: PromiseSettledResult<unknown>[] = [];
        // The check's own Output fails too, unobserved, as a program's would: the failure a deployment reports.
        const failures = await programFailures(async () => {
            const checked = checkedOnResolution("mesh", config, checks, undefined as unknown as pulumi.Resource);
            outcomes = await Promise.allSettled(checked.clusters.map((c) => inspect(c.apiServer as pulumi.Output<string>)));
        });
        assert.ok(failures.length > 0 && failures.every((f) => f.includes("mesh.clusters[1].apiServer: apiServer is not https")), failures.join("\n"));
        assert.equal(outcomes.length, 2);
        for (const outcome of outcomes) {
            assert.equal(outcome.status, "rejected", "the right value fails with the wrong one");
            const error = (outcome as PromiseRejectedResult).reason as unknown;
            assert.ok(pulumi.InputPropertiesError.isInstance(error), String(error));
            assert.deepEqual(error.errors, [{ propertyPath: "mesh.clusters[1].apiServer", reason: "apiServer is not https" }]);
        }
    });
});
