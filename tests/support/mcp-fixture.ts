/**
 * A small world for the MCP tests: a fake `authenticate` (token `good` is the owner, `other` another user,
 * `busy` is rate-limited, `down` finds Home Assistant away, anything else is refused) and a fake API
 * instance with two tools (one read-only), a prompt and a resource. No SDK part is faked.
 */
import type { Authentication, Principal } from '../../server/src/ha/principals.js';
import type { ApiInstance } from '../../server/src/llm/api.js';
import { createLogger } from '../../server/src/log.js';
import { createMcpRoutes, type McpRoutesDeps } from '../../server/src/mcp/routes.js';
import type { McpTransport } from '../../server/src/mcp/request-record.js';
import type { RequestLogEntry } from '../../server/src/store/log-entry.js';
import { listen, type Listener } from '../../server/src/http/listen.js';
import { Hono } from 'hono';

const principal = (token: string, userId: string, name: string): Principal => ({
  userId,
  name,
  isAdmin: userId === 'owner',
  authKind: 'long_lived_token',
  token,
  tokenHash: `hash-of-${token}`,
});

export const OWNER = principal('good', 'owner', 'Owner');
export const GUEST = principal('other', 'guest', 'Guest');

export async function fakeAuthenticate(token: string): Promise<Authentication> {
  if (token === 'good') return { ok: true, principal: OWNER };
  if (token === 'other') return { ok: true, principal: GUEST };
  if (token === 'busy') return { ok: false, status: 429, reason: 'too many', retryAfterSeconds: 42 };
  if (token === 'down') return { ok: false, status: 503, reason: 'Home Assistant is unavailable' };
  if (token === 'hamcp_at_old')
    return { ok: false, status: 401, reason: 'the access token has expired; refresh it' };
  return { ok: false, status: 401, reason: 'the token was refused by Home Assistant' };
}

export const GREETING_SCHEMA = {
  type: 'object' as const,
  properties: { name: { type: 'string', description: 'Who to greet' } },
  additionalProperties: false,
  'x-home-assistant': { kept: 'as given' },
};

export const LEVEL_SCHEMA = {
  type: 'object' as const,
  properties: { level: { type: 'integer', minimum: 0, maximum: 100 } },
  required: ['level'],
};

export const CONTEXT_URI = 'homeassistant://assist/context-snapshot';

/** Counts instances, to show one is built per request. */
export const built = { count: 0 };

export function fakeInstance(caller: Principal): ApiInstance {
  built.count++;
  return {
    tools: [
      {
        name: 'GetGreeting',
        title: 'Greeting',
        description: 'Greets someone',
        inputSchema: GREETING_SCHEMA,
        annotations: { readOnlyHint: true },
        async run(args, ctx) {
          return {
            text: JSON.stringify({ greeting: `Hello ${String(args.name ?? 'you')}`, by: ctx.principal.name }),
          };
        },
      },
      {
        name: 'SetLevel',
        description: 'Sets the level',
        inputSchema: LEVEL_SCHEMA,
        annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
        async run(args) {
          if (args.level === 13) throw new Error('unlucky level');
          if (args.level === 0)
            return { text: JSON.stringify({ success: false, error: 'off' }), isError: true };
          return { text: JSON.stringify({ success: true, level: args.level }) };
        },
      },
    ],
    unlisted: [
      {
        name: 'OpenGarage',
        description: 'Opens the garage',
        inputSchema: { type: 'object', properties: { door: { type: 'string' } }, required: ['door'] },
        async run() {
          return { text: 'Error calling tool: Home Assistant is in read-only mode', isError: true };
        },
      },
    ],
    prompt: {
      name: 'Assist',
      description: 'Default prompt for Home Assistant Assist API',
      text: `You control ${caller.name}'s home.`,
    },
    resources: [
      {
        uri: CONTEXT_URI,
        name: 'context-snapshot',
        description: 'A snapshot of the current Assist context',
        mimeType: 'text/plain',
        async read(ctx) {
          return `Live Context: ${ctx.principal.name} is home`;
        },
      },
    ],
  };
}

export const quietLog = createLogger('error', () => {});

/** A request's log entry, and the transport it came by. */
export type Recorded = RequestLogEntry & { transport: McpTransport };

export interface McpWorld {
  app: Hono;
  records: Recorded[];
  /** Resolves once `n` records have arrived (records are emitted after the response, detached). */
  recordsAfter(n: number): Promise<Recorded[]>;
  stop: AbortController;
}

