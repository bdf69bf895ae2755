/**
 * Property-based abuse of the MCP endpoint (issue 9): generated JSON-RPC bodies, headers, paths and HTTP
 * methods, sent to the MCP routes in-process. The Assist API runs on the live model of the real test HA;
 * only its calls back to HA (intents, actions) are answered by a stand-in, so fuzzed intents cannot switch
 * the shared test home. Rules for every case: no 5xx for client input, no stack trace and no token in an
 * answer, a log line or the request log's rows, and the server keeps answering.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { Hono } from 'hono';
import type { Principal } from '../../server/src/ha/principals.js';
import { createAssistApi } from '../../server/src/llm/assist/api.js';
import { ApiRegistry } from '../../server/src/llm/registry.js';
import { createLogger } from '../../server/src/log.js';
import { createMcpRoutes } from '../../server/src/mcp/routes.js';
import { parseOptions } from '../../server/src/options.js';
import { logRequests } from '../../server/src/request-logging.js';
import { DATABASE_FILE } from '../../server/src/store/db.js';
import { openStore, type Store } from '../../server/src/store/store.js';
import { liveHome, type LiveHome } from '../support/ha/live-home.js';
import { testHa } from '../support/ha/fixture.js';
import { standInCalls } from '../support/stand-in-calls.js';
import { tallied } from '../support/reliability-tally.js';

const TOKEN = 'fuzz-secret-token-7c1e0b5d9a';
const CASES = 10_000;
/** What a stack trace or a source location looks like in text. */
const LEAKS = [/\n\s+at [\w.<>]+ \(/, /node_modules/, /\.ts:\d+/, /\.js:\d+:\d+/];

const principal: Principal = {
  userId: 'fuzz-user',
  name: 'Fuzz',
  isAdmin: false,
  authKind: 'long_lived_token',
  token: TOKEN,
  tokenHash: 'fuzz-hash',
};

const TOOL_NAMES = [
  'homeassistant__GetLiveContext',
  'intent__HassTurnOn',
  'intent__HassTurnOff',
  'intent__HassLightSet',
  'intent__HassCancelAllTimers',
  'llm__GetDateTime',
  'todo__get_items',
  'calendar__get_events',
  'script__good_night',
];
const METHODS = [
  'initialize',
  'ping',
  'tools/list',
  'tools/call',
  'prompts/list',
  'prompts/get',
  'resources/list',
  'resources/read',
  'resources/templates/list',
  'notifications/initialized',
  'server/discover',
  'completion/complete',
  'logging/setLevel',
];
const VERSIONS = ['2024-11-05', '2025-03-26', '2025-06-18', '2025-11-25', '2026-07-28'];

/** The usual value most of the time, so that many cases get past the guards to the tools behind them. */
const mostly = <T, U>(usual: fc.Arbitrary<T>, odd: fc.Arbitrary<U>) =>
  fc.oneof({ weight: 12, arbitrary: usual }, { weight: 1, arbitrary: odd });
const absent = fc.constant(undefined);

/** Any JSON, with the values a tool's arguments usually hold weighted in. */
const anyJson = fc.jsonValue({ maxDepth: 4 });
const argumentsArb = mostly(
  fc.dictionary(
    fc.constantFrom(
      'name',
      'area',
      'floor',
      'domain',
      'device_class',
      'brightness',
      'state',
      'entity_id',
      '__proto__'
    ),
    fc.oneof(fc.string(), fc.integer(), fc.array(fc.string(), { maxLength: 3 }), anyJson)
  ),
  anyJson
);
const idArb = mostly(fc.integer(), fc.oneof(fc.string({ maxLength: 20 }), fc.constant(null), anyJson));

const messageArb = fc.record(
  {
    jsonrpc: mostly(fc.constant('2.0'), fc.string({ maxLength: 4 })),
    id: idArb,
    // Tool calls weighted up: that is where the arguments, the tools and Home Assistant's answers meet.
    method: mostly(
      fc.oneof({ weight: 4, arbitrary: fc.constant('tools/call') }, fc.constantFrom(...METHODS)),
      fc.string({ maxLength: 30 })
    ),
    params: mostly(
      fc.record(
        {
          name: mostly(fc.constantFrom(...TOOL_NAMES, 'Device control'), fc.string({ maxLength: 40 })),
          arguments: argumentsArb,
          uri: fc.oneof(fc.constant('homeassistant://assist/context-snapshot'), fc.webUrl(), fc.string()),
          protocolVersion: fc.oneof(fc.constantFrom(...VERSIONS), fc.string({ maxLength: 12 })),
          capabilities: anyJson,
          clientInfo: fc.oneof(fc.record({ name: fc.string(), version: fc.string() }), anyJson),
          _meta: mostly(
            absent,
            fc.oneof(
              fc.record({
                'io.modelcontextprotocol/protocolVersion': fc.constantFrom(...VERSIONS),
                'io.modelcontextprotocol/clientInfo': fc.record({ name: fc.string(), version: fc.string() }),
                'io.modelcontextprotocol/clientCapabilities': anyJson,
              }),
              anyJson
            )
          ),
        },
        { requiredKeys: [] }
      ),
      anyJson
    ),
  },
  { requiredKeys: ['jsonrpc', 'method'] }
);

const bodyArb = fc.oneof(
  { weight: 12, arbitrary: messageArb.map((m) => JSON.stringify(m)) },
  { weight: 1, arbitrary: fc.array(messageArb, { maxLength: 3 }).map((m) => JSON.stringify(m)) },
  { weight: 1, arbitrary: anyJson.map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 1, arbitrary: messageArb.map((m) => JSON.stringify(m).slice(0, -3)) }
);

const headerArb = fc.record({
  'content-type': mostly(
    fc.constant('application/json'),
    fc.constantFrom(
      'application/json; charset=utf-8',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      ''
    )
  ),
  accept: mostly(
    fc.constantFrom('application/json, text/event-stream', 'application/json', 'text/event-stream'),
    fc.constantFrom('*/*', 'text/html', '', undefined)
  ),
  authorization: mostly(
    fc.constant(`Bearer ${TOKEN}`),
    fc.oneof(
      fc.constant(`bearer   ${TOKEN}  `),
      fc.string({ maxLength: 60 }).map((s) => `Bearer ${s}`),
      fc.constant(`Basic ${Buffer.from(`user:${TOKEN}`).toString('base64')}`),
      fc.string({ maxLength: 30 }),
      absent
    )
  ),
  'mcp-protocol-version': mostly(
    fc.constantFrom('2025-06-18', '2025-11-25', undefined),
    fc.oneof(fc.constantFrom(...VERSIONS), fc.string({ maxLength: 12 }))
  ),
  'mcp-session-id': mostly(absent, fc.string({ maxLength: 40 })),
  origin: mostly(
    absent,
    fc.constantFrom(
      'http://localhost',
      'http://127.0.0.1',
      'https://claude.ai',
      'https://evil.example',
      'null'
    )
  ),
  'user-agent': mostly(
    fc.constantFrom('claude-code/2.1', 'mcp-remote/0.1', undefined),
    fc.string({ maxLength: 60 })
  ),
});

const pathArb = fc.oneof(
  { weight: 24, arbitrary: fc.constant('/api/mcp') },
  { weight: 1, arbitrary: fc.constant(`/api/mcp?access_token=${TOKEN}`) },
  {
    weight: 1,
    arbitrary: fc.string({ maxLength: 12 }).map((s) => `/mcp_server/messages/${encodeURIComponent(s)}`),
  },
  { weight: 1, arbitrary: fc.constantFrom('/api/mcp/', '/api/MCP', '/api/mcp/../mcp', '/.well-known/x') }
);
const methodArb = fc.oneof(
  { weight: 24, arbitrary: fc.constant('POST') },
  { weight: 1, arbitrary: fc.constantFrom('GET', 'DELETE', 'PUT', 'PATCH', 'OPTIONS', 'HEAD') }
);

/** Headers a fetch Request accepts: generated strings may hold characters no header can carry. */
function sendable(headers: Record<string, string | undefined>): Headers {
  const out = new Headers();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    try {
      out.set(name, value);
    } catch {
      // A value HTTP cannot carry never reaches a server either.
    }
  }
  return out;
}

