/**
 * OAuth's lasting state in SQLite: clients registered dynamically (and whether each ever completed a
 * sign-in: registration-limits.ts bounds the ones that did not), grants (one user's consent for one
 * client, with HA's refresh token sealed), and the hashes of the tokens issued under each grant. The tables
 * are migrations 3 and 4 of the add-on's one database file (store/migrations.ts, where every step of that file is
 * numbered); their queries are here, over the statements the store lends (store/store.ts `database`).
 * Codes and sign-ins under way live in memory (codes.ts, sign-in.ts): they last minutes at most.
 */
import type { Statement } from 'better-sqlite3';
import type { Scope } from './metadata.js';

export interface RegisteredClient {
  clientId: string;
  clientName: string | null;
  clientUri: string | null;
  redirectUris: string[];
  created: number;
}

/** A registered client as stored: also when it first completed a sign-in (null: never). */
export interface StoredClient extends RegisteredClient {
  signedIn: number | null;
}

export interface Grant {
  id: string;
  clientId: string;
  clientName: string | null;
  userId: string;
  userName: string;
  isAdmin: boolean;
  scope: Scope[];
  resource: string;
  /** The client id the add-on used at Home Assistant (its issuer then): HA refreshes only for that one. */
  haClientId: string;
  /** HA's refresh token, sealed. */
  haRefreshToken: string;
  created: number;
  lastUsed: number | null;
  /** Set in the panel: every change its client makes waits for a person (approvals/gate.ts). Read as true or absent. */
  asksEverything?: boolean;
}

export type TokenUse = 'access' | 'refresh';

interface GrantRow {
  id: string;
  client_id: string;
  client_name: string | null;
  user_id: string;
  user_name: string;
  is_admin: number;
  scope: string;
  resource: string;
  ha_client_id: string;
  ha_refresh_token: string;
  created: number;
  last_used: number | null;
  /** Migration 5 (store/migrations.ts). */
  asks_everything?: number;
}

const grantOf = (row: GrantRow): Grant => ({
  id: row.id,
  clientId: row.client_id,
  clientName: row.client_name,
  userId: row.user_id,
  userName: row.user_name,
  isAdmin: row.is_admin === 1,
  scope: row.scope.split(' ').filter(Boolean) as Scope[],
  resource: row.resource,
  haClientId: row.ha_client_id,
  haRefreshToken: row.ha_refresh_token,
  created: row.created,
  lastUsed: row.last_used,
  ...(row.asks_everything === 1 && { asksEverything: true }),
});

export interface OAuthStore {
  registerClient(client: RegisteredClient): void;
  client(clientId: string): StoredClient | undefined;
  /**
   * Registrations that never completed a sign-in and hold no grant: how many, and the oldest. (A grant
   * marks its client signed in; the grant check only guards rows from before that mark existed.)
   */
  unusedClients(): { count: number; oldest?: { clientId: string; created: number } };
  /** Deletes registrations that never completed a sign-in, made by `cutoff`; returns how many. */
  removeUnusedClients(cutoff: number): number;
  /** Deletes a registration, unless it completed a sign-in or holds a grant. */
  removeClient(clientId: string): void;
  /** Stores a grant, and marks its client signed in (if it is a registered one). */
  createGrant(grant: Grant): void;
  grant(id: string): Grant | undefined;
  grants(): Grant[];
  touchGrant(id: string, when: number): void;
  /** Whether every change under this grant waits for a person; false for a grant that is gone. */
  asksEverything(id: string): boolean;
  /** Sets that; false when there is no such grant. */
  setAsksEverything(id: string, on: boolean): boolean;
  /** Removes the grant and every token issued under it; false when there was no such grant. */
  revokeGrant(id: string): boolean;
  addToken(hash: string, grantId: string, use: TokenUse, expires: number): void;
  /** The grant a token of this use belongs to, and when the token expires (expired ones stay until purged). */
  tokenGrant(hash: string, use: TokenUse): { grant: Grant; used: boolean; expires: number } | undefined;
  /** Deletes tokens that expired by `cutoff`; returns how many. */
  removeExpiredTokens(cutoff: number): number;
  /** Marks a refresh token used; false if it already was (a replay). */
  useToken(hash: string): boolean;
  removeToken(hash: string): void;
}

/** Of `oauth_clients`: a registration that never completed a sign-in and holds no grant. */
const UNUSED =
  'signed_in IS NULL AND NOT EXISTS (SELECT 1 FROM oauth_grants AS g WHERE g.client_id = oauth_clients.client_id)';

