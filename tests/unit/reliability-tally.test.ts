/**
 * The reliability summary counts what ran: a test whose body throws is in it as failed (never left out), and
 * the totals add up what each test counted.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { summarise, tallied, TALLY_ENV } from '../support/reliability-tally.js';
import { tempDirs } from '../support/temp-dirs.js';

const dirs = tempDirs('reliability-tally');

describe('the reliability summary', () => {
  let file: string;
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env[TALLY_ENV];
    file = join(dirs(), 'tally.jsonl');
    process.env[TALLY_ENV] = file;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env[TALLY_ENV];
    else process.env[TALLY_ENV] = saved;
  });

  it('records what a passing test counted, under the name it settled on', async () => {
    await tallied('a flood', (count) => {
      count.cases = 300;
      count.faults = 1;
      count.name = 'a flood (HA saw 5)';
    });
    assert.deepEqual(summarise(readFileSync(file, 'utf8')), [
      '  a flood (HA saw 5): 300 cases, 1 faults injected, 0 failures',
      'reliability: 300 cases run, 1 faults injected, 0 failures',
    ]);
  });

  it('counts a test that threw as failed, with why, and lets the error fail the test', async () => {
    await assert.rejects(
      tallied('a burst', (count) => {
        count.cases = 40;
        throw new Error('socket hang up\nat somewhere');
      }),
      /socket hang up/
    );
    await assert.rejects(
      tallied('a scan', (count) => {
        count.cases = 10;
        count.failures = 3;
        throw new Error('3 leaks');
      })
    );
    await tallied('a quiet one', (count) => {
      count.cases = 5;
    });
    assert.deepEqual(summarise(readFileSync(file, 'utf8')), [
      '  a burst: 40 cases, 1 failures (socket hang up)',
      '  a scan: 10 cases, 3 failures (3 leaks)',
      '  a quiet one: 5 cases, 0 failures',
      'reliability: 55 cases run, 0 faults injected, 4 failures',
    ]);
  });
});
