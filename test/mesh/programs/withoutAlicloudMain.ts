import { MeshConfig, MultiClusterMesh } from "../../../lib";
import { MockCloud, programFailures, urnOf } from "../../harness/mocks";

const existingClusters: MeshConfig = {
    meshId: "mesh1",
    clusters: [
        { name: "onprem1", role: "primary", network: "network1", kubeconfig: "kubeconfig-1", apiServer: "https://10.0.0.1:6443", eastWestGateway: { externalIPs: ["192.0.2.10"] } },
        { name: "onprem2", role: "primary", network: "network2", kubeconfig: "kubeconfig-2", apiServer: "https://10.1.0.1:6443", eastWestGateway: { externalIPs: ["192.0.2.20"] } },
    ],
};

const ackClusters: MeshConfig = {
    meshId: "mesh1",
    networkLink: { mode: "cen" },
    apiServerAccess: { clientRanges: ["203.0.113.0/24"] },
    clusters: [
        { name: "hangzhou", role: "primary", network: "network1", region: "cn-hangzhou", ack: { vpcCidr: "10.1.0.0/16", serviceCidr: "192.168.16.0/20" } },
        { name: "shanghai", role: "primary", network: "network2", region: "cn-shanghai", ack: { vpcCidr: "10.2.0.0/16", serviceCidr: "192.168.32.0/20" } },
    ],
};

/** Builds a mesh of existing clusters, or one with an ACK cluster, and says what it registered and loaded. */
export async function main(withAck: boolean) {
    const cloud = MockCloud.install();
    let constructionError: string | undefined;
    const failures = await programFailures(async () => {
        try {
            await urnOf(new MultiClusterMesh("mesh", { config: withAck ? ackClusters : existingClusters }));
        } catch (error) {
            constructionError = String(error);
        }
        await cloud.settle();
    });
    const loaded = Object.keys(require.cache).filter((file) => /[\\/]@pulumi[\\/]alicloud[\\/]/.test(file));
    return {
        constructionError,
        failures,
        primaries: cloud.ofType("istio-multicluster:index:PrimaryCluster").length,
        alicloudModulesLoaded: loaded.length,
    };
}
