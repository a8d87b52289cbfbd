import * as pulumi from "@pulumi/pulumi";

/** A problem with one input field, in `pulumi.InputPropertiesError`'s shape. */
export interface InputProblem {
    readonly propertyPath: string;
    readonly reason: string;
}

/**
 * Shows every warning on the resource and throws every error at once as a `pulumi.InputPropertiesError`
 * whose message also lists them, since a local component's error is printed by its message alone.
 */
export function reportInputProblems(
    what: string,
    report: { readonly errors: readonly InputProblem[]; readonly warnings: readonly InputProblem[] },
    resource: pulumi.Resource,
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
