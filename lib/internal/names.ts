/** An RFC 1123 DNS label, as Kubernetes requires for names it uses as keys and labels. */
const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Why `value` is not a DNS-1123 label, or undefined when it is one. */
export function dns1123LabelProblem(value: unknown): string | undefined {
    if (typeof value !== "string" || value === "") {
        return "is required and must be a DNS-1123 label (lower-case letters, digits and '-')";
    }
    if (value.length > 63) {
        return `${JSON.stringify(value)} is ${value.length} characters long; a DNS-1123 label has at most 63`;
    }
    if (!dns1123Label.test(value)) {
        const hint = value.includes("_") ? " (underscores are not allowed: use '-')" : "";
        return `${JSON.stringify(value)} is not a DNS-1123 label: use lower-case letters, digits and '-', starting and ending with a letter or digit${hint}`;
    }
    return undefined;
}

/** A key (a CIDR, a region pair) as a piece of a resource name: runs of other characters become '-'. */
export function nameToken(key: string): string {
    return key.replace(/[^a-zA-Z0-9-]+/g, "-").replace(/^-|-$/g, "");
}
