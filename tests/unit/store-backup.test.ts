import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { createLogger } from '../../server/src/log.js';
import { DATABASE_FILE } from '../../server/src/store/db.js';
import { removeSnapshot, SNAPSHOT_FILE, writeSnapshot } from '../../server/src/store/snapshot.js';
import { openStore } from '../../server/src/store/store.js';
import { tempDirs } from '../support/temp-dirs.js';
import { at } from '../support/paths.js';

const newDir = tempDirs('store-backup');

function open(dataDir: string, lines: string[] = []) {
  return openStore({
    dataDir,
    options: { log_retention_days: 30, log_max_rows: 10_000 },
    log: createLogger('debug', (l) => lines.push(l)),
    tuning: { retentionFirstMs: 3_600_000 },
  });
}

const record = (store: ReturnType<typeof open>, n: number) => {
  for (let i = 0; i < n; i++)
    store.requestLog.record({ time: Date.now(), target: `t${i}`, outcome: 'ok', latencyMs: 1 });
  store.requestLog.flush();
};

const rowsIn = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return {
      rows: (db.prepare('SELECT count(*) AS n FROM request_log').get() as { n: number }).n,
      check: db.pragma('integrity_check', { simple: true }),
    };
  } finally {
    db.close();
  }
};

function backupCommand(command: string, dataDir: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', at('server/src/store/backup.ts'), command], {
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir },
    encoding: 'utf8',
  });
}

describe('database backups', () => {
  it('snapshot every committed row into one self-contained file while the server keeps writing', async () => {
    const dir = newDir();
    const store = open(dir);
    record(store, 30);
    assert.ok(existsSync(join(dir, `${DATABASE_FILE}-wal`)), 'rows are still in the WAL');
    assert.equal(writeSnapshot(join(dir, DATABASE_FILE)), true);
    record(store, 5);
    // What the Supervisor keeps: the snapshot alone, without the live files it excludes.
    const restored = newDir();
    copyFileSync(join(dir, SNAPSHOT_FILE), join(restored, SNAPSHOT_FILE));
    assert.deepEqual(rowsIn(join(restored, SNAPSHOT_FILE)), { rows: 30, check: 'ok' });
    removeSnapshot(join(dir, DATABASE_FILE));
    assert.equal(existsSync(join(dir, SNAPSHOT_FILE)), false);
    await store.close();
  });

  it('after a restore, start from the snapshot', async () => {
    const dir = newDir();
    const store = open(dir);
    record(store, 12);
    writeSnapshot(join(dir, DATABASE_FILE));
    await store.close();
    const restored = newDir();
    copyFileSync(join(dir, SNAPSHOT_FILE), join(restored, SNAPSHOT_FILE));
    const lines: string[] = [];
    const reopened = open(restored, lines);
    assert.equal((await reopened.queries.page({}, { limit: 500 })).rows.length, 12);
    assert.match(lines.join('\n'), /INFO: database restored from the backup snapshot/);
    await reopened.close();
    assert.deepEqual(readdirSync(restored).sort(), [DATABASE_FILE]);
  });

  it('drop a snapshot left by a backup that did not finish, keeping the live database', async () => {
    const dir = newDir();
    const store = open(dir);
    record(store, 3);
    writeSnapshot(join(dir, DATABASE_FILE));
    record(store, 2);
    await store.close();
    const reopened = open(dir);
    assert.equal((await reopened.queries.page()).rows.length, 5);
    assert.equal(existsSync(join(dir, SNAPSHOT_FILE)), false);
    await reopened.close();
  });

  it('run as the add-on hooks: backup.js pre, then post', async () => {
    const dir = newDir();
    assert.match(backupCommand('pre', dir).stdout, /no database yet/);
    const store = open(dir);
    record(store, 4);
    const pre = backupCommand('pre', dir);
    assert.equal(pre.status, 0, pre.stderr);
    assert.match(pre.stdout, /INFO: backup: database snapshot written in \d+ ms/);
    assert.deepEqual(rowsIn(join(dir, SNAPSHOT_FILE)), { rows: 4, check: 'ok' });
    const post = backupCommand('post', dir);
    assert.equal(post.status, 0, post.stderr);
    assert.equal(existsSync(join(dir, SNAPSHOT_FILE)), false);
    assert.equal(backupCommand('sideways', dir).status, 2);
    await store.close();
  });
});
