import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  answer,
  initialize,
  liveMcp,
  mcpWorld,
  modern,
  post,
  request,
  SseReader,
  type McpWorld,
  type Recorded,
} from '../support/mcp-fixture.js';

/** Runs requests against a fresh world and returns the records they left, in order. */
async function recordsOf(run: (world: McpWorld) => Promise<unknown>, expected: number) {
  const world = mcpWorld();
  try {
    await run(world);
    return await world.recordsAfter(expected);
  } finally {
    world.stop.abort();
  }
}

const only = async (run: (world: McpWorld) => Promise<unknown>): Promise<Recorded> =>
  (await recordsOf(run, 1))[0]!;

describe('the request log hook', () => {
  it('records a tool call: who, with what, and how it ended', async () => {
    const record = await only(({ app }) =>
      post(app, request('tools/call', { name: 'SetLevel', arguments: { level: 5 } }), {
        'user-agent': 'unit-agent/1',
        'mcp-protocol-version': '2025-06-18',
      }).then(answer)
    );
    assert.equal(record.transport, 'streamable_http');
    assert.deepEqual([record.userId, record.userName], ['owner', 'Owner']);
    assert.equal(record.auth, 'long_lived_token');
    assert.equal(record.userAgent, 'unit-agent/1');
    assert.equal(record.protocolVersion, '2025-06-18');
    assert.equal(record.method, 'tools/call');
    assert.equal(record.target, 'SetLevel');
    assert.deepEqual(record.arguments, { level: 5 });
    assert.equal(record.outcome, 'ok');
    assert.equal(record.httpStatus, 200);
    assert.ok(record.responseBytes! > 0);
    assert.ok(record.latencyMs >= 0);
    assert.ok(Math.abs(record.time - Date.now()) < 60_000);
  });

  it('tells a tool error, a JSON-RPC error and an HTTP refusal apart', async () => {
    const [tool, rpc, parse, refused] = await recordsOf(async ({ app }) => {
      await post(app, request('tools/call', { name: 'SetLevel', arguments: { level: 13 } })).then(answer);
      await post(app, request('prompts/get', { name: 'Nope' })).then(answer);
      await post(app, '{oops').then((r) => r.text());
      await post(app, initialize(), { 'content-type': 'text/plain' }).then((r) => r.text());
    }, 4);
    assert.deepEqual([tool!.outcome, tool!.error], ['tool_error', 'Error calling tool: unlucky level']);
    assert.deepEqual(
      [rpc!.outcome, rpc!.errorCode, rpc!.error],
      ['rpc_error', -32602, 'Unknown prompt: Nope']
    );
    assert.deepEqual([parse!.outcome, parse!.errorCode, parse!.httpStatus], ['rpc_error', -32700, 400]);
    assert.deepEqual([refused!.outcome, refused!.httpStatus], ['http_error', 415]);
  });

  it('records refused authentication as such, without the token and without a user', async () => {
    const record = await only(({ app }) =>
      post(app, initialize(), { authorization: 'Bearer sekrit-123' }).then((r) => r.text())
    );
    assert.equal(record.outcome, 'auth_failed');
    assert.equal(record.httpStatus, 401);
    assert.equal(record.userId, undefined);
    assert.doesNotMatch(JSON.stringify(record), /sekrit/);
  });

  it('records the client from initialize, and from the 2026 per-request client info', async () => {
    const [legacy, current] = await recordsOf(async ({ app }) => {
      await post(app, initialize('2025-03-26')).then(answer);
      const list = modern('tools/list');
      await post(app, list.body, list.headers).then(answer);
    }, 2);
    assert.deepEqual(
      [legacy!.clientName, legacy!.clientVersion, legacy!.protocolVersion],
      ['unit-test', '1.2.3', '2025-03-26']
    );
    assert.deepEqual(
      [current!.clientName, current!.clientVersion, current!.protocolVersion, current!.method],
      ['modern-test', '2.0.0', '2026-07-28', 'tools/list']
    );
  });

  it('knows how a tool call ended even when its answer is too large to read back', async () => {
    const big: Parameters<typeof mcpWorld>[0] = {
      instanceFor: () => ({
        tools: [
          {
            name: 'Big',
            description: 'answers 200 kB',
            inputSchema: { type: 'object' as const, properties: { fail: { type: 'boolean' } } },
            async run(args) {
              return {
                text: `${args.fail ? 'failed: ' : ''}${'x'.repeat(200_000)}`,
                isError: args.fail === true,
              };
            },
          },
        ],
        prompt: { name: 'p', description: '', text: '' },
        resources: [],
      }),
    };
    const world = mcpWorld(big);
    try {
      const sizes: number[] = [];
      for (const fail of [false, true]) {
        const res = await post(world.app, request('tools/call', { name: 'Big', arguments: { fail } }));
        sizes.push((await res.arrayBuffer()).byteLength);
      }
      const [ok, failed] = await world.recordsAfter(2);
      assert.equal(ok!.outcome, 'ok');
      assert.equal(ok!.responseBytes, sizes[0]);
      assert.equal(failed!.outcome, 'tool_error');
      assert.equal(failed!.responseBytes, sizes[1]);
      assert.match(failed!.error ?? '', /^failed: x+…$/);
      assert.ok((failed!.error ?? '').length <= 1_001, 'the error text is cut');
    } finally {
      world.stop.abort();
    }
  });

  it('counts the bytes of a streamed answer and reads its outcome', async () => {
    const record = await only(({ app }) =>
      post(app, request('tools/call', { name: 'Nope', arguments: {} }), { accept: 'text/event-stream' }).then(
        (r) => r.text()
      )
    );
    assert.equal(record.outcome, 'tool_error');
    assert.ok(record.responseBytes! > 50);
  });

  it('records legacy SSE messages when their answer has been streamed', async () => {
    const live = await liveMcp();
    try {
      const res = await fetch(`${live.url}/mcp_server/sse`, {
        headers: { authorization: 'Bearer good', 'user-agent': 'sse-agent' },
      });
      const events = new SseReader(res.body!);
      const endpoint = (await events.nextEvent())!.data!;
      const send = (body: unknown) =>
        fetch(live.url + endpoint, {
          method: 'POST',
          headers: { authorization: 'Bearer good', 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      await send(initialize('2024-11-05'));
      await events.nextEvent();
      await send(request('tools/call', { name: 'SetLevel', arguments: { level: 13 } }));
      await events.nextEvent();
      const [open, init, call] = await live.recordsAfter(3);
      assert.deepEqual([open!.transport, open!.httpStatus, open!.outcome], ['sse', 200, 'ok']);
      assert.equal(open!.userAgent, 'sse-agent');
      assert.equal(open!.address, '127.0.0.1');
      assert.deepEqual([init!.method, init!.clientName], ['initialize', 'unit-test']);
      assert.deepEqual(
        [call!.method, call!.target, call!.outcome, call!.clientName, call!.protocolVersion],
        ['tools/call', 'SetLevel', 'tool_error', 'unit-test', '2024-11-05']
      );
      await events.cancel();
    } finally {
      await live.close();
    }
  });

  it('survives a hook that throws: the client is answered and later records still arrive', async () => {
    let calls = 0;
    let bothCalled!: () => void;
    const called = new Promise<void>((resolve) => (bothCalled = resolve));
    const world = mcpWorld({
      onRequest() {
        if (++calls === 2) bothCalled();
        throw new Error('disk on fire');
      },
    });
    try {
      for (let i = 0; i < 2; i++) {
        const res = await post(world.app, request('tools/list'));
        assert.equal(res.status, 200);
        assert.equal((await answer(res)).result.tools.length, 2);
      }
      await called;
      assert.equal(calls, 2);
    } finally {
      world.stop.abort();
    }
  });
});
