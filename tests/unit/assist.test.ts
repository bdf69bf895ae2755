import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { offeredIntents } from '../../server/src/llm/assist/catalogue.js';
import {
  liveContext,
  localIso,
  NO_ENTITIES_MESSAGE,
  roundHalfEven,
} from '../../server/src/llm/assist/live-context.js';
import { assistPrompt } from '../../server/src/llm/assist/prompt.js';
import { pythonJson } from '../../server/src/llm/assist/python-json.js';
import { scriptSchema } from '../../server/src/llm/assist/script-schema.js';
import { validateArguments } from '../../server/src/llm/assist/validate.js';
import type { Area, ResolvedEntity } from '../../server/src/ha/types.js';

const living: Area = {
  area_id: 'living',
  name: 'Living Room',
  aliases: ['sitting room', 'lounge'],
  floor_id: null,
};
const attic: Area = { area_id: 'attic', name: 'Attic', aliases: [], floor_id: null };

function entity(entityId: string, fields: Partial<ResolvedEntity> = {}): ResolvedEntity {
  return {
    entity_id: entityId,
    domain: entityId.split('.')[0]!,
    names: [entityId.split('.')[1]!.replace(/_/g, ' ')],
    state: 'on',
    attributes: { friendly_name: entityId.split('.')[1] },
    last_changed: '',
    area: undefined,
    floor: undefined,
    device_id: undefined,
    exposed: true,
    ...fields,
  };
}

const options = { timeZone: 'Europe/Amsterdam', areas: [living, attic] };
const yamlOf = (text: string) => parse(text.slice(text.indexOf('\n') + 1));

describe('live context', () => {
  const home = [
    entity('light.lamp', {
      names: ['Lamp', 'reading lamp'],
      area: living,
      attributes: { friendly_name: 'Lamp', brightness: 128, supported_color_modes: ['hs'] },
    }),
    entity('sensor.temp', {
      names: ['Temp'],
      state: '21.456',
      attributes: { friendly_name: 'Temp', unit_of_measurement: '°C', device_class: 'temperature' },
    }),
    entity('sensor.next_alarm', {
      names: ['Alarm'],
      state: '2026-01-10T06:30:00+00:00',
      attributes: { friendly_name: 'Alarm', device_class: 'timestamp' },
    }),
    entity('script.hidden_from_context', { attributes: { friendly_name: 'Zzz' } }),
    entity('lock.secret', { exposed: false, names: ['Secret'], attributes: { friendly_name: 'Secret' } }),
  ];

  it('lists exposed entities (not scripts or calendars) sorted by friendly name, with areas and a few attributes', () => {
    const result = liveContext(
      home,
      {},
      { ...options, precision: (id) => (id === 'sensor.temp' ? 1 : undefined) }
    );
    assert.ok(result.ok);
    assert.deepEqual(yamlOf(result.text), [
      {
        names: 'Alarm',
        domain: 'sensor',
        state: '2026-01-10T07:30:00+01:00',
        attributes: { device_class: 'timestamp' },
      },
      {
        names: 'Lamp, reading lamp',
        domain: 'light',
        state: 'on',
        areas: 'Living Room, lounge, sitting room',
        attributes: { brightness: '128', brightness_pct: '50' },
      },
      {
        names: 'Temp',
        domain: 'sensor',
        state: '21.5',
        attributes: { unit_of_measurement: '°C', device_class: 'temperature' },
      },
    ]);
    assert.doesNotMatch(result.text, /Secret|Zzz/);
  });

  it('writes YAML as HA does: states like on/off quoted, numbers as text quoted', () => {
    const result = liveContext([entity('switch.a', { state: 'off' })], {}, options);
    assert.ok(result.ok);
    assert.match(result.text, /state: 'off'/);
  });

  it('filters by name, alias, domain and area, and says why nothing matched', () => {
    const names = (args: object) => {
      const r = liveContext(home, args, options);
      return r.ok ? (yamlOf(r.text) as { names: string }[]).map((e) => e.names) : r.error;
    };
    assert.deepEqual(names({ name: 'READING LAMP' }), ['Lamp, reading lamp']);
    assert.deepEqual(names({ domain: ['sensor'] }), ['Alarm', 'Temp']);
    assert.deepEqual(names({ area: 'lounge' }), ['Lamp, reading lamp']);
    assert.equal(names({ area: 'Nowhere' }), "Area 'Nowhere' does not exist");
    assert.equal(names({ area: 'Attic' }), "No exposed entities found in area 'Attic'");
    assert.equal(names({ name: 'Secret' }), "No exposed entities matched name 'Secret'");
    assert.equal(names({ domain: ['lock', 'fan'] }), 'No exposed entities found in domain(s): lock, fan');
  });

  it('tells the model to ask for exposure when nothing is exposed', () => {
    assert.deepEqual(liveContext([entity('light.x', { exposed: false })], {}, options), {
      ok: false,
      error: NO_ENTITIES_MESSAGE,
    });
  });

  it('rounds like Python and converts times to the home’s zone', () => {
    assert.deepEqual([0.5, 1.5, 2.5, 70.6].map(roundHalfEven), [0, 2, 2, 71]);
    assert.equal(localIso(new Date('2026-07-01T12:00:00Z'), 'Europe/Amsterdam'), '2026-07-01T14:00:00+02:00');
    assert.equal(localIso(new Date('2026-01-01T12:00:00Z'), 'America/New_York'), '2026-01-01T07:00:00-05:00');
  });
});

