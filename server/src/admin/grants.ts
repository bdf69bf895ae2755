/**
 * OAuth sign-ins, as the panel lists them: one per client and user, read-only or with control.
 *
 *   GET    /grants        → { grants: [{ id, clientId, clientName, userId, userName, readOnly, created, lastUsed }],
 *                              enabled }   enabled: false when OAuth is off
 *   DELETE /grants/:id    → { revoked: true }   its tokens stop working at once (administrators only)
 *   PUT    /grants/:id    ← { asksEverything }   → the grant as listed   (administrators only): every change
 *                           its client makes waits for a person, not only what `approval_domains` names
 *
 * The list is private (access.ts `readerOf`): an administrator sees every sign-in, anyone else only their
 * own. Ending one stays a change like any other, for administrators (a user can also end their own at Home
 * Assistant, in their profile's refresh tokens, which stops the add-on acting for them).
 */
import { Hono } from 'hono';
import * as z from 'zod';
import { readerOf } from './access.js';
import { readJson } from './body.js';
import type { GrantSettingsAnswer, GrantsAnswer, RevokeGrantAnswer } from './contract.js';
import type { AdminEnv } from './env.js';
import { ApiError } from './errors.js';
import type { GrantSummary } from '../oauth/authorization-server.js';

export interface GrantsDeps {
  grants(): GrantSummary[];
  revoke(id: string): boolean;
  /** Sets a grant's "ask before any change"; undefined when there is no such grant. */
  setAsksEverything?(id: string, on: boolean): GrantSummary | undefined;
}

const GrantSettings = z.object({ asksEverything: z.boolean() }).strict();

export function grantsRoutes(deps: GrantsDeps | undefined): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  app.get('/grants', async (c) => {
    const reader = await readerOf(c);
    const grants = (deps?.grants() ?? []).filter((g) => reader.everyone || g.userId === reader.userId);
    return c.json({ grants, enabled: deps !== undefined } satisfies GrantsAnswer);
  });
  app.delete('/grants/:id', (c) => {
    if (!deps?.revoke(c.req.param('id'))) throw new ApiError(404, 'no such sign-in');
    return c.json({ revoked: true } satisfies RevokeGrantAnswer);
  });
  app.put('/grants/:id', async (c) => {
    const { asksEverything } = await readJson(c, GrantSettings);
    const grant = deps?.setAsksEverything?.(c.req.param('id'), asksEverything);
    if (!grant) throw new ApiError(404, 'no such sign-in');
    return c.json({ asksEverything: false, ...grant } satisfies GrantSettingsAnswer);
  });
  return app;
}
