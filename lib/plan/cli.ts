#!/usr/bin/env node
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { writeProgramPlan } from "./offlinePlan";

/**
 * `istio-mesh-plan <program folder> [--stack <name> | --config <stack file>] [--out <folder>] [--baseline
 * <earlier plan folder>]`: the offline plan of a Pulumi TypeScript program that uses this library (see
 * offlinePlan.ts). Paths are relative to where it runs. Prints where the plan went (and, with a baseline,
 * what changes), or one message saying what is wrong, and exits non-zero then.
 */

export const usage = "usage: istio-mesh-plan <program folder> [--stack <name> | --config <Pulumi.<stack>.yaml>] [--out <folder>] [--baseline <earlier plan's <stack> folder>]";

/** Runs the command with its arguments from `cwd`; returns the exit code. */
export async function planCommand(argv: readonly string[], cwd: string, print: (line: string) => void = console.log, printError: (line: string) => void = console.error): Promise<number> {
    const options = ["--stack", "--config", "--out", "--baseline"];
    const option = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
    const positional = argv.filter((a, i) => !a.startsWith("--") && !options.includes(argv[i - 1]));
    const unknown = argv.filter((a) => a.startsWith("--") && !options.includes(a));
    if (positional.length !== 1 || unknown.length > 0 || options.some((o) => argv.includes(o) && option(o) === undefined)) {
        printError(usage);
        return 2;
    }
    const programDir = path.resolve(cwd, positional[0]);
    const configFile = option("--config") && path.resolve(cwd, option("--config")!);
    const outDir = option("--out") ? path.resolve(cwd, option("--out")!) : path.join(cwd, "plan-out", path.basename(programDir));
    try {
        const baseline = option("--baseline") && path.resolve(cwd, option("--baseline")!);
        const dir = await writeProgramPlan({ programDir, stack: option("--stack"), configFile, outDir, baseline });
        print(`plan written to ${path.relative(cwd, dir) || "."}${path.sep} (summary.md, values/, objects/, cloud/, resources.json, diagram.mmd${baseline ? ", changes.md" : ""})`);
        if (baseline) {
            print(readFileSync(path.join(dir, "changes.md"), "utf8"));
        }
        return 0;
    } catch (err) {
        printError(err instanceof Error ? err.message : String(err));
        return 1;
    }
}

if (require.main === module) {
    void planCommand(process.argv.slice(2), process.cwd()).then((code) => process.exit(code));
}
