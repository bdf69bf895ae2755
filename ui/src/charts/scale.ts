/**
 * The Overview charts' layout math, free of the DOM so that unit tests pin it: a linear scale, round
 * ticks, stacking by outcome, line paths with gaps, and which buckets get a time label.
 */

/** Maps [d0, d1] onto [r0, r1] (r0 > r1 for a y axis that grows upwards). */
export function linear(domain: [number, number], range: [number, number]): (value: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  return (value) => r0 + ((value - d0) / span) * (r1 - r0);
}

/** 1, 2, 2.5 or 5 times a power of ten: the smallest such step that is at least `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * power >= raw - power * 1e-9) return m * power;
  return 10 * power;
}

/**
 * Ticks from 0 up to the first round value at or above `max`, about `count` steps; whole steps for counts
 * (`integer`), where 2.5 would be a fraction of a request.
 */
export function ticks(max: number, count = 4, integer = false): number[] {
  let step = niceStep(max / count);
  if (integer) step = Math.max(1, step === 2.5 ? 2 : Math.round(step));
  const top = Math.max(step, Math.ceil(max / step - 1e-9) * step);
  const out: number[] = [];
  for (let i = 0; i * step <= top + step * 1e-9; i++) out.push(Number((i * step).toPrecision(12)));
  return out;
}

export interface Segment<K extends string> {
  key: K;
  value: number;
  /** From y0 to y1 in data units, y1 = y0 + value. */
  y0: number;
  y1: number;
}

/** One bucket's values stacked in `keys`' order, leaving out zeros (nothing to draw). */
export function stack<K extends string>(values: Record<K, number>, keys: readonly K[]): Segment<K>[] {
  const out: Segment<K>[] = [];
  let y = 0;
  for (const key of keys) {
    const value = values[key] ?? 0;
    if (value <= 0) continue;
    out.push({ key, value, y0: y, y1: y + value });
    y += value;
  }
  return out;
}

/**
 * An SVG path through the points, broken where a value is missing (an empty bucket has no latency): a
 * line never bridges a gap, and a point alone is a zero-length segment a round cap draws as a dot.
 */
export function linePath(points: { x: number; y: number | null }[]): string {
  const parts: string[] = [];
  let open = false;
  for (const { x, y } of points) {
    if (y === null) {
      open = false;
      continue;
    }
    const at = `${round(x)} ${round(y)}`;
    parts.push(open ? `L${at}` : `M${at}h0`);
    open = true;
  }
  return parts.join('');
}

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * The bucket indexes that get a time label: those where a new round period begins (`periodMs`: 6 hours in a
 * day's chart, a day in a week's), in local time (`local` turns a UTC start into local milliseconds), so
 * labels fall near 00:00, 06:00, ... wherever the time zone puts the buckets' UTC hours.
 */
export function labelledBuckets(
  starts: number[],
  periodMs: number,
  local: (t: number) => number = (t) => t
): number[] {
  const period = (t: number) => Math.floor(local(t) / periodMs);
  return starts.flatMap((start, i) => (i > 0 && period(start) !== period(starts[i - 1]!) ? [i] : []));
}

/** Local milliseconds of a UTC time, in the browser's time zone (daylight saving included). */
export const localMs = (t: number) => t - new Date(t).getTimezoneOffset() * 60_000;

/** Arrow keys move between a chart's buckets (one tab stop per chart); the index to focus, or undefined. */
export function nextIndex(key: string, index: number, count: number): number | undefined {
  const to = { ArrowLeft: index - 1, ArrowRight: index + 1, Home: 0, End: count - 1 }[key];
  return to === undefined ? undefined : Math.min(count - 1, Math.max(0, to));
}
