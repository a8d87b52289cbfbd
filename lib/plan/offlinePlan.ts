import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { providerName, StandInCloud, StandInResource } from "../testing/standInCloud";
import { changesMarkdown, computedFromOf, PlannedResource, planChanges } from "./changes";

/**
 * The offline plan of a Pulumi TypeScript program that uses this library: the program runs against the
 * stand-in cloud (no account, no Pulumi CLI, no cluster), with a stack's config, and what it would create
 * is written out for review: a summary by cluster and type, every Helm values tree, every Kubernetes and
 * Istio object, every cloud and tls resource's inputs, and the mesh's diagram. Secrets show as `[secret]`;
 * the same program and config give the same bytes.
 */

/** What to plan. */
export interface PlanArgs {
    /** The program's folder: where its Pulumi.yaml is. */
    readonly programDir: string;
    /** The stack whose `Pulumi.<stack>.yaml` in the program's folder holds the config. @default the first stack file there */
    readonly stack?: string;
    /** A stack file to take the config from instead, e.g. one written for another program. @default none */
    readonly configFile?: string;
    /** Where the plan's folder `<stack>/` goes. */
    readonly outDir: string;
    /**
     * A previous plan's folder (`<stack>/`, with its `resources.json`): the plan then says what would be
     * created, updated, replaced (and by which input) or deleted since, in `changes.md`. @default none
     */
    readonly baseline?: string;
}

/** A stack's settings as the program reads them: `project:key` → value. */
type StackConfig = Record<string, unknown>;

/** The file a resource's entry in the plan goes to (without `.yaml`). */
export const planFileName = (name: string) => name.replace(/[^a-zA-Z0-9._-]+/g, "_");

/**
 * A stack file's `secure:` values (set with `pulumi config set --secret`) cannot be decrypted offline: the
 * plan takes them as "[secret]", which is all it would show of them anyway.
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

function readStackFile(file: string): StackConfig {
    const parsed = parse(readFileSync(file, "utf8")) as { config?: StackConfig } | null;
    if (!parsed?.config || typeof parsed.config !== "object") {
        throw new Error(`${file} has no config: section; a stack file (Pulumi.<stack>.yaml) holds the stack's settings under config:`);
    }
    return withoutCiphertext(parsed.config) as StackConfig;
}

/** The zones a mesh config pins, by region: the stand-in offers them. */
function pinnedZones(config: StackConfig, project: string): Record<string, string[]> {
    const mesh = config[`${project}:mesh`] as { clusters?: { region?: string; ack?: { zones?: unknown } }[] } | undefined;
    const zones = new Map<string, Set<string>>();
    for (const c of Array.isArray(mesh?.clusters) ? mesh.clusters : []) {
        if (typeof c?.region === "string" && Array.isArray(c.ack?.zones)) {
            const region = zones.get(c.region) ?? new Set<string>();
            c.ack.zones.forEach((zone) => region.add(String(zone)));
            zones.set(c.region, region);
        }
    }
    return Object.fromEntries([...zones].map(([region, names]) => [region, [...names]]));
}

/** The program, its project, stack and config, as `pulumi up` would find them. */
function programOf(args: PlanArgs): { project: string; stack: string; config: StackConfig; entry: string } {
    const projectFile = path.join(args.programDir, "Pulumi.yaml");
    if (!existsSync(projectFile)) {
        throw new Error(`${args.programDir} holds no Pulumi.yaml: give the folder of a Pulumi program`);
    }
    const project = parse(readFileSync(projectFile, "utf8")) as { name?: string; main?: string } | null;
    if (!project?.name) {
        throw new Error(`${projectFile} names no project (name:)`);
    }
    const stackFiles = stackNamesIn(args.programDir);
    const entry = path.resolve(args.programDir, project.main ?? "");
    if (args.configFile) {
        const config = readStackFile(args.configFile);
        // The program reads its own project's keys: a file written for another project name plans as that project.
        const own = Object.keys(config).some((key) => key.startsWith(`${project.name}:`));
        const other = Object.keys(config).find((key) => key.endsWith(":mesh"))?.split(":")[0];
        return { project: own || !other ? project.name : other, stack: path.basename(args.configFile).replace(/^Pulumi\.|\.yaml$/g, ""), config, entry };
    }
    const stack = args.stack ?? stackFiles[0];
    if (stack === undefined) {
        throw new Error(`${args.programDir} holds no stack file (Pulumi.<stack>.yaml); give one with --config`);
    }
    if (!stackFiles.includes(stack)) {
        throw new Error(`no stack ${stack} in ${args.programDir} (stacks: ${stackFiles.join(", ") || "none"}); name one with --stack, or give a stack file with --config`);
    }
    return { project: project.name, stack, config: readStackFile(path.join(args.programDir, `Pulumi.${stack}.yaml`)), entry };
}

