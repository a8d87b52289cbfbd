import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { providedOutput } from "../internal/providerOutputs";
import { chartLocation, ResolvedCharts } from "./chartSource";

/** A Helm release of one of Istio's charts, named exactly as given (no auto-naming suffix). */
export function istioRelease(
    resourceName: string,
    args: {
        chart: "base" | "istiod" | "gateway";
        releaseName: string;
        namespace: pulumi.Input<string>;
        charts: pulumi.Output<ResolvedCharts>;
        values: pulumi.Input<Record<string, unknown>>;
    },
    opts: pulumi.CustomResourceOptions,
): k8s.helm.v3.Release {
    const location = args.charts.apply((c) => chartLocation(args.chart, c.chartRepository));
    return new k8s.helm.v3.Release(
        resourceName,
        {
            name: args.releaseName,
            chart: location.chart,
            repositoryOpts: location.apply((l) => l.repositoryOpts ?? {}),
            version: args.charts.version,
            namespace: args.namespace,
            values: args.values,
            skipAwait: args.charts.skipAwait,
        },
        opts,
    );
}

/**
 * Reads a chart-made LoadBalancer Service once its release is done (Helm waits for the address) and
 * returns the address. In a preview of a new stack the release has no status yet, so the read is skipped
 * and the address is unknown rather than an error.
 */
export function loadBalancerAddress(
    name: string,
    release: k8s.helm.v3.Release,
    opts: pulumi.CustomResourceOptions,
): pulumi.Output<string> {
    const service = k8s.core.v1.Service.get(name, pulumi.interpolate`${release.status.namespace}/${release.status.name}`, {
        ...opts,
        dependsOn: [release],
    });
    return loadBalancerIp(name, service);
}

/**
 * The IP address in a LoadBalancer Service's status, or "" while it has none. A load balancer with only a
 * hostname gets a warning: Istio needs an IP there.
 */
export function loadBalancerIp(name: string, service: k8s.core.v1.Service): pulumi.Output<string> {
    return providedOutput(service, `Kubernetes Service ${name}`, "status", service.status).apply((status) => {
        const ingress = status.loadBalancer?.ingress?.[0];
        if (ingress && !ingress.ip) {
            // Istio needs an IP here (remotePilotAddress, network gateway discovery); a name cannot serve.
            void pulumi.log.warn(`load balancer of ${name} has the hostname ${ingress.hostname} but no IP address; Istio needs an IP`, service);
        }
        return ingress?.ip ?? "";
    });
}
