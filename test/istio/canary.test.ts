import * as assert from "node:assert/strict";
import * as k8s from "@pulumi/kubernetes";
import { EastWestGateway, MeshRootCa, PrimaryCluster, PrimaryClusterArgs, RemoteCluster } from "../../lib";
import { MockCloud, Registration, inspect } from "../harness/mocks";
import { reveal } from "../harness/secrets";

/**
 * Istio's canary upgrade, one config change per `pulumi up`: a primary serving a remote runs 1.30.3 as
 * revision 1-30-3 with tag `prod`; 1.31.0 is installed beside it, the tag moves to it, and the old
 * revision goes. Each step's program is built on the mocks and its registrations compared with the last.
 */
const steps: Record<string, Partial<PrimaryClusterArgs>> = {
    "1. one revision, tagged prod": { revision: "1-30-3", revisionTags: ["prod"] },
    "2. the canary beside it": { revision: "1-30-3", revisionTags: ["prod"], additionalRevisions: [{ revision: "1-31-0", version: "1.31.0" }] },
    "3. prod moved to the canary": { revision: "1-30-3", additionalRevisions: [{ revision: "1-31-0", version: "1.31.0", revisionTags: ["prod"] }] },
    "4. the old revision removed": { revision: "1-31-0", istio: { version: "1.31.0" }, revisionTags: ["prod"] },
};

type Step = Map<string, Registration>;

async function build(primaryArgs: Partial<PrimaryClusterArgs>): Promise<Step> {
    const cloud = MockCloud.install();
    const ca = new MeshRootCa("ca", { clusters: ["p"] });
    const primary = new PrimaryCluster("p", {
        clusterName: "p",
        network: "n1",
        meshId: "mesh1",
        provider: new k8s.Provider("p-k8s", { kubeconfig: "k" }),
        apiServer: "https://p:6443",
        cacerts: ca.cacerts.p,
        servesRemotes: true,
        injectionNamespaces: ["shop"],
        ...primaryArgs,
    });
    const gateway = new EastWestGateway("p-eastwest", { cluster: primary, exposeIstiod: true });
    const remote = new RemoteCluster("r", {
        clusterName: "r",
        network: "n2",
        meshId: "mesh1",
        provider: new k8s.Provider("r-k8s", { kubeconfig: "k" }),
        apiServer: "https://r:6443",
        controlPlane: primary,
        remotePilotAddress: gateway.address,
        injectionNamespaces: ["shop"],
    });
    await inspect(remote.urn);
    await cloud.settle();
    return new Map(cloud.registrations.filter((r) => r.custom && !r.read).map((r) => [r.name, r]));
}

const of = (step: Step, type: string) => [...step.values()].filter((r) => r.type === type);
const releases = (step: Step, chart: string) => of(step, "kubernetes:helm.sh/v3:Release").filter((r) => String(r.inputs.chart).endsWith(chart));
const values = (r: Registration | undefined) => reveal(r?.inputs.values) as any;
const tagTarget = (step: Step, name: string) => (reveal(step.get(name)!.inputs.webhooks) as any[]).map((w) => w.clientConfig.service.name);

