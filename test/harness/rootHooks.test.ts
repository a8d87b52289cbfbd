import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";

/** Runs a spec under the root hooks in a mocha of its own, returning its exit status and JSON report. */
function runSpec(spec: string) {
    const run = spawnSync(
        process.execPath,
        [require.resolve("mocha/bin/mocha.js"), "--no-config", "--require", "tsx/cjs", "--require", path.join(__dirname, "rootHooks.ts"), "--extension", "ts", "--reporter", "json", path.join(__dirname, "fixtures", spec)],
        { encoding: "utf8", cwd: path.join(__dirname, "..", "..") },
    );
    const report = JSON.parse(run.stdout.slice(run.stdout.indexOf("{"))) as { failures: { title: string; err: { message: string } }[]; passes: { title: string }[] };
    return { status: run.status, report };
}

describe("root hooks", () => {
    it("fail the test whose program leaves the SDK waiting, and not one whose failure was collected", function () {
        this.timeout(120000);
        const { status, report } = runSpec("unsettled.spec.ts");
        assert.notEqual(status, 0, "mocha exited 0");
        assert.deepEqual(report.failures.map((f) => f.title), ['"after each" hook: afterEach for "registers a resource whose input never resolves"']);
        assert.match(report.failures[0].err.message, /the test's program left \d+ promises of the SDK unsettled: .*resource:stuck\[example:index:Thing\]/);
        assert.deepEqual(report.passes.map((p) => p.title), ["passes when its failure was collected: the engine would have ended it", "registers a resource whose input never resolves"], "mocha counts a test whose after-each hook fails as passed; the hook fails the run");
    });

    it("fail the test during which a program's promise is rejected with nobody awaiting it, with the message", () => {
        const { status, report } = runSpec("rejects.spec.ts");
        assert.notEqual(status, 0, "mocha exited 0");
        assert.deepEqual(report.failures.map((f) => f.title), ["registers a resource whose input waits on an unmocked invoke"]);
        assert.match(report.failures[0].err.message, /unhandled rejection during this test: .*unmocked invoke example:index:lookup/);
        assert.deepEqual(report.passes.map((p) => p.title), ["passes when nothing fails"]);
    });
});
