/**
 * Log lines to the answer of `system_log__get_logs` and `hassio__get_logs`, as HA 2026.11's
 * system_log/llm.py makes it: values that look like credentials masked, lines grouped into records (a
 * timestamped line and the lines that continue it), the sources merged into one timeline, long messages
 * shortened in the middle, and a page of at most 10,000 characters with the time the next page starts at.
 *
 * HA's regular expressions are Python's: `\w`, `\s`, `\d` and `\b` are Unicode-aware there and case-insensitive
 * matching knows `ı`, `İ`, `ſ` and `K`, so the classes are spelled out here. Lengths count code points.
 * Pinned against HA's own functions by tests/fixtures/logs-golden.json.
 */
import { localIsoMs, type Instant } from './ha-time.js';
import { codePoints } from './python-text.js';

/** Lines read from each source: its oldest ones in the time window. */
export const READ_LINES = 2000;
/** Characters of the messages on one page; more records go to the next page. */
const PAGE_CHARACTERS = 10_000;
/** A long message keeps its first characters (the logger) and its last (the end of a traceback). */
const KEPT_START = 300;
const KEPT_END = 700;
/** Logging threads can write records out of order: lines after the last one read can be this much older. */
const ORDER_MARGIN: Instant = 100_000n;

export const LEVELS: Readonly<Record<string, number>> = {
  DEBUG: 10,
  INFO: 20,
  WARNING: 30,
  ERROR: 40,
  CRITICAL: 50,
};

export interface LogRecord {
  time: Instant;
  message: string;
  /** Python's logging level number, or undefined for records without one (journal lines). */
  level: number | undefined;
}

/** A log line's content could not be read as HA reads it: HA's tool raises ValueError, the call fails. */
export class LogRecordTimeError extends Error {
  override name = 'LogRecordTimeError';
  constructor(text: string) {
    super(`Invalid isoformat string: '${text}'`);
  }
}

// ---- Python's character classes ------------------------------------------------------------------------------

/** `\w` of Python's `re` on str: letters, numbers (`str.isalnum()`) and `_`. */
const WORD = String.raw`\p{L}\p{N}_`;
/** `\s` of Python's `re` on str (`str.isspace()`), which is not JavaScript's `\s`. */
const SPACE = String.raw`\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000`;
/** IGNORECASE in Python: a letter also matches what lowers to it, and `i`/`ı`, `s`/`ſ` are equivalent. */
const FOLDS: Record<string, string> = { i: 'iIıİ', k: 'kKK', s: 'sSſ' };
const anyCase = (word: string) =>
  word.replace(/[a-z]/g, (letter) => `[${FOLDS[letter] ?? letter + letter.toUpperCase()}]`);

// ---- masking -----------------------------------------------------------------------------------------------

/** An authorization scheme and its credentials: `Bearer abc`, `Basic dXNlcg==`. */
const AUTHORIZATION = new RegExp(
  `((?<![${WORD}])(?:${anyCase('bearer')}|${anyCase('basic')})[${SPACE}]+)[${WORD}.~+/-]+=*`,
  'gu'
);
/** A whole word before `:` or `=` (greedy here as possessive there: a shorter run can never be followed by one). */
const KEY = new RegExp(`(?<![${WORD}.-])[${WORD}.-]+(?=["']?[${SPACE}]*[:=])`, 'gu');
/** The separator and the value after a key: a quoted string with escapes, or a bare run. */
const SEPARATOR_VALUE = new RegExp(
  `["']?[${SPACE}]*[:=][${SPACE}]*` +
    String.raw`("(?:[^"\\]|\\[^\n])*"|'(?:[^'\\]|\\[^\n])*'|["']?[^${SPACE}"',;&}?=]+)`,
  'yu'
);
const SECRET_KEY = new RegExp(
  ['token', 'password', 'passwd', 'secret', 'api[_-]?key'].map(anyCase).join('|'),
  'u'
);

/** HA's `_mask_secrets`: the values of authorization schemes and of keys that name a secret become `***`. */
export function maskSecrets(text: string): string {
  const line = text.replace(AUTHORIZATION, '$1***');
  let masked = '';
  let position = 0;
  for (const key of line.matchAll(KEY)) {
    // A key inside a value already masked went with it.
    if (key.index < position || !SECRET_KEY.test(key[0])) continue;
    SEPARATOR_VALUE.lastIndex = key.index + key[0].length;
    const found = SEPARATOR_VALUE.exec(line);
    if (!found) continue;
    const value = found[1]!;
    const end = found.index + found[0].length;
    const quote = value[0] === '"' || value[0] === "'" ? value[0] : '';
    const endQuote = quote && value.length > 1 && value.endsWith(quote) ? quote : '';
    masked += `${line.slice(position, end - value.length)}${quote}***${endQuote}`;
    position = end;
  }
  return masked + line.slice(position);
}

// ---- records -----------------------------------------------------------------------------------------------

