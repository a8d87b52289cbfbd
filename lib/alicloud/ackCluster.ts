import * as alicloud from "@pulumi/alicloud";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Problem, reportInputProblems } from "../model/problems";
import { cidrsOverlap, parseCidr } from "../internal/cidr";
import { dns1123LabelProblem, nameToken } from "../internal/names";
import { ApiServerAccessArgs, apiServerAccessProblems, apiServerAllowList } from "./apiServerAccess";
import { AssumeRoleArgs, ListenerAclBinding } from "./listenerAcl";
import { pickZones, transitRouterZones } from "./zones";
import { AckClusterSettings, ackClusterSettingArgs, ackSettingsProblems, CloudPlacement, placementArgs, placementProblems } from "./ackSettings";
import { unpinnedVersionProblem } from "./ackVersion";
import { vswitchPrefix, vswitchRanges } from "./vpcPlan";
import { kubernetesVersionProblem, minimumWorkers } from "../model/compatibility";
import { PodNetworking } from "../model/vocabulary";

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

const defaultInstanceTypes = ["ecs.g7.xlarge", "ecs.g6.xlarge"];


/**
 * An ACK managed cluster ready for the mesh: VPC and vSwitches in ≥2 zones (or existing ones), NAT for
 * image pulls, the cluster with chosen pod and service ranges and deletion that also removes the load
 * balancers Kubernetes made, a node pool of ≥3 workers, and a Kubernetes provider on its kubeconfig.
 */
export class AckCluster extends pulumi.ComponentResource {
    public readonly clusterName: string;
    public readonly region: string;
    public readonly zones: pulumi.Output<string>[];
    public readonly vpcId: pulumi.Output<string>;
    public readonly vpcCidr: string;
    public readonly podNetworking: PodNetworking;
    public readonly podCidr?: string;
    public readonly serviceCidr: string;
    /** The VPC's route table (system), where routes toward CEN go. */
    public readonly routeTableId: pulumi.Output<string>;
    /** Node vSwitches by zone (a transit router attaches the VPC through two of them). */
    public readonly vswitches: { zone: pulumi.Output<string>; id: pulumi.Output<string> }[];
    /** Terway: the pod vSwitches' ranges, where pods get their addresses (empty with Flannel, or when not given for an existing VPC). */
    public readonly podVswitchCidrs: string[];
    public readonly securityGroupId: pulumi.Output<string>;
    public readonly apiServerIntranet: pulumi.Output<string>;
    public readonly apiServerPublic: pulumi.Output<string>;
    /** The cluster CA certificate (PEM). */
    public readonly caCertPem: pulumi.Output<string>;
    /** Secret. */
    public readonly kubeconfig: pulumi.Output<string>;
    /** Serves every Kubernetes child in this cluster. */
    public readonly kubernetesProvider: k8s.Provider;
    public readonly cluster: alicloud.cs.ManagedKubernetes;

