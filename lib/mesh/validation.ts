import { validateAckClusterArgs } from "../alicloud/ackClusterArgs";
import { firewallProblems } from "../alicloud/firewall";
import { dnsSubdomainProblem, imageReferenceProblem, imageRepositoryProblem, ipAddressProblem, pemCertificatesProblem, releaseVersionProblem, serverNameProblem, urlProblem } from "../internal/formats";
import { dns1123LabelProblem } from "../internal/names";
import { gatewayAvailabilityProblems } from "../istio/eastWestGateway";
import { serviceSettingsProblems } from "../istio/gatewayService";
import { localityProblems } from "../istio/locality";
import { revisionProblems } from "../istio/revisions";
import { Problem, ProblemReport } from "../model/problems";
import { validateTopology } from "../model/topology";
import { malformedSettings, meshConfigShapeProblems, topologyOfConfig } from "./config";
import { FormatProblem, MeshInput, shapeOfInputs } from "./inputs";
import { ackConfigPath, firewallConfigPath, MeshPlan, planMesh } from "./plan";

/**
 * Every problem of a mesh config, by its config path: its shape, its topology, and then what each part
 * would reject later, asked now from the same plan the parts are built from, so nothing is created for a
 * mesh that cannot be built.
 */
export function meshProblems(config: MeshInput, prefix = "mesh"): ProblemReport {
    const shape = meshConfigShapeProblems(shapeOfInputs(config), prefix);
    if (shape.length === 0) {
        return problemsOfWellShaped(config, prefix);
    }
    // One round of errors: the other checks run on the config without its malformed settings, so a range
    // overlap is reported beside a mistyped setting. What they say about a setting taken out (or about
    // what holds it, or lies in it) is left out: it may only echo the removal.
    const malformed = malformedSettings(shapeOfInputs(config));
    // Only the schema's findings can be taken out; a cluster neither made nor existing stays as it is. A
    // config that is not an object is taken out whole, and everything said of what is left lies within it.
    const remainder = malformed && malformed.length > 0 ? withoutSettings(config, malformed) : undefined;
    if (!remainder) {
        return { errors: shape, warnings: [] };
    }
    const removed = malformed!.map((keys) => settingPath(prefix, keys));
    const unrelated = (p: Problem) => !removed.some((r) => within(p.propertyPath, r) || within(r, p.propertyPath));
    const remainderShape = meshConfigShapeProblems(shapeOfInputs(remainder), prefix);
    const rest = remainderShape.length > 0 ? { errors: remainderShape, warnings: [] } : problemsOfWellShaped(remainder, prefix);
    // Warnings are only about ranges, which a setting taken out leaves none of to warn about.
    return { errors: [...shape, ...rest.errors.filter(unrelated)], warnings: rest.warnings };
}

/**
 * Whether `path` is `container` or a setting inside it. A list's own problems (no primary among the
 * clusters, say) are not within one of its entries: taking a setting out of an entry cannot cause them.
 */
function within(path: string, container: string): boolean {
    return path === container || path.startsWith(`${container}.`);
}

/** A setting's config path from its keys; an array element stands for its whole list. */
function settingPath(prefix: string, keys: (string | number)[]): string {
    return settingKeys(keys).reduce<string>((path, key) => (typeof key === "number" ? `${path}[${key}]` : `${path}.${key}`), prefix);
}

/** The keys of the setting to take out: up to the last name, so a malformed list element takes out its list. */
function settingKeys(keys: (string | number)[]): (string | number)[] {
    return keys.slice(0, keys.map((k) => typeof k === "string").lastIndexOf(true) + 1);
}

/**
 * The config without the given settings. Containers on the way are copied and everything else is shared,
 * so Inputs stay the same objects. Undefined when a path does not lead to a setting.
 */
function withoutSettings(config: MeshInput, paths: (string | number)[][]): MeshInput | undefined {
    const copy = (value: unknown): unknown => (Array.isArray(value) ? [...(value as unknown[])] : { ...(value as object) });
    const root = copy(config) as Record<string | number, unknown>;
    for (const keys of paths) {
        let container = root;
        const names = settingKeys(keys);
        for (const key of names.slice(0, -1)) {
            const next = container[key];
            // Stryker disable next-line BlockStatement: only a path through a setting taken out before meets no object here, and what lies within that setting is left out of the problems anyway
            if (typeof next !== "object" || next === null) {
                return undefined;
            }
            container = container[key] = copy(next) as Record<string | number, unknown>;
        }
        delete container[names[names.length - 1]];
    }
    return root as unknown as MeshInput;
}

