import * as assert from "node:assert/strict";
import { ClusterConfig, MeshConfig } from "../../lib";
import { countByType, formulaMismatches } from "../bench/formulas";
import { listenerOf } from "../harness/clbStandIn";
import { exampleStacks, runExample } from "../harness/examples";
import { Registration } from "../harness/mocks";
import { looksSensitive, plainStrings, reveal } from "../harness/secrets";

type Stack = ReturnType<typeof exampleStacks>[number];
const meshOf = (s: Stack) => s.config[`${s.project}:mesh`] as MeshConfig;
const withMesh = (s: Stack, mesh: MeshConfig): Stack => ({ ...s, config: { ...s.config, [`${s.project}:mesh`]: mesh } });

/** A cluster to add to each example stack, in the style of that stack. */
const addedCluster: Record<string, ClusterConfig> = {
    "alicloud-multi-primary/dev": {
        name: "cluster3",
        role: "primary",
        network: "network3",
        region: "cn-beijing",
        ack: { vpcCidr: "10.30.0.0/16", serviceCidr: "192.168.32.0/20", kubernetesVersion: "1.33.1-aliyun.1", zones: ["cn-beijing-h", "cn-beijing-i"] },
    },
    "alicloud-primary-remote/flat": {
        name: "data-plane-2",
        role: "remote",
        controlPlane: "control-plane",
        network: "network1",
        region: "cn-shanghai",
        ack: { vpcCidr: "10.30.0.0/16", serviceCidr: "192.168.32.0/20", kubernetesVersion: "1.33.1-aliyun.1", zones: ["cn-shanghai-e", "cn-shanghai-f"] },
    },
    "alicloud-primary-remote/gateways": {
        name: "data-plane-2",
        role: "remote",
        controlPlane: "control-plane",
        network: "network3",
        region: "cn-shanghai",
        ack: { vpcCidr: "10.30.0.0/16", serviceCidr: "192.168.32.0/20", kubernetesVersion: "1.33.1-aliyun.1", zones: ["cn-shanghai-e", "cn-shanghai-f"] },
    },
    "existing-clusters/onprem": {
        name: "cluster3",
        role: "primary",
        network: "network3",
        region: "dc-north",
        kubeconfig: "set-with-pulumi-config-secret",
        apiServer: "https://172.18.10.10:6443",
        podCidr: "10.244.0.0/16",
        serviceCidr: "10.96.0.0/12",
        eastWestGateway: { externalIPs: ["172.18.10.21"] },
    },
};

/** Resources whose inputs may change when a cluster joins: they list every cluster by design. */
const growsWithTheMesh = new Set(["alicloud:ecs/ecsPrefixList:EcsPrefixList"]);

const stacks = exampleStacks().filter((s) => s.example !== "mesh-root-ca");
const key = (s: Stack) => `${s.example}/${s.stack}`;
const snapshot = (registrations: Registration[]) =>
    new Map(registrations.map((r) => [r.urn!, { type: r.type, inputs: JSON.stringify(r.inputs) }]));