function problemsIn(text: string): string[] {
  const found: string[] = [];
  if (text.includes(TOKEN)) found.push('the token');
  for (const pattern of LEAKS)
    if (pattern.test(text)) found.push(`a stack trace or source path (${pattern})`);
  return found;
}

describe('fuzzing the MCP endpoint', () => {
  let live: LiveHome;
  let store: Store;
  let dataDir: string;
  let app: Hono;
  const logLines: string[] = [];

  before(async () => {
    const ha = await testHa();
    live = await liveHome(ha);
    dataDir = mkdtempSync(join(tmpdir(), 'fuzz-store-'));
    const log = createLogger('debug', (line) => logLines.push(line));
    store = openStore({ dataDir, options: { log_retention_days: 30, log_max_rows: 1_000_000 }, log });
    const options = parseOptions({}, 'fuzz');
    const registry = new ApiRegistry(() => options, log).register(
      createAssistApi({ home: live.home, calls: standInCalls(), prefixed: () => true })
    );
    const routes = createMcpRoutes({
      authenticate: async (token) =>
        token === TOKEN
          ? { ok: true, principal }
          : { ok: false, status: 401, reason: 'the token was refused by Home Assistant' },
      instanceFor: (caller) => registry.instanceFor(caller),
      log,
      validateArguments: false,
      onRequest: logRequests(store),
    });
    app = new Hono().route('/', routes);
  });

  after(async () => {
    live?.close();
    await store?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it(`answers ${CASES} generated requests without a 5xx, a stack trace or a token`, () =>
    tallied('fuzzed MCP requests (bodies, headers, paths, methods)', async (count) => {
      const failures: string[] = [];
      const statuses = new Map<number, number>();
      let toolResults = 0;
      await fc.assert(
        fc.asyncProperty(methodArb, pathArb, headerArb, bodyArb, async (method, path, headers, body) => {
          count.cases++;
          const res = await app.request(path, {
            method,
            headers: sendable(headers),
            ...(method === 'GET' || method === 'HEAD' ? {} : { body }),
          });
          const text = await res.text();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (text.includes('"content":[{"type":"text"')) toolResults++;
          const problems = [
            ...(res.status >= 500 ? [`HTTP ${res.status}`] : []),
            ...problemsIn(text),
            ...problemsIn([...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n')),
          ];
          if (problems.length) {
            failures.push(
              `${method} ${path} ${body.slice(0, 120)} → ${problems.join(', ')}: ${text.slice(0, 200)}`
            );
          }
          return problems.length === 0;
        }),
        { numRuns: CASES, seed: 20261123, endOnFailure: true }
      );
      // The log hooks run detached (setImmediate) and in-process requests never leave the microtask queue:
      // one turn of the event loop lets every hook queue its row before the flush.
      await new Promise((resolve) => setImmediate(resolve));
      await store.requestLog.flush();
      // Every row of the request log, read from its file: none may hold the token or a stack trace.
      const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
      const logRows = db.prepare('SELECT * FROM request_log').all();
      db.close();
      const rows = logRows.map((row) => JSON.stringify(row)).join('\n');
      const logged = logLines.join('\n');
      count.failures = failures.length;
      assert.deepEqual(failures, []);
      // The generator must get past the guards often, or it proves little about the tools behind them.
      assert.ok((statuses.get(200) ?? 0) >= CASES / 5, `answered: ${JSON.stringify([...statuses])}`);
      assert.ok(toolResults >= CASES / 50, `tool results: ${toolResults}`);
      assert.deepEqual(problemsIn(logged), [], 'log lines');
      assert.deepEqual(problemsIn(rows), [], 'request log rows');
      // Each request the MCP handler answered is a row; refusals before it (a wrong path, a bad header) may be.
      const answered = statuses.get(200) ?? 0;
      assert.ok(
        logRows.length >= answered && logRows.length <= count.cases,
        `${logRows.length} rows for ${answered} answered of ${count.cases} requests`
      );
    }));

  it('refuses oversized and deeply nested bodies cleanly, and keeps answering', () =>
    tallied('oversized and deeply nested bodies', async (count) => {
      const headers = {
        authorization: `Bearer ${TOKEN}`,
        'content-type': 'application/json',
        accept: 'application/json',
      };
      const send = (body: string) => app.request('/api/mcp', { method: 'POST', headers, body });
      const nested = (depth: number, open: string, close: string, inner: string) =>
        `${open.repeat(depth)}${inner}${close.repeat(depth)}`;
      const cases: [string, string][] = [
        [
          'a 5 MB body',
          JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(5 << 20) } }),
        ],
        ['100,000 nested arrays', nested(100_000, '[', ']', '1')],
        [
          '50,000 nested objects in tool arguments',
          `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"intent__HassTurnOn","arguments":${nested(50_000, '{"a":', '}', '1')}}}`,
        ],
        [
          '5,000 nested arrays in a tool argument',
          `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"homeassistant__GetLiveContext","arguments":{"domain":${nested(5_000, '[', ']', '"light"')}}}}`,
        ],
        [
          'a 10,000-message batch',
          JSON.stringify(
            Array.from({ length: 10_000 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'ping' }))
          ),
        ],
      ];
      const failures: string[] = [];
      for (const [name, body] of cases) {
        count.cases++;
        const res = await send(body);
        const text = await res.text();
        if (res.status >= 500 || problemsIn(text).length)
          failures.push(`${name}: HTTP ${res.status} ${text.slice(0, 200)}`);
      }
      const ping = await send(JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'ping' }));
      count.failures = failures.length;
      assert.equal(ping.status, 200, 'still answering');
      assert.deepEqual(failures, []);
    }));
});
