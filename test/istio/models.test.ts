import * as assert from "node:assert/strict";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { EastWestGateway, MeshRootCa, PrimaryCluster, RemoteCluster, RemoteSecret, remoteSecretPlan } from "../../lib";
import { clusterCaPem, loadBalancerIp, serviceAccountToken } from "../harness/kubernetesProvider";
import { gatewayValuesErrors, istioObjectErrors } from "../harness/istioSchemas";
import { MockCloud, Registration, inspect, programFailures, urnOf } from "../harness/mocks";
import { orderingProblems } from "../harness/ordering";
import { isSecretWrapper, looksSensitive, plainStrings, reveal } from "../harness/secrets";

const T = {
    release: "kubernetes:helm.sh/v3:Release",
    namespace: "kubernetes:core/v1:Namespace",
    secret: "kubernetes:core/v1:Secret",
    patch: "kubernetes:core/v1:NamespacePatch",
    service: "kubernetes:core/v1:Service",
    gateway: "kubernetes:networking.istio.io/v1:Gateway",
    virtualService: "kubernetes:networking.istio.io/v1:VirtualService",
    peerAuthentication: "kubernetes:security.istio.io/v1:PeerAuthentication",
};
const repo = "https://istio-release.storage.googleapis.com/charts";

/** Builds clusters on mocked providers named `<cluster>-k8s`, so the mock knows which cluster is which. */
/** The program failed, and one of its failures gives `reason`. */
function assertFailedWith(failures: string[], reason: RegExp): void {
    assert.ok(
        failures.some((f) => reason.test(f)),
        `the program fails with the reason, got ${failures.join("; ")}`,
    );
}

class Mesh {
    public readonly ca: MeshRootCa;
    private readonly providers = new Map<string, k8s.Provider>();
    constructor(public readonly cloud: MockCloud, primaries: string[]) {
        this.ca = new MeshRootCa("ca", { clusters: primaries });
    }
    provider(cluster: string): k8s.Provider {
        if (!this.providers.has(cluster)) {
            this.providers.set(cluster, new k8s.Provider(`${cluster}-k8s`, { kubeconfig: `kubeconfig of ${cluster}` }));
        }
        return this.providers.get(cluster)!;
    }
    /** What every Istio cluster component of this mesh takes. */
    private identity(cluster: string, network: string) {
        return { clusterName: cluster, network, meshId: "mesh1", provider: this.provider(cluster), apiServer: `https://${cluster}.internal:6443` };
    }
    primary(cluster: string, network: string, extra: Partial<ConstructorParameters<typeof PrimaryCluster>[1]> = {}): PrimaryCluster {
        return new PrimaryCluster(cluster, { ...this.identity(cluster, network), cacerts: this.ca.cacerts[cluster], ...extra });
    }
    remote(cluster: string, network: string, controlPlane: PrimaryCluster, remotePilotAddress: EastWestGateway["address"]): RemoteCluster {
        return new RemoteCluster(cluster, { ...this.identity(cluster, network), controlPlane, remotePilotAddress });
    }
    async done(...resources: { urn: EastWestGateway["urn"] }[]): Promise<void> {
        await Promise.all(resources.map((r) => inspect(r.urn)));
        await this.cloud.settle();
    }
    on(cluster: string): Registration[] {
        return this.cloud.registrations.filter((r) => r.provider?.includes(`::${cluster}-k8s::`));
    }
    release(resourceName: string): Registration {
        return this.cloud.find(T.release, resourceName);
    }
}

/** What every east-west gateway gets unless told otherwise: two pods, a budget, spread across zones. */
const highlyAvailableGateway = {
    replicaCount: 2,
    autoscaling: { minReplicas: 2, maxReplicas: 5 },
    podDisruptionBudget: { minAvailable: 1 },
    topologySpreadConstraints: [
        { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: { app: "istio-eastwestgateway", istio: "eastwestgateway" } } },
    ],
};

function values(r: Registration): Record<string, any> {
    return reveal(r.inputs.values) as Record<string, any>;
}

function assertRelease(r: Registration, chart: string, releaseName: string, cluster: string) {
    assert.equal(r.inputs.chart, chart, `${r.name} chart`);
    assert.equal(r.inputs.name, releaseName, `${r.name} release name`);
    assert.equal(r.inputs.version, "1.30.3", `${r.name} version`);
    assert.equal(r.inputs.namespace, "istio-system", `${r.name} namespace`);
    assert.deepEqual(r.inputs.repositoryOpts, { repo }, `${r.name} repository`);
    assert.ok(r.provider?.includes(`::${cluster}-k8s::`), `${r.name} goes to ${cluster}`);
}

