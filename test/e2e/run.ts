import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import * as path from "node:path";
import { MeshConfig } from "../../lib";
import { packageCharts, serveCharts } from "./charts";
import {
    cacertsProblems,
    declaredObjects,
    helmRelease,
    istioCrdNames,
    liveObject,
    planMismatches,
    readPlan,
    remoteSecretProblems,
    remoteSecrets,
    snapshot,
    Snapshot,
    snapshotDiff,
} from "./checks";
import { planFileName } from "../plan/plan";
import { LocalCluster, startClusters, stopClusters, until } from "./clusters";
import { credentialsOfKubeconfig, KubeClient, resetDiscovery } from "./kube";
import { expectedSchema, pluginProviderUrn, preparePython, pythonComponentsProgram, PythonToolchain, registrationsOf, revealingLines, runPythonProgram } from "./python";
import { clusterOf, componentsConfig, EngineEnvironment, ExampleStack, makeTrust, meshConfig, MeshTrust, nameOf, project, repoRoot, Topology, writeJson } from "./stacks";

/**
 * `npm run e2e`: the real Pulumi engine deploys `examples/existing-clusters` into three local API servers
 * under three topologies and checks what it made, then builds a two-cluster mesh from `examples/python`
 * through the package's provider plugin and compares it with the TypeScript program's. `--keep` leaves the
 * servers up with the multi-primary stack deployed (e2e-out/clusters.json); `--down` stops them;
 * `--only <topology|python>` runs one of them.
 */

const out = path.join(repoRoot, "e2e-out");
const chartSources = process.env.ISTIO_CHART_SOURCES ?? path.resolve(repoRoot, "..", "shared", "reference", "istio-1.30.3", "chart-sources");
const clusterNames = ["cluster1", "cluster2", "cluster3"];
const topologies: Topology[] = ["multi-primary", "primary-remote", "flat"];
/** How the README tells a user to remove Istio's CRDs after destroy (the base chart keeps them). */
export const crdSelector = "app.kubernetes.io/part-of=istio,app.kubernetes.io/instance=istio-base";
/** Labels a platform team already put on its own istio-system, which the mesh must leave alone. */
const ownLabels = { "owner.example.com/team": "platform" };

interface Result {
    topology: string;
    check: string;
    outcome: "passed" | "failed";
    seconds: number;
    error?: string;
}
const results: Result[] = [];
const phases: { phase: string; seconds: number }[] = [];

