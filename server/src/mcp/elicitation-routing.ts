/**
 * The Streamable HTTP side of asking a 2025-era client's person (approvals/client-channel.ts), as one Hono
 * middleware after `readMessage` on `POST /api/mcp` and `/api/mcp/<api>`:
 *
 * - a POSTed answer to one of our `elicitation/create` questions goes to the call waiting for it (when it
 *   comes from the same user) and is answered 202, as the spec answers every POSTed response; it never
 *   reaches a per-request server, which would not know the question;
 * - `notifications/cancelled` for a call waiting on a question gives the question up (a stateless server
 *   would never hear it: the call's own server is another);
 * - an `initialize` leaves what the client declared, for its later stateless requests;
 * - a tools/call from a client that declared elicitation is answered as an SSE stream when the client takes
 *   one, so that a question can travel on it (a JSON answer has no room for one).
 */
import type { MiddlewareHandler } from 'hono';
import type { ClientChannel } from '../approvals/client-channel.js';
import type { McpEnv } from './env.js';

export const routeClientAnswers = (channel: ClientChannel): MiddlewareHandler<McpEnv> =>
  async function routeClientAnswers(c, next) {
    const { principal, message } = c.var;
    const userAgent = c.req.header('user-agent');
    if (channel.deliver(principal, message, userAgent)) return c.body(null, 202);
    channel.noteInitialize(principal, userAgent, message);
    if (
      c.var.responseMode === 'json' &&
      channel.wantsStream(principal, { userAgent, accept: c.req.header('accept') }, message)
    ) {
      c.set('responseMode', 'sse');
    }
    await next();
  };