/** Every remote secret in the mesh: which cluster holds it, which it is for, and its parsed kubeconfig. */
function remoteSecrets(cloud: MockCloud) {
    return cloud
        .ofType(T.secret)
        .filter((r) => (reveal(r.inputs.metadata) as any).labels?.["istio/multiCluster"] === "true")
        .map((r) => {
            const metadata = reveal(r.inputs.metadata) as any;
            const watched = metadata.annotations["networking.istio.io/cluster"];
            const holder = /::([^:]+)-k8s::/.exec(r.provider ?? "")![1];
            assert.ok(isSecretWrapper(r.inputs.stringData) || isSecretWrapper((r.inputs.stringData as any)?.[watched]), `${r.name} data is secret`);
            const data = reveal(r.inputs.stringData) as Record<string, string>;
            assert.deepEqual(Object.keys(data), [watched], "one key, the cluster ID");
            return { holder, watched, name: metadata.name, namespace: metadata.namespace, kubeconfig: parse(data[watched]) };
        });
}

function assertKubeconfigFor(kubeconfig: any, cluster: string) {
    assert.deepEqual(kubeconfig, {
        apiVersion: "v1",
        clusters: [{ cluster: { "certificate-authority-data": Buffer.from(clusterCaPem(`${cluster}-k8s`)).toString("base64"), server: `https://${cluster}.internal:6443` }, name: cluster }],
        contexts: [{ context: { cluster, user: cluster }, name: cluster }],
        "current-context": cluster,
        kind: "Config",
        preferences: {},
        users: [{ name: cluster, user: { token: serviceAccountToken(`${cluster}-k8s`, "istio-system", "istio-reader-service-account-istio-remote-secret-token") } }],
    });
}

/** What every cluster of every model must have: its namespace, and base and istiod from Istio's charts. */
function assertInstalled(mesh: Mesh, cluster: string, network: string, role: "primary" | "remote", controlPlane?: string) {
    const ns = mesh.cloud.find(T.namespace, `${cluster}-namespace`);
    assert.deepEqual(ns.inputs.metadata, {
        name: "istio-system",
        labels: { "topology.istio.io/network": network },
        ...(role === "remote" ? { annotations: { "topology.istio.io/controlPlaneClusters": controlPlane } } : {}),
    });
    assertRelease(mesh.release(`${cluster}-base`), "base", "istio-base", cluster);
    const { base: webhookSettings, ...base } = values(mesh.release(`${cluster}-base`));
    assert.deepEqual(base, { ...(role === "remote" ? { profile: "remote" } : {}), global: { istioNamespace: "istio-system" } });
    if (role === "remote") {
        assert.match(Buffer.from(webhookSettings.validationCABundle, "base64").toString("utf8"), /^-----BEGIN CERTIFICATE-----\n/, "a remote's validator trusts the mesh's roots");
    } else {
        assert.equal(webhookSettings, undefined);
    }
    const istiod = mesh.release(`${cluster}-istiod`);
    assertRelease(istiod, "istiod", "istiod", cluster);
    assert.equal(values(istiod).global.meshID, "mesh1");
    assert.equal(values(istiod).global.multiCluster.clusterName, cluster);
    assert.equal(values(istiod).global.network, network);
    assert.equal(values(istiod).profile, role === "remote" ? "remote" : undefined);
    assert.equal(mesh.on(cluster).filter((r) => r.name === `${cluster}-cacerts`).length, role === "primary" ? 1 : 0);
}

/** Every gateway release's values pass the chart's schema; every Istio object passes its CRD's. */
function assertSchemas(cloud: MockCloud) {
    for (const r of cloud.ofType(T.release).filter((r) => r.inputs.chart === "gateway")) {
        assert.deepEqual(gatewayValuesErrors(values(r)), [], `${r.name} values`);
    }
    for (const r of cloud.registrations.filter((r) => r.type.includes(".istio.io/"))) {
        const object = reveal(r.inputs) as { apiVersion: string; kind: string; spec: unknown };
        assert.deepEqual(istioObjectErrors(object), [], `${r.name} spec`);
    }
}

function assertNoPlainSecrets(cloud: MockCloud) {
    assertSchemas(cloud);
    for (const r of cloud.registrations) {
        for (const leaf of [...plainStrings(r.inputs, "inputs"), ...plainStrings(r.state ?? {}, "state")]) {
            assert.ok(!looksSensitive(leaf.value), `${r.type} ${r.name} ${leaf.path} holds a key or token outside a secret`);
        }
    }
}

