/** Entities and their exposure to Assist: HA's own setting, read and written through the admin API. */
import { api, query } from './api';

// The row as the server defines it (a file of plain types).
export type { EntityRow } from '../../../server/src/admin/entity-row';
import type { EntityRow } from '../../../server/src/admin/entity-row';

export interface EntityListing {
  entities: EntityRow[];
  facets: {
    domains: { id: string; count: number }[];
    areas: { id: string; name: string; floor: string | null; count: number }[];
  };
  counts: { total: number; exposed: number; matching: number };
  expose_new: boolean;
  /** Exposure written here that the server's model (and so the tool list) has not caught up with yet. */
  settling: number;
}

export interface EntityFilter {
  search: string;
  domain: string;
  area: string;
  exposed: '' | 'true' | 'false';
}

export const fetchEntities = (filter: EntityFilter) => api<EntityListing>(`/entities${query({ ...filter })}`);

export const exposeEntities = (entityIds: string[], shouldExpose: boolean) =>
  api('/entities/expose', { json: { entity_ids: entityIds, should_expose: shouldExpose } });

export const setExposeNew = (on: boolean) => api('/expose-new', { method: 'PUT', json: { expose_new: on } });
