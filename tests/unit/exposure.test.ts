import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exposedByDefault, isExposed, type ExposureFacts } from '../../server/src/ha/exposure.js';
import type { EntityState, RegistryEntry } from '../../server/src/ha/types.js';
import { registryEntry as entry } from '../helpers/registry-entry.js';

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
});
