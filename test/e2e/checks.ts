import * as assert from "node:assert/strict";
import { X509Certificate, createPrivateKey, createPublicKey } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import { parse, parseAllDocuments } from "yaml";
import { pemBlocks } from "../harness/x509";
import { LocalCluster } from "./clusters";
import { credentialsOfKubeconfig, KubeClient, pathOf } from "./kube";
import { clusterOf, nameOf, StateResource } from "./stacks";

/** What a cluster holds: every object of every listable type, keyed `group/kind/namespace/name`. */
export type Snapshot = Map<string, { resourceVersion: string; labels: Record<string, string> }>;

/** Types that change on their own while nothing happens: the API server's lease, events. */
const restless = new Set(["coordination.k8s.io/Lease", "/Event", "events.k8s.io/Event"]);

export async function snapshot(cluster: LocalCluster): Promise<Snapshot> {
    const client = cluster.admin;
    const groups = (await client.get("/apis")).groups as { name: string; preferredVersion: { groupVersion: string } }[];
    const bases = ["/api/v1", ...groups.map((g) => `/apis/${g.preferredVersion.groupVersion}`)];
    const objects: Snapshot = new Map();
    for (const base of bases) {
        const list = await client.find(base);
        const group = base === "/api/v1" ? "" : base.split("/")[2];
        for (const r of (list?.resources ?? []) as { name: string; kind: string; verbs: string[] }[]) {
            if (r.name.includes("/") || !r.verbs.includes("list") || restless.has(`${group}/${r.kind}`)) {
                continue;
            }
            const items = (await client.find(`${base}/${r.name}`))?.items ?? [];
            for (const item of items as { metadata: { namespace?: string; name: string; resourceVersion: string; labels?: Record<string, string> } }[]) {
                objects.set(`${group}/${r.kind}/${item.metadata.namespace ?? ""}/${item.metadata.name}`, {
                    resourceVersion: item.metadata.resourceVersion,
                    labels: item.metadata.labels ?? {},
                });
            }
        }
    }
    return objects;
}

/** Objects in `after` that `before` lacks, those gone, and those whose resourceVersion changed. */
export function snapshotDiff(before: Snapshot, after: Snapshot): { added: string[]; removed: string[]; changed: string[] } {
    return {
        added: [...after.keys()].filter((k) => !before.has(k)).sort(),
        removed: [...before.keys()].filter((k) => !after.has(k)).sort(),
        changed: [...after.keys()].filter((k) => before.has(k) && before.get(k)!.resourceVersion !== after.get(k)!.resourceVersion).sort(),
    };
}

/** Kubernetes objects the program declared itself (not Helm releases, providers or reads). */
export function declaredObjects(resources: StateResource[]): StateResource[] {
    return resources.filter((r) => r.custom && !r.external && r.type.startsWith("kubernetes:") && !r.type.startsWith("pulumi:providers:") && r.type !== "kubernetes:helm.sh/v3:Release" && r.inputs !== undefined);
}

/** The live object a state resource stands for, on the cluster its provider targets. */
export async function liveObject(clusters: Map<string, LocalCluster>, r: StateResource): Promise<{ cluster: string; object: any }> {
    const clusterName = clusterOf(r);
    assert.ok(clusterName && clusters.has(clusterName), `${nameOf(r.urn)}: provider targets no known cluster (${r.provider})`);
    const out = r.outputs as { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } };
    const client = clusters.get(clusterName!)!.admin;
    const object = await client.find(await pathOf(client, out.apiVersion, out.kind, out.metadata.namespace, out.metadata.name));
    return { cluster: clusterName!, object };
}

/**
 * Every leaf of the planned object appears, equal, in the live one. `stringData` is compared with the
 * live `data`; redacted values ("[secret]") only for presence. Returns the mismatches by path.
 */