async function phase<T>(name: string, work: () => Promise<T>): Promise<T> {
    const started = Date.now();
    try {
        return await work();
    } finally {
        phases.push({ phase: name, seconds: (Date.now() - started) / 1000 });
        console.log(`[e2e] ${name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
}

async function check(topology: string, name: string, work: () => Promise<void>): Promise<boolean> {
    const started = Date.now();
    try {
        await work();
        results.push({ topology, check: name, outcome: "passed", seconds: (Date.now() - started) / 1000 });
        console.log(`  ✓ ${topology}: ${name}`);
        return true;
    } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        results.push({ topology, check: name, outcome: "failed", seconds: (Date.now() - started) / 1000, error });
        console.log(`  ✗ ${topology}: ${name}\n${error.replace(/^/gm, "      ")}`);
        return false;
    }
}

function toolchain(): Record<string, string> {
    const lines = execFileSync("bash", [path.join(__dirname, "toolchain.sh")], { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
    return Object.fromEntries(lines.trim().split("\n").map((l) => l.split("=") as [string, string]));
}

/** Installs the built Kubernetes provider under the version the @pulumi/kubernetes SDK asks for. */
function installPlugins(env: EngineEnvironment, providerDir: string): string {
    const sdkVersion = (JSON.parse(readFileSync(require.resolve("@pulumi/kubernetes/package.json"), "utf8")) as { version: string }).version;
    execFileSync(path.join(env.pulumiRoot, "bin", "pulumi"), ["plugin", "install", "resource", "kubernetes", `v${sdkVersion}`, "--file", path.join(providerDir, "pulumi-resource-kubernetes")], {
        env: { ...process.env, PULUMI_HOME: env.pulumiHome, PULUMI_SKIP_UPDATE_CHECK: "true" },
        stdio: "inherit",
    });
    return sdkVersion;
}

const allSnapshots = async (clusters: LocalCluster[]) => new Map(await Promise.all(clusters.map(async (c) => [c.name, await snapshot(c)] as [string, Snapshot])));

/** Everything each cluster holds now that it did not hold in `before`, and everything it lost. */
async function leftovers(clusters: LocalCluster[], before: Map<string, Snapshot>): Promise<string[]> {
    const after = await allSnapshots(clusters);
    return clusters.flatMap((c) => {
        const diff = snapshotDiff(before.get(c.name)!, after.get(c.name)!);
        return [...diff.added.map((k) => `${c.name}: left behind ${k}`), ...diff.removed.map((k) => `${c.name}: removed ${k}`)];
    });
}

function secretsOf(config: MeshConfig, clusters: LocalCluster[], trust: MeshTrust): Record<string, string> {
    const secrets: Record<string, string> = {};
    config.clusters.forEach((_, i) => {
        secrets[`mesh.clusters[${i}].kubeconfig`] = clusters[i].kubeconfig;
    });
    for (const name of Object.keys(config.trust?.intermediates ?? {})) {
        secrets[`mesh.trust.intermediates.${name}.caKeyPem`] = trust.intermediates[name].keyPem;
    }
    return secrets;
}

/** Checks 1–3: objects as planned on the right servers, Helm values as planned, CRDs, remote secrets, cacerts. */
async function checkDeployment(topology: string, stack: ExampleStack, config: MeshConfig, clusters: LocalCluster[], planDir: string, trust: MeshTrust): Promise<void> {
    const byName = new Map(clusters.map((c) => [c.name, c]));
    const resources = await stack.resources();
    const plan = readPlan(planDir);
    resetDiscovery();

    await check(topology, "1. every declared object is on its cluster, as the offline plan shows it", async () => {
        const problems: string[] = [];
        const declared = declaredObjects(resources);
        const declaredNames = new Set(declared.map((r) => planFileName(nameOf(r.urn))));
        for (const planned of plan.objects.keys()) {
            if (!declaredNames.has(planned)) {
                problems.push(`${planned}: in the plan, not in the stack`);
            }
        }
        for (const r of declared) {
            const name = planFileName(nameOf(r.urn));
            const planned = plan.objects.get(name);
            if (!planned) {
                problems.push(`${name}: in the stack, not in the plan`);
                continue;
            }
            const { cluster, object } = await liveObject(byName, r);
            if (!object) {
                problems.push(`${name}: not found on ${cluster}`);
                continue;
            }
            problems.push(...planMismatches(planned, object).map((m) => `${name} on ${cluster}: ${m}`));
        }
        assert.ok(declared.length > 0, "the stack declares no Kubernetes objects");
        assert.deepEqual(problems, []);
    });

    await check(topology, "1. every Helm release is deployed with Istio 1.30.3 and exactly the planned values", async () => {
        const problems: string[] = [];
        const releases = resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release");
        assert.equal(releases.length, plan.values.size, "releases in the stack and in the plan");
        for (const r of releases) {
            const name = planFileName(nameOf(r.urn));
            const status = (r.outputs as { status: { name: string; namespace: string } }).status;
            const recorded = await helmRelease(byName.get(clusterOf(r)!)!.admin, status.namespace, status.name);
            const planned = plan.values.get(name);
            if (recorded.version !== "1.30.3" || recorded.status !== "deployed") {
                problems.push(`${name}: chart ${recorded.version}, ${recorded.status}`);
            }
            try {
                assert.deepEqual(recorded.config, planned.values);
            } catch (err) {
                problems.push(`${name}: values differ from the plan\n${(err as Error).message}`);
            }
        }
        assert.deepEqual(problems, []);
    });

    await check(topology, "1. the base chart installed every Istio CRD, established, on every cluster", async () => {
        const expected = istioCrdNames(chartSources);
        for (const c of clusters) {
            const crds = (await c.admin.get("/apis/apiextensions.k8s.io/v1/customresourcedefinitions")).items as { metadata: { name: string }; status: { conditions?: { type: string; status: string }[] } }[];
            const established = new Set(crds.filter((d) => d.status.conditions?.some((x) => x.type === "Established" && x.status === "True")).map((d) => d.metadata.name));
            assert.deepEqual(expected.filter((n) => !established.has(n)), [], `${c.name}: CRDs missing or not established`);
        }
    });

    await check(topology, "2. every remote secret's kubeconfig authenticates at its cluster with the RBAC istiod needs", async () => {
        const problems: string[] = [];
        const roles = new Map(config.clusters.map((c) => [c.name, c.role]));
        for (const primary of config.clusters.filter((c) => c.role === "primary")) {
            const found = await remoteSecrets(byName.get(primary.name)!);
            const expected = config.clusters.filter((c) => c.name !== primary.name).map((c) => c.name).sort();
            assert.deepEqual(found.map((s) => s.watched).sort(), expected, `remote secrets in ${primary.name}`);
            for (const s of found) {
                const p = await remoteSecretProblems(s.kubeconfig, byName.get(s.watched)!, roles.get(s.watched) === "remote");
                problems.push(...p.map((x) => `${primary.name} watching ${s.watched}: ${x}`));
            }
        }
        assert.deepEqual(problems, []);
    });

    await check(topology, "3. cacerts on every primary holds its own intermediate, with a chain that verifies to the one mesh root", async () => {
        const problems: string[] = [];
        for (const primary of config.clusters.filter((c) => c.role === "primary")) {
            const secret = await byName.get(primary.name)!.admin.get("/api/v1/namespaces/istio-system/secrets/cacerts");
            problems.push(...cacertsProblems(secret.data, trust.root.certPem, trust.intermediates[primary.name].certPem).map((p) => `${primary.name}: ${p}`));
        }
        assert.deepEqual(problems, []);
    });
}

/** Check 4: nothing to change right after `up`, nor after a refresh. */
async function checkNoChanges(topology: string, stack: ExampleStack): Promise<void> {
    await check(topology, "4. preview --expect-no-changes passes after up, and after a refresh", async () => {
        await stack.preview(true);
        await stack.refresh();
        await stack.preview(true);
    });
}

/** Plans the stack offline, as a reviewer would (`npm run plan -- existing-clusters --config <file>`). */
function offlinePlan(configFile: string, stackName: string): string {
    const cwd = path.join(out, "plan");
    mkdirSync(cwd, { recursive: true });
    execFileSync(process.execPath, [require.resolve("tsx/cli"), path.join(repoRoot, "test", "plan", "plan.ts"), "existing-clusters", "--config", configFile], { cwd, stdio: "inherit" });
    return path.join(cwd, "plan-out", "existing-clusters", stackName);
}

async function deployTopology(topology: Topology, env: EngineEnvironment, clusters: LocalCluster[], charts: string, trust: MeshTrust): Promise<void> {
    const byName = new Map(clusters.map((c) => [c.name, c]));
    const adoptIn = topology === "multi-primary" ? "cluster2" : undefined;
    if (adoptIn) {
        await byName.get(adoptIn)!.admin.request("POST", "/api/v1/namespaces", { metadata: { name: "istio-system", labels: ownLabels } });
        // The namespace is settled once the controller manager has published the root CA into it.
        await waitFor(byName.get(adoptIn)!, "/api/v1/namespaces/istio-system/configmaps/kube-root-ca.crt", true);
    }
    const baseline = await allSnapshots(clusters);
    const stack = await ExampleStack.create(env, path.join(out, "work"), topology);
    const config = meshConfig(topology, clusters, charts, trust, { adoptIn });
    const configFile = await stack.configure(config, secretsOf(config, clusters, trust));
    const planDir = offlinePlan(configFile, topology);

    const deployed = await phase(`${topology}: up from empty`, () =>
        check(topology, "1. pulumi up succeeds from empty in one run", async () => {
            await stack.up();
        }),
    );
    if (deployed) {
        await phase(`${topology}: checks 1-3`, () => checkDeployment(topology, stack, config, clusters, planDir, trust));
        await phase(`${topology}: check 4`, () => checkNoChanges(topology, stack));
    }
    if (deployed && topology === "primary-remote") {
        await phase(`${topology}: check 9`, () => checkCanaryUpgrade(topology, stack, config, clusters, trust));
    }
    if (deployed && adoptIn) {
        await check(topology, "6. an existing istio-system is adopted: its own labels kept, the mesh's added", async () => {
            const ns = await byName.get(adoptIn)!.admin.get("/api/v1/namespaces/istio-system");
            assert.equal(ns.metadata.labels["owner.example.com/team"], "platform");
            assert.equal(ns.metadata.labels["topology.istio.io/network"], "network2");
        });
        await phase(`${topology}: check 8`, () => checkBadConfig(topology, env, clusters, charts, trust));
        await phase(`${topology}: check 5`, () => checkClusterJoinsAndLeaves(topology, stack, config, clusters, trust));
        await check(topology, "2. once its token Secret is deleted, a remote secret's token no longer authenticates", async () => {
            const [secret] = (await remoteSecrets(byName.get("cluster1")!)).filter((s) => s.watched === "cluster2");
            const reader = new KubeClient(credentialsOfKubeconfig(secret.kubeconfig));
            assert.equal((await reader.request("GET", "/api/v1/namespaces?limit=1")).status, 200, "the token works before");
            const deleted = await byName.get("cluster2")!.admin.request("DELETE", "/api/v1/namespaces/istio-system/secrets/istio-reader-service-account-istio-remote-secret-token");
            assert.equal(deleted.status, 200, "token Secret deleted");
            const deadline = Date.now() + 30_000;
            let status = 200;
            while (Date.now() < deadline && (status = (await reader.request("GET", "/api/v1/namespaces?limit=1")).status) !== 401) {
                await new Promise((r) => setTimeout(r, 250));
            }
            assert.equal(status, 401, "the token still authenticates");
        });
    }

    await phase(`${topology}: destroy`, async () => {
        const destroyed = await check(topology, "7. destroy succeeds and leaves no object of the mesh on any server but Istio's CRDs, which Istio's chart keeps", async () => {
            await stack.destroy();
            const left = await leftovers(clusters, baseline);
            const crds = istioCrdNames(chartSources);
            const expected = clusters.flatMap((c) => crds.map((n) => `${c.name}: left behind apiextensions.k8s.io/CustomResourceDefinition//${n}`));
            // The API server registers each served group-version of a CRD as an APIService of its own.
            assert.deepEqual(left.filter((k) => !/APIService\/\/v[0-9a-z]+\.[a-z.]+\.istio\.io$/.test(k)).sort(), expected.sort());
            for (const c of clusters) {
                const kept = (await c.admin.get(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions?labelSelector=${encodeURIComponent(crdSelector)}`)).items as { metadata: { annotations: Record<string, string> } }[];
                assert.equal(kept.length, crds.length, `${c.name}: the README's selector finds every kept CRD`);
                assert.ok(kept.every((d) => d.metadata.annotations["helm.sh/resource-policy"] === "keep"));
            }
        });
        await check(topology, "7. deleting the CRDs as the README says leaves every server as it was", async () => {
            assert.ok(destroyed, "destroy failed");
            await deleteKeptCrds(clusters, baseline);
        });
    });
    if (adoptIn) {
        await check(topology, "6. destroy keeps the adopted istio-system with its own labels, without the mesh's", async () => {
            const ns = await byName.get(adoptIn)!.admin.get("/api/v1/namespaces/istio-system");
            assert.deepEqual(ns.metadata.labels, { ...ownLabels, "kubernetes.io/metadata.name": "istio-system" });
            assert.equal(ns.status.phase, "Active");
        });
        await byName.get(adoptIn)!.admin.request("DELETE", "/api/v1/namespaces/istio-system");
        await waitFor(byName.get(adoptIn)!, "/api/v1/namespaces/istio-system", false);
    }
}

