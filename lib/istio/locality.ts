import { durationProblem } from "../internal/formats";
import { Problem } from "../model/problems";
import { IstioObject } from "./istioConfigObjects";

/**
 * Locality routing: traffic stays in the caller's region while it is healthy and fails over to other
 * regions when it is not. Built and checked by the rules Istio's own validator applies
 * (pkg/config/validation: ValidateLocalityLbSetting). Pure.
 */

/** One failover step: from a region to the region its traffic goes to when its endpoints are unhealthy. */
export interface FailoverRule {
    /** Region traffic normally stays in. */
    readonly from: string;
    /** Region it fails over to. */
    readonly to: string;
}

/** Weighted distribution of one locality's traffic across localities. */
export interface DistributeRule {
    /** Locality `region/zone/subzone` (a trailing `*` allowed). */
    readonly from: string;
    /** Weights by locality; they sum to 100. */
    readonly to: Readonly<Record<string, number>>;
}

/** Outlier detection: without it, Istio never fails over. */
export interface OutlierDetection {
    /** 5xx answers in a row that eject an endpoint. @default 5 */
    readonly consecutive5xxErrors?: number;
    /** How often endpoints are scanned, a duration such as `10s`. @default "10s" */
    readonly interval?: string;
    /** How long an endpoint stays ejected at first, a duration. @default "30s" */
    readonly baseEjectionTime?: string;
    /** The most endpoints ejected at once, in percent. @default 100 */
    readonly maxEjectionPercent?: number;
}

/** Locality routing: the order regions fail over in, or weights, and the outlier detection that triggers it. */
export interface LocalityRoutingArgs {
    /** Whether locality load balancing is on. @default true */
    readonly enabled?: boolean;
    /**
     * Failover between regions in a stated order. Default (empty): Istio's own order, every region fails
     * over to all the others.
     */
    readonly failover?: readonly FailoverRule[];
    /** Weighted distribution instead of failover (not both). */
    readonly distribute?: readonly DistributeRule[];
    /** Labels ordering failover (e.g. `topology.istio.io/network`); not the region/zone labels with `failover`. */
    readonly failoverPriority?: readonly string[];
    /** When an endpoint counts as unhealthy. @default 5 errors in a row, scanned every 10s, ejected 30s, up to 100% */
    readonly outlierDetection?: OutlierDetection;
}

export const defaultOutlierDetection: Required<OutlierDetection> = {
    consecutive5xxErrors: 5,
    interval: "10s",
    baseEjectionTime: "30s",
    maxEjectionPercent: 100,
};

const topologyLabels = ["topology.kubernetes.io/region", "topology.kubernetes.io/zone", "topology.istio.io/subzone"];

