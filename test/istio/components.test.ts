import * as assert from "node:assert/strict";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { EastWestGateway, MeshRootCa, PrimaryCluster, PrimaryClusterArgs, RemoteCluster, RemoteSecret } from "../../lib";
import { validateRemoteClusterArgs } from "../../lib/istio/remoteCluster";
import { clusterArgsProblems, IstioClusterArgs } from "../../lib/istio/clusterContract";
import { loadBalancerIp } from "../harness/kubernetesProvider";
import { gatewayValuesErrors } from "../harness/istioSchemas";
import { MockCloud, inspect } from "../harness/mocks";
import { reveal } from "../harness/secrets";

const release = "kubernetes:helm.sh/v3:Release";

function primaryArgs(cluster: string, ca: MeshRootCa, extra: Partial<PrimaryClusterArgs> = {}): PrimaryClusterArgs {
    return {
        clusterName: cluster,
        network: "network1",
        meshId: "mesh1",
        provider: new k8s.Provider(`${cluster}-k8s`, { kubeconfig: "k" }),
        apiServer: `https://${cluster}:6443`,
        cacerts: ca.cacerts[cluster],
        ...extra,
    };
}

function rejects(build: () => unknown): pulumi.InputPropertiesError {
    try {
        build();
    } catch (err) {
        assert.ok(pulumi.InputPropertiesError.isInstance(err), `expected InputPropertiesError, got ${String(err)}`);
        return err;
    }
    assert.fail("expected the component to reject its arguments");
}