/** Deletes Istio's CRDs as the README says, and waits until every server is as it was in `baseline`. */
async function deleteKeptCrds(clusters: LocalCluster[], baseline: Map<string, Snapshot>): Promise<void> {
    for (const c of clusters) {
        const res = await c.admin.request("DELETE", `/apis/apiextensions.k8s.io/v1/customresourcedefinitions?labelSelector=${encodeURIComponent(crdSelector)}`);
        assert.equal(res.status, 200, `${c.name}: ${JSON.stringify(res.body)}`);
    }
    const deadline = Date.now() + 60_000;
    let left = await leftovers(clusters, baseline);
    while (left.length > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 500));
        left = await leftovers(clusters, baseline);
    }
    assert.deepEqual(left, []);
}

/** Ups, reads and destroys a TypeScript stack: what it registers is what its Python twin must register. */
async function referenceRegistrations(env: EngineEnvironment, name: string, configure: (stack: ExampleStack) => Promise<unknown>, clusters: LocalCluster[], baseline: Map<string, Snapshot>, programDir?: string): Promise<Map<string, unknown>> {
    const stack = await ExampleStack.create(env, path.join(out, "work"), name, programDir);
    await configure(stack);
    await stack.up();
    const resources = await stack.resources();
    await stack.destroy();
    await deleteKeptCrds(clusters, baseline);
    return registrationsOf(resources, stack.name);
}

