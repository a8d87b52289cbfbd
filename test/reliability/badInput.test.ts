import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { ClusterConfig, MeshConfig, MultiClusterMesh } from "../../lib";
import { alicloudInvokes, alicloudResources } from "../harness/alicloudProvider";
import { configPathExists } from "../harness/configPaths";
import { ackSettings as ack, ackPrimary as primary, cenMesh as base } from "../harness/meshConfigs";
import { MockCloud } from "../harness/mocks";
import { selfSignedPem } from "../harness/x509";

/** Existing clusters joined already (mode none), as on premises. */
const onPrem = { meshId: "mesh1", networkLink: { mode: "none" as const }, clusters: [] as ClusterConfig[] };
const existing = (name: string, extra: Partial<ClusterConfig> = {}): ClusterConfig => ({ name, role: "primary", network: name, kubeconfig: "k", apiServer: "https://10.9.0.1:6443", ...extra });

/** [what is wrong, config, a field path the error must name]. */
const cases: [string, unknown, string][] = [
    ["no clusters", { meshId: "m", clusters: [] }, "mesh.clusters"],
    ["mesh ID not a DNS label", base([primary("a", 1)], { meshId: "Mesh_1" }), "mesh.meshId"],
    ["cluster name with an underscore", base([primary("a_b", 1)]), "mesh.clusters[0].name"],
    ["cluster name too long", base([primary("a".repeat(64), 1)]), "mesh.clusters[0].name"],
    ["duplicate cluster names", base([primary("a", 1), primary("a", 2)]), "mesh.clusters[1].name"],
    ["network not a DNS label", base([primary("a", 1, { network: "Net 1" })]), "mesh.clusters[0].network"],
    ["unknown role", base([primary("a", 1, { role: "worker" as never })]), "mesh.clusters[0].role"],
    ["no primary", base([primary("a", 1, { role: "remote", controlPlane: "b" })]), "mesh.clusters"],
    ["remote without control plane", base([primary("p", 1), primary("r", 2, { role: "remote" })]), "mesh.clusters[1].controlPlane"],
    ["remote naming a missing control plane", base([primary("p", 1), primary("r", 2, { role: "remote", controlPlane: "x" })]), "mesh.clusters[1].controlPlane"],
    ["remote naming a remote", base([primary("p", 1), primary("r1", 2, { role: "remote", controlPlane: "p" }), primary("r2", 3, { role: "remote", controlPlane: "r1" })]), "mesh.clusters[2].controlPlane"],
    ["primary with a control plane", base([primary("p", 1, { controlPlane: "q" })]), "mesh.clusters[0].controlPlane"],
    ["malformed VPC range", base([primary("a", 1, { ack: ack(1, { vpcCidr: "10.1.0.0" }) })]), "mesh.clusters[0].ack.vpcCidr"],
    ["VPC range with host bits", base([primary("a", 1, { ack: ack(1, { vpcCidr: "10.1.0.1/16" }) })]), "mesh.clusters[0].ack.vpcCidr"],
    ["malformed service range", base([primary("a", 1, { ack: ack(1, { serviceCidr: "300.0.0.0/20" }) })]), "mesh.clusters[0].ack.serviceCidr"],
    ["service range inside its VPC", base([primary("a", 1, { ack: ack(1, { serviceCidr: "10.1.16.0/20" }) })]), "mesh.clusters[0].ack.serviceCidr"],
    ["pod range overlapping its service range", base([primary("a", 1, { ack: ack(1, { podNetworking: "flannel", podCidr: "192.168.0.0/16" }) })]), "mesh.clusters[0].ack.serviceCidr"],
    ["VPC ranges overlapping across CEN", base([primary("a", 1), primary("b", 2, { ack: ack(1, { serviceCidr: "192.168.32.0/20" }) })]), "mesh.clusters[1].ack.vpcCidr"],
    ["ACK default VPC range twice", base([primary("a", 1, { ack: ack(1, { vpcCidr: "192.168.0.0/16", serviceCidr: "172.16.0.0/20" }) }), primary("b", 2, { ack: ack(2, { vpcCidr: "192.168.0.0/16", serviceCidr: "172.16.16.0/20" }) })]), "mesh.clusters[1].ack.vpcCidr"],
    ["service ranges overlapping on one network", base([primary("a", 1, { network: "n" }), primary("b", 2, { network: "n", ack: ack(2, { serviceCidr: "192.168.16.0/24" }) }), primary("c", 3, { network: "n", ack: ack(3, { serviceCidr: "192.168.16.0/21" }) })]), "mesh.clusters[2].ack.serviceCidr"],
    ["pod ranges overlapping on one network", base([primary("a", 1, { network: "n", ack: ack(1, { podNetworking: "flannel", podCidr: "172.20.0.0/16" }) }), primary("b", 2, { network: "n", ack: ack(2, { podNetworking: "flannel", podCidr: "172.20.0.0/16" }) })]), "mesh.clusters[1].ack.podCidr"],
    ["pod range overlapping a peer VPC", base([primary("a", 1), primary("b", 2, { ack: ack(2, { podNetworking: "flannel", podCidr: "10.1.0.0/17" }) })]), "mesh.clusters[1].ack.podCidr"],
    ["too few workers", base([primary("a", 1, { ack: ack(1, { workers: 2 }) })]), "mesh.clusters[0].ack.workers"],
    ["Kubernetes too old for Istio 1.30", base([primary("a", 1, { ack: ack(1, { kubernetesVersion: "1.31.1-aliyun.1" }) })]), "mesh.clusters[0].ack.kubernetesVersion"],
    ["Kubernetes too new for Istio 1.30", base([primary("a", 1, { ack: ack(1, { kubernetesVersion: "1.37.0-aliyun.1" }) })]), "mesh.clusters[0].ack.kubernetesVersion"],
    ["not a Kubernetes version", base([primary("a", 1, { ack: ack(1, { kubernetesVersion: "latest" }) })]), "mesh.clusters[0].ack.kubernetesVersion"],
    ["ACK cluster without a region", base([primary("a", 1, { region: undefined })]), "mesh.clusters[0].region"],
    ["one zone only", base([primary("a", 1, { ack: ack(1, { zones: ["cn-hangzhou-h"] }) })]), "mesh.clusters[0].ack.zones"],
    ["Flannel without a pod range", base([primary("a", 1, { ack: ack(1, { podNetworking: "flannel" }) })]), "mesh.clusters[0].ack.podCidr"],
    ["both ACK and existing", base([primary("a", 1, { kubeconfig: "k", apiServer: "https://x" })]), "mesh.clusters[0]"],
    ["neither ACK nor existing", base([{ name: "a", role: "primary", network: "n" }], { networkLink: { mode: "none" } }), "mesh.clusters[0]"],
    ["existing cluster on a CEN link", base([existing("a")]), "mesh.clusters[0]"],
    ["range set outside ack for an ACK cluster", base([primary("a", 1, { podCidr: "172.20.0.0/16" })]), "mesh.clusters[0].podCidr"],
    ["unknown setting", { ...base([primary("a", 1)]), colour: "blue" }, "mesh.colour"],
    ["unknown link mode", base([primary("a", 1)], { networkLink: { mode: "vpn" as never } }), "mesh.networkLink.mode"],
    ["unknown mTLS mode", base([primary("a", 1)], { mtls: "OFF" as never }), "mesh.mtls"],
    ["unknown trust mode", base([primary("a", 1)], { trust: { mode: "borrowed" as never } }), "mesh.trust.mode"],
    ["same-vpc across regions", base([primary("a", 1, { ack: ack(1, { vpcCidr: "10.1.0.0/16" }) }), primary("b", 2, { region: "cn-beijing", ack: ack(2, { vpcCidr: "10.1.0.0/16" }) })], { networkLink: { mode: "same-vpc" } }), "mesh.clusters[1].region"],
    ["failover to the same region", base([primary("a", 1)], { localityFailover: { failover: [{ from: "cn-hangzhou", to: "cn-hangzhou" }] } }), "mesh.localityFailover.failover[0]"],
    ["failover to a region with no cluster", base([primary("a", 1)], { localityFailover: { failover: [{ from: "cn-hangzhou", to: "us-west-1" }] } }), "mesh.localityFailover.failover[0].to"],
    ["failover by zone", base([primary("a", 1)], { localityFailover: { failover: [{ from: "cn-hangzhou/h", to: "cn-shanghai" }] } }), "mesh.localityFailover.failover[0]"],
    ["internet gateway open to everyone", base([primary("a", 1, { eastWestGateway: { addressType: "internet" } }), primary("b", 2)], { networkLink: { mode: "cen", internetPeerRanges: ["0.0.0.0/0"] } }), "mesh.networkLink.internetPeerRanges[0]"],
    ["internet gateway with no peers listed", base([primary("a", 1, { eastWestGateway: { addressType: "internet" } }), primary("b", 2)]), "mesh.networkLink.internetPeerRanges"],
    ["public API server with no clients listed", base([primary("a", 1)], { apiServerAccess: undefined }), "mesh.apiServerAccess.clientRanges"],
    ["API server open to everyone", base([primary("a", 1)], { apiServerAccess: { clientRanges: ["0.0.0.0/0"] } }), "mesh.apiServerAccess.clientRanges[0]"],
    [
        "private API server that peers can reach only publicly",
        base([primary("a", 1, { ack: ack(1, { publicApiServer: false }) }), primary("b", 2, { region: "cn-beijing" })], { networkLink: { mode: "none", internetPeerRanges: ["198.51.100.0/24"] } }),
        "mesh.clusters[0].ack.publicApiServer",
    ],
    ["peers reading a public API server from unlisted ranges", base([primary("a", 1), primary("b", 2, { region: "cn-beijing" })], { networkLink: { mode: "none" } }), "mesh.networkLink.internetPeerRanges"],
    ["trust domain set in istiod values, where primaries could differ", base([primary("a", 1)], { istio: { values: { meshConfig: { trustDomain: "a.example" } } } }), "mesh.istio.values.meshConfig.trustDomain"],
    ["trust domain not a DNS name", base([primary("a", 1)], { istio: { trustDomain: "Example Corp" } }), "mesh.istio.trustDomain"],
    ["east-west gateway with no pods", base([primary("a", 1, { eastWestGateway: { replicas: 0 } }), primary("b", 2)]), "mesh.clusters[0].eastWestGateway.replicas"],
    ["east-west gateway budget with both bounds", base([primary("a", 1, { eastWestGateway: { podDisruptionBudget: { minAvailable: 1, maxUnavailable: 1 } } }), primary("b", 2)]), "mesh.clusters[0].eastWestGateway.podDisruptionBudget"],
    ["east-west gateway budget as a fraction", base([primary("a", 1, { eastWestGateway: { podDisruptionBudget: { maxUnavailable: "0.5" } } }), primary("b", 2)]), "mesh.clusters[0].eastWestGateway.podDisruptionBudget.maxUnavailable"],
    ["east-west gateway memory without a unit Kubernetes knows", base([primary("a", 1, { eastWestGateway: { resources: { requests: { memory: "1 GB" } } } }), primary("b", 2)]), "mesh.clusters[0].eastWestGateway.resources.requests.memory"],
    ["revision tag on two revisions", base([primary("a", 1)], { istio: { revision: "r1", revisionTags: ["prod"], additionalRevisions: [{ revision: "r2", revisionTags: ["prod"] }] } }), "mesh.istio.additionalRevisions[0].revisionTags"],
    ["canary revision named like the main one", base([primary("a", 1)], { istio: { revision: "r1", additionalRevisions: [{ revision: "r1" }] } }), "mesh.istio.additionalRevisions[0].revision"],
    ["canary version not a release", base([primary("a", 1)], { istio: { revision: "r1", additionalRevisions: [{ revision: "r2", version: "1.31" }] } }), "mesh.istio.additionalRevisions[0].version"],
    ["east-west gateway annotation key with spaces", base([primary("a", 1, { eastWestGateway: { serviceAnnotations: { "load balancer spec": "slb.s1.small" } } }), primary("b", 2)]), "mesh.clusters[0].eastWestGateway.serviceAnnotations"],
    ["curl image without a tag", base([primary("a", 1)], { verification: { enabled: true, curlImage: "docker.io/curlimages/curl" } }), "mesh.verification.curlImage"],
    ["Istio version not a release", base([primary("a", 1)], { istio: { version: "latest" } }), "mesh.istio.version"],
    ["Istio version with a v", base([primary("a", 1)], { istio: { version: "v1.30.3" } }), "mesh.istio.version"],
    ["chart repository not a URL", base([primary("a", 1)], { istio: { chartRepository: "istio-release.storage.googleapis.com/charts" } }), "mesh.istio.chartRepository"],
    ["image registry with a tag", base([primary("a", 1)], { istio: { hub: "registry.istio.io/release:1.30.3" } }), "mesh.istio.hub"],
    ["revision not a DNS label", base([primary("a", 1)], { istio: { revision: "1.30.3" } }), "mesh.istio.revision"],
    ["pull secret not a Kubernetes name", base([primary("a", 1)], { istio: { imagePullSecrets: ["ACR Secret"] } }), "mesh.istio.imagePullSecrets[0]"],
    ["helloworld image not a repository", base([primary("a", 1)], { verification: { enabled: true, helloworldImage: "Hello World" } }), "mesh.verification.helloworldImage"],
    ["API server over plain HTTP", { ...onPrem, clusters: [existing("c", { apiServer: "http://10.9.0.1:6443" }), existing("d")] }, "mesh.clusters[0].apiServer"],
    ["API server CA that is no certificate", { ...onPrem, clusters: [existing("c", { apiServerCaPem: "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----" }), existing("d")] }, "mesh.clusters[0].apiServerCaPem"],
    ["API server TLS name with a scheme", { ...onPrem, clusters: [existing("c", { apiServerTlsServerName: "https://api.example.com" }), existing("d")] }, "mesh.clusters[0].apiServerTlsServerName"],
    ["injection namespace not a DNS label", base([primary("a", 1, { injectionNamespaces: ["Shop"] })]), "mesh.clusters[0].injectionNamespaces[0]"],
    ["east-west gateway address that is no IP", { ...onPrem, clusters: [existing("c", { eastWestGateway: { externalIPs: ["node-1.example.com"] } }), existing("d")] }, "mesh.clusters[0].eastWestGateway.externalIPs[0]"],
    ["east-west gateway address out of range", { ...onPrem, clusters: [existing("c", { eastWestGateway: { externalIPs: ["10.0.0.256"] } }), existing("d")] }, "mesh.clusters[0].eastWestGateway.externalIPs[0]"],
    ["failover service host that is no DNS name", base([primary("a", 1)], { localityFailover: { services: [{ name: "reviews", namespace: "shop", host: "reviews shop", failover: [] }] } }), "mesh.localityFailover.services[0].host"],
];

