/**
 * The client as an approval channel (issue 20, approvals/client-channel.ts), with the official SDK v2
 * client over a real loopback listener (tests/support/elicitation-app.ts: the stateless Streamable HTTP
 * serving of /api/mcp and the legacy SSE sessions, with mcp/elicitation-routing.ts where routes.ts would
 * put it). A test-only tool asks the client and says what it got.
 *
 * 2025 era, stateless: the question travels on the tools/call POST's SSE stream and the answer comes as a
 * new POST, which reaches the waiting call only from the same user. 2026 era: the tool answers
 * `input_required`, the SDK client asks its person and retries, and the retry is bound to the user, the
 * call and one use. Legacy SSE sessions: the SDK's own request.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  Client,
  SSEClientTransport,
  StreamableHTTPClientTransport,
  type ElicitResult,
  type FetchLike,
  type Transport,
} from '@modelcontextprotocol/client';
import { ANSWER_ID_PREFIX, INPUT_KEY } from '../../server/src/approvals/client-channel.js';
import { elicitationWorld, type ElicitationWorld } from '../support/elicitation-app.js';
import { MODERN } from '../support/mcp-fixture.js';

/** A broken channel leaves a call waiting forever: each test gives up after this. */
const T = { timeout: 10_000 };

let w: ElicitationWorld;
before(async () => (w = await elicitationWorld()));
after(() => w.close());

/** One HTTP exchange the SDK client made: what it POSTed, and how it was answered (status 0: not yet). */
interface Exchange {
  message: any;
  status: number;
  type: string | null;
}

const bearer = (token: string) => ({ token: async () => token });
const isAnswer = (message: any) =>
  message && !('method' in message) && ('result' in message || 'error' in message);

/** The client's fetch, recording every exchange; its answers to our questions go with `answerToken`. */
function recording(log: Exchange[], answerToken?: string): FetchLike {
  return async (url, init) => {
    const message = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    const headers = new Headers(init?.headers);
    if (answerToken && isAnswer(message)) headers.set('authorization', `Bearer ${answerToken}`);
    const exchange: Exchange = { message, status: 0, type: null };
    log.push(exchange);
    const res = await fetch(url, { ...init, headers });
    exchange.status = res.status;
    exchange.type = res.headers.get('content-type');
    return res;
  };
}

type Elicit = (request: any, ctx: any) => Promise<ElicitResult>;

interface ClientSetup {
  elicit?: Elicit;
  era?: 'legacy' | 'modern';
  answerToken?: string;
  log?: Exchange[];
  sse?: boolean;
}

async function connect({ elicit, era = 'legacy', answerToken, log = [], sse }: ClientSetup) {
  const client = new Client(
    { name: 'approval-test', version: '1.0.0' },
    {
      capabilities: elicit ? { elicitation: { form: {} } } : {},
      versionNegotiation: { mode: era === 'modern' ? { pin: MODERN } : 'legacy' },
    }
  );
  if (elicit) client.setRequestHandler('elicitation/create', elicit);
  const options = { authProvider: bearer('good'), fetch: recording(log, answerToken) };
  const transport: Transport = sse
    ? new SSEClientTransport(new URL(`${w.url}/mcp_server/sse`), options)
    : new StreamableHTTPClientTransport(new URL(`${w.url}/api/mcp`), options);
  await client.connect(transport);
  return client;
}

const unlock = (client: Client, lock = 'Front door') =>
  client.callTool({ name: 'Unlock', arguments: { lock } });
const textOf = (result: any): string => result.content[0].text;

/** Waits for what happens after the response that made it happen (a 202 reaches the client last). */
async function until(done: () => boolean) {
  while (!done()) await new Promise((r) => setTimeout(r, 10));
}

