// No request of Alibaba Cloud's API client leaves the test process (and it has credentials to sign with).
import "./clbStandIn";
import { MockCloud, collectingProgramFailures, failureMessage, unsettledRegistrations } from "./mocks";

/**
 * Mocha root hooks: a promise rejected with nobody awaiting it (a Pulumi program failing: a resource
 * that could not register, an unmocked invoke) fails the test during which it happens, with its message.
 * Mocha alone would swallow it. `programFailures` collects such rejections on purpose and owns them.
 * After each test, its program is let finish, so a failure still in flight is that test's, not the next's,
 * and nothing of it may still be waiting: the SDK would fail the whole run at exit for that.
 */
let draining: string[] | undefined;
/** Whether the running test's program failed: what it left waiting is then no leak (see afterEach). */
let programFailed = false;

function failTheRunningTest(reason: unknown): void {
    if (collectingProgramFailures()) {
        return;
    }
    programFailed = true;
    if (draining) {
        draining.push(failureMessage(reason));
        return;
    }
    const error = new Error(`unhandled rejection during this test: ${failureMessage(reason)}`);
    if (reason instanceof Error && reason.stack) {
        error.stack = `${error.message}\n${reason.stack.split("\n").slice(1).join("\n")}`;
    }
    // Mocha fails the runnable that is running when an uncaught exception arrives.
    (process.emit as (event: string, ...args: unknown[]) => boolean)("uncaughtException", error, "unhandledRejection");
}

export const mochaHooks = {
    beforeAll(): void {
        process.on("unhandledRejection", failTheRunningTest);
    },
    async afterEach(): Promise<void> {
        draining = [];
        try {
            await MockCloud.latest?.settle();
            await new Promise((resolve) => setTimeout(resolve, 10));
            if (draining.length > 0) {
                throw new Error(`the test's program failed after the test ended: ${[...new Set(draining)].join("; ")}`);
            }
            const unsettled = unsettledRegistrations();
            if (unsettled.length > 0 && !programFailed) {
                throw new Error(`the test's program left ${unsettled.length} promises of the SDK unsettled: ${[...new Set(unsettled)].slice(0, 5).join("; ")}`);
            }
        } finally {
            draining = undefined;
            programFailed = false;
        }
    },
    afterAll(): void {
        process.off("unhandledRejection", failTheRunningTest);
    },
};
