import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { EastWestGateway, IstioChartsArgs, MeshRootCa, PrimaryCluster, RemoteSecret } from "../../lib";

// A multi-primary mesh on clusters you already have, composed of the building blocks rather than from
// the `mesh` config value: the trust root, Istio in each cluster, east-west gateways when the clusters are
// on more than one network, and a remote secret for each ordered pair. examples/python-components is the
// same program in Python.

/** One existing cluster. */
interface ClusterSettings {
    name: string;
    network: string;
    /** The API server's URL as the other clusters' istiods reach it. */
    apiServer: string;
    /** Set with `pulumi config set --secret --path 'clusters[0].kubeconfig'`. */
    kubeconfig: string;
    /** A fixed address for the east-west gateway (e.g. a node IP); unset, a LoadBalancer Service gives one. */
    gatewayAddress?: string;
}

/** Intermediates signed offline; without them, MeshRootCa makes the root and the intermediates. */
interface OfflineTrust {
    rootCertPem: string;
    /** Per cluster; each `caKeyPem` set with `--secret`. */
    intermediates: Record<string, { caCertPem: string; caKeyPem: string }>;
}

const config = new pulumi.Config();
const meshId = config.require("meshId");
const settings = config.requireObject<ClusterSettings[]>("clusters");
const trust = config.getObject<OfflineTrust>("trust");
const istio = config.getObject<IstioChartsArgs>("istio");
const validationFailurePolicy = config.get<"Fail" | "Ignore">("validationFailurePolicy");

const ca = new MeshRootCa("mesh-ca", { clusters: settings.map((c) => c.name), external: trust });

const clusters = settings.map(
    (c) =>
        new PrimaryCluster(c.name, {
            clusterName: c.name,
            network: c.network,
            meshId,
            provider: new k8s.Provider(`${c.name}-k8s`, { kubeconfig: pulumi.secret(c.kubeconfig) }),
            apiServer: c.apiServer,
            cacerts: ca.cacerts[c.name],
            multiRootTrust: ca.multiRootTrust,
            istio,
            validationFailurePolicy,
        }),
);

const multiNetwork = new Set(settings.map((c) => c.network)).size > 1;
const gateways = multiNetwork
    ? clusters.map((cluster, i) => new EastWestGateway(`${cluster.clusterName}-eastwest`, { cluster, externalIPs: settings[i].gatewayAddress ? [settings[i].gatewayAddress] : undefined }))
    : [];

// After every cluster, so that no cluster needs another as an argument.
for (const watcher of clusters) {
    for (const watched of clusters.filter((c) => c !== watcher)) {
        new RemoteSecret(`${watcher.clusterName}-watches-${watched.clusterName}`, { watcher, watched });
    }
}

export const rootCertPem = ca.rootCertPem;
/** Per cluster on a multi-network mesh: its east-west gateway's address. */
export const gatewayAddresses = Object.fromEntries(gateways.map((g, i) => [settings[i].name, g.address]));
