/**
 * The live context Assist gives a model: every exposed entity (calendars and scripts aside, they have
 * tools of their own) with its names, domain, state, areas and a few attributes, as YAML — built from the
 * Home, as HA 2026.11 builds it (homeassistant/llm.py), with its name / domain / area filters and their
 * error messages. Pure.
 */
import { stringify } from 'yaml';
import type { Area, ResolvedEntity } from '../../ha/types.js';
import { matchTargets } from './match.js';

/** Only these attributes are shown, in the entity's own order. */
const INTERESTING_ATTRIBUTES = new Set([
  'temperature',
  'current_temperature',
  'temperature_unit',
  'brightness',
  'humidity',
  'unit_of_measurement',
  'device_class',
  'current_position',
  'percentage',
  'volume_level',
  'media_title',
  'media_artist',
  'media_album_name',
]);

/**
 * HA shows int attributes as strings and leaves floats as numbers, but JSON loses the difference between 20
 * and 20.0; whole numbers show as strings here, except attributes HA always keeps as floats. (A whole float
 * such as a climate temperature of 20.0 therefore shows as '20': docs/assist-differences.md.)
 */
const FLOAT_ATTRIBUTES = new Set(['volume_level']);

export const NO_ENTITIES_MESSAGE =
  'Only if the user wants to control a device, tell them to expose entities to their voice assistant in Home Assistant.';

export interface LiveContextOptions {
  timeZone: string;
  /** Every area in the home (a filter naming none of them is its own error). */
  areas?: Area[];
  /** Display precision of sensors (entity registry options), by entity id. */
  precision?: (entityId: string) => number | undefined;
}

export interface EntityInfo {
  names: string;
  domain: string;
  state?: string;
  areas?: string;
  attributes?: Record<string, unknown>;
}

/** Python's round(): halves go to the even neighbour. */
export function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const diff = value - floor;
  if (Math.abs(diff - 0.5) > 1e-9) return Math.round(value);
  return floor % 2 === 0 ? floor : floor + 1;
}

/** An instant as local ISO time in a time zone, like Python's `as_local(dt).isoformat()`. */
export function localIso(date: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(date)
      .map((p) => [p.type, p.value])
  );
  const local = Date.UTC(
    +parts.year!,
    +parts.month! - 1,
    +parts.day!,
    +parts.hour!,
    +parts.minute!,
    +parts.second!
  );
  const offsetMin = Math.round((local - Math.floor(date.getTime() / 1000) * 1000) / 60_000);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  const micro = date.getMilliseconds() ? `.${String(date.getMilliseconds()).padStart(3, '0')}000` : '';
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${micro}${offset}`;
}

function displayState(entity: ResolvedEntity, options: LiveContextOptions): string {
  let state = entity.state;
  if (entity.domain === 'sensor') {
    const precision = options.precision?.(entity.entity_id);
    const value = Number(state);
    if (precision !== undefined && state.trim() !== '' && Number.isFinite(value))
      state = value.toFixed(precision);
  }
  if (entity.attributes.device_class === 'timestamp' && state) {
    const parsed = new Date(state);
    if (!Number.isNaN(parsed.getTime())) state = localIso(parsed, options.timeZone);
  }
  return state;
}

function shownAttributes(entity: ResolvedEntity): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entity.attributes)) {
    if (!INTERESTING_ATTRIBUTES.has(key)) continue;
    if (typeof value === 'boolean') out[key] = value ? 'True' : 'False';
    else if (typeof value === 'number' && Number.isInteger(value) && !FLOAT_ATTRIBUTES.has(key))
      out[key] = String(value);
    else out[key] = value;
  }
  if (Object.keys(out).length === 0) return undefined;
  const brightness = entity.attributes.brightness;
  if (entity.domain === 'light' && typeof brightness === 'number' && Number.isInteger(brightness)) {
    // Tools take brightness in percent; the attribute is 0-255.
    const pct = roundHalfEven((brightness / 255) * 100);
    out.brightness_pct = String(brightness > 0 ? Math.max(pct, 1) : pct);
  }
  return out;
}

function sortKey(entity: ResolvedEntity): string {
  const friendly = entity.attributes.friendly_name;
  return typeof friendly === 'string' ? friendly : entity.entity_id.slice(entity.entity_id.indexOf('.') + 1);
}

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function areaNames(entity: ResolvedEntity): string | undefined {
  if (!entity.area) return undefined;
  return [entity.area.name, ...[...entity.area.aliases].sort(byCodePoint)].join(', ');
}

/** Exposed entities the live context shows (calendars and scripts have tools of their own). */
const shownInContext = (e: ResolvedEntity) => e.exposed && e.domain !== 'calendar' && e.domain !== 'script';

/** Exposed entities as Assist describes them, sorted as HA sorts them (by friendly name). */
export function describeEntities(
  entities: ResolvedEntity[],
  options: LiveContextOptions,
  includeState: boolean
): { entity: ResolvedEntity; info: EntityInfo }[] {
  return entities
    .filter(shownInContext)
    .sort((a, b) => byCodePoint(sortKey(a), sortKey(b)))
    .map((entity) => {
      const info: EntityInfo = { names: entity.names.join(', '), domain: entity.domain };
      if (includeState) info.state = displayState(entity, options);
      const areas = areaNames(entity);
      if (areas) info.areas = areas;
      const attributes = includeState ? shownAttributes(entity) : undefined;
      if (attributes) info.attributes = attributes;
      return { entity, info };
    });
}

/** YAML as HA's dumper writes it: block style, YAML 1.1 quoting ('on', 'off', '180'), None as nothing. */
export function toYaml(value: unknown): string {
  return stringify(value, { version: '1.1', nullStr: '', lineWidth: 0, singleQuote: true });
}

export const LIVE_CONTEXT_HEADER = 'Live Context: the areas and devices of this home as they are right now:';

export interface LiveContextArgs {
  name?: string;
  domain?: string | string[];
  area?: string;
}

export type LiveContextResult = { ok: true; text: string } | { ok: false; error: string };

export function liveContext(
  entities: ResolvedEntity[],
  args: LiveContextArgs,
  options: LiveContextOptions
): LiveContextResult {
  let candidates = entities.filter(shownInContext);
  if (candidates.length === 0) return { ok: false, error: NO_ENTITIES_MESSAGE };
  let domains = typeof args.domain === 'string' ? [args.domain] : args.domain;
  if (domains) domains = domains.map((d) => d.trim().toLowerCase()).filter(Boolean);
  if (args.name || args.area || domains?.length) {
    // Match first and describe only what matched: a filter on a large home stays cheap.
    const match = matchTargets(
      candidates,
      { name: args.name, area: args.area, domains },
      entities,
      options.areas
    );
    if (!match.ok) {
      const error = {
        invalid_area: `Area '${match.area}' does not exist`,
        name: `No exposed entities matched name '${args.name}'`,
        area: `No exposed entities found in area '${args.area}'`,
        domain: `No exposed entities found in domain(s): ${(domains ?? []).join(', ')}`,
      }[match.reason];
      return { ok: false, error };
    }
    candidates = match.entities;
  }
  const described = describeEntities(candidates, options, true);
  return { ok: true, text: `${LIVE_CONTEXT_HEADER}\n${toYaml(described.map((d) => d.info))}` };
}
