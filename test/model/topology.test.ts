import * as assert from "node:assert/strict";
import { ClusterTopology, MeshTopology, validateTopology } from "../../lib/model/topology";

const primary = (name: string, extra: Partial<ClusterTopology> = {}): ClusterTopology => ({
    name,
    role: "primary",
    network: "network1",
    ...extra,
});

function mesh(clusters: ClusterTopology[], extra: Partial<MeshTopology> = {}): MeshTopology {
    return { meshId: "mesh1", clusters, ...extra };
}

function paths(problems: { propertyPath: string }[]): string[] {
    return problems.map((p) => p.propertyPath);
}

describe("validateTopology", () => {
    it("accepts seed 003's two-network multi-primary mesh on CEN", () => {
        const report = validateTopology(
            mesh(
                [
                    primary("cluster1", { network: "network1", region: "cn-hangzhou", vpcCidr: "10.10.0.0/16", podCidr: "172.20.0.0/16", serviceCidr: "192.168.0.0/20" }),
                    primary("cluster2", { network: "network2", region: "cn-shanghai", vpcCidr: "10.20.0.0/16", podCidr: "172.21.0.0/16", serviceCidr: "192.168.16.0/20" }),
                ],
                { networkLink: { mode: "cen" } },
            ),
        );
        assert.deepEqual(report, { errors: [], warnings: [] });
    });

    it("accepts a primary-remote mesh sharing one VPC", () => {
        const report = validateTopology(
            mesh(
                [
                    primary("cp", { region: "cn-beijing", vpcCidr: "10.0.0.0/16", podCidr: "172.16.0.0/16", serviceCidr: "172.17.0.0/20" }),
                    { name: "dp", role: "remote", controlPlane: "cp", network: "network1", region: "cn-beijing", vpcCidr: "10.0.0.0/16", podCidr: "172.18.0.0/16", serviceCidr: "172.17.16.0/20" },
                ],
                { networkLink: { mode: "same-vpc" } },
            ),
        );
        assert.deepEqual(report, { errors: [], warnings: [] });
    });

    describe("names and roles", () => {
        it("reports a missing mesh ID and clusters even when given nothing at all", () => {
            assert.deepEqual(validateTopology(undefined as never).errors.map((e) => e.propertyPath), ["meshId", "clusters"]);
        });

        it("needs a list of clusters, whatever else it was given", () => {
            for (const clusters of [undefined, [], "a,b"]) {
                assert.deepEqual(validateTopology({ meshId: "m", networkLink: { mode: "none" }, clusters: clusters as never }).errors, [
                    { propertyPath: "clusters", reason: "the mesh needs at least one cluster" },
                ]);
            }
        });

        it("requires DNS-1123 labels for mesh ID, cluster and network names", () => {
            const report = validateTopology(
                mesh([primary("cluster_1"), primary("Cluster2", { network: "Net 1" }), primary("x".repeat(64))], { meshId: "Mesh.1" }),
            );
            assert.deepEqual(report.errors, [
                { propertyPath: "meshId", reason: `meshId "Mesh.1" is not a DNS-1123 label: use lower-case letters, digits and '-', starting and ending with a letter or digit` },
                { propertyPath: "clusters[0].name", reason: `cluster name "cluster_1" is not a DNS-1123 label: use lower-case letters, digits and '-', starting and ending with a letter or digit (underscores are not allowed: use '-'); Istio uses it as a cluster ID and a Secret data key` },
                { propertyPath: "clusters[1].name", reason: `cluster name "Cluster2" is not a DNS-1123 label: use lower-case letters, digits and '-', starting and ending with a letter or digit; Istio uses it as a cluster ID and a Secret data key` },
                { propertyPath: "clusters[1].network", reason: `network "Net 1" is not a DNS-1123 label: use lower-case letters, digits and '-', starting and ending with a letter or digit` },
                { propertyPath: "clusters[2].name", reason: `cluster name "${"x".repeat(64)}" is 64 characters long; a DNS-1123 label has at most 63; Istio uses it as a cluster ID and a Secret data key` },
            ]);
        });

        it("rejects duplicate cluster names, naming the first use", () => {
            const report = validateTopology(mesh([primary("a"), primary("b"), primary("a")]));
            assert.deepEqual(report.errors, [
                { propertyPath: "clusters[2].name", reason: `cluster name "a" is already used by clusters[0]; cluster names must be unique in the mesh` },
            ]);
        });

        it("needs a primary, and remotes that name an existing primary", () => {
            const report = validateTopology(
                mesh([
                    { name: "r1", role: "remote", network: "n" },
                    { name: "r2", role: "remote", controlPlane: "ghost", network: "n" },
                    { name: "r3", role: "remote", controlPlane: "r1", network: "n" },
                    { name: "r4", role: "remote", controlPlane: "r4", network: "n" },
                ]),
            );
            assert.deepEqual(report.errors, [
                { propertyPath: "clusters", reason: "the mesh has no primary cluster: at least one cluster needs role primary to run istiod" },
                { propertyPath: "clusters[0].controlPlane", reason: `remote cluster "r1" needs controlPlane: the name of the primary whose istiod serves it` },
                { propertyPath: "clusters[1].controlPlane", reason: `controlPlane "ghost" is not a cluster of this mesh; name one of its primaries` },
                { propertyPath: "clusters[2].controlPlane", reason: `controlPlane "r1" is a remote cluster; a remote must be served by a primary` },
                { propertyPath: "clusters[3].controlPlane", reason: `remote cluster "r4" names itself as its control plane; name a primary cluster` },
            ]);
        });

        it("rejects unknown roles and link modes, and controlPlane on a primary", () => {
            const report = validateTopology({
                meshId: "m",
                networkLink: { mode: "vpn" as never },
                clusters: [primary("a", { controlPlane: "b" }), { name: "b", role: "worker" as never, network: "n" }],
            });
            assert.deepEqual(report.errors, [
                { propertyPath: "networkLink.mode", reason: `networkLink.mode "vpn" is not one of cen, same-vpc, none` },
                { propertyPath: "clusters[1].role", reason: `role "worker" is not one of primary, remote` },
                { propertyPath: "clusters[0].controlPlane", reason: `cluster "a" is a primary and runs its own istiod; controlPlane applies only to remotes` },
            ]);
        });

        it("rejects an empty mesh", () => {
            assert.deepEqual(validateTopology(mesh([])).errors, [{ propertyPath: "clusters", reason: "the mesh needs at least one cluster" }]);
        });
    });

    describe("CIDR blocks", () => {
        it("rejects malformed blocks and blocks with host bits set", () => {
            const report = validateTopology(
                mesh([primary("a", { vpcCidr: "10.0.0.1/16", podCidr: "172.20.0.0/33", serviceCidr: "10.1" })]),
            );
            assert.deepEqual(report.errors, [
                { propertyPath: "clusters[0].vpcCidr", reason: "vpcCidr 10.0.0.1/16 has host bits set; the block it names is 10.0.0.0/16" },
                { propertyPath: "clusters[0].podCidr", reason: `podCidr "172.20.0.0/33" is not a CIDR block (expected a form like 10.0.0.0/16)` },
                { propertyPath: "clusters[0].serviceCidr", reason: `serviceCidr "10.1" is not a CIDR block (expected a form like 10.0.0.0/16)` },
            ]);
        });

        it("rejects a cluster whose own ranges overlap", () => {
            const report = validateTopology(
                mesh([primary("a", { vpcCidr: "10.0.0.0/8", podCidr: "10.244.0.0/16", serviceCidr: "10.244.128.0/20" })]),
            );
            assert.deepEqual(report.errors, [
                { propertyPath: "clusters[0].serviceCidr", reason: `clusters[0].serviceCidr 10.244.128.0/20 (cluster "a") overlaps its own podCidr 10.244.0.0/16; a cluster's pod and service ranges must be disjoint` },
                { propertyPath: "clusters[0].podCidr", reason: `clusters[0].podCidr 10.244.0.0/16 (cluster "a") overlaps its own vpcCidr 10.0.0.0/8; the pod range must lie outside the VPC` },
                { propertyPath: "clusters[0].serviceCidr", reason: `clusters[0].serviceCidr 10.244.128.0/20 (cluster "a") overlaps its own vpcCidr 10.0.0.0/8; the service range must lie outside the VPC` },
            ]);
        });

        it("rejects overlapping VPCs joined by CEN, naming both clusters and fields, with ACK's default range called out", () => {
            const report = validateTopology(
                mesh(
                    [
                        primary("hz", { region: "cn-hangzhou", vpcCidr: "192.168.0.0/16" }),
                        primary("sh", { region: "cn-shanghai", vpcCidr: "192.168.0.0/16", network: "network2" }),
                    ],
                    { networkLink: { mode: "cen" } },
                ),
            );
            assert.deepEqual(report.errors, [
                {
                    propertyPath: "clusters[1].vpcCidr",
                    reason: `clusters[1].vpcCidr 192.168.0.0/16 (cluster "sh") overlaps clusters[0].vpcCidr 192.168.0.0/16 (cluster "hz"); CEN routes every VPC range to every other VPC, so the ranges must be disjoint. 192.168.0.0/16 is ACK's default VPC range: give every cluster a range of its own.`,
                },
            ]);
        });

        it("only warns about overlapping VPCs whose connectivity it does not manage", () => {
            const report = validateTopology(
                mesh([primary("a", { vpcCidr: "10.0.0.0/16" }), primary("b", { vpcCidr: "10.0.128.0/17", network: "n2" })]),
            );
            assert.deepEqual(report.errors, []);
            assert.deepEqual(paths(report.warnings), ["clusters[1].vpcCidr"]);
        });

        it("rejects overlapping pod and service ranges on one Istio network", () => {
            const report = validateTopology(
                mesh([
                    primary("a", { podCidr: "172.20.0.0/16", serviceCidr: "172.21.0.0/20" }),
                    primary("b", { podCidr: "172.20.0.0/16", serviceCidr: "172.21.0.0/24" }),
                ]),
            );
            assert.deepEqual(report.errors, [
                { propertyPath: "clusters[1].podCidr", reason: `clusters[1].podCidr 172.20.0.0/16 (cluster "b") overlaps clusters[0].podCidr 172.20.0.0/16 (cluster "a"); both clusters are on Istio network "network1", where pods reach each other directly, so their pod and service ranges must be unique` },
                { propertyPath: "clusters[1].serviceCidr", reason: `clusters[1].serviceCidr 172.21.0.0/24 (cluster "b") overlaps clusters[0].serviceCidr 172.21.0.0/20 (cluster "a"); both clusters are on Istio network "network1", where pods reach each other directly, so their pod and service ranges must be unique` },
            ]);
        });

        it("rejects a pod range of one cluster that overlaps the service range of another on the same network", () => {
            const report = validateTopology(mesh([primary("a", { serviceCidr: "172.16.0.0/16" }), primary("b", { podCidr: "172.16.0.0/12" })]));
            assert.deepEqual(paths(report.errors), ["clusters[1].podCidr"]);
            assert.match(report.errors[0].reason, /overlaps clusters\[0\]\.serviceCidr 172\.16\.0\.0\/16 \(cluster "a"\)/);
        });

        it("warns, not errors, when clusters on different networks reuse pod and service ranges (seed 003 on-prem)", () => {
            const report = validateTopology(
                mesh([
                    primary("onprem1", { network: "network1", podCidr: "10.244.0.0/16", serviceCidr: "10.96.0.0/12" }),
                    primary("onprem2", { network: "network2", podCidr: "10.244.0.0/16", serviceCidr: "10.96.0.0/12" }),
                ]),
            );
            assert.deepEqual(report.errors, []);
            assert.deepEqual(paths(report.warnings), ["clusters[1].podCidr", "clusters[1].serviceCidr"]);
            assert.match(report.warnings[0].reason, /allowed because the clusters are on different Istio networks and talk only through east-west gateways/);
        });

        it("rejects reused pod ranges in one VPC even across Istio networks (the VPC route table holds them)", () => {
            const report = validateTopology(
                mesh(
                    [
                        primary("a", { network: "n1", vpcCidr: "10.0.0.0/16", podCidr: "172.20.0.0/16" }),
                        primary("b", { network: "n2", vpcCidr: "10.0.0.0/16", podCidr: "172.20.0.0/16" }),
                    ],
                    { networkLink: { mode: "same-vpc" } },
                ),
            );
            assert.deepEqual(paths(report.errors), ["clusters[1].podCidr"]);
            assert.match(report.errors[0].reason, /both clusters run in one VPC, whose route table holds each node's pod routes/);
        });

        it("rejects a pod or service range that overlaps a routed peer's VPC", () => {
            const report = validateTopology(
                mesh(
                    [
                        primary("a", { region: "cn-hangzhou", network: "n1", vpcCidr: "10.0.0.0/16" }),
                        primary("b", { region: "cn-shanghai", network: "n2", vpcCidr: "10.1.0.0/16", podCidr: "10.0.0.0/17" }),
                        primary("c", { region: "cn-beijing", network: "n3", vpcCidr: "10.2.0.0/16", serviceCidr: "10.1.128.0/20" }),
                    ],
                    { networkLink: { mode: "cen" } },
                ),
            );
            assert.deepEqual(report.errors, [
                { propertyPath: "clusters[1].podCidr", reason: `clusters[1].podCidr 10.0.0.0/17 (cluster "b") overlaps clusters[0].vpcCidr 10.0.0.0/16 (cluster "a"); the clusters are routed to each other, so addresses in the overlap would be sent to the wrong cluster` },
                { propertyPath: "clusters[2].serviceCidr", reason: `clusters[2].serviceCidr 10.1.128.0/20 (cluster "c") overlaps clusters[1].vpcCidr 10.1.0.0/16 (cluster "b"); the clusters are routed to each other, so addresses in the overlap would be sent to the wrong cluster` },
            ]);
        });

        it("requires clusters sharing a VPC to agree on its range and region", () => {
            const report = validateTopology(
                mesh([
                    primary("a", { vpc: "shared", region: "cn-hangzhou", vpcCidr: "10.0.0.0/16" }),
                    primary("b", { vpc: "shared", region: "cn-shanghai", vpcCidr: "10.0.0.0/17" }),
                ]),
            );
            assert.deepEqual(report.errors, [
                { propertyPath: "clusters[1].vpcCidr", reason: `clusters[1].vpcCidr 10.0.0.0/17 (cluster "b") differs from clusters[0].vpcCidr 10.0.0.0/16 (cluster "a"), but the two share one VPC; give them the same vpcCidr` },
                { propertyPath: "clusters[1].region", reason: `cluster "b" is in cn-shanghai and "a" in cn-hangzhou, but they share one VPC and a VPC lies in one region; use networkLink.mode cen to join regions` },
            ]);
        });

        it("rejects overlapping VPCs of clusters on one Istio network even when it does not manage the link", () => {
            const report = validateTopology(mesh([primary("a", { vpcCidr: "10.0.0.0/16" }), primary("b", { vpcCidr: "10.0.0.0/16" })]));
            assert.deepEqual(paths(report.errors), ["clusters[1].vpcCidr"]);
            assert.match(report.errors[0].reason, /both clusters are on Istio network "network1", where pods \(with VPC addresses under Terway\) reach each other directly/);
        });

        it("reports a range inside a shared VPC once, against the cluster it belongs to", () => {
            const report = validateTopology(
                mesh(
                    [
                        primary("a", { vpcCidr: "10.0.0.0/16", serviceCidr: "10.0.1.0/24" }),
                        primary("b", { vpcCidr: "10.0.0.0/16", podCidr: "10.0.2.0/24", network: "n2" }),
                    ],
                    { networkLink: { mode: "same-vpc" } },
                ),
            );
            assert.deepEqual(paths(report.errors), ["clusters[0].serviceCidr", "clusters[1].podCidr"]);
        });

        it("compares blocks in canonical form", () => {
            const report = validateTopology(
                mesh([primary("a", { vpc: "v", vpcCidr: "fd00::/64" }), primary("b", { vpc: "v", vpcCidr: "FD00:0::/64" })]),
            );
            assert.deepEqual(report.errors, []);
            assert.equal(validateTopology(mesh([primary("a", { vpcCidr: "10.0.0.0/016" })])).errors[0].propertyPath, "clusters[0].vpcCidr");
        });

        it("rejects same-vpc meshes that span regions", () => {
            const report = validateTopology(
                mesh([primary("a", { region: "cn-hangzhou" }), primary("b", { region: "cn-beijing" })], { networkLink: { mode: "same-vpc" } }),
            );
            assert.deepEqual(paths(report.errors), ["clusters[1].region"]);
            assert.match(report.errors[0].reason, /\(networkLink.mode same-vpc\) and a VPC lies in one region/);
        });
    });

    describe("clusters this library creates", () => {
        it("requires at least three workers and a Kubernetes version Istio 1.30 supports", () => {
            const report = validateTopology(
                mesh([
                    primary("a", { workers: 2, kubernetesVersion: "1.31.1-aliyun.1" }),
                    primary("b", { workers: 3.5, kubernetesVersion: "latest" }),
                    primary("c", { workers: 3, kubernetesVersion: "1.32.1-aliyun.1" }),
                    primary("d", { kubernetesVersion: "release-1.33.1" }),
                    primary("e", { kubernetesVersion: "v1.33" }),
                    primary("f", { kubernetesVersion: "1.33.1 (latest)" }),
                    primary("g", { kubernetesVersion: "10.0.1" }),
                ]),
            );
            assert.deepEqual(report.errors, [
                { propertyPath: "clusters[0].workers", reason: "workers is 2; a mesh cluster needs at least 3 worker nodes" },
                { propertyPath: "clusters[0].kubernetesVersion", reason: "kubernetesVersion 1.31.1-aliyun.1 is too old: Istio 1.30 supports Kubernetes 1.32 to 1.36" },
                { propertyPath: "clusters[1].workers", reason: "workers is 3.5; a mesh cluster needs at least 3 worker nodes" },
                { propertyPath: "clusters[1].kubernetesVersion", reason: `kubernetesVersion "latest" is not a version such as 1.33.1-aliyun.1` },
                { propertyPath: "clusters[3].kubernetesVersion", reason: `kubernetesVersion "release-1.33.1" is not a version such as 1.33.1-aliyun.1` },
                { propertyPath: "clusters[5].kubernetesVersion", reason: `kubernetesVersion "1.33.1 (latest)" is not a version such as 1.33.1-aliyun.1` },
                { propertyPath: "clusters[6].kubernetesVersion", reason: "kubernetesVersion 10.0.1 is too new: Istio 1.30 supports Kubernetes 1.32 to 1.36" },
            ]);
        });

        it("requires a region for every cluster joined by CEN", () => {
            const report = validateTopology(mesh([primary("a"), primary("b", { region: "CN Hangzhou" })], { networkLink: { mode: "cen" } }));
            assert.deepEqual(report.errors, [
                { propertyPath: "clusters[0].region", reason: "region is required when networkLink.mode is cen: CEN attaches each VPC to its region's transit router" },
                { propertyPath: "clusters[1].region", reason: `region "CN Hangzhou" is not a region ID such as cn-hangzhou` },
            ]);
        });
    });

    it("reports every problem of a topology with many at once", () => {
        const report = validateTopology({
            meshId: "Mesh",
            networkLink: { mode: "cen" },
            clusters: [
                { name: "a", role: "primary", network: "n1", region: "cn-hangzhou", vpcCidr: "192.168.0.0/16", podCidr: "10.0.0.0/8", serviceCidr: "10.96.0.0/12", workers: 1 },
                { name: "a", role: "remote", network: "n1", region: "cn-shanghai", vpcCidr: "192.168.0.0/16" },
            ],
        });
        assert.deepEqual(paths(report.errors), [
            "meshId",
            "clusters[0].workers",
            "clusters[1].name",
            "clusters[1].controlPlane",
            "clusters[0].serviceCidr",
            "clusters[1].vpcCidr",
        ]);
    });

    describe("odd entries, region IDs, VPC identity and the default-range hint", () => {
        it("reports an entry that is not a cluster at all, field by field, instead of failing", () => {
            const report = validateTopology(mesh([null as unknown as ClusterTopology, primary("b")]));
            assert.deepEqual(paths(report.errors), ["clusters[0].name", "clusters[0].network", "clusters[0].role"]);
            // In one VPC every pair is compared, the entry on either side.
            for (const clusters of [[null, primary("b", { region: "cn-hangzhou" })], [primary("a", { region: "cn-hangzhou" }), null]] as ClusterTopology[][]) {
                const inOneVpc = validateTopology(mesh(clusters, { networkLink: { mode: "same-vpc" } }));
                const odd = clusters.indexOf(null as unknown as ClusterTopology);
                assert.deepEqual(paths(inOneVpc.errors), [`clusters[${odd}].name`, `clusters[${odd}].network`, `clusters[${odd}].role`]);
            }
        });

        it("takes region IDs of several parts, and nothing else", () => {
            assert.deepEqual(validateTopology(mesh([primary("a", { region: "ap-southeast-1" })])).errors, []);
            for (const region of ["cn_hangzhou", "cn-hangzhou!", "-cn"]) {
                assert.deepEqual(validateTopology(mesh([primary("a", { region })])).errors, [{ propertyPath: "clusters[0].region", reason: `region ${JSON.stringify(region)} is not a region ID such as cn-hangzhou` }]);
            }
        });

        it("gives clusters without a usable name VPCs of their own, and duplicate names naming one vpc that VPC", () => {
            const nameless = validateTopology(mesh([primary("A_1", { vpcCidr: "10.0.0.0/16" }), primary("B_2", { vpcCidr: "10.1.0.0/16" })]));
            assert.deepEqual(paths(nameless.errors), ["clusters[0].name", "clusters[1].name"]);
            const shared = validateTopology(mesh([primary("a", { vpc: "v", vpcCidr: "10.0.0.0/16" }), primary("a", { vpc: "v", vpcCidr: "10.0.0.0/17" })]));
            assert.deepEqual(paths(shared.errors), ["clusters[1].name", "clusters[1].vpcCidr"]);
            assert.match(shared.errors[1].reason, /differs from .*, but the two share one VPC/);
        });

        it("calls out ACK's default range when either VPC has it, and only then", () => {
            const cen = { networkLink: { mode: "cen" as const } };
            const withDefault = validateTopology(mesh([primary("a", { region: "cn-hangzhou", vpcCidr: "10.0.0.0/8" }), primary("b", { region: "cn-shanghai", vpcCidr: "192.168.0.0/16" })], cen));
            assert.deepEqual(withDefault.errors, []);
            const overlapping = validateTopology(mesh([primary("a", { region: "cn-hangzhou", vpcCidr: "192.168.0.0/16" }), primary("b", { region: "cn-shanghai", vpcCidr: "192.168.0.0/17" })], cen));
            assert.match(overlapping.errors[0].reason, /must be disjoint\. 192\.168\.0\.0\/16 is ACK's default VPC range: give every cluster a range of its own\.$/);
            const plain = validateTopology(mesh([primary("a", { region: "cn-hangzhou", vpcCidr: "10.0.0.0/16" }), primary("b", { region: "cn-shanghai", vpcCidr: "10.0.0.0/17" })], cen));
            assert.deepEqual(plain.errors, [
                {
                    propertyPath: "clusters[1].vpcCidr",
                    reason: `clusters[1].vpcCidr 10.0.0.0/17 (cluster "b") overlaps clusters[0].vpcCidr 10.0.0.0/16 (cluster "a"); CEN routes every VPC range to every other VPC, so the ranges must be disjoint.`,
                },
            ]);
        });

        it("says which mode made two clusters share a VPC, and compares regions only when both are given", () => {
            const sameVpc = validateTopology(mesh([primary("a", { vpcCidr: "10.0.0.0/16" }), primary("b", { vpcCidr: "10.0.0.0/17" })], { networkLink: { mode: "same-vpc" } }));
            assert.deepEqual(sameVpc.errors, [
                {
                    propertyPath: "clusters[1].vpcCidr",
                    reason: `clusters[1].vpcCidr 10.0.0.0/17 (cluster "b") differs from clusters[0].vpcCidr 10.0.0.0/16 (cluster "a"), but the two share one VPC (networkLink.mode same-vpc); give them the same vpcCidr`,
                },
            ]);
            for (const [ra, rb] of [["cn-hangzhou", undefined], [undefined, "cn-hangzhou"]]) {
                const oneRegion = validateTopology(mesh([primary("a", { vpc: "v", region: ra }), primary("b", { vpc: "v", region: rb })]));
                assert.deepEqual(oneRegion.errors, [], `regions ${ra} and ${rb}`);
            }
        });

        it("warns of overlapping VPCs on different networks that the library does not route to each other", () => {
            const report = validateTopology(mesh([primary("a", { vpcCidr: "10.0.0.0/16" }), primary("b", { network: "network2", vpcCidr: "10.0.0.0/17" })]));
            assert.deepEqual(report, {
                errors: [],
                warnings: [
                    {
                        propertyPath: "clusters[1].vpcCidr",
                        reason: `clusters[1].vpcCidr 10.0.0.0/17 (cluster "b") overlaps clusters[0].vpcCidr 10.0.0.0/16 (cluster "a"); if the two VPCs are routed to each other, traffic between them will be misrouted.`,
                    },
                ],
            });
        });

        it("in one VPC on two networks, refuses only pod ranges that overlap each other; a service range over a pod range is a warning", () => {
            const vpc = { vpc: "v", vpcCidr: "10.0.0.0/16" };
            const report = validateTopology(
                mesh([primary("a", { ...vpc, podCidr: "172.16.0.0/16", serviceCidr: "172.20.0.0/16" }), primary("b", { ...vpc, network: "network2", podCidr: "172.20.0.0/16", serviceCidr: "172.16.0.0/16" })]),
            );
            assert.deepEqual(report.errors, []);
            assert.deepEqual(paths(report.warnings), ["clusters[1].podCidr", "clusters[1].serviceCidr"]);
        });

        it("names the other cluster's VPC when a first cluster's pod range lies in it", () => {
            const report = validateTopology(mesh([primary("a", { region: "cn-hangzhou", vpcCidr: "10.0.0.0/16", podCidr: "10.1.0.0/16" }), primary("b", { region: "cn-shanghai", vpcCidr: "10.1.0.0/16" })], { networkLink: { mode: "cen" } }));
            assert.deepEqual(report.errors, [
                {
                    propertyPath: "clusters[1].vpcCidr",
                    reason: `clusters[1].vpcCidr 10.1.0.0/16 (cluster "b") overlaps clusters[0].podCidr 10.1.0.0/16 (cluster "a"); the clusters are routed to each other, so addresses in the overlap would be sent to the wrong cluster`,
                },
            ]);
        });

        it("warns when a pod range overlaps another network's VPC that the library does not route to it", () => {
            const report = validateTopology(mesh([primary("a", { vpcCidr: "10.0.0.0/16" }), primary("b", { network: "network2", vpcCidr: "10.1.0.0/16", podCidr: "10.0.128.0/17" })]));
            assert.deepEqual(report, {
                errors: [],
                warnings: [
                    {
                        propertyPath: "clusters[1].podCidr",
                        reason: `clusters[1].podCidr 10.0.128.0/17 (cluster "b") overlaps clusters[0].vpcCidr 10.0.0.0/16 (cluster "a"); if the two VPCs are routed to each other, addresses in the overlap will be misrouted`,
                    },
                ],
            });
        });
    });
});
