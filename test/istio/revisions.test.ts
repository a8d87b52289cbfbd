import * as assert from "node:assert/strict";
import { istiodExposure } from "../../lib/istio/istioConfigObjects";
import { injectionRevision, newestVersion, revisionProblems, revisionTagService, revisionTagWebhook } from "../../lib/istio/revisions";
import { istioObjectErrors } from "../harness/istioSchemas";

const selectorsOf = (webhook: ReturnType<typeof revisionTagWebhook>) =>
    Object.fromEntries(webhook.webhooks.map((w) => [w.name, { namespace: w.namespaceSelector.matchExpressions, object: w.objectSelector.matchExpressions }]));

describe("revisions and revision tags", () => {
    it("a tag's webhook injects what is labelled with the tag, through the tagged revision's istiod, as Istio's tag template does", () => {
        const webhook = revisionTagWebhook("prod", "1-31-0", { istioNamespace: "istio-system", caBundle: "Q0E=" });
        assert.deepEqual(webhook.metadata, {
            name: "istio-revision-tag-prod",
            labels: { "istio.io/tag": "prod", "istio.io/rev": "1-31-0", app: "sidecar-injector", "app.kubernetes.io/name": "istiod" },
        });
        assert.deepEqual(selectorsOf(webhook), {
            "rev.namespace.sidecar-injector.istio.io": {
                namespace: [{ key: "istio.io/rev", operator: "In", values: ["prod"] }, { key: "istio-injection", operator: "DoesNotExist" }],
                object: [{ key: "sidecar.istio.io/inject", operator: "NotIn", values: ["false"] }],
            },
            "rev.object.sidecar-injector.istio.io": {
                namespace: [{ key: "istio.io/rev", operator: "DoesNotExist" }, { key: "istio-injection", operator: "DoesNotExist" }],
                object: [{ key: "sidecar.istio.io/inject", operator: "NotIn", values: ["false"] }, { key: "istio.io/rev", operator: "In", values: ["prod"] }],
            },
        });
        for (const w of webhook.webhooks) {
            assert.deepEqual(w.clientConfig, { service: { name: "istiod-1-31-0", namespace: "istio-system", path: "/inject", port: 443 }, caBundle: "Q0E=" });
            assert.deepEqual([w.failurePolicy, w.sideEffects, w.reinvocationPolicy, w.admissionReviewVersions], ["Fail", "None", "Never", ["v1"]]);
            assert.deepEqual(w.rules, [{ operations: ["CREATE"], apiGroups: [""], apiVersions: ["v1"], resources: ["pods"] }]);
        }
    });

    it("the tag default also takes istio-injection=enabled namespaces and opted-in pods; other namespaces get their name in the webhook's", () => {
        const webhook = revisionTagWebhook("default", undefined, { istioNamespace: "mesh", injectionPath: "/inject/cluster/r/net/n2" });
        assert.equal(webhook.metadata.name, "istio-revision-tag-default-mesh");
        assert.equal(webhook.metadata.labels["istio.io/rev"], "default");
        assert.deepEqual(Object.keys(selectorsOf(webhook)), ["rev.namespace.sidecar-injector.istio.io", "rev.object.sidecar-injector.istio.io", "namespace.sidecar-injector.istio.io", "object.sidecar-injector.istio.io"]);
        // As Istio's revision-tags-mwc.yaml writes them for the tag default.
        assert.deepEqual(selectorsOf(webhook)["namespace.sidecar-injector.istio.io"], {
            namespace: [{ key: "istio-injection", operator: "In", values: ["enabled"] }],
            object: [{ key: "sidecar.istio.io/inject", operator: "NotIn", values: ["false"] }],
        });
        assert.deepEqual(selectorsOf(webhook)["object.sidecar-injector.istio.io"], {
            namespace: [{ key: "istio-injection", operator: "DoesNotExist" }, { key: "istio.io/rev", operator: "DoesNotExist" }],
            object: [{ key: "sidecar.istio.io/inject", operator: "In", values: ["true"] }, { key: "istio.io/rev", operator: "DoesNotExist" }],
        });
        assert.deepEqual(webhook.webhooks[0].clientConfig, { service: { name: "istiod", namespace: "mesh", path: "/inject/cluster/r/net/n2", port: 443 } }, "a remote's injection path; no bundle when none is given");
    });

    it("a tag's Service fronts the tagged revision's istiod pods", () => {
        const service = revisionTagService("prod", "1-31-0", "istio-system");
        // As Istio's revision-tags-svc.yaml writes it (less the labels naming a Helm release or an operator).
        assert.deepEqual(service, {
            metadata: {
                name: "istiod-revision-tag-prod",
                namespace: "istio-system",
                labels: { "istio.io/tag": "prod", "istio.io/rev": "1-31-0", app: "istiod", istio: "pilot", "app.kubernetes.io/name": "istiod" },
            },
            spec: {
                ports: [
                    { port: 15010, name: "grpc-xds", protocol: "TCP" },
                    { port: 15012, name: "https-dns", protocol: "TCP" },
                    { port: 443, name: "https-webhook", targetPort: 15017, protocol: "TCP" },
                    { port: 15014, name: "http-monitoring", protocol: "TCP" },
                ],
                selector: { app: "istiod", "istio.io/rev": "1-31-0" },
            },
        });
        assert.equal(revisionTagService("prod", undefined, "istio-system").metadata.labels["istio.io/rev"], "default");
        assert.deepEqual(revisionTagService("prod", undefined, "istio-system").spec.selector, { app: "istiod", istio: "pilot" });
    });

    it("namespaces follow the first tag wherever it points, else the main revision", () => {
        assert.equal(injectionRevision([{ revision: "a", tags: [] }, { revision: "b", tags: ["prod", "x"] }]), "prod");
        assert.equal(injectionRevision([{ revision: "a", tags: ["stable"] }, { revision: "b", tags: ["prod"] }]), "stable");
        assert.equal(injectionRevision([{ revision: "a", tags: [] }]), "a");
        assert.equal(injectionRevision([{ revision: undefined, tags: [] }]), undefined);
    });

    it("base takes the newest revision's chart, by semantic version", () => {
        assert.equal(newestVersion(["1.30.3", "1.31.0-beta.1", "1.9.9"]), "1.31.0-beta.1");
        assert.equal(newestVersion(["1.30.10", "1.30.9"]), "1.30.10");
    });

    it("each further revision's istiod is exposed by its own SNI, as Istio's expose-istiod-rev template does, the main one as before", () => {
        const objects = istiodExposure("istio-system", "1-30-3", ["1-31-0"]);
        assert.deepEqual(objects.map((o) => `${o.kind}/${o.metadata.name}`), ["Gateway/istiod-gateway", "VirtualService/istiod-vs", "VirtualService/istiod-vs-1-31-0"]);
        assert.deepEqual(objects[2].spec, {
            hosts: ["*"],
            gateways: ["istiod-gateway"],
            tls: [
                {
                    match: [{ port: 15012, sniHosts: ["istiod-1-31-0.istio-system.svc", "istiod-1-31-0.istio-system.svc.cluster.local"] }],
                    route: [{ destination: { host: "istiod-1-31-0.istio-system.svc.cluster.local", port: { number: 15012 } } }],
                },
                {
                    match: [{ port: 15017, sniHosts: ["istiod-1-31-0.istio-system.svc", "istiod-1-31-0.istio-system.svc.cluster.local"] }],
                    route: [{ destination: { host: "istiod-1-31-0.istio-system.svc.cluster.local", port: { number: 443 } } }],
                },
            ],
        });
        for (const o of objects) {
            assert.deepEqual(istioObjectErrors(o), [], o.metadata.name);
        }
    });

    it("refuses a tag on two revisions, a tag named like a revision, bad names, and a repeated revision", () => {
        assert.deepEqual(
            revisionProblems({ revision: "a", revisionTags: ["prod", "b", "Bad_Tag"], additionalRevisions: [{ revision: "a" }, { revision: "b", revisionTags: ["prod"] }, { revision: "C" }] }),
            [
                { propertyPath: "revisionTags", reason: `revision tag "b" is also a revision's name; the webhooks of the two would select the same namespaces` },
                { propertyPath: "revisionTags", reason: `revision tag "Bad_Tag" is not a DNS-1123 label: use lower-case letters, digits and '-', starting and ending with a letter or digit (underscores are not allowed: use '-')` },
                { propertyPath: "additionalRevisions[0].revision", reason: `revision "a" already runs in this cluster; each revision needs its own name` },
                { propertyPath: "additionalRevisions[1].revisionTags", reason: `revision tag "prod" already points at another revision; a tag points at one revision at a time` },
                { propertyPath: "additionalRevisions[2].revision", reason: `revision "C" is not a DNS-1123 label: use lower-case letters, digits and '-', starting and ending with a letter or digit` },
            ],
        );
        assert.deepEqual(revisionProblems({ revisionTags: ["default"] }).map((p) => p.reason), [`revision tag "default" is also a revision's name; the webhooks of the two would select the same namespaces`]);
        assert.deepEqual(revisionProblems({ revision: "1-30-3", revisionTags: ["default"] }), [], "the tag default beside a named revision, as Istio's docs use it");
    });
});