/** Every problem of a config whose shape is right. */
function problemsOfWellShaped(config: MeshInput, prefix: string): ProblemReport {
    const known = shapeOfInputs(config);
    const { topology, locate } = topologyOfConfig(known, prefix);
    const report = validateTopology(topology);
    const errors = [...report.errors.map(locate), ...formatProblems(config, prefix)];
    const regions = [...new Set(config.clusters.map((c) => c.region).filter((r): r is string => r !== undefined))];
    if (config.localityFailover) {
        errors.push(...localityProblems({ failover: config.localityFailover.failover }, regions, `${prefix}.localityFailover`));
    }
    errors.push(...revisionProblems(config.istio ?? {}).map((p) => ({ propertyPath: `${prefix}.istio.${p.propertyPath}`, reason: p.reason })));
    if ((config.istio?.values?.meshConfig as Record<string, unknown> | undefined)?.trustDomain !== undefined) {
        errors.push({ propertyPath: `${prefix}.istio.values.meshConfig.trustDomain`, reason: "set the trust domain with istio.trustDomain, which every primary of the mesh shares" });
    }
    const plan = planMesh(config);
    errors.push(...ackPlacementProblems(plan, prefix));
    for (const cluster of plan.clusters) {
        if (cluster.eastWestGateway) {
            errors.push(...gatewayAvailabilityProblems(cluster.eastWestGateway.availability, `${prefix}.clusters[${cluster.index}].eastWestGateway`));
            errors.push(...serviceSettingsProblems(cluster.eastWestGateway, `${prefix}.clusters[${cluster.index}].eastWestGateway.`));
        }
    }
    const seen = new Set(errors.map((e) => e.propertyPath));
    for (const cluster of plan.clusters) {
        for (const p of cluster.ack ? validateAckClusterArgs(cluster.ack) : []) {
            const path = ackConfigPath(p.propertyPath, cluster.index, prefix);
            if (!seen.has(path)) {
                seen.add(path);
                errors.push({ propertyPath: path, reason: p.reason });
            }
        }
    }
    if (errors.length === 0 && plan.clusters.some((c) => c.ack)) {
        errors.push(...networkProblems(config, plan, prefix));
    }
    return { errors, warnings: report.warnings.map(locate) };
}

/** The formats of an existing cluster's API server settings, which a program may pass as Inputs. */
export const apiServerChecks = {
    apiServer: (value: string) => urlProblem(value, ["https"]),
    apiServerCaPem: pemCertificatesProblem,
} as const;

/**
 * Values the schema types only as strings but that must have a format by the time they reach a chart, a
 * kubeconfig or a Kubernetes object: release versions, URLs, registries, addresses, names, certificates.
 */
function formatProblems(config: MeshInput, prefix: string): Problem[] {
    const checks: FormatCheck[] = [
        ["istio.version", config.istio?.version, releaseVersionProblem],
        ["istio.hub", config.istio?.hub, imageRepositoryProblem],
        ["istio.chartRepository", config.istio?.chartRepository, (v) => urlProblem(v, ["https", "http", "oci"])],
        ...(config.istio?.additionalRevisions ?? []).map((r, i): FormatCheck => [`istio.additionalRevisions[${i}].version`, r.version, releaseVersionProblem]),
        ["istio.trustDomain", config.istio?.trustDomain, dnsSubdomainProblem],
        ...(config.istio?.imagePullSecrets ?? []).map((v, i): FormatCheck => [`istio.imagePullSecrets[${i}]`, v, dnsSubdomainProblem]),
        ["verification.helloworldImage", config.verification?.helloworldImage, imageRepositoryProblem],
        ["verification.curlImage", config.verification?.curlImage, imageReferenceProblem],
        ...config.clusters.flatMap((c, i): FormatCheck[] => {
            const at = `clusters[${i}]`;
            return [
                [`${at}.apiServer`, c.apiServer, apiServerChecks.apiServer],
                [`${at}.apiServerCaPem`, c.apiServerCaPem, apiServerChecks.apiServerCaPem],
                [`${at}.apiServerTlsServerName`, c.apiServerTlsServerName, serverNameProblem],
                ...(c.injectionNamespaces ?? []).map((v, j): FormatCheck => [`${at}.injectionNamespaces[${j}]`, v, dns1123LabelProblem]),
                ...(c.eastWestGateway?.externalIPs ?? []).map((v, j): FormatCheck => [`${at}.eastWestGateway.externalIPs[${j}]`, v, ipAddressProblem]),
            ];
        }),
        ...(config.localityFailover?.services ?? []).flatMap((svc, i): FormatCheck[] => {
            const at = `localityFailover.services[${i}]`;
            return [
                [`${at}.name`, svc.name, dnsSubdomainProblem],
                [`${at}.namespace`, svc.namespace, dns1123LabelProblem],
                // A host may be a wildcard (`*.example.com`); what follows the wildcard is a DNS name.
                [`${at}.host`, svc.host.replace(/^\*\./, ""), dnsSubdomainProblem],
            ];
        }),
    ];
    return checks.flatMap(([field, value, problemOf]) => {
        // A value not known yet (an Output) is checked when it resolves (`checkedOnResolution`).
        const problem = typeof value === "string" ? problemOf(value) : undefined;
        // Reasons name the setting itself (`externalIPs "x" is not an IP address`); the path says where.
        const setting = field.replace(/\[\d+\]$/, "").split(".").pop();
        return problem ? [{ propertyPath: `${prefix}.${field}`, reason: `${setting} ${problem}` }] : [];
    });
}

