/**
 * The Connect page's server side: the published port read from the Supervisor, and the connection test's
 * plain-words verdicts for the usual mistakes (nothing listening, a port that is not this server, a
 * wrong path), against real sockets.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Hono } from 'hono';
import { OPEN_ACCESS } from '../../server/src/mcp/access.js';
import { mcpWorld } from '../support/mcp-fixture.js';
import { connectionTestRoutes } from '../../server/src/admin/connection-test.js';
import type { ConnectionCheck } from '../../server/src/admin/contract.js';
import { supervisorHostAddress } from '../../server/src/admin/host-address.js';
import { supervisorPublishedPort } from '../../server/src/admin/published-port.js';
import { listen } from '../../server/src/http/listen.js';
import { freePort } from '../support/ports.js';
import { adminWorld } from '../support/admin-fixture.js';
import { coreConfig } from '../support/core-config.js';

describe('the published MCP port', () => {
  const supervisor = (network: unknown, status = 200) => {
    const asked: string[] = [];
    const fetchFake = (async (url: string | URL | Request, init?: RequestInit) => {
      asked.push(`${String(url)} ${new Headers(init?.headers).get('authorization')}`);
      return new Response(JSON.stringify({ result: 'ok', data: { network } }), { status });
    }) as typeof fetch;
    return { asked, fetchFake };
  };

  it('reads the host port from the Supervisor, once a minute at most', async () => {
    const { asked, fetchFake } = supervisor({ '9123/tcp': 19123 });
    let now = 0;
    const port = supervisorPublishedPort({
      token: 'sup',
      containerPort: 9123,
      fetch: fetchFake,
      now: () => now,
    });
    assert.equal(await port(), 19123);
    assert.equal(await port(), 19123);
    now = 61_000;
    assert.equal(await port(), 19123);
    assert.deepEqual(asked, Array(2).fill('http://supervisor/addons/self/info Bearer sup'));
  });

  it('says null when the port is not published, and undefined when the Supervisor does not answer', async () => {
    assert.equal(
      await supervisorPublishedPort({
        token: 't',
        containerPort: 9123,
        fetch: supervisor({ '9123/tcp': null }).fetchFake,
      })(),
      null
    );
    assert.equal(
      await supervisorPublishedPort({
        token: 't',
        containerPort: 9123,
        fetch: supervisor({}, 500).fetchFake,
      })(),
      undefined
    );
  });
});

describe('the host’s address, as the Supervisor knows it', () => {
  /** A Supervisor answering /network/info and /info (null: that call fails), counting the calls. */
  const supervisor = (network: unknown, info: unknown) => {
    const asked: string[] = [];
    const fetchFake = (async (url: string | URL | Request) => {
      const path = new URL(String(url)).pathname;
      asked.push(path);
      const data = path === '/network/info' ? network : path === '/info' ? info : undefined;
      return data === null
        ? new Response(JSON.stringify({ result: 'error', message: 'no' }), { status: 500 })
        : new Response(JSON.stringify({ result: 'ok', data }));
    }) as typeof fetch;
    return { asked, fetchFake };
  };
  const iface = (over: Record<string, unknown>) => ({
    interface: 'eth0',
    primary: false,
    connected: true,
    mdns: 'default',
    ipv4: { address: ['10.0.0.9/24'] },
    ...over,
  });

  it('reads the primary interface’s IPv4 address and the host’s .local name, once a minute at most', async () => {
    const { asked, fetchFake } = supervisor(
      {
        interfaces: [
          iface({ interface: 'wlan0', connected: false, ipv4: { address: ['10.0.0.7/24'] } }),
          iface({ interface: 'eth0', primary: true, ipv4: { address: ['192.168.1.20/24'] } }),
        ],
      },
      { hostname: 'Ha-Kitchen' }
    );
    let now = 0;
    const address = supervisorHostAddress({ token: 't', fetch: fetchFake, now: () => now });
    assert.deepEqual(await address(), { ip: '192.168.1.20', mdnsName: 'ha-kitchen.local' });
    assert.deepEqual(await address(), { ip: '192.168.1.20', mdnsName: 'ha-kitchen.local' });
    now = 61_000;
    await address();
    assert.deepEqual(asked.sort(), ['/info', '/info', '/network/info', '/network/info']);
  });

  it('offers no .local name where the host does not announce it, and no address it does not have', async () => {
    for (const mdns of ['off', 'resolve']) {
      const { fetchFake } = supervisor({ interfaces: [iface({ primary: true, mdns })] }, { hostname: 'ha' });
      assert.deepEqual(await supervisorHostAddress({ token: 't', fetch: fetchFake })(), {
        ip: '10.0.0.9',
        mdnsName: null,
      });
    }
    // Before Supervisor 2025.09 interfaces had no mdns field: the host announced its name.
    const older = supervisor({ interfaces: [{ primary: true, ipv4: { address: [] } }] }, { hostname: 'ha' });
    assert.deepEqual(await supervisorHostAddress({ token: 't', fetch: older.fetchFake })(), {
      ip: null,
      mdnsName: 'ha.local',
    });
    const networkDown = supervisor(null, { hostname: 'homeassistant' });
    assert.deepEqual(await supervisorHostAddress({ token: 't', fetch: networkDown.fetchFake })(), {
      ip: null,
      mdnsName: 'homeassistant.local',
    });
    const odd = supervisor(
      { interfaces: [iface({ ipv4: { address: ['not-an-ip/24'] } })] },
      { hostname: 'a b' }
    );
    assert.deepEqual(await supervisorHostAddress({ token: 't', fetch: odd.fetchFake })(), {
      ip: null,
      mdnsName: null,
    });
  });

  it('says nothing when the Supervisor does not answer, and asks again next time', async () => {
    const { asked, fetchFake } = supervisor(null, null);
    const address = supervisorHostAddress({ token: 't', fetch: fetchFake });
    assert.equal(await address(), undefined);
    assert.equal(await address(), undefined);
    assert.equal(asked.length, 4);
  });
});

