import * as assert from "node:assert/strict";
import * as alicloud from "@pulumi/alicloud";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ListenerAclBinding } from "../../lib/alicloud/listenerAcl";
import { alicloudInvokes, alicloudPreviewResources, alicloudResources } from "./alicloudProvider";
import { addLoadBalancer, listenerOf } from "./clbStandIn";
import { chartValuesErrors } from "./istioSchemas";
import { MockCloud, Registration, programFailures, urnOf, valueOf } from "./mocks";

class Thing extends pulumi.CustomResource {
    constructor(type: string, name: string) {
        super(type, name, {});
    }
}

/** Runs a program against a fresh mock cloud and returns how it failed. */
async function failuresOf(program: () => void, options: Parameters<typeof MockCloud.install>[0] = {}): Promise<string[]> {
    const cloud = MockCloud.install(options);
    return programFailures(async () => {
        program();
        await cloud.settle();
    });
}

/** The mocks answer only what they were told to, as a real cloud answers only for what exists. */
describe("strict mocks", () => {
    it("fail a resource type nobody said how to answer, and serve components and provider instances", async () => {
        assert.match((await failuresOf(() => new Thing("acme:index:Widget", "w"))).join(), /the mock cloud has no provider for acme:index:Widget/);
        assert.match((await failuresOf(() => new k8s.core.v1.ConfigMap("cm", { metadata: { name: "x" } }))).join(), /does not emulate kubernetes:core\/v1:ConfigMap/);
        assert.deepEqual(
            await failuresOf(() => {
                const component = new pulumi.ComponentResource("acme:index:Group", "g");
                new alicloud.Provider("p", { region: "cn-hangzhou" }, { parent: component });
            }),
            [],
        );
    });

    it("read only a Service the program made, itself or through a gateway chart", async () => {
        const cloud = MockCloud.install();
        const provider = new k8s.Provider("c1", { kubeconfig: "k" });
        const release = new k8s.helm.v3.Release("gw", { chart: "gateway", name: "istio-eastwestgateway", namespace: "istio-system", values: { service: { type: "LoadBalancer" } } }, { provider });
        const read = k8s.core.v1.Service.get("gw-read", "istio-system/istio-eastwestgateway", { provider, dependsOn: [release] });
        assert.match(String(await valueOf(read.status.loadBalancer.ingress[0].ip)), /^198\.1[89]\./);
        await cloud.settle();
        const failures = await programFailures(async () => {
            k8s.core.v1.Service.get("missing", "istio-system/istio-ingressgateway", { provider });
            k8s.core.v1.Service.get("other-cluster", "istio-system/istio-eastwestgateway", { provider: new k8s.Provider("c2", { kubeconfig: "k" }) });
            await cloud.settle();
        });
        assert.equal(new Set(failures).size, 2, failures.join("\n"));
        assert.ok(failures.every((f) => /the program made no such object there/.test(f)), failures.join("\n"));
    });

    it("fail a Helm release whose values its chart does not take", async () => {
        const release = (chart: string, values: Record<string, unknown>) => () =>
            new k8s.helm.v3.Release(chart, { chart, name: chart, namespace: "istio-system", values }, { provider: new k8s.Provider(`${chart}-k8s`, { kubeconfig: "k" }) });
        assert.match((await failuresOf(release("istiod", { pilot: { env: { A: "1" } } }))).join(), /pilot is not a value of the istiod chart/);
        assert.match((await failuresOf(release("gateway", { nmae: "eastwest" }))).join(), /gateway chart's values are wrong/);
        assert.deepEqual(await failuresOf(release("base", { global: { istioNamespace: "istio-system" }, base: { validationFailurePolicy: "Fail" } })), []);
        assert.deepEqual(chartValuesErrors("istiod", { env: { ISTIO_MULTIROOT_MESH: "true" }, meshConfig: { defaultConfig: { proxyMetadata: {} } }, global: { meshID: "m" } }), []);
        assert.deepEqual(chartValuesErrors("istiod", { global: "x", replicaCount: { a: 1 } }), ["global is a map in the chart, not \"x\"", "replicaCount is 1 in the chart, not a map"]);
    });

    it("answer zones of the provider's region, and refuse filters they cannot apply", async () => {
        const cloud = MockCloud.install({ resources: alicloudResources, invokes: alicloudInvokes });
        const zones = (region: string, args: alicloud.GetZonesArgs = { availableResourceCreation: "VSwitch" }) =>
            valueOf(alicloud.getZonesOutput(args, { provider: new alicloud.Provider(`p-${region}-${Object.keys(args).length}`, { region }) }).ids);
        assert.deepEqual([...(await zones("cn-shanghai"))].sort(), ["cn-shanghai-e", "cn-shanghai-f", "cn-shanghai-g", "cn-shanghai-l"]);
        assert.deepEqual([...(await zones("eu-west-1"))].sort(), ["eu-west-1a", "eu-west-1b"]);
        const getZones = (inputs: Record<string, unknown>, region?: string) =>
            alicloudInvokes["alicloud:index/getZones:getZones"](inputs, { provider: region ? ({ name: "p", inputs: { region } } as unknown as Registration) : undefined });
        assert.deepEqual(getZones({ availableInstanceType: "ecs.gn7i-c8g1.2xlarge" }, "cn-hangzhou"), { id: "zones", ids: ["cn-hangzhou-k"], zones: [{ id: "cn-hangzhou-k", localName: "cn-hangzhou-k" }] }, "an instance type on sale in some zones only");
        assert.equal((getZones({ availableInstanceType: "ecs.g7.xlarge" }, "cn-hangzhou") as { ids: string[] }).ids.length, 4, "a type on sale everywhere");
        assert.throws(() => getZones({ availableResourceCreation: "VSwitch", availableDiskCategory: "cloud_essd" }, "cn-hangzhou"), /cannot filter by availableDiskCategory/);
        assert.throws(() => getZones({ availableResourceCreation: "Rds" }, "cn-hangzhou"), /cannot filter by availableResourceCreation Rds/);
        assert.throws(() => getZones({}, "mars-north-1"), /knows the zones of/);
        assert.throws(() => getZones({}), /through the default provider/);
        await cloud.settle();
    });

    it("switch a whitelist on only at a load balancer the cloud made, through the CLB API", async () => {
        const binding = (loadBalancerId: string) => () => new ListenerAclBinding(`b-${loadBalancerId}`, { regionId: "cn-hangzhou", loadBalancerId, listenerPort: 6443, aclId: "acl-1" });
        addLoadBalancer("lb-made", [{ port: 6443, protocol: "TCP" }]);
        assert.deepEqual(await failuresOf(binding("lb-made"), { resources: alicloudResources }), []);
        assert.deepEqual({ ...listenerOf("lb-made", 6443) }, { port: 6443, protocol: "TCP", aclStatus: "on", aclType: "white", aclId: "acl-1" });
        assert.match((await failuresOf(binding("lb-never-made"), { resources: alicloudResources })).join(), /InvalidLoadBalancerId.NotFound/);
        // A preview checks and diffs a dynamic resource; it creates nothing, so nothing is called.
        const preview = MockCloud.install({ preview: true, resources: alicloudPreviewResources });
        await urnOf(new ListenerAclBinding("b-preview", { regionId: "cn-hangzhou", loadBalancerId: "lb-unknown", listenerPort: 6443, aclId: "acl-1" }));
        await preview.settle();
    });
});
