/**
 * The legacy HTTP+SSE transport (protocol 2024-11-05) as Home Assistant serves it: `GET /mcp_server/sse`
 * opens a stream whose first event, `endpoint`, names `/mcp_server/messages/<32 hex id>`; the client POSTs
 * its JSON-RPC messages there and the answers come back as `message` events on the stream.
 *
 * A session belongs to the user who opened it: every POST is authenticated again and must come from the
 * same HA user, or the session does not exist for it. Sessions are bounded in number (in all and per user)
 * and all closed when the listener stops.
 */
import { randomBytes } from 'node:crypto';
import type { JSONRPCMessage, MessageExtraInfo, Server, Transport } from '@modelcontextprotocol/server';
import type { Principal } from '../ha/principals.js';
import type { ApiInstance } from '../llm/api.js';
import { Refusal } from './errors.js';
import {
  describeMessage,
  outcomeOfResponse,
  type MessageFacts,
  type RequestDraft,
} from './request-record.js';
import type { InstanceSource } from './server.js';

export interface SseOptions {
  createServer(source: InstanceSource): Server;
  instanceFor(principal: Principal): ApiInstance;
  maxSessions?: number;
  maxSessionsPerUser?: number;
  /** Interval of the keep-alive comments that stop proxies from closing a quiet stream. */
  keepAliveMs?: number;
}

export const MESSAGES_PATH = '/mcp_server/messages/';

const encoder = new TextEncoder();

/**
 * A `Transport` whose outbound side is one SSE stream and whose inbound side is the session's POSTs.
 */
class SseStreamTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void;
  readonly stream: ReadableStream<Uint8Array>;
  private controller?: ReadableStreamDefaultController<Uint8Array>;
  private keepAlive?: NodeJS.Timeout;
  private closed = false;
  /** Bytes of the `endpoint` event, for the request log. */
  endpointBytes = 0;

  constructor(
    private readonly endpoint: string,
    private readonly keepAliveMs: number,
    private readonly sent: (message: JSONRPCMessage, bytes: number) => void,
    private readonly ended: () => void
  ) {
    this.stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.controller = controller;
      },
      cancel: () => this.close(),
    });
  }

  async start(): Promise<void> {
    this.endpointBytes = this.write(`event: endpoint\ndata: ${this.endpoint}\n\n`);
    if (this.keepAliveMs > 0) {
      this.keepAlive = setInterval(() => this.write(': keep-alive\n\n'), this.keepAliveMs);
      this.keepAlive.unref();
    }
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.closed) return;
    this.sent(message, this.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`));
  }

  receive(message: JSONRPCMessage, extra?: MessageExtraInfo): void {
    this.onmessage?.(message, extra);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.keepAlive);
    try {
      this.controller?.close();
    } catch {
      // the client already went away
    }
    this.ended();
    this.onclose?.();
  }

  private write(text: string): number {
    const bytes = encoder.encode(text);
    try {
      this.controller?.enqueue(bytes);
    } catch {
      return 0;
    }
    return bytes.byteLength;
  }
}

export interface SseSession {
  id: string;
  /** The latest principal to POST here: the same HA user, perhaps with a newer token. */
  principal: Principal;
  transport: SseStreamTransport;
  server: Server;
  /** What `initialize` said about the client, for the records of the session's later messages. */
  client: MessageFacts;
  /** Records of requests whose answers have not been streamed yet, by JSON-RPC id. */
  pending: Map<string | number, RequestDraft>;
}

const isRequest = (message: Record<string, unknown>) =>
  typeof message.method === 'string' && (typeof message.id === 'string' || typeof message.id === 'number');

export class SseSessions {
  private readonly sessions = new Map<string, SseSession>();
  private stopped = false;

  constructor(private readonly options: SseOptions) {}

  get size(): number {
    return this.sessions.size;
  }

  /**
   * Opens a session for a principal: the response is its event stream. `prefix` goes before the message
   * path the stream names: the path the client reached this server under (Home Assistant's companion).
   */
  async open(principal: Principal, record: RequestDraft, prefix = ''): Promise<Response> {
    if (this.stopped) throw new Refusal(503, 'The server is stopping');
    if (this.sessions.size >= (this.options.maxSessions ?? 100)) {
      throw new Refusal(503, 'Too many open SSE sessions; try again later', {
        headers: { 'retry-after': '30' },
      });
    }
    const mine = [...this.sessions.values()].filter((s) => s.principal.userId === principal.userId).length;
    if (mine >= (this.options.maxSessionsPerUser ?? 10)) {
      throw new Refusal(429, 'Too many open SSE sessions for this user; close one first', {
        headers: { 'retry-after': '30' },
      });
    }
    const id = randomBytes(16).toString('hex');
    const transport = new SseStreamTransport(
      prefix + MESSAGES_PATH + id,
      this.options.keepAliveMs ?? 15_000,
      (message, bytes) => this.answered(session, message, bytes),
      () => this.ended(session)
    );
    const session: SseSession = {
      id,
      principal,
      transport,
      client: {},
      pending: new Map(),
      server: this.options.createServer({
        principal: () => session.principal,
        clientName: () => session.client.clientName,
        instance: () => this.options.instanceFor(session.principal),
      }),
    };
    this.sessions.set(id, session);
    await session.server.connect(transport);
    record.finish({ httpStatus: 200, responseBytes: transport.endpointBytes });
    return new Response(transport.stream, {
      headers: {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache, no-transform',
        'x-accel-buffering': 'no',
        // The connection ends with the stream: an idle keep-alive socket would only hold up a stop.
        connection: 'close',
      },
    });
  }

  /**
   * The session a POST addresses, for the principal posting. Someone else's session is answered exactly
   * like a session that does not exist.
   */
  find(id: string, principal: Principal): SseSession {
    const session = this.sessions.get(id);
    if (!session || session.principal.userId !== principal.userId) {
      throw new Refusal(404, `Could not find session ID '${id}'`, { body: { kind: 'text' } });
    }
    return session;
  }

  /** Hands a POSTed message to its session; the answer goes out on the session's stream. */
  post(
    session: SseSession,
    principal: Principal,
    message: Record<string, unknown>,
    record: RequestDraft
  ): void {
    session.principal = principal;
    const facts = describeMessage(message);
    if (facts.method === 'initialize') {
      session.client = {
        clientName: facts.clientName,
        clientVersion: facts.clientVersion,
        protocolVersion: facts.protocolVersion,
      };
    }
    record.describe(session.client);
    record.describe(facts);
    if (isRequest(message)) {
      session.pending.set(message.id as string | number, record);
      record.deferred = true;
    }
    session.transport.receive(message as JSONRPCMessage);
  }

  /** Ends every session and refuses new ones (the listener is stopping). */
  closeAll(): void {
    this.stopped = true;
    for (const session of [...this.sessions.values()]) void session.server.close().catch(() => {});
  }

  private answered(session: SseSession, message: JSONRPCMessage, bytes: number): void {
    if (!('id' in message) || message.id === undefined || message.id === null) return;
    const record = session.pending.get(message.id);
    if (!record || !('result' in message || 'error' in message)) return;
    session.pending.delete(message.id);
    record.finish({ httpStatus: 200, responseBytes: bytes, outcome: outcomeOfResponse(message) });
  }

  private ended(session: SseSession): void {
    this.sessions.delete(session.id);
    for (const record of session.pending.values()) {
      record.refuse('the SSE stream closed before the answer was sent');
      record.finish({ httpStatus: 200, responseBytes: 0 });
    }
    session.pending.clear();
    void session.server.close().catch(() => {});
  }
}
