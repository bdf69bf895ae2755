import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { initialize, liveMcp, request, SseReader, type LiveMcp } from '../support/mcp-fixture.js';

const auth = (token = 'good') => ({ authorization: `Bearer ${token}` });

/** Opens a legacy SSE session and reads its `endpoint` event. */
async function openSession(live: LiveMcp, token = 'good') {
  const res = await fetch(`${live.url}/mcp_server/sse`, { headers: auth(token) });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type')!, /^text\/event-stream/);
  const events = new SseReader(res.body!);
  const endpoint = await events.nextEvent();
  assert.equal(endpoint?.event, 'endpoint');
  return { events, endpoint: endpoint.data! };
}

function postMessage(live: LiveMcp, endpoint: string, body: unknown, token = 'good') {
  return fetch(live.url + endpoint, {
    method: 'POST',
    headers: { ...auth(token), 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function withLive(run: (live: LiveMcp) => Promise<void>, options?: Parameters<typeof liveMcp>[0]) {
  const live = await liveMcp(options);
  try {
    await run(live);
  } finally {
    await live.close();
  }
}

describe('legacy SSE transport (/mcp_server/sse + /mcp_server/messages/<id>)', () => {
  it('names the messages endpoint first, then answers posted messages as message events', () =>
    withLive(async (live) => {
      const { events, endpoint } = await openSession(live);
      assert.match(endpoint, /^\/mcp_server\/messages\/[0-9a-f]{32}$/);

      const accepted = await postMessage(live, endpoint, initialize('2024-11-05'));
      assert.equal(accepted.status, 200);
      assert.equal(await accepted.text(), '');
      const init = await events.nextEvent();
      assert.equal(init?.event, 'message');
      const initialized = JSON.parse(init.data!);
      assert.equal(initialized.id, 1);
      assert.equal(initialized.result.protocolVersion, '2024-11-05');
      assert.equal(initialized.result.serverInfo.name, 'home-assistant');

      await postMessage(live, endpoint, { jsonrpc: '2.0', method: 'notifications/initialized' });
      await postMessage(
        live,
        endpoint,
        request('tools/call', { name: 'GetGreeting', arguments: { name: 'Bo' } })
      );
      const called = JSON.parse((await events.nextEvent())!.data!);
      assert.equal(called.id, 2);
      assert.deepEqual(called.result.content, [
        { type: 'text', text: '{"greeting":"Hello Bo","by":"Owner"}' },
      ]);
      await events.cancel();
    }));

  it('answers 404 for an unknown session and 400 for a message it cannot parse, in Home Assistant’s words', () =>
    withLive(async (live) => {
      const unknown = await postMessage(live, '/mcp_server/messages/00000000000000000000000000000000', {});
      assert.equal(unknown.status, 404);
      assert.equal(await unknown.text(), "Could not find session ID '00000000000000000000000000000000'");

      const { events, endpoint } = await openSession(live);
      for (const body of ['{not json', '{"hello": "world"}']) {
        const bad = await postMessage(live, endpoint, body);
        assert.equal(bad.status, 400);
        assert.equal(await bad.text(), 'Could not parse message');
      }
      await events.cancel();
    }));

  it('keeps a session to the user who opened it: another user’s token finds no such session', () =>
    withLive(async (live) => {
      const { events, endpoint } = await openSession(live, 'good');
      const intruder = await postMessage(live, endpoint, request('tools/list'), 'other');
      assert.equal(intruder.status, 404);
      const refused = await postMessage(live, endpoint, request('tools/list'), 'wrong');
      assert.equal(refused.status, 401);
      const owner = await postMessage(live, endpoint, request('tools/list'), 'good');
      assert.equal(owner.status, 200);
      assert.equal(JSON.parse((await events.nextEvent())!.data!).result.tools.length, 2);
      await events.cancel();
    }));

  it('bounds the number of open sessions, in all and per user', () =>
    withLive(
      async (live) => {
        const first = await openSession(live, 'good');
        const secondForOwner = await fetch(`${live.url}/mcp_server/sse`, { headers: auth('good') });
        assert.equal(secondForOwner.status, 429);
        assert.ok(secondForOwner.headers.get('retry-after'));
        const guest = await openSession(live, 'other');
        const third = await fetch(`${live.url}/mcp_server/sse`, { headers: auth('other') });
        assert.equal(third.status, 503);
        await first.events.cancel();
        await guest.events.cancel();
      },
      { sse: { maxSessions: 2, maxSessionsPerUser: 1 } }
    ));

  it('sends keep-alive comments on a quiet stream', () =>
    withLive(
      async (live) => {
        const { events } = await openSession(live);
        const next = await events.next();
        assert.equal(next?.comment, 'keep-alive');
        await events.cancel();
      },
      { sse: { keepAliveMs: 10 } }
    ));

  it('ends every session when the listener stops', async () => {
    const live = await liveMcp();
    const { events } = await openSession(live);
    const closing = live.close();
    assert.equal(await events.next(), undefined, 'the stream ends');
    await closing;
  });
});
