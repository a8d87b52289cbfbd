import * as pulumi from "@pulumi/pulumi";

/** The engine's wire form of a secret, as resource inputs reach a mock: `{ <sig>: <secretSig>, value }`. */
export interface SecretWrapper {
    value: unknown;
}

export function isSecretWrapper(value: unknown): value is SecretWrapper {
    return (
        typeof value === "object" &&
        value !== null &&
        (value as Record<string, unknown>)[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig
    );
}

export function wrapSecret(value: unknown): SecretWrapper {
    return { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value } as SecretWrapper;
}

/** The value with every secret wrapper removed, for code that computes on it. */
export function reveal(value: unknown): unknown {
    if (isSecretWrapper(value)) {
        return reveal(value.value);
    }
    if (Array.isArray(value)) {
        return value.map(reveal);
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reveal(v)]));
    }
    return value;
}

/** Every string leaf that is NOT inside a secret wrapper, with its property path. */
export function plainStrings(value: unknown, path = ""): { path: string; value: string }[] {
    if (isSecretWrapper(value)) {
        return [];
    }
    if (typeof value === "string") {
        return [{ path, value }];
    }
    if (Array.isArray(value)) {
        return value.flatMap((v, i) => plainStrings(v, `${path}[${i}]`));
    }
    if (typeof value === "object" && value !== null) {
        return Object.entries(value).flatMap(([k, v]) => plainStrings(v, path ? `${path}.${k}` : k));
    }
    return [];
}

/** Patterns of material that must only ever travel inside a Pulumi secret. */
export const sensitivePatterns: RegExp[] = [
    /-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----/,
    /\btoken:\s*\S+/,
    /"token"\s*:\s*"[^"]+"/,
    /client-key-data:/,
];

export function looksSensitive(text: string): boolean {
    return sensitivePatterns.some((p) => p.test(text));
}
