/**
 * Pure helpers over the token cost (GET /token-cost) for the panel's views: each entity's share, the
 * costliest, why an entity costs what it does, where the shares are counted. No imports but types, so the
 * unit tests run them under Node as they are.
 */
import type { TokenCostAnswer, TokenCostApi, TokenCostEntity } from '../../../server/src/admin/contract.js';

export type CallerKind = keyof TokenCostApi['callers'];

/** The table's rows, in the order an owner reads them: most rights first. */
export const CALLER_KINDS: readonly CallerKind[] = ['admin', 'nonAdmin', 'readOnly'];

/** Each exposed entity's share by entity id; an entity not in it is not exposed (or not counted yet). */
export const sharesById = (answer: TokenCostAnswer | undefined): Map<string, TokenCostEntity> =>
  new Map((answer?.entities ?? []).map((entity) => [entity.entityId, entity]));

/** The costliest `count` entities: the answer lists them costliest first already. */
export const costliest = (answer: TokenCostAnswer, count = 10): TokenCostEntity[] =>
  answer.entities.slice(0, count);

/** What an entity's share is of every exposed entity's, as a fraction (0 when nothing is exposed). */
export const shareOf = (entity: TokenCostEntity, answer: TokenCostAnswer): number =>
  answer.entityTotals.tokens > 0 ? entity.tokens / answer.entityTotals.tokens : 0;

/** `own_tool`: a script's own tool; `tool_choice`: a to-do list's or calendar's name among a tool's choices. */
export interface CostReason {
  key: 'attributes' | 'aliases' | 'own_tool' | 'tool_choice';
  count: number;
}

/**
 * Why an entity costs what it does, as the parts an owner can trim: the attributes and aliases it sends, and
 * the tool it brings (a script's own) or is named in (a to-do list's, a calendar's). `count` is how many
 * attributes or aliases, or the tool's tokens.
 */
export function costReasons(entity: TokenCostEntity): CostReason[] {
  const reasons: CostReason[] = [];
  if (entity.attributes > 0) reasons.push({ key: 'attributes', count: entity.attributes });
  if (entity.aliases > 0) reasons.push({ key: 'aliases', count: entity.aliases });
  if (entity.tools > 0)
    reasons.push({ key: entity.domain === 'script' ? 'own_tool' : 'tool_choice', count: entity.tools });
  return reasons;
}

/** The translation key for a reason; its message picks "1 alias" or "2 aliases" from the count. */
export const reasonKey = ({ key }: CostReason): string => `token_cost.reasons.${key}`;

/**
 * The endpoint the entities' shares are counted at: the first whose administrator is sent a live context
 * (the server counts them there: the selection, else the Assist API on its own).
 */
export const shareEndpoint = (answer: TokenCostAnswer): string | undefined =>
  answer.apis.find(({ callers: { admin } }) => admin.available && admin.liveContext > 0)?.endpoint;

/**
 * Rows costliest first, for trimming: exposed entities by their share, then those exposed but not counted
 * yet, then the unexposed; rows that tie keep their order.
 */
export function byTokens<Row extends { entityId: string; exposed: boolean }>(
  rows: readonly Row[],
  shares: ReadonlyMap<string, TokenCostEntity>
): Row[] {
  const tokensOf = (row: Row) => (row.exposed ? (shares.get(row.entityId)?.tokens ?? 0) : -1);
  return [...rows].sort((a, b) => tokensOf(b) - tokensOf(a));
}
