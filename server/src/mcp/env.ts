/** What the MCP routes' middleware hands on to later middleware and handlers, through Hono's context. */
import type { Principal } from '../ha/principals.js';
import type { RequestDraft } from './request-record.js';

/** How an answer travels, from the client's `Accept`: one JSON body, or an SSE stream. */
export type ResponseMode = 'json' | 'sse';

export interface McpEnv {
  Variables: {
    /** The request log's record of this request (request-record.ts). */
    record: RequestDraft;
    /** The caller, once the bearer token was accepted (auth.ts). */
    principal: Principal;
    /** The JSON-RPC message, once the body was read and parsed (guards.ts). */
    message: Record<string, unknown>;
    responseMode: ResponseMode;
  };
}
