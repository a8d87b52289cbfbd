import * as semver from "semver";
import { dns1123LabelProblem } from "../internal/names";
import { Problem } from "../model/problems";

/**
 * Revisions and revision tags, for canary upgrades. Several istiod revisions run side by side in a
 * cluster; a tag names one of them, and namespaces labelled with the tag follow it when it moves. The tag's
 * objects (its injection webhook and Service) belong to the mesh, not to an istiod release: both releases
 * would otherwise render the same objects while a tag moves between them, which Helm refuses as an
 * ownership conflict (Istio's docs render them apart with `istioctl tag` for the same reason).
 */

/** One istiod revision of a cluster and the tags that point at it. */
export interface RevisionSpec {
    /** Revision name; undefined for an install without one (Istio's `default`). */
    readonly revision?: string;
    /** Revision tags pointing at this revision. */
    readonly tags: readonly string[];
}

/** Istio's name for the revision an install without one has. */
export const defaultRevisionName = "default";

/**
 * The `istio.io/rev` label for namespaces that get sidecars: the first tag (the main revision's, then each
 * further revision's), so moving that tag moves them; without tags, the main revision.
 */
export function injectionRevision(revisions: readonly RevisionSpec[]): string | undefined {
    return revisions.flatMap((r) => r.tags)[0] ?? revisions[0].revision;
}

/** The istiod Service of a revision, which its webhooks call. */
export function istiodServiceName(revision: string | undefined): string {
    return revision ? `istiod-${revision}` : "istiod";
}

/** Where the webhook sends a pod: a primary's own istiod, or for a remote, its primary's through the remote's Service. */
export interface TagWebhookTarget {
    readonly istioNamespace: string;
    /** `istiodRemote.injectionPath` on a remote (`/inject/cluster/<c>/net/<n>`). @default "/inject" */
    readonly injectionPath?: string;
    /** The roots istiod's serving certificate chains to, in base64 (the webhook's `caBundle`). */
    readonly caBundle?: string;
}

type LabelSelector = { matchExpressions: { key: string; operator: string; values?: string[] }[] };

function injectionWebhook(prefix: string, revision: string | undefined, target: TagWebhookTarget, namespaceSelector: LabelSelector, objectSelector: LabelSelector) {
    return {
        name: `${prefix}sidecar-injector.istio.io`,
        clientConfig: {
            service: { name: istiodServiceName(revision), namespace: target.istioNamespace, path: target.injectionPath ?? "/inject", port: 443 },
            ...(target.caBundle ? { caBundle: target.caBundle } : {}),
        },
        sideEffects: "None",
        rules: [{ operations: ["CREATE"], apiGroups: [""], apiVersions: ["v1"], resources: ["pods"] }],
        failurePolicy: "Fail",
        reinvocationPolicy: "Never",
        admissionReviewVersions: ["v1"],
        namespaceSelector,
        objectSelector,
    };
}

const notDisabled = { key: "sidecar.istio.io/inject", operator: "NotIn", values: ["false"] };

/**
 * The tag's MutatingWebhookConfiguration, selecting as Istio 1.30.3's `revision-tags-mwc.yaml` does:
 * namespaces (or pods) labelled `istio.io/rev: <tag>` are injected by the tagged revision; the tag
 * `default` also takes `istio-injection: enabled` namespaces and `sidecar.istio.io/inject: "true"` pods.
 * Labelled `istio.io/rev: <revision>`, so that revision's istiod keeps its CA bundle current.
 */
