import * as pulumi from "@pulumi/pulumi";

/**
 * An output the library relies on a provider to compute. If the provider answered without it (as mocks
 * that echo a resource's inputs do), the deployment stops here, naming the resource and the field, rather
 * than later with a TypeError deep inside whatever used the value. In a preview the value is unknown and
 * nothing is checked.
 */
export function providedOutput<T>(resource: pulumi.CustomResource, what: string, field: string, value: pulumi.Output<T | undefined>): pulumi.Output<T> {
    return value.apply((v) => {
        if (v === undefined || v === null || (v as unknown) === "") {
            throw new pulumi.ResourceError(`${what} answered without ${field}, which its provider computes and the mesh needs`, resource);
        }
        return v;
    });
}
