/**
 * The doors around the MCP endpoint under abuse (issue 18), through the server process against the real
 * test Home Assistant, measured from outside: its resident memory from /proc, its database from the data
 * directory's files. Bodies of 64 and 200 MB at every OAuth endpoint and the SSE pair are refused before
 * they are sent; 100,000 registration attempts from 100 addresses store no more than the registration
 * limits allow, while a client that signed in before keeps calling tools and refreshing its tokens.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { REGISTRATION_LIMITS } from '../../server/src/oauth/registration-limits.js';
import { MAX_BODY_BYTES } from '../../server/src/oauth/routes.js';
import { DATABASE_FILE } from '../../server/src/store/db.js';
import { ADMIN } from '../support/ha/onboard.js';
import { testHa, type TestHaInfo } from '../support/ha/fixture.js';
import {
  databaseBytes,
  loopbackClients,
  MB,
  mb,
  residentBytes,
  send,
  upload,
} from '../support/from-outside.js';
import { postMcp } from '../support/mcp-post.js';
import {
  authorize,
  decide,
  exchange,
  loginAtHa,
  registerOAuthClient,
  tokenRequest,
  type OAuthClient,
} from '../support/oauth-sign-in.js';
import { tallied } from '../support/reliability-tally.js';
import { startServer, type RunningServer } from '../support/server-process.js';

/**
 * How much the server's resident memory may grow: for good, less than a quarter of the smallest body sent;
 * at its peak (garbage not yet collected, the server's own work meanwhile), less than one such body.
 */
const LASTING_SLACK = 16 * MB;
const PEAK_SLACK = 64 * MB;
const signed = (bytes: number) => `${bytes < 0 ? '-' : '+'}${mb(Math.abs(bytes))}`;

