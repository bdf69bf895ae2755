/**
 * Faults injected into a running server (issue 9): Home Assistant stopped and started again while tool calls
 * go on; SIGTERM in the middle of a burst; the request log's database corrupt, on a full disk and on a
 * read-only disk. Throughout: the server does not crash, no request is left hanging, every answer is either
 * right or a clear error, and what was answered is in the log.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { spawnSync } from 'node:child_process';
import { request } from 'node:http';
import Database from 'better-sqlite3';
import { DATABASE_FILE } from '../../server/src/store/db.js';
import { startTestHa, type TestHa } from '../support/ha/harness.js';
import { testHa } from '../support/ha/fixture.js';
import { startServer, type RunningServer, PLAIN_USERS } from '../support/server-process.js';
import { tallied } from '../support/reliability-tally.js';

/** A client that gives up on an answer after this long reports the request as hanging. */
const HANGING_MS = 45_000;

type Rpc = [method: string, params?: Record<string, unknown>];
const READS: Rpc[] = [
  ['tools/list'],
  ['tools/call', { name: 'homeassistant__GetLiveContext', arguments: {} }],
  ['tools/call', { name: 'llm__GetDateTime', arguments: {} }],
  ['resources/read', { uri: 'homeassistant://assist/context-snapshot' }],
];
const INTENT: Rpc = ['tools/call', { name: 'intent__HassTurnOn', arguments: { name: 'Bed Light' } }];

type Outcome = { kind: 'ok' | 'clear error' | 'unclear' | 'hanging' | 'refused'; detail: string };

