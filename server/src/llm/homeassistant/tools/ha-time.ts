/**
 * Times as Home Assistant's tools read and write them, for tools that take ISO 8601 times from a model and
 * answer in HA's time zone (get_logs; history's get_history reads its times the same way).
 *
 * An instant is a bigint of microseconds since 1970 (UTC): Python's datetimes carry microseconds over years
 * 1 to 9999, more than a JavaScript number holds exactly. Pinned against the pinned HA's own functions by
 * tests/fixtures/logs-golden.json.
 */

/** Microseconds since 1970-01-01T00:00:00Z. */
export type Instant = bigint;

const US_PER_SECOND = 1_000_000n;
const US_PER_DAY = 86_400_000_000n;

/**
 * Python raised something other than ValueError (an OverflowError for a time just outside years 1 to 9999):
 * HA's tool does not catch it, so the call fails as a whole rather than answering `Invalid …`.
 */
export class PythonOverflowError extends Error {
  override name = 'PythonOverflowError';
  constructor() {
    super('date value out of range');
  }
}

/** A calendar time: date, time of day and, when the text had one, its UTC offset in seconds. */
interface CivilTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  microsecond: number;
  offset?: number;
  /** ciso8601 read `24:00`: the time is midnight of the next day. */
  nextDay?: boolean;
}

/**
 * HA's `_parse_time` of get_logs and get_history: `dt_util.parse_datetime(text, raise_on_error=True)` (ciso8601,
 * then Django's regex), a time without an offset taken in HA's time zone (`as_utc`). Undefined where HA
 * answers `Invalid …`; throws PythonOverflowError where HA's tool raises.
 */
export function parseHaTime(text: string, timeZone: string): Instant | undefined {
  const civil = parseCiso8601(text) ?? parseDjango(text);
  if (!civil) return undefined;
  let wall = civilToInstant(civil);
  // ciso8601 builds the datetime, then adds the day of `24:00`: out of range there is Python's OverflowError.
  if (civil.nextDay) {
    wall += US_PER_DAY;
    if (!inPythonRange(wall)) throw new PythonOverflowError();
  }
  const utc =
    civil.offset !== undefined ? wall - BigInt(civil.offset) * US_PER_SECOND : zonedToUtc(wall, timeZone);
  // `astimezone(UTC)` of a time at the edge of year 1 or 9999 overflows the same way.
  if (civil.offset !== 0 && !inPythonRange(utc)) throw new PythonOverflowError();
  return utc;
}

/** `datetime.fromtimestamp(ts, UTC).isoformat()`: microseconds rounded half to even, omitted when 0. */
export function utcIsoFromTimestamp(timestamp: number): string {
  let seconds = Math.trunc(timestamp);
  let micro = roundHalfEven((timestamp - seconds) * 1e6);
  if (micro >= 1e6) [seconds, micro] = [seconds + 1, micro - 1e6];
  else if (micro < 0) [seconds, micro] = [seconds - 1, micro + 1e6];
  return isoOf(BigInt(seconds) * US_PER_SECOND + BigInt(micro), 0, 'auto');
}

/** `dt_util.as_local(t).isoformat(timespec="milliseconds")`: HA's local time, milliseconds truncated. */
export function localIsoMs(instant: Instant, timeZone: string): string {
  return isoOf(instant, offsetAt(timeZone, floorDiv(instant, 1000n)), 'milliseconds');
}

/** `datetime.isoformat()` of an instant shown at a UTC offset (seconds). */
function isoOf(instant: Instant, offset: number, timespec: 'auto' | 'milliseconds'): string {
  const local = instant + BigInt(offset) * US_PER_SECOND;
  const micro = Number(local - floorDiv(local, US_PER_SECOND) * US_PER_SECOND);
  const date = new Date(Number(floorDiv(local, 1000n)));
  const two = (n: number) => String(n).padStart(2, '0');
  const fraction =
    timespec === 'milliseconds'
      ? `.${String(Math.floor(micro / 1000)).padStart(3, '0')}`
      : micro
        ? `.${String(micro).padStart(6, '0')}`
        : '';
  const abs = Math.abs(offset);
  const zone =
    `${offset < 0 ? '-' : '+'}${two(Math.floor(abs / 3600))}:${two(Math.floor(abs / 60) % 60)}` +
    (abs % 60 ? `:${two(abs % 60)}` : '');
  return (
    `${String(date.getUTCFullYear()).padStart(4, '0')}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())}` +
    `T${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}${fraction}${zone}`
  );
}

