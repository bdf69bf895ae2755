/**
 * Home Assistant never bans the add-on. HA counts every failed login per source address and, with
 * `ip_ban_enabled` and a `login_attempts_threshold`, bans the address for good (Core http/ban.py); the
 * server checks every client's token from its own address. Against a Home Assistant of its own that bans at
 * 3 failed logins: 1,000 bad tokens from 50 client addresses, then a token the server has never seen; and a
 * token HA accepted and then revoked, used for actions that reach HA as its user over REST.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loopbackClients, send } from '../support/from-outside.js';
import { command, connectWs } from '../support/ha/ha-api.js';
import { startTestHa, type TestHa } from '../support/ha/harness.js';
import { postMcp } from '../support/mcp-post.js';
import { PLAIN_USERS, startServer, type RunningServer } from '../support/server-process.js';

const THRESHOLD = 3;
const ADDRESSES = 50;
const TOKENS_EACH = 20;

const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const TOOLS_LIST = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });

describe('Home Assistant never bans the server for clients’ bad tokens', () => {
  let ha: TestHa;
  let server: RunningServer;

  before(async () => {
    ha = await startTestHa({ http: { banThreshold: THRESHOLD } });
    server = await startServer({ HA_URL: ha.url, HA_TOKEN: ha.adminToken }, PLAIN_USERS);
    await server.waitForLog(new RegExp(`Home Assistant bans an address at ${THRESHOLD} failed logins`));
  });
  after(async () => {
    await server?.stop();
    await ha?.stop();
  });

  it(`${ADDRESSES * TOKENS_EACH} bad tokens from ${ADDRESSES} addresses, then a new good token works at once`, async () => {
    const statuses = new Map<number, number>();
    const clients = loopbackClients(ADDRESSES);
    try {
      await Promise.all(
        clients.map(async ({ agent }, a) => {
          for (let t = 0; t < TOKENS_EACH; t++) {
            const { status } = await send(agent, `${server.mcpUrl}/api/mcp`, {
              method: 'POST',
              headers: { ...MCP_HEADERS, authorization: `Bearer bad-${a}-${t}` },
              body: TOOLS_LIST,
            });
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
          }
        })
      );
    } finally {
      await Promise.all(clients.map(({ agent }) => agent.close()));
    }
    // Refused (401), limited per address (429), or held while checking could get the server banned (503).
    assert.deepEqual(
      [...statuses.keys()].filter((s) => ![401, 429, 503].includes(s)),
      [],
      JSON.stringify([...statuses])
    );
    assert.ok((statuses.get(401) ?? 0) > 0, 'some bad tokens reached HA and were refused there');

    const good = await postMcp(server.mcpUrl, ha.userToken, 'tools/list');
    assert.equal(good.status, 200, `${await good.clone().text()}\n${server.output().slice(-2000)}`);

    const bans = join(ha.configDir!, 'ip_bans.yaml');
    const banned = existsSync(bans) ? readFileSync(bans, 'utf8') : '';
    assert.doesNotMatch(banned, /127\.0\.0\.1/, banned);
    assert.doesNotMatch(ha.logTail(400), /Banned IP/);
  });

  /**
   * A long-lived token of `owner`'s user, accepted by the server (one request at `path`), then revoked in HA;
   * then twice HA's threshold of calls to the tool `toolName` matches with it. None may act, and HA must ban
   * no one: the admin token still works after.
   */
  async function revokedThenUsed(
    ownerToken: string,
    path: string,
    toolName: RegExp,
    args: Record<string, unknown>
  ): Promise<void> {
    const conn = await connectWs(ha.url, ownerToken);
    const clientName = `revoked-later-${path}`;
    try {
      const token = await command<string>(conn, {
        type: 'auth/long_lived_access_token',
        client_name: clientName,
        lifespan: 1,
      });
      const accepted = await postMcp(server.mcpUrl, token, 'tools/list', undefined, path);
      assert.equal(accepted.status, 200, 'accepted, and now trusted for a while');
      const tools = ((await accepted.json()) as { result: { tools: { name: string }[] } }).result.tools;
      const tool = tools.find((t) => toolName.test(t.name));
      assert.ok(tool, `${path} offers ${toolName}`);
      const refreshTokens = await command<{ id: string; client_name: string }[]>(conn, {
        type: 'auth/refresh_tokens',
      });
      const id = refreshTokens.find((t) => t.client_name === clientName)?.id;
      assert.ok(id);
      await command(conn, { type: 'auth/delete_refresh_token', refresh_token_id: id });

      // More uses than HA's threshold: each reaches HA at most once more, and is counted.
      for (let i = 0; i < THRESHOLD * 2; i++) {
        const res = await postMcp(
          server.mcpUrl,
          token,
          'tools/call',
          { name: tool.name, arguments: args },
          path
        );
        const body = (await res.json().catch(() => ({}))) as { result?: { isError?: boolean } };
        assert.ok(res.status !== 200 || body.result?.isError === true, `use ${i} did not act: ${res.status}`);
      }
    } finally {
      conn.close();
    }
    const good = await postMcp(server.mcpUrl, ha.adminToken, 'tools/list');
    assert.equal(good.status, 200, await good.clone().text());
    const bans = join(ha.configDir!, 'ip_bans.yaml');
    const banned = existsSync(bans) ? readFileSync(bans, 'utf8') : '';
    assert.doesNotMatch(banned, /127\.0\.0\.1/, banned);
    assert.doesNotMatch(ha.logTail(400), /Banned IP/);
  }

  it('a token revoked after the server accepted it, on Assist actions (REST as the user): counted, no ban', () =>
    revokedThenUsed(ha.userToken, '/api/mcp', /(^|__)HassTurnOn$/, { name: 'Kitchen Lights' }));

  it('an administrator’s token revoked after it was accepted, on render_template (its session as the user): no ban', () =>
    revokedThenUsed(ha.adminToken, '/api/mcp/homeassistant', /(^|__)render_template$/, {
      template: '{{ 6 * 7 }}',
    }));
});
