import * as assert from "node:assert/strict";
import * as alicloud from "@pulumi/alicloud";
import * as pulumi from "@pulumi/pulumi";
import { ClusterNetworkLink, ClusterNetworkLinkArgs, LinkedCluster } from "../../lib/alicloud/clusterNetworkLink";
import { alicloudResources } from "../harness/alicloudProvider";
import { MockCloud, Registration, programFailures, urnOf } from "../harness/mocks";
import { reveal } from "../harness/secrets";

const T = {
    cen: "alicloud:cen/instance:Instance",
    tr: "alicloud:cen/transitRouter:TransitRouter",
    table: "alicloud:cen/transitRouterRouteTable:TransitRouterRouteTable",
    vpcAttachment: "alicloud:cen/transitRouterVpcAttachment:TransitRouterVpcAttachment",
    peer: "alicloud:cen/transitRouterPeerAttachment:TransitRouterPeerAttachment",
    association: "alicloud:cen/transitRouterRouteTableAssociation:TransitRouterRouteTableAssociation",
    propagation: "alicloud:cen/transitRouterRouteTablePropagation:TransitRouterRouteTablePropagation",
    trRoute: "alicloud:cen/transitRouterRouteEntry:TransitRouterRouteEntry",
    vpcRoute: "alicloud:vpc/routeEntry:RouteEntry",
    prefixList: "alicloud:ecs/ecsPrefixList:EcsPrefixList",
    rule: "alicloud:ecs/securityGroupRule:SecurityGroupRule",
};
const regions = ["cn-beijing", "cn-hangzhou", "cn-shanghai"];

function cloud(): MockCloud {
    return MockCloud.install({
        resources: {
            ...alicloudResources,
            [T.tr]: (r) => ({ id: `tr-${r.name}`, state: { ...r.inputs, transitRouterId: `tr-${r.name}` } }),
            [T.table]: (r) => ({ id: `vtb-${r.name}`, state: { ...r.inputs, transitRouterRouteTableId: `vtb-${r.name}` } }),
        },
        invokes: {
            // Each region's transit router supports zones a and b, not c.
            "alicloud:cen/getTransitRouterAvailableResources:getTransitRouterAvailableResources": () => ({ id: "x", resources: [{ availableZones: ["z-a", "z-b"], masterZones: [], slaveZones: [], supportMulticast: false }] }),
        },
    });
}

const linked = (name: string, region: string, vpcCidr: string, extra: Partial<LinkedCluster> = {}): LinkedCluster => ({
    name,
    region,
    role: "primary",
    network: `net-${name}`,
    vpcId: `vpc-${name}`,
    vpcCidr,
    routeTableId: `vtb-vpc-${name}`,
    vswitches: [
        { zone: "z-c", id: `vsw-${name}-c` },
        { zone: "z-a", id: `vsw-${name}-a` },
        { zone: "z-b", id: `vsw-${name}-b` },
    ],
    securityGroupId: `sg-${name}`,
    podNetworking: "terway",
    eastWestGateway: { addressType: "intranet" },
    ...extra,
});

function providers(): Record<string, alicloud.Provider> {
    return Object.fromEntries(regions.map((r) => [r, new alicloud.Provider(r, { region: r })]));
}

async function build(args: Omit<ClusterNetworkLinkArgs, "providers">, mock = cloud()) {
    const link = new ClusterNetworkLink("mesh", { ...args, providers: providers() });
    await urnOf(link);
    await mock.settle();
    return { link, mock };
}

const inRegion = (r: Registration, region: string) => r.provider?.includes(`::${region}::`) ?? false;

