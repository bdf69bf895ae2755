/**
 * Abuse (issue 9): a flood of bad tokens through the server process, counted from Home Assistant's own log
 * (HA must see no more validations than the limiter allows); revoked and made-up tokens; and every combination of a foreign peer,
 * forged ingress user headers and a changing method against the admin API in add-on mode.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { command, connectWs } from '../support/ha/ha-api.js';
import { testHa } from '../support/ha/fixture.js';
import { postMcp } from '../support/mcp-post.js';
import { startServer } from '../support/server-process.js';
import { waitFor } from '../support/wait.js';
import { adminWorld, USERS } from '../support/admin-fixture.js';
import { tallied } from '../support/reliability-tally.js';

/** The server's limit of failed validations per client address (server/src/ha/failure-limiter.ts). */
const PER_ADDRESS = 5;

describe('abuse', () => {
  it('lets a flood of bad tokens from one address reach HA no more often than the limiter allows', async (t) => {
    const ha = await testHa();
    if (!ha.logFile) return t.skip('needs the harness’s HA, whose log the test can read');
    await tallied('flood of 300 bad tokens through the server', async (count) => {
      const server = await startServer({ HA_URL: ha.url, HA_TOKEN: ha.adminToken });
      try {
        await server.waitForLog(/Home Assistant model ready/);
        const refusedByHa = () =>
          (readFileSync(ha.logFile!, 'utf8').match(/invalid authentication/g) ?? []).length;
        const before = refusedByHa();
        const statuses = new Map<number, number>();
        await Promise.all(
          Array.from({ length: 10 }, async (_, worker) => {
            for (let i = 0; i < 30; i++) {
              const res = await fetch(`${server.mcpUrl}/api/mcp`, {
                method: 'POST',
                headers: {
                  authorization: `Bearer flood-${worker}-${i}-${'x'.repeat(i * 7)}`,
                  'content-type': 'application/json',
                  accept: 'application/json',
                },
                body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}',
              });
              await res.arrayBuffer();
              count.cases++;
              statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
            }
          })
        );
        // HA writes its log line after it answers; wait (bounded) for the lines of the validations made.
        await waitFor(
          (notify) => {
            const timer = setInterval(notify, 100);
            return () => clearInterval(timer);
          },
          () => refusedByHa() - before >= PER_ADDRESS,
          10_000,
          `HA logged ${PER_ADDRESS} refused tokens`
        );
        const seenByHa = refusedByHa() - before;
        count.name = `flood of 300 bad tokens through the server (HA saw ${seenByHa})`;
        count.failures = seenByHa > PER_ADDRESS ? 1 : 0;
        assert.equal(seenByHa, PER_ADDRESS);
        assert.deepEqual([...statuses.keys()].sort(), [401, 429]);
        assert.equal(statuses.get(401), PER_ADDRESS);
      } finally {
        await server.stop();
      }
    });
  });

  it('refuses a revoked Home Assistant token and a made-up OAuth token, saying why, repeating neither', () =>
    tallied('revoked and made-up tokens', async (count) => {
      const ha = await testHa();
      const server = await startServer({ HA_URL: ha.url, HA_TOKEN: ha.adminToken });
      const conn = await connectWs(ha.url, ha.userToken);
      try {
        await server.waitForLog(/Home Assistant model ready/);
        // A long-lived token of the guest's, revoked at Home Assistant before it was ever used here.
        const revoked = await command<string>(conn, {
          type: 'auth/long_lived_access_token',
          client_name: 'abuse test',
          lifespan: 1,
        });
        const tokens = await command<{ id: string; client_name: string | null }[]>(conn, {
          type: 'auth/refresh_tokens',
        });
        const id = tokens.find((t) => t.client_name === 'abuse test')!.id;
        await command(conn, { type: 'auth/delete_refresh_token', refresh_token_id: id });
        const madeUp = `hamcp_at_${'A'.repeat(32)}`;
        const cases = [
          { token: revoked, says: 'The token was refused by Home Assistant' },
          { token: madeUp, says: 'The access token is unknown or revoked' },
        ];
        for (const { token, says } of cases) {
          count.cases++;
          const res = await postMcp(server.mcpUrl, token, 'tools/list');
          const body = await res.text();
          const ok =
            res.status === 401 &&
            JSON.parse(body).error_description === says &&
            !body.includes(token) &&
            !server.output().includes(token);
          if (!ok) count.failures++;
          assert.ok(ok, `${res.status} ${body}`);
        }
      } finally {
        conn.close();
        await server.stop();
      }
    }));

  it('refuses the admin API to every peer but the ingress proxy, whatever user it claims to be', () =>
    tallied('forged peers and ingress users against the admin API', async (count) => {
      const { call, ha, options } = adminWorld();
      const peers = [
        '127.0.0.1',
        '::1',
        '172.30.32.1',
        '172.30.32.3',
        '::ffff:172.30.32.3',
        '10.0.0.2',
        '192.168.1.20',
        null,
      ];
      const users = [...Object.keys(USERS), undefined];
      const requests = [
        { path: '/api/admin/settings', method: 'PUT', json: { control_home_assistant: true } },
        {
          path: '/api/admin/entities/expose',
          method: 'POST',
          json: { entityIds: ['light.kitchen'], shouldExpose: true },
        },
        { path: '/api/admin/expose-new', method: 'PUT', json: { exposeNew: true } },
        { path: '/api/admin/overview', method: 'GET' },
        { path: '/api/admin/logs/export?format=csv', method: 'GET' },
        { path: '/', method: 'GET' },
      ] as const;
      const wrong: string[] = [];
      for (const peer of peers) {
        for (const user of users) {
          for (const request of requests) {
            const res = await call(request.path, {
              peer,
              ...(user && { user: user as keyof typeof USERS }),
              method: request.method,
              ...('json' in request ? { json: request.json } : {}),
            });
            if (res.status !== 403)
              wrong.push(`${peer} as ${user}: ${request.method} ${request.path} → ${res.status}`);
          }
        }
      }
      count.cases = peers.length * users.length * requests.length;
      count.failures = wrong.length;
      assert.deepEqual(wrong, []);
      assert.equal(ha.sent.length, 0, 'HA was never asked who a forged user is');
      assert.deepEqual(options.saved, []);
    }));
});
