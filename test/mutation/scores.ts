import { readFileSync } from "node:fs";
import * as path from "node:path";

/**
 * Per-folder mutation scores from StrykerJS's JSON reports (mutation-out/mutation.json, written by
 * `npm run mutation`, or several given as arguments when `lib/` was mutated in parts), as the table
 * BENCHMARKS.md records, followed by every mutant that lived.
 * Score = detected / (detected + undetected), as Stryker counts it: killed and timed-out mutants are
 * detected; survivors and mutants no test reaches are not; mutants the compiler rejects, that crash the
 * test run or that a `// Stryker disable` comment marks equivalent are left out, and so are static
 * mutants (module-level constants, which rerun the whole suite each) when a run leaves them out with
 * `--ignoreStatic`: they have a column of their own.
 */

interface Mutant {
    mutatorName: string;
    replacement?: string;
    status: string;
    statusReason?: string;
    location: { start: { line: number; column: number } };
}
interface Report {
    files: Record<string, { mutants: Mutant[] }>;
}

const root = path.resolve(__dirname, "../..");
const reportPaths = process.argv.length > 2 ? process.argv.slice(2) : [path.join(root, "mutation-out/mutation.json")];
const files = new Map<string, { mutants: Mutant[] }>();
for (const reportPath of reportPaths) {
    const report = JSON.parse(readFileSync(reportPath, "utf8")) as Report;
    for (const [file, result] of Object.entries(report.files)) {
        if (files.has(file)) {
            throw new Error(`${file} is in more than one report; give each part of lib/ once`);
        }
        files.set(file, result);
    }
}

/** The folder a file is scored under: lib/<layer>, with the Alibaba planners apart from its components. */
function folderOf(file: string): string {
    const relative = path.relative(root, path.resolve(root, file));
    const [lib, layer, name] = relative.split(path.sep);
    if (layer === "alicloud") {
        return ["cenPlan.ts", "firewall.ts", "apiServerAccess.ts", "listenerAcl.ts", "zones.ts", "ackVersion.ts", "ackSettings.ts", "vpcPlan.ts"].includes(name) ? "lib/alicloud (planners)" : "lib/alicloud (components)";
    }
    return `${lib}/${layer}`;
}

const detected = new Set(["Killed", "Timeout"]);
const undetected = new Set(["Survived", "NoCoverage"]);
const folders = new Map<string, Record<string, number>>();
const living: string[] = [];
for (const [file, { mutants }] of files) {
    const counts = folders.get(folderOf(file)) ?? {};
    for (const m of mutants) {
        const status = m.status === "Ignored" && m.statusReason?.startsWith("Static mutant") ? "Static" : m.status;
        counts[status] = (counts[status] ?? 0) + 1;
        if (undetected.has(m.status)) {
            living.push(`${path.relative(root, path.resolve(root, file))}:${m.location.start.line}:${m.location.start.column} ${m.status} ${m.mutatorName} ${JSON.stringify(m.replacement ?? "")}`);
        }
    }
    folders.set(folderOf(file), counts);
}

const sum = (counts: Record<string, number>, statuses: Set<string>) => Object.entries(counts).reduce((n, [s, c]) => n + (statuses.has(s) ? c : 0), 0);
console.log("| folder | mutants | killed | timed out | survived | no coverage | ignored (equivalent) | static, not run | compile or runtime error | score |");
console.log("|---|---|---|---|---|---|---|---|---|---|");
for (const [folder, c] of [...folders].sort(([a], [b]) => a.localeCompare(b))) {
    const total = Object.values(c).reduce((a, b) => a + b, 0);
    const d = sum(c, detected);
    const u = sum(c, undetected);
    const score = d + u === 0 ? "n/a" : `${((100 * d) / (d + u)).toFixed(1)} %`;
    console.log(`| ${folder} | ${total} | ${c.Killed ?? 0} | ${c.Timeout ?? 0} | ${c.Survived ?? 0} | ${c.NoCoverage ?? 0} | ${c.Ignored ?? 0} | ${c.Static ?? 0} | ${(c.CompileError ?? 0) + (c.RuntimeError ?? 0)} | ${score} |`);
}
console.log(`\n${living.length} mutants lived:`);
for (const line of living) {
    console.log(`- ${line}`);
}