describe("Istio deployment models", () => {
    describe("multi-primary, multi-network (seed 003)", () => {
        let mesh: Mesh;
        before(async () => {
            mesh = new Mesh(MockCloud.install(), ["cluster1", "cluster2"]);
            const c1 = mesh.primary("cluster1", "network1");
            const c2 = mesh.primary("cluster2", "network2");
            const g1 = new EastWestGateway("cluster1-eastwest", { cluster: c1, addressType: "intranet" });
            const g2 = new EastWestGateway("cluster2-eastwest", { cluster: c2 });
            const s12 = new RemoteSecret("cluster1-watches-cluster2", { watcher: c1, watched: c2 });
            const s21 = new RemoteSecret("cluster2-watches-cluster1", { watcher: c2, watched: c1 });
            await mesh.done(c1, c2, g1, g2, s12, s21);
        });

        it("makes each resource wait for what it needs, and for nothing of an unrelated cluster", () => {
            assert.deepEqual(orderingProblems({ clusters: [{ name: "cluster1", role: "primary" as const, network: "n" }, { name: "cluster2", role: "primary" as const, network: "n" }] }, mesh.cloud.registrations, ""), [], "each resource waits for what it needs, and for nothing of unrelated clusters");
        });

        it("labels each Istio namespace with its network", () => {
            for (const [cluster, network] of [["cluster1", "network1"], ["cluster2", "network2"]]) {
                const ns = mesh.cloud.find(T.namespace, `${cluster}-namespace`);
                assert.deepEqual(ns.inputs.metadata, { name: "istio-system", labels: { "topology.istio.io/network": network } });
            }
        });

        it("installs base, istiod and the east-west gateway from Istio's charts with the mesh identity", () => {
            for (const [cluster, network] of [["cluster1", "network1"], ["cluster2", "network2"]]) {
                assertRelease(mesh.release(`${cluster}-base`), "base", "istio-base", cluster);
                assert.deepEqual(values(mesh.release(`${cluster}-base`)), { global: { istioNamespace: "istio-system" } });
                const istiod = mesh.release(`${cluster}-istiod`);
                assertRelease(istiod, "istiod", "istiod", cluster);
                assert.deepEqual(values(istiod).global, { istioNamespace: "istio-system", meshID: "mesh1", multiCluster: { clusterName: cluster }, network });
                const gateway = mesh.release(`${cluster}-eastwest-release`);
                assertRelease(gateway, "gateway", "istio-eastwestgateway", cluster);
                const annotations = cluster === "cluster1" ? { annotations: { "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type": "intranet" } } : {};
                assert.deepEqual(values(gateway), { labels: { istio: "eastwestgateway" }, networkGateway: network, service: { type: "LoadBalancer", ...annotations }, ...highlyAvailableGateway });
            }
        });

        it("puts the cacerts Secret from MeshRootCa in each primary, its key secret", async () => {
            for (const cluster of ["cluster1", "cluster2"]) {
                const secret = mesh.cloud.find(T.secret, `${cluster}-cacerts`);
                assert.deepEqual(reveal(secret.inputs.metadata), { name: "cacerts", namespace: "istio-system" });
                const data = reveal(secret.inputs.stringData) as Record<string, string>;
                assert.deepEqual(Object.keys(data).sort(), ["ca-cert.pem", "ca-key.pem", "cert-chain.pem", "root-cert.pem"]);
                for (const key of Object.keys(data)) {
                    assert.equal(data[key], (await inspect(mesh.ca.cacerts[cluster][key as keyof (typeof mesh.ca.cacerts)[string]])).value);
                }
                assert.ok(isSecretWrapper(secret.inputs.stringData), "the Secret's data travels as a secret");
            }
        });

        it("exposes services across networks in every primary and sets STRICT mTLS there", () => {
            for (const cluster of ["cluster1", "cluster2"]) {
                const gateway = mesh.cloud.find(T.gateway, `${cluster}-eastwest-cross-network-gateway`);
                assert.ok(gateway.provider?.includes(`::${cluster}-k8s::`));
                assert.equal((reveal(gateway.inputs.spec) as any).servers[0].tls.mode, "AUTO_PASSTHROUGH");
                const pa = mesh.cloud.find(T.peerAuthentication, `${cluster}-peer-authentication`);
                assert.deepEqual(reveal(pa.inputs.spec), { mtls: { mode: "STRICT" } });
            }
            assert.equal(mesh.cloud.ofType(T.virtualService).length, 0, "no istiod exposure without remotes");
        });

        it("creates remote secrets both ways, in istioctl's layout, and none for a cluster's own ID", () => {
            const secrets = remoteSecrets(mesh.cloud);
            assert.deepEqual(secrets.map((s) => `${s.holder}>${s.watched}`).sort(), ["cluster1>cluster2", "cluster2>cluster1"]);
            for (const s of secrets) {
                assert.equal(s.name, `istio-remote-secret-${s.watched}`);
                assert.equal(s.namespace, "istio-system");
                assertKubeconfigFor(s.kubeconfig, s.watched);
            }
        });

        it("asks each cluster for the reader's token", () => {
            for (const cluster of ["cluster1", "cluster2"]) {
                const token = mesh.cloud.find(T.secret, `${cluster}-reader-token`);
                assert.equal(token.inputs.type, "kubernetes.io/service-account-token");
                assert.deepEqual(reveal(token.inputs.metadata), {
                    name: "istio-reader-service-account-istio-remote-secret-token",
                    namespace: "istio-system",
                    annotations: { "kubernetes.io/service-account.name": "istio-reader-service-account" },
                });
            }
        });

        it("labels the default namespace for injection in each cluster", () => {
            for (const cluster of ["cluster1", "cluster2"]) {
                assert.deepEqual(mesh.cloud.find(T.patch, `${cluster}-injection-default`).inputs.metadata, { name: "default", labels: { "istio-injection": "enabled" } });
            }
        });

        it("gives every Kubernetes child its cluster's provider explicitly", () => {
            for (const r of mesh.cloud.registrations.filter((r) => r.type.startsWith("kubernetes:"))) {
                assert.match(r.provider ?? "", /::cluster[12]-k8s::/, `${r.name} has an explicit provider`);
            }
            assert.equal(mesh.on("cluster1").length + mesh.on("cluster2").length, mesh.cloud.registrations.filter((r) => r.type.startsWith("kubernetes:")).length);
        });

        it("keeps every key, token and kubeconfig inside Pulumi secrets", () => {
            assertNoPlainSecrets(mesh.cloud);
        });
    });

    describe("multi-primary, one network", () => {
        it("needs no east-west gateway and wires secrets both ways", async () => {
            const mesh = new Mesh(MockCloud.install(), ["a", "b", "c"]);
            const clusters = ["a", "b", "c"].map((c) => mesh.primary(c, "network1"));
            const plan = remoteSecretPlan(clusters.map((c) => ({ name: c.clusterName, role: c.role })));
            const secrets = plan.map((p) => new RemoteSecret(`${p.watcher}-watches-${p.watched}`, {
                watcher: clusters.find((c) => c.clusterName === p.watcher)!,
                watched: clusters.find((c) => c.clusterName === p.watched)!,
            }));
            await mesh.done(...clusters, ...secrets);
            assert.deepEqual(orderingProblems({ clusters: [{ name: "a", role: "primary" as const, network: "n" }, { name: "b", role: "primary" as const, network: "n" }, { name: "c", role: "primary" as const, network: "n" }] }, mesh.cloud.registrations, ""), [], "each resource waits for what it needs, and for nothing of unrelated clusters");
            const found = remoteSecrets(mesh.cloud);
            assert.equal(found.length, 3 * 2, "N×(N−1)");
            assert.ok(found.every((s) => s.holder !== s.watched));
            for (const s of found) {
                assertKubeconfigFor(s.kubeconfig, s.watched);
            }
            assert.equal(mesh.cloud.ofType(T.release).filter((r) => r.inputs.chart === "gateway").length, 0);
            for (const c of ["a", "b", "c"]) {
                assertInstalled(mesh, c, "network1", "primary");
            }
            assertNoPlainSecrets(mesh.cloud);
        });
    });

    describe("primary-remote, one flat network", () => {
        let mesh: Mesh;
        let gatewayAddress: string;
        let rootPem: string;
        before(async () => {
            mesh = new Mesh(MockCloud.install(), ["primary"]);
            const primary = mesh.primary("primary", "network1", { servesRemotes: true });
            const gateway = new EastWestGateway("primary-eastwest", { cluster: primary, exposeServices: false, exposeIstiod: true });
            const remote = mesh.remote("remote", "network1", primary, gateway.address);
            gatewayAddress = (await inspect(gateway.address)).value;
            rootPem = (await inspect(mesh.ca.trustBundlePem)).value;
            await mesh.done(primary, gateway, remote);
        });

        it("makes each resource wait for what it needs, and for nothing of an unrelated cluster", () => {
            assert.deepEqual(orderingProblems({ clusters: [{ name: "primary", role: "primary" as const, network: "n" }, { name: "remote", role: "remote" as const, network: "n", controlPlane: "primary" }] }, mesh.cloud.registrations, ""), [], "each resource waits for what it needs, and for nothing of unrelated clusters");
        });

        it("marks the primary as external istiod and exposes istiod through its east-west gateway", () => {
            assert.equal(values(mesh.release("primary-istiod")).global.externalIstiod, true);
            assert.equal(values(mesh.release("primary-istiod")).autoscaleMin, 2, "the remotes' injector fails closed without it: never one istiod");
            assert.equal(mesh.cloud.ofType(T.gateway).map((g) => g.name).join(), "primary-eastwest-istiod-gateway");
            const vs = mesh.cloud.find(T.virtualService, "primary-eastwest-istiod-vs");
            assert.ok(vs.provider?.includes("::primary-k8s::"));
        });

        it("installs the remote with the remote profile, annotated namespace, and the primary's address", () => {
            const ns = mesh.cloud.find(T.namespace, "remote-namespace");
            assert.deepEqual(ns.inputs.metadata, {
                name: "istio-system",
                labels: { "topology.istio.io/network": "network1" },
                annotations: { "topology.istio.io/controlPlaneClusters": "primary" },
            });
            assertRelease(mesh.release("remote-base"), "base", "istio-base", "remote");
            assert.deepEqual(values(mesh.release("remote-base")), { profile: "remote", base: { validationCABundle: Buffer.from(rootPem).toString("base64") }, global: { istioNamespace: "istio-system" } });
            const istiod = mesh.release("remote-istiod");
            assertRelease(istiod, "istiod", "istiod", "remote");
            assert.equal(gatewayAddress, loadBalancerIp("primary-k8s", "istio-system/istio-eastwestgateway"));
            assert.deepEqual(values(istiod), {
                profile: "remote",
                global: {
                    istioNamespace: "istio-system",
                    meshID: "mesh1",
                    multiCluster: { clusterName: "remote" },
                    network: "network1",
                    remotePilotAddress: gatewayAddress,
                    configCluster: false,
                },
                istiodRemote: { injectionPath: "/inject/cluster/remote/net/network1", injectionCABundle: Buffer.from(rootPem).toString("base64") },
            });
        });

        it("makes the remote's webhooks trust the primary's istiod from the start: the mesh's roots in both caBundles", () => {
            const bundle = Buffer.from(rootPem).toString("base64");
            assert.equal(values(mesh.release("remote-istiod")).istiodRemote.injectionCABundle, bundle, "injection, before the primary first patches it");
            assert.equal(values(mesh.release("remote-base")).base.validationCABundle, bundle, "the default validator, which nothing patches on a remote");
            assert.equal(values(mesh.release("primary-base")).base, undefined, "a primary's istiod patches its own webhooks");
        });

        it("installs both clusters from Istio's charts", () => {
            assertInstalled(mesh, "primary", "network1", "primary");
            assertInstalled(mesh, "remote", "network1", "remote", "primary");
        });

        it("gives the remote no cacerts, no Istio config objects, and one secret in its primary", () => {
            assert.equal(mesh.on("remote").filter((r) => r.name.endsWith("cacerts")).length, 0);
            assert.equal(mesh.on("remote").filter((r) => r.type.includes("istio.io")).length, 0);
            const secrets = remoteSecrets(mesh.cloud);
            assert.deepEqual(secrets.map((s) => `${s.holder}>${s.watched}`), ["primary>remote"]);
            assertKubeconfigFor(secrets[0].kubeconfig, "remote");
            assertNoPlainSecrets(mesh.cloud);
        });
    });

    describe("primary-remote across networks", () => {
        it("gives the remote its own gateway, configured by the primary's Gateway objects", async () => {
            const mesh = new Mesh(MockCloud.install(), ["primary"]);
            const primary = mesh.primary("primary", "network1", { servesRemotes: true });
            const gateway = new EastWestGateway("primary-eastwest", { cluster: primary, exposeIstiod: true });
            const remote = mesh.remote("remote", "network2", primary, gateway.address);
            const remoteGateway = new EastWestGateway("remote-eastwest", { cluster: remote });
            await mesh.done(primary, gateway, remote, remoteGateway);
            assert.deepEqual(orderingProblems({ clusters: [{ name: "primary", role: "primary" as const, network: "n" }, { name: "remote", role: "remote" as const, network: "n", controlPlane: "primary" }] }, mesh.cloud.registrations, ""), [], "each resource waits for what it needs, and for nothing of unrelated clusters");
            assertInstalled(mesh, "primary", "network1", "primary");
            assertInstalled(mesh, "remote", "network2", "remote", "primary");
            assertRelease(mesh.release("remote-eastwest-release"), "gateway", "istio-eastwestgateway", "remote");
            assertKubeconfigFor(remoteSecrets(mesh.cloud)[0].kubeconfig, "remote");
            assert.deepEqual(values(mesh.release("remote-eastwest-release")), { labels: { istio: "eastwestgateway" }, networkGateway: "network2", service: { type: "LoadBalancer" }, ...highlyAvailableGateway });
            assert.ok(mesh.release("remote-eastwest-release").provider?.includes("::remote-k8s::"));
            assert.deepEqual(mesh.cloud.ofType(T.gateway).map((g) => g.name).sort(), ["primary-eastwest-cross-network-gateway", "primary-eastwest-istiod-gateway"]);
            assert.ok(mesh.cloud.ofType(T.gateway).every((g) => g.provider?.includes("::primary-k8s::")), "config objects live where istiod reads them");
            assert.equal(values(mesh.release("remote-istiod")).global.network, "network2");
            assert.equal(values(mesh.release("remote-istiod")).istiodRemote.injectionPath, "/inject/cluster/remote/net/network2");
            assertNoPlainSecrets(mesh.cloud);
        });
    });

    describe("several primaries, each serving remotes", () => {
        it("creates P×(N−1) remote secrets: every primary watches every other cluster", async () => {
            const mesh = new Mesh(MockCloud.install(), ["p1", "p2"]);
            const p1 = mesh.primary("p1", "n1", { servesRemotes: true });
            const p2 = mesh.primary("p2", "n2", { servesRemotes: true });
            const g1 = new EastWestGateway("p1-eastwest", { cluster: p1, exposeIstiod: true });
            const g2 = new EastWestGateway("p2-eastwest", { cluster: p2, exposeIstiod: true });
            const r1 = mesh.remote("r1", "n1", p1, g1.address);
            const r2 = mesh.remote("r2", "n2", p2, g2.address);
            const all = [p1, p2, r1, r2];
            const plan = remoteSecretPlan(all.map((c) => ({ name: c.clusterName, role: c.role, controlPlane: c instanceof RemoteCluster ? c.controlPlane : undefined })));
            assert.deepEqual(plan.filter((p) => p.madeByRemoteCluster).map((p) => `${p.watcher}>${p.watched}`), ["p1>r1", "p2>r2"]);
            const secrets = plan.filter((p) => !p.madeByRemoteCluster).map((p) => new RemoteSecret(`${p.watcher}-watches-${p.watched}`, {
                watcher: all.find((c) => c.clusterName === p.watcher)!,
                watched: all.find((c) => c.clusterName === p.watched)!,
            }));
            await mesh.done(...all, g1, g2, ...secrets);
            assert.deepEqual(orderingProblems({ clusters: [{ name: "p1", role: "primary" as const, network: "n" }, { name: "p2", role: "primary" as const, network: "n" }, { name: "r1", role: "remote" as const, network: "n", controlPlane: "p1" }, { name: "r2", role: "remote" as const, network: "n", controlPlane: "p2" }] }, mesh.cloud.registrations, ""), [], "each resource waits for what it needs, and for nothing of unrelated clusters");

            for (const [cluster, network, role, cp] of [["p1", "n1", "primary"], ["p2", "n2", "primary"], ["r1", "n1", "remote", "p1"], ["r2", "n2", "remote", "p2"]] as const) {
                assertInstalled(mesh, cluster, network, role, cp);
            }
            assertNoPlainSecrets(mesh.cloud);
            const found = remoteSecrets(mesh.cloud);
            assert.equal(found.length, 2 * (4 - 1));
            assert.deepEqual(found.map((s) => `${s.holder}>${s.watched}`).sort(), ["p1>p2", "p1>r1", "p1>r2", "p2>p1", "p2>r1", "p2>r2"]);
            for (const s of found) {
                assertKubeconfigFor(s.kubeconfig, s.watched);
            }
        });
    });

    describe("deployment order, observed with registration latency", () => {
        let mesh: Mesh;
        const find = (type: string, name: string) => mesh.cloud.find(type, name);
        const precedes = (first: Registration, then: Registration) =>
            assert.ok(first.finishedAt! < then.startedAt, `${first.name} is done before ${then.name} starts`);
        before(async () => {
            mesh = new Mesh(
                MockCloud.install({ latencyMs: { [T.release]: 40, [T.namespace]: 10, [T.secret]: 10, [T.service]: 5 } }),
                ["primary"],
            );
            const primary = mesh.primary("primary", "network1", { servesRemotes: true });
            const gateway = new EastWestGateway("primary-eastwest", { cluster: primary, exposeIstiod: true });
            const remote = mesh.remote("remote", "network2", primary, gateway.address);
            const remoteGateway = new EastWestGateway("remote-eastwest", { cluster: remote });
            await mesh.done(primary, gateway, remote, remoteGateway);
        });

        it("creates the namespace and cacerts before istiod", () => {
            precedes(find(T.namespace, "primary-namespace"), mesh.release("primary-istiod"));
            precedes(find(T.secret, "primary-cacerts"), mesh.release("primary-istiod"));
            precedes(find(T.namespace, "primary-namespace"), find(T.secret, "primary-cacerts"));
        });

        it("installs gateways after istiod, whose injector their pods need", () => {
            precedes(mesh.release("primary-istiod"), mesh.release("primary-eastwest-release"));
            precedes(mesh.release("remote-istiod"), mesh.release("remote-eastwest-release"));
        });

        it("creates the remote secret after the remote's istiod chart brought the reader's ClusterRole", () => {
            precedes(mesh.release("remote-istiod"), find(T.secret, "remote-remote-secret"));
        });

        it("asks for the reader token after base created its service account", () => {
            precedes(mesh.release("primary-base"), find(T.secret, "primary-reader-token"));
            precedes(mesh.release("remote-base"), find(T.secret, "remote-reader-token"));
        });

        it("annotates the remote's namespace before installing anything there", () => {
            precedes(find(T.namespace, "remote-namespace"), mesh.release("remote-base"));
            precedes(find(T.namespace, "remote-namespace"), mesh.release("remote-istiod"));
        });

        it("starts the remote's gateway and workloads only after its primary's istiod and remote secret", () => {
            for (const then of [mesh.release("remote-eastwest-release"), find(T.patch, "remote-injection-default")]) {
                precedes(mesh.release("primary-istiod"), then);
                precedes(find(T.secret, "remote-remote-secret"), then);
            }
        });

        it("feeds the primary gateway's address into the remote's istiod once istiod is routed through it", () => {
            precedes(find(T.service, "primary-eastwest-service"), mesh.release("remote-istiod"));
            precedes(find(T.gateway, "primary-eastwest-istiod-gateway"), mesh.release("remote-istiod"));
            precedes(find(T.virtualService, "primary-eastwest-istiod-vs"), mesh.release("remote-istiod"));
        });

        it("installs the clusters in parallel: nothing in the remote's base waits for the primary's resources", () => {
            // The remote's base waits for the mesh's roots (its validator's caBundle), not for the primary's charts.
            const primaryUrns = new Set(mesh.on("primary").map((r) => r.urn));
            assert.deepEqual(mesh.release("remote-base").dependencies.filter((d) => primaryUrns.has(d)), []);
            assert.ok(mesh.release("remote-base").dependencies.some((d) => d.includes("::ca-")), "it waits for the trust material");
            assert.ok(find(T.namespace, "remote-namespace").startedAt < find(T.namespace, "primary-namespace").finishedAt!);
        });
    });

    it("names a remote's istiod release for its primary's revision", async () => {
        const mesh = new Mesh(MockCloud.install(), ["primary"]);
        const primary = mesh.primary("primary", "network1", { servesRemotes: true, revision: "1-30-3" });
        const gateway = new EastWestGateway("primary-eastwest", { cluster: primary, exposeIstiod: true });
        mesh.remote("remote", "network1", primary, gateway.address);
        await mesh.cloud.settle();
        assert.equal(mesh.release("remote-istiod-1-30-3").inputs.name, "istiod-1-30-3");
        assert.equal(mesh.release("primary-istiod-1-30-3").inputs.name, "istiod-1-30-3");
    });

    it("stops a remote whose control plane's gateway has no IPv4 address before its istiod installs", async () => {
        const mesh = new Mesh(
            MockCloud.install({
                resources: {
                    // A load balancer that got only a hostname.
                    [T.service]: (r) => (r.read ? { id: r.id, state: { metadata: {}, spec: {}, status: { loadBalancer: { ingress: [{ hostname: "lb.example.com" }] } } } } : undefined),
                },
            }),
            ["primary"],
        );
        const primary = mesh.primary("primary", "network1", { servesRemotes: true });
        const gateway = new EastWestGateway("primary-eastwest", { cluster: primary, exposeIstiod: true });
        mesh.remote("remote", "network1", primary, gateway.address);
        const failures = await programFailures(async () => {
            await inspect(gateway.address);
            await mesh.cloud.settle();
        });
        assertFailedWith(failures, /remotePilotAddress is empty: the primary's east-west gateway has no IP address/);
        assert.equal(mesh.cloud.ofType(T.release).filter((r) => r.name === "remote-istiod").length, 0, "the remote's istiod never reaches the cluster");
    });

    it("stops a remote secret whose cluster's token controller has not filled in the reader's token", async () => {
        const mesh = new Mesh(
            MockCloud.install({
                resources: {
                    // No token controller: the token Secret stays empty.
                    [T.secret]: (r) => (r.name === "c2-reader-token" ? { id: r.name, state: { ...(r.inputs as Record<string, unknown>), data: {} } } : undefined),
                },
            }),
            ["c1", "c2"],
        );
        const [c1, c2] = [mesh.primary("c1", "network1"), mesh.primary("c2", "network1")];
        new RemoteSecret("c1-watches-c2", { watcher: c1, watched: c2 });
        const failures = await programFailures(() => mesh.cloud.settle());
        assertFailedWith(failures, /token Secret istio-reader-service-account-istio-remote-secret-token holds no token yet/);
        assert.equal(mesh.cloud.ofType(T.secret).filter((r) => r.name === "c1-watches-c2-secret").length, 0, "no remote secret without a token reaches c1");
    });

    it("stops a remote whose Flannel gateway's own Service got no address", async () => {
        const mesh = new Mesh(
            MockCloud.install({
                resources: {
                    [T.service]: (r) => (r.read ? undefined : { id: r.name, state: { ...(r.inputs as Record<string, unknown>), status: { loadBalancer: {} } } }),
                },
            }),
            ["primary"],
        );
        const primary = mesh.primary("primary", "network1", { servesRemotes: true });
        const gateway = new EastWestGateway("primary-eastwest", { cluster: primary, exposeIstiod: true, nodePorts: { crossNetwork: 31443, istiodXds: 31012, istiodWebhook: 31017 } });
        mesh.remote("remote", "network1", primary, gateway.address);
        const failures = await programFailures(() => mesh.cloud.settle());
        assertFailedWith(failures, /remotePilotAddress is empty: the primary's east-west gateway has no IP address/);
    });

    describe("preview of a brand-new stack", () => {
        it("leaves the gateway address unknown instead of failing", async () => {
            const mesh = new Mesh(MockCloud.install({ preview: true }), ["c1"]);
            const primary = mesh.primary("c1", "network1");
            const gateway = new EastWestGateway("c1-eastwest", { cluster: primary });
            const address = await inspect(gateway.address);
            assert.equal(address.known, false);
            await mesh.done(primary, gateway);
            assert.ok(mesh.cloud.ofType(T.service).every((r) => r.id === pulumi.runtime.unknownValue), "no Service is read by a known name before the release exists");
        });
    });

    it("reads no address from a load balancer that has none, or only a hostname, and says why a hostname cannot serve, for the chart's Service and its own", async () => {
        const statuses: [string, unknown][] = [
            ["no load balancer status", {}],
            ["no ingress", { loadBalancer: {} }],
            ["an empty ingress list", { loadBalancer: { ingress: [] } }],
            ["a hostname only", { loadBalancer: { ingress: [{ hostname: "lb-1.example.com" }] } }],
        ];
        const warnings: string[] = [];
        const warn = pulumi.log.warn;
        (pulumi.log as { warn: typeof warn }).warn = async (message: string) => {
            warnings.push(message);
        };
        try {
            for (const [what, status] of statuses) {
                // The chart's Service is read; with pinned NodePorts the gateway makes its own.
                for (const nodePorts of [undefined, { crossNetwork: 31443, istiodXds: 31012, istiodWebhook: 31017 }]) {
                    const mesh = new Mesh(MockCloud.install({ resources: { [T.service]: (r) => ({ id: r.id || `${r.name}-id`, state: { ...r.inputs, status } }) } }), ["c1"]);
                    const gateway = new EastWestGateway("c1-eastwest", { cluster: mesh.primary("c1", "network1"), nodePorts });
                    assert.equal((await inspect(gateway.address)).value, "", `${what}${nodePorts ? ", its own Service" : ""}`);
                    await mesh.cloud.settle();
                }
            }
        } finally {
            (pulumi.log as { warn: typeof warn }).warn = warn;
        }
        assert.deepEqual(warnings, Array(2).fill("load balancer of c1-eastwest-service has the hostname lb-1.example.com but no IP address; Istio needs an IP"));
    });

    it("takes fixed external IPs as the gateway address without reading a Service", async () => {
        const mesh = new Mesh(MockCloud.install(), ["onprem"]);
        const primary = mesh.primary("onprem", "network1");
        const gateway = new EastWestGateway("onprem-eastwest", { cluster: primary, externalIPs: ["192.0.2.10", "192.0.2.11"] });
        assert.equal((await inspect(gateway.address)).value, "192.0.2.10");
        await mesh.done(primary, gateway);
        assert.deepEqual(values(mesh.release("onprem-eastwest-release")).service, { type: "ClusterIP", externalIPs: ["192.0.2.10", "192.0.2.11"] });
        assert.equal(mesh.cloud.ofType(T.service).length, 0);
        await urnOf(gateway);
    });
});
