import Ajv, { type ErrorObject } from "ajv";
import schema from "./meshConfig.schema.json";
import { ClusterRole, GatewayAddressType, MtlsMode, NetworkLinkMode, PodNetworking, TrustMode, ValidationFailurePolicy } from "../model/vocabulary";
import { Problem } from "../model/problems";
import { AckClusterSettings, CloudPlacement } from "../alicloud/ackSettings";
import { ClusterTopology, MeshTopology } from "../model/topology";

/**
 * The stack config value `mesh`: the whole mesh as data. `MultiClusterMesh` checks it against the JSON
 * Schema generated from these interfaces (`meshConfig.schema.json`), then checks the topology.
 */
export interface MeshConfig {
    /** Istio's mesh ID (`global.meshID`); a DNS-1123 label. */
    meshId: string;
    /** Which Istio, from where, and how it is installed. */
    istio?: IstioConfig;
    /** Where the mesh's root of trust comes from. */
    trust?: TrustConfig;
    /** How the networks of the clusters made on ACK are joined. */
    networkLink?: NetworkLinkConfig;
    /** Who may reach the API servers of ACK clusters, besides the mesh's own istiods. */
    apiServerAccess?: ApiServerAccessConfig;
    /** The resource group and tags of everything made on Alibaba Cloud (clusters, VPCs, CEN). */
    alicloud?: CloudPlacement;
    /**
     * Mesh-wide mutual TLS: `STRICT` refuses plaintext between workloads, `PERMISSIVE` accepts it.
     * @default "STRICT"
     */
    mtls?: MtlsMode;
    /** Locality failover across regions, mesh-wide or per service. */
    localityFailover?: LocalityFailoverConfig;
    /** Istio's multicluster check: helloworld v1 and v2 in the first two clusters, a curl client in every cluster. */
    verification?: VerificationConfig;
    /**
     * The clusters of the mesh, each made on ACK (`ack`) or existing (`kubeconfig` and `apiServer`).
     * @minItems 1
     */
    clusters: ClusterConfig[];
}

/** Which Istio, from where, and how it is installed. */
export interface IstioConfig {
    /**
     * Istio release whose charts are installed.
     * @default "1.30.3"
     */
    version?: string;
    /**
     * Image registry (`global.hub`), e.g. an Alibaba Container Registry mirror. Default: the charts' own,
     * `registry.istio.io/release` in Istio's published 1.30 charts.
     */
    hub?: string;
    /**
     * Helm repository (HTTP index or `oci://` registry) of Istio's charts.
     * @default "https://istio-release.storage.googleapis.com/charts"
     */
    chartRepository?: string;
    /**
     * The main istiod revision (gateways and `base`'s default validator follow it); namespaces are labelled
     * `istio.io/rev` with the first revision tag, or this. Default: no revision.
     */
    revision?: string;
    /** Revision tags pointing at `revision`: moving one to another revision moves the namespaces labelled with it. */
    revisionTags?: string[];
    /**
     * Further istiod revisions beside `revision` in every cluster, remotes included: a canary upgrade
     * (see the README's runbook).
     */
    additionalRevisions?: RevisionConfig[];
    /** Pull secrets for Istio's images (`global.imagePullSecrets`), in every cluster. */
    imagePullSecrets?: string[];
    /**
     * SPIFFE trust domain of every workload in the mesh (`meshConfig.trustDomain` of every primary; remotes
     * take their primary's). Set it here, not in `values`, so it is one for the whole mesh.
     * @default "cluster.local"
     */
    trustDomain?: string;
    /** Extra values for the istiod chart, merged over the ones the mesh sets. */
    values?: Record<string, unknown>;
    /**
     * Apply Helm releases without waiting for Istio's workloads (and the verification workload) to become
     * ready. Load balancer addresses are then not waited for either: give east-west gateways `externalIPs`.
     * @default false
     */
    skipAwait?: boolean;
    /**
     * `base.validationFailurePolicy` of Istio's validating webhooks; `Ignore` keeps Istio config writable
     * while no istiod answers. Default: the charts' own.
     */
    validationFailurePolicy?: ValidationFailurePolicy;
}

