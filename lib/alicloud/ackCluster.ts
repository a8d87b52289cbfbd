import * as alicloud from "@pulumi/alicloud";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { reportInputProblems } from "../model/problems";
import { nameToken } from "../internal/names";
import { providedOutput } from "../internal/providerOutputs";
import { apiServerAllowList } from "./apiServerAccess";
import { ListenerAclBinding } from "./listenerAcl";
import { pickZones, transitRouterZones } from "./zones";
import { ackClusterSettingArgs, placementArgs, tagArgs } from "./ackSettings";
import { unpinnedVersionProblem } from "./ackVersion";
import { vswitchRanges } from "./vpcPlan";
import { AckClusterArgs, validateAckClusterArgs } from "./ackClusterArgs";
import { minimumWorkers } from "../model/compatibility";
import { PodNetworking } from "../model/vocabulary";

export type { AckClusterArgs, ExistingVpcArgs } from "./ackClusterArgs";

const defaultInstanceTypes = ["ecs.g7.xlarge", "ecs.g6.xlarge"];


/**
 * An ACK managed cluster ready for the mesh: VPC and vSwitches in ≥2 zones (or existing ones), NAT for
 * image pulls, the cluster with chosen pod and service ranges and deletion that also removes the load
 * balancers Kubernetes made, a node pool of ≥3 workers, and a Kubernetes provider on its kubeconfig.
 */
export class AckCluster extends pulumi.ComponentResource {
    /** The ACK cluster's name, also its Istio cluster ID. */
    public readonly clusterName: string;
    /** The region it runs in. */
    public readonly region: string;
    /** The zones of its vSwitches, as given or as picked before any vSwitch was made. */
    public readonly zones: pulumi.Output<string>[];
    /** The VPC it runs in, made here or given. */
    public readonly vpcId: pulumi.Output<string>;
    /** The VPC's range. */
    public readonly vpcCidr: string;
    /** Terway (pods on VPC addresses) or Flannel (an overlay). */
    public readonly podNetworking: PodNetworking;
    /** Flannel's pod range; none with Terway. */
    public readonly podCidr?: string;
    /** The Kubernetes service range. */
    public readonly serviceCidr: string;
    /** The VPC's route table (system), where routes toward CEN go. */
    public readonly routeTableId: pulumi.Output<string>;
    /** Node vSwitches by zone (a transit router attaches the VPC through two of them). */
    public readonly vswitches: { zone: pulumi.Output<string>; id: pulumi.Output<string> }[];
    /** Terway: the pod vSwitches' ranges, where pods get their addresses (empty with Flannel, or when not given for an existing VPC). */
    public readonly podVswitchCidrs: string[];
    /** The security group ACK made for the nodes, where the mesh's rules go. */
    public readonly securityGroupId: pulumi.Output<string>;
    /** The API server's URL inside the VPC, as ACK reports it. */
    public readonly apiServerIntranet: pulumi.Output<string>;
    /** The API server's public URL as ACK reports it; empty without `publicApiServer`. */
    public readonly apiServerPublic: pulumi.Output<string>;
    /** The cluster CA certificate (PEM). */
    public readonly caCertPem: pulumi.Output<string>;
    /** Secret. */
    public readonly kubeconfig: pulumi.Output<string>;
    /** Serves every Kubernetes child in this cluster. */
    public readonly kubernetesProvider: k8s.Provider;
    /** The managed cluster itself. */
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
        // Only Terway reads them, and it must name them in an existing VPC (validateAckClusterArgs).
        let podVswitchIds: pulumi.Input<string>[] | undefined;
        if (args.existingVpc) {
            this.vpcId = pulumi.output(args.existingVpc.id);
            this.vpcCidr = args.existingVpc.cidr;
            nodeVswitchIds = args.existingVpc.vswitchIds;
            podVswitchIds = args.existingVpc.podVswitchIds;
            this.podVswitchCidrs = this.podNetworking === "terway" ? [...(args.existingVpc.podVswitchCidrs ?? [])] : [];
            this.routeTableId = pulumi.output(args.existingVpc.routeTableId);
        } else {
            this.vpcCidr = args.vpcCidr!;
            const vpc = new alicloud.vpc.Network(`${name}-vpc`, { vpcName: args.clusterName, cidrBlock: this.vpcCidr, ...placementArgs(args) }, cloudOpts);
            this.vpcId = vpc.id;
            this.routeTableId = vpc.routeTableId;
            const ranges = vswitchRanges(this.vpcCidr, zoneCount, this.podNetworking)!;
            // Named by position, not zone, so the names are known before the zones are.
            const vswitch = (suffix: string, i: number, cidr: string) =>
                new alicloud.vpc.Switch(
                    `${name}-${suffix}-${i}`,
                    { vpcId: vpc.id, zoneId: this.zones[i], cidrBlock: cidr, vswitchName: `${args.clusterName}-${suffix}-${i}`, ...tagArgs(args) },
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
        const acl = new alicloud.slb.Acl(`${name}-api-acl`, { name: `${args.clusterName}-api-server`, ipVersion: "ipv4", ...placementArgs(args) }, cloudOpts);
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
                ...placementArgs(args),
            },
            cloudOpts,
        );

        const apiServerAcl = new ListenerAclBinding(
            `${name}-api-acl-binding`,
            { regionId: args.region, loadBalancerId: this.cluster.slbId, listenerPort: 6443, aclId: acl.id, assumeRole: args.assumeRole },
            { parent: this, dependsOn: entries },
        );

        this.securityGroupId = this.cluster.securityGroupId;
        this.apiServerIntranet = providedOutput(this.cluster, `ACK cluster ${name}-cluster`, "connections.apiServerIntranet", this.cluster.connections.apply((c) => c?.apiServerIntranet));
        this.apiServerPublic = this.cluster.connections.apply((c) => c?.apiServerInternet ?? "");
        const credential = alicloud.cs.getClusterCredentialOutput({ clusterId: this.cluster.id }, { parent: this, provider: args.provider });
        // From the credential: the cluster's own `certificateAuthority` is deprecated.
        this.caCertPem = providedOutput(this.cluster, `getClusterCredential of ACK cluster ${name}-cluster`, "certificateAuthority.clusterCert", credential.certificateAuthority.apply((ca) => ca?.clusterCert)).apply((cert) =>
            Buffer.from(cert, "base64").toString("utf8"),
        );
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
    const routerZones: pulumi.Output<string[] | undefined> = args.attachToTransitRouter
        ? alicloud.cen.getTransitRouterAvailableResourcesOutput({}, opts).apply(({ resources }) => transitRouterZones(resources))
        : pulumi.output(undefined);
    return pulumi.all([vswitchZones, instanceTypeZones, routerZones]).apply(([vswitch, types, transitRouter]) => {
        const offer = { region: args.region, vswitchZones: vswitch, instanceTypeZones: types, transitRouterZones: transitRouter };
        const picked = pickZones(offer, args.zones, count);
        if ("problem" in picked) {
            throw new pulumi.ResourceError(`AckCluster ${name}: ${picked.problem}`, component);
        }
        return picked.zones;
    });
}
