import * as pulumi from "@pulumi/pulumi";
import type * as AlibabaCloud from "../alicloud";

/** The `istio-multicluster/alicloud` entry point with the provider class the mesh makes per region. */
export type AlibabaCloudModules = typeof AlibabaCloud & { Provider: typeof import("@pulumi/alicloud").Provider };

/**
 * The Alibaba Cloud half of the library, loaded only by a mesh that makes ACK clusters, so that users of
 * existing clusters need not install @pulumi/alicloud. When it is missing, the error says what to install
 * and which clusters need it.
 */
export function loadAlibabaCloud(component: pulumi.Resource, ackClusters: readonly string[]): AlibabaCloudModules {
    try {
        /* eslint-disable @typescript-eslint/no-require-imports -- loaded only when the mesh makes ACK clusters */
        const { Provider } = require("@pulumi/alicloud") as typeof import("@pulumi/alicloud");
        const library = require("../alicloud") as typeof AlibabaCloud;
        /* eslint-enable @typescript-eslint/no-require-imports */
        return { ...library, Provider };
    } catch (error) {
        if ((error as { code?: unknown }).code === "MODULE_NOT_FOUND" && /@pulumi\/alicloud/.test(String(error))) {
            throw new pulumi.ResourceError(
                `the mesh makes ACK clusters (${ackClusters.map((c) => `"${c}"`).join(", ")}), which need the @pulumi/alicloud package: npm install @pulumi/alicloud`,
                component,
            );
        }
        throw error;
    }
}
