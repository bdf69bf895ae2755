/**
 * The pure parts of `history__get_history` and `search__search` without a Home Assistant, against what the
 * pinned HA's Python answers (values recorded from it): the span and period HA's history tool picks and its
 * errors, Python's `%.6g` and `csv` as the CSV uses them, and how the search ranks, orders and pages what it
 * finds, which devices and aliases it reads.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Device, EntityState } from '../../server/src/ha/types.js';
import type { DeviceEntry } from '../../server/src/ha/search-commands.js';
import { planHistory, type HistoryPlan } from '../../server/src/llm/homeassistant/tools/history.js';
import { rank, searchPage, type SearchItem } from '../../server/src/llm/homeassistant/tools/search-rank.js';
import { searchItems, type SearchSources } from '../../server/src/llm/homeassistant/tools/search.js';
import { formatG6, pythonCsv } from '../../server/src/llm/homeassistant/tools/statistics-csv.js';
import { registryEntry } from '../support/registry-entry.js';

const ZONE = 'Europe/Amsterdam';
const S = 1_000_000n;
const HOUR = 3600n * S;
const DAY = 24n * HOUR;
/** 2026-11-30T11:00:00Z, as HA's `now`. */
const NOW = 1_796_036_400n * S;
const iso = (instant: bigint) => new Date(Number(instant / 1000n)).toISOString();

describe('history__get_history: the span and the period', () => {
  const plan = (args: Parameters<typeof planHistory>[0]) => planHistory(args, NOW, ZONE);

  it('spans the day before now unless told, in HA’s time zone where a time has no offset', () => {
    assert.deepEqual(plan({}), { start: NOW - DAY, end: NOW, period: 'hour', hourlyFallback: false });
    // Local midnight in Amsterdam (UTC+1 in November), and 24 hours before the end by default.
    const local = plan({ end_time: '2026-11-30' }) as HistoryPlan;
    assert.equal(iso(local.end), '2026-11-29T23:00:00.000Z');
    assert.equal(local.start, local.end - DAY);
    // A time the clock skips takes the offset from before the change (zoneinfo, fold=0).
    assert.equal(
      iso((plan({ end_time: '2026-03-29T02:30' }) as HistoryPlan).end),
      '2026-03-29T01:30:00.000Z'
    );
    assert.equal(
      iso((plan({ end_time: '2026-10-25T02:30' }) as HistoryPlan).end),
      '2026-10-25T00:30:00.000Z'
    );
  });

  it('answers HA’s errors for times it cannot read and for a span that does not run forward', () => {
    assert.deepEqual(plan({ end_time: 'tomorrow' }), { error: 'Invalid end_time' });
    assert.deepEqual(plan({ start_time: '2026-02-29' }), { error: 'Invalid start_time' });
    // The end is read first.
    assert.deepEqual(plan({ start_time: 'x', end_time: 'y' }), { error: 'Invalid end_time' });
    const error = { error: 'start_time must be before end_time' };
    assert.deepEqual(plan({ start_time: '2026-11-30T12:00+01:00', end_time: '2026-11-30T11:00Z' }), error);
    assert.deepEqual(plan({ start_time: '2026-11-30T12:00:00.000001', end_time: '2026-11-30T12:00' }), error);
  });

  it('picks the period by the span: 5 minutes up to 6 hours, then hours, days, weeks, months', () => {
    const period = (span: bigint) =>
      (plan({ start_time: iso(NOW - span), end_time: iso(NOW) }) as HistoryPlan).period;
    assert.equal(period(6n * HOUR), '5minute');
    assert.equal(period(6n * HOUR + 1000n), 'hour');
    assert.equal(period(2n * DAY), 'hour');
    assert.equal(period(2n * DAY + 1000n), 'day');
    assert.equal(period(62n * DAY), 'day');
    assert.equal(period(63n * DAY), 'week');
    assert.equal(period(366n * DAY), 'week');
    assert.equal(period(367n * DAY), 'month');
  });

  it('asks 5-minute rows only within the days they are kept, and falls back to hours only then', () => {
    const recent = plan({ start_time: iso(NOW - 10n * DAY), end_time: iso(NOW - 10n * DAY + HOUR) });
    assert.deepEqual(recent, {
      start: NOW - 10n * DAY,
      end: NOW - 10n * DAY + HOUR,
      period: '5minute',
      hourlyFallback: true,
    });
    const older = plan({ start_time: iso(NOW - 10n * DAY - 1000n), end_time: iso(NOW - 10n * DAY + HOUR) });
    assert.equal((older as HistoryPlan).period, 'hour');
    const asked = plan({ start_time: iso(NOW - HOUR), period: '5minute' });
    assert.equal((asked as HistoryPlan).hourlyFallback, false);
  });

  it('refuses more than 500 rows of the period, counting months as 28 days', () => {
    const rows = (period: 'hour' | 'month', span: bigint) =>
      plan({ start_time: iso(NOW - span), end_time: iso(NOW), period });
    assert.equal((rows('hour', 500n * HOUR) as HistoryPlan).period, 'hour');
    assert.deepEqual(rows('hour', 500n * HOUR + 1000n), {
      error: 'The time span has more than 500 hour rows. Use a longer period or a shorter time span.',
    });
    assert.equal((rows('month', 500n * 28n * DAY) as HistoryPlan).period, 'month');
    assert.deepEqual(rows('month', 500n * 28n * DAY + 1000n), {
      error: 'The time span has more than 500 month rows. Use a longer period or a shorter time span.',
    });
    assert.deepEqual(plan({ start_time: '1900-01-01' }), {
      error: 'The time span has more than 500 month rows. Use a longer period or a shorter time span.',
    });
  });
});

