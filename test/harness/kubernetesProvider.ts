import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { reveal } from "./secrets";

/**
 * An emulation of what the Kubernetes provider and cluster give back that a program depends on:
 * - a Helm release's `status` (name, namespace, chart, version, status `deployed`);
 * - a `kubernetes.io/service-account-token` Secret's `data`, filled in by the token controller, which the
 *   provider waits for (pulumi-kubernetes#2048): `token`, `ca.crt` and `namespace`, distinct per cluster;
 * - a read of a LoadBalancer Service: an ingress IP, deterministic per cluster and Service, from the
 *   198.18.0.0/15 benchmarking range so it can never be mistaken for a real address.
 * Everything else echoes its inputs, as a created object mostly does. In a preview, what the cluster
 * computes (release status, token data) is unknown, as the engine reports it.
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

export function kubernetesCreate(
    type: string,
    providerRef: string | undefined,
    inputs: Record<string, unknown>,
    preview: boolean,
): Record<string, unknown> | undefined {
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
    return undefined;
}

export function kubernetesRead(type: string, providerRef: string | undefined, id: string): Record<string, unknown> | undefined {
    if (type === "kubernetes:core/v1:Service") {
        const [namespace, name] = id.includes("/") ? id.split("/") : ["default", id];
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
