import { Cidr, cidrsOverlap, parseCidr } from "../internal/cidr";
import { dns1123LabelProblem } from "../internal/names";
import { kubernetesVersionProblem, minimumWorkers } from "./compatibility";
import { Problem, ProblemReport } from "./problems";
import { ClusterRole, NetworkLinkMode } from "./vocabulary";


/** One cluster of the mesh, as far as the topology is concerned: plain values, known before deploy. */
export interface ClusterTopology {
    /** Cluster ID in Istio (`global.multiCluster.clusterName`); a DNS-1123 label, unique in the mesh. */
    readonly name: string;
    /** `primary` runs istiod; `remote` is served by the istiod of `controlPlane`. */
    readonly role: ClusterRole;
    /** For a remote: the primary whose istiod serves it. */
    readonly controlPlane?: string;
    /** Istio network (`topology.istio.io/network`); clusters on one network reach each other's pods directly. */
    readonly network: string;
    /** Cloud region, e.g. `cn-hangzhou`. Required when the network link is `cen`. */
    readonly region?: string;
    /**
     * Identifies the VPC the cluster's nodes run in. Clusters naming the same `vpc` share one VPC (same
     * region, same `vpcCidr`). Default: each cluster has a VPC of its own (with `same-vpc`, all share one).
     */
    readonly vpc?: string;
    /** The VPC's range. */
    readonly vpcCidr?: string;
    /** Overlay pod range (Flannel). Omit for VPC-native pod addresses (Terway), which lie in the VPC. */
    readonly podCidr?: string;
    /** Kubernetes service range. */
    readonly serviceCidr?: string;
    /** Worker nodes, for clusters this library creates. */
    readonly workers?: number;
    /** Kubernetes version, for clusters this library creates (e.g. `1.33.1-aliyun.1`). */
    readonly kubernetesVersion?: string;
}

export interface MeshTopology {
    /** `global.meshID`; a DNS-1123 label. */
    readonly meshId: string;
    /** How the clusters' networks are joined. Default `none` (connectivity exists already). */
    readonly networkLink?: { readonly mode: NetworkLinkMode };
    readonly clusters: readonly ClusterTopology[];
}

/** ACK's default VPC range, the classic collision when clusters are joined. */
const ackDefaultVpcCidr = "192.168.0.0/16";

const rangeFields = ["vpcCidr", "podCidr", "serviceCidr"] as const;
type RangeField = (typeof rangeFields)[number];
/** The ranges that must lie outside their cluster's VPC, in words. */
const insideVpcWords: Record<Exclude<RangeField, "vpcCidr">, string> = { podCidr: "pod range", serviceCidr: "service range" };

interface ParsedCluster {
    index: number;
    spec: ClusterTopology;
    ranges: Partial<Record<RangeField, Cidr>>;
    vpcKey: string;
}

/**
 * Which VPC a cluster is in: with `same-vpc` the one shared VPC, else the VPC it names, else its own (keyed
 * by the cluster's name). Clusters with equal keys share a VPC; the network link names resources by it.
 */
export function vpcKeyOf(cluster: { readonly name: string; readonly vpc?: string }, mode: NetworkLinkMode): string {
    return mode === "same-vpc" ? "shared" : (cluster.vpc ?? cluster.name);
}

/**
 * Checks a whole mesh description and returns every problem at once, each with the field it concerns and a
 * sentence a person can act on. Pure: no cloud calls, no Pulumi.
 */
