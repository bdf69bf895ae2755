/**
 * Pins the HTTP guards and bearer authentication in front of the MCP endpoints (server/src/mcp/guards.ts,
 * auth.ts): exact status codes, bodies and challenges of every refusal, which query parameters and Origins
 * are refused, how Accept picks the answer's form, and how bodies are read and judged.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Authentication } from '../../server/src/ha/principals.js';
import type { Context } from 'hono';
import type { McpEnv } from '../../server/src/mcp/env.js';
import { Refusal } from '../../server/src/mcp/errors.js';
import {
  isJsonRpcMessage,
  readBody,
  readMessage,
  readPostedMessage,
  responseModeFor,
  tooLargeMessage,
} from '../../server/src/mcp/guards.js';
import {
  answer,
  fakeAuthenticate,
  initialize,
  JSON_HEADERS,
  mcpWorld,
  post,
  request,
} from '../support/mcp-fixture.js';

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

/** A world whose `authenticate` answers every token with `answer`. */
const answering = (result: Authentication) => mcpWorld({ authenticate: async () => result });

describe('bearer authentication: exact refusals', () => {
  it('says which header is missing, in the OAuth error body', async () => {
    const res = await post(app, initialize(), { authorization: undefined });
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.deepEqual(await answer(res), {
      error: 'unauthorized',
      error_description: 'An Authorization: Bearer token is required',
    });
  });

  it('takes the token only from a whole "Bearer <token>" header, any case, any number of spaces', async () => {
    for (const authorization of ['Bearer good', 'bearer good', 'BEARER  good', 'Bearer    good']) {
      assert.equal((await post(app, request('tools/list'), { authorization })).status, 200, authorization);
    }
    for (const authorization of ['XBearer good', 'Bearer good extra', 'Bearergood', 'Token good']) {
      const res = await post(app, request('tools/list'), { authorization });
      assert.equal(res.status, 401, authorization);
      assert.equal((await answer(res)).error, 'unauthorized', authorization);
    }
  });

  it('keeps quotes and backslashes of a refusal reason out of the challenge', async () => {
    const world = answering({ ok: false, status: 401, reason: 'the "token" was \\ bad' });
    try {
      const res = await post(world.app, initialize());
      assert.equal(
        res.headers.get('www-authenticate'),
        `Bearer error="invalid_token", error_description="the token was  bad", resource_metadata="${METADATA}", ${SCOPE}`
      );
      assert.deepEqual(await answer(res), {
        error: 'invalid_token',
        error_description: 'The "token" was \\ bad',
      });
    } finally {
      world.stop.abort();
    }
  });

  it('answers a rate limit with 429, too_many_requests, and a whole number of seconds, at least one', async () => {
    const busy = await post(app, initialize(), { authorization: 'Bearer busy' });
    assert.deepEqual(await answer(busy), {
      error: 'too_many_requests',
      error_description: 'Too many failed authentications from this address; try again later',
    });
    for (const [retryAfterSeconds, header] of [
      [undefined, '60'],
      [0.2, '1'],
      [0, '1'],
      [2.1, '3'],
    ] as const) {
      const world = answering({ ok: false, status: 429, reason: 'too many', retryAfterSeconds });
      try {
        const res = await post(world.app, initialize());
        assert.equal(res.status, 429);
        assert.equal(res.headers.get('retry-after'), header, String(retryAfterSeconds));
      } finally {
        world.stop.abort();
      }
    }
  });

  it('answers an absent Home Assistant with 503, temporarily_unavailable, and Retry-After only when known', async () => {
    const down = await post(app, initialize(), { authorization: 'Bearer down' });
    assert.equal(down.headers.get('retry-after'), null);
    assert.equal(down.headers.get('www-authenticate'), null);
    assert.deepEqual(await answer(down), {
      error: 'temporarily_unavailable',
      error_description: 'Home Assistant is unavailable',
    });
    const world = answering({ ok: false, status: 503, reason: 'away', retryAfterSeconds: 7 });
    try {
      const res = await post(world.app, initialize());
      assert.equal(res.status, 503);
      assert.equal(res.headers.get('retry-after'), '7');
    } finally {
      world.stop.abort();
    }
  });

  it('records who was let in, and why a request was refused', async () => {
    const world = mcpWorld();
    try {
      await post(world.app, request('tools/list'));
      await post(world.app, request('tools/list'), { authorization: 'Bearer nope' });
      const [ok, refused] = await world.recordsAfter(2);
      assert.deepEqual([ok!.userId, ok!.userName], ['owner', 'Owner']);
      assert.equal(ok!.outcome, 'ok');
      assert.equal(refused!.userId, undefined);
      assert.equal(refused!.outcome, 'auth_failed');
      assert.equal(refused!.httpStatus, 401);
      assert.equal(refused!.error, 'The token was refused by Home Assistant');
    } finally {
      world.stop.abort();
    }
  });

  it('logs a missing or refused token as auth_failed, and other refusals as HTTP errors', async () => {
    const world = mcpWorld();
    try {
      for (const authorization of [undefined, 'Bearer nope', 'Bearer busy', 'Bearer down']) {
        await post(world.app, request('tools/list'), { authorization });
      }
      const records = await world.recordsAfter(4);
      assert.deepEqual(
        records.map((r) => [r.httpStatus, r.outcome]),
        [
          [401, 'auth_failed'],
          [401, 'auth_failed'],
          [429, 'http_error'],
          [503, 'http_error'],
        ]
      );
    } finally {
      world.stop.abort();
    }
  });
});

