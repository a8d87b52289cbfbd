import * as assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { exampleStacks, examplesDir } from "../harness/examples";
import { looksSensitive } from "../harness/secrets";
import { PlannedResource } from "../../lib/plan/changes";
import { planFiles } from "../../lib/plan/offlinePlan";
import { StandInResource } from "../../lib/testing";
import { main, planFileName, writePlan } from "./plan";

function files(dir: string): Record<string, string> {
    const out: Record<string, string> = {};
    const walk = (d: string) => {
        for (const entry of readdirSync(d).sort()) {
            const full = path.join(d, entry);
            if (statSync(full).isDirectory()) {
                walk(full);
            } else {
                out[path.relative(dir, full)] = readFileSync(full, "utf8");
            }
        }
    };
    walk(dir);
    return out;
}

describe("offline plan", () => {
    for (const s of exampleStacks().filter((s) => s.example !== "mesh-root-ca")) {
        it(`${s.example}/${s.stack}: writes summary, values, objects and diagram, byte-identical across runs, secrets redacted`, async () => {
            const first = files(await writePlan(s.example, s.stack, mkdtempSync(path.join(tmpdir(), "plan-a-"))));
            const second = files(await writePlan(s.example, s.stack, mkdtempSync(path.join(tmpdir(), "plan-b-"))));
            assert.deepEqual(second, first);
            assert.ok(first["summary.md"].startsWith(`# Plan: ${s.example}, stack ${s.stack}\n`));
            assert.match(first["summary.md"], /```mermaid\nflowchart LR/);
            assert.ok(Object.keys(first).some((f) => f.startsWith("values/") && f.endsWith("-istiod.yaml")));
            assert.ok(Object.keys(first).some((f) => f.startsWith("objects/")));
            for (const [name, text] of Object.entries(first)) {
                assert.ok(!looksSensitive(text), `${name} holds a key or token`);
                // Nothing made up may pass for real: no certificate, and no address in Istio's values or objects
                // outside the documentation range (cloud/ and resources.json hold ACK's own ranges, which are real).
                assert.ok(!text.includes("-----BEGIN"), `${name} holds a made-up certificate that looks real`);
                const addresses = name.startsWith("cloud/") || name === "resources.json" ? [] : (text.match(/\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/g) ?? []).filter((ip) => !JSON.stringify(s.config).includes(ip));
                assert.deepEqual(addresses.filter((ip) => !ip.startsWith("192.0.2.")), [], `${name}: addresses neither configured nor from 192.0.2.0/24`);
            }
            // resources.json holds what the stack would create, as summary.md counts it, each in its file.
            const planned = JSON.parse(first["resources.json"]) as PlannedResource[];
            assert.match(first["summary.md"], new RegExp(`^${planned.length} resources \\(\\d+ components\\)`, "m"));
            for (const r of planned) {
                assert.ok(!("__provider" in r.inputs), `${r.name}: a dynamic provider's code is no input`);
                const file = `${planFileName(r.name)}.yaml`;
                const folder = r.type === "kubernetes:helm.sh/v3:Release" ? "values" : r.type.startsWith("kubernetes:") ? "objects" : r.type.startsWith("pulumi:providers:") ? undefined : "cloud";
                if (folder === "cloud") {
                    assert.ok(first[`cloud/${file}`].endsWith(`type: ${r.type}\n`), `cloud/${file}`);
                    assert.ok(!first[`cloud/${file}`].includes("__provider"), `cloud/${file}`);
                } else if (folder) {
                    assert.ok(first[`${folder}/${file}`], `${folder}/${file}`);
                }
            }
            const madeObjects = planned.filter((r) => r.type.startsWith("kubernetes:") && r.type !== "kubernetes:helm.sh/v3:Release").map((r) => `objects/${planFileName(r.name)}.yaml`);
            assert.deepEqual(Object.keys(first).filter((f) => f.startsWith("objects/")).sort(), [...new Set(madeObjects)].sort(), "objects/ holds what the stack makes, not what it reads");
            // The mesh's root of trust is protected: a replacement of it would say that Pulumi refuses.
            assert.deepEqual(planned.filter((r) => r.protect).map((r) => r.name).sort(), ["mesh-ca-root-cert", "mesh-ca-root-key"]);
            const ids = Object.entries(first).filter(([name]) => name.startsWith("cloud/")).flatMap(([, text]) => text.match(/(?<=(?:^|[:-]) "?)(?:c|np|vpc|vsw|vtb|sg|lb|cen|tr|rt|acl|pl)-[a-z0-9-]+/gm) ?? []);
            assert.deepEqual(ids, [], "no cloud ID that looks real");
        });
    }

    it("lists resources by type, then name, and counts each target's types in that order", () => {
        // The second type's name begins with the first's: type and name run together would interleave them.
        const resource = (type: string, name: string): StandInResource => ({ type, name, inputs: {}, secretInputs: [], custom: true, state: {} });
        const plan = planFiles("t", [resource("acme:index:Db", "zeta"), resource("acme:index:DbBackup", "alpha"), resource("acme:index:Db", "alpha")], undefined, new Set());
        const listed = (JSON.parse(plan.get("resources.json")!) as PlannedResource[]).map((r) => `${r.type} ${r.name}`);
        assert.deepEqual(listed, ["acme:index:Db alpha", "acme:index:Db zeta", "acme:index:DbBackup alpha"]);
        assert.match(plan.get("summary.md")!, /\| `acme:index:Db` \| 2 \|\n\| `acme:index:DbBackup` \| 1 \|/);
    });

    it("names a resource's file after it, each run of other characters one underscore", () => {
        assert.equal(planFileName("mesh-cluster1.k8s_east"), "mesh-cluster1.k8s_east");
        assert.equal(planFileName("istio-system/gw::read"), "istio-system_gw_read");
    });

    it("mesh-root-ca/dev: a program without a mesh gets no topology section, not an undefined one", async () => {
        const plan = files(await writePlan("mesh-root-ca", "dev", mkdtempSync(path.join(tmpdir(), "plan-ca-"))));
        assert.ok(!plan["summary.md"].includes("undefined"), plan["summary.md"]);
        assert.ok(!plan["summary.md"].includes("## Topology"));
        assert.equal(plan["diagram.mmd"], undefined);
        assert.ok(Object.keys(plan).some((f) => f.startsWith("cloud/")), "the trust root's resources are planned");
    });

    it("existing-clusters/onprem: the plan is the reviewed one checked in under test/fixtures/expected-plan", async () => {
        const expectedDir = path.join(__dirname, "..", "fixtures", "expected-plan", "existing-clusters", "onprem");
        const actual = files(await writePlan("existing-clusters", "onprem", mkdtempSync(path.join(tmpdir(), "plan-reviewed-"))));
        const expected = files(expectedDir);
        const refresh =
            "if the change is intended, review the new plan and check it in: npm run plan -- existing-clusters --stack onprem && rm -r test/fixtures/expected-plan/existing-clusters/onprem && cp -r plan-out/existing-clusters/onprem test/fixtures/expected-plan/existing-clusters/";
        assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), `the plan's files changed; ${refresh}`);
        for (const name of Object.keys(actual)) {
            assert.equal(actual[name], expected[name], `${name} differs from the reviewed plan; ${refresh}`);
        }
    });

    it("plans a stack file whose secrets were set with `pulumi config set --secret --path`, showing them as [secret]", async () => {
        const config = path.join(mkdtempSync(path.join(tmpdir(), "plan-secure-")), "Pulumi.mine.yaml");
        const stack = exampleStacks().find((s) => s.example === "existing-clusters")!;
        const mesh = structuredClone(stack.config["existing-clusters:mesh"]) as { clusters: { kubeconfig: unknown }[] };
        mesh.clusters.forEach((c) => (c.kubeconfig = { secure: "v1:c2FsdA==:Y2lwaGVydGV4dA==" }));
        const ciphertext = "Y2lwaGVydGV4dA==";
        writeFileSync(config, stringify({ encryptionsalt: "v1:c2FsdA==:dmVyaWZ5", config: { "existing-clusters:mesh": mesh } }));
        const plan = files(await writePlan("existing-clusters", undefined, mkdtempSync(path.join(tmpdir(), "plan-out-")), config));
        assert.ok(plan["summary.md"].startsWith("# Plan: existing-clusters, stack mine\n"));
        assert.ok(!Object.values(plan).some((text) => text.includes(ciphertext)), "no ciphertext in the plan");
        assert.match(plan["values/mesh-cluster1-istiod.yaml"], /clusterName: cluster1/);
    });

    it("exits non-zero with every validation error for a bad config", async () => {
        const bad = path.join(mkdtempSync(path.join(tmpdir(), "plan-bad-")), "Pulumi.bad.yaml");
        writeFileSync(
            bad,
            [
                "config:",
                "  alicloud-multi-primary:mesh:",
                "    meshId: Mesh_1",
                "    networkLink: { mode: cen }",
                "    clusters:",
                "      - { name: a, role: primary, network: n1, region: cn-hangzhou, ack: { vpcCidr: 192.168.0.0/16, serviceCidr: 172.16.0.0/20, kubernetesVersion: 1.30.1-aliyun.1, zones: [cn-hangzhou-h, cn-hangzhou-i] } }",
                "      - { name: b, role: remote, network: n1, region: cn-shanghai, ack: { vpcCidr: 192.168.0.0/16, serviceCidr: 172.16.16.0/20, kubernetesVersion: 1.33.1-aliyun.1, zones: [cn-shanghai-e, cn-shanghai-f] } }",
                "",
            ].join("\n"),
        );
        const errors: string[] = [];
        const original = console.error;
        console.error = (message: string) => errors.push(message);
        let code: number;
        try {
            code = await main(["alicloud-multi-primary", "--config", bad]);
        } finally {
            console.error = original;
        }
        assert.equal(code, 1);
        const text = errors.join("\n");
        for (const field of ["mesh.meshId", "mesh.clusters[0].ack.kubernetesVersion", "mesh.clusters[1].controlPlane", "mesh.clusters[1].ack.vpcCidr"]) {
            assert.ok(text.includes(`- ${field}: `), `reports ${field}:\n${text}`);
        }
    });

    /** Runs the command as `npm run plan` would from `cwd`, returning its exit code and what it printed. */
    async function runPlan(cwd: string, argv: string[]) {
        const printed: string[] = [];
        const [error, log, initCwd] = [console.error, console.log, process.env.INIT_CWD];
        console.error = (message: string) => printed.push(message);
        console.log = (message: string) => printed.push(message);
        process.env.INIT_CWD = cwd;
        try {
            return { code: await main(argv), printed: printed.join("\n") };
        } finally {
            [console.error, console.log] = [error, log];
            if (initCwd === undefined) {
                delete process.env.INIT_CWD;
            } else {
                process.env.INIT_CWD = initCwd;
            }
        }
    }

    it("takes an example by its folder and a stack file relative to where it runs, under the file's own project name", async () => {
        const cwd = mkdtempSync(path.join(tmpdir(), "plan-cwd-"));
        const stack = exampleStacks().find((s) => s.example === "existing-clusters")!;
        writeFileSync(path.join(cwd, "Pulumi.mine.yaml"), stringify({ config: { "my-mesh:mesh": stack.config["existing-clusters:mesh"] } }));
        const folder = path.relative(cwd, path.join(examplesDir, "existing-clusters")) + "/";
        const { code, printed } = await runPlan(cwd, [folder, "--config", "Pulumi.mine.yaml"]);
        assert.equal(code, 0, printed);
        assert.match(printed, /plan written to .*existing-clusters[\/]mine/);
    });

    it("says what is wrong, in one line and a non-zero exit, with a stack file without config or an example that does not exist", async () => {
        const cwd = mkdtempSync(path.join(tmpdir(), "plan-cwd-"));
        writeFileSync(path.join(cwd, "Pulumi.empty.yaml"), "encryptionsalt: v1:c2FsdA==:dmVyaWZ5\n");
        const empty = await runPlan(cwd, ["existing-clusters", "--config", "Pulumi.empty.yaml"]);
        assert.deepEqual([empty.code, empty.printed], [1, `${path.join(cwd, "Pulumi.empty.yaml")} has no config: section; a stack file (Pulumi.<stack>.yaml) holds the stack's settings under config:`]);
        const missing = await runPlan(cwd, ["no-such-example"]);
        assert.equal(missing.code, 1);
        assert.match(missing.printed, /^no example no-such-example \(examples: .*existing-clusters/);
    });
});
