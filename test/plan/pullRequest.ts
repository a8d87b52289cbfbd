import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { writeProgramPlan } from "../../lib/plan/offlinePlan";
import { exampleStacks, examplesDir } from "../harness/examples";

/**
 * `npm run plan:pr -- <base checkout>`: what a pull request changes, for review. Plans every example stack
 * as the base branch has it (its programs, library and config) and as this checkout has it, with the same
 * plan command, and writes the changes of each stack to `plan-out/pull-request.md`: created, updated,
 * replaced (and by which input) and deleted resources. The preview workflow comments it on the pull request.
 */
export async function pullRequestSummary(baseCheckout: string, outDir: string): Promise<string> {
    const sections: string[] = ["# Offline plan of this pull request", ""];
    for (const s of exampleStacks()) {
        const baseProgram = path.join(baseCheckout, "examples", s.example);
        const heading = `## ${s.example}, stack ${s.stack}`;
        let baseline: string | undefined;
        if (existsSync(path.join(baseProgram, `Pulumi.${s.stack}.yaml`))) {
            baseline = await writeProgramPlan({ programDir: baseProgram, stack: s.stack, outDir: path.join(outDir, "base", s.example) });
        }
        const head = await writeProgramPlan({ programDir: path.join(examplesDir, s.example), stack: s.stack, outDir: path.join(outDir, "head", s.example), baseline });
        const changes = baseline ? readFileSync(path.join(head, "changes.md"), "utf8").replace(/^# .*\n\n/, "") : "A new stack: every resource is created.\n";
        sections.push(heading, "", changes.trimEnd(), "");
    }
    mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, "pull-request.md");
    writeFileSync(file, sections.join("\n"));
    return file;
}

if (require.main === module) {
    const [base] = process.argv.slice(2);
    if (!base) {
        console.error("usage: npm run plan:pr -- <checkout of the base branch, with npm ci done>");
        process.exit(2);
    }
    pullRequestSummary(path.resolve(process.env.INIT_CWD ?? process.cwd(), base), path.join(process.cwd(), "plan-out"))
        .then((file) => {
            console.log(readFileSync(file, "utf8"));
            process.exit(0);
        })
        .catch((err: unknown) => {
            console.error(err instanceof Error ? err.message : String(err));
            process.exit(1);
        });
}
