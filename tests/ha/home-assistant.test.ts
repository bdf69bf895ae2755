/** The test Home Assistant itself: reachable, onboarded, arranged as the demo home, with both users. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Connection, HassEntity } from 'home-assistant-js-websocket';
import { command, connectWs } from '../support/ha/ha-api.js';
import { DEMO_AREAS, DEMO_EXPOSED, DEMO_FLOORS, DEMO_UNEXPOSED } from '../support/ha/demo-home.js';
import { testHa, type TestHaInfo } from '../support/ha/fixture.js';

interface CurrentUser {
  id: string;
  name: string;
  is_admin: boolean;
}

describe('the test Home Assistant', () => {
  let ha: TestHaInfo;
  let admin: Connection;

  before(async () => {
    ha = await testHa();
    admin = await connectWs(ha.url, ha.adminToken);
  });
  after(() => admin?.close());

  it('accepts the admin token over the WebSocket API and serves a demo entity', async () => {
    const states = await command<HassEntity[]>(admin, { type: 'get_states' });
    const bedLight = states.find((s) => s.entity_id === 'light.bed_light');
    assert.ok(bedLight, 'light.bed_light is in get_states');
    assert.ok(['on', 'off'].includes(bedLight.state));
    assert.equal(bedLight.attributes.friendly_name, 'Bed Light');
    const me = await command<CurrentUser>(admin, { type: 'auth/current_user' });
    assert.equal(me.is_admin, true);
  });

  it('gives the plain user a token that is not an admin’s', async () => {
    const conn = await connectWs(ha.url, ha.userToken);
    try {
      const me = await command<CurrentUser>(conn, { type: 'auth/current_user' });
      assert.equal(me.is_admin, false);
      if (ha.userId) assert.equal(me.id, ha.userId);
      await assert.rejects(command(conn, { type: 'config/auth/list' }), /unauthorized/i);
    } finally {
      conn.close();
    }
  });

  it('is arranged as the demo home: floors, areas with aliases, exposure', async () => {
    const floors = await command<{ name: string; aliases: string[] }[]>(admin, {
      type: 'config/floor_registry/list',
    });
    assert.deepEqual(floors.map((f) => f.name).sort(), DEMO_FLOORS.map((f) => f.name).sort());
    const areas = await command<{ name: string; aliases: string[]; floor_id: string | null }[]>(admin, {
      type: 'config/area_registry/list',
    });
    for (const spec of DEMO_AREAS) {
      const area = areas.find((a) => a.name === spec.name);
      assert.ok(area, `area ${spec.name}`);
      assert.deepEqual([...area.aliases].sort(), [...(spec.aliases ?? [])].sort());
      assert.equal(area.floor_id !== null, spec.floor !== undefined, `${spec.name} floor`);
    }
    const exposed = await command<{ exposed_entities: Record<string, { conversation?: boolean }> }>(admin, {
      type: 'homeassistant/expose_entity/list',
    });
    // The list names only what is exposed (HA 2026.11).
    for (const entityId of DEMO_EXPOSED) {
      assert.equal(exposed.exposed_entities[entityId]?.conversation, true, `${entityId} is exposed`);
    }
    for (const entityId of DEMO_UNEXPOSED) {
      assert.equal(exposed.exposed_entities[entityId]?.conversation, undefined, `${entityId} is not exposed`);
    }
  });

  it('runs HA’s own MCP server, whose Assist endpoint is the reference, for the plain user too', async () => {
    const res = await fetch(`${ha.url}/api/mcp/assist`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${ha.userToken}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { result: { tools: { name: string }[] } };
    const names = body.result.tools.map((t) => t.name);
    assert.ok(
      names.some((n) => /GetLiveContext$/.test(n)),
      `live context tool in ${names.join(', ')}`
    );
  });
});
