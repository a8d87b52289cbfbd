import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { exampleStacks, runExample } from "../harness/examples";
import { inspect } from "../harness/mocks";

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
            const verifying = s.config[`${s.project}:mesh`] !== undefined && (s.config[`${s.project}:mesh`] as { verification?: { enabled?: boolean } }).verification?.enabled === true;
            assert.equal(cloud.ofType("kubernetes:apps/v1:Deployment").length, verifying ? 4 : 0, "sleep everywhere, helloworld v1 and v2");
            assert.equal(program.verificationCommand !== undefined, verifying);
        });
    }
});
