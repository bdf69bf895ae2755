/**
 * The MCP endpoints of the MCP listener, generated for each caller from its LLM API instance:
 *
 *   POST /api/mcp                       Streamable HTTP, stateless, both protocol eras (streamable-http.ts)
 *   POST /api/mcp/<api id>              the same, serving one LLM API whatever the options select
 *   GET  /mcp_server/sse                legacy SSE stream          (sse.ts)
 *   POST /mcp_server/messages/<id>      legacy SSE messages
 *
 * Every request passes, in order: the request record (request-record.ts), the body limit every public door
 * has (http/body-limit.ts, before anything reads the body), the query-token and Origin guards (guards.ts),
 * bearer authentication (auth.ts), and who may use the endpoint (access.ts). Refusals are mapped once, in
 * errors.ts.
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { ClientChannel } from '../approvals/client-channel.js';
import type { ApprovalGate } from '../approvals/gate.js';
import type { Authentication, Principal } from '../ha/principals.js';
import { limitBody } from '../http/body-limit.js';
import { throughHomeAssistant } from '../http/home-assistant-url.js';
import type { ApiInstance } from '../llm/api.js';
import type { Logger } from '../log.js';
import { oauthUrls } from '../oauth/metadata.js';
import { OPEN_ACCESS, perApiAccess, requireAdminWhenAsked, type EndpointAccess } from './access.js';
import { bearerAuth } from './auth.js';
import { routeClientAnswers } from './elicitation-routing.js';
import type { McpEnv } from './env.js';
import { mapErrors, Refusal } from './errors.js';
import {
  checkOrigin,
  negotiateResponse,
  readMessage,
  readPostedMessage,
  refuseQueryTokens,
  requireJsonContent,
  tooLargeMessage,
} from './guards.js';
import { detachedRecorder, recordRequests, type RequestRecorder } from './request-record.js';
import { createMcpServer, type InstanceSource } from './server.js';
import { SseSessions } from './sse.js';
import { createStreamableHttp } from './streamable-http.js';

export interface McpRoutesDeps {
  /** Who a bearer token belongs to (Principals.authenticate). */
  authenticate(token: string, address: string): Promise<Authentication>;
  /**
   * The caller's LLM API instance, built from the live home; called once per MCP request. `api` names the
   * one API a per-API endpoint serves.
   */
  instanceFor(principal: Principal, api?: string): ApiInstance;
  /** Who may use which endpoint (HA's require_admin and per-API rules); default: anyone, no per-API endpoints. */
  access?: EndpointAccess;
  log: Logger;
  /** The server's public base URL (scheme, host, port), for the OAuth metadata URL; default: the request's. */
  publicBaseUrl?(c: Context): string;
  /** Calls that change what `approval_domains` names wait for a person (approvals/gate.ts). */
  gate?: Pick<ApprovalGate, 'check'>;
  /** The name a user's client gave before, by its user agent (the request log's ClientMemory). */
  recallClientName?(userId: string, userAgent: string | undefined): string | undefined;
  /** Called once per request with its log entry, after its response, detached from it (the request log). */
  onRequest?: RequestRecorder;
  /** Browser origins allowed besides the server's own (`https://claude.ai`). */
  allowedOrigins?: string[];
  /** Largest request body accepted (default 1 MiB). */
  maxBodyBytes?: number;
  /** Check tool arguments against the tool's schema before running it (default true). */
  validateArguments?: boolean;
  sse?: { maxSessions?: number; maxSessionsPerUser?: number; keepAliveMs?: number };
  /** Aborted when the listener stops: SSE sessions end, open exchanges are closed, new sessions refused. */
  signal?: AbortSignal;
}