describe("reliability: bad input is rejected before anything registers", () => {
    it("accepts the valid meshes the cases start from, so each rejection is its own defect's", async () => {
        const cloud = MockCloud.install({ resources: alicloudResources, invokes: alicloudInvokes });
        new MultiClusterMesh("mesh", { config: base([primary("a", 1), primary("b", 2, { region: "cn-beijing" })]) });
        new MultiClusterMesh("onprem", { config: base([existing("c"), existing("d")], { networkLink: { mode: "none" }, apiServerAccess: undefined }) });
        new MultiClusterMesh("onprem-tls", {
            config: { ...onPrem, clusters: [existing("c", { apiServerCaPem: await selfSignedPem("api.c.example.com"), apiServerTlsServerName: "api.c.example.com", eastWestGateway: { externalIPs: ["10.9.0.5", "fd00::5"] } }), existing("d")] },
        });
        await cloud.settle();
        assert.ok(cloud.ofType("kubernetes:helm.sh/v3:Release").length > 0);
    });
    for (const [what, config, path] of cases) {
        it(what, async () => {
            const cloud = MockCloud.install({ resources: alicloudResources, invokes: alicloudInvokes });
            let error: unknown;
            try {
                new MultiClusterMesh("mesh", { config: config as MeshConfig });
            } catch (err) {
                error = err;
            }
            assert.ok(pulumi.InputPropertiesError.isInstance(error), `rejected with InputPropertiesError, got ${String(error)}`);
            assert.ok(error.errors.some((e) => e.propertyPath === path || e.propertyPath.endsWith(`.${path}`)), `names ${path}; got ${error.errors.map((e) => e.propertyPath).join(", ")}`);
            assert.ok(error.message.includes(path), "the message names the field too");
            const unknown = error.errors.filter((e) => !e.reason.endsWith("is not a setting here") && !configPathExists(e.propertyPath));
            assert.deepEqual(unknown, [], "every other path it reports is a field of the config schema");
            await cloud.settle();
            assert.deepEqual(cloud.registrations.filter((r) => r.type !== "istio-multicluster:index:MultiClusterMesh").map((r) => r.name), [], "nothing registered");
        });
    }
});
