import * as assert from "node:assert/strict";
import { MeshConfig } from "../../lib";
import { exampleStacks, runExample } from "../harness/examples";
import { orderingProblems } from "../harness/ordering";

describe("reliability: every resource waits for what it needs and for nothing of unrelated clusters", () => {
    for (const s of exampleStacks().filter((x) => x.example !== "mesh-root-ca")) {
        it(`${s.example}/${s.stack}`, async () => {
            const { cloud } = await runExample(s);
            const config = s.config[`${s.project}:mesh`] as MeshConfig;
            assert.deepEqual(orderingProblems(config, cloud.registrations), []);
        });
    }
});
