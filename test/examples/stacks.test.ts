import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { alicloudInvokes, alicloudResources } from "../harness/alicloudProvider";
import { MockCloud, inspect } from "../harness/mocks";

const examplesDir = path.join(__dirname, "..", "..", "examples");

/** Every example stack: its project, stack name and config, as `pulumi up` would read them. */
export function exampleStacks(): { example: string; project: string; stack: string; config: Record<string, unknown> }[] {
    return readdirSync(examplesDir)
        .filter((example) => readdirSync(path.join(examplesDir, example)).includes("Pulumi.yaml"))
        .flatMap((example) => {
            const project = (parse(readFileSync(path.join(examplesDir, example, "Pulumi.yaml"), "utf8")) as { name: string }).name;
            return readdirSync(path.join(examplesDir, example))
                .filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f))
                .map((f) => ({
                    example,
                    project,
                    stack: f.split(".")[1],
                    config: (parse(readFileSync(path.join(examplesDir, example, f), "utf8")) as { config: Record<string, unknown> }).config,
                }));
        });
}

/** Runs an example program under the mocks with a stack's config and returns its exports. */
export async function runExample(s: ReturnType<typeof exampleStacks>[number]) {
    const cloud = MockCloud.install({ project: s.project, stack: s.stack, resources: alicloudResources, invokes: alicloudInvokes });
    pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(s.config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])));
    const entry = require.resolve(path.join(examplesDir, s.example, "index"));
    delete require.cache[entry];
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a program runs when loaded, after its mocks and config
    const program = require(entry) as Record<string, unknown>;
    await cloud.settle();
    return { cloud, program };
}

const expectations: Record<string, { releases: number; gateways: number; remoteSecrets: number; alicloud: boolean }> = {
    "alicloud-multi-primary/dev": { releases: 2 * 3 + 1, gateways: 2, remoteSecrets: 2, alicloud: true },
    "alicloud-primary-remote/flat": { releases: 3 + 2, gateways: 1, remoteSecrets: 1, alicloud: true },
    "alicloud-primary-remote/gateways": { releases: 3 + 3, gateways: 2, remoteSecrets: 1, alicloud: true },
    "existing-clusters/onprem": { releases: 2 * 3, gateways: 2, remoteSecrets: 2, alicloud: false },
};

describe("example stacks", () => {
    const stacks = exampleStacks().filter((s) => s.example !== "mesh-root-ca");
    it("covers every example stack", () => {
        assert.deepEqual(stacks.map((s) => `${s.example}/${s.stack}`).sort(), Object.keys(expectations).sort());
    });
    for (const s of stacks) {
        it(`${s.example} (stack ${s.stack}) builds its mesh`, async () => {
            const { cloud, program } = await runExample(s);
            const expected = expectations[`${s.example}/${s.stack}`];
            assert.equal(cloud.ofType("kubernetes:helm.sh/v3:Release").length, expected.releases);
            assert.equal(cloud.ofType("istio-multicluster:index:EastWestGateway").length, expected.gateways);
            const secrets = cloud.ofType("kubernetes:core/v1:Secret").filter((r) => String(r.name).includes("remote-secret") || String(r.name).includes("-watches-"));
            assert.equal(secrets.length, expected.remoteSecrets);
            assert.equal(cloud.registrations.some((r) => r.type.startsWith("alicloud:")), expected.alicloud);
            const clusters = program.clusters as Record<string, { kubeconfig: pulumi.Output<string>; eastWestAddress?: pulumi.Output<string> }>;
            for (const c of Object.values(clusters)) {
                assert.equal((await inspect(c.kubeconfig)).secret, true);
            }
            assert.match(program.diagram as string, /^flowchart LR\n/);
        });
    }
});
