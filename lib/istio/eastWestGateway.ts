import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { withComponentDependsOn } from "../internal/dependsOn";
import { ipAddressProblem } from "../internal/formats";
import { Problem, reportInputProblems } from "../model/problems";
import { istioRelease, loadBalancerAddress, loadBalancerIp } from "./releases";
import { IstioCluster } from "./clusterContract";
import { crossNetworkGateway, IstioObject, istiodExposure } from "./istioConfigObjects";
import { GatewayAddressType, GatewayNodePorts } from "../model/vocabulary";
import { eastWestServiceManifest, serviceSettingsProblems } from "./gatewayService";
import { eastWestGatewayReleaseName, eastWestGatewayValues, GatewayAvailability, GatewayServiceOptions } from "./helmValues";

/** The Alibaba Cloud CCM annotation choosing a CLB's address type. */
export const alibabaAddressTypeAnnotation = "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type";

/** Istio's east-west gateway on one cluster: how it is reached, what it exposes, how available it is. */
export interface EastWestGatewayArgs {
    /** The cluster the gateway runs in. */
    readonly cluster: IstioCluster;
    /**
     * Alibaba Cloud CLB address of the gateway's load balancer: `intranet` when the networks are joined
     * privately (CEN, one VPC), `internet` when peers reach it over the internet. Unset leaves the choice
     * to `serviceAnnotations` and the cloud's default.
     * @default unset
     */
    readonly addressType?: GatewayAddressType;
    /** Further annotations for the gateway's LoadBalancer Service. @default {} */
    readonly serviceAnnotations?: Record<string, string>;
    /**
     * Fixed addresses (e.g. node IPs of an on-prem cluster) instead of a load balancer; the first one is
     * the gateway's address.
     * @default [] (a LoadBalancer Service)
     */
    readonly externalIPs?: string[];
    /** Source ranges admitted by the load balancer (peers' egress). @default [] (all) */
    readonly loadBalancerSourceRanges?: string[];
    /**
     * Pin the Service's NodePorts (15443, 15012, 15017). Needed where the load balancer forwards to nodes
     * (Flannel on ACK), so security groups can admit exactly those ports; the component then owns the
     * Service instead of the chart (`service.type: None`).
     * @default unpinned (the chart's Service)
     */
    readonly nodePorts?: GatewayNodePorts;
    /**
     * Expose every `*.local` service to other networks (the `cross-network-gateway` Gateway). Only for a
     * primary's gateway: the Gateway object lives where istiod reads config, and also configures the
     * gateways of the primary's remotes.
     * @default true for a primary, false for a remote
     */
    readonly exposeServices?: boolean;
    /**
     * Expose istiod (15012, 15017) to remote clusters (`istiod-gateway` and `istiod-vs`). Only for a primary
     * that serves remotes.
     * @default false
     */
    readonly exposeIstiod?: boolean;
    /**
     * Replicas, resources, PodDisruptionBudget and zone spread. Peers' cross-network traffic and, on a
     * primary serving remotes, their istiod connections and webhooks all pass through this gateway.
     * @default 2 replicas, a budget of minAvailable 1, spread across zones, the chart's resources
     */
    readonly availability?: GatewayAvailability;
    /** Extra gateway chart values, deep-merged last. @default {} */
    readonly values?: pulumi.Input<Record<string, unknown>>;
}

/**
 * The east-west gateway of one cluster (`gateway` chart as release `istio-eastwestgateway` with
 * `networkGateway`), its address, and, on a primary, the Istio objects that route through it.
 */
export class EastWestGateway extends pulumi.ComponentResource {
    /** The gateway's IP address: the load balancer's once it has one, or the first fixed external IP. */
    public readonly address: pulumi.Output<string>;
    /** The gateway chart's release. */
    public readonly release: k8s.helm.v3.Release;

    constructor(name: string, args: EastWestGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-multicluster:index:EastWestGateway", name, {}, opts);
        reportInputProblems(`EastWestGateway ${name}`, { errors: validateEastWestGatewayArgs(args), warnings: [] }, this);
        const cluster = args.cluster;
        const k8sOpts = { parent: this, provider: cluster.provider };

        const service: GatewayServiceOptions = {
            annotations: {
                ...(args.addressType ? { [alibabaAddressTypeAnnotation]: args.addressType } : {}),
                ...args.serviceAnnotations,
            },
            externalIPs: args.externalIPs,
            loadBalancerSourceRanges: args.loadBalancerSourceRanges,
        };
        this.release = istioRelease(
            `${name}-release`,
            {
                chart: "gateway",
                releaseName: eastWestGatewayReleaseName,
                namespace: cluster.istioNamespace,
                charts: cluster.charts,
                values: pulumi.output(args.values).apply((extraValues) =>
                    eastWestGatewayValues({
                        network: cluster.network,
                        revision: cluster.revision,
                        // With pinned NodePorts the Service is ours, not the chart's.
                        service: args.nodePorts ? { type: "None" } : service,
                        availability: args.availability,
                        extraValues,
                    }),
                ),
            },
            // Gateway pods use `image: auto`: they are injected, so the injector (and on a remote, the
            // primary's watch of it) must be ready first.
            { ...k8sOpts, dependsOn: withComponentDependsOn([cluster.namespace, ...cluster.readyResources], opts) },
        );
        let address: pulumi.Output<string>;
        if (args.externalIPs && args.externalIPs.length > 0) {
            address = pulumi.output(args.externalIPs[0]);
        } else if (args.nodePorts) {
            const owned = new k8s.core.v1.Service(
                `${name}-service`,
                eastWestServiceManifest({ istioNamespace: cluster.istioNamespace, network: cluster.network, nodePorts: args.nodePorts, service }),
                { ...k8sOpts, dependsOn: withComponentDependsOn([cluster.namespace], opts) },
            );
            // The provider waits until the load balancer has an address (unknown in a preview).
            address = loadBalancerIp(`${name}-service`, owned);
        } else {
            address = loadBalancerAddress(`${name}-service`, this.release, k8sOpts);
        }

        const objects: IstioObject[] = [];
        if (args.exposeServices ?? cluster.role === "primary") {
            objects.push(crossNetworkGateway(cluster.istioNamespace));
        }
        if (args.exposeIstiod) {
            const additionalRevisions = cluster.revisions.slice(1).flatMap((r) =>
                r.revision
                    ? [r.revision]
                    : // Stryker disable next-line ArrayDeclaration: only a cluster's main revision can be unnamed, and slice(1) leaves it out.
                      [],
            );
            objects.push(...istiodExposure(cluster.istioNamespace, cluster.revision, additionalRevisions));
        }
        const routes = objects.map(
            (object) => new k8s.apiextensions.CustomResource(`${name}-${object.metadata.name}`, object, { ...k8sOpts, dependsOn: [this.release] }),
        );
        // The address is only useful once traffic to it is routed: whatever uses it (a remote's
        // remotePilotAddress) then waits for the Gateway objects too.
        this.address = pulumi.all([address, ...routes.map((r) => r.urn)]).apply(([ip]) => ip);
        this.registerOutputs({ address: this.address });
    }
}

