import * as assert from "node:assert/strict";
import * as alicloud from "@pulumi/alicloud";
import * as pulumi from "@pulumi/pulumi";
import { AckCluster } from "../../lib/alicloud/ackCluster";
import { AckClusterArgs, validateAckClusterArgs } from "../../lib/alicloud/ackClusterArgs";
import { dns1123LabelProblem } from "../../lib/internal/names";
import { MeshRootCa, PrimaryCluster } from "../../lib";
import { alicloudInvokes, alicloudResources, loadDynamicProvider } from "../harness/alicloudProvider";
import { clbRequests, listenerOf } from "../harness/clbStandIn";
import { MockCloud, programFailures, valueOf, inspect, urnOf } from "../harness/mocks";
import { isSecretWrapper, looksSensitive, plainStrings, reveal } from "../harness/secrets";

const T = {
    acl: "alicloud:slb/acl:Acl",
    aclEntry: "alicloud:slb/aclEntryAttachment:AclEntryAttachment",
    dynamic: "pulumi-nodejs:dynamic:Resource",
    vpc: "alicloud:vpc/network:Network",
    vswitch: "alicloud:vpc/switch:Switch",
    cluster: "alicloud:cs/managedKubernetes:ManagedKubernetes",
    pool: "alicloud:cs/nodePool:NodePool",
};
const kubeconfigOf = (clusterId: string) =>
    `apiVersion: v1\nclusters:\n- cluster:\n    server: https://47.0.0.1:6443\n  name: ${clusterId}\nusers:\n- name: admin\n  user:\n    client-certificate-data: Y2VydA==\n    client-key-data: a2V5\n`;

/** ACK as the provider reports it back, with this test's endpoints and CA; the rest of Alibaba Cloud as the harness has it. */
function ackCloud(): MockCloud {
    return MockCloud.install({
        resources: {
            ...alicloudResources,
            [T.cluster]: async (r) => {
                const made = (await alicloudResources[T.cluster](r))!;
                return {
                    id: made.id,
                    state: {
                        ...made.state,
                        connections: { apiServerIntranet: "https://10.10.0.5:6443", apiServerInternet: "https://47.0.0.1:6443" },
                    },
                };
            },
        },
        invokes: {
            ...alicloudInvokes,
            "alicloud:cs/getClusterCredential:getClusterCredential": async (inputs, context) => ({
                ...(await alicloudInvokes["alicloud:cs/getClusterCredential:getClusterCredential"](inputs, context)),
                clusterId: inputs.clusterId,
                kubeConfig: kubeconfigOf(String(inputs.clusterId)),
                certificateAuthority: { clusterCert: Buffer.from("-----BEGIN CERTIFICATE-----\nack\n-----END CERTIFICATE-----\n").toString("base64"), clientCert: "", clientKey: "" },
            }),
        },
    });
}

function args(extra: Partial<AckClusterArgs> = {}): AckClusterArgs {
    return {
        clusterName: "cluster1",
        region: "cn-hangzhou",
        provider: extra.provider ?? new alicloud.Provider("hz", { region: "cn-hangzhou" }),
        zones: ["cn-hangzhou-h", "cn-hangzhou-i"],
        kubernetesVersion: "1.33.1-aliyun.1",
        vpcCidr: "10.10.0.0/16",
        serviceCidr: "192.168.0.0/20",
        apiServerAccess: { clientRanges: ["203.0.113.0/24"] },
        ...extra,
    };
}