/** A further istiod revision, e.g. the canary of a newer Istio. */
export interface RevisionConfig {
    /** Its name, a DNS-1123 label such as `1-31-0`. */
    revision: string;
    /** Istio release of its istiod chart. Default: `istio.version`. */
    version?: string;
    /** Revision tags pointing at it. */
    revisionTags?: string[];
}

/** Where the mesh's root of trust comes from. */
export interface TrustConfig {
    /**
     * `generated` makes a root here; `imported` signs intermediates with `rootCertPem` and `rootKeyPem`;
     * `external` takes every primary's finished intermediate. Default: `imported` when `rootKeyPem` is set,
     * else `generated`.
     */
    mode?: TrustMode;
    /**
     * Organization in the CA subjects.
     * @default "Istio"
     */
    organization?: string;
    /** The root certificate (PEM), for modes `imported` and `external`. */
    rootCertPem?: string;
    /** The root's private key (PEM), for mode `imported`. Set it as a secret. */
    rootKeyPem?: string;
    /** Each primary's intermediate, by cluster name, for mode `external`. */
    intermediates?: Record<string, IntermediateConfig>;
}

/** One primary's intermediate CA, made outside Pulumi (mode `external`). */
export interface IntermediateConfig {
    /** The intermediate's certificate (PEM): `ca-cert.pem`. */
    caCertPem: string;
    /** The intermediate's private key (PEM): `ca-key.pem`. Set it as a secret. */
    caKeyPem: string;
    /** The chain up to the root (PEM): `cert-chain.pem`. Default: the intermediate and the root. */
    certChainPem?: string;
}

/** How the networks of the clusters made on ACK are joined. */
export interface NetworkLinkConfig {
    /**
     * `cen`: transit routers join VPCs within and across regions; `same-vpc`: every cluster shares one VPC;
     * `none`: the networks are joined already, or the mesh crosses them only through internet gateways.
     * @default "none"
     */
    mode?: NetworkLinkMode;
    /**
     * Egress ranges (NAT gateway EIPs, on-premises ranges) of peers that reach internet-facing east-west
     * gateways and, with mode `none`, the API servers.
     */
    internetPeerRanges?: string[];
    /**
     * Bandwidth of each inter-region CEN connection, in Mbit/s.
     * @asType integer
     * @minimum 1
     * @default 100
     */
    bandwidth?: number;
    /**
     * Capacity of each security-group prefix list (the mesh's peer ranges). Fixed at creation: changing it
     * later replaces the lists and their rules. Raise it when the peers' ranges outgrow it; lower it when
     * security groups would pass their rule quota.
     * @asType integer
     * @minimum 1
     * @maximum 200
     * @default 40
     */
    prefixListMaxEntries?: number;
    /**
     * Rules each cluster's security group may hold: ECS's limit, unless your account's was raised. The
     * mesh's rules, each counted as its prefix list's capacity, and 10 kept for ACK's own must fit.
     * @asType integer
     * @minimum 1
     * @default 200
     */
    securityGroupRuleQuota?: number;
}

/** Who may reach the API servers of ACK clusters, besides the mesh's own istiods. */
export interface ApiServerAccessConfig {
    /**
     * Egress ranges of the machines that deploy and operate the clusters (CI runners, workstations).
     * Required while the public API endpoint is on.
     */
    clientRanges?: string[];
}

/** Locality failover across regions, mesh-wide or per service. */
export interface LocalityFailoverConfig {
    /**
     * Turn mesh-wide failover on or off. Default: on when `failover` lists a rule.
     */
    enabled?: boolean;
    /** Mesh-wide failover order: traffic from one region fails over to another. */
    failover?: FailoverRuleConfig[];
    /** Per-service failover, each in its own DestinationRule. */
    services?: ServiceFailoverConfig[];
}

/** Traffic from one region fails over to another. */
export interface FailoverRuleConfig {
    /** The region traffic comes from. */
    from: string;
    /** The region it fails over to. */
    to: string;
}

