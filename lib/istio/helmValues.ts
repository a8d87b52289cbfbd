import { deepMerge } from "../internal/merge";
import { multiRootIstiodValues } from "../trust/pki";
import { ValidationFailurePolicy } from "../model/vocabulary";

/**
 * Helm values for Istio's official charts (base, istiod, gateway), built to the 1.30.3 charts' own
 * values.yaml and the gateway chart's values.schema.json. Pure functions; the components install them.
 */

export const defaultChartRepository = "https://istio-release.storage.googleapis.com/charts";
export const eastWestGatewayReleaseName = "istio-eastwestgateway";
export const ingressGatewayReleaseName = "istio-ingressgateway";

function validationValues(policy: ValidationFailurePolicy | undefined): Record<string, unknown> {
    return policy ? { base: { validationFailurePolicy: policy } } : {};
}

/** A webhook's `caBundle`: the charts write the value into it verbatim, so it is the PEM in base64. */
export function webhookCaBundle(pem: string): string {
    return Buffer.from(pem, "utf8").toString("base64");
}

/** What every chart in one cluster shares: where images come from and which revision they belong to. */
export interface ImageSettings {
    /** Image registry (`global.hub`), e.g. an Alibaba Container Registry mirror. */
    hub?: string;
    /** Image tag (`global.tag`); the chart's own version when unset. */
    tag?: string;
    /** Names of image pull Secrets (`global.imagePullSecrets`). */
    imagePullSecrets?: string[];
}

export interface MeshIdentity {
    meshId: string;
    clusterName: string;
    network: string;
}

function imageValues(images: ImageSettings): Record<string, unknown> {
    return {
        ...(images.hub ? { hub: images.hub } : {}),
        ...(images.tag ? { tag: images.tag } : {}),
        ...(images.imagePullSecrets && images.imagePullSecrets.length > 0 ? { imagePullSecrets: images.imagePullSecrets } : {}),
    };
}

/**
 * `base` chart values: CRDs and cluster-wide resources; a remote installs them with the remote profile.
 * With a revision, the default validating webhook must point at that revision, not at one of its tags:
 * base names the webhook's service `istiod-<defaultRevision>` and labels it `istio.io/rev`, and istiod
 * patches only webhooks labelled with its revision (a tag's service is `istiod-revision-tag-<tag>`).
 * base has no images, so only pull secrets apply.
 */
export function baseValues(args: {
    remote: boolean;
    istioNamespace: string;
    images: ImageSettings;
    defaultRevision?: string;
    validationFailurePolicy?: ValidationFailurePolicy;
    /**
     * Certificates (PEM) the default validator trusts istiod with (`base.validationCABundle`). Set, the
     * chart makes the webhook fail closed from the start and istiod no longer patches it; this takes
     * precedence over `validationFailurePolicy`.
     */
    validationCaPem?: string;
}): Record<string, unknown> {
    const pullSecrets = args.images.imagePullSecrets ?? [];
    return {
        ...(args.remote ? { profile: "remote" } : {}),
        ...(args.defaultRevision ? { defaultRevision: args.defaultRevision } : {}),
        ...deepMerge(validationValues(args.validationFailurePolicy), args.validationCaPem ? { base: { validationCABundle: webhookCaBundle(args.validationCaPem) } } : undefined),
        global: { istioNamespace: args.istioNamespace, ...(pullSecrets.length > 0 ? { imagePullSecrets: pullSecrets } : {}) },
    };
}

export interface PrimaryIstiodOptions extends MeshIdentity {
    istioNamespace: string;
    revision?: string;
    images: ImageSettings;
    /** Serve remote clusters (`global.externalIstiod`). */
    externalIstiod: boolean;
    /** Capture DNS in the sidecar so services that exist only in other clusters resolve. */
    dnsCapture: boolean;
    /** Trust more than one root (during a root rotation). */
    multiRootTrust: boolean;
    /** `meshConfig.trustDomain`. @default unset (Istio's `cluster.local`) */
    trustDomain?: string;
    /** `meshConfig.localityLbSetting`. @default { enabled: true } */
    localityLbSetting?: Record<string, unknown>;
    /** The validating webhook's failure policy (the istiod chart renders the per-revision validator). */
    validationFailurePolicy?: ValidationFailurePolicy;
    /** Escape hatch, deep-merged last. */
    extraValues?: Record<string, unknown>;
}

