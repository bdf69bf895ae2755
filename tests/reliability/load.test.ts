/**
 * Load (issue 9): 50 clients making 200 mixed calls each against the server process and the real test HA,
 * with no errors; and memory that stays flat over 100,000 requests after a warm-up, measured in-process
 * (the MCP routes, the Assist API on the live model, the request log on disk) with forced collections, so
 * that growth means something is kept that should not be.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Hono } from 'hono';
import type { Principal } from '../../server/src/ha/principals.js';
import { createAssistApi } from '../../server/src/llm/assist/api.js';
import { ApiRegistry } from '../../server/src/llm/registry.js';
import { createLogger } from '../../server/src/log.js';
import { createMcpRoutes } from '../../server/src/mcp/routes.js';
import { parseOptions } from '../../server/src/options.js';
import { logRequests } from '../../server/src/request-logging.js';
import { openStore } from '../../server/src/store/store.js';
import { liveHome } from '../support/ha/live-home.js';
import { testHa } from '../support/ha/fixture.js';
import { startServer, PLAIN_USERS } from '../support/server-process.js';
import { standInCalls } from '../support/stand-in-calls.js';
import { tallied } from '../support/reliability-tally.js';

type Rpc = [method: string, params?: Record<string, unknown>];
const MIXED: Rpc[] = [
  [
    'initialize',
    { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'load', version: '1' } },
  ],
  ['tools/list'],
  ['tools/call', { name: 'homeassistant__GetLiveContext', arguments: {} }],
  ['tools/call', { name: 'homeassistant__GetLiveContext', arguments: { domain: 'light' } }],
  ['tools/call', { name: 'llm__GetDateTime', arguments: {} }],
  ['resources/read', { uri: 'homeassistant://assist/context-snapshot' }],
  ['prompts/get', { name: 'Device control' }],
  ['ping'],
];

const body = (id: number, [method, params]: Rpc) =>
  JSON.stringify({ jsonrpc: '2.0', id, method, ...(params && { params }) });

/** Why an answer is not a success, or undefined when it is one. */
function problem(status: number, text: string): string | undefined {
  if (status !== 200) return `HTTP ${status}: ${text.slice(0, 160)}`;
  const answer = JSON.parse(text) as { result?: { isError?: boolean }; error?: unknown };
  if (answer.error) return `JSON-RPC error: ${text.slice(0, 160)}`;
  if (answer.result?.isError) return `tool error: ${text.slice(0, 160)}`;
  return undefined;
}

describe('load', () => {
  it('serves 50 clients making 200 mixed calls each without an error', () =>
    tallied('50 clients × 200 mixed calls', async (count) => {
      const ha = await testHa();
      const server = await startServer({ HA_URL: ha.url, HA_TOKEN: ha.adminToken }, PLAIN_USERS);
      try {
        await server.waitForLog(/Home Assistant model ready/);
        const problems: string[] = [];
        let calls = 0;
        await Promise.all(
          Array.from({ length: 50 }, async (_, client) => {
            for (let i = 0; i < 200; i++) {
              const rpc = MIXED[(client + i) % MIXED.length]!;
              const res = await fetch(`${server.mcpUrl}/api/mcp`, {
                method: 'POST',
                headers: {
                  authorization: `Bearer ${ha.userToken}`,
                  'content-type': 'application/json',
                  accept: 'application/json, text/event-stream',
                  'user-agent': `load-client-${client}`,
                },
                body: body(i, rpc),
              });
              calls++;
              const wrong = problem(res.status, await res.text());
              if (wrong) problems.push(`${rpc[0]}: ${wrong}`);
            }
          })
        );
        count.cases = calls;
        count.failures = problems.length;
        assert.equal(calls, 10_000);
        assert.deepEqual(problems.slice(0, 5), []);
      } finally {
        assert.equal(await server.stop(), 0);
      }
    }));

  it('keeps memory flat over 100,000 requests after a warm-up', (t) =>
    tallied('100,000 requests after warm-up', async (count) => {
      setFlagsFromString('--expose-gc');
      const gc = runInNewContext('gc') as () => void;
      const ha = await testHa();
      const live = await liveHome(ha);
      const dataDir = mkdtempSync(join(tmpdir(), 'load-store-'));
      const quiet = createLogger('error', () => {});
      const store = openStore({
        dataDir,
        options: { log_retention_days: 30, log_max_rows: 20_000 },
        log: quiet,
      });
      t.after(async () => {
        live.close();
        await store.close();
        rmSync(dataDir, { recursive: true, force: true });
      });
      const options = parseOptions({}, 'load');
      const registry = new ApiRegistry(() => options, quiet).register(
        createAssistApi({ home: live.home, calls: standInCalls(), prefixed: () => true })
      );
      const principals: Principal[] = Array.from({ length: 8 }, (_, i) => ({
        userId: `user-${i}`,
        name: `User ${i}`,
        isAdmin: false,
        authKind: 'long_lived_token',
        token: `token-${i}`,
        tokenHash: `hash-${i}`,
      }));
      const app = new Hono().route(
        '/',
        createMcpRoutes({
          authenticate: async (token) => {
            const principal = principals.find((p) => p.token === token);
            return principal ? { ok: true, principal } : { ok: false, status: 401, reason: 'refused' };
          },
          instanceFor: (principal) => registry.instanceFor(principal),
          log: quiet,
          validateArguments: false,
          onRequest: logRequests(store),
        })
      );
      /** The first few wrong answers, and how many there were. */
      const problems: string[] = [];
      let wrongAnswers = 0;
      const run = async (requests: number, from: number) => {
        for (let i = from; i < from + requests; i++) {
          const rpc = MIXED[i % MIXED.length]!;
          const res = await app.request('/api/mcp', {
            method: 'POST',
            headers: {
              authorization: `Bearer token-${i % principals.length}`,
              'content-type': 'application/json',
              accept: 'application/json',
              'user-agent': `client-${i % 13}`,
            },
            body: body(i, rpc),
          });
          const wrong = problem(res.status, await res.text());
          if (wrong && wrongAnswers++ < 5) problems.push(`${rpc[0]}: ${wrong}`);
          // Let the log's writer run between bursts, as it does between requests in the server.
          if (i % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
        }
      };
      const settledHeap = async () => {
        await store.requestLog.flush();
        for (let i = 0; i < 3; i++) {
          gc();
          await new Promise((resolve) => setImmediate(resolve));
        }
        return process.memoryUsage().heapUsed;
      };

      await run(10_000, 0);
      const before = await settledHeap();
      await run(100_000, 10_000);
      const growth = ((await settledHeap()) - before) / 2 ** 20;
      count.name = `100,000 requests after warm-up (heap growth ${growth.toFixed(1)} MB)`;
      count.cases = 100_000;
      count.failures = wrongAnswers + (growth >= 10 ? 1 : 0);
      assert.deepEqual(problems, []);
      assert.ok(growth < 10, `the heap grew by ${growth.toFixed(1)} MB`);
    }));
});
