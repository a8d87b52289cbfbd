import { Registration } from "../harness/mocks";
import { reveal } from "../harness/secrets";

/** Resource type tokens the benchmark times. */
export const T = {
    vpc: "alicloud:vpc/network:Network",
    vswitch: "alicloud:vpc/switch:Switch",
    ack: "alicloud:cs/managedKubernetes:ManagedKubernetes",
    nodePool: "alicloud:cs/nodePool:NodePool",
    cen: "alicloud:cen/instance:Instance",
    transitRouter: "alicloud:cen/transitRouter:TransitRouter",
    routeTable: "alicloud:cen/transitRouterRouteTable:TransitRouterRouteTable",
    vpcAttachment: "alicloud:cen/transitRouterVpcAttachment:TransitRouterVpcAttachment",
    peerAttachment: "alicloud:cen/transitRouterPeerAttachment:TransitRouterPeerAttachment",
    association: "alicloud:cen/transitRouterRouteTableAssociation:TransitRouterRouteTableAssociation",
    propagation: "alicloud:cen/transitRouterRouteTablePropagation:TransitRouterRouteTablePropagation",
    transitRoute: "alicloud:cen/transitRouterRouteEntry:TransitRouterRouteEntry",
    vpcRoute: "alicloud:vpc/routeEntry:RouteEntry",
    prefixList: "alicloud:ecs/ecsPrefixList:EcsPrefixList",
    securityGroupRule: "alicloud:ecs/securityGroupRule:SecurityGroupRule",
    accessList: "alicloud:slb/acl:Acl",
    accessListEntry: "alicloud:slb/aclEntryAttachment:AclEntryAttachment",
    dynamic: "pulumi-nodejs:dynamic:Resource",
    alicloudProvider: "pulumi:providers:alicloud",
    kubernetesProvider: "pulumi:providers:kubernetes",
    namespace: "kubernetes:core/v1:Namespace",
    namespacePatch: "kubernetes:core/v1:NamespacePatch",
    secret: "kubernetes:core/v1:Secret",
    service: "kubernetes:core/v1:Service",
    deployment: "kubernetes:apps/v1:Deployment",
    release: "kubernetes:helm.sh/v3:Release",
    gateway: "kubernetes:networking.istio.io/v1:Gateway",
    virtualService: "kubernetes:networking.istio.io/v1:VirtualService",
    destinationRule: "kubernetes:networking.istio.io/v1:DestinationRule",
    peerAuthentication: "kubernetes:security.istio.io/v1:PeerAuthentication",
    privateKey: "tls:index/privateKey:PrivateKey",
    selfSignedCert: "tls:index/selfSignedCert:SelfSignedCert",
    certRequest: "tls:index/certRequest:CertRequest",
    locallySignedCert: "tls:index/locallySignedCert:LocallySignedCert",
} as const;

/** A step of a deployment and how long it takes, with the basis of the figure. */
export interface Latency {
    readonly key: LatencyKey;
    readonly seconds: number;
    readonly what: string;
    readonly basis: string;
}

export type LatencyKey =
    | "vpc"
    | "vswitch"
    | "ack"
    | "nodePool"
    | "cen"
    | "transitRouter"
    | "routeTable"
    | "vpcAttachment"
    | "peerAttachment"
    | "routeTableBinding"
    | "transitRoute"
    | "vpcRoute"
    | "prefixList"
    | "securityGroupRule"
    | "accessList"
    | "accessListEntry"
    | "listenerAccessList"
    | "namespace"
    | "kubernetesObject"
    | "serviceRead"
    | "baseChart"
    | "istiodChart"
    | "remoteIstiodChart"
    | "gatewayChart"
    | "localCrypto"
    | "none";

/**
 * How long each step takes. Alibaba Cloud publishes few durations; where it does not, the figure is an
 * estimate whose reasoning is given, bounded by the Terraform provider's default create timeout.
 */
