import * as assert from "node:assert/strict";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { EastWestGateway, MeshRootCa, PrimaryCluster, PrimaryClusterArgs, RemoteCluster, RemoteClusterArgs } from "../../lib";
import { gatewayAvailabilityProblems, validateEastWestGatewayArgs } from "../../lib/istio/eastWestGateway";
import { validatePrimaryClusterArgs } from "../../lib/istio/primaryCluster";
import { MockCloud, Registration, inspect, programFailures, urnOf, valueOf } from "../harness/mocks";
import { isSecretWrapper } from "../harness/secrets";

const release = "kubernetes:helm.sh/v3:Release";
const customResource = (kind: string) => `kubernetes:networking.istio.io/v1:${kind}`;

/** A primary on its own provider, with its intermediate from a root made in the same program. */
function primary(name: string, extra: Partial<PrimaryClusterArgs> = {}): PrimaryCluster {
    const ca = new MeshRootCa(`${name}-ca`, { clusters: [name] });
    return new PrimaryCluster(name, {
        clusterName: name,
        network: "network1",
        meshId: "mesh1",
        provider: new k8s.Provider(`${name}-k8s`, { kubeconfig: "k" }),
        apiServer: `https://${name}:6443`,
        cacerts: ca.cacerts[name],
        ...extra,
    });
}

/** A remote of `controlPlane` on its own provider, named `name` (also its cluster ID unless given). */
function remote(name: string, controlPlane: PrimaryCluster, extra: Partial<RemoteClusterArgs> = {}): RemoteCluster {
    return new RemoteCluster(name, {
        clusterName: name,
        network: "network1",
        meshId: "mesh1",
        provider: new k8s.Provider(`${name}-k8s`, { kubeconfig: "k" }),
        apiServer: `https://${name}:6443`,
        controlPlane,
        remotePilotAddress: "10.0.0.1",
        ...extra,
    });
}

/** Whether a registration waits for another (directly). */
const waitsFor = (cloud: MockCloud, r: Registration, type: string, name: string) => r.dependencies.includes(cloud.find(type, name).urn!);
/** Whether a registration runs on the given cluster's Kubernetes provider. */
const onProviderOf = (cloud: MockCloud, r: Registration, cluster: string) => r.provider?.startsWith(cloud.find("pulumi:providers:kubernetes", `${cluster}-k8s`).urn!) === true;

