/**
 * The token cost of the home, for the panel:
 *
 *   GET /token-cost?limit=200 → { tokenizer: { name, note }, selected, controlHomeAssistant,
 *     apis: [{ id, name, endpoint, callers: { admin, nonAdmin, readOnly }:
 *              { available, toolCount, tools, prompt, liveContext, total } }],
 *     entities: [{ entityId, name, domain, tokens, liveContext, prompt, tools, attributes, aliases }],
 *     entityTotals: { count, tokens }, computedAt, computeMs }
 *
 * (contract.ts's `TokenCostAnswer`; token-cost.ts counts, token-cost-cache.ts keeps it current.)
 *
 * Open to every panel user, as the Entities view is: it names only exposed entities, which every HA user
 * sees anyway, and what the home costs a model is no secret. Nothing about who called what is in it.
 */
import { Hono } from 'hono';
import * as z from 'zod';
import { readQuery } from './body.js';
import type { TokenCostAnswer } from './contract.js';
import type { AdminEnv } from './env.js';
import { ENTITY_LIMIT } from './token-cost.js';
import { TokenCostCache, type TokenCostCacheDeps } from './token-cost-cache.js';

const TokenCostQuery = z.object({
  limit: z.coerce.number().int().min(0).max(100_000).default(ENTITY_LIMIT),
});

export function tokenCostRoutes(deps: TokenCostCacheDeps): Hono<AdminEnv> {
  const cache = new TokenCostCache(deps);
  return new Hono<AdminEnv>().get('/token-cost', async (c) => {
    const { limit } = readQuery(c, TokenCostQuery);
    const answer = await cache.current();
    return c.json({ ...answer, entities: answer.entities.slice(0, limit) } satisfies TokenCostAnswer);
  });
}
