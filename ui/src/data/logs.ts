/** The request log: keyset pages, exports and the live tail, all with the store's filters. */
import { api, apiUrl, query } from './api';
import type {
  LogExportFormat,
  LogExportQuery,
  LogPageAnswer,
  LogPageQuery,
  LogQuery,
} from '../../../server/src/admin/contract';

export { OUTCOMES, type LogRow, type LogTailEvents, type Outcome } from '../../../server/src/admin/contract';

/** The filters the panel offers, as it holds them (the API's `LogQuery` takes these names). */
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

const params = (filter: LogFilter): LogQuery => ({
  q: filter.q,
  outcome: filter.outcome,
  tool: filter.tool,
  user: filter.user,
  client: filter.client,
  from: epoch(filter.from),
  to: epoch(filter.to),
});

export const fetchLogPage = (filter: LogFilter, cursor?: string) =>
  api<LogPageAnswer>(
    `/logs${query({ ...params(filter), limit: String(PAGE_SIZE), cursor } satisfies LogPageQuery)}`
  );

export const logExportUrl = (filter: LogFilter, format: LogExportFormat) =>
  apiUrl('/logs/export', { ...params(filter), format } satisfies LogExportQuery);

/** Server-Sent Events (`LogTailEvents`): `ready`, then a `row` per request written, and `gap` when rows were left out. */
export const logTailUrl = (filter: LogFilter) => apiUrl('/logs/tail', params(filter));
