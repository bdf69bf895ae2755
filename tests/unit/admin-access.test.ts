import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { headerText } from '../../server/src/admin/access.js';
import { HaUsers } from '../../server/src/admin/users.js';
import { listen } from '../../server/src/http/listen.js';
import { freePort } from '../support/ports.js';
import { adminWorld, FakeHa, USERS } from '../support/admin-fixture.js';

const saveSettings = { method: 'PUT', json: { log_level: 'debug' } } as const;

describe('admin listener: who may connect (add-on)', () => {
  it('answers the Supervisor’s ingress proxy, also as an IPv4-mapped IPv6 peer', async () => {
    const { call } = adminWorld();
    for (const peer of ['172.30.32.2', '::ffff:172.30.32.2']) {
      const res = await call('/api/admin/settings', { peer, user: 'guest' });
      assert.equal(res.status, 200, peer);
    }
  });

  it('refuses any other peer with 403, for the API and the panel alike', async () => {
    const { call } = adminWorld();
    for (const peer of ['172.30.33.5', '127.0.0.1', '::1', '::ffff:172.30.33.2', null]) {
      for (const path of ['/api/admin/overview', '/', '/index.html']) {
        const res = await call(path, { peer, user: 'guest' });
        assert.equal(res.status, 403, `${peer} ${path}`);
        assert.match(((await res.json()) as { error: string }).error, /ingress/);
      }
    }
  });

  it('ignores user headers forged by another peer: refused before anyone asks HA who that is', async () => {
    const { call, ha, options } = adminWorld();
    const res = await call('/api/admin/settings', { ...saveSettings, peer: '172.30.33.7', user: 'owner' });
    assert.equal(res.status, 403);
    assert.equal(ha.sent.length, 0);
    assert.deepEqual(options.saved, []);
  });

  it('reads the peer from the real socket: a loopback client of an add-on gets 403, /healthz still answers', async () => {
    const { app } = adminWorld();
    const listener = await listen('admin', app, '127.0.0.1', await freePort());
    try {
      const base = `http://127.0.0.1:${listener.port}`;
      assert.equal((await fetch(`${base}/api/admin/overview`)).status, 403);
      assert.equal((await fetch(`${base}/`)).status, 403);
      assert.equal((await fetch(`${base}/healthz`)).status, 200);
    } finally {
      await listener.close();
    }
  });

  it('answers /healthz to anyone (Docker’s health check comes from inside the container)', async () => {
    const { call } = adminWorld();
    const res = await call('/healthz', { peer: '127.0.0.1' });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { home: string }).home, 'ready');
  });
});

describe('admin API: reads for every user, changes for administrators', () => {
  it('lets a user who is not an administrator read everything and change nothing', async () => {
    const { call, options } = adminWorld();
    for (const path of [
      '/api/admin/overview',
      '/api/admin/settings',
      '/api/admin/entities',
      '/api/admin/logs',
    ]) {
      assert.equal((await call(path, { user: 'guest' })).status, 200, path);
    }
    const changes = [
      ['/api/admin/settings', saveSettings],
      ['/api/admin/entities/expose', { json: { entityIds: ['light.lamp'], shouldExpose: false } }],
      ['/api/admin/expose-new', { method: 'PUT', json: { exposeNew: false } }],
    ] as const;
    for (const [path, init] of changes) {
      const res = await call(path, { ...init, user: 'guest' });
      assert.equal(res.status, 403, path);
      assert.match(((await res.json()) as { error: string }).error, /administrator/);
    }
    assert.deepEqual(options.saved, []);
  });

  it('lets an administrator (system-admin group) and the owner change settings', async () => {
    const { call, options } = adminWorld();
    for (const user of ['admin', 'owner'] as const) {
      const res = await call('/api/admin/settings', { ...saveSettings, user });
      assert.equal(res.status, 200, user);
    }
    assert.equal(options.saved.length, 2);
    assert.equal(options.current().log_level, 'debug');
  });

  it('refuses changes from a deactivated administrator, an unknown user and a session without a user', async () => {
    const { call, ha } = adminWorld();
    assert.equal((await call('/api/admin/settings', { ...saveSettings, user: 'retired' })).status, 403);
    const unknown = { 'x-remote-user-id': 'u-nobody' };
    assert.equal((await call('/api/admin/settings', { ...saveSettings, headers: unknown })).status, 403);
    const before = ha.sent.length;
    assert.equal((await call('/api/admin/settings', saveSettings)).status, 403);
    assert.equal(ha.sent.length, before, 'nobody to look up');
  });

  it('answers 503 when HA cannot say whether the user is an administrator, and asks again next time', async () => {
    const { call, ha } = adminWorld();
    ha.down = true;
    const res = await call('/api/admin/settings', { ...saveSettings, user: 'admin' });
    assert.equal(res.status, 503);
    ha.down = false;
    assert.equal((await call('/api/admin/settings', { ...saveSettings, user: 'admin' })).status, 200);
  });

  it('tells the panel who is looking and whether they may change things', async () => {
    const { call } = adminWorld();
    const guest = (await (await call('/api/admin/overview', { user: 'guest' })).json()) as {
      user: { id: string; displayName: string; isAdmin: boolean };
    };
    assert.deepEqual(guest.user, { id: 'u-guest', name: 'guest', displayName: 'Guest', isAdmin: false });
    const owner = (await (await call('/api/admin/overview', { user: 'owner' })).json()) as {
      user: { isAdmin: boolean };
    };
    assert.equal(owner.user.isAdmin, true);
  });

  it('reads a display name the Supervisor sent as UTF-8 bytes', () => {
    assert.equal(headerText(Buffer.from('José Müller', 'utf8').toString('latin1')), 'José Müller');
    assert.equal(headerText('Plain'), 'Plain');
    assert.equal(headerText('Ã'), 'Ã', 'not valid UTF-8: left as it came');
    assert.equal(headerText(undefined), null);
  });
});