/** Every problem Istio would report (errors) for these settings, with field paths under `path`. */
export function localityProblems(
    args: LocalityRoutingArgs,
    meshRegions: readonly string[] | undefined,
    path = "localityFailover",
): Problem[] {
    const problems: Problem[] = [];
    const problem = (p: string, reason: string) => problems.push({ propertyPath: `${path}${p}`, reason });
    const failover = args.failover ?? [];
    const distribute = args.distribute ?? [];
    const outlier = args.outlierDetection ?? {};
    for (const field of ["interval", "baseEjectionTime"] as const) {
        const reason = outlier[field] === undefined ? undefined : durationProblem(outlier[field]);
        if (reason) {
            problem(`.outlierDetection.${field}`, `${field} ${reason}`);
        }
    }
    if (outlier.consecutive5xxErrors !== undefined && !(Number.isInteger(outlier.consecutive5xxErrors) && outlier.consecutive5xxErrors >= 1)) {
        problem(".outlierDetection.consecutive5xxErrors", `consecutive5xxErrors ${outlier.consecutive5xxErrors} is not a whole number of at least 1: with none, no endpoint is ever ejected and nothing fails over`);
    }
    if (outlier.maxEjectionPercent !== undefined && !(Number.isInteger(outlier.maxEjectionPercent) && outlier.maxEjectionPercent >= 0 && outlier.maxEjectionPercent <= 100)) {
        problem(".outlierDetection.maxEjectionPercent", `maxEjectionPercent ${outlier.maxEjectionPercent} is not a whole percentage from 0 to 100`);
    }
    if (failover.length > 0 && distribute.length > 0) {
        problem("", "can not simultaneously specify 'distribute' and 'failover' (Istio rejects it)");
    }
    if (failover.length > 0) {
        // Stryker disable next-line ArrayDeclaration: a list of no topology label, whatever it holds, refuses nothing
        for (const label of args.failoverPriority ?? []) {
            if (topologyLabels.includes(label)) {
                problem(".failoverPriority", `can not simultaneously set 'failover' and topology label '${label}' in 'failoverPriority'`);
            }
        }
    }
    distribute.forEach((rule, i) => {
        const weights = Object.values(rule.to);
        if (weights.some((w) => !Number.isInteger(w) || w < 1 || w > 100)) {
            problem(`.distribute[${i}].to`, "locality weight must be in range [1, 100]");
        } else if (weights.reduce((a, b) => a + b, 0) !== 100) {
            problem(`.distribute[${i}].to`, `total locality weight ${weights.reduce((a, b) => a + b, 0)} != 100`);
        }
        for (const locality of [rule.from, ...Object.keys(rule.to)]) {
            const stars = (locality.match(/\*/g) ?? []).length;
            if (stars > 1 || (stars === 1 && !locality.endsWith("*"))) {
                problem(`.distribute[${i}]`, `locality ${locality} wildcard '*' number can not exceed 1 and must be in the end`);
            }
            if (locality.split("/").some((part) => part === "")) {
                problem(`.distribute[${i}]`, `locality ${locality} must not contain empty region/zone/subzone info`);
            }
        }
    });
    failover.forEach((rule, i) => {
        const at = `.failover[${i}]`;
        if (rule.from === rule.to) {
            problem(at, "locality lb failover settings must specify different regions");
        }
        if (rule.from.includes("/") || rule.to.includes("/")) {
            problem(at, "locality lb failover only specify region");
        }
        if (rule.from.includes("*") || rule.to.includes("*")) {
            problem(at, "locality lb failover region should not contain '*' wildcard");
        }
        for (const field of ["from", "to"] as const) {
            if (meshRegions && !rule[field].includes("/") && !rule[field].includes("*") && !meshRegions.includes(rule[field])) {
                problem(`${at}.${field}`, `region ${rule[field]} has no cluster in this mesh (regions: ${meshRegions.join(", ") || "none"})`);
            }
        }
    });
    return problems;
}

/** `meshConfig.localityLbSetting` for istiod. */
export function localityLbSetting(args: LocalityRoutingArgs): Record<string, unknown> {
    return {
        enabled: args.enabled ?? true,
        ...(args.failover && args.failover.length > 0 ? { failover: args.failover.map((f) => ({ from: f.from, to: f.to })) } : {}),
        ...(args.distribute && args.distribute.length > 0 ? { distribute: args.distribute.map((d) => ({ from: d.from, to: { ...d.to } })) } : {}),
        ...(args.failoverPriority && args.failoverPriority.length > 0 ? { failoverPriority: [...args.failoverPriority] } : {}),
    };
}

/**
 * A DestinationRule giving `host` locality routing with outlier detection. With host `*.local` in the
 * Istio root namespace it is the mesh-wide default; per service it goes in the service's namespace.
 */
export function localityDestinationRule(name: string, namespace: string, host: string, args: LocalityRoutingArgs): IstioObject {
    return {
        apiVersion: "networking.istio.io/v1",
        kind: "DestinationRule",
        metadata: { name, namespace },
        spec: {
            host,
            trafficPolicy: {
                loadBalancer: { localityLbSetting: localityLbSetting(args) },
                outlierDetection: { ...defaultOutlierDetection, ...args.outlierDetection },
            },
        },
    };
}