/** The Python stack registered exactly the reference's resources, with the same inputs and providers, and `extras` besides. */
async function assertRegistersAsReference(stack: ExampleStack, reference: Map<string, unknown>, extras: string[]): Promise<void> {
    const registered = registrationsOf(await stack.resources(), stack.name);
    assert.deepEqual([...registered.keys()].filter((urn) => !reference.has(urn)), extras);
    assert.deepEqual([...reference.keys()].filter((urn) => !registered.has(urn)), [], "registered by TypeScript only");
    for (const [urn, expected] of reference) {
        assert.deepEqual(registered.get(urn), expected, urn);
    }
}

/** The secrets whose revealing lines appear in plain text in the stack's state file. */
function exposedSecrets(env: EngineEnvironment, stackName: string, secrets: Record<string, string>): string[] {
    const state = readFileSync(path.join(env.backendDir, ".pulumi", "stacks", project, `${stackName}.json`), "utf8");
    return Object.entries(secrets)
        .filter(([, value]) => revealingLines(value).some((line) => state.includes(line)))
        .map(([key]) => key);
}

/**
 * Check 10: a two-cluster multi-primary mesh from `examples/python`, through the package's provider plugin
 * and the Python SDK generated from the schema the CLI reads from it, against the TypeScript program's.
 */