describe("a canary upgrade that reaches remotes, one config change per step", () => {
    const built: Step[] = [];
    before(async function () {
        this.timeout(120_000);
        for (const args of Object.values(steps)) {
            built.push(await build(args));
        }
    });

    it("installs each revision's istiod in the primary and in its remote, named for the revision", () => {
        const istiods = built.map((step) => releases(step, "istiod").map((r) => `${r.name}=${r.inputs.name}@${r.inputs.version}`).sort());
        assert.deepEqual(istiods, [
            ["p-istiod-1-30-3=istiod-1-30-3@1.30.3", "r-istiod-1-30-3=istiod-1-30-3@1.30.3"],
            ["p-istiod-1-30-3=istiod-1-30-3@1.30.3", "p-istiod-1-31-0=istiod-1-31-0@1.31.0", "r-istiod-1-30-3=istiod-1-30-3@1.30.3", "r-istiod-1-31-0=istiod-1-31-0@1.31.0"],
            ["p-istiod-1-30-3=istiod-1-30-3@1.30.3", "p-istiod-1-31-0=istiod-1-31-0@1.31.0", "r-istiod-1-30-3=istiod-1-30-3@1.30.3", "r-istiod-1-31-0=istiod-1-31-0@1.31.0"],
            ["p-istiod-1-31-0=istiod-1-31-0@1.31.0", "r-istiod-1-31-0=istiod-1-31-0@1.31.0"],
        ]);
        assert.equal(values(built[1].get("r-istiod-1-31-0")).profile, "remote");
        assert.equal(values(built[1].get("r-istiod-1-31-0")).revision, "1-31-0");
    });

    it("moves the tag in place: the same webhook in each cluster, pointed at the new revision", () => {
        for (const [i, target] of [["istiod-1-30-3"], ["istiod-1-30-3"], ["istiod-1-31-0"], ["istiod-1-31-0"]].entries()) {
            assert.deepEqual([...new Set(tagTarget(built[i], "p-tag-prod"))], target, `primary, step ${i + 1}`);
            assert.deepEqual([...new Set(tagTarget(built[i], "r-tag-prod"))], target, `remote, step ${i + 1}`);
        }
        assert.ok((reveal(built[2].get("r-tag-prod")!.inputs.webhooks) as any[]).every((w) => w.clientConfig.service.path === "/inject/cluster/r/net/n2"), "the remote's webhook asks for the remote's injection");
        for (const step of built) {
            assert.deepEqual(of(step, "kubernetes:admissionregistration.k8s.io/v1:MutatingWebhookConfiguration").map((w) => w.name).sort(), ["p-tag-prod", "r-tag-prod"]);
            assert.ok(releases(step, "istiod").every((r) => values(r).revisionTags === undefined), "no release renders a tag's objects, so Helm sees no ownership conflict");
        }
    });

    it("keeps every injection label on the tag throughout", () => {
        for (const step of built) {
            for (const cluster of ["p", "r"]) {
                assert.deepEqual(step.get(`${cluster}-injection-shop`)!.inputs.metadata, { name: "shop", labels: { "istio.io/rev": "prod" } });
            }
        }
    });

    it("exposes the canary's istiod to the remote by its own SNI while it runs beside the main one", () => {
        const virtualServices = built.map((step) => of(step, "kubernetes:networking.istio.io/v1:VirtualService").map((v) => `${(reveal(v.inputs.metadata) as any).name}>${(reveal(v.inputs.spec) as any).tls[0].route[0].destination.host}`));
        assert.deepEqual(virtualServices, [
            ["istiod-vs>istiod-1-30-3.istio-system.svc.cluster.local"],
            ["istiod-vs>istiod-1-30-3.istio-system.svc.cluster.local", "istiod-vs-1-31-0>istiod-1-31-0.istio-system.svc.cluster.local"],
            ["istiod-vs>istiod-1-30-3.istio-system.svc.cluster.local", "istiod-vs-1-31-0>istiod-1-31-0.istio-system.svc.cluster.local"],
            ["istiod-vs>istiod-1-31-0.istio-system.svc.cluster.local"],
        ]);
    });

    it("takes base from the newest chart from the canary on, and moves gateways and the default validator last", () => {
        assert.deepEqual(built.map((step) => releases(step, "base").map((r) => r.inputs.version)), [["1.30.3", "1.30.3"], ["1.31.0", "1.31.0"], ["1.31.0", "1.31.0"], ["1.31.0", "1.31.0"]]);
        assert.deepEqual(built.map((step) => values(step.get("p-base")).defaultRevision), ["1-30-3", "1-30-3", "1-30-3", "1-31-0"]);
        assert.deepEqual(built.map((step) => `${step.get("p-eastwest-release")!.inputs.version}/${values(step.get("p-eastwest-release")).revision}`), ["1.30.3/1-30-3", "1.30.3/1-30-3", "1.30.3/1-30-3", "1.31.0/1-31-0"]);
    });

    it("leaves the canary's releases untouched when it becomes the main revision", () => {
        for (const name of ["p-istiod-1-31-0", "r-istiod-1-31-0"]) {
            const [before, after] = [built[2].get(name)!, built[3].get(name)!];
            assert.deepEqual([after.inputs.name, after.inputs.version, values(after)], [before.inputs.name, before.inputs.version, values(before)], `${name}: no upgrade, no replacement`);
        }
    });
});
