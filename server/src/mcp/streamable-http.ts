/**
 * Streamable HTTP, stateless, for both protocol eras from one server factory. 2026-07-28 requests go to
 * the SDK's `createMcpHandler`; 2025-era requests (the `initialize` handshake and everything after it) to a
 * fresh SDK transport per request, as the SDK's own stateless fallback does, except that the answer is
 * one JSON body whenever the client accepts JSON (the fallback always streams, and refuses clients that
 * accept only JSON, which Home Assistant's own server serves).
 */
import {
  createMcpHandler,
  isLegacyRequest,
  WebStandardStreamableHTTPServerTransport,
  type AuthInfo,
  type McpHttpHandler,
  type Server,
} from '@modelcontextprotocol/server';
import type { Principal } from '../ha/principals.js';
import type { ToolResultSink } from './server.js';
import type { ResponseMode } from './env.js';
import { initializeRequest, InitializeAnswers } from './initialize-answers.js';
import { tapResponse } from './response-tap.js';

/** Who a request's server answers, and where its tool outcomes go (the request's log record). */
export interface Caller {
  principal: Principal;
  record?: ToolResultSink;
  /** The one LLM API a per-API endpoint serves (`/api/mcp/<id>`); the selected ones otherwise. */
  api?: string;
  /** 2025 era: this POST is answered as an SSE stream, so a question to the client can travel on it. */
  streamed?: boolean;
  /** Aborted when the client drops the connection before its answer is complete. */
  gone?: AbortSignal;
}

export interface StreamableHttpOptions {
  createServer(caller: Caller): Server;
  /** SSE keep-alive comment interval, for streamed answers. */
  keepAliveMs?: number;
  /** Errors the SDK reports out of band (rejected requests, failures after the response began). */
  onerror?(error: Error): void;
}

export interface StreamableHttp {
  /** Answers one POSTed JSON-RPC message (already read and checked by the guards) for a principal. */
  handle(request: Request, message: unknown, caller: Caller, mode: ResponseMode): Promise<Response>;
  /** Ends the 2026 era's open exchanges (listener stop). */
  close(): Promise<void>;
}

/** The caller rides to the server factory in the SDK's `authInfo`, its channel for per-caller servers. */
function authInfoFor(caller: Caller): AuthInfo {
  const { principal } = caller;
  return { token: principal.token, clientId: principal.authKind, scopes: [], extra: { caller } };
}

function callerOf(authInfo: AuthInfo | undefined): Caller {
  const caller = authInfo?.extra?.caller;
  if (!caller) throw new Error('an MCP server was requested without a principal');
  return caller as Caller;
}

/** The SDK transport insists on being offered both media types; which one it answers with is our choice. */
function offeringBoth(request: Request): Request {
  const headers = new Headers(request.headers);
  headers.set('accept', 'application/json, text/event-stream');
  headers.delete('content-length');
  return new Request(request.url, { method: 'POST', headers, signal: request.signal });
}

export function createStreamableHttp(options: StreamableHttpOptions): StreamableHttp {
  const { keepAliveMs, onerror } = options;
  const factory = ({ authInfo }: { authInfo?: AuthInfo }) => options.createServer(callerOf(authInfo));
  const handlerOptions = {
    legacy: 'reject' as const,
    ...(keepAliveMs !== undefined && { keepAliveMs }),
    onerror,
  };
  // 'auto' answers one JSON body unless a handler sends messages before its result, which ours never do.
  const modern: Record<ResponseMode, McpHttpHandler> = {
    json: createMcpHandler(factory, { ...handlerOptions, responseMode: 'auto' }),
    sse: createMcpHandler(factory, { ...handlerOptions, responseMode: 'sse' }),
  };

  async function serveLegacy(request: Request, message: unknown, authInfo: AuthInfo, mode: ResponseMode) {
    const server = factory({ authInfo });
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: mode === 'json',
      ...(keepAliveMs !== undefined && { keepAliveMs }),
    });
    transport.onerror = onerror;
    await server.connect(transport);
    const teardown = () => void server.close().catch(() => {});
    let response: Response;
    try {
      response = await transport.handleRequest(offeringBoth(request), { parsedBody: message, authInfo });
    } catch (err) {
      teardown();
      throw err;
    }
    if (!response.headers.get('content-type')?.startsWith('text/event-stream')) {
      teardown();
      return response;
    }
    return tapResponse(response, teardown);
  }

  const initializeAnswers = new InitializeAnswers();

  return {
    async handle(request, message, caller, mode) {
      const authInfo = authInfoFor(caller);
      if (await isLegacyRequest(request, message)) {
        const handshake = mode === 'json' ? initializeRequest(message) : undefined;
        if (!handshake) return serveLegacy(request, message, authInfo, mode);
        return (
          initializeAnswers.answer(handshake) ??
          initializeAnswers.learn(handshake, await serveLegacy(request, message, authInfo, mode))
        );
      }
      return modern[mode].fetch(request, { parsedBody: message, authInfo });
    },
    async close() {
      await Promise.all(Object.values(modern).map((handler) => handler.close()));
    },
  };
}