export function validateEastWestGatewayArgs(args: EastWestGatewayArgs): Problem[] {
    const problems: Problem[] = [];
    if (args.cluster.role === "remote" && args.exposeServices) {
        problems.push({
            propertyPath: "exposeServices",
            reason: `cluster "${args.cluster.clusterName}" is a remote: its istiod reads no config, so expose services with its primary's east-west gateway (whose Gateway also configures this one)`,
        });
    }
    if (args.cluster.role === "remote" && args.exposeIstiod) {
        problems.push({ propertyPath: "exposeIstiod", reason: `cluster "${args.cluster.clusterName}" is a remote and runs no istiod to expose` });
    }
    if (args.addressType !== undefined && args.addressType !== "intranet" && args.addressType !== "internet") {
        problems.push({ propertyPath: "addressType", reason: `addressType ${JSON.stringify(args.addressType)} is not one of intranet, internet` });
    }
    if (args.addressType !== undefined && (args.externalIPs ?? []).length > 0) {
        problems.push({ propertyPath: "addressType", reason: "addressType applies to a load balancer, but externalIPs makes the gateway use fixed addresses; set one of them" });
    }
    if (args.nodePorts && (args.externalIPs ?? []).length > 0) {
        problems.push({ propertyPath: "nodePorts", reason: "nodePorts pin a load balancer's backends, but externalIPs makes the gateway use fixed addresses; set one of them" });
    }
    for (const [key, value] of Object.entries(args.nodePorts ?? {})) {
        if (!Number.isInteger(value) || value < 30000 || value > 32767) {
            problems.push({ propertyPath: `nodePorts.${key}`, reason: `nodePorts.${key} ${value} is outside Kubernetes' NodePort range 30000-32767` });
        }
    }
    problems.push(...gatewayAvailabilityProblems(args.availability));
    problems.push(...serviceSettingsProblems(args));
    (args.externalIPs ?? []).forEach((ip, i) => {
        const problem = ipAddressProblem(ip);
        if (problem) {
            problems.push({ propertyPath: `externalIPs[${i}]`, reason: `externalIPs entry ${problem}` });
        }
    });
    return problems;
}

// A Kubernetes quantity as the gateway's resources take it: `500m`, `1`, `128Mi`, `1.5Gi`.
const quantity = /^\d+(\.\d+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/;

/** Problems with a gateway's availability settings, by their path below `availability`. */
export function gatewayAvailabilityProblems(a: GatewayAvailability | undefined, at = "availability"): Problem[] {
    const problems: Problem[] = [];
    if (a?.replicas !== undefined && (!Number.isInteger(a.replicas) || a.replicas < 1)) {
        problems.push({ propertyPath: `${at}.replicas`, reason: `replicas ${a.replicas} is not a whole number of pods of at least 1` });
    }
    const budget = a?.podDisruptionBudget;
    if (budget !== undefined && (budget.minAvailable === undefined) === (budget.maxUnavailable === undefined)) {
        problems.push({ propertyPath: `${at}.podDisruptionBudget`, reason: "a PodDisruptionBudget sets exactly one of minAvailable and maxUnavailable" });
    }
    for (const field of ["minAvailable", "maxUnavailable"] as const) {
        const value = budget?.[field];
        if (value !== undefined && !(Number.isInteger(value) && (value as number) >= 0) && !(typeof value === "string" && /^\d{1,3}%$/.test(value))) {
            problems.push({ propertyPath: `${at}.podDisruptionBudget.${field}`, reason: `${field} ${JSON.stringify(value)} is neither a number of pods nor a percentage such as 50%` });
        }
    }
    for (const kind of ["requests", "limits"] as const) {
        for (const [resource, value] of Object.entries(a?.resources?.[kind] ?? {})) {
            if (typeof value !== "string" || !quantity.test(value)) {
                problems.push({ propertyPath: `${at}.resources.${kind}.${resource}`, reason: `${resource} ${JSON.stringify(value)} is not a Kubernetes quantity such as 500m or 256Mi` });
            }
        }
    }
    return problems;
}