/** `_RECORD_START`: a timestamp with milliseconds, maybe a UTC offset, then a space. */
const RECORD_START =
  /^(\p{Nd}{4}-\p{Nd}{2}-\p{Nd}{2} \p{Nd}{2}:\p{Nd}{2}:\p{Nd}{2}\.\p{Nd}{3}(?:[+-]\p{Nd}{2}:\p{Nd}{2})?) /u;
const RECORD_LEVEL = /^(DEBUG|INFO|WARNING|ERROR|CRITICAL) /;

/**
 * Where a line that starts a record ends its timestamp, and the record's time (null without a UTC offset);
 * undefined for a line that continues a record. Throws where Python's `datetime.fromisoformat` does.
 */
export function recordStart(line: string): { time: Instant | null; length: number } | undefined {
  const match = RECORD_START.exec(line);
  if (!match) return undefined;
  return { time: fromIsoFormat(match[1]!), length: match[0].length };
}

/** `datetime.fromisoformat` of `YYYY-MM-DD HH:MM:SS.fff[±HH:MM]`, as an instant (null without an offset). */
function fromIsoFormat(text: string): Instant | null {
  // Python reads ASCII digits only, and checks the calendar.
  if (!/^[0-9 .:+-]+$/.test(text)) throw new LogRecordTimeError(text);
  const number = (at: number, length: number) => Number(text.slice(at, at + length));
  const [year, month, day] = [number(0, 4), number(5, 2), number(8, 2)];
  const [hour, minute, second, milli] = [number(11, 2), number(14, 2), number(17, 2), number(20, 3)];
  // 24:00:00.000 is midnight of the next day; anything past it is no time.
  const midnight = hour === 24 && minute === 0 && second === 0 && milli === 0;
  const lastDay = new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !leap(year) ? 1 : 0);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > lastDay) throw new LogRecordTimeError(text);
  if ((hour > 23 && !midnight) || minute > 59 || second > 59) throw new LogRecordTimeError(text);
  // Date.UTC reads years below 100 as 19xx: those take the long way.
  let ms = Date.UTC(year, month - 1, day, hour, minute, second, milli);
  if (year < 100) {
    const date = new Date(0);
    date.setUTCFullYear(year, month - 1, day);
    ms = date.setUTCHours(hour, minute, second, milli);
  }
  const wall = BigInt(ms) * 1000n;
  if (text.length === 23) return null;
  // The offset must be less than a day; its minutes are not checked.
  const offset = (number(24, 2) * 60 + number(27, 2)) * 60;
  if (offset >= 86_400) throw new LogRecordTimeError(text);
  return wall - BigInt(text[23] === '-' ? -offset : offset) * 1_000_000n;
}

const leap = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);

/**
 * HA's `_parse_log_records`: each line masked, a line with a timestamp starts a record (skipped with the
 * lines that continue it when it has no UTC offset, as it cannot be placed among other sources), other
 * lines are appended to the current record.
 */
export function parseRecords(lines: readonly string[]): LogRecord[] {
  const records: LogRecord[] = [];
  let record: LogRecord | undefined;
  for (const raw of lines) {
    const line = maskSecrets(raw);
    const start = recordStart(line);
    if (start) {
      if (start.time === null) {
        record = undefined;
        continue;
      }
      const message = line.slice(start.length);
      const level = RECORD_LEVEL.exec(message)?.[1];
      record = { time: start.time, message, level: level ? LEVELS[level] : undefined };
      records.push(record);
    } else if (record) record.message += `\n${line}`;
  }
  return records;
}

/** HA's `_shorten`: past 1,000 code points, the first 300 and the last 700 with a note of what is left out. */
export function shorten(message: string): string {
  if (message.length <= KEPT_START + KEPT_END) return message;
  const chars = Array.from(message);
  const leftOut = chars.length - KEPT_START - KEPT_END;
  if (leftOut <= 0) return message;
  return `${chars.slice(0, KEPT_START).join('')}\n… ${leftOut} characters left out …\n${chars.slice(-KEPT_END).join('')}`;
}

// ---- lines -------------------------------------------------------------------------------------------------

