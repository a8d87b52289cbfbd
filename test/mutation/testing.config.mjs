// @ts-check
import { ownTestsConfig } from "./ownTests.mjs";

/** `lib/testing`, the stand-in cloud, against `test/testing/` (see ownTests.mjs), static mutants included. */
export default ownTestsConfig("testing", false);
