import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createLogger } from '../../server/src/log.js';
import {
  Checkpointer,
  FALLBACK_CHECKPOINT_PAGES,
  type CheckpointResult,
} from '../../server/src/store/checkpointer.js';
import { Connection } from '../../server/src/store/connection.js';
import { DATABASE_FILE } from '../../server/src/store/db.js';
import { LiveTail } from '../../server/src/store/live-tail.js';
import { RequestLogWriter } from '../../server/src/store/request-log.js';
import { openStore } from '../../server/src/store/store.js';

const root = mkdtempSync(join(tmpdir(), 'store-checkpointer-'));
after(() => rmSync(root, { recursive: true, force: true }));
const quiet = createLogger('error', () => {});

describe('WAL checkpoints', () => {
  it('run in a worker thread, the main connection keeping its own only as a fallback', async () => {
    const connection = new Connection(join(root, 'worker.db'), quiet);
    const checkpointer = new Checkpointer(connection, quiet, 10);
    checkpointer.start();
    const writer = new RequestLogWriter(connection, new LiveTail(quiet), quiet);
    for (let i = 0; i < 200; i++)
      writer.record({ time: i, outcome: 'ok', latencyMs: 1, arguments: { pad: 'p'.repeat(1_000) } });
    writer.flush();
    assert.equal(
      connection.current!.pragma('wal_autocheckpoint', { simple: true }),
      FALLBACK_CHECKPOINT_PAGES
    );
    // The worker does not keep a process alive (the server's listeners do); this stands in for them.
    const keepAlive = setInterval(() => {}, 1_000);
    const complete = await new Promise<CheckpointResult>((resolve) =>
      checkpointer.onCheckpoint((result) => {
        if (result.log > 0 && result.checkpointed === result.log) resolve(result);
      })
    );
    clearInterval(keepAlive);
    assert.equal(complete.busy, 0);
    await checkpointer.stop();
    writer.close();
    connection.close();
  });

  it('stop before the main connection closes, so that it closes last and removes the WAL', async () => {
    const dataDir = join(root, 'store');
    const store = openStore({
      dataDir,
      options: { log_retention_days: 30, log_max_rows: 1_000 },
      log: quiet,
      tuning: { retentionFirstMs: 3_600_000, checkpointMs: 5 },
    });
    store.requestLog.record({ time: 1, outcome: 'ok', latencyMs: 1 });
    store.requestLog.flush();
    assert.ok(existsSync(join(dataDir, `${DATABASE_FILE}-wal`)));
    await store.close();
    assert.equal(existsSync(join(dataDir, `${DATABASE_FILE}-wal`)), false);
  });
});
