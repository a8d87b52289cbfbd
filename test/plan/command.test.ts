import * as assert from "node:assert/strict";
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { planCommand, usage } from "../../lib/plan/cli";
import { nodeModules } from "../harness/examples";
import { programFailures } from "../harness/mocks";

/** A program folder outside the repository, using the repository's packages. */
function program(source: string, stackFiles: Record<string, string> = { "Pulumi.dev.yaml": "config:\n  p:greeting: hello\n" }): string {
    const dir = mkdtempSync(path.join(tmpdir(), "plan-program-"));
    writeFileSync(path.join(dir, "Pulumi.yaml"), "name: p\nruntime: nodejs\nmain: app.js\n");
    writeFileSync(path.join(dir, "app.js"), source);
    for (const [file, text] of Object.entries(stackFiles)) {
        writeFileSync(path.join(dir, file), text);
    }
    // The node_modules the tests run with, wherever the checkout is.
    symlinkSync(nodeModules, path.join(dir, "node_modules"));
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
        assert.match(readFileSync(path.join(out, "dev", "summary.md"), "utf8"), /\| `kubernetes:core\/v1:ConfigMap` \| 1 \|\n\| `kubernetes:core\/v1:Secret` \| 1 \|/);
        assert.match(readFileSync(path.join(out, "dev", "objects", "greeting.yaml"), "utf8"), /stringData: "\[secret\]"/);
        assert.match(readFileSync(path.join(out, "dev", "objects", "plain.yaml"), "utf8"), /text: hello/);
        assert.equal(printed, `plan written to ${path.relative(tmpdir(), path.join(out, "dev"))}${path.sep} (summary.md, values/, objects/, cloud/, resources.json, diagram.mmd)`);
        const elsewhere = mkdtempSync(path.join(tmpdir(), "plan-cwd-"));
        assert.match((await plan([dir], elsewhere)).printed, new RegExp(`^plan written to plan-out\\${path.sep}${path.basename(dir)}\\${path.sep}dev\\${path.sep} `));
        const fromWithin = await plan([dir, "--out", ".."], path.join(out, "dev"));
        assert.equal(fromWithin.printed, `plan written to .${path.sep} (summary.md, values/, objects/, cloud/, resources.json, diagram.mmd)`);
        const againOut = path.relative(tmpdir(), mkdtempSync(path.join(tmpdir(), "plan-again-")));
        const again = await plan([dir, "--out", againOut, "--baseline", path.relative(tmpdir(), path.join(out, "dev"))]);
        assert.equal(again.printed, `plan written to ${path.join(againOut, "dev")}${path.sep} (summary.md, values/, objects/, cloud/, resources.json, diagram.mmd, changes.md)\n# Changes against the baseline plan\n\nNo changes.\n`);
        const noBaseline = mkdtempSync(path.join(tmpdir(), "plan-no-baseline-"));
        assert.deepEqual(await plan([dir, "--out", againOut, "--baseline", noBaseline]), { code: 1, printed: `${noBaseline} holds no resources.json: give the folder of an earlier plan of this stack` });
    });

    it("reads the stack file as the program would: its own project's keys, secure values as [secret], protected resources marked", async () => {
        const source = [
            'const pulumi = require("@pulumi/pulumi");',
            'const k8s = require("@pulumi/kubernetes");',
            "const config = new pulumi.Config();",
            'new k8s.core.v1.ConfigMap("settings", { metadata: { name: "settings" }, data: { token: config.require("token"), tls: config.require("tls") } }, { protect: true });',
            // The program runs as `pulumi up` runs it, not as a preview.
            'new k8s.core.v1.ConfigMap("other", { metadata: { name: "other" }, data: { preview: String(pulumi.runtime.isDryRun()) } });',
        ].join("\n");
        // `secure:` values cannot be decrypted offline; a setting that merely holds a `secure` flag is no secret.
        const dir = program(source, { "Pulumi.dev.yaml": "config:\n  p:token:\n    secure: v1:Y2lwaGVy\n  p:tls:\n    secure: true\n  q:mesh: {}\n" });
        const out = mkdtempSync(path.join(tmpdir(), "plan-out-"));
        const { code, printed } = await plan([dir, "--out", out]);
        assert.equal(code, 0, printed);
        const settings = readFileSync(path.join(out, "dev", "objects", "settings.yaml"), "utf8");
        assert.match(settings, /^ {2}token: "\[secret\]"$/m);
        assert.match(settings, /^ {2}tls: '\{"secure":true\}'$/m);
        assert.match(readFileSync(path.join(out, "dev", "objects", "other.yaml"), "utf8"), /^ {2}preview: "false"$/m);
        const planned = JSON.parse(readFileSync(path.join(out, "dev", "resources.json"), "utf8")) as { name: string; protect: boolean }[];
        assert.deepEqual(planned.map((r) => [r.name, r.protect]), [["other", false], ["settings", true]]);
        // A stack file written for another project plans as that project.
        const elsewhere = mkdtempSync(path.join(tmpdir(), "plan-config-"));
        writeFileSync(path.join(elsewhere, "Pulumi.staging.yaml"), "config:\n  q:token: t\n  q:tls: x\n  q:mesh: {}\n");
        const other = await plan([dir, "--config", path.join(elsewhere, "Pulumi.staging.yaml"), "--out", out]);
        assert.equal(other.code, 0, other.printed);
        assert.match(readFileSync(path.join(out, "staging", "objects", "settings.yaml"), "utf8"), /token: t\n/);
        // One with the program's own keys plans as the program's project, whatever else it holds.
        writeFileSync(path.join(elsewhere, "Pulumi.mixed.yaml"), "config:\n  p:token: mine\n  p:tls: x\n  q:mesh: {}\n");
        const mixed = await plan([dir, "--config", path.join(elsewhere, "Pulumi.mixed.yaml"), "--out", out]);
        assert.equal(mixed.code, 0, mixed.printed);
        assert.match(readFileSync(path.join(out, "mixed", "objects", "settings.yaml"), "utf8"), /token: mine\n/);
        writeFileSync(path.join(elsewhere, "Pulumi.bad.yaml"), "config: hello\n");
        assert.deepEqual(await plan([dir, "--config", path.join(elsewhere, "Pulumi.bad.yaml")]), {
            code: 1,
            printed: `${path.join(elsewhere, "Pulumi.bad.yaml")} has no config: section; a stack file (Pulumi.<stack>.yaml) holds the stack's settings under config:`,
        });
    });

    it("says in one message, with a non-zero exit, how a program failed", async () => {
        const thrown = await plan([program('throw new Error("no cluster named east\\n");')]);
        assert.deepEqual(thrown, { code: 1, printed: "the program failed:\n  no cluster named east" });
        assert.deepEqual(await plan([program("Promise.reject(undefined);")]), { code: 1, printed: "the program failed:\n  undefined" });
        const listeners = process.listenerCount("unhandledRejection");
        const twice = await plan([program('Promise.reject(new Error("first")); Promise.reject(new Error("second")); Promise.reject(new Error("first"));')]);
        assert.deepEqual(twice, { code: 1, printed: "the program failed:\n  first\n  second" }, "each failure once");
        assert.equal(process.listenerCount("unhandledRejection"), listeners, "the command's watch for failures ends with it");
        const refused = await plan([program('const k8s = require("@pulumi/kubernetes"); k8s.core.v1.Service.get("gw", "istio-system/gw");')]);
        assert.equal(refused.code, 1);
        assert.match(refused.printed, /^the program failed:\n {2}.*the stand-in cloud has no kubernetes:core\/v1:Service istio-system\/gw to read/);
        assert.doesNotMatch(refused.printed, /^\s+at /m, "no stack trace");
    });

    it("says what is missing: a program folder, a stack, its config, its packages", async () => {
        const empty = mkdtempSync(path.join(tmpdir(), "plan-empty-"));
        assert.deepEqual(await plan([empty]), { code: 1, printed: `${empty} holds no Pulumi.yaml: give the folder of a Pulumi program` });
        const unnamed = mkdtempSync(path.join(tmpdir(), "plan-unnamed-"));
        writeFileSync(path.join(unnamed, "Pulumi.yaml"), "runtime: nodejs\n");
        assert.deepEqual(await plan([unnamed]), { code: 1, printed: `${path.join(unnamed, "Pulumi.yaml")} names no project (name:)` });
        const stackless = program("", {});
        assert.deepEqual(await plan([stackless]), { code: 1, printed: `${stackless} holds no stack file (Pulumi.<stack>.yaml); give one with --config` });
        assert.deepEqual(await plan([stackless, "--stack", "dev"]), { code: 1, printed: `no stack dev in ${stackless} (stacks: none); name one with --stack, or give a stack file with --config` });
        const several = program("", { "Pulumi.zeta.yaml": "config: {}\n", "Pulumi.alpha.yaml": "config: {}\n", "old-Pulumi.beta.yaml": "config: {}\n", "Pulumi.gamma.yaml.orig": "config: {}\n" });
        assert.deepEqual(await plan([several, "--stack", "prod"]), { code: 1, printed: `no stack prod in ${several} (stacks: alpha, zeta); name one with --stack, or give a stack file with --config` });
        const dir = program("");
        assert.deepEqual(await plan([dir, "--stack", "prod"]), { code: 1, printed: `no stack prod in ${dir} (stacks: dev); name one with --stack, or give a stack file with --config` });
        const unpacked = mkdtempSync(path.join(tmpdir(), "plan-bare-"));
        writeFileSync(path.join(unpacked, "Pulumi.yaml"), "name: p\nruntime: nodejs\n");
        writeFileSync(path.join(unpacked, "Pulumi.dev.yaml"), "config: {}\n");
        assert.deepEqual(await plan([unpacked]), { code: 1, printed: `${unpacked} cannot load @pulumi/pulumi: run npm install in the program's folder first` });
        assert.deepEqual(await plan([]), { code: 2, printed: usage });
        assert.deepEqual(await plan([dir, "--stack"]), { code: 2, printed: usage });
        assert.deepEqual(await plan([dir, "--stak", "dev"]), { code: 2, printed: usage });
        assert.deepEqual(await plan([dir, "--verbose"]), { code: 2, printed: usage }, "an option the command does not know, without a value");
        assert.equal(usage, "usage: istio-mesh-plan <program folder> [--stack <name> | --config <Pulumi.<stack>.yaml>] [--out <folder>] [--baseline <earlier plan's <stack> folder>]");
    });
});
