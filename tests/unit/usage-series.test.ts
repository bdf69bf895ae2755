import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SeriesAnswer } from '../../server/src/admin/contract.js';
import { MAX_BUCKETS } from '../../server/src/admin/usage-series.js';
import { OUTCOMES, type Outcome, type RequestLogEntry } from '../../server/src/store/log-entry.js';
import { adminWorld, openTestStore, record, type UserName } from '../support/admin-fixture.js';
import { percentile } from '../bench/report.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 30, 12); // a whole hour

const zeros = (): Record<Outcome, number> =>
  Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;

/** A small deterministic random sequence, so failures repeat. */
function random(seed: number): () => number {
  return () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

describe('request-log series (store)', () => {
  it('counts each bucket by outcome and keeps the empty ones', async () => {
    const store = openTestStore();
    record(store, [
      { time: T0, outcome: 'ok' },
      { time: T0 + 10, outcome: 'tool_error' },
      { time: T0 + 99, outcome: 'ok' },
      // bucket 1 is empty
      { time: T0 + 200, outcome: 'rpc_error' },
      { time: T0 + 250, outcome: 'http_error' },
      { time: T0 + 299, userId: null, method: null, target: null, outcome: 'auth_failed' },
      { time: T0 + 320, outcome: 'tool_error', latencyMs: 8 },
      // outside [from, to)
      { time: T0 - 1, outcome: 'ok' },
      { time: T0 + 350, outcome: 'ok' },
    ]);
    const buckets = await store.queries.series!({ from: T0, to: T0 + 350, bucketMs: 100 });
    assert.deepEqual(
      buckets.map((b) => b.start),
      [T0, T0 + 100, T0 + 200, T0 + 300]
    );
    assert.deepEqual(buckets[0]!.counts, { ...zeros(), ok: 2, tool_error: 1 });
    assert.equal(buckets[0]!.total, 3);
    assert.deepEqual(buckets[1], {
      start: T0 + 100,
      counts: zeros(),
      total: 0,
      p50Ms: null,
      p95Ms: null,
    });
    assert.deepEqual(buckets[2]!.counts, {
      ...zeros(),
      rpc_error: 1,
      http_error: 1,
      auth_failed: 1,
    });
    // The last bucket is cut short at `to`: the row at T0 + 350 is not in it.
    assert.deepEqual(buckets[3], {
      start: T0 + 300,
      counts: { ...zeros(), tool_error: 1 },
      total: 1,
      p50Ms: 8,
      p95Ms: 8,
    });
  });

  it('gives nearest-rank p50 and p95 of each bucket, as the benchmarks compute them', async () => {
    const store = openTestStore();
    const next = random(21);
    // 2,106: where (n - 1) * (rank / (n - 1)) comes out just under the rank in floating point.
    const sizes = [1, 2, 3, 10, 19, 20, 21, 101, 1_000, 2_106];
    const latencies = sizes.map((n) => Array.from({ length: n }, () => Math.round(next() * 5_000) / 10));
    record(
      store,
      latencies.flatMap((list, b) => list.map((latencyMs, i) => ({ time: T0 + b * HOUR + i, latencyMs })))
    );
    const buckets = await store.queries.series!({ from: T0, to: T0 + sizes.length * HOUR, bucketMs: HOUR });
    assert.equal(buckets.length, sizes.length);
    latencies.forEach((list, b) => {
      const sorted = [...list].sort((x, y) => x - y);
      assert.equal(buckets[b]!.total, list.length);
      assert.equal(buckets[b]!.p50Ms, percentile(sorted, 50), `p50 of ${list.length}`);
      assert.equal(buckets[b]!.p95Ms, percentile(sorted, 95), `p95 of ${list.length}`);
    });
    // Every size up to 150: values 1..n in a shuffled order, so the nearest rank is the value itself.
    const sweep = openTestStore();
    for (let n = 1; n <= 150; n++) {
      const values = Array.from({ length: n }, (_, i) => i + 1).sort(() => next() - 0.5);
      record(
        sweep,
        values.map((latencyMs, i) => ({ time: T0 + n * HOUR + i, latencyMs }))
      );
    }
    const swept = await sweep.queries.series!({ from: T0 + HOUR, to: T0 + 151 * HOUR, bucketMs: HOUR });
    swept.forEach((bucket, i) => {
      const n = i + 1;
      assert.deepEqual(
        [bucket.total, bucket.p50Ms, bucket.p95Ms],
        [n, Math.ceil(n / 2), Math.ceil((95 * n) / 100)],
        `n = ${n}`
      );
    });
    // Spelled out for ten values 1..10: the 5th and the 10th.
    const ten = openTestStore();
    record(
      ten,
      [7, 3, 10, 1, 5, 9, 2, 8, 4, 6].map((latencyMs, i) => ({ time: T0 + i, latencyMs }))
    );
    const [only] = await ten.queries.series!({ from: T0, to: T0 + HOUR, bucketMs: HOUR });
    assert.equal(only!.p50Ms, 5);
    assert.equal(only!.p95Ms, 10);
  });

  it('counts only one user’s requests when asked to', async () => {
    const store = openTestStore();
    record(store, [
      { time: T0, userId: 'u-owner' },
      { time: T0 + 1, userId: 'u-guest', latencyMs: 40 },
      { time: T0 + 2, userId: null, outcome: 'auth_failed' },
    ]);
    const [mine] = await store.queries.series!({
      from: T0,
      to: T0 + HOUR,
      bucketMs: HOUR,
      userId: 'u-guest',
    });
    assert.deepEqual(mine, { start: T0, counts: { ...zeros(), ok: 1 }, total: 1, p50Ms: 40, p95Ms: 40 });
  });

  it('answers nothing for an empty or backward range', async () => {
    const store = openTestStore();
    assert.deepEqual(await store.queries.series!({ from: T0, to: T0, bucketMs: HOUR }), []);
    assert.deepEqual(await store.queries.series!({ from: T0, to: T0 - 1, bucketMs: HOUR }), []);
  });
});

async function series(
  world: ReturnType<typeof adminWorld>,
  query: string,
  user: UserName = 'owner'
): Promise<SeriesAnswer> {
  const res = await world.call(`/api/admin/usage/series${query}`, { user });
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as SeriesAnswer;
}

/** Every row GET /logs returns for [from, to), page after page. */
async function loggedRows(
  world: ReturnType<typeof adminWorld>,
  from: number,
  to: number,
  user: UserName
): Promise<{ outcome: Outcome }[]> {
  const rows: { outcome: Outcome }[] = [];
  let cursor: string | null = null;
  do {
    const res = await world.call(
      `/api/admin/logs?from=${from}&to=${to}&limit=500${cursor ? `&cursor=${cursor}` : ''}`,
      { user }
    );
    assert.equal(res.status, 200);
    const page = (await res.json()) as { rows: { outcome: Outcome }[]; next: string | null };
    rows.push(...page.rows);
    cursor = page.next;
  } while (cursor);
  return rows;
}

describe('GET /api/admin/usage/series', () => {
  const now = T0 + 25 * 60_000 + 17; // 12:25 on the 30th
  const world = () => adminWorld({ overrides: { now: () => now } });

  it('cuts the last 24 hours into whole hours, the last one holding now', async () => {
    const w = world();
    record(w.store, [{ time: now - 1_000 }, { time: now - 23 * HOUR, outcome: 'tool_error' }]);
    const answer = await series(w, '');
    assert.equal(answer.bucketMs, HOUR);
    assert.equal(answer.to, T0 + HOUR);
    assert.equal(answer.from, T0 + HOUR - 24 * HOUR);
    assert.equal(answer.buckets.length, 24);
    assert.equal(answer.buckets[23]!.start, T0);
    assert.deepEqual(answer.buckets[23]!.counts, { ...zeros(), ok: 1 });
    assert.deepEqual(answer.buckets[0]!.counts, { ...zeros(), tool_error: 1 });
    assert.deepEqual(await series(w, '?range=24h'), answer);
  });

  it('cuts the last 7 days into six-hour buckets', async () => {
    const answer = await series(world(), '?range=7d');
    assert.equal(answer.bucketMs, 6 * HOUR);
    assert.equal(answer.to, T0 + 6 * HOUR);
    assert.equal(answer.to - answer.from, 7 * 24 * HOUR);
    assert.equal(answer.buckets.length, 28);
    assert.ok(answer.buckets.every((b) => b.total === 0 && b.p50Ms === null));
  });

  it('agrees with the log: a bucket’s counts are the rows GET /logs returns for its time range', async () => {
    const w = world();
    const next = random(7);
    const users = [null, 'u-owner', 'u-guest', 'u-admin'];
    const entries: Partial<RequestLogEntry>[] = [];
    for (let i = 0; i < 1_500; i++) {
      const userId = users[Math.floor(next() * users.length)]!;
      entries.push({
        time: now - Math.floor(next() * 26 * HOUR), // some before the range
        userId,
        outcome: userId === null ? 'auth_failed' : OUTCOMES[Math.floor(next() * 4)]!,
        latencyMs: Math.round(next() * 900),
      });
    }
    // Rows exactly on bucket edges: each belongs to the bucket that starts there.
    for (let h = -24; h <= 1; h++) entries.push({ time: T0 + h * HOUR, userId: 'u-guest' });
    record(w.store, entries);

    for (const user of ['owner', 'guest'] as const) {
      const answer = await series(w, '', user);
      let total = 0;
      for (const bucket of answer.buckets) {
        const end = Math.min(bucket.start + answer.bucketMs, answer.to);
        const rows = await loggedRows(w, bucket.start, end, user);
        const counts = zeros();
        for (const row of rows) counts[row.outcome]++;
        assert.deepEqual(bucket.counts, counts, `${user}, bucket at ${new Date(bucket.start).toISOString()}`);
        assert.equal(bucket.total, rows.length);
        total += bucket.total;
      }
      assert.equal(total, (await loggedRows(w, answer.from, answer.to, user)).length);
      assert.ok(total > 0);
    }
  });

  it('shows someone who is not an administrator only their own requests', async () => {
    const w = world();
    record(w.store, [
      { time: now - 10, userId: 'u-owner', latencyMs: 1 },
      { time: now - 9, userId: 'u-guest', latencyMs: 70 },
      { time: now - 8, userId: null, outcome: 'auth_failed', latencyMs: 2 },
    ]);
    const guest = (await series(w, '?range=24h', 'guest')).buckets[23]!;
    assert.deepEqual(guest, { start: T0, counts: { ...zeros(), ok: 1 }, total: 1, p50Ms: 70, p95Ms: 70 });
    const owner = (await series(w, '?range=24h', 'owner')).buckets[23]!;
    assert.deepEqual(owner.counts, { ...zeros(), ok: 2, auth_failed: 1 });
    assert.equal(owner.p50Ms, 2);
    assert.equal(owner.p95Ms, 70);
  });

  it('takes any range as from, to and bucket', async () => {
    const w = world();
    record(w.store, [{ time: T0 + 5 }, { time: T0 + 65 }]);
    const answer = await series(w, `?from=${T0}&to=${T0 + 90}&bucket=30`);
    assert.deepEqual(
      answer.buckets.map((b) => [b.start - T0, b.total]),
      [
        [0, 1],
        [30, 0],
        [60, 1],
      ]
    );
  });

  it('refuses queries it cannot answer', async () => {
    const w = world();
    for (const [query, field] of [
      ['?range=30d', 'range'],
      [`?range=24h&from=${T0}&to=${T0 + HOUR}&bucket=60000`, 'range'],
      [`?from=${T0}&to=${T0 + HOUR}`, 'bucket'],
      [`?from=${T0}&to=${T0}&bucket=1000`, 'to'],
      [`?from=${T0}&to=${T0 + (MAX_BUCKETS + 1) * 1000}&bucket=1000`, 'bucket'],
      [`?from=${T0}&to=${T0 + HOUR}&bucket=0`, 'bucket'],
    ] as const) {
      const res = await w.call(`/api/admin/usage/series${query}`, { user: 'owner' });
      assert.equal(res.status, 400, query);
      assert.equal(((await res.json()) as { field: string }).field, field, query);
    }
  });

  it('answers 403 to a viewer Home Assistant named no one for', async () => {
    const res = await world().call('/api/admin/usage/series');
    assert.equal(res.status, 403);
  });
});