describe('the overview’s MCP URL in an add-on', () => {
  const fakeSupervisor = (network: unknown) =>
    (async () => new Response(JSON.stringify({ result: 'ok', data: { network } }))) as typeof fetch;
  const mcpOf = async (network: unknown) => {
    const world = adminWorld({
      overrides: {
        publishedPort: supervisorPublishedPort({
          token: 't',
          containerPort: 9123,
          fetch: fakeSupervisor(network),
        }),
      },
    });
    world.home.setConfig(coreConfig({ internal_url: 'http://homeassistant.local:8123' }));
    const res = await world.call('/api/admin/overview', { user: 'admin' });
    return (
      (await res.json()) as {
        mcp: { port: number; urls: { kind: string; url: string }[]; cloud: string | null };
      }
    ).mcp;
  };

  it('uses the host port the Supervisor publishes 9123/tcp on', async () => {
    assert.deepEqual(await mcpOf({ '9123/tcp': 19123, '8099/tcp': null }), {
      port: 19123,
      urls: [{ kind: 'internal', url: 'http://homeassistant.local:19123/api/mcp' }],
      cloud: null,
    });
  });

  it('offers no URL on HA’s host when the port is not published', async () => {
    assert.deepEqual((await mcpOf({ '9123/tcp': null })).urls, []);
  });
});

describe('the connection test', () => {
  const app = new Hono().route(
    '/',
    connectionTestRoutes({ mode: 'standalone', mcpPort: 9123, timeoutMs: 2_000 })
  );
  const test = async (url: string, token?: string) => {
    const res = await app.request('/connection-test', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url, ...(token && { token }) }),
    });
    assert.equal(res.status, 200);
    return ((await res.json()) as { checks: ConnectionCheck[] }).checks;
  };
  const stop: (() => Promise<void>)[] = [];
  after(async () => {
    for (const close of stop) await close();
  });

  it('says nothing listens when the port is closed', async () => {
    const port = await freePort();
    const checks = await test(`http://127.0.0.1:${port}/api/mcp`);
    const reach = checks.find((c) => c.name === 'Reachable')!;
    assert.equal(reach.ok, false);
    assert.match(reach.detail, /Nothing accepts connections at 127\.0\.0\.1:\d+/);
  });

  it('says when something else answers there, and when the path is wrong', async () => {
    const other = await listen('other', new Hono(), '127.0.0.1', 0);
    stop.push(() => other.close());
    const checks = await test(`http://127.0.0.1:${other.port}/mcp`);
    assert.deepEqual(
      checks.map((c) => [c.name, c.ok]),
      [
        ['URL', false],
        ['Reachable', false],
      ]
    );
    assert.match(checks[0]!.detail, /should be \/api\/mcp/);
    assert.match(checks[1]!.detail, /no MCP endpoint at \/mcp \(HTTP 404\)/);
  });

  it('tells a plain user’s token apart when only administrators may use the endpoint', async () => {
    const world = mcpWorld({ access: { ...OPEN_ACCESS, requireAdmin: () => true } });
    const server = await listen('mcp', world.app, '127.0.0.1', 0);
    stop.push(async () => {
      world.stop.abort();
      await server.close();
    });
    const url = `http://127.0.0.1:${server.port}/api/mcp`;
    const token = (await test(url, 'other')).find((c) => c.name === 'Token')!;
    assert.equal(token.ok, false);
    assert.match(token.detail, /not an administrator, and "Require an administrator" is on in Settings/);
    assert.equal((await test(url, 'good')).find((c) => c.name === 'Token')!.ok, true);
  });

  it('says a Home Assistant Cloud address leads to Home Assistant, not to the add-on, without asking it', async () => {
    let fetched = false;
    const cloud = new Hono().route(
      '/',
      connectionTestRoutes({
        mode: 'addon',
        mcpPort: 9123,
        fetch: (async () => {
          fetched = true;
          return new Response('', { status: 401 });
        }) as typeof fetch,
      })
    );
    const res = await cloud.request('/connection-test', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'https://abcdef0123.ui.nabu.casa/api/mcp' }),
    });
    const checks = ((await res.json()) as { checks: ConnectionCheck[] }).checks;
    assert.deepEqual(
      checks.map((c) => [c.name, c.ok]),
      [['URL', false]]
    );
    assert.match(
      checks[0]!.detail,
      /Home Assistant Cloud address: it leads to Home Assistant, not to this add-on/
    );
    assert.equal(fetched, false);
  });

  it('refuses what is not an http URL', async () => {
    const checks = await test('file:///etc/passwd');
    assert.deepEqual(checks, [
      {
        name: 'URL',
        ok: false,
        code: 'url_not_http',
        params: {},
        detail: 'This is not an http:// or https:// URL.',
      },
    ]);
  });
});
