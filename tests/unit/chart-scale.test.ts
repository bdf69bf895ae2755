/**
 * The Overview charts' layout math (ui/src/charts/scale.ts): scales, round ticks, stacking by outcome, line
 * paths that break at empty buckets, where time labels fall, and arrow keys between buckets.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  labelledBuckets,
  linear,
  linePath,
  nextIndex,
  niceStep,
  stack,
  ticks,
} from '../../ui/src/charts/scale.js';
import { OUTCOMES } from '../../server/src/store/log-entry.js';

const HOUR = 3_600_000;

describe('chart scales and ticks', () => {
  it('maps a domain onto a range, upside down for a y axis', () => {
    const y = linear([0, 100], [180, 20]);
    assert.equal(y(0), 180);
    assert.equal(y(100), 20);
    assert.equal(y(50), 100);
    // An empty domain does not divide by zero.
    assert.equal(linear([0, 0], [0, 10])(0), 0);
  });

  it('steps are 1, 2, 2.5 or 5 times a power of ten, never below what was asked', () => {
    assert.deepEqual(
      [0.3, 1, 1.2, 2.2, 3, 7, 12, 180, 4000].map(niceStep),
      [0.5, 1, 2, 2.5, 5, 10, 20, 200, 5000]
    );
    assert.equal(niceStep(0), 1);
  });

  it('ticks start at 0 and end at the first round value at or above the maximum', () => {
    assert.deepEqual(ticks(10), [0, 2.5, 5, 7.5, 10]);
    assert.deepEqual(ticks(10, 4, true), [0, 2, 4, 6, 8, 10]);
    assert.deepEqual(ticks(1, 4, true), [0, 1]);
    assert.deepEqual(ticks(3, 4, true), [0, 1, 2, 3]);
    assert.deepEqual(ticks(37), [0, 10, 20, 30, 40]);
    assert.deepEqual(ticks(1234), [0, 500, 1000, 1500]);
    assert.deepEqual(ticks(0.7), [0, 0.2, 0.4, 0.6, 0.8]);
    for (const max of [1, 7, 13, 99, 101, 2500, 123456]) {
      const t = ticks(max, 4, true);
      assert.equal(t[0], 0);
      assert.ok(t.at(-1)! >= max, `${max}: ${t}`);
      assert.ok(t.length >= 2 && t.length <= 9, `${max}: ${t}`);
      assert.ok(t.every(Number.isInteger), `${max}: ${t}`);
    }
  });
});

describe('stacking by outcome', () => {
  it('stacks in the order given, each segment on the last, leaving zeros out', () => {
    const counts = { ok: 5, tool_error: 2, rpc_error: 0, http_error: 1, auth_failed: 3 };
    assert.deepEqual(stack(counts, OUTCOMES), [
      { key: 'ok', value: 5, y0: 0, y1: 5 },
      { key: 'tool_error', value: 2, y0: 5, y1: 7 },
      { key: 'http_error', value: 1, y0: 7, y1: 8 },
      { key: 'auth_failed', value: 3, y0: 8, y1: 11 },
    ]);
    assert.deepEqual(
      stack({ ok: 0, tool_error: 0, rpc_error: 0, http_error: 0, auth_failed: 0 }, OUTCOMES),
      []
    );
  });
});

describe('line paths', () => {
  it('moves to the first point and draws on, and starts afresh after a gap', () => {
    assert.equal(
      linePath([
        { x: 0, y: 10 },
        { x: 10, y: 20 },
        { x: 20, y: null },
        { x: 30, y: 5.04 },
        { x: 40, y: 6 },
      ]),
      'M0 10h0L10 20M30 5h0L40 6'
    );
    // A point alone is a dot (a zero-length segment with round caps), not nothing.
    assert.equal(
      linePath([
        { x: 1, y: null },
        { x: 2, y: 3 },
        { x: 3, y: null },
      ]),
      'M2 3h0'
    );
    assert.equal(linePath([]), '');
  });
});

describe('time labels', () => {
  it('labels the bucket where each 6 hours begin in a day of hourly buckets', () => {
    const from = Date.UTC(2026, 10, 30, 4);
    const starts = Array.from({ length: 24 }, (_, i) => from + i * HOUR);
    // 06:00, 12:00, 18:00 and 00:00 UTC: indexes 2, 8, 14, 20.
    assert.deepEqual(labelledBuckets(starts, 6 * HOUR), [2, 8, 14, 20]);
  });

  it('follows the local time zone, also one off by half an hour', () => {
    const from = Date.UTC(2026, 10, 30, 0);
    const starts = Array.from({ length: 28 }, (_, i) => from + i * 6 * HOUR);
    // UTC+05:30: local midnight falls inside the bucket that starts at 18:00 UTC (23:30 local) and is
    // first seen in the next one, at 00:00 UTC (05:30 local).
    const india = (t: number) => t + 5.5 * HOUR;
    assert.deepEqual(labelledBuckets(starts, 24 * HOUR, india), [4, 8, 12, 16, 20, 24]);
    assert.deepEqual(labelledBuckets(starts, 24 * HOUR), [4, 8, 12, 16, 20, 24]);
    const newYork = (t: number) => t - 5 * HOUR;
    assert.deepEqual(labelledBuckets(starts, 24 * HOUR, newYork), [1, 5, 9, 13, 17, 21, 25]);
  });
});

describe('keys between buckets', () => {
  it('moves one left or right, to the ends with Home and End, and stays inside', () => {
    assert.equal(nextIndex('ArrowLeft', 5, 24), 4);
    assert.equal(nextIndex('ArrowRight', 5, 24), 6);
    assert.equal(nextIndex('Home', 5, 24), 0);
    assert.equal(nextIndex('End', 5, 24), 23);
    assert.equal(nextIndex('ArrowLeft', 0, 24), 0);
    assert.equal(nextIndex('ArrowRight', 23, 24), 23);
    assert.equal(nextIndex('Enter', 5, 24), undefined);
  });
});
