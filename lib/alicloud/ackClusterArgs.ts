import type * as alicloud from "@pulumi/alicloud";
import * as pulumi from "@pulumi/pulumi";
import { Problem } from "../model/problems";
import { cidrsOverlap, parseCidr } from "../internal/cidr";
import { dns1123LabelProblem } from "../internal/names";
import { ApiServerAccessArgs, apiServerAccessProblems } from "./apiServerAccess";
import { AssumeRoleArgs } from "./listenerAcl";
import { AckClusterSettings, ackSettingsProblems, CloudPlacement, placementProblems } from "./ackSettings";
import { vswitchPrefix, vswitchRanges } from "./vpcPlan";
import { kubernetesVersionProblem, minimumWorkers } from "../model/compatibility";
import { PodNetworking } from "../model/vocabulary";

// AckCluster's arguments and their checks, apart from the component so that the mesh config can be checked
// without loading @pulumi/alicloud.

/** A VPC that exists already, with its route table and vSwitches, for `AckCluster.existingVpc`. */
export interface ExistingVpcArgs {
    /** VPC ID. */
    readonly id: pulumi.Input<string>;
    /** The VPC's range, for validation and routing. */
    readonly cidr: string;
    /** The VPC's route table, where routes toward CEN go. */
    readonly routeTableId: pulumi.Input<string>;
    /** Node vSwitches, one per zone in `zones` order. */
    readonly vswitchIds: pulumi.Input<string>[];
    /** Terway pod vSwitches, one per zone. @default none (required with Terway) */
    readonly podVswitchIds?: pulumi.Input<string>[];
    /**
     * The ranges of `podVswitchIds`, in the same order: a flat network across VPCs admits pods from these
     * alone (ClusterNetworkLink refuses Terway clusters on one without them).
     * @default none
     */
    readonly podVswitchCidrs?: string[];
    /**
     * The VPC's secondary ranges, where they hold the cluster's vSwitches: its nodes and Terway pods reach
     * the API server from them, so the whitelist admits them.
     * @default none
     */
    readonly additionalCidrs?: string[];
}

/** An ACK cluster, with the settings platform teams require (see `AckClusterSettings`) and its placement. */
export interface AckClusterArgs extends AckClusterSettings, CloudPlacement {
    /** ACK cluster name; also the Istio cluster ID used elsewhere, so a DNS-1123 label. */
    readonly clusterName: string;
    /** Region ID, e.g. `cn-hangzhou`; `provider` must be for this region. */
    readonly region: string;
    /** Alibaba Cloud provider for `region`; every child uses it. */
    readonly provider: alicloud.Provider;
    /**
     * Zones for vSwitches, at least two (ACK spreads nodes across them). Each must allow a vSwitch, sell one
     * of `instanceTypes` and, with `attachToTransitRouter`, be one where the transit router attaches; this
     * is checked before any vSwitch is made.
     * @default the first two zones, in ID order, that qualify
     */
    readonly zones?: string[];
    /**
     * The VPC will be attached to the region's CEN transit router (ClusterNetworkLink mode `cen`), so its
     * zones must be ones the transit router supports.
     * @default false
     */
    readonly attachToTransitRouter?: boolean;
    /**
     * Kubernetes version, e.g. `1.33.1-aliyun.1`; Istio 1.30 supports 1.32 to 1.36. ACK never upgrades a
     * cluster by itself; changing this upgrades it.
     * @default the newest version ACK offers, taken at creation; the deploy stops first if Istio does not support it, naming the newest that it does
     */
    readonly kubernetesVersion?: string;
    /** Range of a VPC created here. Exactly one of `vpcCidr` and `existingVpc`. */
    readonly vpcCidr?: string;
    /** A VPC that already exists, with its vSwitches. */
    readonly existingVpc?: ExistingVpcArgs;
    /**
     * Pod networking. Terway gives pods VPC addresses from pod vSwitches, which CEN propagates like any
     * VPC route: the natural choice for a flat (pod-to-pod) mesh across VPCs. Flannel pods use `podCidr`,
     * routed per node in the VPC route table, which needs static transit-router routes to cross CEN.
     * @default "terway"
     */
    readonly podNetworking?: PodNetworking;
    /** Flannel overlay range; required with Flannel, rejected with Terway. */
    readonly podCidr?: string;
    /** Kubernetes service range. */
    readonly serviceCidr: string;
    /**
     * Worker nodes; at least 3.
     * @default 3
     */
    readonly workers?: number;
    /**
     * ECS instance types for workers, in order of preference; every zone must sell at least one.
     * @default ["ecs.g7.xlarge", "ecs.g6.xlarge"]
     */
    readonly instanceTypes?: pulumi.Input<string>[];
    /**
     * A NAT gateway with SNAT for the cluster's vSwitches, so nodes can pull images.
     * @default true
     */
    readonly natGateway?: boolean;
    /**
     * Expose the API server on a public address, which `cs.getClusterCredential` puts in the kubeconfig
     * that builds the Kubernetes provider. Without it, the deployment must run inside the VPC or CEN.
     * @default true
     */
    readonly publicApiServer?: boolean;
    /**
     * Who may reach the API server: a whitelist on its load balancer's 6443 listener, which serves the
     * public and the intranet endpoint alike. ACK's control plane range and the cluster's own VPC (and
     * Flannel pod range) are always on it; `clientRanges` is required while the public endpoint is on.
     * @default only the control plane and the cluster's own ranges (valid only without a public endpoint)
     */
    readonly apiServerAccess?: ApiServerAccessArgs;
    /**
     * Managed cluster edition.
     * @default "ack.pro.small"
     */
    readonly clusterSpec?: pulumi.Input<string>;
    /**
     * The RAM role `provider` assumes, if any: the API server whitelist, which the provider cannot set,
     * calls the CLB API as that role too.
     * @default `ALICLOUD_ASSUME_ROLE_ARN` when set, as the provider reads it; else none
     */
    readonly assumeRole?: pulumi.Input<AssumeRoleArgs>;
}

