/**
 * The homeassistant integration's tools of the "Home Assistant" API (render_template, search_actions,
 * call_action) side by side with HA's own, served by HA's mcp_server at `/api/mcp/homeassistant` on the same
 * test HA, as the same admin: the same answers (JSON-equal, and the same text where no number is in it) for
 * successes, HA's limits and every bad input HA answers, and call_action's effects read back from HA.
 *
 * HA writes floats as Python does (`1.0`); we read HA's answers with JSON.parse, which keeps `1`: answers that
 * carry such numbers (selectors, forecasts) are compared JSON-parsed only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Principal } from '../../server/src/ha/principals.js';
import type { Tool, ToolResult } from '../../server/src/llm/api.js';
import { type LiveHome } from '../support/ha/live-home.js';
import { homeAssistantApiWorld, type HomeAssistantApiWorld } from '../support/ha/home-assistant-api-world.js';
import { type TestHaInfo } from '../support/ha/fixture.js';
import { postMcp } from '../support/mcp-post.js';

const NAMES = [
  'homeassistant__render_template',
  'homeassistant__search_actions',
  'homeassistant__call_action',
];

describe('the homeassistant tools side by side with HA’s own', () => {
  let ha: TestHaInfo;
  let world: HomeAssistantApiWorld;
  let live: LiveHome;
  let admin: Principal;
  let tools: Tool[];

  const tool = (name: string) => tools.find((t) => t.name === `homeassistant__${name}`)!;
  const ours = (name: string, args: Record<string, unknown>) => tool(name).run(args, { principal: admin });
  async function theirs(name: string, args: Record<string, unknown>): Promise<ToolResult> {
    const res = await postMcp(
      ha.url,
      ha.adminToken,
      'tools/call',
      { name: `homeassistant__${name}`, arguments: args },
      '/api/mcp/homeassistant'
    );
    const { result } = (await res.json()) as { result: { content: { text: string }[]; isError: boolean } };
    return { text: result.content[0]!.text, isError: result.isError };
  }
  const parsed = (result: ToolResult) => {
    try {
      return JSON.parse(result.text) as unknown;
    } catch {
      return result.text; // "Error calling tool: ..."
    }
  };

  /** Ours and HA's answer the same call alike: same error flag and JSON (and text, unless `jsonOnly`). */
  async function alike(name: string, args: Record<string, unknown>, options: { jsonOnly?: boolean } = {}) {
    const mine = await ours(name, args);
    const ref = await theirs(name, args);
    const what = `${name} ${JSON.stringify(args).slice(0, 200)}`;
    assert.equal(mine.isError ?? false, ref.isError, `${what}: isError (ours ${mine.text.slice(0, 300)})`);
    assert.deepEqual(parsed(mine), parsed(ref), what);
    if (!options.jsonOnly) assert.equal(mine.text, ref.text, what);
    return mine;
  }

  async function state(entityId: string) {
    const res = await fetch(`${ha.url}/api/states/${entityId}`, {
      headers: { authorization: `Bearer ${ha.adminToken}` },
    });
    return (await res.json()) as { state: string; attributes: Record<string, unknown> };
  }

  before(async () => {
    world = await homeAssistantApiWorld();
    ({ ha, admin, live } = world);
    tools = world.tools();
  });
  after(() => world?.close());

  it('offers the three tools together, in HA’s order', async () => {
    const res = await postMcp(ha.url, ha.adminToken, 'tools/list', {}, '/api/mcp/homeassistant');
    const reference = ((await res.json()) as { result: { tools: { name: string }[] } }).result.tools.map(
      (t) => t.name
    );
    const at = reference.indexOf(NAMES[0]!);
    assert.deepEqual(reference.slice(at, at + 3), NAMES);
    const names = tools.map((t) => t.name);
    const ourAt = names.indexOf(NAMES[0]!);
    assert.deepEqual(names.slice(ourAt, ourAt + 3), NAMES);
  });

  describe('render_template', () => {
    it('renders as HA does: the text unparsed, non-ASCII kept, variables, a number taken as text', async () => {
      await alike('render_template', {
        template: '{{ states("sun.sun") in ["above_horizon", "below_horizon"] }} ü',
      });
      await alike('render_template', { template: '{{ "1.50" }} {{ [1, 2] }}' });
      await alike('render_template', { template: '  plain text  ' });
      await alike('render_template', {
        template: '{{ trigger.to_state.state }}',
        variables: { trigger: { to_state: { state: 'on' } } },
      });
      await alike('render_template', { template: 5 });
      // 16384 code points (16385 UTF-16 units): within HA's limit.
      await alike('render_template', { template: '{{ "a" * 16383 }}😀' });
    });

    it('answers template errors, the time limit and the output limit in HA’s words', async () => {
      for (const template of [
        '{{ undefined_var }}',
        '{% if %}',
        '{{ 1 / 0 }}',
        '{{ range(200000) | list }}',
        '{{ "x" * 20000 }}',
        '{{ "x" * 300000 }}',
        '{% for i in range(99999) %}{% for j in range(9999) %}{% endfor %}{% endfor %}',
      ]) {
        const mine = await alike('render_template', { template });
        assert.equal(mine.isError, true, template);
      }
    });

    it('refuses bad arguments with HA’s texts', async () => {
      for (const args of [
        {},
        { templat: 'x' },
        { template: null },
        { template: ['x'] },
        { template: 'x', variables: [] },
      ]) {
        await alike('render_template', args);
      }
    });
  });

  describe('search_actions', () => {
    it('finds, ranks and cuts as HA does', async () => {
      for (const query of [
        'light turn on',
        'LIGHT.TURN_ON',
        'Turn on light',
        'turn',
        '   ',
        'good night',
        'weather forecast',
        'todo_item',
        'xyzzy',
      ]) {
        await alike('search_actions', { query }, { jsonOnly: true });
      }
    });

    it('refuses bad arguments with HA’s texts', async () => {
      for (const args of [{}, { query: '' }, { query: 3 }, { query: 'x', type: 'y' }]) {
        await alike('search_actions', args);
      }
    });
  });

  describe('call_action', () => {
    it('calls an action as HA does, with templates in the target and data and a registry id', async () => {
      const entry = (await live.link.sendMessagePromise({
        type: 'config/entity_registry/get',
        entity_id: 'light.bed_light',
      })) as { id: string };
      await alike('call_action', {
        action: 'light.turn_on',
        target: { entity_id: entry.id },
        data: { brightness_pct: '{{ 20 + 5 }}' },
      });
      let bed = await state('light.bed_light');
      assert.equal(bed.state, 'on');
      assert.equal(bed.attributes.brightness, 64); // 25 % of 255, rounded

      await alike('call_action', {
        action: 'LIGHT.TURN_OFF',
        target: { entity_id: "{{ 'light.bed_light' }}" },
      });
      assert.equal((await state('light.bed_light')).state, 'off');

      // Ours alone, so the effect is ours: a list of templates, as in a script.
      const mine = await ours('call_action', {
        action: 'light.turn_on',
        target: { entity_id: ["{{ 'light.bed_light' }}"] },
        data: { brightness: "{{ 100 + states('light.bed_light') | length }}" },
      });
      assert.deepEqual(parsed(mine), { success: true });
      bed = await state('light.bed_light');
      assert.equal(bed.state, 'on');
      assert.equal(bed.attributes.brightness, 103); // 100 + len('off')
      await ours('call_action', { action: 'light.turn_off', target: { entity_id: 'light.bed_light' } });
      assert.equal((await state('light.bed_light')).state, 'off');
    });

    it('returns the response of an action that has one', async () => {
      await alike('call_action', { action: 'todo.get_items', target: { entity_id: 'todo.shopping_list' } });
      // A forecast carries its time of computing; the rest is HA's.
      const args = {
        action: 'weather.get_forecasts',
        target: { entity_id: 'weather.demo_weather_south' },
        data: { type: 'daily' },
      };
      const withoutTimes = (result: ToolResult) =>
        JSON.parse(result.text.replace(/"datetime": "[^"]*"/g, '"datetime": ""')) as unknown;
      const mine = await ours('call_action', args);
      const ref = await theirs('call_action', args);
      assert.equal(mine.isError ?? false, false, mine.text);
      assert.deepEqual(withoutTimes(mine), withoutTimes(ref));
      assert.match(
        mine.text,
        /^\{"response": \{"weather\.demo_weather_south": \{"forecast": \[\{"datetime": /
      );
    });

    it('answers a script (which may respond) with its empty response', async () => {
      const before = (await state('switch.decorative_lights')).state;
      try {
        await alike('call_action', { action: 'script.vacation_mode' });
        assert.equal((await state('switch.decorative_lights')).state, 'off');
      } finally {
        if (before === 'on')
          await ours('call_action', {
            action: 'switch.turn_on',
            target: { entity_id: 'switch.decorative_lights' },
          });
      }
    });

    it('answers bad calls with HA’s texts', async () => {
      const light = { entity_id: 'light.bed_light' };
      for (const args of [
        // The tool's own arguments
        {},
        { action: 'light' },
        { action: 'light.turn on' },
        { action: 'light.turn_on', service: 'x' },
        { action: 'light.turn_on', target: 'x' },
        { action: 'light.turn_on', data: 'x' },
        // The step, as a script's
        { action: 'light.turn_on', target: { foo: 1 } },
        { action: 'light.turn_on', target: { entity_id: 'bogus' } },
        { action: 'light.turn_on', target: { exclude: { entity_id: 'light.bed_light' } } },
        { action: 'light.turn_on', target: light, data: { x: '{{ 1 +' } },
        // Templates: strictly rendered, in order, within the time limit
        { action: 'light.turn_on', target: light, data: { brightness_pct: '{{ nope }}' } },
        { action: 'light.turn_on', target: { entity_id: '{{ nope }}' } },
        {
          action: 'light.turn_on',
          data: { brightness_pct: '{{ first }}' },
          target: { entity_id: '{{ second }}' },
        },
        { action: 'light.nope', target: { entity_id: '{{ nope }}' } },
        {
          action: 'light.turn_on',
          target: light,
          data: {
            brightness_pct: '{% for i in range(99999) %}{% for j in range(9999) %}{% endfor %}{% endfor %}',
          },
        },
        // The action
        { action: 'light.nope' },
        { action: 'LIGHT.NOPE' },
        // The rendered step
        { action: 'light.turn_on', target: light, data: { brightness_pct: "{{ 'x' * 300000 }}" } },
        { action: 'light.turn_on', target: { entity_id: "{{ 'not valid' }}" } },
        { action: 'light.turn_on', target: { entity_id: '{{ 5 }}' } },
        { action: 'light.turn_on', target: { entity_id: ['light.bed_light', 5] } },
        { action: 'light.turn_on', target: { entity_id: '0123456789abcdef0123456789abcdef' } },
        { action: 'light.turn_off', target: { entity_id: 'all', exclude: { entity_id: "{{ 'bad id' }}" } } },
        { action: 'light.turn_on', target: light, data: { '{{ [1] }}': 1 } },
        // The call
        { action: 'light.turn_on', target: light, data: { brightness_pct: 400 } },
        { action: 'light.turn_on', target: light, data: { bogus: 1 } },
        { action: 'todo.add_item', target: { entity_id: 'todo.shopping_list' } },
        { action: 'todo.remove_item', target: { entity_id: 'todo.shopping_list' }, data: { item: 'nope' } },
        {
          action: 'climate.set_temperature',
          target: { entity_id: 'climate.hvac' },
          data: { temperature: 1000 },
        },
        { action: 'weather.get_forecasts', target: { entity_id: 'light.nothing' }, data: { type: 'daily' } },
        { action: 'homeassistant.reload_config_entry', data: { entry_id: 'nope' } },
      ]) {
        const mine = await alike('call_action', args);
        assert.equal(mine.isError, true, JSON.stringify(args));
      }
      assert.equal((await state('light.bed_light')).state, 'off', 'no bad call turned the light on');
    });
  });
});
