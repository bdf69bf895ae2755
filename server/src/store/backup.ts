/**
 * The add-on's backup hooks (config.yaml): `node /app/server/dist/store/backup.js pre|post`.
 * `pre` writes a consistent snapshot of the database for the Supervisor's tar; `post` removes it.
 * The data directory is DATA_DIR, or /data in the add-on. Exit code 0 on success; the Supervisor fails
 * the add-on's backup otherwise, which is right: a backup without the database would lose OAuth grants.
 */
import { join } from 'node:path';
import { createLogger } from '../log.js';
import { DATABASE_FILE } from './db.js';
import { removeSnapshot, writeSnapshot } from './snapshot.js';

const log = createLogger('info');
const command = process.argv[2];
const file = join(process.env.DATA_DIR ?? '/data', DATABASE_FILE);

try {
  if (command === 'pre') {
    const started = performance.now();
    if (writeSnapshot(file)) {
      log.info(`backup: database snapshot written in ${Math.round(performance.now() - started)} ms`);
    } else {
      log.info('backup: no database yet, nothing to snapshot');
    }
  } else if (command === 'post') {
    removeSnapshot(file);
    log.info('backup: database snapshot removed');
  } else {
    log.error('usage: backup.js pre|post');
    process.exitCode = 2;
  }
} catch (err) {
  log.error(`backup: ${command} failed: ${(err as Error).message}`);
  process.exitCode = 1;
}
