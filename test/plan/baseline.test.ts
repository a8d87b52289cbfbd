import * as assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { examplesDir, nodeModules } from "../harness/examples";
import { writePlan } from "./plan";
import { pullRequestSummary } from "./pullRequest";

describe("an example's plan against a baseline", () => {
    it("names the replacement a serviceCidr edit forces, and what it carries over to", async () => {
        const out = mkdtempSync(path.join(tmpdir(), "plan-changes-"));
        const base = await writePlan("alicloud-multi-primary", "dev", path.join(out, "base"));
        const stackFile = readFileSync(path.join(examplesDir, "alicloud-multi-primary", "Pulumi.dev.yaml"), "utf8");
        const edited = path.join(out, "Pulumi.dev.yaml");
        writeFileSync(edited, stackFile.replace("serviceCidr: 192.168.0.0/20", "serviceCidr: 192.168.32.0/20"));
        const head = await writePlan("alicloud-multi-primary", undefined, path.join(out, "head"), edited, base);
        const changes = readFileSync(path.join(head, "changes.md"), "utf8");
        assert.match(changes, /0 to create, 0 to update, \*\*18 to replace\*\*, \*\*0 to delete\*\*/);
        for (const line of [
            "| **replace** | `alicloud:cs/managedKubernetes:ManagedKubernetes` mesh-cluster1-cluster | replaced because of `serviceCidr` |",
            "| **replace** | `alicloud:cs/nodePool:NodePool` mesh-cluster1-workers | replaced because of `clusterId` |",
            "| **replace** | `pulumi:providers:kubernetes` mesh-cluster1-k8s | replaced because of `kubeconfig` |",
            "| **replace** | `kubernetes:helm.sh/v3:Release` mesh-cluster1-istiod | replaced because of its provider |",
            // cluster2's istiod watches cluster1 through a kubeconfig that names the new cluster.
            "| **replace** | `kubernetes:core/v1:Secret` mesh-cluster2-watches-cluster1-secret | replaced because of `stringData` |",
        ]) {
            assert.ok(changes.includes(line), `${line}\n${changes}`);
        }
        assert.doesNotMatch(changes, /mesh-cluster2-(cluster|workers|istiod|k8s)\b/, "cluster2 itself stays");
        const unchanged = await writePlan("alicloud-multi-primary", "dev", path.join(out, "again"), undefined, base);
        assert.match(readFileSync(path.join(unchanged, "changes.md"), "utf8"), /No changes\./);
    });
});

describe("the pull request's plan summary", () => {
    it("plans the base branch and this checkout with the same command, and names a replacement when serviceCidr changes", async () => {
        // The base checkout: the examples and library as they are, but cluster1's service range as it was before the change.
        const root = path.join(__dirname, "..", "..");
        const base = mkdtempSync(path.join(tmpdir(), "plan-base-"));
        cpSync(path.join(root, "examples"), path.join(base, "examples"), { recursive: true });
        cpSync(path.join(root, "lib"), path.join(base, "lib"), { recursive: true });
        symlinkSync(nodeModules, path.join(base, "node_modules"));
        const stackFile = path.join(base, "examples", "alicloud-multi-primary", "Pulumi.dev.yaml");
        writeFileSync(stackFile, readFileSync(stackFile, "utf8").replace("serviceCidr: 192.168.0.0/20", "serviceCidr: 192.168.32.0/20"));
        const summary = readFileSync(await pullRequestSummary(base, mkdtempSync(path.join(tmpdir(), "plan-pr-"))), "utf8");
        const section = (name: string) => summary.slice(summary.indexOf(`## ${name}`)).split("\n## ")[0];
        assert.match(section("alicloud-multi-primary, stack dev"), /\| \*\*replace\*\* \| `alicloud:cs\/managedKubernetes:ManagedKubernetes` mesh-cluster1-cluster \| replaced because of `serviceCidr` \|/);
        for (const unchanged of ["alicloud-primary-remote, stack flat", "existing-clusters, stack onprem"]) {
            assert.match(section(unchanged), /No changes\./);
        }
    });
});