describe('the doors around the MCP endpoint, through the server process', () => {
  let ha: TestHaInfo;
  let server: RunningServer;
  let dataDir: string;
  let base: string;

  before(async () => {
    ha = await testHa();
    dataDir = mkdtempSync(join(tmpdir(), 'oauth-doors-'));
    server = await startServer({ HA_URL: ha.url, HA_TOKEN: ha.adminToken, DATA_DIR: dataDir });
    await server.waitForLog(/Home Assistant model ready/);
    base = server.mcpUrl;
  });

  after(async () => {
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** Signs the owner in with a client registered from 127.0.0.1: the client, and its tokens. */
  async function signedInClient(): Promise<{ client: OAuthClient; access: string; refresh: string }> {
    const client = await registerOAuthClient(base, 'Signed in before the flood');
    const first = await authorize(base, client);
    assert.equal(first.status, 302, await first.text());
    const consent = await fetch(await loginAtHa(ha.url, new URL(first.headers.get('location')!), ADMIN), {
      redirect: 'manual',
    });
    const back = await decide(base, await consent.text(), { decision: 'approve', control: 'on' });
    const issued = await exchange(base, client, back.searchParams.get('code')!);
    assert.equal(issued.status, 200, JSON.stringify(issued.body));
    return { client, access: issued.body.access_token!, refresh: issued.body.refresh_token! };
  }

  const rows = (table: string) => {
    const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
    try {
      return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    } finally {
      db.close();
    }
  };

  it('answers 64 and 200 MB bodies at every OAuth endpoint and the SSE pair before they are sent, memory flat', () =>
    tallied('64 and 200 MB bodies at the OAuth endpoints and the SSE pair', async (count) => {
      const doors = [
        ['/oauth/register', 'application/json'],
        ['/oauth/token', 'application/x-www-form-urlencoded'],
        ['/oauth/revoke', 'application/x-www-form-urlencoded'],
        ['/oauth/consent', 'application/x-www-form-urlencoded'],
        [`/mcp_server/messages/${'0'.repeat(32)}`, 'application/json'],
        ['/api/mcp', 'application/json'],
      ] as const;
      const clientsBefore = rows('oauth_clients');
      // One small round first, so that what is measured is the bodies, not the first request's warm-up.
      for (const [path, type] of doors) {
        await upload(`${base}${path}`, { total: 1 * MB, headers: { 'content-type': type } });
      }
      const before = residentBytes(server.pid);
      let peak = before;
      const wrong: string[] = [];
      for (const total of [64 * MB, 200 * MB]) {
        for (const declare of [false, true]) {
          for (const [path, type] of doors) {
            count.cases++;
            const res = await upload(`${base}${path}`, { total, declare, headers: { 'content-type': type } });
            peak = Math.max(peak, residentBytes(server.pid));
            const how = `${path}, ${mb(total)} ${declare ? 'declared' : 'chunked'}`;
            if (res.status !== 413) wrong.push(`${how}: HTTP ${res.status} ${res.body.slice(0, 120)}`);
            if (res.sentBeforeAnswer >= total) wrong.push(`${how}: answered only after the whole body`);
          }
        }
      }
      const lasting = residentBytes(server.pid) - before;
      count.name = `64 and 200 MB bodies at the OAuth endpoints and the SSE pair (resident ${mb(before)}: after ${signed(lasting)}, peak ${signed(peak - before)})`;
      count.failures = wrong.length + (lasting > LASTING_SLACK || peak - before > PEAK_SLACK ? 1 : 0);
      assert.deepEqual(wrong, []);
      assert.ok(lasting <= LASTING_SLACK, `resident memory grew by ${mb(lasting)}`);
      assert.ok(peak - before <= PEAK_SLACK, `resident memory peaked ${mb(peak - before)} higher`);
      assert.equal(rows('oauth_clients'), clientsBefore, 'nothing registered');
      assert.equal((await fetch(`${base}/.well-known/oauth-authorization-server`)).status, 200);
    }));

  it('stores no more than the limits allow from 100,000 registration attempts by 100 addresses, memory flat, a signed-in client working throughout', () =>
    tallied('100,000 registration attempts from 100 addresses', async (count) => {
      const ATTEMPTS = 100_000;
      const clients = loopbackClients(100);
      const { client, ...signedIn } = await signedInClient();
      let tokens = signedIn;
      // Registrations as large as the body limit lets them be: twenty long redirect URIs and a long name.
      const body = (n: number) =>
        JSON.stringify({
          client_name: `flood ${n} ${'n'.repeat(180)}`,
          redirect_uris: Array.from(
            { length: 19 },
            (_, i) => `https://flood.example/${n}/${i}/${'u'.repeat(300)}`
          ),
          application_type: 'web',
        });
      assert.ok(Buffer.byteLength(body(ATTEMPTS)) < MAX_BODY_BYTES);
      const beforeBytes = databaseBytes(dataDir);
      const beforeMemory = residentBytes(server.pid);
      let peakMemory = beforeMemory;
      const statuses = new Map<number, number>();
      const refusals = new Set<string>();
      let sent = 0;
      let flooding = true;

      const flood = Promise.all(
        clients.map(async ({ agent }) => {
          while (sent < ATTEMPTS) {
            const n = sent++;
            const res = await send(agent, `${base}/oauth/register`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: body(n),
            });
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
            if (res.status === 429) {
              refusals.add(
                `${(JSON.parse(res.text) as { error_description: string }).error_description.replace(/\d+ s$/, 'N s')} (Retry-After ${res.headers['retry-after'] ? 'set' : 'missing'})`
              );
            }
            if (n % 1_000 === 0) peakMemory = Math.max(peakMemory, residentBytes(server.pid));
          }
        })
      ).finally(() => (flooding = false));

      // The client that signed in before, calling tools and refreshing its tokens for as long as the flood lasts.
      const failed: string[] = [];
      let calls = 0;
      while (flooding) {
        calls++;
        const call = await postMcp(base, tokens.access, 'tools/list');
        await call.arrayBuffer();
        if (call.status !== 200) failed.push(`tools/list: HTTP ${call.status}`);
        if (calls % 10 === 0) {
          const refreshed = await tokenRequest(base, {
            grant_type: 'refresh_token',
            client_id: client.clientId,
            refresh_token: tokens.refresh,
          });
          if (refreshed.status !== 200) failed.push(`refresh: HTTP ${refreshed.status}`);
          else tokens = { access: refreshed.body.access_token!, refresh: refreshed.body.refresh_token! };
        }
      }
      await flood;
      await Promise.all(clients.map(({ agent }) => agent.close()));
      const again = await authorize(base, client);
      if (again.status !== 302) failed.push(`authorize after the flood: HTTP ${again.status}`);

      const grewBytes = databaseBytes(dataDir) - beforeBytes;
      const lasting = residentBytes(server.pid) - beforeMemory;
      const peak = Math.max(peakMemory, residentBytes(server.pid)) - beforeMemory;
      count.cases = sent;
      count.name = `100,000 registration attempts from 100 addresses (${statuses.get(201) ?? 0} stored; database and WAL ${signed(grewBytes)}; resident ${mb(beforeMemory)}: after ${signed(lasting)}, peak ${signed(peak)}; ${calls} MCP calls and ${Math.floor(calls / 10)} refreshes by a signed-in client, all answered)`;
      count.failures = failed.length;
      assert.deepEqual(failed, []);
      assert.ok(calls > 0);
      assert.deepEqual([...statuses.keys()].sort(), [201, 429], `answers: ${JSON.stringify([...statuses])}`);
      assert.equal(statuses.get(201), REGISTRATION_LIMITS.maxUnused);
      assert.equal(rows('oauth_clients'), REGISTRATION_LIMITS.maxUnused + 1);
      assert.ok(grewBytes < 10 * MB, `database and WAL grew by ${mb(grewBytes)}`);
      assert.ok(lasting <= LASTING_SLACK, `resident memory grew by ${mb(lasting)}`);
      assert.ok(peak <= PEAK_SLACK, `resident memory peaked ${mb(peak)} higher`);
      assert.deepEqual([...refusals].sort(), [
        `too many clients are registered and have not signed in yet (${REGISTRATION_LIMITS.maxUnused}); try again in N s (Retry-After set)`,
        'too many registrations from this address; try again in N s (Retry-After set)',
      ]);
    }));
});
