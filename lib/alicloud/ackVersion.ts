import * as semver from "semver";
import { kubernetesVersionProblem } from "../model/compatibility";

/** ACK versions such as `1.34.3-aliyun.1` are semantic versions: the ACK build orders as a prerelease. */
function compareVersions(a: string, b: string): number {
    const asSemver = (v: string) => semver.coerce(v, { includePrerelease: true }) ?? new semver.SemVer("0.0.0");
    return semver.compare(asSemver(a), asSemver(b));
}

/**
 * What a cluster without a `kubernetesVersion` gets: ACK takes the newest version it offers, at creation
 * only. That is fine while Istio supports it; otherwise the answer names the newest offered that Istio
 * supports, to set instead.
 */
export function unpinnedVersionProblem(offered: readonly string[]): string | undefined {
    const sorted = [...offered].sort(compareVersions);
    const newest = sorted[sorted.length - 1];
    if (newest === undefined) {
        return "ACK offers no Kubernetes version for managed clusters in this region; set kubernetesVersion";
    }
    const problem = kubernetesVersionProblem(newest);
    if (!problem) {
        return undefined;
    }
    const supported = sorted.filter((v) => kubernetesVersionProblem(v) === undefined);
    const instead = supported.length > 0 ? `set kubernetesVersion to ${supported[supported.length - 1]}, the newest ACK offers that Istio supports` : "no version ACK offers is supported: choose another Istio release";
    // Stryker disable next-line Regex: every problem starts with "kubernetesVersion <version> ", anchored or not
    return `without kubernetesVersion, ACK would create the cluster at ${newest}, but ${problem.replace(/^kubernetesVersion \S+ /, "it ")}; ${instead} (an existing cluster keeps its version: set it to that)`;
}