/** Istio's trust domain when meshConfig sets none. */
export const defaultTrustDomain = "cluster.local";

/** `istiod` chart values for a primary cluster. */
export function primaryIstiodValues(o: PrimaryIstiodOptions): Record<string, unknown> {
    return deepMerge(
        {
            ...(o.revision ? { revision: o.revision } : {}),
            // Serving remotes puts istiod on their critical path (their injector fails closed): two at least.
            // The chart autoscales by default and then ignores replicaCount; it adds its own budget.
            ...(o.externalIstiod ? { autoscaleMin: 2, replicaCount: 2 } : {}),
            global: {
                istioNamespace: o.istioNamespace,
                meshID: o.meshId,
                multiCluster: { clusterName: o.clusterName },
                network: o.network,
                ...(o.externalIstiod ? { externalIstiod: true } : {}),
                ...imageValues(o.images),
            },
            meshConfig: {
                ...(o.trustDomain ? { trustDomain: o.trustDomain } : {}),
                // Locality load balancing keeps traffic in the caller's region while it is healthy.
                localityLbSetting: o.localityLbSetting ?? { enabled: true },
                ...(o.dnsCapture ? { defaultConfig: { proxyMetadata: { ISTIO_META_DNS_CAPTURE: "true" } } } : {}),
            },
            ...validationValues(o.validationFailurePolicy),
        },
        o.multiRootTrust ? multiRootIstiodValues() : undefined,
        o.extraValues,
    );
}

export interface RemoteIstiodOptions extends MeshIdentity {
    istioNamespace: string;
    revision?: string;
    images: ImageSettings;
    /** The IP at which the remote reaches its primary's istiod (15012, 15017). */
    remotePilotAddress: string;
    /**
     * Certificates (PEM) the injection webhook trusts the primary's istiod with
     * (`istiodRemote.injectionCABundle`), so pods are injected before the primary first patches the webhook.
     */
    injectionCaPem?: string;
    extraValues?: Record<string, unknown>;
}

/** The injection path istiod serves for one cluster and network. */
export function injectionPath(clusterName: string, network: string): string {
    return `/inject/cluster/${clusterName}/net/${network}`;
}

/** `istiod` chart values for a remote cluster: the remote profile, pointing at its primary's istiod. */
export function remoteIstiodValues(o: RemoteIstiodOptions): Record<string, unknown> {
    return deepMerge(
        {
            profile: "remote",
            ...(o.revision ? { revision: o.revision } : {}),
            global: {
                istioNamespace: o.istioNamespace,
                meshID: o.meshId,
                multiCluster: { clusterName: o.clusterName },
                network: o.network,
                remotePilotAddress: o.remotePilotAddress,
                // The remote holds no mesh config of its own: its primary's istiod reads config from the primary.
                configCluster: false,
                ...imageValues(o.images),
            },
            istiodRemote: {
                injectionPath: injectionPath(o.clusterName, o.network),
                ...(o.injectionCaPem ? { injectionCABundle: webhookCaBundle(o.injectionCaPem) } : {}),
            },
        },
        o.extraValues,
    );
}

/** How a gateway's Service gets its address. */
export interface GatewayServiceOptions {
    /** `None` leaves the Service to the caller. @default LoadBalancer, or ClusterIP with externalIPs */
    type?: "None";
    /** Annotations for the Service (e.g. Alibaba CLB address type and specification). */
    annotations?: Record<string, string>;
    /** Fixed addresses instead of a load balancer (the Service becomes a ClusterIP Service with externalIPs). */
    externalIPs?: string[];
    /** Source ranges allowed through the load balancer. */
    loadBalancerSourceRanges?: string[];
}

/** Kubernetes quantities for one resource kind. */
export interface ResourceQuantities {
    /** CPU, e.g. `500m` or `2`. @default none */
    cpu?: string;
    /** Memory, e.g. `512Mi`. @default none */
    memory?: string;
}

/** A gateway container's requests and limits. */
export interface GatewayResources {
    /** What the scheduler reserves. @default none */
    requests?: ResourceQuantities;
    /** What the container may use at most. @default none */
    limits?: ResourceQuantities;
}

