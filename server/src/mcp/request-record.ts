/**
 * The request log's entry for one MCP request (store/log-entry.ts: its fields and its outcomes, the same
 * from here to the panel): who called, with what, and how it ended. Built while the request is served (a
 * `RequestDraft`) and handed to the log hook once its response is complete. The hook runs detached from the
 * request: it can neither throw into it nor delay it.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { ApprovalOutcome } from '../approvals/engine.js';
import type { Principal } from '../ha/principals.js';
import { clientAddressOf } from '../http/client-address.js';
import type { Logger } from '../log.js';
import type { Outcome, RequestLogEntry } from '../store/log-entry.js';
import type { McpEnv } from './env.js';
import { readJsonAnswer, tapResponse } from './response-tap.js';

/** `streamable_http` for `/api/mcp`; `sse` for the legacy `/mcp_server/*` pair: told, not logged. */
export type McpTransport = 'streamable_http' | 'sse';

export type RequestRecorder = (entry: RequestLogEntry, transport: McpTransport) => void;

/** How a request ended, as its answer or a refusal says. */
type Ending = Pick<RequestLogEntry, 'outcome' | 'errorCode' | 'error'>;

/** A refusal before any JSON-RPC answer: at the HTTP level (guards, limits), or of the caller's token. */
type RefusalOutcome = Extract<Outcome, 'http_error' | 'auth_failed'>;

/** Longest error text kept in a record: a tool's error can be a whole JSON document. */
const MAX_ERROR_CHARS = 1_000;

/** The per-request `_meta` keys of the 2026-07-28 protocol revision. */
const CLIENT_INFO_META = 'io.modelcontextprotocol/clientInfo';
const PROTOCOL_VERSION_META = 'io.modelcontextprotocol/protocolVersion';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

const cut = (text: string) => (text.length > MAX_ERROR_CHARS ? text.slice(0, MAX_ERROR_CHARS) + '…' : text);

/** What a JSON-RPC message says about itself: method, target, arguments, client and protocol version. */
export interface MessageFacts {
  method?: string;
  target?: string;
  arguments?: unknown;
  clientName?: string;
  clientVersion?: string;
  protocolVersion?: string;
}

export function describeMessage(message: unknown): MessageFacts {
  if (!isObject(message)) return {};
  const method = str(message.method);
  const params = isObject(message.params) ? message.params : {};
  const meta = isObject(params._meta) ? params._meta : {};
  const clientInfo = method === 'initialize' ? params.clientInfo : meta[CLIENT_INFO_META];
  const facts: MessageFacts = { method };
  if (method === 'tools/call' || method === 'prompts/get') {
    facts.target = str(params.name);
    facts.arguments = params.arguments;
  } else if (method === 'resources/read') facts.target = str(params.uri);
  if (isObject(clientInfo)) {
    facts.clientName = str(clientInfo.name);
    facts.clientVersion = str(clientInfo.version);
  }
  facts.protocolVersion = str(method === 'initialize' ? params.protocolVersion : meta[PROTOCOL_VERSION_META]);
  return facts;
}

/** How a JSON-RPC response ended: an error, a tool's `isError` result (with its text), or fine. */
export function outcomeOfResponse(message: unknown): Ending | undefined {
  if (!isObject(message) || message.jsonrpc !== '2.0') return undefined;
  if (isObject(message.error)) {
    const code = typeof message.error.code === 'number' ? message.error.code : undefined;
    return { outcome: 'rpc_error', errorCode: code, error: cut(str(message.error.message) ?? '') };
  }
  if (!isObject(message.result)) return undefined;
  if (message.result.isError !== true) return { outcome: 'ok' };
  const content = Array.isArray(message.result.content) ? message.result.content : [];
  const text = content.map((block) => (isObject(block) ? str(block.text) : undefined)).find(Boolean);
  return { outcome: 'tool_error', error: cut(text ?? '') };
}

export interface DraftStart {
  transport: McpTransport;
  address: string;
  userAgent?: string;
  protocolVersion?: string;
}

/**
 * The entry of one request while it is served. Middleware and handlers fill it in as they learn things;
 * `finish()` sends it once, whichever part of the code finishes the response.
 */
export class RequestDraft {
  readonly time = Date.now();
  private readonly started = performance.now();
  private readonly fields: Partial<RequestLogEntry> = {};
  private sent = false;
  /** A refusal before any JSON-RPC answer (`refuse()`): the outcome whatever the body says. */
  private refusal?: Ending;
  /** Someone other than the record middleware finishes this entry (SSE: when the answer is streamed). */
  deferred = false;
  /** A tool's result as its handler saw it: the outcome when the answer is too large to be read back. */
  private toolOutcome?: Ending;

