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
import { supervisorPublishedPort } from '../../server/src/admin/published-port.js';
import { listen } from '../../server/src/http/listen.js';
import { freePort } from '../support/ports.js';
import { adminWorld } from '../support/admin-fixture.js';

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
    const res = await world.call('/api/admin/overview', {
      user: 'admin',
      headers: { 'x-forwarded-host': 'homeassistant.local:8123' },
    });
    return ((await res.json()) as { mcp: { port: number; urls: { kind: string; url: string }[] } }).mcp;
  };

  it('uses the host port the Supervisor publishes 9123/tcp on', async () => {
    assert.deepEqual(await mcpOf({ '9123/tcp': 19123, '8099/tcp': null }), {
      port: 19123,
      urls: [{ kind: 'panel', url: 'http://homeassistant.local:19123/api/mcp' }],
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

  it('refuses what is not an http URL', async () => {
    const checks = await test('file:///etc/passwd');
    assert.deepEqual(checks, [{ name: 'URL', ok: false, detail: 'This is not an http:// or https:// URL.' }]);
  });
});
