import * as assert from "node:assert/strict";
import { ackClusterSettingArgs, ackSettingsProblems, placementArgs, placementProblems, tagArgs } from "../../lib/alicloud/ackSettings";

describe("ACK cluster settings", () => {
    it("turn into the cluster's arguments, each only when asked for", () => {
        assert.deepEqual(ackClusterSettingArgs({}), {});
        assert.deepEqual(
            ackClusterSettingArgs(
                {
                    deletionProtection: true,
                    rrsa: true,
                    secretsEncryptionKeyId: "key-hzz6f0x1",
                    controlPlaneLogs: { components: ["apiserver", "kcm"], project: "k8s-logs" },
                    auditLog: { project: "audit" },
                },
                { resourceGroupId: "rg-aek2", tags: { team: "platform" } },
            ),
            {
                deletionProtection: true,
                enableRrsa: true,
                encryptionProviderKey: "key-hzz6f0x1",
                disableEncryption: false,
                controlPlaneLogComponents: ["apiserver", "kcm"],
                controlPlaneLogTtl: "30",
                controlPlaneLogProject: "k8s-logs",
                auditLogConfig: { enabled: true, slsProjectName: "audit" },
                resourceGroupId: "rg-aek2",
                tags: { team: "platform" },
            },
        );
        assert.deepEqual(ackClusterSettingArgs({ controlPlaneLogs: { components: ["scheduler"], retentionDays: 7 }, auditLog: {} }), {
            controlPlaneLogComponents: ["scheduler"],
            controlPlaneLogTtl: "7",
            auditLogConfig: { enabled: true },
        });
        assert.deepEqual(ackClusterSettingArgs({ deletionProtection: false, rrsa: false }), {}, "false is the default: nothing to say");
    });

    it("place resources in the resource group where they take one, and tag them", () => {
        assert.deepEqual(placementArgs({ resourceGroupId: "rg-1", tags: { a: "b" } }), { resourceGroupId: "rg-1", tags: { a: "b" } });
        assert.deepEqual(placementArgs({ resourceGroupId: "rg-1" }), { resourceGroupId: "rg-1" });
        assert.deepEqual(tagArgs({ resourceGroupId: "rg-1", tags: { a: "b" } }), { tags: { a: "b" } });
        assert.deepEqual(placementArgs({ tags: {} }), {});
        assert.deepEqual(tagArgs({ tags: {} }), {});
    });

    it("refuse unknown log components, odd retention, and KMS encryption on a cluster that is not Pro", () => {
        assert.deepEqual(
            ackSettingsProblems({ controlPlaneLogs: { components: ["apiserver", "etcd" as never], retentionDays: 0 }, secretsEncryptionKeyId: "key-1" }, "ack.standard"),
            [
                { propertyPath: "controlPlaneLogs.components[1]", reason: `"etcd" is not a control-plane component; ACK ships logs of apiserver, kcm, scheduler, ccm, controlplane-events` },
                { propertyPath: "controlPlaneLogs.retentionDays", reason: "retentionDays must be a whole number of days from 1 to 3650, not 0" },
                { propertyPath: "secretsEncryptionKeyId", reason: "Secrets encryption with KMS needs an ACK Pro cluster (clusterSpec ack.pro.*), not ack.standard" },
            ],
        );
        assert.deepEqual(ackSettingsProblems({ controlPlaneLogs: { components: [] } }, "ack.pro.small"), [
            { propertyPath: "controlPlaneLogs.components", reason: "name the components to collect logs of: apiserver, kcm, scheduler, ccm, controlplane-events" },
        ]);
        assert.deepEqual(ackSettingsProblems({ controlPlaneLogs: { components: ["ccm"], retentionDays: 3650 }, secretsEncryptionKeyId: "key-1" }, "ack.pro.small"), []);
        assert.deepEqual(ackSettingsProblems({ controlPlaneLogs: { components: ["ccm"], retentionDays: 1 } }, "ack.pro.small"), [], "one day");
        assert.deepEqual(ackSettingsProblems({}, "ack.standard"), [], "a cluster that is not Pro, without KMS encryption");
        assert.deepEqual(ackSettingsProblems({ secretsEncryptionKeyId: "key-1" }, { unknown: "an Output" }), [], "an edition not known yet is not judged");
        assert.deepEqual(ackSettingsProblems({ controlPlaneLogs: { components: ["ccm"], retentionDays: 3651 } }, "ack.pro.small").map((p) => p.propertyPath), ["controlPlaneLogs.retentionDays"]);
    });

    it("refuse tags Alibaba Cloud would refuse, and a resource group that is not an ID", () => {
        assert.deepEqual(placementProblems({ tags: { team: "platform", "": "x", "aliyun:x": "y", cost: "https://billing" }, resourceGroupId: "platform" }), [
            { propertyPath: "tags.", reason: `tag key "" must be 1 to 128 characters, not start with "aliyun" or "acs:", and hold no "http://" or "https://"` },
            { propertyPath: "tags.aliyun:x", reason: `tag key "aliyun:x" must be 1 to 128 characters, not start with "aliyun" or "acs:", and hold no "http://" or "https://"` },
            { propertyPath: "tags.cost", reason: `tag value "https://billing" must be a string of at most 128 characters, not start with "aliyun" or "acs:", and hold no "http://" or "https://"` },
            { propertyPath: "resourceGroupId", reason: `"platform" is not a resource group ID such as rg-acfmzawhxxc****` },
        ]);
        const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, "v"]));
        assert.deepEqual(placementProblems({ tags: many }), [{ propertyPath: "tags", reason: "a resource takes at most 20 tags, not 21" }]);
        delete many.k20;
        assert.deepEqual(placementProblems({ tags: many }), [], "20 tags");
        assert.deepEqual(placementProblems({ tags: { team: "platform" }, resourceGroupId: "rg-acfmzawhxxcj3nq" }), []);
        const longest = { ["k".repeat(128)]: "v".repeat(128), "team-aliyun": "uses-acs:x", "": "" };
        assert.deepEqual(placementProblems({ tags: longest }).map((p) => p.propertyPath), ["tags."], "128 characters, and aliyun or acs: anywhere but first");
        for (const [key, value, which] of [
            ["k".repeat(129), "v", "key"],
            ["k", "v".repeat(129), "value"],
            ["http://a", "v", "key"],
            ["k", "http://b", "value"],
            ["ALIYUN-x", "v", "key"],
            ["k", "acs:foo", "value"],
            ["k", "Aliyun", "value"],
            ["k", 1 as unknown as string, "value"],
        ]) {
            assert.deepEqual(
                placementProblems({ tags: { [key]: value } }).map((p) => p.reason.split(" ")[1]),
                [which],
                `${key}: ${value}`,
            );
        }
        assert.deepEqual(placementProblems(undefined), []);
        for (const resourceGroupId of ["my-rg-1", "rg-abc!", "rg-"]) {
            assert.deepEqual(placementProblems({ resourceGroupId }).map((p) => p.propertyPath), ["resourceGroupId"], resourceGroupId);
        }
    });
});
