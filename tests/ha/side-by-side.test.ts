/**
 * Our Assist API side by side with Home Assistant's own MCP server, on the same test HA, as the same plain
 * user: tool names, input schemas (descriptions aside), titles and annotations; live context (wording
 * aside); and tool calls — which entities each intent changes (read back from HA), results, and errors for
 * unknown and unexposed targets. Differences that remain are listed in docs/assist-differences.md.
 *
 * HA's server keeps the defaults of its config flow: its main URL `/api/mcp` serves all LLM APIs to
 * administrators only (ha-mcp-server.test.ts records what it offers), so the Assist API, which ours serves at
 * `/api/mcp`, is compared with HA's per-API endpoint `/api/mcp/assist`: the Assist API alone, to any user.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Connection, HassEntity } from 'home-assistant-js-websocket';
import { parse } from 'yaml';
import type { Home } from '../../server/src/ha/home.js';
import { type Principal } from '../../server/src/ha/principals.js';
import { nudgeExposureDefaults } from '../../server/src/ha/rest.js';
import { ApiRegistry } from '../../server/src/llm/registry.js';
import { createLogger } from '../../server/src/log.js';
import { command, connectWs, restJson } from '../support/ha/ha-api.js';
import { assistForGuest, liveHome, type LiveHome } from '../support/ha/live-home.js';
import { testHa, type TestHaInfo } from '../support/ha/fixture.js';
import { postMcp } from '../support/mcp-post.js';
import { assertSameTool, type ToolShape } from '../support/tool-shape.js';
import { waitFor } from '../support/wait.js';

const quiet = createLogger('error', () => {});

/** HA's endpoint for the Assist API alone, whatever its server's options. */
const HA_ASSIST = '/api/mcp/assist';

interface CallResult {
  text: string;
  isError: boolean;
}

/**
 * The YAML part of a live-context text (its first line is each server's own wording), with whole numbers
 * in attributes as text: HA writes an int attribute as '22' and a float as 22.0, and JSON, which carries
 * states to us, cannot tell them apart (docs/assist-differences.md).
 */
const liveYaml = (text: string) => {
  const entities = parse(text.slice(text.indexOf('\n') + 1)) as { attributes?: Record<string, unknown> }[];
  for (const entity of entities ?? []) {
    for (const [key, value] of Object.entries(entity.attributes ?? {})) {
      if (typeof value === 'number' && Number.isInteger(value)) entity.attributes![key] = String(value);
    }
  }
  return entities;
};