export function planMismatches(planned: unknown, live: any, at = ""): string[] {
    if (planned === "[secret]") {
        return live === undefined ? [`${at}: missing`] : [];
    }
    if (Array.isArray(planned)) {
        if (!Array.isArray(live) || live.length !== planned.length) {
            return [`${at}: planned ${planned.length} items, live ${JSON.stringify(live)}`];
        }
        return planned.flatMap((p, i) => planMismatches(p, live[i], `${at}[${i}]`));
    }
    if (typeof planned === "object" && planned !== null) {
        return Object.entries(planned).flatMap(([key, value]) => {
            if (key === "stringData" && value === "[secret]") {
                return Object.keys(live?.data ?? {}).length === 0 ? [`${at}.data: empty`] : [];
            }
            if (key === "stringData") {
                const data = (live?.data ?? {}) as Record<string, string>;
                return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
                    planMismatches(v, data[k] === undefined ? undefined : Buffer.from(data[k], "base64").toString("utf8"), `${at}.data.${k}`),
                );
            }
            return planMismatches(value, live?.[key], `${at}.${key}`);
        });
    }
    return planned === live ? [] : [`${at}: planned ${JSON.stringify(planned)}, live ${JSON.stringify(live)}`];
}

/** The plan's objects and Helm values by resource name, from `npm run plan` output. */
export function readPlan(dir: string): { objects: Map<string, any>; values: Map<string, any> } {
    const read = (sub: string) =>
        new Map(readdirSync(path.join(dir, sub)).map((f) => [f.replace(/\.yaml$/, ""), parse(readFileSync(path.join(dir, sub, f), "utf8"))]));
    return { objects: read("objects"), values: read("values") };
}

/** What Helm recorded for a deployed release: its chart version and the values it was given. */
export async function helmRelease(client: KubeClient, namespace: string, release: string): Promise<{ version: string; config: unknown; status: string }> {
    const list = await client.get(`/api/v1/namespaces/${namespace}/secrets?labelSelector=${encodeURIComponent(`owner=helm,name=${release},status=deployed`)}`);
    assert.equal(list.items.length, 1, `release ${release} in ${namespace}: ${list.items.length} deployed revisions`);
    const raw = Buffer.from(Buffer.from(list.items[0].data.release, "base64").toString("utf8"), "base64");
    const record = JSON.parse(gunzipSync(raw).toString("utf8"));
    return { version: record.chart.metadata.version, config: record.config ?? {}, status: record.info.status };
}

/** The CRD names Istio's base chart installs. */
export function istioCrdNames(chartSources: string): string[] {
    const text = readFileSync(path.join(chartSources, "base", "files", "crd-all.gen.yaml"), "utf8");
    return parseAllDocuments(text)
        .map((d) => d.toJS() as { kind?: string; metadata?: { name: string } } | null)
        .filter((d) => d?.kind === "CustomResourceDefinition")
        .map((d) => d!.metadata!.name)
        .sort();
}

/** The remote secrets in a primary: the watched cluster's name and the kubeconfig istiod will use. */
export async function remoteSecrets(primary: LocalCluster): Promise<{ watched: string; kubeconfig: string }[]> {
    const list = await primary.admin.get(`/api/v1/namespaces/istio-system/secrets?labelSelector=${encodeURIComponent("istio/multiCluster=true")}`);
    return (list.items as { metadata: { annotations: Record<string, string> }; data: Record<string, string> }[]).map((s) => {
        const watched = s.metadata.annotations["networking.istio.io/cluster"];
        return { watched, kubeconfig: Buffer.from(s.data[watched], "base64").toString("utf8") };
    });
}

const watchedTypes = [
    { path: "/api/v1/services", resource: "services" },
    { path: "/apis/discovery.k8s.io/v1/endpointslices", resource: "endpointslices", group: "discovery.k8s.io" },
    { path: "/api/v1/pods", resource: "pods" },
    { path: "/api/v1/namespaces", resource: "namespaces" },
    { path: "/api/v1/nodes", resource: "nodes" },
];

/**
 * Uses a remote secret's kubeconfig as istiod does: it must point at the watched cluster, authenticate,
 * and list and watch what istiod reads; on a remote, also write ConfigMaps and patch the injector webhook.
 * Returns the problems found.
 */
