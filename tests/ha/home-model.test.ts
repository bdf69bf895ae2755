/**
 * The Home model against the real test Home Assistant: it agrees with HA's states, registries and exposure
 * (as HA's own MCP server sees it), follows changes made in HA live, and recovers when HA restarts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Connection, HassEntity } from 'home-assistant-js-websocket';
import { parse } from 'yaml';
import type { Home } from '../../server/src/ha/home.js';
import { FailureLimiter } from '../../server/src/ha/failure-limiter.js';
import { tallied } from '../support/reliability-tally.js';
import { haTokenValidator, Principals } from '../../server/src/ha/principals.js';
import { createLogger } from '../../server/src/log.js';
import { waitFor } from '../support/wait.js';
import { command, connectWs, restJson } from '../support/ha/ha-api.js';
import { DEMO_UNEXPOSED } from '../support/ha/demo-home.js';
import { liveHome, type LiveHome } from '../support/ha/live-home.js';
import { testHa, type TestHaInfo } from '../support/ha/fixture.js';
import { postMcp } from '../support/mcp-post.js';

const quiet = createLogger('error', () => {});

/** Resolves once HA runs again (its HTTP server answers earlier, while integrations are still starting). */
async function waitForHaRunning(url: string, token: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const running = await fetch(`${url}/api/config`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(1_000),
    }).then(
      async (res) => res.ok && ((await res.json()) as { state?: string }).state === 'RUNNING',
      () => false
    );
    if (running) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Home Assistant did not come back within ${timeoutMs / 1000} s`);
}

/** HA's own MCP server's live context: the reference for what Assist may see. */
async function haLiveContext(ha: TestHaInfo): Promise<{ names: string; domain: string; areas?: string }[]> {
  const res = await postMcp(ha.url, ha.adminToken, 'tools/call', {
    name: 'homeassistant__GetLiveContext',
    arguments: {},
  });
  const body = (await res.json()) as { result: { content: { text: string }[] } };
  const result = JSON.parse(body.result.content[0]!.text) as { result: string };
  return parse(result.result.slice(result.result.indexOf('\n') + 1));
}

describe('the Home model against Home Assistant', () => {
  let ha: TestHaInfo;
  let home: Home;
  let live: LiveHome;
  let admin: Connection;
  const changes = (notify: () => void) => home.onChange(notify);

  before(async () => {
    ha = await testHa();
    admin = await connectWs(ha.url, ha.adminToken);
    live = await liveHome(ha);
    home = live.home;
  });
  after(() => {
    live?.close();
    admin?.close();
  });

  it('knows HA’s version and core config', () => {
    assert.equal(home.status, 'ready');
    assert.match(home.haVersion, /^\d{4}\.\d+\.\d+/);
    assert.equal(home.config?.time_zone, 'Europe/Amsterdam');
    assert.equal(home.config?.location_name, 'Demo Home');
  });

  it('agrees with get_states and the registries', async () => {
    const states = await command<HassEntity[]>(admin, { type: 'get_states' });
    assert.deepEqual([...home.states.keys()].sort(), states.map((s) => s.entity_id).sort());
    for (const s of states) assert.equal(home.states.get(s.entity_id)?.state, s.state, s.entity_id);
    const areas = await command<{ area_id: string; name: string; aliases: string[] }[]>(admin, {
      type: 'config/area_registry/list',
    });
    assert.deepEqual(
      [...home.areas.values()].map((a) => [a.area_id, a.name, [...a.aliases].sort()]).sort(),
      areas.map((a) => [a.area_id, a.name, [...a.aliases].sort()]).sort()
    );
    const floors = await command<unknown[]>(admin, { type: 'config/floor_registry/list' });
    assert.equal(home.floors.size, floors.length);
    const devices = await command<unknown[]>(admin, { type: 'config/device_registry/list' });
    assert.equal(home.devices.size, devices.length);
    const registry = await command<{ entity_id: string }[]>(admin, { type: 'config/entity_registry/list' });
    assert.deepEqual([...home.registry.keys()].sort(), registry.map((e) => e.entity_id).sort());
  });

  it('resolves areas, floors and aliases as the demo home arranges them', () => {
    const lamp = home.get('light.bed_light')!;
    assert.deepEqual(lamp.names, ['Bed Light', 'reading lamp']);
    assert.equal(lamp.area?.name, 'Bedroom');
    assert.equal(lamp.floor?.name, 'First Floor');
    const garden = home.get('switch.decorative_lights')!; // its own area, not its device's
    assert.equal(garden.area?.name, 'Garden');
    assert.equal(home.get('lock.front_door')!.area, undefined); // no registry entry, no area
  });

  it('decides exposure for every entity as HA’s own MCP server does', async () => {
    const reference = await haLiveContext(ha);
    const referenceNames = reference.map((e) => `${e.domain}: ${e.names}`).sort();
    // HA's live context leaves out calendars and scripts (they have tools of their own).
    const ours = () =>
      home
        .exposedEntities()
        .filter((e) => e.domain !== 'calendar' && e.domain !== 'script')
        .map((e) => `${e.domain}: ${e.names.join(', ')}`)
        .sort();
    // HA stores default decisions the first time it looks; the model's exposure poll picks them up.
    await waitFor(
      changes,
      () => JSON.stringify(ours()) === JSON.stringify(referenceNames),
      5_000,
      'same exposure'
    ).catch(() => assert.deepEqual(ours(), referenceNames));
    for (const entityId of DEMO_UNEXPOSED) assert.equal(home.get(entityId)?.exposed, false, entityId);
  });

  it('follows exposure changes made in HA within 5 seconds', async () => {
    const set = (shouldExpose: boolean) =>
      command(admin, {
        type: 'homeassistant/expose_entity',
        assistants: ['conversation'],
        entity_ids: ['light.kitchen_lights'],
        should_expose: shouldExpose,
      });
    await set(false);
    await waitFor(changes, () => home.get('light.kitchen_lights')?.exposed === false, 5_000, 'unexposed');
    await set(true);
    await waitFor(changes, () => home.get('light.kitchen_lights')?.exposed === true, 5_000, 'exposed again');
  });

  it('follows a renamed area, a new alias and a moved entity within 5 seconds', async () => {
    await command(admin, { type: 'config/area_registry/update', area_id: 'kitchen', name: 'Cookhouse' });
    await waitFor(
      changes,
      () => home.get('light.kitchen_lights')?.area?.name === 'Cookhouse',
      5_000,
      'area renamed'
    );
    await command(admin, { type: 'config/area_registry/update', area_id: 'kitchen', name: 'Kitchen' });
    await command(admin, {
      type: 'config/entity_registry/update',
      entity_id: 'light.ceiling_lights',
      aliases: [null, 'big light'],
    });
    await waitFor(
      changes,
      () => home.get('light.ceiling_lights')?.names.includes('big light'),
      5_000,
      'alias added'
    );
    await command(admin, {
      type: 'config/entity_registry/update',
      entity_id: 'light.ceiling_lights',
      aliases: [null],
    });
    await waitFor(
      changes,
      () => home.get('light.kitchen_lights')?.area?.name === 'Kitchen',
      5_000,
      'area restored'
    );
  });

  it('follows state changes as HA sends them', async () => {
    const before = home.get('light.bed_light')!.state;
    const target = before === 'on' ? 'off' : 'on';
    await restJson(ha.url, `/api/services/light/turn_${target}`, {
      token: ha.adminToken,
      json: { entity_id: 'light.bed_light' },
    });
    await waitFor(changes, () => home.get('light.bed_light')?.state === target, 5_000, `bed light ${target}`);
  });

  it('limits failed validations per address before they reach HA (counted from HA’s log)', () =>
    tallied('bad-token flood from one address (HA saw 3 validations)', async (count) => {
      const principals = new Principals({
        validate: haTokenValidator(ha.url),
        limiter: new FailureLimiter({ perAddress: 3 }),
      });
      const logged = () =>
        ha.logFile ? (readFileSync(ha.logFile, 'utf8').match(/invalid authentication/g) ?? []).length : 0;
      const before = logged();
      const answers = [];
      // A flood: 200 bad tokens from one address, as a scanner would send them.
      for (let i = 0; i < 200; i++)
        answers.push(await principals.authenticate(`not-a-token-${i}`, '203.0.113.7'));
      count.cases = answers.length;
      assert.deepEqual(
        answers.map((a) => (a.ok ? 200 : a.status)),
        [401, 401, 401, ...Array<number>(197).fill(429)]
      );
      assert.equal(principals.validations, 3);
      if (ha.logFile) {
        // HA logs each refused token; give its log the time it needs to be written, then count.
        await waitFor(
          (n) => {
            const t = setInterval(n, 100);
            return () => clearInterval(t);
          },
          () => logged() - before >= 3,
          5_000,
          'HA logged 3'
        );
        assert.equal(logged() - before, 3);
      }
      const user = await principals.authenticate(ha.userToken, '203.0.113.8');
      assert.ok(user.ok && !user.principal.isAdmin && user.principal.name === 'Guest');
    }));

  it('survives a restart of HA: stale while it is away, complete again within 10 s of its return', async () => {
    // A state-only entity: it does not survive HA's restart, so the model must drop it afterwards.
    await restJson(ha.url, '/api/states/sensor.ha_mcp_ephemeral', {
      token: ha.adminToken,
      json: { state: '1', attributes: { device_class: 'temperature' } },
    });
    await waitFor(changes, () => home.states.has('sensor.ha_mcp_ephemeral'), 5_000, 'ephemeral entity seen');
    const wentStale = waitFor(changes, () => home.status === 'stale', 60_000, 'model stale');
    await restJson(ha.url, '/api/services/homeassistant/restart', { token: ha.adminToken, json: {} }).catch(
      () => {}
    );
    await wentStale;
    assert.throws(() => home.require(), /Home Assistant is unavailable/);
    // Wait for HA to run again, then give the model its promised 10 seconds.
    await waitForHaRunning(ha.url, ha.adminToken, 120_000);
    await waitFor(
      changes,
      () => home.status === 'ready',
      10_000,
      'model complete within 10 s of HA’s return'
    );
    assert.equal(home.states.has('sensor.ha_mcp_ephemeral'), false, 'the state-only entity is gone');
    assert.ok(home.states.has('light.bed_light'), 'demo entities are back');
  });
});
