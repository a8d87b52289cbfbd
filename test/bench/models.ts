import { MeshConfig } from "../../lib";

/** Alibaba Cloud regions the benchmark spreads clusters over (real region IDs; about 30 exist). */
export const benchRegions = [
    "cn-hangzhou",
    "cn-shanghai",
    "cn-beijing",
    "cn-shenzhen",
    "cn-zhangjiakou",
    "cn-qingdao",
    "cn-chengdu",
    "cn-hongkong",
    "ap-southeast-1",
    "ap-northeast-1",
    "ap-southeast-3",
    "ap-southeast-5",
    "eu-central-1",
    "eu-west-1",
    "us-west-1",
    "us-east-1",
] as const;

/** A topology family the benchmark sweeps over N. */
export interface BenchModel {
    readonly id: string;
    readonly title: string;
    /** How clusters are placed, in words (for BENCHMARKS.md). */
    readonly shape: string;
    /** Cluster counts it is defined for (a one-region-per-cluster model stops where regions run out). */
    readonly sizes: readonly number[];
    config(n: number): MeshConfig;
}

/** ACK settings for the i-th cluster (1-based): a /16 VPC of its own, a /20 service range, Terway pods. */
function ackOf(i: number): NonNullable<MeshConfig["clusters"][number]["ack"]> {
    return {
        vpcCidr: `10.${i}.0.0/16`,
        serviceCidr: `172.${16 + Math.floor(i / 16)}.${(i % 16) * 16}.0/20`,
        kubernetesVersion: "1.33.1-aliyun.1",
    };
}

const name = (i: number) => `c${String(i).padStart(2, "0")}`;

/** Multi-primary on one network per cluster, joined by CEN; clusters over min(N, regions) regions, round robin. */
export function multiPrimary(regionCount: number): BenchModel {
    return {
        id: regionCount >= benchRegions.length ? "multi-primary-one-region-each" : `multi-primary-${regionCount}-regions`,
        title: regionCount >= benchRegions.length ? "Multi-primary, multi-network, one region per cluster" : `Multi-primary, multi-network, up to ${regionCount} regions`,
        shape:
            regionCount >= benchRegions.length
                ? "every cluster a primary on its own network, each in a region of its own (R = N), joined by CEN"
                : `every cluster a primary on its own network; cluster i in region i mod R with R = min(N, ${regionCount}), so from N = ${regionCount} on the regions are fixed and each region holds more VPCs`,
        sizes: regionCount >= benchRegions.length ? [2, 4, 8, 16] : [2, 4, 8, 16, 32],
        config: (n) => ({
            meshId: "bench",
            networkLink: { mode: "cen" },
            apiServerAccess: { clientRanges: ["203.0.113.0/24"] },
            clusters: Array.from({ length: n }, (_, k) => ({
                name: name(k + 1),
                role: "primary" as const,
                network: `network-${name(k + 1)}`,
                region: benchRegions[k % Math.min(n, regionCount)],
                ack: ackOf(k + 1),
            })),
        }),
    };
}

/**
 * Primary-remote on one network per cluster over CEN: groups of one primary and up to three remotes, each
 * remote in another region than its primary (its istiod and injection reach across CEN).
 */
export function primaryRemote(regionCount: number): BenchModel {
    return {
        id: `primary-remote-${regionCount}-regions`,
        title: `Primary-remote, multi-network, up to ${regionCount} regions`,
        shape: `groups of one primary and three remotes (N = 2: one remote), every cluster on its own network; cluster i in region i mod R with R = min(N, ${regionCount}), so a group spans the regions and from N = ${regionCount} on the regions are fixed`,
        sizes: [2, 4, 8, 16, 32],
        config: (n) => {
            const regions = Math.min(n, regionCount);
            return {
                meshId: "bench",
                networkLink: { mode: "cen" },
                apiServerAccess: { clientRanges: ["203.0.113.0/24"] },
                clusters: Array.from({ length: n }, (_, k) => {
                    const primary = k - (k % 4);
                    return {
                        name: name(k + 1),
                        role: k === primary ? ("primary" as const) : ("remote" as const),
                        ...(k === primary ? {} : { controlPlane: name(primary + 1) }),
                        network: `network-${name(k + 1)}`,
                        region: benchRegions[(k + Math.floor(k / 4)) % regions],
                        ack: ackOf(k + 1),
                    };
                }),
            };
        },
    };
}

export const benchModels: readonly BenchModel[] = [multiPrimary(4), primaryRemote(4), multiPrimary(benchRegions.length)];
