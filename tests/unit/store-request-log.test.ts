import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createLogger } from '../../server/src/log.js';
import { logRequests } from '../../server/src/request-logging.js';
import type { LoggedRequest, RequestLogEntry } from '../../server/src/store/log-entry.js';
import { openStore, type Store, type StoreConfig } from '../../server/src/store/store.js';

const root = mkdtempSync(join(tmpdir(), 'store-request-log-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;

function open(tuning: StoreConfig['tuning'] = {}, dataDir = join(root, `data-${++dirs}`)) {
  const lines: string[] = [];
  const log = createLogger('debug', (line) => lines.push(line));
  const store = openStore({
    dataDir,
    options: { log_retention_days: 3650, log_max_rows: 1_000_000 },
    log,
    tuning: { retentionFirstMs: 3_600_000, ...tuning },
  });
  return { store, lines, dataDir };
}

const call = (over: Partial<RequestLogEntry> = {}): RequestLogEntry => ({
  time: Date.now(),
  address: '192.168.1.20',
  userId: 'u-alice',
  userName: 'Alice',
  auth: 'oauth_grant',
  clientName: 'Claude',
  clientVersion: '1.2.0',
  userAgent: 'claude-ai/1.2',
  protocolVersion: '2025-06-18',
  method: 'tools/call',
  target: 'HassTurnOn',
  arguments: { name: 'Kitchen light' },
  outcome: 'ok',
  httpStatus: 200,
  latencyMs: 12.75,
  responseBytes: 321,
  ...over,
});

const allRows = async (store: Store) => (await store.queries.page({}, { limit: 500 })).rows;
const nextRow = (store: Store) =>
  new Promise<LoggedRequest>((resolve) => {
    const stop = store.tail.subscribe((row) => {
      stop();
      resolve(row);
    });
  });

describe('request log writer', () => {
  it('writes one row per request with every field, and tells the live tail after the commit', async () => {
    const { store } = open();
    const tailed: LoggedRequest[] = [];
    store.tail.subscribe((row) => tailed.push(row));
    // A call that waited for a person: how that ended round-trips too.
    const entry = call({
      errorCode: null,
      error: null,
      approval: 'allowed',
      approvalChannel: 'phone',
      approvalBy: 'Alice (Pixel 9)',
      approvalMs: 4_200.5,
    });
    store.requestLog.record(entry);
    assert.equal(tailed.length, 0, 'nothing is written on the request path');
    assert.equal(store.requestLog.flush(), true);
    assert.equal(tailed.length, 1);
    const [row] = await allRows(store);
    assert.deepEqual(tailed[0], row);
    assert.ok(row!.id > 0);
    assert.deepEqual(
      { ...row, id: 0 },
      { ...entry, id: 0, arguments: '{"name":"Kitchen light"}', errorCode: null, error: null }
    );
    await store.close();
  });

  it('writes on its own within the interval, without a flush', async () => {
    const { store } = open();
    const written = nextRow(store);
    store.requestLog.record(call({ target: 'GetLiveContext' }));
    assert.equal((await written).target, 'GetLiveContext');
    await store.close();
  });

  it('writes at once when a batch is waiting, without waiting for the interval', async () => {
    const { store } = open({ writer: { batchRows: 10, intervalMs: 3_600_000 } });
    const written = nextRow(store);
    for (let i = 0; i < 10; i++) store.requestLog.record(call({ target: `tool-${i}` }));
    assert.equal((await written).target, 'tool-0');
    assert.equal(store.requestLog.stats().written, 10);
    await store.close();
  });

  it('never keeps a secret argument nor the token of a failed authentication', async () => {
    const { store, dataDir } = open();
    store.requestLog.record(
      call({ arguments: { name: 'door', access_token: 'SECRET-ARG-1', code: 'SECRET-ARG-2' } })
    );
    store.requestLog.record({
      time: Date.now(),
      address: '10.0.0.9',
      userAgent: 'curl/8',
      outcome: 'auth_failed',
      httpStatus: 401,
      error: 'unknown bearer token',
      latencyMs: 0.3,
    });
    await store.close();
    const bytes = readdirSync(dataDir)
      .map((f) => readFileSync(join(dataDir, f)).toString('latin1'))
      .join('');
    assert.doesNotMatch(bytes, /SECRET-ARG/);
    const reopened = open({}, dataDir).store;
    const [failed, ok] = await allRows(reopened);
    assert.equal(failed!.outcome, 'auth_failed');
    assert.equal(failed!.error, 'unknown bearer token');
    assert.equal(failed!.userId, null);
    assert.equal(ok!.arguments, '{"name":"door","access_token":"[redacted]","code":"[redacted]"}');
    await reopened.close();
  });

  it('record() never throws, whatever it is given, and after close()', async () => {
    const { store } = open();
    const hostile = {
      toString() {
        throw new Error('no');
      },
    };
    assert.doesNotThrow(() => {
      store.requestLog.record(null as unknown as RequestLogEntry);
      store.requestLog.record({} as RequestLogEntry);
      store.requestLog.record(call({ target: hostile as unknown as string, latencyMs: NaN, time: Infinity }));
    });
    assert.equal(store.requestLog.flush(), true);
    const rows = await allRows(store);
    assert.equal(rows.length, 3);
    assert.ok(rows.some((r) => r.error === 'unreadable request log entry'));
    await store.close();
    assert.doesNotThrow(() => store.requestLog.record(call()));
  });

  it('keeps its bound when rows pile up: drops the oldest, counts them and says so once', async () => {
    const { store, lines } = open({ writer: { capacity: 5, batchRows: 1_000, intervalMs: 3_600_000 } });
    for (let i = 0; i < 8; i++) store.requestLog.record(call({ target: `tool-${i}` }));
    assert.deepEqual(store.requestLog.stats(), { queued: 5, written: 0, dropped: 3, failing: null });
    assert.equal(lines.filter((l) => l.includes('WARNING')).length, 1);
    assert.match(lines.join('\n'), /5 rows are waiting to be written; dropping the oldest/);
    store.requestLog.flush();
    assert.deepEqual(
      (await allRows(store)).map((r) => r.target),
      ['tool-7', 'tool-6', 'tool-5', 'tool-4', 'tool-3']
    );
    assert.match(lines.at(-1)!, /INFO: request log: 3 rows were dropped because too many were waiting/);
    await store.close();
  });

  it('close() writes what is still queued', async () => {
    const { store, dataDir } = open({ writer: { intervalMs: 3_600_000 } });
    for (let i = 0; i < 3; i++) store.requestLog.record(call());
    await store.close();
    await store.close();
    const reopened = open({}, dataDir).store;
    assert.equal((await allRows(reopened)).length, 3);
    await reopened.close();
  });

  it('keeps the clients seen: calls, errors, first and last seen, latest user name', async () => {
    const { store } = open();
    store.requestLog.record(call({ time: 1_000 }));
    store.requestLog.record(call({ time: 2_000, outcome: 'tool_error' }));
    store.requestLog.flush();
    store.requestLog.record(call({ time: 3_000, userName: 'Alice B.' }));
    store.requestLog.record(
      call({ time: 500, userId: 'u-bob', userName: 'Bob', clientName: 'Cursor', clientVersion: null })
    );
    store.requestLog.record(call({ time: 4_000, userId: null, outcome: 'auth_failed' }));
    store.requestLog.flush();
    assert.deepEqual(await store.queries.seenClients(), [
      {
        userId: 'u-alice',
        userName: 'Alice B.',
        name: 'Claude',
        version: '1.2.0',
        userAgent: 'claude-ai/1.2',
        firstSeen: 1_000,
        lastSeen: 3_000,
        calls: 3,
        errors: 1,
      },
      {
        userId: 'u-bob',
        userName: 'Bob',
        name: 'Cursor',
        version: '',
        userAgent: 'claude-ai/1.2',
        firstSeen: 500,
        lastSeen: 500,
        calls: 1,
        errors: 0,
      },
    ]);
    await store.close();
  });

  it("logs a client's later requests under the name it gave, per user and user agent", async () => {
    const { store } = open();
    const log = logRequests(store);
    const unnamed = { clientName: null, clientVersion: null };
    log(call({ time: 1, method: 'initialize', target: null }));
    log(call({ time: 2, ...unnamed }));
    log(call({ time: 3, ...unnamed, userAgent: 'curl/8' }));
    log(call({ time: 4, ...unnamed, userId: 'u-bob' }));
    store.requestLog.flush();
    const rows = (await allRows(store)).sort((a, b) => a.time - b.time);
    assert.deepEqual(
      rows.map((r) => [r.clientName, r.clientVersion]),
      [
        ['Claude', '1.2.0'],
        ['Claude', '1.2.0'],
        [null, null],
        [null, null],
      ]
    );
    await store.close();
  });
});

describe('request log live tail', () => {
  it('stops at unsubscribe, and drops a listener that throws without stopping the others', async () => {
    const { store, lines } = open();
    const seen: string[] = [];
    const stop = store.tail.subscribe((row) => seen.push(`a:${row.target}`));
    store.tail.subscribe(() => {
      throw new Error('listener bug');
    });
    store.tail.subscribe((row) => seen.push(`c:${row.target}`));
    store.requestLog.record(call({ target: 'one' }));
    store.requestLog.flush();
    stop();
    store.requestLog.record(call({ target: 'two' }));
    store.requestLog.flush();
    assert.deepEqual(seen, ['a:one', 'c:one', 'c:two']);
    assert.equal(store.tail.size, 1);
    assert.equal(lines.filter((l) => /live tail listener failed.*listener bug/.test(l)).length, 1);
    await store.close();
  });
});
