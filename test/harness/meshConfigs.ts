import { AckConfig, ClusterConfig, MeshConfig } from "../../lib/mesh/config";

/** The ACK settings of cluster i: its own VPC, service range and a supported Kubernetes version. */
export const ackSettings = (i: number, extra: Partial<AckConfig> = {}): AckConfig => ({
    vpcCidr: `10.${i}.0.0/16`,
    serviceCidr: `192.168.${i * 16}.0/20`,
    kubernetesVersion: "1.33.1-aliyun.1",
    ...extra,
});

/** A primary made on ACK in cn-hangzhou, on network `net<i>`. */
export const ackPrimary = (name: string, i: number, extra: Partial<ClusterConfig> = {}): ClusterConfig => ({
    name,
    role: "primary",
    network: `net${i}`,
    region: "cn-hangzhou",
    ack: ackSettings(i),
    ...extra,
});

/** A mesh joined by CEN whose API servers admit one client range. */
export const cenMesh = (clusters: ClusterConfig[], extra: Partial<MeshConfig> = {}): MeshConfig => ({
    meshId: "mesh1",
    networkLink: { mode: "cen" },
    apiServerAccess: { clientRanges: ["203.0.113.0/24"] },
    clusters,
    ...extra,
});
