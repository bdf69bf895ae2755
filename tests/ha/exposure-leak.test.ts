/**
 * Nothing that is not exposed to Assist leaks: no tool, enum, live context, prompt, resource or error names
 * an unexposed demo entity, and no call acts on one, whatever name, alias, area or domain the client passes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Connection, HassEntity } from 'home-assistant-js-websocket';
import type { Home } from '../../server/src/ha/home.js';
import { type Principal } from '../../server/src/ha/principals.js';
import { ApiRegistry } from '../../server/src/llm/registry.js';
import { createLogger } from '../../server/src/log.js';
import { command, connectWs } from '../support/ha/ha-api.js';
import { DEMO_UNEXPOSED } from '../support/ha/demo-home.js';
import { assistForGuest, liveHome, type LiveHome } from '../support/ha/live-home.js';
import { testHa, type TestHaInfo } from '../support/ha/fixture.js';
import { tallied } from '../support/reliability-tally.js';

const quiet = createLogger('error', () => {});

describe('what is not exposed never leaks', () => {
  let ha: TestHaInfo;
  let home: Home;
  let live: LiveHome;
  let admin: Connection;
  let registry: ApiRegistry;
  let principal: Principal;
  /**
   * Entity ids of unexposed entities, and their names that no exposed entity shares (those could appear
   * legitimately).
   */
  let secretNames: string[];

  before(async () => {
    ha = await testHa();
    admin = await connectWs(ha.url, ha.adminToken);
    live = await liveHome(ha);
    home = live.home;
    ({ registry, principal } = await assistForGuest(ha, home));
    const exposedNames = new Set(home.exposedEntities().flatMap((e) => e.names.map((n) => n.toLowerCase())));
    secretNames = [
      ...DEMO_UNEXPOSED,
      ...DEMO_UNEXPOSED.flatMap((id) => home.get(id)?.names ?? []).filter(
        (n) => !exposedNames.has(n.toLowerCase())
      ),
    ];
    assert.ok(secretNames.length >= DEMO_UNEXPOSED.length + 8, `secrets: ${secretNames.join(', ')}`);
  });
  after(() => {
    live?.close();
    admin?.close();
  });

  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  /**
   * Everything HA holds about each unexposed entity that a call could change: its state, every attribute
   * (brightness, temperature, position, ...) and when it was last written.
   */
  const unexposedStates = async () => {
    const states = await command<HassEntity[]>(admin, { type: 'get_states' });
    return Object.fromEntries(
      DEMO_UNEXPOSED.map((id) => {
        const s = states.find((e) => e.entity_id === id);
        return [id, s && { state: s.state, attributes: s.attributes, last_updated: s.last_updated }];
      })
    );
  };

  /** An error's text without what the client sent: that may come back (as HA echoes it); nothing else may. */
  const withoutEcho = (text: string, args: Record<string, unknown>) =>
    Object.values(args)
      .filter((v): v is string => typeof v === 'string')
      .reduce(
        (t, sent) => t.replace(new RegExp(escape(sent), 'gi'), ''),
        text.replace(/\(given [^)]*\)/g, '')
      );

  /** Whole words, any case: "AC" must not match "action". */
  const mentionsSecret = (text: string) =>
    secretNames.filter((n) => new RegExp(`(^|\\W)${escape(n)}($|\\W)`, 'i').test(text));

  it('names no unexposed entity in tools, enums, prompt, resource or live context', async () => {
    const instance = registry.instanceFor(principal);
    const listing = JSON.stringify(
      instance.tools.map(({ name, title, description, inputSchema }) => ({
        name,
        title,
        description,
        inputSchema,
      }))
    );
    assert.deepEqual(mentionsSecret(listing), []);
    assert.deepEqual(mentionsSecret(instance.prompt.text), []);
    for (const resource of instance.resources)
      assert.deepEqual(mentionsSecret(await resource.read({ principal })), []);
    const live = instance.tools.find((t) => t.name === 'homeassistant__GetLiveContext')!;
    for (const args of [{}, { domain: 'light' }, { domain: 'lock' }, { area: 'Office' }, { area: 'study' }]) {
      assert.deepEqual(mentionsSecret((await live.run(args, { principal })).text), [], JSON.stringify(args));
    }
    assert.equal(
      instance.tools.some((t) => t.name === 'script__vacation_mode'),
      false
    );
  });

  it('acts on no unexposed entity, by name, alias, id, area, floor, domain or device class', () =>
    tallied('intents aimed at unexposed entities', async (count) => {
      const before = await unexposedStates();
      const instance = registry.instanceFor(principal);
      const tool = (name: string) => instance.tools.find((t) => t.name === name)!;
      const attempts: [string, Record<string, unknown>][] = [];
      for (const entityId of DEMO_UNEXPOSED) {
        const entity = home.get(entityId);
        if (!entity) continue;
        for (const name of [...entity.names, entityId, entityId.split('.')[1]!.replace(/_/g, ' ')]) {
          attempts.push(
            ['intent__HassTurnOn', { name }],
            ['intent__HassTurnOff', { name, domain: [entity.domain] }]
          );
        }
      }
      attempts.push(
        ['intent__HassTurnOn', { area: 'Office', domain: ['light'] }], // the office light is not exposed
        ['intent__HassTurnOn', { area: 'study' }],
        ['intent__HassTurnOn', { floor: 'First Floor', domain: ['climate'] }], // the Ecobee is not exposed
        ['intent__HassTurnOff', { domain: ['switch'] }], // the AC switch is not exposed
        ['intent__HassTurnOn', { device_class: ['outlet'] }], // the AC is an outlet
        ['intent__HassSetPosition', { name: 'Pergola Roof', position: 100 }],
        ['intent__HassTurnOn', { name: 'Poorly Installed Door', domain: ['lock'] }],
        ['light__HassLightSet', { name: 'Office RGBW Lights', brightness: 100 }],
        ['climate__HassClimateSetTemperature', { name: 'Ecobee', temperature: 30 }],
        ['fan__HassFanSetSpeed', { name: 'Preset Only Limited Fan', percentage: 100 }],
        ['media_player__HassMediaPause', { name: 'Walkman' }]
      );
      for (const [name, args] of attempts) {
        count.cases++;
        const result = await tool(name).run(args, { principal });
        assert.deepEqual(
          mentionsSecret(result.isError ? withoutEcho(result.text, args) : result.text),
          [],
          `${name} ${JSON.stringify(args)}`
        );
      }
      assert.deepEqual(await unexposedStates(), before);
      assert.ok(attempts.length >= 60, `${attempts.length} attempts`);
    }));

  it('reaches no unexposed entity through the other tools and the scripts, whatever their fields name', () =>
    tallied('other tools and scripts aimed at unexposed entities', async (count) => {
      const before = await unexposedStates();
      const instance = registry.instanceFor(principal);
      const targets = DEMO_UNEXPOSED.flatMap((id) => [id, ...(home.get(id)?.names ?? [])]);
      let attempts = 0;
      for (const tool of instance.tools.filter(
        (t) => !t.name.startsWith('intent__') && !/__Hass/.test(t.name)
      )) {
        const fields = Object.entries(tool.inputSchema.properties ?? {})
          .filter(([, schema]) => (schema as { type?: unknown }).type !== 'number')
          .map(([field]) => field);
        for (const field of fields) {
          for (const target of targets) {
            attempts++;
            const result = await tool.run({ [field]: target }, { principal });
            assert.deepEqual(
              mentionsSecret(withoutEcho(result.text, { [field]: target })),
              [],
              `${tool.name} ${field}=${target}`
            );
          }
        }
      }
      count.cases = attempts;
      assert.deepEqual(await unexposedStates(), before);
      assert.ok(attempts >= 100, `${attempts} attempts`);
    }));
});
