import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { setStandInMocks } from "istio-multicluster/testing";

// `npm test`: the program against the stand-in cloud of istio-multicluster/testing (no cluster, no account).
const cluster = (name: string, network: string, address: string) => ({
    name, role: "primary", network, kubeconfig: "stand-in kubeconfig", apiServer: `https://${address}:6443`, eastWestGateway: { externalIPs: [address] },
});

describe("the mesh", () => {
    it("installs istiod on both clusters and keeps their kubeconfigs secret", async () => {
        const cloud = await setStandInMocks({ project: "${PROJECT}", stack: "test" });
        const mesh = { meshId: "mesh1", networkLink: { mode: "none" }, clusters: [cluster("cluster1", "network1", "192.0.2.10"), cluster("cluster2", "network2", "192.0.2.20")] };
        pulumi.runtime.setAllConfig({ "${PROJECT}:mesh": JSON.stringify(mesh) });
        const { clusters } = await import("./index.js");
        assert.deepEqual(Object.keys(clusters).sort(), ["cluster1", "cluster2"]);
        assert.equal(await pulumi.isSecret(clusters.cluster1.kubeconfig), true);
        // A gateway's address is known once its routes exist, the program's last resources.
        const addresses = await new Promise((resolve) => pulumi.all([clusters.cluster1.eastWestAddress, clusters.cluster2.eastWestAddress]).apply(resolve));
        assert.deepEqual(addresses, ["192.0.2.10", "192.0.2.20"]);
        const istiods = cloud.resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "istiod");
        assert.equal(istiods.length, 2);
    });
});
