import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as path from "node:path";

/** Runs a mesh in a process where @pulumi/alicloud is not installed, and reads what it reports. */
function runWithoutAlicloud(mode: "existing" | "ack") {
    const program = path.join(__dirname, "programs", "withoutAlicloud.ts");
    const out = execFileSync(process.execPath, ["--require", "tsx/cjs", program, mode], { encoding: "utf8" });
    return JSON.parse(out.trim().split("\n").pop()!);
}

describe("@pulumi/alicloud is optional", () => {
    it("a mesh of existing clusters builds without it and never loads it", function () {
        this.timeout(120000);
        assert.deepEqual(runWithoutAlicloud("existing"), { failures: [], primaries: 2, alicloudModulesLoaded: 0 });
    });

    it("a mesh that makes ACK clusters says which clusters need it and what to install", function () {
        this.timeout(120000);
        const result = runWithoutAlicloud("ack");
        assert.equal(result.constructionError, 'Error: the mesh makes ACK clusters ("hangzhou", "shanghai"), which need the @pulumi/alicloud package: npm install @pulumi/alicloud');
        assert.equal(result.primaries, 0, "nothing is installed on a mesh that cannot be made");
    });
});
