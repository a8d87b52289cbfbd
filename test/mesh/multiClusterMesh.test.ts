import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { MeshConfig, MeshInput, MultiClusterMesh, MultiClusterMeshArgs, meshProblems } from "../../lib";
import { apiServerAccessOf } from "../../lib/mesh/plan";
import { alicloudInvokes, alicloudResources } from "../harness/alicloudProvider";
import { MockCloud, inspect, programFailures, urnOf } from "../harness/mocks";
import { isSecretWrapper, looksSensitive, plainStrings, reveal } from "../harness/secrets";
import { selfSignedPem } from "../harness/x509";
import { parse } from "yaml";

const ack = (vpc: number, extra: Record<string, unknown> = {}) => ({
    vpcCidr: `10.${vpc}.0.0/16`,
    serviceCidr: `192.168.${vpc * 16}.0/20`,
    kubernetesVersion: "1.33.1-aliyun.1",
    ...extra,
});
const zones = { "cn-hangzhou": ["cn-hangzhou-h", "cn-hangzhou-i"], "cn-shanghai": ["cn-shanghai-e", "cn-shanghai-f"] };

const multiPrimary: MeshConfig = {
    meshId: "mesh1",
    networkLink: { mode: "cen" },
    apiServerAccess: { clientRanges: ["203.0.113.0/24"] },
    localityFailover: { enabled: true, failover: [{ from: "cn-hangzhou", to: "cn-shanghai" }] },
    clusters: [
        { name: "cluster1", role: "primary", network: "network1", region: "cn-hangzhou", ack: ack(1, { zones: zones["cn-hangzhou"] }), ingressGateway: true },
        { name: "cluster2", role: "primary", network: "network2", region: "cn-shanghai", ack: ack(2, { zones: zones["cn-shanghai"] }) },
    ],
};

async function evaluate(config: MeshConfig, args: Omit<MultiClusterMeshArgs, "config"> = {}) {
    const cloud = MockCloud.install({ resources: alicloudResources, invokes: alicloudInvokes });
    const mesh = new MultiClusterMesh("mesh", { config, ...args });
    await urnOf(mesh);
    const outputs: Record<string, Record<string, { value: unknown; secret: boolean } | undefined>> = {};
    for (const [name, c] of Object.entries(mesh.clusters)) {
        outputs[name] = {
            eastWestAddress: c.eastWestAddress && (await inspect(c.eastWestAddress)),
            ingressAddress: c.ingressAddress && (await inspect(c.ingressAddress)),
            kubeconfig: await inspect(c.kubeconfig),
        };
    }
    await cloud.settle();
    return { cloud, mesh, outputs };
}

