import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createLogger } from '../../server/src/log.js';
import { Connection } from '../../server/src/store/connection.js';
import { LiveTail } from '../../server/src/store/live-tail.js';
import type { RequestLogEntry } from '../../server/src/store/log-entry.js';
import { RequestLogWriter } from '../../server/src/store/request-log.js';
import { Retention, type RetentionLimits, type RetentionTuning } from '../../server/src/store/retention.js';
import { openStore } from '../../server/src/store/store.js';

const root = mkdtempSync(join(tmpdir(), 'store-retention-'));
after(() => rmSync(root, { recursive: true, force: true }));
const quiet = createLogger('error', () => {});
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 23, 20);
let files = 0;

function setUp(limits: RetentionLimits, tuning: Partial<RetentionTuning> = {}) {
  const connection = new Connection(join(root, `log-${++files}.db`), quiet);
  const writer = new RequestLogWriter(connection, new LiveTail(quiet), quiet);
  const retention = new Retention(connection, quiet, limits, tuning, () => NOW);
  const write = (entries: Partial<RequestLogEntry>[]) => {
    for (const e of entries) writer.record({ time: NOW, outcome: 'ok', latencyMs: 1, ...e });
    writer.flush();
  };
  const count = (sql = 'SELECT count(*) AS n FROM request_log') =>
    (connection.prepare(sql).get() as { n: number }).n;
  const close = () => {
    retention.stop();
    writer.close();
    connection.close();
  };
  return { connection, writer, retention, write, count, close };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('request log retention', () => {
  it('deletes rows older than the retention period', () => {
    const t = setUp({ maxAgeDays: 5, maxRows: 1_000 });
    t.write([
      { time: NOW - 10 * DAY, target: 'old' },
      { time: NOW - 2 * DAY, target: 'recent' },
      { target: 'now' },
    ]);
    assert.equal(t.retention.pruneAll(), 1);
    assert.deepEqual(
      (
        t.connection.prepare('SELECT target FROM request_log ORDER BY time').all() as { target: string }[]
      ).map((r) => r.target),
      ['recent', 'now']
    );
    t.close();
  });

  it('keeps only the newest rows beyond the row limit, by (time, id)', () => {
    const t = setUp({ maxAgeDays: 30, maxRows: 20 });
    t.write(range(50).map((i) => ({ time: NOW - 1_000 + Math.floor(i / 2), target: `t${i}` })));
    assert.equal(t.retention.pruneAll(), 30);
    const kept = (
      t.connection.prepare('SELECT target FROM request_log ORDER BY id').all() as { target: string }[]
    ).map((r) => r.target);
    assert.deepEqual(
      kept,
      range(20).map((i) => `t${i + 30}`)
    );
    t.close();
  });

  it('deletes in bounded steps', () => {
    const t = setUp({ maxAgeDays: 1, maxRows: 20 }, { stepRows: 7 });
    t.write(range(10).map(() => ({ time: NOW - 3 * DAY })));
    t.write(range(40).map(() => ({})));
    const counts: number[] = [];
    while (t.retention.step()) counts.push(t.count());
    assert.deepEqual(counts, [43, 40, 33, 26, 20]);
    t.close();
  });

  it('forgets clients not seen within the retention period', () => {
    const t = setUp({ maxAgeDays: 5, maxRows: 1_000 });
    t.write([
      { time: NOW - 9 * DAY, userId: 'u1', clientName: 'Old client' },
      { time: NOW - DAY, userId: 'u1', clientName: 'Claude' },
    ]);
    t.retention.pruneAll();
    assert.deepEqual(t.connection.prepare('SELECT name FROM clients').all(), [{ name: 'Claude' }]);
    t.close();
  });

  it('gives the pages of deleted rows back to the file system when the limits drop', () => {
    const t = setUp({ maxAgeDays: 30, maxRows: 100_000 });
    const big = 'x'.repeat(3_000);
    for (let batch = 0; batch < 5; batch++)
      t.write(range(1_000).map((i) => ({ target: `t${i}`, arguments: { big } })));
    const db = t.connection.current!;
    const before = db.pragma('page_count', { simple: true }) as number;
    t.retention.setLimits({ maxAgeDays: 30, maxRows: 500 });
    assert.equal(t.retention.pruneAll(), 4_500);
    const pages = db.pragma('page_count', { simple: true }) as number;
    const free = db.pragma('freelist_count', { simple: true }) as number;
    assert.ok(pages < before / 3, `${pages} pages of ${before} left`);
    assert.ok(free <= Math.max(1_024, pages / 5), `${free} free pages of ${pages}`);
    t.close();
  });

  it('runs by itself, and applies lowered limits from the options at once', async () => {
    const lines: string[] = [];
    const store = openStore({
      dataDir: join(root, 'store'),
      options: { log_retention_days: 30, log_max_rows: 1_000 },
      log: createLogger('debug', (l) => lines.push(l)),
      tuning: { retentionFirstMs: 3_600_000, retention: { stepRows: 10, stepGapMs: 1 } },
    });
    for (const i of range(100))
      store.requestLog.record({ time: Date.now() + i, outcome: 'ok', latencyMs: 1 });
    store.requestLog.flush();
    // Retention's timers do not keep a process alive (the listeners do, in the server); this stands in for them.
    const keepAlive = setInterval(() => {}, 1_000);
    const cycle = new Promise<number>((resolve) => store.retention.onCycle(resolve));
    store.applyOptions({ log_retention_days: 30, log_max_rows: 25 });
    assert.equal(await cycle, 75);
    clearInterval(keepAlive);
    assert.equal((await store.queries.page({}, { limit: 500 })).rows.length, 25);
    assert.match(lines.join('\n'), /DEBUG: request log retention: 75 rows deleted/);
    await store.close();
  });
});