  constructor(
    private readonly start: DraftStart,
    private readonly emit: RequestRecorder
  ) {}

  get finished(): boolean {
    return this.sent;
  }

  /** The client's address, which also keys the failed-authentication limiter. */
  get address(): string {
    return this.start.address;
  }

  setPrincipal(principal: Principal): void {
    this.fields.userId = principal.userId;
    this.fields.userName = principal.name;
    this.fields.auth = principal.authKind;
  }

  /** Adds what a message says; a later message fact does not erase an earlier one. */
  describe(facts: MessageFacts): void {
    for (const [key, value] of Object.entries(facts)) {
      if (value !== undefined) (this.fields as Record<string, unknown>)[key] = value;
    }
  }

  /** The request was refused (a guard, a limit, the caller's token), or its answer never went out. */
  refuse(error: string, outcome: RefusalOutcome = 'http_error'): void {
    this.refusal = { outcome, error };
  }

  /** The client's name, once a message said it. */
  get clientName(): string | undefined {
    return this.fields.clientName ?? undefined;
  }

  get userAgent(): string | undefined {
    return this.start.userAgent;
  }

  /** The call waited for a person: how that ended goes into its row. */
  noteApproval(outcome: ApprovalOutcome): void {
    this.fields.approval = outcome.outcome;
    this.fields.approvalMs = outcome.waitedMs;
    if ('channel' in outcome) {
      this.fields.approvalChannel = outcome.channel;
      this.fields.approvalBy = outcome.decidedBy;
    }
  }

  noteToolResult(result: { isError: boolean; text: string }): void {
    this.toolOutcome = result.isError
      ? { outcome: 'tool_error', error: cut(result.text) }
      : { outcome: 'ok' };
  }

  finish(end: { httpStatus: number; responseBytes: number; outcome?: Ending }): void {
    if (this.sent) return;
    this.sent = true;
    const judged: Ending =
      this.refusal ??
      end.outcome ??
      (end.httpStatus >= 400 ? { outcome: 'http_error' } : (this.toolOutcome ?? { outcome: 'ok' }));
    const { transport, ...start } = this.start;
    this.emit(
      {
        ...start,
        ...this.fields,
        time: this.time,
        ...judged,
        httpStatus: end.httpStatus,
        latencyMs: performance.now() - this.started,
        responseBytes: end.responseBytes,
      },
      transport
    );
  }
}

/**
 * Wraps the log hook so that it runs after the current work (never inside the response's critical path),
 * and so that a failing hook is told once in the log instead of reaching a client.
 */
export function detachedRecorder(hook: RequestRecorder | undefined, log: Logger): RequestRecorder {
  if (!hook) return () => {};
  let warned = false;
  return (entry, transport) => {
    setImmediate(() => {
      try {
        hook(entry, transport);
      } catch (err) {
        if (warned) return;
        warned = true;
        log.warning('the MCP request log hook failed; later failures are not logged', {
          error: err instanceof Error ? err.message : String(err),
        });
      }
    });
  };
}

/** The client's address: the peer, or the client a trusted proxy names (http/client-address.ts). */
export const clientAddress = (c: Context): string => clientAddressOf(c);

/**
 * Starts the record of every request, before any guard can refuse it, and finishes it when the response
 * has gone out: its status, its size, and the outcome read from the JSON-RPC answer it carries.
 */
export const recordRequests = (transport: McpTransport, emit: RequestRecorder): MiddlewareHandler<McpEnv> =>
  async function recordRequests(c, next) {
    const record = new RequestDraft(
      {
        transport,
        address: clientAddress(c),
        userAgent: c.req.header('user-agent'),
        protocolVersion: c.req.header('mcp-protocol-version'),
      },
      emit
    );
    c.set('record', record);
    await next();
    if (record.finished || record.deferred) return;
    const httpStatus = c.res.status;
    const finish = ({ bytes, message }: { bytes: number; message?: unknown }) =>
      record.finish({ httpStatus, responseBytes: bytes, outcome: outcomeOfResponse(message) });
    if (c.res.body && c.res.headers.get('content-type')?.startsWith('application/json')) {
      const { response, seen } = await readJsonAnswer(c.res);
      finish(seen);
      c.res = response;
      return;
    }
    c.res = tapResponse(c.res, finish);
  };
