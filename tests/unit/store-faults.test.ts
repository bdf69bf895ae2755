import assert from 'node:assert/strict';
import {
  copyFileSync,
  openSync,
  readdirSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
  closeSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Statement } from 'better-sqlite3';
import Database from 'better-sqlite3';
import { createLogger } from '../../server/src/log.js';
import { Connection } from '../../server/src/store/connection.js';
import { DATABASE_FILE } from '../../server/src/store/db.js';
import { LiveTail } from '../../server/src/store/live-tail.js';
import type { LoggedRequest, RequestLogEntry } from '../../server/src/store/log-entry.js';
import { RequestLogWriter } from '../../server/src/store/request-log.js';
import { openStore } from '../../server/src/store/store.js';
import { tempDirs } from '../support/temp-dirs.js';

const newDir = tempDirs('store-faults');
const entry = (target = 'HassTurnOn'): RequestLogEntry => ({
  time: Date.now(),
  target,
  outcome: 'ok',
  latencyMs: 1,
});
const asideFiles = (dir: string) =>
  readdirSync(dir).filter((f) => /^mcp-server\.db\.damaged-\d{4}-\d\d-\d\dT[\d-]+Z$/.test(f));

function open(dataDir: string) {
  const lines: string[] = [];
  const store = openStore({
    dataDir,
    options: { log_retention_days: 30, log_max_rows: 10_000 },
    log: createLogger('debug', (l) => lines.push(l)),
    tuning: { retentionFirstMs: 3_600_000 },
  });
  return { store, lines };
}

/** A database with a few rows, closed cleanly. */
async function databaseWithRows(dir: string, rows = 200): Promise<string> {
  const { store } = open(dir);
  for (let i = 0; i < rows; i++) store.requestLog.record({ ...entry(), arguments: { pad: 'x'.repeat(500) } });
  await store.close();
  return join(dir, DATABASE_FILE);
}

async function assertStartsAnew(dir: string, reason: RegExp) {
  const { store, lines } = open(dir);
  const errors = lines.filter((l) => l.includes('ERROR'));
  assert.equal(errors.length, 1, lines.join('\n'));
  assert.match(errors[0]!, reason);
  assert.match(errors[0]!, /moved it to .*mcp-server\.db\.damaged-.* and started a new one/);
  assert.equal(asideFiles(dir).length, 1);
  store.requestLog.record(entry('after'));
  assert.equal(store.requestLog.flush(), true);
  assert.deepEqual(
    (await store.queries.page()).rows.map((r) => r.target),
    ['after']
  );
  await store.close();
}

describe('a damaged database file at start', () => {
  it('of garbage bytes is moved aside, and a new one is used', async () => {
    const dir = newDir();
    writeFileSync(join(dir, DATABASE_FILE), Buffer.alloc(64 * 1024, 0x5a));
    await assertStartsAnew(dir, /not an SQLite database/);
  });

  it('cut short is moved aside, and a new one is used', async () => {
    const dir = newDir();
    const file = await databaseWithRows(dir);
    truncateSync(file, Math.floor(statSync(file).size / 2));
    await assertStartsAnew(dir, /truncated/);
  });

  it('written by a newer release is moved aside, and a new one is used', async () => {
    const dir = newDir();
    const file = await databaseWithRows(dir, 1);
    const db = new Database(file);
    db.pragma('user_version = 99');
    db.close();
    await assertStartsAnew(dir, /schema version 99 is newer/);
  });

  it('left with its WAL by a crash is checked, then kept with every committed row', async () => {
    const { dir, file } = await crashedCopy();
    const { store, lines } = open(dir);
    assert.deepEqual(asideFiles(dir), []);
    assert.equal(lines.filter((l) => l.includes('ERROR')).length, 0);
    assert.equal((await store.queries.page({}, { limit: 500 })).rows.length, 205);
    await store.close();
    assert.ok(statSync(file).size > 0);
  });

  it('left with its WAL by a crash, but with damaged pages, is moved aside', async () => {
    const { dir, file } = await crashedCopy();
    const fd = openSync(file, 'r+');
    // Pages 3 onwards: b-tree pages of the log and its indexes. The header (page 1) is left intact.
    writeSync(fd, Buffer.alloc(4096 * 4, 0xa5), 0, 4096 * 4, 4096 * 2);
    closeSync(fd);
    await assertStartsAnew(dir, /quick_check|malformed|corrupt/i);
  });
});

/**
 * The files of a database as a crash leaves them: 200 rows checkpointed into the file, 5 more only in the
 * WAL, copied while the connection is open.
 */
async function crashedCopy(): Promise<{ dir: string; file: string }> {
  const live = newDir();
  await databaseWithRows(live, 200);
  const { store } = open(live);
  for (let i = 0; i < 5; i++) store.requestLog.record(entry());
  store.requestLog.flush();
  const dir = newDir();
  for (const suffix of ['', '-wal'])
    copyFileSync(join(live, DATABASE_FILE + suffix), join(dir, DATABASE_FILE + suffix));
  await store.close();
  assert.ok(statSync(join(dir, DATABASE_FILE + '-wal')).size > 0);
  return { dir, file: join(dir, DATABASE_FILE) };
}

