/**
 * Opening the database file: checks that it is one, sets the pragmas, applies migrations. A file that
 * cannot be used (garbage, truncated, damaged, or written by a newer release) is moved aside under a
 * timestamped name with one log line, and a new file takes its place: the log is history, and the server
 * must start without the owner's help. Problems with the disk itself (read-only, full, missing) are not
 * damage: they are thrown for the caller to retry, and nothing is moved.
 */
import { closeSync, existsSync, openSync, readSync, renameSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Logger } from '../log.js';
import { migrate, NewerSchemaError } from './migrations.js';
import { restoreSnapshot } from './snapshot.js';

export const DATABASE_FILE = 'mcp-server.db';

/** The WAL is truncated back to this after a checkpoint, so one burst (or a long backup read) does not keep it big. */
const JOURNAL_SIZE_LIMIT = 8 * 1024 * 1024;
/** How long a statement waits for another connection's lock (the backup command's) before failing. */
const BUSY_TIMEOUT_MS = 2000;
const SQLITE_MAGIC = 'SQLite format 3\0';

/** A file that is not a usable database; thrown by our own checks, alongside SQLite's SQLITE_CORRUPT. */
export class DamagedDatabaseError extends Error {
  override name = 'DamagedDatabaseError';
}

/** SQLite's result code (`SQLITE_FULL`, `SQLITE_READONLY_DBMOVED`, ...) or Node's (`EROFS`), if the error has one. */
export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isDamage(err: unknown): boolean {
  if (err instanceof DamagedDatabaseError || err instanceof NewerSchemaError) return true;
  const code = errorCode(err);
  return code !== undefined && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

/** One line for the log: the code when there is one, and the message. */
export function describeError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const code = errorCode(err);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}

export function openDatabase(
  file: string,
  log: Logger,
  now: () => Date = () => new Date()
): Database.Database {
  restoreSnapshot(file, log);
  try {
    return openChecked(file);
  } catch (err) {
    if (!isDamage(err)) throw err;
    const aside = moveAside(file, now());
    log.error(
      `database ${file} cannot be used (${describeError(err)}); moved it to ${aside} and started a new one`
    );
    return openChecked(file);
  }
}

/** Renames the file and its WAL and shared-memory files to `<file>.damaged-<time>`; returns the new name. */
export function moveAside(file: string, at: Date): string {
  const aside = `${file}.damaged-${at.toISOString().replace(/[:.]/g, '-')}`;
  renameSync(file, aside);
  // The old WAL must go with it: SQLite would replay its frames into the new file.
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(file + suffix)) renameSync(file + suffix, aside + suffix);
  }
  return aside;
}

function openChecked(file: string): Database.Database {
  const walLeft = existsSync(file + '-wal') && statSync(file + '-wal').size > 0;
  // With a WAL left by an unclean stop the file alone may legitimately look short; quick_check decides then.
  if (!walLeft) checkHeader(file);
  const db = new Database(file);
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Only takes effect before the first table exists, i.e. on a new file; lets retention give pages back.
    db.pragma('auto_vacuum = INCREMENTAL');
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal')
      throw new Error(`the database could not switch to WAL mode (it is in ${String(mode)})`);
    // In WAL mode NORMAL loses no committed transaction on a crash of the process, only on power loss.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT}`);
    if (walLeft) {
      const check = db.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new DamagedDatabaseError(`quick_check: ${String(check)}`);
    }
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Cheap checks on the header, before SQLite sees the file: right magic, and not shorter than it says. */
function checkHeader(file: string): void {
  if (!existsSync(file)) return;
  const size = statSync(file).size;
  if (size === 0) return; // SQLite treats an empty file as a new database
  const header = Buffer.alloc(100);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, header, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  if (size < 100 || header.toString('latin1', 0, 16) !== SQLITE_MAGIC) {
    throw new DamagedDatabaseError('not an SQLite database');
  }
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  const pageCount = header.readUInt32BE(28);
  // The page count in the header is only meaningful when its "valid for" counter matches the change counter.
  const countValid = header.readUInt32BE(92) === header.readUInt32BE(24);
  if (countValid && pageCount > 0 && size < pageCount * pageSize) {
    throw new DamagedDatabaseError(`truncated: ${size} bytes where the header says ${pageCount * pageSize}`);
  }
}
