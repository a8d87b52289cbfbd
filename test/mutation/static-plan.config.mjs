// @ts-check
import staticConfig from "./static.config.mjs";

/**
 * The static mutants of `lib/plan`: the table of inputs that replace a resource (`replacements.ts`) and the
 * command's usage line, with the plan's fast unit tests (`changes.test.ts`, `command.test.ts`) rather than the
 * layers' tests; a mutant these miss is looked at by hand against the rest of the suite. Name the constants
 * with `--mutate` line ranges (see BENCHMARKS.md).
 * @type {import("@stryker-mutator/api/core").PartialStrykerOptions}
 */
export default {
    ...staticConfig,
    mochaOptions: {
        ...staticConfig.mochaOptions,
        spec: ["test/plan/changes.test.ts", "test/plan/command.test.ts"],
    },
};