// ---- time zones --------------------------------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The UTC offset (seconds) of a time zone at an instant (milliseconds), as tz data gives it. */
export function offsetAt(timeZone: string, ms: bigint | number): number {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  const at = Number(ms);
  const parts: Record<string, string> = {};
  for (const { type, value } of format.formatToParts(at)) parts[type] = value;
  const year = parts.era === 'BC' || parts.era === 'B' ? 1 - Number(parts.year) : Number(parts.year);
  const wall = utcMs(year, Number(parts.month), Number(parts.day), Number(parts.hour), Number(parts.minute));
  return (wall + Number(parts.second) * 1000 - Math.floor(at / 1000) * 1000) / 1000;
}

/**
 * A wall-clock time in a zone to UTC as Python's zoneinfo does with `fold=0`: in a gap or an overlap the
 * offset before the change is used, for wall times before the change's UTC time plus the larger offset.
 */
function zonedToUtc(wall: Instant, timeZone: string): Instant {
  const wallSeconds = Number(floorDiv(wall, US_PER_SECOND));
  const day = 86_400;
  const before = offsetAt(timeZone, (wallSeconds - day) * 1000);
  const after = offsetAt(timeZone, (wallSeconds + day) * 1000);
  let offset = before;
  if (before !== after) {
    // The change's UTC second: the first second with the offset after it.
    let [low, high] = [wallSeconds - day, wallSeconds + day];
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (offsetAt(timeZone, middle * 1000) === before) low = middle;
      else high = middle;
    }
    if (wallSeconds >= high + Math.max(before, after)) offset = after;
  }
  return wall - BigInt(offset) * US_PER_SECOND;
}

// ---- ciso8601 2.3.3 (`parse_datetime`) ----------------------------------------------------------------------

/** ciso8601's grammar, port of its `_parse` (module.c); undefined where it raises ValueError. */
function parseCiso8601(input: string): CivilTime | undefined {
  // A C string: the text ends at its first NUL.
  const text = input.split('\0')[0]!;
  let i = 0;
  const at = () => text[i] ?? '';
  const isDigit = () => at() >= '0' && at() <= '9' && at().length === 1;
  const digits = (length: number): number | undefined => {
    let value = 0;
    for (let n = 0; n < length; n++, i++) {
      if (!isDigit()) return undefined;
      value = value * 10 + Number(at());
    }
    return value;
  };
  const dateTimeSeparator = () => at() === 'T' || at() === 't' || at() === ' ';
  const zoneSeparator = () => 'Zz+-'.includes(at()) && at() !== '';
  const fractionSeparator = () => at() === '.' || at() === ',';
  const fraction = (): number | undefined => {
    let value = 0;
    let n = 0;
    for (; n < 6 && isDigit(); n++, i++) value = value * 10 + Number(at());
    if (n === 0) return undefined;
    while (isDigit()) i++;
    return value * 10 ** (6 - n);
  };

  let year = digits(4);
  if (year === undefined) return undefined;
  let month: number | undefined;
  let day: number | undefined;
  let extended = false;
  const fromWeek = (week: number | undefined, weekday: number | undefined) => {
    if (week === undefined || weekday === undefined) return false;
    const ymd = isoWeekToYmd(year!, week, weekday);
    if (!ymd) return false;
    [year, month, day] = ymd;
    return true;
  };
  const fromOrdinal = (ordinal: number) => {
    const ymd = ordinalToYmd(year!, ordinal);
    if (!ymd) return false;
    [month, day] = ymd;
    return true;
  };
  if (at() === '-') {
    i++;
    extended = true;
    if (at() === 'W') {
      i++;
      const week = digits(2);
      let weekday: number | undefined = 1;
      if (week !== undefined && at() !== '' && !dateTimeSeparator()) {
        if (at() !== '-') return undefined;
        i++;
        weekday = digits(1);
      }
      if (!fromWeek(week, weekday)) return undefined;
    } else {
      month = digits(2);
      if (month === undefined) return undefined;
      if (at() !== '' && !dateTimeSeparator()) {
        if (at() === '-') {
          i++;
          day = digits(2);
          if (day === undefined) return undefined;
        } else {
          const last = digits(1);
          if (last === undefined || !fromOrdinal(month * 10 + last)) return undefined;
        }
      } else day = 1;
    }
  } else if (at() === 'W') {
    i++;
    const week = digits(2);
    const weekday = week !== undefined && at() !== '' && !dateTimeSeparator() ? digits(1) : 1;
    if (!fromWeek(week, weekday)) return undefined;
  } else {
    month = digits(2);
    const third = month === undefined ? undefined : digits(1);
    if (third === undefined) return undefined;
    if (at() === '' || dateTimeSeparator()) {
      if (!fromOrdinal(month! * 10 + third)) return undefined;
    } else {
      const fourth = digits(1);
      if (fourth === undefined) return undefined;
      day = third * 10 + fourth;
    }
  }

  const civil: CivilTime = { year, month: month!, day: day!, hour: 0, minute: 0, second: 0, microsecond: 0 };
  if (at() !== '') {
    if (!dateTimeSeparator()) return undefined;
    i++;
    const hour = digits(2);
    if (hour === undefined) return undefined;
    civil.hour = hour;
    if (at() !== '' && !zoneSeparator()) {
      // hh:mm[:ss[.f]] goes with an extended date only, hhmm[ss[.f]] with a basic one.
      const separated = at() === ':';
      if (separated) i++;
      const minute = digits(2);
      if (minute === undefined) return undefined;
      civil.minute = minute;
      if (at() !== '' && !zoneSeparator()) {
        if (separated && at() !== ':') return undefined;
        if (separated) i++;
        const second = digits(2);
        if (second === undefined) return undefined;
        civil.second = second;
        if (fractionSeparator()) {
          i++;
          const micro = fraction();
          if (micro === undefined) return undefined;
          civil.microsecond = micro;
        }
      }
      if (separated !== extended) return undefined;
    }
    if (civil.hour === 24 && civil.minute === 0 && civil.second === 0 && civil.microsecond === 0) {
      civil.hour = 0;
      civil.nextDay = true;
    }
    if (zoneSeparator()) {
      const sign = at() === '+' ? 1 : at() === '-' ? -1 : 0;
      i++;
      let minutes = 0;
      if (sign !== 0) {
        const hours = digits(2);
        if (hours === undefined) return undefined;
        let rest: number | undefined = 0;
        if (at() === ':') {
          i++;
          rest = digits(2);
        } else if (at() !== '') rest = digits(2);
        if (rest === undefined || rest > 59) return undefined;
        minutes = sign * (hours * 60 + rest);
      }
      if (Math.abs(minutes) >= 1440) return undefined;
      civil.offset = minutes * 60;
    }
  }
  if (at() !== '') return undefined;
  return validCivil(civil) ? civil : undefined;
}

