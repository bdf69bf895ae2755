import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EntitiesAnswer as Listing, ExposeNew } from '../../server/src/admin/contract.js';
import { RecentExposure } from '../../server/src/admin/recent-exposure.js';
import { adminWorld } from '../support/admin-fixture.js';

async function listing(world: ReturnType<typeof adminWorld>, query = ''): Promise<Listing> {
  const res = await world.call(`/api/admin/entities${query}`, { user: 'guest' });
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as Listing;
}

const ids = (l: Listing) => l.entities.map((e) => e.entityId);

describe('GET /api/admin/entities', () => {
  it('lists every entity with a state: names, domain, area, floor and the model’s exposure decision', async () => {
    const all = await listing(adminWorld());
    // By name: Bedroom Fan, Front Door, Kitchen Light, Lamp, Temperature.
    assert.deepEqual(ids(all), [
      'switch.fan',
      'lock.front_door',
      'light.kitchen',
      'light.lamp',
      'sensor.temperature',
    ]);
    assert.deepEqual(
      all.entities.find((e) => e.entityId === 'light.lamp'),
      {
        entityId: 'light.lamp',
        name: 'Lamp',
        aliases: ['Reading Lamp'],
        domain: 'light',
        area: { id: 'living', name: 'Living Room' },
        floor: { id: 'ground', name: 'Ground Floor' },
        exposed: true,
      }
    );
    const lock = all.entities.find((e) => e.entityId === 'lock.front_door')!;
    assert.deepEqual([lock.area, lock.floor, lock.exposed], [null, null, true]);
    assert.equal(all.entities.find((e) => e.entityId === 'switch.fan')!.exposed, false);
    assert.deepEqual(all.counts, { total: 5, exposed: 4, matching: 5 });
    assert.equal(all.settling, 0);
    assert.equal(all.exposeNew, true);
    assert.deepEqual(all.facets.domains, [
      { id: 'light', count: 2 },
      { id: 'lock', count: 1 },
      { id: 'sensor', count: 1 },
      { id: 'switch', count: 1 },
    ]);
    assert.deepEqual(all.facets.areas, [
      { id: 'bedroom', name: 'Bedroom', floor: 'First Floor', count: 1 },
      { id: 'kitchen', name: 'Kitchen', floor: 'Ground Floor', count: 1 },
      { id: 'living', name: 'Living Room', floor: 'Ground Floor', count: 1 },
    ]);
  });

  it('searches names, aliases and entity ids, ignoring case', async () => {
    const world = adminWorld();
    assert.deepEqual(ids(await listing(world, '?search=READING')), ['light.lamp']);
    assert.deepEqual(ids(await listing(world, '?search=sensor.temp')), ['sensor.temperature']);
    assert.deepEqual(ids(await listing(world, '?search=light')), ['light.kitchen', 'light.lamp']);
    const none = await listing(world, '?search=garage');
    assert.deepEqual([ids(none), none.counts.matching, none.counts.total], [[], 0, 5]);
  });

  it('filters by domain, area and exposure, together', async () => {
    const world = adminWorld();
    assert.deepEqual(ids(await listing(world, '?domain=light')), ['light.kitchen', 'light.lamp']);
    assert.deepEqual(ids(await listing(world, '?area=kitchen')), ['light.kitchen']);
    assert.deepEqual(ids(await listing(world, '?exposed=false')), ['switch.fan']);
    assert.deepEqual(ids(await listing(world, '?domain=light&exposed=true&area=living')), ['light.lamp']);
    assert.equal((await listing(world, '?domain=&search=')).counts.matching, 5, 'empty means any');
  });

  it('refuses a filter it cannot read, naming it', async () => {
    const res = await adminWorld().call('/api/admin/entities?exposed=maybe', { user: 'guest' });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { field: string }).field, 'exposed');
  });

  it('answers 503 while the Home model is not live', async () => {
    const world = adminWorld();
    world.home.markStale();
    const res = await world.call('/api/admin/entities', { user: 'guest' });
    assert.equal(res.status, 503);
    assert.deepEqual(await res.json(), { error: 'Home Assistant is unavailable' });
  });
});

