/**
 * A request the companion integration passed on from Home Assistant's URL (issue 19): the headers it names
 * HA's address and its prefix with are believed from Core's address only, and then every URL the listener
 * hands out lives under that address and prefix: the discovery documents, a 401's `resource_metadata` (at
 * the path-inserted well-known URL on HA's origin), the login at Home Assistant, and the legacy SSE stream's
 * message path. Over a real loopback connection; the peer is trusted or not by the test's rule.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Context } from 'hono';
import { Home } from '../../server/src/ha/home.js';
import { parseThroughHomeAssistant, throughHomeAssistant } from '../../server/src/http/home-assistant-url.js';
import { listen, type Listener } from '../../server/src/http/listen.js';
import { createLogger } from '../../server/src/log.js';
import { createMcpApp } from '../../server/src/mcp/app.js';
import { createOAuthRoutes } from '../../server/src/oauth/routes.js';
import { fakeInstance, SseReader } from '../support/mcp-fixture.js';
import { authorizeQuery, ISSUER, oauthHarness, pkce, registerClient } from '../support/oauth-fixture.js';

const COMPANION = {
  'x-forwarded-proto': 'https',
  'x-forwarded-host': 'home.example.net',
  'x-forwarded-prefix': '/api/mcp_addon',
};
const THROUGH_HA = 'https://home.example.net/api/mcp_addon';

describe('the companion’s headers', () => {
  const parse = (headers: Record<string, string>) => parseThroughHomeAssistant((name) => headers[name]);

  it('name Home Assistant’s origin as the client used it, and the prefix', () => {
    assert.deepEqual(parse(COMPANION), { origin: 'https://home.example.net', prefix: '/api/mcp_addon' });
    assert.deepEqual(
      parse({ ...COMPANION, 'x-forwarded-proto': 'http', 'x-forwarded-host': '192.168.1.5:8123' }),
      {
        origin: 'http://192.168.1.5:8123',
        prefix: '/api/mcp_addon',
      }
    );
    assert.deepEqual(
      parse({ ...COMPANION, 'x-forwarded-host': '[fd00::5]:8123' })?.origin,
      'https://[fd00::5]:8123'
    );
  });

  it('say nothing when one is missing or is not what the companion sends', () => {
    for (const [name, value] of [
      ['x-forwarded-proto', ''],
      ['x-forwarded-proto', 'ftp'],
      ['x-forwarded-host', ''],
      ['x-forwarded-host', 'evil.example/path'],
      ['x-forwarded-host', 'user@evil.example'],
      ['x-forwarded-host', 'evil.example?x=1'],
      ['x-forwarded-host', 'evil.example#x'],
      ['x-forwarded-prefix', ''],
      ['x-forwarded-prefix', 'api/mcp_addon'],
      ['x-forwarded-prefix', '/api/mcp_addon/'],
      ['x-forwarded-prefix', '/api/../x'],
      ['x-forwarded-prefix', '/api/mcp_addon?x'],
      ['x-forwarded-prefix', '//evil.example'],
    ] as const) {
      assert.equal(parse({ ...COMPANION, [name]: value }), undefined, `${name}: ${value}`);
    }
  });
});

describe('a request through Home Assistant’s URL, over a real connection', () => {
  const harness = oauthHarness();
  let trusted = true;
  let listener: Listener;
  let base: string;
  let h: ReturnType<typeof harness>;
  const stop = new AbortController();

  before(async () => {
    h = harness({ haLoginUrl: () => ({ url: 'https://ha.internal.example:8123' }) });
    const log = createLogger('error', () => {});
    // As main.ts: through the companion the base is HA's URL and the prefix.
    const baseUrl = (c: Context) => {
      const through = throughHomeAssistant(c);
      return through ? through.origin + through.prefix : ISSUER;
    };
    const app = createMcpApp({
      home: new Home(),
      trustedProxy: (peer) => trusted && peer === '127.0.0.1',
      oauth: createOAuthRoutes({
        server: h.server,
        baseUrl,
        log,
      }),
      mcp: {
        authenticate: async (token) =>
          token === 'good'
            ? {
                ok: true,
                principal: {
                  userId: 'u1',
                  name: 'Owner',
                  isAdmin: true,
                  authKind: 'long_lived_token',
                  token,
                  tokenHash: 'h',
                },
              }
            : { ok: false, status: 401, reason: 'refused' },
        instanceFor: fakeInstance,
        log,
        publicBaseUrl: baseUrl,
        signal: stop.signal,
      },
    });
    listener = await listen('MCP', app, '127.0.0.1', 0);
    base = `http://127.0.0.1:${listener.port}`;
  });

  after(async () => {
    stop.abort();
    await listener?.close(100);
  });

  const get = (path: string, headers: Record<string, string> = COMPANION) =>
    fetch(`${base}${path}`, { headers, redirect: 'manual' });

  it('serves the discovery documents under HA’s URL and the prefix, from Core only', async () => {
    trusted = true;
    const resource = (await (await get('/.well-known/oauth-protected-resource/api/mcp')).json()) as Record<
      string,
      unknown
    >;
    assert.equal(resource.resource, `${THROUGH_HA}/api/mcp`);
    assert.deepEqual(resource.authorization_servers, [THROUGH_HA]);
    const server = (await (await get('/.well-known/oauth-authorization-server')).json()) as Record<
      string,
      unknown
    >;
    assert.equal(server.issuer, THROUGH_HA);
    assert.equal(server.token_endpoint, `${THROUGH_HA}/oauth/token`);

    trusted = false;
    const foreign = (await (await get('/.well-known/oauth-authorization-server')).json()) as Record<
      string,
      unknown
    >;
    assert.equal(foreign.issuer, ISSUER);
  });

  it('names the path-inserted metadata on HA’s origin in a 401', async () => {
    trusted = true;
    const res = await fetch(`${base}/api/mcp`, {
      method: 'POST',
      headers: {
        ...COMPANION,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: '{"jsonrpc":"2.0","id":1,"method":"ping"}',
    });
    assert.equal(res.status, 401);
    assert.match(
      res.headers.get('www-authenticate') ?? '',
      /resource_metadata="https:\/\/home\.example\.net\/\.well-known\/oauth-protected-resource\/api\/mcp_addon\/api\/mcp"/
    );
  });

  it('sends the browser to log in at Home Assistant on the origin the client used', async () => {
    trusted = true;
    const clientId = registerClient(h);
    const query = new URLSearchParams(
      authorizeQuery(clientId, pkce().challenge, { resource: `${THROUGH_HA}/api/mcp` }) as Record<
        string,
        string
      >
    );
    const res = await get(`/oauth/authorize?${query}`);
    assert.equal(res.status, 302);
    const to = new URL(res.headers.get('location')!);
    assert.equal(`${to.origin}${to.pathname}`, 'https://home.example.net/auth/authorize');
    assert.equal(to.searchParams.get('client_id'), `${THROUGH_HA}/`);
    assert.equal(to.searchParams.get('redirect_uri'), `${THROUGH_HA}/oauth/ha-callback`);
  });

  it('names the message path under the prefix on a legacy SSE stream', async () => {
    const endpointOf = async (headers: Record<string, string>) => {
      const controller = new AbortController();
      const res = await fetch(`${base}/mcp_server/sse`, {
        headers: { ...headers, authorization: 'Bearer good' },
        signal: controller.signal,
      });
      const reader = new SseReader(res.body!);
      const event = await reader.nextEvent();
      controller.abort();
      return event?.data ?? '';
    };
    trusted = true;
    assert.match(await endpointOf(COMPANION), /^\/api\/mcp_addon\/mcp_server\/messages\/[0-9a-f]{32}$/);
    trusted = false;
    assert.match(await endpointOf(COMPANION), /^\/mcp_server\/messages\/[0-9a-f]{32}$/);
  });
});