describe('intent catalogue', () => {
  it('offers an intent only when its domain has an exposed entity, generic ones always', () => {
    const names = (domains: string[]) => offeredIntents(new Set(domains)).map((i) => i.intent);
    assert.deepEqual(names([]), [
      'HassTurnOn',
      'HassTurnOff',
      'HassSetPosition',
      'HassStopMoving',
      'HassCancelAllTimers',
      'HassBroadcast',
    ]);
    assert.ok(names(['light']).includes('HassLightSet'));
    assert.ok(!names(['switch']).includes('HassLightSet'));
    assert.ok(names(['todo']).includes('HassListAddItem'));
  });
});

describe('tool arguments', () => {
  it('are checked against the schema with HA-style messages', () => {
    const schema = {
      type: 'object' as const,
      properties: { todo_list: { type: 'string', enum: ['Groceries', 'food list'] } },
      required: ['todo_list'],
    };
    assert.equal(validateArguments(schema, { todo_list: 'Groceries' }), undefined);
    assert.equal(
      validateArguments(schema, { todo_list: 'Nope' }),
      "value must be one of ['Groceries', 'food list'] at 'todo_list'"
    );
    assert.equal(validateArguments(schema, {}), "required key not provided @ data['todo_list']");
  });

  it('come from a script’s fields and selectors', () => {
    assert.deepEqual(
      scriptSchema({
        mood: {
          description: 'The mood.',
          required: true,
          selector: { select: { options: ['relax', { value: 'party', label: 'Party' }] } },
        },
        level: { name: 'Level', selector: { number: { min: 1, max: 10 } } },
        note: {},
      }),
      {
        type: 'object',
        properties: {
          mood: { type: 'string', enum: ['relax', 'party'], description: 'The mood.' },
          level: { type: 'number', minimum: 1, maximum: 10, description: 'Level' },
          note: { type: 'string', description: 'note' },
        },
        required: ['mood'],
      }
    );
  });
});

describe('tool results', () => {
  it('are JSON written as Python writes it', () => {
    assert.equal(
      pythonJson({ a: [1, 'é'], b: null, c: { d: true } }),
      '{"a": [1, "é"], "b": null, "c": {"d": true}}'
    );
  });
});

describe('prompt', () => {
  it('has the live-context guidance, the static context and the control guidance; or asks for exposure', () => {
    const text = assistPrompt({
      entities: [{ names: 'Lamp', domain: 'light', areas: 'Attic' }],
      liveContextTool: 'homeassistant__GetLiveContext',
      turnOnTool: 'intent__HassTurnOn',
      turnOffTool: 'intent__HassTurnOff',
    });
    assert.match(text, /call homeassistant__GetLiveContext/);
    assert.match(text, /Static Context[^\n]*\n- names: Lamp\n  domain: light\n  areas: Attic\n/);
    assert.match(text, /intent__HassTurnOn locks a lock and intent__HassTurnOff unlocks it/);
    assert.match(text, /Timers cannot be started/);
    const empty = assistPrompt({ entities: [], liveContextTool: 'x', turnOnTool: 'y', turnOffTool: 'z' });
    assert.ok(empty.startsWith(NO_ENTITIES_MESSAGE));
    assert.doesNotMatch(empty, /Static Context/);
  });
});
