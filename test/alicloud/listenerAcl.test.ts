import * as assert from "node:assert/strict";
import { ListenerAclBinding, assumedRole, bindingStateVersion, clbEndpoint, clbError, credentialConfig, listenerAclProvider, listenerAclRequest, listenerProtocol, whitelistInForce } from "../../lib/alicloud/listenerAcl";
import { loadDynamicProvider } from "../harness/alicloudProvider";
import { clbResponse, stsRequests } from "../harness/clbStandIn";
import { MockCloud, urnOf } from "../harness/mocks";
import { ackControlPlaneRange, apiServerAccessProblems, apiServerAllowList } from "../../lib/alicloud/apiServerAccess";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the HTTP layer under Alibaba Cloud's API client
const tea = require("@alicloud/tea-typescript") as { doAction: (request: any, runtime?: unknown) => Promise<unknown> };

const binding = { regionId: "cn-hangzhou", loadBalancerId: "lb-api", listenerPort: 6443, aclId: "acl-1" };

/**
 * Replaces only the HTTP exchange under the real CLB client (which builds, signs and parses): records
 * each request as it would go on the wire and answers as CLB would, an error as a 4xx with its code.
 */
function clbApi(answer: (action: string, query: Record<string, string>) => unknown, failNetwork = 0) {
    const calls: { action: string; query: Record<string, string>; host: string; method: string; version: string; authorization: string; securityToken?: string; protocol: string; pathname: string }[] = [];
    const original = tea.doAction;
    tea.doAction = async (request: any) => {
        const action = request.headers["x-acs-action"];
        const call = {
            action,
            query: request.query,
            host: request.headers.host,
            method: request.method,
            version: request.headers["x-acs-version"],
            authorization: request.headers.Authorization,
            securityToken: request.headers["x-acs-security-token"],
            protocol: request.protocol,
            pathname: request.pathname,
        };
        calls.push(call);
        const networkFailure = failNetwork > 0;
        failNetwork = Math.max(0, failNetwork - 1);
        if (networkFailure) {
            // What the client's HTTP layer raises for a dropped connection it may retry.
            throw Object.assign(new Error("socket hang up"), { name: "RetryError" });
        }
        return clbResponse(() => answer(action, request.query));
    };
    return { calls, restore: () => (tea.doAction = original) };
}

const describe6443 = (protocol: string) => ({ LoadBalancerId: "lb-api", ListenerPortsAndProtocol: { ListenerPortAndProtocol: [{ ListenerPort: 6443, ListenerProtocol: protocol }] } });