describe('HTTP guards: query string', () => {
  it('refuses every credential-looking parameter name with the exact message', async () => {
    for (const param of [
      'apikey',
      'api-key',
      'API_KEY',
      'key',
      'bearer',
      'password',
      'client_secret',
      'oauth',
    ]) {
      const res = await post(app, request('tools/list'), {}, `/api/mcp?${param}=x`);
      assert.equal(res.status, 400, param);
      assert.deepEqual(await answer(res), {
        jsonrpc: '2.0',
        error: {
          code: -32000,
          message:
            'Credentials in the query string are refused: send them as an Authorization: Bearer header',
        },
        id: null,
      });
    }
  });

  it('lets other parameters through, even ones that contain "key"', async () => {
    for (const param of ['monkey', 'keyboard', 'keys', 'api', 'foo']) {
      const res = await post(app, request('tools/list'), {}, `/api/mcp?${param}=1`);
      assert.equal(res.status, 200, param);
    }
  });
});

describe('HTTP guards: Origin', () => {
  it('refuses with the exact message, and refuses origins that are not web origins', async () => {
    for (const origin of ['file:///etc/passwd', 'custom-app://host', 'not a url', 'http://localhost:8080']) {
      const res = await post(app, request('tools/list'), { origin });
      assert.equal(res.status, 403, origin);
      assert.equal(
        (await answer(res)).error.message,
        'Forbidden: requests from this Origin are not allowed',
        origin
      );
    }
  });

  it('allows a listed origin given as a full URL, path and all', async () => {
    const world = mcpWorld({ allowedOrigins: ['https://claude.ai/some/path', 'not a url'] });
    try {
      const res = await post(world.app, request('tools/list'), { origin: 'https://claude.ai' });
      assert.equal(res.status, 200);
      // A listed entry that is no URL is matched as given.
      assert.equal((await post(world.app, request('tools/list'), { origin: 'not a url' })).status, 200);
      assert.equal(
        (await post(world.app, request('tools/list'), { origin: 'https://claude.ai.evil' })).status,
        403
      );
    } finally {
      world.stop.abort();
    }
  });

  it('counts the host of the public base URL as its own, and survives a malformed one', async () => {
    const proxied = mcpWorld({ publicBaseUrl: () => 'https://mcp.example.org:8443/base' });
    const malformed = mcpWorld({ publicBaseUrl: () => 'no url here' });
    try {
      assert.equal(
        (await post(proxied.app, request('tools/list'), { origin: 'https://mcp.example.org:8443' })).status,
        200
      );
      assert.equal(
        (await post(proxied.app, request('tools/list'), { origin: 'https://mcp.example.org' })).status,
        403
      );
      assert.equal(
        (await post(malformed.app, request('tools/list'), { origin: 'http://localhost' })).status,
        200
      );
      assert.equal(
        (await post(malformed.app, request('tools/list'), { origin: 'https://evil.example' })).status,
        403
      );
    } finally {
      proxied.stop.abort();
      malformed.stop.abort();
    }
  });
});

