"""examples/components in Python: a multi-primary mesh on clusters you already have, composed of the
building blocks through the package's provider plugin and the Python SDK made from it. The stack config is
the same as the TypeScript program's (see README.md)."""

import pulumi
import pulumi_kubernetes as k8s
import pulumi_istio_multicluster as istio_multicluster

config = pulumi.Config()
mesh_id = config.require("meshId")
settings = config.require_object("clusters")
# Intermediates signed offline; without them, MeshRootCa makes the root and the intermediates.
trust = config.get_object("trust")
istio = config.get_object("istio")
validation_failure_policy = config.get("validationFailurePolicy")

ca = istio_multicluster.MeshRootCa("mesh-ca", clusters=[c["name"] for c in settings], external=trust)


def primary(c: dict) -> istio_multicluster.PrimaryCluster:
    # The cluster's Kubernetes provider travels as a resource option, not as an argument.
    provider = k8s.Provider(f"{c['name']}-k8s", kubeconfig=pulumi.Output.secret(c["kubeconfig"]))
    return istio_multicluster.PrimaryCluster(
        c["name"],
        cluster_name=c["name"],
        network=c["network"],
        mesh_id=mesh_id,
        api_server=c["apiServer"],
        cacerts=ca.cacerts[c["name"]],
        multi_root_trust=ca.multi_root_trust,
        istio=istio,
        validation_failure_policy=validation_failure_policy,
        opts=pulumi.ResourceOptions(providers={"kubernetes": provider}),
    )


clusters = [primary(c) for c in settings]

multi_network = len({c["network"] for c in settings}) > 1
gateways = (
    [
        istio_multicluster.EastWestGateway(
            f"{c['name']}-eastwest",
            cluster=cluster,
            external_ips=[c["gatewayAddress"]] if c.get("gatewayAddress") else None,
        )
        for c, cluster in zip(settings, clusters)
    ]
    if multi_network
    else []
)

# After every cluster, so that no cluster needs another as an argument.
for watcher, w in zip(clusters, settings):
    for watched, d in zip(clusters, settings):
        if watched is not watcher:
            istio_multicluster.RemoteSecret(f"{w['name']}-watches-{d['name']}", watcher=watcher, watched=watched)

pulumi.export("rootCertPem", ca.root_cert_pem)
# Per cluster on a multi-network mesh: its east-west gateway's address.
pulumi.export("gatewayAddresses", {c["name"]: g.address for c, g in zip(settings, gateways)})
