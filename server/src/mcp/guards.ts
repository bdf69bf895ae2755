/**
 * The HTTP-level checks in front of the MCP endpoints, each a Hono middleware: no tokens in the query
 * string, no foreign browser origins, JSON bodies of bounded size, an `Accept` we can answer. Each refuses
 * with a `Refusal` (errors.ts) that says what was wrong; none ever repeats a token.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { isJsonContentType, readRequestBody } from '@modelcontextprotocol/server';
import type { McpEnv, ResponseMode } from './env.js';
import { Refusal } from './errors.js';
import { describeMessage } from './request-record.js';

/** Query parameters that would put a credential in URLs (and so in proxies' and browsers' logs). */
const CREDENTIAL_PARAM = /token|auth|bearer|api[-_]?key|^key$|password|secret/i;

/**
 * Refuses a credential in the query string before anything else looks at the request: the spec wants the
 * bearer header on every request and never the URL, and answering such a request would invite clients
 * to keep doing it.
 */
export const refuseQueryTokens = (): MiddlewareHandler<McpEnv> =>
  async function refuseQueryTokens(c, next) {
    const names = [...new URL(c.req.url).searchParams.keys()];
    if (names.some((name) => CREDENTIAL_PARAM.test(name))) {
      throw new Refusal(
        400,
        'Credentials in the query string are refused: send them as an Authorization: Bearer header'
      );
    }
    await next();
  };

export interface OriginOptions {
  /** Browser origins allowed besides the server's own, as full origins (`https://claude.ai`). */
  allowedOrigins?: string[];
  /** The server's public base URL, whose origin is its own even behind a proxy that rewrites Host. */
  publicBaseUrl?: (c: Context) => string;
}

function originOf(url: string): string | undefined {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

/**
 * DNS-rebinding protection: a browser page on a foreign origin gets 403. Requests without `Origin` pass,
 * since CLI and desktop clients send none; so do pages served from this server's own host.
 */
export const checkOrigin = (options: OriginOptions = {}): MiddlewareHandler<McpEnv> => {
  const allowed = new Set((options.allowedOrigins ?? []).map((o) => originOf(o) ?? o));
  const ownHosts = (c: Context) => {
    const hosts = [c.req.header('host'), new URL(c.req.url).host];
    try {
      if (options.publicBaseUrl) hosts.push(new URL(options.publicBaseUrl(c)).host);
    } catch {
      // a malformed public URL only means no second name for ourselves
    }
    return hosts;
  };
  return async function checkOrigin(c, next) {
    const header = c.req.header('origin');
    if (header) {
      const origin = originOf(header);
      const ok =
        allowed.has(header) ||
        (origin !== undefined && (allowed.has(origin) || ownHosts(c).includes(new URL(origin).host)));
      if (!ok) throw new Refusal(403, 'Forbidden: requests from this Origin are not allowed');
    }
    await next();
  };
};

/** `Content-Type: application/json` on a POST, or 415 with a message that says so. */
export const requireJsonContent = (): MiddlewareHandler<McpEnv> =>
  async function requireJsonContent(c, next) {
    if (!isJsonContentType(c.req.header('content-type'))) {
      throw new Refusal(415, 'Unsupported Media Type: Content-Type must be application/json');
    }
    await next();
  };

interface MediaRange {
  type: string;
  q: number;
}

function parseAccept(header: string): MediaRange[] {
  return header.split(',').map((part) => {
    const [type = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    return { type, q: q ? Number(q.slice(2)) : 1 };
  });
}

function accepts(ranges: MediaRange[], type: string): boolean {
  const [major] = type.split('/');
  return ranges.some((r) => r.q > 0 && (r.type === type || r.type === `${major}/*` || r.type === '*/*'));
}

/**
 * Picks how to answer from `Accept`: one JSON body whenever the client takes JSON (as Home Assistant's own
 * server always answers), an SSE stream when it takes only that; 406 when it takes neither. No `Accept`
 * at all means anything goes.
 */
export function responseModeFor(accept: string | undefined): ResponseMode | undefined {
  if (!accept?.trim()) return 'json';
  const ranges = parseAccept(accept);
  if (accepts(ranges, 'application/json')) return 'json';
  if (accepts(ranges, 'text/event-stream')) return 'sse';
  return undefined;
}

export const negotiateResponse = (): MiddlewareHandler<McpEnv> =>
  async function negotiateResponse(c, next) {
    const mode = responseModeFor(c.req.header('accept'));
    if (!mode) {
      throw new Refusal(406, 'Not Acceptable: the client must accept application/json or text/event-stream');
    }
    c.set('responseMode', mode);
    await next();
  };

export type BodyRead = { ok: true; text: string } | { ok: false; tooLarge: boolean };

/** The request body as text, or why not: larger than `maxBytes` (read no further than that), or unreadable. */
export async function readBody(request: Request, maxBytes: number): Promise<BodyRead> {
  try {
    const read = await readRequestBody(request, maxBytes);
    return read.tooLarge ? { ok: false, tooLarge: true } : { ok: true, text: read.text };
  } catch {
    return { ok: false, tooLarge: false };
  }
}

/** One JSON-RPC 2.0 message: a request, a notification, or a response to something we asked. */
export function isJsonRpcMessage(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const message = value as Record<string, unknown>;
  if (message.jsonrpc !== '2.0') return false;
  return typeof message.method === 'string' || 'result' in message || 'error' in message;
}

export const tooLargeMessage = (maxBytes: number) =>
  `Payload Too Large: the request body must not exceed ${maxBytes} bytes`;

/**
 * Reads the body (at most `maxBytes`: 413 beyond), parses it (a JSON-RPC parse error if it is not JSON)
 * and requires one JSON-RPC message: batches went away in 2025-06-18 and Home Assistant refuses them too.
 */
export const readMessage = (maxBytes: number): MiddlewareHandler<McpEnv> =>
  async function readMessage(c, next) {
    const body = await readBody(c.req.raw, maxBytes);
    if (!body.ok && body.tooLarge) throw new Refusal(413, tooLargeMessage(maxBytes));
    let parsed: unknown;
    try {
      if (!body.ok) throw new Error('unreadable body');
      parsed = JSON.parse(body.text);
    } catch {
      throw new Refusal(400, 'Parse error: the body is not valid JSON', {
        body: { kind: 'jsonrpc', code: -32700 },
        outcome: 'rpc_error',
      });
    }
    if (!isJsonRpcMessage(parsed)) {
      throw new Refusal(400, 'Invalid Request: the body must be one JSON-RPC message', {
        body: { kind: 'jsonrpc', code: -32600 },
        outcome: 'rpc_error',
      });
    }
    c.set('message', parsed);
    c.get('record').describe(describeMessage(parsed));
    await next();
  };

/**
 * The legacy SSE transport's message body, refused in Home Assistant's words (plain text): anything that
 * is not one JSON-RPC message "Could not parse message".
 */
export async function readPostedMessage(
  request: Request,
  maxBytes: number
): Promise<Record<string, unknown>> {
  const body = await readBody(request, maxBytes);
  if (!body.ok && body.tooLarge)
    throw new Refusal(413, tooLargeMessage(maxBytes), { body: { kind: 'text' } });
  let message: unknown;
  try {
    message = body.ok ? JSON.parse(body.text) : undefined;
  } catch {
    message = undefined;
  }
  if (!isJsonRpcMessage(message))
    throw new Refusal(400, 'Could not parse message', { body: { kind: 'text' } });
  return message;
}
