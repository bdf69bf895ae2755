/**
 * The store's one connection, which the disk may refuse (then open() throws and callers retry later) and
 * which is replaced when SQLite finds the file damaged while running. Statements are prepared once per
 * connection and kept, so callers can ask for them by SQL text on every use.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { Logger } from '../log.js';
import { describeError, moveAside, openDatabase } from './db.js';

export class Connection {
  #db: Database | null = null;
  readonly #statements = new Map<string, Statement>();
  readonly #onOpen: ((db: Database) => void)[] = [];

  constructor(
    readonly file: string,
    private readonly log: Logger,
    private readonly now: () => Date = () => new Date()
  ) {}

  /** The open database, or null when it has not been opened (or could not be). */
  get current(): Database | null {
    return this.#db;
  }

  /** The open database, opening it first if needed; throws what the disk said when it cannot. */
  open(): Database {
    if (this.#db) return this.#db;
    const db = openDatabase(this.file, this.log, this.now);
    this.#db = db;
    for (const listener of this.#onOpen) listener(db);
    return db;
  }

  /** Called with each database opened, first or after a replacement. */
  onOpen(listener: (db: Database) => void): void {
    this.#onOpen.push(listener);
  }

  prepare(sql: string): Statement {
    const db = this.open();
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /** SQLite found the file damaged mid-run: move it aside now; the next open() starts a new one. */
  discardDamaged(reason: unknown): void {
    if (!this.#db) return;
    this.close();
    try {
      const aside = moveAside(this.file, this.now());
      this.log.error(
        `database ${this.file} is damaged (${describeError(reason)}); moved it to ${aside}, a new one follows`
      );
    } catch (err) {
      this.log.error(`database ${this.file} is damaged and cannot be moved aside: ${describeError(err)}`);
    }
  }

  close(): void {
    const db = this.#db;
    this.#db = null;
    this.#statements.clear();
    if (!db) return;
    try {
      db.close();
    } catch {
      // Closing a connection whose file has gone bad can fail; there is nothing left to release then.
    }
  }
}
