/**
 * A test-only MCP listener for the client approval channel (approvals/client-channel.ts): the same
 * Streamable HTTP serving as `/api/mcp` (mcp/streamable-http.ts, both eras, stateless) and the same legacy
 * SSE sessions (mcp/sse.ts), behind the same guards, with the answer routing of mcp/elicitation-routing.ts
 * where routes.ts would put it, and one tool, `Unlock`, whose handler asks the client and says what it got.
 */
import { Hono } from 'hono';
import { Server, type CallToolResult } from '@modelcontextprotocol/server';
import {
  ClientChannel,
  ClientInputRequired,
  clientAskFor,
  type ClientAsk,
} from '../../server/src/approvals/client-channel.js';
import type { Principal } from '../../server/src/ha/principals.js';
import { listen, type Listener } from '../../server/src/http/listen.js';
import type { ApiInstance } from '../../server/src/llm/api.js';
import { bearerAuth } from '../../server/src/mcp/auth.js';
import { routeClientAnswers } from '../../server/src/mcp/elicitation-routing.js';
import type { McpEnv } from '../../server/src/mcp/env.js';
import { mapErrors } from '../../server/src/mcp/errors.js';
import {
  negotiateResponse,
  readMessage,
  readPostedMessage,
  requireJsonContent,
} from '../../server/src/mcp/guards.js';
import { recordRequests } from '../../server/src/mcp/request-record.js';
import { SseSessions } from '../../server/src/mcp/sse.js';
import { createStreamableHttp, type Caller } from '../../server/src/mcp/streamable-http.js';
import { fakeAuthenticate, fakeInstance, quietLog } from './mcp-fixture.js';

/** What the tool saw of one call: how its client could be asked, and how the asking ended. */
export interface Asked {
  era: ClientAsk['era'];
  supported: boolean;
  outcome: string;
}

export interface ElicitationWorld {
  url: string;
  channel: ClientChannel;
  /** Every call's story, in order of ending. */
  asked: Asked[];
  /** Aborts the questions waiting now (what the gate does when a call stops waiting). */
  abortWaiting(reason?: string): void;
  /** Resolves once a call is waiting for its client's answer. */
  waitingForAnswer(): Promise<void>;
  close(): Promise<void>;
}

const text = (value: string): CallToolResult => ({ content: [{ type: 'text', text: value }] });

export async function elicitationWorld(): Promise<ElicitationWorld> {
  const channel = new ClientChannel();
  const asked: Asked[] = [];
  const waiting = new Set<AbortController>();
  let wake: Array<() => void> = [];
  let questions = 0;

  function approvalServer(principal: () => Principal, streamed: boolean): Server {
    const server = new Server({ name: 'approval-test', version: '1.0.0' }, { capabilities: { tools: {} } });
    server.setRequestHandler('tools/list', () => ({
      tools: [
        {
          name: 'Unlock',
          inputSchema: { type: 'object' as const, properties: { lock: { type: 'string' } } },
        },
      ],
    }));
    server.setRequestHandler('tools/call', async (request, ctx) => {
      const call = { name: request.params.name, arguments: request.params.arguments };
      const ask = clientAskFor(ctx, { channel, server, principal: principal(), call, streamed });
      const story = (outcome: string) => {
        asked.push({ era: ask.era, supported: ask.supported, outcome });
        return text(outcome);
      };
      const carried = ask.takeAnswer();
      if (carried) return story(`${carried.answer.kind} to ${carried.questionId}`);
      if (!ask.supported) return story('not asked');
      const controller = new AbortController();
      waiting.add(controller);
      const lock = String(call.arguments?.lock ?? 'the lock');
      const question = { id: `q${++questions}`, message: `Claude wants to unlock ${lock}. Allow?` };
      const answer = ask.ask(question, controller.signal);
      for (const w of wake.splice(0)) w();
      try {
        return story((await answer).kind);
      } catch (err) {
        if (err instanceof ClientInputRequired) return err.result;
        return story(`failed: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        waiting.delete(controller);
      }
    });
    return server;
  }

  type StreamedCaller = Caller & { streamed: boolean };
  const http = createStreamableHttp({
    createServer: (caller) => approvalServer(() => caller.principal, (caller as StreamedCaller).streamed),
  });
  const sessions = new SseSessions({
    createServer: (source) => approvalServer(source.principal, false),
    instanceFor: (principal): ApiInstance => fakeInstance(principal),
  });

  const app = new Hono<McpEnv>();
  app.onError(mapErrors(quietLog));
  const guards = [
    recordRequests('streamable_http', () => {}),
    bearerAuth({ authenticate: fakeAuthenticate, resourceMetadataUrl: () => 'http://x/prm' }),
  ];
  app.use('/api/mcp', ...guards);
  app.use('/mcp_server/*', ...guards);
  app.post(
    '/api/mcp',
    requireJsonContent(),
    negotiateResponse(),
    readMessage(1024 * 1024),
    routeClientAnswers(channel),
    (c) => {
      const mode = c.var.responseMode;
      const caller: StreamedCaller = { principal: c.var.principal, streamed: mode === 'sse' };
      return http.handle(c.req.raw, c.var.message, caller, mode);
    }
  );
  app.get('/mcp_server/sse', (c) => sessions.open(c.var.principal, c.var.record));
  app.post('/mcp_server/messages/:id', async (c) => {
    const session = sessions.find(c.req.param('id'), c.var.principal);
    sessions.post(session, c.var.principal, await readPostedMessage(c.req.raw, 1024 * 1024), c.var.record);
    return c.body(null, 200);
  });

  const listener: Listener = await listen('MCP', new Hono().route('/', app), '127.0.0.1', 0);
  return {
    url: `http://127.0.0.1:${listener.port}`,
    channel,
    asked,
    abortWaiting(reason = 'stopped waiting') {
      for (const controller of waiting) controller.abort(new Error(reason));
    },
    waitingForAnswer: () => new Promise<void>((resolve) => void wake.push(resolve)),
    async close() {
      sessions.closeAll();
      await http.close();
      wake = [];
      await listener.close(1_000);
    },
  };
}
