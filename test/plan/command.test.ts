import * as assert from "node:assert/strict";
import { mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { planCommand, usage } from "../../lib/plan/cli";
import { programFailures } from "../harness/mocks";

/** A program folder outside the repository, using the repository's packages. */
function program(source: string, stackFiles: Record<string, string> = { "Pulumi.dev.yaml": "config:\n  p:greeting: hello\n" }): string {
    const dir = mkdtempSync(path.join(tmpdir(), "plan-program-"));
    writeFileSync(path.join(dir, "Pulumi.yaml"), "name: p\nruntime: nodejs\nmain: index.js\n");
    writeFileSync(path.join(dir, "index.js"), source);
    for (const [file, text] of Object.entries(stackFiles)) {
        writeFileSync(path.join(dir, file), text);
    }
    // The node_modules the tests run with, wherever the checkout is.
    symlinkSync(path.resolve(path.dirname(require.resolve("@pulumi/pulumi/package.json")), "..", ".."), path.join(dir, "node_modules"));
    return dir;
}

async function plan(argv: string[], cwd = tmpdir()): Promise<{ code: number; printed: string }> {
    const printed: string[] = [];
    let code = -1;
    // The command reports a failed program itself; the test's own watch for rejections stands aside meanwhile.
    await programFailures(async () => {
        code = await planCommand(argv, cwd, (line) => printed.push(line), (line) => printed.push(line));
    });
    return { code, printed: printed.join("\n") };
}

describe("istio-mesh-plan", () => {
    it("plans any program: its resources by type, its secrets redacted, under the program's own project and stack", async () => {
        const dir = program(
            [
                'const pulumi = require("@pulumi/pulumi");',
                'const k8s = require("@pulumi/kubernetes");',
                'const config = new pulumi.Config();',
                'new k8s.core.v1.Secret("greeting", { metadata: { name: "greeting" }, stringData: pulumi.secret({ text: config.require("greeting") }) });',
                'new k8s.core.v1.ConfigMap("plain", { metadata: { name: "plain" }, data: { text: config.require("greeting") } });',
            ].join("\n"),
        );
        const out = mkdtempSync(path.join(tmpdir(), "plan-out-"));
        const { code, printed } = await plan([dir, "--out", out]);
        assert.equal(code, 0, printed);
        const { readFileSync } = await import("node:fs");
        assert.match(readFileSync(path.join(out, "dev", "summary.md"), "utf8"), /\| `kubernetes:core\/v1:ConfigMap` \| 1 \|\n\| `kubernetes:core\/v1:Secret` \| 1 \|/);
        assert.match(readFileSync(path.join(out, "dev", "objects", "greeting.yaml"), "utf8"), /stringData: "\[secret\]"/);
        assert.match(readFileSync(path.join(out, "dev", "objects", "plain.yaml"), "utf8"), /text: hello/);
    });

    it("says in one message, with a non-zero exit, how a program failed", async () => {
        const thrown = await plan([program('throw new Error("no cluster named east");')]);
        assert.deepEqual(thrown, { code: 1, printed: "the program failed:\n  no cluster named east" });
        const refused = await plan([program('const k8s = require("@pulumi/kubernetes"); k8s.core.v1.Service.get("gw", "istio-system/gw");')]);
        assert.equal(refused.code, 1);
        assert.match(refused.printed, /^the program failed:\n {2}.*the stand-in cloud has no kubernetes:core\/v1:Service istio-system\/gw to read/);
        assert.doesNotMatch(refused.printed, /^\s+at /m, "no stack trace");
    });

    it("says what is missing: a program folder, a stack, its config, its packages", async () => {
        const empty = mkdtempSync(path.join(tmpdir(), "plan-empty-"));
        assert.deepEqual(await plan([empty]), { code: 1, printed: `${empty} holds no Pulumi.yaml: give the folder of a Pulumi program` });
        const dir = program("");
        assert.deepEqual(await plan([dir, "--stack", "prod"]), { code: 1, printed: `no stack prod in ${dir} (stacks: dev); name one with --stack, or give a stack file with --config` });
        const unpacked = mkdtempSync(path.join(tmpdir(), "plan-bare-"));
        writeFileSync(path.join(unpacked, "Pulumi.yaml"), "name: p\nruntime: nodejs\n");
        writeFileSync(path.join(unpacked, "Pulumi.dev.yaml"), "config: {}\n");
        assert.deepEqual(await plan([unpacked]), { code: 1, printed: `${unpacked} cannot load @pulumi/pulumi: run npm install in the program's folder first` });
        assert.deepEqual(await plan([]), { code: 2, printed: usage });
        assert.deepEqual(await plan([dir, "--stack"]), { code: 2, printed: usage });
        assert.deepEqual(await plan([dir, "--stak", "dev"]), { code: 2, printed: usage });
    });
});
