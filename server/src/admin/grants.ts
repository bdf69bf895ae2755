/**
 * OAuth sign-ins, as the panel lists them: one per client and user, read-only or with control.
 *
 *   GET    /grants        → { grants: [{ id, clientId, clientName, userId, userName, readOnly, created, lastUsed }],
 *                              enabled }   enabled: false when OAuth is off
 *   DELETE /grants/:id    → { revoked: true }   its tokens stop working at once (administrators only)
 */
import { Hono } from 'hono';
import type { GrantsAnswer, RevokeGrantAnswer } from './contract.js';
import type { AdminEnv } from './env.js';
import { ApiError } from './errors.js';
import type { GrantSummary } from '../oauth/authorization-server.js';

export interface GrantsDeps {
  grants(): GrantSummary[];
  revoke(id: string): boolean;
}

export function grantsRoutes(deps: GrantsDeps | undefined): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  app.get('/grants', (c) =>
    c.json({ grants: deps?.grants() ?? [], enabled: deps !== undefined } satisfies GrantsAnswer)
  );
  app.delete('/grants/:id', (c) => {
    if (!deps?.revoke(c.req.param('id'))) throw new ApiError(404, 'no such sign-in');
    return c.json({ revoked: true } satisfies RevokeGrantAnswer);
  });
  return app;
}
