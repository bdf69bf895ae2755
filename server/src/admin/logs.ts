/**
 * The request log, as the panel reads it (filters in log-filter.ts):
 *
 *   GET /logs?<filters>&cursor=&limit=     → { rows, next }   newest first; pass `next` back as `cursor`
 *                                                             for older rows (null: nothing older)
 *   GET /logs/export?format=csv|json&<filters>   → a download of every matching row, newest first, at most
 *                                                  EXPORT_MAX_ROWS; streamed a page at a time
 *   GET /logs/tail?<filters>               → Server-Sent Events (log-tail.ts)
 *
 * All three are private (access.ts `readerOf`): an administrator reads everyone's requests, anyone else
 * only their own, whatever `user` the query names.
 */
import { Hono } from 'hono';
import * as z from 'zod';
import type { LoggedRequest } from '../store/log-entry.js';
import type { LiveTail } from '../store/live-tail.js';
import {
  formatCursor,
  MAX_PAGE_ROWS,
  parseCursor,
  type LogCursor,
  type LogFilter,
  type LogQueries,
} from '../store/queries.js';
import type { Logger } from '../log.js';
import { ownOnly, readerOf } from './access.js';
import { readQuery } from './body.js';
import type { LogExportFormat, LogPageAnswer } from './contract.js';
import { CSV_HEADER, csvRow } from './csv.js';
import type { AdminEnv } from './env.js';
import { FilterQuery, logFilter } from './log-filter.js';
import { tailResponse } from './log-tail.js';

export const EXPORT_MAX_ROWS = 100_000;

export interface LogsDeps {
  queries: Pick<LogQueries, 'page'>;
  tail: Pick<LiveTail, 'subscribe'>;
  log: Logger;
  exportMaxRows?: number;
  keepAliveMs?: number;
  /** Aborted when the listener stops: live tails end so the stop is not held up by them. */
  signal?: AbortSignal;
}

const cursor = z.string().transform((text, ctx) => {
  const parsed = parseCursor(text);
  if (!parsed) {
    ctx.addIssue({ code: 'custom', message: 'must be a cursor from a previous page' });
    return z.NEVER;
  }
  return parsed;
});

const PageQuery = FilterQuery.extend({
  cursor: cursor.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_ROWS).optional(),
});

const ExportQuery = FilterQuery.extend({ format: z.enum(['csv', 'json']).default('csv') });

const encoder = new TextEncoder();

interface ExportFormat {
  type: string;
  start: string;
  row: (row: LoggedRequest, first: boolean) => string;
  end: string;
}

const FORMATS: Record<LogExportFormat, ExportFormat> = {
  csv: { type: 'text/csv; charset=utf-8', start: CSV_HEADER, row: csvRow, end: '' },
  json: {
    type: 'application/json; charset=utf-8',
    start: '[',
    row: (row, first) => (first ? '\n' : ',\n') + JSON.stringify(row),
    end: '\n]\n',
  },
};

/** `mcp-requests-20261123-200000.csv`, in UTC. */
const fileName = (now: Date, ext: string) =>
  `mcp-requests-${now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-')}.${ext}`;

/**
 * Every matching row, a page at a time, pulled as the client reads: a slow download holds one page in
 * memory, not the log. The first page is read before answering, so a log that cannot be read is a 503, not
 * a broken download.
 */
async function exportStream(
  queries: Pick<LogQueries, 'page'>,
  filter: LogFilter,
  format: ExportFormat,
  maxRows: number,
  log: Logger
): Promise<ReadableStream<Uint8Array>> {
  let page = await queries.page(filter, { limit: MAX_PAGE_ROWS });
  let written = 0;
  let started = false;
  let cancelled = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        let text = started ? '' : format.start;
        started = true;
        // A text search may answer a short or empty page with a cursor: go on until some rows come or none remain.
        for (;;) {
          for (const row of page.rows.slice(0, maxRows - written)) text += format.row(row, written++ === 0);
          const next: LogCursor | null = written < maxRows ? page.next : null;
          if (!next) {
            controller.enqueue(encoder.encode(text + format.end));
            controller.close();
            return;
          }
          page = await queries.page(filter, { cursor: next, limit: MAX_PAGE_ROWS });
          if (cancelled) return;
          if (text) break;
        }
        controller.enqueue(encoder.encode(text));
      } catch (err) {
        log.warning(`request log export stopped: ${(err as Error).message}`);
        controller.error(err);
      }
    },
    cancel() {
      cancelled = true;
    },
  });
}

export function logsRoutes(deps: LogsDeps): Hono<AdminEnv> {
  const maxRows = deps.exportMaxRows ?? EXPORT_MAX_ROWS;
  const app = new Hono<AdminEnv>();

  app.get('/logs', async (c) => {
    const params = readQuery(c, PageQuery);
    const page = await deps.queries.page(ownOnly(logFilter(params), await readerOf(c)), {
      cursor: params.cursor ?? null,
      ...(params.limit ? { limit: params.limit } : {}),
    });
    return c.json({
      rows: page.rows,
      next: page.next ? formatCursor(page.next) : null,
    } satisfies LogPageAnswer);
  });

  app.get('/logs/export', async (c) => {
    const params = readQuery(c, ExportQuery);
    const format = FORMATS[params.format];
    const filter = ownOnly(logFilter(params), await readerOf(c));
    const body = await exportStream(deps.queries, filter, format, maxRows, deps.log);
    return new Response(body, {
      headers: {
        'content-type': format.type,
        'content-disposition': `attachment; filename="${fileName(new Date(), params.format)}"`,
        'cache-control': 'no-store',
        'x-export-max-rows': String(maxRows),
      },
    });
  });

  app.get('/logs/tail', async (c) => {
    // Every row the tail sends passes this filter (log-tail.ts), so another user's row never reaches a viewer
    // who may read only their own.
    const filter = ownOnly(logFilter(readQuery(c, FilterQuery)), await readerOf(c));
    return tailResponse(deps.tail, filter, {
      ...(deps.keepAliveMs !== undefined ? { keepAliveMs: deps.keepAliveMs } : {}),
      ...(deps.signal ? { signal: deps.signal } : {}),
    });
  });

  return app;
}
