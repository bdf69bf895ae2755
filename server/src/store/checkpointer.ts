/**
 * WAL checkpoints off the event loop. A checkpoint copies the WAL into the database file and syncs it:
 * milliseconds on an SSD, tens of them on an SD card, and SQLite runs it inside the commit that crosses
 * its threshold, i.e. in the middle of the request log's writer. So a worker thread with its own
 * connection runs a PASSIVE checkpoint (it never blocks the writer nor waits for readers) every
 * `intervalMs`, and the main connection's own automatic checkpoint is pushed back to a high-water mark,
 * where it only acts if the worker cannot keep up or has died.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';
import type { Logger } from '../log.js';
import type { Connection } from './connection.js';

/** The main connection checkpoints by itself only past this many WAL pages (64 MiB of 4 KiB pages). */
export const FALLBACK_CHECKPOINT_PAGES = 16_384;
/** SQLite's default, restored when no worker runs. */
const DEFAULT_CHECKPOINT_PAGES = 1_000;

export interface CheckpointResult {
  /** 1 when a checkpoint could not run at all (a lock); PASSIVE does not wait. */
  busy: number;
  /** Frames in the WAL, and how many of them are now in the database file. */
  log: number;
  checkpointed: number;
}

// Plain CommonJS run with `eval`, so it needs no build step and runs the same under tsx and from dist.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db = null;
function checkpoint() {
  try {
    if (!db) db = new Database(workerData.file, { fileMustExist: true });
    parentPort.postMessage({ result: db.pragma('wal_checkpoint(PASSIVE)')[0] });
  } catch (err) {
    try { if (db) db.close(); } catch {}
    db = null;
    parentPort.postMessage({ error: String(err && err.message) });
  }
}
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message === 'reopen') {
    try { if (db) db.close(); } catch {}
    db = null;
  } else if (message === 'stop') {
    clearInterval(timer);
    try { if (db) db.close(); } catch {}
    parentPort.close();
  }
});
`;

export class Checkpointer {
  #worker: Worker | null = null;
  #failing = false;
  readonly #listeners: ((result: CheckpointResult) => void)[] = [];

  constructor(
    private readonly connection: Connection,
    private readonly log: Logger,
    private readonly intervalMs = 1_000
  ) {
    connection.onOpen((db) => this.#handOver(db));
  }

  /** Starts the worker; from then on each connection opened leaves checkpoints to it. */
  start(): void {
    if (this.#worker) return;
    try {
      const driver = createRequire(import.meta.url).resolve('better-sqlite3');
      const worker = new Worker(WORKER, {
        eval: true,
        workerData: { file: this.connection.file, driver, intervalMs: this.intervalMs },
      });
      worker.on('message', (message: { result?: CheckpointResult; error?: string }) =>
        this.#onMessage(message)
      );
      worker.on('error', (err) => this.#lost(worker, err));
      worker.on('exit', () => this.#lost(worker, new Error('the checkpoint worker stopped')));
      // After the listeners: adding a 'message' listener references the worker's port again.
      worker.unref();
      this.#worker = worker;
      if (this.connection.current) this.#handOver(this.connection.current);
    } catch (err) {
      this.log.warning(`WAL checkpoints stay on the main thread: ${(err as Error).message}`);
    }
  }

  /** Called after each checkpoint the worker ran (tests watch this). */
  onCheckpoint(listener: (result: CheckpointResult) => void): void {
    this.#listeners.push(listener);
  }

  /**
   * Stops the worker and waits for it (at most `timeoutMs`), so that the main connection closes last and
   * removes the WAL. A worker stuck on a hung disk is abandoned: the next start checks the file anyway.
   */
  async stop(timeoutMs = 2_000): Promise<void> {
    const worker = this.#worker;
    this.#worker = null;
    if (!worker) return;
    let timer: NodeJS.Timeout | undefined;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    const stuck = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        void worker.terminate();
        resolve();
      }, timeoutMs);
    });
    // Unreferenced while it runs, so it never keeps the process alive; referenced now, so the wait is kept.
    worker.ref();
    worker.postMessage('stop');
    await Promise.race([exited, stuck]);
    clearTimeout(timer);
  }

  /** A connection opened (the first, a reopen, or a new file after damage): it leaves checkpoints to the worker. */
  #handOver(db: Database): void {
    if (!this.#worker) return;
    db.pragma(`wal_autocheckpoint = ${FALLBACK_CHECKPOINT_PAGES}`);
    this.#worker.postMessage('reopen');
  }

  #onMessage(message: { result?: CheckpointResult; error?: string }): void {
    if (message.error !== undefined) {
      // The writer tells the owner about disk trouble; this is for whoever debugs.
      if (!this.#failing) this.log.debug(`WAL checkpoint failed: ${message.error}`);
      this.#failing = true;
      return;
    }
    this.#failing = false;
    for (const listener of this.#listeners) listener(message.result!);
  }

  #lost(worker: Worker, err: unknown): void {
    if (this.#worker !== worker) return; // stopped on purpose
    this.#worker = null;
    this.log.warning(`WAL checkpoints run on the main thread again: ${(err as Error).message}`);
    try {
      this.connection.current?.pragma(`wal_autocheckpoint = ${DEFAULT_CHECKPOINT_PAGES}`);
    } catch {
      // That connection is failing; the next one starts with SQLite's default anyway.
    }
  }
}