    constructor(name: string, args: AckClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-multicluster:index:AckCluster", name, {}, opts);
        reportInputProblems(`AckCluster ${name}`, { errors: validateAckClusterArgs(args), warnings: [] }, this);
        const cloudOpts = { parent: this, provider: args.provider };

        this.clusterName = args.clusterName;
        this.region = args.region;
        const zoneCount = args.zones?.length ?? 2;
        const instanceTypes = args.instanceTypes ?? defaultInstanceTypes;
        const picked = zonesOutput(this, name, args, instanceTypes, zoneCount);
        this.zones = Array.from({ length: zoneCount }, (_, i) => picked.apply((ids) => ids[i]));
        this.podNetworking = args.podNetworking ?? "terway";
        this.podCidr = args.podCidr;
        this.serviceCidr = args.serviceCidr;

        let nodeVswitchIds: pulumi.Input<string>[];
        let podVswitchIds: pulumi.Input<string>[] = [];
        if (args.existingVpc) {
            this.vpcId = pulumi.output(args.existingVpc.id);
            this.vpcCidr = args.existingVpc.cidr;
            nodeVswitchIds = args.existingVpc.vswitchIds;
            podVswitchIds = args.existingVpc.podVswitchIds ?? [];
            this.podVswitchCidrs = this.podNetworking === "terway" ? [...(args.existingVpc.podVswitchCidrs ?? [])] : [];
            this.routeTableId = pulumi.output(args.existingVpc.routeTableId);
        } else {
            this.vpcCidr = args.vpcCidr!;
            const vpc = new alicloud.vpc.Network(`${name}-vpc`, { vpcName: args.clusterName, cidrBlock: this.vpcCidr, ...placementArgs(args, true) }, cloudOpts);
            this.vpcId = vpc.id;
            this.routeTableId = vpc.routeTableId;
            const ranges = vswitchRanges(this.vpcCidr, zoneCount, this.podNetworking)!;
            // Named by position, not zone, so the names are known before the zones are.
            const vswitch = (suffix: string, i: number, cidr: string) =>
                new alicloud.vpc.Switch(
                    `${name}-${suffix}-${i}`,
                    { vpcId: vpc.id, zoneId: this.zones[i], cidrBlock: cidr, vswitchName: `${args.clusterName}-${suffix}-${i}`, ...placementArgs(args, false) },
                    cloudOpts,
                ).id;
            nodeVswitchIds = ranges.nodes.map((cidr, i) => vswitch("nodes", i, cidr));
            podVswitchIds = ranges.pods.map((cidr, i) => vswitch("pods", i, cidr));
            this.podVswitchCidrs = ranges.pods;
        }
        this.vswitches = this.zones.map((zone, i) => ({ zone, id: pulumi.output(nodeVswitchIds[i]) }));

        // The whitelist is complete before it is switched on, and switched on before anything uses the API.
        // The cluster waits for the list and the entries it needs itself (ACK's control plane, its own
        // ranges), which come first: a destroy deletes them only after the cluster and its load balancer, so
        // the listener keeps admitting only the list and ACK still reaches the API server meanwhile. Clients'
        // and peers' entries may go earlier, which only narrows the list; the cluster does not wait for them,
        // so its start does not depend on the size of the mesh.
        const acl = new alicloud.slb.Acl(`${name}-api-acl`, { name: `${args.clusterName}-api-server`, ipVersion: "ipv4", ...placementArgs(args, true) }, cloudOpts);
        const entries: alicloud.slb.AclEntryAttachment[] = [];
        const own = { clusterName: args.clusterName, vpcCidrs: [this.vpcCidr, ...(args.existingVpc?.additionalCidrs ?? [])], podCidr: this.podCidr };
        const ownEntries = apiServerAllowList(own).length;
        for (const { entry, comment } of apiServerAllowList(own, args.apiServerAccess)) {
            // One change to an access list at a time; the comment is only a note, and changing it would
            // replace the entry, briefly dropping its range.
            entries.push(
                new alicloud.slb.AclEntryAttachment(
                    `${name}-api-acl-${nameToken(entry)}`,
                    { aclId: acl.id, entry, comment },
                    { ...cloudOpts, dependsOn: entries.slice(-1), ignoreChanges: ["comment"] },
                ),
            );
        }
        this.cluster = new alicloud.cs.ManagedKubernetes(
            `${name}-cluster`,
            {
                name: args.clusterName,
                clusterSpec: args.clusterSpec ?? "ack.pro.small",
                version: args.kubernetesVersion ?? unpinnedVersion(this, name, args.provider),
                vswitchIds: nodeVswitchIds,
                serviceCidr: args.serviceCidr,
                ...(this.podNetworking === "flannel" ? { podCidr: args.podCidr } : { podVswitchIds }),
                addons: [{ name: this.podNetworking === "flannel" ? "flannel" : "terway-eniip" }],
                newNatGateway: args.natGateway ?? true,
                slbInternetEnabled: args.publicApiServer ?? true,
                // `pulumi destroy` also removes the load balancers Services made (east-west, ingress).
                deleteOptions: [
                    { resourceType: "SLB", deleteMode: "delete" },
                    { resourceType: "ALB", deleteMode: "delete" },
                ],
                ...ackClusterSettingArgs(args, args),
            },
            { ...cloudOpts, dependsOn: [acl, ...entries.slice(0, ownEntries)] },
        );
        const workers = new alicloud.cs.NodePool(
            `${name}-workers`,
            {
                clusterId: this.cluster.id,
                nodePoolName: `${args.clusterName}-workers`,
                vswitchIds: nodeVswitchIds,
                instanceTypes,
                // Workers spread evenly over the zones, and so do istiod and the gateways they run.
                multiAzPolicy: "BALANCE",
                desiredSize: String(args.workers ?? minimumWorkers),
                systemDiskCategory: "cloud_essd",
                systemDiskSize: 120,
                ...placementArgs(args, true),
            },
            cloudOpts,
        );

        const apiServerAcl = new ListenerAclBinding(
            `${name}-api-acl-binding`,
            { regionId: args.region, loadBalancerId: this.cluster.slbId, listenerPort: 6443, aclId: acl.id, assumeRole: args.assumeRole },
            { parent: this, dependsOn: entries },
        );

        this.securityGroupId = this.cluster.securityGroupId;
        this.apiServerIntranet = this.cluster.connections.apply((c) => c?.apiServerIntranet ?? "");
        this.apiServerPublic = this.cluster.connections.apply((c) => c?.apiServerInternet ?? "");
        const credential = alicloud.cs.getClusterCredentialOutput({ clusterId: this.cluster.id }, { parent: this, provider: args.provider });
        // From the credential: the cluster's own `certificateAuthority` is deprecated.
        this.caCertPem = credential.certificateAuthority.apply((ca) => (ca?.clusterCert ? Buffer.from(ca.clusterCert, "base64").toString("utf8") : ""));
        this.kubeconfig = pulumi.secret(credential.kubeConfig);
        this.kubernetesProvider = new k8s.Provider(
            `${name}-k8s`,
            { kubeconfig: this.kubeconfig },
            // Nothing can be installed before there are nodes to run it and the API server admits only its clients.
            { parent: this, dependsOn: [workers, apiServerAcl] },
        );

        this.registerOutputs({
            vpcId: this.vpcId,
            securityGroupId: this.securityGroupId,
            apiServerIntranet: this.apiServerIntranet,
            apiServerPublic: this.apiServerPublic,
            caCertPem: this.caCertPem,
            kubeconfig: this.kubeconfig,
        });
    }
}

