import * as assert from "node:assert/strict";
import { ClusterConfig, MeshConfig } from "../../lib/mesh/config";
import { meshProblems } from "../../lib/mesh/validation";
import { ackPrimary, ackSettings, cenMesh } from "../harness/meshConfigs";

const existing = (name: string, network: string, extra: Record<string, unknown> = {}): ClusterConfig =>
    ({ name, role: "primary", network, kubeconfig: "k", apiServer: `https://${name}.example.com:6443`, eastWestGateway: { externalIPs: ["192.0.2.1"] }, ...extra }) as ClusterConfig;

describe("the mesh config's shape, as paths into it", () => {
    it("names list elements by index, however many digits, and map keys by name, however they look (digits, `/`, `~`)", () => {
        const annotations = { "10x": 1, x10: 2, "example.com/owner": 3, "a~b": 4 };
        const clusters = Array.from({ length: 11 }, (_, i) => existing(`c${i}`, `n${i}`, { podCidr: `10.${i}.0.0/16`, serviceCidr: `10.${100 + i}.0.0/16` }));
        clusters[10] = existing("c10", "n10", { podCidr: "10.10.0.0/16", serviceCidr: "10.110.0.0/16", eastWestGateway: { externalIPs: ["192.0.2.1"], serviceAnnotations: annotations } });
        const { errors } = meshProblems({ meshId: "m", clusters } as MeshConfig);
        const at = "mesh.clusters[10].eastWestGateway.serviceAnnotations";
        // Each once: the malformed values are taken out before the other checks run, so none is reported again.
        assert.deepEqual(errors, [`${at}.10x`, `${at}.x10`, `${at}.example.com/owner`, `${at}.a~b`].map((propertyPath) => ({ propertyPath, reason: "must be string" })));
    });

    it("leaves out what only echoes a setting taken out, when several are", () => {
        const { errors } = meshProblems({ meshId: "m", clusters: [existing("a", 5 as unknown as string), existing("b", "n2", { colour: "blue" })] } as unknown as MeshConfig);
        assert.deepEqual(errors, [
            { propertyPath: "mesh.clusters[0].network", reason: "must be string" },
            { propertyPath: "mesh.clusters[1].colour", reason: "colour is not a setting here" },
        ]);
    });

    it("leaves out what a setting taken out leaves its container missing", () => {
        const { errors } = meshProblems({ meshId: "m", clusters: [existing("a", "n1", { kubeconfig: 5 })] } as unknown as MeshConfig);
        assert.deepEqual(errors, [{ propertyPath: "mesh.clusters[0].kubeconfig", reason: "must be string" }]);
    });

    it("still reports what is wrong with the list of clusters as a whole beside a setting taken out of one of them", () => {
        const { errors } = meshProblems({ meshId: "m", clusters: [existing("a", "n1", { role: "remote", controlPlane: "a", colour: "blue" })] } as unknown as MeshConfig);
        assert.deepEqual(
            errors.filter((e) => !e.propertyPath.startsWith("mesh.clusters[0].controlPlane")),
            [
                { propertyPath: "mesh.clusters[0].colour", reason: "colour is not a setting here" },
                { propertyPath: "mesh.clusters", reason: "the mesh has no primary cluster: at least one cluster needs role primary to run istiod" },
            ],
        );
    });

    it("takes a malformed setting out from under map keys with digits in them, so the rest is still checked", () => {
        const intermediate = { caCertPem: "c", caKeyPem: "k", certChainPem: 5 };
        const clusters = [existing("10x", "n1", { podCidr: "10.244.0.0/16" }), existing("x10", "n1", { podCidr: "10.244.0.0/16" })];
        const { errors } = meshProblems({ meshId: "m", trust: { mode: "external", rootCertPem: "r", intermediates: { "10x": intermediate, x10: intermediate } }, clusters } as unknown as MeshConfig);
        assert.deepEqual(
            errors.filter((e) => !/caCertPem|rootCertPem/.test(e.propertyPath)).map((e) => e.propertyPath),
            ["mesh.trust.intermediates.10x.certChainPem", "mesh.trust.intermediates.x10.certChainPem", "mesh.clusters[1].podCidr"],
        );
    });

    it("leaves out what a setting taken out of the eleventh cluster leaves it missing", () => {
        const clusters = Array.from({ length: 11 }, (_, i) => existing(`c${i}`, `n${i}`, { podCidr: `10.${i}.0.0/16`, serviceCidr: `10.${100 + i}.0.0/16` }));
        clusters[10] = { ...clusters[10], kubeconfig: 5 as unknown as string };
        assert.deepEqual(meshProblems({ meshId: "m", clusters } as MeshConfig).errors, [{ propertyPath: "mesh.clusters[10].kubeconfig", reason: "must be string" }]);
    });

    it("says a config that is not an object is not one, and nothing else", () => {
        for (const value of ["mesh1", null, [{ meshId: "m" }]]) {
            assert.deepEqual(meshProblems(value as unknown as MeshConfig).errors, [{ propertyPath: "mesh", reason: "must be object" }], JSON.stringify(value));
        }
    });

    it("reports a range overlap beside a malformed top-level setting, in one round", () => {
        const clusters = [existing("a", "n1", { podCidr: "10.244.0.0/16" }), existing("b", "n1", { podCidr: "10.244.0.0/16" })];
        const { errors } = meshProblems({ meshId: "m", mtls: "OFF", clusters } as unknown as MeshConfig);
        assert.deepEqual(errors.map((e) => e.propertyPath), ["mesh.mtls", "mesh.clusters[1].podCidr"]);
    });

    it("keeps to shape errors when a required setting is missing deep in the config, though other checks would find more", () => {
        const clusters = [existing("a", "n1", { podCidr: "10.244.0.0/16" }), existing("b", "n1", { podCidr: "10.244.0.0/16" })];
        const { errors } = meshProblems({ meshId: "m", trust: { mode: "external", rootCertPem: "r", intermediates: { a: { caCertPem: "c" } } }, clusters } as unknown as MeshConfig);
        assert.deepEqual(errors, [{ propertyPath: "mesh.trust.intermediates.a.caKeyPem", reason: "caKeyPem is required" }]);
    });

    it("says why a cluster is neither made nor existing, or both, and where an ACK cluster's ranges go", () => {
        const { errors } = meshProblems({
            meshId: "m",
            clusters: [
                { name: "neither", role: "primary", network: "n1" },
                { name: "half", role: "primary", network: "n2", kubeconfig: "k" },
                { ...ackPrimary("both", 3), kubeconfig: "k" },
                { ...ackPrimary("ranges", 4), podCidr: "10.244.0.0/16", serviceCidr: "10.96.0.0/12", vpcCidr: "10.0.0.0/8" },
                { ...ackPrimary("both-by-address", 5), apiServer: "https://10.5.0.1:6443" },
            ],
        } as MeshConfig);
        assert.deepEqual(errors, [
            { propertyPath: "mesh.clusters[0]", reason: 'cluster "neither" needs ack settings to be made on ACK, or kubeconfig and apiServer for an existing cluster' },
            { propertyPath: "mesh.clusters[1]", reason: 'cluster "half" needs ack settings to be made on ACK, or kubeconfig and apiServer for an existing cluster' },
            { propertyPath: "mesh.clusters[2]", reason: 'cluster "both" is either made on ACK (ack) or existing (kubeconfig, apiServer), not both' },
            { propertyPath: "mesh.clusters[3].vpcCidr", reason: "for an ACK cluster, set vpcCidr under ack" },
            { propertyPath: "mesh.clusters[3].podCidr", reason: "for an ACK cluster, set podCidr under ack" },
            { propertyPath: "mesh.clusters[3].serviceCidr", reason: "for an ACK cluster, set serviceCidr under ack" },
            { propertyPath: "mesh.clusters[4]", reason: 'cluster "both-by-address" is either made on ACK (ack) or existing (kubeconfig, apiServer), not both' },
        ]);
    });

    it("names an ACK cluster's range problem under `ack`, at any index", () => {
        const clusters = Array.from({ length: 11 }, (_, i) => ackPrimary(`c${i}`, i, { ack: ackSettings(i + 1) }));
        clusters[10] = ackPrimary("c10", 10, { ack: ackSettings(1) });
        const { errors } = meshProblems(cenMesh(clusters));
        assert.ok(errors.some((e) => e.propertyPath === "mesh.clusters[10].ack.vpcCidr"), JSON.stringify(errors.map((e) => e.propertyPath)));
        assert.ok(!errors.some((e) => e.propertyPath === "mesh.clusters[10].vpcCidr"));
    });
});

