/**
 * The panel's language and its number and date formats, chosen as Home Assistant's own frontend chooses:
 * the user's HA profile first (GET /locale), then the language HA's frontend keeps in this browser (the
 * panel shares HA's origin through ingress), then the browser's languages, then English.
 *
 * Words come in the first of `LANGUAGES` found that way. Numbers and dates follow the user's own language,
 * even one the panel has no words for, and the profile's number and time formats, as HA's panels do
 * (HA frontend's numberFormatToLocale and its 12/24-hour setting).
 *
 * `useLocale` is called once, before the panel first renders; the formatters below read it.
 */
import type { Formatters } from 'intl-messageformat';
import type { NumberFormat, TimeFormat, UserLocale } from '../../server/src/admin/contract.js';
import { matchLanguage, type Language } from '../../server/src/admin/languages.js';

export { LANGUAGES, matchLanguage, type Language } from '../../server/src/admin/languages.js';

export interface PanelLocale {
  /** The words' language. */
  language: Language;
  /** What Intl formats numbers with: a tag, a preference list, or undefined for the browser's own. */
  numbers: string | string[] | undefined;
  /** False under HA's "none" number format: no thousands separators. */
  grouping: boolean;
  /** What Intl formats dates and times with. */
  dates: string | undefined;
  /** A 12 or 24 hour clock when the profile says so; undefined for the language's own. */
  hour12: boolean | undefined;
}

/** The tags to try in order: the HA profile's, HA's choice kept in this browser, the browser's. */
export interface LocaleSources {
  profile: UserLocale | null;
  /** HA frontend's `selectedLanguage` in this origin's local storage, if any. */
  haSelected?: string | null;
  /** `navigator.languages`. */
  browser: readonly string[];
  /** The browser's own 12-hour habit, for HA's "system" time format. */
  browserHour12?: boolean;
}

/** HA frontend's numberFormatToLocale: the Intl locale its number formats stand for. */
export function numberLocale(language: string, format: NumberFormat): string | string[] | undefined {
  switch (format) {
    case 'comma_decimal':
      return ['en-US', 'en'];
    case 'decimal_comma':
      return ['de', 'es', 'it'];
    case 'space_comma':
      return ['fr', 'sv', 'cs'];
    case 'quote_decimal':
      return ['de-CH'];
    case 'system':
      return undefined;
    default:
      return language;
  }
}

function hour12Of(format: TimeFormat, browserHour12: boolean | undefined): boolean | undefined {
  if (format === '12') return true;
  if (format === '24') return false;
  if (format === 'system') return browserHour12;
  return undefined;
}

/** Whether the browser's own locale writes times with a 12-hour clock. */
export const browserHour12 = (): boolean | undefined =>
  new Intl.DateTimeFormat(undefined, { hour: 'numeric' }).resolvedOptions().hour12;

/** The panel's locale from what the profile, HA's frontend and the browser say. */
export function chooseLocale(sources: LocaleSources): PanelLocale {
  const tags = [sources.profile?.language, sources.haSelected, ...sources.browser].filter(
    (tag): tag is string => typeof tag === 'string' && tag !== ''
  );
  const language = tags.map(matchLanguage).find((l) => l !== undefined) ?? 'en';
  const own = tags[0] ?? language;
  const numberFormat = sources.profile?.numberFormat ?? 'language';
  return {
    language,
    numbers: numberLocale(own, numberFormat),
    grouping: numberFormat !== 'none',
    dates: own,
    hour12: hour12Of(sources.profile?.timeFormat ?? 'language', sources.browserHour12),
  };
}

export const ENGLISH: PanelLocale = {
  language: 'en',
  numbers: 'en',
  grouping: true,
  dates: 'en',
  hour12: undefined,
};

let current = ENGLISH;
const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** Sets the locale every formatter uses; the panel calls it before it renders. */
export function useLocale(locale: PanelLocale): void {
  current = locale;
  numberFormats.clear();
  dateFormats.clear();
}

export const panelLocale = (): PanelLocale => current;

/** An Intl.NumberFormat in the panel's number locale, made once per set of options. */
export function numberFormat(options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = JSON.stringify(options);
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(current.numbers, {
      ...options,
      ...(!current.grouping && { useGrouping: false }),
    });
    numberFormats.set(key, format);
  }
  return format;
}

function dateFormat(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = JSON.stringify(options);
  let format = dateFormats.get(key);
  if (!format) {
    const clock = options.hour !== undefined || options.timeStyle !== undefined;
    format = new Intl.DateTimeFormat(current.dates, {
      ...options,
      ...(clock && current.hour12 !== undefined && { hour12: current.hour12 }),
    });
    dateFormats.set(key, format);
  }
  return format;
}

/** For messages (localize.ts): numbers in the panel's number locale, whatever the words' language. */
export const messageFormatters: Formatters = {
  getNumberFormat: (_locales, options) => numberFormat((options ?? {}) as Intl.NumberFormatOptions),
  getDateTimeFormat: (locales, options) => new Intl.DateTimeFormat(locales, options),
  getPluralRules: (locales, options) => new Intl.PluralRules(locales, options),
};

export const formatNumber = (value: number, options?: Intl.NumberFormatOptions) =>
  numberFormat(options).format(value);

/** A time taken, in milliseconds: one decimal under 10 ("9.0", "9,4"), whole ones above ("13"). */
export function formatDuration(ms: number): string {
  const digits = ms < 10 ? 1 : 0;
  return formatNumber(ms, { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export const formatPercent = (fraction: number, maximumFractionDigits = 1) =>
  numberFormat({ style: 'percent', maximumFractionDigits }).format(fraction);

/** A moment in full: the date, short, and the time to the second. */
export const formatDateTime = (ms: number) =>
  dateFormat({ dateStyle: 'short', timeStyle: 'medium' }).format(ms);

export const formatTime = (ms: number) => dateFormat({ hour: 'numeric', minute: '2-digit' }).format(ms);

export const formatWeekday = (ms: number) => dateFormat({ weekday: 'short' }).format(ms);

export const formatDay = (ms: number) =>
  dateFormat({ weekday: 'short', month: 'short', day: 'numeric' }).format(ms);

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', Infinity],
];

/** How long ago, in the panel's language ("5 min ago", "vor 5 Min."). */
export function formatAgo(ms: number, now = Date.now()): string {
  let amount = Math.max(0, (now - ms) / 1000);
  let unit: Intl.RelativeTimeFormatUnit = 'second';
  for (const [name, size] of UNITS) {
    unit = name;
    if (amount < size) break;
    amount /= size;
  }
  return new Intl.RelativeTimeFormat(current.language, { style: 'short', numeric: 'always' }).format(
    -Math.round(amount),
    unit
  );
}