describe('a 2025-era client over stateless Streamable HTTP', () => {
  it('is asked on its call stream; its accept, POSTed apart, reaches the waiting call (202)', T, async () => {
    const log: Exchange[] = [];
    const questions: any[] = [];
    const client = await connect({
      log,
      elicit: async (request) => {
        questions.push(request.params);
        return { action: 'accept', content: {} };
      },
    });
    const result = await unlock(client);
    assert.equal(textOf(result), 'accept');
    assert.deepEqual(w.asked.at(-1), { era: 'legacy-stateless', supported: true, outcome: 'accept' });
    assert.deepEqual(questions, [
      {
        mode: 'form',
        message: 'Claude wants to unlock Front door. Allow?',
        requestedSchema: { type: 'object', properties: {} },
      },
    ]);
    const call = log.find((e) => e.message?.method === 'tools/call')!;
    assert.equal(call.type, 'text/event-stream');
    await until(() => log.some((e) => isAnswer(e.message) && e.status !== 0));
    const answer = log.find((e) => isAnswer(e.message))!;
    assert.match(answer.message.id, new RegExp(`^${ANSWER_ID_PREFIX}[0-9a-f-]{36}$`));
    assert.equal(answer.status, 202);
    assert.equal(w.channel.waitingCount, 0);
    await client.close();
  });

  it('hears a decline as a decline', T, async () => {
    const client = await connect({ elicit: async () => ({ action: 'decline' }) });
    assert.equal(textOf(await unlock(client)), 'decline');
    assert.deepEqual(w.asked.at(-1), { era: 'legacy-stateless', supported: true, outcome: 'decline' });
    await client.close();
  });

  it('does not ask a client that declared no elicitation, and answers it one JSON body', T, async () => {
    const log: Exchange[] = [];
    const client = await connect({ log });
    assert.equal(textOf(await unlock(client)), 'not asked');
    assert.deepEqual(w.asked.at(-1), { era: 'legacy-stateless', supported: false, outcome: 'not asked' });
    assert.equal(log.find((e) => e.message?.method === 'tools/call')!.type, 'application/json');
    await client.close();
  });

  it('does not ask a client that declared elicitation but takes only JSON answers', T, async () => {
    const headers = {
      authorization: 'Bearer good',
      'content-type': 'application/json',
      accept: 'application/json',
      'user-agent': 'json-only/1.0',
      'mcp-protocol-version': '2025-11-25',
    };
    const post = (body: unknown) =>
      fetch(`${w.url}/api/mcp`, { method: 'POST', headers, body: JSON.stringify(body) });
    const capabilities = { elicitation: { form: {} } };
    const clientInfo = { name: 'json-only', version: '1.0' };
    const init = await post({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities, clientInfo },
    });
    assert.equal(init.status, 200);
    const params = { name: 'Unlock', arguments: { lock: 'Shed' } };
    const res = await post({ jsonrpc: '2.0', id: 2, method: 'tools/call', params });
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.equal(textOf(((await res.json()) as { result: unknown }).result), 'not asked');
    assert.deepEqual(w.asked.at(-1), { era: 'legacy-stateless', supported: false, outcome: 'not asked' });
  });

  it(
    "ignores an answer POSTed with another user's token: the call waits until it is given up",
    T,
    async () => {
      const log: Exchange[] = [];
      const client = await connect({ log, answerToken: 'other', elicit: async () => ({ action: 'accept' }) });
      const before = w.asked.length;
      const waiting = w.waitingForAnswer();
      const call = unlock(client);
      await waiting;
      await until(() => log.some((e) => isAnswer(e.message) && e.status !== 0));
      assert.equal(log.find((e) => isAnswer(e.message))!.status, 202);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(w.asked.length, before, 'the call still waits');
      assert.equal(w.channel.waitingCount, 1);
      w.abortWaiting('nobody answered');
      assert.equal(textOf(await call), 'failed: nobody answered');
      assert.equal(w.channel.waitingCount, 0);
      await client.close();
    }
  );

  it(
    'gives up on abort: the ask rejects, the client is told, and a late answer does nothing',
    T,
    async () => {
      let asked: { id: string; signal: AbortSignal } | undefined;
      const client = await connect({
        elicit: (_request, ctx) => {
          asked = { id: ctx.mcpReq.id, signal: ctx.mcpReq.signal };
          return new Promise(() => {});
        },
      });
      const waiting = w.waitingForAnswer();
      const call = unlock(client, 'Garage');
      await waiting;
      await until(() => asked !== undefined);
      const question = asked!;
      w.abortWaiting('the approval expired');
      assert.equal(textOf(await call), 'failed: the approval expired');
      assert.equal(question.signal.aborted, true, 'the client heard notifications/cancelled');
      const count = w.asked.length;
      const late = await fetch(`${w.url}/api/mcp`, {
        method: 'POST',
        headers: {
          authorization: 'Bearer good',
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-protocol-version': '2025-11-25',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: question.id, result: { action: 'accept' } }),
      });
      assert.equal(late.status, 202);
      assert.equal(w.asked.length, count);
      assert.equal(w.channel.waitingCount, 0);
      await client.close();
    }
  );
});

