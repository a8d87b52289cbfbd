import * as pulumi from "@pulumi/pulumi";
import { defaultIstioVersion } from "../model/compatibility";
import { defaultChartRepository, ImageSettings } from "./helmValues";

/** Where Istio's charts and images come from, shared by every release in a cluster. */
export interface IstioChartsArgs {
    /**
     * Istio release to install.
     * @default "1.30.3"
     */
    readonly version?: pulumi.Input<string>;
    /**
     * Helm repository with Istio's `base`, `istiod` and `gateway` charts; an `oci://` registry works too.
     * Mainland-China regions reach neither Istio's chart bucket nor its image registry: point both at a mirror.
     * @default "https://istio-release.storage.googleapis.com/charts"
     */
    readonly chartRepository?: pulumi.Input<string>;
    /**
     * Image registry for every Istio image (`global.hub`).
     * @default the charts' own: `registry.istio.io/release` in Istio's published 1.30 charts (the library sets none)
     */
    readonly hub?: pulumi.Input<string>;
    /** Image tag (`global.tag`). @default the chart version */
    readonly tag?: pulumi.Input<string>;
    /** Names of image pull Secrets for Istio's images. @default [] */
    readonly imagePullSecrets?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * Apply each Helm release (and the revision tags' Services) and go on, without waiting for their
     * workloads (istiod, gateways) to become ready. For clusters whose nodes join later, or whose images are pulled through a slow mirror. Load
     * balancer addresses are then not waited for either: give east-west gateways `externalIPs`.
     * @default false (wait, as Helm's `--wait` does)
     */
    readonly skipAwait?: pulumi.Input<boolean>;
}

/** `IstioChartsArgs` with every default applied, as the charts are installed. */
export interface ResolvedCharts {
    /** The Istio release of the charts. */
    version: string;
    /** The Helm repository (or OCI registry) they come from. */
    chartRepository: string;
    /** Where Istio's images come from, and the pull Secrets. */
    images: ImageSettings;
    /** Whether releases are applied without waiting for their workloads. */
    skipAwait: boolean;
}

export function resolveCharts(args: IstioChartsArgs | undefined): pulumi.Output<ResolvedCharts> {
    return pulumi
        .all([args?.version, args?.chartRepository, args?.hub, args?.tag, args?.imagePullSecrets, args?.skipAwait])
        .apply(([version, chartRepository, hub, tag, imagePullSecrets, skipAwait]) => ({
            version: version ?? defaultIstioVersion,
            chartRepository: chartRepository ?? defaultChartRepository,
            images: { hub, tag, imagePullSecrets },
            skipAwait: skipAwait ?? false,
        }));
}

/** `chart`/`repositoryOpts` for a chart of Istio's repository (HTTP index or OCI registry). */
export function chartLocation(chart: string, repository: string): { chart: string; repositoryOpts?: { repo: string } } {
    return repository.startsWith("oci://")
        ? { chart: `${repository.replace(/\/+$/, "")}/${chart}` }
        : { chart, repositoryOpts: { repo: repository } };
}