/** The stacks whose files are in a program's folder: `Pulumi.<stack>.yaml`. */
function stackNamesIn(dir: string): string[] {
    return readdirSync(dir)
        .filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f))
        .map((f) => f.split(".")[1])
        .sort();
}

/** The Pulumi SDK's parts the plan drives: the program's own copy, so its mocks are the ones it uses. */
interface ProgramSdk {
    runtime: {
        setMocks(mocks: StandInCloud, project: string, stack: string, preview: boolean): Promise<void>;
        setAllConfig(config: Record<string, string>): void;
        disconnect(): Promise<void>;
        getMonitor(): unknown;
    };
}

/** The engine's request to register a resource, as far as the plan reads it. */
interface RegisterRequest {
    getType(): string;
    getName(): string;
    getProtect(): boolean;
}

/**
 * Notes which resources the program protects: the mocks are not told resource options, the monitor that
 * serves them is.
 */
function recordProtected(sdk: ProgramSdk, protectedResources: Set<string>): void {
    const monitor = sdk.runtime.getMonitor() as { registerResource(req: RegisterRequest, callback: unknown): unknown };
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) => {
        if (req.getProtect()) {
            protectedResources.add(`${req.getType()}::${req.getName()}`);
        }
        return register(req, callback);
    };
}

/**
 * Lets Node load the program's TypeScript the way `pulumi up` does, with ts-node (the program's own, else
 * the one its Pulumi SDK ships) and the program's TypeScript, translated only. Nothing to do when a loader
 * is in place already.
 */
function loadTypeScript(programRequire: NodeJS.Require): void {
    if (require.extensions[".ts"]) {
        return;
    }
    const sdkDir = path.dirname(programRequire.resolve("@pulumi/pulumi/package.json"));
    const either = (name: string, vendored: string) => {
        try {
            return programRequire.resolve(name);
        } catch {
            return path.join(sdkDir, "vendor", vendored);
        }
    };
    const tsNode = programRequire(either("ts-node", "ts-node@7.0.1")) as { register(options: object): void };
    tsNode.register({
        compiler: either("typescript", "typescript@3.8.3/typescript.js"),
        transpileOnly: true,
        skipProject: true,
        compilerOptions: { module: "commonjs", target: "es2020", esModuleInterop: true, experimentalDecorators: true },
    });
}

/** An error as one line of text: the engine's `details` where the SDK has them. */
function oneLine(reason: unknown): string {
    const text = String((reason as { details?: string })?.details ?? (reason instanceof Error ? reason.message : reason));
    return text.trim();
}

/** Runs the program to its end against the stand-in, and returns its exports. */
async function runProgram(programDir: string, entry: string, project: string, stack: string, config: StackConfig, standIn: StandInCloud, protectedResources: Set<string>): Promise<Record<string, unknown>> {
    const programRequire = createRequire(path.join(path.resolve(programDir), "package.json"));
    let sdk: ProgramSdk;
    try {
        sdk = programRequire("@pulumi/pulumi") as ProgramSdk;
    } catch {
        throw new Error(`${programDir} cannot load @pulumi/pulumi: run npm install in the program's folder first`);
    }
    loadTypeScript(programRequire);
    await sdk.runtime.setMocks(standIn, project, stack, false);
    recordProtected(sdk, protectedResources);
    sdk.runtime.setAllConfig(Object.fromEntries(Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])));
    // A resource the engine refuses rejects a promise nobody awaits: that is the program failing.
    const failures: string[] = [];
    let failed = () => {};
    const firstFailure = new Promise<void>((resolve) => (failed = resolve));
    const record = (reason: unknown) => {
        failures.push(oneLine(reason));
        failed();
    };
    process.on("unhandledRejection", record);
    try {
        let exports: Record<string, unknown> = {};
        // A program runs when loaded: loaded again, it runs again.
        delete programRequire.cache[programRequire.resolve(entry)];
        try {
            exports = (await (programRequire(entry) as Promise<Record<string, unknown>> | Record<string, unknown>)) ?? {};
        } catch (err) {
            record(err);
        }
        // Every registration is answered, unless one failed: then the rest never come.
        await Promise.race([sdk.runtime.disconnect(), firstFailure]);
        // A rejection nobody awaits is reported after the turn in which it happened.
        await new Promise((resolve) => setTimeout(resolve, 50));
        if (failures.length > 0) {
            throw new Error(`the program failed:\n  ${[...new Set(failures)].join("\n  ")}`);
        }
        return exports;
    } finally {
        process.off("unhandledRejection", record);
    }
}

/** The cluster or region a resource targets, by its provider's name. */
function target(r: StandInResource): string {
    return r.provider ? providerName(r.provider) : "(no provider: tls, the API server whitelist binding, components)";
}

/**
 * The inputs as the plan shows them: every secret one as `[secret]`, and no dynamic resource's serialized
 * provider (`__provider`: code, not an input anyone sets).
 */
