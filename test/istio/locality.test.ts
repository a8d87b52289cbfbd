import * as assert from "node:assert/strict";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { MeshRootCa, PrimaryCluster, PrimaryClusterArgs } from "../../lib";
import { localityDestinationRule, localityLbSetting, localityProblems } from "../../lib/istio/locality";
import { istioObjectErrors } from "../harness/istioSchemas";
import { MockCloud } from "../harness/mocks";
import { reveal } from "../harness/secrets";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

/** The README's example of a user's own DestinationRule that keeps locality failover working. */
function documentedUserRule(): { apiVersion: string; kind: string; spec: any } {
    const readme = readFileSync(path.resolve(__dirname, "../../README.md"), "utf8");
    const block = /<!-- a user's DestinationRule that keeps locality failover[^>]*-->\n```yaml\n([\s\S]+?)```/.exec(readme);
    assert.ok(block, "the README shows the rule");
    return parse(block[1]);
}

const regions = ["cn-hangzhou", "cn-shanghai", "cn-beijing"];

/** A primary "c1" with its own CA, plus the routing settings under test. */
function primaryWith(routing: Pick<PrimaryClusterArgs, "localityRouting" | "serviceLocalityRouting">): PrimaryCluster {
    const ca = new MeshRootCa("ca", { clusters: ["c1"] });
    return new PrimaryCluster("c1", {
        clusterName: "c1",
        network: "n1",
        meshId: "mesh1",
        provider: new k8s.Provider("c1-k8s", {}),
        apiServer: "https://c1:6443",
        cacerts: ca.cacerts.c1,
        ...routing,
    });
}

