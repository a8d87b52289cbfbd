import * as assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { changesMarkdown, PlannedResource, planChanges } from "../../lib/plan/changes";
import { bindingReplacedOnChange } from "../../lib/alicloud/listenerAcl";
import { inputsReplacedOnChange } from "../../lib/plan/replacements";
import { examplesDir } from "../harness/examples";
import { writePlan } from "./plan";
import { pullRequestSummary } from "./pullRequest";

/** The node_modules the tests run with, wherever the checkout is (mutation testing copies it). */
const nodeModules = path.resolve(path.dirname(require.resolve("@pulumi/pulumi/package.json")), "..", "..");

const resource = (type: string, name: string, inputs: Record<string, unknown>, extra: Partial<PlannedResource> = {}): PlannedResource => ({ type, name, protect: false, inputs, computedFrom: {}, ...extra });

describe("the plan's changes against a baseline", () => {
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

    it("tells creations, updates, deletions and replacements apart, and marks protected resources", () => {
        const before = [
            resource("tls:index/privateKey:PrivateKey", "root-key", { algorithm: "RSA", rsaBits: 4096 }, { protect: true }),
            resource("kubernetes:core/v1:Namespace", "ns", { metadata: { name: "istio-system", labels: { a: "1" } } }),
            resource("kubernetes:core/v1:Secret", "gone", { metadata: { name: "gone" } }),
            resource("kubernetes:core/v1:ConfigMap", "renamed", { metadata: { name: "old", namespace: "x" }, data: { a: "1" } }),
        ];
        const after = [
            resource("tls:index/privateKey:PrivateKey", "root-key", { algorithm: "RSA", rsaBits: 3072 }, { protect: true }),
            resource("kubernetes:core/v1:Namespace", "ns", { metadata: { name: "istio-system", labels: { a: "2" } } }),
            resource("kubernetes:core/v1:ConfigMap", "renamed", { metadata: { name: "new", namespace: "x" }, data: { a: "2" } }),
            resource("kubernetes:core/v1:Secret", "cacerts", { metadata: { name: "cacerts" }, stringData: "[secret]" }, { computedFrom: { stringData: ["root-key"] } }),
        ];
        const changes = planChanges(before, after);
        assert.deepEqual(
            changes.map((c) => [c.kind, c.name, c.forcedBy.join(","), c.inputs.join(","), c.protect]),
            [
                ["replace", "renamed", "metadata.name,data", "metadata.name,data,metadata", false],
                ["replace", "root-key", "rsaBits", "rsaBits", true],
                ["delete", "gone", "", "", false],
                ["update", "ns", "", "metadata", false],
                ["create", "cacerts", "", "", false],
            ],
        );
        const markdown = changesMarkdown(changes);
        assert.match(markdown, /1 to create, 1 to update, \*\*2 to replace\*\*, \*\*1 to delete\*\*/);
        assert.match(markdown, /root-key \(protected: Pulumi refuses this until `protect` is lifted\) \| replaced because of `rsaBits` \|/);
        assert.match(markdown, /renamed \| replaced because of `metadata.name`, `data`; also `metadata` \|/);
    });

    it("carries a replacement over to inputs computed from the replaced resource, secret ones too, and to what its provider manages", () => {
        const before = [
            resource("tls:index/privateKey:PrivateKey", "key", { rsaBits: 2048 }),
            resource("tls:index/certRequest:CertRequest", "csr", { privateKeyPem: "[secret]", subject: { commonName: "a" } }, { computedFrom: { privateKeyPem: ["key"] } }),
            resource("tls:index/locallySignedCert:LocallySignedCert", "cert", { certRequestPem: "<stand-in: certRequestPem of csr>" }, { computedFrom: { certRequestPem: ["csr"] } }),
            resource("kubernetes:core/v1:Secret", "cacerts", { stringData: "[secret]" }, { computedFrom: { stringData: ["cert", "key"] } }),
            resource("kubernetes:core/v1:Namespace", "labelled", { metadata: { name: "ns", labels: { cert: "<stand-in: certPem of cert>" } } }, { computedFrom: { metadata: ["cert"] } }),
        ];
        const after = [{ ...before[0], inputs: { rsaBits: 4096 } }, ...before.slice(1)];
        assert.deepEqual(
            planChanges(before, after).map((c) => [c.kind, c.name, c.forcedBy.join(",")]),
            [
                ["replace", "cacerts", "stringData"],
                ["replace", "csr", "privateKeyPem"],
                ["replace", "cert", "certRequestPem"],
                ["replace", "key", "rsaBits"],
                ["update", "labelled", ""],
            ],
        );
        const cluster = [
            resource("alicloud:cs/managedKubernetes:ManagedKubernetes", "c", { serviceCidr: "192.168.0.0/20" }),
            resource("pulumi:providers:kubernetes", "c-k8s", { kubeconfig: "[secret]" }, { computedFrom: { kubeconfig: ["c"] } }),
            resource("kubernetes:core/v1:Namespace", "ns", { metadata: { name: "istio-system" } }, { provider: "c-k8s" }),
            resource("kubernetes:core/v1:Namespace", "elsewhere", { metadata: { name: "istio-system" } }, { provider: "other-k8s" }),
        ];
        const moved = [{ ...cluster[0], inputs: { serviceCidr: "192.168.32.0/20" } }, ...cluster.slice(1)];
        assert.deepEqual(
            planChanges(cluster, moved).map((c) => [c.kind, c.name, c.forcedBy.join(",")]),
            [
                ["replace", "c", "serviceCidr"],
                ["replace", "ns", "its provider"],
                ["replace", "c-k8s", "kubeconfig"],
            ],
        );
    });

    it("lists only inputs the providers' SDKs have, for every resource type the library creates", () => {
        // `alicloud:cs/managedKubernetes:ManagedKubernetes` is declared in @pulumi/alicloud/cs/managedKubernetes.d.ts,
        // `kubernetes:core/v1:Secret` in @pulumi/kubernetes/core/v1/secret.d.ts, the Kubernetes provider in provider.d.ts.
        const declarations = (type: string): { file: string; kind: string } => {
            const [pkg, module, kind] = type.split(":");
            const [folder, file] = module.split("/");
            const lower = (s: string) => s[0].toLowerCase() + s.slice(1);
            const at =
                pkg === "pulumi"
                    ? [kind, "provider"]
                    : pkg === "kubernetes"
                      ? ["kubernetes", folder.replace(".sh", "").split(".")[0], file, lower(kind)]
                      : [pkg, folder === "index" ? "" : folder, file];
            return { file: `${path.join(nodeModules, "@pulumi", ...at)}.d.ts`, kind: pkg === "pulumi" ? "Provider" : kind };
        };
        for (const [type, inputs] of Object.entries(inputsReplacedOnChange).filter(([type]) => type !== "pulumi-nodejs:dynamic:Resource")) {
            const { file, kind } = declarations(type);
            const text = readFileSync(file, "utf8");
            const args = text.slice(text.indexOf(`export interface ${kind}Args {`));
            const body = args.slice(0, args.indexOf("\n}"));
            for (const input of inputs.map((i) => i.split(".")[0])) {
                assert.match(body, new RegExp(`\\n\\s+${input}\\??: `), `${type} has no input ${input}`);
            }
        }
        // The library's one dynamic resource, the whitelist binding, is replaced as its own provider says.
        assert.deepEqual(inputsReplacedOnChange["pulumi-nodejs:dynamic:Resource"], bindingReplacedOnChange);
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