describe('history__get_history: the CSV', () => {
  it('writes numbers as Python’s %.6g does, ties to even', () => {
    // Recorded with f"{v:.6g}" in the pinned HA's Python.
    const golden: [number, string][] = [
      [0, '0'],
      [-0, '-0'],
      [1, '1'],
      [42.33333333, '42.3333'],
      [1234567, '1.23457e+06'],
      [1234565, '1.23456e+06'],
      [-1234565, '-1.23456e+06'],
      [12345.25, '12345.2'],
      [123456.5, '123456'],
      [999999.5, '1e+06'],
      [0.0001, '0.0001'],
      [0.00001, '1e-05'],
      [0.000123456789, '0.000123457'],
      [1e100, '1e+100'],
      [5e-324, '4.94066e-324'],
      [100000, '100000'],
      [1e16, '1e+16'],
      [123456789012345678, '1.23457e+17'],
      [9.999995, '10'],
      [99999.95, '99999.9'],
      [0.3, '0.3'],
      [NaN, 'nan'],
      [Infinity, 'inf'],
      [-Infinity, '-inf'],
    ];
    for (const [value, text] of golden) assert.equal(formatG6(value), text, String(value));
    assert.equal(formatG6(null), '');
    assert.equal(formatG6(undefined), '');
  });

  it('quotes a field only when Python’s csv module must', () => {
    assert.equal(
      pythonCsv([['start', 'mean'], ['a,b', 'c'], ['a"b'], ['a\nb'], ['a\rb'], [''], ['', ''], [' a'], []]),
      'start,mean\n"a,b",c\n"a""b"\n"a\nb"\n"a\rb"\n""\n,\n a\n\n'
    );
  });
});

describe('search__search: ranking and pages', () => {
  const none = () => [];

  it('ranks an exact name, an exact alias, part of a name, then part of an alias or another field', () => {
    assert.equal(rank('kitchen', ['Kitchen'], none, []), 0);
    assert.equal(
      rank('kitchen', ['Kitchen Lights'], () => ['KITCHEN'], []),
      1
    );
    assert.equal(
      rank('kitchen', ['Kitchen Lights'], () => ['Cooking'], []),
      2
    );
    assert.equal(
      rank('kitchen', ['Lights'], () => ['kitchen lamp'], []),
      3
    );
    assert.equal(rank('kitchen', ['Lights'], none, ['light.kitchen']), 3);
    assert.equal(rank('kitchen', ['Lights'], none, ['light.hall']), undefined);
    // Python's casefold: ß is ss.
    assert.equal(rank('strasse', ['Straße'], none, []), 0);
    // Aliases are only read when no name matched exactly.
    assert.equal(
      rank('a', ['A'], () => assert.fail('aliases read'), []),
      0
    );
  });

  it('orders by rank, then folded name and ID by code point, and pages by five', () => {
    const item = (id: string, name: string | null, names = name ? [name] : []): SearchItem => ({
      id,
      name,
      names,
      aliases: none,
      other: [id],
    });
    const items = [
      item('z', 'Lamp b'),
      item('y', 'lamp A'),
      item('x', 'lamp a'),
      item('w', '\u{1F4A1} lamp'),
      item('v', '\uFF4C lamp'),
      item('10', 'Lamp'),
      item('lamp.u', null),
      item('lamp.t', 'Other'),
      item('s', 'Nothing'),
    ];
    const first = searchPage(items, 'lamp', 0);
    assert.equal(first.total, 8);
    assert.deepEqual(first.results, [
      ['10', 'Lamp'],
      ['x', 'lamp a'],
      ['y', 'lamp A'],
      ['z', 'Lamp b'],
      ['v', '\uFF4C lamp'],
    ]);
    // Python compares code points: U+1F4A1 sorts after U+FF4C, where UTF-16 units would put it first; a
    // missing name sorts as "".
    assert.deepEqual(searchPage(items, 'lamp', 5).results, [
      ['w', '\u{1F4A1} lamp'],
      ['lamp.u', null],
      ['lamp.t', 'Other'],
    ]);
    assert.deepEqual(searchPage(items, 'lamp', 99), { total: 8, results: [] });
  });
});

