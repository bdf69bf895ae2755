// @ts-check
/**
 * Mutation testing (`npm run test:mutation`): Stryker breaks the modules whose mistakes are dangerous, one
 * change at a time, and runs the fast tests that guard them against each break. tests/mutation/run.ts runs
 * it once per group of tests/mutation/modules.ts, passing the group in MUTATION_GROUP, and checks the scores.
 */
const group = JSON.parse(process.env.MUTATION_GROUP ?? 'null');
if (!group) throw new Error('run mutation testing with `npm run test:mutation`, which names the group');

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'tap',
  tap: {
    testFiles: group.tests,
    nodeArgs: ['--import', 'tsx'],
  },
  mutate: group.mutate,
  coverageAnalysis: 'perTest',
  concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 2),
  // A test file that takes longer than this on a mutant counts as a timeout (the mutant is caught).
  timeoutMS: 20_000,
  reporters: ['clear-text', 'progress', 'json'],
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
  jsonReporter: { fileName: `tests/artifacts/mutation/${group.id}.json` },
  incrementalFile: `tests/artifacts/mutation/${group.id}.incremental.json`,
  // TypeScript 7 has no JS API for Stryker's tsconfig rewrite; the sandbox keeps tsconfig.json as it is.
  tsconfigFile: 'tests/mutation/no-tsconfig-rewrite.json',
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  ignorePatterns: ['ui/dist', 'docs', 'tests/artifacts', 'server/dist', '.demo'],
};
