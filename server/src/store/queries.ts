/**
 * What the admin panel reads: pages of the request log, newest first, with filters; per-client and per-tool
 * figures over a time range; the clients seen. Pages are keyset-paginated on (time, id), so a page costs
 * the same however deep it is and rows written meanwhile do not shift it.
 *
 * Free text has no index (a full-text index would cost every write, for a search the owner runs rarely),
 * so it is bounded instead: one page looks at most TEXT_SCAN_ROWS rows and may come back short, with a
 * cursor to go on from where it stopped. The result is async so these can move to a worker thread without
 * their callers changing.
 */
import type { Connection } from './connection.js';
import { OUTCOMES, type LoggedRequest, type Outcome } from './log-entry.js';

export interface LogFilter {
  /** Inclusive, milliseconds since the epoch. */
  from?: number;
  /** Exclusive. */
  to?: number;
  userId?: string;
  clientName?: string;
  /** The tool, prompt or resource name. */
  target?: string;
  outcome?: Outcome | readonly Outcome[];
  /** Case-insensitive substring of the method, target, error or arguments. */
  text?: string;
}

/** Where a page ends: the (time, id) of its last row. */
export interface LogCursor {
  time: number;
  id: number;
}

export interface LogPage {
  rows: LoggedRequest[];
  /** Pass back to get the next (older) page; null when there is nothing older. A page may be short (even empty) while this is set: a text search stopped to stay quick. */
  next: LogCursor | null;
}

export interface TimeRange {
  from?: number;
  to?: number;
}

/** The requests a figure counts: those in a time range, and only one HA user's when `userId` is set. */
export interface FigureFilter extends TimeRange {
  userId?: string;
}

interface CallFigures {
  calls: number;
  errors: number;
  /** The newest request's time. */
  lastSeen: number;
  p50Ms: number;
  p95Ms: number;
}

export interface ClientFigures extends CallFigures {
  clientName: string | null;
  userId: string | null;
  userName: string | null;
}

export interface ToolFigures extends CallFigures {
  tool: string;
}

/** The requests a series counts: [from, to) cut into buckets of `bucketMs`, the last one cut short at `to`. */
export interface SeriesFilter {
  from: number;
  to: number;
  bucketMs: number;
  userId?: string;
}

/** One bucket of a series: its requests by outcome, and their latencies' p50 and p95 (null when it has none). */
export interface SeriesBucket {
  /** Inclusive; the bucket ends where the next one starts (or at the series' `to`). */
  start: number;
  counts: Record<Outcome, number>;
  total: number;
  p50Ms: number | null;
  p95Ms: number | null;
}

export interface SeenClient {
  userId: string;
  userName: string | null;
  name: string;
  version: string;
  userAgent: string | null;
  firstSeen: number;
  lastSeen: number;
  /** Since first seen, not bounded by log retention. */
  calls: number;
  errors: number;
}

export interface LogQueries {
  page(filter?: LogFilter, options?: { cursor?: LogCursor | null; limit?: number }): Promise<LogPage>;
  /** Per (client name, user), busiest first; failed authentications are not a client's calls. */
  clientFigures(filter?: FigureFilter): Promise<ClientFigures[]>;
  /** Per tool (`tools/call` requests), busiest first. */
  toolFigures(filter?: FigureFilter): Promise<ToolFigures[]>;
  /** The clients table, most recently seen first; only one HA user's clients when `userId` is set. */
  seenClients(userId?: string): Promise<SeenClient[]>;
  /**
   * Requests over time: every bucket of the range, empty ones too, oldest first. Optional only so that
   * stand-ins written before it still type; the store's queries always have it.
   */
  series?(filter: SeriesFilter): Promise<SeriesBucket[]>;
}

/** The database cannot be opened right now (read-only or full disk); the panel shows the log as unavailable. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}

export const DEFAULT_PAGE_ROWS = 100;
export const MAX_PAGE_ROWS = 500;
/** Rows one text search page looks at: about 10 ms on the benchmark's machine, a few times that on a Pi. */
export const TEXT_SCAN_ROWS = 10_000;

const COLUMNS = `id, time, address, user_id AS userId, user_name AS userName, auth, client_name AS clientName,
  client_version AS clientVersion, user_agent AS userAgent, protocol_version AS protocolVersion, method,
  target, arguments, outcome, http_status AS httpStatus, error_code AS errorCode, error,
  latency_ms AS latencyMs, response_bytes AS responseBytes, approval, approval_channel AS approvalChannel,
  approval_by AS approvalBy, approval_ms AS approvalMs`;
const NEWEST_FIRST = 'ORDER BY time DESC, id DESC';