describe("MultiClusterMesh", () => {
    it("builds seed 003 on ACK from config: two regions, CEN, a primary in each, gateways, secrets both ways", async () => {
        const { cloud, mesh, outputs } = await evaluate(multiPrimary);
        const count = (type: string) => cloud.ofType(type).length;
        assert.equal(count("alicloud:cs/managedKubernetes:ManagedKubernetes"), 2);
        assert.equal(count("alicloud:cen/transitRouterPeerAttachment:TransitRouterPeerAttachment"), 1);
        assert.equal(count("istio-multicluster:index:PrimaryCluster"), 2);
        assert.equal(count("istio-multicluster:index:EastWestGateway"), 2);
        assert.equal(count("istio-multicluster:index:RemoteSecret"), 2);
        assert.equal(count("tls:index/locallySignedCert:LocallySignedCert"), 2);
        for (const name of ["cluster1", "cluster2"]) {
            assert.match(String(outputs[name].eastWestAddress!.value), /^198\.1[89]\./);
            assert.equal(outputs[name].kubeconfig!.secret, true);
        }
        assert.match(String(outputs.cluster1.ingressAddress?.value), /^198\.1[89]\./, "an ingress gateway's address where asked");
        assert.equal(outputs.cluster2.ingressAddress, undefined);
        const istiod = reveal(cloud.find("kubernetes:helm.sh/v3:Release", "mesh-cluster1-istiod").inputs.values) as any;
        assert.deepEqual(istiod.meshConfig.localityLbSetting, { enabled: true, failover: [{ from: "cn-hangzhou", to: "cn-shanghai" }] });
        assert.equal(istiod.global.meshID, "mesh1");
        // Remote secrets point the peer istiod at the intranet API server across CEN.
        const secret = reveal(cloud.find("kubernetes:core/v1:Secret", "mesh-cluster1-watches-cluster2-secret").inputs.stringData) as Record<string, string>;
        assert.match(secret.cluster2, /server: https:\/\/mesh-cluster2-cluster\.intranet:6443/);
        // A primary's gateway needs nothing of the network to install: it does not wait for it.
        const gatewayRelease = cloud.find("kubernetes:helm.sh/v3:Release", "mesh-cluster1-eastwest-release");
        assert.ok(!gatewayRelease.dependencies.some((d) => d.includes("alicloud:cen/") || d.includes("vpc/routeEntry:RouteEntry")));
        for (const r of cloud.registrations) {
            for (const leaf of plainStrings(r.inputs)) {
                assert.ok(!looksSensitive(leaf.value), `${r.name} ${leaf.path}`);
            }
        }
        assert.match(mesh.diagram, /subgraph region_cn_hangzhou\["cn-hangzhou"\]/);
        assert.match(mesh.diagram, /cluster1 -\.->\|watches\| cluster2/);
        assert.match(mesh.diagram, /cluster1_ew\[\["east-west gateway"\]\]/);
    });

    it("gives the inter-region connection the bandwidth the config names, and the link's default otherwise", async () => {
        const bandwidthOf = async (config: MeshConfig) => (await evaluate(config)).cloud.ofType("alicloud:cen/transitRouterPeerAttachment:TransitRouterPeerAttachment").map((p) => p.inputs.bandwidth);
        assert.deepEqual(await bandwidthOf({ ...multiPrimary, networkLink: { mode: "cen", bandwidth: 50 } }), [50]);
        assert.deepEqual(await bandwidthOf(multiPrimary), [100]);
    });

    it("runs every Alibaba Cloud call as the RAM role given: the providers it makes and the API server whitelists", async () => {
        const role = { roleArn: "acs:ram::1:role/mesh-deployer", sessionName: "mesh" };
        const { cloud } = await evaluate(multiPrimary, { alicloudAssumeRole: role });
        const providers = cloud.ofType("pulumi:providers:alicloud");
        assert.deepEqual(providers.map((p) => p.parent), [cloud.find("istio-multicluster:index:MultiClusterMesh", "mesh").urn, cloud.find("istio-multicluster:index:MultiClusterMesh", "mesh").urn]);
        // Providers receive nested settings as JSON, as the engine passes provider configuration.
        assert.deepEqual(providers.map((p) => [p.name, p.inputs.region, JSON.parse(String(reveal(p.inputs.assumeRole)))]).sort(), [
            ["mesh-cn-hangzhou", "cn-hangzhou", role],
            ["mesh-cn-shanghai", "cn-shanghai", role],
        ]);
        const bindings = cloud.ofType("pulumi-nodejs:dynamic:Resource");
        assert.equal(bindings.length, 2);
        for (const binding of bindings) {
            assert.deepEqual(reveal(binding.inputs.assumeRole), role, binding.name);
        }
    });

    it("takes each ACK cluster's platform settings and the mesh's resource group and tags from config", async () => {
        const config: MeshConfig = {
            ...multiPrimary,
            alicloud: { resourceGroupId: "rg-aek2", tags: { team: "platform" } },
            clusters: [{ ...multiPrimary.clusters[0], ack: ack(1, { zones: zones["cn-hangzhou"], deletionProtection: true, controlPlaneLogs: { components: ["apiserver"] } }) }, multiPrimary.clusters[1]],
        };
        const { cloud } = await evaluate(config);
        const cluster = (name: string) => cloud.find("alicloud:cs/managedKubernetes:ManagedKubernetes", `mesh-${name}-cluster`).inputs;
        assert.deepEqual([cluster("cluster1").deletionProtection, cluster("cluster1").controlPlaneLogComponents], [true, ["apiserver"]]);
        assert.deepEqual([cluster("cluster2").deletionProtection, cluster("cluster2").controlPlaneLogComponents], [undefined, undefined]);
        for (const r of [...cloud.ofType("alicloud:cs/managedKubernetes:ManagedKubernetes"), ...cloud.ofType("alicloud:cen/instance:Instance")]) {
            assert.deepEqual([r.inputs.resourceGroupId, r.inputs.tags], ["rg-aek2", { team: "platform" }], r.name);
        }
        assert.deepEqual(
            meshProblems({ ...config, alicloud: { tags: { "acs:x": "y" } } }).errors.map((e) => e.propertyPath),
            ["mesh.alicloud.tags.acs:x"],
            "once, at its config path, however many clusters it reaches",
        );
    });

    it("on CEN, puts each ACK cluster in zones its region's transit router attaches", async () => {
        const config: MeshConfig = {
            ...multiPrimary,
            clusters: [
                { ...multiPrimary.clusters[0], ack: ack(1) },
                { ...multiPrimary.clusters[1], region: "cn-wulanchabu", ack: ack(2) },
            ],
            localityFailover: undefined,
        };
        const cloud = MockCloud.install({ resources: alicloudResources, invokes: alicloudInvokes });
        const failures = await programFailures(async () => {
            new MultiClusterMesh("mesh", { config });
            await cloud.settle();
        });
        assert.ok(
            failures.some((f) => /AckCluster mesh-cluster2: cn-wulanchabu has only cn-wulanchabu-c for the cluster, which needs 2: .*the transit router attaches in cn-wulanchabu-c\./.test(f)),
            failures.join("; "),
        );
        assert.deepEqual(cloud.ofType("alicloud:vpc/switch:Switch").filter((r) => r.name.startsWith("mesh-cluster2")), [], "no vSwitch is made in that region");
    });

    it("accepts the config exactly as documented, ACK zones left to the region", async () => {
        const { cloud } = await evaluate({
            meshId: "mesh1",
            networkLink: { mode: "cen" },
            apiServerAccess: { clientRanges: ["203.0.113.0/24"] },
            clusters: [
                { name: "cluster1", role: "primary", network: "network1", region: "cn-hangzhou", ack: { vpcCidr: "10.10.0.0/16", podCidr: "172.20.0.0/16", serviceCidr: "192.168.0.0/20", workers: 3, kubernetesVersion: "1.33.1-aliyun.1", podNetworking: "flannel" } },
                { name: "cluster2", role: "primary", network: "network2", region: "cn-shanghai", ack: { vpcCidr: "10.20.0.0/16", serviceCidr: "192.168.16.0/20", workers: 3, kubernetesVersion: "1.33.1-aliyun.1" } },
            ],
        });
        const attachment = cloud.find("alicloud:cen/transitRouterVpcAttachment:TransitRouterVpcAttachment", "mesh-network-attach-cluster1");
        assert.deepEqual(reveal(attachment.inputs.zoneMappings), [
            { zoneId: "cn-hangzhou-h", vswitchId: "vsw-mesh-cluster1-nodes-0" },
            { zoneId: "cn-hangzhou-i", vswitchId: "vsw-mesh-cluster1-nodes-1" },
        ]);
        const gatewayService = cloud.find("kubernetes:core/v1:Service", "mesh-cluster1-eastwest-service");
        assert.deepEqual((reveal(gatewayService.inputs.spec) as any).ports.map((p: any) => p.nodePort), [undefined, 31443, 31012, 31017], "Flannel: pinned NodePorts");
        assert.ok(cloud.ofType("alicloud:ecs/securityGroupRule:SecurityGroupRule").some((r) => r.inputs.portRange === "31443/31443"));
    });

    it("makes a remote's gateway wait for the path to its primary, and for nothing of other clusters' networks", async () => {
        const { cloud } = await evaluate({
            meshId: "mesh1",
            networkLink: { mode: "cen" },
            apiServerAccess: { clientRanges: ["203.0.113.0/24"] },
            clusters: [
                { name: "cp", role: "primary", network: "n1", region: "cn-hangzhou", ack: ack(1) },
                { name: "dp", role: "remote", controlPlane: "cp", network: "n2", region: "cn-shanghai", ack: ack(2) },
                { name: "other", role: "primary", network: "n3", region: "cn-beijing", ack: ack(3) },
            ],
        });
        const remoteGateway = cloud.find("istio-multicluster:index:EastWestGateway", "mesh-dp-eastwest");
        const waitsFor = new Set(remoteGateway.dependencies.map((d) => d.split("::").pop()!));
        for (const needed of [
            "mesh-network-attach-cp",
            "mesh-network-attach-dp",
            "mesh-network-peer-cn-hangzhou-cn-shanghai",
            "mesh-network-propagate-cn-shanghai-peer-cn-hangzhou-cn-shanghai",
            "mesh-network-associate-cn-hangzhou-vpc-cp",
            "mesh-network-vpc-route-dp-10-0-0-0-8",
            "mesh-network-cp-istiod-xds",
            "mesh-network-cp-istiod-webhook",
        ]) {
            assert.ok(waitsFor.has(needed), `the remote's gateway waits for ${needed}`);
        }
        assert.ok(![...waitsFor].some((n) => n.includes("beijing") || n.includes("-other")), [...waitsFor].join(", "));
        const release = cloud.find("kubernetes:helm.sh/v3:Release", "mesh-dp-eastwest-release");
        assert.ok(release.dependencies.some((d) => d.endsWith("::mesh-network-attach-dp")), "down to the release itself");
        for (const primary of ["cp", "other"]) {
            const gateway = cloud.find("istio-multicluster:index:EastWestGateway", `mesh-${primary}-eastwest`);
            assert.deepEqual(gateway.dependencies, [], `${primary}'s gateway waits for no network resource`);
        }
    });

    it("makes an existing remote served by a primary on ACK wait for the primary's rules and their prefix list, the only part of the path made here", async () => {
        const { cloud } = await evaluate({
            meshId: "mesh1",
            networkLink: { mode: "none", internetPeerRanges: ["198.51.100.0/24"] },
            apiServerAccess: { clientRanges: ["203.0.113.0/24"] },
            clusters: [
                { name: "cp", role: "primary", network: "n1", region: "cn-hangzhou", ack: ack(1, { zones: zones["cn-hangzhou"] }) },
                { name: "onprem", role: "remote", controlPlane: "cp", network: "n2", kubeconfig: "k", apiServer: "https://10.9.0.1:6443", eastWestGateway: { externalIPs: ["192.0.2.9"] } },
            ],
        });
        const primaryRules = cloud.ofType("alicloud:ecs/securityGroupRule:SecurityGroupRule").filter((r) => r.name.startsWith("mesh-network-cp-"));
        assert.ok(primaryRules.some((r) => r.name === "mesh-network-cp-istiod-xds"));
        const remoteGateway = cloud.find("istio-multicluster:index:EastWestGateway", "mesh-onprem-eastwest");
        const peerList = cloud.find("alicloud:ecs/ecsPrefixList:EcsPrefixList", "mesh-network-internet-peers-cn-hangzhou");
        assert.deepEqual([...remoteGateway.dependencies].sort(), [...primaryRules, peerList].map((r) => r.urn!).sort());
    });

    it("refuses an ACK remote served by an existing primary before making anything: the network link joins only clusters made on ACK", () => {
        const { errors } = meshProblems({
            meshId: "mesh1",
            networkLink: { mode: "none", internetPeerRanges: ["198.51.100.0/24"] },
            apiServerAccess: { clientRanges: ["203.0.113.0/24"] },
            clusters: [
                { name: "onprem", role: "primary", network: "n1", kubeconfig: "k", apiServer: "https://10.9.0.1:6443", eastWestGateway: { externalIPs: ["192.0.2.9"] } },
                { name: "edge", role: "remote", controlPlane: "onprem", network: "n2", region: "cn-hangzhou", ack: ack(2, { zones: zones["cn-hangzhou"] }) },
            ],
        });
        assert.deepEqual(errors, [
            {
                propertyPath: "mesh.clusters[1].controlPlane",
                reason: 'remote "edge" is made on ACK but its control plane "onprem" exists already; the network link joins only clusters made on ACK, so make both on ACK or serve "edge" from a primary made on ACK',
            },
        ]);
    });

    it("parents everything it makes to itself, and registers its outputs", async () => {
        const config: MeshConfig = {
            meshId: "mesh1",
            networkLink: { mode: "none", internetPeerRanges: ["198.51.100.0/24"] },
            apiServerAccess: { clientRanges: ["203.0.113.0/24"] },
            verification: { enabled: true },
            clusters: [
                { name: "cp", role: "primary", network: "n1", region: "cn-hangzhou", ack: ack(1, { zones: zones["cn-hangzhou"] }) },
                { name: "onprem", role: "remote", controlPlane: "cp", network: "n2", kubeconfig: "k", apiServer: "https://10.9.0.1:6443", eastWestGateway: { externalIPs: ["192.0.2.9"] } },
                { name: "lab", role: "primary", network: "n3", kubeconfig: "k3", apiServer: "https://10.8.0.1:6443", eastWestGateway: { externalIPs: ["192.0.2.8"] } },
            ],
        };
        const { cloud, mesh } = await evaluate(config);
        const registered = cloud.find("istio-multicluster:index:MultiClusterMesh", "mesh");
        const parentOf = new Map(cloud.registrations.map((r) => [r.urn, r.parent]));
        const children = cloud.registrations.filter((r) => r.parent === registered.urn);
        assert.deepEqual([...new Set(children.map((r) => r.type))].sort(), [
            "istio-multicluster:index:AckCluster",
            "istio-multicluster:index:ClusterNetworkLink",
            "istio-multicluster:index:EastWestGateway",
            "istio-multicluster:index:MeshRootCa",
            "istio-multicluster:index:PrimaryCluster",
            "istio-multicluster:index:RemoteCluster",
            "istio-multicluster:index:RemoteSecret",
            "kubernetes:apps/v1:Deployment",
            "kubernetes:core/v1:Namespace",
            "kubernetes:core/v1:Service",
            "pulumi:providers:alicloud",
            "pulumi:providers:kubernetes",
        ]);
        for (const r of cloud.registrations.filter((r) => r !== registered)) {
            let above = r.parent;
            while (above !== undefined && above !== registered.urn) {
                above = parentOf.get(above);
            }
            assert.equal(above, registered.urn, `${r.type} ${r.name} is under the mesh`);
        }
        const { clusters, ...outputs } = registered.outputs as { clusters: Record<string, { kubeconfig: unknown }> };
        assert.deepEqual(outputs, { rootCertPem: (await inspect(mesh.rootCertPem))!.value, diagram: mesh.diagram, verificationCommand: mesh.verificationCommand });
        assert.deepEqual(Object.keys(clusters).sort(), ["cp", "lab", "onprem"]);
        assert.equal(reveal(clusters.lab.kubeconfig), "k3");
        assert.equal(typeof mesh.verificationCommand, "string");
        // The verification workload waits for its namespace, and for Istio in its cluster.
        for (const cluster of ["cp", "onprem", "lab"]) {
            const namespace = cloud.find("kubernetes:core/v1:Namespace", `mesh-${cluster}-verify-namespace`);
            for (const r of [cloud.find("kubernetes:core/v1:Service", `mesh-${cluster}-verify-helloworld`), ...cloud.ofType("kubernetes:apps/v1:Deployment").filter((d) => d.name.startsWith(`mesh-${cluster}-verify-`))]) {
                assert.ok(r.dependencies.includes(namespace.urn!), `${r.name} waits for its namespace`);
                assert.ok(namespace.dependencies.every((d) => r.dependencies.includes(d)), `${r.name} waits for what its namespace waits for`);
            }
        }
    });

    it("gives primaries on one network no east-west gateway, and each primary the per-service failover the config names", async () => {
        const existing = (i: number): MeshConfig["clusters"][number] => ({ name: `dc${i}`, role: "primary", network: "flat", region: `region${i}`, kubeconfig: `k${i}`, apiServer: `https://10.${i}.0.1:6443`, podCidr: `10.${100 + i}.0.0/16`, serviceCidr: `10.${200 + i}.0.0/16` });
        const failover = [{ from: "region1", to: "region2" }];
        const { cloud } = await evaluate({
            meshId: "mesh1",
            localityFailover: { services: [{ name: "reviews", namespace: "bookinfo", host: "reviews.bookinfo.svc.cluster.local", failover }] },
            clusters: [existing(1), existing(2)],
        });
        assert.equal(cloud.ofType("istio-multicluster:index:PrimaryCluster").length, 2);
        assert.deepEqual(cloud.ofType("istio-multicluster:index:EastWestGateway"), []);
        for (const cluster of ["dc1", "dc2"]) {
            const rule = cloud.find("kubernetes:networking.istio.io/v1:DestinationRule", `mesh-${cluster}-dr-bookinfo-reviews`);
            assert.deepEqual((rule.inputs.spec as any).trafficPolicy.loadBalancer.localityLbSetting.failover, failover);
        }
    });

    it("has peers watch an API server through its public endpoint while the networks are not joined, and asks for no transit router's zones", async () => {
        const { cloud } = await evaluate({ ...multiPrimary, networkLink: { mode: "none", internetPeerRanges: ["198.51.100.0/24"] } });
        const routerZoneQuery = "alicloud:cen/getTransitRouterAvailableResources:getTransitRouterAvailableResources";
        assert.deepEqual(cloud.invocations.filter((i) => i.token === routerZoneQuery), []);
        assert.ok((await evaluate(multiPrimary)).cloud.invocations.some((i) => i.token === routerZoneQuery), "on CEN, the zones are where transit routers attach");
        const secret = reveal(cloud.find("kubernetes:core/v1:Secret", "mesh-cluster1-watches-cluster2-secret").inputs.stringData) as Record<string, string>;
        assert.match(secret.cluster2, /server: https:\/\/mesh-cluster2-cluster\.public:6443/);
    });

    it("gives CEN settings to the network link only in mode cen, though the config names a bandwidth", async () => {
        const { cloud } = await evaluate({ ...multiPrimary, networkLink: { mode: "none", internetPeerRanges: ["198.51.100.0/24"], bandwidth: 50 } });
        assert.deepEqual(cloud.ofType("alicloud:cen/instance:Instance"), []);
    });

    it("builds primary-remote on one flat network: istiod exposed through the primary's gateway, no east-west gateway in the remote", async () => {
        const { cloud, outputs } = await evaluate({
            meshId: "mesh1",
            networkLink: { mode: "cen" },
            apiServerAccess: { clientRanges: ["203.0.113.0/24"] },
            clusters: [
                { name: "cp", role: "primary", network: "flat", region: "cn-hangzhou", ack: ack(1, { zones: zones["cn-hangzhou"] }) },
                { name: "dp", role: "remote", controlPlane: "cp", network: "flat", region: "cn-shanghai", ack: ack(2, { zones: zones["cn-shanghai"] }), ingressGateway: true },
            ],
        });
        assert.deepEqual(cloud.ofType("istio-multicluster:index:EastWestGateway").map((r) => r.name), ["mesh-cp-eastwest"]);
        assert.deepEqual(cloud.ofType("kubernetes:helm.sh/v3:Release").filter((r) => r.inputs.name === "istio-ingressgateway").map((r) => r.name), ["mesh-dp-ingress"], "the remote's ingress gateway, as asked");
        assert.match(String(outputs.dp.ingressAddress!.value), /^\d+\.\d+\.\d+\.\d+$/);
        assert.deepEqual(cloud.ofType("kubernetes:networking.istio.io/v1:Gateway").map((r) => r.name), ["mesh-cp-eastwest-istiod-gateway"]);
        const remote = reveal(cloud.find("kubernetes:helm.sh/v3:Release", "mesh-dp-istiod").inputs.values) as any;
        assert.match(remote.global.remotePilotAddress, /^198\.1[89]\./);
        assert.equal(cloud.ofType("istio-multicluster:index:RemoteSecret").length, 0, "the remote's only watcher is its control plane");
        assert.ok(cloud.ofType("alicloud:ecs/securityGroupRule:SecurityGroupRule").some((r) => r.name.endsWith("-pods")), "pod-to-pod on the flat network");
    });

    it("builds on existing clusters with fixed gateway addresses (seed 003 on-prem)", async () => {
        const { cloud, outputs } = await evaluate({
            meshId: "mesh1",
            clusters: [
                { name: "onprem1", role: "primary", network: "network1", kubeconfig: "kubeconfig-1", apiServer: "https://10.0.0.1:6443", eastWestGateway: { externalIPs: ["192.0.2.10"] }, podCidr: "10.244.0.0/16" },
                { name: "onprem2", role: "primary", network: "network2", kubeconfig: "kubeconfig-2", apiServer: "https://10.1.0.1:6443", eastWestGateway: { externalIPs: ["192.0.2.20"] }, podCidr: "10.244.0.0/16" },
            ],
        });
        assert.equal(cloud.registrations.filter((r) => r.type.startsWith("alicloud:")).length, 0);
        assert.equal(outputs.onprem1.eastWestAddress!.value, "192.0.2.10");
        assert.equal(outputs.onprem1.kubeconfig!.secret, true);
        const provider = cloud.find("pulumi:providers:kubernetes", "mesh-onprem1-k8s");
        assert.equal(reveal(provider.inputs.kubeconfig), "kubeconfig-1");
        assert.notEqual(provider.inputs.kubeconfig, "kubeconfig-1", "the kubeconfig reaches the provider as a secret");
    });

    it("gives every primary the mesh's trust domain, gateways their availability, and peers' istiods the API server's own CA and TLS name", async () => {
        const apiServerCaPem = await selfSignedPem("api.onprem2.example.com");
        const { cloud } = await evaluate({
            meshId: "mesh1",
            istio: { trustDomain: "corp.example" },
            clusters: [
                {
                    name: "onprem1",
                    role: "primary",
                    network: "network1",
                    kubeconfig: "kubeconfig-1",
                    apiServer: "https://10.0.0.1:6443",
                    eastWestGateway: { externalIPs: ["192.0.2.10"], replicas: 3, podDisruptionBudget: { maxUnavailable: 1 }, resources: { requests: { cpu: "250m" } }, zoneSpread: false, serviceAnnotations: { team: "mesh" } },
                },
                {
                    name: "onprem2",
                    role: "primary",
                    network: "network2",
                    kubeconfig: "kubeconfig-2",
                    apiServer: "https://192.0.2.99:6443",
                    apiServerCaPem,
                    apiServerTlsServerName: "api.onprem2.example.com",
                    eastWestGateway: { externalIPs: ["192.0.2.20"] },
                },
            ],
        });
        for (const cluster of ["onprem1", "onprem2"]) {
            assert.equal((reveal(cloud.find("kubernetes:helm.sh/v3:Release", `mesh-${cluster}-istiod`).inputs.values) as any).meshConfig.trustDomain, "corp.example");
        }
        const gateway = reveal(cloud.find("kubernetes:helm.sh/v3:Release", "mesh-onprem1-eastwest-release").inputs.values) as any;
        assert.deepEqual([gateway.replicaCount, gateway.podDisruptionBudget, gateway.resources, gateway.topologySpreadConstraints], [3, { maxUnavailable: 1 }, { requests: { cpu: "250m" } }, undefined], "the gateway's availability as configured");
        assert.equal(gateway.service.annotations.team, "mesh");
        const secret = cloud.find("kubernetes:core/v1:Secret", "mesh-onprem1-watches-onprem2-secret");
        const kubeconfig = parse((reveal(secret.inputs.stringData) as Record<string, string>).onprem2) as any;
        assert.deepEqual(kubeconfig.clusters[0].cluster, {
            "certificate-authority-data": Buffer.from(apiServerCaPem).toString("base64"),
            server: "https://192.0.2.99:6443",
            "tls-server-name": "api.onprem2.example.com",
        });
    });

    it("runs a canary revision in every cluster, remotes included, with the tag the namespaces follow", async () => {
        const { cloud } = await evaluate({
            meshId: "mesh1",
            istio: { revision: "1-30-3", additionalRevisions: [{ revision: "1-31-0", version: "1.31.0", revisionTags: ["prod"] }], skipAwait: true },
            verification: { enabled: true },
            clusters: [
                { name: "onprem1", role: "primary", network: "network1", kubeconfig: "kubeconfig-1", apiServer: "https://10.0.0.1:6443", eastWestGateway: { externalIPs: ["192.0.2.10"] } },
                { name: "onprem2", role: "remote", controlPlane: "onprem1", network: "network2", kubeconfig: "kubeconfig-2", apiServer: "https://10.1.0.1:6443", eastWestGateway: { externalIPs: ["192.0.2.20"] } },
            ],
        });
        const istiods = cloud.ofType("kubernetes:helm.sh/v3:Release").filter((r) => String(r.inputs.chart).endsWith("istiod"));
        assert.deepEqual(istiods.map((r) => `${r.name}@${r.inputs.version}`).sort(), ["mesh-onprem1-istiod-1-30-3@1.30.3", "mesh-onprem1-istiod-1-31-0@1.31.0", "mesh-onprem2-istiod-1-30-3@1.30.3", "mesh-onprem2-istiod-1-31-0@1.31.0"]);
        assert.deepEqual(cloud.ofType("kubernetes:admissionregistration.k8s.io/v1:MutatingWebhookConfiguration").map((w) => w.name).sort(), ["mesh-onprem1-tag-prod", "mesh-onprem2-tag-prod"]);
        const tagService = reveal(cloud.find("kubernetes:core/v1:Service", "mesh-onprem1-tag-prod-service").inputs.metadata) as any;
        assert.deepEqual([tagService.name, tagService.annotations], ["istiod-revision-tag-prod", { "pulumi.com/skipAwait": "true" }], "not waiting for istiod's pods when told not to wait for workloads");
        for (const cluster of ["onprem1", "onprem2"]) {
            assert.deepEqual(cloud.find("kubernetes:core/v1:NamespacePatch", `mesh-${cluster}-injection-default`).inputs.metadata, { name: "default", labels: { "istio.io/rev": "prod" } });
            assert.deepEqual((reveal(cloud.find("kubernetes:core/v1:Namespace", `mesh-${cluster}-verify-namespace`).inputs.metadata) as any).labels, { "istio.io/rev": "prod" }, "the check's workloads follow the tag");
        }
    });

    it("deploys Istio's multicluster check when asked, after Istio and every remote secret", async () => {
        const { cloud, mesh } = await evaluate({
            meshId: "mesh1",
            verification: { enabled: true, helloworldImage: "registry.cn-hangzhou.aliyuncs.com/mirror/examples-helloworld" },
            localityFailover: { services: [{ name: "helloworld", namespace: "sample", host: "helloworld.sample.svc.cluster.local", failover: [{ from: "dc-east", to: "dc-west" }] }] },
            clusters: [
                { name: "east", role: "primary", network: "n1", region: "dc-east", kubeconfig: "k1", apiServer: "https://10.0.0.1:6443", eastWestGateway: { externalIPs: ["192.0.2.1"] } },
                { name: "west", role: "primary", network: "n2", region: "dc-west", kubeconfig: "k2", apiServer: "https://10.1.0.1:6443", eastWestGateway: { externalIPs: ["192.0.2.2"] } },
            ],
        });
        const deployments = cloud.ofType("kubernetes:apps/v1:Deployment");
        assert.deepEqual(deployments.map((d) => d.name).sort(), ["mesh-east-verify-helloworld-v1", "mesh-east-verify-sleep", "mesh-west-verify-helloworld-v2", "mesh-west-verify-sleep"]);
        const v1 = reveal(cloud.find("kubernetes:apps/v1:Deployment", "mesh-east-verify-helloworld-v1").inputs.spec) as any;
        assert.equal(v1.template.spec.containers[0].image, "registry.cn-hangzhou.aliyuncs.com/mirror/examples-helloworld-v1:1.0");
        assert.deepEqual(reveal(cloud.find("kubernetes:core/v1:Namespace", "mesh-east-verify-namespace").inputs.metadata), { name: "sample", labels: { "istio-injection": "enabled" } });
        const namespace = cloud.find("kubernetes:core/v1:Namespace", "mesh-west-verify-namespace");
        for (const needed of ["mesh-west-istiod", "mesh-west-watches-east-secret", "mesh-east-watches-west-secret"]) {
            assert.ok(namespace.dependencies.includes(cloud.registrations.find((r) => r.name === needed)!.urn!), `waits for ${needed}`);
        }
        assert.equal(mesh.verificationCommand, "for i in $(seq 10); do kubectl --context=east -n sample exec deploy/sleep -c sleep -- curl -sS helloworld.sample:5000/hello; done");
        const rules = cloud.ofType("kubernetes:networking.istio.io/v1:DestinationRule").map((r) => r.name).sort();
        assert.deepEqual(rules, ["mesh-east-dr-sample-helloworld", "mesh-west-dr-sample-helloworld"], "per-service failover in every primary");
    });

    it("on clusters whose pods never start: no release or check workload waits, webhooks fail open, istio-system adopted", async () => {
        const { cloud } = await evaluate({
            meshId: "mesh1",
            istio: { skipAwait: true, validationFailurePolicy: "Ignore" },
            verification: { enabled: true },
            clusters: [
                { name: "east", role: "primary", network: "n1", kubeconfig: "k1", apiServer: "https://10.0.0.1:6443", eastWestGateway: { externalIPs: ["192.0.2.1"] }, existingIstioNamespace: true },
                { name: "west", role: "remote", controlPlane: "east", network: "n2", kubeconfig: "k2", apiServer: "https://10.1.0.1:6443", eastWestGateway: { externalIPs: ["192.0.2.2"] } },
            ],
        });
        const releases = cloud.ofType("kubernetes:helm.sh/v3:Release");
        assert.deepEqual(releases.filter((r) => r.inputs.skipAwait !== true).map((r) => r.name), [], "every release skips Helm's wait");
        for (const name of ["mesh-east-base", "mesh-east-istiod", "mesh-west-base"]) {
            assert.equal((reveal(cloud.find("kubernetes:helm.sh/v3:Release", name).inputs.values) as any).base?.validationFailurePolicy, "Ignore", `${name} fails open`);
        }
        for (const d of cloud.ofType("kubernetes:apps/v1:Deployment")) {
            assert.equal((reveal(d.inputs.metadata) as any).annotations?.["pulumi.com/skipAwait"], "true", `${d.name} is not awaited`);
        }
        const adopted = cloud.find("kubernetes:core/v1:NamespacePatch", "mesh-east-namespace");
        assert.deepEqual(reveal(adopted.inputs.metadata), { name: "istio-system", labels: { "topology.istio.io/network": "n1" } });
        assert.equal(cloud.ofType("kubernetes:core/v1:Namespace").filter((r) => r.name === "mesh-east-namespace").length, 0, "an existing namespace is patched, never created");
        const created = cloud.find("kubernetes:core/v1:Namespace", "mesh-west-namespace");
        assert.deepEqual(reveal(created.inputs.metadata), {
            name: "istio-system",
            labels: { "topology.istio.io/network": "n2" },
            annotations: { "topology.istio.io/controlPlaneClusters": "east" },
        });
        const cacerts = cloud.find("kubernetes:core/v1:Secret", "mesh-east-cacerts");
        assert.ok(cacerts.dependencies.includes(adopted.urn!), "what goes into the adopted namespace waits for the patch");
    });

    it("waits for Istio's workloads and leaves webhook policies to the charts unless told otherwise", async () => {
        const { cloud } = await evaluate({
            meshId: "mesh1",
            verification: { enabled: true },
            clusters: [
                { name: "east", role: "primary", network: "n1", kubeconfig: "k1", apiServer: "https://10.0.0.1:6443", eastWestGateway: { externalIPs: ["192.0.2.1"] } },
                { name: "west", role: "primary", network: "n2", kubeconfig: "k2", apiServer: "https://10.1.0.1:6443", eastWestGateway: { externalIPs: ["192.0.2.2"] } },
            ],
        });
        const releases = cloud.ofType("kubernetes:helm.sh/v3:Release");
        assert.deepEqual(releases.filter((r) => r.inputs.skipAwait !== false).map((r) => r.name), []);
        assert.deepEqual(releases.filter((r) => (reveal(r.inputs.values) as any).base !== undefined).map((r) => r.name), []);
        for (const d of cloud.ofType("kubernetes:apps/v1:Deployment")) {
            assert.equal((reveal(d.inputs.metadata) as any).annotations, undefined, `${d.name} is awaited`);
        }
        assert.equal(cloud.ofType("kubernetes:core/v1:NamespacePatch").filter((r) => r.name.endsWith("-namespace")).length, 0);
    });

    it("admits to each API server its clients and the istiods that watch it, from where they come", async () => {
        const flannelRemote: MeshConfig = {
            meshId: "mesh1",
            networkLink: { mode: "cen" },
            apiServerAccess: { clientRanges: ["203.0.113.0/24"] },
            clusters: [
                { name: "hub", role: "primary", network: "n1", region: "cn-hangzhou", ack: ack(1, { podNetworking: "flannel", podCidr: "172.20.0.0/16" }) },
                { name: "spoke", role: "remote", controlPlane: "hub", network: "n2", region: "cn-shanghai", ack: ack(2) },
                { name: "other", role: "primary", network: "n3", region: "cn-shanghai", ack: ack(3) },
            ],
        };
        assert.deepEqual(apiServerAccessOf(flannelRemote, "spoke"), {
            clientRanges: ["203.0.113.0/24"],
            peers: [
                { name: "hub", ranges: ["10.1.0.0/16", "172.20.0.0/16"] },
                { name: "other", ranges: ["10.3.0.0/16"] },
            ],
        });
        assert.deepEqual(apiServerAccessOf(flannelRemote, "hub").peers, [{ name: "other", ranges: ["10.3.0.0/16"] }], "a primary is watched by the other primaries");
        const withExisting: MeshConfig = {
            ...flannelRemote,
            clusters: [...flannelRemote.clusters, { name: "onprem", role: "primary", network: "n4", kubeconfig: "k", apiServer: "https://10.9.0.1:6443", vpcCidr: "10.9.0.0/16", podCidr: "172.29.0.0/16" }],
        };
        assert.deepEqual(apiServerAccessOf(withExisting, "hub").peers?.[1], { name: "onprem", ranges: ["10.9.0.0/16", "172.29.0.0/16"] }, "an existing primary's ranges are its own settings");
        const unjoined: MeshConfig = { ...flannelRemote, networkLink: { mode: "none", internetPeerRanges: ["198.51.100.0/24"] } };
        assert.deepEqual(apiServerAccessOf(unjoined, "spoke").peers, [
            { name: "hub", ranges: ["198.51.100.0/24"] },
            { name: "other", ranges: ["198.51.100.0/24"] },
        ], "without a joined network, peers come through the public endpoint from their egress ranges");
        const unlinked: MeshConfig = { ...flannelRemote, networkLink: undefined };
        assert.deepEqual(apiServerAccessOf(unlinked, "spoke").peers, apiServerAccessOf({ ...flannelRemote, networkLink: { mode: "none" } }, "spoke").peers, "no networkLink is mode none");

        const { cloud } = await evaluate(multiPrimary);
        assert.deepEqual(
            cloud.ofType("alicloud:slb/aclEntryAttachment:AclEntryAttachment").filter((r) => r.name.startsWith("mesh-cluster1-")).map((r) => [r.inputs.entry, r.inputs.comment]),
            [
                ["100.104.0.0/16", "ACK control plane"],
                ["10.1.0.0/16", "cluster1 VPC"],
                ["203.0.113.0/24", "clients"],
                ["10.2.0.0/16", "istiod in cluster2"],
            ],
        );
    });

    describe("bad config", () => {
        it("sizes the prefix lists and the security groups' rule quota from networkLink, and names them when the peers outgrow them", async () => {
            const manyPeers = Array.from({ length: 41 }, (_, i) => `198.51.${i}.0/24`);
            const unjoined = (networkLink: MeshConfig["networkLink"]): MeshConfig => ({ ...multiPrimary, networkLink: { mode: "none", internetPeerRanges: manyPeers, ...networkLink } });
            assert.deepEqual(meshProblems(unjoined({})).errors, [
                {
                    propertyPath: "mesh.networkLink.prefixListMaxEntries",
                    reason: "prefix list internet-peers@cn-hangzhou needs 41 entries but holds at most 40; raising it replaces the lists and their rules",
                },
                {
                    propertyPath: "mesh.networkLink.prefixListMaxEntries",
                    reason: "prefix list internet-peers@cn-shanghai needs 41 entries but holds at most 40; raising it replaces the lists and their rules",
                },
            ]);
            assert.deepEqual(meshProblems(unjoined({ prefixListMaxEntries: 41 })).errors, []);
            const withExisting = unjoined({});
            withExisting.clusters = [...multiPrimary.clusters, { name: "onprem", role: "primary", network: "network3", kubeconfig: "k", apiServer: "https://192.0.2.9:6443" }];
            assert.deepEqual(meshProblems(withExisting).errors.map((e) => e.propertyPath), ["mesh.networkLink.prefixListMaxEntries", "mesh.networkLink.prefixListMaxEntries"], "beside an existing cluster too");
            const overQuota = meshProblems(unjoined({ prefixListMaxEntries: 41, securityGroupRuleQuota: 50 })).errors;
            assert.deepEqual([...new Set(overQuota.map((e) => e.propertyPath))], ["mesh.networkLink.prefixListMaxEntries"]);
            assert.match(overQuota[0].reason, /would hold 1 rules that reference prefix lists of 41 entries, which count as 41 against its quota of 50/);

            const { cloud } = await evaluate(unjoined({ prefixListMaxEntries: 41, securityGroupRuleQuota: 500 }));
            const lists = cloud.ofType("alicloud:ecs/ecsPrefixList:EcsPrefixList");
            assert.ok(lists.length > 0);
            assert.deepEqual([...new Set(lists.map((l) => l.inputs.maxEntries))], [41]);
        });

        it("names every problem by its config path, ACK ranges under ack", () => {
            const { errors } = meshProblems({
                meshId: "Mesh",
                networkLink: { mode: "cen" },
                apiServerAccess: { clientRanges: ["203.0.113.0/24"] },
                localityFailover: { failover: [{ from: "cn-hangzhou", to: "cn-hangzhou" }] },
                clusters: [
                    { name: "a", role: "primary", network: "n1", region: "cn-hangzhou", ack: ack(1, { zones: ["cn-hangzhou-h"] }) },
                    { name: "b", role: "primary", network: "n1", region: "cn-shanghai", ack: ack(1, { zones: zones["cn-shanghai"], workers: 2 }) },
                ],
            });
            assert.deepEqual(errors.map((e) => e.propertyPath), [
                "mesh.meshId",
                "mesh.clusters[1].ack.workers",
                "mesh.clusters[1].ack.vpcCidr",
                "mesh.clusters[1].ack.serviceCidr",
                "mesh.localityFailover.failover[0]",
                "mesh.clusters[0].ack.zones",
            ]);
        });

        it("reports shape errors from the JSON Schema with paths", () => {
            const { errors } = meshProblems({
                meshId: "m",
                mtls: "OFF",
                istio: { validationFailurePolicy: "Open", skipAwait: "yes" },
                clusters: [{ name: "a", role: "primary", network: "n", ack: { vpcCidr: "10.0.0.0/16" }, colour: "blue", existingIstioNamespace: 1 }],
            } as unknown as MeshConfig);
            assert.deepEqual(errors, [
                { propertyPath: "mesh.istio.skipAwait", reason: "must be boolean" },
                { propertyPath: "mesh.istio.validationFailurePolicy", reason: "must be one of Fail, Ignore" },
                { propertyPath: "mesh.mtls", reason: "must be one of STRICT, PERMISSIVE" },
                { propertyPath: "mesh.clusters[0].colour", reason: "colour is not a setting here" },
                { propertyPath: "mesh.clusters[0].ack.serviceCidr", reason: "serviceCidr is required" },
                { propertyPath: "mesh.clusters[0].existingIstioNamespace", reason: "must be boolean" },
            ]);
        });

        it("reports range overlaps and other checks in the same round as shape errors, leaving out what concerns a malformed setting", () => {
            const existing = (name: string, network: string, extra: Record<string, unknown>) => ({ name, role: "primary", network, kubeconfig: "k", apiServer: `https://${name}.example.com:6443`, eastWestGateway: { externalIPs: ["192.0.2.1"] }, ...extra });
            const { errors } = meshProblems({
                meshId: "m",
                clusters: [
                    existing("a", "n1", { podCidr: "10.244.0.0/16", serviceCidr: "10.96.0.0/12", colour: "blue" }),
                    existing("b", "n1", { podCidr: "10.244.0.0/16", serviceCidr: 12, istioRevision: "Not A Label" }),
                    existing("c", "n2", { eastWestGateway: { externalIPs: ["192.0.2.3", 4] } }),
                ],
            } as unknown as MeshConfig);
            assert.deepEqual(
                errors.map((e) => e.propertyPath),
                ["mesh.clusters[0].colour", "mesh.clusters[1].istioRevision", "mesh.clusters[1].serviceCidr", "mesh.clusters[2].eastWestGateway.externalIPs[1]", "mesh.clusters[1].podCidr"],
            );
            assert.match(errors[4].reason, /overlaps clusters\[0\]\.podCidr/);
            // Taking out a mistyped network leaves a cluster without one: that echo is not reported.
            const mistyped = meshProblems({ meshId: "m", clusters: [existing("a", 5 as unknown as string, {})] } as unknown as MeshConfig);
            assert.deepEqual(mistyped.errors, [{ propertyPath: "mesh.clusters[0].network", reason: "must be string" }]);
        });

        it("keeps to shape errors when a required setting is missing, since the rest cannot be checked without it", () => {
            const { errors } = meshProblems({
                meshId: "m",
                clusters: [
                    { name: "a", role: "primary", kubeconfig: "k", apiServer: "https://a:6443", podCidr: "10.244.0.0/16" },
                    { name: "b", role: "primary", network: "n1", kubeconfig: "k", apiServer: "https://b:6443", podCidr: "10.244.0.0/16" },
                ],
            } as unknown as MeshConfig);
            assert.deepEqual(errors, [{ propertyPath: "mesh.clusters[0].network", reason: "network is required" }]);
        });

        it("refuses a cluster that is both made on ACK and existing, before anything registers", async () => {
            const cloud = MockCloud.install({ resources: alicloudResources, invokes: alicloudInvokes });
            assert.throws(
                () =>
                    new MultiClusterMesh("bad", {
                        config: { meshId: "m", clusters: [{ name: "a", role: "primary", network: "n", region: "cn-hangzhou", ack: ack(1, { zones: zones["cn-hangzhou"] }), kubeconfig: "k", apiServer: "https://x" }] },
                    }),
                (err: unknown) => pulumi.InputPropertiesError.isInstance(err) && err.errors[0].propertyPath === "mesh.clusters[0]",
            );
            await cloud.settle();
            assert.deepEqual(cloud.registrations.filter((r) => r.parent?.includes("MultiClusterMesh::bad")), []);
        });
    });

    describe("Inputs: secrets and values computed elsewhere", () => {
        const onprem = (i: number, settings: Partial<MeshInput["clusters"][number]>): MeshInput["clusters"][number] => ({
            name: `onprem${i}`,
            role: "primary",
            network: `network${i}`,
            kubeconfig: `kubeconfig-${i}`,
            apiServer: `https://10.${i}.0.1:6443`,
            eastWestGateway: { externalIPs: [`192.0.2.${i}`] },
            ...settings,
        });

        it("installs intermediates made outside Pulumi (trust mode external) as each primary's cacerts, secret, with no key made", async () => {
            // As PEM files hold them, each ending in a newline.
            const rootCertPem = `${await selfSignedPem("Offline Root CA")}\n`;
            const intermediates = Object.fromEntries(
                await Promise.all([1, 2].map(async (i) => [`onprem${i}`, { caCertPem: `${await selfSignedPem(`Offline Intermediate ${i}`)}\n`, caKeyPem: pulumi.secret(`offline-key-${i}\n`) }] as const)),
            );
            const cloud = MockCloud.install();
            const failures = await programFailures(async () => {
                const config: MeshInput = { meshId: "mesh1", trust: { mode: "external", rootCertPem, intermediates }, clusters: [onprem(1, {}), onprem(2, {})] };
                await urnOf(new MultiClusterMesh("mesh", { config }));
                await cloud.settle();
            });
            assert.deepEqual(failures, []);
            assert.deepEqual(cloud.registrations.filter((r) => r.type.startsWith("tls:")), [], "no key or certificate is made");
            for (const i of [1, 2]) {
                const stringData = cloud.find("kubernetes:core/v1:Secret", `mesh-onprem${i}-cacerts`).inputs.stringData;
                assert.ok(isSecretWrapper(stringData));
                const cacerts = reveal(stringData) as Record<string, string>;
                assert.equal(cacerts["ca-cert.pem"], await intermediates[`onprem${i}`].caCertPem);
                assert.equal(cacerts["ca-key.pem"], `offline-key-${i}\n`);
                assert.equal(cacerts["root-cert.pem"], rootCertPem);
            }
        });

        it("takes kubeconfigs, API server settings and root material as Inputs, and keeps the secret ones secret", async () => {
            const apiServerCaPem = await selfSignedPem("api.onprem2.example.com");
            const cloud = MockCloud.install();
            const failures = await programFailures(async () => {
                // The root comes from other resources of the program, as another stack's outputs would.
                const rootKey = new tls.PrivateKey("corp-root-key", { algorithm: "RSA", rsaBits: 2048 });
                const root = new tls.SelfSignedCert("corp-root", {
                    privateKeyPem: rootKey.privateKeyPem,
                    isCaCertificate: true,
                    validityPeriodHours: 87600,
                    allowedUses: ["cert_signing", "crl_signing"],
                    subject: { commonName: "Corp Root CA", organization: "Corp" },
                });
                const config: MeshInput = {
                    meshId: "mesh1",
                    trust: { mode: "imported", rootCertPem: root.certPem, rootKeyPem: rootKey.privateKeyPem },
                    clusters: [
                        onprem(1, { kubeconfig: pulumi.secret("kubeconfig-1"), apiServer: pulumi.output(Promise.resolve("https://10.1.0.1:6443")) }),
                        onprem(2, { kubeconfig: Promise.resolve("kubeconfig-2"), apiServerCaPem: pulumi.output(apiServerCaPem) }),
                    ],
                };
                await urnOf(new MultiClusterMesh("mesh", { config }));
                await cloud.settle();
            });
            assert.deepEqual(failures, []);
            for (const i of [1, 2]) {
                const provider = cloud.find("pulumi:providers:kubernetes", `mesh-onprem${i}-k8s`);
                assert.equal(reveal(provider.inputs.kubeconfig), `kubeconfig-${i}`);
                assert.ok(isSecretWrapper(provider.inputs.kubeconfig), `onprem${i}'s kubeconfig reaches its provider as a secret, however it was given`);
            }
            const rootCert = reveal(cloud.find("tls:index/selfSignedCert:SelfSignedCert", "corp-root").state!.certPem);
            for (const i of [1, 2]) {
                const signed = cloud.find("tls:index/locallySignedCert:LocallySignedCert", `mesh-ca-intermediate-onprem${i}-cert`);
                assert.equal(reveal(signed.inputs.caCertPem), rootCert, "the intermediates are signed by the program's own root");
                assert.ok(isSecretWrapper(signed.inputs.caPrivateKeyPem), "the root key stays secret");
            }
            const watched = (watcher: string, cluster: string) => {
                const secret = cloud.find("kubernetes:core/v1:Secret", `mesh-${watcher}-watches-${cluster}-secret`);
                return (parse((reveal(secret.inputs.stringData) as Record<string, string>)[cluster]) as any).clusters[0].cluster;
            };
            assert.equal(watched("onprem2", "onprem1").server, "https://10.1.0.1:6443", "an API server address given as an Output");
            assert.equal(watched("onprem1", "onprem2")["certificate-authority-data"], Buffer.from(apiServerCaPem).toString("base64"), "an API server CA given as an Output");
        });

        it("checks what was not known at construction when it resolves, with the errors the same values give at construction", async () => {
            const bad = { apiServer: "http://10.1.0.1:6443", apiServerCaPem: "not a certificate" };
            const plain: MeshInput = { meshId: "mesh1", clusters: [onprem(1, bad), onprem(2, {})] };
            const atConstruction = meshProblems(plain).errors;
            assert.deepEqual(atConstruction.map((e) => e.propertyPath), ["mesh.clusters[0].apiServer", "mesh.clusters[0].apiServerCaPem"]);

            const deferred: MeshInput = { meshId: "mesh1", clusters: [onprem(1, { apiServer: pulumi.output(bad.apiServer), apiServerCaPem: Promise.resolve(bad.apiServerCaPem) }), onprem(2, {})] };
            assert.deepEqual(meshProblems(deferred).errors, [], "nothing is refused before it is known");
            const cloud = MockCloud.install();
            const failures = await programFailures(async () => {
                new MultiClusterMesh("mesh", { config: deferred });
                await cloud.settle();
            });
            // One message with every problem, as at construction; every resource taking one of the values fails with it.
            const message = `MultiClusterMesh mesh has 2 problems:\n${atConstruction.map((e) => `  - ${e.propertyPath}: ${e.reason}`).join("\n")}`;
            assert.ok(failures.length > 0);
            for (const failure of failures) {
                assert.ok(failure.endsWith(message), `the deploy stops with: ${message}\n(it said: ${failure})`);
            }
        });

        it("never shows a value given as a secret in an error", async () => {
            const cloud = MockCloud.install();
            const failures = await programFailures(async () => {
                new MultiClusterMesh("mesh", { config: { meshId: "mesh1", clusters: [onprem(1, { apiServer: pulumi.secret("http://hidden.example.com:6443") }), onprem(2, {})] } });
                await cloud.settle();
            });
            assert.ok(failures.length > 0);
            for (const failure of failures) {
                assert.ok(failure.endsWith("MultiClusterMesh mesh has 1 problem:\n  - mesh.clusters[0].apiServer: apiServer [secret] is not a URL starting https://"), failure);
            }
        });

        it("still finds what is missing when the rest is not known yet", () => {
            const config: MeshInput = { meshId: "mesh1", clusters: [onprem(1, { kubeconfig: undefined, apiServer: pulumi.output("https://10.1.0.1:6443") }), onprem(2, {})] };
            assert.deepEqual(meshProblems(config).errors, [
                { propertyPath: "mesh.clusters[0]", reason: 'cluster "onprem1" needs ack settings to be made on ACK, or kubeconfig and apiServer for an existing cluster' },
            ]);
        });
    });
});