describe("API server access list", () => {
    it("admits ACK's control plane and the cluster's own ranges first, then clients and peers, each range once", () => {
        assert.deepEqual(
            apiServerAllowList(
                { clusterName: "c1", vpcCidrs: ["10.10.0.0/16", "10.11.0.0/16"], podCidr: "172.20.0.0/16" },
                { clientRanges: ["203.0.113.0/24"], peers: [{ name: "c2", ranges: ["10.20.0.0/16", "203.0.113.0/24"] }] },
            ),
            [
                { entry: ackControlPlaneRange, comment: "ACK control plane" },
                { entry: "10.10.0.0/16", comment: "c1 VPC" },
                { entry: "10.11.0.0/16", comment: "c1 VPC" },
                { entry: "172.20.0.0/16", comment: "c1 pods" },
                { entry: "203.0.113.0/24", comment: "clients" },
                { entry: "10.20.0.0/16", comment: "istiod in c2" },
            ],
        );
    });

    it("counts every entry, the cluster's own, clients' and peers', against the access list's 300", () => {
        const range = (i: number) => `10.${Math.floor(i / 256)}.${i % 256}.0/24`;
        const peers = [0, 1].map((p) => ({ name: `p${p}`, ranges: Array.from({ length: 24 }, (_, i) => range(1000 + p * 100 + i)) }));
        const clients = (n: number) => Array.from({ length: n }, (_, i) => range(i));
        assert.deepEqual(apiServerAccessProblems({ clientRanges: clients(250), peers }, true, 2), [], "2 + 250 + 48 = 300 entries fit");
        assert.deepEqual(apiServerAccessProblems({ clientRanges: clients(251), peers }, true, 2), [
            { propertyPath: "apiServerAccess", reason: "the API server's access list would hold up to 301 entries; a CLB access list holds 300: summarize ranges" },
        ]);
    });

    it("admits only the control plane and the cluster itself when no one else is named", () => {
        assert.deepEqual(apiServerAllowList({ clusterName: "c1", vpcCidrs: ["10.10.0.0/16"] }), [
            { entry: ackControlPlaneRange, comment: "ACK control plane" },
            { entry: "10.10.0.0/16", comment: "c1 VPC" },
        ]);
        assert.deepEqual(apiServerAllowList({ clusterName: "c1", vpcCidrs: ["10.10.0.0/16"] }, { peers: [{ name: "c2", ranges: ["10.20.0.0/16"] }] }).map((e) => e.entry), [
            ackControlPlaneRange,
            "10.10.0.0/16",
            "10.20.0.0/16",
        ]);
    });

    describe("binding to a listener it does not own", () => {
        it("calls the region's CLB endpoint", () => {
            // Alibaba Cloud's endpoint table: these regions are served by the central host.
            for (const region of ["cn-qingdao", "cn-beijing", "cn-hangzhou", "cn-shanghai", "cn-shenzhen", "cn-hongkong", "ap-southeast-1", "us-west-1", "us-east-1"]) {
                assert.equal(clbEndpoint(region), "slb.aliyuncs.com", region);
            }
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
            assert.throws(() => listenerProtocol({}, 6443, "lb-api"), /lb-api has no listener on port 6443 \(it has none\)/);
            const two = { ListenerPortsAndProtocol: { ListenerPortAndProtocol: [{ ListenerPort: 80, ListenerProtocol: "http" }, { ListenerPort: 443, ListenerProtocol: "https" }] } };
            assert.throws(() => listenerProtocol(two, 6443, "lb-api"), /\(it has 80, 443\)/);
            assert.deepEqual(listenerAclRequest(binding, "TCP"), {
                action: "SetLoadBalancerTCPListenerAttribute",
                query: { RegionId: "cn-hangzhou", LoadBalancerId: "lb-api", ListenerPort: "6443", AclStatus: "on", AclType: "white", AclId: "acl-1" },
            });
            assert.throws(() => listenerAclRequest(binding, "QUIC"), /speaks QUIC, which takes no access list/);
            for (const protocol of ["TCP", "UDP", "HTTP", "HTTPS"]) {
                assert.equal(listenerAclRequest(binding, protocol).action, `SetLoadBalancer${protocol}ListenerAttribute`, `${protocol} takes an access list`);
            }
            assert.throws(() => listenerProtocol(undefined, 6443, "lb-api"), /lb-api has no listener on port 6443 \(it has none\)/, "an empty response body");
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

            it("switches the whitelist on at create and update, and leaves it on at delete", async () => {
                const api = clbApi((action) => (action === "DescribeLoadBalancerAttribute" ? describe6443("tcp") : { RequestId: "r" }));
                try {
                    const created = await listenerAclProvider.create!(binding);
                    assert.equal(created.id, "lb-api:6443");
                    assert.deepEqual(created.outs, { ...binding, stateVersion: bindingStateVersion });
                    const updated = await listenerAclProvider.update!("lb-api:6443", created.outs, { ...binding, aclId: "acl-2" });
                    assert.deepEqual(updated.outs, { ...binding, aclId: "acl-2", stateVersion: bindingStateVersion });
                    await listenerAclProvider.delete!("lb-api:6443", updated.outs);
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
                    ],
                    "delete calls nothing: the listener keeps its whitelist until it goes with the cluster",
                );
                for (const call of api.calls) {
                    assert.deepEqual([call.protocol, call.host, call.pathname, call.method, call.version], ["HTTPS", "slb.aliyuncs.com", "/", "POST", "2014-05-15"]);
                    assert.match(call.authorization, /^ACS3-HMAC-SHA256 Credential=test-key-id,/, "signed with the environment's key");
                    assert.equal(call.query.RegionId, "cn-hangzhou");
                    assert.equal(call.query.LoadBalancerId, "lb-api");
                }
            });

            it("reads the whitelist in force, so a refresh shows it switched off or replaced", async () => {
                const listener = { AclStatus: "on", AclType: "white", AclId: "acl-1" };
                const api = clbApi((action) => (action === "DescribeLoadBalancerAttribute" ? describe6443("tcp") : { ListenerPort: 6443, ...listener, RequestId: "r" }));
                const state = { ...binding, stateVersion: bindingStateVersion };
                try {
                    assert.deepEqual(await listenerAclProvider.read!("lb-api:6443", state), { id: "lb-api:6443", props: state });
                    Object.assign(listener, { AclStatus: "off" });
                    assert.deepEqual(await listenerAclProvider.read!("lb-api:6443", state), { id: "lb-api:6443", props: { ...state, aclId: "" } }, "switched off in the console");
                    Object.assign(listener, { AclStatus: "on", AclId: "acl-console" });
                    assert.deepEqual(await listenerAclProvider.read!("lb-api:6443", state), { id: "lb-api:6443", props: { ...state, aclId: "acl-console" } }, "another list");
                    Object.assign(listener, { AclType: "black", AclId: "acl-1" });
                    assert.deepEqual(await listenerAclProvider.read!("lb-api:6443", state), { id: "lb-api:6443", props: { ...state, aclId: "" } }, "a blacklist admits everyone else");
                } finally {
                    api.restore();
                }
                assert.deepEqual(
                    api.calls.slice(0, 2).map((c) => [c.action, c.query]),
                    [
                        ["DescribeLoadBalancerAttribute", { RegionId: "cn-hangzhou", LoadBalancerId: "lb-api" }],
                        ["DescribeLoadBalancerTCPListenerAttribute", { RegionId: "cn-hangzhou", LoadBalancerId: "lb-api", ListenerPort: "6443" }],
                    ],
                );
                const drifted = await listenerAclProvider.diff!("lb-api:6443", { ...state, aclId: "" }, binding);
                assert.deepEqual(drifted, { changes: true, replaces: [], deleteBeforeReplace: true }, "the next up switches it back on");
            });

            it("reads a whitelist on any protocol's listener, and nothing from a listener without one", () => {
                assert.equal(whitelistInForce({ AclStatus: "on", AclType: "white", AclId: "acl-1" }), "acl-1");
                assert.equal(whitelistInForce({ AclStatus: "on", AclType: "white" }), "");
                assert.equal(whitelistInForce({ AclStatus: "off", AclType: "white", AclId: "acl-1" }), "");
                assert.equal(whitelistInForce({}), "");
                assert.equal(whitelistInForce(undefined), "");
            });

            it("answers each CLB error as it should: gone is gone, busy is retried, anything else fails with its code", async () => {
                const failing = (code: string, times = Infinity) => {
                    let left = times;
                    return clbApi((action) => {
                        if (left-- > 0) {
                            throw Object.assign(new Error(`${code} from CLB`), { code });
                        }
                        return action === "DescribeLoadBalancerAttribute" ? describe6443("tcp") : { ListenerPort: 6443, AclStatus: "on", AclType: "white", AclId: "acl-1" };
                    });
                };
                const state = { ...binding, stateVersion: bindingStateVersion };
                const outcomes: Record<string, unknown> = {};
                for (const [code, times] of [
                    ["InvalidLoadBalancerId.NotFound", Infinity],
                    ["Forbidden.RAM", Infinity],
                    ["InvalidParameter", Infinity],
                    ["ServiceIsConfiguring", 1],
                    ["Throttling.User", 2],
                    ["SystemBusy", Infinity],
                ] as const) {
                    const api = failing(code, times);
                    const outcome: Record<string, unknown> = {};
                    try {
                        outcome.create = await listenerAclProvider.create!(binding).then(
                            () => "created",
                            (e: { code: string }) => e.code,
                        );
                        outcome.read = await listenerAclProvider.read!("lb-api:6443", state).then(
                            (r) => (r.id ? "read" : "gone"),
                            (e: { code: string }) => e.code,
                        );
                        outcome.calls = api.calls.length;
                    } finally {
                        api.restore();
                    }
                    outcomes[code] = outcome;
                }
                assert.deepEqual(outcomes, {
                    "InvalidLoadBalancerId.NotFound": { create: "InvalidLoadBalancerId.NotFound", read: "gone", calls: 2 },
                    "Forbidden.RAM": { create: "Forbidden.RAM", read: "Forbidden.RAM", calls: 2 },
                    InvalidParameter: { create: "InvalidParameter", read: "InvalidParameter", calls: 2 },
                    // Busy once: retried, then create's two calls and read's two.
                    ServiceIsConfiguring: { create: "created", read: "read", calls: 5 },
                    "Throttling.User": { create: "created", read: "read", calls: 6 },
                    // Four attempts, then the error.
                    SystemBusy: { create: "SystemBusy", read: "SystemBusy", calls: 8 },
                });
            });

            it("retries every code CLB answers while a load balancer is busy or calls come too fast", async () => {
                const busy = ["SystemBusy", "OperationBusy", "ServiceIsConfiguring", "ServiceIsStopping", "BackendServer.configuring", "Throttling", "Throttling.User", "Throttling.Api", "ServiceUnavailable"];
                const outcomes: Record<string, string> = {};
                for (const code of busy) {
                    let failed = false;
                    const api = clbApi((action) => {
                        if (!failed) {
                            failed = true;
                            throw Object.assign(new Error(`${code} from CLB`), { code });
                        }
                        return action === "DescribeLoadBalancerAttribute" ? describe6443("tcp") : {};
                    });
                    try {
                        outcomes[code] = await listenerAclProvider.create!(binding).then(
                            () => "created",
                            (e: { code: string }) => e.code,
                        );
                    } finally {
                        api.restore();
                    }
                }
                assert.deepEqual(outcomes, Object.fromEntries(busy.map((code) => [code, "created"])));
            });

            it("says which call failed on which load balancer, with Alibaba's code, message and request ID, and what a denial needs", async () => {
                const denied = clbApi(() => {
                    throw Object.assign(new Error("You are not authorized to do this action."), { code: "Forbidden.RAM" });
                });
                try {
                    await assert.rejects(
                        listenerAclProvider.create!(binding),
                        (e: Error) =>
                            e.message ===
                            "CLB DescribeLoadBalancerAttribute on lb-api failed with Forbidden.RAM: You are not authorized to do this action.; the deploying identity needs slb:DescribeLoadBalancerAttribute, slb:DescribeLoadBalancer*ListenerAttribute and slb:SetLoadBalancer*ListenerAttribute (request stand-in)",
                    );
                } finally {
                    denied.restore();
                }
                const invalid = clbApi(() => {
                    throw Object.assign(new Error("The parameter ListenerPort is invalid."), { code: "InvalidParameter" });
                });
                try {
                    await assert.rejects(listenerAclProvider.create!(binding), (e: Error) => e.message === "CLB DescribeLoadBalancerAttribute on lb-api failed with InvalidParameter: The parameter ListenerPort is invalid. (request stand-in)");
                } finally {
                    invalid.restore();
                }
            });

            it("refuses, before calling CLB, a cluster that reported no API server load balancer", async () => {
                const api = clbApi(() => ({}));
                try {
                    await assert.rejects(listenerAclProvider.create!({ ...binding, loadBalancerId: "" }), /the cluster reported no API server load balancer ID, so the whitelist on port 6443 cannot be set/);
                    await assert.rejects(listenerAclProvider.update!("lb-api:6443", binding, { ...binding, loadBalancerId: "" }), /no API server load balancer ID/);
                } finally {
                    api.restore();
                }
                assert.equal(api.calls.length, 0);
            });

            it("assumes the RAM role given, or the provider's from the environment, and signs its calls with the role's session", async () => {
                const sts = stsRequests();
                const api = clbApi((action) => (action === "DescribeLoadBalancerAttribute" ? describe6443("tcp") : {}));
                try {
                    await listenerAclProvider.create!({ ...binding, assumeRole: { roleArn: "acs:ram::1:role/deployer", externalId: "ext-1", sessionExpiration: 900 } });
                    process.env.ALICLOUD_ASSUME_ROLE_ARN = "acs:ram::1:role/from-env";
                    process.env.ALICLOUD_ASSUME_ROLE_SESSION_NAME = "ci";
                    await listenerAclProvider.create!(binding);
                } finally {
                    api.restore();
                    sts.restore();
                }
                assert.deepEqual(
                    sts.calls.map((c) => [c.host, c.query.Action, c.query.AccessKeyId, c.form.RoleArn, c.form.RoleSessionName, c.form.DurationSeconds, c.form.ExternalId]),
                    [
                        ["sts.aliyuncs.com", "AssumeRole", "test-key-id", "acs:ram::1:role/deployer", "istio-multicluster", "900", "ext-1"],
                        ["sts.aliyuncs.com", "AssumeRole", "test-key-id", "acs:ram::1:role/from-env", "ci", "3600", undefined],
                    ],
                );
                assert.equal(api.calls.length, 4);
                for (const call of api.calls) {
                    assert.match(call.authorization, /^ACS3-HMAC-SHA256 Credential=STS\.session-key,/, "signed with the assumed role's key");
                    assert.equal(call.securityToken, "session-token");
                }
            });

            it("takes the assumed role from its own argument before the environment, with the provider's defaults", () => {
                const env = { ALICLOUD_ASSUME_ROLE_ARN: "acs:ram::1:role/env", ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION: "1200" };
                assert.deepEqual(assumedRole(env, undefined), { roleArn: "acs:ram::1:role/env", sessionName: "istio-multicluster", sessionExpiration: 1200 });
                assert.deepEqual(assumedRole(env, { roleArn: "acs:ram::1:role/arg", sessionName: "s" }), { roleArn: "acs:ram::1:role/arg", sessionName: "s", sessionExpiration: 3600 });
                assert.equal(assumedRole({}, undefined), undefined);
            });

            it("retries a call that never reached CLB, as the client does", async () => {
                const api = clbApi((action) => (action === "DescribeLoadBalancerAttribute" ? describe6443("tcp") : { RequestId: "r" }), 2);
                try {
                    await listenerAclProvider.create!(binding);
                } finally {
                    api.restore();
                }
                assert.deepEqual(api.calls.map((c) => c.action), ["DescribeLoadBalancerAttribute", "DescribeLoadBalancerAttribute", "DescribeLoadBalancerAttribute", "SetLoadBalancerTCPListenerAttribute"]);
            });

            it("says which call got no answer, on which load balancer, when the client's retries run out", async () => {
                const api = clbApi(() => ({}), Infinity);
                try {
                    await assert.rejects(listenerAclProvider.create!(binding), (e: Error) => e.message === "CLB DescribeLoadBalancerAttribute on lb-api failed: no answer after the client's retries (UnretryableError)");
                } finally {
                    api.restore();
                }
                assert.equal(api.calls.length, 4, "the first attempt and the client's three retries");
                assert.equal(clbError(new Error("socket hang up"), "DescribeLoadBalancerAttribute", "lb-api").message, "CLB DescribeLoadBalancerAttribute on lb-api failed: socket hang up");
                const withoutRequestId = clbError(Object.assign(new Error("raw"), { code: "InvalidParameter", data: { Message: "The specified port is invalid." } }), "SetLoadBalancerTCPListenerAttribute", "lb-api");
                assert.equal(withoutRequestId.message, "CLB SetLoadBalancerTCPListenerAttribute on lb-api failed with InvalidParameter: The specified port is invalid.", "no request ID, no mention of one");
            });

            it("waits 0.3, 0.6 and 1.2 s between its four attempts at a busy load balancer", async () => {
                const api = clbApi(() => {
                    throw Object.assign(new Error("busy"), { code: "SystemBusy" });
                });
                const waits: number[] = [];
                const realSetTimeout = global.setTimeout;
                // Backing off is waiting: record each wait and end it at once.
                global.setTimeout = ((callback: () => void, ms?: number) => {
                    waits.push(ms ?? 0);
                    return realSetTimeout(callback, 0);
                }) as typeof global.setTimeout;
                try {
                    await assert.rejects(listenerAclProvider.create!(binding), { code: "SystemBusy" });
                } finally {
                    global.setTimeout = realSetTimeout;
                    api.restore();
                }
                assert.deepEqual(waits.filter((ms) => ms >= 100), [300, 600, 1200]);
            });

            it("survives serialization: the provider code the engine receives runs on its own", async () => {
                // The engine's answer stands in for the provider host; this test runs the code itself below.
                const cloud = MockCloud.install({ resources: { "pulumi-nodejs:dynamic:Resource": (r) => ({ id: "lb-api:6443", state: r.inputs }) } });
                await urnOf(new ListenerAclBinding("api", binding));
                await cloud.settle();
                const code = String(cloud.find("pulumi-nodejs:dynamic:Resource", "api").inputs.__provider);
                assert.doesNotMatch(code, /\/work\/|\/home\/|\/tmp\//, "no machine paths in the serialized provider");
                const provider = loadDynamicProvider(code);
                const api = clbApi((action) => (action === "DescribeLoadBalancerAttribute" ? describe6443("TCP") : {}));
                try {
                    assert.equal((await provider.create!(binding)).id, "lb-api:6443");
                } finally {
                    api.restore();
                }
                assert.deepEqual(api.calls.map((c) => c.action), ["DescribeLoadBalancerAttribute", "SetLoadBalancerTCPListenerAttribute"]);
            });

            it("takes a listener gone from its load balancer as a binding gone, on refresh", async () => {
                const listenerGone = clbApi((action) => {
                    if (action === "DescribeLoadBalancerAttribute") {
                        return { ListenerPortsAndProtocol: { ListenerPortAndProtocol: [{ ListenerPort: 80, ListenerProtocol: "http" }] } };
                    }
                    throw new Error(`unexpected ${action}`);
                });
                try {
                    assert.deepEqual(await listenerAclProvider.read!("lb-api:6443", { ...binding, stateVersion: bindingStateVersion }), {});
                    await assert.rejects(listenerAclProvider.create!(binding), /lb-api has no listener on port 6443 \(it has 80\)/);
                } finally {
                    listenerGone.restore();
                }
            });
        });

        it("replaces the binding for another listener, updates it for another list, role or endpoint, and leaves it alone otherwise", async () => {
            const diff = listenerAclProvider.diff!;
            const state = { ...binding, stateVersion: bindingStateVersion };
            assert.deepEqual(await diff("id", state, binding), { changes: false, replaces: [], deleteBeforeReplace: true });
            assert.deepEqual(await diff("id", state, { ...binding, aclId: "acl-2" }), { changes: true, replaces: [], deleteBeforeReplace: true });
            assert.deepEqual(await diff("id", state, { ...binding, loadBalancerId: "lb-2" }), { changes: true, replaces: ["loadBalancerId"], deleteBeforeReplace: true });
            assert.deepEqual(await diff("id", state, { ...binding, endpoint: "slb-vpc.cn-hangzhou.aliyuncs.com" }), { changes: true, replaces: [], deleteBeforeReplace: true }, "another API endpoint");
            assert.deepEqual(await diff("id", state, { ...binding, assumeRole: { roleArn: "acs:ram::1:role/r" } }), { changes: true, replaces: [], deleteBeforeReplace: true }, "another role");
            assert.deepEqual(await diff("id", binding as typeof state, binding), { changes: true, replaces: [], deleteBeforeReplace: true }, "state from before stateVersion is rewritten in place");
        });
    });
});
