import * as pulumi from "@pulumi/pulumi";

/** A problem with one input field, in `pulumi.InputPropertiesError`'s shape: the only shape of a problem. */
export interface Problem {
    /** Where: the input's path, e.g. `mesh.clusters[1].ack.podCidr`. */
    readonly propertyPath: string;
    /** Why it cannot be used, and what would do. */
    readonly reason: string;
}

/** Every problem found at once. */
export interface ProblemReport {
    /** Problems that would break the mesh: the input is rejected. */
    readonly errors: Problem[];
    /** Legal but risky choices, to be shown to the user. */
    readonly warnings: Problem[];
}

/**
 * Shows every warning on the resource and throws every error at once as a `pulumi.InputPropertiesError`
 * whose message also lists them, since a local component's error is printed by its message alone.
 */
export function reportInputProblems(
    what: string,
    report: ProblemReport,
    resource?: pulumi.Resource,
): void {
    for (const warning of report.warnings) {
        pulumi.log.warn(`${warning.propertyPath}: ${warning.reason}`, resource);
    }
    if (report.errors.length === 0) {
        return;
    }
    const count = report.errors.length === 1 ? "1 problem" : `${report.errors.length} problems`;
    const lines = report.errors.map((e) => `  - ${e.propertyPath}: ${e.reason}`);
    throw new pulumi.InputPropertiesError({
        message: `${what} has ${count}:\n${lines.join("\n")}`,
        errors: report.errors.map((e) => ({ propertyPath: e.propertyPath, reason: e.reason })),
    });
}
