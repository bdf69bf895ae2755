/**
 * The store: how fast the request log writes, what record() costs the request that calls it, and how fast
 * the panel's filtered pages are over a million rows. Each figure uses its own temporary database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as yieldToLoop, setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '../../server/src/log.js';
import type { Outcome, RequestLogEntry } from '../../server/src/store/log-entry.js';
import type { LogCursor, LogFilter } from '../../server/src/store/queries.js';
import { openStore, type Store } from '../../server/src/store/store.js';
import { percentile, type BenchContext, type Benchmark } from './report.js';

const SUSTAIN_MS = 4_000;
const STEADY_MS = 3_000;
const BIG_LOG_ROWS = 1_000_000;
const DAY = 86_400_000;

const TOOLS = [
  'HassTurnOn',
  'HassTurnOff',
  'GetLiveContext',
  'HassLightSet',
  'GetDateTime',
  'todo_get_items',
];
const USERS = ['u-alice', 'u-bob', 'u-carol'];
const CLIENTS = ['Claude', 'ChatGPT', 'Cursor', 'gemini-cli'];

/** A plausible request: mostly successful tool calls with small arguments, a few errors. */
function request(i: number, time: number): RequestLogEntry {
  // Prime periods, so that every user, client and tool gets its share of errors.
  const outcome: Outcome = i % 101 === 0 ? 'tool_error' : i % 997 === 0 ? 'rpc_error' : 'ok';
  return {
    time,
    address: `192.168.1.${i % 50}`,
    userId: USERS[i % USERS.length]!,
    userName: `User ${i % USERS.length}`,
    auth: 'oauth_grant',
    clientName: CLIENTS[i % CLIENTS.length]!,
    clientVersion: '1.4.2',
    userAgent: 'claude-ai/1.4.2 (node)',
    protocolVersion: '2025-06-18',
    method: 'tools/call',
    target: TOOLS[i % TOOLS.length]!,
    arguments: { name: `Kitchen light ${i % 97}`, area: 'Kitchen', brightness: i % 100, token: 'not-kept' },
    outcome,
    httpStatus: 200,
    error: outcome === 'ok' ? null : `no entity named lamp ${i % 13}`,
    latencyMs: 2 + (i % 50) * 0.37,
    responseBytes: 200 + (i % 500),
  };
}

function temporaryStore(dir: string, maxRows: number): Store {
  return openStore({
    dataDir: dir,
    options: { log_retention_days: 3650, log_max_rows: maxRows },
    log: createLogger('warning'),
    tuning: { retentionFirstMs: 3_600_000 },
  });
}

/** Times each write the writer makes (the event loop is held that long). */
function timeWrites(store: Store): number[] {
  const writer = store.requestLog;
  const durations: number[] = [];
  const flush = writer.flush.bind(writer);
  writer.flush = (transactions?: number) => {
    const start = performance.now();
    const done = flush(transactions);
    durations.push(performance.now() - start);
    return done;
  };
  return durations;
}

/** Requests logged as fast as one thread can, the writer running between bursts as it does in the server. */
async function sustainedWrites(ctx: BenchContext, dir: string): Promise<void> {
  const store = temporaryStore(dir, 10_000_000);
  const writer = store.requestLog;
  const costs: number[] = [];
  let i = 0;
  const start = performance.now();
  while (performance.now() - start < SUSTAIN_MS) {
    for (let burst = 0; burst < 500; burst++, i++) {
      const entry = request(i, Date.now());
      const t0 = process.hrtime.bigint();
      writer.record(entry);
      costs.push(Number(process.hrtime.bigint() - t0) / 1_000);
    }
    await yieldToLoop();
  }
  writer.flush();
  const elapsed = (performance.now() - start) / 1000;
  const { written, dropped } = writer.stats();
  costs.sort((a, b) => a - b);
  ctx.report({
    name: 'request log: rows/s written, sustained',
    value: written / elapsed,
    unit: 'rows/s',
    target: { op: '>=', value: 20_000 },
  });
  ctx.report({ name: 'request log: rows dropped meanwhile', value: dropped, unit: 'rows' });
  ctx.report({
    name: 'record(): p99 cost to the request',
    value: percentile(costs, 99),
    unit: 'µs',
    target: { op: '<=', value: 200 },
  });
  ctx.report({ name: 'record(): p99.9 cost to the request', value: percentile(costs, 99.9), unit: 'µs' });
  await store.close();
}

