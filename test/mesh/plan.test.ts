import * as assert from "node:assert/strict";
import { validateAckClusterArgs } from "../../lib/alicloud/ackClusterArgs";
import { firewallProblems } from "../../lib/alicloud/firewall";
import { ClusterConfig, MeshConfig, topologyOfConfig } from "../../lib/mesh/config";
import { ackConfigPath, defaultFlannelNodePorts, firewallConfigPath, planMesh } from "../../lib/mesh/plan";
import { meshProblems } from "../../lib/mesh/validation";
import { validateTopology } from "../../lib/model/topology";
import { configPathExists } from "../harness/configPaths";
import { ackPrimary as ackCluster, cenMesh as mesh } from "../harness/meshConfigs";

describe("the mesh plan", () => {
    describe("decides each cluster once", () => {
        it("gives a Flannel cluster's gateway pinned NodePorts, unless it is on fixed addresses, in the firewall record too", () => {
            const flannel = { vpcCidr: "10.1.0.0/16", serviceCidr: "192.168.16.0/20", kubernetesVersion: "1.33.1-aliyun.1", podNetworking: "flannel" as const, podCidr: "172.20.0.0/16" };
            const plan = planMesh(
                mesh([
                    ackCluster("a", 1, { ack: flannel }),
                    ackCluster("b", 2, { ack: { ...flannel, vpcCidr: "10.2.0.0/16", serviceCidr: "192.168.32.0/20", podCidr: "172.21.0.0/16" }, eastWestGateway: { externalIPs: ["10.2.0.10"] } }),
                ]),
            );
            const [a, b] = plan.clusters;
            assert.deepEqual(a.eastWestGateway?.nodePorts, defaultFlannelNodePorts);
            assert.equal(b.eastWestGateway?.nodePorts, undefined);
            assert.deepEqual(a.firewall?.eastWestGateway, { addressType: "intranet", exposesIstiod: false, nodePorts: defaultFlannelNodePorts, fixedAddresses: false });
            assert.deepEqual(b.firewall?.eastWestGateway, { addressType: "intranet", exposesIstiod: false, nodePorts: undefined, fixedAddresses: true });
        });

        it("exposes istiod only on primaries that serve remotes, and services only across networks", () => {
            const plan = planMesh(mesh([ackCluster("p", 1, { network: "n" }), ackCluster("q", 2, { network: "n" }), ackCluster("r", 3, { role: "remote", controlPlane: "p", network: "n" })]));
            assert.deepEqual(
                plan.clusters.map((c) => [c.config.name, c.servesRemotes, c.eastWestGateway?.exposesIstiod, c.eastWestGateway?.exposesServices]),
                [
                    ["p", true, true, false],
                    ["q", false, undefined, undefined],
                    ["r", false, undefined, undefined],
                ],
            );
        });

        it("keys VPCs one way for validation and for the network: a cluster naming another's VPC shares it", () => {
            const config = mesh([ackCluster("a", 1), ackCluster("b", 2, { vpc: "a", ack: { vpcCidr: "10.9.0.0/16", serviceCidr: "192.168.32.0/20", kubernetesVersion: "1.33.1-aliyun.1" } })]);
            assert.deepEqual(
                planMesh(config).clusters.map((c) => c.vpc),
                ["a", "a"],
            );
            const { topology } = topologyOfConfig(config);
            assert.deepEqual(
                validateTopology(topology).errors.map((e) => e.propertyPath),
                ["clusters[1].vpcCidr"],
                "two clusters in one VPC must give the same range",
            );
            assert.deepEqual(planMesh(mesh([ackCluster("a", 1), ackCluster("b", 2)], { networkLink: { mode: "same-vpc" } })).clusters.map((c) => c.vpc), ["shared", "shared"]);
        });

        it("imports a root given with its key, and passes external material through", () => {
            assert.deepEqual(planMesh(mesh([ackCluster("a", 1)], { trust: { rootCertPem: "C", rootKeyPem: "K" } })).trust, {
                clusters: ["a"],
                organization: undefined,
                importedRoot: { certPem: "C", privateKeyPem: "K" },
            });
            assert.deepEqual(planMesh(mesh([ackCluster("a", 1)], { trust: { mode: "generated", rootCertPem: "C", rootKeyPem: "K" } })).trust, { clusters: ["a"], organization: undefined });
            assert.deepEqual(planMesh(mesh([ackCluster("a", 1)], { trust: { mode: "imported", rootCertPem: "C", rootKeyPem: "K" } })).trust.importedRoot, { certPem: "C", privateKeyPem: "K" });
            assert.deepEqual(planMesh(mesh([ackCluster("a", 1)])).trust, { clusters: ["a"], organization: undefined });
            const external = { a: { caCertPem: "I", caKeyPem: "IK" } };
            assert.deepEqual(planMesh(mesh([ackCluster("a", 1)], { trust: { mode: "external", rootCertPem: "C", intermediates: external } })).trust.external, { rootCertPem: "C", intermediates: external });
        });
        it("routes by locality when failover is asked for or listed, unless turned off", () => {
            const failover = [{ from: "cn-hangzhou", to: "cn-shanghai" }];
            const routing = (localityFailover: MeshConfig["localityFailover"]) => planMesh(mesh([ackCluster("a", 1)], { localityFailover })).localityRouting;
            assert.equal(routing(undefined), undefined);
            assert.deepEqual(routing({ enabled: true }), { failover: undefined });
            assert.deepEqual(routing({ failover }), { failover });
            assert.equal(routing({ failover: [] }), undefined);
            assert.equal(routing({ enabled: false, failover }), undefined);
        });
    });

    describe("names every problem by a field of the config schema", () => {
        it("knows a path of the schema from one that is not", () => {
            assert.ok(configPathExists("mesh.clusters[3].ack.vpcCidr"));
            assert.ok(configPathExists("mesh.trust.intermediates.c1.caKeyPem"));
            assert.ok(!configPathExists("mesh.clusters[0].ack.region"));
            assert.ok(!configPathExists("mesh.networkLink.clusters[0].podCidr"));
        });

        it("AckCluster: every argument the plan sets, and every problem its validation reports", () => {
            const config = mesh([
                ackCluster("a", 1, {
                    ack: {
                        vpcCidr: "10.1.0.0/16",
                        serviceCidr: "192.168.16.0/20",
                        kubernetesVersion: "1.33.1-aliyun.1",
                        podNetworking: "flannel",
                        podCidr: "172.20.0.0/16",
                        workers: 3,
                        zones: ["cn-hangzhou-h", "cn-hangzhou-i"],
                        instanceTypes: ["ecs.g7.xlarge"],
                        publicApiServer: true,
                    },
                }),
                ackCluster("b", 2),
            ]);
            const args = planMesh(config).clusters[0].ack!;
            const paths = Object.keys(args).map((argument) => ackConfigPath(argument, 0));
            assert.deepEqual(paths.filter((p) => !configPathExists(p)), []);
            assert.equal(ackConfigPath("apiServerAccess.peers[0].ranges", 0), "mesh.networkLink.internetPeerRanges");
            assert.equal(ackConfigPath("apiServerAccess.clientRanges[1]", 4), "mesh.apiServerAccess.clientRanges[1]");
            assert.equal(ackConfigPath("resourceGroupId", 4), "mesh.alicloud.resourceGroupId");
            assert.equal(ackConfigPath("tags[0].key", 4), "mesh.alicloud.tags[0].key");

            const wrong = validateAckClusterArgs({
                ...args,
                clusterName: "A_1",
                kubernetesVersion: "1.20",
                workers: 1,
                zones: ["z"],
                vpcCidr: "10.1.0.0",
                podNetworking: "terway",
                serviceCidr: "nope",
                apiServerAccess: { clientRanges: ["0.0.0.0/0"], peers: [{ name: "b", ranges: ["x"] }] },
            });
            assert.ok(wrong.length >= 8, `the wrong arguments are reported (${wrong.map((p) => p.propertyPath).join(", ")})`);
            assert.deepEqual(
                wrong.map((p) => ackConfigPath(p.propertyPath, 0)).filter((p) => !configPathExists(p)),
                [],
            );
        });

        it("the firewall: peer ranges, a cluster's fields (numbered among the ACK clusters only) and list capacity", () => {
            const existing: ClusterConfig = { name: "onprem", role: "primary", network: "n0", kubeconfig: "k", apiServer: "https://10.0.0.1:6443" };
            const plan = planMesh(mesh([existing, ackCluster("a", 1, { ack: { vpcCidr: "10.1.0.0/16", serviceCidr: "192.168.16.0/20", kubernetesVersion: "1.33.1-aliyun.1", podNetworking: "flannel" } })], { networkLink: { mode: "none" } }));
            const firewall = plan.clusters.flatMap((c) => (c.firewall ? [c.firewall] : []));
            const reported = [
                ...firewallProblems(firewall.map((c) => ({ ...c, eastWestGateway: c.eastWestGateway && { ...c.eastWestGateway, nodePorts: undefined } })), { internetPeerRanges: ["0.0.0.0/0", "x"] }),
                ...firewallProblems(
                    [firewall[0], { ...firewall[0], name: "a2", network: firewall[0].network, vpc: "a2", podCidr: undefined }],
                    { maxEntries: 1 },
                ),
            ].map((p) => p.propertyPath);
            assert.deepEqual([...new Set(reported)].sort(), ["clusters[0].eastWestGateway.nodePorts", "clusters[0].podCidr", "clusters[1].podCidr", "internetPeerRanges", "internetPeerRanges[0]", "internetPeerRanges[1]"]);
            assert.equal(firewallConfigPath("clusters[0].podCidr", plan), "mesh.clusters[1].ack.podCidr");
            assert.equal(firewallConfigPath("clusters[0].eastWestGateway.nodePorts", plan), "mesh.clusters[1].eastWestGateway");
            const eleven = planMesh(mesh(Array.from({ length: 11 }, (_, i) => ackCluster(`c${i}`, i + 1))));
            assert.equal(firewallConfigPath("clusters[10].podCidr", eleven), "mesh.clusters[10].ack.podCidr");
            const mapped = [...reported, "prefixListMaxEntries"].filter((p) => p !== "clusters[1].podCidr").map((p) => firewallConfigPath(p, plan));
            assert.deepEqual(mapped.filter((p) => !configPathExists(p)), []);
        });

        it("the topology: every field it checks, for ACK and existing clusters", () => {
            const config = mesh([ackCluster("a", 1), { name: "b", role: "primary", network: "n", kubeconfig: "k", apiServer: "https://b", vpcCidr: "10.2.0.0/16" }], { networkLink: { mode: "none" } });
            const { locate } = topologyOfConfig(config);
            const fields = ["name", "role", "controlPlane", "network", "region", "vpc", "vpcCidr", "podCidr", "serviceCidr", "workers", "kubernetesVersion"];
            const paths = [0, 1].flatMap((i) => fields.map((f) => locate({ propertyPath: `clusters[${i}].${f}`, reason: "" }).propertyPath));
            const missing = paths.filter((p) => !configPathExists(p));
            // An existing cluster has no size or version of its own: the topology never reports them for it.
            assert.deepEqual(missing, ["mesh.clusters[1].workers", "mesh.clusters[1].kubernetesVersion"]);
            assert.deepEqual(["meshId", "networkLink.mode", "clusters"].map((p) => locate({ propertyPath: p, reason: "" }).propertyPath).filter((p) => !configPathExists(p)), []);
        });

        it("the whole validation of a mesh that gets everything wrong at once", () => {
            const { errors } = meshProblems(
                mesh([ackCluster("a", 1, { ack: { vpcCidr: "10.1.0.0/16", serviceCidr: "10.1.0.0/20", kubernetesVersion: "1.2", workers: 1, zones: ["z"] } }), ackCluster("b", 1)], {
                    apiServerAccess: { clientRanges: ["0.0.0.0/0"] },
                }),
            );
            assert.ok(errors.length >= 5);
            assert.deepEqual(errors.filter((e) => !configPathExists(e.propertyPath)), []);
        });
    });
});
