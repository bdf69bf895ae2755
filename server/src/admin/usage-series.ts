/**
 * Requests over time, for the Overview's charts:
 *
 *   GET /usage/series?range=24h|7d             → SeriesAnswer (default 24h)
 *   GET /usage/series?from=&to=&bucket=<ms>    → the same over any range (at most MAX_BUCKETS buckets)
 *
 * 24h is hourly buckets and 7d six-hour ones, aligned to whole hours (UTC; whole local hours too, except
 * where the time zone is off by a half or quarter hour) and ending with the bucket that holds now, so a
 * chart's axis does not slide by minutes between two reads. Every bucket is there, empty ones with zero
 * counts and null latencies. Each bucket's counts are the rows GET /logs returns for its time range.
 *
 * Private as the other figures are (access.ts `readerOf`): an administrator sees everyone's requests,
 * anyone else only their own.
 */
import { Hono } from 'hono';
import * as z from 'zod';
import { StoreUnavailableError, type LogQueries, type SeriesFilter } from '../store/queries.js';
import { ownOnly, readerOf } from './access.js';
import { readQuery } from './body.js';
import type { SeriesAnswer, SeriesRange } from './contract.js';
import type { AdminEnv } from './env.js';
import { time } from './log-filter.js';

const HOUR_MS = 60 * 60 * 1000;

/** What each named range covers and how finely. */
export const SERIES_RANGES: Record<SeriesRange, { spanMs: number; bucketMs: number }> = {
  '24h': { spanMs: 24 * HOUR_MS, bucketMs: HOUR_MS },
  '7d': { spanMs: 7 * 24 * HOUR_MS, bucketMs: 6 * HOUR_MS },
};

/** More would be more points than a chart has pixels, and an answer that grows with a typo. */
export const MAX_BUCKETS = 1_000;

export interface UsageSeriesDeps {
  queries: Pick<LogQueries, 'series'>;
  now: () => number;
}

const SeriesQuery = z
  .object({
    range: z.enum(['24h', '7d']).optional(),
    from: time.optional(),
    to: time.optional(),
    bucket: z.coerce.number().int().positive().optional(),
  })
  .superRefine((q, ctx) => {
    const explicit = q.from !== undefined || q.to !== undefined || q.bucket !== undefined;
    if (!explicit) return;
    if (q.range !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['range'], message: 'give either range or from, to and bucket' });
      return;
    }
    for (const field of ['from', 'to', 'bucket'] as const) {
      if (q[field] === undefined)
        ctx.addIssue({ code: 'custom', path: [field], message: 'required with from/to/bucket' });
    }
    if (q.from === undefined || q.to === undefined || q.bucket === undefined) return;
    if (q.to <= q.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    else if (Math.ceil((q.to - q.from) / q.bucket) > MAX_BUCKETS)
      ctx.addIssue({ code: 'custom', path: ['bucket'], message: `at most ${MAX_BUCKETS} buckets` });
  });

/** A named range ending with the bucket that holds `now`. */
export function namedRange(range: SeriesRange, now: number): { from: number; to: number; bucketMs: number } {
  const { spanMs, bucketMs } = SERIES_RANGES[range];
  const to = Math.floor(now / bucketMs) * bucketMs + bucketMs;
  return { from: to - spanMs, to, bucketMs };
}

export function usageSeriesRoutes(deps: UsageSeriesDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();

  app.get('/usage/series', async (c) => {
    const query = readQuery(c, SeriesQuery);
    const range: SeriesFilter =
      query.from !== undefined && query.to !== undefined && query.bucket !== undefined
        ? { from: query.from, to: query.to, bucketMs: query.bucket }
        : namedRange(query.range ?? '24h', deps.now());
    if (!deps.queries.series)
      throw new StoreUnavailableError('the request log cannot count requests over time');
    const buckets = await deps.queries.series(ownOnly(range, await readerOf(c)));
    return c.json({
      from: range.from,
      to: range.to,
      bucketMs: range.bucketMs,
      buckets,
    } satisfies SeriesAnswer);
  });

  return app;
}
