import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { reportInputProblems } from "../../lib/model/problems";
import { validateTopology } from "../../lib/model/topology";
import { MockCloud } from "../harness/mocks";

async function capturingWarnings<T>(run: () => T): Promise<{ result?: T; error?: unknown; warnings: string[] }> {
    const warnings: string[] = [];
    const original = console.warn;
    console.warn = (message: string) => warnings.push(message);
    try {
        const result = run();
        await new Promise((resolve) => setImmediate(resolve));
        return { result, warnings };
    } catch (error) {
        return { error, warnings };
    } finally {
        console.warn = original;
    }
}

describe("reporting input problems from a component", () => {
    it("throws every error as one InputPropertiesError and shows every warning", async () => {
        MockCloud.install();
        const resource = new pulumi.ComponentResource("test:index:Mesh", "m", {});
        const report = validateTopology({
            meshId: "m",
            clusters: [
                { name: "a", role: "primary", network: "n1", podCidr: "10.0.0.0/16" },
                { name: "b", role: "primary", network: "n2", podCidr: "10.0.0.0/16" },
                { name: "B", role: "remote", network: "n1" },
            ],
        });
        const { error, warnings } = await capturingWarnings(() => reportInputProblems("Mesh m", report, resource));
        assert.ok(pulumi.InputPropertiesError.isInstance(error));
        assert.deepEqual(error.errors.map((e) => e.propertyPath), ["clusters[2].name", "clusters[2].controlPlane"]);
        assert.equal(
            error.message,
            ["Mesh m has 2 problems:", ...report.errors.map((e) => `  - ${e.propertyPath}: ${e.reason}`)].join("\n"),
        );
        assert.equal(warnings.length, 1);
        assert.match(warnings[0], /clusters\[1\]\.podCidr: .*allowed because the clusters are on different Istio networks/);
    });

    it("only warns when there are no errors", async () => {
        MockCloud.install();
        const resource = new pulumi.ComponentResource("test:index:Mesh", "ok", {});
        const { error, warnings } = await capturingWarnings(() =>
            reportInputProblems("Mesh ok", { errors: [], warnings: [{ propertyPath: "x", reason: "risky" }] }, resource),
        );
        assert.equal(error, undefined);
        assert.deepEqual(warnings, ["warning: [runtime] x: risky"]);
    });
});
