import { parseCidr } from "../internal/cidr";
import { metadataKeyProblem } from "../internal/formats";
import { Problem } from "../model/problems";
import { GatewayNodePorts, meshPorts } from "../model/vocabulary";
import { eastWestGatewaySelector, GatewayServiceOptions } from "./helmValues";

/**
 * The east-west gateway's Service when this library owns it instead of the chart (the chart cannot pin
 * NodePorts, and with Flannel the load balancer forwards to NodePorts the security group must name). Same
 * name, selector, network label and port names as the chart's own `networkGateway` Service.
 */
export function eastWestServiceManifest(o: {
    istioNamespace: string;
    network: string;
    nodePorts: GatewayNodePorts;
    service: GatewayServiceOptions;
}): { metadata: Record<string, unknown>; spec: Record<string, unknown> } {
    const fixed = (o.service.externalIPs ?? []).length > 0;
    const port = (name: string, number: number, nodePort?: number) => ({
        name,
        port: number,
        targetPort: number,
        protocol: "TCP",
        ...(nodePort === undefined || fixed ? {} : { nodePort }),
    });
    return {
        metadata: {
            name: "istio-eastwestgateway",
            namespace: o.istioNamespace,
            labels: { app: "istio-eastwestgateway", istio: "eastwestgateway", "topology.istio.io/network": o.network },
            ...(o.service.annotations && Object.keys(o.service.annotations).length > 0 ? { annotations: o.service.annotations } : {}),
        },
        spec: {
            type: fixed ? "ClusterIP" : "LoadBalancer",
            selector: eastWestGatewaySelector,
            ports: [
                port("status-port", 15021),
                port("tls", meshPorts.crossNetwork, o.nodePorts.crossNetwork),
                port("tls-istiod", meshPorts.istiodXds, o.nodePorts.istiodXds),
                port("tls-webhook", meshPorts.istiodWebhook, o.nodePorts.istiodWebhook),
            ],
            ...(fixed ? { externalIPs: o.service.externalIPs } : {}),
            ...(o.service.loadBalancerSourceRanges && o.service.loadBalancerSourceRanges.length > 0 ? { loadBalancerSourceRanges: o.service.loadBalancerSourceRanges } : {}),
        },
    };
}

/** Source ranges that are CIDR blocks, and annotation keys Kubernetes accepts, for a gateway's Service. */
export function serviceSettingsProblems(args: { loadBalancerSourceRanges?: readonly string[]; serviceAnnotations?: Readonly<Record<string, string>> }, at = ""): Problem[] {
    const problems: Problem[] = [];
    (args.loadBalancerSourceRanges ?? []).forEach((range, i) => {
        const parsed = parseCidr(range);
        if (!parsed.ok) {
            problems.push({ propertyPath: `${at}loadBalancerSourceRanges[${i}]`, reason: `loadBalancerSourceRanges entry ${parsed.reason}` });
        }
    });
    for (const key of Object.keys(args.serviceAnnotations ?? {})) {
        const reason = metadataKeyProblem(key);
        if (reason) {
            problems.push({ propertyPath: `${at}serviceAnnotations`, reason: `annotation key ${reason}` });
        }
    }
    return problems;
}
