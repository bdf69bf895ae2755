/**
 * What people did is private (issue 18): every HA user can open the panel, and an administrator sees
 * everyone's requests, clients and sign-ins, anyone else only their own, in every answer made of them: log
 * pages, exports, the live tail, clients and the user filter drawn from them, tool figures, sign-ins and
 * the overview's counts. A filter for another user never widens what a plain user sees. Rows without a user
 * (failed sign-ins) are no one's own: only administrators see them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClientRow, GrantRow, LogRow, OverviewAnswer } from '../../server/src/admin/contract.js';
import { CSV_COLUMNS } from '../../server/src/admin/csv.js';
import { adminWorld, record, USERS, type UserName } from '../support/admin-fixture.js';
import { SseReader } from '../support/mcp-fixture.js';

type World = ReturnType<typeof adminWorld>;

const NOW = Date.now();

/** One request by each of three users, and a failed sign-in that names no one. */
function worldWithRows(options: Parameters<typeof adminWorld>[0] = {}): World {
  const world = adminWorld(options);
  record(world.store, [
    {
      time: NOW - 4_000,
      userId: USERS.owner.id,
      userName: 'owner',
      clientName: 'Claude',
      target: 'HassTurnOn',
      arguments: { name: 'owner-lamp' },
    },
    {
      time: NOW - 3_000,
      userId: USERS.guest.id,
      userName: 'guest',
      clientName: 'Cursor',
      target: 'GetLiveContext',
      arguments: { name: 'guest-lamp' },
    },
    {
      time: NOW - 2_000,
      userId: null,
      userName: null,
      clientName: null,
      method: null,
      target: null,
      arguments: null,
      outcome: 'auth_failed',
      error: 'the token was refused',
    },
    {
      time: NOW - 1_000,
      userId: USERS.admin.id,
      userName: 'ada',
      clientName: 'VS Code',
      target: 'HassTurnOff',
      outcome: 'tool_error',
    },
  ]);
  return world;
}

async function json<T>(world: World, path: string, user?: UserName): Promise<T> {
  const res = await world.call(path, user ? { user } : {});
  assert.equal(res.status, 200, `${path}: ${await res.clone().text()}`);
  return (await res.json()) as T;
}

const usersOf = (rows: { userId: string | null }[]) => rows.map((r) => r.userId);

