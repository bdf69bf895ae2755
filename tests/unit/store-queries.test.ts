import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../server/src/log.js';
import type { LoggedRequest, RequestLogEntry } from '../../server/src/store/log-entry.js';
import {
  formatCursor,
  parseCursor,
  StoreUnavailableError,
  type LogCursor,
  type LogFilter,
} from '../../server/src/store/queries.js';
import { openStore, type Store } from '../../server/src/store/store.js';

const root = mkdtempSync(join(tmpdir(), 'store-queries-'));
const quiet = createLogger('error', () => {});
let store: Store;

const call = (over: Partial<RequestLogEntry>): RequestLogEntry => ({
  time: 0,
  userId: 'u-alice',
  userName: 'Alice',
  clientName: 'Claude',
  method: 'tools/call',
  target: 'HassTurnOn',
  arguments: { name: 'Kitchen light' },
  outcome: 'ok',
  latencyMs: 1,
  ...over,
});

/** Every page of a query, followed from cursor to cursor. */
async function allPages(
  filter: LogFilter,
  limit: number
): Promise<{ pages: LoggedRequest[][]; rows: LoggedRequest[] }> {
  const pages: LoggedRequest[][] = [];
  let cursor: LogCursor | null = null;
  do {
    const page = await store.queries.page(filter, { cursor, limit });
    pages.push(page.rows);
    cursor = page.next;
  } while (cursor && pages.length < 100);
  return { pages, rows: pages.flat() };
}

before(() => {
  store = openStore({
    dataDir: root,
    options: { log_retention_days: 3650, log_max_rows: 1_000_000 },
    log: quiet,
    tuning: { retentionFirstMs: 3_600_000, textScanRows: 10 },
  });
  // 30 rows, two per millisecond, so pages must tell rows of the same time apart by id.
  for (let i = 0; i < 30; i++) {
    store.requestLog.record(
      call({
        time: 1_000 + Math.floor(i / 2),
        userId: i % 3 === 0 ? 'u-bob' : 'u-alice',
        clientName: i % 2 ? 'Cursor' : 'Claude',
        target: i % 5 === 0 ? 'GetLiveContext' : 'HassTurnOn',
        outcome: i % 7 === 0 ? 'tool_error' : i === 29 ? 'rpc_error' : 'ok',
        error: i % 7 === 0 ? `no device named lamp_${i}` : null,
        arguments: i === 3 ? { name: '100%_sure' } : { name: `Light ${i}` },
        latencyMs: i + 1,
      })
    );
  }
  store.requestLog.record(
    call({ time: 1_020, userId: null, outcome: 'auth_failed', method: null, target: null })
  );
  store.requestLog.flush();
});
after(async () => {
  await store.close();
  rmSync(root, { recursive: true, force: true });
});

