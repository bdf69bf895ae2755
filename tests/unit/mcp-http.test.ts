import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { VERSION } from '../../server/src/version.js';
import {
  answer,
  built,
  CONTEXT_URI,
  GREETING_SCHEMA,
  initialize,
  LEVEL_SCHEMA,
  mcpWorld,
  modern,
  MODERN,
  post,
  request,
} from '../support/mcp-fixture.js';

const world = mcpWorld();
const { app } = world;
after(() => world.stop.abort());

const call = (name: string, args: Record<string, unknown>, token = 'good') =>
  post(app, request('tools/call', { name, arguments: args }), { authorization: `Bearer ${token}` }).then(
    answer
  );

describe('Streamable HTTP at /api/mcp', () => {
  for (const version of ['2024-11-05', '2025-03-26', '2025-06-18', '2025-11-25']) {
    it(`answers the legacy initialize handshake at ${version}`, async () => {
      const res = await post(app, initialize(version));
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('mcp-session-id'), null, 'stateless: no session');
      const { result } = await answer(res);
      assert.equal(result.protocolVersion, version);
      assert.deepEqual(result.serverInfo, { name: 'home-assistant', version: VERSION });
      assert.equal('instructions' in result, false);
      assert.deepEqual(result.capabilities, {
        tools: { listChanged: false },
        prompts: { listChanged: false },
        resources: { listChanged: false },
      });
    });
  }

  it('answers a repeated handshake exactly as the first, with the request own id', async () => {
    for (const version of ['2025-06-18', '1999-01-01']) {
      const first = await answer(await post(app, initialize(version, 'first')));
      for (const id of [7, 'seven', 0]) {
        const res = await post(app, initialize(version, id));
        assert.equal(res.status, 200);
        assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
        const again = await answer(res);
        assert.deepEqual(again, { ...first, id });
      }
      if (version === '1999-01-01') assert.notEqual(first.result.protocolVersion, version, 'negotiated');
    }
  });

  it('answers a handshake by SSE when the client accepts only SSE, however often it is asked', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await post(app, initialize('2025-06-18', i), { accept: 'text/event-stream' });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
      assert.match(await res.text(), new RegExp(`"id":${i}`));
    }
  });

  it('serves legacy requests without a prior initialize, as a stateless server must', async () => {
    const { result } = await answer(
      await post(app, request('tools/list'), { 'mcp-protocol-version': '2025-06-18' })
    );
    assert.deepEqual(
      result.tools.map((t: { name: string }) => t.name),
      ['GetGreeting', 'SetLevel']
    );
  });

  it('serves the 2026-07-28 era: server/discover and requests carrying the per-request envelope', async () => {
    const discover = modern('server/discover');
    const res = await post(app, discover.body, discover.headers);
    assert.equal(res.status, 200);
    const { result } = await answer(res);
    assert.deepEqual(result.supportedVersions, [MODERN]);
    assert.equal(result.capabilities.tools.listChanged, false);
    assert.equal('instructions' in result, false);

    const list = modern('tools/list');
    const tools = await answer(await post(app, list.body, list.headers));
    assert.deepEqual(
      tools.result.tools.map((t: { name: string }) => t.name),
      ['GetGreeting', 'SetLevel']
    );
    assert.deepEqual(tools.result._meta['io.modelcontextprotocol/serverInfo'], {
      name: 'home-assistant',
      version: VERSION,
    });
  });

  it('answers one JSON body when the client accepts JSON, and an SSE stream when it accepts only SSE', async () => {
    for (const accept of ['application/json, text/event-stream', 'application/json', '*/*', undefined]) {
      const res = await post(app, request('tools/list'), { accept });
      assert.equal(res.headers.get('content-type'), 'application/json', `Accept: ${accept}`);
      assert.equal((await answer(res)).id, 2);
    }
    const legacy = await post(app, request('tools/list'), { accept: 'text/event-stream' });
    assert.match(legacy.headers.get('content-type')!, /^text\/event-stream/);
    assert.equal((await answer(legacy)).result.tools.length, 2);

    const list = modern('tools/list');
    const streamed = await post(app, list.body, { ...list.headers, accept: 'text/event-stream' });
    assert.match(streamed.headers.get('content-type')!, /^text\/event-stream/);
    assert.equal((await answer(streamed)).result.tools.length, 2);
  });

  it('refuses an Accept it cannot answer with 406', async () => {
    const res = await post(app, request('tools/list'), { accept: 'text/html' });
    assert.equal(res.status, 406);
    assert.match((await answer(res)).error.message, /application\/json or text\/event-stream/);
  });

  it('answers notifications with 202 and no body', async () => {
    const res = await post(app, { jsonrpc: '2.0', method: 'notifications/initialized' });
    assert.equal(res.status, 202);
    assert.equal(await res.text(), '');
  });

  it('refuses GET and DELETE with 405: there is no session stream', async () => {
    for (const method of ['GET', 'DELETE']) {
      const res = await app.request('/api/mcp', { method, headers: { authorization: 'Bearer good' } });
      assert.equal(res.status, 405, method);
      assert.equal(res.headers.get('allow'), 'POST');
    }
  });

  it('refuses a body that is not JSON with 415 and says why', async () => {
    const res = await post(app, 'tools/list', { 'content-type': 'text/plain' });
    assert.equal(res.status, 415);
    assert.match((await answer(res)).error.message, /Content-Type must be application\/json/);
  });

  it('refuses a body over the limit with 413', async () => {
    const small = mcpWorld({ maxBodyBytes: 1024 });
    try {
      const big = request('tools/call', { name: 'GetGreeting', arguments: { name: 'x'.repeat(2048) } });
      const res = await post(small.app, big);
      assert.equal(res.status, 413);
      assert.match((await answer(res)).error.message, /must not exceed 1024 bytes/);
    } finally {
      small.stop.abort();
    }
  });

  it('answers malformed JSON with a JSON-RPC parse error, and a non-message with invalid request', async () => {
    const parse = await post(app, '{"jsonrpc": "2.0", "id": 1,');
    assert.equal(parse.status, 400);
    assert.deepEqual((await answer(parse)).error.code, -32700);
    for (const body of [[request('tools/list')], { id: 1, method: 'tools/list' }, 42]) {
      const invalid = await post(app, body);
      assert.equal(invalid.status, 400);
      assert.equal((await answer(invalid)).error.code, -32600, JSON.stringify(body));
    }
  });

  it('answers an unknown method with JSON-RPC "method not found" in both eras', async () => {
    const legacy = await post(app, request('lights/dance'));
    assert.equal(legacy.status, 200);
    assert.equal((await answer(legacy)).error.code, -32601);
    const unknown = modern('lights/dance');
    const res = await post(app, unknown.body, unknown.headers);
    assert.equal(res.status, 404); // 2026-07-28: unknown methods are 404 at the HTTP level too
    assert.equal((await answer(res)).error.code, -32601);
  });
});

