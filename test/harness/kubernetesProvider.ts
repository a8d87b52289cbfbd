import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { chartValuesErrors } from "./istioSchemas";
import { reveal } from "./secrets";

/**
 * An emulation of what the Kubernetes provider and cluster give back that a program depends on:
 * - a Helm release's `status` (name, namespace, chart, version, status `deployed`), once its values pass the
 *   chart's schema (gateway) or match the chart's defaults (base, istiod): otherwise the release fails;
 * - a `kubernetes.io/service-account-token` Secret's `data`, filled in by the token controller, which the
 *   provider waits for (pulumi-kubernetes#2048): `token`, `ca.crt` and `namespace`, distinct per cluster;
 * - a read of a LoadBalancer Service the program made (itself, or through a gateway chart's release): an
 *   ingress IP, deterministic per cluster and Service, from the 198.18.0.0/15 benchmarking range so it
 *   can never be mistaken for a real address. A read of anything else fails, as it would on the cluster.
 * The other kinds the library creates echo their inputs, as the API server returns an applied object;
 * any kind not listed fails, so a new kind needs a deliberate answer here. In a preview, what the cluster
 * computes (release status, token data, a load balancer's address) is unknown, as the engine reports it.
 */

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

/** The cluster a Kubernetes resource goes to, by the name of its provider (URN::id reference). */
export function clusterOf(providerRef: string | undefined): string {
    if (!providerRef) {
        return "default";
    }
    const urn = providerRef.split("::").slice(0, -1).join("::");
    return urn.split("::").pop() ?? "default";
}

/** A stand-in cluster CA certificate: PEM-shaped, distinct per cluster. */
export function clusterCaPem(cluster: string): string {
    const body = b64(`test cluster CA of ${cluster}`).replace(/(.{64})/g, "$1\n");
    return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
}

export function serviceAccountToken(cluster: string, namespace: string, secret: string): string {
    return `token-${createHash("sha256").update(`${cluster}/${namespace}/${secret}`).digest("hex").slice(0, 32)}`;
}

export function loadBalancerIp(cluster: string, serviceId: string): string {
    const digest = createHash("sha256").update(`${cluster}/${serviceId}`).digest();
    return `198.${18 + (digest[0] & 1)}.${digest[1]}.${1 + (digest[2] % 254)}`;
}

/** Kinds whose created state is the object as applied. */
const appliedAsGiven = new Set([
    "kubernetes:core/v1:Namespace",
    "kubernetes:core/v1:NamespacePatch",
    "kubernetes:core/v1:Secret",
    "kubernetes:core/v1:Service",
    "kubernetes:apps/v1:Deployment",
    "kubernetes:admissionregistration.k8s.io/v1:MutatingWebhookConfiguration",
    "kubernetes:networking.istio.io/v1:Gateway",
    "kubernetes:networking.istio.io/v1:VirtualService",
    "kubernetes:networking.istio.io/v1:DestinationRule",
    "kubernetes:security.istio.io/v1:PeerAuthentication",
]);

export function kubernetesCreate(
    type: string,
    providerRef: string | undefined,
    inputs: Record<string, unknown>,
    preview: boolean,
): Record<string, unknown> {
    const plain = reveal(inputs) as Record<string, any>;
    if (preview && type === "kubernetes:helm.sh/v3:Release") {
        return { ...inputs, status: pulumi.runtime.unknownValue };
    }
    if (preview && type === "kubernetes:core/v1:Secret" && plain.type === "kubernetes.io/service-account-token") {
        return { ...inputs, data: pulumi.runtime.unknownValue };
    }
    if (type === "kubernetes:core/v1:Service" && plain.spec?.type === "LoadBalancer") {
        // The provider waits until the load balancer has an address.
        const id = `${plain.metadata?.namespace ?? "default"}/${plain.metadata?.name}`;
        return { ...inputs, status: preview ? pulumi.runtime.unknownValue : { loadBalancer: { ingress: [{ ip: loadBalancerIp(clusterOf(providerRef), id) }] } } };
    }
    if (type === "kubernetes:helm.sh/v3:Release") {
        const chart = String(plain.chart).split("/").pop()!;
        const errors = chartValuesErrors(chart, plain.values ?? {});
        if (errors.length > 0) {
            // Helm refuses values against the chart's schema; values the chart does not know would be ignored.
            throw new Error(`release ${String(plain.name)}: the ${chart} chart's values are wrong: ${errors.join("; ")}`);
        }
        return {
            ...inputs,
            status: {
                name: plain.name,
                namespace: plain.namespace,
                chart: String(plain.chart).split("/").pop(),
                version: plain.version,
                appVersion: plain.version,
                revision: 1,
                status: "deployed",
            },
        };
    }
    if (type === "kubernetes:core/v1:Secret" && plain.type === "kubernetes.io/service-account-token") {
        const cluster = clusterOf(providerRef);
        const namespace = plain.metadata?.namespace ?? "default";
        return {
            ...inputs,
            data: {
                "ca.crt": b64(clusterCaPem(cluster)),
                namespace: b64(namespace),
                token: b64(serviceAccountToken(cluster, namespace, plain.metadata?.name)),
            },
        };
    }
    if (!appliedAsGiven.has(type)) {
        throw new Error(`the Kubernetes mock does not emulate ${type}: say what the cluster answers for it in test/harness/kubernetesProvider.ts`);
    }
    return inputs;
}

/**
 * The objects a created resource puts on its cluster, as `<cluster>/<type>/<namespace>/<name>` keys: a
 * Service itself, and the Service of Istio's gateway chart (named `name` or the release's name, in the
 * release's namespace, unless `service.type` is None).
 */
export function objectsMade(type: string, providerRef: string | undefined, inputs: Record<string, unknown>): string[] {
    const plain = reveal(inputs) as Record<string, any>;
    const cluster = clusterOf(providerRef);
    if (type === "kubernetes:core/v1:Service") {
        return [`${cluster}/${type}/${plain.metadata?.namespace ?? "default"}/${plain.metadata?.name}`];
    }
    if (type === "kubernetes:helm.sh/v3:Release" && String(plain.chart).split("/").pop() === "gateway" && plain.values?.service?.type !== "None") {
        return [`${cluster}/kubernetes:core/v1:Service/${plain.namespace ?? "default"}/${plain.values?.name ?? plain.name}`];
    }
    return [];
}

export function kubernetesRead(type: string, providerRef: string | undefined, id: string, exists: (key: string) => boolean): Record<string, unknown> | undefined {
    if (type === "kubernetes:core/v1:Service") {
        const [namespace, name] = id.includes("/") ? id.split("/") : ["default", id];
        if (!exists(`${clusterOf(providerRef)}/${type}/${namespace}/${name}`)) {
            return undefined;
        }
        return {
            apiVersion: "v1",
            kind: "Service",
            metadata: { name, namespace },
            spec: { type: "LoadBalancer" },
            status: { loadBalancer: { ingress: [{ ip: loadBalancerIp(clusterOf(providerRef), id) }] } },
        };
    }
    return undefined;
}
