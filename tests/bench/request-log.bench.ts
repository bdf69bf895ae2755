/**
 * What logging a request costs the request (issue 8): the MCP routes served in-process, once with the
 * request log behind them (a real store on disk) and once without a log hook, for a small answer and a
 * live-context-sized one. Both variants watch the response (the record needs its outcome), so the response
 * watch is timed on its own too. Alternating rounds, medians of per-request times.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Principal } from '../../server/src/ha/principals.js';
import type { ApiInstance } from '../../server/src/llm/api.js';
import { createLogger } from '../../server/src/log.js';
import { tapResponse } from '../../server/src/mcp/response-tap.js';
import { createMcpRoutes } from '../../server/src/mcp/routes.js';
import { logRequests } from '../../server/src/request-logging.js';
import { openStore } from '../../server/src/store/store.js';
import { percentile, type BenchContext, type Benchmark } from './report.js';

const ROUNDS = 6;
const PER_ROUND = 400;

const caller: Principal = {
  userId: 'bench',
  name: 'Bench',
  isAdmin: false,
  authKind: 'long_lived_token',
  token: 'bench-token',
  tokenHash: 'bench-hash',
};

/** About what GetLiveContext answers at 5,000 exposed entities. */
const BIG_TEXT = Array.from(
  { length: 5_000 },
  (_, i) => `- names: Bench sensor ${i}\n  domain: sensor\n  state: '1${i % 10}.5 °C'\n`
).join('');

const instance: ApiInstance = {
  tools: ['small', 'big'].map((size) => ({
    name: size,
    description: `answers a ${size} text`,
    inputSchema: { type: 'object' as const, properties: {} },
    annotations: { readOnlyHint: true },
    async run() {
      return { text: size === 'big' ? BIG_TEXT : '{"success":true,"result":"ok"}' };
    },
  })),
  prompt: { name: 'bench', description: '', text: '' },
  resources: [],
};

const quiet = createLogger('error', () => {});

function routes(onRequest?: Parameters<typeof createMcpRoutes>[0]['onRequest']) {
  return createMcpRoutes({
    authenticate: async () => ({ ok: true, principal: caller }),
    instanceFor: () => instance,
    log: quiet,
    validateArguments: false,
    ...(onRequest && { onRequest }),
  });
}

const callTool = (name: string) =>
  new Request('http://127.0.0.1/api/mcp', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: 'Bearer bench-token',
      'mcp-protocol-version': '2025-06-18',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: {} } }),
  });

async function timeRequests(app: ReturnType<typeof routes>, tool: string, into: number[]): Promise<void> {
  for (let i = 0; i < PER_ROUND; i++) {
    const started = process.hrtime.bigint();
    const res = await app.request(callTool(tool));
    await res.arrayBuffer();
    into.push(Number(process.hrtime.bigint() - started) / 1_000);
  }
}

async function timeTap(body: string, tapped: boolean, into: number[]): Promise<void> {
  for (let i = 0; i < PER_ROUND; i++) {
    const started = process.hrtime.bigint();
    const response = new Response(body, { headers: { 'content-type': 'application/json' } });
    await (tapped ? tapResponse(response, () => {}) : response).arrayBuffer();
    into.push(Number(process.hrtime.bigint() - started) / 1_000);
  }
}

const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50
  );

const bench: Benchmark = {
  name: 'request log: cost per MCP request (in-process)',
  async run(ctx: BenchContext) {
    const dir = mkdtempSync(join(tmpdir(), 'request-log-bench-'));
    const store = openStore({
      dataDir: dir,
      options: { log_retention_days: 30, log_max_rows: 1_000_000 },
      log: quiet,
    });
    try {
      const logged = routes(logRequests(store));
      const unlogged = routes();
      for (const tool of ['small', 'big']) {
        const withLog: number[] = [];
        const withoutLog: number[] = [];
        await timeRequests(logged, tool, []); // warm-up
        await timeRequests(unlogged, tool, []);
        for (let round = 0; round < ROUNDS; round++) {
          await timeRequests(logged, tool, withLog);
          await timeRequests(unlogged, tool, withoutLog);
        }
        const size = tool === 'big' ? `${(BIG_TEXT.length / 1024).toFixed(0)} KB answer` : 'small answer';
        ctx.report({
          name: `tools/call, ${size}: without a log hook, p50`,
          value: median(withoutLog),
          unit: 'µs',
        });
        ctx.report({ name: `tools/call, ${size}: logged, p50`, value: median(withLog), unit: 'µs' });
        ctx.report({
          name: `tools/call, ${size}: cost of the log hook (difference of p50s)`,
          value: median(withLog) - median(withoutLog),
          unit: 'µs',
        });
      }
      for (const [label, text] of [
        ['small', '{"jsonrpc":"2.0","id":1,"result":{"content":[{"type":"text","text":"ok"}]}}'],
        [
          'big',
          JSON.stringify({ jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: BIG_TEXT }] } }),
        ],
      ] as const) {
        const plain: number[] = [];
        const tapped: number[] = [];
        for (let round = 0; round < ROUNDS; round++) {
          await timeTap(text, false, plain);
          await timeTap(text, true, tapped);
        }
        ctx.report({
          name: `response watch (outcome for the log), ${label} answer of ${(text.length / 1024).toFixed(1)} KB: added p50`,
          value: median(tapped) - median(plain),
          unit: 'µs',
        });
      }
      await store.requestLog.flush();
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
