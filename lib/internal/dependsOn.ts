import * as pulumi from "@pulumi/pulumi";

/**
 * `own` plus the component's `dependsOn`, for its first children: the engine does not pass a
 * component's dependencies on to what it creates, so without this a `dependsOn` on the component would
 * order nothing.
 */
export function withComponentDependsOn(
    own: pulumi.Resource[],
    opts: pulumi.ComponentResourceOptions | undefined,
): pulumi.Input<pulumi.Input<pulumi.Resource>[]> {
    const inherited = opts?.dependsOn;
    if (inherited === undefined) {
        return own;
    }
    if (Array.isArray(inherited)) {
        return [...own, ...inherited];
    }
    if (pulumi.Resource.isInstance(inherited)) {
        return [...own, inherited];
    }
    return pulumi.output(inherited as pulumi.Input<pulumi.Resource[]>).apply((list) => [...own, ...(Array.isArray(list) ? list : [list])]);
}
