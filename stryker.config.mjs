// @ts-check
/**
 * `npm run mutation`: StrykerJS over all of lib/ (see BENCHMARKS.md for the scores and how long it takes).
 * The contract tests are left out: they check that generated files (the config schema, the README's config
 * reference) match the sources they come from, and Stryker rewrites those sources when it instruments them.
 * @type {import("@stryker-mutator/api/core").PartialStrykerOptions}
 */
export default {
    "testRunner": "mocha",
    "mochaOptions": {
        "config": ".mocharc.json",
        "ignore": [
            "test/contract/**"
        ]
    },
    "checkers": [
        "typescript"
    ],
    "tsconfigFile": "tsconfig.json",
    "coverageAnalysis": "perTest",
    "mutate": [
        "lib/**/*.ts"
    ],
    "concurrency": 2,
    "reporters": [
        "clear-text",
        "progress",
        "html",
        "json"
    ],
    "htmlReporter": {
        "fileName": "mutation-out/mutation.html"
    },
    "jsonReporter": {
        "fileName": "mutation-out/mutation.json"
    },
    "tempDirName": ".stryker-tmp",
    "timeoutMS": 60000,
    "incremental": true,
    "incrementalFile": "mutation-out/stryker-incremental.json"
};
