import * as pulumi from "@pulumi/pulumi";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { alicloudInvokes, alicloudResources } from "./alicloudProvider";
import { MockCloud, programFailures } from "./mocks";

export const examplesDir = path.join(__dirname, "..", "..", "examples");
/** The node_modules the tests run with, wherever the checkout is (mutation testing copies it): a copied program links to it. */
export const nodeModules = path.resolve(path.dirname(require.resolve("@pulumi/pulumi/package.json")), "..", "..");

/** Every example stack: its project, stack name and config, as `pulumi up` would read them. */
export function exampleStacks(): { example: string; project: string; stack: string; config: Record<string, unknown> }[] {
    return readdirSync(examplesDir)
        .filter((example) => readdirSync(path.join(examplesDir, example)).includes("Pulumi.yaml"))
        .flatMap((example) => {
            const project = (parse(readFileSync(path.join(examplesDir, example, "Pulumi.yaml"), "utf8")) as { name: string }).name;
            return readdirSync(path.join(examplesDir, example))
                .filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f))
                .map((f) => ({
                    example,
                    project,
                    stack: f.split(".")[1],
                    config: (parse(readFileSync(path.join(examplesDir, example, f), "utf8")) as { config: Record<string, unknown> }).config,
                }));
        });
}

/** Runs an example program under the mocks with a stack's config and returns its exports. */
export async function runExample(s: ReturnType<typeof exampleStacks>[number]) {
    const cloud = MockCloud.install({ project: s.project, stack: s.stack, resources: alicloudResources, invokes: alicloudInvokes });
    pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(s.config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])));
    const entry = require.resolve(path.join(examplesDir, s.example, "index"));
    delete require.cache[entry];
    let program: Record<string, unknown> = {};
    // A registration that fails rejects a promise nobody awaits: that is the program failing, as `pulumi up` would.
    const failures = await programFailures(async () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- a program runs when loaded, after its mocks and config
        program = require(entry) as Record<string, unknown>;
        await cloud.settle();
    });
    if (failures.length > 0) {
        throw new Error(`${s.example}/${s.stack} failed:\n  ${[...new Set(failures)].join("\n  ")}`);
    }
    return { cloud, program };
}