export async function remoteSecretProblems(kubeconfig: string, watched: LocalCluster, watchedIsRemote: boolean): Promise<string[]> {
    const problems: string[] = [];
    const credentials = credentialsOfKubeconfig(kubeconfig);
    if (credentials.server !== watched.server) {
        problems.push(`server ${credentials.server} is not ${watched.name}'s ${watched.server}`);
        return problems;
    }
    const reader = new KubeClient(credentials);
    // Each watch stays open for its second: ask them all at once.
    const answers = await Promise.all(
        watchedTypes.flatMap((t) => [
            reader.request("GET", `${t.path}?limit=1`).then((r) => ({ what: `list ${t.resource}`, status: r.status })),
            reader.request("GET", `${t.path}?watch=1&timeoutSeconds=1`).then((r) => ({ what: `watch ${t.resource}`, status: r.status })),
        ]),
    );
    problems.push(...answers.filter((a) => a.status !== 200).map((a) => `${a.what}: ${a.status}`));
    if (watchedIsRemote) {
        for (const verb of ["create", "update"]) {
            if (!(await reader.can(verb, { resource: "configmaps", namespace: "istio-system" }))) {
                problems.push(`cannot ${verb} configmaps in istio-system`);
            }
        }
        const webhooks = await watched.admin.get("/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations");
        const injectors = (webhooks.items as { metadata: { name: string } }[]).map((w) => w.metadata.name).filter((n) => n.startsWith("istio-sidecar-injector"));
        if (injectors.length === 0) {
            problems.push("no istio-sidecar-injector webhook in the remote to patch");
        }
        for (const name of injectors) {
            if (!(await reader.can("patch", { group: "admissionregistration.k8s.io", resource: "mutatingwebhookconfigurations", name }))) {
                problems.push(`cannot patch mutatingwebhookconfiguration ${name}`);
            }
        }
    }
    // The reader must stay a reader.
    if (await reader.can("delete", { resource: "namespaces" })) {
        problems.push("can delete namespaces");
    }
    return problems;
}

/**
 * Problems with one primary's `cacerts`: it must hold this cluster's own intermediate, whose chain
 * verifies to `rootPem`, with the key that matches.
 */
export function cacertsProblems(data: Record<string, string>, rootPem: string, intermediatePem: string): string[] {
    const text = (k: string) => (data[k] === undefined ? undefined : Buffer.from(data[k], "base64").toString("utf8"));
    const problems: string[] = [];
    for (const key of ["ca-cert.pem", "ca-key.pem", "root-cert.pem", "cert-chain.pem"]) {
        if (!text(key)) {
            problems.push(`${key} missing`);
        }
    }
    if (problems.length > 0) {
        return problems;
    }
    const root = new X509Certificate(rootPem);
    const ca = new X509Certificate(text("ca-cert.pem")!);
    const chain = pemBlocks(text("cert-chain.pem")!).map((p) => new X509Certificate(p));
    if (!ca.raw.equals(new X509Certificate(intermediatePem).raw)) {
        problems.push("ca-cert.pem is not this cluster's intermediate");
    }
    if (!new X509Certificate(text("root-cert.pem")!).raw.equals(root.raw)) {
        problems.push("root-cert.pem is not the mesh root");
    }
    if (!ca.checkIssued(root) || !ca.verify(root.publicKey)) {
        problems.push("ca-cert.pem is not signed by the mesh root");
    }
    if (!ca.checkPrivateKey(createPrivateKey(text("ca-key.pem")!))) {
        problems.push("ca-key.pem does not belong to ca-cert.pem");
    }
    if (chain.length < 2 || !chain[0].raw.equals(ca.raw) || !chain[chain.length - 1].raw.equals(root.raw)) {
        problems.push("cert-chain.pem does not run from ca-cert.pem to the mesh root");
    }
    for (let i = 0; i + 1 < chain.length; i++) {
        if (!chain[i].verify(createPublicKey(chain[i + 1].publicKey.export({ type: "spki", format: "pem" })))) {
            problems.push(`cert-chain.pem: certificate ${i} is not signed by certificate ${i + 1}`);
        }
    }
    return problems;
}
