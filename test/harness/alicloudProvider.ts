import * as pulumi from "@pulumi/pulumi";
import { createRequire } from "node:module";
import * as path from "node:path";
import { addLoadBalancer } from "./clbStandIn";
import { MockCloudOptions, Registration } from "./mocks";
import { reveal } from "./secrets";

/**
 * Alibaba Cloud as the mocks see it: for every resource type the library creates, what the provider
 * reports back (IDs in the provider's formats, and the computed fields a program depends on: an ACK
 * cluster's security group, API server load balancer, endpoints and CA; a VPC's route table; transit
 * routers' and their tables' IDs); the zones of each region; the kubeconfig of `cs.getClusterCredential`.
 * Each handler is written out on purpose: a type without one fails its registration.
 */

type Handler = NonNullable<MockCloudOptions["resources"]>[string];

/** The given inputs with the fields the provider computes. */
const created =
    (id: (r: Registration) => string, computed: (r: Registration) => Record<string, unknown> = () => ({})): Handler =>
    (r) => ({ id: id(r), state: { ...r.inputs, ...computed(r) } });

const text = (value: unknown) => String(reveal(value));

/**
 * What the engine's dynamic provider host does with the provider code serialized into a dynamic resource's
 * inputs: evaluate the module text with a `require` rooted in the program's directory (here, the
 * repository's), and take its handler.
 */
const dynamicProviders = new Map<string, pulumi.dynamic.ResourceProvider>();
export function loadDynamicProvider(code: string): pulumi.dynamic.ResourceProvider {
    let provider = dynamicProviders.get(code);
    if (!provider) {
        const module = { exports: {} as { handler?: () => pulumi.dynamic.ResourceProvider } };
        new Function("exports", "require", "module", code)(module.exports, createRequire(path.join(__dirname, "..", "..", "index.js")), module);
        provider = module.exports.handler!();
        dynamicProviders.set(code, provider);
    }
    return provider;
}

/**
 * A dynamic resource created as the engine creates it: its serialized provider's `create`. The code is the
 * library's own, so the whitelist binding calls the CLB API (the stand-in) as it would in a real deployment.
 */
async function createDynamic(r: Registration): Promise<{ id: string; state: Record<string, unknown> }> {
    const { __provider: code, ...inputs } = reveal(r.inputs) as Record<string, unknown>;
    const result = await loadDynamicProvider(String(code)).create(inputs);
    return { id: result.id, state: { ...(result.outs as Record<string, unknown>), __provider: code } };
}

