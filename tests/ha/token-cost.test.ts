/**
 * The token cost of the home against the real test Home Assistant, through the server process: what the
 * admin API reports is what the MCP endpoint really sends (the tools array of tools/list, the prompt and
 * GetLiveContext's answer, counted with the same tokenizer), and exposing or hiding an entity in HA moves
 * the figures.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { Connection } from 'home-assistant-js-websocket';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import type { TokenCostAnswer, TokenCostApi } from '../../server/src/admin/contract.js';
import { postMcp } from '../support/mcp-post.js';
import { startServer, type RunningServer } from '../support/server-process.js';
import { command, connectWs } from '../support/ha/ha-api.js';
import { testHa, type TestHaInfo } from '../support/ha/fixture.js';

/** Unexposed in the demo home; exposed for a moment here. */
const ENTITY = 'light.office_rgbw_lights';

interface RpcAnswer<T> {
  result?: T;
  error?: { message: string };
}

describe('the token cost of the home against Home Assistant', () => {
  let ha: TestHaInfo;
  let server: RunningServer;
  let admin: Connection;

  const cost = async (): Promise<TokenCostAnswer> => {
    const res = await fetch(`${server.adminUrl}/api/admin/token-cost?limit=100000`);
    assert.equal(res.status, 200, await res.clone().text());
    return (await res.json()) as TokenCostAnswer;
  };
  const endpoint = (answer: TokenCostAnswer, path: string): TokenCostApi => {
    const found = answer.apis.find((a) => a.endpoint === path);
    assert.ok(found, `${path} in ${answer.apis.map((a) => a.endpoint).join(', ')}`);
    return found;
  };
  const rpc = async <T>(token: string, method: string, params: Record<string, unknown>, path: string) => {
    const res = await postMcp(server.mcpUrl, token, method, params, path);
    assert.equal(res.status, 200, await res.clone().text());
    const body = (await res.json()) as RpcAnswer<T>;
    assert.ok(body.result, JSON.stringify(body.error));
    return body.result;
  };
  /** The figures once they satisfy `check`: the server's model follows HA within seconds. */
  const costOnce = async (check: (a: TokenCostAnswer) => boolean, what: string) => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const answer = await cost();
      if (check(answer)) return answer;
      if (Date.now() > deadline) assert.fail(`not within 10 s: ${what}`);
      await sleep(200);
    }
  };
  const expose = (shouldExpose: boolean) =>
    command(admin, {
      type: 'homeassistant/expose_entity',
      assistants: ['conversation'],
      entity_ids: [ENTITY],
      should_expose: shouldExpose,
    });

  before(async () => {
    ha = await testHa();
    server = await startServer({
      HA_URL: ha.url,
      HA_TOKEN: ha.adminToken,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'ha-mcp-token-cost-')),
    });
    await server.waitForLog(/Home Assistant model ready/);
    admin = await connectWs(ha.url, ha.adminToken);
  });
  after(async () => {
    admin?.close();
    assert.equal(await server?.stop(), 0);
  });

  it('counts exactly what tools/list, prompts/get and GetLiveContext send, per endpoint and caller', async (t) => {
    const answer = await cost();
    for (const a of answer.apis)
      t.diagnostic(`${a.endpoint}: ${JSON.stringify(a.callers)} (counted in ${answer.computeMs} ms)`);
    const checks = [
      { path: '/api/mcp', token: ha.adminToken, caller: 'admin' },
      { path: '/api/mcp/assist', token: ha.adminToken, caller: 'admin' },
      { path: '/api/mcp/assist', token: ha.userToken, caller: 'nonAdmin' },
      { path: '/api/mcp/homeassistant', token: ha.adminToken, caller: 'admin' },
    ] as const;
    for (const { path, token, caller } of checks) {
      const figures = endpoint(answer, path).callers[caller];
      const { tools } = await rpc<{ tools: { name: string }[] }>(token, 'tools/list', {}, path);
      assert.equal(figures.toolCount, tools.length, `${path} ${caller}: tools`);
      assert.equal(figures.tools, countTokens(JSON.stringify(tools)), `${path} ${caller}: the tools array`);
      const { prompts } = await rpc<{ prompts: { name: string }[] }>(token, 'prompts/list', {}, path);
      const prompt = await rpc<{ messages: { content: { text: string } }[] }>(
        token,
        'prompts/get',
        { name: prompts[0]!.name },
        path
      );
      assert.equal(
        figures.prompt,
        countTokens(prompt.messages[0]!.content.text),
        `${path} ${caller}: prompt`
      );
      const live = tools.find((t) => /(^|__)GetLiveContext$/.test(t.name));
      if (!live) {
        assert.equal(figures.liveContext, 0, `${path}: no live context`);
        continue;
      }
      const result = await rpc<{ content: { text: string }[] }>(
        token,
        'tools/call',
        { name: live.name, arguments: {} },
        path
      );
      // Demo sensors move; the count is of the same shape, within a few tokens of a fresh answer.
      const fresh = countTokens(result.content[0]!.text);
      assert.ok(Math.abs(figures.liveContext - fresh) <= 20, `${path}: ${figures.liveContext} vs ${fresh}`);
    }
    // HA's default: only administrators use /api/mcp, and the Home Assistant API is theirs alone.
    assert.equal(endpoint(answer, '/api/mcp/homeassistant').callers.nonAdmin.available, false);
    const assist = endpoint(answer, '/api/mcp/assist').callers;
    assert.ok(assist.readOnly.toolCount < assist.admin.toolCount);
    assert.ok(answer.entities.length > 0 && answer.entities.length === answer.entityTotals.count);
  });

  it('exposing an entity in Home Assistant raises the figures, hiding it again lowers them', async () => {
    const before = await cost();
    assert.ok(!before.entities.some((e) => e.entityId === ENTITY), `${ENTITY} starts unexposed`);
    const assistBefore = endpoint(before, '/api/mcp/assist').callers.admin;
    try {
      await expose(true);
      const exposed = await costOnce(
        (a) => a.entities.some((e) => e.entityId === ENTITY),
        `${ENTITY} counted once exposed`
      );
      const row = exposed.entities.find((e) => e.entityId === ENTITY)!;
      assert.ok(row.liveContext > 0 && row.prompt > 0, JSON.stringify(row));
      assert.equal(exposed.entityTotals.count, before.entityTotals.count + 1);
      const assistExposed = endpoint(exposed, '/api/mcp/assist').callers.admin;
      assert.ok(assistExposed.liveContext > assistBefore.liveContext);
      assert.ok(assistExposed.prompt > assistBefore.prompt);
      assert.ok(assistExposed.total > assistBefore.total);
      assert.ok(
        endpoint(exposed, '/api/mcp').callers.admin.total > endpoint(before, '/api/mcp').callers.admin.total
      );
    } finally {
      await expose(false);
    }
    const hidden = await costOnce(
      (a) => !a.entities.some((e) => e.entityId === ENTITY),
      `${ENTITY} no longer counted`
    );
    assert.equal(hidden.entityTotals.count, before.entityTotals.count);
    assert.equal(endpoint(hidden, '/api/mcp/assist').callers.admin.prompt, assistBefore.prompt);
  });
});
