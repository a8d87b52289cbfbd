import * as pulumi from "@pulumi/pulumi";
import { MockCloudOptions } from "./mocks";

/**
 * What Alibaba Cloud reports back that a program depends on: an ACK cluster's security group, API server
 * load balancer, endpoints and CA; a VPC's route table; a transit router's and route table's IDs; the kubeconfig of
 * `cs.getClusterCredential`; the zones transit routers support.
 */
export const alicloudResources: NonNullable<MockCloudOptions["resources"]> = {
    "alicloud:cs/managedKubernetes:ManagedKubernetes": (r) => ({
        id: `c-${r.name}`,
        state: {
            ...r.inputs,
            securityGroupId: `sg-${r.name}`,
            slbId: `lb-${r.name}`,
            connections: { apiServerIntranet: `https://${r.name}.intranet:6443`, apiServerInternet: `https://${r.name}.public:6443` },
            certificateAuthority: { clusterCert: Buffer.from(`-----BEGIN CERTIFICATE-----\n${r.name}\n-----END CERTIFICATE-----\n`).toString("base64") },
        },
    }),
    "alicloud:vpc/network:Network": (r) => ({ id: `vpc-${r.name}`, state: { ...r.inputs, routeTableId: `vtb-${r.name}` } }),
    "alicloud:cen/transitRouter:TransitRouter": (r) => ({ id: `tr-${r.name}`, state: { ...r.inputs, transitRouterId: `tr-${r.name}` } }),
    "alicloud:cen/transitRouterRouteTable:TransitRouterRouteTable": (r) => ({ id: `rt-${r.name}`, state: { ...r.inputs, transitRouterRouteTableId: `rt-${r.name}` } }),
    // A peer attachment's resource ID is `<cen>:<attachment>`; routes and bindings need the attachment's own ID.
    "alicloud:cen/transitRouterPeerAttachment:TransitRouterPeerAttachment": (r) => ({
        id: `${String(r.inputs.cenId)}:tr-attach-${r.name}`,
        state: { ...r.inputs, transitRouterAttachmentId: `tr-attach-${r.name}` },
    }),
    "alicloud:cen/transitRouterVpcAttachment:TransitRouterVpcAttachment": (r) => ({
        id: `tr-attach-${r.name}`,
        state: { ...r.inputs, transitRouterAttachmentId: `tr-attach-${r.name}` },
    }),
};

export const alicloudInvokes: NonNullable<MockCloudOptions["invokes"]> = {
    "alicloud:cs/getClusterCredential:getClusterCredential": (i) => ({
        id: String(i.clusterId),
        kubeConfig: `apiVersion: v1\nusers:\n- name: admin\n  user:\n    client-key-data: a2V5-${String(i.clusterId)}\n`,
    }),
    "alicloud:cen/getTransitRouterAvailableResources:getTransitRouterAvailableResources": () => ({
        id: "zones",
        resources: [{ availableZones: ["cn-hangzhou-h", "cn-hangzhou-i", "cn-shanghai-e", "cn-shanghai-f", "cn-beijing-h", "cn-beijing-i", "zone-a", "zone-b"], masterZones: [], slaveZones: [] }],
    }),
    // Zones where vSwitches can be made (the same stand-ins in every region).
    "alicloud:index/getZones:getZones": () => ({ id: "zones", zones: [{ id: "zone-b" }, { id: "zone-a" }, { id: "zone-c" }] }),
};

/**
 * The same resources in a preview of a new stack: the engine knows their inputs, while their ID and
 * everything the cloud computes stay unknown until they exist.
 */
export const alicloudPreviewResources: NonNullable<MockCloudOptions["resources"]> = Object.fromEntries(
    Object.entries(alicloudResources).map(([type, handler]) => [
        type,
        async (r) => {
            const { state } = (await handler(r))!;
            return {
                id: "",
                state: Object.fromEntries(Object.entries(state).map(([key, value]) => [key, key in r.inputs ? value : pulumi.runtime.unknownValue])),
            };
        },
    ]),
);