describe('HTTP guards: content type and Accept', () => {
  it('refuses a POST that is not JSON with 415 and the exact message', async () => {
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', undefined]) {
      const res = await post(app, request('tools/list'), { 'content-type': contentType });
      assert.equal(res.status, 415, String(contentType));
      assert.equal(
        (await answer(res)).error.message,
        'Unsupported Media Type: Content-Type must be application/json'
      );
    }
    const charset = await post(app, request('tools/list'), {
      'content-type': 'application/json; charset=utf-8',
    });
    assert.equal(charset.status, 200);
  });

  it('refuses an Accept it cannot answer with 406 and the exact message', async () => {
    const res = await post(app, request('tools/list'), { accept: 'image/png, text/html' });
    assert.equal(res.status, 406);
    assert.equal(
      (await answer(res)).error.message,
      'Not Acceptable: the client must accept application/json or text/event-stream'
    );
  });

  it('answers in the form Accept picked: one JSON body, or an event stream', async () => {
    const json = await post(app, request('tools/list'), { accept: 'application/json' });
    assert.match(json.headers.get('content-type') ?? '', /^application\/json/);
    const sse = await post(app, request('tools/list'), { accept: 'text/event-stream' });
    assert.match(sse.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.equal((await answer(sse)).result.tools.length, 2);
  });

  it('reads Accept without regard to case, spaces or other parameters, honouring q', () => {
    assert.equal(responseModeFor(''), 'json');
    assert.equal(responseModeFor('   '), 'json');
    assert.equal(responseModeFor('*/*'), 'json');
    assert.equal(responseModeFor('application/*'), 'json');
    assert.equal(responseModeFor('Application/JSON'), 'json');
    assert.equal(responseModeFor('TEXT/EVENT-STREAM'), 'sse');
    assert.equal(responseModeFor('  text/event-stream  ;  q=1 '), 'sse');
    assert.equal(responseModeFor('application/json;q=0.5, text/event-stream'), 'json');
    assert.equal(responseModeFor('application/json;level=1;q=0.5'), 'json');
    assert.equal(responseModeFor('application/json;q=0, text/event-stream;q=0'), undefined);
    assert.equal(responseModeFor('*/*;q=0'), undefined);
    assert.equal(responseModeFor('image/*'), undefined);
    assert.equal(responseModeFor('text/plain'), undefined);
  });
});

describe('HTTP guards: the message', () => {
  const small = mcpWorld({ maxBodyBytes: 200 });
  after(() => small.stop.abort());

  it('judges the Content-Type before reading the body', async () => {
    const res = await post(app, 'not json', { 'content-type': 'text/plain' });
    assert.equal(res.status, 415);
  });

  it('answers a body that cannot be read with a parse error, not as too large', async () => {
    const broken = new ReadableStream({
      pull(controller) {
        controller.error(new Error('connection reset'));
      },
    });
    const res = await app.request(
      new Request('http://localhost/api/mcp', {
        method: 'POST',
        headers: JSON_HEADERS,
        body: broken,
        duplex: 'half',
      } as RequestInit)
    );
    assert.equal(res.status, 400);
    assert.equal((await answer(res)).error.code, -32700);
  });

  it('refuses a malformed message with its JSON-RPC code, as a protocol error', async () => {
    const refusalFor = async (body: string) => {
      const c = {
        req: { raw: new Request('http://localhost/api/mcp', { method: 'POST', body }) },
        set: () => {},
        get: () => ({ describe: () => {} }),
      } as unknown as Context<McpEnv>;
      const err = await readMessage(1_000)(c, async () => {}).then(
        () => assert.fail('expected a refusal'),
        (e: unknown) => e
      );
      assert.ok(err instanceof Refusal);
      return [err.status, err.errorCode, err.outcome];
    };
    assert.deepEqual(await refusalFor('{'), [400, -32700, 'rpc_error']);
    assert.deepEqual(await refusalFor('[]'), [400, -32600, 'rpc_error']);
    assert.deepEqual(await refusalFor('x'.repeat(1_001)), [413, -32000, 'http_error']);
  });

  it('says how large a body may be', () => {
    assert.equal(tooLargeMessage(1024), 'Payload Too Large: the request body must not exceed 1024 bytes');
  });

  it('refuses a body over the limit with 413, as an HTTP error', async () => {
    const res = await post(small.app, { ...request('tools/list'), pad: 'x'.repeat(300) });
    assert.equal(res.status, 413);
    assert.deepEqual(await answer(res), {
      jsonrpc: '2.0',
      error: { code: -32000, message: 'Payload Too Large: the request body must not exceed 200 bytes' },
      id: null,
    });
    assert.equal((await post(small.app, request('tools/list'))).status, 200);
  });

  it('answers a body that is not JSON with a JSON-RPC parse error, logged as one', async () => {
    const world = mcpWorld();
    try {
      const res = await post(world.app, '{"jsonrpc": "2.0", ');
      assert.equal(res.status, 400);
      assert.deepEqual(await answer(res), {
        jsonrpc: '2.0',
        error: { code: -32700, message: 'Parse error: the body is not valid JSON' },
        id: null,
      });
      const [record] = await world.recordsAfter(1);
      assert.equal(record!.outcome, 'rpc_error');
      assert.equal(record!.errorCode, -32700);
    } finally {
      world.stop.abort();
    }
  });

  it('answers JSON that is not one JSON-RPC message with Invalid Request, logged as such', async () => {
    const world = mcpWorld();
    try {
      for (const body of ['[]', 'null', '"text"', '{"id":1,"method":"tools/list"}', '[{"jsonrpc":"2.0"}]']) {
        const res = await post(world.app, body);
        assert.equal(res.status, 400, body);
        assert.deepEqual(
          await answer(res),
          {
            jsonrpc: '2.0',
            error: { code: -32600, message: 'Invalid Request: the body must be one JSON-RPC message' },
            id: null,
          },
          body
        );
      }
      const records = await world.recordsAfter(5);
      assert.deepEqual(
        records.map((r) => [r.outcome, r.errorCode]),
        Array(5).fill(['rpc_error', -32600])
      );
    } finally {
      world.stop.abort();
    }
  });

  it('notes the method of the message it read', async () => {
    const world = mcpWorld();
    try {
      await post(world.app, request('tools/list'));
      const [record] = await world.recordsAfter(1);
      assert.equal(record!.method, 'tools/list');
    } finally {
      world.stop.abort();
    }
  });

  it('tells one JSON-RPC message from anything else', () => {
    assert.equal(isJsonRpcMessage({ jsonrpc: '2.0', method: 'ping', id: 1 }), true);
    assert.equal(isJsonRpcMessage({ jsonrpc: '2.0', method: 'notifications/initialized' }), true);
    assert.equal(isJsonRpcMessage({ jsonrpc: '2.0', id: 1, result: {} }), true);
    assert.equal(isJsonRpcMessage({ jsonrpc: '2.0', id: 1, error: { code: 1, message: 'x' } }), true);
    for (const value of [
      null,
      undefined,
      'text',
      42,
      [],
      [{ jsonrpc: '2.0', method: 'ping' }],
      Object.assign([], { jsonrpc: '2.0', method: 'ping' }),
      Object.assign(() => {}, { jsonrpc: '2.0', method: 'ping' }),
      { jsonrpc: '2.0' },
      { jsonrpc: '2.0', id: 1 },
      { jsonrpc: '2.0', method: 3 },
      { jsonrpc: '1.0', method: 'ping' },
      { jsonrpc: 2, method: 'ping' },
      { method: 'ping' },
      { id: 1, result: {} },
    ]) {
      assert.equal(isJsonRpcMessage(value), false, JSON.stringify(value));
    }
  });
});

