import { X509Certificate } from "node:crypto";
import { isIP } from "node:net";
import * as semver from "semver";

/**
 * Format checks for values that end up in Helm values, kubeconfigs and Kubernetes objects. Each returns
 * why the value is not of its kind (a phrase that follows the value's name), or undefined when it is.
 */

/** A release version as Istio publishes them: `1.30.3`, `1.31.0-beta.1`; never `latest` or `v1.30.3`. */
export function releaseVersionProblem(value: string): string | undefined {
    return semver.valid(value) === value ? undefined : `${JSON.stringify(value)} is not a release version (a form like 1.30.3)`;
}

/** An IPv4 or IPv6 address, without a prefix length or zone. */
export function ipAddressProblem(value: string): string | undefined {
    return isIP(value) !== 0 && !value.includes("%") ? undefined : `${JSON.stringify(value)} is not an IP address`;
}

const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A DNS-1123 subdomain: Kubernetes object names such as Secrets, and host names. */
export function dnsSubdomainProblem(value: string): string | undefined {
    return value.length <= 253 && dns1123Subdomain.test(value)
        ? undefined
        : `${JSON.stringify(value)} is not a DNS name (lower-case labels of letters, digits and '-', joined by '.')`;
}

/** A server name a TLS certificate can carry: a DNS name or an IP address. */
export function serverNameProblem(value: string): string | undefined {
    return dnsSubdomainProblem(value) === undefined || ipAddressProblem(value) === undefined
        ? undefined
        : `${JSON.stringify(value)} is neither a DNS name nor an IP address`;
}

/** An absolute URL with one of `protocols` (without the colon) and a host. */
export function urlProblem(value: string, protocols: readonly string[]): string | undefined {
    const expected = `a URL starting ${protocols.map((p) => `${p}://`).join(" or ")}`;
    let url: URL;
    try {
        url = new URL(value);
    } catch {
        return `${JSON.stringify(value)} is not ${expected}`;
    }
    // `protocol` always ends in its one colon.
    return protocols.includes(url.protocol.slice(0, -1)) && url.host !== "" ? undefined : `${JSON.stringify(value)} is not ${expected}`;
}

// A registry host (labels joined by `.`, `_` or `-`, with an optional port) and repository path, whose
// components may also join by `__`, as container image references name them.
const imageRepository = /^[a-z0-9]+([._-][a-z0-9]+)*(:\d{1,5})?(\/[a-z0-9]+([._-]{1,2}[a-z0-9]+)*)*$/;

/** An image registry or repository without a tag, e.g. `registry.istio.io/release` or `localhost:5000/istio`. */
export function imageRepositoryProblem(value: string): string | undefined {
    return imageRepository.test(value) ? undefined : `${JSON.stringify(value)} is not an image registry or repository (a form like registry.example.com/istio, no tag)`;
}

/** A full image reference: a repository, then a `:tag`, an `@sha256:` digest, or both. */
export function imageReferenceProblem(value: string): string | undefined {
    const match = /^(.+?)(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$/.exec(value);
    return match && (match[2] ?? match[3]) !== undefined && imageRepositoryProblem(match[1]) === undefined
        ? undefined
        : `${JSON.stringify(value)} is not an image reference with a tag or digest (a form like docker.io/curlimages/curl:8.16.0)`;
}

/** One or more PEM certificates, each of which parses as X.509. */
export function pemCertificatesProblem(value: string): string | undefined {
    const blocks = value.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    if (blocks.length === 0) {
        return "holds no PEM certificate (-----BEGIN CERTIFICATE-----)";
    }
    for (const [i, block] of blocks.entries()) {
        try {
            new X509Certificate(block);
        } catch {
            return `certificate ${i + 1} of ${blocks.length} is not valid X.509`;
        }
    }
    return undefined;
}

/** A duration as Istio and Kubernetes write them: `10s`, `1m30s`, `500ms`. */
export function durationProblem(value: string): string | undefined {
    return /^(\d+(\.\d+)?(h|m|s|ms|us|µs|ns))+$/.test(value) ? undefined : `${JSON.stringify(value)} is not a duration such as 10s, 1m30s or 500ms`;
}

const qualifiedName = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** A label or annotation key: an optional DNS prefix and `/`, then a name of at most 63 characters. */
export function metadataKeyProblem(value: string): string | undefined {
    const name = value.slice(value.lastIndexOf("/") + 1);
    return qualifiedName.test(value) && name.length <= 63 && value.length - name.length <= 254
        ? undefined
        : `${JSON.stringify(value)} is not a label or annotation key (an optional DNS prefix and '/', then letters, digits, '-', '_' and '.')`;
}