describe('MCP generated from the API instance', () => {
  it('lists every tool with its name, title, description, annotations and schema exactly as given', async () => {
    const { result } = await answer(await post(app, request('tools/list')));
    assert.deepEqual(result.tools, [
      {
        name: 'GetGreeting',
        title: 'Greeting',
        description: 'Greets someone',
        inputSchema: GREETING_SCHEMA,
        annotations: { readOnlyHint: true },
      },
      {
        name: 'SetLevel',
        description: 'Sets the level',
        inputSchema: LEVEL_SCHEMA,
        annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
      },
    ]);
  });

  it('runs a tool as the calling principal and returns its text', async () => {
    const owner = await call('GetGreeting', { name: 'Ann' });
    assert.deepEqual(owner.result, {
      content: [{ type: 'text', text: '{"greeting":"Hello Ann","by":"Owner"}' }],
      isError: false,
    });
    const guest = await call('GetGreeting', {}, 'other');
    assert.equal(JSON.parse(guest.result.content[0].text).by, 'Guest');
  });

  it('answers an unknown tool as Home Assistant does: a result with isError, not a protocol error', async () => {
    const { result } = await call('HassDance', {});
    assert.deepEqual(result, {
      content: [{ type: 'text', text: 'Error calling tool: Tool "HassDance" not found' }],
      isError: true,
    });
  });

  it('answers a tool that is not listed (read-only mode) with its own refusal, whatever the arguments', async () => {
    const { result } = await answer(await post(app, request('tools/list')));
    assert.equal(
      result.tools.some((t: { name: string }) => t.name === 'OpenGarage'),
      false
    );
    for (const args of [{ door: 'main' }, {}]) {
      const called = await call('OpenGarage', args);
      assert.deepEqual(called.result, {
        content: [{ type: 'text', text: 'Error calling tool: Home Assistant is in read-only mode' }],
        isError: true,
      });
    }
  });

  it('turns a thrown error into an isError result with its message and nothing else', async () => {
    const { result } = await call('SetLevel', { level: 13 });
    assert.deepEqual(result.content, [{ type: 'text', text: 'Error calling tool: unlucky level' }]);
    assert.equal(result.isError, true);
    assert.doesNotMatch(JSON.stringify(result), /at .*\.ts:\d+/);
  });

  it('passes a tool’s own failure through as it is', async () => {
    const { result } = await call('SetLevel', { level: 0 });
    assert.deepEqual(result, {
      content: [{ type: 'text', text: '{"success":false,"error":"off"}' }],
      isError: true,
    });
  });

  it('refuses arguments the schema refuses, before the tool runs, with a clear message', async () => {
    for (const args of [{ level: 'high' }, {}, { level: 101 }]) {
      const { result } = await call('SetLevel', args);
      assert.equal(result.isError, true, JSON.stringify(args));
      assert.match(result.content[0].text, /^Error calling tool: invalid arguments: .*level/);
    }
  });

  it('leaves argument checks to the tools when told to', async () => {
    const trusting = mcpWorld({ validateArguments: false });
    try {
      const res = await post(
        trusting.app,
        request('tools/call', { name: 'SetLevel', arguments: { level: 'x' } })
      );
      assert.deepEqual((await answer(res)).result.content, [
        { type: 'text', text: '{"success":true,"level":"x"}' },
      ]);
    } finally {
      trusting.stop.abort();
    }
  });

  it('serves the prompt as an assistant message, and refuses unknown prompts', async () => {
    const listed = await answer(await post(app, request('prompts/list')));
    assert.deepEqual(listed.result.prompts, [
      { name: 'Assist', description: 'Default prompt for Home Assistant Assist API' },
    ]);
    const got = await answer(await post(app, request('prompts/get', { name: 'Assist' })));
    assert.deepEqual(got.result, {
      description: 'Default prompt for Home Assistant Assist API',
      messages: [{ role: 'assistant', content: { type: 'text', text: "You control Owner's home." } }],
    });
    const unknown = await answer(await post(app, request('prompts/get', { name: 'Other' })));
    assert.deepEqual(unknown.error, { code: -32602, message: 'Unknown prompt: Other' });
  });

  it('lists and reads the resource, and refuses unknown resources', async () => {
    const listed = await answer(await post(app, request('resources/list')));
    assert.deepEqual(listed.result.resources, [
      {
        uri: CONTEXT_URI,
        name: 'context-snapshot',
        description: 'A snapshot of the current Assist context',
        mimeType: 'text/plain',
      },
    ]);
    const read = await answer(await post(app, request('resources/read', { uri: CONTEXT_URI })));
    assert.deepEqual(read.result, {
      contents: [{ uri: CONTEXT_URI, mimeType: 'text/plain', text: 'Live Context: Owner is home' }],
    });
    const unknown = await answer(await post(app, request('resources/read', { uri: 'homeassistant://nope' })));
    assert.equal(unknown.error.message, 'Unknown resource: homeassistant://nope');
  });

  it('builds the instance once per request, and only when the request needs it', async () => {
    const before = built.count;
    await post(app, request('tools/call', { name: 'SetLevel', arguments: { level: 5 } })).then(answer);
    assert.equal(built.count - before, 1);
    await post(app, initialize()).then(answer);
    assert.equal(built.count - before, 1, 'initialize needs no instance');
  });
});
