import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { changesMarkdown, computedFromOf, PlannedResource, planChanges } from "../../lib/plan/changes";
import { bindingReplacedOnChange } from "../../lib/alicloud/listenerAcl";
import { inputsReplacedOnChange } from "../../lib/plan/replacements";
import { nodeModules } from "../harness/examples";

const resource = (type: string, name: string, inputs: Record<string, unknown>, extra: Partial<PlannedResource> = {}): PlannedResource => ({ type, name, protect: false, inputs, computedFrom: {}, ...extra });

describe("the plan's changes against a baseline", () => {
    it("finds the resources whose stand-in values an input holds: made-up values by their last word, API servers by host", () => {
        const kubeconfig = {
            server: "https://mesh-cluster2-cluster.stand-in.invalid:6443",
            watched: ["clusters: [{cluster: {server: https://mesh-cluster1-cluster.intranet.stand-in.invalid:6443}}]", "again https://mesh-cluster1-cluster.intranet.stand-in.invalid:6443"],
            token: '"<stand-in: token of istio-system/reader, from a-reader-token>"',
        };
        assert.deepEqual(computedFromOf(kubeconfig), ["a-reader-token", "mesh-cluster1-cluster", "mesh-cluster2-cluster"]);
        assert.deepEqual(computedFromOf({ address: "https://10.0.0.1:6443", weight: 3 }), []);
        assert.deepEqual(computedFromOf(undefined), []);
    });

    it("tells creations, updates, deletions and replacements apart, and marks protected resources", () => {
        const before = [
            resource("tls:index/privateKey:PrivateKey", "root-key", { algorithm: "RSA", rsaBits: 4096 }, { protect: true }),
            resource("tls:index/privateKey:PrivateKey", "lifted", { algorithm: "RSA", rsaBits: 4096 }, { protect: true }),
            resource("tls:index/privateKey:PrivateKey", "newly", { algorithm: "RSA", rsaBits: 4096 }),
            resource("kubernetes:core/v1:Namespace", "ns", { metadata: { name: "istio-system", labels: { a: "1" } } }, { protect: true }),
            resource("kubernetes:core/v1:Secret", "gone", { metadata: { name: "gone" } }, { protect: true }),
            resource("kubernetes:core/v1:Namespace", "unguarded", { metadata: { name: "edge", labels: { a: "1" } }, spec: { finalizers: ["kubernetes"] } }, { protect: true }),
            resource("kubernetes:core/v1:ConfigMap", "renamed", { metadata: { name: "old", namespace: "x" }, data: { a: "1" }, immutable: false }),
        ];
        const after = [
            resource("tls:index/privateKey:PrivateKey", "root-key", { algorithm: "RSA", rsaBits: 3072 }, { protect: true }),
            // Lifting `protect` and replacing in one update is allowed; protecting anew guards only the new key.
            resource("tls:index/privateKey:PrivateKey", "lifted", { algorithm: "RSA", rsaBits: 3072 }),
            resource("tls:index/privateKey:PrivateKey", "newly", { algorithm: "RSA", rsaBits: 3072 }, { protect: true }),
            resource("kubernetes:core/v1:Namespace", "ns", { metadata: { name: "istio-system", labels: { a: "2" } } }, { protect: true }),
            resource("kubernetes:core/v1:Namespace", "unguarded", { metadata: { name: "edge", labels: { a: "2" } }, spec: {} }),
            resource("kubernetes:core/v1:ConfigMap", "renamed", { metadata: { name: "new", namespace: "x" }, data: { a: "2" }, immutable: true }),
            resource("kubernetes:core/v1:Secret", "cacerts", { metadata: { name: "cacerts" }, stringData: "[secret]" }, { computedFrom: { stringData: ["root-key"] } }),
        ];
        const changes = planChanges(before, after);
        assert.deepEqual(
            changes.map((c) => [c.kind, c.name, c.forcedBy.join(","), c.inputs.join(","), c.protect]),
            [
                ["replace", "renamed", "metadata.name,data", "metadata.name,data,immutable,metadata", false],
                ["replace", "lifted", "rsaBits", "rsaBits", false],
                ["replace", "newly", "rsaBits", "rsaBits", false],
                ["replace", "root-key", "rsaBits", "rsaBits", true],
                ["delete", "gone", "", "", true],
                ["update", "ns", "", "metadata", true],
                ["update", "unguarded", "", "metadata,spec", false],
                ["create", "cacerts", "", "", false],
            ],
        );
        const markdown = changesMarkdown(changes);
        assert.ok(markdown.startsWith("# Changes against the baseline plan\n\n1 to create, 2 to update, **4 to replace**, **1 to delete**.\n\n| change | resource | inputs |\n|---|---|---|\n| **replace** |"), markdown);
        assert.ok(markdown.endsWith(" |\n"), markdown);
        assert.match(markdown, /1 to create, 2 to update, \*\*4 to replace\*\*, \*\*1 to delete\*\*/);
        assert.match(markdown, /root-key \(protected: Pulumi refuses this until `protect` is lifted\) \| replaced because of `rsaBits` \|/);
        assert.match(markdown, /\| `tls:index\/privateKey:PrivateKey` lifted \| replaced because of `rsaBits` \|/);
        assert.match(markdown, /renamed \| replaced because of `metadata.name`, `data`; also `immutable`, `metadata` \|/);
        assert.match(markdown, /\| \*\*delete\*\* \| `kubernetes:core\/v1:Secret` gone \(protected: Pulumi refuses this until `protect` is lifted\) \|  \|/);
        assert.match(markdown, /\| update \| `kubernetes:core\/v1:Namespace` ns \(protected\) \| `metadata` \|/);
        assert.match(markdown, /\| update \| `kubernetes:core\/v1:Namespace` unguarded \| `metadata`, `spec` \|/);
    });

    it("replaces an object of a Kubernetes kind not listed when its name or namespace changes; a type of another provider not listed, never", () => {
        const before = [
            resource("kubernetes:core/v1:ServiceAccount", "reader", { metadata: { name: "reader", namespace: "istio-system" } }),
            resource("kubernetes:core/v1:ServiceAccount", "moved", { metadata: { name: "moved", namespace: "istio-system" } }),
            resource("example:index:Site", "site", { metadata: { name: "a" } }),
        ];
        const after = [
            resource("kubernetes:core/v1:ServiceAccount", "reader", { metadata: { name: "istio-reader", namespace: "istio-system" } }),
            resource("kubernetes:core/v1:ServiceAccount", "moved", { metadata: { name: "moved", namespace: "istio-remote" } }),
            resource("example:index:Site", "site", { metadata: { name: "b" } }),
        ];
        assert.deepEqual(
            planChanges(before, after).map((c) => [c.kind, c.name, c.forcedBy.join(",")]),
            [
                ["replace", "moved", "metadata.namespace"],
                ["replace", "reader", "metadata.name"],
                ["update", "site", ""],
            ],
        );
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
        // Every resource has inputs that make it another one, save the CEN instance, all of whose fields update in place.
        assert.deepEqual(
            Object.entries(inputsReplacedOnChange)
                .filter(([, inputs]) => inputs.length === 0)
                .map(([type]) => type),
            ["alicloud:cen/instance:Instance"],
        );
    });
});
