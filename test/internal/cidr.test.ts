import * as assert from "node:assert/strict";
import { carveIpv4, cidrsOverlap, parseCidr } from "../../lib/internal/cidr";
import { dns1123LabelProblem, nameToken } from "../../lib/internal/names";

function cidr(text: string) {
    const result = parseCidr(text);
    if (!result.ok) {
        throw new Error(result.reason);
    }
    return result.cidr;
}

describe("CIDR helpers", () => {
    it("parses IPv4 and IPv6 network blocks", () => {
        assert.equal(cidr("10.0.0.0/8").family, "ipv4");
        assert.equal(cidr("fd00::/64").family, "ipv6");
        assert.equal(cidr("0.0.0.0/0").range[1], 0);
    });

    it("rejects what clouds reject", () => {
        for (const bad of ["10.0.0.0", "10.0.0.0/", "10.0.0/24", "010.0.0.0/8", "0x0a.0.0.0/8", "10.0.0.256/24", "10.0.0.0/33", "fd00::/129", "", "abc/8"]) {
            assert.deepEqual(parseCidr(bad), { ok: false, reason: `${JSON.stringify(bad)} is not a CIDR block (expected a form like 10.0.0.0/16)` }, bad);
        }
        assert.deepEqual(parseCidr("172.16.5.4/12"), { ok: false, reason: "172.16.5.4/12 has host bits set; the block it names is 172.16.0.0/12" });
        assert.deepEqual(parseCidr(16 as never), { ok: false, reason: "16 is not a CIDR block (expected a form like 10.0.0.0/16)" }, "a number where YAML lost the quotes");
        assert.deepEqual(parseCidr("fd00::zz/64"), { ok: false, reason: '"fd00::zz/64" is not a CIDR block (expected a form like 10.0.0.0/16)' });
    });

    it("carves consecutive blocks from an IPv4 block, and nothing from IPv6, a smaller block or too little room", () => {
        assert.deepEqual(carveIpv4(cidr("10.0.0.0/16"), 18, 2), ["10.0.0.0/18", "10.0.64.0/18"]);
        assert.deepEqual(carveIpv4(cidr("10.0.0.0/16"), 18, 2, 2), ["10.0.128.0/18", "10.0.192.0/18"]);
        assert.equal(carveIpv4(cidr("fd00::/64"), 72, 1), undefined);
        assert.equal(carveIpv4(cidr("10.0.0.0/16"), 8, 1), undefined);
        assert.equal(carveIpv4(cidr("10.0.0.0/16"), 15, 1), undefined);
        assert.deepEqual(carveIpv4(cidr("10.0.0.0/16"), 16, 1), ["10.0.0.0/16"], "the whole block");
        assert.equal(carveIpv4(cidr("10.0.0.0/16"), 18, 5), undefined);
    });

    it("detects overlap in either direction, and only within one family", () => {
        assert.equal(cidrsOverlap(cidr("10.0.0.0/8"), cidr("10.1.0.0/16")), true);
        assert.equal(cidrsOverlap(cidr("10.1.0.0/16"), cidr("10.0.0.0/8")), true);
        assert.equal(cidrsOverlap(cidr("10.1.0.0/16"), cidr("10.2.0.0/16")), false);
        assert.equal(cidrsOverlap(cidr("10.0.0.0/24"), cidr("10.0.0.0/24")), true);
        assert.equal(cidrsOverlap(cidr("192.168.0.0/16"), cidr("192.169.0.0/16")), false);
        assert.equal(cidrsOverlap(cidr("0.0.0.0/0"), cidr("fd00::/8")), false);
    });
});

describe("DNS-1123 labels", () => {
    it("accepts labels and explains what is wrong with others", () => {
        assert.equal(dns1123LabelProblem("cluster-1"), undefined);
        assert.equal(dns1123LabelProblem("a".repeat(63)), undefined);
        assert.match(dns1123LabelProblem("-a")!, /starting and ending with a letter or digit/);
        assert.match(dns1123LabelProblem("a_b")!, /underscores are not allowed/);
        assert.match(dns1123LabelProblem(undefined)!, /is required/);
        assert.equal(dns1123LabelProblem(""), "is required and must be a DNS-1123 label (lower-case letters, digits and '-')");
        assert.match(dns1123LabelProblem("a".repeat(64))!, /at most 63/);
    });
});

describe("name tokens", () => {
    it("turns a key into one piece of a resource name: each run of other characters one '-', none at the ends", () => {
        assert.equal(nameToken("10.0.0.0/16"), "10-0-0-0-16");
        assert.equal(nameToken("cn-hangzhou~cn-shanghai"), "cn-hangzhou-cn-shanghai");
        assert.equal(nameToken("/fd00::/64/"), "fd00-64");
        assert.equal(nameToken("Peer A"), "Peer-A");
    });
});