/** Sends one request and judges the answer: right, a clear error naming Home Assistant, or neither. */
async function judge(baseUrl: string, token: string, [method, params]: Rpc): Promise<Outcome> {
  let res: Response;
  let text: string;
  try {
    res = await fetch(`${baseUrl}/api/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, ...(params && { params }) }),
      signal: AbortSignal.timeout(HANGING_MS),
    });
    text = await res.text();
  } catch (err) {
    const name = (err as Error).name;
    if (name === 'TimeoutError')
      return { kind: 'hanging', detail: `${method}: no answer within ${HANGING_MS} ms` };
    return { kind: 'refused', detail: `${method}: ${(err as Error).message}` };
  }
  const detail = `${method} → HTTP ${res.status} ${text.slice(0, 160)}`;
  let body: { result?: { isError?: boolean; content?: { text?: string }[] }; error?: { message?: string } };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return { kind: 'unclear', detail };
  }
  const message = body.error?.message ?? (body.result?.isError ? body.result.content?.[0]?.text : undefined);
  if (res.status === 200 && body.result && !body.result.isError) return { kind: 'ok', detail };
  if (message && /Home Assistant/i.test(message) && (res.status === 200 || res.status === 503)) {
    return { kind: 'clear error', detail };
  }
  return { kind: 'unclear', detail };
}

/** The body of one JSON-RPC request. */
const rpcBody = ([method, params]: Rpc) =>
  JSON.stringify({ jsonrpc: '2.0', id: 1, method, ...(params && { params }) });

/** A POST of `body` to /api/mcp on a connection of its own, named by its User-Agent; not yet sent. */
function mcpRequest(
  baseUrl: string,
  token: string,
  agent: string,
  body: string,
  options: { timeout?: number; headers?: Record<string, string> } = {}
) {
  return request(`${baseUrl}/api/mcp`, {
    method: 'POST',
    agent: false,
    ...(options.timeout !== undefined && { timeout: options.timeout }),
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json',
      'user-agent': agent,
      'content-length': Buffer.byteLength(body),
      ...options.headers,
    },
  });
}

/**
 * One request on a connection of its own, named by its User-Agent (the request log keeps it). `refused`: the
 * connection was refused or reset before any answer began, as when the listener has closed.
 */
function callOnce(
  baseUrl: string,
  token: string,
  agent: string,
  rpc: Rpc
): Promise<'ok' | 'refused' | string> {
  const body = rpcBody(rpc);
  return new Promise((resolve) => {
    const req = mcpRequest(baseUrl, token, agent, body, { timeout: HANGING_MS });
    let answering = false;
    req.once('timeout', () => req.destroy(new Error(`no answer within ${HANGING_MS} ms`)));
    req.once('error', (err: NodeJS.ErrnoException) =>
      resolve(
        !answering && ['ECONNREFUSED', 'ECONNRESET', 'EPIPE'].includes(err.code ?? '')
          ? 'refused'
          : `${err.code ?? ''} ${err.message}${answering ? ' (while answering)' : ''}`
      )
    );
    req.once('response', (res) => {
      answering = true;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.once('end', () =>
        resolve(
          res.statusCode === 200 && !/"isError":true|"error":/.test(text)
            ? 'ok'
            : `HTTP ${res.statusCode} ${text.slice(0, 160)}`
        )
      );
    });
    req.end(body);
  });
}

/**
 * A `tools/list` request whose headers the server has received and accepted (100 Continue) and whose body is
 * sent only when `finish()` is called.
 */
async function heldRequest(
  baseUrl: string,
  token: string,
  agent: string
): Promise<{ finish(): Promise<{ status: number; text: string }> }> {
  const body = rpcBody(['tools/list']);
  const req = mcpRequest(baseUrl, token, agent, body, { headers: { expect: '100-continue' } });
  const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
    req.once('error', reject);
    req.once('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
  });
  // Attached now, so a reset while waiting is seen as the answer's failure, not as an unhandled rejection.
  answer.catch(() => {});
  await new Promise<void>((resolve, reject) => {
    req.once('continue', resolve);
    req.once('error', reject);
    req.flushHeaders();
  });
  return {
    finish() {
      req.end(body);
      return answer;
    },
  };
}

const dirs: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('Home Assistant going away and coming back', () => {
  let ha: TestHa | undefined;
  let server: RunningServer | undefined;
  after(async () => {
    await server?.stop();
    await ha?.stop();
  });

  it('answers clearly while HA is down, never hangs, and is whole again within 10 s of HA running', () =>
    tallied('HA stopped and started during tool calls', async (count) => {
      count.faults = 2;
      const configDir = tempDir('ha-fault-');
      ha = await startTestHa({ configDir });
      const token = ha.userToken;
      server = await startServer({ HA_URL: ha.url, HA_TOKEN: ha.adminToken }, PLAIN_USERS);
      await server.waitForLog(/Home Assistant model ready/);
      const outcomes: { phase: string; outcome: Outcome }[] = [];
      const round = async (phase: string) => {
        const answers = await Promise.all([...READS, INTENT].map((rpc) => judge(server!.mcpUrl, token, rpc)));
        for (const outcome of answers) outcomes.push({ phase, outcome });
        count.cases = outcomes.length;
        count.failures = outcomes.filter(
          ({ outcome }) => !['ok', 'clear error'].includes(outcome.kind)
        ).length;
        return answers;
      };

      for (const answer of await round('up')) assert.equal(answer.kind, 'ok', answer.detail);

      // Calls in flight while HA stops: each must end, as an answer or a clear error.
      const during = round('stopping');
      await ha.stop();
      await during;
      await server.waitForLog(/lost the connection to Home Assistant/);
      for (let i = 0; i < 3; i++) {
        for (const answer of await round('down')) assert.equal(answer.kind, 'clear error', answer.detail);
      }

      ha = await startTestHa({ configDir });
      const back = Date.now();
      await Promise.race([
        server.waitForLog(/Home Assistant model complete again/),
        new Promise((_, reject) =>
          setTimeout(
            () => reject(new Error('the model was not complete within 10 s of HA running')),
            10_000
          ).unref()
        ),
      ]);
      for (const answer of await round('back')) assert.equal(answer.kind, 'ok', answer.detail);
      count.name = `HA stopped and started during tool calls (whole again ${((Date.now() - back) / 1000).toFixed(1)} s after)`;
      const failures = outcomes.filter(({ outcome }) => !['ok', 'clear error'].includes(outcome.kind));
      assert.deepEqual(failures, []);
      assert.equal(server.output().includes('Uncaught'), false, 'no uncaught error in the server log');
    }));
});

describe('SIGTERM in the middle of a burst', () => {
  it('finishes every request it had begun, refuses new ones, and logs every answer row for row', () =>
    tallied('SIGTERM during a 16-client burst', async (count) => {
      const ha = await testHa();
      const dataDir = tempDir('ha-fault-data-');
      const server = await startServer(
        { HA_URL: ha.url, HA_TOKEN: ha.adminToken, DATA_DIR: dataDir },
        PLAIN_USERS
      );
      await server.waitForLog(/Home Assistant model ready/);
      count.faults = 1;

      // Requests the server has begun (it said 100 Continue) whose bodies arrive only after it got SIGTERM:
      // a graceful stop still answers them; one that cuts connections at once does not.
      const held = await Promise.all(
        [0, 1, 2].map((i) => heldRequest(server.mcpUrl, ha.userToken, `sigterm-held-${i}`))
      );

      // Meanwhile 16 clients keep calling, each request on its own connection, named by its User-Agent.
      const answered = new Set<string>();
      const problems: string[] = [];
      let stopping: Promise<number | null> | undefined;
      const stopped = server.waitForLog(/SIGTERM received, stopping/);
      await Promise.all(
        Array.from({ length: 16 }, async (_, worker) => {
          for (let i = 0; ; i++) {
            const agent = `sigterm-w${worker}-r${i}`;
            const outcome = await callOnce(
              server.mcpUrl,
              ha.userToken,
              agent,
              READS[(worker + i) % READS.length]!
            );
            count.cases++;
            if (outcome === 'ok') answered.add(agent);
            if (answered.size === 64) stopping ??= server.stop('SIGTERM');
            // Refused: the listener is closed (or closing); this client is done.
            if (outcome === 'refused') return;
            if (outcome !== 'ok') return void problems.push(`${agent}: ${outcome}`);
          }
        })
      );
      await stopped;
      const heldAnswers = await Promise.all(held.map((h) => h.finish()));
      for (const [i, answer] of heldAnswers.entries()) {
        count.cases++;
        if (answer.status !== 200 || !answer.text.includes('"tools"'))
          problems.push(`sigterm-held-${i}: ${answer.status} ${answer.text.slice(0, 200)}`);
        else answered.add(`sigterm-held-${i}`);
      }
      const code = await stopping;
      assert.equal(code, 0, server.output().slice(-2_000));

      // Row for row: every answer a client got is logged as answered, and nothing else is.
      const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
      const rows = db.prepare('SELECT user_agent AS agent, outcome FROM request_log').all() as {
        agent: string;
        outcome: string;
      }[];
      db.close();
      const logged = new Set(rows.filter((r) => r.outcome === 'ok').map((r) => r.agent));
      const notLogged = [...answered].filter((a) => !logged.has(a));
      const neverAnswered = [...logged].filter((a) => !answered.has(a));
      count.failures = problems.length + notLogged.length + neverAnswered.length;
      assert.deepEqual(problems, []);
      assert.ok(answered.size > 64 + held.length, `requests kept going while stopping: ${answered.size}`);
      assert.deepEqual(
        { notLogged, neverAnswered, otherRows: rows.filter((r) => r.outcome !== 'ok') },
        { notLogged: [], neverAnswered: [], otherRows: [] },
        `the server said:\n${server.output().slice(-3_000)}`
      );
    }));
});

describe('the request log’s disk failing', () => {
  const canMount = process.getuid?.() === 0 && spawnSync('unshare', ['--mount', 'true']).status === 0;
  /**
   * `told`: what the server must have said about the fault, so the test knows it really happened (for the
   * full disk: that writing failed because the disk filled).
   */
  const cases: { name: string; prepare?: (dir: string) => void; mounts?: string; told: RegExp }[] = [
    {
      name: 'a corrupt database file',
      prepare: (dir) => writeFileSync(join(dir, DATABASE_FILE), Buffer.alloc(64 * 1024, 0x5a)),
      told: /is damaged|moved it to/,
    },
    {
      name: 'a full disk',
      mounts: 'mount -t tmpfs -o size=96k tmpfs "$DATA_DIR"',
      told: /request log: (cannot write|.*could not be written)|database or disk is full|SQLITE_FULL/,
    },
    {
      name: 'a read-only disk',
      mounts: 'mount --bind "$DATA_DIR" "$DATA_DIR" && mount -o remount,ro,bind "$DATA_DIR"',
      told: /read-only|readonly|cannot (open|write)/i,
    },
  ];
  for (const fault of cases) {
    it(
      `keeps serving MCP with ${fault.name}`,
      { skip: fault.mounts && !canMount ? 'needs root and unshare --mount' : false },
      () =>
        tallied(`MCP with ${fault.name}`, async (count) => {
          count.faults = 1;
          const ha = await testHa();
          const dataDir = tempDir('ha-fault-disk-');
          fault.prepare?.(dataDir);
          // The server's own defaults: the faulty disk it gets leaves no room for an options file.
          const server = await startServer(
            { HA_URL: ha.url, HA_TOKEN: ha.adminToken, DATA_DIR: dataDir },
            fault.mounts ? { mounts: fault.mounts } : {}
          );
          try {
            await server.waitForLog(/Home Assistant model ready/);
            const outcomes: Outcome[] = [];
            // Enough answers to fill a 96 kB disk with log rows several times over.
            for (let i = 0; i < 120; i++)
              outcomes.push(await judge(server.mcpUrl, ha.adminToken, READS[i % READS.length]!));
            const bad = outcomes.filter((o) => o.kind !== 'ok');
            count.cases = outcomes.length;
            count.failures = bad.length;
            assert.deepEqual(bad, []);
            if (fault.prepare)
              assert.ok(
                readdirSync(dataDir).some((f) => f.includes('.damaged-')),
                'moved aside'
              );
          } finally {
            assert.equal(await server.stop(), 0, server.output().slice(-2_000));
          }
          assert.match(server.output(), fault.told, 'the server never met the fault');
        })
    );
  }
});