function shown(r: StandInResource): Record<string, unknown> {
    return Object.fromEntries(
        Object.entries(r.inputs)
            .filter(([key]) => key !== "__provider")
            .map(([key, value]) => [key, r.secretInputs.includes(key) ? "[secret]" : value]),
    );
}

/** The plan's files, by path: summary.md, values/, objects/, cloud/ and diagram.mmd. */
export function planFiles(title: string, resources: readonly StandInResource[], diagram: unknown, protectedResources: ReadonlySet<string>): Map<string, string> {
    const files = new Map<string, string>();
    const sorted = [...resources].sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
    const created = sorted.filter((r) => r.custom && r.readId === undefined);
    // The machine-readable plan, which a later plan is compared with (`--baseline`).
    const planned: PlannedResource[] = created.map((r) => ({
        type: r.type,
        name: r.name,
        protect: protectedResources.has(`${r.type}::${r.name}`),
        inputs: shown(r),
        computedFrom: Object.fromEntries(Object.entries(r.inputs).map(([k, v]) => [k, computedFromOf(v)]).filter(([, names]) => names.length > 0)),
        ...(r.provider ? { provider: providerName(r.provider) } : {}),
    }));
    files.set("resources.json", `${JSON.stringify(planned, undefined, 1)}\n`);
    for (const r of sorted) {
        const inputs = shown(r);
        const file = `${planFileName(r.name)}.yaml`;
        if (r.type === "kubernetes:helm.sh/v3:Release") {
            files.set(`values/${file}`, stringify({ chart: inputs.chart, version: inputs.version, namespace: inputs.namespace, repository: inputs.repositoryOpts, skipAwait: inputs.skipAwait, values: inputs.values }, { sortMapEntries: true }));
        } else if (r.type.startsWith("kubernetes:") && r.readId === undefined) {
            files.set(`objects/${file}`, stringify(inputs, { sortMapEntries: true }));
        } else if (r.type.startsWith("alicloud:") || r.type.startsWith("tls:") || r.type === "pulumi-nodejs:dynamic:Resource") {
            files.set(`cloud/${file}`, stringify({ type: r.type, inputs }, { sortMapEntries: true }));
        }
    }
    const byTarget = new Map<string, Map<string, number>>();
    for (const r of created) {
        const counts = byTarget.get(target(r)) ?? new Map<string, number>();
        counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
        byTarget.set(target(r), counts);
    }
    const lines = [
        `# Plan: ${title}`,
        "",
        `${created.length} resources (${sorted.filter((r) => !r.custom).length} components). Evaluated offline against the library's stand-in cloud: no cloud was asked. What a provider computes is made up and says so: \`<stand-in: …>\`, API servers at \`*.stand-in.invalid\`, load balancers at 192.0.2.x (kept for documentation).`,
        "",
    ];
    for (const [where, counts] of [...byTarget.entries()].sort(([a], [b]) => a.localeCompare(b))) {
        lines.push(`## ${where}`, "", "| type | count |", "|---|---|");
        // In the order of `sorted`: by type.
        for (const [type, count] of counts) {
            lines.push(`| \`${type}\` | ${count} |`);
        }
        lines.push("");
    }
    // Only a program that builds a mesh exports its topology.
    if (typeof diagram === "string") {
        lines.push("## Topology", "", "```mermaid", diagram.trimEnd(), "```", "");
        files.set("diagram.mmd", diagram);
    }
    files.set("summary.md", lines.join("\n"));
    return files;
}

/**
 * Plans a program: runs it against the stand-in cloud with its stack's config and writes the plan to
 * `<outDir>/<stack>/`, replacing what was there. Returns that folder. Throws one error, whose message says
 * what is wrong, when the program or its config cannot be planned.
 */
export async function writeProgramPlan(args: PlanArgs): Promise<string> {
    const { project, stack, config, entry } = programOf(args);
    const standIn = new StandInCloud({ zones: pinnedZones(config, project) });
    const protectedResources = new Set<string>();
    const exports = await runProgram(args.programDir, entry, project, stack, config, standIn, protectedResources);
    const files = planFiles(`${path.basename(path.resolve(args.programDir))}, stack ${stack}`, standIn.resources, exports.diagram, protectedResources);
    if (args.baseline) {
        const previous = path.join(args.baseline, "resources.json");
        if (!existsSync(previous)) {
            throw new Error(`${args.baseline} holds no resources.json: give the folder of an earlier plan of this stack`);
        }
        const before = JSON.parse(readFileSync(previous, "utf8")) as PlannedResource[];
        files.set("changes.md", changesMarkdown(planChanges(before, JSON.parse(files.get("resources.json")!) as PlannedResource[])));
    }
    const dir = path.join(args.outDir, stack);
    rmSync(dir, { recursive: true, force: true });
    for (const [file, text] of files) {
        mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        writeFileSync(path.join(dir, file), text);
    }
    return dir;
}
