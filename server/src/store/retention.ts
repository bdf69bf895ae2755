/**
 * Retention: rows older than `log_retention_days` and rows beyond the newest `log_max_rows` are deleted,
 * in steps of at most `stepRows` spaced `stepGapMs` apart, so that no step holds the event loop for more
 * than a few milliseconds even when the limits were just lowered by a million rows. Clients not seen
 * within the retention period are forgotten too.
 *
 * Space: pages freed by deletes are reused by new rows, so a steady log keeps a steady file. When the
 * limits drop, the free pages are handed back to the file system with incremental vacuum (the file is
 * created with auto_vacuum = INCREMENTAL), a little per step. The WAL is checkpointed by a worker
 * (checkpointer.ts) and cut back to `journal_size_limit` after each reset.
 */
import type { Logger } from '../log.js';
import type { Connection } from './connection.js';
import { describeError } from './db.js';

export interface RetentionLimits {
  maxAgeDays: number;
  maxRows: number;
}

export interface RetentionTuning {
  /** Most rows one step deletes. */
  stepRows: number;
  /** Pause between steps while there is more to delete. */
  stepGapMs: number;
  /** Pause between cycles. */
  cycleMs: number;
  /** Most free pages one step gives back. */
  vacuumPages: number;
}

export const DEFAULT_RETENTION_TUNING: RetentionTuning = {
  stepRows: 1_000,
  stepGapMs: 25,
  cycleMs: 60_000,
  vacuumPages: 1_024,
};

const DAY_MS = 86_400_000;
/** `PRAGMA auto_vacuum` reads 2 for INCREMENTAL. */
const INCREMENTAL = 2;

export class Retention {
  readonly #tuning: RetentionTuning;
  #limits: RetentionLimits;
  #timer: NodeJS.Timeout | undefined;
  #pruned = 0;
  /** Rows beyond the row limit still to delete in this cycle; null until counted. */
  #excess: number | null = null;
  #running = false;
  readonly #cycleListeners: ((pruned: number) => void)[] = [];

  constructor(
    private readonly connection: Connection,
    private readonly log: Logger,
    limits: RetentionLimits,
    tuning: Partial<RetentionTuning> = {},
    private readonly now: () => number = Date.now
  ) {
    this.#limits = { ...limits };
    this.#tuning = { ...DEFAULT_RETENTION_TUNING, ...tuning };
    // A new file (after damage) has its own count.
    connection.onOpen(() => (this.#excess = null));
  }

  /** Starts the cycles: the first soon after start, then every `cycleMs`. */
  start(firstInMs = 5_000): void {
    this.#running = true;
    this.#schedule(firstInMs);
  }

  stop(): void {
    this.#running = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** New limits (the options changed): applied by a cycle that starts at once. */
  setLimits(limits: RetentionLimits): void {
    const changed = limits.maxAgeDays !== this.#limits.maxAgeDays || limits.maxRows !== this.#limits.maxRows;
    this.#limits = { ...limits };
    this.#excess = null;
    if (changed && this.#running) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#schedule(0);
    }
  }

  /** Called at the end of each cycle with the rows it deleted (for tests and the panel's status). */
  onCycle(listener: (pruned: number) => void): void {
    this.#cycleListeners.push(listener);
  }

  /**
   * One bounded step: deletes up to `stepRows` expired or excess rows, or, when none are left, gives back
   * up to `vacuumPages` free pages. Returns whether there was anything to do.
   */
  step(): boolean {
    if (!this.connection.current) return false;
    const cutoff = this.now() - this.#limits.maxAgeDays * DAY_MS;
    const old = this.connection
      .prepare(
        'DELETE FROM request_log WHERE id IN (SELECT id FROM request_log WHERE time < ? ORDER BY time, id LIMIT ?)'
      )
      .run(cutoff, this.#tuning.stepRows).changes;
    if (old > 0) {
      this.#pruned += old;
      return true;
    }
    // Counted once per cycle, once the expired rows are gone: a count is a scan of an index.
    this.#excess ??=
      (this.connection.prepare('SELECT count(*) AS n FROM request_log').get() as { n: number }).n -
      this.#limits.maxRows;
    if (this.#excess > 0) {
      const excess = this.connection
        .prepare('DELETE FROM request_log WHERE id IN (SELECT id FROM request_log ORDER BY time, id LIMIT ?)')
        .run(Math.min(this.#excess, this.#tuning.stepRows)).changes;
      this.#excess = excess > 0 ? this.#excess - excess : 0;
      this.#pruned += excess;
      if (excess > 0) return true;
    }
    return this.#givePagesBack();
  }

  /** Runs steps until nothing is left to do, at once (tests, and a stop with time to spare). */
  pruneAll(): number {
    const before = this.#pruned;
    this.#excess = null;
    while (this.step());
    this.#excess = null;
    this.#forgetOldClients();
    return this.#pruned - before;
  }

  #cycle(): void {
    this.#timer = undefined;
    if (!this.#running) return;
    try {
      if (this.step()) return this.#schedule(this.#tuning.stepGapMs);
      this.#excess = null;
      this.#forgetOldClients();
    } catch (err) {
      // A full or read-only disk: the writer tells the owner; retention simply tries again next cycle.
      this.#excess = null;
      this.log.debug(`request log retention: ${describeError(err)}`);
    }
    const pruned = this.#pruned;
    this.#pruned = 0;
    if (pruned > 0) this.log.debug(`request log retention: ${pruned} rows deleted`);
    this.#schedule(this.#tuning.cycleMs);
    for (const listener of this.#cycleListeners) listener(pruned);
  }

  #schedule(ms: number): void {
    if (!this.#running || this.#timer) return;
    this.#timer = setTimeout(() => this.#cycle(), ms);
    this.#timer.unref();
  }

  #forgetOldClients(): void {
    if (!this.connection.current) return;
    const cutoff = this.now() - this.#limits.maxAgeDays * DAY_MS;
    this.connection.prepare('DELETE FROM clients WHERE last_seen < ?').run(cutoff);
  }

  /** Free pages beyond a fifth of the file (and beyond 4 MiB) go back to the file system, a little at a time. */
  #givePagesBack(): boolean {
    const db = this.connection.current;
    // A file made without incremental auto_vacuum cannot give pages back; it keeps reusing them instead.
    if (!db || db.pragma('auto_vacuum', { simple: true }) !== INCREMENTAL) return false;
    const free = db.pragma('freelist_count', { simple: true }) as number;
    const pages = db.pragma('page_count', { simple: true }) as number;
    const slack = Math.max(1_024, Math.floor(pages / 5));
    if (free <= slack) return false;
    db.pragma(`incremental_vacuum(${Math.min(this.#tuning.vacuumPages, free - slack)})`);
    return (db.pragma('freelist_count', { simple: true }) as number) < free;
  }
}
