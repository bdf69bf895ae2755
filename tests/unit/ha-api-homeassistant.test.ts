/**
 * The pure parts of the homeassistant integration's tools in the "Home Assistant" API: Python's string
 * semantics (casefold, whitespace, length), the action search (matching, ranking, the first 3, the `more`
 * text, the 16 KiB selector rule), and call_action's script-step values (templates, entity IDs, exclude
 * blocks, HA's error texts). Expected values are the pinned HA 2026.11's (Python 3.14) outputs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ActionDescriptions } from '../../server/src/ha/action-commands.js';
import { HaRefusedError } from '../../server/src/ha/errors.js';
import { callFailure, stepError } from '../../server/src/llm/homeassistant/tools/call-action.js';
import {
  casefold,
  codePoints,
  pythonSplit,
  pythonStrip,
} from '../../server/src/llm/homeassistant/tools/python-text.js';
import {
  compEntityIdsOrUuids,
  excludeBlock,
  pythonStrOf,
  renderComplex,
  templatesIn,
  UnhashableKey,
} from '../../server/src/llm/homeassistant/tools/script-values.js';
import { describeAction, searchActions } from '../../server/src/llm/homeassistant/tools/search-actions.js';

describe('Python string semantics', () => {
  it('casefolds as Python 3.14 does: full folding where lower-casing keeps a character', () => {
    const cases: [string, string][] = [
      ['Straße', 'strasse'],
      ['\u1e9e', 'ss'],
      ['ΣΑΣ', 'σασ'], // no final sigma: folding is not context-sensitive
      ['\ufb01', 'fi'],
      ['\u1f88', '\u1f00\u03b9'],
      ['\u13a0', '\u13a0'], // Cherokee folds to its capitals
      ['\uab70', '\u13a0'],
      ['\u017f', 's'],
      ['\u00b5', '\u03bc'],
      ['\u0130', 'i\u0307'],
      ['\u0149', '\u02bcn'],
      ['\u0390', '\u03b9\u0308\u0301'],
      ['\u01c4', '\u01c6'],
      ['Light TURN_ON', 'light turn_on'],
    ];
    for (const [text, folded] of cases) assert.equal(casefold(text), folded, text);
  });

  it('strips and splits on Python’s whitespace, and counts code points', () => {
    assert.deepEqual(pythonSplit('\x1c a \u3000 b\x85 '), ['a', 'b']);
    assert.deepEqual(pythonSplit('   '), []);
    assert.equal(pythonStrip(' \x1c a \x85'), 'a');
    assert.equal(pythonStrip('\ufeffa'), '\ufeffa'); // not whitespace to Python
    assert.equal(codePoints('😀a'), 2);
  });
});

const descriptions: ActionDescriptions = {
  light: {
    turn_on: {
      fields: {
        brightness_pct: { selector: { number: { min: 0, max: 100 } } },
        advanced_fields: {
          collapsed: true,
          fields: { flash: { required: true, selector: { select: { options: ['short', 'long'] } } } },
        },
      },
      target: { entity: [{ domain: ['light'] }] },
    },
    turn_off: { fields: {}, target: null },
  },
  script: {
    wake_up: { name: 'Wake up', description: 'Turns on the bedroom light slowly.', fields: {} },
  },
  notify: {
    send_message: {
      name: 'Send a message',
      description: 'Sends a message to {where}.',
      fields: { message: { description: '', required: false } },
      description_placeholders: { where: 'a phone' },
    },
  },
};
const translations = {
  'component.light.services.turn_on.name': 'Turn on light',
  'component.light.services.turn_on.description': 'Turns on one or more lights.',
  'component.light.services.turn_on.fields.brightness_pct.description': 'Brightness in percent.',
  'component.light.services.turn_off.name': 'Turn off light',
  'component.light.services.turn_off.description': 'Turns off one or more lights.',
  'component.notify.services.send_message.fields.message.description': 'What to say on {where}.',
};

describe('search_actions', () => {
  it('describes an action from its own texts, else its translations, with sections’ fields inlined', () => {
    assert.deepEqual(describeAction('light.turn_on', descriptions.light!.turn_on!, translations), {
      action: 'light.turn_on',
      name: 'Turn on light',
      description: 'Turns on one or more lights.',
      fields: {
        brightness_pct: { description: 'Brightness in percent.', selector: { number: { min: 0, max: 100 } } },
        flash: { required: true, selector: { select: { options: ['short', 'long'] } } },
      },
      target: { entity: [{ domain: ['light'] }] },
    });
    // A target of null accepts anything: {}. No target key, no target.
    assert.deepEqual(
      describeAction('light.turn_off', descriptions.light!.turn_off!, translations).target,
      {}
    );
    assert.equal('target' in describeAction('script.wake_up', descriptions.script!.wake_up!, {}), false);
    // Placeholders fill every text; an empty own text gives way to the translation.
    const notify = describeAction('notify.send_message', descriptions.notify!.send_message!, translations);
    assert.equal(notify.description, 'Sends a message to a phone.');
    assert.deepEqual(notify.fields, { message: { description: 'What to say on a phone.' } });
  });

  it('ranks exact IDs and names first, then matches in ID and name, then in descriptions, by ID', () => {
    const ids = (query: string) =>
      searchActions(query, descriptions, translations).actions.map((a) => a.action);
    assert.deepEqual(ids('light'), ['light.turn_off', 'light.turn_on', 'script.wake_up']);
    // 'on' is in 'one' and 'turns on': the other two match in their descriptions only.
    assert.deepEqual(ids('Turn_On Light'), ['light.turn_on', 'light.turn_off', 'script.wake_up']);
    assert.deepEqual(ids('  TURN ON LIGHT '), ['light.turn_on', 'light.turn_off', 'script.wake_up']);
    assert.deepEqual(ids('light.turn_on'), ['light.turn_on', 'light.turn_off']);
    assert.deepEqual(ids('off'), ['light.turn_off']);
    assert.deepEqual(ids('wake up'), ['script.wake_up']); // the exact name ranks 0
    assert.deepEqual(ids('nothing like this'), []);
    assert.deepEqual(searchActions('xyz', descriptions, translations), { actions: [] });
  });

  it('gives the first 3 and says how many match in all', () => {
    const found = searchActions('   ', descriptions, translations);
    assert.equal(found.actions.length, 3);
    assert.equal(found.more, '4 actions match. Use a more specific query to find the others.');
    assert.equal(searchActions('light', descriptions, translations).more, undefined);
  });

  it('leaves out the selectors of an action longer than 16 KiB in compact JSON, and says so', () => {
    const options = (n: number) => Array.from({ length: n }, (_, i) => `option ${i}`);
    const big = (n: number): ActionDescriptions => ({
      select: {
        pick: {
          name: 'Pick',
          description: 'Picks.',
          fields: { option: { selector: { select: { options: options(n) } } } },
        },
      },
    });
    const size = (n: number) =>
      JSON.stringify({
        action: 'select.pick',
        name: 'Pick',
        description: 'Picks.',
        fields: { option: { selector: { select: { options: options(n) } } } },
      }).length;
    let n = 1;
    while (size(n + 1) <= 16384) n++;
    assert.deepEqual(searchActions('pick', big(n), {}).actions[0]!.fields.option!.selector, {
      select: { options: options(n) },
    });
    const cut = searchActions('pick', big(n + 1), {}).actions[0]!;
    assert.deepEqual(cut.fields, { option: {} });
    assert.equal(cut.note, 'The selectors of the fields are left out to save space.');
    assert.deepEqual(Object.keys(cut), ['action', 'name', 'description', 'fields', 'note']);
  });
});

describe('call_action script-step values', () => {
  it('finds templates in HA’s order: list items, each key before its value', () => {
    const step = {
      action: 'a.b',
      data: { '{{ k }}': ['x', '{{ v }}', { '{% if y %}': '{# c #}' }] },
      target: { area_id: '{{ a }}' },
    };
    assert.deepEqual([...templatesIn(step)], ['{{ k }}', '{{ v }}', '{% if y %}', '{# c #}', '{{ a }}']);
    assert.deepEqual([...templatesIn({ plain: '{ not a template }' })], []);
  });

  it('renders a structure of templates, refusing a list or dict where a key must be', () => {
    const values: Record<string, unknown> = { '{{ k }}': 'key', '{{ v }}': [1, 2], '{{ d }}': { x: 1 } };
    const rendered = (t: string) => values[t];
    assert.deepEqual(renderComplex({ '{{ k }}': '{{ v }}', n: 5, s: 'plain' }, rendered), {
      key: [1, 2],
      n: 5,
      s: 'plain',
    });
    assert.throws(() => renderComplex({ '{{ v }}': 1 }, rendered), UnhashableKey);
    assert.throws(() => renderComplex({ '{{ d }}': 1 }, rendered), UnhashableKey);
  });

  it('reads entity IDs as cv.comp_entity_ids_or_uuids does', () => {
    assert.equal(compEntityIdsOrUuids('ALL'), 'all');
    assert.equal(compEntityIdsOrUuids('none'), 'none');
    assert.deepEqual(compEntityIdsOrUuids('Light.A, light.b'), ['light.a', 'light.b']);
    assert.deepEqual(compEntityIdsOrUuids(['light.a', '0123456789abcdef0123456789abcdef']), [
      'light.a',
      '0123456789abcdef0123456789abcdef',
    ]);
    assert.deepEqual(compEntityIdsOrUuids([]), []);
    for (const bad of [
      '',
      'not valid',
      ['light.a', 5],
      5,
      null,
      ['0123456789ABCDEF0123456789ABCDEF'],
      [['x']],
    ]) {
      assert.equal(compEntityIdsOrUuids(bad), undefined, JSON.stringify(bad));
    }
  });

  it('checks a rendered exclude block as cv.TARGET_EXCLUDE_SCHEMA does', () => {
    assert.deepEqual(excludeBlock({ entity_id: 'light.a', area_id: null }), {
      entity_id: ['light.a'],
      area_id: [],
    });
    for (const bad of [
      { entity_id: 'Light.A' },
      { entity_id: 'bad id' },
      { device_id: [5] },
      { foo: [] },
      'x',
      [],
    ]) {
      assert.equal(excludeBlock(bad), undefined, JSON.stringify(bad));
    }
  });

  it('prints values as Python’s str() does in HA’s messages', () => {
    assert.equal(pythonStrOf('not valid'), 'not valid');
    assert.equal(pythonStrOf(5), '5');
    assert.equal(
      pythonStrOf(['a', 5, 1.5, null, true, { k: 'v' }, "it's", 'x\ny', 1e-7]),
      `['a', 5, 1.5, None, True, {'k': 'v'}, "it's", 'x\\ny', 1e-07]`
    );
  });

  it('reports validate_config’s text with the path HA’s tool has (one step, not a list of them)', () => {
    assert.equal(stepError("not a valid option at '[0].target.foo'"), "not a valid option at 'target.foo'");
    assert.equal(
      stepError("template value should be a string at '[0].data'"),
      "template value should be a string at 'data'"
    );
    assert.equal(stepError("expected dictionary at '[0]'"), 'expected dictionary');
  });

  it('words a failed call as HA’s tool does', () => {
    const refused = (code: string, words: string) =>
      new HaRefusedError(`Home Assistant refused call_service: ${words}`, { command: 'call_service', code });
    const call = { domain: 'script', service: 'x' };
    assert.equal(callFailure(refused('service_validation_error', 'Validation error: Nope'), call), 'Nope');
    assert.equal(
      callFailure(refused('not_found', 'Service script.x not found.'), call),
      'Action script.x not found'
    );
    assert.equal(
      callFailure(
        refused('home_assistant_error', 'Service light.nope called service script.x which was not found.'),
        call
      ),
      'Action light.nope not found'
    );
    assert.equal(callFailure(refused('home_assistant_error', 'Something broke'), call), 'Something broke');
    assert.equal(callFailure(refused('invalid_format', "expected int at 'x'"), call), "expected int at 'x'");
  });
});