async function deployFromPython(env: EngineEnvironment, bins: Record<string, string>, clusters: LocalCluster[], charts: string, trust: MeshTrust): Promise<PythonToolchain | undefined> {
    const topology = "python";
    const meshClusters = clusters.slice(0, 2);
    const baseline = await allSnapshots(meshClusters);
    const config = meshConfig("multi-primary", meshClusters, charts, trust);
    const secrets = secretsOf(config, meshClusters, trust);
    let tool: PythonToolchain | undefined;
    await phase("python: plugin, schema and SDK", () =>
        check(topology, "10. the CLI reads the package schema from the provider plugin, and Pulumi's generator makes a Python SDK of it", async () => {
            tool = preparePython(env, bins, path.join(out, "python"));
            assert.deepEqual({ ...tool.schema, config: undefined }, { ...expectedSchema(), config: undefined });
        }),
    );
    if (!tool) {
        return undefined;
    }
    const reference = await phase("python: the TypeScript program, for reference", () =>
        referenceRegistrations(env, "typescript-reference", (s) => s.configure(config, secrets), meshClusters, baseline),
    );
    const stack = await ExampleStack.create(env, path.join(out, "work"), topology);
    const configFile = await stack.configure(config, secrets);
    const planDir = offlinePlan(configFile, topology);
    const deployed = await phase("python: up", () =>
        check(topology, "10. the Python program's up succeeds from empty in one run", async () => {
            await runPythonProgram("up", stack, env, tool!);
        }),
    );
    if (deployed) {
        await check(topology, "10. the Python program registers what the TypeScript program registers, with the same inputs, and its provider", () =>
            assertRegistersAsReference(stack, reference, [pluginProviderUrn]),
        );
        await check(topology, "10. the Python stack's state holds no kubeconfig or CA key in plain text", async () => {
            assert.deepEqual(exposedSecrets(env, topology, secrets), []);
        });
        await phase("python: checks 1-3", () => checkDeployment(topology, stack, config, meshClusters, planDir, trust));
    }
    await phase("python: destroy", () =>
        check(topology, "10. the Python program's destroy succeeds and leaves every server as it was, once the CRDs are deleted", async () => {
            await runPythonProgram("destroy", stack, env, tool!);
            await deleteKeptCrds(meshClusters, baseline);
        }),
    );
    return tool;
}

const builtinProviderUrn = `urn:pulumi:<stack>::${project}::pulumi:providers:pulumi::default`;