describe("locality routing", () => {
    it("documents a user's own DestinationRule that keeps failover, valid for Istio, with outlier detection", () => {
        const rule = documentedUserRule();
        assert.deepEqual(istioObjectErrors(rule), []);
        assert.equal(rule.kind, "DestinationRule");
        assert.ok(rule.spec.trafficPolicy.outlierDetection.consecutive5xxErrors > 0, "outlier detection, without which Istio never fails over");
        assert.equal(rule.spec.trafficPolicy.loadBalancer, undefined, "the failover order stays istiod's meshConfig.localityLbSetting");
    });

    it("renders a failover priority, copied, and a disabled setting as such", () => {
        const priority = ["topology.istio.io/network"];
        const setting = localityLbSetting({ enabled: false, failoverPriority: priority });
        assert.deepEqual(setting, { enabled: false, failoverPriority: ["topology.istio.io/network"] });
        assert.notEqual(setting.failoverPriority, priority, "a copy, so later changes to the argument do not reach the values");
    });

    it("renders failover as istiod's localityLbSetting", () => {
        assert.deepEqual(localityLbSetting({ failover: [{ from: "cn-hangzhou", to: "cn-shanghai" }] }), {
            enabled: true,
            failover: [{ from: "cn-hangzhou", to: "cn-shanghai" }],
        });
        assert.deepEqual(localityLbSetting({}), { enabled: true });
        assert.deepEqual(localityLbSetting({ failover: [], distribute: [], failoverPriority: [] }), { enabled: true }, "empty lists say nothing");
        const to = { "cn-hangzhou/*": 80, "cn-shanghai/*": 20 };
        const weighted = localityLbSetting({ distribute: [{ from: "cn-hangzhou/*", to }] });
        assert.deepEqual(weighted, { enabled: true, distribute: [{ from: "cn-hangzhou/*", to: { "cn-hangzhou/*": 80, "cn-shanghai/*": 20 } }] });
        assert.notEqual((weighted.distribute as { to: unknown }[])[0].to, to, "a copy");
    });

    it("always pairs failover with outlier detection, in a DestinationRule that passes Istio's CRD schema", () => {
        const rule = localityDestinationRule("locality-default", "istio-system", "*.local", { failover: [{ from: "cn-hangzhou", to: "cn-shanghai" }], outlierDetection: { consecutive5xxErrors: 3 } });
        assert.deepEqual(rule.spec, {
            host: "*.local",
            trafficPolicy: {
                loadBalancer: { localityLbSetting: { enabled: true, failover: [{ from: "cn-hangzhou", to: "cn-shanghai" }] } },
                outlierDetection: { consecutive5xxErrors: 3, interval: "10s", baseEjectionTime: "30s", maxEjectionPercent: 100 },
            },
        });
        assert.deepEqual(istioObjectErrors(rule), []);
        const weighted = localityDestinationRule("w", "shop", "cart.shop.svc.cluster.local", { distribute: [{ from: "cn-hangzhou/*", to: { "cn-hangzhou/*": 80, "cn-shanghai/*": 20 } }] });
        assert.deepEqual(istioObjectErrors(weighted), []);
    });

    it("names the empty part of a locality, and a mesh with no regions", () => {
        assert.deepEqual(localityProblems({ distribute: [{ from: "cn-hangzhou//a", to: { "cn-hangzhou/*": 100 } }] }, undefined, "l"), [
            { propertyPath: "l.distribute[0]", reason: "locality cn-hangzhou//a must not contain empty region/zone/subzone info" },
        ]);
        assert.deepEqual(localityProblems({ failover: [{ from: "cn-hangzhou", to: "cn-shanghai" }] }, [], "l").map((p) => p.reason), [
            "region cn-hangzhou has no cluster in this mesh (regions: none)",
            "region cn-shanghai has no cluster in this mesh (regions: none)",
        ]);
    });

    it("rejects outlier detection that could never eject an endpoint, or durations Istio cannot read", () => {
        const problems = localityProblems({ outlierDetection: { interval: "10 seconds", baseEjectionTime: "1m30s", consecutive5xxErrors: 0, maxEjectionPercent: 101 } }, undefined, "localityRouting");
        assert.deepEqual(problems.map((p) => p.propertyPath), ["localityRouting.outlierDetection.interval", "localityRouting.outlierDetection.consecutive5xxErrors", "localityRouting.outlierDetection.maxEjectionPercent"]);
        assert.equal(problems[0].reason, `interval "10 seconds" is not a duration such as 10s, 1m30s or 500ms`);
        assert.deepEqual(localityProblems({ outlierDetection: { interval: "500ms", baseEjectionTime: "2m", consecutive5xxErrors: 1, maxEjectionPercent: 0 } }, undefined), []);
        assert.equal(problems[1].reason, "consecutive5xxErrors 0 is not a whole number of at least 1: with none, no endpoint is ever ejected and nothing fails over");
        for (const maxEjectionPercent of [-1, 2.5, 101]) {
            assert.deepEqual(localityProblems({ outlierDetection: { maxEjectionPercent } }, undefined), [
                { propertyPath: "localityFailover.outlierDetection.maxEjectionPercent", reason: `maxEjectionPercent ${maxEjectionPercent} is not a whole percentage from 0 to 100` },
            ]);
        }
        assert.deepEqual(localityProblems({ outlierDetection: { maxEjectionPercent: 100 } }, undefined), []);
    });

    it("refuses every topology label in failoverPriority beside failover, as Istio does", () => {
        for (const label of ["topology.kubernetes.io/region", "topology.kubernetes.io/zone", "topology.istio.io/subzone"]) {
            assert.deepEqual(localityProblems({ failover: [{ from: "cn-hangzhou", to: "cn-shanghai" }], failoverPriority: ["topology.istio.io/network", label] }, undefined), [
                { propertyPath: "localityFailover.failoverPriority", reason: `can not simultaneously set 'failover' and topology label '${label}' in 'failoverPriority'` },
            ]);
        }
    });

    it("rejects what Istio's validator rejects, with the field of each problem", () => {
        assert.deepEqual(
            localityProblems(
                {
                    failover: [
                        { from: "cn-hangzhou", to: "cn-hangzhou" },
                        { from: "cn-hangzhou/zone-h", to: "cn-*" },
                        { from: "cn-hangzhou", to: "us-west-1" },
                    ],
                    distribute: [{ from: "cn-hangzhou/*", to: { "cn-hangzhou/*": 80, "cn-shanghai/*": 30 } }],
                    failoverPriority: ["topology.kubernetes.io/region"],
                },
                regions,
            ),
            [
                { propertyPath: "localityFailover", reason: "can not simultaneously specify 'distribute' and 'failover' (Istio rejects it)" },
                { propertyPath: "localityFailover.failoverPriority", reason: "can not simultaneously set 'failover' and topology label 'topology.kubernetes.io/region' in 'failoverPriority'" },
                { propertyPath: "localityFailover.distribute[0].to", reason: "total locality weight 110 != 100" },
                { propertyPath: "localityFailover.failover[0]", reason: "locality lb failover settings must specify different regions" },
                { propertyPath: "localityFailover.failover[1]", reason: "locality lb failover only specify region" },
                { propertyPath: "localityFailover.failover[1]", reason: "locality lb failover region should not contain '*' wildcard" },
                { propertyPath: "localityFailover.failover[2].to", reason: "region us-west-1 has no cluster in this mesh (regions: cn-hangzhou, cn-shanghai, cn-beijing)" },
            ],
        );
        assert.deepEqual(localityProblems({ distribute: [{ from: "a/*/b*", to: { a: 0 } }] }, regions).map((p) => p.reason), [
            "locality weight must be in range [1, 100]",
            "locality a/*/b* wildcard '*' number can not exceed 1 and must be in the end",
        ]);
    });

    it("takes distribute weights from 1 to 100 summing to 100, and one trailing wildcard per locality", () => {
        const distribute = (to: Record<string, number>, from = "cn-hangzhou/*") => localityProblems({ distribute: [{ from: "cn-beijing/*", to: {} }, { from, to }] }, undefined, "l").filter((p) => p.propertyPath.startsWith("l.distribute[1]"));
        assert.deepEqual(distribute({ "cn-hangzhou/*": 1, "cn-shanghai/*": 99 }), [], "1 is a weight");
        assert.deepEqual(distribute({ "cn-hangzhou/*": 100 }), [], "100 is a weight");
        const invalid: Record<string, number>[] = [{ "cn-hangzhou/*": 0, "cn-shanghai/*": 100 }, { "cn-hangzhou/*": 101 }, { "cn-hangzhou/*": 50.5, "cn-shanghai/*": 49.5 }];
        for (const to of invalid) {
            assert.deepEqual(distribute(to), [{ propertyPath: "l.distribute[1].to", reason: "locality weight must be in range [1, 100]" }], JSON.stringify(to));
        }
        for (const from of ["*/zone-a", "cn-*/zone-*", "cn-hangzhou/*/*"]) {
            assert.deepEqual(distribute({ "cn-hangzhou/*": 100 }, from), [{ propertyPath: "l.distribute[1]", reason: `locality ${from} wildcard '*' number can not exceed 1 and must be in the end` }], from);
        }
        assert.deepEqual(distribute({ "cn-hangzhou/zone-h/*": 100 }, "*"), [], "a lone wildcard, and one at the end");
    });

    it("allows topology labels in failoverPriority when no failover is set", () => {
        assert.deepEqual(localityProblems({ failoverPriority: ["topology.kubernetes.io/region", "topology.kubernetes.io/zone"] }, undefined), []);
        assert.deepEqual(localityProblems({ failover: [{ from: "cn-hangzhou", to: "cn-shanghai" }] }, undefined), [], "failover without failoverPriority");
    });

    it("PrimaryCluster applies mesh-wide and per-service routing where istiod reads it", async () => {
        const cloud = MockCloud.install();
        primaryWith({
            localityRouting: { failover: [{ from: "cn-hangzhou", to: "cn-shanghai" }] },
            serviceLocalityRouting: [{ name: "cart", namespace: "shop", host: "cart.shop.svc.cluster.local", routing: { failover: [{ from: "cn-shanghai", to: "cn-hangzhou" }] } }],
        });
        await cloud.settle();
        const values = reveal(cloud.find("kubernetes:helm.sh/v3:Release", "c1-istiod").inputs.values) as any;
        assert.deepEqual(values.meshConfig.localityLbSetting, { enabled: true, failover: [{ from: "cn-hangzhou", to: "cn-shanghai" }] });
        const rules = cloud.ofType("kubernetes:networking.istio.io/v1:DestinationRule");
        assert.deepEqual(rules.map((r) => [r.name, (reveal(r.inputs.metadata) as any).namespace, (reveal(r.inputs.spec) as any).host]).sort(), [
            ["c1-dr-istio-system-locality-default", "istio-system", "*.local"],
            ["c1-dr-shop-cart", "shop", "cart.shop.svc.cluster.local"],
        ]);
        for (const r of rules) {
            assert.deepEqual(istioObjectErrors(reveal(r.inputs) as any), []);
            assert.ok(r.dependencies.includes(cloud.find("kubernetes:helm.sh/v3:Release", "c1-istiod").urn!));
        }
    });

    it("PrimaryCluster rejects invalid routing before creating anything", () => {
        MockCloud.install();
        assert.throws(
            () => primaryWith({ localityRouting: { failover: [{ from: "r1", to: "r1" }] } }),
            (err: unknown) => pulumi.InputPropertiesError.isInstance(err) && err.errors[0].propertyPath === "localityRouting.failover[0]",
        );
    });

    it("PrimaryCluster refuses a per-service rule whose name, namespace or host Kubernetes and Istio cannot take", () => {
        MockCloud.install();
        assert.throws(
            () => primaryWith({ serviceLocalityRouting: [{ name: "Reviews_DR", namespace: "book info", host: "reviews bookinfo", routing: {} }, { name: "ok", namespace: "shop", host: "*.shop.svc.cluster.local", routing: {} }] }),
            (err: unknown) =>
                pulumi.InputPropertiesError.isInstance(err) &&
                JSON.stringify(err.errors.map((e) => e.propertyPath)) === JSON.stringify(["serviceLocalityRouting[0].name", "serviceLocalityRouting[0].namespace", "serviceLocalityRouting[0].host"]),
        );
    });
});
