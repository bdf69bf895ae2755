/**
 * Whether an entity is exposed to Assist ("conversation"), decided as Home Assistant 2026.11 decides it
 * (homeassistant/exposed_entities.py), from what its WebSocket API shows:
 * 1. an explicit setting wins: the registry entry's `options.conversation.should_expose`, or, for an entity
 *    without a registry entry, its presence in `homeassistant/expose_entity/list`;
 * 2. otherwise, with "expose new entities" on, HA's default rules.
 *
 * One gap is closed on the safe side: for an entity without a registry entry the list names only exposed
 * ones, so "explicitly not exposed" and "never decided" look the same. Such an entity counts as exposed only
 * when the list says so; HA stores its default the first time Assist looks at it (see sync.ts).
 */
import type { EntityState, RegistryEntry } from './types.js';

export const ASSISTANT = 'conversation';

const DEFAULT_EXPOSED_DOMAINS = new Set([
  'climate',
  'cover',
  'fan',
  'humidifier',
  'light',
  'media_player',
  'scene',
  'switch',
  'todo',
  'vacuum',
  'water_heater',
]);
const DEFAULT_EXPOSED_BINARY_SENSOR_CLASSES = new Set([
  'door',
  'garage_door',
  'lock',
  'motion',
  'opening',
  'presence',
  'window',
]);
const DEFAULT_EXPOSED_SENSOR_CLASSES = new Set([
  'aqi',
  'co',
  'co2',
  'humidity',
  'pm10',
  'pm25',
  'temperature',
  'volatile_organic_compounds',
]);

export interface ExposureFacts {
  entry: RegistryEntry | undefined;
  state: EntityState | undefined;
  /** Listed by `homeassistant/expose_entity/list`. */
  listed: boolean;
  exposeNew: boolean;
}

function deviceClass(facts: ExposureFacts): unknown {
  return (
    facts.entry?.device_class ?? facts.entry?.original_device_class ?? facts.state?.attributes.device_class
  );
}

/** HA's default rule for an entity nobody has decided on. */
export function exposedByDefault(entityId: string, facts: ExposureFacts): boolean {
  if (facts.entry && (facts.entry.entity_category !== null || facts.entry.hidden_by !== null)) return false;
  const domain = entityId.slice(0, entityId.indexOf('.'));
  if (DEFAULT_EXPOSED_DOMAINS.has(domain)) return true;
  const cls = deviceClass(facts);
  if (typeof cls !== 'string') return false;
  if (domain === 'binary_sensor') return DEFAULT_EXPOSED_BINARY_SENSOR_CLASSES.has(cls);
  if (domain === 'sensor') return DEFAULT_EXPOSED_SENSOR_CLASSES.has(cls);
  return false;
}

export function isExposed(entityId: string, facts: ExposureFacts): boolean {
  if (!facts.entry) return facts.listed;
  const explicit = facts.entry.options[ASSISTANT]?.should_expose;
  if (typeof explicit === 'boolean') return explicit;
  return facts.exposeNew && exposedByDefault(entityId, facts);
}
