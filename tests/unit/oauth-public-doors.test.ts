/**
 * Every public door of the MCP listener over a real loopback connection (issue 18): OAuth's endpoints and
 * discovery documents, the MCP endpoint and the legacy SSE pair. A body far over a door's limit, sent
 * chunked without a length, is answered before the client has sent it (the server never waits for it,
 * let alone holds it), in the door's own words, and before any authentication; a declared length over the
 * limit likewise. Nothing is registered by a refused request.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Home } from '../../server/src/ha/home.js';
import { listen, type Listener } from '../../server/src/http/listen.js';
import { createLogger } from '../../server/src/log.js';
import { createMcpApp } from '../../server/src/mcp/app.js';
import { createOAuthRoutes, MAX_BODY_BYTES } from '../../server/src/oauth/routes.js';
import { upload, type Uploaded } from '../support/from-outside.js';
import { fakeInstance } from '../support/mcp-fixture.js';
import { ISSUER, oauthHarness, type Harness } from '../support/oauth-fixture.js';

const harness = oauthHarness();
const MCP_LIMIT = 64 * 1024;
/** Far more than any door takes, and more than the server drains before it closes the connection. */
const HUGE = 200 * 1024 * 1024;

/** A huge body to a door of the listener, answered as soon as the server answers. */
function send(base: string, method: string, path: string, total: number, declare = false): Promise<Uploaded> {
  return upload(`${base}${path}`, {
    method,
    total,
    declare,
    headers: {
      'content-type': path.startsWith('/oauth/') ? 'application/x-www-form-urlencoded' : 'application/json',
      authorization: 'Bearer good',
    },
  });
}

describe('the public doors, over a real connection', () => {
  let h: Harness;
  let listener: Listener;
  let base: string;
  const stop = new AbortController();
  const authenticated: string[] = [];

  before(async () => {
    h = harness();
    const log = createLogger('error', () => {});
    const app = createMcpApp({
      home: new Home(),
      oauth: createOAuthRoutes({ server: h.server, baseUrl: () => ISSUER, log }),
      mcp: {
        authenticate: async (token) => {
          authenticated.push(token);
          return { ok: false, status: 401, reason: 'refused' };
        },
        instanceFor: fakeInstance,
        log,
        maxBodyBytes: MCP_LIMIT,
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

  const OAUTH_POSTS = ['/oauth/register', '/oauth/token', '/oauth/revoke', '/oauth/consent'];

  for (const declare of [false, true]) {
    const how = declare ? 'declared' : 'chunked, with no length';
    it(`answers a 200 MB body (${how}) at every OAuth endpoint with 413 before it is sent`, async () => {
      for (const path of OAUTH_POSTS) {
        const res = await send(base, 'POST', path, HUGE, declare);
        assert.equal(res.status, 413, path);
        assert.deepEqual(JSON.parse(res.body), {
          error: 'invalid_request',
          error_description: `the request body must not exceed ${MAX_BODY_BYTES} bytes`,
        });
        assert.ok(res.sentBeforeAnswer < HUGE, `${path}: answered only after the whole body`);
      }
      assert.deepEqual(h.store.unusedClients(), { count: 0 }, 'nothing registered');
    });

    it(`answers a 200 MB body (${how}) at the MCP endpoint and the SSE pair with 413, before authentication`, async () => {
      authenticated.length = 0;
      const mcp = await send(base, 'POST', '/api/mcp', HUGE, declare);
      assert.equal(mcp.status, 413);
      assert.deepEqual(JSON.parse(mcp.body).error, {
        code: -32000,
        message: `Payload Too Large: the request body must not exceed ${MCP_LIMIT} bytes`,
      });
      const perApi = await send(base, 'POST', '/api/mcp/assist', HUGE, declare);
      assert.equal(perApi.status, 413);
      const messages = await send(base, 'POST', `/mcp_server/messages/${'a'.repeat(32)}`, HUGE, declare);
      assert.equal(messages.status, 413);
      assert.match(messages.contentType, /^text\/plain/);
      assert.equal(messages.body, `Payload Too Large: the request body must not exceed ${MCP_LIMIT} bytes`);
      for (const res of [mcp, perApi, messages]) assert.ok(res.sentBeforeAnswer < HUGE);
      assert.deepEqual(authenticated, [], 'no token was checked for a body that was refused');
    });
  }

  it('answers the discovery documents, the pages and the SSE stream without reading a body sent with GET', async () => {
    for (const path of [
      '/.well-known/oauth-authorization-server',
      '/.well-known/oauth-protected-resource',
      '/.well-known/oauth-protected-resource/api/mcp',
      '/.well-known/openid-configuration',
    ]) {
      const res = await send(base, 'GET', path, HUGE);
      assert.equal(res.status, 200, path);
      assert.ok(res.sentBeforeAnswer < HUGE, path);
    }
    const page = await send(base, 'GET', '/oauth/authorize?client_id=nobody', HUGE);
    assert.equal(page.status, 400);
    assert.match(page.body, /cannot sign in here/);
    const sse = await send(base, 'GET', '/mcp_server/sse', HUGE);
    assert.equal(sse.status, 401);
    assert.ok(page.sentBeforeAnswer < HUGE && sse.sentBeforeAnswer < HUGE);
  });

  it('still answers after all that', async () => {
    const res = await fetch(`${base}/.well-known/oauth-authorization-server`);
    assert.equal(res.status, 200);
    const registered = await fetch(`${base}/oauth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: ['http://127.0.0.1:1/cb'] }),
    });
    assert.equal(registered.status, 201);
  });
});