/** Failover for one service, in its own DestinationRule. */
export interface ServiceFailoverConfig {
    /** The DestinationRule's name. */
    name: string;
    /** The service's namespace. */
    namespace: string;
    /** The service's host, e.g. `reviews.bookinfo.svc.cluster.local`. */
    host: string;
    /** The failover order for this service. */
    failover: FailoverRuleConfig[];
}

/** Istio's multicluster check: helloworld v1 and v2 in the first two clusters, a curl client in every cluster. */
export interface VerificationConfig {
    /**
     * Deploy the check workload.
     * @default false
     */
    enabled?: boolean;
    /**
     * Image of helloworld, without its `-v1:1.0` / `-v2:1.0` suffix.
     * @default "docker.io/istio/examples-helloworld"
     */
    helloworldImage?: string;
    /**
     * Image of the curl client.
     * @default "docker.io/curlimages/curl:8.16.0"
     */
    curlImage?: string;
}

/** One cluster of the mesh: made on ACK (`ack`), or existing (`kubeconfig` and `apiServer`). */
export interface ClusterConfig {
    /** Istio cluster ID (`global.multiCluster.clusterName`); a DNS-1123 label, unique in the mesh. */
    name: string;
    /** `primary` runs istiod; `remote` is served by the istiod of `controlPlane`. */
    role: ClusterRole;
    /** For a remote: the primary whose istiod serves it. */
    controlPlane?: string;
    /** Istio network (`topology.istio.io/network`); clusters on one network reach each other's pods directly. */
    network: string;
    /** Alibaba Cloud region, e.g. `cn-hangzhou`. Required for ACK clusters and with `networkLink.mode` `cen`. */
    region?: string;
    /** A cluster this library creates on ACK. */
    ack?: AckConfig;
    /** An existing cluster's kubeconfig. Set it as a secret. */
    kubeconfig?: string;
    /** An existing cluster's API server URL, as the other clusters' istiods reach it. */
    apiServer?: string;
    /**
     * CA certificates (PEM) the other clusters' istiods verify this API server with, when a proxy or load
     * balancer in front of it presents its own certificate. Default: the cluster CA from the reader's token.
     */
    apiServerCaPem?: string;
    /**
     * The name the other clusters' istiods expect in this API server's certificate (`tls-server-name` in
     * the remote secret), when it is not the host they connect to. Default: that host.
     */
    apiServerTlsServerName?: string;
    /**
     * The VPC the cluster's nodes run in; clusters naming the same VPC share one. Default: a VPC of its own
     * (with `networkLink.mode` `same-vpc`, one for all).
     */
    vpc?: string;
    /** An existing cluster's VPC range, for validation. */
    vpcCidr?: string;
    /** An existing cluster's overlay pod range, for validation. */
    podCidr?: string;
    /** An existing cluster's service range, for validation. */
    serviceCidr?: string;
    /** Namespaces labelled for sidecar injection. */
    injectionNamespaces?: string[];
    /**
     * `istio-system` already exists here: adopt it (labels by server-side patch), and leave it in place on
     * destroy.
     * @default false
     */
    existingIstioNamespace?: boolean;
    /** The cluster's east-west gateway, where the mesh gives it one. */
    eastWestGateway?: EastWestGatewayConfig;
    /**
     * Install an ingress gateway.
     * @default false
     */
    ingressGateway?: boolean;
}

/** A cluster made on ACK, with the settings platform teams require. */
export interface AckConfig extends AckClusterSettings {
    /** The VPC's range. */
    vpcCidr: string;
    /** Flannel's overlay pod range; required with Flannel, rejected with Terway. */
    podCidr?: string;
    /** Kubernetes service range. */
    serviceCidr: string;
    /**
     * Worker nodes; at least 3.
     * @asType integer
     * @default 3
     */
    workers?: number;
    /**
     * Kubernetes version, e.g. `1.33.1-aliyun.1`; Istio 1.30 supports 1.32 to 1.36. Left out, ACK takes
     * its newest version at creation (and never upgrades it): refused if Istio does not support that one.
     */
    kubernetesVersion?: string;
    /** At least two zones for vSwitches. Default: the region's first two. */
    zones?: string[];
    /**
     * `terway` gives pods VPC addresses; `flannel` puts them on `podCidr`.
     * @default "terway"
     */
    podNetworking?: PodNetworking;
    /**
     * ECS instance types for workers, in order of preference.
     * @default ["ecs.g7.xlarge", "ecs.g6.xlarge"]
     */
    instanceTypes?: string[];
    /**
     * Expose the API server on a public address.
     * @default true
     */
    publicApiServer?: boolean;
}

