/**
 * The pure parts of the config tools (tools/config-entries.ts, tools/search-integrations.ts): short entry
 * ids and how they resolve, the reasons and their translations, the ranking of the integration catalogue.
 * Every expected value was recorded by calling HA 2026.11's own functions (components/config/llm.py,
 * helpers/translation.py) in the pinned Python with the same inputs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConfigEntry, IntegrationDescriptions } from '../../server/src/ha/config-entry-commands.js';
import {
  entryItem,
  entryReason,
  exceptionMessage,
  formatNamed,
  resolveShortEntryId,
  shortEntryIds,
  STATUS_STATES,
} from '../../server/src/llm/homeassistant/tools/config-entries.js';
import { rankIntegrations } from '../../server/src/llm/homeassistant/tools/search-integrations.js';

function entry(domain: string, entryId: string, fields: Partial<ConfigEntry> = {}): ConfigEntry {
  return {
    entry_id: entryId,
    domain,
    title: 'T',
    source: 'user',
    state: 'setup_retry',
    disabled_by: null,
    reason: null,
    error_reason_translation_domain: null,
    error_reason_translation_key: null,
    error_reason_translation_placeholders: null,
    ...fields,
  };
}

const shortIds = (entries: [string, string][]) =>
  Object.fromEntries(shortEntryIds(entries.map(([domain, id]) => entry(domain, id))));

describe('short entry ids', () => {
  it('are the domain and the last four characters of the id', () => {
    assert.deepEqual(
      shortIds([
        ['hue', '01AAAA1234'],
        ['sun', '01BBBB5678'],
      ]),
      { '01AAAA1234': 'hue:1234', '01BBBB5678': 'sun:5678' }
    );
    assert.deepEqual(shortIds([['x', 'ab']]), { ab: 'x:ab' });
  });

  it('grow, within a domain, until entries that share their last four differ', () => {
    assert.deepEqual(
      shortIds([
        ['hue', '01AAAAX1234'],
        ['hue', '01BBBBY1234'],
        ['hue', '01CCCCZ9999'],
      ]),
      { '01AAAAX1234': 'hue:X1234', '01BBBBY1234': 'hue:Y1234', '01CCCCZ9999': 'hue:9999' }
    );
    assert.deepEqual(
      shortIds([
        ['hue', '0AZ1234'],
        ['hue', '0BZ1234'],
        ['sun', '0CZ1234'],
      ]),
      { '0AZ1234': 'hue:AZ1234', '0BZ1234': 'hue:BZ1234', '0CZ1234': 'sun:1234' }
    );
    assert.deepEqual(
      shortIds([
        ['mqtt', 'abcd'],
        ['mqtt', 'xabcd'],
      ]),
      { abcd: 'mqtt:abcd', xabcd: 'mqtt:xabcd' }
    );
  });

  it('resolve as HA resolves them: domain in any case, the end of the id exactly, one entry only', () => {
    const entries = [
      entry('hue', '01AAAA1234'),
      entry('hue', '01BBBB1234'),
      entry('sun', '01CCCC5678'),
      entry('sun', 'X:Y:ABCD'),
    ];
    const cases: Record<string, string | undefined> = {
      'hue:1234': undefined, // two entries end so
      'hue:A1234': '01AAAA1234',
      'HUE:A1234': '01AAAA1234',
      'hue:a1234': undefined,
      'sun:5678': '01CCCC5678',
      'sun:678': undefined,
      sun: undefined,
      '  :5678': undefined,
      ':5678': undefined,
      'sun:CC5678': '01CCCC5678',
      'sun:Y:ABCD': 'X:Y:ABCD',
      'sun:01CCCC5678': '01CCCC5678',
      'Sun:5678': '01CCCC5678',
      'sún:5678': undefined,
    };
    for (const [shortId, expected] of Object.entries(cases)) {
      assert.equal(resolveShortEntryId(entries, shortId)?.entry_id, expected, shortId);
    }
  });
});

describe('reasons', () => {
  const translations = {
    'component.demo.exceptions.plain.message': 'Could not connect.',
    'component.demo.exceptions.dots.message': 'Wait...',
    'component.demo.exceptions.ph.message': 'Path {path} not found.',
    'component.demo.exceptions.two.message': '{a} and {b}',
    'component.demo.exceptions.braces.message': 'Use {{literal}} for {name}.',
    'component.demo.exceptions.empty.message': '',
    'component.demo.exceptions.esc.message': 'Literal {{b}}',
    'component.other.exceptions.x.message': 'From other',
  };

  it('are translated as HA translates an exception: no trailing dots, placeholders filled in', () => {
    const cases: [string, string, Record<string, unknown> | null, string][] = [
      ['demo', 'plain', null, 'Could not connect'],
      ['demo', 'dots', null, 'Wait'],
      ['demo', 'ph', { path: '/tmp' }, 'Path /tmp not found'],
      ['demo', 'ph', null, 'Path {path} not found'],
      ['demo', 'ph', {}, 'Path {path} not found'],
      ['demo', 'ph', { other: 'x' }, 'Path {path} not found'],
      ['demo', 'two', { a: '1', b: '2', c: '3' }, '1 and 2'],
      ['demo', 'braces', { name: 'N' }, 'Use {literal} for N'],
      ['demo', 'braces', null, 'Use {{literal}} for {name}'],
      ['demo', 'empty', null, ''],
      ['demo', 'esc', {}, 'Literal {{b}}'],
      ['demo', 'esc', { x: '1' }, 'Literal {b}'],
      ['demo', 'empty', { a: 'b' }, ''],
      ['demo', 'missing', null, 'missing'],
      ['other', 'x', null, 'From other'],
      ['demo', 'ph', { path: 5 }, 'Path 5 not found'],
      ['demo', 'ph', { path: true }, 'Path True not found'],
    ];
    for (const [domain, key, placeholders, expected] of cases) {
      assert.equal(exceptionMessage(translations, domain, key, placeholders), expected, `${domain} ${key}`);
    }
  });

  it('fail on a malformed text as Python’s str.format does', () => {
    assert.throws(() => formatNamed('a } b', { a: '1' }), /^Error: Single '}' encountered in format string$/);
    assert.throws(() => formatNamed('a {b', { b: '1' }), /^Error: expected '}' before end of string$/);
    assert.throws(() => formatNamed('{} {0}', { a: '1' }), /Replacement index 0 out of range/);
  });

  it('fall back to the entry’s own reason, then to the key, as HA does', () => {
    const cases: [Partial<ConfigEntry>, string | null][] = [
      [{}, null],
      [{ reason: 'Own words' }, 'Own words'],
      [{ reason: '' }, ''],
      [{ error_reason_translation_key: 'plain', reason: 'Own' }, 'Could not connect'],
      [{ error_reason_translation_key: 'missing', reason: 'Own' }, 'Own'],
      [{ error_reason_translation_key: 'missing' }, 'missing'],
      [{ error_reason_translation_key: 'missing', reason: '' }, 'missing'],
      [{ error_reason_translation_key: 'x', error_reason_translation_domain: 'other' }, 'From other'],
      [{ error_reason_translation_key: 'x', error_reason_translation_domain: '' }, 'x'],
      [{ error_reason_translation_key: '', reason: 'R' }, 'R'],
      [
        {
          error_reason_translation_key: 'ph',
          error_reason_translation_placeholders: { path: '/config/dl' },
        },
        'Path /config/dl not found',
      ],
      [{ error_reason_translation_key: 'empty', reason: 'R' }, ''],
    ];
    for (const [fields, expected] of cases) {
      assert.equal(
        entryReason(entry('demo', '01XXXX', fields), translations),
        expected,
        JSON.stringify(fields)
      );
    }
  });
});

describe('entries as listed', () => {
  it('say disabled_by when disabled, source only when ignored, and a reason when there is one', () => {
    assert.deepEqual(entryItem(entry('hue', '01A', { state: 'loaded' }), 'hue:01A', null), {
      entry_id: 'hue:01A',
      domain: 'hue',
      title: 'T',
      state: 'loaded',
    });
    const parked = entry('hue', '01A', { state: 'not_loaded', disabled_by: 'user', source: 'ignore' });
    assert.deepEqual(Object.keys(entryItem(parked, 'hue:01A', '')), [
      'entry_id',
      'domain',
      'title',
      'state',
      'disabled_by',
      'source',
      'reason',
    ]);
  });

  it('fall in HA’s three status groups', () => {
    assert.deepEqual(
      Object.fromEntries(
        Object.entries(STATUS_STATES).map(([status, states]) => [status, [...states].sort()])
      ),
      {
        loaded: ['loaded'],
        error: ['failed_unload', 'migration_error', 'setup_error', 'setup_retry'],
        not_loaded: ['not_loaded', 'setup_in_progress', 'unload_in_progress'],
      }
    );
  });
});

describe('searching the integration catalogue', () => {
  const catalogue: IntegrationDescriptions = {
    core: {
      integration: {
        hue: { integration_type: 'hub', config_flow: true, name: 'Philips Hue' },
        philips: {
          name: 'Philips',
          integrations: {
            hue: { integration_type: 'hub', config_flow: true, name: 'Philips Hue' },
            dynalite: { integration_type: 'hub', config_flow: true, name: 'Philips Dynalite' },
            philips_js: { integration_type: 'device', config_flow: true, name: 'Philips TV' },
          },
        },
        nobrandname: {
          integrations: { zeta: { integration_type: 'device', config_flow: true, name: 'Zeta Box' } },
        },
        aqara: { name: 'Aqara', iot_standards: ['zigbee'] },
        yamlonly: { integration_type: 'hub', config_flow: false, name: 'Philips YAML' },
        strasse: { integration_type: 'service', config_flow: true, name: 'Straßenbahn' },
        sun: { integration_type: 'service', config_flow: true },
        notitle: { integration_type: 'service', config_flow: true },
        emptyname: { integration_type: 'service', config_flow: true, name: '' },
        Upper: { integration_type: 'service', config_flow: true, name: 'upper thing' },
        upper2: { integration_type: 'service', config_flow: true, name: 'Upper thing' },
      },
      helper: {
        derivative: { integration_type: 'helper', config_flow: true },
        counter: { integration_type: 'helper', config_flow: false },
        sun_helper: { integration_type: 'helper', config_flow: true, name: 'Sun helper' },
      },
      translated_name: ['sun', 'derivative', 'notitle', 'emptyname'],
    },
    custom: {
      integration: { sunny: { integration_type: 'hub', config_flow: true, name: 'Sunny custom' } },
      helper: {},
    },
  };
  const titles = {
    'component.sun.title': 'Sun',
    'component.derivative.title': 'Derivative sensor',
    'component.emptyname.title': 'Empty named',
  };
  const domains = (query: string, type?: 'integration' | 'helper') =>
    rankIntegrations(query, catalogue, titles, type).map((m) => `${m.domain}=${m.name}`);

  it('ranks as HA does: domain or name equal, brand equal, domain or name holding it, brand holding it', () => {
    assert.deepEqual(domains('hue'), ['hue=Philips Hue', 'hue=Philips Hue']);
    assert.deepEqual(domains('philips'), [
      'dynalite=Philips Dynalite',
      'hue=Philips Hue',
      'philips_js=Philips TV',
      'hue=Philips Hue',
    ]);
    assert.deepEqual(domains('philips', 'integration'), domains('philips'));
    assert.deepEqual(domains('philips', 'helper'), []);
    assert.deepEqual(domains('sun'), ['sun=Sun', 'sun_helper=Sun helper', 'sunny=Sunny custom']);
    assert.deepEqual(domains('sun', 'helper'), ['sun_helper=Sun helper']);
    assert.deepEqual(domains('sun', 'integration'), ['sun=Sun', 'sunny=Sunny custom']);
    assert.deepEqual(domains('nobrandname'), ['zeta=Zeta Box']);
    assert.deepEqual(domains('zeta'), ['zeta=Zeta Box']);
    assert.deepEqual(domains('upper'), ['Upper=upper thing', 'upper2=Upper thing']);
    assert.deepEqual(domains('i'), [
      'derivative=Derivative sensor',
      'notitle=notitle',
      'dynalite=Philips Dynalite',
      'hue=Philips Hue',
      'hue=Philips Hue',
      'philips_js=Philips TV',
      'Upper=upper thing',
      'upper2=Upper thing',
    ]);
  });

  it('names an integration by its translated title, else its domain, and skips what no config flow sets up', () => {
    assert.deepEqual(domains('der'), ['derivative=Derivative sensor']);
    assert.deepEqual(domains('notitle'), ['notitle=notitle']);
    assert.deepEqual(domains('empty'), ['emptyname=Empty named']);
    assert.deepEqual(domains('yaml'), []);
    assert.deepEqual(domains('aqara'), []);
  });

  it('takes a case-folded query (ß is ss)', () => {
    assert.deepEqual(domains('ss'), ['strasse=Straßenbahn']);
    assert.deepEqual(domains('strasse'), ['strasse=Straßenbahn']);
  });

  it('gives the best 15, by name as Python orders text', () => {
    const many: IntegrationDescriptions = {
      core: {
        integration: Object.fromEntries(
          Array.from({ length: 20 }, (_, i) => [
            `dom${String(i).padStart(2, '0')}`,
            { integration_type: 'hub', config_flow: true, name: `Item ${20 - i}` },
          ])
        ),
        helper: {},
        translated_name: [],
      },
      custom: { integration: {}, helper: {} },
    };
    assert.deepEqual(
      rankIntegrations('item', many, {}).map((m) => m.name),
      [1, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 2, 20, 3, 4].map((n) => `Item ${n}`)
    );
  });
});
