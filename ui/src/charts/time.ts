/** Time labels for the charts, in the panel's locale (locale.ts) and the browser's time zone. */
import { formatDay as day, formatTime as clock, formatWeekday as weekday } from '../locale';

const HOUR_MS = 3_600_000;

/** Under an axis: the hour for hourly buckets, the weekday for longer ones (a week has each once). */
export const axisLabel = (start: number, bucketMs: number) =>
  bucketMs < 6 * HOUR_MS ? clock(start) : weekday(start);

/** A bucket's span, as a tooltip or table heads it: "Mon, Dec 1, 1:00 PM–2:00 PM" (a day's chart spans two). */
export const spanLabel = (start: number, bucketMs: number) =>
  `${day(start)}, ${clock(start)}–${clock(start + bucketMs)}`;
