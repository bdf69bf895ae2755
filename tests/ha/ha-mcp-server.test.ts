/**
 * Home Assistant's own MCP server as a user sets it up: its config flow's defaults (title "All LLM APIs";
 * all_llm_apis, require_admin, not read-only), on the test HA's default_config home. What its main URL
 * `/api/mcp` offers is the reference: side-by-side-default.test.ts holds ours to it, endpoint by endpoint;
 * side-by-side.test.ts compares the Assist API's calls with HA's per-API endpoint `/api/mcp/assist`.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { testHa, type TestHaInfo } from '../support/ha/fixture.js';
import { postMcp } from '../support/mcp-post.js';

/** The "Home Assistant" API's tools on a Core install (no Supervisor), in HA's order. */
const HOME_ASSISTANT_API = [
  'config__get_config_entries',
  'config__reload_config_entry',
  'config__search_integrations',
  'history__get_history',
  'homeassistant__render_template',
  'homeassistant__search_actions',
  'homeassistant__call_action',
  'llm__GetDateTime',
  'search__search',
  'system_health__get_system_info',
  'system_log__get_entries',
  'system_log__get_logs',
];

describe('Home Assistant’s own MCP server, as its config flow sets it up', () => {
  let ha: TestHaInfo;

  async function rpc(path: string, token: string, method: string): Promise<Response> {
    return postMcp(ha.url, token, method, {}, path);
  }
  async function toolNames(path: string, token: string): Promise<string[]> {
    const res = await rpc(path, token, 'tools/list');
    assert.equal(res.status, 200, `${path} tools/list`);
    return ((await res.json()) as { result: { tools: { name: string }[] } }).result.tools.map((t) => t.name);
  }

  before(async () => {
    ha = await testHa();
  });

  it('offers an admin, at /api/mcp, the Assist tools and then the "Home Assistant" API’s', async () => {
    const assist = await toolNames('/api/mcp/assist', ha.adminToken);
    assert.ok(assist.includes('homeassistant__GetLiveContext'), assist.join(', '));
    assert.ok(assist.includes('llm__GetDateTime'), assist.join(', '));
    assert.deepEqual(await toolNames('/api/mcp/homeassistant', ha.adminToken), HOME_ASSISTANT_API);
    // One merged API: llm__GetDateTime, which both offer, once, at its Assist place.
    assert.deepEqual(await toolNames('/api/mcp', ha.adminToken), [
      ...assist,
      ...HOME_ASSISTANT_API.filter((name) => !assist.includes(name)),
    ]);
    const prompts = (await (await rpc('/api/mcp', ha.adminToken, 'prompts/list')).json()) as {
      result: { prompts: { name: string }[] };
    };
    assert.deepEqual(
      prompts.result.prompts.map((p) => p.name),
      ['Merged LLM API']
    );
  });

  it('refuses a non-admin at /api/mcp with 403, and serves them the Assist API at /api/mcp/assist', async () => {
    const refused = await rpc('/api/mcp', ha.userToken, 'tools/list');
    assert.equal(refused.status, 403);
    assert.equal(await refused.text(), '403: Forbidden');
    assert.deepEqual(
      await toolNames('/api/mcp/assist', ha.userToken),
      await toolNames('/api/mcp/assist', ha.adminToken)
    );
  });
});
