/**
 * The request log's writer. record() only pushes the entry onto a bounded in-memory queue; a timer writes
 * what is queued in one transaction every `intervalMs` (sooner once `batchRows` are waiting), so the
 * request path never touches the disk and a crash loses at most one interval. Redaction and truncation of
 * arguments happen here, off the request path.
 *
 * When the disk refuses (full, read-only, gone), rows stay queued and are retried with a growing delay;
 * the queue keeps its bound by dropping its oldest rows. Each episode is told once: one warning when
 * writing first fails (and one when rows start being dropped), one line when writing works again.
 */
import type { Database } from 'better-sqlite3';
import type { Logger } from '../log.js';
import { BoundedQueue } from './bounded-queue.js';
import type { Connection } from './connection.js';
import { describeError, errorCode, isDamage } from './db.js';
import type { LiveTail } from './live-tail.js';
import type { LoggedRequest, RequestLog, RequestLogEntry } from './log-entry.js';
import { clientsSeen, toRow } from './log-row.js';

export interface WriterTuning {
  /** Most rows held in memory; beyond it the oldest are dropped (and counted). */
  capacity: number;
  /** Write as soon as this many rows are waiting, without waiting for the interval. */
  batchRows: number;
  /** Longest a row waits in memory while the disk works. */
  intervalMs: number;
  /** Most rows per transaction: the timer writes one per turn of the event loop, so none holds it long. */
  transactionRows: number;
  /** Delay before retrying a failed write: starts at min, doubles up to max. */
  retryMinMs: number;
  retryMaxMs: number;
}

export const DEFAULT_WRITER_TUNING: WriterTuning = {
  capacity: 10_000,
  batchRows: 1_000,
  intervalMs: 250,
  transactionRows: 500,
  retryMinMs: 1_000,
  retryMaxMs: 30_000,
};

/** A file found damaged again this soon after the last is not fixed by moving it aside again. */
const DAMAGE_REPEAT_MS = 60_000;

export interface WriterStats {
  /** Rows waiting in memory. */
  queued: number;
  /** Rows written since start. */
  written: number;
  /** Rows dropped since start because the queue was full. */
  dropped: number;
  /** Why writing fails right now, or null while it works. */
  failing: string | null;
}

const INSERT_ROW = `
  INSERT INTO request_log (time, address, user_id, user_name, auth, client_name, client_version, user_agent,
    protocol_version, method, target, arguments, outcome, http_status, error_code, error, latency_ms,
    response_bytes, approval, approval_channel, approval_by, approval_ms)
  VALUES (@time, @address, @userId, @userName, @auth, @clientName, @clientVersion, @userAgent,
    @protocolVersion, @method, @target, @arguments, @outcome, @httpStatus, @errorCode, @error, @latencyMs,
    @responseBytes, @approval, @approvalChannel, @approvalBy, @approvalMs)`;

const UPSERT_CLIENT = `
  INSERT INTO clients (user_id, name, version, user_name, user_agent, first_seen, last_seen, calls, errors)
  VALUES (@userId, @name, @version, @userName, @userAgent, @firstSeen, @lastSeen, @calls, @errors)
  ON CONFLICT (user_id, name, version) DO UPDATE SET
    user_name = coalesce(excluded.user_name, user_name),
    user_agent = coalesce(excluded.user_agent, user_agent),
    first_seen = min(first_seen, excluded.first_seen),
    last_seen = max(last_seen, excluded.last_seen),
    calls = calls + excluded.calls,
    errors = errors + excluded.errors`;

export class RequestLogWriter implements RequestLog {
  readonly #tuning: WriterTuning;
  readonly #queue: BoundedQueue<RequestLogEntry>;
  #timer: NodeJS.Timeout | undefined;
  #immediate: NodeJS.Immediate | undefined;
  #written = 0;
  #dropped = 0;
  /** Dropped since the last line that told about drops. */
  #droppedUntold = 0;
  #failing: string | null = null;
  #retryDelay = 0;
  #retryAt = 0;
  #flushing = false;
  #closed = false;
  #lastDamageAt = -Infinity;

  constructor(
    private readonly connection: Connection,
    private readonly tail: LiveTail,
    private readonly log: Logger,
    tuning: Partial<WriterTuning> = {}
  ) {
    this.#tuning = { ...DEFAULT_WRITER_TUNING, ...tuning };
    this.#queue = new BoundedQueue(this.#tuning.capacity);
  }