/** Python's `str.splitlines()`, which HA uses on the Supervisor's answers. */
export function pythonSplitLines(text: string): string[] {
  const lines = text.split(/\r\n|[\n\v\f\r\x1c-\x1e\x85\u2028\u2029]/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

const UTF8 = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * The lines of a log file's bytes from `from` (the start of a line), as Python reads a text file (UTF-8 with
 * `errors="replace"`, universal newlines: `\n`, `\r\n` and `\r` end a line), each with the byte offset after
 * it. A last line without its end is given only when `whole` says the bytes run to the end of the file.
 */
export function* fileLines(
  bytes: Uint8Array,
  from = 0,
  whole = true
): Generator<{ text: string; next: number }> {
  let start = from;
  for (let i = from; i < bytes.length; i++) {
    const byte = bytes[i];
    if (byte !== 0x0a && byte !== 0x0d) continue;
    // A \r as the last byte read may be the first half of \r\n: its line waits for the next bytes.
    if (byte === 0x0d && i + 1 === bytes.length && !whole) return;
    const next = byte === 0x0d && bytes[i + 1] === 0x0a ? i + 2 : i + 1;
    yield { text: UTF8.decode(bytes.subarray(start, i)), next };
    start = next;
    i = next - 1;
  }
  if (whole && start < bytes.length) yield { text: UTF8.decode(bytes.subarray(start)), next: bytes.length };
}

/**
 * HA's `_read_log_file`, fed line by line: from the first line that starts a record with a UTC offset at or
 * after `start`, at most `max` lines.
 */
export class LinesFrom {
  readonly lines: string[] = [];
  constructor(
    private readonly start: Instant,
    private readonly max = READ_LINES
  ) {}

  /** Takes a line; true once the lines are complete. */
  add(text: string): boolean {
    if (!this.lines.length) {
      const time = recordStart(text)?.time;
      if (time === undefined || time === null || time < this.start) return false;
    }
    this.lines.push(text);
    return this.lines.length >= this.max;
  }
}

/** `LinesFrom` over all the lines at once. */
export function linesFrom(lines: Iterable<{ text: string }>, start: Instant, max = READ_LINES): string[] {
  const taken = new LinesFrom(start, max);
  for (const { text } of lines) if (taken.add(text)) break;
  return taken.lines;
}

// ---- the answer --------------------------------------------------------------------------------------------

/** What reading one source gave: its lines (at most READ_LINES), or HA's error text for it. */
export type SourceRead = { name: string; lines: readonly string[] } | { name: string; error: string };

export interface LogQuery {
  start: Instant;
  end: Instant;
  /** Records below this level are left out; records without a level never are. */
  minLevel?: number;
  /** Lower-cased text every record's message must contain. */
  contains: string;
  limit: number;
  timeZone: string;
}

/** The data of HA's get_logs answer: `{records, next_start_time?, errors?}` (steps 3 to 7 of its call). */
export function answerLogQuery(reads: readonly SourceRead[], query: LogQuery): Record<string, unknown> {
  const errors: Record<string, string> = {};
  // The merged log is complete until this time: a source that reached the line limit has no records after
  // its last one.
  let completeEnd: Instant | undefined;
  let merged: { name: string; record: LogRecord }[] = [];
  for (const read of reads) {
    if ('error' in read) {
      errors[read.name] = read.error;
      continue;
    }
    const records = parseRecords(read.lines);
    if (read.lines.length >= READ_LINES && records.length) {
      const latest = records.reduce((max, r) => (r.time > max ? r.time : max), records[0]!.time);
      // The last record read can miss lines: it moves to the next page.
      let sourceEnd = minOf(records.at(-1)!.time, latest - ORDER_MARGIN);
      const firstTime =
        records.reduce<Instant | undefined>(
          (min, r) => (r.time >= query.start && (min === undefined || r.time < min) ? r.time : min),
          undefined
        ) ?? query.start;
      // Keep the records of the first time, so that the next page starts later.
      if (sourceEnd <= firstTime) sourceEnd = firstTime + 1000n;
      completeEnd = completeEnd === undefined ? sourceEnd : minOf(completeEnd, sourceEnd);
    }
    for (const record of records) {
      if (record.time < query.start || record.time > query.end) continue;
      if (query.minLevel !== undefined && record.level !== undefined && record.level < query.minLevel)
        continue;
      if (!record.message.toLowerCase().includes(query.contains)) continue;
      merged.push({ name: read.name, record });
    }
  }
  if (completeEnd !== undefined) merged = merged.filter(({ record }) => record.time < completeEnd!);
  merged.sort((a, b) => (a.record.time < b.record.time ? -1 : a.record.time > b.record.time ? 1 : 0));
  for (const { record } of merged) record.message = shorten(record.message);

  // Records of the same time go on one page together; the first ones always do, so the next page starts later.
  let end = 0;
  let characters = 0;
  while (end < Math.min(merged.length, query.limit)) {
    let groupEnd = end + 1;
    while (groupEnd < merged.length && merged[groupEnd]!.record.time === merged[end]!.record.time) groupEnd++;
    const groupCharacters = merged
      .slice(end, groupEnd)
      .reduce((sum, { record }) => sum + codePoints(record.message), 0);
    if (end && characters + groupCharacters > PAGE_CHARACTERS) break;
    characters += groupCharacters;
    end = groupEnd;
  }
  const nextStart = end < merged.length ? merged[end]!.record.time : completeEnd;

  const data: Record<string, unknown> = {
    records: merged.slice(0, end).map(({ name, record }) => ({
      time: localIsoMs(record.time, query.timeZone),
      source: name,
      message: record.message,
    })),
  };
  if (nextStart !== undefined && nextStart <= query.end)
    data.next_start_time = localIsoMs(nextStart, query.timeZone);
  if (Object.keys(errors).length) data.errors = errors;
  return data;
}

const minOf = (a: Instant, b: Instant): Instant => (a < b ? a : b);
