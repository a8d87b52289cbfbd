import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import Module from "node:module";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { loadAlibabaCloud } from "../../lib/mesh/alibabaCloud";

/** Runs a mesh in a process where @pulumi/alicloud is not installed, and reads what it reports. */
function runWithoutAlicloud(mode: "existing" | "ack") {
    const program = path.join(__dirname, "programs", "withoutAlicloud.ts");
    const out = execFileSync(process.execPath, ["--require", "tsx/cjs", program, mode], { encoding: "utf8" });
    return JSON.parse(out.trim().split("\n").pop()!);
}

describe("@pulumi/alicloud is optional", () => {
    it("a mesh of existing clusters builds without it and never loads it", function () {
        this.timeout(120000);
        assert.deepEqual(runWithoutAlicloud("existing"), { failures: [], primaries: 2, alicloudModulesLoaded: 0 });
    });

    it("a mesh that makes ACK clusters says which clusters need it and what to install", function () {
        this.timeout(120000);
        const result = runWithoutAlicloud("ack");
        assert.equal(result.constructionError, 'Error: the mesh makes ACK clusters ("hangzhou", "shanghai"), which need the @pulumi/alicloud package: npm install @pulumi/alicloud');
        assert.equal(result.primaries, 0, "nothing is installed on a mesh that cannot be made");
    });
});

describe("loading the Alibaba Cloud half, in this process", () => {
    type Load = (request: string, ...rest: unknown[]) => unknown;
    const loader = Module as unknown as { _load: Load };

    /** Runs `work` while requiring @pulumi/alicloud fails with `error`, as it does where the package is not installed. */
    function whileAlicloudFails(error: Error, work: () => void): void {
        const original = loader._load;
        loader._load = function (this: unknown, request: string, ...rest: unknown[]) {
            if (request === "@pulumi/alicloud") {
                throw error;
            }
            return original.call(this, request, ...rest);
        };
        try {
            work();
        } finally {
            loader._load = original;
        }
    }
    const notFound = (module: string) => Object.assign(new Error(`Cannot find module '${module}'`), { code: "MODULE_NOT_FOUND" });

    it("names the clusters that need @pulumi/alicloud, and the command that installs it", () => {
        whileAlicloudFails(notFound("@pulumi/alicloud"), () => {
            assert.throws(() => loadAlibabaCloud(undefined as unknown as pulumi.Resource, ["hangzhou", "shanghai"]), (e: unknown) => {
                assert.ok(e instanceof pulumi.ResourceError);
                assert.equal(e.message, 'the mesh makes ACK clusters ("hangzhou", "shanghai"), which need the @pulumi/alicloud package: npm install @pulumi/alicloud');
                return true;
            });
        });
    });

    it("passes on as it is any other failure: another module missing, or @pulumi/alicloud failing otherwise", () => {
        for (const error of [notFound("@pulumi/other"), Object.assign(new Error("@pulumi/alicloud failed to start"), { code: "ERR_OTHER" })]) {
            whileAlicloudFails(error, () => {
                assert.throws(() => loadAlibabaCloud(undefined as unknown as pulumi.Resource, ["hangzhou"]), (e: unknown) => e === error);
            });
        }
    });

    it("hands over the library's Alibaba Cloud components with the provider class", () => {
        const modules = loadAlibabaCloud(undefined as unknown as pulumi.Resource, ["hangzhou"]);
        assert.equal(typeof modules.Provider, "function");
        assert.equal(typeof modules.AckCluster, "function");
        assert.equal(typeof modules.ClusterNetworkLink, "function");
    });
});