export const latencies: readonly Latency[] = [
    { key: "vpc", seconds: 7, what: "VPC", basis: "observed: \"alicloud_vpc…: Creation complete after 7s\" (turbot/steampipe-plugin-alicloud#182, #128)" },
    { key: "vswitch", seconds: 8, what: "vSwitch", basis: "observed: \"alicloud_vswitch…: Creation complete after 8s\" (same logs)" },
    {
        key: "ack",
        seconds: 600,
        what: "ACK managed cluster (control plane)",
        basis: "estimate: the Terraform provider's documentation says creating a cluster \"will cost about 15 minutes\" (with add-ons and workers); its acceptance tests, create and destroy, 717–750 s (aliyun/terraform-provider-alicloud#724); timeout 90 min",
    },
    {
        key: "nodePool",
        seconds: 240,
        what: "node pool of 3 workers, nodes Ready",
        basis: "estimate: ECS instances in parallel (~1 min) plus node initialization and kubelet Ready (2–3 min); Alibaba's ecctl waits up to 600 s for the pool to be active; provider acceptance test with nodes, create+update+delete, 437 s (aliyun/terraform-provider-alicloud#7577)",
    },
    { key: "cen", seconds: 10, what: "CEN instance", basis: "provider acceptance test, create+destroy, 10.5 s (aliyun/terraform-provider-alicloud#901)" },
    {
        key: "transitRouter",
        seconds: 30,
        what: "transit router",
        basis: "estimate: asynchronous, \"in the Creating state … cannot perform other operations\" (CreateTransitRouter API); provider timeout 5 min",
    },
    { key: "routeTable", seconds: 10, what: "transit router route table", basis: "estimate: asynchronous (CreateTransitRouterRouteTable API); provider timeout 3 min" },
    {
        key: "vpcAttachment",
        seconds: 90,
        what: "VPC attachment to a transit router",
        basis: "estimate: whole acceptance test with VPC, CEN, router, attach and detach 148–158 s (aliyun/terraform-provider-alicloud#7659, #9746); provider timeout 42 min",
    },
    {
        key: "peerAttachment",
        seconds: 120,
        what: "inter-region peer attachment",
        basis: "estimate: asynchronous, \"in the Attaching state\" (CreateTransitRouterPeerAttachment API); provider timeout 5 min caps it",
    },
    { key: "routeTableBinding", seconds: 15, what: "route table association or propagation", basis: "estimate: asynchronous, polled every 5 s; provider timeout 5 min" },
    { key: "transitRoute", seconds: 10, what: "static transit router route", basis: "estimate: asynchronous, the provider polls every 1 s; timeout 3 min" },
    {
        key: "vpcRoute",
        seconds: 10,
        what: "VPC route entry toward the transit router",
        basis: "estimate; one at a time per VPC: \"does not support concurrent creation … in the same VPC\" (CreateRouteEntries API), TaskConflict otherwise (provider's resource_alicloud_route_entry.go)",
    },
    { key: "prefixList", seconds: 3, what: "ECS prefix list", basis: "estimate: synchronous API, the provider waits on no status" },
    { key: "securityGroupRule", seconds: 2, what: "security group rule", basis: "estimate: synchronous API, the provider waits on no status" },
    { key: "accessList", seconds: 2, what: "CLB access control list", basis: "estimate: synchronous API (CreateAccessControlList)" },
    { key: "accessListEntry", seconds: 2, what: "entry of a CLB access control list", basis: "estimate: synchronous API (AddAccessControlListEntry)" },
    {
        key: "listenerAccessList",
        seconds: 3,
        what: "whitelist switched on at the API server's listener",
        basis: "estimate: two synchronous CLB calls (DescribeLoadBalancerAttribute, SetLoadBalancerTCPListenerAttribute)",
    },
    { key: "namespace", seconds: 1, what: "Kubernetes Namespace", basis: "one API call" },
    { key: "kubernetesObject", seconds: 1, what: "Secret, label patch, Istio custom resource", basis: "one API call" },
    { key: "serviceRead", seconds: 1, what: "read of a Service's address", basis: "one API call" },
    { key: "baseChart", seconds: 10, what: "Helm release: Istio base (CRDs)", basis: "estimate: CRDs and a webhook configuration, no workload to await" },
    {
        key: "istiodChart",
        seconds: 45,
        what: "Helm release: istiod, Deployment ready",
        basis: "estimate: the Release waits until resources are ready (Pulumi helm.v3.Release, skipAwait); image pull on fresh nodes 10–30 s, readiness probe from 1 s every 3 s (istio-discovery deployment.yaml)",
    },
    { key: "remoteIstiodChart", seconds: 10, what: "Helm release: istiod with the remote profile", basis: "estimate: webhook configuration and config only, no Deployment" },
    {
        key: "gatewayChart",
        seconds: 75,
        what: "Helm release: east-west gateway, pods ready and load balancer address assigned",
        basis: "estimate: pods ~30 s plus the CLB behind the LoadBalancer Service ~45 s (the Release awaits the address, as a Service does: \"External IP address is allocated\", @pulumi/kubernetes Service)",
    },
    { key: "localCrypto", seconds: 1, what: "key or certificate made by the tls provider on the deploying machine", basis: "RSA-4096 generation takes about a second" },
    { key: "none", seconds: 0, what: "providers and components", basis: "no cloud work" },
];

/**
 * Clusters are not alike: the i-th cluster of a topology takes `clusterPaces[i mod 4]` times the table's
 * figure for each of its own steps in `pacedSteps`. With equal clusters a cluster that waits on an unrelated
 * one finishes on time anyway; with unequal ones it finishes late against its own bound.
 */
export const clusterPaces: readonly number[] = [1, 0.8, 1.2, 0.9];
export const pacedSteps: ReadonlySet<LatencyKey> = new Set<LatencyKey>(["vpc", "vswitch", "ack", "nodePool", "baseChart", "istiodChart", "remoteIstiodChart", "gatewayChart"]);

