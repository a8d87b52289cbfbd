import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";

describe("root hooks", () => {
    it("fail the test during which a program's promise is rejected with nobody awaiting it, with the message", () => {
        const run = spawnSync(
            process.execPath,
            [require.resolve("mocha/bin/mocha.js"), "--no-config", "--require", "tsx/cjs", "--require", path.join(__dirname, "rootHooks.ts"), "--extension", "ts", "--reporter", "json", path.join(__dirname, "fixtures", "rejects.spec.ts")],
            { encoding: "utf8", cwd: path.join(__dirname, "..", "..") },
        );
        const report = JSON.parse(run.stdout.slice(run.stdout.indexOf("{"))) as { failures: { title: string; err: { message: string } }[]; passes: { title: string }[] };
        assert.notEqual(run.status, 0, "mocha exited 0");
        assert.deepEqual(report.failures.map((f) => f.title), ["registers a resource whose input waits on an unmocked invoke"]);
        assert.match(report.failures[0].err.message, /unhandled rejection during this test: .*unmocked invoke example:index:lookup/);
        assert.deepEqual(report.passes.map((p) => p.title), ["passes when nothing fails"]);
    });
});
