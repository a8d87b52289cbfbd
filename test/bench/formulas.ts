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
    /** Primaries that serve at least one remote (they expose istiod). */
    ps: number;
    /** Client ranges admitted to the API servers. */
    c: number;
    /** Istio networks. */
    w: number;
    /** Clusters with an east-west gateway: all of them on a mesh of several networks, else the serving primaries. */
    g: number;
    /** East-west gateways on fixed addresses (externalIPs): their address is known, nothing is read. */
    x: number;
    /** Ingress gateways. */
    i: number;
    /** DestinationRules per primary: one for mesh-wide locality failover, one per service listed. */
    l: number;
    /** Clusters whose Istio namespace exists already (adopted with a patch). */
    e: number;
    /** Namespaces labelled for injection, over all clusters (`default` where none are listed). */
    j: number;
    /** 1 when Istio's multicluster check is deployed, else 0. */
    z: number;
    /** ACK clusters (the rest are existing clusters reached through a kubeconfig). */
    a: number;
    /** ACK primaries. */
    pa: number;
    /** Regions of ACK clusters. */
    r: number;
    /** VPCs of ACK clusters. */
    v: number;
    /** 1 when ACK clusters are joined by CEN, else 0. */
    cen: number;
    /** ACK clusters with an east-west gateway. */
    ga: number;
    /** Regions holding an ACK cluster with an east-west gateway. */
    rg: number;
    /** ACK primaries serving remotes. */
    psa: number;
    /** ACK clusters on an Istio network shared with an ACK cluster in another VPC (a flat network: pods reach pods). */
    f: number;
    /** Regions × networks among those flat clusters. */
    fr: number;
}

/**
 * The shape of a topology, read from its config by the design's own rules (not the library's code). Throws
 * for what the formulas do not model, so a stack they cannot count fails instead of passing unchecked.
 */
export function shapeOf(config: MeshConfig): Shape {
    const clusters = config.clusters;
    const ack = clusters.filter((c) => c.ack);
    const unmodelled = [
        ...(ack.length > 0 && config.networkLink?.mode !== "cen" ? [`network link ${config.networkLink?.mode ?? "(default)"} for ACK clusters`] : []),
        ...(ack.some((c) => c.eastWestGateway?.addressType === "internet") ? ["internet-facing east-west gateways on ACK"] : []),
        ...(ack.some((c) => c.ack!.podNetworking === "flannel") ? ["Flannel pod networking"] : []),
        ...((config.trust?.mode ?? (config.trust?.rootKeyPem ? "imported" : "generated")) !== "generated" ? [`trust mode ${config.trust?.mode ?? "imported"}`] : []),
    ];
    if (unmodelled.length > 0) {
        throw new Error(`the growth formulas do not model ${unmodelled.join(", ")}`);
    }
    const primaries = clusters.filter((c) => c.role === "primary");
    const serving = primaries.filter((p) => clusters.some((c) => c.controlPlane === p.name));
    const networks = new Set(clusters.map((c) => c.network)).size;
    const withGateway = networks > 1 ? clusters : serving;
    const ackWithGateway = withGateway.filter((c) => c.ack);
    const vpcOf = (c: MeshConfig["clusters"][number]) => c.vpc ?? c.name;
    const flat = ack.filter((c) => ack.some((o) => o.network === c.network && vpcOf(o) !== vpcOf(c)));
    const failover = config.localityFailover;
    const meshWideFailover = failover !== undefined && failover.enabled !== false && (failover.enabled === true || (failover.failover ?? []).length > 0);
    return {
        n: clusters.length,
        p: primaries.length,
        m: clusters.length - primaries.length,
        ps: serving.length,
        c: config.apiServerAccess?.clientRanges?.length ?? 0,
        w: networks,
        g: withGateway.length,
        x: withGateway.filter((c) => (c.eastWestGateway?.externalIPs ?? []).length > 0).length,
        i: clusters.filter((c) => c.ingressGateway).length,
        l: (meshWideFailover ? 1 : 0) + (failover?.services ?? []).length,
        e: clusters.filter((c) => c.existingIstioNamespace).length,
        j: clusters.reduce((total, c) => total + (c.injectionNamespaces ?? ["default"]).length, 0),
        z: config.verification?.enabled ? 1 : 0,
        a: ack.length,
        pa: ack.filter((c) => c.role === "primary").length,
        r: new Set(ack.map((c) => c.region)).size,
        v: new Set(ack.map(vpcOf)).size,
        cen: ack.length > 0 ? 1 : 0,
        ga: ackWithGateway.length,
        rg: new Set(ackWithGateway.map((c) => c.region)).size,
        psa: serving.filter((c) => c.ack).length,
        f: flat.length,
        fr: new Set(flat.map((c) => `${c.network}@${c.region}`)).size,
    };
}

const component = (name: string) => `istio-multicluster:index:${name}`;

/**
 * How many of each resource a mesh registers, as formulas of its shape, each with the reason it takes that
 * form: ACK clusters joined by CEN and existing clusters, on one network or several. Reads are keyed
 * `read <type>`.
 */
