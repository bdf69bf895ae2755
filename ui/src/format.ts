/** Small display helpers shared by the views. */
import { localize } from './localize';

export function when(ms: number | null | undefined): string {
  if (!ms) return '—';
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
}

export function ago(ms: number, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - ms) / 1000));
  if (seconds < 60) return localize('common.ago.s', { count: seconds });
  if (seconds < 3600) return localize('common.ago.min', { count: Math.round(seconds / 60) });
  if (seconds < 86_400) return localize('common.ago.h', { count: Math.round(seconds / 3600) });
  return localize('common.ago.d', { count: Math.round(seconds / 86_400) });
}

export const milliseconds = (ms: number) => localize('common.ms', { ms: ms.toFixed(ms < 10 ? 1 : 0) });

export const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));