describe('HA users: one lookup serves a while', () => {
  it('asks HA once for a burst of checks, again after the cache time, and never remembers a failure', async () => {
    const ha = new FakeHa();
    let now = 1_000;
    const users = new HaUsers(ha.haCommand, { ttlMs: 30_000, now: () => now });
    const answers = await Promise.all([
      users.isAdmin(USERS.admin.id),
      users.isAdmin(USERS.guest.id),
      users.isAdmin(USERS.owner.id),
    ]);
    assert.deepEqual(answers, [true, false, true]);
    assert.equal(users.lookups, 1);
    now += 29_000;
    await users.isAdmin(USERS.admin.id);
    assert.equal(users.lookups, 1);

    // Demoted in HA: the next lookup after the cache time says so.
    ha.users.find((u) => u.id === USERS.admin.id)!.group_ids = ['system-users'];
    now += 2_000;
    assert.equal(await users.isAdmin(USERS.admin.id), false);
    assert.equal(users.lookups, 2);

    now += 31_000;
    ha.down = true;
    await assert.rejects(users.isAdmin(USERS.owner.id));
    ha.down = false;
    assert.equal(await users.isAdmin(USERS.owner.id), true);
    assert.equal(users.lookups, 4);
  });
});

describe('admin listener standalone (loopback only)', () => {
  it('treats the local user, without ingress headers, as an administrator, without asking HA', async () => {
    const { call, ha, options } = adminWorld({ mode: 'standalone' });
    const res = await call('/api/admin/settings', { ...saveSettings, peer: '127.0.0.1' });
    assert.equal(res.status, 200);
    assert.equal(options.current().log_level, 'debug');
    assert.equal(ha.sent.length, 0);
    const overview = (await (await call('/api/admin/overview', { peer: '127.0.0.1' })).json()) as {
      user: unknown;
    };
    assert.deepEqual(overview.user, { id: null, name: null, displayName: null, isAdmin: true });
  });

  it('still honours user headers a proxy sends: they can only lower the rights', async () => {
    const { call } = adminWorld({ mode: 'standalone' });
    const res = await call('/api/admin/settings', { ...saveSettings, peer: '127.0.0.1', user: 'guest' });
    assert.equal(res.status, 403);
  });
});

describe('admin listener: headers and errors', () => {
  it('allows framing by HA’s own page only, and sets no HSTS for HA’s origin', async () => {
    const { call } = adminWorld();
    for (const path of ['/', '/api/admin/overview']) {
      const res = await call(path, { user: 'guest' });
      assert.equal(res.headers.get('x-frame-options'), 'SAMEORIGIN', path);
      assert.doesNotMatch(res.headers.get('content-security-policy') ?? '', /frame-ancestors/);
      assert.equal(res.headers.get('strict-transport-security'), null);
    }
  });

  it('keeps API answers out of caches', async () => {
    const { call } = adminWorld();
    const res = await call('/api/admin/settings', { user: 'guest' });
    assert.equal(res.headers.get('cache-control'), 'no-store');
  });

  it('answers an unknown API path with a JSON 404', async () => {
    const { call } = adminWorld();
    const res = await call('/api/admin/nothing-here', { user: 'guest' });
    assert.equal(res.status, 404);
    assert.match(((await res.json()) as { error: string }).error, /no such admin API/);
  });

  it('refuses a change whose body is not JSON (a cross-site form cannot send JSON)', async () => {
    const { call, options } = adminWorld();
    const form = await call('/api/admin/settings', {
      method: 'PUT',
      body: 'log_level=debug',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      user: 'owner',
    });
    assert.equal(form.status, 415);
    const broken = await call('/api/admin/settings', {
      method: 'PUT',
      body: '{"log_level":',
      headers: { 'content-type': 'application/json' },
      user: 'owner',
    });
    assert.equal(broken.status, 400);
    assert.deepEqual(options.saved, []);
  });
});