describe('request log pages', () => {
  it('run newest first by (time, id), each row once, across pages of equal times', async () => {
    const { pages, rows } = await allPages({}, 7);
    assert.deepEqual(
      pages.map((p) => p.length),
      [7, 7, 7, 7, 3]
    );
    assert.equal(new Set(rows.map((r) => r.id)).size, 31);
    for (let i = 1; i < rows.length; i++) {
      const [a, b] = [rows[i - 1]!, rows[i]!];
      assert.ok(a.time > b.time || (a.time === b.time && a.id > b.id), `row ${i} out of order`);
    }
  });

  it('filter by user, client, target and outcome, together', async () => {
    const { rows } = await allPages({ userId: 'u-bob', clientName: 'Claude', target: 'GetLiveContext' }, 100);
    // i divisible by 3, even, divisible by 5: 0 and 30 (absent): one row.
    assert.deepEqual(
      rows.map((r) => r.latencyMs),
      [1]
    );
    const errors = await allPages({ outcome: ['tool_error', 'rpc_error', 'auth_failed'] }, 100);
    assert.deepEqual(
      errors.rows.map((r) => r.outcome),
      ['auth_failed', 'rpc_error', 'tool_error', 'tool_error', 'tool_error', 'tool_error', 'tool_error']
    );
    assert.equal((await allPages({ outcome: 'rpc_error' }, 100)).rows.length, 1);
  });

  it('filter by time range, from inclusive to exclusive', async () => {
    const { rows } = await allPages({ from: 1_002, to: 1_004 }, 100);
    assert.deepEqual(
      rows.map((r) => r.time),
      [1_003, 1_003, 1_002, 1_002]
    );
  });

  it('search free text in method, target, error and arguments, case-insensitively, % and _ literally', async () => {
    const inError = await allPages({ text: 'LAMP_14' }, 100);
    assert.deepEqual(
      inError.rows.map((r) => r.error),
      ['no device named lamp_14']
    );
    const literal = await allPages({ text: '100%_s' }, 100);
    assert.deepEqual(
      literal.rows.map((r) => r.arguments),
      ['{"name":"100%_sure"}']
    );
    assert.equal((await allPages({ text: '0%' }, 100)).rows.length, 1, '% is not a wildcard');
    assert.equal((await allPages({ text: 'getlivecontext' }, 100)).rows.length, 6);
    assert.equal((await allPages({ text: 'tools/call', userId: 'u-bob' }, 100)).rows.length, 10);
  });

  it('bound a text search: a page looks at a window of rows, and may come back short with a cursor to go on', async () => {
    // The search window is 10 rows here; "Light 1" matches rows 1 and 10-19, i.e. in the 2nd and 3rd windows.
    const first = await store.queries.page({ text: 'light 1' }, { limit: 100 });
    assert.deepEqual(first.rows, []);
    assert.ok(first.next, 'a cursor to search on');
    const { rows } = await allPages({ text: 'light 1' }, 100);
    assert.deepEqual(
      rows.map((r) => r.arguments),
      ['{"name":"Light 19"}', ...[18, 17, 16, 15, 14, 13, 12, 11, 10, 1].map((n) => `{"name":"Light ${n}"}`)]
    );
  });

  it('end with a null cursor', async () => {
    assert.equal((await store.queries.page({ userId: 'nobody' })).next, null);
    assert.equal((await store.queries.page({}, { limit: 500 })).next, null);
  });
});

describe('request log figures', () => {
  it('per tool: calls, errors, last seen and latency percentiles over a time range', async () => {
    const tools = await store.queries.toolFigures({ from: 1_000, to: 1_020 });
    assert.deepEqual(
      tools.map((t) => t.tool),
      ['HassTurnOn', 'GetLiveContext']
    );
    const live = tools[1]!;
    // GetLiveContext: i = 0, 5, 10, 15, 20, 25 with latencies 1, 6, 11, 16, 21, 26; an error at i = 0.
    assert.deepEqual(live, {
      tool: 'GetLiveContext',
      calls: 6,
      errors: 1,
      lastSeen: 1_012,
      p50Ms: 11,
      p95Ms: 21,
    });
    assert.equal(tools[0]!.calls, 24);
  });

  it('per client and user, without failed authentications', async () => {
    const clients = await store.queries.clientFigures({ from: 1_000 });
    assert.deepEqual(clients.map((c) => `${c.clientName}/${c.userId}: ${c.calls}`).sort(), [
      'Claude/u-alice: 10',
      'Claude/u-bob: 5',
      'Cursor/u-alice: 10',
      'Cursor/u-bob: 5',
    ]);
    assert.equal((await store.queries.clientFigures({ from: 2_000 })).length, 0);
  });
});

describe('request log cursors', () => {
  it('go to text and back', () => {
    const cursor = { time: 1_764_000_000_000, id: 42 };
    assert.deepEqual(parseCursor(formatCursor(cursor)), cursor);
    for (const junk of ['', '1.', '.2', '1.2.3', 'a.b', '-1.2', '1e3.2'])
      assert.equal(parseCursor(junk), null);
  });
});

describe('request log queries without a database', () => {
  it('fail with StoreUnavailableError while the file cannot be opened, and logging goes on', async () => {
    const notADir = join(root, 'not-a-directory');
    writeFileSync(notADir, 'a file where the data directory should be');
    const lines: string[] = [];
    const broken = openStore({
      dataDir: notADir,
      options: { log_retention_days: 30, log_max_rows: 1_000 },
      log: createLogger('debug', (l) => lines.push(l)),
    });
    await assert.rejects(broken.queries.page(), StoreUnavailableError);
    await assert.rejects(broken.queries.toolFigures(), StoreUnavailableError);
    assert.doesNotThrow(() => broken.requestLog.record(call({ time: 1 })));
    assert.equal(broken.requestLog.flush(), false);
    assert.equal(lines.filter((l) => l.includes('WARNING')).length, 1);
    assert.match(lines[0]!, /WARNING: request log: cannot write to the database \(SQLITE_CANTOPEN/);
    await broken.close();
  });
});
