/**
 * Which Istio this library installs and what it needs of a cluster. The ACK layer (clusters it makes) and
 * the Istio layer (charts it installs) both read these, so the two cannot drift apart.
 */

/** The Istio release whose charts are installed unless another is asked for. */
export const defaultIstioVersion = "1.30.3";

/** The Kubernetes minor versions `defaultIstioVersion` supports: 1.32 to 1.36 for Istio 1.30. */
export const minimumKubernetesVersion = { major: 1, minor: 32 };
export const maximumKubernetesVersion = { major: 1, minor: 36 };

/** The seeds' prerequisite: at least three worker nodes per cluster. */
export const minimumWorkers = 3;

const istioMinor = defaultIstioVersion.split(".").slice(0, 2).join(".");

/** Why a Kubernetes version cannot run the default Istio (or is not a version at all), or undefined. */
export function kubernetesVersionProblem(version: unknown): string | undefined {
    const match = /^v?(\d+)\.(\d+)(\.\d+)?(-[0-9A-Za-z.-]+)?$/.exec(String(version));
    const supported = `Istio ${istioMinor} supports Kubernetes ${minimumKubernetesVersion.major}.${minimumKubernetesVersion.minor} to ${maximumKubernetesVersion.major}.${maximumKubernetesVersion.minor}`;
    if (!match) {
        return `kubernetesVersion ${JSON.stringify(version)} is not a version such as 1.33.1-aliyun.1`;
    }
    const [major, minor] = [Number(match[1]), Number(match[2])];
    if (major < minimumKubernetesVersion.major || (major === minimumKubernetesVersion.major && minor < minimumKubernetesVersion.minor)) {
        return `kubernetesVersion ${version} is too old: ${supported}`;
    }
    if (major > maximumKubernetesVersion.major || (major === maximumKubernetesVersion.major && minor > maximumKubernetesVersion.minor)) {
        return `kubernetesVersion ${version} is too new: ${supported}`;
    }
    return undefined;
}