export function validateTopology(topology: MeshTopology): ProblemReport {
    const errors: Problem[] = [];
    const error = (propertyPath: string, reason: string) => errors.push({ propertyPath, reason });

    const meshIdProblem = dns1123LabelProblem(topology?.meshId);
    if (meshIdProblem) {
        error("meshId", `meshId ${meshIdProblem}`);
    }
    const mode: unknown = topology?.networkLink?.mode ?? "none";
    if (mode !== "cen" && mode !== "same-vpc" && mode !== "none") {
        error("networkLink.mode", `networkLink.mode ${JSON.stringify(mode)} is not one of cen, same-vpc, none`);
    }
    const clusters = Array.isArray(topology?.clusters) ? topology.clusters : [];
    if (clusters.length === 0) {
        error("clusters", "the mesh needs at least one cluster");
        return { errors, warnings: [] };
    }
    const report = clusterProblems(clusters, mode as NetworkLinkMode);
    return { errors: [...errors, ...report.errors], warnings: report.warnings };
}

/**
 * Checks the clusters of a mesh, or of any group joined by one link mode: names, roles and control planes,
 * regions, sizes and versions, and every address range against its own cluster and every other cluster.
 */
export function clusterProblems(clusters: readonly ClusterTopology[], mode: NetworkLinkMode): ProblemReport {
    const errors: Problem[] = [];
    const warnings: Problem[] = [];
    const error = (propertyPath: string, reason: string) => errors.push({ propertyPath, reason });
    const warn = (propertyPath: string, reason: string) => warnings.push({ propertyPath, reason });
    const firstIndexByName = new Map<string, number>();
    const parsed: ParsedCluster[] = clusters.map((spec, index) => {
        const at = (field: string) => `clusters[${index}].${field}`;
        const nameProblem = dns1123LabelProblem(spec?.name);
        if (nameProblem) {
            error(at("name"), `cluster name ${nameProblem}; Istio uses it as a cluster ID and a Secret data key`);
        } else if (firstIndexByName.has(spec.name)) {
            error(at("name"), `cluster name "${spec.name}" is already used by clusters[${firstIndexByName.get(spec.name)}]; cluster names must be unique in the mesh`);
        } else {
            firstIndexByName.set(spec.name, index);
        }
        const networkProblem = dns1123LabelProblem(spec?.network);
        if (networkProblem) {
            error(at("network"), `network ${networkProblem}`);
        }
        if (spec?.role !== "primary" && spec?.role !== "remote") {
            error(at("role"), `role ${JSON.stringify(spec?.role)} is not one of primary, remote`);
        }
        if (spec?.region === undefined) {
            if (mode === "cen") {
                error(at("region"), `region is required when networkLink.mode is cen: CEN attaches each VPC to its region's transit router`);
            }
        } else if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(String(spec.region))) {
            error(at("region"), `region ${JSON.stringify(spec.region)} is not a region ID such as cn-hangzhou`);
        }
        if (spec?.workers !== undefined && (!Number.isInteger(spec.workers) || spec.workers < minimumWorkers)) {
            error(at("workers"), `workers is ${JSON.stringify(spec.workers)}; a mesh cluster needs at least ${minimumWorkers} worker nodes`);
        }
        if (spec?.kubernetesVersion !== undefined) {
            const problem = kubernetesVersionProblem(spec.kubernetesVersion);
            if (problem) {
                error(at("kubernetesVersion"), problem);
            }
        }
        const ranges: Partial<Record<RangeField, Cidr>> = {};
        for (const field of rangeFields) {
            const value = spec?.[field];
            if (value === undefined) {
                continue;
            }
            const result = parseCidr(value);
            if (result.ok) {
                ranges[field] = result.cidr;
            } else {
                error(at(field), `${field} ${result.reason}`);
            }
        }
        // A cluster without a usable name of its own cannot be told apart by it: it gets a VPC of its own.
        const vpcKey = firstIndexByName.get(spec?.name) === index || spec?.vpc !== undefined ? vpcKeyOf(spec, mode) : vpcKeyOf({ name: `#${index}` }, mode);
        return { index, spec, ranges, vpcKey };
    });

    checkControlPlanes(parsed, error);
    for (const cluster of parsed) {
        checkOwnRanges(cluster, error);
    }
    for (let j = 1; j < parsed.length; j++) {
        for (let i = 0; i < j; i++) {
            checkPair(parsed[i], parsed[j], mode, error, warn);
        }
    }
    return { errors, warnings };
}

