/**
 * Who uses the MCP endpoint and how, over a time range (default: the last 24 hours; the figures cost in
 * proportion to the rows in the range, so the panel asks for a day or a week):
 *
 *   GET /clients?from=&to=       → { from, to, clients: [ClientRow] }
 *   GET /tools-usage?from=&to=   → { from, to, tools: [{ tool, calls, errors, lastSeen, p50Ms, p95Ms }] }
 *
 * A client is a (user, client name): the clients table says which versions and user agents were seen and
 * what it did since it was first seen (`total`); the request log adds the range's calls, errors and
 * latencies (`range`). Requests that never named a client appear with `name: null`.
 *
 * Both are private (access.ts `readerOf`): an administrator reads everyone's figures, anyone else only those
 * of their own requests; so the Logs page's user filter, which lists the clients' users, names no one else.
 */
import { Hono } from 'hono';
import * as z from 'zod';
import type { ClientFigures, FigureFilter, LogQueries, SeenClient } from '../store/queries.js';
import { readQuery } from './body.js';
import type { ClientRow, ClientsAnswer, ToolsUsageAnswer } from './contract.js';
import { ownOnly, readerOf } from './access.js';
import type { AdminEnv } from './env.js';
import { time } from './log-filter.js';

export const DAY_MS = 24 * 60 * 60 * 1000;

export interface UsageDeps {
  queries: Pick<LogQueries, 'clientFigures' | 'toolFigures' | 'seenClients'>;
  now: () => number;
}

const RangeQuery = z.object({ from: time.optional(), to: time.optional() });

const keyOf = (userId: string | null, name: string | null) => JSON.stringify([userId, name]);

/** Joins the clients table with the range's figures, most recently seen first. */
export function clientRows(seen: SeenClient[], figures: ClientFigures[]): ClientRow[] {
  const rows = new Map<string, ClientRow>();
  for (const client of [...seen].sort((a, b) => b.lastSeen - a.lastSeen)) {
    const key = keyOf(client.userId, client.name);
    const row = rows.get(key);
    if (!row) {
      rows.set(key, {
        userId: client.userId,
        userName: client.userName,
        name: client.name,
        version: client.version || null,
        versions: client.version ? [client.version] : [],
        userAgent: client.userAgent,
        firstSeen: client.firstSeen,
        lastSeen: client.lastSeen,
        total: { calls: client.calls, errors: client.errors },
        range: null,
      });
      continue;
    }
    if (client.version && !row.versions.includes(client.version)) row.versions.push(client.version);
    row.firstSeen = Math.min(row.firstSeen ?? client.firstSeen, client.firstSeen);
    row.total!.calls += client.calls;
    row.total!.errors += client.errors;
  }
  for (const figure of figures) {
    const key = keyOf(figure.userId, figure.clientName);
    const range = {
      calls: figure.calls,
      errors: figure.errors,
      lastSeen: figure.lastSeen,
      p50Ms: figure.p50Ms,
      p95Ms: figure.p95Ms,
    };
    const row = rows.get(key);
    if (row) {
      row.range = range;
      row.lastSeen = Math.max(row.lastSeen, figure.lastSeen);
      row.userName ??= figure.userName;
    } else {
      rows.set(key, {
        userId: figure.userId,
        userName: figure.userName,
        name: figure.clientName,
        version: null,
        versions: [],
        userAgent: null,
        firstSeen: null,
        lastSeen: figure.lastSeen,
        total: null,
        range,
      });
    }
  }
  return [...rows.values()].sort((a, b) => b.lastSeen - a.lastSeen);
}

export function usageRoutes(deps: UsageDeps): Hono<AdminEnv> {
  const rangeOf = (params: z.output<typeof RangeQuery>) => ({
    from: params.from ?? deps.now() - DAY_MS,
    to: params.to ?? null,
  });
  const figureFilter = (range: ReturnType<typeof rangeOf>): FigureFilter => ({
    from: range.from,
    ...(range.to !== null ? { to: range.to } : {}),
  });
  const app = new Hono<AdminEnv>();

  app.get('/clients', async (c) => {
    const range = rangeOf(readQuery(c, RangeQuery));
    const reader = await readerOf(c);
    const [seen, figures] = await Promise.all([
      deps.queries.seenClients(reader.everyone ? undefined : reader.userId),
      deps.queries.clientFigures(ownOnly(figureFilter(range), reader)),
    ]);
    return c.json({ ...range, clients: clientRows(seen, figures) } satisfies ClientsAnswer);
  });

  app.get('/tools-usage', async (c) => {
    const range = rangeOf(readQuery(c, RangeQuery));
    const tools = await deps.queries.toolFigures(ownOnly(figureFilter(range), await readerOf(c)));
    return c.json({ ...range, tools } satisfies ToolsUsageAnswer);
  });

  return app;
}
