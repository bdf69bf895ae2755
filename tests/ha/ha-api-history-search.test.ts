/**
 * `history__get_history` and `search__search` of our "Home Assistant" API side by side with HA's own at
 * `/api/mcp/homeassistant`, on the same test HA, as the same admin, with the same arguments: the same text
 * (so the same JSON, in the same order) and the same isError, for results, HA's soft errors and its
 * validation errors.
 *
 * History reads statistics imported for entity ids of our own (hourly rows, as imported statistics have),
 * a state that converts their unit, and the demo's outside temperature; search reads the demo home plus
 * labels, areas, aliases and a device name set here. Everything set is removed afterwards.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Connection } from 'home-assistant-js-websocket';
import { type Principal } from '../../server/src/ha/principals.js';
import type { Tool } from '../../server/src/llm/api.js';
import { TIME_ZONE } from '../support/ha/config-dir.js';
import { command, connectWs, restJson } from '../support/ha/ha-api.js';
import { type LiveHome } from '../support/ha/live-home.js';
import { homeAssistantApiWorld, type HomeAssistantApiWorld } from '../support/ha/home-assistant-api-world.js';
import { type TestHaInfo } from '../support/ha/fixture.js';
import { postMcp } from '../support/mcp-post.js';
import { waitFor } from '../support/wait.js';

const HOUR_MS = 3_600_000;
const TEMPERATURE = 'sensor.ha_mcp_history_temperature';
const ENERGY = 'sensor.ha_mcp_history_energy';
const WIND = 'sensor.ha_mcp_history_wind';
/** Statistics whose rows all lie a month back: metadata, and no rows in a recent span. */
const OLD = 'sensor.ha_mcp_history_old';
/** A sensor the recorder will compile statistics for, created just before it is asked for. */
const FRESH = 'sensor.ha_mcp_history_fresh';
const IMPORTED = [TEMPERATURE, ENERGY, WIND, OLD, FRESH];
const KITCHEN_LIGHT = 'light.kitchen_lights';
const GARDEN_STATE = 'sensor.ha_mcp_all_garden_lights';

/** A tool's text as JSON; validation errors are plain text (`Error calling tool: ...`). */
const parsed = (text: string): unknown => (text.startsWith('Error calling tool: ') ? text : JSON.parse(text));

const iso = (ms: number) => new Date(ms).toISOString();

/** The local date (YYYY-MM-DD) of an instant in HA's time zone. */
const localDate = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(ms);

/** The last Sunday of October at 01:00 UTC before `now`: when Europe leaves summer time. */
function lastSummerTimeEnd(now: number): number {
  for (let year = new Date(now).getUTCFullYear(); ; year--) {
    const end = Date.UTC(year, 9, 31, 1);
    const sunday = end - new Date(end).getUTCDay() * 24 * HOUR_MS;
    if (sunday < now - 2 * 24 * HOUR_MS) return sunday;
  }
}

