import { kubernetesVersionProblem } from "../model/compatibility";

/** Orders ACK version strings such as `1.34.3-aliyun.1`: by major, minor and patch, then the ACK build. */
function compareVersions(a: string, b: string): number {
    const parts = (v: string) => (/^(\d+)\.(\d+)\.(\d+)(?:-aliyun\.(\d+))?/.exec(v) ?? []).slice(1).map((n) => Number(n ?? 0));
    const [pa, pb] = [parts(a), parts(b)];
    for (let i = 0; i < 4; i++) {
        if ((pa[i] ?? 0) !== (pb[i] ?? 0)) {
            return (pa[i] ?? 0) - (pb[i] ?? 0);
        }
    }
    return 0;
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
    return `without kubernetesVersion, ACK would create the cluster at ${newest}, but ${problem.replace(/^kubernetesVersion \S+ /, "it ")}; ${instead} (an existing cluster keeps its version: set it to that)`;
}
