import * as assert from "node:assert/strict";
import * as alicloud from "@pulumi/alicloud";
import { EastWestGateway, MeshRootCa, PrimaryCluster, RemoteSecret } from "../../lib";
import { AckCluster, ClusterNetworkLink, linkedCluster } from "../../lib/alicloud";
import { alicloudInvokes, alicloudResources } from "../harness/alicloudProvider";
import { MockCloud, Registration, urnOf } from "../harness/mocks";
import { reveal } from "../harness/secrets";

/** Two ACK clusters in two regions, joined by CEN, with Istio multi-primary on two networks (seed 003). */
describe("a two-region mesh on ACK from one program", () => {
    let cloud: MockCloud;
    before(async () => {
        cloud = MockCloud.install({ resources: alicloudResources, invokes: alicloudInvokes });
        const regions = { "cn-hangzhou": ["cn-hangzhou-h", "cn-hangzhou-i"], "cn-shanghai": ["cn-shanghai-e", "cn-shanghai-f"] } as const;
        const providers = Object.fromEntries(Object.keys(regions).map((r) => [r, new alicloud.Provider(r, { region: r })]));
        const ack = (name: string, region: keyof typeof regions, i: number) =>
            new AckCluster(name, {
                clusterName: name,
                region,
                provider: providers[region],
                zones: [...regions[region]],
                kubernetesVersion: "1.33.1-aliyun.1",
                vpcCidr: `10.${i}0.0.0/16`,
                serviceCidr: `192.168.${i * 16}.0/20`,
                apiServerAccess: { clientRanges: ["203.0.113.0/24"] },
            });
        const hz = ack("cluster1", "cn-hangzhou", 1);
        const sh = ack("cluster2", "cn-shanghai", 2);
        const link = new ClusterNetworkLink("mesh-network", {
            mode: "cen",
            providers,
            clusters: [
                linkedCluster(hz, { role: "primary", network: "network1", eastWestGateway: { addressType: "intranet" } }),
                linkedCluster(sh, { role: "primary", network: "network2", eastWestGateway: { addressType: "intranet" } }),
            ],
        });
        const ca = new MeshRootCa("ca", { clusters: ["cluster1", "cluster2"] });
        const istio = [hz, sh].map(
            (c, i) =>
                new PrimaryCluster(c.clusterName, {
                    clusterName: c.clusterName,
                    network: `network${i + 1}`,
                    meshId: "mesh1",
                    provider: c.kubernetesProvider,
                    apiServer: c.apiServerIntranet,
                    cacerts: ca.cacerts[c.clusterName],
                }),
        );
        const gateways = istio.map((c) => new EastWestGateway(`${c.clusterName}-eastwest`, { cluster: c, addressType: "intranet" }, { dependsOn: [link] }));
        const secrets = [new RemoteSecret("1-watches-2", { watcher: istio[0], watched: istio[1] }), new RemoteSecret("2-watches-1", { watcher: istio[1], watched: istio[0] })];
        await Promise.all([...gateways, ...secrets, link].map(urnOf));
        await cloud.settle();
    });

    const dependsOn = (r: Registration, on: Registration) => r.dependencies.includes(on.urn!);
    const find = (type: string, name: string) => cloud.find(type, name);

    it("needs one `pulumi up`: everything registers with no invoke left unmocked", () => {
        assert.equal(cloud.ofType("alicloud:cs/managedKubernetes:ManagedKubernetes").length, 2);
        assert.equal(cloud.ofType("alicloud:cen/transitRouterPeerAttachment:TransitRouterPeerAttachment").length, 1);
        assert.equal(cloud.ofType("kubernetes:helm.sh/v3:Release").length, 6);
        assert.equal(cloud.ofType("alicloud:ecs/securityGroupRule:SecurityGroupRule").length, 2);
    });

    it("attaches each VPC through its own cluster's vSwitches, and routes the peer VPC through CEN", () => {
        const attachment = find("alicloud:cen/transitRouterVpcAttachment:TransitRouterVpcAttachment", "mesh-network-attach-cluster1");
        assert.deepEqual(reveal(attachment.inputs.zoneMappings), [
            { zoneId: "cn-hangzhou-h", vswitchId: "vsw-cluster1-nodes-0" },
            { zoneId: "cn-hangzhou-i", vswitchId: "vsw-cluster1-nodes-1" },
        ]);
        assert.ok(dependsOn(attachment, find("alicloud:vpc/switch:Switch", "cluster1-nodes-0")));
        const routes = cloud.ofType("alicloud:vpc/routeEntry:RouteEntry").map((r) => [r.inputs.routeTableId, r.inputs.destinationCidrblock]);
        assert.deepEqual(routes.sort(), [["vtb-cluster1-vpc", "10.0.0.0/8"], ["vtb-cluster2-vpc", "10.0.0.0/8"]], "the private block holding the peer VPC");
        const rule = find("alicloud:ecs/securityGroupRule:SecurityGroupRule", "mesh-network-cluster1-cross-network");
        assert.equal(rule.inputs.securityGroupId, "sg-cluster1-cluster");
    });

    it("orders teardown by dependency: Istio before its cluster, gateways after the network, attachments before VPCs", () => {
        const provider = find("pulumi:providers:kubernetes", "cluster1-k8s");
        assert.ok(dependsOn(provider, find("alicloud:cs/nodePool:NodePool", "cluster1-workers")), "the cluster's Kubernetes provider waits for nodes (and is destroyed after what uses it)");
        for (const r of cloud.registrations.filter((r) => r.type.startsWith("kubernetes:") && r.provider?.includes("::cluster1-k8s::"))) {
            assert.ok(r.provider?.startsWith(provider.urn!), `${r.name} lives on cluster1's provider`);
        }
        const gateway = find("istio-multicluster:index:EastWestGateway", "cluster1-eastwest");
        const release = find("kubernetes:helm.sh/v3:Release", "cluster1-eastwest-release");
        assert.ok(dependsOn(gateway, find("alicloud:vpc/routeEntry:RouteEntry", "mesh-network-vpc-route-cluster1-10-0-0-0-8")));
        for (const name of ["mesh-network-vpc-route-cluster1-10-0-0-0-8", "mesh-network-cluster1-cross-network"]) {
            const networkPiece = cloud.registrations.find((r) => r.name === name)!;
            assert.ok(dependsOn(release, networkPiece), `the gateway's release waits for ${name}`);
        }
        const cluster = find("alicloud:cs/managedKubernetes:ManagedKubernetes", "cluster1-cluster");
        assert.ok(dependsOn(cluster, find("alicloud:vpc/switch:Switch", "cluster1-nodes-0")), "the cluster goes before its vSwitches and VPC");
    });
});
