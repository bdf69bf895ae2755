/**
 * Errors mapped once, at the edge. Middleware and handlers throw a `Refusal` (Hono's HTTPException with its
 * response already shaped, and the outcome the request log gives it); `mapErrors` turns it into the answer
 * and notes it in the request's log entry.
 * Anything else thrown is a bug: the client gets a bare 500, the log gets the message, nobody gets a stack.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from '../log.js';
import type { Outcome } from '../store/log-entry.js';
import type { McpEnv } from './env.js';

/**
 * How the refusal's body is shaped: a JSON-RPC error with a null id (what the SDK's transports answer at
 * the HTTP level), an OAuth error (RFC 6750, for bearer-token refusals), or plain text (HA's SSE endpoints).
 */
export type RefusalBody =
  { kind: 'jsonrpc'; code: number } | { kind: 'oauth'; error: string } | { kind: 'text' };

export interface RefusalOptions {
  body?: RefusalBody;
  headers?: Record<string, string>;
  /**
   * How the request log counts it: `http_error` (the default), `auth_failed` (the bearer token was missing
   * or refused), or `rpc_error` when it answers a malformed JSON-RPC message (parse error, not a JSON-RPC
   * message) rather than the HTTP request; the log then reads the code and message from the answer.
   */
  outcome?: Extract<Outcome, 'http_error' | 'auth_failed' | 'rpc_error'>;
}

/** JSON-RPC's "server error" code, which the SDK uses for transport-level refusals. */
export const TRANSPORT_ERROR = -32000;

export const jsonRpcError = (code: number, message: string, id: unknown = null) => ({
  jsonrpc: '2.0' as const,
  error: { code, message },
  id,
});

export class Refusal extends HTTPException {
  readonly outcome: NonNullable<RefusalOptions['outcome']>;
  readonly errorCode?: number;

  constructor(status: ContentfulStatusCode, message: string, options: RefusalOptions = {}) {
    const body = options.body ?? { kind: 'jsonrpc', code: TRANSPORT_ERROR };
    const headers: Record<string, string> = { ...options.headers };
    let text: string;
    if (body.kind === 'text') {
      headers['content-type'] = 'text/plain; charset=utf-8';
      text = message;
    } else {
      headers['content-type'] = 'application/json';
      text = JSON.stringify(
        body.kind === 'oauth'
          ? { error: body.error, error_description: message }
          : jsonRpcError(body.code, message)
      );
    }
    super(status, { message, res: new Response(text, { status, headers }) });
    this.outcome = options.outcome ?? 'http_error';
    if (body.kind === 'jsonrpc') this.errorCode = body.code;
  }
}

/** `app.onError` for the MCP routes. */
export const mapErrors = (log: Logger) =>
  function mapErrors(err: Error, c: Context<McpEnv>): Response {
    const record = c.get('record');
    if (err instanceof Refusal) {
      if (record && err.outcome !== 'rpc_error') record.refuse(err.message, err.outcome);
      return err.getResponse();
    }
    if (err instanceof HTTPException) {
      if (record) record.refuse(err.message);
      return err.getResponse();
    }
    log.error('MCP request failed', { path: c.req.path, error: err.message });
    if (record) record.refuse('internal error');
    return c.json(jsonRpcError(-32603, 'Internal error'), 500);
  };
