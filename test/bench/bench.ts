import { existsSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { Registration } from "../harness/mocks";
import { LowerBound, links, lowerBound } from "./bound";
import { countByType, formulaMismatches, formulas, shapeOf } from "./formulas";
import { clusterPaces, latencies, pacedSteps } from "./latency";
import { BenchModel, benchModels } from "./models";
import { bareRegistrationTime, evaluationTime, previewFailures, simulate } from "./simulate";

/**
 * `npm run bench`: for each topology model and cluster count, counts what the mesh registers against the
 * growth formulas, times its evaluation, simulates `pulumi up` from an empty account on the virtual clock
 * and compares it with the lower bound. Exits non-zero when a target is missed. `--full` adds N = 16 and
 * 32; `--write` rewrites BENCHMARKS.md.
 */

/** Simulated makespan may exceed the lower bound by at most this factor. */
export const makespanTarget = 1.1;

export interface BenchRun {
    model: BenchModel;
    n: number;
    regions: number;
    counts: Map<string, number>;
    total: number;
    evaluationMs: number;
    bareMs: number;
    makespan: number;
    bound: LowerBound;
    clusterChain: number;
    /** The cluster that was serving latest against its own bound, and by what ratio. */
    worstCluster: { name: string; ratio: number };
    criticalPath: string;
    /** `pulumi up` runs from an empty account to a working mesh. */
    runs: number;
    misses: string[];
}

const snapshot = (registrations: readonly Registration[]) =>
    JSON.stringify(registrations.map((r) => [r.urn, r.type, r.read ?? false, r.inputs]).sort((a, b) => String(a[0]).localeCompare(String(b[0])) || Number(a[2]) - Number(b[2])));

export async function benchRun(model: BenchModel, n: number): Promise<BenchRun> {
    const config = model.config(n);
    const { failures: preview } = await previewFailures(config);
    const simulation = await simulate(config);
    const evaluation = await evaluationTime(config);
    const bareMs = await bareRegistrationTime(evaluation.registrations.length);
    const bound = lowerBound(config);
    const counts = countByType(simulation.registrations);
    const misses = [
        ...simulation.failures.map((f) => `the program failed: ${f}`),
        ...formulaMismatches(config, counts),
    ];
    if (simulation.makespan > makespanTarget * bound.seconds) {
        misses.push(`makespan ${simulation.makespan} s exceeds ${makespanTarget} × the lower bound ${bound.seconds} s`);
    }
    let worstCluster = { name: "", ratio: 0 };
    for (const [cluster, own] of bound.clusters) {
        const ready = simulation.clusterReady.get(cluster)!;
        if (ready / own > worstCluster.ratio) {
            worstCluster = { name: cluster, ratio: ready / own };
        }
        if (ready > makespanTarget * own) {
            misses.push(`${cluster} was serving at ${ready} s, beyond ${makespanTarget} × its own bound ${own} s: it waited on something outside its own chain`);
        }
    }
    if (simulation.maxLaneWait.seconds > 0) {
        misses.push(`${simulation.maxLaneWait.name} waited ${simulation.maxLaneWait.seconds} s for work the cloud serializes: the program should order it`);
    }
    if (simulation.maxSlip.seconds > 0) {
        misses.push(`${simulation.maxSlip.name} reached the engine ${simulation.maxSlip.seconds} s after everything it depends on had finished`);
    }
    // One run suffices when the preview from an empty stack goes through with every computed value unknown,
    // the run completes every registration with every output known, and evaluating again registers exactly
    // the same resources with the same inputs (a second `pulumi up` would have nothing to do).
    const incomplete = simulation.registrations.filter((r) => r.urn === undefined || r.virtualFinish === undefined);
    const rerunDiffers = snapshot(simulation.registrations) !== snapshot(evaluation.registrations);
    const runs = preview.length === 0 && simulation.failures.length === 0 && incomplete.length === 0 && simulation.unknownOutputs.length === 0 && !rerunDiffers ? 1 : 2;
    if (runs !== 1) {
        misses.push(
            `more than one run from empty: preview [${preview.join("; ")}], ${incomplete.length} incomplete, unknown outputs [${simulation.unknownOutputs.join(", ")}], second evaluation ${rerunDiffers ? "differs" : "identical"}`,
        );
    }
    return {
        model,
        n,
        regions: shapeOf(config).r,
        counts,
        total: simulation.registrations.length,
        evaluationMs: evaluation.ms,
        bareMs,
        makespan: simulation.makespan,
        bound,
        clusterChain: simulation.clusterChain,
        worstCluster,
        criticalPath: summarizePath(simulation.criticalPath),
        runs,
        misses,
    };
}

/** The critical path as its steps (latency-table keys), runs of the same step collapsed (`peerAttachment ×7`). */
function summarizePath(path: readonly { step: string }[]): string {
    const steps: { step: string; times: number }[] = [];
    for (const { step } of path) {
        const previous = steps[steps.length - 1];
        if (previous?.step === step) {
            previous.times++;
        } else {
            steps.push({ step, times: 1 });
        }
    }
    return steps.map((s) => (s.times > 1 ? `${s.step} ×${s.times}` : s.step)).join(" → ");
}

/** Across the sizes of a model that share a set of regions, the cluster chain must not grow. */
export function clusterChainMisses(runs: readonly BenchRun[]): string[] {
    const misses: string[] = [];
    for (const run of runs) {
        const smaller = runs.filter((r) => r.model === run.model && r.regions === run.regions && r.n < run.n);
        for (const earlier of smaller.filter((r) => run.clusterChain > r.clusterChain)) {
            misses.push(`${run.model.id}: the cluster chain grew from ${earlier.clusterChain} s at N = ${earlier.n} to ${run.clusterChain} s at N = ${run.n} in the same ${run.regions} regions`);
        }
    }
    return misses;
}

const minutes = (seconds: number) => `${(seconds / 60).toFixed(1)}`;

export function renderBenchmarks(runs: readonly BenchRun[]): string {
    const models = [...new Set(runs.map((r) => r.model))];
    const lines: string[] = [
        "# Benchmarks",
        "",
        "Generated by `npm run bench:full` (`test/bench/`); `npm run bench` runs N ≤ 8 and is part of CI. No cloud is",
        "reached: the mesh program runs against the test mocks, and simulated time comes from the latency table below.",
        "",
        "## Results",
        "",
        "Makespan is a simulated `pulumi up` from an empty account; the bound is the shortest any deployment of the",
        "topology can take (see Method). Evaluation is the wall time of the program under the mocks on the machine",
        "that generated this file, beside registering as many bare resources with no logic: informational only.",
        "",
    ];
    for (const model of models) {
        lines.push(`### ${model.title}`, "", model.shape + ".", "");
        lines.push("| N | regions | resources | evaluation (ms) | bare resources (ms) | makespan (min) | lower bound (min) | makespan / bound | cluster chain, measured (min) | network chain, bound (min) | worst cluster: serving / own bound | `pulumi up` runs |");
        lines.push("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (const r of runs.filter((x) => x.model === model)) {
            lines.push(
                `| ${r.n} | ${r.regions} | ${r.total} | ${r.evaluationMs.toFixed(0)} | ${r.bareMs.toFixed(0)} | ${minutes(r.makespan)} | ${minutes(r.bound.seconds)} | ${(r.makespan / r.bound.seconds).toFixed(3)} | ${minutes(r.clusterChain)} | ${minutes(r.bound.networkChain)} | ${r.worstCluster.ratio.toFixed(3)} (${r.worstCluster.name}) | ${r.runs} |`,
            );
        }
        lines.push("", "Critical path of the simulated run, as steps of the latency table:", "");
        for (const r of runs.filter((x) => x.model === model)) {
            lines.push(`- N = ${r.n}: ${r.criticalPath}`);
        }
        lines.push("");
    }
    lines.push("## Resources by type", "", "Every count is checked against its formula at every N; a type without a formula fails the bench.", "");
    lines.push(
        "N clusters, P primaries, M = N − P remotes, Ps primaries that serve remotes, C client ranges admitted to API servers (1 here);",
        "A ACK clusters, Pa and Psa those that are primaries and serving primaries, R their regions, V their VPCs (A = N, one VPC each",
        "here); G clusters with an east-west gateway (every cluster on a multi-network mesh), Ga those on ACK, Rg their regions; W",
        "networks; X gateways on fixed addresses; F and Fr clusters and network-regions on flat networks; I ingress gateways; L DestinationRules per primary;",
        "E adopted Istio namespaces; J injection-labelled namespaces; Z the multicluster check; CEN 1 with CEN. Reads are `read`.",
        "Rows that stay 0 in these models are left out; `test/bench/formulas.ts` defines every quantity, and the example stacks",
        "and a flat network with every extra are counted against the same formulas in `npm test`.",
        "",
    );
    for (const model of models) {
        const own = runs.filter((x) => x.model === model);
        lines.push(`### ${model.title}`, "");
        lines.push(`| type | formula | ${own.map((r) => `N = ${r.n}`).join(" | ")} | why |`);
        lines.push(`|---|---|${own.map(() => "---:").join("|")}|---|`);
        for (const f of formulas.filter((f) => own.some((r) => (r.counts.get(f.type) ?? 0) > 0))) {
            lines.push(`| \`${f.type}\` | ${f.formula} | ${own.map((r) => r.counts.get(f.type) ?? 0).join(" | ")} | ${f.why} |`);
        }
        lines.push(`| **total** | | ${own.map((r) => r.total).join(" | ")} | |`, "");
    }
    lines.push(
        "Security-group rules grow linearly (a rule per cluster for 15443, two per serving primary for istiod), because",
        "they admit prefix lists rather than peers one by one; remote secrets grow as P × (N − 1); transit-router peer",
        "attachments as R(R − 1)/2 (a region pair each; about 30 regions exist, so at most about 435); everything else linearly.",
        "",
        "## Latency table",
        "",
        "| step | what | seconds | basis |",
        "|---|---|---:|---|",
        ...latencies.map((l) => `| \`${l.key}\` | ${l.what} | ${l.seconds} | ${l.basis} |`),
        "",
        "Figures are typical, not worst cases. Alibaba Cloud does not publish durations for most of these operations;",
        "the estimates are bounded by the Terraform provider's default create timeouts and its acceptance-test logs.",
        "",
        "## Method",
        "",
        "- **Simulated `pulumi up`.** The real `@pulumi/pulumi` SDK runs the `MultiClusterMesh` program against the",
        "  mocks. Each registration reaches the mock engine when the SDK sends it, that is when its inputs and",
        "  `dependsOn` have resolved, and takes its latency-table time on a virtual clock that advances only when",
        "  the program can do nothing else: no real sleeps, so the figures do not depend on the machine.",
        "- **What the cloud serializes.** Operations on one transit router run one at a time (a peer attachment",
        "  holds the routers at both ends), and a VPC route table takes one route entry at a time. The clock",
        "  enforces both as lanes; the bench fails if any registration ever waits in a lane, because the program",
        "  must order that work itself (in the cloud, overlapping operations fail and are retried). Alibaba Cloud",
        "  documents that a transit router or attachment in a transitional state admits no other operation, and",
        "  the Terraform provider retries `Operation.Blocking` on every transit-router resource; the bench takes",
        "  the strict reading, one operation per router at a time.",
        "- **Hidden waits.** The bench fails if a registration reaches the engine later than the moment everything",
        "  it depends on (inputs, `dependsOn`, provider) had finished.",
        "- **Runs from empty.** One run is enough when a preview of the empty stack (every value the cloud",
        "  computes unknown, as `pulumi up` previews first) goes through, the simulated run completes every",
        "  registration with no failure and every mesh output known, and a second evaluation registers exactly",
        "  the same URNs and inputs (a second `pulumi up` would have nothing to do).",
        "- **Cluster chain.** The longest path through the registered dependency graph with network steps taken",
        "  as instant: it must not grow with N while the regions stay the same (clusters deploy in parallel).",
        `- **Unequal clusters.** The i-th cluster's own steps (${[...pacedSteps].map((k) => `\`${k}\``).join(", ")}) take`,
        `  ${clusterPaces.join(", ")} times the table's figure, by i mod ${clusterPaces.length}. Each cluster must be serving (its east-west`,
        "  gateway's address known) within the makespan target of its own bound: its own chain, a remote's with its",
        "  primary's, or the router work on a remote's path. A cluster that waits on an unrelated one, which equal",
        "  clusters would hide, misses its own bound. The column \"worst cluster\" is the highest ratio of serving time",
        "  to own bound in the run.",
        "",
        "### Lower bound",
        "",
        "Worked out from the topology and the latency table alone (`test/bench/bound.ts`), never from what the",
        "program registers: the shortest deployment the latency model allows, counting each step whole after the",
        "one it waits for (in reality some overlap, such as image pulls while nodes join). It is the longest of",
        "these chains, each link a dependency of the cloud or of Istio:",
        "",
        "| step | waits for | because |",
        "|---|---|---|",
        ...links.map((l) => `| ${l.step} | ${l.waitsFor} | ${l.because} |`),
        "",
        "- **Cluster chain** (the slowest cluster's, so constant in N once every pace is present): VPC → vSwitch → ACK → node pool →",
        "  istiod → east-west gateway (address); for a remote, its primary's gateway address → its remote-profile",
        "  istiod → its gateway. The program starts the Namespace and base chart after the node pool (its",
        "  Kubernetes provider waits for workers), which is the gap between the makespan and the bound.",
        "- **Network chain** per transit router: CEN + router, then every operation on that router in turn: its",
        "  route table, R − 1 peer attachments with an association and a propagation at this end each, and for each",
        "  VPC in its region an attachment with its two bindings:",
        "  `CEN + TR + table + (R − 1)(peer + 2 binding) + V_region (attachment + 2 binding)`. With the latency table",
        `  that is ${networkChainFormula()}. It grows linearly with regions (each adds a peer to every router)`,
        "  and with VPCs per region; peer attachments run in round-robin rounds, so all routers work in step and R",
        "  regions need R − 1 rounds (R odd: R). Clusters sharing a VPC share its attachment.",
        "- For primary-remote, a remote's gateway also waits for the path to its primary (both VPC attachments and",
        "  bindings, and the peer attachment between their regions): bounded by the router work those paths need,",
        "  plus the gateway.",
        "",
    );
    return lines.join("\n");
}