describe('history__get_history and search__search side by side with HA’s own', () => {
  let ha: TestHaInfo;
  let world: HomeAssistantApiWorld;
  let live: LiveHome;
  let admin: Principal;
  let tools: Tool[];
  let conn: Connection;
  /** The start of the current hour when the test began: imported rows lie well inside the default span. */
  let hour: number;
  let summerTimeEnd: number;
  const cleanups: (() => Promise<unknown>)[] = [];

  /** Ours and HA's answer to the same call, compared as JSON and as text. */
  async function compare(name: string, args: Record<string, unknown>) {
    const tool = tools.find((t) => t.name === name);
    assert.ok(tool, `we offer ${name}`);
    const mine = await tool.run(args, { principal: admin });
    const res = await postMcp(
      ha.url,
      ha.adminToken,
      'tools/call',
      { name, arguments: args },
      '/api/mcp/homeassistant'
    );
    const reference = ((await res.json()) as { result: { content: { text: string }[]; isError: boolean } })
      .result;
    const theirs = reference.content[0]!.text;
    const what = `${name} ${JSON.stringify(args)}`;
    assert.equal(mine.isError ?? false, reference.isError, `${what}: isError`);
    assert.deepEqual(parsed(mine.text), parsed(theirs), what);
    assert.equal(mine.text, theirs, `${what}: text`);
    return parsed(mine.text) as any;
  }

  async function importStatistics(
    statisticId: string,
    metadata: { mean_type: number; has_sum: boolean; unit: string | null; unit_class: string | null },
    stats: Record<string, unknown>[]
  ) {
    await command(conn, {
      type: 'recorder/import_statistics',
      metadata: {
        statistic_id: statisticId,
        source: 'recorder',
        name: null,
        mean_type: metadata.mean_type,
        has_sum: metadata.has_sum,
        unit_of_measurement: metadata.unit,
        unit_class: metadata.unit_class,
      },
      stats,
    });
  }

  before(async () => {
    world = await homeAssistantApiWorld();
    ({ ha, admin, live } = world);
    tools = world.tools();
    conn = await connectWs(ha.url, ha.adminToken);

    // History: a state in °F for statistics kept in °C (so values are converted), no state class (so the
    // recorder compiles nothing of its own for it).
    const now = Date.now();
    hour = Math.floor(now / HOUR_MS) * HOUR_MS;
    summerTimeEnd = lastSummerTimeEnd(now);
    await restJson(ha.url, `/api/states/${TEMPERATURE}`, {
      token: ha.adminToken,
      json: { state: '70', attributes: { unit_of_measurement: '°F', friendly_name: 'History temperature' } },
    });
    cleanups.push(() =>
      restJson(ha.url, `/api/states/${TEMPERATURE}`, { token: ha.adminToken, method: 'DELETE' })
    );
    cleanups.push(() => command(conn, { type: 'recorder/clear_statistics', statistic_ids: IMPORTED }));
    cleanups.push(() => restJson(ha.url, `/api/states/${FRESH}`, { token: ha.adminToken, method: 'DELETE' }));
    const recent = Array.from({ length: 19 }, (_, i) => hour - (20 - i) * HOUR_MS);
    const aroundSummerTimeEnd = Array.from({ length: 6 }, (_, i) => summerTimeEnd + (i - 3) * HOUR_MS);
    // Two days back: older than the test HA keeps 5-minute rows, younger than HA's default.
    const twoDaysBack = Array.from({ length: 9 }, (_, i) => hour - (52 - i) * HOUR_MS);
    const hours = [...aroundSummerTimeEnd, ...twoDaysBack, ...recent];
    await importStatistics(
      TEMPERATURE,
      { mean_type: 1, has_sum: false, unit: '°C', unit_class: 'temperature' },
      hours.map((start, i) => ({
        start: iso(start),
        mean: 20 + i / 3,
        min: 18.75 - i / 7,
        max: 21.5 + i * 1.1,
      }))
    );
    // Changes that print with %.6g's corners: exact ties (round to even), exponents, tiny and huge values.
    // Binary fractions keep every sum exact, so each change is exactly what is listed.
    const changes = [1234565, 2 ** -17, 12345.25, 999999.5, 42, 0.5, 1234575, 2 ** -20, 7, 35_000_000];
    let sum = 0;
    await importStatistics(
      ENERGY,
      { mean_type: 0, has_sum: true, unit: 'kWh', unit_class: 'energy' },
      hours.map((start, i) => {
        sum += changes[i % changes.length]!;
        return { start: iso(start), sum, state: sum };
      })
    );
    await importStatistics(
      WIND,
      { mean_type: 2, has_sum: false, unit: '°', unit_class: null },
      hours.map((start, i) => ({ start: iso(start), mean: (350 + i * 7) % 360 }))
    );
    await importStatistics(
      OLD,
      { mean_type: 1, has_sum: false, unit: null, unit_class: null },
      [0, 1, 2].map((i) => ({ start: iso(hour - (30 * 24 - i) * HOUR_MS), mean: i, min: i, max: i }))
    );
    // The recorder takes its tasks in turn: once this update (which changes nothing) is done, so are the
    // imports queued before it.
    await command(conn, {
      type: 'recorder/update_statistics_metadata',
      statistic_id: OLD,
      unit_class: null,
      unit_of_measurement: null,
    });

    // Search: labels and areas (ids such as "10" sort first in a JavaScript object, not in HA's results),
    // aliases with ß, and a device named by its owner.
    for (const name of ['Energy saver', '2']) {
      const label = await command<{ label_id: string }>(conn, { type: 'config/label_registry/create', name });
      cleanups.push(() => command(conn, { type: 'config/label_registry/delete', label_id: label.label_id }));
    }
    for (const [name, aliases] of [
      ['10', ['Straße', '  Loft  ']],
      ['Straße', []],
    ] as const) {
      const area = await command<{ area_id: string }>(conn, {
        type: 'config/area_registry/create',
        name,
        aliases,
      });
      cleanups.push(() => command(conn, { type: 'config/area_registry/delete', area_id: area.area_id }));
    }
    const entry = await command<{ aliases: (string | null)[]; device_id: string }>(conn, {
      type: 'config/entity_registry/get',
      entity_id: KITCHEN_LIGHT,
    });
    await command(conn, {
      type: 'config/entity_registry/update',
      entity_id: KITCHEN_LIGHT,
      aliases: [...entry.aliases, "Chef's STRASSE lamp", ' Ceiling '],
    });
    cleanups.push(() =>
      command(conn, {
        type: 'config/entity_registry/update',
        entity_id: KITCHEN_LIGHT,
        aliases: entry.aliases,
      })
    );
    // A state without a registry entry whose name holds the computed name of switch.decorative_lights
    // (its alias, "Garden Lights"): that entity must still come first, by its alias.
    await restJson(ha.url, `/api/states/${GARDEN_STATE}`, {
      token: ha.adminToken,
      json: { state: 'on', attributes: { friendly_name: 'All garden lights' } },
    });
    cleanups.push(() =>
      restJson(ha.url, `/api/states/${GARDEN_STATE}`, { token: ha.adminToken, method: 'DELETE' })
    );
    const window = (
      await command<{ id: string; name: string }[]>(conn, { type: 'config/device_registry/list' })
    ).find((device) => device.name === 'Kitchen Window');
    assert.ok(window, 'the demo has a Kitchen Window device');
    await command(conn, {
      type: 'config/device_registry/update',
      device_id: window.id,
      name_by_user: 'Küchenfenster',
    });
    cleanups.push(() =>
      command(conn, { type: 'config/device_registry/update', device_id: window.id, name_by_user: null })
    );
    // Our search reads states, registry entries, devices and areas from the live model (as HA's reads its
    // memory): compare once the model has all of the above.
    const home = live.home;
    await waitFor(
      (notify) => home.onChange(notify),
      () =>
        home.devices.get(window.id)?.name_by_user === 'Küchenfenster' &&
        [...home.areas.values()].filter((a) => a.name === '10' || a.name === 'Straße').length === 2 &&
        !!home.registry.get(KITCHEN_LIGHT)?.aliases.includes("Chef's STRASSE lamp") &&
        home.states.has(GARDEN_STATE),
      30_000,
      'the live model has the search test’s areas, aliases, device name and state'
    );
  });

  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    conn?.close();
    world?.close();
  });

  describe('history__get_history', () => {
    it('gives the statistics of the last day by the hour, each entity with its columns and unit', async () => {
      const result = await compare('history__get_history', {
        entity_ids: [
          TEMPERATURE,
          ENERGY,
          WIND,
          OLD,
          'sensor.ha_mcp_history_missing',
          TEMPERATURE,
          'Sensor.HA_MCP_History_Energy',
        ],
      });
      assert.equal(result.result.period, 'hour');
      const entities = result.result.entities;
      assert.deepEqual(Object.keys(entities), [
        TEMPERATURE,
        ENERGY,
        WIND,
        OLD,
        'sensor.ha_mcp_history_missing',
      ]);
      assert.equal(entities[TEMPERATURE].unit, '°F');
      assert.match(entities[TEMPERATURE].csv, /^start,mean,min,max\n\d{4}-\d\d-\d\dT\d\d:00:00\+0[12]:00,/);
      assert.equal(entities[TEMPERATURE].csv.split('\n').length, 19 + 2);
      assert.match(entities[ENERGY].csv, /^start,change\n/);
      assert.match(entities[ENERGY].csv, /1\.23456e\+06/, 'a tie rounds to even');
      assert.match(entities[WIND].csv, /^start,mean\n/);
      assert.deepEqual(entities[OLD], { csv: 'start,mean,min,max\n' });
      assert.deepEqual(entities['sensor.ha_mcp_history_missing'], {
        error: 'No statistics are recorded for this entity.',
      });
    });

    it('says an entity the recorder has not compiled yet has no statistics, as HA reads its database', async () => {
      // A sensor with a state class: the metadata command lists it before its first 5-minute compile.
      await restJson(ha.url, `/api/states/${FRESH}`, {
        token: ha.adminToken,
        json: { state: '3', attributes: { state_class: 'measurement', unit_of_measurement: 'W' } },
      });
      const listed = await command<{ statistic_id: string }[]>(conn, {
        type: 'recorder/get_statistics_metadata',
        statistic_ids: [FRESH],
      });
      assert.deepEqual(
        listed.map((m) => m.statistic_id),
        [FRESH]
      );
      await compare('history__get_history', { entity_ids: [FRESH, TEMPERATURE] });
    });

    it('reads times with an offset, in UTC and in local time, and days, weeks and months', async () => {
      await compare('history__get_history', {
        entity_ids: [TEMPERATURE, ENERGY],
        start_time: iso(hour - 30 * HOUR_MS).replace('.000Z', '+00:00'),
        end_time: iso(hour - 5 * HOUR_MS),
      });
      const today = localDate(hour);
      const yesterday = localDate(hour - 24 * HOUR_MS);
      for (const period of ['day', 'week', 'month', 'hour']) {
        await compare('history__get_history', {
          entity_ids: [TEMPERATURE, ENERGY, WIND],
          start_time: yesterday,
          end_time: `${today} 23:59:59.999999`,
          period,
        });
      }
      // A day that starts at end_time is not part of the span.
      const days = await compare('history__get_history', {
        entity_ids: [TEMPERATURE],
        start_time: yesterday,
        end_time: today,
        period: 'day',
      });
      assert.doesNotMatch(days.result.entities[TEMPERATURE].csv, new RegExp(`^${today}`, 'm'));
      await compare('history__get_history', {
        entity_ids: [ENERGY],
        start_time: localDate(hour - 40 * 24 * HOUR_MS),
      });
    });

    it('writes local times across the end of summer time, and reads a repeated hour as HA does', async () => {
      const result = await compare('history__get_history', {
        entity_ids: [TEMPERATURE, ENERGY, WIND],
        start_time: iso(summerTimeEnd - 4 * HOUR_MS),
        end_time: iso(summerTimeEnd + 4 * HOUR_MS),
      });
      assert.match(result.result.entities[TEMPERATURE].csv, /\+02:00,[^]*\+01:00,/);
      const day = localDate(summerTimeEnd);
      await compare('history__get_history', {
        entity_ids: [TEMPERATURE],
        start_time: `${day}T02:30`,
        end_time: `${day}T05:00:00`,
        period: 'hour',
      });
    });

    it('asks 5-minute rows for a short recent span, and hourly ones for entities that have none', async () => {
      const result = await compare('history__get_history', {
        entity_ids: [TEMPERATURE, OLD, 'sensor.outside_temperature'],
        start_time: iso(hour - 5 * HOUR_MS),
        end_time: iso(hour - 2 * HOUR_MS),
      });
      assert.equal(result.result.period, '5minute');
      assert.equal(result.result.entities[TEMPERATURE].period, 'hour');
      assert.equal(result.result.entities[OLD].period, undefined);
    });

    it('answers too many rows, bad times and a reversed span with HA’s errors', async () => {
      const cases: Record<string, unknown>[] = [
        { entity_ids: [TEMPERATURE], start_time: iso(hour - 48 * HOUR_MS), period: '5minute' },
        { entity_ids: [TEMPERATURE], start_time: '1900-01-01' },
        { entity_ids: [TEMPERATURE], start_time: iso(hour - 7 * 24 * HOUR_MS), period: 'hour' },
        // Exactly 500 rows is allowed.
        {
          entity_ids: [TEMPERATURE],
          start_time: iso(hour - 500 * HOUR_MS),
          end_time: iso(hour),
          period: 'hour',
        },
        { entity_ids: [TEMPERATURE], end_time: 'yesterday' },
        { entity_ids: [TEMPERATURE], start_time: '2026-13-01' },
        { entity_ids: [TEMPERATURE], start_time: '2026-02-29T10:00' },
        { entity_ids: [TEMPERATURE], start_time: iso(hour), end_time: iso(hour) },
        { entity_ids: [TEMPERATURE], start_time: iso(hour), end_time: iso(hour - HOUR_MS) },
      ];
      for (const args of cases) await compare('history__get_history', args);
    });

    it('refuses bad arguments with HA’s validation texts', async () => {
      const cases: Record<string, unknown>[] = [
        {},
        { entity_ids: [] },
        { entity_ids: 'sensor.a' },
        { entity_ids: ['bad'] },
        { entity_ids: [null] },
        { entity_ids: ['sensor.a'], period: 'year' },
        { entity_ids: ['sensor.a'], period: 'Day' },
        { entity_ids: ['sensor.a'], start_time: 5 },
        { entity_ids: ['sensor.a'], extra: 1 },
        { entity_id: ['sensor.a'] },
      ];
      for (const args of cases) await compare('history__get_history', args);
    });

    it('assumes HA’s default of 10 days of 5-minute rows: a home keeping fewer gets them marked by entity', async () => {
      // The test HA keeps one day (purge_keep_days: 1), which no API tells. For a short span two days back
      // HA asks hours; we ask 5-minute rows and fall back to hours per entity: the same rows, marked.
      const args = {
        entity_ids: [TEMPERATURE],
        start_time: iso(hour - 50 * HOUR_MS),
        end_time: iso(hour - 46 * HOUR_MS),
      };
      const tool = tools.find((t) => t.name === 'history__get_history')!;
      const mine = JSON.parse((await tool.run(args, { principal: admin })).text);
      const res = await postMcp(
        ha.url,
        ha.adminToken,
        'tools/call',
        { name: tool.name, arguments: args },
        '/api/mcp/homeassistant'
      );
      const theirs = JSON.parse(((await res.json()) as any).result.content[0].text);
      assert.equal(theirs.result.period, 'hour');
      assert.equal(mine.result.period, '5minute');
      assert.equal(theirs.result.entities[TEMPERATURE].period, undefined);
      assert.equal(mine.result.entities[TEMPERATURE].period, 'hour');
      assert.equal(mine.result.entities[TEMPERATURE].csv, theirs.result.entities[TEMPERATURE].csv);
    });
  });

  describe('search__search', () => {
    it('finds entities, devices, areas and labels by name, alias and ID, best first, five a type', async () => {
      const queries = [
        'kitchen',
        'KITCHEN',
        ' kitchen',
        'o',
        'e',
        'patio door',
        'chef',
        'ceiling',
        'garden lights',
        'kitchen lights',
        'küche',
        'KÜCHENFENSTER',
        'strasse',
        'straße',
        'loft',
        'lounge',
        'energy',
        '2',
        '1',
        'light.',
        'good night',
        'bedtime',
        'zzz nothing',
      ];
      for (const query of queries) await compare('search__search', { query });
    });

    it('pages one type by offset, and names types with more', async () => {
      const first = await compare('search__search', { query: 'o' });
      assert.equal(typeof first.instructions, 'string');
      assert.equal(first.entity.next_offset, 5);
      for (const offset of [5, 10, 1, first.entity.total - 1, first.entity.total, 10_000, '5', 5.7, true]) {
        await compare('search__search', { query: 'o', type: 'entity', offset });
      }
      for (const type of ['device', 'area', 'label', 'automation', 'script', 'scene']) {
        await compare('search__search', { query: 'o', type });
        await compare('search__search', { query: 'e', type, offset: 2 });
      }
      assert.deepEqual(await compare('search__search', { query: 'kitchen', type: 'scene' }), {});
    });

    it('refuses bad arguments as HA does', async () => {
      const cases: Record<string, unknown>[] = [
        {},
        { query: '' },
        { query: 3 },
        { query: 'o', offset: 5 },
        { query: 'o', offset: -1, type: 'entity' },
        { query: 'o', offset: 'x', type: 'entity' },
        { query: 'o', type: 'floor' },
        { query: 'o', type: 'Entity' },
        { query: 'o', limit: 3 },
      ];
      for (const args of cases) await compare('search__search', args);
    });
  });
});