  record(entry: RequestLogEntry): void {
    try {
      if (this.#closed) return;
      if (this.#queue.push(entry)) this.#onDrop();
      if (this.#queue.length >= this.#tuning.batchRows) this.#soon();
      else this.#later(this.#tuning.intervalMs);
    } catch {
      // Logging must never fail a request; there is nothing sensible to do with an error here.
    }
  }

  stats(): WriterStats {
    return {
      queued: this.#queue.length,
      written: this.#written,
      dropped: this.#dropped,
      failing: this.#failing,
    };
  }

  /** Opens the database now (at start), so a refusing disk is reported at once rather than at the first row. */
  connect(): boolean {
    try {
      this.connection.open();
      return true;
    } catch (err) {
      this.#cannotWrite(err);
      return false;
    }
  }

  /**
   * Writes what is queued now (everything, or the first `transactions` batches), whatever the retry delay;
   * true when the queue is empty afterwards. Rows reach the live tail before this returns.
   */
  flush(transactions = Infinity): boolean {
    if (this.#flushing || this.#queue.length === 0) return this.#queue.length === 0;
    this.#flushing = true;
    try {
      let db: Database;
      try {
        db = this.connection.open();
      } catch (err) {
        this.#cannotWrite(err);
        return false;
      }
      for (let done = 0; this.#queue.length > 0 && done < transactions; done++) {
        const batch = this.#queue.peek(this.#tuning.transactionRows);
        let rows: LoggedRequest[];
        try {
          rows = this.#write(db, batch);
        } catch (err) {
          if (isDamage(err) && Date.now() - this.#lastDamageAt > DAMAGE_REPEAT_MS) {
            // Moved aside at once; the rows are still queued and go to the new file on the next attempt.
            this.#lastDamageAt = Date.now();
            this.connection.discardDamaged(err);
            this.#later(0);
          } else if (isDamage(err) || isDiskProblem(err)) {
            // Reopened on the retry: a connection SQLite opened read-only stays so after the disk recovers.
            this.connection.close();
            this.#cannotWrite(err);
          } else {
            // Not the disk: a bug would fail the same way forever, so the batch is dropped rather than retried.
            this.log.error(
              `request log: ${batch.length} rows could not be written and were dropped: ${describeError(err)}`
            );
            this.#queue.discard(batch.length);
            this.#dropped += batch.length;
            continue;
          }
          return false;
        }
        this.#queue.discard(batch.length);
        this.#written += rows.length;
        this.#succeeded();
        this.tail.publish(rows);
      }
      return this.#queue.length === 0;
    } finally {
      this.#flushing = false;
    }
  }

  /** Stops the timers and writes what is queued; rows that still cannot be written are counted in one warning. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#cancelTimers();
    if (!this.flush()) {
      this.log.warning(`request log: ${this.#queue.length} rows could not be written before stopping`);
    }
  }

  #write(db: Database, batch: RequestLogEntry[]): LoggedRequest[] {
    const rows = batch.map(toRow);
    const insert = this.connection.prepare(INSERT_ROW);
    const upsert = this.connection.prepare(UPSERT_CLIENT);
    db.transaction(() => {
      for (const row of rows) row.id = Number(insert.run(row).lastInsertRowid);
      for (const client of clientsSeen(rows)) upsert.run(client);
    })();
    return rows;
  }

  /** The disk refuses: say so once per episode, keep the rows, and retry later and later. */
  #cannotWrite(err: unknown): void {
    if (this.#failing === null) {
      this.#failing = describeError(err);
      this.log.warning(
        `request log: cannot write to the database (${this.#failing}); requests go on, and up to ` +
          `${this.#tuning.capacity} rows wait in memory until it can`
      );
    }
    this.#retryDelay = Math.min(
      this.#tuning.retryMaxMs,
      Math.max(this.#tuning.retryMinMs, this.#retryDelay * 2)
    );
    this.#retryAt = Date.now() + this.#retryDelay;
    if (!this.#closed) this.#later(this.#retryDelay);
  }

  #succeeded(): void {
    if (this.#failing === null && this.#droppedUntold === 0) return;
    const dropped = `${this.#droppedUntold} rows were dropped because too many were waiting`;
    if (this.#failing === null) this.log.info(`request log: ${dropped}`);
    else
      this.log.info(`request log: writing to the database again${this.#droppedUntold ? `; ${dropped}` : ''}`);
    this.#failing = null;
    this.#droppedUntold = 0;
    this.#retryDelay = 0;
    this.#retryAt = 0;
  }

  #onDrop(): void {
    this.#dropped++;
    if (this.#droppedUntold++ === 0) {
      this.log.warning(
        `request log: ${this.#tuning.capacity} rows are waiting to be written; dropping the oldest until the ` +
          'database can be written'
      );
    }
  }

  #tick(): void {
    const wait = this.#retryAt - Date.now();
    if (wait > 0) return this.#later(wait); // the disk refused: wait for the retry time, however full the queue
    // One transaction per turn of the event loop, so requests get their turn between batches.
    if (!this.flush(1) && this.#failing === null) this.#soon();
  }

  #soon(): void {
    if (this.#immediate || this.#retryAt > Date.now()) return;
    this.#immediate = setImmediate(() => {
      this.#immediate = undefined;
      this.#tick();
    });
  }

  #later(ms: number): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#tick();
    }, ms);
    // Queued rows keep the process alive until written (a quarter second); retries on a refusing disk do not.
    if (this.#failing !== null) this.#timer.unref();
  }

  #cancelTimers(): void {
    clearTimeout(this.#timer);
    if (this.#immediate) clearImmediate(this.#immediate);
    this.#timer = undefined;
    this.#immediate = undefined;
  }
}

/** SQLite's and Node's ways of saying the disk or file is not writable right now. */
function isDiskProblem(err: unknown): boolean {
  const code = errorCode(err) ?? '';
  return (
    /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|BUSY|LOCKED|PERM|NOLFS|PROTOCOL)/.test(code) ||
    /^E(ROFS|NOSPC|ACCES|PERM|IO|NOENT|DQUOT|BUSY|MFILE|NFILE)$/.test(code) ||
    // Our own refusal when the file will not go into WAL mode (a read-only file system, typically).
    (err instanceof Error && err.message.includes('WAL mode'))
  );
}
