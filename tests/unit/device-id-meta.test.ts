/**
 * The request meta `io.home-assistant/device_id` (a satellite-aware client naming the device it speaks
 * for): passed to tools as HA passes it to intents, refused as HA refuses anything but a string, and turned
 * into HA's area and floor preferences (server/src/llm/assist/device-preferences.ts).
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Home } from '../../server/src/ha/home.js';
import type { Principal } from '../../server/src/ha/principals.js';
import { matchPreferences } from '../../server/src/llm/assist/device-preferences.js';
import { DEVICE_ID_META } from '../../server/src/mcp/server.js';
import { coreConfig } from '../support/core-config.js';
import { answer, fakeInstance, mcpWorld, post, request } from '../support/mcp-fixture.js';

const world = mcpWorld({
  instanceFor: (principal: Principal) => {
    const instance = fakeInstance(principal);
    instance.tools.push({
      name: 'WhichDevice',
      description: 'Says which device the request speaks for',
      inputSchema: { type: 'object', properties: {} },
      async run(_args, ctx) {
        return { text: String(ctx.deviceId) };
      },
    });
    return instance;
  },
});
after(() => world.stop.abort());

const withDevice = (method: string, deviceId: unknown, params: Record<string, unknown> = {}) =>
  post(world.app, request(method, { ...params, _meta: { [DEVICE_ID_META]: deviceId } })).then(answer);

describe('the device a request speaks for', () => {
  it('reaches the tool as HA passes it to intents, and is absent when not named or null', async () => {
    const named = await withDevice('tools/call', 'kitchen-satellite', { name: 'WhichDevice', arguments: {} });
    assert.equal(named.result.content[0].text, 'kitchen-satellite');
    const none = await withDevice('tools/call', null, { name: 'WhichDevice', arguments: {} });
    assert.equal(none.result.content[0].text, 'undefined');
  });

  it('is refused, in HA’s words and code, when it is not a string, by every method that builds the API', async () => {
    for (const [method, params] of [
      ['tools/list', {}],
      ['tools/call', { name: 'WhichDevice', arguments: {} }],
      ['prompts/list', {}],
      ['prompts/get', { name: 'Assist' }],
      ['resources/list', {}],
      ['resources/read', { uri: 'homeassistant://assist/context-snapshot' }],
    ] as const) {
      const refused = await withDevice(method, 42, params);
      assert.deepEqual(refused.error, { code: 0, message: `${DEVICE_ID_META} must be a string` }, method);
    }
  });
});

describe('area and floor preferences of a device', () => {
  const home = new Home();
  home.applySnapshot({
    config: coreConfig(),
    floors: [{ floor_id: 'ground', name: 'Ground', aliases: [], level: 0 }],
    areas: [
      { area_id: 'kitchen', name: 'Kitchen', aliases: [], floor_id: 'ground' },
      { area_id: 'shed', name: 'Shed', aliases: [], floor_id: null },
    ],
    devices: [
      { id: 'sat', name: 'Satellite', name_by_user: null, area_id: 'kitchen' },
      { id: 'child', name: 'Mic', name_by_user: null, area_id: null, parent_device_id: 'sat' },
      { id: 'shed-sat', name: 'Shed satellite', name_by_user: null, area_id: 'shed' },
      { id: 'nowhere', name: 'Loose', name_by_user: null, area_id: null },
    ],
    registry: [],
    scripts: {},
    exposed: [],
    exposeNew: false,
  });

  it('prefers the device’s area and its floor, a child device its parent’s', () => {
    const kitchen = { preferred_area_id: 'kitchen', preferred_floor_id: 'ground' };
    assert.deepEqual(matchPreferences(home, 'sat'), kitchen);
    assert.deepEqual(matchPreferences(home, 'child'), kitchen);
  });

  it('prefers an area without a floor as HA does, and nothing for a device without an area or unknown', () => {
    assert.deepEqual(matchPreferences(home, 'shed-sat'), { preferred_area_id: 'shed' });
    assert.deepEqual(matchPreferences(home, 'nowhere'), {});
    assert.deepEqual(matchPreferences(home, 'who'), {});
    assert.deepEqual(matchPreferences(home, undefined), {});
  });
});