describe('the request log is private to its users', () => {
  it('pages: an administrator reads everyone’s rows, a plain user only their own', async () => {
    const world = worldWithRows();
    const all = await json<{ rows: LogRow[] }>(world, '/api/admin/logs', 'admin');
    assert.deepEqual(usersOf(all.rows), [USERS.admin.id, null, USERS.guest.id, USERS.owner.id]);
    assert.deepEqual(
      usersOf((await json<{ rows: LogRow[] }>(world, '/api/admin/logs', 'owner')).rows),
      usersOf(all.rows)
    );
    const own = await json<{ rows: LogRow[] }>(world, '/api/admin/logs', 'guest');
    assert.deepEqual(usersOf(own.rows), [USERS.guest.id]);
  });

  it('pages: a plain user’s filter for someone else, or for their rows’ words, finds only their own', async () => {
    const world = worldWithRows();
    for (const query of [
      `user=${USERS.owner.id}`,
      `user=${USERS.admin.id}&outcome=tool_error`,
      'q=lamp',
      'client=Claude',
      'outcome=auth_failed',
    ]) {
      const { rows } = await json<{ rows: LogRow[] }>(world, `/api/admin/logs?${query}`, 'guest');
      assert.ok(
        rows.every((r) => r.userId === USERS.guest.id),
        `${query}: ${JSON.stringify(usersOf(rows))}`
      );
    }
    const mine = await json<{ rows: LogRow[] }>(world, `/api/admin/logs?q=lamp`, 'guest');
    assert.deepEqual(
      mine.rows.map((r) => r.arguments),
      ['{"name":"guest-lamp"}']
    );
    // An administrator's filter is theirs to choose.
    const owners = await json<{ rows: LogRow[] }>(world, `/api/admin/logs?user=${USERS.owner.id}`, 'admin');
    assert.deepEqual(usersOf(owners.rows), [USERS.owner.id]);
  });

  it('exports as CSV and JSON hold only the rows the viewer may read', async () => {
    const world = worldWithRows();
    const userColumn = CSV_COLUMNS.indexOf('userId');
    const csvUsers = async (query: string, user: UserName) => {
      const text = await (await world.call(`/api/admin/logs/export?format=csv${query}`, { user })).text();
      return text
        .trim()
        .split('\r\n')
        .slice(1)
        .map((line) => line.split(',')[userColumn] || null);
    };
    assert.deepEqual(await csvUsers('', 'admin'), [USERS.admin.id, null, USERS.guest.id, USERS.owner.id]);
    assert.deepEqual(await csvUsers('', 'guest'), [USERS.guest.id]);
    assert.deepEqual(await csvUsers(`&user=${USERS.owner.id}`, 'guest'), [USERS.guest.id]);

    const jsonUsers = async (query: string, user: UserName) =>
      usersOf(
        JSON.parse(
          await (await world.call(`/api/admin/logs/export?format=json${query}`, { user })).text()
        ) as LogRow[]
      );
    assert.equal((await jsonUsers('', 'admin')).length, 4);
    assert.deepEqual(await jsonUsers('', 'guest'), [USERS.guest.id]);
    assert.deepEqual(await jsonUsers(`&user=${USERS.admin.id}`, 'guest'), [USERS.guest.id]);
  });

  it('the live tail never sends a plain user another user’s row, or one without a user; it sends their own', async () => {
    const world = adminWorld();
    const open = async (path: string, user: UserName) => {
      const res = await world.call(path, { user });
      assert.equal(res.status, 200);
      const events = new SseReader(res.body!);
      assert.equal((await events.nextEvent())?.event, 'ready');
      return events;
    };
    const guest = await open('/api/admin/logs/tail', 'guest');
    const asksForOwner = await open(`/api/admin/logs/tail?user=${USERS.owner.id}`, 'guest');
    const admin = await open('/api/admin/logs/tail', 'admin');
    const rowOf = async (events: SseReader) => {
      const event = await events.nextEvent();
      assert.equal(event?.event, 'row');
      return JSON.parse(event.data!) as LogRow;
    };
    try {
      record(world.store, [
        { userId: USERS.owner.id, target: 'owner-1' },
        { userId: null, userName: null, outcome: 'auth_failed', target: 'nobody-1' },
        { userId: USERS.admin.id, target: 'admin-1' },
        { userId: USERS.guest.id, target: 'guest-1' },
      ]);
      record(world.store, [
        { userId: USERS.owner.id, target: 'owner-2' },
        { userId: USERS.guest.id, target: 'guest-2' },
      ]);
      // Rows come in the order written: the first a plain user gets is their own, and then their next own.
      for (const events of [guest, asksForOwner]) {
        assert.equal((await rowOf(events)).target, 'guest-1');
        assert.equal((await rowOf(events)).target, 'guest-2');
      }
      const seen = [];
      for (let i = 0; i < 6; i++) seen.push((await rowOf(admin)).target);
      assert.deepEqual(seen, ['owner-1', 'nobody-1', 'admin-1', 'guest-1', 'owner-2', 'guest-2']);
    } finally {
      await Promise.all([guest.cancel(), asksForOwner.cancel(), admin.cancel()]);
    }
  });

  it('clients: a plain user sees only clients they used, so the log’s user filter names no one else', async () => {
    const world = worldWithRows();
    const all = await json<{ clients: ClientRow[] }>(world, '/api/admin/clients', 'admin');
    assert.deepEqual(all.clients.map((c) => c.name).sort(), ['Claude', 'Cursor', 'VS Code']);
    const own = await json<{ clients: ClientRow[] }>(world, '/api/admin/clients', 'guest');
    assert.deepEqual(
      own.clients.map((c) => [c.name, c.userId, c.total?.calls, c.range?.calls]),
      [['Cursor', USERS.guest.id, 1, 1]]
    );
    // Also for a client seen only before the range: the clients table knows it, and it is theirs.
    const old = await json<{ clients: ClientRow[] }>(world, `/api/admin/clients?from=${NOW}`, 'guest');
    assert.deepEqual(
      old.clients.map((c) => [c.name, c.range]),
      [['Cursor', null]]
    );
  });

  it('tool figures count only a plain user’s own calls', async () => {
    const world = worldWithRows();
    type Tools = { tools: { tool: string; calls: number }[] };
    const all = await json<Tools>(world, '/api/admin/tools-usage', 'admin');
    assert.deepEqual(all.tools.map((t) => t.tool).sort(), ['GetLiveContext', 'HassTurnOff', 'HassTurnOn']);
    const own = await json<Tools>(world, '/api/admin/tools-usage', 'guest');
    assert.deepEqual(
      own.tools.map((t) => [t.tool, t.calls]),
      [['GetLiveContext', 1]]
    );
  });

  it('the overview counts a plain user’s own calls', async () => {
    const world = worldWithRows();
    const calls = async (user: UserName) =>
      (await json<OverviewAnswer>(world, '/api/admin/overview', user)).requests?.calls;
    assert.equal(await calls('admin'), 3, 'failed sign-ins are not counted');
    assert.equal(await calls('guest'), 1);
  });

  it('sign-ins: a plain user sees only their own, and cannot end even that', async () => {
    const grant = (id: string, user: (typeof USERS)[UserName]): GrantRow => ({
      id,
      clientId: 'https://claude.ai',
      clientName: 'Claude',
      userId: user.id,
      userName: user.display,
      readOnly: false,
      created: NOW - 60_000,
      lastUsed: null,
    });
    let grants = [grant('g-owner', USERS.owner), grant('g-guest', USERS.guest)];
    const world = adminWorld({
      overrides: {
        grants: {
          grants: () => grants,
          revoke: (id) => grants.length !== (grants = grants.filter((g) => g.id !== id)).length,
        },
      },
    });
    const idsFor = async (user: UserName) =>
      (await json<{ grants: GrantRow[] }>(world, '/api/admin/grants', user)).grants.map((g) => g.id);
    assert.deepEqual(await idsFor('admin'), ['g-owner', 'g-guest']);
    assert.deepEqual(await idsFor('guest'), ['g-guest']);
    const ended = await world.call('/api/admin/grants/g-guest', { method: 'DELETE', user: 'guest' });
    assert.equal(ended.status, 403);
    assert.deepEqual(await idsFor('admin'), ['g-owner', 'g-guest']);
  });

  it('while HA cannot say who is an administrator, everyone reads their own rows only', async () => {
    const world = worldWithRows();
    world.ha.down = true;
    for (const user of ['admin', 'guest'] as const) {
      const { rows } = await json<{ rows: LogRow[] }>(world, '/api/admin/logs', user);
      assert.deepEqual(usersOf(rows), [USERS[user].id], user);
    }
    const overview = await json<OverviewAnswer>(world, '/api/admin/overview', 'admin');
    assert.equal(overview.user.isAdmin, null, 'the panel shows the note for own activity');
    assert.equal(overview.requests?.calls, 1);
  });

  it('an ingress session without a user reads no one’s activity; standalone, the person at the machine reads all', async () => {
    const world = worldWithRows();
    for (const path of [
      '/api/admin/logs',
      '/api/admin/logs/export',
      '/api/admin/logs/tail',
      '/api/admin/clients',
    ]) {
      const res = await world.call(path);
      assert.equal(res.status, 403, path);
      assert.match(((await res.json()) as { error: string }).error, /did not say who is looking/);
    }
    assert.equal((await json<OverviewAnswer>(world, '/api/admin/overview')).requests, null);

    const local = worldWithRows({ mode: 'standalone' });
    const res = await local.call('/api/admin/logs', { peer: '127.0.0.1' });
    assert.equal(((await res.json()) as { rows: LogRow[] }).rows.length, 4);
  });
});
