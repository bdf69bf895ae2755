/**
 * The closing line of `npm test` counts every way a test can end: a failing hook fails its suite and cancels
 * its tests, and none of that may hide behind "0 failed". Runs node's test runner on fixture files and reads
 * its TAP report as `npm test` does.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { closingLines, failedCount, tallyOf, type Tally } from '../runner/outcomes.js';
import { eventsFromTap } from '../runner/tap-events.js';
import { at, ROOT } from '../support/paths.js';
import { tempDirs } from '../support/temp-dirs.js';

const dirs = tempDirs('test-outcomes');

function runFixtures(...names: string[]): { tally: Tally; status: number | null } {
  const out = join(dirs(), 'results.tap');
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      '--test-reporter=tap',
      `--test-reporter-destination=${out}`,
      ...names.map((n) => at('tests/fixtures/outcomes', n)),
    ],
    // Without NODE_TEST_CONTEXT: inherited from this test's own runner, it would make the child report to it.
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_TEST_CONTEXT: undefined } }
  );
  return { tally: tallyOf(eventsFromTap(readFileSync(out, 'utf8'), ROOT)), status: run.status };
}

describe('the closing line of npm test', () => {
  it('counts failed tests, cancelled tests and failed hooks as failures, and skips apart', () => {
    const { tally, status } = runFixtures('every-outcome.ts', 'file-after-fails.ts');
    assert.notEqual(status, 0);
    assert.deepEqual(tally.counts, { passed: 3, failed: 1, cancelled: 2, hook: 4, skipped: 2, todo: 1 });
    assert.equal(failedCount(tally), 7);
    const lines = closingLines(tally);
    assert.equal(lines.at(-1), 'tests: 3 passed, 7 failed, 3 skipped');
    assert.equal(lines.at(-2), 'failures: 1 in tests, 2 cancelled, 4 in hooks');
  });

  it('names what did not pass, with the reason a test was skipped', () => {
    const { tally } = runFixtures('every-outcome.ts', 'file-after-fails.ts');
    const lines = closingLines(tally).join('\n');
    assert.match(lines, /hook failed: .*a suite whose after hook fails/);
    assert.match(lines, /hook failed: .*file-after-fails\.ts/);
    assert.match(lines, /cancelled: .*is cancelled too/);
    assert.match(lines, /skipped: .*a suite skipped for a missing tool \(needs a tool\)/);
    assert.match(lines, /skipped: .*skips itself \(not here\)/);
  });

  it('says only the plain line when everything passed', () => {
    const tally: Tally = {
      counts: { passed: 5, failed: 0, cancelled: 0, hook: 0, skipped: 0, todo: 0 },
      problems: [],
    };
    assert.deepEqual(closingLines(tally), ['tests: 5 passed, 0 failed, 0 skipped']);
  });
});