export const alicloudResources: NonNullable<MockCloudOptions["resources"]> = {
    "alicloud:cs/managedKubernetes:ManagedKubernetes": (r) => {
        // ACK puts the API server behind a CLB with a TCP listener on 6443.
        addLoadBalancer(`lb-${r.name}`, [{ port: 6443, protocol: "TCP" }]);
        return {
            id: `c-${r.name}`,
            state: {
                ...r.inputs,
                securityGroupId: `sg-${r.name}`,
                slbId: `lb-${r.name}`,
                connections: { apiServerIntranet: `https://${r.name}.intranet:6443`, apiServerInternet: `https://${r.name}.public:6443` },
            },
        };
    },
    // The provider's ID is `<cluster ID>:<node pool ID>`.
    "alicloud:cs/nodePool:NodePool": created((r) => `${text(r.inputs.clusterId)}:np-${r.name}`, (r) => ({ nodePoolId: `np-${r.name}` })),
    "alicloud:vpc/network:Network": created((r) => `vpc-${r.name}`, (r) => ({ routeTableId: `vtb-${r.name}`, routerId: `vrt-${r.name}`, status: "Available" })),
    "alicloud:vpc/switch:Switch": created((r) => `vsw-${r.name}`, () => ({ status: "Available" })),
    // `<route table>:<router>:<destination>:<next hop type>:<next hop>`.
    "alicloud:vpc/routeEntry:RouteEntry": created((r) => [r.inputs.routeTableId, "vrt", r.inputs.destinationCidrblock, r.inputs.nexthopType, r.inputs.nexthopId].map(text).join(":")),
    "alicloud:cen/instance:Instance": created((r) => `cen-${r.name}`, () => ({ status: "Active" })),
    "alicloud:cen/transitRouter:TransitRouter": created((r) => `tr-${r.name}`, (r) => ({ transitRouterId: `tr-${r.name}`, status: "Active" })),
    "alicloud:cen/transitRouterRouteTable:TransitRouterRouteTable": created((r) => `rt-${r.name}`, (r) => ({ transitRouterRouteTableId: `rt-${r.name}`, status: "Active" })),
    // A peer attachment's resource ID is `<cen>:<attachment>`; routes and bindings need the attachment's own ID.
    "alicloud:cen/transitRouterPeerAttachment:TransitRouterPeerAttachment": created(
        (r) => `${text(r.inputs.cenId)}:tr-attach-${r.name}`,
        (r) => ({ transitRouterAttachmentId: `tr-attach-${r.name}`, status: "Attached" }),
    ),
    "alicloud:cen/transitRouterVpcAttachment:TransitRouterVpcAttachment": created((r) => `tr-attach-${r.name}`, (r) => ({ transitRouterAttachmentId: `tr-attach-${r.name}`, status: "Attached" })),
    // Bindings are `<route table>:<attachment>`, route entries `<route table>:<entry>`.
    "alicloud:cen/transitRouterRouteTableAssociation:TransitRouterRouteTableAssociation": created(
        (r) => `${text(r.inputs.transitRouterRouteTableId)}:${text(r.inputs.transitRouterAttachmentId)}`,
        () => ({ status: "Active" }),
    ),
    "alicloud:cen/transitRouterRouteTablePropagation:TransitRouterRouteTablePropagation": created(
        (r) => `${text(r.inputs.transitRouterRouteTableId)}:${text(r.inputs.transitRouterAttachmentId)}`,
        () => ({ status: "Active" }),
    ),
    "alicloud:cen/transitRouterRouteEntry:TransitRouterRouteEntry": created((r) => `${text(r.inputs.transitRouterRouteTableId)}:rte-${r.name}`, () => ({ status: "Active" })),
    "alicloud:ecs/ecsPrefixList:EcsPrefixList": created((r) => `pl-${r.name}`),
    // `<security group>:<direction>:<protocol>:<ports>:<nic type>:<source>:<policy>:<priority>`.
    "alicloud:ecs/securityGroupRule:SecurityGroupRule": created((r) =>
        [r.inputs.securityGroupId, r.inputs.type, r.inputs.ipProtocol, r.inputs.portRange, r.inputs.nicType, r.inputs.prefixListId, r.inputs.policy, r.inputs.priority].map(text).join(":"),
    ),
    "alicloud:slb/acl:Acl": created((r) => `acl-${r.name}`),
    "alicloud:slb/aclEntryAttachment:AclEntryAttachment": created((r) => `${text(r.inputs.aclId)}:${text(r.inputs.entry)}`),
    "pulumi-nodejs:dynamic:Resource": createDynamic,
};

/** Zones of the regions tests use, as Alibaba Cloud names them; every zone allows vSwitches. */
export const zonesByRegion: Readonly<Record<string, readonly string[]>> = {
    "cn-hangzhou": ["cn-hangzhou-h", "cn-hangzhou-i", "cn-hangzhou-j", "cn-hangzhou-k"],
    "cn-shanghai": ["cn-shanghai-e", "cn-shanghai-f", "cn-shanghai-g", "cn-shanghai-l"],
    "cn-beijing": ["cn-beijing-h", "cn-beijing-i", "cn-beijing-j", "cn-beijing-k", "cn-beijing-l"],
    "cn-shenzhen": ["cn-shenzhen-d", "cn-shenzhen-e", "cn-shenzhen-f"],
    "cn-zhangjiakou": ["cn-zhangjiakou-a", "cn-zhangjiakou-b", "cn-zhangjiakou-c"],
    "cn-qingdao": ["cn-qingdao-b", "cn-qingdao-c"],
    "cn-chengdu": ["cn-chengdu-a", "cn-chengdu-b"],
    "cn-hongkong": ["cn-hongkong-b", "cn-hongkong-c", "cn-hongkong-d"],
    "ap-southeast-1": ["ap-southeast-1a", "ap-southeast-1b", "ap-southeast-1c"],
    "ap-northeast-1": ["ap-northeast-1a", "ap-northeast-1b", "ap-northeast-1c"],
    "ap-southeast-3": ["ap-southeast-3a", "ap-southeast-3b"],
    "ap-southeast-5": ["ap-southeast-5a", "ap-southeast-5b", "ap-southeast-5c"],
    "eu-central-1": ["eu-central-1a", "eu-central-1b", "eu-central-1c"],
    "eu-west-1": ["eu-west-1a", "eu-west-1b"],
    "us-west-1": ["us-west-1a", "us-west-1b"],
    "us-east-1": ["us-east-1a", "us-east-1b"],
    // A region whose transit router attaches in only one zone.
    "cn-wulanchabu": ["cn-wulanchabu-a", "cn-wulanchabu-b", "cn-wulanchabu-c"],
};

/** Where the transit router attaches, where not in every zone of its region. */
const transitRouterZonesByRegion: Readonly<Record<string, readonly string[]>> = { "cn-wulanchabu": ["cn-wulanchabu-c"] };