export const formulas: readonly { readonly type: string; readonly formula: string; readonly count: (s: Shape) => number; readonly why: string }[] = [
    { type: T.vpc, formula: "V", count: (s) => s.v, why: "one VPC per ACK cluster unless clusters share one" },
    { type: T.vswitch, formula: "4A", count: (s) => 4 * s.a, why: "node and pod vSwitches in two zones" },
    { type: T.ack, formula: "A", count: (s) => s.a, why: "" },
    { type: T.nodePool, formula: "A", count: (s) => s.a, why: "" },
    { type: T.alicloudProvider, formula: "R", count: (s) => s.r, why: "one per region of ACK clusters" },
    { type: T.kubernetesProvider, formula: "N", count: (s) => s.n, why: "one per cluster, on its kubeconfig" },
    { type: T.cen, formula: "CEN", count: (s) => s.cen, why: "one CEN instance when ACK clusters are joined" },
    { type: T.transitRouter, formula: "R", count: (s) => s.r, why: "a CEN has one transit router per region" },
    { type: T.routeTable, formula: "R", count: (s) => s.r, why: "the mesh's own table on each router" },
    { type: T.vpcAttachment, formula: "V", count: (s) => s.v, why: "" },
    { type: T.peerAttachment, formula: "R(R−1)/2", count: (s) => (s.r * (s.r - 1)) / 2, why: "one per region pair" },
    { type: T.association, formula: "V + R(R−1)", count: (s) => s.v + s.r * (s.r - 1), why: "each VPC attachment, and each peer attachment at both ends" },
    { type: T.propagation, formula: "V + R(R−1)", count: (s) => s.v + s.r * (s.r - 1), why: "as associations" },
    { type: T.vpcRoute, formula: "V", count: (s) => s.v, why: "one per private block holding peer ranges (all in 10.0.0.0/8 here)" },
    {
        type: T.prefixList,
        formula: "Rg + Psa + Fr",
        count: (s) => s.rg + s.psa + s.fr,
        why: "the mesh's VPC ranges per region with a gateway, each serving primary's remotes, and each flat network's pod ranges per region",
    },
    {
        type: T.securityGroupRule,
        formula: "Ga + 2Psa + F",
        count: (s) => s.ga + 2 * s.psa + s.f,
        why: "15443 on every gateway; 15012 and 15017 on each primary that serves remotes; pod to pod on each flat-network cluster",
    },
    { type: T.accessList, formula: "A", count: (s) => s.a, why: "the API server's whitelist" },
    {
        type: T.accessListEntry,
        formula: "(2 + C)A + Pa(A−1)",
        count: (s) => (2 + s.c) * s.a + s.pa * (s.a - 1),
        why: "ACK's control plane, the cluster's VPC and the C client ranges in every list; each primary's VPC in every other cluster's",
    },
    { type: T.dynamic, formula: "A", count: (s) => s.a, why: "the whitelist switched on at each API server's listener" },
    { type: T.namespace, formula: "N − E + ZN", count: (s) => s.n - s.e + s.z * s.n, why: "istio-system where it does not exist yet; the check's namespace" },
    { type: T.namespacePatch, formula: "J + E", count: (s) => s.j + s.e, why: "the injection label on each listed namespace; an existing istio-system adopted" },
    { type: T.secret, formula: "P + N + P(N−1)", count: (s) => s.p + s.n + s.p * (s.n - 1), why: "cacerts per primary, a reader token per cluster, remote secrets P×(N−1)" },
    { type: T.release, formula: "2N + G + I", count: (s) => 2 * s.n + s.g + s.i, why: "base and istiod everywhere, an east-west gateway where needed, ingress where asked" },
    { type: T.gateway, formula: "P[W>1] + Ps", count: (s) => (s.w > 1 ? s.p : 0) + s.ps, why: "cross-network per primary on a multi-network mesh, istiod exposure per serving primary" },
    { type: T.virtualService, formula: "Ps", count: (s) => s.ps, why: "istiod exposure" },
    { type: T.destinationRule, formula: "LP", count: (s) => s.l * s.p, why: "locality failover, in each primary" },
    { type: T.peerAuthentication, formula: "P", count: (s) => s.p, why: "mesh-wide STRICT mTLS, in each primary's root namespace" },
    { type: `read ${T.service}`, formula: "G − X + I", count: (s) => s.g - s.x + s.i, why: "the address of each gateway's load balancer" },
    { type: T.service, formula: "ZN", count: (s) => s.z * s.n, why: "helloworld in every cluster" },
    { type: T.deployment, formula: "Z(N + min(N, 2))", count: (s) => s.z * (s.n + Math.min(s.n, 2)), why: "sleep in every cluster, helloworld v1 and v2 in one cluster each" },
    { type: T.privateKey, formula: "1 + P", count: (s) => 1 + s.p, why: "root and one intermediate per primary" },
    { type: T.selfSignedCert, formula: "1", count: () => 1, why: "root" },
    { type: T.certRequest, formula: "P", count: (s) => s.p, why: "" },
    { type: T.locallySignedCert, formula: "P", count: (s) => s.p, why: "" },
    { type: component("MultiClusterMesh"), formula: "1", count: () => 1, why: "" },
    { type: component("MeshRootCa"), formula: "1", count: () => 1, why: "" },
    { type: component("ClusterNetworkLink"), formula: "[A>0]", count: (s) => (s.a > 0 ? 1 : 0), why: "the network, for clusters made here" },
    { type: component("AckCluster"), formula: "A", count: (s) => s.a, why: "" },
    { type: component("PrimaryCluster"), formula: "P", count: (s) => s.p, why: "" },
    { type: component("RemoteCluster"), formula: "M", count: (s) => s.m, why: "" },
    { type: component("EastWestGateway"), formula: "G", count: (s) => s.g, why: "" },
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