function networkChainFormula(): string {
    const s = (key: string) => latencies.find((l) => l.key === key)!.seconds;
    const peer = s("peerAttachment") + 2 * s("routeTableBinding");
    const vpc = s("vpcAttachment") + 2 * s("routeTableBinding");
    return `${s("cen") + s("transitRouter") + s("routeTable")} + ${peer}(R − 1) + ${vpc}·V_region seconds`;
}

async function main(argv: string[]): Promise<number> {
    const full = argv.includes("--full");
    const sizes = (model: BenchModel) => model.sizes.filter((n) => full || n <= 8);
    const runs: BenchRun[] = [];
    for (const model of benchModels) {
        for (const n of sizes(model)) {
            const run = await benchRun(model, n);
            runs.push(run);
            console.log(
                `${model.id} N=${n}: ${run.total} resources, evaluation ${run.evaluationMs.toFixed(0)} ms (bare ${run.bareMs.toFixed(0)} ms), makespan ${run.makespan} s, bound ${run.bound.seconds} s (${(run.makespan / run.bound.seconds).toFixed(3)}), cluster chain ${run.clusterChain} s, worst cluster ${run.worstCluster.ratio.toFixed(3)} (${run.worstCluster.name}), runs ${run.runs}${run.misses.length ? `\n  MISSED: ${run.misses.join("\n  MISSED: ")}` : ""}`,
            );
        }
    }
    const misses = [...runs.flatMap((r) => r.misses.map((m) => `${r.model.id} N=${r.n}: ${m}`)), ...clusterChainMisses(runs)];
    if (argv.includes("--write")) {
        const file = path.join(__dirname, "..", "..", "BENCHMARKS.md");
        // The end-to-end figures are measured by hand (see that section): kept as they are.
        const existing = existsSync(file) ? readFileSync(file, "utf8") : "";
        const e2e = existing.indexOf(e2eHeading);
        writeFileSync(file, renderBenchmarks(runs) + (e2e >= 0 ? `\n${existing.slice(e2e)}` : ""));
    }
    for (const miss of misses) {
        console.error(`target missed: ${miss}`);
    }
    console.log(misses.length === 0 ? `bench: every target met (${runs.length} runs)` : `bench: ${misses.length} target(s) missed`);
    return misses.length === 0 ? 0 : 1;
}

/** Where BENCHMARKS.md's hand-measured end-to-end section starts. */
export const e2eHeading = "## End-to-end run on the real engine";

if (require.main === module) {
    void main(process.argv.slice(2)).then((code) => process.exit(code));
}