describe("where ACK clusters go", () => {
    it("asks a cluster without a region for its region, and for distinct zones of the region it will name", () => {
        const { errors } = meshProblems(
            cenMesh([ackPrimary("a", 1, { region: undefined, ack: ackSettings(1, { zones: ["cn-hangzhou-h", "cn-hangzhou-h"] }) }), ackPrimary("b", 2, { ack: ackSettings(2, { zones: ["cn-hangzhou-h"] }) })]),
        );
        assert.deepEqual(
            errors.filter((e) => /region|zones/.test(e.propertyPath)),
            [
                { propertyPath: "mesh.clusters[0].region", reason: "region is required when networkLink.mode is cen: CEN attaches each VPC to its region's transit router" },
                { propertyPath: "mesh.clusters[0].region", reason: 'cluster "a" is made on ACK and needs its region' },
                { propertyPath: "mesh.clusters[0].ack.zones", reason: `name at least two distinct zones of the region for cluster "a", or leave zones out to take the region's first two` },
                { propertyPath: "mesh.clusters[1].ack.zones", reason: `name at least two distinct zones of cn-hangzhou for cluster "b", or leave zones out to take the region's first two` },
            ],
        );
    });
});

describe("what the mesh as a whole asks of its settings", () => {
    it("asks for the peers' egress ranges while the networks are not joined", () => {
        const { errors } = meshProblems(cenMesh([ackPrimary("a", 1), ackPrimary("b", 2)], { networkLink: { mode: "none" } }));
        assert.deepEqual(errors, [
            { propertyPath: "mesh.networkLink.internetPeerRanges", reason: "a, b have an internet-facing east-west gateway, which admits only internetPeerRanges; list the peers' egress ranges" },
            { propertyPath: "mesh.networkLink.internetPeerRanges", reason: 'istiod in "b" reads cluster "a" through its public API endpoint (networkLink.mode none): list the egress ranges it comes from' },
            { propertyPath: "mesh.networkLink.internetPeerRanges", reason: 'istiod in "a" reads cluster "b" through its public API endpoint (networkLink.mode none): list the egress ranges it comes from' },
        ]);
    });

    it("names the mesh's regions when failover names another, leaving out clusters without one", () => {
        const { errors } = meshProblems({ meshId: "m", localityFailover: { failover: [{ from: "cn-hangzhou", to: "cn-beijing" }] }, clusters: [existing("a", "n1", { region: "cn-hangzhou" }), existing("b", "n2")] });
        assert.deepEqual(errors, [{ propertyPath: "mesh.localityFailover.failover[0].to", reason: "region cn-beijing has no cluster in this mesh (regions: cn-hangzhou)" }]);
    });

    it("keeps the trust domain out of istiod's values", () => {
        const { errors } = meshProblems({ meshId: "m", istio: { values: { meshConfig: { trustDomain: "a.example" } } }, clusters: [existing("a", "n1")] });
        assert.deepEqual(errors, [{ propertyPath: "mesh.istio.values.meshConfig.trustDomain", reason: "set the trust domain with istio.trustDomain, which every primary of the mesh shares" }]);
    });

    it("checks the formats of list items and per-service failover, each reason naming its setting", () => {
        const externalIPs = Array.from({ length: 11 }, (_, i) => `192.0.2.${i + 1}`);
        externalIPs[10] = "192.0.2";
        const failover = [{ from: "r1", to: "r2" }];
        const { errors } = meshProblems({
            meshId: "m",
            istio: { chartRepository: "ftp://charts.example.com" },
            localityFailover: {
                services: [
                    { name: "Bad_Name", namespace: "Bad_NS", host: "reviews.*.example.com", failover },
                    { name: "ok", namespace: "ok", host: "*.example.com", failover },
                ],
            },
            clusters: [existing("a", "n1", { region: "r1", injectionNamespaces: ["default", "Bad_NS"], eastWestGateway: { externalIPs } }), existing("b", "n2", { region: "r2" })],
        });
        const label = "is not a DNS-1123 label: use lower-case letters, digits and '-', starting and ending with a letter or digit (underscores are not allowed: use '-')";
        const dnsName = "is not a DNS name (lower-case labels of letters, digits and '-', joined by '.')";
        assert.deepEqual(errors, [
            { propertyPath: "mesh.istio.chartRepository", reason: 'chartRepository "ftp://charts.example.com" is not a URL starting https:// or http:// or oci://' },
            { propertyPath: "mesh.clusters[0].injectionNamespaces[1]", reason: `injectionNamespaces "Bad_NS" ${label}` },
            { propertyPath: "mesh.clusters[0].eastWestGateway.externalIPs[10]", reason: 'externalIPs "192.0.2" is not an IP address' },
            { propertyPath: "mesh.localityFailover.services[0].name", reason: `name "Bad_Name" ${dnsName}` },
            { propertyPath: "mesh.localityFailover.services[0].namespace", reason: `namespace "Bad_NS" ${label}` },
            { propertyPath: "mesh.localityFailover.services[0].host", reason: `host "reviews.*.example.com" ${dnsName}` },
        ]);
        for (const chartRepository of ["https://charts.example.com/istio", "http://charts.example.com/istio", "oci://registry.example.com/istio"]) {
            assert.deepEqual(meshProblems({ meshId: "m", istio: { chartRepository }, clusters: [existing("a", "n1")] }).errors, [], chartRepository);
        }
    });

    it("checks the network once the rest is right, since it reads ranges the other checks vouch for", () => {
        const overlapping = cenMesh([ackPrimary("a", 1), ackPrimary("b", 1)], { networkLink: { mode: "none" } });
        assert.ok(meshProblems(overlapping).errors.length > 0);
        assert.deepEqual(meshProblems(overlapping).errors.filter((e) => e.propertyPath.startsWith("mesh.networkLink")), []);
    });

    it("keeps existing clusters out of a network it joins", () => {
        const { errors } = meshProblems(cenMesh([ackPrimary("a", 1), existing("b", "n2", { region: "cn-hangzhou" })]));
        assert.deepEqual(errors, [
            { propertyPath: "mesh.clusters[1]", reason: 'networkLink.mode cen joins clusters made on ACK; existing cluster "b" must already be reachable (use mode none)' },
        ]);
    });

    it("keeps a watched ACK cluster's public endpoint on while the networks are not joined", () => {
        const privateOnly = (i: number) => ackPrimary(`c${i}`, i, { ack: ackSettings(i, { publicApiServer: false }) });
        const unjoined = { networkLink: { mode: "none" as const, internetPeerRanges: ["198.51.100.0/24"] } };
        const publicEndpointProblems = (config: MeshConfig) => meshProblems(config).errors.filter((e) => e.propertyPath.endsWith("publicApiServer"));
        assert.deepEqual(publicEndpointProblems(cenMesh([privateOnly(1), ackPrimary("c2", 2)], unjoined)), [
            {
                propertyPath: "mesh.clusters[0].ack.publicApiServer",
                reason: 'cluster "c1" is watched by other primaries, which reach it only through its public endpoint while the networks are not joined (networkLink.mode none)',
            },
        ]);
        // Joined, or watched by no other primary, it may go private.
        assert.deepEqual(publicEndpointProblems(cenMesh([privateOnly(1), ackPrimary("c2", 2)])), []);
        assert.deepEqual(meshProblems(cenMesh([privateOnly(1)], unjoined)).errors, []);
    });
});
