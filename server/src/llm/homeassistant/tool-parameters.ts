/**
 * The parameters of the "Home Assistant" LLM API's tools, validated as HA 2026.11 validates them (the same
 * probatio validators, so the same coercions, defaults and error texts) and advertised with the same schema
 * shapes. The descriptions are ours. Pinned against the pinned HA by tests/unit/ha-api-parameters.test.ts.
 */
import type { Param, Parameters } from './parameters.js';

const text: Param = { kind: 'string' };
const nonEmptyText: Param = { kind: 'string', nonEmpty: true };
/** config/llm.py's `All(str, Strip, NonEmpty())`. */
const strippedText: Param = { kind: 'string', transform: 'strip', nonEmpty: true };

/** `history__get_history` */
export const GET_HISTORY: Parameters = {
  entity_ids: {
    kind: 'array',
    items: { kind: 'string', cv: 'entity_id' },
    minItems: 1,
    required: true,
    description: "The entities whose statistics to read, e.g. 'sensor.living_room_temperature'.",
  },
  start_time: {
    ...text,
    description:
      'ISO 8601 date and time the statistics start at, in local time unless it has an offset. ' +
      'Defaults to one day before end_time.',
  },
  end_time: {
    ...text,
    description:
      'ISO 8601 date and time the statistics end at, in local time unless it has an offset. Defaults to now.',
  },
  period: {
    kind: 'enum',
    values: ['5minute', 'hour', 'day', 'week', 'month'],
    description:
      'How much time one row covers. Without it, a period suited to the time span is chosen. ' +
      'Rows of 5 minutes are usually kept for only 10 days.',
  },
};

/** `homeassistant__render_template` */
export const RENDER_TEMPLATE: Parameters = {
  template: { kind: 'string', cv: 'string', required: true, description: 'The Jinja2 template text.' },
  variables: {
    kind: 'object',
    description:
      "Values the template can use by name, such as trigger data to try: {'trigger': {'to_state': {'state': 'on'}}}.",
  },
};

/** `homeassistant__search_actions` */
export const SEARCH_ACTIONS: Parameters = {
  query: {
    ...nonEmptyText,
    required: true,
    description: "The words to look for, in any case, e.g. 'climate set temperature'.",
  },
};

/** `homeassistant__call_action` */
export const CALL_ACTION: Parameters = {
  action: {
    kind: 'string',
    cv: 'service',
    required: true,
    description: "The action, as domain.name, e.g. 'switch.turn_off'.",
  },
  target: {
    kind: 'object',
    description: 'What to act on: any of entity_id, device_id, area_id, floor_id and label_id.',
  },
  data: { kind: 'object', description: "The action's fields and their values." },
};

/** `search__search` */
export const SEARCH: Parameters = {
  query: { ...nonEmptyText, required: true, description: 'The text to look for in names, in any case.' },
  type: {
    kind: 'enum',
    values: ['entity', 'device', 'area', 'label', 'automation', 'script', 'scene'],
    description: 'Only look for this kind of item.',
  },
  offset: {
    kind: 'integer',
    minimum: 0,
    default: 0,
    description: 'How many results to pass over; set type too, and take the next_offset of the last answer.',
  },
};

/** `config__get_config_entries` */
export const GET_CONFIG_ENTRIES: Parameters = {
  domain: {
    kind: 'anyOf',
    options: [strippedText, { kind: 'array', items: strippedText, minItems: 1 }],
    description: "Only entries of this integration domain, or of any of these domains (e.g. 'mqtt', 'zha').",
  },
  status: {
    kind: 'string',
    transform: 'lower',
    enum: ['loaded', 'error', 'not_loaded'],
    description:
      "Only entries in this state: 'loaded' (running), 'error' (setup failed, waiting to retry, migration " +
      "failed or unload failed) or 'not_loaded' (also disabled and ignored entries).",
  },
};

/** `config__reload_config_entry` */
export const RELOAD_CONFIG_ENTRY: Parameters = {
  entry_id: {
    ...strippedText,
    required: true,
    description: "The entry to reload, as config__get_config_entries shows it (e.g. 'mqtt:3F9A').",
  },
};

