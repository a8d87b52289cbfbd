// @ts-check
import { ownTestsConfig } from "./ownTests.mjs";

/** `lib/plan` against `test/plan/` (see ownTests.mjs); its static mutants are `static-plan.config.mjs`'s. */
export default ownTestsConfig("plan", true);