/** Check 11: the building blocks composed by hand in Python (`examples/python-components`), against the same program in TypeScript (`examples/components`). */
async function composeFromPython(env: EngineEnvironment, tool: PythonToolchain, clusters: LocalCluster[], charts: string, trust: MeshTrust): Promise<void> {
    const topology = "python-components";
    const meshClusters = clusters.slice(0, 2);
    const baseline = await allSnapshots(meshClusters);
    const { values, secrets } = componentsConfig(meshClusters, charts, trust);
    const programDir = path.join(repoRoot, "examples", "components");
    const reference = await phase("python components: the TypeScript program, for reference", () =>
        referenceRegistrations(env, "components-typescript", (s) => s.configureValues(values, secrets), meshClusters, baseline, programDir),
    );
    const stack = await ExampleStack.create(env, path.join(out, "work"), topology, programDir);
    await stack.configureValues(values, secrets);
    const deployed = await phase("python components: up", () =>
        check(topology, "11. the Python program composed of MeshRootCa, PrimaryCluster, EastWestGateway and RemoteSecret succeeds from empty in one run", async () => {
            await runPythonProgram("up", stack, env, tool, pythonComponentsProgram);
        }),
    );
    if (deployed) {
        // The plugin's SDK looks up each Kubernetes provider it is handed with the engine's getResource,
        // through the built-in provider of package "pulumi".
        await check(topology, "11. it registers what the same program in TypeScript registers, with the same inputs and providers, plus the plugin's provider and the engine's own", () =>
            assertRegistersAsReference(stack, reference, [pluginProviderUrn, builtinProviderUrn]),
        );
        await check(topology, "11. its state holds no kubeconfig or CA key in plain text", async () => {
            assert.deepEqual(exposedSecrets(env, topology, secrets), []);
        });
        await check(topology, "11. each cluster holds its own cacerts with its intermediate, and the other's remote secret", async () => {
            for (const [i, cluster] of meshClusters.entries()) {
                const other = meshClusters[1 - i];
                const cacerts = (await cluster.admin.find("/api/v1/namespaces/istio-system/secrets/cacerts")) as { data?: Record<string, string> } | undefined;
                assert.equal(Buffer.from(cacerts?.data?.["ca-cert.pem"] ?? "", "base64").toString().trim(), trust.intermediates[cluster.name].certPem.trim(), `${cluster.name}: cacerts`);
                assert.ok(await cluster.admin.find(`/api/v1/namespaces/istio-system/secrets/istio-remote-secret-${other.name}`), `${cluster.name}: no remote secret for ${other.name}`);
            }
        });
    }
    await phase("python components: destroy", () =>
        check(topology, "11. its destroy succeeds and leaves every server as it was, once the CRDs are deleted", async () => {
            await runPythonProgram("destroy", stack, env, tool, pythonComponentsProgram);
            await deleteKeptCrds(meshClusters, baseline);
        }),
    );
}

/** Waits until the object at `objectPath` exists (or, with `present` false, is gone). */
async function waitFor(cluster: LocalCluster, objectPath: string, present: boolean): Promise<void> {
    await until(`${cluster.name}: ${objectPath} ${present ? "present" : "gone"}`, 60_000, async () =>
        ((await cluster.admin.find(objectPath)) !== undefined) === present ? true : undefined,
    );
}

/** Check 8: a bad config fails before anything is touched, naming its config path. */
async function checkBadConfig(topology: string, env: EngineEnvironment, clusters: LocalCluster[], charts: string, trust: MeshTrust): Promise<void> {
    await check(topology, "8. a bad config exits non-zero with its config path and touches no server", async () => {
        const before = await allSnapshots(clusters);
        const stack = await ExampleStack.create(env, path.join(out, "work"), "bad-config");
        const config = meshConfig("multi-primary", clusters, charts, trust);
        config.clusters[1].podCidr = config.clusters[0].podCidr;
        config.clusters[1].network = config.clusters[0].network;
        config.clusters[2].name = "Cluster_3";
        await stack.configure(config, secretsOf(config, clusters, trust));
        const error = await stack.up().then(
            () => undefined,
            (err: Error) => err,
        );
        assert.ok(error, "up succeeded with a bad config");
        assert.match(error.message, /mesh\.clusters\[1\]\.podCidr/);
        assert.match(error.message, /mesh\.clusters\[2\]\.name/);
        const after = await allSnapshots(clusters);
        for (const c of clusters) {
            assert.deepEqual(snapshotDiff(before.get(c.name)!, after.get(c.name)!), { added: [], removed: [], changed: [] }, `${c.name} was touched`);
        }
        const registered = (await stack.resources()).filter((r) => r.custom);
        assert.deepEqual(registered.map((r) => r.urn), [], "a resource was registered for a bad config");
        await stack.stack.workspace.removeStack("bad-config", { force: true });
    });
}