describe('reading a body', () => {
  const requestWith = (body: string | ReadableStream | null, headers: Record<string, string> = {}) =>
    new Request('http://localhost/x', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);

  it('gives the text of a body within the limit', async () => {
    assert.deepEqual(await readBody(requestWith('{"a":1}'), 7), { ok: true, text: '{"a":1}' });
    assert.deepEqual(await readBody(requestWith(null), 7), { ok: true, text: '' });
  });

  it('says a body over the limit is too large', async () => {
    assert.deepEqual(await readBody(requestWith('{"a":12}'), 7), { ok: false, tooLarge: true });
  });

  it('says a body that cannot be read is unreadable, not too large', async () => {
    const broken = new ReadableStream({
      pull(controller) {
        controller.error(new Error('connection reset'));
      },
    });
    assert.deepEqual(await readBody(requestWith(broken), 100), { ok: false, tooLarge: false });
  });
});

describe('legacy SSE messages', () => {
  const requestWith = (body: string | ReadableStream) =>
    new Request('http://localhost/x', { method: 'POST', body, duplex: 'half' } as RequestInit);
  const refusal = async (promise: Promise<unknown>) => {
    const err = await promise.then(
      () => assert.fail('expected a refusal'),
      (e: unknown) => e
    );
    assert.ok(err instanceof Refusal);
    const res = err.getResponse();
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };

  it('returns one JSON-RPC message as read', async () => {
    assert.deepEqual(await readPostedMessage(requestWith('{"jsonrpc":"2.0","method":"ping","id":3}'), 100), {
      jsonrpc: '2.0',
      method: 'ping',
      id: 3,
    });
  });

  it('refuses a body over the limit with 413 in plain text', async () => {
    assert.deepEqual(await refusal(readPostedMessage(requestWith('x'.repeat(101)), 100)), {
      status: 413,
      type: 'text/plain; charset=utf-8',
      text: 'Payload Too Large: the request body must not exceed 100 bytes',
    });
  });

  it('refuses anything but one JSON-RPC message as Home Assistant does: "Could not parse message"', async () => {
    const broken = new ReadableStream({
      pull(controller) {
        controller.error(new Error('reset'));
      },
    });
    for (const body of ['not json', '[]', '{"method":"ping"}', '{"jsonrpc":"2.0"}', broken]) {
      assert.deepEqual(await refusal(readPostedMessage(requestWith(body), 100)), {
        status: 400,
        type: 'text/plain; charset=utf-8',
        text: 'Could not parse message',
      });
    }
  });
});
