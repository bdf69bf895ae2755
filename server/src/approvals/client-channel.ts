/**
 * The client as an approval channel (issue 20): when the MCP client declared elicitation, the person at it
 * is asked through the protocol ("Claude wants to unlock Front door") and accepts or declines. How depends
 * on the protocol era and on the transport, and all three end in the same `ClientAnswer`:
 *
 * - 2026-07-28 (MRTR): there are no server→client requests. `ask` rejects with `ClientInputRequired`,
 *   whose `result` (`resultType: "input_required"`, an `elicitation/create` under `inputRequests.approval`
 *   and an opaque `requestState`) the tools/call handler returns. The client asks its person and retries the
 *   same call as a new request carrying `inputResponses` and the `requestState`; `takeAnswer()` reads it,
 *   once, and only for the same user, tool and arguments the state was minted for.
 * - 2025 era over stateless Streamable HTTP: the `elicitation/create` request goes out on the tools/call
 *   POST's SSE stream with an id of ours (`ha-mcp-approval:<uuid>`: the SDK's numeric ids restart at 0 in
 *   every per-request server), and the client's answer comes as a new POST, to a fresh server that knows
 *   nothing of it; `deliver` (called by mcp/elicitation-routing.ts before that POST reaches the SDK) hands it
 *   to the waiting call when it comes from the same user. Whether the client declared elicitation is
 *   remembered from its `initialize` (noteInitialize), since later stateless requests do not say.
 * - 2025 era over a legacy SSE session: the session's server saw `initialize`; the SDK's own related
 *   request does the asking and its answer arrives on the session.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  CLIENT_CAPABILITIES_META_KEY,
  inputRequired,
  inputResponse,
  PROTOCOL_VERSION_META_KEY,
  type ClientCapabilities,
  type ElicitRequestFormParams,
  type InputRequiredResult,
  type Server,
  type ServerContext,
} from '@modelcontextprotocol/server';
import type { Principal } from '../ha/principals.js';
import { asksForms, BoundedMap, callDigest, clientKey } from './client-memory.js';

export type ClientAnswer = { kind: 'accept' } | { kind: 'decline' } | { kind: 'cancel' };

export interface ClientQuestion {
  /** The approval's own id, returned with the answer a 2026-era retry carries. */
  id: string;
  /** What the person reads: "Claude wants to unlock Front door. Allow?" */
  message: string;
}

/** How this request's client is asked: by MRTR, on its POST's stream, or on its SSE session. */
export type ClientEra = 'modern' | 'legacy-stateless' | 'legacy-session';

/** An answer a retried 2026-era call carries, to the question asked when the call first came. */
export interface CarriedAnswer {
  questionId: string;
  answer: ClientAnswer;
}

/**
 * Thrown by `ask` in the 2026 era: the tools/call handler returns `result` as it is, and the client answers
 * by retrying the call (read it with `takeAnswer`). The question stays open meanwhile.
 */
export class ClientInputRequired extends Error {
  constructor(
    readonly questionId: string,
    readonly result: InputRequiredResult
  ) {
    super('the client answers by retrying its call (input_required)');
    this.name = 'ClientInputRequired';
  }
}

export interface ClientAsk {
  readonly era: ClientEra;
  /** Whether this request's client can be asked: it declared form elicitation, and (2025 era) can hear it. */
  readonly supported: boolean;
  /**
   * Asks the person at the client. 2025 era: resolves with their answer; rejects when `signal` (or the
   * request's own signal) aborts, and a later answer does nothing. 2026 era: rejects with
   * `ClientInputRequired` at once.
   */
  ask(question: ClientQuestion, signal: AbortSignal): Promise<ClientAnswer>;
  /** 2026 era: the answer this retried call carries, if it is one of ours for this user and call; single use. */
  takeAnswer(): CarriedAnswer | undefined;
}

export interface ClientAskOptions {
  /** The request's server (its transport carries a stateless 2025-era question). */
  server: Server;
  principal: Principal;
  /** The call waiting: a 2026-era answer counts only for the same tool and arguments. */
  call: { name: string; arguments?: Record<string, unknown> };
  /** 2025 era, Streamable HTTP: whether this POST is answered as an SSE stream (a JSON answer cannot ask). */
  streamed?: boolean;
}

export interface ClientChannelOptions {
  /** 2025-era questions waiting at once, in all (default 1000). */
  maxWaiting?: number;
  /** How long a 2026-era question can be answered by a retry (default 15 minutes). */
  retryTtlMs?: number;
  /** How long a 2025-era client's declared capabilities are remembered (default 24 hours). */
  capabilitiesTtlMs?: number;
  now?: () => number;
}

/** The prefix of our JSON-RPC ids for questions to 2025-era clients. */
export const ANSWER_ID_PREFIX = 'ha-mcp-approval:';
/** The `inputRequests` key of a 2026-era question. */
export const INPUT_KEY = 'approval';
/** No fields: the person only accepts or declines. */
const APPROVAL_FORM: ElicitRequestFormParams['requestedSchema'] = { type: 'object', properties: {} };
/** setTimeout's largest delay: the person takes their time, the caller's signal bounds the wait. */
const FOREVER_MS = 2_147_483_647;