describe('a 2025-era client that gives up on its call', () => {
  it('says so in a cancellation, which gives the question up (its own user only)', T, async () => {
    const log: Exchange[] = [];
    const client = await connect({ log, elicit: () => new Promise(() => {}) });
    const waiting = w.waitingForAnswer();
    const stop = new AbortController();
    const call = client.callTool({ name: 'Unlock', arguments: { lock: 'Gate' } }, { signal: stop.signal });
    await waiting;
    const callId = log.find((e) => e.message?.method === 'tools/call')?.message.id;
    assert.equal(typeof callId, 'number');
    const cancel = { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: callId } };
    const stranger = await fetch(`${w.url}/api/mcp`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer other',
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2025-11-25',
      },
      body: JSON.stringify(cancel),
    });
    assert.equal(stranger.status, 202);
    assert.equal(w.channel.waitingCount, 1, "another user's cancellation does nothing");
    stop.abort(new Error('the user pressed Esc'));
    await assert.rejects(call);
    await until(() => w.channel.waitingCount === 0);
    await until(() => w.asked.at(-1)?.outcome === 'failed: the client cancelled its call');
    await client.close();
  });
});

describe('a 2025-era client on a legacy SSE session', () => {
  it('is asked through the session; accept and decline both arrive', T, async () => {
    for (const action of ['accept', 'decline'] as const) {
      const client = await connect({ sse: true, elicit: async () => ({ action }) });
      assert.equal(textOf(await unlock(client)), action);
      assert.deepEqual(w.asked.at(-1), { era: 'legacy-session', supported: true, outcome: action });
      await client.close();
    }
  });

  it('does not ask a session client that declared no elicitation', T, async () => {
    const client = await connect({ sse: true });
    assert.equal(textOf(await unlock(client)), 'not asked');
    assert.equal(w.asked.at(-1)?.era, 'legacy-session');
    await client.close();
  });
});

describe('a 2026-07-28 client (MRTR)', () => {
  it('answers input_required by asking its person and retrying: accept and decline', T, async () => {
    for (const action of ['accept', 'decline'] as const) {
      const log: Exchange[] = [];
      const client = await connect({ era: 'modern', log, elicit: async () => ({ action }) });
      const result = await unlock(client);
      assert.match(textOf(result), new RegExp(`^${action} to q\\d+$`));
      assert.deepEqual(w.asked.at(-1)?.era, 'modern');
      const calls = log.filter((e) => e.message?.method === 'tools/call');
      assert.equal(calls.length, 2, 'the call, then its retry');
      assert.equal(typeof calls[1]!.message.params.requestState, 'string');
      assert.deepEqual(calls[1]!.message.params.inputResponses[INPUT_KEY].action, action);
      await client.close();
    }
  });

  it('does not ask a client that declared no elicitation', T, async () => {
    const client = await connect({ era: 'modern' });
    assert.equal(textOf(await unlock(client)), 'not asked');
    assert.deepEqual(w.asked.at(-1), { era: 'modern', supported: false, outcome: 'not asked' });
    await client.close();
  });

  /** A raw 2026-07-28 tools/call, as a client that declared elicitation sends it. */
  async function modernCall(token: string, lock: string, retry?: { requestState: string; action: string }) {
    const res = await fetch(`${w.url}/api/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': MODERN,
        'mcp-method': 'tools/call',
        'mcp-name': 'Unlock',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: {
          name: 'Unlock',
          arguments: { lock },
          ...(retry && {
            requestState: retry.requestState,
            inputResponses: { [INPUT_KEY]: { action: retry.action, content: {} } },
          }),
          _meta: {
            'io.modelcontextprotocol/protocolVersion': MODERN,
            'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' },
            'io.modelcontextprotocol/clientCapabilities': { elicitation: { form: {} } },
          },
        },
      }),
    });
    assert.equal(res.status, 200);
    return ((await res.json()) as { result: any }).result;
  }

  it('binds a retry to the same user, tool and arguments, and takes it once', T, async () => {
    const first = await modernCall('good', 'Front door');
    assert.equal(first.resultType, 'input_required');
    assert.equal(first.inputRequests[INPUT_KEY].method, 'elicitation/create');
    assert.equal(first.inputRequests[INPUT_KEY].params.message, 'Claude wants to unlock Front door. Allow?');
    const retry = { requestState: first.requestState as string, action: 'accept' };

    const stranger = await modernCall('other', 'Front door', retry);
    assert.equal(stranger.resultType, 'input_required', "another user's retry is asked again");
    const otherLock = await modernCall('good', 'Back door', retry);
    assert.equal(otherLock.resultType, 'input_required', 'another call is asked again');
    assert.notEqual(otherLock.requestState, first.requestState);

    const own = await modernCall('good', 'Front door', retry);
    assert.match(own.content[0].text, /^accept to q\d+$/);
    const replay = await modernCall('good', 'Front door', retry);
    assert.equal(replay.resultType, 'input_required', 'an answer is taken once');
  });
});
