/** Small display helpers shared by the views, in the panel's language and number formats (locale.ts). */
import { localize } from './localize';
import { formatAgo, formatDateTime, formatDuration, formatNumber } from './locale';

export function when(ms: number | null | undefined): string {
  if (!ms) return '—';
  return formatDateTime(ms);
}

export const ago = (ms: number, now = Date.now()): string => formatAgo(ms, now);

/** A whole number as the viewer writes it (1,234 / 1.234 / 1 234). */
export const count = (value: number) => formatNumber(value);

export const milliseconds = (ms: number) => localize('common.ms', { ms: formatDuration(ms) });

/** Seconds with one decimal, for a person's wait. */
export const seconds = (ms: number) =>
  localize('common.s', {
    s: formatNumber(ms / 1_000, { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
  });

export const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));