function checkControlPlanes(parsed: ParsedCluster[], error: (path: string, reason: string) => void): void {
    const byName = new Map(parsed.map((c) => [c.spec?.name, c]));
    if (!parsed.some((c) => c.spec?.role === "primary")) {
        error("clusters", "the mesh has no primary cluster: at least one cluster needs role primary to run istiod");
    }
    for (const { index, spec } of parsed) {
        const at = `clusters[${index}].controlPlane`;
        if (spec?.role === "primary" && spec.controlPlane !== undefined) {
            error(at, `cluster "${spec.name}" is a primary and runs its own istiod; controlPlane applies only to remotes`);
        }
        if (spec?.role !== "remote") {
            continue;
        }
        if (spec.controlPlane === undefined) {
            error(at, `remote cluster "${spec.name}" needs controlPlane: the name of the primary whose istiod serves it`);
            continue;
        }
        const target = byName.get(spec.controlPlane);
        if (spec.controlPlane === spec.name) {
            error(at, `remote cluster "${spec.name}" names itself as its control plane; name a primary cluster`);
        } else if (!target) {
            error(at, `controlPlane "${spec.controlPlane}" is not a cluster of this mesh; name one of its primaries`);
        } else if (target.spec.role !== "primary") {
            error(at, `controlPlane "${spec.controlPlane}" is a remote cluster; a remote must be served by a primary`);
        }
    }
}

function describe(cluster: ParsedCluster, field: RangeField): string {
    return `clusters[${cluster.index}].${field} ${cluster.ranges[field]?.text} (cluster "${cluster.spec.name}")`;
}

function ackDefaultHint(...cidrs: (Cidr | undefined)[]): string {
    return cidrs.some((c) => c?.text === ackDefaultVpcCidr)
        ? ` ${ackDefaultVpcCidr} is ACK's default VPC range: give every cluster a range of its own.`
        : "";
}

function checkOwnRanges(cluster: ParsedCluster, error: (path: string, reason: string) => void): void {
    const { vpcCidr, podCidr, serviceCidr } = cluster.ranges;
    const at = (field: RangeField) => `clusters[${cluster.index}].${field}`;
    if (podCidr && serviceCidr && cidrsOverlap(podCidr, serviceCidr)) {
        error(at("serviceCidr"), `${describe(cluster, "serviceCidr")} overlaps its own podCidr ${podCidr.text}; a cluster's pod and service ranges must be disjoint`);
    }
    for (const field of ["podCidr", "serviceCidr"] as const) {
        const range = cluster.ranges[field];
        if (range && vpcCidr && cidrsOverlap(range, vpcCidr)) {
            error(at(field), `${describe(cluster, field)} overlaps its own vpcCidr ${vpcCidr.text}; the ${insideVpcWords[field]} must lie outside the VPC`);
        }
    }
}