/** A cluster's east-west gateway. */
export interface EastWestGatewayConfig {
    /**
     * Where its load balancer listens. Default: `intranet` when the networks are joined, else `internet`.
     */
    addressType?: GatewayAddressType;
    /** Fixed node addresses for the gateway instead of a load balancer. */
    externalIPs?: string[];
    /**
     * Gateway pods: the autoscaler's minimum (the chart autoscales), and `replicaCount` where that is off.
     * @asType integer
     * @minimum 1
     * @default 2
     */
    replicas?: number;
    /** The gateway container's requests and limits (`cpu`, `memory`). Default: the chart's. */
    resources?: GatewayResourcesConfig;
    /** The gateway's PodDisruptionBudget: one of `minAvailable`, `maxUnavailable`. Default: `{ minAvailable: 1 }`. */
    podDisruptionBudget?: PodDisruptionBudgetConfig;
    /**
     * Spread the gateway's pods across zones (`topology.kubernetes.io/zone`), as far as the nodes allow.
     * @default true
     */
    zoneSpread?: boolean;
    /** Further annotations for the gateway's load balancer Service (Alibaba CLB settings, say). */
    serviceAnnotations?: Record<string, string>;
}

/** Requests and limits of a gateway container, as Kubernetes quantities. */
export interface GatewayResourcesConfig {
    /** What the scheduler reserves for each gateway pod. */
    requests?: ResourceQuantitiesConfig;
    /** What each gateway pod may use at most. */
    limits?: ResourceQuantitiesConfig;
}

/** CPU and memory as Kubernetes quantities. */
export interface ResourceQuantitiesConfig {
    /** CPU, e.g. `500m` or `1`. */
    cpu?: string;
    /** Memory, e.g. `256Mi` or `1Gi`. */
    memory?: string;
}

/** A PodDisruptionBudget: pods that must stay, or may go, during voluntary disruptions. */
export interface PodDisruptionBudgetConfig {
    /** Pods (or a percentage such as `50%`) that must stay available. */
    minAvailable?: number | string;
    /** Pods (or a percentage) that may be unavailable. */
    maxUnavailable?: number | string;
}

/** The JSON Schema (draft-07) of `MeshConfig`, generated from the interfaces above. */
export const meshConfigSchema: Readonly<Record<string, unknown>> = schema;

/**
 * Every place the config departs from the schema, none when it conforms. Compiled per call (about 30 ms)
 * rather than once at load, so that the options are exercised by the tests that read the errors.
 */
function schemaErrors(raw: unknown): ErrorObject[] {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    validate(raw);
    // Ajv leaves `errors` null for a valid config.
    return validate.errors ?? [];
}

function jsonPointerToPath(prefix: string, pointer: string): string {
    return pointer
        .split("/")
        .slice(1)
        .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : `${path}.${part.replace(/~1/g, "/").replace(/~0/g, "~")}`), prefix);
}

/**
 * The settings the schema finds malformed, as key paths into the config (a setting not allowed where it
 * is, or a value of the wrong type or range); undefined when a required setting is missing, since there
 * is no setting to take out then.
 */
export function malformedSettings(raw: unknown): (string | number)[][] | undefined {
    const paths: (string | number)[][] = [];
    for (const e of schemaErrors(raw)) {
        if (e.keyword === "required") {
            return undefined;
        }
        const keys = e.instancePath
            .split("/")
            .slice(1)
            .map((part) => (/^\d+$/.test(part) ? Number(part) : part.replace(/~1/g, "/").replace(/~0/g, "~")));
        // Stryker disable next-line ConditionalExpression: other keywords have no additionalProperty, and a trailing key that is not a name is dropped when the setting is taken out
        paths.push(e.keyword === "additionalProperties" ? [...keys, (e.params as { additionalProperty: string }).additionalProperty] : keys);
    }
    return paths;
}

