/**
 * What a tool call would change, resolved from the home model before anything is asked of Home Assistant,
 * so that the approval gate (gate.ts) can tell whether a person must allow it. Pure.
 *
 * - An intent targets the exposed entities its slots match (name or alias, area, floor, domain, device
 *   class), as HA's matching narrows them; where HA would pick one of several by the speaking device's area,
 *   every candidate counts: a call that might open the garage waits.
 * - `homeassistant__call_action` targets the entities its target and data name (entity, device, area, floor
 *   and label ids, as far as the model knows them), and the action's own domain: `lock.unlock` with no
 *   target unlocks every lock.
 * - A script targets what HA says the script is related to (gate.ts asks HA's search).
 */
import type { Home } from '../ha/home.js';
import type { ResolvedEntity } from '../ha/types.js';
import { normalizeName } from '../llm/assist/match.js';

export interface CallChanges {
  /** The entities the call would change, as far as they can be known. */
  entities: ResolvedEntity[];
  /** Domains the call acts on beyond those entities (an action without a target). */
  domains: string[];
  /** Scripts the call runs: what HA relates each to counts too (gate.ts asks). */
  scripts?: string[];
  /** What the call does, as a person reads it: "turn off", "lock.unlock", "run". */
  verb: string;
}

const list = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]).filter(
    (v): v is string => typeof v === 'string'
  );

const named = (wanted: string | undefined, names: string[]) =>
  wanted === undefined || names.some((n) => normalizeName(n) === normalizeName(wanted));

/** The exposed entities an intent's slots can match: a superset of what HA picks. */
export function intentTargets(home: Home, intent: string, args: Record<string, unknown>): CallChanges {
  const name = typeof args.name === 'string' ? args.name : undefined;
  const area = typeof args.area === 'string' ? args.area : undefined;
  const floor = typeof args.floor === 'string' ? args.floor : undefined;
  const domains = new Set(list(args.domain));
  const deviceClasses = new Set(list(args.device_class));
  const entities = home
    .exposedEntities()
    .filter(
      (entity) =>
        (domains.size === 0 || domains.has(entity.domain)) &&
        (deviceClasses.size === 0 || deviceClasses.has(String(entity.attributes.device_class))) &&
        named(name, entity.names) &&
        (area === undefined ||
          (entity.area !== undefined && named(area, [entity.area.name, ...entity.area.aliases]))) &&
        (floor === undefined ||
          (entity.floor !== undefined && named(floor, [entity.floor.name, ...entity.floor.aliases])))
    );
  return { entities, domains: [], verb: intentVerb(intent, entities) };
}

/** "turn on" a light, but "lock" a lock and "open" a cover, as HA's intents act on them. */
function intentVerb(intent: string, entities: ResolvedEntity[]): string {
  const domain =
    entities.length > 0 && entities.every((e) => e.domain === entities[0]!.domain) ? entities[0]!.domain : '';
  const on = intent === 'HassTurnOn';
  const off = intent === 'HassTurnOff';
  if (domain === 'lock' && (on || off)) return on ? 'lock' : 'unlock';
  if ((domain === 'cover' || domain === 'valve') && (on || off)) return on ? 'open' : 'close';
  if (on) return 'turn on';
  if (off) return 'turn off';
  if (intent === 'HassToggle') return 'toggle';
  if (intent === 'HassSetPosition') return 'set the position of';
  return intent
    .replace(/^Hass/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
}

/** The ids a target or data block names under `key`, as HA accepts them (one, a list, or a comma list). */
function idsIn(blocks: Record<string, unknown>[], key: string): string[] {
  return blocks
    .flatMap((block) => list(block[key]).flatMap((v) => v.split(',').map((s) => s.trim())))
    .filter(Boolean);
}

/** The entities and domains an action call would change: `{ action, target?, data? }` as the tool takes it. */
export function actionTargets(home: Home, args: Record<string, unknown>): CallChanges {
  const action = typeof args.action === 'string' ? args.action : '';
  const [domain = ''] = action.split('.', 1);
  const blocks = [args.target, args.data].filter(
    (b): b is Record<string, unknown> => typeof b === 'object' && b !== null && !Array.isArray(b)
  );
  const entityIds = new Set(idsIn(blocks, 'entity_id'));
  const devices = new Set(idsIn(blocks, 'device_id'));
  const areas = new Set(idsIn(blocks, 'area_id'));
  const floors = new Set(idsIn(blocks, 'floor_id'));
  const labels = new Set(idsIn(blocks, 'label_id'));
  const targeted = entityIds.size + devices.size + areas.size + floors.size + labels.size > 0;
  const entities = home
    .all()
    .filter(
      (entity) =>
        entityIds.has(entity.entity_id) ||
        (entity.device_id !== undefined && devices.has(entity.device_id)) ||
        (entity.area !== undefined && areas.has(entity.area.area_id)) ||
        (entity.floor !== undefined && floors.has(entity.floor.floor_id)) ||
        list(entity.attributes.labels).some((label) => labels.has(label))
    );
  // Templates, `all`, or ids the model does not know: what the action's domain can reach counts.
  const unresolved = !targeted || [...entityIds].some((id) => !home.get(id)) || labels.size > 0;
  // `script.<name>` runs that script; `script.turn_on` the scripts it targets.
  const scripts = [
    ...entities.filter((e) => e.domain === 'script').map((e) => e.entity_id),
    ...(domain === 'script' && !['turn_on', 'turn_off', 'toggle', 'reload'].includes(action.slice(7))
      ? [action]
      : []),
  ];
  return {
    entities,
    domains: unresolved || entities.length === 0 ? [domain] : [],
    verb: `call ${action} on`,
    ...(scripts.length > 0 && { scripts }),
  };
}

/** A script run as a tool: what HA relates the script to is what it may change. */
export const scriptTargets = (entityId: string): CallChanges => ({
  entities: [],
  domains: [],
  verb: 'run',
  scripts: [entityId],
});
