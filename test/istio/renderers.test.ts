import * as assert from "node:assert/strict";
import { parse } from "yaml";
import { remoteSecretPlan } from "../../lib";
import { baseValues, eastWestGatewayValues, ingressGatewayValues, primaryIstiodValues, remoteIstiodValues } from "../../lib/istio/helmValues";
import { crossNetworkGateway, istiodExposure, meshPeerAuthentication } from "../../lib/istio/istioConfigObjects";
import { remoteKubeconfig } from "../../lib/istio/remoteSecretManifests";
import { chartLocation } from "../../lib/istio/chartSource";
import { eastWestServiceManifest } from "../../lib/istio/gatewayService";
import { deepMerge } from "../../lib/internal/merge";
import { readerTokenSecret, remoteSecretMetadata } from "../../lib/istio/remoteSecretManifests";
import { gatewayValuesErrors, istioObjectErrors, sampleObjects } from "../harness/istioSchemas";

const identity = { meshId: "mesh1", clusterName: "cluster1", network: "network1" };

describe("Istio renderers", () => {
    describe("Helm values", () => {
        it("primary istiod: mesh identity, locality LB, DNS capture, images, escape hatch last", () => {
            const values = primaryIstiodValues({
                ...identity,
                istioNamespace: "istio-system",
                images: { hub: "registry.cn-hangzhou.aliyuncs.com/acs", imagePullSecrets: ["acr"] },
                externalIstiod: true,
                dnsCapture: true,
                multiRootTrust: false,
                extraValues: { pilot: { resources: { requests: { cpu: "1" } } }, global: { network: "overridden" } },
            });
            assert.deepEqual(values, {
                autoscaleMin: 2,
                replicaCount: 2,
                global: {
                    istioNamespace: "istio-system",
                    meshID: "mesh1",
                    multiCluster: { clusterName: "cluster1" },
                    network: "overridden",
                    externalIstiod: true,
                    hub: "registry.cn-hangzhou.aliyuncs.com/acs",
                    imagePullSecrets: ["acr"],
                },
                meshConfig: { localityLbSetting: { enabled: true }, defaultConfig: { proxyMetadata: { ISTIO_META_DNS_CAPTURE: "true" } } },
                pilot: { resources: { requests: { cpu: "1" } } },
            });
        });

        it("primary istiod: revision and multi-root trust; revision tags are never the chart's", () => {
            const values = primaryIstiodValues({
                ...identity,
                istioNamespace: "istio-system",
                revision: "1-30-3",
                images: {},
                externalIstiod: false,
                dnsCapture: false,
                multiRootTrust: true,
            });
            assert.equal(values.revision, "1-30-3");
            assert.equal(values.revisionTags, undefined, "a tag's objects rendered by two releases while it moves would be refused by Helm");
            assert.deepEqual(values.env, { ISTIO_MULTIROOT_MESH: "true" });
            assert.deepEqual(values.meshConfig, {
                localityLbSetting: { enabled: true },
                defaultConfig: { proxyMetadata: { PROXY_CONFIG_XDS_AGENT: "true" } },
            });
            assert.equal((values.global as Record<string, unknown>).externalIstiod, undefined);
        });

        it("remote istiod: remote profile, injection path, pilot address, no config cluster", () => {
            assert.deepEqual(
                remoteIstiodValues({ ...identity, clusterName: "cluster2", network: "network2", istioNamespace: "istio-system", images: {}, remotePilotAddress: "10.0.0.5" }),
                {
                    profile: "remote",
                    global: {
                        istioNamespace: "istio-system",
                        meshID: "mesh1",
                        multiCluster: { clusterName: "cluster2" },
                        network: "network2",
                        remotePilotAddress: "10.0.0.5",
                        configCluster: false,
                    },
                    istiodRemote: { injectionPath: "/inject/cluster/cluster2/net/network2" },
                },
            );
        });

        it("a gateway Service with empty lists says nothing of them", () => {
            assert.deepEqual(ingressGatewayValues({ service: { loadBalancerSourceRanges: [], annotations: {}, externalIPs: [] } }), {
                labels: { istio: "ingressgateway" },
                service: { type: "LoadBalancer" },
            });
        });

        it("remote istiod of a revision, and no pull secrets when the list is empty", () => {
            const values = remoteIstiodValues({ ...identity, istioNamespace: "istio-system", images: { imagePullSecrets: [] }, remotePilotAddress: "10.0.0.5", revision: "1-30-3" }) as any;
            assert.equal(values.revision, "1-30-3");
            assert.equal("imagePullSecrets" in values.global, false);
        });

        it("webhooks that trust the primary's istiod from the start: the roots' PEM in base64, as the charts write it into caBundle", () => {
            const roots = "-----BEGIN CERTIFICATE-----\nroot\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\nnext\n-----END CERTIFICATE-----\n";
            const remote = remoteIstiodValues({ ...identity, istioNamespace: "istio-system", images: {}, remotePilotAddress: "10.0.0.5", injectionCaPem: roots }) as any;
            assert.equal(Buffer.from(remote.istiodRemote.injectionCABundle, "base64").toString("utf8"), roots, "both roots of a rotation");
            assert.equal(remote.istiodRemote.injectionPath, "/inject/cluster/cluster1/net/network1");
            const base = baseValues({ remote: true, istioNamespace: "istio-system", images: {}, validationCaPem: roots, validationFailurePolicy: "Fail" }) as any;
            assert.deepEqual(base.base, { validationFailurePolicy: "Fail", validationCABundle: Buffer.from(roots).toString("base64") });
        });

        it("base: the remote profile only for remotes", () => {
            assert.deepEqual(baseValues({ remote: true, istioNamespace: "istio-system", images: {} }), { profile: "remote", global: { istioNamespace: "istio-system" } });
            assert.deepEqual(baseValues({ remote: false, istioNamespace: "mesh", images: { tag: "1.30.3", hub: "mirror", imagePullSecrets: ["acr"] } }), {
                global: { istioNamespace: "mesh", imagePullSecrets: ["acr"] },
            });
            assert.deepEqual(baseValues({ remote: false, istioNamespace: "istio-system", images: {}, defaultRevision: "prod" }), {
                defaultRevision: "prod",
                global: { istioNamespace: "istio-system" },
            });
        });

        it("east-west gateway values pass the gateway chart's own schema, for every service mode", () => {
            const cases = [
                eastWestGatewayValues({ network: "network1", service: {} }),
                eastWestGatewayValues({
                    network: "network1",
                    revision: "canary",
                    service: { annotations: { "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type": "intranet" }, loadBalancerSourceRanges: ["10.0.0.0/8"] },
                }),
                eastWestGatewayValues({ network: "network2", service: { externalIPs: ["192.0.2.10", "192.0.2.11"] } }),
                ingressGatewayValues({ service: {} }),
            ];
            for (const values of cases) {
                assert.deepEqual(gatewayValuesErrors(values), [], JSON.stringify(values));
            }
            const highlyAvailable = {
                replicaCount: 2,
                autoscaling: { minReplicas: 2, maxReplicas: 5 },
                podDisruptionBudget: { minAvailable: 1 },
                topologySpreadConstraints: [
                    { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: { app: "istio-eastwestgateway", istio: "eastwestgateway" } } },
                ],
            };
            assert.deepEqual(cases[0], { labels: { istio: "eastwestgateway" }, networkGateway: "network1", service: { type: "LoadBalancer" }, ...highlyAvailable });
            assert.deepEqual(cases[2].service, { type: "ClusterIP", externalIPs: ["192.0.2.10", "192.0.2.11"] });
        });

        it("east-west gateway availability: replicas, budget, resources and spread as asked, within the chart's schema", () => {
            const values = eastWestGatewayValues({
                network: "network1",
                service: {},
                availability: { replicas: 7, podDisruptionBudget: { maxUnavailable: "25%" }, resources: { requests: { cpu: "500m", memory: "256Mi" }, limits: { memory: "1Gi" } }, zoneSpread: false },
            }) as any;
            assert.deepEqual(gatewayValuesErrors(values), []);
            assert.equal(values.replicaCount, 7);
            assert.deepEqual(values.autoscaling, { minReplicas: 7, maxReplicas: 7 }, "the ceiling rises with the floor");
            assert.deepEqual(values.podDisruptionBudget, { maxUnavailable: "25%" });
            assert.deepEqual(values.resources, { requests: { cpu: "500m", memory: "256Mi" }, limits: { memory: "1Gi" } });
            assert.equal(values.topologySpreadConstraints, undefined);
            assert.deepEqual(eastWestGatewayValues({ network: "n", service: {}, availability: { replicas: 3 } }).autoscaling, { minReplicas: 3, maxReplicas: 5 }, "the chart's ceiling otherwise");
        });

        it("images: a tag when asked, and an ingress gateway on the cluster's revision", () => {
            const values = primaryIstiodValues({ ...identity, istioNamespace: "istio-system", images: { tag: "1.30.3-distroless" }, externalIstiod: false, dnsCapture: false, multiRootTrust: false });
            assert.equal((values.global as Record<string, unknown>).tag, "1.30.3-distroless");
            assert.equal(ingressGatewayValues({ revision: "1-30-3", service: {} }).revision, "1-30-3");
        });

        it("istiod of a primary that serves no remotes keeps the chart's replicas", () => {
            const values = primaryIstiodValues({ ...identity, istioNamespace: "istio-system", images: {}, externalIstiod: false, dnsCapture: false, multiRootTrust: false });
            assert.equal(values.autoscaleMin, undefined);
            assert.equal(values.replicaCount, undefined);
        });

        it("the schema check is real: it rejects what Helm would", () => {
            assert.notDeepEqual(gatewayValuesErrors({ networkGateway: 3 }), []);
            assert.notDeepEqual(gatewayValuesErrors({ sevice: { type: "LoadBalancer" } }), []);
        });

        it("merges values trees as Helm does: objects key by key, lists replaced", () => {
            assert.deepEqual(deepMerge({ a: { b: 1, c: [1, 2] } }, { a: { c: [3] } }, undefined, { a: { d: true } }), { a: { b: 1, c: [3], d: true } });
            assert.deepEqual(deepMerge({ a: { b: 1 }, c: [{ d: 1 }] }, { a: null, c: [{ e: 2 }] }), { a: null, c: [{ e: 2 }] }, "null and lists replace trees and lists whole");
            assert.deepEqual(deepMerge({ a: [1, 2] }, { a: { b: 1 } }), { a: { b: 1 } }, "a tree replaces a list");
        });

        it("finds charts in an HTTP repository or an OCI registry", () => {
            assert.deepEqual(chartLocation("istiod", "https://mirror.example/charts"), { chart: "istiod", repositoryOpts: { repo: "https://mirror.example/charts" } });
            assert.deepEqual(chartLocation("gateway", "oci://registry.example/istio/"), { chart: "oci://registry.example/istio/gateway" });
            assert.deepEqual(chartLocation("gateway", "oci://registry.example/istio//"), { chart: "oci://registry.example/istio/gateway" });
        });
    });

    describe("the east-west gateway's own Service", () => {
        const nodePorts = { crossNetwork: 31443, istiodXds: 31012, istiodWebhook: 31017 };
        it("pins the NodePorts behind a load balancer, with its annotations and source ranges", () => {
            const service = eastWestServiceManifest({
                istioNamespace: "istio-system",
                network: "network1",
                nodePorts,
                service: { annotations: { "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type": "intranet" }, loadBalancerSourceRanges: ["10.0.0.0/8"] },
            });
            assert.deepEqual(service.metadata, {
                name: "istio-eastwestgateway",
                namespace: "istio-system",
                labels: { app: "istio-eastwestgateway", istio: "eastwestgateway", "topology.istio.io/network": "network1" },
                annotations: { "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type": "intranet" },
            });
            assert.deepEqual(service.spec, {
                type: "LoadBalancer",
                selector: { app: "istio-eastwestgateway", istio: "eastwestgateway" },
                ports: [
                    { name: "status-port", port: 15021, targetPort: 15021, protocol: "TCP" },
                    { name: "tls", port: 15443, targetPort: 15443, protocol: "TCP", nodePort: 31443 },
                    { name: "tls-istiod", port: 15012, targetPort: 15012, protocol: "TCP", nodePort: 31012 },
                    { name: "tls-webhook", port: 15017, targetPort: 15017, protocol: "TCP", nodePort: 31017 },
                ],
                loadBalancerSourceRanges: ["10.0.0.0/8"],
            });
        });

        it("on fixed addresses: a ClusterIP Service on the node addresses, with no NodePorts, annotations or source ranges", () => {
            const service = eastWestServiceManifest({ istioNamespace: "istio-system", network: "network1", nodePorts, service: { externalIPs: ["10.0.0.9"], annotations: {}, loadBalancerSourceRanges: [] } });
            assert.equal(service.metadata.annotations, undefined);
            assert.deepEqual(service.spec, {
                type: "ClusterIP",
                selector: { app: "istio-eastwestgateway", istio: "eastwestgateway" },
                ports: [
                    { name: "status-port", port: 15021, targetPort: 15021, protocol: "TCP" },
                    { name: "tls", port: 15443, targetPort: 15443, protocol: "TCP" },
                    { name: "tls-istiod", port: 15012, targetPort: 15012, protocol: "TCP" },
                    { name: "tls-webhook", port: 15017, targetPort: 15017, protocol: "TCP" },
                ],
                externalIPs: ["10.0.0.9"],
            });
        });
    });

    describe("Istio objects", () => {
        it("cross-network gateway equals Istio's expose-services sample and passes the Gateway CRD schema", () => {
            const [sample] = sampleObjects("expose-services.yaml");
            const ours = crossNetworkGateway("istio-system");
            assert.deepEqual({ ...ours, metadata: { name: ours.metadata.name } }, sample);
            assert.deepEqual(istioObjectErrors(ours), []);
        });

        it("istiod exposure equals Istio's expose-istiod sample, and routes to a revision's istiod", () => {
            const samples = sampleObjects("expose-istiod.yaml");
            const ours = istiodExposure("istio-system");
            assert.deepEqual(ours.map((o) => ({ ...o, metadata: { name: o.metadata.name } })), samples);
            for (const object of ours) {
                assert.deepEqual(istioObjectErrors(object), []);
            }
            const canary = istiodExposure("istio-system", "canary")[1].spec as { tls: { route: { destination: { host: string } }[] }[] };
            assert.equal(canary.tls[0].route[0].destination.host, "istiod-canary.istio-system.svc.cluster.local");
        });

        it("mesh-wide PeerAuthentication passes its CRD schema, STRICT or PERMISSIVE", () => {
            for (const mode of ["STRICT", "PERMISSIVE"] as const) {
                const object = meshPeerAuthentication("istio-system", mode);
                assert.deepEqual(object.spec, { mtls: { mode } });
                assert.deepEqual(istioObjectErrors(object), []);
            }
        });

        it("the CRD check is real: it rejects a misspelt field and a wrong enum", () => {
            assert.notDeepEqual(istioObjectErrors({ apiVersion: "networking.istio.io/v1", kind: "Gateway", spec: { selectors: {} } }), []);
            assert.notDeepEqual(istioObjectErrors({ apiVersion: "security.istio.io/v1", kind: "PeerAuthentication", spec: { mtls: { mode: "STRICTEST" } } }), []);
        });
    });

    describe("remote secrets", () => {
        it("writes the kubeconfig as istioctl does: cluster, context and user named after the cluster", () => {
            const text = remoteKubeconfig({ cluster: "cluster2", server: "https://10.1.0.1:6443", caCertPem: "-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE-----\n", token: "t0k3n" });
            assert.doesNotMatch(text, /tls-server-name/);
            assert.deepEqual(parse(text), {
                apiVersion: "v1",
                clusters: [{ cluster: { "certificate-authority-data": Buffer.from("-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE-----\n").toString("base64"), server: "https://10.1.0.1:6443" }, name: "cluster2" }],
                contexts: [{ context: { cluster: "cluster2", user: "cluster2" }, name: "cluster2" }],
                "current-context": "cluster2",
                kind: "Config",
                preferences: {},
                users: [{ name: "cluster2", user: { token: "t0k3n" } }],
            });
            // client-go writes keys sorted and lists unindented.
            assert.match(text, /^apiVersion: v1\nclusters:\n- cluster:\n {4}certificate-authority-data: /);
        });

        it("names the certificate's server when the API server sits behind a proxy or load balancer", () => {
            const text = remoteKubeconfig({ cluster: "cluster2", server: "https://47.1.2.3:6443", caCertPem: "ca", token: "t", tlsServerName: "api.cluster2.example.com" });
            assert.deepEqual((parse(text) as any).clusters[0].cluster, {
                "certificate-authority-data": Buffer.from("ca").toString("base64"),
                server: "https://47.1.2.3:6443",
                "tls-server-name": "api.cluster2.example.com",
            });
        });

        it("labels and annotates the Secret as istiod's secret controller expects", () => {
            assert.deepEqual(remoteSecretMetadata("cluster2", "istio-system"), {
                name: "istio-remote-secret-cluster2",
                namespace: "istio-system",
                labels: { "istio/multiCluster": "true" },
                annotations: { "networking.istio.io/cluster": "cluster2" },
            });
            assert.deepEqual(readerTokenSecret(), {
                metadata: {
                    name: "istio-reader-service-account-istio-remote-secret-token",
                    annotations: { "kubernetes.io/service-account.name": "istio-reader-service-account" },
                },
                type: "kubernetes.io/service-account-token",
            });
        });

        it("leaves to RemoteCluster only the secret of a remote's own control plane", () => {
            const plan = remoteSecretPlan([
                { name: "p1", role: "primary" },
                { name: "p2", role: "primary", controlPlane: "p1" },
                { name: "r", role: "remote", controlPlane: "p2" },
            ]);
            assert.deepEqual(plan.filter((p) => p.madeByRemoteCluster).map((p) => `${p.watcher}>${p.watched}`), ["p2>r"], "a primary is never made by RemoteCluster, whatever it names");
        });

        it("plans P×(N−1) secrets and none for a cluster's own ID", () => {
            const clusters = (primaries: number, remotes: number) => [
                ...Array.from({ length: primaries }, (_, i) => ({ name: `p${i}`, role: "primary" as const })),
                ...Array.from({ length: remotes }, (_, i) => ({ name: `r${i}`, role: "remote" as const })),
            ];
            for (const [p, r] of [[2, 0], [3, 0], [1, 2], [2, 3]]) {
                const plan = remoteSecretPlan(clusters(p, r));
                assert.equal(plan.length, p * (p + r - 1), `${p} primaries, ${r} remotes`);
                assert.ok(plan.every((s) => s.watcher !== s.watched));
                assert.equal(new Set(plan.map((s) => `${s.watcher}>${s.watched}`)).size, plan.length);
            }
            const withControlPlanes = remoteSecretPlan([
                { name: "p", role: "primary" },
                { name: "q", role: "primary" },
                { name: "r", role: "remote", controlPlane: "p" },
            ]);
            assert.deepEqual(withControlPlanes.filter((s) => s.madeByRemoteCluster), [{ watcher: "p", watched: "r", madeByRemoteCluster: true }]);
        });
    });
});