/** Instance types on sale in some zones only (every other type is on sale everywhere). */
export const limitedInstanceTypes: Readonly<Record<string, readonly string[]>> = {
    "ecs.gn7i-c8g1.2xlarge": ["cn-hangzhou-k", "cn-shanghai-l"],
    "ecs.g5.xlarge": [],
};

/** The region an invoke runs in: its provider's, as the real provider would use. */
function regionOf(provider: Registration | undefined, token: string): string {
    const region = provider?.inputs.region;
    if (typeof region !== "string" || !(region in zonesByRegion)) {
        throw new Error(`${token} through ${provider ? `provider ${provider.name} (region ${String(region)})` : "the default provider"}: the mock knows the zones of ${Object.keys(zonesByRegion).join(", ")} only`);
    }
    return region;
}

export const alicloudInvokes: NonNullable<MockCloudOptions["invokes"]> = {
    // A regional API: the real provider asks its own region for the cluster.
    "alicloud:cs/getClusterCredential:getClusterCredential": (i, { provider }) => {
        regionOf(provider, "getClusterCredential");
        return {
            id: String(i.clusterId),
            kubeConfig: `apiVersion: v1\nusers:\n- name: admin\n  user:\n    client-key-data: a2V5-${String(i.clusterId)}\n`,
            certificateAuthority: { clusterCert: Buffer.from(`-----BEGIN CERTIFICATE-----\n${String(i.clusterId)}\n-----END CERTIFICATE-----\n`).toString("base64"), clientCert: "", clientKey: "" },
        };
    },
    // What ACK offers for managed clusters; in one region already a version newer than Istio supports.
    "alicloud:cs/getKubernetesVersion:getKubernetesVersion": (inputs, { provider }) => {
        if (inputs.clusterType !== "ManagedKubernetes") {
            throw new Error(`the ACK versions mock answers for ManagedKubernetes only, not ${String(inputs.clusterType)}`);
        }
        const region = regionOf(provider, "getKubernetesVersion");
        const versions = ["1.34.3-aliyun.1", "1.35.2-aliyun.1", "1.36.1-aliyun.1", ...(region === "cn-wulanchabu" ? ["1.37.0-aliyun.1"] : [])];
        return { id: "versions", clusterType: "ManagedKubernetes", metadatas: versions.map((version) => ({ version, runtimes: [{ name: "containerd", version: "1.6.38" }] })) };
    },
    "alicloud:cen/getTransitRouterAvailableResources:getTransitRouterAvailableResources": (_inputs, { provider }) => {
        const region = regionOf(provider, "getTransitRouterAvailableResources");
        return { id: "zones", resources: [{ availableZones: [...(transitRouterZonesByRegion[region] ?? zonesByRegion[region])], masterZones: [], slaveZones: [] }] };
    },
    // Zones of the provider's region, in the API's order; a filter the mock cannot apply fails.
    "alicloud:index/getZones:getZones": (inputs, { provider }) => {
        const { availableResourceCreation, availableInstanceType, ...others } = inputs;
        const unapplied = [
            ...Object.keys(others).filter((k) => others[k] !== undefined && others[k] !== ""),
            ...(availableResourceCreation !== undefined && availableResourceCreation !== "VSwitch" ? [`availableResourceCreation ${String(availableResourceCreation)}`] : []),
        ];
        if (unapplied.length > 0) {
            throw new Error(`the zones mock cannot filter by ${unapplied.join(", ")}`);
        }
        const onSale = availableInstanceType === undefined ? undefined : limitedInstanceTypes[String(availableInstanceType)];
        const zones = zonesByRegion[regionOf(provider, "getZones")].filter((zone) => !onSale || onSale.includes(zone));
        return { id: "zones", ids: [...zones].reverse(), zones: [...zones].reverse().map((id) => ({ id, localName: id })) };
    },
};

/**
 * The same resources in a preview of a new stack: the engine knows their inputs, while their ID and
 * everything the cloud computes stay unknown until they exist. A dynamic resource is not created in a
 * preview (the engine only checks and diffs it).
 */
export const alicloudPreviewResources: NonNullable<MockCloudOptions["resources"]> = Object.fromEntries(
    Object.entries(alicloudResources).map(([type, handler]) => [
        type,
        async (r: Registration) => {
            if (type === "pulumi-nodejs:dynamic:Resource") {
                return { id: "", state: r.inputs };
            }
            const { state } = (await handler(r))!;
            return {
                id: "",
                state: Object.fromEntries(Object.entries(state).map(([key, value]) => [key, key in r.inputs ? value : pulumi.runtime.unknownValue])),
            };
        },
    ]),
);
