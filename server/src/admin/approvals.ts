/**
 * Calls waiting for a person's approval (approvals/engine.ts), as the panel lists and answers them:
 *
 *   GET  /approvals          → { approvals: [ApprovalRow], now, enabled }   oldest first
 *   GET  /approvals/stream   → Server-Sent Events (contract.ts `ApprovalEvents`): `ready`, then the whole
 *                              list again (`approvals`) each time a call starts or stops waiting
 *   POST /approvals/:id      ← { allow: boolean }   → { decided: true, allow }   404: not waiting, or not theirs
 *
 * Who sees what is the engine's rule: an administrator every waiting call, anyone else their own (the calls
 * of clients acting as them). Answering is the one change a viewer who is not an administrator may make
 * (access.ts `OWN_ANSWERS`): the engine takes an answer from the call's own user, or from an administrator
 * in the panel, and nobody else. A call the viewer may not see is a 404 to them, as one that is not waiting.
 * Like the log's tail, a stream that is held back on the way (HA's ingress before Core 2026.3) is noticed
 * by the panel, which polls GET /approvals instead (ui/src/data/approvals.ts).
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import * as z from 'zod';
import type { Approvals, WaitingApproval } from '../approvals/engine.js';
import { readerOf } from './access.js';
import { readJson } from './body.js';
import { eventStreamResponse, sseEvent } from './event-stream.js';
import type { ApprovalDecisionAnswer, ApprovalEvents, ApprovalRow, ApprovalsAnswer } from './contract.js';
import type { AdminEnv } from './env.js';
import { ApiError } from './errors.js';

export type ApprovalsSource = Pick<Approvals, 'waiting' | 'decide' | 'onChange'>;

export interface ApprovalsDeps {
  approvals?: ApprovalsSource;
  now: () => number;
  keepAliveMs?: number;
  /** Aborted when the listener stops: streams end so the stop is not held up by them. */
  signal?: AbortSignal;
}

const DecisionBody = z.object({ allow: z.boolean() }).strict();

/** What the panel shows of a waiting call: not its arguments (the verb and entities say what it does). */
const rowOf = (a: WaitingApproval): ApprovalRow => ({
  id: a.id,
  userId: a.userId,
  userName: a.userName,
  clientName: a.clientName,
  tool: a.tool,
  verb: a.verb,
  entities: a.entities,
  askedAt: a.askedAt,
  expiresAt: a.expiresAt,
});

/** The viewer as the engine knows people: an administrator, or the HA user whose calls are theirs. */
async function viewerOf(c: Context<AdminEnv>) {
  const reader = await readerOf(c);
  const { viewer } = c.var;
  return {
    userId: reader.everyone ? (viewer.id ?? '') : reader.userId,
    isAdmin: reader.everyone,
    name:
      viewer.displayName ??
      viewer.name ??
      (viewer.source === 'local' ? 'the administrator (standalone)' : 'an administrator'),
  };
}

const event = <K extends keyof ApprovalEvents>(name: K, data: ApprovalEvents[K]) => sseEvent(name, data);

export function approvalsRoutes(deps: ApprovalsDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const source = deps.approvals;

  const answer = (viewer: { userId: string; isAdmin: boolean }): ApprovalsAnswer => ({
    approvals: (source?.waiting(viewer) ?? []).map(rowOf),
    now: deps.now(),
    enabled: source !== undefined,
  });

  app.get('/approvals', async (c) => c.json(answer(await viewerOf(c)) satisfies ApprovalsAnswer));

  app.get('/approvals/stream', async (c) => {
    const viewer = await viewerOf(c);
    return eventStreamResponse({
      ...(deps.keepAliveMs !== undefined && { keepAliveMs: deps.keepAliveMs }),
      ...(deps.signal && { signal: deps.signal }),
      open(sink) {
        // The whole list each time: a few rows at most (the engine bounds them), and a panel that missed an
        // event is right again at the next one.
        const send = () => sink.closed || sink.send(event('approvals', answer(viewer)));
        send();
        return source?.onChange(send) ?? (() => {});
      },
    });
  });

  app.post('/approvals/:id', async (c) => {
    const { allow } = await readJson(c, DecisionBody);
    const viewer = await viewerOf(c);
    const id = c.req.param('id');
    // Only what the viewer can see can be theirs to answer; the engine checks again as it decides.
    const visible = source?.waiting(viewer).some((a) => a.id === id) ?? false;
    const decided =
      visible &&
      source!.decide(id, {
        allow,
        channel: 'panel',
        by: { userId: viewer.userId, name: viewer.name, isAdmin: viewer.isAdmin },
      });
    if (!decided) throw new ApiError(404, 'no such call waiting for your approval');
    return c.json({ decided: true, allow } satisfies ApprovalDecisionAnswer);
  });

  return app;
}