export function revisionTagWebhook(tag: string, revision: string | undefined, target: TagWebhookTarget) {
    const tagged = { key: "istio.io/rev", operator: "In", values: [tag] };
    const webhooks = [
        injectionWebhook("rev.namespace.", revision, target, { matchExpressions: [tagged, { key: "istio-injection", operator: "DoesNotExist" }] }, { matchExpressions: [notDisabled] }),
        injectionWebhook(
            "rev.object.",
            revision,
            target,
            { matchExpressions: [{ key: "istio.io/rev", operator: "DoesNotExist" }, { key: "istio-injection", operator: "DoesNotExist" }] },
            { matchExpressions: [notDisabled, tagged] },
        ),
        ...(tag === defaultRevisionName
            ? [
                  injectionWebhook("namespace.", revision, target, { matchExpressions: [{ key: "istio-injection", operator: "In", values: ["enabled"] }] }, { matchExpressions: [notDisabled] }),
                  injectionWebhook(
                      "object.",
                      revision,
                      target,
                      { matchExpressions: [{ key: "istio-injection", operator: "DoesNotExist" }, { key: "istio.io/rev", operator: "DoesNotExist" }] },
                      { matchExpressions: [{ key: "sidecar.istio.io/inject", operator: "In", values: ["true"] }, { key: "istio.io/rev", operator: "DoesNotExist" }] },
                  ),
              ]
            : []),
    ];
    return {
        metadata: {
            name: target.istioNamespace === "istio-system" ? `istio-revision-tag-${tag}` : `istio-revision-tag-${tag}-${target.istioNamespace}`,
            labels: { "istio.io/tag": tag, "istio.io/rev": revision ?? defaultRevisionName, app: "sidecar-injector", "app.kubernetes.io/name": "istiod" },
        },
        webhooks,
    };
}

/** The tag's Service (`istiod-revision-tag-<tag>`) in a primary, in front of the tagged revision's istiod pods. */
export function revisionTagService(tag: string, revision: string | undefined, istioNamespace: string) {
    return {
        metadata: {
            name: `istiod-revision-tag-${tag}`,
            namespace: istioNamespace,
            labels: { "istio.io/tag": tag, "istio.io/rev": revision ?? defaultRevisionName, app: "istiod", istio: "pilot", "app.kubernetes.io/name": "istiod" },
        },
        spec: {
            ports: [
                { port: 15010, name: "grpc-xds", protocol: "TCP" },
                { port: 15012, name: "https-dns", protocol: "TCP" },
                { port: 443, name: "https-webhook", targetPort: 15017, protocol: "TCP" },
                { port: 15014, name: "http-monitoring", protocol: "TCP" },
            ],
            selector: (revision ? { app: "istiod", "istio.io/rev": revision } : { app: "istiod", istio: "pilot" }) as Record<string, string>,
        },
    };
}

/** The newest of the revisions' Istio versions: `base` carries the CRDs every revision needs. */
export function newestVersion(versions: readonly string[]): string {
    return [...versions].sort(semver.rcompare)[0];
}

/** Problems with a cluster's revisions and tags, by their argument paths. */
export function revisionProblems(args: {
    revision?: string;
    revisionTags?: readonly string[];
    additionalRevisions?: readonly { revision: string; revisionTags?: readonly string[] }[];
}): Problem[] {
    const problems: Problem[] = [];
    if (args.revision !== undefined && dns1123LabelProblem(args.revision)) {
        problems.push({ propertyPath: "revision", reason: `revision ${dns1123LabelProblem(args.revision)}` });
    }
    const revisionNames = new Set([args.revision ?? defaultRevisionName]);
    const tags = new Set<string>();
    const checkTags = (list: readonly string[] | undefined, at: string) => {
        for (const tag of list ?? []) {
            const problem = dns1123LabelProblem(tag);
            if (problem) {
                problems.push({ propertyPath: at, reason: `revision tag ${problem}` });
            } else if (tags.has(tag)) {
                problems.push({ propertyPath: at, reason: `revision tag "${tag}" already points at another revision; a tag points at one revision at a time` });
            } else if (revisionNames.has(tag) || (args.additionalRevisions ?? []).some((r) => r.revision === tag)) {
                problems.push({ propertyPath: at, reason: `revision tag "${tag}" is also a revision's name; the webhooks of the two would select the same namespaces` });
            }
            tags.add(tag);
        }
    };
    checkTags(args.revisionTags, "revisionTags");
    (args.additionalRevisions ?? []).forEach((extra, i) => {
        const problem = dns1123LabelProblem(extra.revision);
        if (problem) {
            problems.push({ propertyPath: `additionalRevisions[${i}].revision`, reason: `revision ${problem}` });
        } else if (revisionNames.has(extra.revision)) {
            problems.push({ propertyPath: `additionalRevisions[${i}].revision`, reason: `revision "${extra.revision}" already runs in this cluster; each revision needs its own name` });
        }
        revisionNames.add(extra.revision);
        checkTags(extra.revisionTags, `additionalRevisions[${i}].revisionTags`);
    });
    return problems;
}