/** Resources that a new cluster legitimately changes in the existing ones; none so far. */
/**
 * Check 9: the README's canary runbook, one config change and one `up` per step, on a primary and its
 * remote: the canary installed beside the main revision, the tag moved to it, the old revision removed.
 * Only Istio 1.30.3's charts are served here, so the canary is the same release under another revision:
 * what this shows is the releases, the tag's objects and the labels, on real API servers through Helm.
 */
async function checkCanaryUpgrade(topology: string, stack: ExampleStack, config: MeshConfig, clusters: LocalCluster[], trust: MeshTrust): Promise<void> {
    const steps: [string, MeshConfig["istio"], string[], string][] = [
        ["the canary installed beside the main revision", { revision: "1-30-3", revisionTags: ["prod"], additionalRevisions: [{ revision: "canary", version: "1.30.3" }] }, ["istiod-1-30-3", "istiod-canary"], "istiod-1-30-3"],
        ["the tag moved to the canary", { revision: "1-30-3", additionalRevisions: [{ revision: "canary", version: "1.30.3", revisionTags: ["prod"] }] }, ["istiod-1-30-3", "istiod-canary"], "istiod-canary"],
        ["the old revision removed", { revision: "canary", revisionTags: ["prod"] }, ["istiod-canary"], "istiod-canary"],
    ];
    for (const [what, revisions, releases, tagTarget] of steps) {
        await check(topology, `9. canary upgrade, ${what}: up succeeds, every cluster runs ${releases.join(" and ")}, tag prod injects through ${tagTarget}`, async () => {
            const c = { ...config, istio: { ...config.istio, revision: undefined, revisionTags: undefined, additionalRevisions: undefined, ...revisions } };
            await stack.configure(c, secretsOf(c, clusters, trust));
            await stack.up();
            for (const cluster of clusters.slice(0, 2)) {
                const deployed = (await cluster.admin.get(`/api/v1/namespaces/istio-system/secrets?labelSelector=${encodeURIComponent("owner=helm,status=deployed")}`)).items
                    .map((s: { metadata: { labels: Record<string, string> } }) => s.metadata.labels.name)
                    .filter((n: string) => n.startsWith("istiod"))
                    .sort();
                assert.deepEqual(deployed, releases, `${cluster.name}: istiod releases`);
                const tag = await cluster.admin.get("/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/istio-revision-tag-prod");
                assert.deepEqual([...new Set(tag.webhooks.map((w: { clientConfig: { service: { name: string } } }) => w.clientConfig.service.name))], [tagTarget], `${cluster.name}: tag prod's webhook`);
                assert.equal(tag.metadata.labels["istio.io/rev"], tagTarget.replace(/^istiod-/, ""), `${cluster.name}: the tag is labelled for the revision whose istiod keeps its CA bundle`);
                const ns = await cluster.admin.get("/api/v1/namespaces/default");
                assert.equal(ns.metadata.labels["istio.io/rev"], "prod", `${cluster.name}: injection follows the tag`);
            }
        });
    }
}

export const changedWhenAClusterJoins: { type: string; reason: string }[] = [];

/** Check 5: a third cluster joins without changing what exists, and leaving restores the earlier state. */
async function checkClusterJoinsAndLeaves(topology: string, stack: ExampleStack, config: MeshConfig, clusters: LocalCluster[], trust: MeshTrust): Promise<void> {
    const withClusters = async (n: number) => {
        const c = { ...config, clusters: config.clusters.slice(0, n) };
        c.trust = { ...c.trust, intermediates: Object.fromEntries(Object.entries(c.trust!.intermediates!).filter(([k]) => c.clusters.some((x) => x.name === k))) };
        await stack.configure(c, secretsOf(c, clusters, trust));
    };
    const state = async () => (await stack.resources()).map((r) => ({ urn: r.urn, inputs: r.inputs })).sort((a, b) => a.urn.localeCompare(b.urn));
    await check(topology, "5. a cluster leaves: up succeeds and its server is left empty", async () => {
        await withClusters(2);
        await stack.up();
    });
    const before = await state();
    await check(topology, "5. a cluster joins: up changes no existing resource", async () => {
        await withClusters(3);
        const { log } = await stack.preview();
        const changed = log.steps.filter((s) => !["same", "create", "read"].includes(s.op) && !changedWhenAClusterJoins.some((c) => c.type === s.type));
        assert.deepEqual(changed.map((s) => `${s.op} ${nameOf(s.urn)} (${s.diffs?.join(", ") ?? ""})`), []);
        await stack.up();
    });
    await check(topology, "5. the cluster leaves again: the stack returns to its earlier state", async () => {
        await withClusters(2);
        await stack.up();
        assert.deepEqual(await state(), before);
    });
    await withClusters(3);
    await stack.up();
}