describe("ClusterNetworkLink", () => {
    for (const count of [2, 3]) {
        it(`joins ${count} regions with CEN: one router per region, R(R−1)/2 connections, every VPC learns every peer range`, async () => {
            const clusters = regions.slice(0, count).map((region, i) => linked(`c${i}`, region, `10.${i}.0.0/16`));
            const { mock } = await build({ mode: "cen", clusters });
            assert.equal(mock.ofType(T.cen).length, 1);
            assert.deepEqual(mock.ofType(T.tr).map((r) => reveal(r.inputs.transitRouterName)), regions.slice(0, count).map((r) => `mesh-${r}`));
            assert.ok(mock.ofType(T.tr).every((r, i) => inRegion(r, regions[i])), "each router made with its region's provider");
            assert.equal(mock.ofType(T.vpcAttachment).length, count);
            for (const a of mock.ofType(T.vpcAttachment)) {
                const name = /attach-(c\d)/.exec(a.name)![1];
                assert.deepEqual(reveal(a.inputs.zoneMappings), [{ zoneId: "z-a", vswitchId: `vsw-${name}-a` }, { zoneId: "z-b", vswitchId: `vsw-${name}-b` }], "two zones the router supports");
            }
            const peers = mock.ofType(T.peer);
            assert.equal(peers.length, (count * (count - 1)) / 2);
            for (const p of peers) {
                assert.equal(p.inputs.bandwidthType, "DataTransfer");
                assert.equal(p.inputs.bandwidth, 100);
            }
            for (const b of [...mock.ofType(T.association), ...mock.ofType(T.propagation)]) {
                assert.match(String(b.inputs.transitRouterAttachmentId), /^tr-attach-/, `${b.name} names the attachment, not the resource ID`);
            }
            const bindings = count + 2 * peers.length;
            assert.equal(mock.ofType(T.association).length, bindings);
            assert.equal(mock.ofType(T.propagation).length, bindings);
            assert.equal(mock.ofType(T.trRoute).length, 0, "Terway pod ranges need no static routes");
            // Every peer range is inside 10.0.0.0/8: one route per VPC sends the block to its transit router.
            const routes = mock.ofType(T.vpcRoute).map((r) => [r.inputs.routeTableId, r.inputs.destinationCidrblock, r.inputs.nexthopType]);
            assert.equal(routes.length, count);
            for (let i = 0; i < count; i++) {
                assert.deepEqual(routes.filter((r) => r[0] === `vtb-vpc-c${i}`).map((r) => r[1]), ["10.0.0.0/8"]);
            }
            assert.ok(routes.every((r) => r[2] === "Attachment"));
            // Firewall: one list per region, one 15443 rule per cluster.
            assert.equal(mock.ofType(T.prefixList).length, count);
            for (const list of mock.ofType(T.prefixList)) {
                assert.deepEqual((reveal(list.inputs.entries) as { cidr: string }[]).map((e) => e.cidr), clusters.map((c) => c.vpcCidr));
                assert.equal(list.inputs.maxEntries, 40);
            }
            const rules = mock.ofType(T.rule);
            assert.equal(rules.length, count);
            for (const rule of rules) {
                assert.equal(rule.inputs.type, "ingress");
                assert.equal(rule.inputs.portRange, "15443/15443");
                assert.equal(rule.inputs.cidrIp, undefined, "sources are prefix lists, never open ranges");
            }
        });
    }

    it("runs one operation at a time on each transit router and each VPC route table, connecting regions in rounds", async () => {
        // Every operation takes 10 simulated seconds and no lane is imposed: only the component's own
        // ordering keeps operations apart.
        const four = ["cn-beijing", "cn-hangzhou", "cn-shanghai", "cn-shenzhen"];
        const mock = MockCloud.install({
            resources: { ...alicloudResources, [T.tr]: (r) => ({ id: `tr-${r.name}`, state: { ...r.inputs, transitRouterId: `tr-${r.name}` } }) },
            invokes: { "alicloud:cen/getTransitRouterAvailableResources:getTransitRouterAvailableResources": () => ({ id: "x", resources: [{ availableZones: ["z-a", "z-b"] }] }) },
            virtualTime: { secondsByType: Object.fromEntries(Object.values(T).map((type) => [type, 10])) },
        });
        const clusters = [
            ...four.map((region, i) => linked(`c${i}`, region, `10.${i}.0.0/16`)),
            linked("c4", "cn-beijing", "172.20.0.0/16"),
            linked("c5", "cn-beijing", "192.168.0.0/16"),
        ];
        const link = new ClusterNetworkLink("mesh", { mode: "cen", clusters, providers: Object.fromEntries(four.map((r) => [r, new alicloud.Provider(r, { region: r })])) });
        await urnOf(link);
        await mock.settle();
        const routerOf = (r: Registration) => four.filter((region) => inRegion(r, region) || r.inputs.peerTransitRouterRegionId === region);
        const onRouter = [T.table, T.vpcAttachment, T.peer, T.association, T.propagation, T.trRoute];
        const busy = (ops: Registration[]) => ops.map((o) => [o.virtualStart!, o.virtualFinish!]).sort((x, y) => x[0] - y[0]);
        const disjoint = (intervals: number[][]) => intervals.every((iv, i) => i === 0 || iv[0] >= intervals[i - 1][1]);
        for (const region of four) {
            const ops = mock.registrations.filter((r) => onRouter.includes(r.type) && routerOf(r).includes(region));
            assert.ok(disjoint(busy(ops)), `operations on the ${region} router never overlap`);
        }
        const routeTables = new Set(mock.ofType(T.vpcRoute).map((r) => r.inputs.routeTableId));
        assert.deepEqual(
            mock.ofType(T.vpcRoute).filter((r) => r.inputs.routeTableId === "vtb-vpc-c0").map((r) => r.inputs.destinationCidrblock),
            ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"],
            "c0 reaches c1–c3 by 10/8, c4 by 172.16/12, c5 by 192.168/16",
        );
        for (const table of routeTables) {
            assert.ok(disjoint(busy(mock.ofType(T.vpcRoute).filter((r) => r.inputs.routeTableId === table))), `route entries in ${table} never overlap`);
        }
        // Six connections among four routers take three rounds of 10 s each, right after the route tables.
        const peers = mock.ofType(T.peer);
        assert.equal(peers.length, 6);
        const tablesDone = Math.max(...mock.ofType(T.table).map((r) => r.virtualFinish!));
        assert.equal(Math.max(...peers.map((p) => p.virtualFinish!)) - tablesDone, 30);
    });

    it("names what carries traffic between two clusters: their rules, their VPCs' attachments and routes, the connection of their regions", async () => {
        const clusters = [linked("a", "cn-beijing", "10.0.0.0/16"), linked("b", "cn-hangzhou", "10.1.0.0/16"), linked("c", "cn-shanghai", "10.2.0.0/16")];
        const { link, mock } = await build({ mode: "cen", clusters });
        const names = async (a: string, b: string) => (await Promise.all(link.resourcesBetween(a, b).map(urnOf))).map((u) => u.split("::").pop()!).sort();
        const between = await names("a", "b");
        assert.deepEqual(between, [
            "mesh-associate-cn-beijing-peer-cn-beijing-cn-hangzhou",
            "mesh-associate-cn-beijing-vpc-a",
            "mesh-associate-cn-hangzhou-peer-cn-beijing-cn-hangzhou",
            "mesh-associate-cn-hangzhou-vpc-b",
            "mesh-attach-a",
            "mesh-attach-b",
            "mesh-a-cross-network",
            "mesh-b-cross-network",
            "mesh-mesh-vpcs-cn-beijing",
            "mesh-mesh-vpcs-cn-hangzhou",
            "mesh-peer-cn-beijing-cn-hangzhou",
            "mesh-propagate-cn-beijing-peer-cn-beijing-cn-hangzhou",
            "mesh-propagate-cn-beijing-vpc-a",
            "mesh-propagate-cn-hangzhou-peer-cn-beijing-cn-hangzhou",
            "mesh-propagate-cn-hangzhou-vpc-b",
            "mesh-vpc-route-a-10-0-0-0-8",
            "mesh-vpc-route-b-10-0-0-0-8",
        ].sort());
        assert.ok(!between.some((n) => n.includes("shanghai") || n.endsWith("-c")), "nothing of the third region");
        assert.equal(mock.ofType(T.peer).length, 3);
        assert.deepEqual(await names("a", "a"), ["mesh-a-cross-network", "mesh-mesh-vpcs-cn-beijing"]);
        assert.throws(() => link.resourcesBetween("a", "z"), /cluster "z" is not linked/);
        // A cluster's own part, for a path whose other end is not on Alibaba Cloud: its rules and their prefix list.
        const own = (await Promise.all(link.resourcesOf("c").map(urnOf))).map((u) => u.split("::").pop()!).sort();
        assert.deepEqual(own, ["mesh-c-cross-network", "mesh-mesh-vpcs-cn-shanghai"]);
        assert.throws(() => link.resourcesOf("z"), /cluster "z" is not linked/);
    });

    it("pays for inter-region traffic by data transfer, or from a bandwidth package when named", async () => {
        const clusters = [linked("a", "cn-beijing", "10.0.0.0/16"), linked("b", "cn-hangzhou", "10.1.0.0/16")];
        const byTransfer = await build({ mode: "cen", clusters });
        assert.deepEqual(
            byTransfer.mock.ofType(T.peer).map((r) => [r.inputs.bandwidthType, r.inputs.bandwidth, r.inputs.cenBandwidthPackageId]),
            [["DataTransfer", 100, undefined]],
        );
        const packageUnused = await build({ mode: "cen", clusters, cen: { bandwidthPackageId: "cenbwp-1" } });
        assert.deepEqual(
            packageUnused.mock.ofType(T.peer).map((r) => [r.inputs.bandwidthType, r.inputs.cenBandwidthPackageId]),
            [["DataTransfer", undefined]],
            "a package named while paying by transfer is not used",
        );
        const byPackage = await build({ mode: "cen", clusters, cen: { bandwidthType: "BandwidthPackage", bandwidthPackageId: "cenbwp-1", bandwidth: 20 } });
        assert.deepEqual(
            byPackage.mock.ofType(T.peer).map((r) => [r.inputs.bandwidthType, r.inputs.bandwidth, r.inputs.cenBandwidthPackageId]),
            [["BandwidthPackage", 20, "cenbwp-1"]],
        );
    });

    it("routes no pod range of Terway clusters on a flat network: their pods have VPC addresses, which CEN propagates", async () => {
        const clusters = [
            linked("cp", "cn-beijing", "10.0.0.0/16", { network: "flat", podRanges: ["10.0.64.0/18"], eastWestGateway: { addressType: "intranet", exposesIstiod: true } }),
            linked("dp", "cn-shanghai", "10.1.0.0/16", { network: "flat", role: "remote", controlPlane: "cp", podRanges: ["10.1.64.0/18"], eastWestGateway: undefined }),
        ];
        const { mock } = await build({ mode: "cen", clusters });
        assert.deepEqual(mock.ofType(T.trRoute), []);
        assert.deepEqual(mock.ofType(T.vpcRoute).filter((r) => r.inputs.routeTableId === "vtb-vpc-cp").map((r) => r.inputs.destinationCidrblock), ["10.0.0.0/8"]);
    });

    it("routes Flannel pod ranges of a flat network statically through every transit router", async () => {
        const clusters = [
            linked("cp", "cn-beijing", "10.0.0.0/16", { network: "flat", podNetworking: "flannel", podCidr: "172.16.0.0/16", eastWestGateway: { addressType: "intranet", exposesIstiod: true, nodePorts: { crossNetwork: 31443, istiodXds: 31012, istiodWebhook: 31017 } } }),
            linked("dp", "cn-shanghai", "10.1.0.0/16", { network: "flat", role: "remote", controlPlane: "cp", podNetworking: "flannel", podCidr: "172.17.0.0/16", eastWestGateway: undefined }),
        ];
        const { mock } = await build({ mode: "cen", clusters });
        assert.deepEqual(
            mock.ofType(T.trRoute).map((r) => r.inputs.transitRouterRouteEntryDestinationCidrBlock).sort(),
            ["172.16.0.0/16", "172.16.0.0/16", "172.17.0.0/16", "172.17.0.0/16"],
        );
        assert.deepEqual(
            mock
                .ofType(T.trRoute)
                .map((r) => `${String(r.inputs.transitRouterRouteEntryDestinationCidrBlock)} in ${String(r.inputs.transitRouterRouteTableId)} via ${String(r.inputs.transitRouterRouteEntryNextHopId)}`)
                .sort(),
            [
                "172.16.0.0/16 in vtb-mesh-route-table-cn-beijing via tr-attach-mesh-attach-cp",
                "172.16.0.0/16 in vtb-mesh-route-table-cn-shanghai via tr-attach-mesh-peer-cn-beijing-cn-shanghai",
                "172.17.0.0/16 in vtb-mesh-route-table-cn-beijing via tr-attach-mesh-peer-cn-beijing-cn-shanghai",
                "172.17.0.0/16 in vtb-mesh-route-table-cn-shanghai via tr-attach-mesh-attach-dp",
            ],
            "each pod range to its own VPC's attachment in its region, and over the connection in the other",
        );
        assert.ok(mock.ofType(T.trRoute).every((r) => r.inputs.transitRouterRouteEntryNextHopType === "Attachment"));
        assert.deepEqual(
            mock.ofType(T.vpcRoute).filter((r) => r.inputs.routeTableId === "vtb-vpc-cp").map((r) => r.inputs.destinationCidrblock).sort(),
            ["10.0.0.0/8", "172.16.0.0/12"],
            "the peer's VPC and pod ranges, by private block (the VPC's own per-node pod routes are more specific)",
        );
        assert.deepEqual(mock.ofType(T.rule).map((r) => [r.name, r.inputs.portRange]).sort(), [
            ["mesh-cp-cross-network", "31443/31443"],
            ["mesh-cp-istiod-webhook", "31017/31017"],
            ["mesh-cp-istiod-xds", "31012/31012"],
            ["mesh-cp-pods", "1/65535"],
            ["mesh-dp-pods", "1/65535"],
        ]);
    });

    it("names the CEN, route tables and connections it makes after the link, as the console shows them", async () => {
        const clusters = [linked("a", "cn-hangzhou", "10.0.0.0/16"), linked("b", "cn-shanghai", "10.1.0.0/16")];
        const { mock } = await build({ mode: "cen", clusters });
        assert.deepEqual(mock.ofType(T.cen).map((r) => [r.inputs.cenInstanceName, r.inputs.description]), [["mesh", "Istio mesh network"]]);
        assert.deepEqual(mock.ofType(T.table).map((r) => r.inputs.transitRouterRouteTableName), ["mesh-mesh", "mesh-mesh"]);
        assert.deepEqual(mock.ofType(T.peer).map((r) => r.inputs.transitRouterPeerAttachmentName), ["mesh-cn-hangzhou-cn-shanghai"]);
        assert.deepEqual(mock.ofType(T.vpcAttachment).map((r) => r.inputs.transitRouterVpcAttachmentName), ["mesh-a", "mesh-b"]);
    });

    it("queues every operation on a transit router after the earlier ones: a connection waits for the route tables of both its routers", async () => {
        const clusters = regions.map((region, i) => linked(`c${i}`, region, `10.${i}.0.0/16`));
        const { mock } = await build({ mode: "cen", clusters });
        const byUrn = new Map(mock.registrations.map((r) => [r.urn, r]));
        const waitsFor = (r: Registration, seen = new Set<string>()): Set<string> => {
            for (const dep of r.dependencies) {
                if (!seen.has(dep)) {
                    seen.add(dep);
                    waitsFor(byUrn.get(dep)!, seen);
                }
            }
            return seen;
        };
        for (const peer of mock.ofType(T.peer)) {
            const [, from, to] = /peer-(cn-[a-z]+)-(cn-[a-z]+)$/.exec(peer.name)!;
            const tables = mock.ofType(T.table).filter((t) => t.name.endsWith(from) || t.name.endsWith(to));
            assert.equal(tables.length, 2);
            for (const table of tables) {
                assert.ok(waitsFor(peer).has(table.urn!), `${peer.name} waits for ${table.name}`);
            }
        }
        // One region, two VPCs: the router's first operation after its table is an attachment.
        const oneRegion = await build({ mode: "cen", clusters: [linked("a", "cn-hangzhou", "10.0.0.0/16"), linked("b", "cn-hangzhou", "10.1.0.0/16")] });
        const [table] = oneRegion.mock.ofType(T.table);
        for (const attachment of oneRegion.mock.ofType(T.vpcAttachment)) {
            byUrn.clear();
            oneRegion.mock.registrations.forEach((r) => byUrn.set(r.urn, r));
            assert.ok(waitsFor(attachment).has(table.urn!), `${attachment.name} waits for ${table.name}`);
        }
    });

    it("with peer-ranges routes, routes each VPC's peers' exact ranges to its transit router, never its own", async () => {
        const clusters = regions.map((region, i) => linked(`c${i}`, region, `10.${i}.0.0/16`));
        const { mock } = await build({ mode: "cen", clusters, cen: { vpcRoutes: "peer-ranges" } });
        for (const [i, region] of regions.entries()) {
            assert.deepEqual(
                mock.ofType(T.vpcRoute).filter((r) => r.inputs.routeTableId === `vtb-vpc-c${i}`).map((r) => r.inputs.destinationCidrblock).sort(),
                regions.map((_, j) => `10.${j}.0.0/16`).filter((_, j) => j !== i),
                region,
            );
        }
    });

    it("attaches a VPC in two zones its transit router supports, the first two of its vSwitches there", async () => {
        const mock = MockCloud.install({
            resources: alicloudResources,
            invokes: {
                "alicloud:cen/getTransitRouterAvailableResources:getTransitRouterAvailableResources": () => ({ id: "x", resources: [{ availableZones: ["z-a", "z-b", "z-c"] }] }),
            },
        });
        await build({ mode: "cen", clusters: [linked("a", "cn-hangzhou", "10.0.0.0/16"), linked("b", "cn-shanghai", "10.1.0.0/16")] }, mock);
        assert.deepEqual(mock.ofType(T.vpcAttachment).map((r) => r.inputs.zoneMappings), [
            [{ zoneId: "z-c", vswitchId: "vsw-a-c" }, { zoneId: "z-a", vswitchId: "vsw-a-a" }],
            [{ zoneId: "z-c", vswitchId: "vsw-b-c" }, { zoneId: "z-a", vswitchId: "vsw-b-a" }],
        ]);
    });

    it("routes no pod ranges for Flannel clusters on networks of their own: they meet through gateways", async () => {
        const clusters = [
            linked("cp", "cn-beijing", "10.0.0.0/16", { podNetworking: "flannel", podCidr: "172.16.0.0/16", eastWestGateway: { addressType: "intranet", nodePorts: { crossNetwork: 31443, istiodXds: 31012, istiodWebhook: 31017 } } }),
            linked("p2", "cn-shanghai", "10.1.0.0/16", { podNetworking: "flannel", podCidr: "172.17.0.0/16", eastWestGateway: { addressType: "intranet", nodePorts: { crossNetwork: 31443, istiodXds: 31012, istiodWebhook: 31017 } } }),
        ];
        const { mock } = await build({ mode: "cen", clusters });
        assert.deepEqual(mock.ofType(T.trRoute), []);
        assert.deepEqual(
            mock.ofType(T.vpcRoute).filter((r) => r.inputs.routeTableId === "vtb-vpc-cp").map((r) => r.inputs.destinationCidrblock),
            ["10.0.0.0/8"],
            "only the peer's VPC range",
        );
    });

    it("makes each cluster's rules with its region's provider, inside the link, and registers the CEN and routers it made", async () => {
        const clusters = [linked("a", "cn-hangzhou", "10.0.0.0/16"), linked("b", "cn-shanghai", "10.1.0.0/16")];
        const { link, mock } = await build({ mode: "cen", clusters });
        const linkUrn = await urnOf(link);
        assert.ok(mock.ofType(T.rule).length >= 2);
        for (const r of mock.ofType(T.rule)) {
            assert.ok(inRegion(r, r.name.startsWith("mesh-a-") ? "cn-hangzhou" : "cn-shanghai"), `${r.name} through ${r.provider}`);
            assert.equal(r.parent, linkUrn, r.name);
        }
        const outputs = mock.find("istio-multicluster:index:ClusterNetworkLink", "mesh").outputs!;
        assert.equal(outputs.cenId, mock.ofType(T.cen)[0].id);
        assert.deepEqual(Object.keys(outputs.transitRouterIds as Record<string, string>).sort(), ["cn-hangzhou", "cn-shanghai"]);
    });

    it("opens every mesh rule whole: ingress accept on intranet NICs, tcp on a mesh port or pinned NodePort, from a mesh prefix list, in its own cluster's group", async () => {
        const nodePorts = { crossNetwork: 31443, istiodXds: 31012, istiodWebhook: 31017 };
        const clusters = [
            linked("cp", "cn-beijing", "10.0.0.0/16", { podNetworking: "flannel", podCidr: "172.16.0.0/16", eastWestGateway: { addressType: "intranet", exposesIstiod: true, nodePorts } }),
            linked("dp", "cn-shanghai", "10.1.0.0/16", { role: "remote", controlPlane: "cp", eastWestGateway: { addressType: "intranet" } }),
            linked("p2", "cn-hangzhou", "10.2.0.0/16", { eastWestGateway: { addressType: "intranet" } }),
        ];
        const { mock } = await build({ mode: "cen", clusters });
        const prefixListIds = new Set(mock.ofType(T.prefixList).map((r) => r.id));
        const gatewayPorts = new Set([15443, 15012, 15017, ...Object.values(nodePorts)].map((p) => `${p}/${p}`));
        const rules = mock.ofType(T.rule);
        assert.ok(rules.length >= 5, `${rules.length} rules`);
        for (const r of rules) {
            const owner = /^mesh-(cp|dp|p2)-/.exec(r.name)![1];
            const { type, policy, nicType, ipProtocol, portRange, prefixListId, securityGroupId, cidrIp } = r.inputs as Record<string, string>;
            assert.deepEqual({ type, policy, nicType, ipProtocol, securityGroupId, cidrIp }, { type: "ingress", policy: "accept", nicType: "intranet", ipProtocol: "tcp", securityGroupId: `sg-${owner}`, cidrIp: undefined }, r.name);
            assert.ok(prefixListIds.has(prefixListId), `${r.name} admits ${prefixListId}, not one of the mesh's prefix lists`);
            assert.ok(r.name.endsWith("-pods") ? portRange === "1/65535" : gatewayPorts.has(portRange), `${r.name} opens ${portRange}`);
        }
    });

    it("stops with the reason when a VPC has no two vSwitches in zones its transit router supports", async () => {
        const mock = MockCloud.install({
            resources: alicloudResources,
            invokes: {
                "alicloud:cen/getTransitRouterAvailableResources:getTransitRouterAvailableResources": () => ({ id: "x", resources: [{ availableZones: [], masterZones: ["z-q"], slaveZones: ["z-a"] }] }),
            },
        });
        const failures = await programFailures(async () => {
            new ClusterNetworkLink("mesh", { mode: "cen", clusters: [linked("a", "cn-hangzhou", "10.0.0.0/16"), linked("b", "cn-shanghai", "10.1.0.0/16")], providers: providers() });
            await mock.settle();
        });
        assert.ok(failures.some((f) => /transit router supports z-a, z-q, but VPC a has vSwitches in z-c, z-a, z-b; it needs two in supported zones/.test(f)), failures.join("; "));
        assert.equal(mock.ofType(T.vpcAttachment).length, 0);
    });

    it("says so when a region's transit router supports no zones at all", async () => {
        const mock = MockCloud.install({
            resources: alicloudResources,
            invokes: {
                "alicloud:cen/getTransitRouterAvailableResources:getTransitRouterAvailableResources": () => ({ id: "x", resources: [] }),
            },
        });
        const failures = await programFailures(async () => {
            new ClusterNetworkLink("mesh", { mode: "cen", clusters: [linked("a", "cn-hangzhou", "10.0.0.0/16"), linked("b", "cn-shanghai", "10.1.0.0/16")], providers: providers() });
            await mock.settle();
        });
        assert.ok(failures.some((f) => /the cn-hangzhou transit router supports no zones, but VPC a has vSwitches in z-c, z-a, z-b; it needs two in supported zones/.test(f)), failures.join("; "));
    });

    it("puts what it makes in the resource group and tags it, where the resource takes them", async () => {
        const mock = cloud();
        new ClusterNetworkLink("mesh", {
            mode: "cen",
            clusters: [linked("a", "cn-hangzhou", "10.0.0.0/16"), linked("b", "cn-shanghai", "10.1.0.0/16")],
            providers: providers(),
            resourceGroupId: "rg-aek2",
            tags: { team: "platform" },
        });
        await mock.settle();
        const cen = mock.ofType(T.cen);
        assert.deepEqual(cen.map((r) => [r.inputs.resourceGroupId, r.inputs.tags]), [["rg-aek2", { team: "platform" }]]);
        const tagged = [T.tr, T.table, T.vpcAttachment, T.peer].flatMap((type) => mock.ofType(type));
        assert.equal(tagged.length, 2 + 2 + 2 + 1);
        for (const r of tagged) {
            assert.deepEqual(r.inputs.tags, { team: "platform" }, r.name);
        }
        for (const attachment of [...mock.ofType(T.vpcAttachment), ...mock.ofType(T.peer)]) {
            assert.deepEqual([attachment.inputs.routeTableAssociationEnabled, attachment.inputs.routeTablePropagationEnabled], [false, false], `${attachment.name} stays off the router's default route table`);
        }
        assert.throws(
            () => new ClusterNetworkLink("bad", { mode: "cen", clusters: [linked("a", "cn-hangzhou", "10.0.0.0/16")], providers: { "cn-hangzhou": new alicloud.Provider("p", { region: "cn-hangzhou" }) }, tags: { "aliyun-x": "y" } }),
            /tags.aliyun-x: tag key "aliyun-x"/,
        );
    });

    it("in one VPC adds only security-group rules", async () => {
        const clusters = [linked("a", "cn-hangzhou", "10.0.0.0/16", { network: "n1" }), linked("b", "cn-hangzhou", "10.0.0.0/16", { network: "n2" })];
        const { mock } = await build({ mode: "same-vpc", clusters });
        assert.deepEqual([...new Set(mock.registrations.filter((r) => r.type.startsWith("alicloud:") && r.custom).map((r) => r.type))].sort(), [T.prefixList, T.rule]);
        assert.deepEqual((reveal(mock.ofType(T.prefixList)[0].inputs.entries) as { cidr: string }[]).map((e) => e.cidr), ["10.0.0.0/16"]);
    });

    it("uses an existing CEN and transit routers when given", async () => {
        const clusters = [linked("a", "cn-hangzhou", "10.0.0.0/16"), linked("b", "cn-shanghai", "10.1.0.0/16")];
        const { mock } = await build({ mode: "cen", clusters, cen: { existingCenId: "cen-1", existingTransitRouterIds: { "cn-hangzhou": "tr-hz" } } });
        assert.equal(mock.ofType(T.cen).length, 0);
        assert.equal(mock.ofType(T.tr).length, 1);
        assert.equal(mock.ofType(T.peer)[0].inputs.transitRouterId, "tr-hz");
    });

    it("rejects clashing ranges, naming both clusters, and missing providers, before anything is created", async () => {
        const mock = cloud();
        let error: unknown;
        try {
            new ClusterNetworkLink("bad", {
                mode: "cen",
                clusters: [linked("a", "cn-hangzhou", "192.168.0.0/16"), linked("b", "cn-qingdao", "192.168.0.0/16")],
                providers: { "cn-hangzhou": new alicloud.Provider("hz", { region: "cn-hangzhou" }) },
                internetPeerRanges: ["0.0.0.0/0"],
            });
        } catch (err) {
            error = err;
        }
        assert.ok(pulumi.InputPropertiesError.isInstance(error));
        assert.deepEqual(error.errors.map((e) => e.propertyPath), ["clusters[1].vpcCidr", "internetPeerRanges[0]", "providers.cn-qingdao"]);
        assert.match(error.errors[0].reason, /clusters\[1\]\.vpcCidr 192\.168\.0\.0\/16 \(cluster "b"\) overlaps clusters\[0\]\.vpcCidr 192\.168\.0\.0\/16 \(cluster "a"\)/);
        assert.equal(error.errors[2].reason, "clusters are in cn-qingdao but no provider is given for it; every region needs its own explicit provider");
        assert.throws(
            () => new ClusterNetworkLink("none", { mode: "same-vpc", clusters: [linked("a", "cn-hangzhou", "10.0.0.0/16"), linked("b", "cn-hangzhou", "10.0.0.0/16", { vpcId: "vpc-a" })] } as unknown as ClusterNetworkLinkArgs),
            (e: unknown) => pulumi.InputPropertiesError.isInstance(e) && e.errors?.map((p) => p.propertyPath).join() === "providers.cn-hangzhou",
            "no providers at all: a problem, not a crash",
        );
        await mock.settle();
        assert.deepEqual(mock.registrations.filter((r) => r.parent?.endsWith("ClusterNetworkLink::bad")), []);
    });

    it("refuses CEN settings it cannot use: one vSwitch to attach, a bandwidth package unnamed, CEN settings without CEN", async () => {
        const mock = cloud();
        const regionProviders = providers();
        const problems = (args: Omit<ClusterNetworkLinkArgs, "providers">) => {
            try {
                new ClusterNetworkLink(`bad-${args.mode}`, { ...args, providers: regionProviders });
            } catch (err) {
                return pulumi.InputPropertiesError.isInstance(err) ? err.errors.map((e) => `${e.propertyPath}: ${e.reason}`) : [String(err)];
            }
            return [];
        };
        const one = linked("a", "cn-beijing", "10.0.0.0/16");
        const single = { ...one, vswitches: one.vswitches.slice(0, 1) };
        assert.deepEqual(problems({ mode: "cen", clusters: [single, linked("b", "cn-hangzhou", "10.1.0.0/16")], cen: { bandwidthType: "BandwidthPackage" } }), [
            'clusters[0].vswitches: a transit router attaches a VPC in two zones; give cluster "a" vSwitches in at least two',
            "cen.bandwidthPackageId: bandwidthType BandwidthPackage needs bandwidthPackageId",
        ]);
        assert.deepEqual(problems({ mode: "same-vpc", clusters: [linked("a", "cn-beijing", "10.0.0.0/16", { network: "n1" }), linked("b", "cn-beijing", "10.0.0.0/16", { network: "n2" })], cen: { bandwidth: 10 } }), [
            "cen: cen settings apply only to mode cen, not same-vpc",
        ]);
        await mock.settle();
    });
});
