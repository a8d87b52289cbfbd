import { existsSync } from "node:fs";
import * as path from "node:path";
import { planCommand } from "../../lib/plan/cli";
import { writeProgramPlan } from "../../lib/plan/offlinePlan";

export { planFileName } from "../../lib/plan/offlinePlan";
import { exampleStacks, examplesDir } from "../harness/examples";

/**
 * `npm run plan -- <example> [--stack s | --config file]`: the shipped `istio-mesh-plan` command on one of
 * the repository's examples, named or given as its folder; the plan goes to plan-out/<example>/<stack>/.
 */

/** The folder of an example, by its name or its folder relative to `cwd`. */
function exampleDir(given: string, cwd: string): string {
    const name = existsSync(path.resolve(cwd, given)) ? path.basename(path.resolve(cwd, given)) : given;
    const examples = [...new Set(exampleStacks().map((s) => s.example))];
    if (!examples.includes(name)) {
        throw new Error(`no example ${name} (examples: ${examples.join(", ")})`);
    }
    return path.join(examplesDir, name);
}

/** Writes the plan of an example's stack (the first one unless named), or with the stack file `configFile`; with a baseline plan, its changes since. */
export async function writePlan(example: string, stackName: string | undefined, outDir: string, configFile?: string, baseline?: string): Promise<string> {
    return writeProgramPlan({ programDir: exampleDir(example, process.cwd()), stack: stackName, configFile, outDir: path.join(outDir, example), baseline });
}

export async function main(argv: string[]): Promise<number> {
    // npm runs scripts from the package's folder; paths are the user's, relative to where they ran it.
    const cwd = process.env.INIT_CWD ?? process.cwd();
    const given = argv.find((a, i) => !a.startsWith("--") && !["--stack", "--config", "--out", "--baseline"].includes(argv[i - 1]));
    if (!given) {
        const names = [...new Set(exampleStacks().map((s) => `${s.example} (stacks: ${exampleStacks().filter((x) => x.example === s.example).map((x) => x.stack).join(", ")})`))];
        console.error(`usage: npm run plan -- <example> [--stack <name> | --config <Pulumi.<stack>.yaml>]\nexamples:\n  ${names.join("\n  ")}`);
        return 2;
    }
    let dir: string;
    try {
        dir = exampleDir(given, cwd);
    } catch (err) {
        console.error((err as Error).message);
        return 1;
    }
    const rest = argv.filter((a) => a !== given);
    return planCommand([dir, ...rest, ...(rest.includes("--out") ? [] : ["--out", path.join(process.cwd(), "plan-out", path.basename(dir))])], cwd);
}

if (require.main === module) {
    void main(process.argv.slice(2)).then((code) => process.exit(code));
}