describe("AckCluster", () => {
    it("creates VPC, node and pod vSwitches in two zones, a Terway cluster and three workers", async () => {
        const cloud = ackCloud();
        const ack = new AckCluster("cluster1", args());
        await urnOf(ack);
        await inspect(ack.kubeconfig);
        await cloud.settle();
        assert.deepEqual(cloud.find(T.vpc, "cluster1-vpc").inputs, { vpcName: "cluster1", cidrBlock: "10.10.0.0/16" });
        assert.deepEqual(
            cloud
                .ofType(T.vswitch)
                .map((r) => [r.name, r.inputs.vswitchName, r.inputs.zoneId, r.inputs.cidrBlock])
                .sort(),
            [
                ["cluster1-nodes-0", "cluster1-nodes-0", "cn-hangzhou-h", "10.10.0.0/20"],
                ["cluster1-nodes-1", "cluster1-nodes-1", "cn-hangzhou-i", "10.10.16.0/20"],
                ["cluster1-pods-0", "cluster1-pods-0", "cn-hangzhou-h", "10.10.32.0/20"],
                ["cluster1-pods-1", "cluster1-pods-1", "cn-hangzhou-i", "10.10.48.0/20"],
            ],
        );
        assert.deepEqual(ack.podVswitchCidrs, ["10.10.32.0/20", "10.10.48.0/20"]);
        const cluster = cloud.find(T.cluster, "cluster1-cluster");
        const inputs = reveal(cluster.inputs) as any;
        assert.equal(inputs.version, "1.33.1-aliyun.1");
        assert.equal(inputs.serviceCidr, "192.168.0.0/20");
        assert.equal(inputs.podCidr, undefined);
        assert.deepEqual(inputs.podVswitchIds, ["vsw-cluster1-pods-0", "vsw-cluster1-pods-1"]);
        assert.deepEqual(inputs.vswitchIds, ["vsw-cluster1-nodes-0", "vsw-cluster1-nodes-1"]);
        assert.deepEqual(inputs.addons, [{ name: "terway-eniip" }]);
        assert.equal(inputs.newNatGateway, true);
        assert.equal(inputs.slbInternetEnabled, true);
        assert.deepEqual(inputs.deleteOptions, [{ resourceType: "SLB", deleteMode: "delete" }, { resourceType: "ALB", deleteMode: "delete" }]);
        assert.equal(inputs.clusterSpec, "ack.pro.small");
        const outputs = cloud.find("istio-multicluster:index:AckCluster", "cluster1").outputs!;
        assert.deepEqual(Object.keys(outputs).sort(), ["apiServerIntranet", "apiServerPublic", "caCertPem", "kubeconfig", "securityGroupId", "vpcId"]);
        assert.ok(isSecretWrapper(outputs.kubeconfig), "the kubeconfig is registered as a secret");
        assert.equal(outputs.vpcId, "vpc-cluster1-vpc");
        const pool = reveal(cloud.find(T.pool, "cluster1-workers").inputs) as any;
        assert.deepEqual(
            [pool.nodePoolName, pool.multiAzPolicy, pool.systemDiskCategory, pool.systemDiskSize, pool.vswitchIds],
            ["cluster1-workers", "BALANCE", "cloud_essd", 120, ["vsw-cluster1-nodes-0", "vsw-cluster1-nodes-1"]],
        );
        assert.equal(pool.desiredSize, "3");
        assert.equal(pool.clusterId, "c-cluster1-cluster");
        for (const r of cloud.registrations.filter((r) => r.type.startsWith("alicloud:"))) {
            assert.match(r.provider ?? "", /::hz::/, `${r.name} uses the region's provider`);
        }
    });

    it("outputs what the mesh needs, the kubeconfig only as a secret", async () => {
        const cloud = ackCloud();
        const ack = new AckCluster("cluster1", args());
        assert.equal((await inspect(ack.apiServerIntranet)).value, "https://10.10.0.5:6443");
        assert.equal((await inspect(ack.apiServerPublic)).value, "https://47.0.0.1:6443");
        assert.equal((await inspect(ack.caCertPem)).value, "-----BEGIN CERTIFICATE-----\nack\n-----END CERTIFICATE-----\n");
        assert.equal((await inspect(ack.securityGroupId)).value, "sg-cluster1-cluster");
        assert.equal((await inspect(ack.routeTableId)).value, "vtb-cluster1-vpc");
        const kubeconfig = await inspect(ack.kubeconfig);
        assert.equal(kubeconfig.secret, true);
        assert.equal(kubeconfig.value, kubeconfigOf("c-cluster1-cluster"));
        await cloud.settle();
        const provider = cloud.find("pulumi:providers:kubernetes", "cluster1-k8s");
        assert.ok(isSecretWrapper(provider.inputs.kubeconfig), "the provider gets the kubeconfig as a secret");
        assert.ok(provider.dependencies.includes(cloud.find(T.pool, "cluster1-workers").urn!), "the provider waits for the workers");
        for (const r of cloud.registrations) {
            for (const leaf of plainStrings(r.inputs)) {
                assert.ok(!looksSensitive(leaf.value), `${r.name} ${leaf.path}`);
            }
        }
    });

    it("serves the cluster's Kubernetes children through its provider", async () => {
        const cloud = ackCloud();
        const ack = new AckCluster("cluster1", args());
        const ca = new MeshRootCa("ca", { clusters: ["cluster1"] });
        const primary = new PrimaryCluster("mesh-cluster1", {
            clusterName: "cluster1",
            network: "network1",
            meshId: "mesh1",
            provider: ack.kubernetesProvider,
            apiServer: ack.apiServerIntranet,
            cacerts: ca.cacerts.cluster1,
        });
        await cloud.settle();
        const providerRef = `${cloud.find("pulumi:providers:kubernetes", "cluster1-k8s").urn}::`;
        const namespace = cloud.find("kubernetes:core/v1:Namespace", "mesh-cluster1-namespace");
        assert.ok(namespace.provider?.startsWith(providerRef));
        const intranet = await valueOf(ack.apiServerIntranet);
        assert.match(intranet, /^https:\/\/\S+:6443$/, "the ACK cluster's intranet endpoint");
        assert.equal((await valueOf(primary.readerCredentials)).server, intranet, "peers reach the API server at its intranet endpoint");
    });

    it("takes the region's first two zones, in order, that allow a vSwitch and sell a worker instance type, when none are named", async () => {
        const cloud = ackCloud();
        const auto = new AckCluster("auto", args({ clusterName: "auto", zones: undefined }));
        const frankfurt = new AckCluster("fra", args({ clusterName: "fra", region: "eu-central-1", provider: new alicloud.Provider("fra", { region: "eu-central-1" }), zones: undefined }));
        const zonesOf = (ack: AckCluster) => Promise.all(ack.zones.map((z) => inspect(z).then((i) => i.value)));
        // The API lists them last first (see the harness): the pick is sorted, not the API's order.
        assert.deepEqual(await zonesOf(auto), ["cn-hangzhou-h", "cn-hangzhou-i"]);
        assert.deepEqual(await zonesOf(frankfurt), ["eu-central-1a", "eu-central-1b"], "the zones of the cluster's own region");
        await cloud.settle();
        assert.deepEqual(cloud.ofType(T.vswitch).filter((r) => r.name.startsWith("auto-")).map((r) => [r.name, r.inputs.zoneId]).sort(), [
            ["auto-nodes-0", "cn-hangzhou-h"],
            ["auto-nodes-1", "cn-hangzhou-i"],
            ["auto-pods-0", "cn-hangzhou-h"],
            ["auto-pods-1", "cn-hangzhou-i"],
        ]);
        const asked = cloud.invocations.filter((i) => i.token === "alicloud:index/getZones:getZones" && i.inputs.availableResourceCreation !== undefined);
        assert.deepEqual(asked.map((i) => i.inputs.availableResourceCreation), ["VSwitch", "VSwitch"], "zones where a vSwitch can be made");
    });

    it("picks zones that sell the worker instance types and, on CEN, where the transit router attaches", async () => {
        const cloud = ackCloud();
        const zonesOf = (ack: AckCluster) => Promise.all(ack.zones.map((z) => valueOf(z)));
        const gpu = new AckCluster("gpu", args({ clusterName: "gpu", zones: undefined, instanceTypes: ["ecs.gn7i-c8g1.2xlarge", "ecs.g7.xlarge"] }));
        assert.deepEqual(await zonesOf(gpu), ["cn-hangzhou-h", "cn-hangzhou-i"], "a zone qualifies when one of the types is on sale there");
        const wulanchabu = new alicloud.Provider("wlcb", { region: "cn-wulanchabu" });
        const offCen = new AckCluster("off-cen", args({ clusterName: "off-cen", region: "cn-wulanchabu", provider: wulanchabu, zones: undefined }));
        assert.deepEqual(await zonesOf(offCen), ["cn-wulanchabu-a", "cn-wulanchabu-b"]);
        await cloud.settle();
        const asked = cloud.invocations.filter((i) => i.token === "alicloud:index/getZones:getZones" && i.inputs.availableInstanceType !== undefined);
        assert.deepEqual(asked.map((i) => i.inputs.availableInstanceType).sort(), ["ecs.g6.xlarge", "ecs.g7.xlarge", "ecs.g7.xlarge", "ecs.gn7i-c8g1.2xlarge"]);
    });

    it("stops before any vSwitch when the zones cannot hold the cluster, naming them and why", async () => {
        const cases: [Partial<AckClusterArgs>, RegExp][] = [
            [
                { instanceTypes: ["ecs.gn7i-c8g1.2xlarge"], zones: undefined },
                /AckCluster c: cn-hangzhou has only cn-hangzhou-k for the cluster, which needs 2: vSwitches can be made in cn-hangzhou-h, cn-hangzhou-i, cn-hangzhou-j, cn-hangzhou-k; the worker instance types are on sale ecs.gn7i-c8g1.2xlarge in cn-hangzhou-k\. Choose other instance types, or another region/,
            ],
            [
                { instanceTypes: ["ecs.gn7i-c8g1.2xlarge"], zones: ["cn-hangzhou-h", "cn-hangzhou-k"] },
                /AckCluster c: zones cn-hangzhou-h \(none of the worker instance types \(ecs.gn7i-c8g1.2xlarge\) is on sale there\) cannot hold the cluster; zones that can: cn-hangzhou-k/,
            ],
            [
                { region: "cn-wulanchabu", zones: undefined, attachToTransitRouter: true },
                /cn-wulanchabu has only cn-wulanchabu-c for the cluster, which needs 2: .*; the transit router attaches in cn-wulanchabu-c\./,
            ],
        ];
        for (const [extra, expected] of cases) {
            const cloud = ackCloud();
            const failures = await programFailures(async () => {
                const provider = new alicloud.Provider("p", { region: extra.region ?? "cn-hangzhou" });
                new AckCluster("c", args({ clusterName: "c", provider, ...extra }));
                await cloud.settle();
            });
            assert.ok(failures.some((f) => expected.test(f)), failures.join("; "));
            assert.deepEqual(cloud.ofType(T.vswitch), [], "no vSwitch is made");
        }
    });

    it("in an existing VPC, admits Terway pods from the pod vSwitch ranges given, and Flannel pods from none", async () => {
        const cloud = ackCloud();
        const provider = new alicloud.Provider("hz", { region: "cn-hangzhou" });
        const existingVpc = { id: "vpc-1", cidr: "10.30.0.0/16", routeTableId: "vtb-1", vswitchIds: ["vsw-1", "vsw-2"], podVswitchIds: ["vsw-p1", "vsw-p2"] };
        const terway = new AckCluster("t1", args({ provider, clusterName: "t1", vpcCidr: undefined, existingVpc: { ...existingVpc, podVswitchCidrs: ["10.30.32.0/20", "10.30.48.0/20"] } }));
        assert.deepEqual(terway.podVswitchCidrs, ["10.30.32.0/20", "10.30.48.0/20"]);
        const unlisted = new AckCluster("t2", args({ provider, clusterName: "t2", vpcCidr: undefined, existingVpc }));
        assert.deepEqual(unlisted.podVswitchCidrs, []);
        const flannel = new AckCluster("f1", args({ provider, clusterName: "f1", vpcCidr: undefined, podNetworking: "flannel", podCidr: "172.20.0.0/16", existingVpc: { ...existingVpc, podVswitchCidrs: ["10.30.32.0/20", "10.30.48.0/20"] } }));
        assert.deepEqual(flannel.podVswitchCidrs, []);
        await cloud.settle();
    });

    it("reads its API server addresses and CA from ACK: no public address without the public endpoint; a missing private address or CA names what is missing", async () => {
        const answer = (connections: Record<string, string>, clusterCert: string) =>
            MockCloud.install({
                resources: {
                    ...alicloudResources,
                    [T.cluster]: async (r) => {
                        const made = (await alicloudResources[T.cluster](r))!;
                        return { id: made.id, state: { ...made.state, connections } };
                    },
                },
                invokes: {
                    ...alicloudInvokes,
                    "alicloud:cs/getClusterCredential:getClusterCredential": (i) => ({ id: String(i.clusterId), kubeConfig: kubeconfigOf(String(i.clusterId)), ...(clusterCert ? { certificateAuthority: { clusterCert } } : {}) }),
                },
            });
        let cloud = answer({ apiServerIntranet: "https://10.10.0.5:6443" }, Buffer.from("ca").toString("base64"));
        const privateOnly = new AckCluster("p", args({ clusterName: "p", publicApiServer: false, apiServerAccess: undefined }));
        assert.deepEqual(await Promise.all([valueOf(privateOnly.apiServerPublic), valueOf(privateOnly.apiServerIntranet), valueOf(privateOnly.caCertPem)]), ["", "https://10.10.0.5:6443", "ca"]);
        await cloud.settle();
        cloud = answer(undefined as unknown as Record<string, string>, "");
        const read: string[] = [];
        const failures = await programFailures(async () => {
            const missing = new AckCluster("m", args({ clusterName: "m" }));
            const outputs = await Promise.allSettled([valueOf(missing.apiServerIntranet), valueOf(missing.caCertPem)]);
            read.push(...outputs.map((r) => (r.status === "rejected" ? String((r.reason as Error).message) : "resolved")));
            await cloud.settle();
        });
        failures.push(...read);
        for (const expected of [
            "ACK cluster m-cluster answered without connections.apiServerIntranet, which its provider computes and the mesh needs",
            "getClusterCredential of ACK cluster m-cluster answered without certificateAuthority.clusterCert, which its provider computes and the mesh needs",
        ]) {
            assert.ok(failures.some((f) => f.includes(expected)), `${expected}\n${failures.join("\n")}`);
        }
    });

    it("uses Flannel with its pod range, and an existing VPC", async () => {
        const cloud = ackCloud();
        new AckCluster(
            "c2",
            args({
                clusterName: "c2",
                podNetworking: "flannel",
                podCidr: "172.20.0.0/16",
                vpcCidr: undefined,
                existingVpc: { id: "vpc-existing", cidr: "10.20.0.0/16", additionalCidrs: ["10.21.0.0/16"], routeTableId: "vtb-existing", vswitchIds: ["vsw-h", "vsw-i"] },
                workers: 5,
                publicApiServer: false,
            }),
        );
        await cloud.settle();
        assert.equal(cloud.ofType(T.vpc).length + cloud.ofType(T.vswitch).length, 0);
        const inputs = reveal(cloud.find(T.cluster, "c2-cluster").inputs) as any;
        assert.equal(inputs.podCidr, "172.20.0.0/16");
        assert.deepEqual(inputs.addons, [{ name: "flannel" }]);
        assert.deepEqual(inputs.vswitchIds, ["vsw-h", "vsw-i"]);
        assert.equal(inputs.slbInternetEnabled, false);
        assert.equal((reveal(cloud.find(T.pool, "c2-workers").inputs) as any).desiredSize, "5");
        assert.deepEqual(
            cloud.ofType(T.aclEntry).map((r) => [r.inputs.entry, r.inputs.comment]),
            [
                ["100.104.0.0/16", "ACK control plane"],
                ["10.20.0.0/16", "c2 VPC"],
                ["10.21.0.0/16", "c2 VPC"],
                ["172.20.0.0/16", "c2 pods"],
                ["203.0.113.0/24", "clients"],
            ],
            "Flannel pods reach the API server from their own range, nodes from every VPC range",
        );
        for (const entry of cloud.ofType(T.aclEntry)) {
            assert.deepEqual(entry.ignoreChanges, ["comment"], "a changed note never replaces an entry (which would drop its range)");
        }
    });

    it("restricts the API server to ACK's control plane, its own VPC, its clients and its peers, before anything uses it", async () => {
        const cloud = ackCloud();
        new AckCluster("cluster1", args({ apiServerAccess: { clientRanges: ["203.0.113.0/24", "198.51.100.7/32"], peers: [{ name: "cluster2", ranges: ["10.20.0.0/16", "10.10.0.0/16"] }] } }));
        await cloud.settle();
        const acl = cloud.find(T.acl, "cluster1-api-acl");
        assert.deepEqual(acl.inputs, { name: "cluster1-api-server", ipVersion: "ipv4" });
        const entries = cloud.ofType(T.aclEntry);
        assert.deepEqual(
            entries.map((r) => [r.name, r.inputs.aclId, r.inputs.entry, r.inputs.comment]),
            [
                ["cluster1-api-acl-100-104-0-0-16", "acl-cluster1-api-acl", "100.104.0.0/16", "ACK control plane"],
                ["cluster1-api-acl-10-10-0-0-16", "acl-cluster1-api-acl", "10.10.0.0/16", "cluster1 VPC"],
                ["cluster1-api-acl-203-0-113-0-24", "acl-cluster1-api-acl", "203.0.113.0/24", "clients"],
                ["cluster1-api-acl-198-51-100-7-32", "acl-cluster1-api-acl", "198.51.100.7/32", "clients"],
                ["cluster1-api-acl-10-20-0-0-16", "acl-cluster1-api-acl", "10.20.0.0/16", "istiod in cluster2"],
            ],
            "each range once, under its first reason",
        );
        entries.slice(1).forEach((entry, i) => assert.deepEqual(entry.dependencies.filter((d) => d.includes("AclEntryAttachment")), [entries[i].urn], "one change to the list at a time"));
        const binding = cloud.find(T.dynamic, "cluster1-api-acl-binding");
        assert.deepEqual(
            Object.fromEntries(Object.entries(binding.inputs).filter(([k]) => k !== "__provider")),
            { regionId: "cn-hangzhou", loadBalancerId: "lb-cluster1-cluster", listenerPort: 6443, aclId: "acl-cluster1-api-acl" },
        );
        assert.match(String(binding.inputs.__provider), /SetLoadBalancer|listenerAclRequest/, "the serialized provider sets the listener's access list");
        assert.deepEqual(
            { ...listenerOf("lb-cluster1-cluster", 6443) },
            { port: 6443, protocol: "TCP", aclStatus: "on", aclType: "white", aclId: "acl-cluster1-api-acl" },
            "the provider code the engine runs switched the whitelist on at the API server's listener, through the CLB API",
        );
        for (const entry of entries) {
            assert.ok(binding.dependencies.includes(entry.urn!), "the list is complete before it is switched on");
        }
        assert.ok(binding.dependencies.includes(cloud.find(T.cluster, "cluster1-cluster").urn!));
        const provider = cloud.find("pulumi:providers:kubernetes", "cluster1-k8s");
        assert.ok(provider.dependencies.includes(binding.urn!), "nothing reaches the API server before its access list is on");
    });

    it("keeps the whitelist in force until the cluster and its load balancer are gone", async () => {
        const cloud = ackCloud();
        new AckCluster("cluster1", args({ apiServerAccess: { clientRanges: ["203.0.113.0/24"], peers: [{ name: "cluster2", ranges: ["10.20.0.0/16"] }] } }));
        await cloud.settle();
        // A destroy deletes a resource only after everything that depends on it.
        const cluster = cloud.find(T.cluster, "cluster1-cluster");
        const entry = (range: string) => cloud.find(T.aclEntry, `cluster1-api-acl-${range}`);
        for (const part of [cloud.find(T.acl, "cluster1-api-acl"), entry("100-104-0-0-16"), entry("10-10-0-0-16")]) {
            assert.ok(cluster.dependencies.includes(part.urn!), `${part.name} outlives the cluster, so ACK still reaches the API server while it deletes`);
        }
        for (const part of [entry("203-0-113-0-24"), entry("10-20-0-0-16")]) {
            assert.ok(!cluster.dependencies.includes(part.urn!), `the cluster does not wait for ${part.name}: its start does not grow with the mesh`);
        }
        const binding = cloud.find(T.dynamic, "cluster1-api-acl-binding");
        const code = String(binding.inputs.__provider);
        const api = clbRequests();
        try {
            await loadDynamicProvider(code).delete!(binding.id!, { ...reveal(binding.inputs) as object });
        } finally {
            api.restore();
        }
        assert.deepEqual(api.actions, [], "deleting the binding calls nothing");
        assert.equal(listenerOf("lb-cluster1-cluster", 6443)?.aclStatus, "on", "the listener still admits only the list");
    });

    it("leaves the Kubernetes version to ACK when Istio supports the newest ACK offers, and stops before the cluster when not", async () => {
        const cloud = ackCloud();
        new AckCluster("cluster1", args({ kubernetesVersion: undefined }));
        await cloud.settle();
        assert.equal(cloud.find(T.cluster, "cluster1-cluster").inputs.version, undefined, "ACK takes its newest, 1.36.1-aliyun.1 here");
        assert.deepEqual(
            cloud.invocations.filter((i) => i.token === "alicloud:cs/getKubernetesVersion:getKubernetesVersion").map((i) => i.inputs.clusterType),
            ["ManagedKubernetes"],
        );

        const newer = ackCloud();
        const failures = await programFailures(async () => {
            new AckCluster("c", args({ clusterName: "c", region: "cn-wulanchabu", provider: new alicloud.Provider("wlcb", { region: "cn-wulanchabu" }), zones: undefined, kubernetesVersion: undefined }));
            await newer.settle();
        });
        assert.ok(
            failures.some((f) =>
                f.includes(
                    "AckCluster c: without kubernetesVersion, ACK would create the cluster at 1.37.0-aliyun.1, but it is too new: Istio 1.30 supports Kubernetes 1.32 to 1.36; set kubernetesVersion to 1.36.1-aliyun.1",
                ),
            ),
            failures.join("; "),
        );
        assert.deepEqual(newer.ofType(T.cluster), [], "no cluster is made");
        assert.equal(cloud.find(T.cluster, "cluster1-cluster").inputs.version, undefined);
    });

    it("applies the platform settings to the cluster, and the resource group and tags to everything it makes", async () => {
        const cloud = ackCloud();
        const provider = new alicloud.Provider("hz", { region: "cn-hangzhou" });
        new AckCluster("cluster1", args({ provider, deletionProtection: true, rrsa: true, secretsEncryptionKeyId: "key-1", auditLog: {}, resourceGroupId: "rg-aek2", tags: { team: "platform" } }));
        await cloud.settle();
        const cluster = cloud.find(T.cluster, "cluster1-cluster").inputs;
        assert.deepEqual(
            [cluster.deletionProtection, cluster.enableRrsa, cluster.encryptionProviderKey, cluster.disableEncryption, cluster.auditLogConfig],
            [true, true, "key-1", false, { enabled: true }],
        );
        const tagged = [T.vpc, T.vswitch, T.cluster, T.pool, T.acl].flatMap((type) => cloud.ofType(type));
        assert.equal(tagged.length, 8, "VPC, four vSwitches, cluster, node pool, access list");
        for (const r of tagged) {
            assert.deepEqual(r.inputs.tags, { team: "platform" }, r.name);
            assert.equal(r.inputs.resourceGroupId, r.type === T.vswitch ? undefined : "rg-aek2", `${r.name}: a vSwitch takes its VPC's group`);
        }
        assert.throws(
            () => new AckCluster("bad", args({ provider, clusterName: "bad", tags: { "acs:owner": "x" }, controlPlaneLogs: { components: [] } })),
            (e: Error) => /controlPlaneLogs.components/.test(e.message) && /tags.acs:owner/.test(e.message),
        );
    });

    it("refuses an existing VPC's pod vSwitch ranges that are not ranges, or not one per pod vSwitch", () => {
        const existingVpc = { id: "vpc-1", cidr: "10.10.0.0/16", routeTableId: "vtb-1", vswitchIds: ["vsw-1", "vsw-2"], podVswitchIds: ["vsw-p1", "vsw-p2"] };
        const cluster = { clusterName: "c1", region: "cn-hangzhou", zones: ["cn-hangzhou-h", "cn-hangzhou-i"], serviceCidr: "192.168.0.0/20", publicApiServer: false };
        const problems = (podVswitchCidrs: string[]) => validateAckClusterArgs({ ...cluster, existingVpc: { ...existingVpc, podVswitchCidrs } });
        assert.deepEqual(problems(["10.10.32.0/20", "10.10.48.0/20"]), []);
        assert.deepEqual(problems(["10.10.32.0/20"]).map((p) => p.propertyPath), ["existingVpc.podVswitchCidrs"]);
        assert.deepEqual(problems(["10.10.32.0/20", "pods"]).map((p) => p.propertyPath), ["existingVpc.podVswitchCidrs[1]"]);
    });

    it("takes an existing VPC's vSwitches one per zone, and Terway's pod vSwitches too", () => {
        const cluster = { clusterName: "c1", region: "cn-hangzhou", zones: ["cn-hangzhou-h", "cn-hangzhou-i"], serviceCidr: "192.168.0.0/20", publicApiServer: false };
        const existingVpc = { id: "vpc-1", cidr: "10.10.0.0/16", routeTableId: "vtb-1", vswitchIds: ["vsw-1"] };
        assert.deepEqual(validateAckClusterArgs({ ...cluster, existingVpc }), [
            { propertyPath: "existingVpc.vswitchIds", reason: "give one node vSwitch per zone (2 zones, 1 vSwitches)" },
            { propertyPath: "existingVpc.podVswitchIds", reason: "Terway needs one pod vSwitch per zone" },
        ]);
        assert.deepEqual(validateAckClusterArgs({ ...cluster, zones: ["cn-hangzhou-h"], existingVpc }), [
            { propertyPath: "zones", reason: "name at least two distinct zones (or none, to take the region's first two): ACK spreads the control plane and nodes across them" },
            { propertyPath: "existingVpc.podVswitchIds", reason: "Terway needs one pod vSwitch per zone" },
        ]);
        assert.deepEqual(validateAckClusterArgs({ ...cluster, podNetworking: "flannel", podCidr: "172.20.0.0/16", existingVpc: { ...existingVpc, vswitchIds: ["vsw-1", "vsw-2"], podVswitchCidrs: ["10.10.32.0/20"] } }), [
            { propertyPath: "existingVpc.podVswitchCidrs", reason: "give the range of each pod vSwitch, in order (0 vSwitches, 1 ranges)" },
        ]);
    });

    it("names what is wrong with the name, the ranges and the VPC's size, at their fields", () => {
        const cluster = { clusterName: "c1", region: "cn-hangzhou", zones: ["cn-hangzhou-h", "cn-hangzhou-i"], serviceCidr: "192.168.0.0/20", vpcCidr: "10.10.0.0/16", publicApiServer: false };
        const at = (extra: Record<string, unknown>) => validateAckClusterArgs({ ...cluster, ...extra }).map((p) => `${p.propertyPath}: ${p.reason}`);
        assert.deepEqual(at({ clusterName: "Cluster_1" }), [`clusterName: clusterName ${dns1123LabelProblem("Cluster_1")}`]);
        assert.deepEqual(at({ zones: undefined }), [], "no zones: the region's first two");
        assert.deepEqual(at({ podNetworking: "flannel" }), ["podCidr: Flannel needs podCidr, the overlay range for pods"]);
        assert.deepEqual(at({ zones: ["cn-hangzhou-h", "cn-hangzhou-h"] }), [
            "zones: name at least two distinct zones (or none, to take the region's first two): ACK spreads the control plane and nodes across them",
        ]);
        assert.deepEqual(at({ serviceCidr: undefined }), ["serviceCidr: serviceCidr is required: the Kubernetes service range, unique in the mesh"]);
        assert.deepEqual(at({ vpcCidr: "10.10.0.0/24" }), ["vpcCidr: vpcCidr 10.10.0.0/24 is too small for 4 /20 vSwitches (nodes and pods in each zone)"]);
        assert.deepEqual(
            at({ vpcCidr: "10.10.0.0/24", zones: ["cn-hangzhou-h"] }),
            ["zones: name at least two distinct zones (or none, to take the region's first two): ACK spreads the control plane and nodes across them"],
            "the VPC's size is judged only against a valid zone count",
        );
        assert.deepEqual(at({ vpcCidr: "10.10.0.0/33" }), ['vpcCidr: vpcCidr "10.10.0.0/33" is not a CIDR block (expected a form like 10.0.0.0/16)']);
        const existingVpc = { id: "vpc-1", cidr: "10.10.0.0/33", routeTableId: "vtb-1", vswitchIds: ["vsw-1", "vsw-2"], podVswitchIds: ["vsw-p1", "vsw-p2"] };
        assert.deepEqual(
            validateAckClusterArgs({ ...cluster, vpcCidr: undefined, existingVpc }),
            [{ propertyPath: "existingVpc.cidr", reason: 'vpcCidr "10.10.0.0/33" is not a CIDR block (expected a form like 10.0.0.0/16)' }],
            "an existing VPC's range is named where it was given",
        );
        assert.deepEqual(
            validateAckClusterArgs({ ...cluster, vpcCidr: undefined, existingVpc: { ...existingVpc, cidr: "10.10.0.0/16" }, serviceCidr: "192.168.0.0/33" }).map((p) => p.propertyPath),
            ["serviceCidr"],
            "beside an existing VPC, the other ranges keep their own names",
        );
        assert.ok(validateAckClusterArgs(undefined as never).some((p) => p.propertyPath === "serviceCidr"), "no arguments at all are problems, not a crash");
    });

    it("takes a VPC to make or an existing one, exactly one", () => {
        const cluster = { clusterName: "c1", region: "cn-hangzhou", zones: ["cn-hangzhou-h", "cn-hangzhou-i"], serviceCidr: "192.168.0.0/20", publicApiServer: false };
        const existingVpc = { id: "vpc-1", cidr: "10.10.0.0/16", routeTableId: "vtb-1", vswitchIds: ["vsw-1", "vsw-2"], podVswitchIds: ["vsw-p1", "vsw-p2"] };
        const exactlyOne = { propertyPath: "vpcCidr", reason: "set exactly one of vpcCidr (a VPC made here) and existingVpc" };
        assert.deepEqual(validateAckClusterArgs(cluster), [exactlyOne]);
        assert.deepEqual(validateAckClusterArgs({ ...cluster, vpcCidr: "10.10.0.0/16", existingVpc }).filter((p) => p.propertyPath === "vpcCidr"), [exactlyOne]);
        assert.deepEqual(validateAckClusterArgs({ ...cluster, existingVpc }), []);
        assert.deepEqual(validateAckClusterArgs({ ...cluster, existingVpc: { ...existingVpc, cidr: "10.10.0.0/24" } }), [], "an existing VPC's vSwitches are there already, whatever its size");
    });

    it("spreads workers evenly over the zones", async () => {
        const cloud = ackCloud();
        new AckCluster("cluster1", args());
        await cloud.settle();
        assert.equal(cloud.find(T.pool, "cluster1-workers").inputs.multiAzPolicy, "BALANCE");
    });

    it("sets the whitelist as the RAM role the provider assumes", async () => {
        const cloud = ackCloud();
        new AckCluster("cluster1", args({ assumeRole: { roleArn: "acs:ram::1:role/deployer", sessionName: "mesh" } }));
        await cloud.settle();
        assert.deepEqual(cloud.find(T.dynamic, "cluster1-api-acl-binding").inputs.assumeRole, { roleArn: "acs:ram::1:role/deployer", sessionName: "mesh" });
    });

    it("needs the clients' ranges while the public endpoint is on, and refuses ranges that open it to everyone", async () => {
        const cloud = ackCloud();
        let attempt = 0;
        const provider = new alicloud.Provider("hz", { region: "cn-hangzhou" });
        const failure = (extra: Partial<AckClusterArgs>) => {
            try {
                new AckCluster(`bad-${attempt++}`, args({ provider, ...extra }));
            } catch (err) {
                assert.ok(pulumi.InputPropertiesError.isInstance(err));
                return err.errors.map((e) => `${e.propertyPath}: ${e.reason}`);
            }
            return [];
        };
        assert.deepEqual(failure({ apiServerAccess: undefined }), [
            "apiServerAccess.clientRanges: the API server's public endpoint is on: list the egress ranges of the machines that deploy and operate the cluster (CI runners, workstations), or turn the public endpoint off and deploy from inside the cluster's VPC (a runner elsewhere on CEN needs its range listed too)",
        ]);
        assert.deepEqual(failure({ apiServerAccess: undefined, publicApiServer: false }), [], "an intranet-only API server admits the VPC and ACK alone");
        assert.deepEqual(failure({ apiServerAccess: { clientRanges: ["0.0.0.0/0", "2001:db8::/32", "203.0.113.7/24"], peers: [{ name: "c2", ranges: ["10.20.0.0"] }] } }), [
            "apiServerAccess.clientRanges[0]: 0.0.0.0/0 admits the whole internet to the API server; list the egress ranges of the machines that need it",
            "apiServerAccess.clientRanges[1]: 2001:db8::/32 is IPv6; the API server's load balancer takes an IPv4 access list",
            "apiServerAccess.clientRanges[2]: 203.0.113.7/24 has host bits set; the block it names is 203.0.113.0/24",
            'apiServerAccess.peers[0].ranges[0]: "10.20.0.0" is not a CIDR block (expected a form like 10.0.0.0/16)',
        ]);
        const many = Array.from({ length: 299 }, (_, i) => `198.${Math.floor(i / 256)}.${i % 256}.0/24`);
        assert.deepEqual(failure({ apiServerAccess: { clientRanges: many } }), [
            "apiServerAccess: the API server's access list would hold up to 301 entries; a CLB access list holds 300: summarize ranges",
        ]);
        await cloud.settle();
        assert.deepEqual(cloud.registrations.filter((r) => r.parent?.endsWith("AckCluster::bad")), []);
    });

    it("refuses fewer than three workers, unsupported versions and ranges that cannot work, before creating anything", async () => {
        const cloud = ackCloud();
        let error: unknown;
        try {
            new AckCluster("bad", args({ workers: 2, kubernetesVersion: "1.31.9-aliyun.1", zones: ["cn-hangzhou-h"], podCidr: "172.20.0.0/16", serviceCidr: "10.10.0.0/20" }));
        } catch (err) {
            error = err;
        }
        assert.ok(pulumi.InputPropertiesError.isInstance(error));
        assert.ok(error.message.startsWith("AckCluster bad has 5 problems:\n"), error.message);
        assert.deepEqual(error.errors, [
            { propertyPath: "kubernetesVersion", reason: "kubernetesVersion 1.31.9-aliyun.1 is too old: Istio 1.30 supports Kubernetes 1.32 to 1.36" },
            { propertyPath: "workers", reason: "workers is 2; a mesh cluster needs at least 3 worker nodes" },
            { propertyPath: "zones", reason: "name at least two distinct zones (or none, to take the region's first two): ACK spreads the control plane and nodes across them" },
            { propertyPath: "podCidr", reason: "Terway gives pods VPC addresses from pod vSwitches; podCidr applies only to Flannel" },
            { propertyPath: "serviceCidr", reason: "serviceCidr 10.10.0.0/20 overlaps the VPC range 10.10.0.0/16; it must lie outside the VPC" },
        ]);
        await cloud.settle();
        assert.deepEqual(cloud.registrations.filter((r) => r.parent?.endsWith("AckCluster::bad")), []);
    });
});
