import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Authentication } from '../../server/src/ha/principals.js';
import { responseModeFor } from '../../server/src/mcp/guards.js';
import { answer, fakeAuthenticate, initialize, mcpWorld, post, request } from './mcp-fixture.js';

const world = mcpWorld();
const { app } = world;
after(() => world.stop.abort());

const METADATA = 'http://localhost/.well-known/oauth-protected-resource/api/mcp';
const SCOPE = 'scope="homeassistant.read homeassistant.control"';

describe('bearer authentication on every MCP endpoint', () => {
  it('asks for a token with 401 and the protected-resource metadata when none is sent', async () => {
    for (const authorization of [undefined, 'Basic Zm9vOmJhcg==', 'Bearer', 'good']) {
      const res = await post(app, initialize(), { authorization });
      assert.equal(res.status, 401, String(authorization));
      assert.equal(res.headers.get('www-authenticate'), `Bearer resource_metadata="${METADATA}", ${SCOPE}`);
      assert.equal((await answer(res)).error, 'unauthorized');
    }
  });

  it('says invalid_token when a token was sent and refused, without repeating it', async () => {
    const res = await post(app, initialize(), { authorization: 'Bearer sekrit-123' });
    assert.equal(res.status, 401);
    assert.equal(
      res.headers.get('www-authenticate'),
      `Bearer error="invalid_token", error_description="the token was refused by Home Assistant", resource_metadata="${METADATA}", ${SCOPE}`
    );
    const body = await res.text();
    assert.deepEqual(JSON.parse(body), {
      error: 'invalid_token',
      error_description: 'The token was refused by Home Assistant',
    });
    assert.doesNotMatch(body, /sekrit/);
  });

  it('says when an access token has expired, so the client refreshes it', async () => {
    const res = await post(app, initialize(), { authorization: 'Bearer hamcp_at_old' });
    assert.equal(res.status, 401);
    assert.match(
      res.headers.get('www-authenticate') ?? '',
      /^Bearer error="invalid_token", error_description="the access token has expired; refresh it", resource_metadata=/
    );
    assert.equal((await answer(res)).error_description, 'The access token has expired; refresh it');
  });

  it('passes on a rate limit as 429 with Retry-After, and an absent Home Assistant as 503', async () => {
    const busy = await post(app, initialize(), { authorization: 'Bearer busy' });
    assert.equal(busy.status, 429);
    assert.equal(busy.headers.get('retry-after'), '42');
    const down = await post(app, initialize(), { authorization: 'Bearer down' });
    assert.equal(down.status, 503);
    assert.equal((await answer(down)).error_description, 'Home Assistant is unavailable');
  });

  it('names the metadata under the public base URL when one is configured', async () => {
    const behindProxy = mcpWorld({ publicBaseUrl: () => 'https://mcp.example.org/' });
    try {
      const res = await post(behindProxy.app, initialize(), { authorization: undefined });
      assert.equal(
        res.headers.get('www-authenticate'),
        `Bearer resource_metadata="https://mcp.example.org/.well-known/oauth-protected-resource/api/mcp", ${SCOPE}`
      );
    } finally {
      behindProxy.stop.abort();
    }
  });

  it('authenticates with the client address, and only once per request', async () => {
    const asked: string[] = [];
    const counting = mcpWorld({
      authenticate: (token: string, address: string): Promise<Authentication> => {
        asked.push(address);
        return fakeAuthenticate(token);
      },
    });
    try {
      assert.equal((await post(counting.app, initialize())).status, 200);
      assert.deepEqual(asked, ['unknown']); // app.request() has no socket; a listener passes the peer address
    } finally {
      counting.stop.abort();
    }
  });

  it('guards the legacy SSE endpoints the same way', async () => {
    const sse = await app.request('/mcp_server/sse');
    assert.equal(sse.status, 401);
    assert.match(sse.headers.get('www-authenticate')!, /resource_metadata=/);
    const messages = await app.request('/mcp_server/messages/0123456789abcdef0123456789abcdef', {
      method: 'POST',
      headers: { authorization: 'Bearer nope' },
      body: '{}',
    });
    assert.equal(messages.status, 401);
  });
});

describe('HTTP guards', () => {
  it('refuses credentials in the query string with 400, before authentication, never echoing them', async () => {
    for (const param of ['access_token', 'token', 'auth', 'api_key', 'Authorization']) {
      for (const path of [`/api/mcp?${param}=sekrit-123`, `/mcp_server/sse?${param}=sekrit-123`]) {
        const res = path.startsWith('/api')
          ? await post(app, initialize(), { authorization: undefined }, path)
          : await app.request(path);
        assert.equal(res.status, 400, path);
        const body = await res.text();
        assert.match(body, /Authorization: Bearer header/);
        assert.doesNotMatch(body, /sekrit/);
      }
    }
  });

  it('refuses a foreign Origin with 403', async () => {
    for (const origin of ['https://evil.example', 'http://localhost.evil.example', 'null']) {
      const res = await post(app, initialize(), { origin });
      assert.equal(res.status, 403, origin);
      assert.match((await answer(res)).error.message, /Origin/);
    }
    const sse = await app.request('/mcp_server/sse', {
      headers: { authorization: 'Bearer good', origin: 'https://evil.example' },
    });
    assert.equal(sse.status, 403);
  });

  it('lets through no Origin (CLI clients), its own host, and listed origins', async () => {
    const listed = mcpWorld({ allowedOrigins: ['https://claude.ai'] });
    try {
      for (const origin of [undefined, 'http://localhost', 'https://claude.ai']) {
        const res = await post(listed.app, request('tools/list'), { origin });
        assert.equal(res.status, 200, String(origin));
      }
      const proxied = await post(listed.app, request('tools/list'), {
        origin: 'https://home.example.org',
        host: 'home.example.org',
      });
      assert.equal(proxied.status, 200);
    } finally {
      listed.stop.abort();
    }
  });

  it('chooses JSON whenever the client takes it, SSE when it takes only that', () => {
    assert.equal(responseModeFor(undefined), 'json');
    assert.equal(responseModeFor('application/json, text/event-stream'), 'json');
    assert.equal(responseModeFor('text/event-stream, application/json;q=0'), 'sse');
    assert.equal(responseModeFor('text/*'), 'sse');
    assert.equal(responseModeFor('image/png'), undefined);
  });
});