/** OAuth's queries over the add-on's database (anything that prepares statements: the store's `database`). */
export function createOAuthStore(db: { prepare(sql: string): Statement }): OAuthStore {
  return {
    registerClient(client) {
      db.prepare(
        'INSERT INTO oauth_clients (client_id, client_name, client_uri, redirect_uris, created) VALUES (?, ?, ?, ?, ?)'
      ).run(
        client.clientId,
        client.clientName,
        client.clientUri,
        JSON.stringify(client.redirectUris),
        client.created
      );
    },
    client(clientId) {
      const row = db.prepare('SELECT * FROM oauth_clients WHERE client_id = ?').get(clientId) as
        | {
            client_id: string;
            client_name: string | null;
            client_uri: string | null;
            redirect_uris: string;
            created: number;
            signed_in: number | null;
          }
        | undefined;
      return row
        ? {
            clientId: row.client_id,
            clientName: row.client_name,
            clientUri: row.client_uri,
            redirectUris: JSON.parse(row.redirect_uris) as string[],
            created: row.created,
            signedIn: row.signed_in,
          }
        : undefined;
    },
    unusedClients() {
      const rows = db
        .prepare(
          `SELECT client_id, created, count(*) OVER () AS count FROM oauth_clients WHERE ${UNUSED}
           ORDER BY created, client_id LIMIT 1`
        )
        .all() as { client_id: string; created: number; count: number }[];
      const oldest = rows[0];
      return oldest
        ? { count: oldest.count, oldest: { clientId: oldest.client_id, created: oldest.created } }
        : { count: 0 };
    },
    removeUnusedClients(cutoff) {
      return db.prepare(`DELETE FROM oauth_clients WHERE ${UNUSED} AND created <= ?`).run(cutoff).changes;
    },
    removeClient(clientId) {
      db.prepare(`DELETE FROM oauth_clients WHERE ${UNUSED} AND client_id = ?`).run(clientId);
    },
    createGrant(g) {
      db.prepare(
        `INSERT INTO oauth_grants (id, client_id, client_name, user_id, user_name, is_admin, scope, resource,
           ha_client_id, ha_refresh_token, created, last_used) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
      ).run(
        g.id,
        g.clientId,
        g.clientName,
        g.userId,
        g.userName,
        g.isAdmin ? 1 : 0,
        g.scope.join(' '),
        g.resource,
        g.haClientId,
        g.haRefreshToken,
        g.created,
        g.lastUsed
      );
      db.prepare('UPDATE oauth_clients SET signed_in = ? WHERE client_id = ? AND signed_in IS NULL').run(
        g.created,
        g.clientId
      );
    },
    grant(id) {
      const row = db.prepare('SELECT * FROM oauth_grants WHERE id = ?').get(id) as GrantRow | undefined;
      return row ? grantOf(row) : undefined;
    },
    grants() {
      return (db.prepare('SELECT * FROM oauth_grants ORDER BY created DESC').all() as GrantRow[]).map(
        grantOf
      );
    },
    touchGrant(id, when) {
      db.prepare('UPDATE oauth_grants SET last_used = ? WHERE id = ?').run(when, id);
    },
    asksEverything(id) {
      const row = db.prepare('SELECT asks_everything FROM oauth_grants WHERE id = ?').get(id) as
        { asks_everything: number } | undefined;
      return row?.asks_everything === 1;
    },
    setAsksEverything(id, on) {
      return (
        db.prepare('UPDATE oauth_grants SET asks_everything = ? WHERE id = ?').run(on ? 1 : 0, id).changes > 0
      );
    },
    revokeGrant(id) {
      return db.prepare('DELETE FROM oauth_grants WHERE id = ?').run(id).changes > 0;
    },
    addToken(hash, grantId, use, expires) {
      db.prepare('INSERT INTO oauth_tokens (hash, grant_id, kind, expires) VALUES (?, ?, ?, ?)').run(
        hash,
        grantId,
        use,
        expires
      );
    },
    tokenGrant(hash, use) {
      const token = db
        .prepare('SELECT grant_id, used, expires FROM oauth_tokens WHERE hash = ? AND kind = ?')
        .get(hash, use) as { grant_id: string; used: number; expires: number } | undefined;
      if (!token) return undefined;
      const row = db.prepare('SELECT * FROM oauth_grants WHERE id = ?').get(token.grant_id) as
        GrantRow | undefined;
      return row ? { grant: grantOf(row), used: token.used === 1, expires: token.expires } : undefined;
    },
    removeExpiredTokens(cutoff) {
      return db.prepare('DELETE FROM oauth_tokens WHERE expires <= ?').run(cutoff).changes;
    },
    useToken(hash) {
      return db.prepare('UPDATE oauth_tokens SET used = 1 WHERE hash = ? AND used = 0').run(hash).changes > 0;
    },
    removeToken(hash) {
      db.prepare('DELETE FROM oauth_tokens WHERE hash = ?').run(hash);
    },
  };
}
