import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEntitiesMessage } from '../../server/src/ha/entity-messages.js';
import { Home } from '../../server/src/ha/home.js';
import { HaAwayError } from '../../server/src/ha/errors.js';
import { entityNames } from '../../server/src/ha/resolve.js';
import type { EntityState, RegistryEntry, Snapshot } from '../../server/src/ha/types.js';
import { registryEntry } from '../support/registry-entry.js';
import { coreConfig } from '../support/core-config.js';

function snapshot(fields: Partial<Snapshot> = {}): Snapshot {
  return {
    config: coreConfig(),
    areas: [
      { area_id: 'living', name: 'Living Room', aliases: ['lounge'], floor_id: 'ground' },
      { area_id: 'attic', name: 'Attic', aliases: [], floor_id: null },
    ],
    floors: [{ floor_id: 'ground', name: 'Ground Floor', aliases: ['downstairs'], level: 0 }],
    devices: [
      { id: 'hub', name: 'Hub', name_by_user: null, area_id: 'living' },
      {
        id: 'child',
        name: 'Child',
        name_by_user: null,
        area_id: null,
        parent_device_id: 'hub',
        next_name_part: 'parent_device',
      },
      { id: 'moved', name: 'Moved', name_by_user: null, area_id: 'attic' },
    ],
    registry: [
      registryEntry('light.lamp', {
        device_id: 'child',
        original_name: 'Lamp',
        next_name_part: 'device',
        aliases: [null, 'reading lamp'],
      }),
      registryEntry('light.attic', {
        device_id: 'moved',
        area_id: 'living',
        name: 'Attic Light',
        next_name_part: 'area',
      }),
      registryEntry('light.renamed', { aliases: ['only alias'] }),
    ],
    exposed: ['lock.front'],
    exposeNew: true,
    scripts: {},
    ...fields,
  };
}

describe('subscribe_entities messages', () => {
  it('adds, changes (set and remove attributes) and removes entities', () => {
    const states = new Map<string, EntityState>();
    applyEntitiesMessage(states, {
      a: { 'light.a': { s: 'on', a: { brightness: 10, friendly_name: 'A' }, lc: 1_700_000_000 } },
    });
    assert.equal(states.get('light.a')?.last_changed, '2023-11-14T22:13:20.000Z');
    assert.equal(states.get('light.a')?.last_updated, states.get('light.a')?.last_changed);
    applyEntitiesMessage(states, {
      c: {
        'light.a': { '+': { s: 'off', a: { color: 'red' }, lu: 1_700_000_001 }, '-': { a: ['brightness'] } },
      },
    });
    assert.deepEqual(states.get('light.a')?.attributes, { friendly_name: 'A', color: 'red' });
    assert.equal(states.get('light.a')?.state, 'off');
    assert.equal(states.get('light.a')?.last_updated, '2023-11-14T22:13:21.000Z');
    assert.deepEqual(applyEntitiesMessage(states, { r: ['light.a', 'light.unknown'] }), ['light.a']);
    assert.equal(states.size, 0);
  });
});

describe('the Home model', () => {
  function loaded(): Home {
    const home = new Home();
    home.applySnapshot(snapshot());
    home.replaceStates({
      a: {
        'light.lamp': { s: 'on', a: { friendly_name: 'Hub Lamp' } },
        'light.attic': { s: 'off', a: { friendly_name: 'Attic Light' } },
        'light.renamed': { s: 'off', a: { friendly_name: 'Renamed' } },
        'lock.front': { s: 'locked', a: { friendly_name: 'Front Door' } },
        'light.legacy': { s: 'on', a: { friendly_name: 'Legacy' } },
      },
    });
    home.markReady();
    return home;
  }

  it('says it is unavailable until it is complete, and again when stale', () => {
    const home = new Home();
    assert.throws(() => home.require(), HaAwayError);
    const ready = loaded();
    assert.equal(ready.require(), ready);
    ready.markStale();
    assert.throws(() => ready.require(), /Home Assistant is unavailable/);
  });

  it('resolves names, the area (a child device inherits its parent’s), the floor and exposure', () => {
    const lamp = loaded().get('light.lamp')!;
    assert.deepEqual(lamp.names, ['Hub Child Lamp', 'reading lamp']);
    assert.equal(lamp.area?.name, 'Living Room');
    assert.equal(lamp.floor?.name, 'Ground Floor');
    assert.equal(lamp.exposed, true);
  });

  it('prefers the entity’s own area over its device’s, and then leaves the device out of its name', () => {
    const attic = loaded().get('light.attic')!;
    assert.equal(attic.area?.area_id, 'living');
    assert.deepEqual(attic.names, ['Attic Light']);
  });

  it('names an entity only by its aliases when the owner removed its own name', () => {
    assert.deepEqual(loaded().get('light.renamed')!.names, ['only alias']);
    assert.deepEqual(entityNames(undefined, registryEntry('x.y', { aliases: [] }), 'x.y'), []);
  });

  it('exposes entities without a registry entry only as HA lists them', () => {
    const home = loaded();
    assert.equal(home.get('lock.front')!.exposed, true);
    assert.equal(home.get('light.legacy')!.exposed, false);
    assert.deepEqual(home.get('light.legacy')!.names, ['Legacy']);
  });

  it('replaces all states on a fresh subscription, so entities removed meanwhile are gone', () => {
    const home = loaded();
    home.replaceStates({ a: { 'light.lamp': { s: 'off', a: {} } } });
    assert.deepEqual([...home.states.keys()], ['light.lamp']);
  });

  it('tells listeners what changed and bumps its revision', () => {
    const home = loaded();
    const seen: unknown[] = [];
    home.onChange((changed) => seen.push(changed));
    const before = home.revision;
    home.applyStates({ c: { 'light.lamp': { '+': { s: 'off' } } } });
    home.setExposure(['lock.front'], true); // unchanged: no event
    home.setExposure([], true);
    assert.deepEqual(seen, [['light.lamp'], 'all']);
    assert.equal(home.revision, before + 2);
    assert.equal(home.get('lock.front')!.exposed, false);
  });
});