/** `1764000000000.42` for a query string, and back. */
export function formatCursor(cursor: LogCursor): string {
  return `${cursor.time}.${cursor.id}`;
}

export function parseCursor(text: string): LogCursor | null {
  const match = /^(\d{1,15})\.(\d{1,15})$/.exec(text);
  return match ? { time: Number(match[1]), id: Number(match[2]) } : null;
}

export function createLogQueries(connection: Connection, textScanRows = TEXT_SCAN_ROWS): LogQueries {
  const all = <T>(sql: string, params: unknown[]): T[] => {
    try {
      return connection.prepare(sql).all(...params) as T[];
    } catch (err) {
      if (connection.current === null)
        throw new StoreUnavailableError(`the request log is unavailable: ${(err as Error).message}`);
      throw err;
    }
  };
  return {
    async page(filter = {}, options = {}) {
      return readPage(all, filter, options.cursor ?? null, options.limit ?? DEFAULT_PAGE_ROWS, textScanRows);
    },
    async clientFigures(filter = {}) {
      const [where, params] = figureClause(filter, ["outcome <> 'auth_failed'"]);
      return all<ClientFigures>(
        `SELECT client_name AS clientName, user_id AS userId, max(user_name) AS userName, ${FIGURES}
         FROM request_log ${where} GROUP BY client_name, user_id ORDER BY calls DESC, lastSeen DESC`,
        params
      );
    },
    async toolFigures(filter = {}) {
      const [where, params] = figureClause(filter, ["method = 'tools/call'", 'target IS NOT NULL']);
      return all<ToolFigures>(
        `SELECT target AS tool, ${FIGURES} FROM request_log ${where} GROUP BY target ORDER BY calls DESC, tool`,
        params
      );
    },
    async seenClients(userId) {
      return all<SeenClient>(
        `SELECT user_id AS userId, user_name AS userName, name, version, user_agent AS userAgent,
           first_seen AS firstSeen, last_seen AS lastSeen, calls, errors
         FROM clients ${userId === undefined ? '' : 'WHERE user_id = ?'} ORDER BY last_seen DESC`,
        userId === undefined ? [] : [userId]
      );
    },
    async series(filter) {
      return readSeries(all, filter);
    },
  };
}

// percentile_disc comes with the SQLite that better-sqlite3 builds (SQLITE_ENABLE_PERCENTILE); it returns a
// measured value (the one at rank floor((n - 1) * p)), never an interpolation between two.
const FIGURES = `count(*) AS calls, sum(outcome <> 'ok') AS errors, max(time) AS lastSeen,
  percentile_disc(latency_ms, 0.5) AS p50Ms, percentile_disc(latency_ms, 0.95) AS p95Ms`;

type All = <T>(sql: string, params: unknown[]) => T[];

function rangeClause(range: TimeRange, conditions: string[]): [string, unknown[]] {
  const where = [...conditions];
  const params: unknown[] = [];
  if (range.from !== undefined) {
    where.push('time >= ?');
    params.push(range.from);
  }
  if (range.to !== undefined) {
    where.push('time < ?');
    params.push(range.to);
  }
  return [where.length ? `WHERE ${where.join(' AND ')}` : '', params];
}

function figureClause(filter: FigureFilter, conditions: string[]): [string, unknown[]] {
  if (filter.userId === undefined) return rangeClause(filter, conditions);
  const [where, params] = rangeClause(filter, [...conditions, 'user_id = ?']);
  return [where, [filter.userId, ...params]];
}

// Nearest-rank percentiles: the value at rank ceil(p * n) of the bucket's n latencies (tests/bench/report.ts
// `percentile`). SQLite's own sort (a window ranking each bucket by latency) took 0.6 s over 200,000 rows;
// percentile_disc sorts in memory and picks the value at index floor((n - 1) * P), so each bucket is asked
// for with the P that lands on the nearest rank. That takes n first: one count per bucket, from the index
// alone, then one query per non-empty bucket, each a range of the time (or user and time) index. Only a row
// per bucket comes back to JavaScript. Both run in one synchronous turn, so no write falls between them.
const OUTCOME_COUNTS = OUTCOMES.map((o) => `sum(outcome = '${o}') AS ${o}`).join(', ');

/** The 0-based nearest rank of the `percent` percentile of n values, in integers: ceil(percent * n / 100) - 1. */
function nearestRank(n: number, percent: number): number {
  return Math.max(0, Math.ceil((percent * n) / 100) - 1);
}

/** The fraction percentile_disc needs to pick index `rank` of n (half a step past it, so rounding cannot miss). */
function discFraction(n: number, rank: number): number {
  return n <= 1 ? 0 : Math.min(1, (rank + 0.5) / (n - 1));
}

