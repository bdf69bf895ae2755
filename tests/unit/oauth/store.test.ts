/**
 * The OAuth store over SQLite (the add-on's migrations, foreign keys on as the add-on opens its database):
 * clients and grants read back as written, tokens found only by hash and use, a refresh token marked used
 * once, a grant's tokens gone with it, and expired tokens purged by cutoff.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { createOAuthStore, type Grant } from '../../../server/src/oauth/store.js';
import { migrate } from '../../../server/src/store/migrations.js';

const open: Database.Database[] = [];
after(() => {
  for (const db of open) db.close();
});

function store(db = new Database(':memory:')) {
  open.push(db);
  db.pragma('foreign_keys = ON');
  migrate(db);
  return createOAuthStore(db);
}

const client = (clientId: string, created: number) => ({
  clientId,
  clientName: null,
  clientUri: null,
  redirectUris: ['https://app.example/cb'],
  created,
});

const grant = (id: string, extra: Partial<Grant> = {}): Grant => ({
  id,
  clientId: 'client-1',
  clientName: 'Client',
  userId: 'user-1',
  userName: 'Guest',
  isAdmin: false,
  scope: ['homeassistant.read'],
  resource: 'https://mcp.example.org/api/mcp',
  haClientId: 'https://mcp.example.org/',
  haRefreshToken: 'sealed',
  created: 1_000,
  lastUsed: null,
  ...extra,
});

describe('the OAuth store', () => {
  it('reads a registered client back as it was written', () => {
    const s = store();
    const client = {
      clientId: 'c1',
      clientName: null,
      clientUri: 'https://app.example',
      redirectUris: ['https://app.example/cb', 'http://127.0.0.1/cb'],
      created: 5,
    };
    s.registerClient(client);
    assert.deepEqual(s.client('c1'), { ...client, signedIn: null });
    assert.equal(s.client('c2'), undefined);
  });

  it('reads grants back as written, newest first, admin or not', () => {
    const s = store();
    s.createGrant(grant('g1'));
    s.createGrant(
      grant('g2', {
        isAdmin: true,
        scope: ['homeassistant.read', 'homeassistant.control'],
        created: 2_000,
        clientName: null,
      })
    );
    assert.deepEqual(s.grant('g1'), grant('g1'));
    assert.deepEqual(
      s.grants().map((g) => [g.id, g.isAdmin, g.scope, g.clientName]),
      [
        ['g2', true, ['homeassistant.read', 'homeassistant.control'], null],
        ['g1', false, ['homeassistant.read'], 'Client'],
      ]
    );
    assert.equal(s.grant('nope'), undefined);
  });

  it('notes when a grant was used', () => {
    const s = store();
    s.createGrant(grant('g1'));
    s.createGrant(grant('g2'));
    s.touchGrant('g1', 7_000);
    assert.equal(s.grant('g1')?.lastUsed, 7_000);
    assert.equal(s.grant('g2')?.lastUsed, null);
  });

  it('finds a token by its hash and use, with its grant and expiry', () => {
    const s = store();
    s.createGrant(grant('g1'));
    s.addToken('h-access', 'g1', 'access', 10);
    s.addToken('h-refresh', 'g1', 'refresh', 20);
    assert.deepEqual(s.tokenGrant('h-access', 'access'), { grant: grant('g1'), used: false, expires: 10 });
    assert.equal(s.tokenGrant('h-access', 'refresh'), undefined);
    assert.equal(s.tokenGrant('h-refresh', 'access'), undefined);
    assert.equal(s.tokenGrant('h-none', 'access'), undefined);
  });

  it('marks a refresh token used once: a second use is a replay', () => {
    const s = store();
    s.createGrant(grant('g1'));
    s.addToken('h1', 'g1', 'refresh', 20);
    s.addToken('h2', 'g1', 'refresh', 20);
    assert.equal(s.useToken('h1'), true);
    assert.equal(s.tokenGrant('h1', 'refresh')?.used, true);
    assert.equal(s.tokenGrant('h2', 'refresh')?.used, false);
    assert.equal(s.useToken('h1'), false);
    assert.equal(s.useToken('unknown'), false);
  });

  it('removes one token, or a grant with all its tokens, and says whether there was a grant', () => {
    const s = store();
    s.createGrant(grant('g1'));
    s.createGrant(grant('g2'));
    s.addToken('a1', 'g1', 'access', 10);
    s.addToken('r1', 'g1', 'refresh', 10);
    s.addToken('a2', 'g2', 'access', 10);
    s.removeToken('a2');
    assert.equal(s.tokenGrant('a2', 'access'), undefined);
    assert.ok(s.grant('g2'));
    assert.equal(s.revokeGrant('g1'), true);
    assert.equal(s.revokeGrant('g1'), false);
    assert.equal(s.tokenGrant('r1', 'refresh'), undefined);
    assert.equal(s.useToken('r1'), false, 'the token row is gone with its grant');
    assert.deepEqual(
      s.grants().map((g) => g.id),
      ['g2']
    );
  });

  it('purges the tokens that expired by the cutoff, and counts them', () => {
    const s = store();
    s.createGrant(grant('g1'));
    s.addToken('t9', 'g1', 'access', 9);
    s.addToken('t10', 'g1', 'access', 10);
    s.addToken('t11', 'g1', 'refresh', 11);
    assert.equal(s.removeExpiredTokens(10), 2);
    assert.equal(s.tokenGrant('t10', 'access'), undefined);
    assert.equal(s.tokenGrant('t11', 'refresh')?.expires, 11);
    assert.equal(s.removeExpiredTokens(10), 0);
  });

  it('marks a client signed in when its first grant is made, and keeps that time', () => {
    const s = store();
    s.registerClient(client('client-1', 5));
    s.createGrant(grant('g1', { created: 50 }));
    s.createGrant(grant('g2', { created: 60 }));
    assert.equal(s.client('client-1')?.signedIn, 50);
    s.revokeGrant('g1');
    s.revokeGrant('g2');
    assert.equal(s.client('client-1')?.signedIn, 50, 'signed in once, whatever became of its grants');
  });

  it('counts and deletes only registrations that never signed in, oldest first', () => {
    const s = store();
    assert.deepEqual(s.unusedClients(), { count: 0 });
    s.registerClient(client('late', 30));
    s.registerClient(client('early', 10));
    s.registerClient(client('client-1', 5));
    s.createGrant(grant('g1'));
    s.registerClient(client('middle', 20));
    assert.deepEqual(s.unusedClients(), { count: 3, oldest: { clientId: 'early', created: 10 } });
    s.removeClient('client-1');
    assert.ok(s.client('client-1'), 'a client that signed in is never removed');
    s.removeClient('early');
    assert.deepEqual(s.unusedClients(), { count: 2, oldest: { clientId: 'middle', created: 20 } });
    assert.equal(s.removeUnusedClients(20), 1);
    assert.equal(s.client('middle'), undefined);
    assert.ok(s.client('late'));
    assert.equal(s.removeUnusedClients(1_000), 1);
    assert.ok(s.client('client-1'));
  });

  it('never counts or deletes a client that holds a grant, even without the signed-in mark', () => {
    const db = new Database(':memory:');
    const s = store(db);
    s.registerClient(client('client-1', 5));
    s.createGrant(grant('g1'));
    db.prepare('UPDATE oauth_clients SET signed_in = NULL').run();
    assert.deepEqual(s.unusedClients(), { count: 0 });
    assert.equal(s.removeUnusedClients(1_000), 0);
    s.removeClient('client-1');
    assert.ok(s.client('client-1'));
  });
});

describe('migration 4 (when a client first signed in)', () => {
  it('marks the clients that hold a grant as signed in, at their registration, and no others', () => {
    const db = new Database(':memory:');
    open.push(db);
    db.pragma('foreign_keys = ON');
    migrate(db, 3);
    const insert = db.prepare(
      `INSERT INTO oauth_clients (client_id, client_name, client_uri, redirect_uris, created)
       VALUES (?, NULL, NULL, '["https://app.example/cb"]', ?)`
    );
    insert.run('client-1', 5);
    insert.run('client-2', 7);
    db.prepare(
      `INSERT INTO oauth_grants (id, client_id, client_name, user_id, user_name, is_admin, scope, resource,
         ha_client_id, ha_refresh_token, created, last_used)
       VALUES ('g1', 'client-1', NULL, 'u', 'U', 0, 'homeassistant.read', 'r', 'h', 's', 9, NULL)`
    ).run();
    migrate(db);
    const s = createOAuthStore(db);
    assert.equal(s.client('client-1')?.signedIn, 5);
    assert.equal(s.client('client-2')?.signedIn, null);
  });
});
