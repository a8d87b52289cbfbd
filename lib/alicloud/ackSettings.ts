import { Problem } from "../model/problems";

/** Control-plane components whose logs ACK can ship to Simple Log Service. */
export type ControlPlaneLogComponent = "apiserver" | "kcm" | "scheduler" | "ccm" | "controlplane-events";

/** Control-plane logs shipped to Simple Log Service (SLS). */
export interface ControlPlaneLogsSettings {
    /** The components whose logs are collected. */
    components: ControlPlaneLogComponent[];
    /** The SLS project. Default: one ACK creates, `k8s-log-<cluster ID>`. */
    project?: string;
    /**
     * Days the logs are kept.
     * @asType integer
     * @minimum 1
     * @maximum 3650
     * @default 30
     */
    retentionDays?: number;
}

/** The Kubernetes API server's audit log, shipped to Simple Log Service. */
export interface AuditLogSettings {
    /** The SLS project. Default: one ACK creates for the cluster. */
    project?: string;
}

/** What platform teams usually require of an ACK cluster; each is off unless set. */
export interface AckClusterSettings {
    /**
     * Refuse to delete the cluster (in the console, the API and `pulumi destroy`). To delete it: set this to
     * false, run `pulumi up`, then `pulumi destroy`.
     * @default false
     */
    deletionProtection?: boolean;
    /**
     * RAM Roles for Service Accounts: pods assume RAM roles through OIDC. Once on, ACK cannot turn it off.
     * @default false
     */
    rrsa?: boolean;
    /**
     * A KMS key that encrypts Kubernetes Secrets at rest (ACK Pro clusters only). The key must be in the
     * cluster's region and ACK's service role must be allowed to use it.
     */
    secretsEncryptionKeyId?: string;
    /** Control-plane logs to SLS. Default: none. */
    controlPlaneLogs?: ControlPlaneLogsSettings;
    /** The API server's audit log to SLS. Default: none. */
    auditLog?: AuditLogSettings;
}

/** Tags and a resource group for what the library creates on Alibaba Cloud. */
export interface CloudPlacement {
    /** The resource group of every resource that takes one (VPC, cluster, node pool, access list, CEN). Default: the account's default group. */
    resourceGroupId?: string;
    /** Tags on every resource that takes them. Default: none. */
    tags?: Record<string, string>;
}

/** The ManagedKubernetes arguments the settings turn into. */
export function ackClusterSettingArgs(settings: AckClusterSettings, placement: CloudPlacement = {}): Record<string, unknown> {
    return {
        ...(settings.deletionProtection ? { deletionProtection: true } : {}),
        ...(settings.rrsa ? { enableRrsa: true } : {}),
        // The provider keeps encryption off unless told `disableEncryption: false` along with the key.
        ...(settings.secretsEncryptionKeyId ? { encryptionProviderKey: settings.secretsEncryptionKeyId, disableEncryption: false } : {}),
        ...(settings.controlPlaneLogs
            ? {
                  controlPlaneLogComponents: [...settings.controlPlaneLogs.components],
                  controlPlaneLogTtl: String(settings.controlPlaneLogs.retentionDays ?? 30),
                  ...(settings.controlPlaneLogs.project ? { controlPlaneLogProject: settings.controlPlaneLogs.project } : {}),
              }
            : {}),
        ...(settings.auditLog ? { auditLogConfig: { enabled: true, ...(settings.auditLog.project ? { slsProjectName: settings.auditLog.project } : {}) } } : {}),
        ...placementArgs(placement),
    };
}

/** `resourceGroupId` and `tags`, as provider arguments, for resources that take both. */
export function placementArgs(placement: CloudPlacement): { resourceGroupId?: string; tags?: Record<string, string> } {
    return { ...(placement.resourceGroupId ? { resourceGroupId: placement.resourceGroupId } : {}), ...tagArgs(placement) };
}

/** The tags alone, for resources that take no resource group (they follow their VPC's or CEN's). */
export function tagArgs(placement: CloudPlacement): { tags?: Record<string, string> } {
    return placement.tags && Object.keys(placement.tags).length > 0 ? { tags: { ...placement.tags } } : {};
}

const logComponents: readonly ControlPlaneLogComponent[] = ["apiserver", "kcm", "scheduler", "ccm", "controlplane-events"];

/** What is wrong with the settings, each at its field. */
export function ackSettingsProblems(settings: AckClusterSettings | undefined, clusterSpec: unknown): Problem[] {
    const problems: Problem[] = [];
    const logs = settings?.controlPlaneLogs;
    if (logs) {
        if (!Array.isArray(logs.components) || logs.components.length === 0) {
            problems.push({ propertyPath: "controlPlaneLogs.components", reason: `name the components to collect logs of: ${logComponents.join(", ")}` });
        }
        (Array.isArray(logs.components) ? logs.components : []).forEach((c, i) => {
            if (!logComponents.includes(c)) {
                problems.push({ propertyPath: `controlPlaneLogs.components[${i}]`, reason: `${JSON.stringify(c)} is not a control-plane component; ACK ships logs of ${logComponents.join(", ")}` });
            }
        });
        const days = logs.retentionDays;
        if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 3650)) {
            problems.push({ propertyPath: "controlPlaneLogs.retentionDays", reason: `retentionDays must be a whole number of days from 1 to 3650, not ${days}` });
        }
    }
    if (settings?.secretsEncryptionKeyId !== undefined && typeof clusterSpec === "string" && !clusterSpec.startsWith("ack.pro.")) {
        problems.push({ propertyPath: "secretsEncryptionKeyId", reason: `Secrets encryption with KMS needs an ACK Pro cluster (clusterSpec ack.pro.*), not ${clusterSpec}` });
    }
    return problems;
}

/** What is wrong with tags and a resource group, each at its field (Alibaba Cloud's tag rules). */
export function placementProblems(placement: CloudPlacement | undefined): Problem[] {
    const problems: Problem[] = [];
    const tags = Object.entries(placement?.tags ?? {});
    if (tags.length > 20) {
        problems.push({ propertyPath: "tags", reason: `a resource takes at most 20 tags, not ${tags.length}` });
    }
    for (const [key, value] of tags) {
        if (key.length === 0 || key.length > 128 || /^(aliyun|acs:)/i.test(key) || /https?:\/\//.test(key)) {
            problems.push({ propertyPath: `tags.${key}`, reason: `tag key ${JSON.stringify(key)} must be 1 to 128 characters, not start with "aliyun" or "acs:", and hold no "http://" or "https://"` });
        }
        if (typeof value !== "string" || value.length > 128 || /^(aliyun|acs:)/i.test(value) || /https?:\/\//.test(value)) {
            problems.push({ propertyPath: `tags.${key}`, reason: `tag value ${JSON.stringify(value)} must be a string of at most 128 characters, not start with "aliyun" or "acs:", and hold no "http://" or "https://"` });
        }
    }
    if (placement?.resourceGroupId !== undefined && !/^rg-[0-9a-z]+$/.test(placement.resourceGroupId)) {
        problems.push({ propertyPath: "resourceGroupId", reason: `${JSON.stringify(placement.resourceGroupId)} is not a resource group ID such as rg-acfmzawhxxc****` });
    }
    return problems;
}
