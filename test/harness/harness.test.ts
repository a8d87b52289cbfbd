import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { MockCloud, Registration, inspect, programFailures, urnOf, valueOf } from "./mocks";
import { isSecretWrapper, reveal } from "./secrets";
import { basicConstraints, parseCertificate } from "./x509";

/** A resource of any type, for harness tests that need no provider. */
class Thing extends pulumi.CustomResource {
    constructor(type: string, name: string, opts: pulumi.CustomResourceOptions) {
        super(type, name, {}, opts);
    }
}

/** What the cloud answers for the made-up types of these tests: an ID, and the inputs as state. */
const things = Object.fromEntries(["test:index:Ten", "test:index:Seven", "test:index:Thirty"].map((type) => [type, (r: Registration) => ({ id: `${r.name}-id`, state: r.inputs })]));

/** The mock harness is what every component test stands on, so it is tested like product code. */
describe("test harness", () => {
    it("fails any invoke a test did not mock, and serves those it did", async () => {
        const cloud = MockCloud.install({ invokes: { "tls:index/getPublicKey:getPublicKey": () => ({ publicKeyPem: "pem" }) } });
        await assert.rejects(pulumi.runtime.invoke("alicloud:index/getZones:getZones", {}), /unmocked invoke alicloud:index\/getZones:getZones/);
        const served = await pulumi.runtime.invoke("tls:index/getPublicKey:getPublicKey", { privateKeyPem: "k" });
        assert.equal(served.publicKeyPem, "pem");
        assert.deepEqual(cloud.invocations.map((i) => i.token), ["alicloud:index/getZones:getZones", "tls:index/getPublicKey:getPublicKey"]);
    });

    it("records parent, dependencies, protect and secret inputs as the engine receives them", async () => {
        const cloud = MockCloud.install();
        const parent = new pulumi.ComponentResource("test:index:Parent", "p", {});
        const key = new tls.PrivateKey("k", { algorithm: "ECDSA", ecdsaCurve: "P256" }, { parent, protect: true });
        const cert = new tls.SelfSignedCert(
            "c",
            { privateKeyPem: key.privateKeyPem, subject: { commonName: "x" }, allowedUses: ["digital_signature"], validityPeriodHours: 1 },
            { parent, dependsOn: [parent], ignoreChanges: ["subject"] },
        );
        await urnOf(cert);
        await cloud.settle();
        const k = cloud.find("tls:index/privateKey:PrivateKey", "k");
        const c = cloud.find("tls:index/selfSignedCert:SelfSignedCert", "c");
        assert.equal(k.parent, await urnOf(parent));
        assert.equal(k.protect, true);
        assert.deepEqual(k.additionalSecretOutputs.sort(), ["privateKeyOpenssh", "privateKeyPem", "privateKeyPemPkcs8"]);
        assert.ok(isSecretWrapper(k.state!.privateKeyPem), "the engine made the provider's secret output secret");
        assert.ok(isSecretWrapper(c.inputs.privateKeyPem), "a secret output stays secret as the next input");
        assert.deepEqual(c.propertyDependencies.privateKeyPem, [await urnOf(key)]);
        assert.ok(c.dependencies.includes(await urnOf(key)));
        assert.deepEqual(c.ignoreChanges, ["subject"]);
        assert.ok(c.index > k.index);
        const certPem = await inspect(cert.certPem);
        assert.equal(certPem.secret, false);
        assert.equal(parseCertificate(certPem.value).cert.subject, "CN=x");
    });

    it("delays registrations by type so a test can observe what waits for what", async () => {
        const cloud = MockCloud.install({ latencyMs: { "tls:index/privateKey:PrivateKey": 30 } });
        const slow = new tls.PrivateKey("slow", { algorithm: "RSA" });
        const independent = new tls.PrivateKey("independent", { algorithm: "ECDSA", ecdsaCurve: "P256" });
        const dependent = new tls.PrivateKey("dependent", { algorithm: "RSA" }, { dependsOn: [slow] });
        await Promise.allSettled([urnOf(dependent), urnOf(independent)]);
        await cloud.settle();
        const s = cloud.find("tls:index/privateKey:PrivateKey", "slow");
        const d = cloud.find("tls:index/privateKey:PrivateKey", "dependent");
        const i = cloud.find("tls:index/privateKey:PrivateKey", "independent");
        assert.ok(d.startedAt > s.finishedAt!, "dependsOn holds the registration until the dependency is done");
        assert.ok(i.startedAt < s.finishedAt!, "an independent registration does not wait");
    });

    it("refuses two resources with one URN, as the engine does", async () => {
        const cloud = MockCloud.install();
        const first = new tls.PrivateKey("same", { algorithm: "RSA" });
        await urnOf(first);
        const failures = await programFailures(async () => {
            new tls.PrivateKey("same", { algorithm: "RSA" });
            await cloud.settle();
        });
        assert.ok(failures.some((f) => /Duplicate resource URN/.test(f)), `got ${failures.join("; ")}`);
    });

    it("leaves computed tls outputs unknown in a preview", async () => {
        const cloud = MockCloud.install({ preview: true });
        const key = new tls.PrivateKey("k", { algorithm: "RSA" });
        const cert = new tls.SelfSignedCert("c", { privateKeyPem: key.privateKeyPem, subject: { commonName: "x" }, allowedUses: [], validityPeriodHours: 1 });
        assert.equal((await inspect(key.privateKeyPem)).known, false);
        assert.equal((await inspect(cert.certPem)).known, false);
        await cloud.settle();
    });

    it("simulates deployment time on a virtual clock: dependencies wait, independent work overlaps, lanes serialize", async () => {
        const cloud = MockCloud.install({
            resources: things,
            virtualTime: {
                secondsByType: { "test:index:Ten": 10, "test:index:Seven": 7 },
                lane: (r) => (r.name.startsWith("lane-") ? "one-router" : r.name === "both" ? ["one-router", "other-router"] : r.name === "other" ? "other-router" : undefined),
            },
        });
        const started = Date.now();
        const resource = (type: string, name: string, opts: pulumi.CustomResourceOptions = {}) => new Thing(type, name, opts);
        const a = resource("test:index:Ten", "a");
        const b = resource("test:index:Ten", "b", { dependsOn: [a] });
        const c = resource("test:index:Seven", "c");
        const lane1 = resource("test:index:Seven", "lane-1");
        const lane2 = resource("test:index:Seven", "lane-2");
        const both = resource("test:index:Seven", "both", { dependsOn: [c] });
        const other = resource("test:index:Ten", "other", { dependsOn: [both] });
        await Promise.all([b, c, lane1, lane2, other].map(urnOf));
        await cloud.settle();
        const at = (name: string) => {
            const r = cloud.registrations.find((x) => x.name === name)!;
            return [r.virtualStart, r.virtualFinish];
        };
        assert.deepEqual(at("a"), [0, 10]);
        assert.deepEqual(at("b"), [10, 20], "b waits for a");
        assert.deepEqual(at("c"), [0, 7], "independent work overlaps");
        assert.deepEqual([at("lane-1"), at("lane-2")].sort((x, y) => x[0]! - y[0]!), [[0, 7], [7, 14]], "one lane runs one operation at a time");
        assert.deepEqual(at("both"), [14, 21], "work on two lanes waits for both");
        assert.equal(cloud.find("test:index:Seven", "both").virtualArrival, 7, "it arrived when c finished and waited for the lane");
        assert.deepEqual(at("other"), [21, 31], "and holds the second lane too");
        assert.equal(cloud.virtualClock!.time, 31);
        assert.ok(Date.now() - started < 5000, "no real sleeping");
    });

    it("keeps simulated time still while a provider works for real (signing a certificate, say)", async () => {
        const cloud = MockCloud.install({
            resources: { ...things, "test:index:Slow": async (r) => new Promise((resolve) => setTimeout(() => resolve({ id: "slow", state: r.inputs }), 200)) },
            virtualTime: { secondsByType: { "test:index:Ten": 10, "test:index:Thirty": 30 } },
        });
        const slow = new Thing("test:index:Slow", "slow", {});
        const after = new Thing("test:index:Ten", "after", { dependsOn: [slow] });
        const independent = new Thing("test:index:Thirty", "independent", {});
        await Promise.all([after, independent].map(urnOf));
        await cloud.settle();
        const afterRun = cloud.find("test:index:Ten", "after");
        assert.deepEqual([afterRun.virtualArrival, afterRun.virtualFinish], [0, 10], "the clock did not jump to 30 while the provider worked");
        assert.equal(cloud.virtualClock!.time, 30);
    });

    describe("tls provider emulation", () => {
        async function caCert(name: string, maxPathLength?: number) {
            const cloud = MockCloud.install();
            const key = new tls.PrivateKey(`${name}-key`, { algorithm: "RSA" });
            const cert = new tls.SelfSignedCert(name, {
                privateKeyPem: key.privateKeyPem,
                subject: { commonName: "CA", organization: "O" },
                isCaCertificate: true,
                allowedUses: ["cert_signing"],
                validityPeriodHours: 24,
                maxPathLength,
            });
            const pem = await valueOf(cert.certPem);
            await cloud.settle();
            return { pem, cloud };
        }

        it("writes no path-length constraint for maxPathLength 0, as @pulumi/tls does", async () => {
            assert.equal(basicConstraints(parseCertificate((await caCert("zero", 0)).pem))!.pathLength, undefined);
            assert.equal(basicConstraints(parseCertificate((await caCert("unset")).pem))!.pathLength, undefined);
            assert.equal(basicConstraints(parseCertificate((await caCert("two", 2)).pem))!.pathLength, 2);
        });

        it("gives the same name the same key and certificate bytes on every run", async () => {
            const first = await caCert("same");
            const second = await caCert("same");
            assert.equal(first.pem, second.pem);
            const keyOf = (cloud: MockCloud, name: string) => reveal(cloud.find("tls:index/privateKey:PrivateKey", name).state!.privateKeyPem);
            assert.equal(keyOf(first.cloud, "same-key"), keyOf(second.cloud, "same-key"));
        });

        it("gives distinct names in one evaluation distinct keys while the pool lasts", async () => {
            const cloud = MockCloud.install();
            const names = ["a", "b", "c", "d"];
            const keys = names.map((n) => new tls.PrivateKey(n, { algorithm: "RSA" }));
            const pems = await Promise.all(keys.map((k) => valueOf(k.privateKeyPem)));
            assert.equal(new Set(pems).size, names.length);
            await cloud.settle();
        });

        it("rejects what the provider rejects: unknown key usages, a CA without subject, a CA key that does not match", async () => {
            const cloud = MockCloud.install();
            // Each refused registration fails the program too: collected here, as `pulumi up` would report them.
            const failures = await programFailures(async () => {
                const key = new tls.PrivateKey("k", { algorithm: "RSA" });
                const otherKey = new tls.PrivateKey("other", { algorithm: "RSA" });
                const badUse = new tls.SelfSignedCert("bad-use", {
                    privateKeyPem: key.privateKeyPem,
                    subject: { commonName: "x" },
                    allowedUses: ["certSigning"],
                    validityPeriodHours: 1,
                });
                await assert.rejects(valueOf(badUse.certPem), /allowedUses value "certSigning" is not one the provider accepts/);
                const noSubject = new tls.SelfSignedCert("no-subject", {
                    privateKeyPem: key.privateKeyPem,
                    isCaCertificate: true,
                    allowedUses: ["cert_signing"],
                    validityPeriodHours: 1,
                });
                await assert.rejects(valueOf(noSubject.certPem), /Must contain at least one Distinguished Name/);
                const ca = new tls.SelfSignedCert("ca", {
                    privateKeyPem: key.privateKeyPem,
                    subject: { commonName: "ca" },
                    isCaCertificate: true,
                    allowedUses: ["cert_signing"],
                    validityPeriodHours: 1,
                });
                const csr = new tls.CertRequest("csr", { privateKeyPem: otherKey.privateKeyPem, subject: { commonName: "leaf" } });
                const mismatched = new tls.LocallySignedCert("mismatched", {
                    certRequestPem: csr.certRequestPem,
                    caCertPem: ca.certPem,
                    caPrivateKeyPem: otherKey.privateKeyPem,
                    allowedUses: ["server_auth"],
                    validityPeriodHours: 1,
                });
                await assert.rejects(valueOf(mismatched.certPem), /provided PrivateKey doesn't match parent's PublicKey/);
                await cloud.settle();
            });
            for (const refused of ["bad-use", "no-subject", "mismatched"]) {
                assert.ok(failures.some((f) => f.includes(`failed to register new resource ${refused} `)), `${refused}: ${failures.join("; ")}`);
            }
        });

        it("reports readiness for early renewal from the fixed clock", async () => {
            const cloud = MockCloud.install();
            const key = new tls.PrivateKey("k", { algorithm: "RSA" });
            const fresh = new tls.SelfSignedCert("fresh", { privateKeyPem: key.privateKeyPem, subject: { commonName: "a" }, allowedUses: [], validityPeriodHours: 100, earlyRenewalHours: 10 });
            const due = new tls.SelfSignedCert("due", { privateKeyPem: key.privateKeyPem, subject: { commonName: "a" }, allowedUses: [], validityPeriodHours: 100, earlyRenewalHours: 100 });
            assert.equal(await valueOf(fresh.readyForRenewal), false);
            assert.equal(await valueOf(due.readyForRenewal), true);
            assert.equal(await valueOf(fresh.validityStartTime), "2026-01-01T00:00:00Z");
            assert.equal(await valueOf(fresh.validityEndTime), "2026-01-05T04:00:00Z");
            await cloud.settle();
        });
    });
});