export function validateAckClusterArgs(args: Omit<AckClusterArgs, "provider">): Problem[] {
    const problems: Problem[] = [];
    const problem = (propertyPath: string, reason: string) => problems.push({ propertyPath, reason });
    const nameProblem = dns1123LabelProblem(args?.clusterName);
    if (nameProblem) {
        problem("clusterName", `clusterName ${nameProblem}`);
    }
    const versionProblem = args?.kubernetesVersion === undefined ? undefined : kubernetesVersionProblem(args.kubernetesVersion);
    if (versionProblem) {
        problem("kubernetesVersion", versionProblem);
    }
    const workers = args?.workers ?? minimumWorkers;
    if (!Number.isInteger(workers) || workers < minimumWorkers) {
        problem("workers", `workers is ${JSON.stringify(args.workers)}; a mesh cluster needs at least ${minimumWorkers} worker nodes`);
    }
    const zones = args?.zones;
    // Without zones, the region's first two are taken.
    const zoneCount = zones?.length ?? 2;
    if (zones !== undefined && (zones.length < 2 || new Set(zones).size !== zones.length)) {
        problem("zones", "name at least two distinct zones (or none, to take the region's first two): ACK spreads the control plane and nodes across them");
    }
    if ((args?.vpcCidr === undefined) === (args?.existingVpc === undefined)) {
        problem("vpcCidr", "set exactly one of vpcCidr (a VPC made here) and existingVpc");
    }
    const networking = args?.podNetworking ?? "terway";
    if (networking === "flannel" && args.podCidr === undefined) {
        problem("podCidr", "Flannel needs podCidr, the overlay range for pods");
    }
    if (networking === "terway" && args?.podCidr !== undefined) {
        problem("podCidr", "Terway gives pods VPC addresses from pod vSwitches; podCidr applies only to Flannel");
    }
    if (args?.existingVpc) {
        if (args.existingVpc.vswitchIds.length !== zoneCount) {
            problem("existingVpc.vswitchIds", `give one node vSwitch per zone (${zoneCount} zones, ${args.existingVpc.vswitchIds.length} vSwitches)`);
        }
        if (networking === "terway" && (args.existingVpc.podVswitchIds ?? []).length !== zoneCount) {
            problem("existingVpc.podVswitchIds", "Terway needs one pod vSwitch per zone");
        }
        const podCidrs = args.existingVpc.podVswitchCidrs;
        if (podCidrs !== undefined && podCidrs.length !== (args.existingVpc.podVswitchIds ?? []).length) {
            problem("existingVpc.podVswitchCidrs", `give the range of each pod vSwitch, in order (${(args.existingVpc.podVswitchIds ?? []).length} vSwitches, ${podCidrs.length} ranges)`);
        }
    }
    problems.push(...ackSettingsProblems(args, args?.clusterSpec ?? "ack.pro.small"), ...placementProblems(args));
    const ownRanges = 2 + (args?.existingVpc?.additionalCidrs?.length ?? 0) + (args?.podCidr ? 1 : 0);
    problems.push(...apiServerAccessProblems(args?.apiServerAccess, args?.publicApiServer ?? true, ownRanges));
    for (const field of ["additionalCidrs", "podVswitchCidrs"] as const) {
        (args?.existingVpc?.[field] ?? []).forEach((cidr, i) => {
            const parsed = parseCidr(cidr);
            if (!parsed.ok) {
                problem(`existingVpc.${field}[${i}]`, parsed.reason);
            }
        });
    }
    const ranges: [string, string | undefined][] = [
        ["vpcCidr", args?.vpcCidr ?? args?.existingVpc?.cidr],
        ["podCidr", args?.podCidr],
        ["serviceCidr", args?.serviceCidr],
    ];
    const parsed = ranges.map(([field, value]) => [field, value === undefined ? undefined : parseCidr(value)] as const);
    for (const [field, result] of parsed) {
        if (result && !result.ok) {
            problem(field === "vpcCidr" && args.existingVpc ? "existingVpc.cidr" : field, `${field} ${result.reason}`);
        }
    }
    if (args?.serviceCidr === undefined) {
        problem("serviceCidr", "serviceCidr is required: the Kubernetes service range, unique in the mesh");
    }
    const vpc = parsed[0][1];
    if (args?.vpcCidr !== undefined && vpc?.ok && zoneCount >= 2 && !vswitchRanges(vpc.cidr.text, zoneCount, networking)) {
        problem("vpcCidr", `vpcCidr ${vpc.cidr.text} is too small for ${zoneCount * 2} /${vswitchPrefix} vSwitches (nodes and pods in each zone)`);
    }
    for (const [field, result] of parsed.slice(1)) {
        if (vpc?.ok && result?.ok && cidrsOverlap(vpc.cidr, result.cidr)) {
            problem(field, `${field} ${result.cidr.text} overlaps the VPC range ${vpc.cidr.text}; it must lie outside the VPC`);
        }
    }
    return problems;
}
