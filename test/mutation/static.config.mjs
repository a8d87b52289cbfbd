// @ts-check
import base from "../../stryker.config.mjs";

/**
 * The static mutants: mutations of module-level constants (format regexes, tables, defaults). Stryker
 * cannot tell which tests reach a constant, so it runs every test for each of these mutants; with the
 * whole suite that is about 1.5 minutes a mutant. This config runs the tests of the library's layers
 * instead, leaving out those over whole example programs (examples, reliability, plan, bench, the stand-in
 * cloud): a mutant these tests miss is looked at by hand against the rest of the suite.
 * Name the constants with `--mutate` line ranges (see BENCHMARKS.md).
 * @type {import("@stryker-mutator/api/core").PartialStrykerOptions}
 */
export default {
    ...base,
    mochaOptions: {
        ...base.mochaOptions,
        spec: ["internal", "model", "trust", "alicloud", "istio", "mesh", "provider", "harness"].map((layer) => `test/${layer}/**/*.test.ts`),
    },
    ignoreStatic: false,
    incremental: false,
    htmlReporter: { fileName: "mutation-out/static.html" },
    jsonReporter: { fileName: "mutation-out/static.json" },
};