describe("reliability across every example stack", () => {
    it("has a cluster to add for every example stack", () => {
        assert.deepEqual(stacks.map(key).sort(), Object.keys(addedCluster).sort());
    });

    for (const s of stacks) {
        describe(key(s), () => {
            let first: Awaited<ReturnType<typeof runExample>>;
            before(async () => {
                first = await runExample(s);
            });

            it("registers, type by type, what the growth formulas count for its shape", () => {
                assert.deepEqual(formulaMismatches(meshOf(s), countByType(first.cloud.registrations)), []);
            });

            it("keeps every private key, token, password and kubeconfig inside Pulumi secrets, in inputs and outputs", () => {
                for (const r of first.cloud.registrations) {
                    for (const leaf of [...plainStrings(r.inputs, "inputs"), ...plainStrings(r.state ?? {}, "state")]) {
                        assert.ok(!looksSensitive(leaf.value), `${r.type} ${r.name} ${leaf.path}`);
                        assert.ok(!/password/i.test(leaf.path) || leaf.value === "", `${r.name} ${leaf.path} is a password in the clear`);
                    }
                    for (const field of ["kubeconfig", "privateKeyPem", "caPrivateKeyPem", "token"]) {
                        assert.ok(!plainStrings(r.inputs).some((l) => l.path.endsWith(field) && l.value !== ""), `${r.name}: ${field} in the clear`);
                    }
                }
            });

            it("evaluates to identical registrations every time", async () => {
                const again = await runExample(s);
                const strip = (rs: Registration[]) =>
                    rs.map(({ startedAt: _s, finishedAt: _f, index: _i, ...rest }) => rest).sort((a, b) => String(a.urn).localeCompare(String(b.urn)));
                assert.deepEqual(strip(again.cloud.registrations), strip(first.cloud.registrations));
            });

            it("opens no rule to 0.0.0.0/0 or to a port outside the mesh's set, and no internet gateway unless asked", () => {
                for (const ack of first.cloud.ofType("alicloud:cs/managedKubernetes:ManagedKubernetes")) {
                    const acl = first.cloud.find("alicloud:slb/acl:Acl", ack.name.replace(/-cluster$/, "-api-acl"));
                    const listener = listenerOf(String(ack.state!.slbId), 6443);
                    assert.deepEqual([listener?.aclStatus, listener?.aclType, listener?.aclId], ["on", "white", acl.id], `${ack.name}: its API server's listener admits only its whitelist`);
                }
                for (const entry of first.cloud.ofType("alicloud:slb/aclEntryAttachment:AclEntryAttachment")) {
                    assert.ok(!String(entry.inputs.entry).endsWith("/0"), `${entry.name} admits ${entry.inputs.entry} to an API server`);
                }
                const lists = new Map(first.cloud.ofType("alicloud:ecs/ecsPrefixList:EcsPrefixList").map((l) => [l.id, l]));
                for (const rule of first.cloud.ofType("alicloud:ecs/securityGroupRule:SecurityGroupRule")) {
                    assert.equal(rule.inputs.cidrIp, undefined, `${rule.name} names no open range`);
                    const list = lists.get(String(rule.inputs.prefixListId));
                    assert.ok(list, `${rule.name} admits only a prefix list of the mesh`);
                    for (const entry of reveal(list.inputs.entries) as { cidr: string }[]) {
                        assert.ok(!entry.cidr.endsWith("/0"), `${list.name} holds ${entry.cidr}`);
                    }
                    const port = String(rule.inputs.portRange);
                    assert.ok(
                        ["15443/15443", "15012/15012", "15017/15017", "31443/31443", "31012/31012", "31017/31017"].includes(port) || (port === "1/65535" && list.name.includes("pods")),
                        `${rule.name} opens ${port}`,
                    );
                }
                const askedInternet = meshOf(s).clusters.some((c) => c.eastWestGateway?.addressType === "internet") || (meshOf(s).networkLink?.mode ?? "none") === "none";
                for (const gateway of first.cloud.registrations.filter((r) => r.name.endsWith("-eastwest-release") || r.name.endsWith("-eastwest-service"))) {
                    const text = JSON.stringify(reveal(gateway.inputs));
                    assert.ok(askedInternet || !text.includes('"internet"'), `${gateway.name} is internet-facing without being asked`);
                }
            });

            it("adding a cluster changes no existing resource but the prefix lists, and removing it restores the original", async () => {
                const mesh = meshOf(s);
                const grown = await runExample(withMesh(s, { ...mesh, clusters: [...mesh.clusters, addedCluster[key(s)]] }));
                const before = snapshot(first.cloud.registrations);
                const after = snapshot(grown.cloud.registrations);
                for (const [urn, was] of before) {
                    assert.ok(after.has(urn), `${urn} is still there`);
                    if (!growsWithTheMesh.has(was.type)) {
                        assert.equal(after.get(urn)!.inputs, was.inputs, `${urn} is unchanged`);
                    }
                }
                const added = [...after.keys()].filter((urn) => !before.has(urn));
                assert.ok(added.length > 0);
                const { name: newName, region: newRegion } = addedCluster[key(s)];
                const mentionsNewCluster = (name: string) => name.includes(newName) || (newRegion !== undefined && name.includes(newRegion));
                for (const urn of added) {
                    const name = urn.split("::").pop()!;
                    // The new cluster's own resources, its region's, and what connects it: remote secrets,
                    // routes from existing VPCs to it, its route-table bindings, its istiod's entries in
                    // the other clusters' API server access lists.
                    assert.ok(mentionsNewCluster(name) || /-watches-|-vpc-route-|-associate-|-propagate-|-api-acl-/.test(name), `${name} is an addition the new cluster needs`);
                }
                const shrunk = await runExample(s);
                assert.deepEqual(snapshot(shrunk.cloud.registrations), before);
            });
        });
    }
});
