/**
 * Exposed entities: what Assist (and so every MCP client) may see, read from the Home model and written to
 * Home Assistant's own exposure settings, so HA's Voice assistants page and the panel always agree.
 *
 *   GET  /entities?search=&domain=&area=&exposed=true|false
 *        → { entities: [{ entityId, name, aliases, domain, area, floor, exposed }],
 *            facets: { domains: [{ id, count }], areas: [{ id, name, floor, count }] },
 *            counts: { total, exposed, matching }, exposeNew,
 *            settling }   entities written here that the model (and so the tool list) has not caught up with
 *   POST /entities/expose  ← { entityIds: [...], shouldExpose }  → { entities: [{ entityId, exposed }] }
 *   GET  /expose-new       → { exposeNew }
 *   PUT  /expose-new       ← { exposeNew }  → { exposeNew }
 *
 * The shapes are contract.ts's; the HA commands keep HA's own snake_case names.
 */
import { Hono } from 'hono';
import * as z from 'zod';
import type { Home } from '../ha/home.js';
import type { ResolvedEntity } from '../ha/types.js';
import { readJson, readQuery } from './body.js';
import type {
  EntitiesAnswer,
  EntityQuery as EntityQueryParams,
  EntityRow,
  ExposeAnswer,
  ExposeBody as ExposeBodyShape,
  ExposeNew,
} from './contract.js';
import type { AdminEnv } from './env.js';
import { ApiError } from './errors.js';
import * as commands from '../ha/commands.js';
import type { Send } from '../ha/commands.js';
import { RecentExposure } from './recent-exposure.js';

export type EntitiesHome = Pick<Home, 'require'>;

export interface EntitiesDeps {
  home: EntitiesHome;
  haCommand: Send;
  recent?: RecentExposure;
}

const flag = z.enum(['true', 'false']).transform((value) => value === 'true');

const EntityQuery = z.object({
  search: z.string().max(200).optional(),
  domain: z.string().max(100).optional(),
  area: z.string().max(200).optional(),
  exposed: flag.optional(),
}) satisfies z.ZodType<unknown, EntityQueryParams>;

const ENTITY_ID = /^[a-z0-9_]+\.[a-z0-9_]+$/;

const ExposeBody = z.object({
  entityIds: z
    .array(z.string().regex(ENTITY_ID, 'must be an entity id such as light.kitchen'))
    .min(1, 'name at least one entity')
    .max(5_000),
  shouldExpose: z.boolean(),
}) satisfies z.ZodType<ExposeBodyShape>;

const ExposeNewBody = z.object({ exposeNew: z.boolean() }) satisfies z.ZodType<ExposeNew>;

function rowOf(entity: ResolvedEntity, exposed: boolean): EntityRow {
  const friendly = entity.attributes.friendly_name;
  const name =
    typeof friendly === 'string' && friendly.trim() ? friendly.trim() : (entity.names[0] ?? entity.entity_id);
  return {
    entityId: entity.entity_id,
    name,
    aliases: entity.names.filter((n) => n !== name),
    domain: entity.domain,
    area: entity.area ? { id: entity.area.area_id, name: entity.area.name } : null,
    floor: entity.floor ? { id: entity.floor.floor_id, name: entity.floor.name } : null,
    exposed,
  };
}

export interface EntityFilter {
  search?: string | undefined;
  domain?: string | undefined;
  area?: string | undefined;
  exposed?: boolean | undefined;
}

/** Name, alias or entity id contains the search, case-insensitive; the other filters are exact. */
export function matches(row: EntityRow, filter: EntityFilter): boolean {
  if (filter.domain !== undefined && row.domain !== filter.domain) return false;
  if (filter.area !== undefined && row.area?.id !== filter.area) return false;
  if (filter.exposed !== undefined && row.exposed !== filter.exposed) return false;
  const search = filter.search?.trim().toLowerCase();
  if (!search) return true;
  return [row.entityId, row.name, ...row.aliases].some((text) => text.toLowerCase().includes(search));
}

/** The listing: rows that match, with facets and counts over all entities (the panel's filter menus). */
export function listEntities(
  rows: EntityRow[],
  filter: EntityFilter,
  exposeNew: boolean
): Omit<EntitiesAnswer, 'settling'> {
  const domains = new Map<string, number>();
  const areas = new Map<string, { id: string; name: string; floor: string | null; count: number }>();
  for (const row of rows) {
    domains.set(row.domain, (domains.get(row.domain) ?? 0) + 1);
    if (row.area) {
      const area = areas.get(row.area.id) ?? { ...row.area, floor: row.floor?.name ?? null, count: 0 };
      area.count++;
      areas.set(row.area.id, area);
    }
  }
  const shown = rows
    .filter((row) => matches(row, filter))
    .sort((a, b) => a.name.localeCompare(b.name) || a.entityId.localeCompare(b.entityId));
  return {
    entities: shown,
    facets: {
      domains: [...domains].map(([id, count]) => ({ id, count })).sort((a, b) => a.id.localeCompare(b.id)),
      areas: [...areas.values()].sort((a, b) => a.name.localeCompare(b.name)),
    },
    counts: { total: rows.length, exposed: rows.filter((r) => r.exposed).length, matching: shown.length },
    exposeNew,
  };
}

export function entitiesRoutes(deps: EntitiesDeps): Hono<AdminEnv> {
  const recent = deps.recent ?? new RecentExposure();
  const app = new Hono<AdminEnv>();

  app.get('/entities', (c) => {
    const filter = readQuery(c, EntityQuery);
    const home = deps.home.require();
    let settling = 0;
    const rows = home.all().map((e) => {
      const exposed = recent.exposed(e.entity_id, e.exposed);
      if (exposed !== e.exposed) settling++;
      return rowOf(e, exposed);
    });
    return c.json({ ...listEntities(rows, filter, home.exposeNew), settling } satisfies EntitiesAnswer);
  });

  app.post('/entities/expose', async (c) => {
    const body = await readJson(c, ExposeBody);
    const home = deps.home.require();
    const entityIds = [...new Set(body.entityIds)];
    const unknown = entityIds.filter((id) => !home.states.has(id));
    if (unknown.length) {
      throw new ApiError(400, `entityIds: no such entities: ${unknown.slice(0, 10).join(', ')}`, {
        field: 'entityIds',
        unknown,
      });
    }
    await commands.exposeEntities(deps.haCommand, entityIds, body.shouldExpose);
    recent.record(entityIds, body.shouldExpose);
    return c.json({
      entities: entityIds.map((entityId) => ({ entityId, exposed: body.shouldExpose })),
    } satisfies ExposeAnswer);
  });

  app.get('/expose-new', async (c) => {
    const answer = await commands.getExposeNew(deps.haCommand);
    return c.json({ exposeNew: answer?.expose_new === true } satisfies ExposeNew);
  });

  app.put('/expose-new', async (c) => {
    const body = await readJson(c, ExposeNewBody);
    await commands.setExposeNew(deps.haCommand, body.exposeNew);
    return c.json({ exposeNew: body.exposeNew } satisfies ExposeNew);
  });

  return app;
}
