/**
 * HA's log file, read from outside as HA's get_logs reads it from inside (`_read_log_file`): the lines from
 * the first record at or after the start time, at most READ_LINES of them.
 *
 * HA reads its file from the top; from outside the file comes over HTTP (`/api/error_log`), which costs a
 * request per byte range. A file up to WHOLE_BYTES is read whole, in one request. A larger one (a log at
 * debug level grows by megabytes an hour: 39 MB took 0.3 to 1 s to fetch whole, a 64 KiB range 10 to 20 ms)
 * is bisected by byte offset for a line some seconds older than the start time, and read forward from there.
 * That finds the line HA finds unless the file holds records more than SEEK_MARGIN out of order (a clock set
 * back), where HA would start at an earlier line than this does.
 */
import type { ErrorLogPart } from '../../../ha/logs.js';
import type { Instant } from './ha-time.js';
import { fileLines, LinesFrom, READ_LINES, recordStart } from './log-records.js';

/** Bytes `from` to `to` (inclusive) of the file, or undefined past its end. */
export type ReadLogPart = (range: { from: number; to: number }) => Promise<ErrorLogPart | undefined>;

export const WHOLE_BYTES = 2 * 1024 * 1024;
const PROBE_BYTES = 64 * 1024;
const CHUNK_BYTES = 512 * 1024;
/** How much older than the start time the line read from must be: records are written nearly in order. */
const SEEK_MARGIN: Instant = 10_000_000n;

export async function readCoreLog(read: ReadLogPart, start: Instant, max = READ_LINES): Promise<string[]> {
  const first = await read({ from: 0, to: WHOLE_BYTES - 1 });
  if (!first) return [];
  const taken = new LinesFrom(start, max);
  if (first.size <= first.bytes.length) {
    for (const { text } of fileLines(first.bytes)) if (taken.add(text)) break;
    return taken.lines;
  }
  // The file is read from `low`, where a record older than start − SEEK_MARGIN begins (or the top).
  let [low, high] = [0, first.size];
  while (high - low > PROBE_BYTES) {
    const middle = Math.floor((low + high) / 2);
    const time = await firstRecordTime(read, middle);
    if (time !== undefined && time < start - SEEK_MARGIN) low = middle;
    else high = middle;
  }
  await readForward(read, low, taken);
  return taken.lines;
}

/**
 * Where the next line starts in bytes read from the middle of the file: after the first line end. Undefined
 * when the bytes hold none, or end with a \r that a \n may follow.
 */
function nextLineStart(bytes: Uint8Array): number | undefined {
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a) return i + 1;
    if (bytes[i] === 0x0d) return i + 1 === bytes.length ? undefined : bytes[i + 1] === 0x0a ? i + 2 : i + 1;
  }
  return undefined;
}

/** The time of the first record with a UTC offset that starts after `offset`, if the probe finds one. */
async function firstRecordTime(read: ReadLogPart, offset: number): Promise<Instant | undefined> {
  const part = await read({ from: offset, to: offset + PROBE_BYTES - 1 });
  const from = part && (offset === 0 ? 0 : nextLineStart(part.bytes));
  if (from === undefined) return undefined;
  for (const { text } of fileLines(part!.bytes, from, false)) {
    try {
      const time = recordStart(text)?.time;
      if (time !== undefined && time !== null) return time;
    } catch {
      // A line HA could not read either: look further.
    }
  }
  return undefined;
}

/** Feeds the lines after the line that `offset` falls in to `taken`, chunk by chunk, to the file's end. */
async function readForward(read: ReadLogPart, offset: number, taken: LinesFrom): Promise<void> {
  let position = offset;
  let pending: Uint8Array = new Uint8Array(0);
  let aligned = offset === 0;
  for (;;) {
    const part = await read({ from: position, to: position + CHUNK_BYTES - 1 });
    const chunk = part?.bytes ?? new Uint8Array(0);
    const atEnd = !part || position + chunk.length >= part.size;
    const bytes = concat(pending, chunk);
    let from = 0;
    if (!aligned) {
      const start = nextLineStart(bytes);
      if (start === undefined && !atEnd) {
        [pending, position] = [bytes, position + chunk.length];
        continue;
      }
      from = start ?? bytes.length;
      aligned = true;
    }
    let consumed = from;
    for (const { text, next } of fileLines(bytes, from, atEnd)) {
      if (taken.add(text)) return;
      consumed = next;
    }
    if (atEnd) return;
    [pending, position] = [bytes.subarray(consumed), position + chunk.length];
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (!a.length) return b;
  const both = new Uint8Array(a.length + b.length);
  both.set(a);
  both.set(b, a.length);
  return both;
}
