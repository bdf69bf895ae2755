/**
 * The demo home every test and the local demo use: HA's demo integration (devices and entities of most
 * domains), arranged as a realistic house on two floors with aliases, entities placed by device and
 * by entity, a to-do list, a calendar, scripts with fields, and a deliberate mix of exposed and
 * unexposed entities. The demo's locks and media players have no unique id, so no registry entry: they
 * stay without area or alias, as such entities do in real homes, and a template lock stands in for one
 * that has them. HA's own `mcp_server` is added through its config flow, as a user adds it: "All LLM APIs"
 * at `/api/mcp`, administrators only; its per-API endpoint `/api/mcp/assist` serves the Assist API alone, to
 * any user, and is the reference our Assist API is compared with.
 */
import type { Connection } from 'home-assistant-js-websocket';
import { command, connectWs, restJson, runConfigFlow } from './ha-api.js';
import { step } from './log.js';

interface FloorSpec {
  name: string;
  level: number;
  aliases: string[];
}
interface AreaSpec {
  name: string;
  floor?: string;
  aliases?: string[];
  /** Devices (by name) whose entities inherit this area. */
  devices?: string[];
  /** Entities placed here directly (an entity's own area wins over its device's). */
  entities?: string[];
}

export const DEMO_FLOORS: FloorSpec[] = [
  { name: 'Ground Floor', level: 0, aliases: ['downstairs'] },
  { name: 'First Floor', level: 1, aliases: ['upstairs'] },
];

export const DEMO_AREAS: AreaSpec[] = [
  {
    name: 'Living Room',
    floor: 'Ground Floor',
    aliases: ['lounge', 'sitting room'],
    devices: [
      'Living Room RGBWW Lights',
      'Ceiling Lights',
      'Living Room Window',
      'HeatPump',
      'Decorative Lights',
    ],
    entities: ['fan.living_room_fan'],
  },
  {
    name: 'Kitchen',
    floor: 'Ground Floor',
    devices: ['Kitchen Lights', 'Kitchen Window'],
    entities: ['lock.back_door'],
  },
  {
    name: 'Hallway',
    floor: 'Ground Floor',
    aliases: ['entrance', 'hall'],
    devices: ['Entrance Color + White Lights', 'Hall Window', 'Hvac'],
  },
  { name: 'Garage', floor: 'Ground Floor', devices: ['Garage Door', 'AC', 'Demo vacuum 0 ground floor'] },
  {
    name: 'Garden',
    aliases: ['backyard', 'yard'],
    devices: [
      'Movement Backyard',
      'Outside Temperature',
      'Outside Humidity',
      'Pergola Roof',
      'My Lawn Mower',
      'Front Garden',
    ],
    // Renamed by the owner and hung outside, though its device sits in the living room. HA lets only an
    // entity with a name of its own have an area of its own.
    entities: ['switch.decorative_lights'],
  },
  {
    name: 'Bedroom',
    floor: 'First Floor',
    aliases: ['master bedroom'],
    devices: ['Bed Light', 'Ecobee'],
    entities: ['fan.ceiling_fan'],
  },
  {
    name: 'Office',
    floor: 'First Floor',
    aliases: ['study'],
    devices: ['Office RGBW Lights', 'Carbon dioxide', 'Carbon monoxide'],
  },
];

/** Names the owner gave entities (the device's name no longer applies). */
export const DEMO_ENTITY_NAMES: Record<string, string> = {
  'switch.decorative_lights': 'Garden Lights',
};

export const DEMO_ENTITY_ALIASES: Record<string, string[]> = {
  'light.living_room_rgbww_lights': ['lounge lamp', 'mood light'],
  'light.bed_light': ['reading lamp'],
  'lock.back_door': ['patio door'],
  'cover.garage_door': ['roller door'],
  'climate.heatpump': ['heating'],
  'script.good_night': ['bedtime'],
  'todo.groceries': ['food list'],
};

/**
 * Exposed to Assist although HA's default rules would not expose them. Since HA 2026.11 the defaults expose
 * media players and to-do lists but no longer locks or scripts, so the owner exposes those by hand.
 */
export const DEMO_EXPOSED: string[] = [
  'lock.front_door',
  'lock.kitchen_door',
  'lock.back_door',
  'script.good_night',
  'script.set_living_room_mood',
  'script.announce',
  'calendar.family',
  'binary_sensor.basement_floor_wet',
  'valve.front_garden',
];

/** Not exposed to Assist although HA's default rules would expose them: the leak tests target these. */
export const DEMO_UNEXPOSED: string[] = [
  'light.office_rgbw_lights',
  'lock.poorly_installed_door',
  'cover.pergola_roof',
  'climate.ecobee',
  'switch.ac',
  'script.vacation_mode',
  'media_player.walkman',
  'todo.shopping_list',
  'fan.preset_only_limited_fan',
  'fan.percentage_limited_fan',
  'vacuum.demo_vacuum_1_first_floor',
  'vacuum.demo_vacuum_2_second_floor',
  'vacuum.demo_vacuum_3_third_floor',
  'vacuum.demo_vacuum_4_fourth_floor',
];

/** Hidden by the user: HA's default rules never expose hidden entities. */
export const DEMO_HIDDEN: string[] = ['fan.percentage_full_fan'];

interface Area {
  area_id: string;
  name: string;
}
interface Floor {
  floor_id: string;
  name: string;
}
interface Device {
  id: string;
  name: string | null;
  name_by_user: string | null;
}

