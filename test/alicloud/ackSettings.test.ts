import * as assert from "node:assert/strict";
import { ackClusterSettingArgs, ackSettingsProblems, placementArgs, placementProblems } from "../../lib/alicloud/ackSettings";

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
        assert.deepEqual(placementArgs({ resourceGroupId: "rg-1", tags: { a: "b" } }, true), { resourceGroupId: "rg-1", tags: { a: "b" } });
        assert.deepEqual(placementArgs({ resourceGroupId: "rg-1", tags: { a: "b" } }, false), { tags: { a: "b" } });
        assert.deepEqual(placementArgs({ tags: {} }, true), {});
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
        assert.deepEqual(ackSettingsProblems({ controlPlaneLogs: { components: [] } }, "ack.pro.small").map((p) => p.propertyPath), ["controlPlaneLogs.components"]);
        assert.deepEqual(ackSettingsProblems({ controlPlaneLogs: { components: ["ccm"], retentionDays: 3650 }, secretsEncryptionKeyId: "key-1" }, "ack.pro.small"), []);
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
        assert.deepEqual(placementProblems({ tags: { team: "platform" }, resourceGroupId: "rg-acfmzawhxxcj3nq" }), []);
        assert.deepEqual(placementProblems(undefined), []);
    });
});
