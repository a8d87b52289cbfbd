import * as pulumi from "@pulumi/pulumi";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { StandInCloud } from "../../lib/testing";
import { exampleStacks, runExample } from "../harness/examples";
import { Registration } from "../harness/mocks";
import { isSecretWrapper } from "../harness/secrets";

/**
 * The offline plan: evaluates an example stack against the library's stand-in cloud (no cloud account, no
 * Pulumi CLI) and writes what it would create, for review in a pull request: a summary, every Helm values
 * tree and Kubernetes/Istio object as YAML with secrets redacted, and the topology diagram. What a provider
 * would compute is the stand-in's, visibly made up (`<stand-in: …>`, `*.stand-in.invalid`, 192.0.2.0/24),
 * so the values show whole, as they would be deployed. The same input gives the same bytes.
 */

function redact(value: unknown): unknown {
    if (isSecretWrapper(value)) {
        return "[secret]";
    }
    if (Array.isArray(value)) {
        return value.map(redact);
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v)]));
    }
    return value;
}

/** The cluster or region a registration targets, by its provider's name. */
function target(r: Registration): string {
    const ref = r.provider ?? "";
    const providerName = ref.split("::").slice(0, -1).pop() ?? "";
    return providerName === "" ? "(no provider: tls, the API server whitelist binding, components)" : providerName;
}

/**
 * A stack file's `secure:` values (set with `pulumi config set --secret`) cannot be decrypted offline:
 * the plan takes them as "[secret]", which is all it would show of them anyway.
 */
function withoutCiphertext(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(withoutCiphertext);
    }
    if (typeof value === "object" && value !== null) {
        const entries = Object.entries(value);
        if (entries.length === 1 && entries[0][0] === "secure" && typeof entries[0][1] === "string") {
            return "[secret]";
        }
        return Object.fromEntries(entries.map(([k, v]) => [k, withoutCiphertext(v)]));
    }
    return value;
}

/** The zones a mesh config pins, by region: the stand-in offers them. */
function pinnedZones(config: Record<string, unknown>, project: string): Record<string, string[]> {
    const mesh = config[`${project}:mesh`] as { clusters?: { region?: string; ack?: { zones?: string[] } }[] } | undefined;
    const zones: Record<string, string[]> = {};
    for (const c of mesh?.clusters ?? []) {
        if (c.region && Array.isArray(c.ack?.zones)) {
            zones[c.region] = [...new Set([...(zones[c.region] ?? []), ...c.ack.zones])];
        }
    }
    return zones;
}

/** The file a resource's entry in the plan goes to (without `.yaml`). */
export const planFileName = (name: string) => name.replace(/[^a-zA-Z0-9._-]+/g, "_");

/**
 * Writes the plan of an example's stack (the first one unless named), or of the example with the stack
 * config read from `configFile` (a `Pulumi.<stack>.yaml` of your own).
 */
