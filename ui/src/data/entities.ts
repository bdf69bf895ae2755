/** Entities and their exposure to Assist: HA's own setting, read and written through the admin API. */
import { api, query } from './api';
import type {
  EntitiesAnswer,
  EntityQuery,
  ExposeAnswer,
  ExposeBody,
  ExposeNew,
} from '../../../server/src/admin/contract';

export type { EntitiesAnswer, EntityFacets, EntityRow } from '../../../server/src/admin/contract';

/** The filters as the panel holds them: every query parameter, empty for "any". */
export type EntityFilter = { [K in keyof EntityQuery]-?: NonNullable<EntityQuery[K]> | '' };

export const fetchEntities = (filter: EntityFilter) =>
  api<EntitiesAnswer>(`/entities${query({ ...filter })}`);

export const exposeEntities = (entityIds: string[], shouldExpose: boolean) =>
  api<ExposeAnswer>('/entities/expose', { json: { entityIds, shouldExpose } satisfies ExposeBody });

export const setExposeNew = (exposeNew: boolean) =>
  api<ExposeNew>('/expose-new', { method: 'PUT', json: { exposeNew } satisfies ExposeNew });
