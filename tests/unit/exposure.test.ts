/**
 * Pins the exposure decision (server/src/ha/exposure.ts) case by case: every default domain and device
 * class, where the device class is read from and in which order, hidden and categorised entities, explicit
 * settings, "expose new entities" off, and entities without a registry entry.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ASSISTANT, exposedByDefault, isExposed, type ExposureFacts } from '../../server/src/ha/exposure.js';
import type { EntityState, RegistryEntry } from '../../server/src/ha/types.js';
import { registryEntry as entry } from '../support/registry-entry.js';

const state = (entityId: string, attributes: Record<string, unknown> = {}): EntityState => ({
  entity_id: entityId,
  state: 'on',
  attributes,
  last_changed: '',
  last_updated: '',
});

const facts = (f: Partial<ExposureFacts>): ExposureFacts => ({
  entry: undefined,
  state: undefined,
  listed: false,
  exposeNew: true,
  ...f,
});

describe('exposure (HA 2026.11 rules)', () => {
  it('exposes the default domains, media players and to-do lists included, but not locks or scripts', () => {
    for (const id of [
      'light.a',
      'switch.a',
      'cover.a',
      'climate.a',
      'fan.a',
      'media_player.a',
      'todo.a',
      'vacuum.a',
    ]) {
      assert.equal(exposedByDefault(id, facts({ entry: entry(id) })), true, id);
    }
    for (const id of ['lock.a', 'script.a', 'calendar.a', 'valve.a', 'sensor.a', 'binary_sensor.a']) {
      assert.equal(exposedByDefault(id, facts({ entry: entry(id) })), false, id);
    }
  });

  it('exposes sensors and binary sensors of some device classes by default', () => {
    assert.equal(
      exposedByDefault(
        'sensor.t',
        facts({ entry: entry('sensor.t', { original_device_class: 'temperature' }) })
      ),
      true
    );
    assert.equal(
      exposedByDefault('sensor.p', facts({ entry: entry('sensor.p', { device_class: 'power' }) })),
      false
    );
    assert.equal(
      exposedByDefault(
        'binary_sensor.m',
        facts({ state: state('binary_sensor.m', { device_class: 'motion' }) })
      ),
      true
    );
    assert.equal(
      exposedByDefault(
        'binary_sensor.w',
        facts({ state: state('binary_sensor.w', { device_class: 'moisture' }) })
      ),
      false
    );
    // The owner's device class wins over the integration's.
    assert.equal(
      exposedByDefault(
        'sensor.x',
        facts({ entry: entry('sensor.x', { device_class: 'power', original_device_class: 'temperature' }) })
      ),
      false
    );
  });

  it('never exposes hidden or categorised entities by default', () => {
    assert.equal(
      exposedByDefault('light.h', facts({ entry: entry('light.h', { hidden_by: 'user' }) })),
      false
    );
    assert.equal(
      exposedByDefault('light.c', facts({ entry: entry('light.c', { entity_category: 'config' }) })),
      false
    );
  });

  it('lets an explicit setting win over the defaults', () => {
    const off = entry('light.a', { options: { conversation: { should_expose: false } } });
    const on = entry('lock.a', { options: { conversation: { should_expose: true } } });
    assert.equal(isExposed('light.a', facts({ entry: off })), false);
    assert.equal(isExposed('lock.a', facts({ entry: on })), true);
  });

  it('applies no defaults when new entities are not exposed', () => {
    assert.equal(isExposed('light.a', facts({ entry: entry('light.a'), exposeNew: false })), false);
  });

  it('exposes an entity without a registry entry only when HA lists it', () => {
    assert.equal(isExposed('light.legacy', facts({ state: state('light.legacy'), listed: false })), false);
    assert.equal(isExposed('lock.legacy', facts({ state: state('lock.legacy'), listed: true })), true);
  });

  it('exposes every default domain by default, with or without a registry entry', () => {
    for (const domain of [
      'climate',
      'cover',
      'fan',
      'humidifier',
      'light',
      'media_player',
      'scene',
      'switch',
      'todo',
      'vacuum',
      'water_heater',
    ]) {
      const id = `${domain}.x`;
      assert.equal(exposedByDefault(id, facts({ entry: entry(id) })), true, id);
      assert.equal(exposedByDefault(id, facts({})), true, `${id} without entry`);
    }
  });

  it('exposes binary sensors of exactly the default classes', () => {
    for (const cls of ['door', 'garage_door', 'lock', 'motion', 'opening', 'presence', 'window']) {
      assert.equal(
        exposedByDefault(
          'binary_sensor.b',
          facts({ entry: entry('binary_sensor.b', { device_class: cls }) })
        ),
        true,
        cls
      );
    }
    for (const cls of ['moisture', 'smoke', 'temperature', 'humidity', 'co', '']) {
      assert.equal(
        exposedByDefault(
          'binary_sensor.b',
          facts({ entry: entry('binary_sensor.b', { device_class: cls }) })
        ),
        false,
        cls
      );
    }
  });

  it('exposes sensors of exactly the default classes', () => {
    for (const cls of [
      'aqi',
      'co',
      'co2',
      'humidity',
      'pm10',
      'pm25',
      'temperature',
      'volatile_organic_compounds',
    ]) {
      assert.equal(
        exposedByDefault('sensor.s', facts({ entry: entry('sensor.s', { original_device_class: cls }) })),
        true,
        cls
      );
    }
    for (const cls of ['power', 'energy', 'motion', 'door', 'battery', '']) {
      assert.equal(
        exposedByDefault('sensor.s', facts({ entry: entry('sensor.s', { original_device_class: cls }) })),
        false,
        cls
      );
    }
  });

  it('exposes no other domain by default, whatever its device class', () => {
    for (const [id, cls] of [
      ['number.t', 'temperature'],
      ['lock.door', 'door'],
      ['cover_group.c', 'door'],
      ['sensors.t', 'temperature'],
      ['binary_sensors.m', 'motion'],
      ['event.m', 'motion'],
    ] as const) {
      assert.equal(exposedByDefault(id, facts({ entry: entry(id, { device_class: cls }) })), false, id);
      assert.equal(exposedByDefault(id, facts({ state: state(id, { device_class: cls }) })), false, id);
    }
  });

  it('reads the domain from the entity id, up to its first dot', () => {
    assert.equal(exposedByDefault('light.sensor.t', facts({})), true);
    assert.equal(exposedByDefault('sensor.light', facts({})), false);
    assert.equal(exposedByDefault('lights.a', facts({})), false);
  });

  it("takes the device class from the owner's setting, then the integration's, then the state", () => {
    const id = 'sensor.x';
    const withState = (cls: unknown) => state(id, { device_class: cls });
    // Set by the owner: wins over both others.
    assert.equal(
      exposedByDefault(
        id,
        facts({ entry: entry(id, { device_class: 'temperature' }), state: withState('power') })
      ),
      true
    );
    // Unset (null) by the owner: the integration's.
    assert.equal(
      exposedByDefault(
        id,
        facts({ entry: entry(id, { original_device_class: 'humidity' }), state: withState('power') })
      ),
      true
    );
    assert.equal(
      exposedByDefault(
        id,
        facts({ entry: entry(id, { original_device_class: 'power' }), state: withState('humidity') })
      ),
      false
    );
    // Neither in the registry: the state's attribute.
    assert.equal(exposedByDefault(id, facts({ entry: entry(id), state: withState('co2') })), true);
    // Nothing anywhere, or a class that is not a string: not exposed, and no error.
    assert.equal(exposedByDefault(id, facts({ entry: entry(id) })), false);
    assert.equal(exposedByDefault(id, facts({})), false);
    assert.equal(exposedByDefault(id, facts({ state: withState(['temperature']) })), false);
  });

  it('does not expose by default an entity that is both hidden and categorised', () => {
    assert.equal(
      exposedByDefault(
        'light.hc',
        facts({ entry: entry('light.hc', { hidden_by: 'integration', entity_category: 'diagnostic' }) })
      ),
      false
    );
    assert.equal(exposedByDefault('light.ok', facts({ entry: entry('light.ok') })), true);
  });

  it('reads the explicit setting under the conversation assistant only', () => {
    assert.equal(ASSISTANT, 'conversation');
    const elsewhere = entry('light.a', { options: { cloud: { should_expose: false } } });
    assert.equal(isExposed('light.a', facts({ entry: elsewhere })), true);
    const lockElsewhere = entry('lock.a', { options: { cloud: { should_expose: true } } });
    assert.equal(isExposed('lock.a', facts({ entry: lockElsewhere })), false);
  });

  it('falls back to the defaults when the setting is absent or not a boolean', () => {
    for (const conversation of [undefined, {}, { should_expose: 'yes' }, { should_expose: null }]) {
      const options = conversation === undefined ? {} : { conversation };
      assert.equal(isExposed('light.a', facts({ entry: entry('light.a', { options }) })), true);
      assert.equal(isExposed('lock.a', facts({ entry: entry('lock.a', { options }) })), false);
    }
  });

  it('lets an explicit "expose" win even when new entities are not exposed, and over hidden', () => {
    const on = entry('light.h', { hidden_by: 'user', options: { conversation: { should_expose: true } } });
    assert.equal(isExposed('light.h', facts({ entry: on, exposeNew: false })), true);
    const off = entry('light.o', { options: { conversation: { should_expose: false } } });
    assert.equal(isExposed('light.o', facts({ entry: off, exposeNew: true, listed: true })), false);
  });

  it('ignores the expose list for an entity with a registry entry', () => {
    assert.equal(isExposed('lock.a', facts({ entry: entry('lock.a'), listed: true })), false);
    assert.equal(
      isExposed('lock.a', facts({ entry: entry('lock.a'), listed: true, exposeNew: false })),
      false
    );
    assert.equal(isExposed('light.a', facts({ entry: entry('light.a'), listed: false })), true);
  });

  it('ignores the defaults for an entity without a registry entry, whether new entities are exposed or not', () => {
    for (const exposeNew of [true, false]) {
      assert.equal(isExposed('light.l', facts({ exposeNew, listed: false })), false);
      assert.equal(isExposed('lock.l', facts({ exposeNew, listed: true })), true);
    }
  });
});
