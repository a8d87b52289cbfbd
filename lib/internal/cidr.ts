import * as ipaddr from "ipaddr.js";

/** A CIDR block that parsed cleanly and is written as its own network address. */
export interface Cidr {
    /** Canonical text: the network address as ipaddr.js prints it, then the prefix length. */
    readonly text: string;
    readonly family: "ipv4" | "ipv6";
    readonly range: [ipaddr.IPv4 | ipaddr.IPv6, number];
}

export type CidrParse = { ok: true; cidr: Cidr } | { ok: false; reason: string };

/**
 * Parses `a.b.c.d/n` (or an IPv6 block) strictly: four decimal octets, a prefix length in range, and no
 * host bits set — clouds reject `10.0.0.1/16`, so it is reported with the block that was probably meant.
 */
export function parseCidr(text: string): CidrParse {
    if (typeof text !== "string") {
        return { ok: false, reason: `${JSON.stringify(text)} is not a CIDR block (expected a form like 10.0.0.0/16)` };
    }
    // Without a "/", prefix is undefined and fails the test like any other malformed prefix.
    const [address, prefix] = text.split("/");
    if (!/^(0|[1-9]\d{0,2})$/.test(prefix) || (!address.includes(":") && !ipaddr.IPv4.isValidFourPartDecimal(address))) {
        return { ok: false, reason: `${JSON.stringify(text)} is not a CIDR block (expected a form like 10.0.0.0/16)` };
    }
    let range: [ipaddr.IPv4 | ipaddr.IPv6, number];
    try {
        range = ipaddr.parseCIDR(text);
    } catch {
        return { ok: false, reason: `${JSON.stringify(text)} is not a CIDR block (expected a form like 10.0.0.0/16)` };
    }
    const network =
        range[0].kind() === "ipv4"
            ? ipaddr.IPv4.networkAddressFromCIDR(text)
            : ipaddr.IPv6.networkAddressFromCIDR(text);
    const canonical = `${network.toString()}/${range[1]}`;
    if (network.toString() !== range[0].toString()) {
        return { ok: false, reason: `${text} has host bits set; the block it names is ${canonical}` };
    }
    // Compared and reported in canonical form, so `FD00:0::/64` and `fd00::/64` are one block.
    return { ok: true, cidr: { text: canonical, family: range[0].kind(), range: [network, range[1]] } };
}

/** Whether two blocks share any address (one contains the other's network address). */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
    if (a.family !== b.family) {
        return false;
    }
    return a.range[0].match(b.range) || b.range[0].match(a.range);
}

/** The first `count` consecutive blocks of length `prefix` inside an IPv4 block, or undefined if they do not fit. */
export function carveIpv4(block: Cidr, prefix: number, count: number, skip = 0): string[] | undefined {
    if (block.family !== "ipv4" || (skip + count) * 2 ** (32 - prefix) > 2 ** (32 - block.range[1])) {
        return undefined;
    }
    const start = block.range[0].toByteArray().reduce((n, byte) => n * 256 + byte, 0);
    return Array.from({ length: count }, (_, i) => {
        const base = start + (skip + i) * 2 ** (32 - prefix);
        return `${[24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256).join(".")}/${prefix}`;
    });
}
