import { MeshConfig } from "../../lib";
import { T } from "./latency";

/** The quantities resource counts grow with. */
export interface Shape {
    /** Clusters. */
    n: number;
    /** Primaries. */
    p: number;
    /** Remotes. */
    m: number;
    /** Regions. */
    r: number;
    /** VPCs (one per cluster here). */
    v: number;
    /** Primaries that serve at least one remote (they expose istiod). */
    ps: number;
    /** Client ranges admitted to the API servers. */
    c: number;
}

export function shapeOf(config: MeshConfig): Shape {
    const primaries = config.clusters.filter((c) => c.role === "primary");
    return {
        n: config.clusters.length,
        p: primaries.length,
        m: config.clusters.length - primaries.length,
        r: new Set(config.clusters.map((c) => c.region)).size,
        v: new Set(config.clusters.map((c) => c.vpc ?? c.name)).size,
        ps: primaries.filter((p) => config.clusters.some((c) => c.controlPlane === p.name)).length,
        c: config.apiServerAccess?.clientRanges?.length ?? 0,
    };
}

const component = (name: string) => `istio-multicluster:index:${name}`;

/**
 * How many of each resource an ACK + CEN mesh with one network per cluster registers, as formulas of its
 * shape, each with the reason it takes that form. Reads are keyed `read <type>`.
 */
export const formulas: readonly { readonly type: string; readonly formula: string; readonly count: (s: Shape) => number; readonly why: string }[] = [
    { type: T.vpc, formula: "V", count: (s) => s.v, why: "one VPC per cluster" },
    { type: T.vswitch, formula: "4N", count: (s) => 4 * s.n, why: "node and pod vSwitches in two zones" },
    { type: T.ack, formula: "N", count: (s) => s.n, why: "" },
    { type: T.nodePool, formula: "N", count: (s) => s.n, why: "" },
    { type: T.alicloudProvider, formula: "R", count: (s) => s.r, why: "one per region" },
    { type: T.kubernetesProvider, formula: "N", count: (s) => s.n, why: "one per cluster, on its kubeconfig" },
    { type: T.cen, formula: "1", count: () => 1, why: "" },
    { type: T.transitRouter, formula: "R", count: (s) => s.r, why: "a CEN has one transit router per region" },
    { type: T.routeTable, formula: "R", count: (s) => s.r, why: "the mesh's own table on each router" },
    { type: T.vpcAttachment, formula: "V", count: (s) => s.v, why: "" },
    { type: T.peerAttachment, formula: "R(R−1)/2", count: (s) => (s.r * (s.r - 1)) / 2, why: "one per region pair" },
    { type: T.association, formula: "V + R(R−1)", count: (s) => s.v + s.r * (s.r - 1), why: "each VPC attachment, and each peer attachment at both ends" },
    { type: T.propagation, formula: "V + R(R−1)", count: (s) => s.v + s.r * (s.r - 1), why: "as associations" },
    { type: T.vpcRoute, formula: "V", count: (s) => s.v, why: "one per private block holding peer ranges (all in 10.0.0.0/8 here)" },
    { type: T.prefixList, formula: "R + Ps", count: (s) => s.r + s.ps, why: "the mesh's VPC ranges per region, and each serving primary's remotes per region it is in" },
    { type: T.securityGroupRule, formula: "N + 2Ps", count: (s) => s.n + 2 * s.ps, why: "15443 on every cluster; 15012 and 15017 on each primary that serves remotes" },
    { type: T.accessList, formula: "N", count: (s) => s.n, why: "the API server's whitelist" },
    {
        type: T.accessListEntry,
        formula: "(2 + C)N + P(N−1)",
        count: (s) => (2 + s.c) * s.n + s.p * (s.n - 1),
        why: "ACK's control plane, the cluster's VPC and the C client ranges in every list; each primary's VPC in every other cluster's",
    },
    { type: T.dynamic, formula: "N", count: (s) => s.n, why: "the whitelist switched on at each API server's listener" },
    { type: T.namespace, formula: "N", count: (s) => s.n, why: "istio-system" },
    { type: T.namespacePatch, formula: "N", count: (s) => s.n, why: "the injection label on the default namespace" },
    { type: T.secret, formula: "P + N + P(N−1)", count: (s) => s.p + s.n + s.p * (s.n - 1), why: "cacerts per primary, a reader token per cluster, remote secrets P×(N−1)" },
    { type: T.release, formula: "3N", count: (s) => 3 * s.n, why: "base, istiod, east-west gateway" },
    { type: T.gateway, formula: "P + Ps", count: (s) => s.p + s.ps, why: "cross-network per primary, istiod exposure per serving primary" },
    { type: T.virtualService, formula: "Ps", count: (s) => s.ps, why: "istiod exposure" },
    { type: T.peerAuthentication, formula: "P", count: (s) => s.p, why: "mesh-wide STRICT mTLS, in each primary's root namespace" },
    { type: `read ${T.service}`, formula: "N", count: (s) => s.n, why: "each gateway's address" },
    { type: T.privateKey, formula: "1 + P", count: (s) => 1 + s.p, why: "root and one intermediate per primary" },
    { type: T.selfSignedCert, formula: "1", count: () => 1, why: "root" },
    { type: T.certRequest, formula: "P", count: (s) => s.p, why: "" },
    { type: T.locallySignedCert, formula: "P", count: (s) => s.p, why: "" },
    { type: component("MultiClusterMesh"), formula: "1", count: () => 1, why: "" },
    { type: component("MeshRootCa"), formula: "1", count: () => 1, why: "" },
    { type: component("ClusterNetworkLink"), formula: "1", count: () => 1, why: "" },
    { type: component("AckCluster"), formula: "N", count: (s) => s.n, why: "" },
    { type: component("PrimaryCluster"), formula: "P", count: (s) => s.p, why: "" },
    { type: component("RemoteCluster"), formula: "M", count: (s) => s.m, why: "" },
    { type: component("EastWestGateway"), formula: "N", count: (s) => s.n, why: "" },
    { type: component("RemoteSecret"), formula: "P(N−1) − M", count: (s) => s.p * (s.n - 1) - s.m, why: "remote secrets not made by a RemoteCluster for its own primary" },
];

/** Registrations keyed by type (reads as `read <type>`). */
export function countByType(registrations: readonly { type: string; read?: boolean }[]): Map<string, number> {
    const counts = new Map<string, number>();
    for (const r of registrations) {
        const key = r.read ? `read ${r.type}` : r.type;
        counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
}

/** Every type whose count differs from its formula, and every type no formula covers. */
export function formulaMismatches(config: MeshConfig, counts: ReadonlyMap<string, number>): string[] {
    const shape = shapeOf(config);
    const problems = formulas
        .filter((f) => (counts.get(f.type) ?? 0) !== f.count(shape))
        .map((f) => `${f.type}: ${counts.get(f.type) ?? 0} registered, ${f.formula} = ${f.count(shape)}`);
    const covered = new Set(formulas.map((f) => f.type));
    return [...problems, ...[...counts.keys()].filter((t) => !covered.has(t)).map((t) => `${t}: ${counts.get(t)} registered, no formula`)];
}

/** Total registrations as a formula of the shape (the sum of all rows). */
export function totalOf(shape: Shape): number {
    return formulas.reduce((total, f) => total + f.count(shape), 0);
}