function checkPair(
    a: ParsedCluster,
    b: ParsedCluster,
    mode: NetworkLinkMode,
    error: (path: string, reason: string) => void,
    warn: (path: string, reason: string) => void,
): void {
    const at = (field: RangeField) => `clusters[${b.index}].${field}`;
    const sameVpc = a.vpcKey === b.vpcKey;
    const sameNetwork = a.spec?.network === b.spec?.network;
    // Are the two VPCs routed to each other? Certainly in one VPC or over CEN; perhaps with `none`.
    const vpcsRouted = sameVpc || mode === "cen";

    if (sameVpc) {
        if (a.ranges.vpcCidr && b.ranges.vpcCidr && a.ranges.vpcCidr.text !== b.ranges.vpcCidr.text) {
            error(at("vpcCidr"), `${describe(b, "vpcCidr")} differs from ${describe(a, "vpcCidr")}, but the two share one VPC${mode === "same-vpc" ? " (networkLink.mode same-vpc)" : ""}; give them the same vpcCidr`);
        }
        if (a.spec?.region !== undefined && b.spec?.region !== undefined && a.spec.region !== b.spec.region) {
            error(`clusters[${b.index}].region`, `cluster "${b.spec.name}" is in ${b.spec.region} and "${a.spec.name}" in ${a.spec.region}, but they share one VPC${mode === "same-vpc" ? " (networkLink.mode same-vpc)" : ""} and a VPC lies in one region; use networkLink.mode cen to join regions`);
        }
    } else if (a.ranges.vpcCidr && b.ranges.vpcCidr && cidrsOverlap(a.ranges.vpcCidr, b.ranges.vpcCidr)) {
        const reason = `${describe(b, "vpcCidr")} overlaps ${describe(a, "vpcCidr")}`;
        if (mode === "cen") {
            error(at("vpcCidr"), `${reason}; CEN routes every VPC range to every other VPC, so the ranges must be disjoint.${ackDefaultHint(a.ranges.vpcCidr, b.ranges.vpcCidr)}`);
        } else if (sameNetwork) {
            error(at("vpcCidr"), `${reason}; both clusters are on Istio network "${b.spec.network}", where pods (with VPC addresses under Terway) reach each other directly, so the VPC ranges must be disjoint.${ackDefaultHint(a.ranges.vpcCidr, b.ranges.vpcCidr)}`);
        } else {
            warn(at("vpcCidr"), `${reason}; if the two VPCs are routed to each other, traffic between them will be misrouted.${ackDefaultHint(a.ranges.vpcCidr, b.ranges.vpcCidr)}`);
        }
    }

    // Pod and service ranges against each other.
    for (const fieldB of ["podCidr", "serviceCidr"] as const) {
        for (const fieldA of ["podCidr", "serviceCidr"] as const) {
            const rangeA = a.ranges[fieldA];
            const rangeB = b.ranges[fieldB];
            if (!rangeA || !rangeB || !cidrsOverlap(rangeA, rangeB)) {
                continue;
            }
            const reason = `${describe(b, fieldB)} overlaps ${describe(a, fieldA)}`;
            if (sameNetwork) {
                error(at(fieldB), `${reason}; both clusters are on Istio network "${b.spec.network}", where pods reach each other directly, so their pod and service ranges must be unique`);
            } else if (sameVpc && fieldA === "podCidr" && fieldB === "podCidr") {
                error(at(fieldB), `${reason}; both clusters run in one VPC, whose route table holds each node's pod routes, so their pod ranges must be unique`);
            } else {
                warn(at(fieldB), `${reason}; allowed because the clusters are on different Istio networks and talk only through east-west gateways, but it rules out joining those networks later`);
            }
        }
    }

    // Pod and service ranges against the other cluster's VPC.
    for (const [inner, outer] of [
        [a, b],
        [b, a],
    ] as const) {
        for (const field of ["podCidr", "serviceCidr"] as const) {
            const range = inner.ranges[field];
            const vpc = outer.ranges.vpcCidr;
            if (!range || !vpc || !cidrsOverlap(range, vpc)) {
                continue;
            }
            if (sameVpc && inner.ranges.vpcCidr) {
                // One VPC: checkOwnRanges already reported this against the cluster's own vpcCidr.
                continue;
            }
            const path = inner === b ? at(field) : at("vpcCidr");
            const reason =
                inner === b
                    ? `${describe(b, field)} overlaps ${describe(a, "vpcCidr")}`
                    : `${describe(b, "vpcCidr")} overlaps ${describe(a, field)}`;
            if (vpcsRouted || sameNetwork) {
                error(path, `${reason}; the clusters are routed to each other, so addresses in the overlap would be sent to the wrong cluster`);
            } else {
                warn(path, `${reason}; if the two VPCs are routed to each other, addresses in the overlap will be misrouted`);
            }
        }
    }
}
