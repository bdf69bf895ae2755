/**
 * The database schema as a list of forward-only steps. The version a file is at is SQLite's own
 * `PRAGMA user_version`; opening a file applies every later step, each in a transaction with its version
 * bump, so a crash mid-upgrade leaves the file at the last complete step. Steps are data (version, summary,
 * SQL) so that a test can build a file at any earlier version and upgrade it. Never edit a released step:
 * add the next one.
 */
import type { Database } from 'better-sqlite3';

export interface Migration {
  version: number;
  summary: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    summary: 'request log',
    // `time` is milliseconds since the epoch. An index on (x) holds (x, rowid), so each index below serves
    // "newest first by (time, id)" for its filter, and the first one serves keyset pages and retention.
    sql: `
      CREATE TABLE request_log (
        id INTEGER PRIMARY KEY,
        time INTEGER NOT NULL,
        address TEXT,
        user_id TEXT,
        user_name TEXT,
        auth TEXT,
        client_name TEXT,
        client_version TEXT,
        user_agent TEXT,
        protocol_version TEXT,
        method TEXT,
        target TEXT,
        arguments TEXT,
        outcome TEXT NOT NULL,
        http_status INTEGER,
        error_code INTEGER,
        error TEXT,
        latency_ms REAL NOT NULL,
        response_bytes INTEGER
      ) STRICT;
      CREATE INDEX request_log_by_time ON request_log (time);
      CREATE INDEX request_log_by_user ON request_log (user_id, time);
      CREATE INDEX request_log_by_client ON request_log (client_name, time);
      CREATE INDEX request_log_by_target ON request_log (target, time);
      CREATE INDEX request_log_by_outcome ON request_log (outcome, time);
    `,
  },
  {
    version: 2,
    summary: 'clients seen, filled from the request log so far',
    // Kept by the writer as rows come in, so the panel lists clients without scanning the log; totals
    // count since first seen (the log itself is pruned).
    sql: `
      CREATE TABLE clients (
        user_id TEXT NOT NULL,
        name TEXT NOT NULL,
        version TEXT NOT NULL,
        user_name TEXT,
        user_agent TEXT,
        first_seen INTEGER NOT NULL,
        last_seen INTEGER NOT NULL,
        calls INTEGER NOT NULL,
        errors INTEGER NOT NULL,
        PRIMARY KEY (user_id, name, version)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO clients
        SELECT user_id, client_name, coalesce(client_version, ''),
          (SELECT user_name FROM request_log AS latest
            WHERE latest.user_id = r.user_id AND latest.client_name = r.client_name
            ORDER BY time DESC LIMIT 1),
          (SELECT user_agent FROM request_log AS latest
            WHERE latest.user_id = r.user_id AND latest.client_name = r.client_name
            ORDER BY time DESC LIMIT 1),
          min(time), max(time), count(*), sum(outcome <> 'ok')
        FROM request_log AS r
        WHERE user_id IS NOT NULL AND client_name IS NOT NULL
        GROUP BY user_id, client_name, coalesce(client_version, '');
    `,
  },
  {
    version: 3,
    summary: 'OAuth: registered clients, grants, and token hashes',
    // OAuth's tables are made here, though their queries are oauth/store.ts's: the file has one user_version,
    // so every step of its schema is numbered in this one list, and the store imports nothing from oauth/.
    // A grant is one user's consent for one client; it keeps HA's refresh token sealed (oauth/secrets.ts)
    // so the add-on can act as that user. Tokens are stored only as SHA-256 hashes; revoking a grant
    // removes its tokens with it.
    sql: `
      CREATE TABLE oauth_clients (
        client_id TEXT PRIMARY KEY,
        client_name TEXT,
        client_uri TEXT,
        redirect_uris TEXT NOT NULL,
        created INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE oauth_grants (
        id TEXT PRIMARY KEY,
        client_id TEXT NOT NULL,
        client_name TEXT,
        user_id TEXT NOT NULL,
        user_name TEXT NOT NULL,
        is_admin INTEGER NOT NULL,
        scope TEXT NOT NULL,
        resource TEXT NOT NULL,
        ha_client_id TEXT NOT NULL,
        ha_refresh_token TEXT NOT NULL,
        created INTEGER NOT NULL,
        last_used INTEGER
      ) STRICT;
      CREATE TABLE oauth_tokens (
        hash TEXT PRIMARY KEY,
        grant_id TEXT NOT NULL REFERENCES oauth_grants (id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
        expires INTEGER NOT NULL,
        used INTEGER NOT NULL DEFAULT 0
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX oauth_tokens_by_grant ON oauth_tokens (grant_id);
    `,
  },
  {
    version: 4,
    summary: 'OAuth: when each registered client first completed a sign-in',
    // Registration is open to anyone, so registrations that never led to a sign-in are bounded in number and
    // expire (oauth/registration-limits.ts); a client that signed in once is kept, also after its grants
    // end, so that it can sign in again with the id it holds. Clients holding a grant now have signed in.
    sql: `
      ALTER TABLE oauth_clients ADD COLUMN signed_in INTEGER;
      UPDATE oauth_clients SET signed_in = created
        WHERE client_id IN (SELECT client_id FROM oauth_grants);
    `,
  },
  {
    version: 5,
    summary: 'Approvals: how a call that waited for a person ended; grants whose every change waits',
    // A call that changes what approval_domains names waits for a person (approvals/): its row says how that
    // ended, through which channel, who decided and how long it took. A grant can be set, in the panel, to
    // wait for a person before any change.
    sql: `
      ALTER TABLE request_log ADD COLUMN approval TEXT;
      ALTER TABLE request_log ADD COLUMN approval_channel TEXT;
      ALTER TABLE request_log ADD COLUMN approval_by TEXT;
      ALTER TABLE request_log ADD COLUMN approval_ms REAL;
      ALTER TABLE oauth_grants ADD COLUMN asks_everything INTEGER NOT NULL DEFAULT 0;
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** The file was written by a newer release of the add-on: this one cannot know its schema. */
export class NewerSchemaError extends Error {
  override name = 'NewerSchemaError';
  constructor(readonly found: number) {
    super(`schema version ${found} is newer than this release's ${SCHEMA_VERSION}`);
  }
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Brings the file to `target` (the newest by default); returns the versions applied. */
export function migrate(
  db: Database,
  target = SCHEMA_VERSION,
  steps: readonly Migration[] = MIGRATIONS
): number[] {
  const current = schemaVersion(db);
  if (current > SCHEMA_VERSION) throw new NewerSchemaError(current);
  const applied: number[] = [];
  for (const step of steps) {
    if (step.version <= current || step.version > target) continue;
    db.transaction(() => {
      db.exec(step.sql);
      db.pragma(`user_version = ${step.version}`);
    })();
    applied.push(step.version);
  }
  return applied;
}