describe('side by side with Home Assistant’s own MCP server', () => {
  let ha: TestHaInfo;
  let home: Home;
  let live: LiveHome;
  let admin: Connection;
  let registry: ApiRegistry;
  let principal: Principal;
  let compared = 0;

  async function theirs(method: string, params: Record<string, unknown> = {}): Promise<any> {
    const res = await postMcp(ha.url, ha.userToken, method, params, HA_ASSIST);
    return ((await res.json()) as { result: unknown }).result;
  }

  async function callTheirs(name: string, args: Record<string, unknown>): Promise<CallResult> {
    const result = await theirs('tools/call', { name, arguments: args });
    return { text: result.content[0].text, isError: result.isError };
  }

  async function callOurs(name: string, args: Record<string, unknown>): Promise<CallResult> {
    const instance = registry.instanceFor(principal);
    const tool = instance.tools.find((t) => t.name === name);
    if (!tool) return { text: `Error calling tool: Tool "${name}" not found`, isError: true };
    const result = await tool.run(args, { principal });
    return { text: result.text, isError: result.isError ?? false };
  }

  const states = async (ids: string[]) => {
    const all = await command<HassEntity[]>(admin, { type: 'get_states' });
    return Object.fromEntries(
      all
        .filter((s) => ids.includes(s.entity_id))
        .map((s) => [
          s.entity_id,
          {
            state: s.state,
            brightness: s.attributes.brightness,
            position: s.attributes.current_position,
            temperature: s.attributes.temperature,
            percentage: s.attributes.percentage,
            volume: s.attributes.volume_level,
            rgb: s.attributes.rgb_color,
          },
        ])
    );
  };
  /**
   * The watched entities' states once no cover among them is moving: HA's demo covers move 10% a second, so
   * read at once both servers' results would show the same `opening` whatever position each asked for.
   * HA writes `opening`/`closing` before the call returns; each step of the move is a change in the model.
   */
  const settledStates = async (ids: string[]) => {
    for (;;) {
      const now = await states(ids);
      const moving = Object.entries(now).filter(([, s]) => s.state === 'opening' || s.state === 'closing');
      if (moving.length === 0) return now;
      let changed = false;
      await waitFor(
        (notify) =>
          home.onChange(() => {
            changed = true;
            notify();
          }),
        () => changed,
        30_000,
        `a step of ${moving.map(([id]) => id).join(', ')}`
      );
    }
  };
  const act = (domain: string, service: string, data: Record<string, unknown>) =>
    restJson(ha.url, `/api/services/${domain}/${service}`, { token: ha.adminToken, json: data });

  before(async () => {
    ha = await testHa();
    admin = await connectWs(ha.url, ha.adminToken);
    live = await liveHome(ha);
    home = live.home;
    ({ registry, principal } = await assistForGuest(ha, home));
    // Both servers decide exposure the same way only once HA has stored its defaults; let it, then wait.
    await theirs('tools/call', { name: 'homeassistant__GetLiveContext', arguments: {} });
    await nudgeExposureDefaults(ha.url, ha.adminToken);
  });
  after(() => {
    live?.close();
    admin?.close();
    assert.ok(compared >= 30, `compared ${compared} tool calls`);
  });

  it('offers the same tools, with the same titles, annotations and input schemas', async () => {
    const reference = ((await theirs('tools/list')) as { tools: ToolShape[] }).tools;
    const ours = registry.instanceFor(principal).tools;
    assert.deepEqual(ours.map((t) => t.name).sort(), reference.map((t) => t.name).sort());
    for (const ref of reference)
      assertSameTool(
        ours.find((t) => t.name === ref.name)!,
        ref,
        true
      );
  });

  it('offers the same prompt (name) and resource', async () => {
    const refPrompts = (await theirs('prompts/list')) as { prompts: { name: string }[] };
    const instance = registry.instanceFor(principal);
    assert.deepEqual(
      [instance.prompt.name],
      refPrompts.prompts.map((p) => p.name)
    );
    const refResources = (await theirs('resources/list')) as { resources: Record<string, string>[] };
    assert.deepEqual(
      instance.resources.map((r) => [r.uri, r.name, r.mimeType]),
      refResources.resources.map((r) => [r.uri, r.name, r.mimeType])
    );
    const refRead = (await theirs('resources/read', { uri: 'homeassistant://assist/context-snapshot' })) as {
      contents: { text: string }[];
    };
    assert.deepEqual(
      liveYaml(await instance.resources[0]!.read({ principal })),
      liveYaml(refRead.contents[0]!.text)
    );
    // The static context in the prompt lists the same entities as HA's.
    const refPrompt = (await theirs('prompts/get', { name: refPrompts.prompts[0]!.name })) as {
      messages: { content: { text: string } }[];
    };
    const staticPart = (text: string) => {
      const start = text.indexOf('\n', text.indexOf('Static Context')) + 1;
      const end = text.indexOf('\n\n', start);
      return parse(text.slice(start, end === -1 ? undefined : end)) as unknown;
    };
    assert.deepEqual(staticPart(instance.prompt.text), staticPart(refPrompt.messages[0]!.content.text));
  });

  const liveCases: Record<string, unknown>[] = [
    {},
    { domain: 'light' },
    { domain: ['lock', 'cover'] },
    { area: 'Bedroom' },
    { area: 'lounge' },
    { name: 'Front Door' },
    { name: 'reading lamp' },
    { name: 'Ceiling Lights', area: 'Living Room' },
    { area: 'Nowhere' },
    { name: 'no such thing' },
    { domain: 'nonexistent' },
    { area: 'Office', domain: 'light' },
  ];
  for (const args of liveCases) {
    it(`answers live context ${JSON.stringify(args)} with the same content`, async () => {
      const [ref, ours] = [
        await callTheirs('homeassistant__GetLiveContext', args),
        await callOurs('homeassistant__GetLiveContext', args),
      ];
      compared++;
      assert.equal(ours.isError, ref.isError, ours.text);
      const refData = JSON.parse(ref.text);
      const ourData = JSON.parse(ours.text);
      if (ref.isError) assert.deepEqual(ourData, refData);
      else assert.deepEqual(liveYaml(ourData.result), liveYaml(refData.result));
    });
  }

  interface IntentCase {
    tool: string;
    args: Record<string, unknown>;
    /** Admin actions that set the scene before each server's call. */
    setup: [string, string, Record<string, unknown>][];
    /** Entities to read back after the call. */
    watch: string[];
  }
  const cases: IntentCase[] = [
    {
      tool: 'intent__HassTurnOn',
      args: { name: 'Bed Light' },
      setup: [['light', 'turn_off', { entity_id: 'light.bed_light' }]],
      watch: ['light.bed_light'],
    },
    {
      tool: 'intent__HassTurnOn',
      args: { name: 'reading lamp' },
      setup: [['light', 'turn_off', { entity_id: 'light.bed_light' }]],
      watch: ['light.bed_light'],
    },
    {
      tool: 'intent__HassTurnOff',
      args: { area: 'Kitchen', domain: ['light'] },
      setup: [['light', 'turn_on', { entity_id: 'light.kitchen_lights' }]],
      watch: ['light.kitchen_lights', 'light.bed_light'],
    },
    {
      tool: 'intent__HassTurnOn',
      args: { area: 'lounge', domain: ['light'] },
      setup: [
        ['light', 'turn_off', { entity_id: ['light.ceiling_lights', 'light.living_room_rgbww_lights'] }],
      ],
      watch: ['light.ceiling_lights', 'light.living_room_rgbww_lights', 'light.office_rgbw_lights'],
    },
    {
      tool: 'intent__HassTurnOff',
      args: { floor: 'First Floor', domain: ['light'] },
      setup: [['light', 'turn_on', { entity_id: ['light.bed_light', 'light.office_rgbw_lights'] }]],
      watch: ['light.bed_light', 'light.office_rgbw_lights'],
    },
    {
      tool: 'intent__HassTurnOn',
      args: { name: 'Office RGBW Lights' },
      setup: [['light', 'turn_off', { entity_id: 'light.office_rgbw_lights' }]],
      watch: ['light.office_rgbw_lights'],
    },
    { tool: 'intent__HassTurnOn', args: { name: 'Nothing by this name' }, setup: [], watch: [] },
    { tool: 'intent__HassTurnOn', args: { area: 'Nowhere' }, setup: [], watch: [] },
    {
      tool: 'intent__HassTurnOff',
      args: { name: 'Garden Lights' },
      setup: [['switch', 'turn_on', { entity_id: 'switch.decorative_lights' }]],
      watch: ['switch.decorative_lights'],
    },
    {
      tool: 'intent__HassTurnOn',
      args: { name: 'Kitchen Door', domain: ['lock'] },
      setup: [['lock', 'unlock', { entity_id: 'lock.kitchen_door' }]],
      watch: ['lock.kitchen_door'],
    },
    {
      tool: 'intent__HassTurnOff',
      args: { name: 'patio door' },
      setup: [['lock', 'lock', { entity_id: 'lock.back_door' }]],
      watch: ['lock.back_door'],
    },
    {
      tool: 'intent__HassTurnOn',
      args: { name: 'Poorly Installed Door' },
      setup: [['lock', 'unlock', { entity_id: 'lock.poorly_installed_door' }]],
      watch: ['lock.poorly_installed_door'],
    },
    {
      tool: 'intent__HassSetPosition',
      args: { name: 'Hall Window', position: 30 },
      setup: [['cover', 'set_cover_position', { entity_id: 'cover.hall_window', position: 80 }]],
      watch: ['cover.hall_window'],
    },
    {
      tool: 'intent__HassSetPosition',
      args: { name: 'Pergola Roof', position: 30 },
      setup: [],
      watch: ['cover.pergola_roof'],
    },
    {
      tool: 'intent__HassSetPosition',
      args: { name: 'Hall Window', position: 'high' },
      setup: [],
      watch: ['cover.hall_window'],
    },
    {
      tool: 'light__HassLightSet',
      args: { name: 'Living Room RGBWW Lights', brightness: 40 },
      setup: [['light', 'turn_on', { entity_id: 'light.living_room_rgbww_lights', brightness: 255 }]],
      watch: ['light.living_room_rgbww_lights'],
    },
    {
      tool: 'light__HassLightSet',
      args: { area: 'Hallway', color: 'red' },
      setup: [
        ['light', 'turn_on', { entity_id: 'light.entrance_color_white_lights', rgb_color: [0, 0, 255] }],
      ],
      watch: ['light.entrance_color_white_lights'],
    },
    {
      tool: 'climate__HassClimateSetTemperature',
      args: { name: 'HeatPump', temperature: 21 },
      setup: [['climate', 'set_temperature', { entity_id: 'climate.heatpump', temperature: 18 }]],
      watch: ['climate.heatpump'],
    },
    {
      tool: 'climate__HassClimateSetTemperature',
      args: { name: 'Ecobee', temperature: 21 },
      setup: [],
      watch: ['climate.ecobee'],
    },
    {
      tool: 'fan__HassFanSetSpeed',
      args: { name: 'Ceiling Fan', percentage: 50 },
      setup: [['fan', 'turn_off', { entity_id: 'fan.ceiling_fan' }]],
      watch: ['fan.ceiling_fan'],
    },
    {
      tool: 'media_player__HassSetVolume',
      args: { name: 'Kitchen', domain: ['media_player'], volume_level: 30 },
      setup: [['media_player', 'volume_set', { entity_id: 'media_player.kitchen', volume_level: 0.9 }]],
      watch: ['media_player.kitchen'],
    },
    {
      tool: 'media_player__HassMediaPause',
      args: { name: 'Living Room', domain: ['media_player'] },
      setup: [['media_player', 'media_play', { entity_id: 'media_player.living_room' }]],
      watch: ['media_player.living_room'],
    },
    {
      tool: 'media_player__HassMediaPause',
      args: { name: 'Walkman' },
      setup: [],
      watch: ['media_player.walkman'],
    },
    {
      tool: 'vacuum__HassVacuumStart',
      args: { name: 'Demo vacuum 0 ground floor' },
      setup: [['vacuum', 'return_to_base', { entity_id: 'vacuum.demo_vacuum_0_ground_floor' }]],
      watch: ['vacuum.demo_vacuum_0_ground_floor'],
    },
    {
      tool: 'script__good_night',
      args: {},
      setup: [
        ['light', 'turn_on', { entity_id: 'light.living_room_rgbww_lights' }],
        ['lock', 'unlock', { entity_id: 'lock.front_door' }],
      ],
      watch: ['light.living_room_rgbww_lights', 'lock.front_door'],
    },
    {
      tool: 'script__set_living_room_mood',
      args: { mood: 'relax', brightness: 30 },
      setup: [['light', 'turn_off', { entity_id: 'light.living_room_rgbww_lights' }]],
      watch: ['light.living_room_rgbww_lights'],
    },
    {
      tool: 'script__vacation_mode',
      args: {},
      setup: [['switch', 'turn_on', { entity_id: 'switch.decorative_lights' }]],
      watch: ['switch.decorative_lights'],
    },
    { tool: 'no_such_tool', args: {}, setup: [], watch: [] },
  ];

  /** Results compared as data: JSON texts parsed; error texts as they are. */
  const shape = (r: CallResult) => {
    try {
      return JSON.parse(r.text);
    } catch {
      return r.text;
    }
  };

  for (const c of cases) {
    it(`${c.tool} ${JSON.stringify(c.args)}: same result and same changes in HA`, async () => {
      const run = async (call: (n: string, a: Record<string, unknown>) => Promise<CallResult>) => {
        for (const [domain, service, data] of c.setup) await act(domain, service, data);
        await settledStates(c.watch);
        const result = await call(c.tool, c.args);
        return { result, after: await settledStates(c.watch) };
      };
      const ref = await run(callTheirs);
      const ours = await run(callOurs);
      compared++;
      assert.equal(
        ours.result.isError,
        ref.result.isError,
        `isError; ours: ${ours.result.text}; HA: ${ref.result.text}`
      );
      assert.deepEqual(shape(ours.result), shape(ref.result));
      assert.deepEqual(ours.after, ref.after);
    });
  }

  it('tells the date and time as HA does', async () => {
    const ref = JSON.parse((await callTheirs('llm__GetDateTime', {})).text);
    const ours = JSON.parse((await callOurs('llm__GetDateTime', {})).text);
    compared++;
    assert.deepEqual(Object.keys(ours), Object.keys(ref));
    assert.equal(ours.date, ref.date);
    assert.equal(ours.timezone, ref.timezone);
    assert.equal(ours.weekday, ref.weekday);
  });

  it('reads to-do items and calendar events as HA does', async () => {
    await restJson(ha.url, '/api/services/todo/add_item', {
      token: ha.adminToken,
      json: { entity_id: 'todo.groceries', item: 'Side-by-side bread' },
    });
    for (const [tool, args] of [
      ['todo__get_items', { todo_list: 'Groceries' }],
      ['todo__get_items', { todo_list: 'food list', status: 'all' }],
      ['todo__get_items', { todo_list: 'Shopping list' }],
      ['calendar__get_events', { calendar: 'Family', range: 'week' }],
      ['calendar__get_events', { calendar: 'Family', range: 'today' }],
    ] as const) {
      const [ref, ours] = [await callTheirs(tool, args), await callOurs(tool, args)];
      compared++;
      assert.equal(ours.isError, ref.isError, `${tool} ${JSON.stringify(args)}: ${ours.text} vs ${ref.text}`);
      assert.deepEqual(shape(ours), shape(ref), `${tool} ${JSON.stringify(args)}`);
    }
  });
});