/** A setting's path below the config's root, its value if set, and why a value is not of its format. */
type FormatCheck = readonly [field: string, value: unknown, problemOf: FormatProblem];

/** Where ACK clusters go: a region and distinct zones; existing clusters cannot be joined by this library. */
function ackPlacementProblems(plan: MeshPlan, prefix: string): Problem[] {
    return plan.clusters.flatMap(({ config: c, index }) => {
        const at = `${prefix}.clusters[${index}]`;
        if (!c.ack) {
            return plan.linkMode === "none"
                ? []
                : [{ propertyPath: at, reason: `networkLink.mode ${plan.linkMode} joins clusters made on ACK; existing cluster "${c.name}" must already be reachable (use mode none)` }];
        }
        const problems: Problem[] = [];
        if (c.region === undefined) {
            problems.push({ propertyPath: `${at}.region`, reason: `cluster "${c.name}" is made on ACK and needs its region` });
        }
        const controlPlane = plan.clusters.find((p) => p.config.name === c.controlPlane);
        if (controlPlane && !controlPlane.config.ack) {
            problems.push({
                propertyPath: `${at}.controlPlane`,
                reason: `remote "${c.name}" is made on ACK but its control plane "${controlPlane.config.name}" exists already; the network link joins only clusters made on ACK, so make both on ACK or serve "${c.name}" from a primary made on ACK`,
            });
        }
        if (c.ack.zones !== undefined && (c.ack.zones.length < 2 || new Set(c.ack.zones).size !== c.ack.zones.length)) {
            problems.push({
                propertyPath: `${at}.ack.zones`,
                reason: `name at least two distinct zones of ${c.region ?? "the region"} for cluster "${c.name}", or leave zones out to take the region's first two`,
            });
        }
        return problems;
    });
}

/** The firewall and API server access of the clusters made on ACK. */
function networkProblems(config: MeshInput, plan: MeshPlan, prefix: string): Problem[] {
    const firewall = plan.clusters.flatMap((c) => (c.firewall ? [c.firewall] : []));
    const errors = firewallProblems(firewall, {
        internetPeerRanges: config.networkLink?.internetPeerRanges,
        maxEntries: config.networkLink?.prefixListMaxEntries,
        ruleQuota: config.networkLink?.securityGroupRuleQuota,
    }).map((p) => ({
        propertyPath: firewallConfigPath(p.propertyPath, plan, prefix),
        reason: p.reason,
    }));
    for (const { config: c, index, ack } of plan.clusters) {
        if (!ack) {
            continue;
        }
        const peers = ack.apiServerAccess?.peers ?? [];
        if (c.ack!.publicApiServer === false && plan.linkMode === "none" && peers.length > 0) {
            errors.push({
                propertyPath: `${prefix}.clusters[${index}].ack.publicApiServer`,
                reason: `cluster "${c.name}" is watched by other primaries, which reach it only through its public endpoint while the networks are not joined (networkLink.mode none)`,
            });
        }
        for (const peer of peers.filter((p) => p.ranges.length === 0)) {
            errors.push({
                propertyPath: `${prefix}.networkLink.internetPeerRanges`,
                reason: `istiod in "${peer.name}" reads cluster "${c.name}" through its public API endpoint (networkLink.mode none): list the egress ranges it comes from`,
            });
        }
    }
    return errors;
}
