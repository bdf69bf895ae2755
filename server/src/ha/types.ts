/**
 * What the add-on relies on from Home Assistant's WebSocket API (2026.11), and the Home model built from it.
 * Only the fields used are typed; HA sends more.
 */

/** One entity's state as `subscribe_entities` delivers it (compressed keys expanded). */
export interface EntityState {
  entity_id: string;
  state: string;
  attributes: Record<string, unknown>;
  /** ISO time of the last state change. */
  last_changed: string;
  last_updated: string;
}

export interface Area {
  area_id: string;
  name: string;
  aliases: string[];
  floor_id: string | null;
}

export interface Floor {
  floor_id: string;
  name: string;
  aliases: string[];
  level: number | null;
}

export interface Device {
  id: string;
  name: string | null;
  name_by_user: string | null;
  area_id: string | null;
  /** HA 2026.9+: a child device without an area of its own takes its parent's. */
  parent_device_id?: string | null;
  /** HA 2026.11: which name comes before this device's in its entities' full names ('parent_device' or none). */
  next_name_part?: string | null;
}

/** An entity registry entry (`config/entity_registry/get_entries`, the extended form). */
export interface RegistryEntry {
  entity_id: string;
  name: string | null;
  original_name: string | null;
  /** `null` stands for the entity's own computed name (HA 2026.x). */
  aliases: (string | null)[];
  area_id: string | null;
  device_id: string | null;
  /** HA 2026.11: which name precedes the entity's own in its full name: 'area', 'device' or none. */
  next_name_part?: string | null;
  entity_category: string | null;
  hidden_by: string | null;
  disabled_by: string | null;
  device_class: string | null;
  original_device_class: string | null;
  options: Record<string, Record<string, unknown> | undefined>;
}

export interface CoreConfig {
  version: string;
  location_name: string;
  time_zone: string;
  language: string;
  unit_system: Record<string, string>;
  internal_url: string | null;
  external_url: string | null;
  state: string;
  /** The integrations set up (`light`), and their platforms (`demo.light`): what decides which tools HA offers. */
  components: string[];
}

/** A script's action description (`get_services`, domain `script`): its fields become a tool's arguments. */
export interface ScriptService {
  name?: string;
  description?: string;
  fields: Record<string, ScriptField>;
}

export interface ScriptField {
  name?: string;
  description?: string;
  required?: boolean;
  example?: unknown;
  default?: unknown;
  selector?: Record<string, unknown>;
}

/** Everything the model needs from HA, loaded in one go after every (re)connect. */
export interface Snapshot {
  config: CoreConfig;
  areas: Area[];
  floors: Floor[];
  devices: Device[];
  registry: RegistryEntry[];
  /** Entities HA lists as exposed to Assist (only exposed ones are listed). */
  exposed: string[];
  /** The "expose new entities" setting for Assist. */
  exposeNew: boolean;
  /** Scripts' action descriptions by object id. */
  scripts: Record<string, ScriptService>;
}

/** An entity as the tools see it: names, place, state and whether Assist may see it. */
export interface ResolvedEntity {
  entity_id: string;
  domain: string;
  /** The entity's name and aliases, in the owner's order; may be empty (HA lets an owner remove them all). */
  names: string[];
  state: string;
  attributes: Record<string, unknown>;
  last_changed: string;
  area: Area | undefined;
  floor: Floor | undefined;
  device_id: string | undefined;
  exposed: boolean;
}