/** `config__search_integrations` */
export const SEARCH_INTEGRATIONS: Parameters = {
  query: {
    ...strippedText,
    required: true,
    description: 'The text to look for in integration names, domains and brands, in any case.',
  },
  type: {
    kind: 'string',
    transform: 'lower',
    enum: ['integration', 'helper'],
    description: "Only 'integration' or only 'helper' results.",
  },
};

/** `system_health__get_system_info` takes nothing. */
export const GET_SYSTEM_INFO: Parameters = {};

/** `system_log__get_entries` */
export const GET_LOG_ENTRIES: Parameters = {
  level: {
    kind: 'string',
    transform: 'lower',
    enum: ['error', 'warning', 'critical'],
    description: "Only entries of this level: 'error', 'warning' or 'critical'.",
  },
  logger: {
    ...text,
    description: "Only entries whose logger or integration contains this text, in any case (e.g. 'mqtt').",
  },
  limit: {
    kind: 'integer',
    minimum: 1,
    maximum: 50,
    default: 25,
    description: 'At most this many entries (25 unless set, 50 at most).',
  },
  include_traceback: {
    kind: 'boolean',
    default: false,
    description: 'Also return the Python stack trace of each entry that has one (off unless set).',
  },
};

/** A log `system_log__get_logs` or `hassio__get_logs` can read, e.g. `core`, and what it holds. */
export interface LogSource {
  name: string;
  description: string;
}

/**
 * The parameters of `system_log__get_logs` and `hassio__get_logs`, whose `source` choices depend on the
 * install (the Supervisor's logs and the installed apps). `sources` in HA's order; `defaults` are the
 * sources read when none is named.
 */
export function getLogsParameters(sources: readonly LogSource[], defaults: readonly string[]): Parameters {
  const available = sources.map(({ name, description }) => `${name} (${description})`).join(', ');
  return {
    source: {
      kind: 'array',
      items: { kind: 'enum', values: sources.map(({ name }) => name) },
      minItems: 1,
      description: `Which logs to read; ${defaults.join(', ')} unless set. One or more of: ${available}.`,
    },
    start_time: {
      ...text,
      description:
        'ISO 8601 date and time to read from, in local time unless it has an offset. ' +
        'Defaults to 15 minutes before end_time.',
    },
    end_time: {
      ...text,
      description:
        'ISO 8601 date and time to read up to, in local time unless it has an offset. Defaults to now.',
    },
    level: {
      kind: 'string',
      transform: 'lower',
      enum: ['debug', 'info', 'warning', 'error', 'critical'],
      description: 'The lowest level to return; records that carry no level are always returned.',
    },
    contains: {
      ...text,
      description: 'Only records holding this text, in any case, in the logger name, message or traceback.',
    },
    limit: {
      kind: 'integer',
      minimum: 1,
      maximum: 500,
      default: 100,
      description:
        'At most this many records from start_time on (100 unless set, 500 at most); records sharing the ' +
        "last one's time come too.",
    },
  };
}

/** The one log of an install without a Supervisor (`system_log__get_logs`). */
export const CORE_LOG_SOURCES: readonly LogSource[] = [{ name: 'core', description: 'Home Assistant Core' }];

/** An installed app, as the Supervisor lists it. */
export interface App {
  slug: string;
  name: string;
}

/** The logs `hassio__get_logs` offers: the system's, then each app's (`app:<slug>`) in the Supervisor's order. */
export function supervisorLogSources(apps: readonly App[]): LogSource[] {
  const noLevel = 'its records carry no level';
  return [
    { name: 'core', description: 'Home Assistant Core' },
    { name: 'supervisor', description: 'the Supervisor' },
    { name: 'host', description: `the host system, ${noLevel}` },
    { name: 'dns', description: `the DNS plugin, ${noLevel}` },
    { name: 'audio', description: `the audio plugin, ${noLevel}` },
    { name: 'multicast', description: `the multicast plugin, ${noLevel}` },
    ...apps.map(({ slug, name }) => ({ name: `app:${slug}`, description: `the ${name} app, ${noLevel}` })),
  ];
}

/** The sources `hassio__get_logs` reads when none is named. */
export const SUPERVISOR_DEFAULT_LOG_SOURCES: readonly string[] = ['core', 'supervisor'];
