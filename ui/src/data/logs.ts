/** The request log: keyset pages, exports and the live tail, all with the store's filters. */
import { api, apiUrl, query } from './api';
import type {
  LogExportFormat,
  LogExportQuery,
  LogPageAnswer,
  LogPageQuery,
  LogQuery,
  LogRow,
  LogTailEvents,
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

/** How long the tail's first event may take before the stream counts as held back, and how often to poll then. */
export const FIRST_EVENT_MS = 4_000;
export const POLL_MS = 3_000;

/** `on`: events arrive as they happen; `polling`: the newest page is asked for every POLL_MS instead. */
export type LiveState = 'connecting' | 'on' | 'retrying' | 'polling';

export interface LiveLog {
  /** Requests written since, newest first; a poll may repeat rows the caller already has. */
  rows(rows: LogRow[]): void;
  /** Rows the tail left out because the browser read too slowly. */
  gap(dropped: number): void;
  state(state: LiveState): void;
}

const data = <K extends keyof LogTailEvents>(event: Event) =>
  JSON.parse((event as MessageEvent<string>).data) as LogTailEvents[K];

/**
 * New requests as they are written, until the returned function is called. The tail names its first event
 * at once; when that has not come within FIRST_EVENT_MS, something on the way holds the stream back (Home
 * Assistant's ingress compressed event streams until Core 2026.3, and the compressor kept events until
 * kilobytes had piled up), so the stream is closed, which frees the browser's connection, and the newest
 * page is asked for at once and then every POLL_MS.
 */
export function followLog(filter: LogFilter, on: LiveLog): () => void {
  let stopped = false;
  let poll: number | undefined;
  const source = new EventSource(logTailUrl(filter));
  const tick = async () => {
    try {
      const page = await fetchLogPage(filter);
      if (stopped) return;
      on.rows(page.rows);
      on.state('polling');
    } catch {
      if (stopped) return;
      on.state('retrying');
    }
    poll = window.setTimeout(() => void tick(), POLL_MS);
  };
  const heldBack = window.setTimeout(() => {
    source.close();
    on.state('polling');
    void tick();
  }, FIRST_EVENT_MS);
  source.addEventListener('ready', () => {
    window.clearTimeout(heldBack);
    on.state('on');
  });
  source.addEventListener('row', (event) => on.rows([data<'row'>(event)]));
  source.addEventListener('gap', (event) => on.gap(data<'gap'>(event).dropped));
  source.onerror = () => on.state('retrying');
  on.state('connecting');
  return () => {
    stopped = true;
    window.clearTimeout(heldBack);
    window.clearTimeout(poll);
    source.close();
  };
}
