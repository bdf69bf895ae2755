/**
 * The token cost of the home (GET /token-cost): what each endpoint sends each kind of caller, and every
 * exposed entity's share, counted by the server with a real tokenizer. The pure helpers over it are in
 * token-cost-figures.ts.
 */
import { api, query } from './api';
import type { TokenCostAnswer } from '../../../server/src/admin/contract';

export type {
  TokenCostAnswer,
  TokenCostApi,
  TokenCostEntity,
  TokenCostFigures,
} from '../../../server/src/admin/contract';

/**
 * The route's own ceiling: the Entities view shows a share beside every exposed entity, so it asks for all
 * of them, not the route's default top few.
 */
export const ALL_ENTITIES = 100_000;

export const fetchTokenCost = (limit = ALL_ENTITIES) =>
  api<TokenCostAnswer>(`/token-cost${query({ limit: String(limit) })}`);

export * from './token-cost-figures';