/** The pace of the cluster at `index` in the topology. */
export function paceOf(index: number): number {
    return clusterPaces[index % clusterPaces.length];
}

/** Seconds a step of a cluster with the given pace takes (steps outside `pacedSteps` keep the table's figure). */
export function pacedSecondsOf(key: LatencyKey, pace: number): number {
    return pacedSteps.has(key) ? Math.round(secondsOf(key) * pace) : secondsOf(key);
}

const byKey = new Map(latencies.map((l) => [l.key, l]));

/** Seconds a step takes. */
export function secondsOf(key: LatencyKey): number {
    return byKey.get(key)!.seconds;
}

const keyByType: Record<string, LatencyKey> = {
    [T.vpc]: "vpc",
    [T.vswitch]: "vswitch",
    [T.ack]: "ack",
    [T.nodePool]: "nodePool",
    [T.cen]: "cen",
    [T.transitRouter]: "transitRouter",
    [T.routeTable]: "routeTable",
    [T.vpcAttachment]: "vpcAttachment",
    [T.peerAttachment]: "peerAttachment",
    [T.association]: "routeTableBinding",
    [T.propagation]: "routeTableBinding",
    [T.transitRoute]: "transitRoute",
    [T.vpcRoute]: "vpcRoute",
    [T.prefixList]: "prefixList",
    [T.securityGroupRule]: "securityGroupRule",
    [T.accessList]: "accessList",
    [T.accessListEntry]: "accessListEntry",
    [T.namespace]: "namespace",
    [T.namespacePatch]: "kubernetesObject",
    [T.secret]: "kubernetesObject",
    [T.gateway]: "kubernetesObject",
    [T.virtualService]: "kubernetesObject",
    [T.peerAuthentication]: "kubernetesObject",
    [T.privateKey]: "localCrypto",
    [T.selfSignedCert]: "localCrypto",
    [T.certRequest]: "localCrypto",
    [T.locallySignedCert]: "localCrypto",
    [T.alicloudProvider]: "none",
    [T.kubernetesProvider]: "none",
};

/**
 * The step a registration performs. Components take no time; a type the table does not know is an error,
 * so a new kind of resource cannot slip into the benchmark at zero cost.
 */
export function latencyKeyOf(r: Pick<Registration, "type" | "name" | "custom" | "read" | "inputs">): LatencyKey {
    if (!r.custom) {
        return "none";
    }
    if (r.type === T.service && r.read) {
        return "serviceRead";
    }
    if (r.type === T.dynamic) {
        if (r.inputs.listenerPort === undefined) {
            throw new Error(`the latency table has no figure for dynamic resource ${r.name}`);
        }
        return "listenerAccessList";
    }
    if (r.type === T.release) {
        const inputs = reveal(r.inputs) as { chart?: string; values?: { profile?: string } };
        const chart = String(inputs.chart ?? "").split("/").pop();
        if (chart === "base") {
            return "baseChart";
        }
        if (chart === "istiod") {
            return inputs.values?.profile === "remote" ? "remoteIstiodChart" : "istiodChart";
        }
        if (chart === "gateway") {
            return "gatewayChart";
        }
        throw new Error(`the latency table has no figure for chart ${String(inputs.chart)}`);
    }
    const key = keyByType[r.type];
    if (!key) {
        throw new Error(`the latency table has no figure for ${r.read ? "a read of " : ""}${r.type}`);
    }
    return key;
}

/**
 * What the cloud runs one at a time: every operation on a transit router (a peer attachment occupies the
 * routers at both ends), route entries of one VPC route table, and changes to one CLB access list (the
 * Terraform provider retries `AclEntryProcessing` when they overlap). Route-table-bound work names its table;
 * `routerOfTable` maps a transit router route table to its router.
 */
export function laneOf(r: Registration, routerOfTable: (tableId: string) => string | undefined): string[] {
    const inputs = reveal(r.inputs) as Record<string, string | undefined>;
    switch (r.type) {
        case T.routeTable:
        case T.vpcAttachment:
            return [`tr:${inputs.transitRouterId}`];
        case T.peerAttachment:
            return [`tr:${inputs.transitRouterId}`, `tr:${inputs.peerTransitRouterId}`];
        case T.association:
        case T.propagation:
        case T.transitRoute: {
            const router = routerOfTable(inputs.transitRouterRouteTableId ?? "");
            if (!router) {
                throw new Error(`${r.name} names route table ${inputs.transitRouterRouteTableId}, which no transit router owns`);
            }
            return [`tr:${router}`];
        }
        case T.vpcRoute:
            return [`vtb:${inputs.routeTableId}`];
        case T.accessListEntry:
            return [`acl:${inputs.aclId}`];
        default:
            return [];
    }
}
