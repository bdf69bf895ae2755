import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { createLogger } from '../../server/src/log.js';
import { openDatabase } from '../../server/src/store/db.js';
import { migrate, MIGRATIONS, SCHEMA_VERSION, schemaVersion } from '../../server/src/store/migrations.js';

const root = mkdtempSync(join(tmpdir(), 'store-migrations-'));
after(() => rmSync(root, { recursive: true, force: true }));
let files = 0;
const newFile = () => join(root, `db-${++files}.db`);
const quiet = createLogger('error', () => {});

/** Everything that defines the schema, in a stable order, to compare an upgraded file with a new one. */
function schemaOf(db: Database.Database): string[] {
  return (
    db
      .prepare("SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
      .all() as {
      type: string;
      name: string;
      sql: string;
    }[]
  ).map((r) => `${r.type} ${r.name}: ${r.sql.replace(/\s+/g, ' ')}`);
}

/** Rows as each version's schema holds them, to check that an upgrade keeps what was there. */
const SEEDS: Record<number, (db: Database.Database) => number> = {
  0: () => 0,
  1: (db) => {
    const insert = db.prepare(
      `INSERT INTO request_log (time, user_id, user_name, client_name, client_version, user_agent, method,
         target, outcome, latency_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
    );
    insert.run(
      1_000,
      'u-alice',
      'Alice',
      'Claude',
      '1.0',
      'claude/1',
      'tools/call',
      'HassTurnOn',
      'ok',
      12.5
    );
    insert.run(
      2_000,
      'u-alice',
      'Alice B.',
      'Claude',
      '1.0',
      'claude/1',
      'tools/call',
      'HassTurnOn',
      'tool_error',
      3
    );
    insert.run(3_000, null, null, null, null, 'curl/8', null, null, 'auth_failed', 0.4);
    return 3;
  },
};
const seedFor = (version: number) =>
  SEEDS[
    Math.max(
      ...Object.keys(SEEDS)
        .map(Number)
        .filter((v) => v <= version)
    )
  ]!;

describe('database migrations', () => {
  it('are numbered 1, 2, 3... in order, each with its SQL', () => {
    assert.deepEqual(
      MIGRATIONS.map((m) => m.version),
      MIGRATIONS.map((_, i) => i + 1)
    );
    for (const m of MIGRATIONS) assert.ok(m.sql.trim() && m.summary);
  });

  it('create a new file in WAL mode with incremental auto-vacuum, foreign keys and NORMAL sync', () => {
    const db = openDatabase(newFile(), quiet);
    try {
      assert.equal(schemaVersion(db), SCHEMA_VERSION);
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(db.pragma('auto_vacuum', { simple: true }), 2);
      assert.equal(db.pragma('synchronous', { simple: true }), 1);
      assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
      assert.ok((db.pragma('busy_timeout', { simple: true }) as number) > 0);
    } finally {
      db.close();
    }
  });

  for (let from = 0; from < SCHEMA_VERSION; from++) {
    it(`upgrade a file at version ${from} to ${SCHEMA_VERSION}, keeping its rows`, () => {
      const fresh = openDatabase(newFile(), quiet);
      const expected = schemaOf(fresh);
      fresh.close();

      const file = newFile();
      const old = new Database(file);
      migrate(old, from);
      assert.equal(schemaVersion(old), from);
      const seeded = seedFor(from)(old);
      old.close();

      const db = openDatabase(file, quiet);
      try {
        assert.equal(schemaVersion(db), SCHEMA_VERSION);
        assert.deepEqual(schemaOf(db), expected);
        assert.equal((db.prepare('SELECT count(*) AS n FROM request_log').get() as { n: number }).n, seeded);
      } finally {
        db.close();
      }
    });
  }

  it('fill the clients table from the request log already there (version 1 to 2)', () => {
    const file = newFile();
    const old = new Database(file);
    migrate(old, 1);
    SEEDS[1]!(old);
    migrate(old, 2);
    assert.deepEqual(old.prepare('SELECT * FROM clients').all(), [
      {
        user_id: 'u-alice',
        name: 'Claude',
        version: '1.0',
        user_name: 'Alice B.',
        user_agent: 'claude/1',
        first_seen: 1_000,
        last_seen: 2_000,
        calls: 2,
        errors: 1,
      },
    ]);
    old.close();
  });

  it('apply each step with its version bump in one transaction: a failing step changes nothing', () => {
    const db = new Database(newFile());
    migrate(db);
    const broken = [
      ...MIGRATIONS,
      { version: SCHEMA_VERSION + 1, summary: 'broken', sql: 'CREATE TABLE half (a); SELEC' },
    ];
    assert.throws(() => migrate(db, SCHEMA_VERSION + 1, broken), /syntax error/);
    assert.equal(schemaVersion(db), SCHEMA_VERSION);
    assert.deepEqual(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'half'").all(), []);
    db.close();
  });
});
