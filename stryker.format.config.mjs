// Mutation run of lib/backup/format against the tests of the format itself (npm run
// test:mutation:format). Its code runs under every restore and export test, so with the whole
// suite each surviving mutant of a value reader paid minutes of restores (~2 h 40 min for the
// folder on two cores); these tests say what the format is, and a mutant they miss is a gap in
// them, even when a restore test would happen to catch it.
import base from "./stryker.config.mjs";

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
const config = {
  ...base,
  mutate: ["lib/backup/format/**/*.ts", "lib/db/stored-datetime.ts"],
  vitest: { configFile: "vitest.mutation-format.config.ts" },
};
export default config;