/** A PodDisruptionBudget: a number of pods or a percentage, for one of its two fields. */
export interface PodDisruptionBudgetSettings {
    /** Pods that must stay up through a voluntary disruption, e.g. `1` or `"50%"`. @default none */
    minAvailable?: number | string;
    /** Pods that may be down at once through a voluntary disruption. @default none */
    maxUnavailable?: number | string;
}

/** How an east-west gateway stays up through node drains, zone outages and upgrades. */
export interface GatewayAvailability {
    /** Pods (the autoscaler's minimum, and `replicaCount` where autoscaling is off). @default 2 */
    replicas?: number;
    /** The gateway container's requests and limits. @default the chart's (100m CPU, 128Mi requested) */
    resources?: GatewayResources;
    /** The PodDisruptionBudget: one of `minAvailable`, `maxUnavailable`. @default { minAvailable: 1 } */
    podDisruptionBudget?: PodDisruptionBudgetSettings;
    /** Spread the pods across zones (`topology.kubernetes.io/zone`), as far as the nodes allow. @default true */
    zoneSpread?: boolean;
}

/** The east-west gateway's pods, as the chart selects them. */
export const eastWestGatewaySelector = { app: eastWestGatewayReleaseName, istio: "eastwestgateway" };

/** The chart's own autoscaler ceiling, raised when more replicas than that are asked for. */
const gatewayChartMaxReplicas = 5;

function availabilityValues(a: GatewayAvailability): Record<string, unknown> {
    const replicas = a.replicas ?? 2;
    return {
        replicaCount: replicas,
        autoscaling: { minReplicas: replicas, maxReplicas: Math.max(replicas, gatewayChartMaxReplicas) },
        // The chart renders it only with more than one replica (a budget of one pod would block every drain).
        podDisruptionBudget: a.podDisruptionBudget ?? { minAvailable: 1 },
        ...(a.resources ? { resources: a.resources } : {}),
        ...((a.zoneSpread ?? true)
            ? {
                  topologySpreadConstraints: [
                      { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: eastWestGatewaySelector } },
                  ],
              }
            : {}),
    };
}

/** `gateway` chart values for a cluster's east-west gateway (`networkGateway` sets its label and ports). */
export function eastWestGatewayValues(o: {
    network: string;
    revision?: string;
    service: GatewayServiceOptions;
    availability?: GatewayAvailability;
    extraValues?: Record<string, unknown>;
}): Record<string, unknown> {
    return deepMerge(
        {
            ...(o.revision ? { revision: o.revision } : {}),
            // The chart derives `istio: eastwestgateway` from the release name; stated so the selector is explicit.
            labels: { istio: eastWestGatewaySelector.istio },
            networkGateway: o.network,
            service: serviceValues(o.service),
            ...availabilityValues(o.availability ?? {}),
        },
        o.extraValues,
    );
}

/** `gateway` chart values for an ingress gateway. */
export function ingressGatewayValues(o: { revision?: string; service: GatewayServiceOptions; extraValues?: Record<string, unknown> }): Record<string, unknown> {
    return deepMerge(
        {
            ...(o.revision ? { revision: o.revision } : {}),
            labels: { istio: "ingressgateway" },
            service: serviceValues(o.service),
        },
        o.extraValues,
    );
}

function serviceValues(s: GatewayServiceOptions): Record<string, unknown> {
    if (s.type === "None") {
        return { type: "None" };
    }
    const fixed = (s.externalIPs ?? []).length > 0;
    return {
        type: fixed ? "ClusterIP" : "LoadBalancer",
        ...(s.annotations && Object.keys(s.annotations).length > 0 ? { annotations: s.annotations } : {}),
        ...(fixed ? { externalIPs: s.externalIPs } : {}),
        ...(s.loadBalancerSourceRanges && s.loadBalancerSourceRanges.length > 0 ? { loadBalancerSourceRanges: s.loadBalancerSourceRanges } : {}),
    };
}

/** Labels that enable sidecar injection in a namespace for a revision (or the default one). */
export function injectionLabels(revision: string | undefined): Record<string, string> {
    return revision ? { "istio.io/rev": revision } : { "istio-injection": "enabled" };
}
