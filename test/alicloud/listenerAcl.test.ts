import * as assert from "node:assert/strict";
import { ListenerAclBinding, clbEndpoint, credentialConfig, listenerAclProvider, listenerAclRequest, listenerProtocol } from "../../lib/alicloud/listenerAcl";
import { MockCloud, urnOf } from "../harness/mocks";
import { ackControlPlaneRange, apiServerAllowList } from "../../lib/alicloud/apiServerAccess";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the module the provider requires when it runs
const openApi = require("@alicloud/openapi-client") as { default: { prototype: { callApi: (...args: any[]) => Promise<unknown> } } };

const binding = { regionId: "cn-hangzhou", loadBalancerId: "lb-api", listenerPort: 6443, aclId: "acl-1" };

/** Replaces only the HTTP exchange of the real CLB client: records each call, answers as CLB would. */
function clbApi(answer: (action: string, query: Record<string, string>) => unknown) {
    const calls: { action: string; query: Record<string, string>; endpoint: string; accessKeyId: string; version: string; style: string }[] = [];
    const original = openApi.default.prototype.callApi;
    openApi.default.prototype.callApi = async function (this: any, params: any, request: any) {
        calls.push({ action: params.action, query: request.query, endpoint: this._endpoint, accessKeyId: await this.getAccessKeyId(), version: params.version, style: params.style });
        return { body: answer(params.action, request.query) };
    };
    return { calls, restore: () => (openApi.default.prototype.callApi = original) };
}

const describe6443 = (protocol: string) => ({ LoadBalancerId: "lb-api", ListenerPortsAndProtocol: { ListenerPortAndProtocol: [{ ListenerPort: 6443, ListenerProtocol: protocol }] } });

