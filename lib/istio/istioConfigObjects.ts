import { meshPorts, MtlsMode } from "../model/vocabulary";

/**
 * Istio configuration objects, equal in content to Istio 1.30.3's samples/multicluster. They go where
 * istiod reads them: every primary (a remote's copies would be ignored).
 */

export interface IstioObject {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace: string };
    spec: Record<string, unknown>;
}

/** samples/multicluster/expose-services.yaml: every `*.local` service through the east-west gateway. */
export function crossNetworkGateway(istioNamespace: string): IstioObject {
    return {
        apiVersion: "networking.istio.io/v1",
        kind: "Gateway",
        metadata: { name: "cross-network-gateway", namespace: istioNamespace },
        spec: {
            selector: { istio: "eastwestgateway" },
            servers: [{ port: { number: meshPorts.crossNetwork, name: "tls", protocol: "TLS" }, tls: { mode: "AUTO_PASSTHROUGH" }, hosts: ["*.local"] }],
        },
    };
}

/** The istiod Service a revision installs. */
export function istiodServiceHost(istioNamespace: string, revision?: string): string {
    return `istiod${revision ? `-${revision}` : ""}.${istioNamespace}.svc.cluster.local`;
}

/**
 * samples/multicluster/expose-istiod.yaml: istiod's xDS (15012) and webhook (15017) ports through the
 * east-west gateway, for remote clusters; routed to the given revision's istiod. Each further revision
 * gets its own VirtualService, as samples/multicluster/expose-istiod-rev.yaml.tmpl renders it: routed by
 * the SNI of its `istiod-<revision>` Service, which a remote's proxies and API server send.
 */
export function istiodExposure(istioNamespace: string, revision?: string, additionalRevisions: readonly string[] = []): IstioObject[] {
    const host = istiodServiceHost(istioNamespace, revision);
    const byRevision = (extra: string): IstioObject => {
        const sni = [`istiod-${extra}.${istioNamespace}.svc`, istiodServiceHost(istioNamespace, extra)];
        return {
            apiVersion: "networking.istio.io/v1",
            kind: "VirtualService",
            metadata: { name: `istiod-vs-${extra}`, namespace: istioNamespace },
            spec: {
                hosts: ["*"],
                gateways: ["istiod-gateway"],
                tls: [
                    { match: [{ port: meshPorts.istiodXds, sniHosts: sni }], route: [{ destination: { host: istiodServiceHost(istioNamespace, extra), port: { number: meshPorts.istiodXds } } }] },
                    { match: [{ port: meshPorts.istiodWebhook, sniHosts: sni }], route: [{ destination: { host: istiodServiceHost(istioNamespace, extra), port: { number: 443 } } }] },
                ],
            },
        };
    };
    return [
        {
            apiVersion: "networking.istio.io/v1",
            kind: "Gateway",
            metadata: { name: "istiod-gateway", namespace: istioNamespace },
            spec: {
                selector: { istio: "eastwestgateway" },
                servers: [
                    { port: { name: "tls-istiod", number: meshPorts.istiodXds, protocol: "tls" }, tls: { mode: "PASSTHROUGH" }, hosts: ["*"] },
                    { port: { name: "tls-istiodwebhook", number: meshPorts.istiodWebhook, protocol: "tls" }, tls: { mode: "PASSTHROUGH" }, hosts: ["*"] },
                ],
            },
        },
        {
            apiVersion: "networking.istio.io/v1",
            kind: "VirtualService",
            metadata: { name: "istiod-vs", namespace: istioNamespace },
            spec: {
                hosts: ["*"],
                gateways: ["istiod-gateway"],
                tls: [
                    { match: [{ port: meshPorts.istiodXds, sniHosts: ["*"] }], route: [{ destination: { host, port: { number: meshPorts.istiodXds } } }] },
                    { match: [{ port: meshPorts.istiodWebhook, sniHosts: ["*"] }], route: [{ destination: { host, port: { number: 443 } } }] },
                ],
            },
        },
        ...additionalRevisions.map(byRevision),
    ];
}

/** Mesh-wide mutual TLS: a PeerAuthentication named `default` in the root (Istio) namespace. */
export function meshPeerAuthentication(istioNamespace: string, mode: MtlsMode): IstioObject {
    return {
        apiVersion: "security.istio.io/v1",
        kind: "PeerAuthentication",
        metadata: { name: "default", namespace: istioNamespace },
        spec: { mtls: { mode } },
    };
}
