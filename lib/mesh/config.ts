import Ajv from "ajv";
import schema from "./meshConfig.schema.json";
import { ClusterRole, GatewayAddressType, MtlsMode, NetworkLinkMode, PodNetworking, TrustMode, ValidationFailurePolicy } from "../model/vocabulary";
import { Problem } from "../model/problems";
import { ClusterTopology, MeshTopology } from "../model/topology";

/** The stack config value `mesh`: the whole topology as data (see meshConfig.schema.json). */
export interface MeshConfig {
    meshId: string;
    istio?: {
        version?: string;
        hub?: string;
        chartRepository?: string;
        revision?: string;
        imagePullSecrets?: string[];
        values?: Record<string, unknown>;
        /** Don't wait for Istio's workloads (or the verification workload) to become ready. @default false */
        skipAwait?: boolean;
        /** Failure policy of Istio's validating webhooks. @default the charts' own */
        validationFailurePolicy?: ValidationFailurePolicy;
    };
    trust?: {
        mode?: TrustMode;
        organization?: string;
        rootCertPem?: string;
        rootKeyPem?: string;
        intermediates?: Record<string, { caCertPem: string; caKeyPem: string; certChainPem?: string }>;
    };
    networkLink?: { mode?: NetworkLinkMode; internetPeerRanges?: string[]; bandwidth?: number };
    /** Who may reach the API servers of ACK clusters, besides the mesh's own istiods (see AckCluster). */
    apiServerAccess?: { clientRanges?: string[] };
    mtls?: MtlsMode;
    localityFailover?: {
        enabled?: boolean;
        failover?: { from: string; to: string }[];
        /** Per-service failover, each in its own DestinationRule. */
        services?: { name: string; namespace: string; host: string; failover: { from: string; to: string }[] }[];
    };
    /** Opt-in check workload: helloworld v1 and v2 in the first two clusters, sleep in every cluster. */
    verification?: { enabled?: boolean; helloworldImage?: string; curlImage?: string };
    clusters: ClusterConfig[];
}

export interface ClusterConfig {
    name: string;
    role: ClusterRole;
    controlPlane?: string;
    network: string;
    region?: string;
    /** A cluster this library creates on ACK. */
    ack?: {
        vpcCidr: string;
        podCidr?: string;
        serviceCidr: string;
        workers?: number;
        kubernetesVersion: string;
        zones?: string[];
        podNetworking?: PodNetworking;
        instanceTypes?: string[];
        publicApiServer?: boolean;
    };
    /** An existing cluster: its kubeconfig (a secret) and API server URL as peers reach it. */
    kubeconfig?: string;
    apiServer?: string;
    vpc?: string;
    vpcCidr?: string;
    podCidr?: string;
    serviceCidr?: string;
    injectionNamespaces?: string[];
    /** `istio-system` already exists here: adopt it, and leave it in place on destroy. @default false */
    existingIstioNamespace?: boolean;
    eastWestGateway?: { addressType?: GatewayAddressType; externalIPs?: string[] };
    ingressGateway?: boolean;
}

export { schema as meshConfigSchema };

const validateSchema = new Ajv({ allErrors: true, strict: false }).compile(schema);

function jsonPointerToPath(prefix: string, pointer: string): string {
    return pointer
        .split("/")
        .slice(1)
        .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : `${path}.${part.replace(/~1/g, "/").replace(/~0/g, "~")}`), prefix);
}

/**
 * Checks the shape of a `mesh` config value against its JSON Schema, plus what a schema cannot say (each
 * cluster either made on ACK or existing). Paths start at `prefix` (the config key).
 */
export function meshConfigShapeProblems(raw: unknown, prefix = "mesh"): Problem[] {
    const problems: Problem[] = [];
    if (!validateSchema(raw)) {
        for (const e of validateSchema.errors ?? []) {
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
    if (match && config.clusters[Number(match[1])]?.ack) {
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