describe('POST /api/admin/entities/expose', () => {
  it('writes HA’s own exposure setting for Assist, and answers with it at once', async () => {
    const world = adminWorld();
    const res = await world.call('/api/admin/entities/expose', {
      json: { entityIds: ['light.lamp', 'lock.front_door', 'light.lamp'], shouldExpose: false },
      user: 'admin',
    });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {
      entities: [
        { entityId: 'light.lamp', exposed: false },
        { entityId: 'lock.front_door', exposed: false },
      ],
    });
    assert.deepEqual(world.ha.sentOf('homeassistant/expose_entity'), [
      {
        type: 'homeassistant/expose_entity',
        assistants: ['conversation'],
        entity_ids: ['light.lamp', 'lock.front_door'],
        should_expose: false,
      },
    ]);
    // The model has not heard from HA yet; the listing already shows what was written.
    assert.equal(world.home.get('light.lamp')!.exposed, true);
    const after = await listing(world, '?exposed=false');
    assert.deepEqual(ids(after), ['switch.fan', 'lock.front_door', 'light.lamp']);
    // ...and says how many writes the model (and so the tool list) has yet to catch up with.
    assert.equal(after.settling, 2);
  });

  it('refuses unknown entities and malformed bodies without asking HA', async () => {
    const world = adminWorld();
    const cases: [unknown, string][] = [
      [{ entityIds: ['light.nowhere'], shouldExpose: true }, 'entityIds'],
      [{ entityIds: [], shouldExpose: true }, 'entityIds'],
      [{ entityIds: ['Light Lamp'], shouldExpose: true }, 'entityIds.0'],
      [{ entityIds: ['light.lamp'] }, 'shouldExpose'],
    ];
    for (const [json, field] of cases) {
      const res = await world.call('/api/admin/entities/expose', { json, user: 'admin' });
      assert.equal(res.status, 400, JSON.stringify(json));
      assert.equal(((await res.json()) as { field: string }).field, field);
    }
    assert.deepEqual(world.ha.sentOf('homeassistant/expose_entity'), []);
  });

  it('passes HA’s refusal on as a 502 in HA’s words, and 503 when the link is down', async () => {
    const world = adminWorld();
    await world.call('/api/admin/overview', { user: 'admin' }); // users looked up while HA still answers
    world.ha.refuse = { code: 'not_allowed', message: 'Entity light.lamp cannot be exposed' };
    const refused = await world.call('/api/admin/entities/expose', {
      json: { entityIds: ['light.lamp'], shouldExpose: true },
      user: 'admin',
    });
    assert.equal(refused.status, 502);
    assert.match(((await refused.json()) as { error: string }).error, /cannot be exposed/);
    world.ha.refuse = undefined;
    world.ha.down = true;
    const down = await world.call('/api/admin/entities/expose', {
      json: { entityIds: ['light.lamp'], shouldExpose: true },
      user: 'admin',
    });
    assert.equal(down.status, 503);
  });
});

describe('GET/PUT /api/admin/expose-new', () => {
  it('reads and sets HA’s "expose new entities" for Assist', async () => {
    const world = adminWorld();
    const get = async () =>
      (await (await world.call('/api/admin/expose-new', { user: 'guest' })).json()) as ExposeNew;
    assert.deepEqual(await get(), { exposeNew: true });
    const put = await world.call('/api/admin/expose-new', {
      method: 'PUT',
      json: { exposeNew: false },
      user: 'owner',
    });
    assert.deepEqual(await put.json(), { exposeNew: false });
    assert.deepEqual(world.ha.sentOf('homeassistant/expose_new_entities/set'), [
      { type: 'homeassistant/expose_new_entities/set', assistant: 'conversation', expose_new: false },
    ]);
    assert.deepEqual(await get(), { exposeNew: false });
    const bad = await world.call('/api/admin/expose-new', {
      method: 'PUT',
      json: { exposeNew: 'no' },
      user: 'owner',
    });
    assert.equal(bad.status, 400);
  });
});

describe('recent exposure writes', () => {
  it('win over the model until it agrees, or until they are too old', () => {
    let now = 0;
    const recent = new RecentExposure(10_000, () => now);
    recent.record(['light.a', 'light.b'], false);
    assert.equal(recent.exposed('light.a', true), false, 'model not caught up');
    assert.equal(recent.exposed('light.a', false), false, 'model agrees');
    assert.equal(recent.exposed('light.a', true), true, 'a later change in HA shows');
    now = 10_000;
    assert.equal(recent.exposed('light.b', true), true, 'too old');
    assert.equal(recent.exposed('light.c', true), true, 'never written');
  });
});
