/**
 * The store as main.ts sees it: one SQLite file in the data directory holding the request log and the
 * clients seen, with the writer, retention, live tail and panel queries around it. Opening never throws
 * for a disk problem: the request log then waits in memory and retries, and everything else goes on.
 * Features above the store that keep their own tables in this file (OAuth: oauth/store.ts) get its
 * `database` and write their own queries; the store imports none of them.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../log.js';
import type { Options } from '../options.js';
import { Checkpointer } from './checkpointer.js';
import { ClientMemory } from './client-memory.js';
import { Connection } from './connection.js';
import { DATABASE_FILE } from './db.js';
import { LiveTail } from './live-tail.js';
import { createLogQueries, type LogQueries } from './queries.js';
import { RequestLogWriter, type WriterTuning } from './request-log.js';
import { Retention, type RetentionTuning } from './retention.js';
import { STOP_BUDGET } from '../stop-budget.js';

export type StoreOptions = Pick<Options, 'log_retention_days' | 'log_max_rows'>;

export interface StoreConfig {
  dataDir: string;
  options: StoreOptions;
  log: Logger;
  /** Tests and the benchmark adjust timings and bounds; the defaults are what the add-on runs with. */
  tuning?: {
    writer?: Partial<WriterTuning>;
    retention?: Partial<RetentionTuning>;
    retentionFirstMs?: number;
    textScanRows?: number;
    checkpointMs?: number;
  };
}

export interface Store {
  /** The database file. */
  readonly file: string;
  /** `record(entry)` once per MCP request; also flush() and stats(). */
  readonly requestLog: RequestLogWriter;
  /** Client name and version per (user, user agent), fed from `initialize`. */
  readonly clients: ClientMemory;
  /** Rows pushed as they are committed. */
  readonly tail: LiveTail;
  readonly queries: LogQueries;
  readonly retention: Retention;
  readonly checkpointer: Checkpointer;
  /**
   * Statements on the one connection (opened on first use, replaced when the file was damaged), for the
   * features whose tables live in this file and whose queries live with them: oauth/store.ts.
   */
  readonly database: Pick<Connection, 'prepare'>;
  /** Retention limits changed (the options were saved): applied at once, in small steps. */
  applyOptions(options: StoreOptions): void;
  /** Writes what is queued and closes the database (on SIGTERM). */
  close(): Promise<void>;
}

export function openStore({ dataDir, options, log, tuning = {} }: StoreConfig): Store {
  const file = join(dataDir, DATABASE_FILE);
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch {
    // A read-only or missing parent: opening the file fails next, and the writer reports it once.
  }
  const connection = new Connection(file, log);
  const tail = new LiveTail(log);
  const requestLog = new RequestLogWriter(connection, tail, log, tuning.writer);
  const retention = new Retention(connection, log, limitsOf(options), tuning.retention);
  const checkpointer = new Checkpointer(connection, log, tuning.checkpointMs);
  checkpointer.start();
  requestLog.connect();
  retention.start(tuning.retentionFirstMs);
  let closed: Promise<void> | undefined;

  return {
    file,
    requestLog,
    clients: new ClientMemory(),
    tail,
    queries: createLogQueries(connection, tuning.textScanRows),
    retention,
    checkpointer,
    database: connection,
    applyOptions(next) {
      retention.setLimits(limitsOf(next));
    },
    close() {
      closed ??= (async () => {
        retention.stop();
        await checkpointer.stop(STOP_BUDGET.checkpointerMs);
        requestLog.close();
        connection.close();
      })();
      return closed;
    },
  };
}

function limitsOf(options: StoreOptions) {
  return { maxAgeDays: options.log_retention_days, maxRows: options.log_max_rows };
}