export function mcpWorld(overrides: Partial<McpRoutesDeps> = {}): McpWorld {
  const records: Recorded[] = [];
  const waiters: Array<() => void> = [];
  const stop = new AbortController();
  const routes = createMcpRoutes({
    authenticate: fakeAuthenticate,
    instanceFor: fakeInstance,
    log: quietLog,
    signal: stop.signal,
    onRequest(entry, transport) {
      records.push({ ...entry, transport });
      for (const wake of waiters.splice(0)) wake();
    },
    ...overrides,
  });
  const app = new Hono().route('/', routes);
  return {
    app,
    records,
    stop,
    recordsAfter(n) {
      return new Promise((resolve) => {
        const check = () => (records.length >= n ? resolve(records) : waiters.push(check));
        check();
      });
    },
  };
}

export interface LiveMcp extends McpWorld {
  url: string;
  close(): Promise<void>;
}

/** The routes on a real loopback listener. */
export async function liveMcp(overrides: Partial<McpRoutesDeps> = {}): Promise<LiveMcp> {
  const world = mcpWorld(overrides);
  const listener: Listener = await listen('MCP', world.app, '127.0.0.1', 0);
  return {
    ...world,
    url: `http://127.0.0.1:${listener.port}`,
    async close() {
      world.stop.abort();
      await listener.close(1_000);
    },
  };
}

export const JSON_HEADERS = {
  authorization: 'Bearer good',
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
};

/** POSTs one message (or raw text) to `/api/mcp` through `app.request()`. */
export function post(
  app: Hono,
  body: unknown,
  headers: Record<string, string | undefined> = {},
  path = '/api/mcp'
): Promise<Response> {
  const merged = Object.fromEntries(
    Object.entries({ ...JSON_HEADERS, ...headers }).filter((e): e is [string, string] => e[1] !== undefined)
  );
  return Promise.resolve(
    app.request(path, {
      method: 'POST',
      headers: merged,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    })
  );
}

export const initialize = (protocolVersion = '2025-11-25', id: number | string = 1) => ({
  jsonrpc: '2.0',
  id,
  method: 'initialize',
  params: { protocolVersion, capabilities: {}, clientInfo: { name: 'unit-test', version: '1.2.3' } },
});

export const request = (method: string, params?: Record<string, unknown>, id: number | string = 2) => ({
  jsonrpc: '2.0',
  id,
  method,
  ...(params && { params }),
});

export const MODERN = '2026-07-28';

/** A 2026-07-28 request: the per-request `_meta` envelope, and the headers that must agree with it. */
export function modern(method: string, params: Record<string, unknown> = {}, id: number | string = 7) {
  const name =
    typeof params.name === 'string' ? params.name : typeof params.uri === 'string' ? params.uri : undefined;
  return {
    body: {
      jsonrpc: '2.0',
      id,
      method,
      params: {
        ...params,
        _meta: {
          'io.modelcontextprotocol/protocolVersion': MODERN,
          'io.modelcontextprotocol/clientInfo': { name: 'modern-test', version: '2.0.0' },
          'io.modelcontextprotocol/clientCapabilities': {},
        },
      },
    },
    headers: { 'mcp-protocol-version': MODERN, 'mcp-method': method, ...(name && { 'mcp-name': name }) },
  };
}

/** The JSON-RPC answer of a response, whether one JSON body or the last `message` of an SSE stream. */
export async function answer(res: Response): Promise<any> {
  const text = await res.text();
  if (!res.headers.get('content-type')?.startsWith('text/event-stream')) return JSON.parse(text);
  const events = text.split(/\n\n/).filter((e) => e.includes('data:'));
  const data = events
    .at(-1)!
    .split('\n')
    .find((l) => l.startsWith('data:'))!;
  return JSON.parse(data.slice(5));
}

export interface SseEvent {
  event?: string;
  data?: string;
  comment?: string;
}

/** Reads an SSE stream one event (or comment) at a time, as it arrives. */
export class SseReader {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();
  private buffer = '';
  private readonly queued: SseEvent[] = [];

  constructor(body: ReadableStream<Uint8Array>) {
    this.reader = body.getReader();
  }

  /** The next event or comment; `undefined` when the stream has ended. */
  async next(): Promise<SseEvent | undefined> {
    while (this.queued.length === 0) {
      const { done, value } = await this.reader.read();
      if (done) return undefined;
      this.buffer += this.decoder.decode(value, { stream: true });
      const blocks = this.buffer.split('\n\n');
      this.buffer = blocks.pop() ?? '';
      for (const block of blocks) this.queued.push(parseEvent(block));
    }
    return this.queued.shift();
  }

  /** The next event that is not a comment. */
  async nextEvent(): Promise<SseEvent | undefined> {
    for (;;) {
      const event = await this.next();
      if (!event || !event.comment) return event;
    }
  }

  cancel(): Promise<void> {
    return this.reader.cancel();
  }
}

function parseEvent(block: string): SseEvent {
  const event: SseEvent = {};
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) event.comment = line.slice(1).trim();
    else if (line.startsWith('event:')) event.event = line.slice(6).trim();
    else if (line.startsWith('data:'))
      event.data = (event.data ? event.data + '\n' : '') + line.slice(5).trim();
  }
  return event;
}