/** Python's `datetime(...)` range checks. */
function validCivil(c: CivilTime): boolean {
  return (
    c.year >= 1 &&
    c.year <= 9999 &&
    c.month >= 1 &&
    c.month <= 12 &&
    c.day >= 1 &&
    c.day <= daysInMonth(c.year, c.month) &&
    c.hour <= 23 &&
    c.minute <= 59 &&
    c.second <= 59
  );
}

const isLeap = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
const DAYS_BEFORE_MONTH = [0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];
const daysInMonth = (year: number, month: number) =>
  month === 2 && isLeap(year) ? 29 : [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month]!;

/** C's `/` and `%` (truncating), as isocalendar.c computes with them. */
const cdiv = (a: number, b: number) => Math.trunc(a / b);
const cmod = (a: number, b: number) => a - cdiv(a, b) * b;

/** isocalendar.c's ymd_to_ord (year 1 January 1 is day 1). */
function ymdToOrdinal(year: number, month: number, day: number): number {
  const y = year - 1;
  const before = DAYS_BEFORE_MONTH[month]! + (month > 2 && isLeap(year) ? 1 : 0);
  return y * 365 + cdiv(y, 4) - cdiv(y, 100) + cdiv(y, 400) + before + day;
}

/** isocalendar.c's ord_to_ymd, C arithmetic kept (it is only meant for ordinals from 1). */
function ordinalToCivil(ordinal: number): [number, number, number] {
  let n = ordinal - 1;
  const n400 = cdiv(n, 146_097);
  n = cmod(n, 146_097);
  let year = n400 * 400 + 1;
  const n100 = cdiv(n, 36_524);
  n = cmod(n, 36_524);
  const n4 = cdiv(n, 1461);
  n = cmod(n, 1461);
  const n1 = cdiv(n, 365);
  n = cmod(n, 365);
  year += n100 * 100 + n4 * 4 + n1;
  if (n1 === 4 || n100 === 4) return [year - 1, 12, 31];
  const leap = n1 === 3 && (n4 !== 24 || n100 === 3);
  let month = (n + 50) >> 5;
  let preceding = (DAYS_BEFORE_MONTH[month] ?? NaN) + (month > 2 && leap ? 1 : 0);
  if (preceding > n) {
    month -= 1;
    preceding -= month >= 1 && month <= 12 ? daysInMonth(year, month) : NaN;
  }
  return [year, month, n - preceding + 1];
}

