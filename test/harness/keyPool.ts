import { createHash, createPrivateKey, KeyObject } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

/** A key family the `tls` provider can generate, as its `algorithm`/`rsaBits`/`ecdsaCurve` inputs name it. */
export type KeyKind = "RSA-2048" | "RSA-3072" | "RSA-4096" | "ECDSA-P256" | "ECDSA-P384";

const fixtureDir = path.join(__dirname, "..", "fixtures", "keys");
const filePrefix: Record<KeyKind, string> = {
    "RSA-2048": "rsa2048-",
    "RSA-3072": "rsa3072-",
    "RSA-4096": "rsa4096-",
    "ECDSA-P256": "p256-",
    "ECDSA-P384": "p384-",
};

let fixtures: Map<KeyKind, string[]> | undefined;

function loadFixtures(): Map<KeyKind, string[]> {
    if (!fixtures) {
        const files = readdirSync(fixtureDir).filter((f) => f.endsWith(".pem")).sort();
        fixtures = new Map();
        for (const kind of Object.keys(filePrefix) as KeyKind[]) {
            fixtures.set(
                kind,
                files.filter((f) => f.startsWith(filePrefix[kind])).map((f) => readFileSync(path.join(fixtureDir, f), "utf8")),
            );
        }
    }
    return fixtures;
}

/** Maps the `tls.PrivateKey` inputs onto a pool kind, rejecting what the real provider rejects. */
export function keyKindOf(algorithm: string, rsaBits?: number, ecdsaCurve?: string): KeyKind {
    if (algorithm === "RSA") {
        const bits = rsaBits ?? 2048;
        if (bits === 2048 || bits === 3072 || bits === 4096) {
            return `RSA-${bits}`;
        }
        throw new Error(`the test key pool has no RSA-${bits} keys (only 2048, 3072 and 4096)`);
    }
    if (algorithm === "ECDSA") {
        const curve = ecdsaCurve ?? "P224";
        if (curve === "P256" || curve === "P384") {
            return `ECDSA-${curve}`;
        }
        throw new Error(`the test key pool has no ECDSA ${curve} keys (only P256 and P384)`);
    }
    throw new Error(`tls.PrivateKey algorithm ${algorithm} is not supported by the test key pool`);
}

/**
 * Hands out pre-made keys by resource name: the same name always gets the same key, and distinct names
 * get distinct keys until a kind's pool is exhausted (then keys repeat, which only large benchmarks reach).
 */
export class KeyPool {
    private readonly assigned = new Map<string, { kind: KeyKind; index: number }>();

    public keyFor(name: string, kind: KeyKind): { pem: string; key: KeyObject } {
        const pool = loadFixtures().get(kind) ?? [];
        if (pool.length === 0) {
            throw new Error(`no ${kind} keys in ${fixtureDir}`);
        }
        let slot = this.assigned.get(name);
        if (!slot || slot.kind !== kind) {
            const used = new Set([...this.assigned.values()].filter((s) => s.kind === kind).map((s) => s.index));
            const start = createHash("sha256").update(name).digest().readUInt32BE(0) % pool.length;
            let index = start;
            for (let step = 0; step < pool.length && used.has(index); step++) {
                index = (start + step + 1) % pool.length;
            }
            slot = { kind, index };
            this.assigned.set(name, slot);
        }
        const pem = pool[slot.index];
        return { pem, key: createPrivateKey(pem) };
    }
}
