/**
 * The panel's live view of the request log: each row is pushed to subscribers once its transaction has
 * committed, so what the panel shows is on disk. A listener that throws is dropped (with one warning)
 * rather than allowed to break the writer.
 */
import type { Logger } from '../log.js';
import type { LoggedRequest } from './log-entry.js';

export type TailListener = (row: LoggedRequest) => void;

export class LiveTail {
  readonly #listeners = new Set<TailListener>();

  constructor(private readonly log: Logger) {}

  get size(): number {
    return this.#listeners.size;
  }

  /** Calls `listener` with each row written from now on; returns the function that stops it. */
  subscribe(listener: TailListener): () => void {
    // Wrapped, so the same function subscribed twice gets two independent subscriptions.
    const entry: TailListener = (row) => listener(row);
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  publish(rows: readonly LoggedRequest[]): void {
    if (this.#listeners.size === 0) return;
    for (const listener of [...this.#listeners]) {
      try {
        for (const row of rows) listener(row);
      } catch (err) {
        this.#listeners.delete(listener);
        this.log.warning(
          `request log: a live tail listener failed and was unsubscribed: ${(err as Error).message}`
        );
      }
    }
  }
}
