import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csvCell, csvRow, CSV_COLUMNS, CSV_HEADER } from '../../server/src/admin/csv.js';
import { tailResponse } from '../../server/src/admin/log-tail.js';
import type { ClientRow } from '../../server/src/admin/contract.js';
import { listen } from '../../server/src/http/listen.js';
import { LiveTail } from '../../server/src/store/live-tail.js';
import type { LoggedRequest } from '../../server/src/store/log-entry.js';
import { StoreUnavailableError, type LogQueries } from '../../server/src/store/queries.js';
import { freePort } from '../support/ports.js';
import { adminWorld, openTestStore, quiet, record } from '../support/admin-fixture.js';
import { SseReader } from '../support/mcp-fixture.js';

interface Page {
  rows: LoggedRequest[];
  next: string | null;
}

const T0 = Date.parse('2026-11-23T20:00:00Z');

async function json<T>(res: Response): Promise<T> {
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as T;
}

/** RFC 4180 CSV back into rows of cells (quotes, doubled quotes, commas and line breaks in fields). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') ((cell += '"'), i++);
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') (row.push(cell), (cell = ''));
    else if (ch === '\r' && text[i + 1] === '\n') {
      (row.push(cell), rows.push(row), (row = []), (cell = ''), i++);
    } else cell += ch;
  }
  if (cell || row.length) (row.push(cell), rows.push(row));
  return rows;
}

const loggedRow = (over: Partial<LoggedRequest>): LoggedRequest => ({
  id: 1,
  time: T0,
  address: '192.0.2.1',
  userId: 'u-owner',
  userName: 'owner',
  auth: 'long_lived_token',
  clientName: 'Claude',
  clientVersion: '1.0',
  userAgent: 'claude-desktop',
  protocolVersion: '2025-11-25',
  method: 'tools/call',
  target: 'HassTurnOn',
  arguments: '{"name":"Lamp"}',
  outcome: 'ok',
  httpStatus: 200,
  errorCode: null,
  error: null,
  latencyMs: 12.5,
  responseBytes: 321,
  approval: null,
  approvalChannel: null,
  approvalBy: null,
  approvalMs: null,
  ...over,
});

describe('GET /api/admin/logs', () => {
  it('pages the request log newest first with the filters the panel sends, cursor to cursor', async () => {
    const world = adminWorld();
    record(world.store, [
      { time: T0, userId: 'u-guest', outcome: 'tool_error', target: 'HassTurnOn' },
      { time: T0 + 1, userId: 'u-guest', outcome: 'ok' },
      { time: T0 + 2, userId: 'u-guest', outcome: 'rpc_error', target: 'HassTurnOff' },
      { time: T0 + 3, userId: 'u-owner', outcome: 'tool_error' },
      { time: T0 + 4, userId: 'u-guest', outcome: 'tool_error', clientName: 'Cursor' },
    ]);
    const base = '/api/admin/logs?user=u-guest&outcome=tool_error,rpc_error&limit=2';
    const first = await json<Page>(await world.call(base, { user: 'guest' }));
    assert.deepEqual(
      first.rows.map((r) => r.time),
      [T0 + 4, T0 + 2]
    );
    assert.ok(first.next);
    const second = await json<Page>(
      await world.call(`${base}&cursor=${encodeURIComponent(first.next)}`, { user: 'guest' })
    );
    assert.deepEqual(
      second.rows.map((r) => r.time),
      [T0]
    );
    assert.equal(second.next, null);

    const byClient = await json<Page>(await world.call('/api/admin/logs?client=Cursor', { user: 'guest' }));
    assert.deepEqual(
      byClient.rows.map((r) => r.clientName),
      ['Cursor']
    );
    const byTool = await json<Page>(await world.call('/api/admin/logs?tool=HassTurnOff', { user: 'guest' }));
    assert.equal(byTool.rows.length, 1);
    const range = await json<Page>(
      await world.call(`/api/admin/logs?from=${new Date(T0 + 1).toISOString()}&to=${T0 + 3}&user=&q=`, {
        user: 'guest',
      })
    );
    assert.deepEqual(
      range.rows.map((r) => r.time),
      [T0 + 2, T0 + 1]
    );
    const text = await json<Page>(await world.call('/api/admin/logs?q=hassturnoff', { user: 'guest' }));
    assert.deepEqual(
      text.rows.map((r) => r.target),
      ['HassTurnOff']
    );
  });

  it('refuses parameters it cannot read, naming them', async () => {
    const world = adminWorld();
    const cases: [string, string][] = [
      ['outcome=ok,fine', 'outcome'],
      ['cursor=yesterday', 'cursor'],
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['from=last+week', 'from'],
    ];
    for (const [query, field] of cases) {
      const res = await world.call(`/api/admin/logs?${query}`, { user: 'guest' });
      assert.equal(res.status, 400, query);
      assert.equal(((await res.json()) as { field: string }).field, field, query);
    }
  });

  it('answers 503 while the request log cannot be read', async () => {
    const unavailable = async () => {
      throw new StoreUnavailableError('the request log is unavailable: disk I/O error');
    };
    const queries: LogQueries = {
      page: unavailable,
      clientFigures: unavailable,
      toolFigures: unavailable,
      seenClients: unavailable,
    };
    const world = adminWorld({ overrides: { store: { queries, tail: new LiveTail(quiet) } } });
    for (const path of [
      '/api/admin/logs',
      '/api/admin/logs/export',
      '/api/admin/clients',
      '/api/admin/tools-usage',
    ]) {
      const res = await world.call(path, { user: 'guest' });
      assert.equal(res.status, 503, path);
      assert.match(((await res.json()) as { error: string }).error, /request log is unavailable/);
    }
    const overview = await json<{ requests: unknown; entities: unknown }>(
      await world.call('/api/admin/overview', { user: 'guest' })
    );
    assert.equal(overview.requests, null);
    assert.notEqual(overview.entities, null);
  });
});

describe('CSV', () => {
  it('quotes commas, quotes and line breaks, and defuses cells a spreadsheet would run', () => {
    assert.equal(csvCell('plain'), 'plain');
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('two\nlines'), '"two\nlines"');
    assert.equal(csvCell('=HYPERLINK("http://evil")'), `"'=HYPERLINK(""http://evil"")"`);
    for (const risky of ['+1', '-1+2', '@SUM(A1)', '\tx']) assert.equal(csvCell(risky)[0], "'", risky);
    assert.equal(csvCell(-32601), '-32601', 'numbers stay numbers');
    assert.equal(csvCell(null), '');
    assert.equal(csvCell(undefined), '');
  });

  it('writes a row per request, in the header’s columns, time as an ISO date', () => {
    const row = loggedRow({
      arguments: '{"name":"Lamp, \\"big\\"","note":"line1\\nline2"}',
      error: "=cmd|' /C calc'!A0",
      outcome: 'tool_error',
    });
    const [header, cells] = parseCsv(CSV_HEADER.slice(1) + csvRow(row));
    assert.deepEqual(header, [...CSV_COLUMNS]);
    const byColumn = Object.fromEntries(header!.map((column, i) => [column, cells![i]]));
    assert.equal(byColumn.time, '2026-11-23T20:00:00.000Z');
    assert.equal(byColumn.arguments, row.arguments);
    assert.equal(byColumn.error, `'${row.error}`);
    assert.equal(byColumn.latencyMs, '12.5');
    assert.equal(byColumn.errorCode, '');
    assert.ok(CSV_HEADER.startsWith('\ufeff'));
  });
});

describe('GET /api/admin/logs/export', () => {
  it('downloads every matching row as CSV, page after page, newest first, up to the bound', async () => {
    const world = adminWorld({ overrides: { tuning: { exportMaxRows: 1_100 } } });
    const entries = Array.from({ length: 1_205 }, (_, i) => ({
      time: T0 + i,
      target: i % 2 ? 'HassTurnOn' : 'HassTurnOff',
      arguments: { name: `Lamp, number "${i}"` },
    }));
    record(world.store, entries);

    const all = await world.call('/api/admin/logs/export?format=csv', { user: 'admin' });
    assert.equal(all.status, 200);
    assert.equal(all.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.match(
      all.headers.get('content-disposition')!,
      /^attachment; filename="mcp-requests-\d{8}-\d{6}\.csv"$/
    );
    const bytes = new Uint8Array(await all.arrayBuffer());
    assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf], 'a UTF-8 byte-order mark first');
    const rows = parseCsv(new TextDecoder().decode(bytes));
    assert.deepEqual(rows[0], [...CSV_COLUMNS]);
    assert.equal(rows.length - 1, 1_100, 'bounded');
    const times = rows.slice(1).map((r) => Date.parse(r[1]!));
    assert.equal(times[0], T0 + 1_204);
    assert.ok(
      times.every((t, i) => i === 0 || t < times[i - 1]!),
      'newest first'
    );
    assert.equal(rows[1]![CSV_COLUMNS.indexOf('arguments')], '{"name":"Lamp, number \\"1204\\""}');

    const filtered = await world.call('/api/admin/logs/export?format=csv&tool=HassTurnOff', {
      user: 'admin',
    });
    const off = parseCsv(await filtered.text()).slice(1);
    assert.equal(off.length, 603);
    assert.ok(off.every((r) => r[CSV_COLUMNS.indexOf('target')] === 'HassTurnOff'));
  });

  it('downloads JSON: one array of the rows the log page shows', async () => {
    const world = adminWorld();
    record(
      world.store,
      Array.from({ length: 501 }, (_, i) => ({ time: T0 + i }))
    );
    const res = await world.call('/api/admin/logs/export?format=json', { user: 'admin' });
    assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
    const rows = JSON.parse(await res.text()) as LoggedRequest[];
    assert.equal(rows.length, 501);
    const page = await json<Page>(await world.call('/api/admin/logs?limit=1', { user: 'admin' }));
    assert.deepEqual(rows[0], page.rows[0]);

    const empty = await world.call('/api/admin/logs/export?format=json&client=Nobody', { user: 'admin' });
    assert.deepEqual(JSON.parse(await empty.text()), []);
    const bad = await world.call('/api/admin/logs/export?format=xml', { user: 'admin' });
    assert.equal(bad.status, 400);
  });
});

describe('GET /api/admin/logs/tail (Server-Sent Events)', () => {
  it('pushes each new matching row over a real connection, and unsubscribes when the client goes', async () => {
    const liveTail = new LiveTail(quiet);
    let unsubscribed!: () => void;
    const gone = new Promise<void>((resolve) => (unsubscribed = resolve));
    const tail = {
      subscribe(listener: (row: LoggedRequest) => void) {
        const stop = liveTail.subscribe(listener);
        return () => {
          stop();
          unsubscribed();
        };
      },
    };
    const app = adminWorld({
      mode: 'standalone',
      overrides: { store: { queries: openTestStore().queries, tail }, tuning: { keepAliveMs: 20 } },
    }).app;
    const listener = await listen('admin', app, '127.0.0.1', await freePort());
    try {
      const res = await fetch(`http://127.0.0.1:${listener.port}/api/admin/logs/tail?outcome=tool_error`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
      assert.equal(res.headers.get('x-accel-buffering'), 'no');
      assert.equal(res.headers.get('cache-control'), 'no-store');
      const events = new SseReader(res.body!);
      assert.equal((await events.nextEvent())?.event, 'ready');
      assert.equal(liveTail.size, 1);

      liveTail.publish([loggedRow({ id: 7, outcome: 'ok' }), loggedRow({ id: 8, outcome: 'tool_error' })]);
      const pushed = await events.nextEvent();
      assert.equal(pushed?.event, 'row');
      assert.deepEqual(JSON.parse(pushed.data!), loggedRow({ id: 8, outcome: 'tool_error' }));

      // A quiet stream carries keep-alive comments.
      let comment = await events.next();
      while (comment && !comment.comment) comment = await events.next();
      assert.equal(comment?.comment, 'keep-alive');

      await events.cancel();
      await gone;
      assert.equal(liveTail.size, 0);
    } finally {
      // fetch leaves a spare idle connection behind a cancelled stream; no need to wait for it.
      await listener.close(0);
    }
  });

  it('sends a named event at once, before any row or keep-alive, so the panel can tell a held-back stream', async () => {
    // EventSource never shows comments to the page: only a named event proves the stream reaches it.
    const world = adminWorld({ mode: 'standalone', overrides: { tuning: { keepAliveMs: 60_000 } } });
    const listener = await listen('admin', world.app, '127.0.0.1', await freePort());
    try {
      const started = performance.now();
      const res = await fetch(`http://127.0.0.1:${listener.port}/api/admin/logs/tail`, {
        signal: AbortSignal.timeout(5_000),
      });
      assert.deepEqual(await new SseReader(res.body!).next(), { event: 'ready', data: '{}' });
      const waited = performance.now() - started;
      assert.ok(waited < 1_000, `the first event took ${Math.round(waited)} ms`);
    } finally {
      await listener.close(0);
    }
  });

  it('pushes rows as the store commits them', async () => {
    const world = adminWorld({ mode: 'standalone' });
    const listener = await listen('admin', world.app, '127.0.0.1', await freePort());
    try {
      const res = await fetch(`http://127.0.0.1:${listener.port}/api/admin/logs/tail?client=Cursor`);
      const events = new SseReader(res.body!);
      assert.equal((await events.nextEvent())?.event, 'ready');
      record(world.store, [{ clientName: 'Claude' }, { clientName: 'Cursor', target: 'HassLightSet' }]);
      const row = JSON.parse((await events.nextEvent())!.data!) as LoggedRequest;
      assert.deepEqual([row.clientName, row.target], ['Cursor', 'HassLightSet']);
      await events.cancel();
    } finally {
      await listener.close();
    }
  });

  it('ends the stream when the server stops', async () => {
    const stopping = new AbortController();
    const world = adminWorld({ mode: 'standalone', overrides: { signal: stopping.signal } });
    const listener = await listen('admin', world.app, '127.0.0.1', await freePort());
    const res = await fetch(`http://127.0.0.1:${listener.port}/api/admin/logs/tail`);
    const events = new SseReader(res.body!);
    assert.equal((await events.nextEvent())?.event, 'ready');
    stopping.abort();
    assert.equal(await events.nextEvent(), undefined);
    await listener.close();
  });

  it('drops rows for a client that does not read, and says how many', async () => {
    const liveTail = new LiveTail(quiet);
    const res = tailResponse(liveTail, {}, { maxQueued: 2 });
    liveTail.publish([loggedRow({ id: 1 }), loggedRow({ id: 2 }), loggedRow({ id: 3 })]);
    const events = new SseReader(res.body!);
    assert.equal((await events.nextEvent())?.event, 'ready');
    assert.equal((await events.nextEvent())?.data, JSON.stringify(loggedRow({ id: 1 })));
    liveTail.publish([loggedRow({ id: 4 })]);
    const gap = await events.nextEvent();
    assert.deepEqual([gap?.event, JSON.parse(gap!.data!)], ['gap', { dropped: 2 }]);
    assert.equal(JSON.parse((await events.nextEvent())!.data!).id, 4);
    await events.cancel();
    assert.equal(liveTail.size, 0);
  });
});

describe('GET /api/admin/clients and /api/admin/tools-usage', () => {
  it('lists each client with its totals and the range’s calls, errors and latencies', async () => {
    const world = adminWorld();
    const now = Date.now();
    record(world.store, [
      { time: now - 3 * 86_400_000, clientName: 'Claude', clientVersion: '0.9', latencyMs: 100 },
      { time: now - 3_000, clientName: 'Claude', clientVersion: '1.0', latencyMs: 10 },
      { time: now - 2_000, clientName: 'Claude', clientVersion: '1.0', latencyMs: 30, outcome: 'tool_error' },
      { time: now - 1_000, clientName: 'Cursor', userId: 'u-guest', userName: 'guest', latencyMs: 5 },
      { time: now - 500, clientName: null, method: 'tools/list', target: null, latencyMs: 1 },
    ]);
    const body = await json<{ from: number; to: null; clients: ClientRow[] }>(
      await world.call('/api/admin/clients', { user: 'admin' })
    );
    assert.ok(body.from <= now - 86_400_000 + 60_000 && body.from >= now - 86_400_000 - 60_000);
    const byName = Object.fromEntries(body.clients.map((c) => [String(c.name), c]));
    assert.deepEqual(Object.keys(byName).sort(), ['Claude', 'Cursor', 'null']);
    const claude = byName.Claude!;
    assert.deepEqual(claude.versions, ['1.0', '0.9']);
    assert.equal(claude.version, '1.0');
    assert.deepEqual(claude.total, { calls: 3, errors: 1 });
    assert.deepEqual(
      { ...claude.range, lastSeen: 0 },
      { calls: 2, errors: 1, lastSeen: 0, p50Ms: 10, p95Ms: 10 }
    );
    assert.deepEqual(byName.null!.total, null);
    assert.equal(byName.null!.range?.calls, 1);
    assert.equal(byName.Cursor!.userName, 'guest');

    const week = await json<{ clients: ClientRow[] }>(
      await world.call(`/api/admin/clients?from=${now - 7 * 86_400_000}`, { user: 'admin' })
    );
    assert.equal(week.clients.find((c) => c.name === 'Claude')!.range!.calls, 3);
  });

  it('gives per-tool figures over the range', async () => {
    const world = adminWorld();
    const now = Date.now();
    record(world.store, [
      { time: now - 100, target: 'HassTurnOn' },
      { time: now - 90, target: 'HassTurnOn', outcome: 'tool_error' },
      { time: now - 80, target: 'GetLiveContext' },
      { time: now - 70, method: 'tools/list', target: null },
    ]);
    const body = await json<{ tools: { tool: string; calls: number; errors: number }[] }>(
      await world.call('/api/admin/tools-usage', { user: 'admin' })
    );
    assert.deepEqual(
      body.tools.map((t) => [t.tool, t.calls, t.errors]),
      [
        ['HassTurnOn', 2, 1],
        ['GetLiveContext', 1, 0],
      ]
    );
  });
});
