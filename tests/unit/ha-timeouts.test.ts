/**
 * Home Assistant slow to answer (issue 9): a REST call and a token validation against a server that accepts
 * the connection and then says nothing end within their bounds, with an error that says so.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, describe, it } from 'node:test';
import { WebSocketServer } from 'ws';
import { HaAwayError } from '../../server/src/ha/errors.js';
import { haTokenValidator, Principals } from '../../server/src/ha/principals.js';
import { haPost } from '../../server/src/ha/rest.js';
import { tallied } from '../support/reliability-tally.js';

/** An HTTP server that reads requests and never answers; its WebSocket side authenticates, then is silent. */
async function silentHa(): Promise<{ url: string; server: Server }> {
  const server = createServer(() => {});
  const wss = new WebSocketServer({ server, path: '/api/websocket' });
  wss.on('connection', (socket) => {
    socket.send(JSON.stringify({ type: 'auth_required', ha_version: '2026.11.0' }));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type?: string };
      if (message.type === 'auth') socket.send(JSON.stringify({ type: 'auth_ok', ha_version: '2026.11.0' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  after(() => {
    wss.close();
    server.closeAllConnections();
    server.close();
  });
  return { url: `http://127.0.0.1:${port}`, server };
}

describe('Home Assistant that does not answer', () => {
  it('ends a REST call at its time limit with an error that says so', () =>
    tallied('HA accepting a REST call and never answering', async (count) => {
      const { url } = await silentHa();
      count.faults++;
      count.cases++;
      await assert.rejects(
        haPost(url, 'token', '/api/intent/handle', { name: 'HassTurnOn' }, 300),
        (err: unknown) => err instanceof HaAwayError && /did not answer within 0\.3 s/.test(err.message)
      );
    }));

  it('ends a token validation at its time limit, and the caller hears 503', () =>
    tallied('HA accepting a token and never answering who it is', async (count) => {
      const { url } = await silentHa();
      count.faults++;
      count.cases += 2;
      await assert.rejects(haTokenValidator(url, 300)('token'), (err: unknown) => err instanceof HaAwayError);
      const answer = await new Principals({ validate: haTokenValidator(url, 300) }).authenticate(
        'token',
        '10.0.0.1'
      );
      assert.deepEqual(answer.ok ? 200 : [answer.status, answer.reason], [
        503,
        'Home Assistant is unavailable',
      ]);
    }));
});