type BucketRow = { p50Ms: number; p95Ms: number } & Record<Outcome, number>;

function readSeries(all: All, filter: SeriesFilter): SeriesBucket[] {
  const { from, to, bucketMs } = filter;
  if (!(bucketMs > 0) || !(to > from)) return [];
  const userId = filter.userId === undefined ? {} : { userId: filter.userId };
  const [where, params] = figureClause({ from, to, ...userId }, []);
  const sizes = all<{ bucket: number; n: number }>(
    `SELECT CAST((time - ?) / ? AS INTEGER) AS bucket, count(*) AS n FROM request_log ${where} GROUP BY bucket`,
    [from, bucketMs, ...params]
  );
  const size = new Map(sizes.map((row) => [row.bucket, row.n]));
  const buckets: SeriesBucket[] = [];
  for (let i = 0, start = from; start < to; i++, start = from + i * bucketMs) {
    const n = size.get(i) ?? 0;
    const counts = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
    if (n === 0) {
      buckets.push({ start, counts, total: 0, p50Ms: null, p95Ms: null });
      continue;
    }
    const [bucketWhere, bucketParams] = figureClause(
      { from: start, to: Math.min(start + bucketMs, to), ...userId },
      []
    );
    const row = all<BucketRow>(
      `SELECT ${OUTCOME_COUNTS}, percentile_disc(latency_ms, ?) AS p50Ms, percentile_disc(latency_ms, ?) AS p95Ms
       FROM request_log ${bucketWhere}`,
      [discFraction(n, nearestRank(n, 50)), discFraction(n, nearestRank(n, 95)), ...bucketParams]
    )[0]!;
    for (const o of OUTCOMES) counts[o] = row[o];
    buckets.push({ start, counts, total: n, p50Ms: row.p50Ms, p95Ms: row.p95Ms });
  }
  return buckets;
}

function readPage(
  all: All,
  filter: LogFilter,
  cursor: LogCursor | null,
  limit: number,
  scanRows: number
): LogPage {
  const rows = Math.max(1, Math.min(MAX_PAGE_ROWS, Math.trunc(limit) || DEFAULT_PAGE_ROWS));
  const outcomes = filter.outcome === undefined ? [] : ([] as Outcome[]).concat(filter.outcome);
  const [where, params] = rangeClause(filter, []);
  const conditions = where ? [where.slice('WHERE '.length)] : [];
  const exact: [string, string | undefined][] = [
    ['user_id', filter.userId],
    ['client_name', filter.clientName],
    ['target', filter.target],
  ];
  for (const [column, value] of exact) {
    if (value === undefined) continue;
    conditions.push(`${column} = ?`);
    params.push(value);
  }
  if (outcomes.length) {
    conditions.push(`outcome IN (${outcomes.map(() => '?').join(', ')})`);
    params.push(...outcomes);
  }
  if (cursor) {
    conditions.push('(time, id) < (?, ?)');
    params.push(cursor.time, cursor.id);
  }
  const whereSql = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
  const text = filter.text?.trim();

  if (!text) {
    const found = all<LoggedRequest>(
      `SELECT ${COLUMNS} FROM request_log ${whereSql} ${NEWEST_FIRST} LIMIT ?`,
      [...params, rows]
    );
    return { rows: found, next: found.length === rows ? cursorOf(found[found.length - 1]!) : null };
  }

  const pattern = `%${text.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
  const like = (column: string) => `${column} LIKE ? ESCAPE '\\'`;
  const matches = ['method', 'target', 'error', 'arguments'].map(like).join(' OR ');
  // The window searched is the newest `scanRows` rows the indexed filters select; the text is matched in it.
  const found = all<LoggedRequest>(
    `SELECT * FROM (SELECT ${COLUMNS} FROM request_log ${whereSql} ${NEWEST_FIRST} LIMIT ?)
     WHERE ${matches} ${NEWEST_FIRST} LIMIT ?`,
    [...params, scanRows, pattern, pattern, pattern, pattern, rows]
  );
  if (found.length === rows) return { rows: found, next: cursorOf(found[found.length - 1]!) };
  // Short: either the window held no more matches (go on from its end) or there is nothing older.
  const windowEnd = all<LogCursor>(
    `SELECT time, id FROM request_log ${whereSql} ${NEWEST_FIRST} LIMIT 1 OFFSET ?`,
    [...params, scanRows - 1]
  );
  return { rows: found, next: windowEnd[0] ? { time: windowEnd[0].time, id: windowEnd[0].id } : null };
}

function cursorOf(row: LoggedRequest): LogCursor {
  return { time: row.time, id: row.id };
}
