import { isDeepStrictEqual } from "node:util";

/**
 * Which input changes replace a resource rather than update it in place. The SDKs do not say; the
 * providers do: terraform-provider-alicloud's `ForceNew` fields (v1.285), terraform-provider-tls's
 * `RequiresReplace` plan modifiers, and pulumi-kubernetes's diff (an object's name and namespace, a
 * Secret's contents unless Secrets are made mutable, a Service's cluster IP, a Deployment's selector; a
 * Helm release's name and namespace). Dotted entries are fields inside an input. Only the resource types
 * this library creates are listed; a type not listed is taken to update in place.
 */
export const inputsReplacedOnChange: Readonly<Record<string, readonly string[]>> = {
    "alicloud:cs/managedKubernetes:ManagedKubernetes": ["profile", "podCidr", "serviceCidr", "nodeCidrMask", "proxyMode", "ipStack", "clusterDomain", "serviceAccountIssuer", "apiAudiences", "autoMode"],
    "alicloud:cs/nodePool:NodePool": [
        "clusterId",
        "autoMode",
        "cisEnabled",
        "deploymentSetId",
        "instanceMetadataOptions",
        "loginAsNonRoot",
        "nodeNameMode",
        "ramRoleName",
        "securityGroupId",
        "securityGroupIds",
        "securityHardeningOs",
        "socEnabled",
        "teeConfig",
        "type",
    ],
    "alicloud:vpc/network:Network": ["isDefault", "userCidrs", "ipv6CidrBlock"],
    "alicloud:vpc/switch:Switch": ["vpcId", "cidrBlock", "zoneId", "isDefault", "availabilityZone"],
    "alicloud:vpc/routeEntry:RouteEntry": ["routeTableId", "destinationCidrblock", "nexthopType", "nexthopId", "name", "description"],
    "alicloud:cen/instance:Instance": [],
    "alicloud:cen/transitRouter:TransitRouter": ["cenId", "supportMulticast"],
    "alicloud:cen/transitRouterRouteTable:TransitRouterRouteTable": ["transitRouterId"],
    "alicloud:cen/transitRouterPeerAttachment:TransitRouterPeerAttachment": ["cenId", "peerTransitRouterId", "peerTransitRouterRegionId", "transitRouterId", "resourceType"],
    "alicloud:cen/transitRouterVpcAttachment:TransitRouterVpcAttachment": ["vpcId", "transitRouterId", "vpcOwnerId", "paymentType", "resourceType"],
    "alicloud:cen/transitRouterRouteTableAssociation:TransitRouterRouteTableAssociation": ["transitRouterAttachmentId", "transitRouterRouteTableId"],
    "alicloud:cen/transitRouterRouteTablePropagation:TransitRouterRouteTablePropagation": ["transitRouterAttachmentId", "transitRouterRouteTableId"],
    "alicloud:cen/transitRouterRouteEntry:TransitRouterRouteEntry": ["transitRouterRouteTableId", "transitRouterRouteEntryDestinationCidrBlock", "transitRouterRouteEntryNextHopType", "transitRouterRouteEntryNextHopId"],
    "alicloud:ecs/ecsPrefixList:EcsPrefixList": ["addressFamily", "maxEntries"],
    "alicloud:ecs/securityGroupRule:SecurityGroupRule": ["securityGroupId", "type", "ipProtocol", "policy", "priority", "cidrIp", "ipv6CidrIp", "sourceSecurityGroupId", "sourceGroupOwnerAccount", "prefixListId", "portRange", "nicType"],
    "alicloud:slb/acl:Acl": ["resourceGroupId", "ipVersion"],
    "alicloud:slb/aclEntryAttachment:AclEntryAttachment": ["aclId", "entry", "comment"],
    "tls:index/privateKey:PrivateKey": ["algorithm", "rsaBits", "ecdsaCurve"],
    "tls:index/selfSignedCert:SelfSignedCert": ["privateKeyPem", "validityPeriodHours", "allowedUses", "dnsNames", "ipAddresses", "uris", "isCaCertificate", "maxPathLength", "setSubjectKeyId", "setAuthorityKeyId", "subject"],
    "tls:index/certRequest:CertRequest": ["privateKeyPem", "dnsNames", "ipAddresses", "uris", "subject"],
    "tls:index/locallySignedCert:LocallySignedCert": ["caCertPem", "caPrivateKeyPem", "certRequestPem", "validityPeriodHours", "allowedUses", "isCaCertificate", "maxPathLength", "setSubjectKeyId"],
    "kubernetes:helm.sh/v3:Release": ["name", "namespace"],
    "kubernetes:core/v1:Secret": ["metadata.name", "metadata.namespace", "type", "stringData", "data"],
    "kubernetes:core/v1:ConfigMap": ["metadata.name", "metadata.namespace", "data", "binaryData"],
    "kubernetes:core/v1:Service": ["metadata.name", "metadata.namespace", "spec.clusterIP"],
    "kubernetes:apps/v1:Deployment": ["metadata.name", "metadata.namespace", "spec.selector"],
    // A provider for another cluster is another provider: everything it manages is replaced with it.
    "pulumi:providers:kubernetes": ["kubeconfig", "context", "cluster", "clusterIdentifier"],
    // The library's one dynamic resource, the API server whitelist binding: its provider's `diff` decides.
    "pulumi-nodejs:dynamic:Resource": ["regionId", "loadBalancerId", "listenerPort"],
};

/** Kubernetes kinds not listed are replaced when their name or namespace changes. */
const kubernetesIdentity = ["metadata.name", "metadata.namespace"];

const at = (inputs: Record<string, unknown>, field: string): unknown => field.split(".").reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], inputs);

/** Of the inputs that changed, those that replace a resource of this type (dotted where a field inside one). */
export function replacingInputs(type: string, changed: readonly string[], before: Record<string, unknown>, after: Record<string, unknown>): string[] {
    const fields = inputsReplacedOnChange[type] ?? (type.startsWith("kubernetes:") ? kubernetesIdentity : []);
    return fields.filter((field) => (field.includes(".") ? changed.includes(field.split(".")[0]) && !isDeepStrictEqual(at(before, field), at(after, field)) : changed.includes(field)));
}