/** isocalendar.c's iso_to_ymd. */
function isoWeekToYmd(year: number, week: number, weekday: number): [number, number, number] | undefined {
  const firstWeekday = (y: number) => cmod(ymdToOrdinal(y, 1, 1) + 6, 7);
  if (week <= 0 || week >= 53) {
    const first = firstWeekday(year);
    if (!(week === 53 && (first === 3 || (first === 2 && isLeap(year))))) return undefined;
  }
  if (weekday <= 0 || weekday >= 8) return undefined;
  const firstDay = ymdToOrdinal(year, 1, 1);
  const first = cmod(firstDay + 6, 7);
  const monday = firstDay - first + (first > 3 ? 7 : 0);
  return ordinalToCivil(monday + (week - 1) * 7 + weekday - 1);
}

/** isocalendar.c's ordinal_to_ymd: month and day of a day of the year. */
function ordinalToYmd(year: number, ordinal: number): [number, number] | undefined {
  if (ordinal < 1) return undefined;
  if (ordinal <= 31) return [1, ordinal];
  if (ordinal <= 59 + (isLeap(year) ? 1 : 0)) return [2, ordinal - 31];
  const day = isLeap(year) ? ordinal - 1 : ordinal;
  for (let month = 3; month <= 12; month++)
    if (day <= DAYS_BEFORE_MONTH[month + 1]!) return [month, day - DAYS_BEFORE_MONTH[month]!];
  return undefined;
}

// ---- Django's DATETIME_RE, HA's fallback ------------------------------------------------------------------

const D = String.raw`\p{Nd}`;
/** `$` of Python's `re` also matches before a final newline. */
const DJANGO = new RegExp(
  `^(?<year>${D}{4})-(?<month>${D}{1,2})-(?<day>${D}{1,2})[T ](?<hour>${D}{1,2}):(?<minute>${D}{1,2})` +
    `(?::(?<second>${D}{1,2})(?:\\.(?<microsecond>${D}{1,6})${D}{0,6})?)?` +
    `(?<tzinfo>Z|[+-]${D}{2}(?::?${D}{2}(?::?${D}{2})?)?)?\\n?$`,
  'u'
);

function parseDjango(text: string): CivilTime | undefined {
  const groups = DJANGO.exec(text)?.groups;
  if (!groups) return undefined;
  const civil: CivilTime = {
    year: pythonInt(groups.year!),
    month: pythonInt(groups.month!),
    day: pythonInt(groups.day!),
    hour: pythonInt(groups.hour!),
    minute: pythonInt(groups.minute!),
    second: groups.second ? pythonInt(groups.second) : 0,
    microsecond: groups.microsecond ? pythonInt(groups.microsecond.padEnd(6, '0')) : 0,
  };
  const zone = groups.tzinfo;
  if (zone === 'Z') civil.offset = 0;
  else if (zone) {
    const digits = Array.from(zone.slice(1).replaceAll(':', ''));
    const part = (from: number, to?: number) => pythonInt(digits.slice(from, to).join(''));
    const seconds = part(0, 2) * 3600 + part(2, 4) * 60 + part(4);
    // datetime.timezone takes offsets strictly within a day.
    if (seconds >= 86_400) return undefined;
    civil.offset = zone.startsWith('-') ? -seconds : seconds;
  }
  return validCivil(civil) ? civil : undefined;
}

const DIGIT = /^\p{Nd}$/u;

/**
 * Python's `int()` of decimal digits of any script (0 for no digits). Unicode keeps every script's digits in
 * runs of ten from its zero, so a digit's value is the count of digits before it in its run, modulo ten.
 */
function pythonInt(text: string): number {
  let value = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    let before = 0;
    while (DIGIT.test(String.fromCodePoint(code - before - 1))) before++;
    value = value * 10 + (before % 10);
  }
  return value;
}

// ---- arithmetic -----------------------------------------------------------------------------------------------

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** Milliseconds since 1970 of a proleptic Gregorian date and time (years below 100 included). */
function utcMs(year: number, month: number, day: number, hour: number, minute: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, 0, 0);
  return date.getTime();
}

function civilToInstant(c: CivilTime): Instant {
  return (
    BigInt(utcMs(c.year, c.month, c.day, c.hour, c.minute)) * 1000n +
    BigInt(c.second) * US_PER_SECOND +
    BigInt(c.microsecond)
  );
}

const MIN_INSTANT = BigInt(utcMs(1, 1, 1, 0, 0)) * 1000n;
const MAX_INSTANT = BigInt(utcMs(10_000, 1, 1, 0, 0)) * 1000n;
const inPythonRange = (instant: Instant) => instant >= MIN_INSTANT && instant < MAX_INSTANT;

/** C's `round()` then half to even, as CPython's `_PyTime_Round(…, HALF_EVEN)`. */
function roundHalfEven(x: number): number {
  const rounded = Math.sign(x) * Math.round(Math.abs(x));
  return Math.abs(x - rounded) === 0.5 ? 2 * (Math.sign(x / 2) * Math.round(Math.abs(x / 2))) : rounded;
}
