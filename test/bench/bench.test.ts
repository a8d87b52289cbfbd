import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { MeshConfig } from "../../lib";
import { Registration } from "../harness/mocks";
import { BenchRun, benchRun, clusterChainMisses, makespanTarget } from "./bench";
import { lowerBound } from "./bound";
import { countByType, formulaMismatches, shapeOf, totalOf } from "./formulas";
import { LatencyKey, T, clusterPaces, laneOf, latencyKeyOf, pacedSecondsOf, paceOf, secondsOf } from "./latency";
import { benchRegions, multiPrimary, primaryRemote } from "./models";
import { evaluationTime, previewFailures, simulate } from "./simulate";

const registration = (fields: Partial<Registration>): Registration =>
    ({ index: 0, name: "r", custom: true, inputs: {}, dependencies: [], propertyDependencies: {}, ...fields }) as Registration;

describe("bench", () => {
    describe("latency table", () => {
        it("times Helm releases by chart, remote istiod apart, whether the chart is a name or an OCI path", () => {
            const release = (chart: string, values: Record<string, unknown> = {}) => latencyKeyOf(registration({ type: T.release, inputs: { chart, values } }));
            assert.equal(release("base"), "baseChart");
            assert.equal(release("oci://registry.example.com/istio/istiod"), "istiodChart");
            assert.equal(release("istiod", { profile: "remote" }), "remoteIstiodChart");
            assert.equal(release("gateway"), "gatewayChart");
            assert.throws(() => release("cni"), /no figure for chart cni/);
        });

        it("refuses a resource type it has no figure for, and reads Services apart from creating them", () => {
            assert.throws(() => latencyKeyOf(registration({ type: "alicloud:slb/loadBalancer:LoadBalancer" })), /no figure for alicloud:slb/);
            assert.throws(() => latencyKeyOf(registration({ type: T.service })), /no figure for kubernetes:core\/v1:Service/);
            assert.equal(latencyKeyOf(registration({ type: T.service, read: true })), "serviceRead");
            assert.equal(latencyKeyOf(registration({ type: "pkg:index:Anything", custom: false })), "none");
        });

        it("puts transit-router work in its router's lane, a peer attachment in both, route entries in their VPC table's, list entries in their list's", () => {
            const routerOf = (table: string) => ({ "rt-1": "tr-a" })[table];
            assert.deepEqual(laneOf(registration({ type: T.vpcAttachment, inputs: { transitRouterId: "tr-a" } }), routerOf), ["tr:tr-a"]);
            assert.deepEqual(laneOf(registration({ type: T.peerAttachment, inputs: { transitRouterId: "tr-a", peerTransitRouterId: "tr-b" } }), routerOf), ["tr:tr-a", "tr:tr-b"]);
            assert.deepEqual(laneOf(registration({ type: T.propagation, inputs: { transitRouterRouteTableId: "rt-1" } }), routerOf), ["tr:tr-a"]);
            assert.deepEqual(laneOf(registration({ type: T.vpcRoute, inputs: { routeTableId: "vtb-1" } }), routerOf), ["vtb:vtb-1"]);
            assert.deepEqual(laneOf(registration({ type: T.accessListEntry, inputs: { aclId: "acl-1" } }), routerOf), ["acl:acl-1"]);
            assert.deepEqual(laneOf(registration({ type: T.ack }), routerOf), []);
            assert.throws(() => laneOf(registration({ type: T.association, inputs: { transitRouterRouteTableId: "rt-9" } }), routerOf), /no transit router owns/);
        });
    });

    describe("lower bound", () => {
        const s = secondsOf;
        const primaryGateway =
            s("vpc") + s("vswitch") + s("ack") + Math.max(s("nodePool"), s("namespace") + s("baseChart")) + s("istiodChart") + s("gatewayChart") + s("serviceRead");

        it("is a primary's chain to its gateway address when no router has more work than that", () => {
            const bound = lowerBound(multiPrimary(4).config(2));
            assert.equal(bound.clusterChain, primaryGateway);
            // One VPC and one peer on each router: CEN, router, table, peer and its bindings, attachment and its bindings.
            const router = s("cen") + s("transitRouter") + s("routeTable") + s("peerAttachment") + s("vpcAttachment") + 4 * s("routeTableBinding");
            assert.equal(bound.networkChain, router);
            assert.equal(bound.seconds, Math.max(primaryGateway, router));
        });

        it("adds a remote's own istiod and gateway after its primary's gateway address, each at its own cluster's pace", () => {
            const bound = lowerBound(primaryRemote(4).config(4));
            // c01 is the primary (pace 1), c03 the slowest remote: its own nodes are Ready after the primary's gateway.
            const p = (key: LatencyKey) => pacedSecondsOf(key, paceOf(2));
            const c03 = Math.max(primaryGateway + p("remoteIstiodChart"), p("vpc") + p("vswitch") + p("ack") + p("nodePool")) + p("gatewayChart") + s("serviceRead");
            assert.equal(bound.clusters.get("c03"), c03);
            assert.equal(bound.clusterChain, c03);
            assert.equal(bound.clusters.get("c01"), primaryGateway);
        });

        it("bounds each cluster by its own chain, so a fast cluster cannot hide behind a slow one", () => {
            const bound = lowerBound(multiPrimary(4).config(4));
            const chainAt = (pace: number) => {
                const p = (key: LatencyKey) => pacedSecondsOf(key, pace);
                return p("vpc") + p("vswitch") + p("ack") + Math.max(p("nodePool"), s("namespace") + p("baseChart")) + p("istiodChart") + p("gatewayChart") + s("serviceRead");
            };
            assert.deepEqual([...bound.clusters.values()], clusterPaces.map(chainAt));
            assert.equal(new Set(bound.clusters.values()).size, 4, "the clusters differ");
        });

        it("keeps the cluster chain while clusters are added in the same regions, and lengthens each router's work", () => {
            const [four, eight, sixteen] = [4, 8, 16].map((n) => lowerBound(multiPrimary(4).config(n)));
            assert.equal(eight.clusterChain, four.clusterChain);
            assert.equal(sixteen.clusterChain, four.clusterChain);
            const perVpc = s("vpcAttachment") + 2 * s("routeTableBinding");
            assert.equal(eight.networkChain - four.networkChain, perVpc);
            assert.equal(sixteen.networkChain - eight.networkChain, 2 * perVpc);
        });

        it("grows with regions by a peer attachment and its bindings on every router", () => {
            const [four, eight] = [4, 8].map((n) => lowerBound(multiPrimary(benchRegions.length).config(n)));
            const perPeer = s("peerAttachment") + 2 * s("routeTableBinding");
            assert.equal(eight.networkChain - four.networkChain, 4 * perPeer);
        });

        it("covers CEN-linked Terway ACK clusters only", () => {
            const config = multiPrimary(4).config(2);
            assert.throws(() => lowerBound({ ...config, networkLink: { mode: "same-vpc" } }), /CEN-linked/);
            const flannel: MeshConfig = { ...config, clusters: config.clusters.map((c) => ({ ...c, ack: { ...c.ack!, podNetworking: "flannel" as const } })) };
            assert.throws(() => lowerBound(flannel), /Terway/);
        });
    });

    describe("growth formulas", () => {
        it("reads the shape of a topology", () => {
            const onAck = { a: 8, cen: 1, r: 4, v: 8, c: 1, w: 8, g: 8, x: 0, ga: 8, rg: 4, f: 0, fr: 0, i: 0, l: 0, e: 0, j: 8, z: 0 };
            assert.deepEqual(shapeOf(primaryRemote(4).config(8)), { ...onAck, n: 8, p: 2, m: 6, pa: 2, ps: 2, psa: 2 });
            assert.deepEqual(shapeOf(multiPrimary(4).config(8)), { ...onAck, n: 8, p: 8, m: 0, pa: 8, ps: 0, psa: 0 });
        });

        describe("a flat network with every optional extra", () => {
            const [first, second, third] = primaryRemote(4).config(3).clusters;
            const mixed: MeshConfig = {
                meshId: "bench",
                networkLink: { mode: "cen" },
                apiServerAccess: { clientRanges: ["203.0.113.0/24"] },
                verification: { enabled: true },
                localityFailover: { enabled: true, services: [{ name: "reviews", namespace: "shop", host: "reviews.shop.svc.cluster.local", failover: [] }] },
                clusters: [
                    { ...first, network: "flat", ingressGateway: true, injectionNamespaces: ["shop", "web"] },
                    { ...second, network: "flat", existingIstioNamespace: true },
                    { ...third, network: "flat", region: first.region },
                ],
            };

            it("reads its shape", () => {
                assert.deepEqual(shapeOf(mixed), { n: 3, p: 1, m: 2, ps: 1, c: 1, w: 1, g: 1, x: 0, i: 1, l: 2, e: 1, j: 4, z: 1, a: 3, pa: 1, r: 2, v: 3, cen: 1, ga: 1, rg: 1, psa: 1, f: 3, fr: 2 });
            });

            it("registers what the formulas count", async () => {
                const { registrations } = await evaluationTime(mixed);
                assert.deepEqual(formulaMismatches(mixed, countByType(registrations)), []);
            });
        });

        it("refuses a shape the formulas do not model, instead of counting it wrong", () => {
            const config = multiPrimary(4).config(2);
            assert.throws(() => shapeOf({ ...config, networkLink: { mode: "same-vpc" } }), /do not model network link same-vpc/);
            assert.throws(() => shapeOf({ ...config, trust: { mode: "external", rootCertPem: "-" } }), /do not model trust mode external/);
            const internet: MeshConfig = { ...config, clusters: config.clusters.map((c) => ({ ...c, eastWestGateway: { addressType: "internet" as const } })) };
            assert.throws(() => shapeOf(internet), /internet-facing/);
            const flannel: MeshConfig = { ...config, clusters: config.clusters.map((c) => ({ ...c, ack: { ...c.ack!, podNetworking: "flannel" as const, podCidr: "172.20.0.0/16" } })) };
            assert.throws(() => shapeOf(flannel), /Flannel/);
        });

        it("reports a count off its formula and a type no formula covers", () => {
            const config = multiPrimary(4).config(2);
            const counts = new Map([[T.peerAttachment, 2], ["alicloud:slb/loadBalancer:LoadBalancer", 1]]);
            const problems = formulaMismatches(config, counts);
            assert.ok(problems.includes(`${T.peerAttachment}: 2 registered, R(R−1)/2 = 1`), problems.join("\n"));
            assert.ok(problems.includes("alicloud:slb/loadBalancer:LoadBalancer: 1 registered, no formula"));
            assert.deepEqual(
                countByType([{ type: T.service, read: true }, { type: T.service }, { type: T.service, read: true }]),
                new Map([
                    [`read ${T.service}`, 2],
                    [T.service, 1],
                ]),
            );
        });
    });

    describe("cluster chain across sizes", () => {
        const model = multiPrimary(4);
        const run = (n: number, regions: number, clusterChain: number) => ({ model, n, regions, clusterChain }) as BenchRun;

        it("misses when a larger mesh in the same regions lengthens the cluster chain", () => {
            assert.deepEqual(clusterChainMisses([run(4, 4, 900), run(8, 4, 900)]), []);
            assert.equal(clusterChainMisses([run(4, 4, 900), run(8, 4, 960)]).length, 1);
            assert.deepEqual(clusterChainMisses([run(2, 2, 800), run(4, 4, 900)]), [], "other regions: no comparison");
        });
    });

    describe("a run of the benchmark", function () {
        this.timeout(120000);

        it("previews from an empty stack with what the cloud computes unknown, as `pulumi up` does first", async () => {
            const preview = await previewFailures(primaryRemote(4).config(2));
            assert.deepEqual(preview.failures, []);
            const binding = preview.registrations.find((r) => r.type === T.dynamic)!;
            assert.equal(binding.inputs.loadBalancerId, pulumi.runtime.unknownValue, "the API server's load balancer is not known before the cluster exists");
            const remoteIstiod = preview.registrations.find((r) => r.name === "mesh-c02-istiod")!;
            assert.ok(JSON.stringify(remoteIstiod.inputs).includes(pulumi.runtime.unknownValue), "nor is the primary's gateway address the remote needs");
        });

        it("reports a step the latency table has no figure for, and still finishes the run", async () => {
            const simulation = await simulate({ ...multiPrimary(4).config(2), verification: { enabled: true } });
            assert.ok(simulation.failures.includes("the latency table has no figure for kubernetes:apps/v1:Deployment"), simulation.failures.join("\n"));
        });

        for (const model of [multiPrimary(4), primaryRemote(4)]) {
            it(`${model.id}, N = 4: counts on formula, makespan within ${makespanTarget} × bound, no lane waits or hidden waits, one run`, async () => {
                const result = await benchRun(model, 4);
                assert.deepEqual(result.misses, []);
                assert.equal(result.runs, 1);
                assert.ok(result.makespan >= result.bound.seconds, `makespan ${result.makespan} below the lower bound ${result.bound.seconds}`);
                assert.ok(result.makespan <= makespanTarget * result.bound.seconds);
                assert.equal(result.total, totalOf(shapeOf(model.config(4))), "every registration is one the formulas count");
                // Four regions' routers have less to do than the slowest cluster's own chain, which sets the pace.
                // A remote's gateway waits for its remote secret, which waits for the remote's istiod chart (the reader's ClusterRole).
                const istiod = model.id.startsWith("primary-remote") ? "remoteIstiodChart → kubernetesObject" : "istiodChart";
                assert.match(result.criticalPath, new RegExp(`^vpc → vswitch → ack → nodePool → namespace → baseChart → ${istiod} → gatewayChart`));
            });
        }
    });
});