/** Every entity and device the arrangement names. */
function namedEntities(): string[] {
  return [
    ...DEMO_AREAS.flatMap((a) => a.entities ?? []),
    ...Object.keys(DEMO_ENTITY_NAMES),
    ...Object.keys(DEMO_ENTITY_ALIASES),
    ...DEMO_EXPOSED,
    ...DEMO_UNEXPOSED,
    ...DEMO_HIDDEN,
  ];
}

/**
 * On a first start HA installs integration requirements while it runs, and the demo's platforms may come
 * up after HA already reports RUNNING: wait (bounded) until everything the arrangement names exists.
 */
async function waitForDemoEntities(conn: Connection, timeoutMs = 5 * 60_000): Promise<void> {
  const wanted = new Set(namedEntities());
  const wantedDevices = new Set(DEMO_AREAS.flatMap((a) => a.devices ?? []));
  const deadline = Date.now() + timeoutMs;
  let missing: string[] = [];
  while (Date.now() < deadline) {
    const states = await command<{ entity_id: string }[]>(conn, { type: 'get_states' });
    const devices = await command<Device[]>(conn, { type: 'config/device_registry/list' });
    const present = new Set(states.map((s) => s.entity_id));
    const deviceNames = new Set(devices.map((d) => d.name_by_user ?? d.name));
    missing = [
      ...[...wanted].filter((id) => !present.has(id)),
      ...[...wantedDevices].filter((n) => !deviceNames.has(n)),
    ];
    if (missing.length === 0) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`demo entities or devices never appeared: ${missing.join(', ')}`);
}

async function arrangeHouse(conn: Connection): Promise<void> {
  await waitForDemoEntities(conn);
  const floorIds = new Map<string, string>();
  for (const floor of DEMO_FLOORS) {
    const created = await command<Floor>(conn, { type: 'config/floor_registry/create', ...floor });
    floorIds.set(floor.name, created.floor_id);
  }
  for (const [entityId, name] of Object.entries(DEMO_ENTITY_NAMES)) {
    await command(conn, { type: 'config/entity_registry/update', entity_id: entityId, name });
  }
  const areas = await command<Area[]>(conn, { type: 'config/area_registry/list' });
  const devices = await command<Device[]>(conn, { type: 'config/device_registry/list' });
  for (const spec of DEMO_AREAS) {
    const fields = {
      aliases: spec.aliases ?? [],
      ...(spec.floor ? { floor_id: floorIds.get(spec.floor) } : {}),
    };
    const existing = areas.find((a) => a.name === spec.name);
    const area = existing
      ? await command<Area>(conn, {
          type: 'config/area_registry/update',
          area_id: existing.area_id,
          ...fields,
        })
      : await command<Area>(conn, { type: 'config/area_registry/create', name: spec.name, ...fields });
    for (const deviceName of spec.devices ?? []) {
      const device = devices.find((d) => (d.name_by_user ?? d.name) === deviceName);
      if (!device) throw new Error(`demo device '${deviceName}' not found`);
      await command(conn, {
        type: 'config/device_registry/update',
        device_id: device.id,
        area_id: area.area_id,
      });
    }
    for (const entityId of spec.entities ?? []) {
      await command(conn, {
        type: 'config/entity_registry/update',
        entity_id: entityId,
        area_id: area.area_id,
      });
    }
  }
  for (const [entityId, aliases] of Object.entries(DEMO_ENTITY_ALIASES)) {
    // `null` stands for the entity's own (computed) name; without it the entity is known by its aliases only.
    await command(conn, {
      type: 'config/entity_registry/update',
      entity_id: entityId,
      aliases: [null, ...aliases],
    });
  }
  for (const entityId of DEMO_HIDDEN) {
    await command(conn, { type: 'config/entity_registry/update', entity_id: entityId, hidden_by: 'user' });
  }
  const expose = (entityIds: string[], shouldExpose: boolean) =>
    command(conn, {
      type: 'homeassistant/expose_entity',
      assistants: ['conversation'],
      entity_ids: entityIds,
      should_expose: shouldExpose,
    });
  await expose(DEMO_EXPOSED, true);
  await expose(DEMO_UNEXPOSED, false);
}

/** Met.no is added by onboarding and only logs DNS errors on a machine without internet. */
async function removeWeatherService(url: string, token: string): Promise<void> {
  const entries = await restJson<{ entry_id: string; domain: string }[]>(
    url,
    '/api/config/config_entries/entry',
    {
      token,
    }
  );
  for (const entry of entries.filter((e) => e.domain === 'met')) {
    await restJson(url, `/api/config/config_entries/entry/${entry.entry_id}`, { token, method: 'DELETE' });
  }
}

export async function setUpDemoHome(url: string, token: string): Promise<void> {
  const conn = await connectWs(url, token);
  try {
    await removeWeatherService(url, token);
    step('demo home: adding a to-do list, a calendar and HA’s own MCP server');
    await runConfigFlow(url, token, 'local_todo', [{ todo_list_name: 'Groceries' }]);
    await runConfigFlow(url, token, 'local_calendar', [{ calendar_name: 'Family', import: 'create_empty' }]);
    // The flow's one step has no fields; its entry keeps HA's defaults (title "All LLM APIs", data
    // {all_llm_apis: true, llm_hass_api: [], require_admin: true, read_only: false}), options untouched.
    const mcp = await runConfigFlow(url, token, 'mcp_server', [{}]);
    if (mcp.type !== 'create_entry') throw new Error(`mcp_server setup: ${JSON.stringify(mcp)}`);
    step('demo home: floors, areas, aliases and exposure');
    await arrangeHouse(conn);
  } finally {
    conn.close();
  }
}