/**
 * Checks the shape of a `mesh` config value against its JSON Schema, plus what a schema cannot say (each
 * cluster either made on ACK or existing). Paths start at `prefix` (the config key).
 */
export function meshConfigShapeProblems(raw: unknown, prefix: string): Problem[] {
    const problems: Problem[] = [];
    const errors = schemaErrors(raw);
    if (errors.length > 0) {
        for (const e of errors) {
            const at = jsonPointerToPath(prefix, e.instancePath);
            if (e.keyword === "additionalProperties") {
                const extra = (e.params as { additionalProperty: string }).additionalProperty;
                problems.push({ propertyPath: `${at}.${extra}`, reason: `${extra} is not a setting here` });
            } else if (e.keyword === "required") {
                const missing = (e.params as { missingProperty: string }).missingProperty;
                problems.push({ propertyPath: `${at}.${missing}`, reason: `${missing} is required` });
            } else if (e.keyword === "enum") {
                problems.push({ propertyPath: at, reason: `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(", ")}` });
            } else {
                // Stryker disable next-line StringLiteral: Ajv gives every error a message unless compiled with `messages: false`
                problems.push({ propertyPath: at, reason: e.message ?? "is not valid" });
            }
        }
        return problems;
    }
    const config = raw as unknown as MeshConfig;
    config.clusters.forEach((c, i) => {
        const at = `${prefix}.clusters[${i}]`;
        const existing = c.kubeconfig !== undefined || c.apiServer !== undefined;
        if (c.ack && existing) {
            problems.push({ propertyPath: at, reason: `cluster "${c.name}" is either made on ACK (ack) or existing (kubeconfig, apiServer), not both` });
        } else if (!c.ack && (c.kubeconfig === undefined || c.apiServer === undefined)) {
            problems.push({ propertyPath: at, reason: `cluster "${c.name}" needs ack settings to be made on ACK, or kubeconfig and apiServer for an existing cluster` });
        }
        if (c.ack) {
            for (const field of ["vpcCidr", "podCidr", "serviceCidr"] as const) {
                if (c[field] !== undefined) {
                    problems.push({ propertyPath: `${at}.${field}`, reason: `for an ACK cluster, set ${field} under ack` });
                }
            }
        }
    });
    return problems;
}

/** Where a topology field of cluster i lives in the config: under `ack` for ACK clusters. */
function configPath(config: MeshConfig, topologyPath: string, prefix: string): string {
    const match = /^clusters\[(\d+)\]\.(vpcCidr|podCidr|serviceCidr|workers|kubernetesVersion)$/.exec(topologyPath);
    if (match && config.clusters[Number(match[1])].ack) {
        return `${prefix}.clusters[${match[1]}].ack.${match[2]}`;
    }
    return `${prefix}.${topologyPath}`;
}

/** The topology a config describes, and a way to name topology problems by their config fields. */
export function topologyOfConfig(config: MeshConfig, prefix = "mesh"): { topology: MeshTopology; locate: (p: Problem) => Problem } {
    const clusters: ClusterTopology[] = config.clusters.map((c) => ({
        name: c.name,
        role: c.role,
        controlPlane: c.controlPlane,
        network: c.network,
        region: c.region,
        vpc: c.vpc,
        vpcCidr: c.ack?.vpcCidr ?? c.vpcCidr,
        podCidr: c.ack?.podCidr ?? c.podCidr,
        serviceCidr: c.ack?.serviceCidr ?? c.serviceCidr,
        workers: c.ack ? (c.ack.workers ?? 3) : undefined,
        kubernetesVersion: c.ack?.kubernetesVersion,
    }));
    return {
        topology: { meshId: config.meshId, networkLink: { mode: config.networkLink?.mode ?? "none" }, clusters },
        locate: (p) => ({ propertyPath: configPath(config, p.propertyPath, prefix), reason: p.reason }),
    };
}
