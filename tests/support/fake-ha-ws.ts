/**
 * A stand-in for Home Assistant's WebSocket API, for unit tests of code that talks to it: it authenticates
 * tokens from a list, answers commands with the handler given for their type (or never, when none is), and
 * records connections, messages and closes so a test can see what the client did.
 */
import { EventEmitter } from 'node:events';
import { createServer } from 'node:http';
import { after } from 'node:test';
import { WebSocketServer, type WebSocket } from 'ws';

export interface FakeMessage {
  id: number;
  type: string;
  [key: string]: unknown;
}

/** What a handler may do with one command: answer it, send events for it, or leave it unanswered. */
export interface Reply {
  result(value: unknown): void;
  error(code: string, message: string): void;
  event(value: unknown): void;
}

export interface FakeHaWs {
  url: string;
  /** Every command received, with the token of the connection it came on. */
  messages: { token: string; message: FakeMessage }[];
  /** Connections opened so far, and how many are open now. */
  opened: number;
  open(): number;
  /** Called after every connection, close and message: for waiting on what the client does. */
  onChange(listener: () => void): () => void;
}

export async function fakeHaWs(
  tokens: string[],
  handlers: Record<string, (message: FakeMessage, reply: Reply) => void>
): Promise<FakeHaWs> {
  const server = createServer();
  const wss = new WebSocketServer({ server, path: '/api/websocket' });
  const sockets = new Set<WebSocket>();
  const changes = new EventEmitter();
  const fake: FakeHaWs = {
    url: '',
    messages: [],
    opened: 0,
    open: () => [...sockets].filter((s) => s.readyState === s.OPEN).length,
    onChange(listener) {
      changes.on('change', listener);
      return () => changes.off('change', listener);
    },
  };
  wss.on('connection', (socket) => {
    let token = '';
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      changes.emit('change');
    });
    const send = (value: unknown) => socket.send(JSON.stringify(value));
    send({ type: 'auth_required', ha_version: '2026.11.0' });
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as FakeMessage & { access_token?: string };
      if (message.type === 'auth') {
        token = message.access_token ?? '';
        if (tokens.includes(token)) {
          fake.opened++;
          changes.emit('change');
          send({ type: 'auth_ok', ha_version: '2026.11.0' });
        } else {
          send({ type: 'auth_invalid', message: 'Invalid access token or password' });
          socket.close();
        }
        return;
      }
      fake.messages.push({ token, message });
      changes.emit('change');
      const { id } = message;
      const reply: Reply = {
        result: (value) => send({ id, type: 'result', success: true, result: value }),
        error: (code, text) => send({ id, type: 'result', success: false, error: { code, message: text } }),
        event: (value) => send({ id, type: 'event', event: value }),
      };
      if (message.type === 'unsubscribe_events') return reply.result(null);
      handlers[message.type]?.(message, reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  after(() => {
    wss.close();
    server.closeAllConnections();
    server.close();
  });
  return fake;
}