async function main(argv: string[]): Promise<number> {
    const clustersDir = path.join(out, "clusters");
    if (argv.includes("--down")) {
        await stopClusters(clustersDir);
        console.log("local clusters stopped");
        return 0;
    }
    const keep = argv.includes("--keep");
    const onlyName = argv.includes("--only") ? argv[argv.indexOf("--only") + 1] : undefined;
    const only = onlyName ? topologies.filter((t) => t === onlyName) : topologies;
    if (onlyName && only.length === 0 && onlyName !== "python") {
        throw new Error(`--only takes one of ${topologies.join(", ")}, python; not ${onlyName}`);
    }
    mkdirSync(out, { recursive: true });
    rmSync(path.join(out, "state"), { recursive: true, force: true });
    rmSync(path.join(out, "work"), { recursive: true, force: true });

    const bins = await phase("toolchain", async () => toolchain());
    const env: EngineEnvironment = { pulumiRoot: bins.pulumi, pulumiHome: path.join(out, "pulumi-home"), backendDir: path.join(out, "state") };
    mkdirSync(env.backendDir, { recursive: true });
    const providerVersion = await phase("plugins", async () => installPlugins(env, bins["kubernetes-provider"]));
    const chartServer = await phase("charts", async () => {
        packageCharts(chartSources, path.join(out, "charts"));
        return serveCharts(path.join(out, "charts"));
    });
    let clusters: LocalCluster[] = [];
    // Interrupted: stop the servers all the same (unless asked to keep them).
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
        process.once(signal, () => {
            void (keep ? Promise.resolve() : stopClusters(clustersDir)).finally(() => process.exit(130));
        });
    }
    try {
        clusters = await phase("clusters", () =>
            startClusters({ etcd: path.join(bins.etcd, "etcd"), kubeApiserver: path.join(bins.kube, "kube-apiserver"), kubeControllerManager: path.join(bins.kube, "kube-controller-manager") }, clusterNames, clustersDir),
        );
        const trust = await makeTrust(clusterNames);
        for (const topology of only) {
            await deployTopology(topology, env, clusters, chartServer.url, trust);
        }
        if (!onlyName || onlyName === "python") {
            const tool = await deployFromPython(env, bins, clusters, chartServer.url, trust);
            if (tool) {
                await composeFromPython(env, tool, clusters, chartServer.url, trust);
            }
        }
        if (keep) {
            await phase("keep: multi-primary up", async () => {
                const stack = await ExampleStack.create(env, path.join(out, "work"), "multi-primary");
                const config = meshConfig("multi-primary", clusters, chartServer.url, trust);
                await stack.configure(config, secretsOf(config, clusters, trust));
                await stack.up();
            });
            writeJson(
                path.join(out, "clusters.json"),
                clusters.map((c) => ({ name: c.name, server: c.server, kubeconfig: path.relative(out, c.kubeconfigPath) })),
            );
        }
    } finally {
        await chartServer.close();
        if (!keep) {
            await stopClusters(clustersDir);
        }
    }
    const passed = results.filter((r) => r.outcome === "passed").length;
    const failed = results.length - passed;
    writeJson(path.join(out, "result.json"), {
        versions: { pulumi: "v3.248.0", kubernetesProvider: `${bins.KUBERNETES_PROVIDER_VERSION} (installed as ${providerVersion})`, kubernetes: bins.KUBERNETES_VERSION, istio: "1.30.3" },
        phases,
        checks: results,
    });
    console.log(`${passed} passed, ${failed} failed`);
    return failed === 0 && passed > 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
        console.error(err);
        console.log(`${results.filter((r) => r.outcome === "passed").length} passed, ${results.filter((r) => r.outcome === "failed").length + 1} failed`);
        process.exit(1);
    },
);