/** A steady load, busy (far above a home's) or homely: how long each of the writer's turns holds the event loop. */
async function steadyWrites(ctx: BenchContext, dir: string, rate: number): Promise<void> {
  const store = temporaryStore(dir, 10_000_000);
  const durations = timeWrites(store);
  const start = performance.now();
  for (let i = 0, elapsed = 0; elapsed < STEADY_MS; elapsed = performance.now() - start) {
    // As many requests as the rate calls for by now, then the event loop's turn.
    for (; i < (elapsed * rate) / 1000; i++) store.requestLog.record(request(i, Date.now()));
    await sleep(10);
  }
  durations.sort((a, b) => a - b);
  ctx.report({
    name: `writer turn at ~${rate} requests/s: median event loop held`,
    value: percentile(durations, 50),
    unit: 'ms',
  });
  ctx.report({
    name: `writer turn at ~${rate} requests/s: max event loop held`,
    value: durations[durations.length - 1]!,
    unit: 'ms',
  });
  await store.close();
}

/** Median time of `run` over `times` runs, after one warm-up. */
async function median(times: number, run: () => Promise<unknown>): Promise<number> {
  await run();
  const samples: number[] = [];
  for (let k = 0; k < times; k++) {
    const t0 = performance.now();
    await run();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return percentile(samples, 50);
}

async function bigLog(ctx: BenchContext, dir: string): Promise<void> {
  const store = temporaryStore(dir, 10_000_000);
  const now = Date.now();
  const first = now - 30 * DAY;
  const step = (30 * DAY) / BIG_LOG_ROWS;
  const filling = performance.now();
  for (let i = 0; i < BIG_LOG_ROWS; i++) {
    store.requestLog.record(request(i, Math.round(first + i * step)));
    if (i % 5_000 === 4_999) store.requestLog.flush();
  }
  store.requestLog.flush();
  ctx.report({
    name: `log of ${BIG_LOG_ROWS} rows: filled in`,
    value: (performance.now() - filling) / 1000,
    unit: 's',
  });

  const middle = (await store.queries.page({}, { limit: 1 })).rows[0]!;
  const deep: LogCursor = { time: Math.round(first + 15 * DAY), id: Math.round(middle.id / 2) };
  const filters: [string, LogFilter, LogCursor | null][] = [
    ['no filter', {}, null],
    ['tool', { target: 'HassTurnOn' }, null],
    ['outcome (1% of rows)', { outcome: 'tool_error' }, null],
    ['user + tool', { userId: 'u-bob', target: 'HassTurnOff' }, null],
    [
      'client + errors + last 7 days',
      { clientName: 'Cursor', outcome: ['tool_error', 'rpc_error'], from: now - 7 * DAY },
      null,
    ],
    ['tool, 500,000 rows deep', { target: 'HassLightSet' }, deep],
  ];
  for (const [name, filter, cursor] of filters) {
    const ms = await median(30, async () => {
      const page = await store.queries.page(filter, { cursor, limit: 100 });
      if (page.rows.length !== 100) throw new Error(`${name}: ${page.rows.length} rows`);
    });
    ctx.report({
      name: `page of newest 100 over 1M rows: ${name}`,
      value: ms,
      unit: 'ms',
      target: { op: '<=', value: 20 },
    });
  }
  ctx.report({
    name: 'text search page over 1M rows, no match (bounded window)',
    value: await median(10, () => store.queries.page({ text: 'no such text anywhere' })),
    unit: 'ms',
  });
  ctx.report({
    name: 'tool figures (p50/p95), last 24 h (~33k rows)',
    value: await median(5, () => store.queries.toolFigures({ from: now - DAY })),
    unit: 'ms',
  });
  ctx.report({
    name: 'client figures (p50/p95), last 24 h (~33k rows)',
    value: await median(5, () => store.queries.clientFigures({ from: now - DAY })),
    unit: 'ms',
  });
  ctx.report({
    name: 'usage series (counts, p50/p95), last 7 days in 6-hour buckets (~233k rows)',
    value: await median(5, () => store.queries.series!({ from: now - 7 * DAY, to: now, bucketMs: DAY / 4 })),
    unit: 'ms',
  });
  // Lowered limits: each retention step deletes up to 1,000 of the oldest rows.
  store.retention.setLimits({ maxAgeDays: 3650, maxRows: BIG_LOG_ROWS - 100_000 });
  const steps: number[] = [];
  for (let k = 0; k < 50; k++) {
    const t0 = performance.now();
    store.retention.step();
    steps.push(performance.now() - t0);
  }
  steps.sort((a, b) => a - b);
  ctx.report({
    name: 'retention step (1,000 rows of 1M): median event loop held',
    value: percentile(steps, 50),
    unit: 'ms',
  });
  // The first step of a cycle also counts the rows.
  ctx.report({
    name: 'retention step (1,000 rows of 1M): max event loop held',
    value: steps[steps.length - 1]!,
    unit: 'ms',
  });
  await store.close();
}

const bench: Benchmark = {
  name: 'store',
  async run(ctx) {
    const dir = mkdtempSync(join(tmpdir(), 'store-bench-'));
    try {
      await sustainedWrites(ctx, join(dir, 'sustained'));
      await steadyWrites(ctx, join(dir, 'steady-busy'), 2_000);
      await steadyWrites(ctx, join(dir, 'steady-home'), 20);
      await bigLog(ctx, join(dir, 'big'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