describe("Istio cluster components", () => {
    it("runs two istiod revisions side by side, owns the revision tags, and labels namespaces with the tag", async () => {
        const cloud = MockCloud.install();
        const ca = new MeshRootCa("ca", { clusters: ["c1"] });
        const cluster = new PrimaryCluster(
            "c1",
            primaryArgs("c1", ca, {
                revision: "1-30-3",
                revisionTags: ["prod"],
                additionalRevisions: [{ revision: "1-31-0", version: "1.31.0", revisionTags: ["canary"] }],
                injectionNamespaces: ["default", "shop"],
            }),
        );
        const gateway = new EastWestGateway("c1-eastwest", { cluster });
        await inspect(gateway.urn);
        await cloud.settle();
        const stable = cloud.find(release, "c1-istiod-1-30-3");
        const canary = cloud.find(release, "c1-istiod-1-31-0");
        assert.equal(stable.inputs.name, "istiod-1-30-3");
        assert.equal(stable.inputs.version, "1.30.3");
        assert.equal((reveal(stable.inputs.values) as any).revision, "1-30-3");
        assert.equal(canary.inputs.name, "istiod-1-31-0");
        assert.equal(canary.inputs.version, "1.31.0");
        for (const r of [stable, canary]) {
            assert.equal((reveal(r.inputs.values) as any).revisionTags, undefined, "tags are not the releases'");
        }
        const webhooks = cloud.ofType("kubernetes:admissionregistration.k8s.io/v1:MutatingWebhookConfiguration");
        assert.deepEqual(webhooks.map((w) => `${w.name}:${(reveal(w.inputs.metadata) as any).name}>${(reveal(w.inputs.webhooks) as any)[0].clientConfig.service.name}`), [
            "c1-tag-prod:istio-revision-tag-prod>istiod-1-30-3",
            "c1-tag-canary:istio-revision-tag-canary>istiod-1-31-0",
        ]);
        const bundle = Buffer.from((await inspect(ca.cacerts.c1["root-cert.pem"] as pulumi.Output<string>)).value).toString("base64");
        assert.ok(webhooks.every((w) => (reveal(w.inputs.webhooks) as any[]).every((h) => h.clientConfig.caBundle === bundle)), "the tags trust istiod from the start");
        assert.deepEqual((reveal(cloud.find("kubernetes:core/v1:Service", "c1-tag-prod-service").inputs.spec) as any).selector, { app: "istiod", "istio.io/rev": "1-30-3" });
        const base = cloud.find(release, "c1-base");
        assert.equal(cloud.ofType(release).filter((r) => r.inputs.chart === "base").length, 1, "one base per cluster");
        assert.equal(base.inputs.version, "1.31.0", "base from the newest revision's chart, for the CRDs every revision needs");
        assert.equal((reveal(base.inputs.values) as any).defaultRevision, "1-30-3", "the default validator calls istiod-1-30-3, a revision's service (a tag's is istiod-revision-tag-prod)");
        for (const ns of ["default", "shop"]) {
            const label = cloud.find("kubernetes:core/v1:NamespacePatch", `c1-injection-${ns}`);
            assert.deepEqual(label.inputs.metadata, { name: ns, labels: { "istio.io/rev": "prod" } });
            for (const w of webhooks) {
                assert.ok(w.finishedAt! < label.startedAt, `${w.name} is in place before namespaces are labelled`);
            }
        }
        assert.equal((reveal(cloud.find(release, "c1-eastwest-release").inputs.values) as any).revision, "1-30-3", "gateways follow the cluster's main revision");
        assert.equal(cloud.find(release, "c1-eastwest-release").inputs.version, "1.30.3");
    });

    it("rejects a revision tag on two revisions and a repeated revision", () => {
        MockCloud.install();
        const ca = new MeshRootCa("ca", { clusters: ["c1"] });
        const err = rejects(
            () =>
                new PrimaryCluster(
                    "c1",
                    primaryArgs("c1", ca, {
                        revision: "a",
                        revisionTags: ["prod"],
                        additionalRevisions: [{ revision: "a" }, { revision: "b", revisionTags: ["prod"] }],
                    }),
                ),
        );
        assert.deepEqual(err.errors, [
            { propertyPath: "additionalRevisions[0].revision", reason: `revision "a" already runs in this cluster; each revision needs its own name` },
            { propertyPath: "additionalRevisions[1].revisionTags", reason: `revision tag "prod" already points at another revision; a tag points at one revision at a time` },
        ]);
    });

    it("installs an optional ingress gateway and outputs its address", async () => {
        const cloud = MockCloud.install();
        const ca = new MeshRootCa("ca", { clusters: ["c1"] });
        const cluster = new PrimaryCluster("c1", primaryArgs("c1", ca, { ingressGateway: { serviceAnnotations: { "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-spec": "slb.s1.small" } } }));
        assert.equal((await inspect(cluster.ingressAddress!)).value, loadBalancerIp("c1-k8s", "istio-system/istio-ingressgateway"));
        await cloud.settle();
        const ingress = cloud.find(release, "c1-ingress");
        assert.equal(ingress.inputs.name, "istio-ingressgateway");
        assert.deepEqual(reveal(ingress.inputs.values), {
            labels: { istio: "ingressgateway" },
            service: { type: "LoadBalancer", annotations: { "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-spec": "slb.s1.small" } },
        });
        assert.ok(cloud.find(release, "c1-istiod").finishedAt! < ingress.startedAt);
    });

    it("installs an ingress gateway on a remote once the primary's istiod watches it, and outputs its address", async () => {
        const cloud = MockCloud.install({ latencyMs: { [release]: 20, "kubernetes:core/v1:Secret": 5 } });
        const ca = new MeshRootCa("ca", { clusters: ["p"] });
        const primary = new PrimaryCluster("p", primaryArgs("p", ca, { servesRemotes: true }));
        const remote = new RemoteCluster("r", {
            clusterName: "r",
            network: "network1",
            meshId: "mesh1",
            provider: new k8s.Provider("r-k8s", { kubeconfig: "k" }),
            apiServer: "https://r:6443",
            controlPlane: primary,
            remotePilotAddress: "10.0.0.1",
            ingressGateway: { loadBalancerSourceRanges: ["203.0.113.0/24"] },
        });
        assert.equal((await inspect(remote.ingressAddress!)).value, loadBalancerIp("r-k8s", "istio-system/istio-ingressgateway"));
        await cloud.settle();
        const ingress = cloud.find(release, "r-ingress");
        assert.ok(ingress.provider?.includes("::r-k8s::"));
        assert.deepEqual(reveal(ingress.inputs.values), { labels: { istio: "ingressgateway" }, service: { type: "LoadBalancer", loadBalancerSourceRanges: ["203.0.113.0/24"] } });
        for (const before of [cloud.find(release, "r-istiod"), cloud.find(release, "p-istiod"), cloud.find("kubernetes:core/v1:Secret", "r-remote-secret")]) {
            assert.ok(before.finishedAt! < ingress.startedAt, `${before.name} is done before the ingress gateway starts`);
        }
    });

    it("takes images and charts from a mirror, PERMISSIVE mTLS and no DNS capture when asked", async () => {
        const cloud = MockCloud.install();
        const ca = new MeshRootCa("ca", { clusters: ["c1"] });
        new PrimaryCluster(
            "c1",
            primaryArgs("c1", ca, {
                istio: { chartRepository: "oci://registry.cn-hangzhou.aliyuncs.com/istio-charts", hub: "registry.cn-hangzhou.aliyuncs.com/istio", imagePullSecrets: ["acr"] },
                mtls: "PERMISSIVE",
                dnsCapture: false,
                istiodValues: { replicaCount: 2 },
            }),
        );
        await cloud.settle();
        const istiod = cloud.find(release, "c1-istiod");
        assert.equal(istiod.inputs.chart, "oci://registry.cn-hangzhou.aliyuncs.com/istio-charts/istiod");
        assert.deepEqual(istiod.inputs.repositoryOpts, {});
        const values = reveal(istiod.inputs.values) as any;
        assert.equal(values.global.hub, "registry.cn-hangzhou.aliyuncs.com/istio");
        assert.deepEqual(values.global.imagePullSecrets, ["acr"]);
        assert.deepEqual(values.meshConfig, { localityLbSetting: { enabled: true } });
        assert.equal(values.replicaCount, 2);
        assert.deepEqual((reveal(cloud.find(release, "c1-base").inputs.values) as any).global, { istioNamespace: "istio-system", imagePullSecrets: ["acr"] }, "base has no images, only pull secrets");
        assert.deepEqual(reveal(cloud.find("kubernetes:security.istio.io/v1:PeerAuthentication", "c1-peer-authentication").inputs.spec), { mtls: { mode: "PERMISSIVE" } });
    });

    it("applies Istio's multi-root settings while MeshRootCa trusts two roots", async () => {
        const cloud = MockCloud.install();
        const next = new MeshRootCa("next", { clusters: ["x"] });
        const ca = new MeshRootCa("ca", { clusters: ["c1"], additionalTrustedRoots: [next.rootCertPem] });
        const primary = new PrimaryCluster("c1", primaryArgs("c1", ca, { multiRootTrust: ca.multiRootTrust, servesRemotes: true }));
        new RemoteCluster("r", { clusterName: "r", network: "network1", meshId: "mesh1", provider: new k8s.Provider("r-k8s", { kubeconfig: "k" }), apiServer: "https://r:6443", controlPlane: primary, remotePilotAddress: "10.0.0.1" });
        await cloud.settle();
        const roots = (await inspect(ca.trustBundlePem)).value;
        assert.equal(roots.split("-----BEGIN CERTIFICATE-----").length - 1, 2);
        for (const [chartRelease, path] of [["r-istiod", ["istiodRemote", "injectionCABundle"]], ["r-base", ["base", "validationCABundle"]]] as const) {
            const bundle = path.reduce((v: any, k) => v[k], reveal(cloud.find(release, chartRelease).inputs.values));
            assert.equal(Buffer.from(bundle, "base64").toString("utf8"), roots, `${chartRelease}: the remote's webhooks trust both roots during the rotation`);
        }
        const values = reveal(cloud.find(release, "c1-istiod").inputs.values) as any;
        assert.deepEqual(values.env, { ISTIO_MULTIROOT_MESH: "true" }, "istiod's environment, where the chart reads it");
        assert.equal(values.meshConfig.defaultConfig.proxyMetadata.PROXY_CONFIG_XDS_AGENT, "true");
    });

    it("owns the east-west Service with pinned NodePorts when asked (Flannel), keeping the chart's names and labels", async () => {
        const cloud = MockCloud.install();
        const ca = new MeshRootCa("ca", { clusters: ["c1"] });
        const cluster = new PrimaryCluster("c1", primaryArgs("c1", ca, { network: "network1" }));
        const gateway = new EastWestGateway("c1-eastwest", {
            cluster,
            addressType: "intranet",
            nodePorts: { crossNetwork: 31443, istiodXds: 31012, istiodWebhook: 31017 },
        });
        assert.equal((await inspect(gateway.address)).value, loadBalancerIp("c1-k8s", "istio-system/istio-eastwestgateway"));
        await cloud.settle();
        const values = reveal(cloud.find(release, "c1-eastwest-release").inputs.values) as any;
        assert.deepEqual(values.service, { type: "None" }, "the chart makes no Service");
        assert.deepEqual(gatewayValuesErrors(values), []);
        const service = cloud.find("kubernetes:core/v1:Service", "c1-eastwest-service");
        assert.ok(!service.read);
        assert.deepEqual(reveal(service.inputs.metadata), {
            name: "istio-eastwestgateway",
            namespace: "istio-system",
            labels: { app: "istio-eastwestgateway", istio: "eastwestgateway", "topology.istio.io/network": "network1" },
            annotations: { "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type": "intranet" },
        });
        const spec = reveal(service.inputs.spec) as any;
        assert.equal(spec.type, "LoadBalancer");
        assert.deepEqual(spec.selector, { app: "istio-eastwestgateway", istio: "eastwestgateway" });
        assert.deepEqual(spec.ports.map((p: any) => [p.name, p.port, p.nodePort]), [
            ["status-port", 15021, undefined],
            ["tls", 15443, 31443],
            ["tls-istiod", 15012, 31012],
            ["tls-webhook", 15017, 31017],
        ]);
    });

    describe("invalid arguments, rejected before any child registers", () => {
        it("PrimaryCluster: names, mTLS mode and missing cacerts entries", async () => {
            const cloud = MockCloud.install();
            const ca = new MeshRootCa("ca", { clusters: ["c1"] });
            const err = rejects(
                () =>
                    new PrimaryCluster("bad", {
                        ...primaryArgs("c1", ca),
                        clusterName: "Cluster_1",
                        mtls: "OFF" as never,
                        cacerts: { "ca-cert.pem": "x", "root-cert.pem": "y" } as never,
                    }),
            );
            assert.deepEqual(err.errors.map((e) => e.propertyPath), ["clusterName", "mtls", "cacerts.ca-key.pem", "cacerts.cert-chain.pem"]);
            assert.match(err.message, /^PrimaryCluster bad has 4 problems:\n  - clusterName: /);
            assert.match(err.errors[2].reason, /istiod signs with its own root and cross-cluster mTLS fails/);
            await cloud.settle();
            assert.deepEqual(cloud.registrations.filter((r) => r.parent?.endsWith("PrimaryCluster::bad")), [], "no child registered");
            assert.equal(cloud.ofType("istio-multicluster:index:PrimaryCluster").length, 1);
        });

        it("every Istio cluster: its Istio namespace, webhook failure policy and injection namespaces", () => {
            MockCloud.install();
            const args = primaryArgs("c1", new MeshRootCa("ca", { clusters: ["c1"] }));
            const wrong = { istioNamespace: "Istio_System", validationFailurePolicy: "Maybe" as never, injectionNamespaces: ["apps", "Bad_NS"], revision: "Canary" };
            const err = rejects(() => new PrimaryCluster("bad", { ...args, ...wrong }));
            assert.deepEqual(err.errors, [
                { propertyPath: "istioNamespace", reason: `istioNamespace "Istio_System" is not a DNS-1123 label: use lower-case letters, digits and '-', starting and ending with a letter or digit (underscores are not allowed: use '-')` },
                { propertyPath: "validationFailurePolicy", reason: `validationFailurePolicy "Maybe" is not one of Fail, Ignore` },
                { propertyPath: "injectionNamespaces[1]", reason: `namespace "Bad_NS" is not a DNS-1123 label: use lower-case letters, digits and '-', starting and ending with a letter or digit (underscores are not allowed: use '-')` },
                { propertyPath: "revision", reason: `revision "Canary" is not a DNS-1123 label: use lower-case letters, digits and '-', starting and ending with a letter or digit` },
            ]);
        });

        it("every Istio cluster: versions, URLs, registries, CA and server name in their formats, each at its field", () => {
            const base = { clusterName: "c1", network: "network1" } as never as IstioClusterArgs;
            const wrong = {
                ...(base as object),
                istio: { version: "latest", chartRepository: "ftp://charts", hub: "Docker.io/Istio" },
                apiServer: "http://c1:6443",
                apiServerCaPem: "not a certificate",
                apiServerTlsServerName: "bad_name",
            } as IstioClusterArgs;
            assert.deepEqual(
                clusterArgsProblems(wrong).map((p) => [p.propertyPath, p.reason.startsWith(`${p.propertyPath} `)]),
                ["istio.version", "istio.chartRepository", "istio.hub", "apiServer", "apiServerCaPem", "apiServerTlsServerName"].map((field) => [field, true]),
                "each field refused once, with its name at the head of the reason",
            );
            const right = { istio: { version: "1.30.3", chartRepository: "oci://registry.example.com/istio", hub: "docker.io/istio" }, apiServer: "https://c1:6443" };
            for (const validationFailurePolicy of ["Fail", "Ignore", undefined]) {
                assert.deepEqual(clusterArgsProblems({ ...(base as object), ...right, validationFailurePolicy } as IstioClusterArgs), [], `validationFailurePolicy ${validationFailurePolicy}`);
            }
            for (const chartRepository of ["https://istio-release.storage.googleapis.com/charts", "http://charts.internal", "oci://registry.example.com/istio"]) {
                assert.deepEqual(clusterArgsProblems({ ...(base as object), istio: { chartRepository } } as IstioClusterArgs), [], chartRepository);
            }
        });

        it("every Istio cluster: a cluster name and network, even when given nothing", () => {
            assert.deepEqual(clusterArgsProblems(undefined as never), [
                { propertyPath: "clusterName", reason: "clusterName is required and must be a DNS-1123 label (lower-case letters, digits and '-')" },
                { propertyPath: "network", reason: "network is required and must be a DNS-1123 label (lower-case letters, digits and '-')" },
            ]);
        });

        it("RemoteCluster: a hostname as pilot address, and a control plane that serves no remotes", () => {
            MockCloud.install();
            const ca = new MeshRootCa("ca", { clusters: ["p"] });
            const primary = new PrimaryCluster("p", primaryArgs("p", ca));
            const err = rejects(
                () =>
                    new RemoteCluster("r", {
                        clusterName: "r",
                        network: "network1",
                        meshId: "mesh1",
                        provider: new k8s.Provider("r-k8s", {}),
                        apiServer: "https://r:6443",
                        controlPlane: primary,
                        remotePilotAddress: "istiod.example.com",
                    }),
            );
            assert.deepEqual(err.errors, [
                { propertyPath: "controlPlane", reason: `primary "p" does not serve remotes: create it with servesRemotes: true (global.externalIstiod)` },
                {
                    propertyPath: "remotePilotAddress",
                    reason: `remotePilotAddress "istiod.example.com" is not an IPv4 or IPv6 address: for a hostname the istiod chart makes an ExternalName Service, whose webhooks the API server calls at port 443 of that host, where the east-west gateway does not listen (istio#45014)`,
                },
            ]);
        });

        it("one trust domain: set as trustDomain, never in istiod values, and the same in every primary a secret joins", async () => {
            const cloud = MockCloud.install();
            const ca = new MeshRootCa("ca", { clusters: ["p1", "p2", "p3", "p4"] });
            const p1 = new PrimaryCluster("p1", primaryArgs("p1", ca, { trustDomain: "corp.example", servesRemotes: true }));
            const p2 = new PrimaryCluster("p2", primaryArgs("p2", ca, { trustDomain: "corp.example" }));
            const p3 = new PrimaryCluster("p3", primaryArgs("p3", ca));
            const remote = new RemoteCluster("r", { clusterName: "r", network: "network1", meshId: "mesh1", provider: new k8s.Provider("r-k8s", {}), apiServer: "https://r:6443", controlPlane: p1, remotePilotAddress: "10.0.0.1" });
            assert.equal(remote.trustDomain, "corp.example", "a remote's workloads are its primary's");
            new RemoteSecret("p2-watches-p1", { watcher: p2, watched: p1 });
            new RemoteSecret("p2-watches-r", { watcher: p2, watched: remote });
            const err = rejects(() => new RemoteSecret("p3-watches-p1", { watcher: p3, watched: p1 }));
            assert.deepEqual(err.errors, [
                {
                    propertyPath: "watched",
                    reason: `cluster "p1" has trust domain "corp.example" and "p3" has "cluster.local": one mesh has one trust domain, or its workloads' identities do not match across clusters`,
                },
            ]);
            const inValues = rejects(() => new PrimaryCluster("p4", primaryArgs("p4", ca, { istiodValues: { meshConfig: { trustDomain: "other.example" } }, trustDomain: "Corp" })));
            assert.deepEqual(inValues.errors.map((e) => e.propertyPath), ["istiodValues.meshConfig.trustDomain", "trustDomain"]);
            await cloud.settle();
            assert.equal((reveal(cloud.find(release, "p1-istiod").inputs.values) as any).meshConfig.trustDomain, "corp.example");
            assert.equal((reveal(cloud.find(release, "p3-istiod").inputs.values) as any).meshConfig.trustDomain, undefined, "unset: Istio's own cluster.local");
        });

        it("RemoteCluster: a pilot address the istiod chart reads as an address, IPv4 or IPv6, and nothing else", () => {
            MockCloud.install();
            const ca = new MeshRootCa("ca", { clusters: ["p"] });
            const primary = new PrimaryCluster("p", primaryArgs("p", ca, { servesRemotes: true }));
            const remoteWith = (remotePilotAddress: string) => ({
                clusterName: "r",
                network: "network1",
                meshId: "mesh1",
                provider: new k8s.Provider(`r-k8s-${remotePilotAddress}`, {}),
                apiServer: "https://r:6443",
                controlPlane: primary,
                remotePilotAddress,
            });
            for (const address of ["10.0.0.5", "fd00:10::5", "2001:db8::1"]) {
                assert.deepEqual(validateRemoteClusterArgs(remoteWith(address)), [], address);
            }
            // An IPv4-mapped IPv6 address, a zone index and an out-of-range quad: Node reads some of them as
            // addresses, the chart's patterns do not, and would make an ExternalName Service.
            for (const address of ["::ffff:10.0.0.5", "fe80::1%eth0", "10.0.0.256", "10.0.0", "dead:beef", "cafe"]) {
                assert.deepEqual(validateRemoteClusterArgs(remoteWith(address)).map((p) => p.propertyPath), ["remotePilotAddress"], address);
            }
        });

        it("EastWestGateway and RemoteSecret: config objects and watchers only where an istiod runs", () => {
            MockCloud.install();
            const ca = new MeshRootCa("ca", { clusters: ["p"] });
            const primary = new PrimaryCluster("p", primaryArgs("p", ca, { servesRemotes: true }));
            const remote = new RemoteCluster("r", {
                clusterName: "r",
                network: "network2",
                meshId: "mesh1",
                provider: new k8s.Provider("r-k8s", {}),
                apiServer: "https://r:6443",
                controlPlane: primary,
                remotePilotAddress: "10.0.0.1",
            });
            const gatewayErr = rejects(
                () => new EastWestGateway("rg", { cluster: remote, exposeServices: true, exposeIstiod: true, externalIPs: ["node-1"], nodePorts: { crossNetwork: 443, istiodXds: 31012, istiodWebhook: 31017 } }),
            );
            assert.deepEqual(gatewayErr.errors.map((e) => e.propertyPath), ["exposeServices", "exposeIstiod", "nodePorts", "nodePorts.crossNetwork", "externalIPs[0]"]);
            assert.equal(
                gatewayErr.errors[0].reason,
                `cluster "r" is a remote: its istiod reads no config, so expose services with its primary's east-west gateway (whose Gateway also configures this one)`,
            );
            const serviceErr = rejects(() => new EastWestGateway("sg", { cluster: primary, loadBalancerSourceRanges: ["10.0.0.0/8", "10.1.0.1/16", "anywhere"], serviceAnnotations: { "ok.example.com/key": "v", "bad key": "v" } }));
            assert.deepEqual(serviceErr.errors.map((e) => [e.propertyPath, e.reason]), [
                ["loadBalancerSourceRanges[1]", "loadBalancerSourceRanges entry 10.1.0.1/16 has host bits set; the block it names is 10.1.0.0/16"],
                ["loadBalancerSourceRanges[2]", `loadBalancerSourceRanges entry "anywhere" is not a CIDR block (expected a form like 10.0.0.0/16)`],
                ["serviceAnnotations", `annotation key "bad key" is not a label or annotation key (an optional DNS prefix and '/', then letters, digits, '-', '_' and '.')`],
            ]);
            const availabilityErr = rejects(() => new EastWestGateway("ag", { cluster: primary, availability: { replicas: 1.5, podDisruptionBudget: {}, resources: { limits: { cpu: "two" } } } }));
            assert.deepEqual(availabilityErr.errors.map((e) => e.propertyPath), ["availability.replicas", "availability.podDisruptionBudget", "availability.resources.limits.cpu"]);
            const ingressCa = new MeshRootCa("ingress-ca", { clusters: ["pi"] });
            const ingressErr = rejects(() => new PrimaryCluster("pi", primaryArgs("pi", ingressCa, { ingressGateway: { loadBalancerSourceRanges: ["0.0.0.0"] } })));
            assert.deepEqual(ingressErr.errors.map((e) => e.propertyPath), ["ingressGateway.loadBalancerSourceRanges[0]"]);
            const fixedErr = rejects(() => new EastWestGateway("fg", { cluster: primary, addressType: "public" as never, externalIPs: ["10.0.0.9"], nodePorts: { crossNetwork: 31443, istiodXds: 31012, istiodWebhook: 31017 } }));
            assert.deepEqual(fixedErr.errors, [
                { propertyPath: "addressType", reason: `addressType "public" is not one of intranet, internet` },
                { propertyPath: "addressType", reason: "addressType applies to a load balancer, but externalIPs makes the gateway use fixed addresses; set one of them" },
                { propertyPath: "nodePorts", reason: "nodePorts pin a load balancer's backends, but externalIPs makes the gateway use fixed addresses; set one of them" },
            ]);
            const portsErr = rejects(() => new EastWestGateway("pg", { cluster: primary, nodePorts: { crossNetwork: 443, istiodXds: 31012.5, istiodWebhook: 32768 } }));
            assert.deepEqual(portsErr.errors, [
                { propertyPath: "nodePorts.crossNetwork", reason: "nodePorts.crossNetwork 443 is outside Kubernetes' NodePort range 30000-32767" },
                { propertyPath: "nodePorts.istiodXds", reason: "nodePorts.istiodXds 31012.5 is outside Kubernetes' NodePort range 30000-32767" },
                { propertyPath: "nodePorts.istiodWebhook", reason: "nodePorts.istiodWebhook 32768 is outside Kubernetes' NodePort range 30000-32767" },
            ]);
            const ipErr = rejects(() => new EastWestGateway("ig", { cluster: primary, externalIPs: ["10.0.0.9", "fd00::9", "node-1", "fe80::9%eth0"] }));
            assert.deepEqual(ipErr.errors, [
                { propertyPath: "externalIPs[2]", reason: `externalIPs entry "node-1" is not an IP address` },
                { propertyPath: "externalIPs[3]", reason: `externalIPs entry "fe80::9%eth0" is not an IP address` },
            ], "a scoped IPv6 address names a host's interface, not an address others reach");
            assert.match(fixedErr.message, /^EastWestGateway fg has 3 problems:\n  - addressType: /, "the message names the component and lists each problem");
            const remoteIstiodErr = rejects(() => new EastWestGateway("ri", { cluster: remote, exposeIstiod: true }));
            assert.deepEqual(remoteIstiodErr.errors, [{ propertyPath: "exposeIstiod", reason: `cluster "r" is a remote and runs no istiod to expose` }]);
            const secretErr = rejects(() => new RemoteSecret("s", { watcher: remote, watched: primary }));
            assert.match(secretErr.message, /^RemoteSecret s has 1 problem:\n  - watcher: cluster "r" is a remote/);
            assert.equal(secretErr.errors[0].propertyPath, "watcher");
            const selfErr = rejects(() => new RemoteSecret("self", { watcher: primary, watched: primary }));
            assert.deepEqual(selfErr.errors, [{ propertyPath: "watched", reason: `cluster "p" cannot watch itself: istiod already reads its own cluster` }]);
        });
    });
});