/** Fault injection at the better-sqlite3 boundary: inserting log rows throws the queued errors first. */
class FaultyConnection extends Connection {
  readonly faults: Error[] = [];
  override prepare(sql: string): Statement {
    const statement = super.prepare(sql);
    if (!sql.includes('INSERT INTO request_log')) return statement;
    return new Proxy(statement, {
      get: (target, key) => {
        if (key !== 'run') return Reflect.get(target, key);
        return (...args: unknown[]) => {
          const fault = this.faults.shift();
          if (fault) throw fault;
          return (target.run as (...a: unknown[]) => unknown)(...args);
        };
      },
    });
  }
}

const sqliteError = (code: string, message: string) => Object.assign(new Error(message), { code });

function faulty(tuning = {}) {
  const dir = newDir();
  const lines: string[] = [];
  const log = createLogger('debug', (l) => lines.push(l));
  const connection = new FaultyConnection(join(dir, DATABASE_FILE), log);
  const tail = new LiveTail(log);
  const writer = new RequestLogWriter(connection, tail, log, { retryMinMs: 3_600_000, ...tuning });
  const rows = () =>
    (connection.prepare('SELECT target FROM request_log ORDER BY id').all() as LoggedRequest[]).map(
      (r) => r.target
    );
  return { dir, lines, connection, tail, writer, rows };
}

describe('the request log writer when writes fail (injected at the better-sqlite3 boundary)', () => {
  it('keeps rows through a full disk, warns once, and says when writing works again', () => {
    const t = faulty();
    t.connection.faults.push(...[1, 2, 3].map(() => sqliteError('SQLITE_FULL', 'database or disk is full')));
    t.writer.record(entry('a'));
    assert.equal(t.writer.flush(), false);
    t.writer.record(entry('b'));
    assert.equal(t.writer.flush(), false);
    assert.equal(t.writer.flush(), false);
    assert.deepEqual(t.writer.stats(), {
      queued: 2,
      written: 0,
      dropped: 0,
      failing: 'SQLITE_FULL: database or disk is full',
    });
    assert.equal(t.writer.flush(), true);
    assert.deepEqual(t.rows(), ['a', 'b']);
    assert.deepEqual(
      t.lines.map((l) => l.replace(/^\S+ \S+ /, '')),
      [
        'WARNING: request log: cannot write to the database (SQLITE_FULL: database or disk is full); requests go on, and up to 10000 rows wait in memory until it can',
        'INFO: request log: writing to the database again',
      ]
    );
    t.writer.close();
    t.connection.close();
  });

  it('retries by itself after a delay', async () => {
    const t = faulty({ retryMinMs: 5, retryMaxMs: 5 });
    t.connection.faults.push(sqliteError('SQLITE_IOERR_WRITE', 'disk I/O error'));
    const written = new Promise<LoggedRequest>((resolve) => t.tail.subscribe(resolve));
    // The retry timer does not keep a process alive (the server's listeners do); this stands in for them.
    const keepAlive = setInterval(() => {}, 1_000);
    t.writer.record(entry('retried'));
    assert.equal((await written).target, 'retried');
    clearInterval(keepAlive);
    assert.match(t.lines.join('\n'), /SQLITE_IOERR_WRITE[\s\S]*writing to the database again/);
    t.writer.close();
    t.connection.close();
  });

  it('moves a file SQLite finds damaged mid-run aside, and goes on in a new one', () => {
    const t = faulty();
    t.writer.record(entry('before'));
    t.writer.flush();
    t.connection.faults.push(sqliteError('SQLITE_CORRUPT', 'database disk image is malformed'));
    t.writer.record(entry('after'));
    assert.equal(t.writer.flush(), false);
    assert.equal(asideFiles(t.dir).length, 1);
    assert.equal(t.writer.flush(), true);
    assert.deepEqual(t.rows(), ['after']);
    assert.match(
      t.lines.join('\n'),
      /ERROR: database .* is damaged \(SQLITE_CORRUPT: database disk image is malformed\); moved it to/
    );
    t.writer.close();
    t.connection.close();
  });

  it('drops a batch that fails for another reason than the disk, rather than retry it forever', () => {
    const t = faulty();
    t.connection.faults.push(new TypeError('a bug'));
    t.writer.record(entry('lost'));
    assert.equal(t.writer.flush(), true);
    t.writer.record(entry('next'));
    t.writer.flush();
    assert.deepEqual(t.rows(), ['next']);
    assert.equal(t.writer.stats().dropped, 1);
    assert.match(
      t.lines.join('\n'),
      /ERROR: request log: 1 rows could not be written and were dropped: a bug/
    );
    t.writer.close();
    t.connection.close();
  });

  it('never throws from record(), even while every write fails', () => {
    const t = faulty({ capacity: 3 });
    for (let i = 0; i < 10; i++)
      t.connection.faults.push(sqliteError('SQLITE_READONLY', 'attempt to write a readonly database'));
    assert.doesNotThrow(() => {
      for (let i = 0; i < 10; i++) {
        t.writer.record(entry(`r${i}`));
        t.writer.flush();
      }
    });
    assert.equal(t.writer.stats().dropped, 7);
    assert.equal(
      t.lines.filter((l) => l.includes('WARNING')).length,
      2,
      'one for the failure, one for the drops'
    );
    t.writer.close();
    t.connection.close();
  });
});
