/**
 * The request-log filters the panel sends as query parameters, shared by the page, the export and the
 * live tail:
 *
 *   from, to   milliseconds since the epoch or an ISO date; from inclusive, to exclusive
 *   user       HA user id        client  client name        tool  tool, prompt or resource name
 *   outcome    one or more of ok, tool_error, rpc_error, http_error, auth_failed (comma-separated)
 *   q          free text in the method, target, error or arguments (case-insensitive)
 */
import * as z from 'zod';
import type { LogFilter } from '../store/queries.js';
import { OUTCOMES, type LoggedRequest, type Outcome } from '../store/log-entry.js';

export const time = z.string().transform((text, ctx) => {
  const value = /^\d{1,15}$/.test(text) ? Number(text) : Date.parse(text);
  if (Number.isNaN(value)) {
    ctx.addIssue({ code: 'custom', message: 'must be milliseconds since the epoch or an ISO date' });
    return z.NEVER;
  }
  return value;
});

const outcomes = z.string().transform((text, ctx) => {
  const list = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = list.filter((o) => !(OUTCOMES as readonly string[]).includes(o));
  if (unknown.length) {
    ctx.addIssue({
      code: 'custom',
      message: `unknown outcome '${unknown[0]}'; one of ${OUTCOMES.join(', ')}`,
    });
    return z.NEVER;
  }
  return list as Outcome[];
});

export const FilterQuery = z.object({
  from: time.optional(),
  to: time.optional(),
  user: z.string().max(200).optional(),
  client: z.string().max(200).optional(),
  tool: z.string().max(500).optional(),
  outcome: outcomes.optional(),
  q: z.string().max(200).optional(),
});

export type FilterParams = z.output<typeof FilterQuery>;

export function logFilter(params: FilterParams): LogFilter {
  const filter: LogFilter = {};
  if (params.from !== undefined) filter.from = params.from;
  if (params.to !== undefined) filter.to = params.to;
  if (params.user !== undefined) filter.userId = params.user;
  if (params.client !== undefined) filter.clientName = params.client;
  if (params.tool !== undefined) filter.target = params.tool;
  if (params.outcome?.length) filter.outcome = params.outcome;
  if (params.q?.trim()) filter.text = params.q.trim();
  return filter;
}

/** The same filter, for rows pushed by the live tail (the store applies it to pages). */
export function rowMatches(row: LoggedRequest, filter: LogFilter): boolean {
  if (filter.from !== undefined && row.time < filter.from) return false;
  if (filter.to !== undefined && row.time >= filter.to) return false;
  if (filter.userId !== undefined && row.userId !== filter.userId) return false;
  if (filter.clientName !== undefined && row.clientName !== filter.clientName) return false;
  if (filter.target !== undefined && row.target !== filter.target) return false;
  if (filter.outcome !== undefined && !([] as Outcome[]).concat(filter.outcome).includes(row.outcome)) {
    return false;
  }
  if (filter.text) {
    const text = filter.text.toLowerCase();
    return [row.method, row.target, row.error, row.arguments].some((v) => v?.toLowerCase().includes(text));
  }
  return true;
}