export const MCP_PATH = '/api/mcp';
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export function createMcpRoutes(deps: McpRoutesDeps): Hono<McpEnv> {
  const maxBodyBytes = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const emit = detachedRecorder(deps.onRequest, deps.log);
  const baseUrl = (c: Context) => (deps.publicBaseUrl?.(c) ?? new URL(c.req.url).origin).replace(/\/+$/, '');
  // Questions to clients, and their answers, outlive the per-request servers (approvals/client-channel.ts).
  const clientChannel = new ClientChannel();
  const serverFor = (source: InstanceSource) =>
    createMcpServer(source, {
      validateArguments: deps.validateArguments ?? true,
      ...(deps.gate && { gate: deps.gate }),
      clientChannel,
    });
  const onerror = (error: Error) => deps.log.debug('MCP transport', { error: error.message });

  const http = createStreamableHttp({
    onerror,
    createServer({ principal, record, api, streamed, gone }) {
      let instance: ApiInstance | undefined;
      return serverFor({
        principal: () => principal,
        streamed: streamed ?? false,
        ...(gone && { gone }),
        // A stateless request rarely names its client: the name it gave in `initialize` is remembered.
        clientName: () => record?.clientName ?? deps.recallClientName?.(principal.userId, record?.userAgent),
        instance: () => (instance ??= deps.instanceFor(principal, api)),
        ...(record && { toolResults: record }),
      });
    },
  });
  const sessions = new SseSessions({ ...deps.sse, createServer: serverFor, instanceFor: deps.instanceFor });
  deps.signal?.addEventListener(
    'abort',
    () => {
      sessions.closeAll();
      void http.close();
    },
    { once: true }
  );

  const guards = [
    refuseQueryTokens(),
    checkOrigin({ allowedOrigins: deps.allowedOrigins, publicBaseUrl: deps.publicBaseUrl }),
    bearerAuth({
      authenticate: deps.authenticate,
      resourceMetadataUrl: (c) => oauthUrls(baseUrl(c), throughHomeAssistant(c)?.origin).resourceMetadata,
    }),
  ];

  const app = new Hono<McpEnv>();
  app.onError(mapErrors(deps.log));
  const access = deps.access ?? OPEN_ACCESS;
  const adminWhenAsked = requireAdminWhenAsked(access);
  // A body over the limit, or one that breaks off, is refused as each endpoint refuses a body: JSON-RPC
  // errors on /api/mcp (too large; a parse error), Home Assistant's plain text on the SSE pair.
  const jsonRpcBound = limitBody<McpEnv>({
    maxBytes: maxBodyBytes,
    refuse: (_, max) => {
      throw new Refusal(413, tooLargeMessage(max));
    },
    unreadable: () => {
      throw new Refusal(400, 'Parse error: the body is not valid JSON', {
        body: { kind: 'jsonrpc', code: -32700 },
        outcome: 'rpc_error',
      });
    },
  });
  const textBound = limitBody<McpEnv>({
    maxBytes: maxBodyBytes,
    refuse: (_, max) => {
      throw new Refusal(413, tooLargeMessage(max), { body: { kind: 'text' } });
    },
    unreadable: () => {
      throw new Refusal(400, 'Could not parse message', { body: { kind: 'text' } });
    },
  });
  app.use(MCP_PATH, recordRequests('streamable_http', emit), jsonRpcBound, ...guards, adminWhenAsked);
  app.use(
    `${MCP_PATH}/:api`,
    recordRequests('streamable_http', emit),
    jsonRpcBound,
    ...guards,
    perApiAccess(access)
  );
  app.use('/mcp_server/*', recordRequests('sse', emit), textBound, ...guards, adminWhenAsked);

  const posted = [
    requireJsonContent(),
    negotiateResponse(),
    readMessage(maxBodyBytes),
    routeClientAnswers(clientChannel),
  ] as const;
  app.post(MCP_PATH, ...posted, (c) =>
    http.handle(
      c.req.raw,
      c.var.message,
      {
        principal: c.var.principal,
        record: c.var.record,
        streamed: c.var.responseMode === 'sse',
        gone: c.req.raw.signal,
      },
      c.var.responseMode
    )
  );
  app.post(`${MCP_PATH}/:api`, ...posted, (c) =>
    http.handle(
      c.req.raw,
      c.var.message,
      {
        principal: c.var.principal,
        record: c.var.record,
        api: c.req.param('api'),
        streamed: c.var.responseMode === 'sse',
        gone: c.req.raw.signal,
      },
      c.var.responseMode
    )
  );
  // Stateless: no session stream to GET and no session to DELETE.
  const stateless = () => {
    throw new Refusal(405, 'Method Not Allowed: this endpoint is stateless; POST JSON-RPC messages', {
      headers: { allow: 'POST' },
    });
  };
  app.all(MCP_PATH, stateless);
  app.all(`${MCP_PATH}/:api`, stateless);

  app.get('/mcp_server/sse', (c) =>
    sessions.open(c.var.principal, c.var.record, throughHomeAssistant(c)?.prefix)
  );
  app.post('/mcp_server/messages/:id', async (c) => {
    const session = sessions.find(c.req.param('id'), c.var.principal);
    const message = await readPostedMessage(c.req.raw, maxBodyBytes);
    sessions.post(session, c.var.principal, message, c.var.record);
    return c.body(null, 200);
  });

  return app;
}
