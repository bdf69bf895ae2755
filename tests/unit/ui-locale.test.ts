/**
 * How the panel chooses its language and formats (ui/src/locale.ts), as HA's frontend does: the HA profile,
 * then HA's choice kept in the browser, then the browser's languages, then English; numbers and dates in
 * the user's own language and the profile's number and time formats.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { UserLocale } from '../../server/src/ha/user-locale.js';
import {
  ENGLISH,
  chooseLocale,
  formatAgo,
  formatDateTime,
  formatDuration,
  formatNumber,
  formatPercent,
  formatTime,
  matchLanguage,
  useLocale,
} from '../../ui/src/locale.js';

const profile = (language: string, more: Partial<UserLocale> = {}): UserLocale => ({
  language,
  numberFormat: 'language',
  timeFormat: 'language',
  ...more,
});

describe('the panel’s language', () => {
  it('matches a tag to a language the panel speaks, by its base language', () => {
    assert.equal(matchLanguage('de'), 'de');
    assert.equal(matchLanguage('de-CH'), 'de');
    assert.equal(matchLanguage('nl_BE'), 'nl');
    assert.equal(matchLanguage('ES-419'), 'es');
    assert.equal(matchLanguage('fr-CA'), 'fr');
    assert.equal(matchLanguage('en-GB'), 'en');
    assert.equal(matchLanguage('it'), undefined);
    assert.equal(matchLanguage('deu'), undefined);
    assert.equal(matchLanguage(''), undefined);
    assert.equal(matchLanguage(null), undefined);
  });

  it('takes the HA profile first, then HA’s choice in this browser, then the browser, then English', () => {
    const browser = ['nl-NL', 'en'];
    assert.equal(chooseLocale({ profile: profile('fr'), haSelected: 'de', browser }).language, 'fr');
    assert.equal(chooseLocale({ profile: null, haSelected: 'de', browser }).language, 'de');
    assert.equal(chooseLocale({ profile: null, haSelected: null, browser }).language, 'nl');
    assert.equal(chooseLocale({ profile: null, browser: [] }).language, 'en');
    // A language the panel has no words for passes to the next one, as far as the words go.
    assert.equal(chooseLocale({ profile: profile('it'), browser: ['es'] }).language, 'es');
    assert.equal(chooseLocale({ profile: profile('ja'), browser: ['zh'] }).language, 'en');
  });

  it('formats numbers and dates in the user’s own language, even one without words here', () => {
    const italian = chooseLocale({ profile: profile('it'), browser: ['en-US'] });
    assert.equal(italian.numbers, 'it');
    assert.equal(italian.dates, 'it');
    const swiss = chooseLocale({ profile: null, browser: ['de-CH'] });
    assert.deepEqual([swiss.language, swiss.numbers], ['de', 'de-CH']);
  });

  it('follows the profile’s number format as HA’s frontend does', () => {
    const numbersFor = (numberFormat: UserLocale['numberFormat']) =>
      chooseLocale({ profile: profile('en', { numberFormat }), browser: [] });
    assert.deepEqual(numbersFor('decimal_comma').numbers, ['de', 'es', 'it']);
    assert.deepEqual(numbersFor('comma_decimal').numbers, ['en-US', 'en']);
    assert.deepEqual(numbersFor('space_comma').numbers, ['fr', 'sv', 'cs']);
    assert.deepEqual(numbersFor('quote_decimal').numbers, ['de-CH']);
    assert.equal(numbersFor('system').numbers, undefined);
    assert.equal(numbersFor('language').numbers, 'en');
    assert.equal(numbersFor('none').grouping, false);
    assert.equal(numbersFor('language').grouping, true);
  });

  it('follows the profile’s 12 or 24 hour clock, and the browser’s under “system”', () => {
    const hour12For = (timeFormat: UserLocale['timeFormat'], browserHour12?: boolean) =>
      chooseLocale({ profile: profile('de', { timeFormat }), browser: [], browserHour12 }).hour12;
    assert.equal(hour12For('12'), true);
    assert.equal(hour12For('24'), false);
    assert.equal(hour12For('language'), undefined);
    assert.equal(hour12For('system', true), true);
  });
});

describe('the panel’s formatters', () => {
  afterEach(() => useLocale(ENGLISH));
  const at = (language: string, more: Partial<UserLocale> = {}) =>
    useLocale(chooseLocale({ profile: profile(language, more), browser: [] }));
  // 2026-12-01 14:05:09 in the machine's time zone.
  const moment = new Date(2026, 11, 1, 14, 5, 9).getTime();

  it('writes numbers as the language does', () => {
    at('de');
    assert.equal(formatNumber(1234567.5), '1.234.567,5');
    assert.equal(formatPercent(0.125).replace(/\s/g, ' '), '12,5 %');
    at('fr');
    assert.equal(formatNumber(1234.5).replace(/\s/g, ' '), '1 234,5');
    at('nl');
    assert.equal(formatNumber(1234.5), '1.234,5');
    at('en');
    assert.equal(formatNumber(1234.5), '1,234.5');
    at('en', { numberFormat: 'decimal_comma' });
    assert.equal(formatNumber(1234.5), '1.234,5');
    at('de', { numberFormat: 'none' });
    assert.equal(formatNumber(1234.5), '1234,5');
    // Times taken: one decimal under 10 ms, even a whole one; whole milliseconds above.
    at('en');
    assert.deepEqual([9, 9.44, 12.6, 1500].map(formatDuration), ['9.0', '9.4', '13', '1,500']);
    at('de');
    assert.deepEqual([9, 0.25].map(formatDuration), ['9,0', '0,3']);
  });

  it('writes dates and times as the language does, with the profile’s clock', () => {
    at('de');
    assert.equal(formatDateTime(moment), '01.12.26, 14:05:09');
    at('en');
    assert.match(formatTime(moment), /^2:05\sPM$/);
    at('en', { timeFormat: '24' });
    assert.equal(formatTime(moment), '14:05');
    at('de', { timeFormat: '12' });
    assert.match(formatTime(moment), /^2:05\sPM$/);
  });

  it('says how long ago in the words’ language', () => {
    const now = moment + 5 * 60_000;
    at('de');
    assert.equal(formatAgo(moment, now), 'vor 5 Min.');
    at('es');
    assert.equal(formatAgo(moment, now), 'hace 5 min');
    at('en');
    assert.equal(formatAgo(moment, now), '5 min. ago');
    assert.equal(formatAgo(moment, moment + 3 * 86_400_000), '3 days ago');
    assert.equal(formatAgo(moment, moment + 20_000), '20 sec. ago');
  });
});
