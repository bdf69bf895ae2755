/** The request log: keyset pages, exports and the live tail, all with the store's filters. */
import { api, apiUrl, query } from './api';
// The row is the server's own type (a file of plain types and constants).
import type { LoggedRequest } from '../../../server/src/store/log-entry';
export { OUTCOMES, type LoggedRequest, type Outcome } from '../../../server/src/store/log-entry';

export interface LogPage {
  rows: LoggedRequest[];
  /** The cursor of the next (older) page; null at the end. */
  next: string | null;
}

/** The filters the panel offers (server/src/admin/log-filter.ts takes these names). */
export interface LogFilter {
  /** Free text in the method, target, error or arguments. */
  q: string;
  outcome: string;
  /** A tool, prompt or resource name, exactly. */
  tool: string;
  /** An HA user id. */
  user: string;
  /** A client's name, exactly. */
  client: string;
  /** `datetime-local` values (the browser's time zone); empty for no bound. */
  from: string;
  to: string;
}

export const NO_FILTER: LogFilter = { q: '', outcome: '', tool: '', user: '', client: '', from: '', to: '' };

/** A `datetime-local` value as milliseconds since the epoch (what the API takes), or nothing. */
const epoch = (local: string) => {
  const ms = local ? new Date(local).getTime() : NaN;
  return Number.isFinite(ms) ? String(ms) : undefined;
};

export const PAGE_SIZE = 100;

const params = (filter: LogFilter) => ({
  q: filter.q,
  outcome: filter.outcome,
  tool: filter.tool,
  user: filter.user,
  client: filter.client,
  from: epoch(filter.from),
  to: epoch(filter.to),
});

export const fetchLogPage = (filter: LogFilter, cursor?: string) =>
  api<LogPage>(`/logs${query({ ...params(filter), limit: String(PAGE_SIZE), cursor })}`);

export const logExportUrl = (filter: LogFilter, format: 'csv' | 'json') =>
  apiUrl('/logs/export', { ...params(filter), format });

/** Server-Sent Events: `ready`, then a `row` per request written, and `gap` when rows were left out. */
export const logTailUrl = (filter: LogFilter) => apiUrl('/logs/tail', params(filter));
