/**
 * A grant's "ask before any change": set by an administrator in the panel (PUT /api/admin/grants/:id), kept
 * in the grant's row, listed with the grant, and read by the approval gate for the principal an access
 * token of that grant stands for (its grantId).
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { GrantRow, GrantsAnswer } from '../../server/src/admin/contract.js';
import type { Principal } from '../../server/src/ha/principals.js';
import { Grants } from '../../server/src/oauth/grants.js';
import { McpAuthentication } from '../../server/src/oauth/mcp-authentication.js';
import { createOAuthStore, type Grant } from '../../server/src/oauth/store.js';
import { tokenHash } from '../../server/src/ha/principals.js';
import { migrate } from '../../server/src/store/migrations.js';
import { adminWorld, USERS } from '../support/admin-fixture.js';
import { oauthHarness, signIn } from '../support/oauth-fixture.js';

const open: Database.Database[] = [];
after(() => {
  for (const db of open) db.close();
});

function oauthStore() {
  const db = new Database(':memory:');
  open.push(db);
  db.pragma('foreign_keys = ON');
  migrate(db);
  return createOAuthStore(db);
}

const grant = (id: string): Grant => ({
  id,
  clientId: 'https://claude.ai',
  clientName: 'Claude',
  userId: USERS.guest.id,
  userName: USERS.guest.display,
  isAdmin: false,
  scope: ['homeassistant.read', 'homeassistant.control'],
  resource: 'https://mcp.example.org/api/mcp',
  haClientId: 'https://mcp.example.org/',
  haRefreshToken: 'sealed',
  created: 1_000,
  lastUsed: null,
});

function world() {
  const store = oauthStore();
  store.createGrant(grant('g1'));
  store.createGrant({ ...grant('g2'), created: 2_000 });
  const grants = new Grants({
    store,
    key: Buffer.alloc(32),
    ha: { revoke: async () => {} },
    haAccess: { forget: () => {} },
  });
  const admin = adminWorld({
    overrides: {
      grants: {
        grants: () => grants.summaries(),
        revoke: (id) => grants.endGrant(id),
        setAsksEverything: (id, on) => grants.setAsksEverything(id, on),
      },
    },
  });
  const put = (id: string, json: unknown, user: 'owner' | 'guest' = 'owner') =>
    admin.call(`/api/admin/grants/${id}`, { method: 'PUT', json, user });
  return { store, grants, admin, put };
}

describe('a grant’s “ask before any change”', () => {
  it('is off for a new grant, and listed as such', async () => {
    const { store, admin } = world();
    assert.equal(store.asksEverything('g1'), false);
    const res = await admin.call('/api/admin/grants', { user: 'owner' });
    const { grants } = (await res.json()) as GrantsAnswer;
    assert.deepEqual(
      grants.map((g) => [g.id, g.asksEverything ?? false]),
      [
        ['g2', false],
        ['g1', false],
      ]
    );
  });

  it('is set and cleared by an administrator, for that grant only, and listed', async () => {
    const { store, admin, put } = world();
    const res = await put('g1', { asksEverything: true });
    assert.equal(res.status, 200);
    const row = (await res.json()) as GrantRow;
    assert.equal(row.id, 'g1');
    assert.equal(row.asksEverything, true);
    assert.equal(store.asksEverything('g1'), true);
    assert.equal(store.asksEverything('g2'), false);
    const listed = (await (await admin.call('/api/admin/grants', { user: 'owner' })).json()) as GrantsAnswer;
    assert.equal(listed.grants.find((g) => g.id === 'g1')?.asksEverything, true);

    const off = (await (await put('g1', { asksEverything: false })).json()) as GrantRow;
    assert.equal(off.asksEverything, false);
    assert.equal(store.asksEverything('g1'), false);
  });

  it('is the administrators’ to change: its own user gets 403, and nothing changes', async () => {
    const { store, put } = world();
    const res = await put('g1', { asksEverything: true }, 'guest');
    assert.equal(res.status, 403);
    assert.equal(store.asksEverything('g1'), false);
  });

  it('is a 404 for a grant that does not exist, and a 400 for a body without the flag', async () => {
    const { put } = world();
    assert.equal((await put('nope', { asksEverything: true })).status, 404);
    assert.equal((await put('g1', { asksEverything: 'yes' })).status, 400);
    assert.equal((await put('g1', {})).status, 400);
  });

  it('is gone with its grant', () => {
    const { store, grants } = world();
    grants.setAsksEverything('g1', true);
    grants.endGrant('g1');
    assert.equal(store.asksEverything('g1'), false);
    assert.equal(grants.setAsksEverything('g1', true), undefined);
  });
});

describe('the principal of an access token knows its grant', () => {
  it('carries the grant id, and the grant’s flag is what the gate reads for it', async () => {
    const store = oauthStore();
    store.createGrant(grant('g1'));
    store.addToken(tokenHash('mcp_at_1'), 'g1', 'access', 10_000);
    const grants = new Grants({
      store,
      key: Buffer.alloc(32),
      ha: { revoke: async () => {} },
      haAccess: { forget: () => {} },
    });
    const auth = new McpAuthentication({
      store,
      haAccess: { forGrant: async () => 'ha-access' },
      grants,
      now: () => 5_000,
    });
    const answer = await auth.authenticate('mcp_at_1');
    assert.ok(answer.ok);
    const principal: Principal = answer.principal;
    assert.equal(principal.grantId, 'g1');
    assert.equal(grants.asksEverything(principal.grantId!), false);
    grants.setAsksEverything('g1', true);
    assert.equal(grants.asksEverything(principal.grantId!), true);
  });
});

describe('the authorization server, as the approval gate asks it', () => {
  const harness = oauthHarness();

  it('asks for everything for a principal whose grant is set so, and only then', async () => {
    const h = harness();
    const tokens = await signIn(h);
    const answer = await h.server.authenticate(tokens.access_token);
    assert.ok(answer.ok);
    const { principal } = answer;
    assert.equal(h.server.asksForEverything(principal), false);
    assert.equal(h.server.setAsksEverything(principal.grantId!, true)?.asksEverything, true);
    assert.equal(h.server.asksForEverything(principal), true);
    assert.equal(h.server.grants()[0]?.asksEverything, true);
    // Home Assistant's own tokens have no grant here: the default applies.
    const { grantId: _, ...haToken } = principal;
    assert.equal(h.server.asksForEverything({ ...haToken, authKind: 'long_lived_token' }), false);
  });

  it('asks when the grant cannot be read: approval is the careful side to fail on', async () => {
    const h = harness({
      wrapStore: (store) => ({
        ...store,
        asksEverything: () => {
          throw new Error('SQLITE_BUSY');
        },
      }),
    });
    const tokens = await signIn(h);
    const answer = await h.server.authenticate(tokens.access_token);
    assert.ok(answer.ok);
    assert.equal(h.server.asksForEverything(answer.principal), true);
  });
});
