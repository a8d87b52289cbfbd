// @ts-check
import base from "../../stryker.config.mjs";

/**
 * A folder of `lib/` against its own tests (`test/<folder>/`) only. Over the whole suite, Stryker let some
 * mutants of `lib/plan` live that their own tests kill when the same mutant is planted by hand (the fixture
 * plan's heading); against `test/plan/` alone, they are killed (see BENCHMARKS.md).
 * @param {string} folder the folder under `lib/` and `test/`
 * @param {boolean} ignoreStatic leave out the folder's static mutants (when another config runs them)
 * @returns {import("@stryker-mutator/api/core").PartialStrykerOptions}
 */
export function ownTestsConfig(folder, ignoreStatic) {
    return {
        ...base,
        mochaOptions: { ...base.mochaOptions, spec: [`test/${folder}/**/*.test.ts`] },
        mutate: [`lib/${folder}/**/*.ts`],
        ignoreStatic,
        incremental: false,
        htmlReporter: { fileName: `mutation-out/${folder}.html` },
        jsonReporter: { fileName: `mutation-out/${folder}.json` },
    };
}