interface Waiting {
  userId: string;
  /** The call asking, as its client names it (callKey). */
  call: string;
  settle(answer: ClientAnswer): void;
  fail(error: Error): void;
}

interface Minted {
  userId: string;
  call: string;
  questionId: string;
}

/** A 2025-era client's call, by its own request id: its ids are only unique to it. */
const callKey = (principal: Principal, userAgent: string | null | undefined, id: string | number) =>
  `${principal.userId}\n${clientKey(principal.tokenHash, userAgent)}\n${JSON.stringify(id)}`;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function answerOf(result: unknown): ClientAnswer | undefined {
  const action = isObject(result) ? result.action : undefined;
  return action === 'accept' || action === 'decline' || action === 'cancel' ? { kind: action } : undefined;
}

const formParams = (question: ClientQuestion): ElicitRequestFormParams => ({
  mode: 'form',
  message: question.message,
  requestedSchema: APPROVAL_FORM,
});

/** A request that accepts an SSE answer (explicitly, or through a wildcard with a non-zero q). */
function acceptsEvents(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((part) => {
    const [type = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    return (!q || Number(q.slice(2)) > 0) && ['text/event-stream', 'text/*', '*/*'].includes(type);
  });
}

/** Process-wide: one per MCP listener, shared by its routes and every per-request server. */
export class ClientChannel {
  private readonly waiting = new Map<string, Waiting>();
  private readonly minted: BoundedMap<Minted>;
  private readonly declared: BoundedMap<ClientCapabilities>;
  private readonly maxWaiting: number;

  constructor(options: ClientChannelOptions = {}) {
    this.maxWaiting = options.maxWaiting ?? 1000;
    this.minted = new BoundedMap(10_000, options.retryTtlMs ?? 15 * 60_000, options.now);
    this.declared = new BoundedMap(10_000, options.capabilitiesTtlMs ?? 24 * 3600_000, options.now);
  }

  /** 2025-era questions waiting for an answer. */
  get waitingCount(): number {
    return this.waiting.size;
  }

  /** Remembers what a 2025-era client declared in its `initialize`, for its later stateless requests. */
  noteInitialize(principal: Principal, userAgent: string | undefined, message: unknown): void {
    if (!isObject(message) || message.method !== 'initialize' || !isObject(message.params)) return;
    const { capabilities } = message.params;
    this.declared.set(
      clientKey(principal.tokenHash, userAgent),
      (isObject(capabilities) ? capabilities : {}) as ClientCapabilities
    );
  }

  /**
   * Whether a POST must be answered as an SSE stream, so that a question can travel on it: a 2025-era
   * tools/call from a client that declared elicitation and accepts SSE.
   */
  wantsStream(
    principal: Principal,
    headers: { userAgent?: string; accept?: string },
    message: unknown
  ): boolean {
    if (!isObject(message) || message.method !== 'tools/call') return false;
    const meta = isObject(message.params) ? message.params._meta : undefined;
    if (isObject(meta) && PROTOCOL_VERSION_META_KEY in meta) return false;
    return (
      acceptsEvents(headers.accept) &&
      asksForms(this.declared.get(clientKey(principal.tokenHash, headers.userAgent)))
    );
  }

  /**
   * Takes a POSTed JSON-RPC message that concerns a waiting question, before it reaches a per-request server
   * that would not know it; true when it was ours to take (answer it with 202, whatever became of it).
   *
   * - A response to one of our questions settles it, only for the user it was asked of: an answer from
   *   anyone else, or to a question no longer waiting, does nothing.
   * - `notifications/cancelled` for a call waiting on a question gives the question up. A 2025-era client
   *   names its call by its own request id, so it is matched by user, token and `User-Agent` as well.
   */
  deliver(principal: Principal, message: unknown, userAgent?: string): boolean {
    if (!isObject(message)) return false;
    if (message.method === 'notifications/cancelled') return this.cancelled(principal, message, userAgent);
    if ('method' in message || !('result' in message || 'error' in message)) return false;
    if (typeof message.id !== 'string' || !message.id.startsWith(ANSWER_ID_PREFIX)) return false;
    const waiting = this.waiting.get(message.id);
    if (!waiting || waiting.userId !== principal.userId) return true;
    const answer = 'result' in message ? answerOf(message.result) : undefined;
    if (answer) waiting.settle(answer);
    else {
      const error = isObject(message.error) ? String(message.error.message) : 'no answer';
      waiting.fail(new Error(`the client did not ask its user: ${error}`));
    }
    return true;
  }

  private cancelled(principal: Principal, message: Record<string, unknown>, userAgent?: string): boolean {
    const requestId = isObject(message.params) ? message.params.requestId : undefined;
    if (typeof requestId !== 'string' && typeof requestId !== 'number') return false;
    const call = callKey(principal, userAgent, requestId);
    const waiting = [...this.waiting.values()].filter((w) => w.call === call);
    for (const w of waiting) w.fail(new Error('the client cancelled its call'));
    return waiting.length > 0;
  }

  /** How to ask the person at the client of this tools/call request. */
  askFor(ctx: ServerContext, options: ClientAskOptions): ClientAsk {
    const { principal, server } = options;
    // The SDK types the envelope as `{}`; its keys are the reserved `_meta` names, as received.
    const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
    if (typeof envelope?.[PROTOCOL_VERSION_META_KEY] === 'string') {
      const declared = envelope[CLIENT_CAPABILITIES_META_KEY] as ClientCapabilities | undefined;
      return this.modern(ctx, options, asksForms(declared));
    }
    // A server that saw `initialize` serves a session; a per-request server never does. (The accessor is
    // deprecated for the 2026 era, whose capabilities come per request; it is the session's own record.)
    const session = server.getClientCapabilities();
    if (session !== undefined) return this.session(ctx, asksForms(session));
    const userAgent = ctx.http?.req?.headers.get('user-agent') ?? undefined;
    const declared = this.declared.get(clientKey(principal.tokenHash, userAgent));
    return this.stateless(ctx, options, options.streamed === true && asksForms(declared));
  }

  private modern(ctx: ServerContext, options: ClientAskOptions, supported: boolean): ClientAsk {
    const { principal, call } = options;
    const digest = callDigest(call.name, call.arguments);
    return {
      era: 'modern',
      supported,
      ask: async (question) => {
        if (!supported) throw new Error('this client did not declare elicitation');
        const state = randomBytes(32).toString('base64url');
        this.minted.set(state, { userId: principal.userId, call: digest, questionId: question.id });
        const elicit = inputRequired.elicit({ message: question.message, requestedSchema: APPROVAL_FORM });
        throw new ClientInputRequired(
          question.id,
          inputRequired({ inputRequests: { [INPUT_KEY]: elicit }, requestState: state })
        );
      },
      takeAnswer: () => {
        const state = ctx.mcpReq.requestState();
        const minted = typeof state === 'string' ? this.minted.get(state) : undefined;
        if (!minted || minted.userId !== principal.userId || minted.call !== digest) return undefined;
        const view = inputResponse(ctx.mcpReq.inputResponses, INPUT_KEY);
        if (view.kind !== 'elicit') return undefined;
        this.minted.delete(state as string);
        return { questionId: minted.questionId, answer: { kind: view.action } };
      },
    };
  }

  private session(ctx: ServerContext, supported: boolean): ClientAsk {
    return {
      era: 'legacy-session',
      supported,
      ask: async (question, signal) => {
        if (!supported) throw new Error('this client did not declare elicitation');
        const result = await ctx.mcpReq.send(
          { method: 'elicitation/create', params: formParams(question) },
          { signal: AbortSignal.any([signal, ctx.mcpReq.signal]), timeout: FOREVER_MS }
        );
        const answer = answerOf(result);
        if (!answer) throw new Error('the client answered the question with no action');
        return answer;
      },
      takeAnswer: () => undefined,
    };
  }

  private stateless(ctx: ServerContext, options: ClientAskOptions, supported: boolean): ClientAsk {
    const { server, principal } = options;
    return {
      era: 'legacy-stateless',
      supported,
      ask: (question, callerSignal) => {
        const transport = server.transport;
        if (!supported || !transport) return Promise.reject(new Error('this client cannot be asked'));
        if (this.waiting.size >= this.maxWaiting) {
          return Promise.reject(new Error('too many questions are waiting for clients'));
        }
        const signal = AbortSignal.any([callerSignal, ctx.mcpReq.signal]);
        if (signal.aborted) return Promise.reject(signal.reason);
        const id = ANSWER_ID_PREFIX + randomUUID();
        const related = { relatedRequestId: ctx.mcpReq.id };
        return new Promise<ClientAnswer>((resolve, reject) => {
          const done = () => {
            this.waiting.delete(id);
            signal.removeEventListener('abort', aborted);
          };
          const aborted = () => {
            done();
            const cancelled = { requestId: id, reason: 'the approval is no longer waiting' };
            transport
              .send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: cancelled }, related)
              .catch(() => {});
            reject(signal.reason);
          };
          const fail = (error: Error) => {
            done();
            reject(error);
          };
          const settle = (answer: ClientAnswer) => {
            done();
            resolve(answer);
          };
          const call = callKey(principal, ctx.http?.req?.headers.get('user-agent'), ctx.mcpReq.id);
          this.waiting.set(id, { userId: principal.userId, call, settle, fail });
          signal.addEventListener('abort', aborted, { once: true });
          const request = {
            jsonrpc: '2.0' as const,
            id,
            method: 'elicitation/create',
            params: formParams(question),
          };
          transport.send(request, related).catch((err: unknown) => fail(err as Error));
        });
      },
      takeAnswer: () => undefined,
    };
  }
}

/** How to ask the person at the client of this tools/call request (`channel.askFor`). */
export const clientAskFor = (
  ctx: ServerContext,
  options: ClientAskOptions & { channel: ClientChannel }
): ClientAsk => options.channel.askFor(ctx, options);
