/** Time labels for the charts, in the browser's locale and time zone. */
const HOUR_MS = 3_600_000;
const clock = (t: number) =>
  new Date(t).toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' });
const weekday = (t: number) => new Date(t).toLocaleDateString(undefined, { weekday: 'short' });
const day = (t: number) =>
  new Date(t).toLocaleDateString(undefined, { weekday: 'short', month: 'short', day: 'numeric' });

/** Under an axis: the hour for hourly buckets, the weekday for longer ones (a week has each once). */
export const axisLabel = (start: number, bucketMs: number) =>
  bucketMs < 6 * HOUR_MS ? clock(start) : weekday(start);

/** A bucket's span, as a tooltip or table heads it: "Mon, Dec 1, 1:00 PM–2:00 PM" (a day's chart spans two). */
export const spanLabel = (start: number, bucketMs: number) =>
  `${day(start)}, ${clock(start)}–${clock(start + bucketMs)}`;