describe("API server access list", () => {
    it("admits ACK's control plane and the cluster's own ranges first, then clients and peers, each range once", () => {
        assert.deepEqual(
            apiServerAllowList(
                { clusterName: "c1", vpcCidr: "10.10.0.0/16", podCidr: "172.20.0.0/16" },
                { clientRanges: ["203.0.113.0/24"], peers: [{ name: "c2", ranges: ["10.20.0.0/16", "203.0.113.0/24"] }] },
            ),
            [
                { entry: ackControlPlaneRange, comment: "ACK control plane" },
                { entry: "10.10.0.0/16", comment: "c1 VPC" },
                { entry: "172.20.0.0/16", comment: "c1 pods" },
                { entry: "203.0.113.0/24", comment: "clients" },
                { entry: "10.20.0.0/16", comment: "istiod in c2" },
            ],
        );
    });

    describe("binding to a listener it does not own", () => {
        it("calls the region's CLB endpoint", () => {
            assert.equal(clbEndpoint("cn-hangzhou"), "slb.aliyuncs.com");
            assert.equal(clbEndpoint("cn-zhangjiakou"), "slb.cn-zhangjiakou.aliyuncs.com");
            assert.equal(clbEndpoint("eu-central-1"), "slb.eu-central-1.aliyuncs.com");
        });

        it("takes credentials as the alicloud provider reads them, or leaves them to Alibaba Cloud's default chain", () => {
            assert.deepEqual(credentialConfig({ ALICLOUD_ACCESS_KEY: "id", ALICLOUD_SECRET_KEY: "secret" }), { type: "access_key", accessKeyId: "id", accessKeySecret: "secret" });
            assert.deepEqual(credentialConfig({ ALICLOUD_ACCESS_KEY: "id", ALICLOUD_SECRET_KEY: "secret", ALICLOUD_SECURITY_TOKEN: "t" }), {
                type: "sts",
                accessKeyId: "id",
                accessKeySecret: "secret",
                securityToken: "t",
            });
            assert.equal(credentialConfig({ ALIBABA_CLOUD_ACCESS_KEY_ID: "id2", ALICLOUD_ACCESS_KEY: "id", ALICLOUD_SECRET_KEY: "s" }), undefined);
            assert.equal(credentialConfig({}), undefined);
        });

        it("finds the listener's protocol and sets its whitelist with the call for that protocol", () => {
            assert.equal(listenerProtocol(describe6443("tcp"), 6443, "lb-api"), "TCP");
            assert.throws(() => listenerProtocol({ ListenerPortsAndProtocol: { ListenerPortAndProtocol: [{ ListenerPort: 80, ListenerProtocol: "http" }] } }, 6443, "lb-api"), /lb-api has no listener on port 6443 \(it has 80\)/);
            assert.deepEqual(listenerAclRequest(binding, "TCP", true), {
                action: "SetLoadBalancerTCPListenerAttribute",
                query: { RegionId: "cn-hangzhou", LoadBalancerId: "lb-api", ListenerPort: "6443", AclStatus: "on", AclType: "white", AclId: "acl-1" },
            });
            assert.deepEqual(listenerAclRequest(binding, "HTTPS", false), {
                action: "SetLoadBalancerHTTPSListenerAttribute",
                query: { RegionId: "cn-hangzhou", LoadBalancerId: "lb-api", ListenerPort: "6443", AclStatus: "off" },
            });
            assert.throws(() => listenerAclRequest(binding, "QUIC", true), /speaks QUIC, which takes no access list/);
        });

        describe("provider lifecycle against the real CLB client", () => {
            const saved = { ...process.env };
            beforeEach(() => {
                process.env.ALICLOUD_ACCESS_KEY = "test-key-id";
                process.env.ALICLOUD_SECRET_KEY = "test-key-secret";
                delete process.env.ALIBABA_CLOUD_ACCESS_KEY_ID;
            });
            afterEach(() => {
                process.env = { ...saved };
            });

            it("switches the whitelist on at create and update, off at delete", async () => {
                const api = clbApi((action) => (action === "DescribeLoadBalancerAttribute" ? describe6443("tcp") : { RequestId: "r" }));
                try {
                    const created = await listenerAclProvider.create!(binding);
                    assert.equal(created.id, "lb-api:6443");
                    assert.deepEqual(created.outs, binding);
                    await listenerAclProvider.update!("lb-api:6443", binding, { ...binding, aclId: "acl-2" });
                    await listenerAclProvider.delete!("lb-api:6443", { ...binding, aclId: "acl-2" });
                } finally {
                    api.restore();
                }
                assert.deepEqual(
                    api.calls.map((c) => [c.action, c.query.AclStatus, c.query.AclId]),
                    [
                        ["DescribeLoadBalancerAttribute", undefined, undefined],
                        ["SetLoadBalancerTCPListenerAttribute", "on", "acl-1"],
                        ["DescribeLoadBalancerAttribute", undefined, undefined],
                        ["SetLoadBalancerTCPListenerAttribute", "on", "acl-2"],
                        ["DescribeLoadBalancerAttribute", undefined, undefined],
                        ["SetLoadBalancerTCPListenerAttribute", "off", undefined],
                    ],
                );
                for (const call of api.calls) {
                    assert.deepEqual([call.endpoint, call.accessKeyId, call.version, call.style], ["slb.aliyuncs.com", "test-key-id", "2014-05-15", "RPC"]);
                    assert.equal(call.query.RegionId, "cn-hangzhou");
                    assert.equal(call.query.LoadBalancerId, "lb-api");
                }
            });

            it("survives serialization: the provider code the engine receives runs on its own", async () => {
                const cloud = MockCloud.install();
                await urnOf(new ListenerAclBinding("api", binding));
                await cloud.settle();
                const code = String(cloud.find("pulumi-nodejs:dynamic:Resource", "api").inputs.__provider);
                assert.doesNotMatch(code, /\/work\/|\/home\/|\/tmp\//, "no machine paths in the serialized provider");
                // What the engine's dynamic provider host does: evaluate the module text, take its handler.
                const module = { exports: {} as { handler?: () => typeof listenerAclProvider } };
                new Function("exports", "require", "module", code)(module.exports, require, module);
                const provider = module.exports.handler!();
                const api = clbApi((action) => (action === "DescribeLoadBalancerAttribute" ? describe6443("TCP") : {}));
                try {
                    assert.equal((await provider.create!(binding)).id, "lb-api:6443");
                } finally {
                    api.restore();
                }
                assert.deepEqual(api.calls.map((c) => c.action), ["DescribeLoadBalancerAttribute", "SetLoadBalancerTCPListenerAttribute"]);
            });

            it("treats a load balancer already gone as nothing to turn off, and fails on anything else", async () => {
                const gone = clbApi(() => {
                    throw Object.assign(new Error("The specified LoadBalancerId does not exist"), { code: "InvalidLoadBalancerId.NotFound" });
                });
                try {
                    await listenerAclProvider.delete!("lb-api:6443", binding);
                } finally {
                    gone.restore();
                }
                const denied = clbApi(() => {
                    throw Object.assign(new Error("Forbidden.RAM"), { code: "Forbidden.RAM" });
                });
                try {
                    await assert.rejects(listenerAclProvider.delete!("lb-api:6443", binding), /Forbidden.RAM/);
                    await assert.rejects(listenerAclProvider.create!(binding), /Forbidden.RAM/);
                } finally {
                    denied.restore();
                }
            });
        });

        it("replaces the binding for another listener, updates it for another list, and leaves it alone otherwise", async () => {
            const diff = listenerAclProvider.diff!;
            assert.deepEqual(await diff("id", binding, binding), { changes: false, replaces: [], deleteBeforeReplace: true });
            assert.deepEqual(await diff("id", binding, { ...binding, aclId: "acl-2" }), { changes: true, replaces: [], deleteBeforeReplace: true });
            assert.deepEqual(await diff("id", binding, { ...binding, loadBalancerId: "lb-2" }), { changes: true, replaces: ["loadBalancerId"], deleteBeforeReplace: true });
        });
    });
});
