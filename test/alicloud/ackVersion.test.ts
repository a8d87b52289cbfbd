import * as assert from "node:assert/strict";
import { unpinnedVersionProblem } from "../../lib/alicloud/ackVersion";
import { kubernetesVersionProblem } from "../../lib/model/compatibility";

describe("a cluster's Kubernetes version", () => {
    it("is one Istio 1.30 supports: 1.32 to 1.36", () => {
        assert.equal(kubernetesVersionProblem("1.32.0-aliyun.1"), undefined);
        assert.equal(kubernetesVersionProblem("1.36.9-aliyun.1"), undefined);
        assert.equal(kubernetesVersionProblem("1.31.9-aliyun.1"), "kubernetesVersion 1.31.9-aliyun.1 is too old: Istio 1.30 supports Kubernetes 1.32 to 1.36");
        assert.equal(kubernetesVersionProblem("1.37.0-aliyun.1"), "kubernetesVersion 1.37.0-aliyun.1 is too new: Istio 1.30 supports Kubernetes 1.32 to 1.36");
        assert.equal(kubernetesVersionProblem("0.40.0"), "kubernetesVersion 0.40.0 is too old: Istio 1.30 supports Kubernetes 1.32 to 1.36");
        assert.equal(kubernetesVersionProblem("2.0.0"), "kubernetesVersion 2.0.0 is too new: Istio 1.30 supports Kubernetes 1.32 to 1.36");
    });

    it("may be left to ACK while Istio supports the newest ACK offers", () => {
        assert.equal(unpinnedVersionProblem(["1.36.1-aliyun.1", "1.34.3-aliyun.1"]), undefined);
    });

    it("is refused to ACK when its newest is too new, naming the newest that Istio supports", () => {
        assert.equal(
            unpinnedVersionProblem(["1.36.1-aliyun.1", "1.37.0-aliyun.1", "1.36.10-aliyun.2", "1.36.10-aliyun.1", "1.35.9-aliyun.1"]),
            "without kubernetesVersion, ACK would create the cluster at 1.37.0-aliyun.1, but it is too new: Istio 1.30 supports Kubernetes 1.32 to 1.36; set kubernetesVersion to 1.36.10-aliyun.2, the newest ACK offers that Istio supports (an existing cluster keeps its version: set it to that)",
        );
        assert.equal(
            unpinnedVersionProblem(["1.38.0-aliyun.1", "1.37.2-aliyun.1"]),
            "without kubernetesVersion, ACK would create the cluster at 1.38.0-aliyun.1, but it is too new: Istio 1.30 supports Kubernetes 1.32 to 1.36; no version ACK offers is supported: choose another Istio release (an existing cluster keeps its version: set it to that)",
        );
        assert.equal(unpinnedVersionProblem([]), "ACK offers no Kubernetes version for managed clusters in this region; set kubernetesVersion");
        assert.match(String(unpinnedVersionProblem(["1.36.9-aliyun.10", "1.36.9-aliyun.9", "1.37.0"])), /set kubernetesVersion to 1\.36\.9-aliyun\.10,/, "ACK builds order as numbers");
        assert.match(String(unpinnedVersionProblem(["9.0.0", "10.0.0", "1.36.1-aliyun.1"])), /at 10\.0\.0, .* set kubernetesVersion to 1\.36\.1-aliyun\.1,/, "majors order as numbers");
    });
});