describe("Istio components: how their resources are wired", () => {
    it("the reader's token waits for base, which makes its service account, on primaries and remotes", async () => {
        const cloud = MockCloud.install();
        const p = primary("c1", { servesRemotes: true });
        await urnOf(remote("r1", p));
        await cloud.settle();
        for (const cluster of ["c1", "r1"]) {
            const token = cloud.find("kubernetes:core/v1:Secret", `${cluster}-reader-token`);
            assert.ok(waitsFor(cloud, token, release, `${cluster}-base`), cluster);
            assert.ok(onProviderOf(cloud, token, cluster), cluster);
        }
    });

    it("revision tags run on the cluster's provider, after istiod; only primaries get the tags' Services", async () => {
        const cloud = MockCloud.install();
        const p = primary("c1", { servesRemotes: true, revision: "1-30-3", revisionTags: ["prod"] });
        await urnOf(remote("r1", p));
        await cloud.settle();
        const webhook = cloud.find("kubernetes:admissionregistration.k8s.io/v1:MutatingWebhookConfiguration", "c1-tag-prod");
        assert.ok(onProviderOf(cloud, webhook, "c1"));
        assert.ok(waitsFor(cloud, webhook, release, "c1-istiod-1-30-3"));
        const service = cloud.find("kubernetes:core/v1:Service", "c1-tag-prod-service");
        assert.ok(onProviderOf(cloud, service, "c1"));
        const remoteTag = cloud.find("kubernetes:admissionregistration.k8s.io/v1:MutatingWebhookConfiguration", "r1-tag-prod");
        assert.ok(onProviderOf(cloud, remoteTag, "r1"), "the remote gets its primary's tags, on its own provider");
        assert.ok(waitsFor(cloud, remoteTag, release, "r1-istiod-1-30-3"), "after its istiod release, which makes the injector's Service the tag points at");
        assert.ok(!cloud.registrations.some((r) => r.name === "r1-tag-prod-service"), "a remote runs no istiod for a tag's Service to select");
    });

    it("the first revision's istiod keeps the name it had before revisions were named; others have no alias", async () => {
        const cloud = MockCloud.install();
        await urnOf(primary("c1", { revision: "1-30-3", additionalRevisions: [{ revision: "1-31-0", version: "1.31.0" }] }));
        await urnOf(primary("c2"));
        await cloud.settle();
        assert.deepEqual(cloud.find(release, "c1-istiod-1-30-3").aliases, ["c1-istiod"]);
        assert.deepEqual(cloud.find(release, "c1-istiod-1-31-0").aliases, []);
        assert.deepEqual(cloud.find(release, "c2-istiod").aliases, [], "no revision, no rename");
    });

    it("an added revision without tags has none", async () => {
        MockCloud.install();
        const p = primary("c1", { revision: "1-30-3", revisionTags: ["prod"], additionalRevisions: [{ revision: "1-31-0", version: "1.31.0" }] });
        assert.deepEqual(
            p.revisions.map((r) => [r.revision, r.tags]),
            [
                ["1-30-3", ["prod"]],
                ["1-31-0", []],
            ],
        );
        await urnOf(p);
    });

    it("cacerts reach the cluster as a secret, even when the material comes in plain", async () => {
        const cloud = MockCloud.install();
        const files = new MeshRootCa("src", { clusters: ["c1"] }).cacerts.c1;
        const plain = Object.fromEntries(
            await Promise.all(Object.entries(files).map(async ([key, value]) => [key, (await inspect(pulumi.output(value))).value] as const)),
        ) as Record<keyof typeof files, string>;
        await urnOf(primary("c1", { cacerts: plain }));
        await cloud.settle();
        assert.ok(isSecretWrapper(cloud.find("kubernetes:core/v1:Secret", "c1-cacerts").inputs.stringData));
    });

    it("a trust domain in istiod values given as an Output is refused when it resolves", async () => {
        const cloud = MockCloud.install();
        const failures = await programFailures(async () => {
            primary("c1", { istiodValues: pulumi.output({ meshConfig: { trustDomain: "other.example" } }) });
            await cloud.settle();
        });
        assert.ok(failures.length > 0 && failures.every((f) => /trustDomain/.test(f) && /istiodValues|trust domain/.test(f)), failures.join(" | "));
    });

    it("a remote cannot be its own control plane", () => {
        MockCloud.install();
        const p = primary("same", { servesRemotes: true });
        assert.throws(
            () => remote("same-remote", p, { clusterName: "same" }),
            (err: unknown) => pulumi.InputPropertiesError.isInstance(err) && err.errors!.some((e) => e.propertyPath === "controlPlane" && e.reason === 'remote cluster "same" names itself as its control plane'),
        );
    });

    it("each cluster component records what a person reads in its outputs, the reader's credentials as a secret", async () => {
        const cloud = MockCloud.install();
        const p = primary("c1", { servesRemotes: true, ingressGateway: {} });
        const r1 = remote("r1", p, { network: "network2" });
        const gateway = new EastWestGateway("c1-eastwest", { cluster: p, externalIPs: ["192.0.2.10"] });
        await Promise.all([urnOf(r1), inspect(gateway.address)]);
        await cloud.settle();
        for (const [type, name, cluster, network] of [
            ["istio-multicluster:index:PrimaryCluster", "c1", "c1", "network1"],
            ["istio-multicluster:index:RemoteCluster", "r1", "r1", "network2"],
        ] as const) {
            const outputs = cloud.find(type, name).outputs!;
            assert.deepEqual([outputs.clusterName, outputs.network, outputs.istioNamespace], [cluster, network, "istio-system"]);
            assert.ok(isSecretWrapper(outputs.readerCredentials), `${name}'s reader credentials are a secret`);
        }
        assert.match(String(cloud.find("istio-multicluster:index:PrimaryCluster", "c1").outputs!.ingressAddress), /^198\.1[89]\./);
        assert.equal(cloud.find("istio-multicluster:index:EastWestGateway", "c1-eastwest").outputs!.address, "192.0.2.10");
    });

    it("arguments left out entirely are refused as problems, not a crash", () => {
        MockCloud.install();
        assert.throws(
            () => new RemoteCluster("r0", undefined as never),
            (err: unknown) => pulumi.InputPropertiesError.isInstance(err) && err.errors!.some((e) => e.propertyPath === "controlPlane" && e.reason.startsWith("controlPlane is required")),
        );
        for (const [make, component] of [
            [() => new PrimaryCluster("p", undefined as never), "PrimaryCluster p"],
            [() => new RemoteCluster("r", undefined as never), "RemoteCluster r"],
        ] as const) {
            assert.throws(
                make,
                (err: unknown) => pulumi.InputPropertiesError.isInstance(err) && err.message.startsWith(`${component} has `) && err.errors!.some((e) => e.propertyPath === "clusterName"),
                component,
            );
        }
    });

    it("a primary's trust domain is a DNS name and its mTLS mode STRICT or PERMISSIVE, each named in the problem", () => {
        const valid = { clusterName: "c1", network: "network1", meshId: "mesh1", provider: {} as k8s.Provider, apiServer: "https://c1:6443", cacerts: { "ca-cert.pem": "c", "ca-key.pem": "k", "root-cert.pem": "r", "cert-chain.pem": "h" } };
        assert.deepEqual(validatePrimaryClusterArgs({ ...valid, trustDomain: "corp.example", mtls: "PERMISSIVE" }), []);
        assert.deepEqual(validatePrimaryClusterArgs({ ...valid, trustDomain: "Corp_Example", mtls: "DISABLE" as never }), [
            { propertyPath: "trustDomain", reason: `trustDomain "Corp_Example" is not a DNS name (lower-case labels of letters, digits and '-', joined by '.')` },
            { propertyPath: "mtls", reason: 'mtls "DISABLE" is not one of STRICT, PERMISSIVE' },
        ]);
        assert.deepEqual(
            validatePrimaryClusterArgs({ ...valid, cacerts: undefined as never }).map((p) => p.propertyPath),
            ["cacerts.ca-cert.pem", "cacerts.ca-key.pem", "cacerts.root-cert.pem", "cacerts.cert-chain.pem"],
            "no cacerts at all (a JavaScript or Python program may leave it out): each file named",
        );
    });

    it("per-service locality routing: each field's problem at its path", () => {
        const valid = { clusterName: "c1", network: "network1", meshId: "mesh1", provider: {} as k8s.Provider, apiServer: "https://c1:6443", cacerts: { "ca-cert.pem": "c", "ca-key.pem": "k", "root-cert.pem": "r", "cert-chain.pem": "h" } };
        const problems = validatePrimaryClusterArgs({
            ...valid,
            serviceLocalityRouting: [
                { name: "reviews", namespace: "shop", host: "*.shop.svc.cluster.local", routing: { failover: [{ from: "r1", to: "r2" }] } },
                { name: "Bad_Name", namespace: "Shop", host: "*.bad_host", routing: { failover: [{ from: "r1", to: "r1" }] } },
            ],
        });
        assert.deepEqual(
            problems.map((p) => p.propertyPath),
            ["serviceLocalityRouting[1].name", "serviceLocalityRouting[1].namespace", "serviceLocalityRouting[1].host", "serviceLocalityRouting[1].routing.failover[0]"],
        );
        assert.match(problems[0].reason, /^name "Bad_Name" is not a DNS name/);
        assert.match(problems[1].reason, /^namespace "Shop" /);
        assert.match(problems[2].reason, /^host "bad_host" is not a DNS name/);
    });

    it("a remote whose validator may let writes through (Ignore) does not pin the primary's CA in base", async () => {
        const cloud = MockCloud.install();
        const p = primary("c1", { servesRemotes: true });
        await Promise.all([urnOf(remote("strict", p)), urnOf(remote("lenient", p, { validationFailurePolicy: "Ignore" }))]);
        await cloud.settle();
        const baseOf = (name: string) => (cloud.find(release, `${name}-base`).inputs.values as { base?: { validationCABundle?: string } }).base?.validationCABundle;
        assert.ok(baseOf("strict"), "a remote's default validator trusts the primary's istiod from the start");
        assert.equal(baseOf("lenient"), undefined);
    });

    describe("the reader's token as Kubernetes fills it in", () => {
        const withTokenData = (data: Record<string, string> | undefined) =>
            MockCloud.install({
                resources: {
                    "kubernetes:core/v1:Secret": (r) => (r.name.endsWith("-reader-token") ? { id: `istio-system/${r.name}`, state: { ...r.inputs, ...(data ? { data } : {}) } } : undefined),
                },
            });

        for (const [what, data] of [
            ["no data at all", undefined],
            ["a token but no CA", { token: Buffer.from("t").toString("base64") }],
            ["a CA but no token", { "ca.crt": Buffer.from("ca").toString("base64") }],
        ] as const) {
            it(`stops the deploy, naming the token controller, when the Secret holds ${what}`, async () => {
                const cloud = withTokenData(data);
                const failures = await programFailures(async () => {
                    primary("c1");
                    await cloud.settle();
                });
                assert.ok(failures.length > 0);
                for (const f of failures) {
                    assert.match(f, /the reader's token Secret istio-reader-service-account-istio-remote-secret-token holds no token yet: Kubernetes' token controller/);
                }
            });
        }
    });

    describe("EastWestGateway", () => {
        it("routes (Gateway, VirtualServices) on the cluster's provider, after the gateway's release", async () => {
            const cloud = MockCloud.install();
            const gateway = new EastWestGateway("c1-eastwest", { cluster: primary("c1"), exposeIstiod: true });
            await inspect(gateway.address);
            await cloud.settle();
            for (const r of [...cloud.ofType(customResource("Gateway")), ...cloud.ofType(customResource("VirtualService"))]) {
                assert.ok(onProviderOf(cloud, r, "c1"), `${r.name} on c1's provider`);
                assert.ok(waitsFor(cloud, r, release, "c1-eastwest-release"), `${r.name} waits for the gateway`);
            }
        });

        it("exposes every revision's istiod once, the main one first", async () => {
            const cloud = MockCloud.install();
            const cluster = primary("c1", { revision: "1-30-3", additionalRevisions: [{ revision: "1-31-0", version: "1.31.0" }, { revision: "1-32-0", version: "1.32.0" }] });
            await inspect(new EastWestGateway("c1-eastwest", { cluster, exposeIstiod: true }).address);
            await cloud.settle();
            assert.deepEqual(
                cloud.ofType(customResource("VirtualService")).map((r) => r.name),
                ["c1-eastwest-istiod-vs", "c1-eastwest-istiod-vs-1-31-0", "c1-eastwest-istiod-vs-1-32-0"],
            );
        });

        it("an empty externalIPs list means a load balancer, as no list does", async () => {
            const cloud = MockCloud.install();
            const gateway = new EastWestGateway("c1-eastwest", { cluster: primary("c1"), externalIPs: [] });
            const address = (await inspect(gateway.address)).value;
            await cloud.settle();
            assert.match(address, /^198\.1[89]\./);
        });

        /** A mock cloud whose gateway Service answers with the given status, or none. */
        const ownServiceCloud = (status: object | undefined) =>
            MockCloud.install({
                resources: {
                    "kubernetes:core/v1:Service": (r) => (r.name === "c1-eastwest-service" ? { id: "istio-system/istio-eastwestgateway", state: { ...r.inputs, ...(status ? { status } : {}) } } : undefined),
                },
            });
        const nodePorts = { crossNetwork: 31443, istiodXds: 31012, istiodWebhook: 31017 };

        it("with pinned NodePorts: its own Service in the Istio namespace once that exists, and no address while its load balancer has none", async () => {
            const cloud = ownServiceCloud({});
            const gateway = new EastWestGateway("c1-eastwest", { cluster: primary("c1"), nodePorts });
            assert.equal((await inspect(gateway.address)).value, "");
            await cloud.settle();
            const service = cloud.find("kubernetes:core/v1:Service", "c1-eastwest-service");
            assert.ok(waitsFor(cloud, service, "kubernetes:core/v1:Namespace", "c1-namespace"));
        });

        it("with pinned NodePorts: its own Service answered without any status stops the program, naming the Service", async () => {
            const cloud = ownServiceCloud(undefined);
            let failure = "";
            await programFailures(async () => {
                const gateway = new EastWestGateway("c1-eastwest", { cluster: primary("c1"), nodePorts });
                failure = await valueOf(gateway.address).then(
                    () => "resolved",
                    (err: Error) => err.message,
                );
                await cloud.settle();
            });
            assert.equal(failure, "Kubernetes Service c1-eastwest-service answered without status, which its provider computes and the mesh needs");
        });

        it("NodePorts: Kubernetes' range 30000 to 32767, both ends included", () => {
            MockCloud.install();
            const cluster = primary("c1");
            const problems = (port: number) => validateEastWestGatewayArgs({ cluster, nodePorts: { crossNetwork: port, istiodXds: 31012, istiodWebhook: 31017 } }).map((p) => p.propertyPath);
            assert.deepEqual([29999, 30000, 32767, 32768].map((port) => problems(port).length), [1, 0, 0, 1]);
        });

        it("availability: replicas, disruption budget and resources, each problem at its path with its reason", () => {
            const at = "mesh.clusters[0].eastWestGateway";
            const check = (a: Parameters<typeof gatewayAvailabilityProblems>[0]) => gatewayAvailabilityProblems(a, at);
            assert.deepEqual(check({ replicas: 0 }), [{ propertyPath: `${at}.replicas`, reason: "replicas 0 is not a whole number of pods of at least 1" }]);
            assert.equal(check({ replicas: 1.5 }).length, 1);
            const exactlyOne = [{ propertyPath: `${at}.podDisruptionBudget`, reason: "a PodDisruptionBudget sets exactly one of minAvailable and maxUnavailable" }];
            assert.deepEqual(check({ podDisruptionBudget: {} }), exactlyOne);
            assert.deepEqual(check({ podDisruptionBudget: { minAvailable: 1, maxUnavailable: 1 } }), exactlyOne);
            const budget = (value: number | string) => check({ podDisruptionBudget: { minAvailable: value } });
            assert.deepEqual(
                [0, 2, "5%", "50%", "100%"].map((v) => budget(v).length),
                [0, 0, 0, 0, 0],
                "a number of pods from 0, or a percentage of up to three digits",
            );
            assert.deepEqual(budget(-1), [{ propertyPath: `${at}.podDisruptionBudget.minAvailable`, reason: "minAvailable -1 is neither a number of pods nor a percentage such as 50%" }]);
            assert.deepEqual(
                [1.5, "1000%", "x50%", "50%x", "50", "%"].map((v) => budget(v).length),
                [1, 1, 1, 1, 1, 1],
            );
            assert.deepEqual(check({ podDisruptionBudget: { maxUnavailable: "a lot" } }).map((p) => p.propertyPath), [`${at}.podDisruptionBudget.maxUnavailable`]);
            assert.deepEqual(check({ resources: { limits: { memory: "1Gi" } } }), []);
            assert.deepEqual(check({ resources: { limits: { memory: 5 as never } } }), [
                { propertyPath: `${at}.resources.limits.memory`, reason: "memory 5 is not a Kubernetes quantity such as 500m or 256Mi" },
            ]);
        });

        it("availability: one replica is allowed; quantities are whole Kubernetes quantities", () => {
            assert.deepEqual(gatewayAvailabilityProblems({ replicas: 1 }), []);
            const quantity = (cpu: string) => gatewayAvailabilityProblems({ resources: { requests: { cpu } } }).length;
            assert.deepEqual(
                ["500m", "1", "1.5", "1.25Gi", "x500m", "1.x", "1.", "500mx"].map((cpu) => [cpu, quantity(cpu)]),
                [
                    ["500m", 0],
                    ["1", 0],
                    ["1.5", 0],
                    ["1.25Gi", 0],
                    ["x500m", 1],
                    ["1.x", 1],
                    ["1.", 1],
                    ["500mx", 1],
                ],
            );
        });
    });
});
