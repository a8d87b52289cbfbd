import { execFile, execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { libraryVersion } from "../../lib/provider/componentProvider";
import { packageSchema, PackageSchema } from "../../lib/provider/schema";
import { EngineEnvironment, ExampleStack, project, repoRoot, StateResource } from "./stacks";

/**
 * The components from Python, on the real engine: the package's provider plugin (run from the sources, as
 * its `bin` runs the build), the schema the CLI reads from it, the Python SDK Pulumi's own generator makes
 * of that schema, and `examples/python` run through the Python Automation API.
 */

export const pythonProgram = path.join(repoRoot, "examples", "python", "__main__.py");
/** examples/components in Python: the building blocks composed by hand. */
export const pythonComponentsProgram = path.join(repoRoot, "examples", "python-components", "__main__.py");
const version = libraryVersion(repoRoot);

export interface PythonToolchain {
    /** The folder holding `pulumi-resource-istio-multicluster`, put on the CLI's PATH. */
    pluginDir: string;
    /** What `pulumi package get-schema` read from the plugin. */
    schema: PackageSchema;
    /** The generated SDK, installed where the program's interpreter finds it (PYTHONPATH). */
    site: string;
    python: string;
}

/** Writes the plugin's launcher, reads the schema through the CLI, generates the Python SDK and installs it. */
export function preparePython(env: EngineEnvironment, bins: Record<string, string>, outDir: string): PythonToolchain {
    rmSync(outDir, { recursive: true, force: true });
    const pluginDir = path.join(outDir, "plugin");
    mkdirSync(pluginDir, { recursive: true });
    const plugin = path.join(pluginDir, "pulumi-resource-istio-multicluster");
    writeFileSync(plugin, `#!/bin/sh\nexec "${process.execPath}" "${require.resolve("tsx/cli")}" "${path.join(repoRoot, "lib", "provider", "main.ts")}" "$@"\n`);
    chmodSync(plugin, 0o755);

    const schemaText = execFileSync(path.join(env.pulumiRoot, "bin", "pulumi"), ["package", "get-schema", plugin], {
        env: { ...process.env, PULUMI_HOME: env.pulumiHome, PULUMI_SKIP_UPDATE_CHECK: "true" },
        encoding: "utf8",
    });
    const schemaFile = path.join(outDir, "schema.json");
    writeFileSync(schemaFile, schemaText);
    const sdk = path.join(outDir, "sdk");
    execFileSync(path.join(bins["python-sdk"], "python-sdk"), [schemaFile, sdk], { stdio: "inherit" });
    const python = path.join(bins.python, "venv", "bin", "python");
    const site = path.join(outDir, "site");
    execFileSync(python, ["-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "--disable-pip-version-check", "--target", site, sdk], { stdio: "inherit" });
    return { pluginDir, schema: JSON.parse(schemaText) as PackageSchema, site, python };
}

/** The provider the engine makes for the plugin: the default one for the package at its version. */
export const pluginProviderUrn = `urn:pulumi:<stack>::${project}::pulumi:providers:istio-multicluster::default_${version.replace(/\./g, "_")}`;

/** The package schema as the library makes it at its version: what the CLI must have read from the plugin. */
export const expectedSchema = (): PackageSchema => packageSchema(version);

/**
 * Runs `up` or `destroy` of an example stack's folder and config with the Python program. Asynchronously:
 * the chart repository the mesh installs from is served by this process.
 */
export async function runPythonProgram(operation: "up" | "destroy", stack: ExampleStack, env: EngineEnvironment, tool: PythonToolchain, program = pythonProgram): Promise<string> {
    try {
        const { stdout } = await promisify(execFile)(tool.python, [path.join(__dirname, "python_stack.py"), operation, stack.workDir, stack.name, project, program], {
            env: {
                ...process.env,
                PATH: `${tool.pluginDir}${path.delimiter}${process.env.PATH ?? ""}`,
                PYTHONPATH: tool.site,
                PULUMI_ROOT: env.pulumiRoot,
                PULUMI_HOME: env.pulumiHome,
                PULUMI_BACKEND_URL: `file://${env.backendDir}`,
                PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
            },
            encoding: "utf8",
            maxBuffer: 64 * 1024 * 1024,
        });
        return stdout;
    } catch (err) {
        const { stdout, stderr } = err as { stdout?: string; stderr?: string };
        throw new Error(`python ${operation} failed:\n${(stderr ?? "").slice(-4000)}\n--- engine output ---\n${(stdout ?? "").slice(-6000)}`);
    }
}

const secretSig = "4dabf18193072939515e22adb298388d";

/** A value with every secret (ciphertext differs per stack) as "[secret]". */
function withSecretsMarked(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(withSecretsMarked);
    }
    if (value !== null && typeof value === "object") {
        if (secretSig in value) {
            return "[secret]";
        }
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withSecretsMarked(v)]));
    }
    return value;
}

/**
 * What a stack registered, independent of its name: each resource's URN, provider and, for resources of
 * the clouds, inputs. Components' inputs are left out: a TypeScript component registers none, a
 * component from another language registers its args.
 */
export function registrationsOf(resources: StateResource[], stackName: string): Map<string, unknown> {
    const stackFree = (s: string | undefined) => s?.replace(`urn:pulumi:${stackName}::`, "urn:pulumi:<stack>::").replace(/::[0-9a-f-]{36}$/, "::<id>");
    return new Map(
        resources.map((r) => [
            stackFree(r.urn)!,
            { custom: r.custom, provider: stackFree(r.provider), ...(r.custom ? { inputs: withSecretsMarked(r.inputs) } : {}) },
        ]),
    );
}

/** Lines of a secret long enough to be its own (key material, tokens), to look for in plain text. */
export const revealingLines = (secret: string): string[] =>
    secret
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l.length >= 40);
