/**
 * Backups. The Supervisor tars /data while the add-on runs; a copy of a live SQLite file taken that way
 * can be torn (a checkpoint writing pages while tar reads them). So the live files are excluded from the
 * backup (config.yaml `backup_exclude`), and `backup_pre` writes a consistent copy beside them with
 * `VACUUM INTO` (one read transaction: the server keeps writing meanwhile), which `backup_post` removes.
 * A restore empties /data and unpacks the backup, so at the next start there is a snapshot and no live
 * file: the snapshot becomes the live file.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from '../log.js';

export const SNAPSHOT_FILE = 'mcp-server.backup.db';

export function snapshotPath(file: string): string {
  return join(dirname(file), SNAPSHOT_FILE);
}

/** Writes the snapshot of `file` (replacing an older one); false when there is no database yet. */
export function writeSnapshot(file: string): boolean {
  if (!existsSync(file)) return false;
  const target = snapshotPath(file);
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 10000');
    db.prepare('VACUUM INTO ?').run(partial);
  } finally {
    db.close();
  }
  // Renamed only once complete, so a backup never holds half a snapshot.
  renameSync(partial, target);
  return true;
}

export function removeSnapshot(file: string): void {
  rmSync(snapshotPath(file), { force: true });
  rmSync(`${snapshotPath(file)}.partial`, { force: true });
}

/** At start: puts a restored snapshot in place, or removes one left behind by a backup that did not finish. */
export function restoreSnapshot(file: string, log: Logger): void {
  const snapshot = snapshotPath(file);
  if (!existsSync(snapshot)) return;
  if (existsSync(file)) {
    removeSnapshot(file);
    return;
  }
  renameSync(snapshot, file);
  log.info(`database restored from the backup snapshot ${snapshot}`);
}