export async function writePlan(example: string, stackName: string | undefined, outDir: string, configFile?: string): Promise<string> {
    const all = exampleStacks();
    const stacks = all.filter((s) => s.example === example);
    if (stacks.length === 0) {
        throw new Error(`no example ${example} (examples: ${[...new Set(all.map((s) => s.example))].join(", ")})`);
    }
    let stack = stackName ? stacks.find((s) => s.stack === stackName) : stacks[0];
    if (configFile) {
        const file = parse(readFileSync(configFile, "utf8")) as { config?: Record<string, unknown> } | null;
        if (!file?.config || typeof file.config !== "object") {
            throw new Error(`${configFile} has no config: section; a stack file (Pulumi.<stack>.yaml) holds the stack's settings under config:`);
        }
        const config = withoutCiphertext(file.config) as Record<string, unknown>;
        // The program reads its own project's keys: a file written for another project name plans as that project.
        const project = Object.keys(config).find((key) => key.endsWith(":mesh"))?.replace(/:mesh$/, "") ?? stacks[0].project;
        stack = { ...stacks[0], project, stack: path.basename(configFile).replace(/^Pulumi\.|\.yaml$/g, ""), config };
    }
    if (!stack) {
        throw new Error(`no stack ${stackName ?? ""} in example ${example} (stacks: ${stacks.map((s) => s.stack).join(", ") || "none"})`);
    }
    const { cloud, program } = await runExample(stack, { answers: new StandInCloud({ zones: pinnedZones(stack.config, stack.project) }) });
    const dir = path.join(outDir, example, stack.stack);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(path.join(dir, "values"), { recursive: true });
    mkdirSync(path.join(dir, "objects"), { recursive: true });
    mkdirSync(path.join(dir, "cloud"), { recursive: true });

    const registrations = [...cloud.registrations].sort((a, b) => (a.type + a.name).localeCompare(b.type + b.name));
    for (const r of registrations) {
        const inputs = redact(r.inputs) as Record<string, unknown>;
        if (r.type === "kubernetes:helm.sh/v3:Release") {
            writeFileSync(path.join(dir, "values", `${planFileName(r.name)}.yaml`), stringify({ chart: inputs.chart, version: inputs.version, namespace: inputs.namespace, repository: inputs.repositoryOpts, skipAwait: inputs.skipAwait, values: inputs.values }, { sortMapEntries: true }));
        } else if (r.type.startsWith("kubernetes:") && !r.read) {
            writeFileSync(path.join(dir, "objects", `${planFileName(r.name)}.yaml`), stringify(inputs, { sortMapEntries: true }));
        } else if (r.type.startsWith("alicloud:") || r.type.startsWith("tls:")) {
            writeFileSync(path.join(dir, "cloud", `${planFileName(r.name)}.yaml`), stringify({ type: r.type, inputs }, { sortMapEntries: true }));
        } else if (r.type === "pulumi-nodejs:dynamic:Resource") {
            // The provider's serialized code is an implementation detail; its inputs are the plan.
            const planned = Object.fromEntries(Object.entries(inputs).filter(([key]) => key !== "__provider"));
            writeFileSync(path.join(dir, "cloud", `${planFileName(r.name)}.yaml`), stringify({ type: r.type, inputs: planned }, { sortMapEntries: true }));
        }
    }

    const byTarget = new Map<string, Map<string, number>>();
    for (const r of registrations.filter((r) => r.custom && !r.read)) {
        const counts = byTarget.get(target(r)) ?? new Map<string, number>();
        counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
        byTarget.set(target(r), counts);
    }
    const total = registrations.filter((r) => r.custom && !r.read).length;
    const lines = [
        `# Plan: ${example}, stack ${stack.stack}`,
        "",
        `${total} resources (${registrations.filter((r) => !r.custom).length} components). Evaluated offline against the library's stand-in cloud: no cloud was asked. What a provider computes is made up and says so: \`<stand-in: …>\`, API servers at \`*.stand-in.invalid\`, load balancers at 192.0.2.x (kept for documentation).`,
        "",
    ];
    for (const [where, counts] of [...byTarget.entries()].sort(([a], [b]) => a.localeCompare(b))) {
        lines.push(`## ${where}`, "", "| type | count |", "|---|---|");
        for (const [type, count] of [...counts.entries()].sort(([a], [b]) => a.localeCompare(b))) {
            lines.push(`| \`${type}\` | ${count} |`);
        }
        lines.push("");
    }
    // Only a program that builds a mesh exports its topology (mesh-root-ca has none).
    if (typeof program.diagram === "string") {
        lines.push("## Topology", "", "```mermaid", program.diagram.trimEnd(), "```", "");
        writeFileSync(path.join(dir, "diagram.mmd"), program.diagram);
    }
    writeFileSync(path.join(dir, "summary.md"), lines.join("\n"));
    return dir;
}

async function main(argv: string[]): Promise<number> {
    const given = argv.find((a, i) => !a.startsWith("--") && !["--stack", "--config"].includes(argv[i - 1]));
    const option = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
    const stack = option("--stack");
    // npm runs scripts from the package's folder; paths are the user's, relative to where they ran it.
    const cwd = process.env.INIT_CWD ?? process.cwd();
    const configFile = option("--config") && path.resolve(cwd, option("--config")!);
    // An example by name, or by its folder (examples/existing-clusters, ./examples/existing-clusters/).
    const example = given && (existsSync(path.resolve(cwd, given)) ? path.basename(path.resolve(cwd, given)) : given);
    if (!example) {
        const names = [...new Set(exampleStacks().map((s) => `${s.example} (stacks: ${exampleStacks().filter((x) => x.example === s.example).map((x) => x.stack).join(", ")})`))];
        console.error(`usage: npm run plan -- <example> [--stack <name> | --config <Pulumi.<stack>.yaml>]\nexamples:\n  ${names.join("\n  ")}`);
        return 2;
    }
    try {
        const dir = await writePlan(example, stack, path.join(process.cwd(), "plan-out"), configFile);
        console.log(`plan written to ${path.relative(process.cwd(), dir)}/ (summary.md, values/, objects/, cloud/, diagram.mmd)`);
        return 0;
    } catch (err) {
        if (pulumi.InputPropertiesError.isInstance(err)) {
            console.error(err.message);
        } else {
            console.error(err instanceof Error ? err.message : String(err));
        }
        return 1;
    }
}

export { main };

if (require.main === module) {
    void main(process.argv.slice(2)).then((code) => process.exit(code));
}
