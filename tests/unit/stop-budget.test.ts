import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { STOP_BUDGET_MS } from '../../server/src/stop-budget.js';
import { at } from '../support/paths.js';
import { dockerfileKillGraceMs } from '../support/supervisor/kill-grace.js';

/** The Supervisor's stop timeout: config.yaml's `timeout`, 10 s unless it says otherwise. */
const supervisorTimeoutMs = () =>
  ((parse(readFileSync(at('config.yaml'), 'utf8')) as { timeout?: number }).timeout ?? 10) * 1000;

describe('a stop fits the time it is given', () => {
  it("the server's stop fits inside s6-overlay's grace, and that inside the Supervisor's stop timeout", () => {
    const grace = dockerfileKillGraceMs();
    assert.ok(grace !== undefined, 'the Dockerfile sets S6_KILL_GRACETIME (3 s by default)');
    assert.ok(
      grace >= STOP_BUDGET_MS,
      `S6_KILL_GRACETIME ${grace} ms < the stop's budget ${STOP_BUDGET_MS} ms`
    );
    assert.ok(grace < supervisorTimeoutMs(), `S6_KILL_GRACETIME ${grace} ms >= the Supervisor's timeout`);
  });
});