/** No version for ACK to pick its newest, once `unpinnedVersionProblem` finds Istio supports that one. */
function unpinnedVersion(component: pulumi.ComponentResource, name: string, provider: alicloud.Provider): pulumi.Output<undefined> {
    return alicloud.cs.getKubernetesVersionOutput({ clusterType: "ManagedKubernetes" }, { parent: component, provider }).apply(({ metadatas }) => {
        const problem = unpinnedVersionProblem(metadatas.map((m) => m.version));
        if (problem) {
            throw new pulumi.ResourceError(`AckCluster ${name}: ${problem}`, component);
        }
        return undefined;
    });
}

/** The zones `pickZones` allows, from the region's answers; a deploy stops here, before any vSwitch, if none fit. */
function zonesOutput(component: pulumi.ComponentResource, name: string, args: AckClusterArgs, instanceTypes: pulumi.Input<string>[], count: number): pulumi.Output<string[]> {
    const opts = { parent: component, provider: args.provider };
    const ids = (zones: { id: string }[]) => zones.map((z) => z.id);
    const vswitchZones = alicloud.getZonesOutput({ availableResourceCreation: "VSwitch" }, opts).zones.apply(ids);
    const instanceTypeZones = pulumi.all(
        instanceTypes.map((instanceType) => pulumi.all([instanceType, alicloud.getZonesOutput({ availableInstanceType: instanceType }, opts).zones.apply(ids)]).apply(([type, zones]) => ({ instanceType: type, zones }))),
    );
    const routerZones = args.attachToTransitRouter
        ? alicloud.cen.getTransitRouterAvailableResourcesOutput({}, opts).apply(({ resources }) => transitRouterZones(resources))
        : pulumi.output([]);
    return pulumi.all([vswitchZones, instanceTypeZones, routerZones]).apply(([vswitch, types, transitRouter]) => {
        const offer = { region: args.region, vswitchZones: vswitch, instanceTypeZones: types, transitRouterZones: args.attachToTransitRouter ? transitRouter : undefined };
        const picked = pickZones(offer, args.zones, count);
        if ("problem" in picked) {
            throw new pulumi.ResourceError(`AckCluster ${name}: ${picked.problem}`, component);
        }
        return picked.zones;
    });
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
    const zones = args?.zones ?? ["first", "second"];
    if (zones.length < 2 || new Set(zones).size !== zones.length) {
        problem("zones", "name at least two distinct zones (or none, to take the region's first two): ACK spreads the control plane and nodes across them");
    }
    if ((args?.vpcCidr === undefined) === (args?.existingVpc === undefined)) {
        problem("vpcCidr", "set exactly one of vpcCidr (a VPC made here) and existingVpc");
    }
    const networking = args?.podNetworking ?? "terway";
    if (networking === "flannel" && args?.podCidr === undefined) {
        problem("podCidr", "Flannel needs podCidr, the overlay range for pods");
    }
    if (networking === "terway" && args?.podCidr !== undefined) {
        problem("podCidr", "Terway gives pods VPC addresses from pod vSwitches; podCidr applies only to Flannel");
    }
    if (args?.existingVpc) {
        if (args.existingVpc.vswitchIds.length !== zones.length) {
            problem("existingVpc.vswitchIds", `give one node vSwitch per zone (${zones.length} zones, ${args.existingVpc.vswitchIds.length} vSwitches)`);
        }
        if (networking === "terway" && (args.existingVpc.podVswitchIds ?? []).length !== zones.length) {
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
            problem(field === "vpcCidr" && args?.existingVpc ? "existingVpc.cidr" : field, `${field} ${result.reason}`);
        }
    }
    if (args?.serviceCidr === undefined) {
        problem("serviceCidr", "serviceCidr is required: the Kubernetes service range, unique in the mesh");
    }
    const vpc = parsed[0][1];
    if (args?.vpcCidr !== undefined && vpc?.ok && zones.length >= 2 && !vswitchRanges(vpc.cidr.text, zones.length, networking)) {
        problem("vpcCidr", `vpcCidr ${vpc.cidr.text} is too small for ${zones.length * 2} /${vswitchPrefix} vSwitches (nodes and pods in each zone)`);
    }
    for (const [field, result] of parsed.slice(1)) {
        if (vpc?.ok && result?.ok && cidrsOverlap(vpc.cidr, result.cidr)) {
            problem(field, `${field} ${result.cidr.text} overlaps the VPC range ${vpc.cidr.text}; it must lie outside the VPC`);
        }
    }
    return problems;
}
