import * as assert from "node:assert/strict";
import { dnsSubdomainProblem, durationProblem, imageReferenceProblem, imageRepositoryProblem, ipAddressProblem, metadataKeyProblem, pemCertificatesProblem, releaseVersionProblem, serverNameProblem, urlProblem } from "../../lib/internal/formats";
import { selfSignedPem } from "../harness/x509";

/** Asserts `problemOf` accepts every good value and gives a reason for every bad one. */
function sorts(problemOf: (value: string) => string | undefined, good: string[], bad: string[]): void {
    for (const value of good) {
        assert.equal(problemOf(value), undefined, `accepts ${JSON.stringify(value)}`);
    }
    for (const value of bad) {
        assert.match(problemOf(value) ?? "", /\S/, `rejects ${JSON.stringify(value)}`);
    }
}

describe("value formats", () => {
    it("release versions: Istio's, with pre-releases; never latest, a v prefix or two parts", () => {
        sorts(releaseVersionProblem, ["1.30.3", "1.31.0-beta.1", "1.30.10"], ["latest", "v1.30.3", "1.30", "1.30.3 ", "", "1.30.x"]);
        assert.equal(releaseVersionProblem("latest"), `"latest" is not a release version (a form like 1.30.3)`);
    });

    it("IP addresses: IPv4 and IPv6, without prefix length or zone", () => {
        sorts(ipAddressProblem, ["10.0.0.5", "0.0.0.0", "fd00::5", "2001:db8::1"], ["10.0.0.256", "10.0.0", "10.0.0.5/32", "node-1", "fe80::1%eth0", ""]);
    });

    it("DNS names: lower-case labels joined by dots, at most 253 characters", () => {
        const longest = `${"a".repeat(63)}.`.repeat(3) + "b".repeat(61);
        assert.equal(longest.length, 253);
        sorts(dnsSubdomainProblem, ["a", "a.b", "x.y-z.1", "acr-secret", "reviews.shop.svc.cluster.local", "a".repeat(63), longest], ["ACR", "a_b", "-a", "a.", "a..b", "", `${"a".repeat(63)}.`.repeat(4) + "a", `${longest}b`]);
    });

    it("TLS server names: a DNS name or an IP address", () => {
        sorts(serverNameProblem, ["api.example.com", "10.0.0.1", "fd00::1"], ["https://api.example.com", "api.example.com:6443", ""]);
    });

    it("URLs: the protocols asked for, with a host", () => {
        sorts((v) => urlProblem(v, ["https", "oci"]), ["https://charts.example.com/istio", "oci://registry.example.com/istio-charts", "https://10.0.0.1:6443"], ["http://charts.example.com", "charts.example.com", "https://", "file:///charts", "", "oci:istio-charts"]);
        assert.equal(urlProblem("x", ["https"]), `"x" is not a URL starting https://`);
        assert.equal(urlProblem("ftp://x", ["https", "http", "oci"]), `"ftp://x" is not a URL starting https:// or http:// or oci://`);
    });

    it("image registries and repositories: host, optional port, path; no tag or upper case", () => {
        sorts(imageRepositoryProblem, ["registry.istio.io/release", "docker.io/istio", "localhost:5000/istio", "registry.cn-hangzhou.aliyuncs.com/istio", "registry-intl.cn-hangzhou.aliyuncs.com/istio", "registry.example.com/team__istio/proxy", "mirror"], ["registry.istio.io/release:1.30.3", "Registry.io/istio", "registry.io/", "registry.io//istio", "", "a b"]);
    });

    it("durations: Go's units, combined; no spaces or bare numbers", () => {
        sorts(durationProblem, ["10s", "1m30s", "500ms", "1.5h", "1.25s", "100us"], ["10", "10 s", "ten seconds", "1d", "", "s", "x10s", "10sx"]);
    });

    it("label and annotation keys: an optional DNS prefix, then a name of at most 63 characters", () => {
        sorts(metadataKeyProblem, ["team", "k", "a/key", "x.y/owner", "app.kubernetes.io/name", "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-spec", "a_b.c"], ["bad key", "/name", "Example.com/name", "a/b/c", `x/${"n".repeat(64)}`, "", "-a"]);
        // The name after the prefix may have 63 characters, the prefix 253 (a DNS subdomain).
        const prefix253 = `${"p".repeat(61)}.${"p".repeat(61)}.${"p".repeat(61)}.${"p".repeat(67)}`.slice(0, 253);
        sorts(metadataKeyProblem, [`example.com/${"n".repeat(63)}`, "n".repeat(63), `${prefix253}/name`], [`${prefix253}p/name`, "n".repeat(64)]);
    });

    it("image references: a repository with a tag, a digest or both", () => {
        const digest = `sha256:${"a".repeat(64)}`;
        sorts(imageReferenceProblem, ["docker.io/curlimages/curl:8.16.0", "localhost:5000/curl:latest", `registry.example.com/curl@${digest}`, `curl:8@${digest}`], ["docker.io/curlimages/curl", "localhost:5000/curl", "Curl:8", "curl:", `curl@sha256:abc`, "", "not a reference\nregistry.example.com/curl:8"]);
    });

    it("PEM certificates: at least one block, each valid X.509", async () => {
        const one = await selfSignedPem("one");
        const two = await selfSignedPem("two");
        sorts(pemCertificatesProblem, [one, `${one}${two}`], ["", "not a certificate", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"]);
        assert.equal(pemCertificatesProblem("not a certificate"), "holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        assert.equal(pemCertificatesProblem(`${one}-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n`), "certificate 2 of 2 is not valid X.509");
    });
});