describe('search__search: what it reads', () => {
  const device = (id: string, fields: Partial<DeviceEntry> = {}): DeviceEntry => ({
    id,
    name: null,
    name_by_user: null,
    area_id: null,
    disabled_by: null,
    parent_device_id: null,
    model: null,
    manufacturer: null,
    ...fields,
  });
  const state = (entityId: string, friendlyName?: string): EntityState => ({
    entity_id: entityId,
    state: 'on',
    attributes: friendlyName === undefined ? {} : { friendly_name: friendlyName },
    last_changed: '',
    last_updated: '',
  });
  const sources = (fields: Partial<SearchSources>): SearchSources => ({
    states: [],
    entries: {},
    devices: [],
    areas: [],
    labels: [],
    ...fields,
  });

  it('lists enabled devices and child devices, by the owner’s name, with model and manufacturer', () => {
    const items = searchItems(
      'device',
      sources({
        devices: [
          device('a', { name: 'Hub', name_by_user: 'Main hub', model: 'H1', manufacturer: 'Acme' }),
          device('b', { name: 'Off', disabled_by: 'user' }),
          device('c', { name: 'Port 1', parent_device_id: 'a', model: 'ignored' }),
          device('d', { name: null }),
        ],
      })
    );
    assert.deepEqual(
      items.map(({ id, name, names, other }) => ({ id, name, names, other })),
      [
        { id: 'a', name: 'Main hub', names: ['Main hub', 'Hub'], other: ['H1', 'Acme'] },
        { id: 'c', name: 'Port 1', names: ['Port 1'], other: [] },
        { id: 'd', name: null, names: [], other: [] },
      ]
    );
  });

  it('lists entities by state name, with registry aliases where null is the computed full name', () => {
    const devices: Device[] = [{ id: 'dev', name: 'Kitchen', name_by_user: null, area_id: null }];
    const src = sources({
      states: [
        state('light.kitchen_ceiling'),
        state('lock.back_door', 'Back Door'),
        state('script.good_night', 'Good night'),
      ],
      entries: {
        'light.kitchen_ceiling': registryEntry('light.kitchen_ceiling', {
          device_id: 'dev',
          next_name_part: 'device',
          original_name: 'Ceiling',
          aliases: [null, ' spot '],
        }),
        'lock.back_door': null,
        'script.good_night': registryEntry('script.good_night', { aliases: ['bedtime'] }),
      },
      devices: devices as DeviceEntry[],
    });
    const entities = searchItems('entity', src);
    assert.deepEqual(
      entities.map(({ id, name, names, other }) => ({ id, name, names, other, aliases: [] })),
      [
        {
          id: 'light.kitchen_ceiling',
          name: 'kitchen ceiling',
          names: ['kitchen ceiling'],
          other: ['light.kitchen_ceiling'],
          aliases: [],
        },
        {
          id: 'lock.back_door',
          name: 'Back Door',
          names: ['Back Door'],
          other: ['lock.back_door'],
          aliases: [],
        },
      ]
    );
    assert.deepEqual(entities[0]!.aliases(), ['Kitchen Ceiling', 'spot']);
    assert.deepEqual(entities[1]!.aliases(), []);
    assert.deepEqual(
      searchItems('script', src).map((item) => [item.id, item.aliases()]),
      [['script.good_night', ['bedtime']]]
    );
    assert.deepEqual(searchItems('scene', src), []);
  });

  it('lists areas with their aliases, and labels', () => {
    const src = sources({
      areas: [{ area_id: '10', name: '10', aliases: ['Loft'] }],
      labels: [{ label_id: 'energy', name: 'Energy saver' }],
    });
    assert.deepEqual(searchItems('area', src)[0]!.aliases(), ['Loft']);
    assert.deepEqual(
      searchItems('label', src).map(({ id, name, names }) => [id, name, names]),
      [['energy', 'Energy saver', ['Energy saver']]]
    );
  });
});
