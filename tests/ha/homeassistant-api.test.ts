/**
 * The "Home Assistant" LLM API (server/src/llm/homeassistant/) side by side with HA's own, served by HA's
 * mcp_server at its per-API endpoint `/api/mcp/homeassistant`, on the same test HA, as the same admin: every
 * tool we offer is one HA offers, with the same title, annotations and input schema (descriptions are each
 * server's own words), and its results are JSON-equal to HA's. A non-admin is refused, as by HA.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Principal } from '../../server/src/ha/principals.js';
import { ApiUnauthorizedError, type Tool } from '../../server/src/llm/api.js';
import { ApiRegistry } from '../../server/src/llm/registry.js';
import { createLogger } from '../../server/src/log.js';
import { parseOptions } from '../../server/src/options.js';
import { type TestHaInfo } from '../support/ha/fixture.js';
import { homeAssistantApiWorld, type HomeAssistantApiWorld } from '../support/ha/home-assistant-api-world.js';
import { postMcp } from '../support/mcp-post.js';
import { assertSameTool, type ToolShape } from '../support/tool-shape.js';

const PATH = '/api/mcp/homeassistant';

describe('the Home Assistant API side by side with HA’s own', () => {
  let ha: TestHaInfo;
  let world: HomeAssistantApiWorld;
  let registry: ApiRegistry;
  let admin: Principal;
  let user: Principal;

  async function theirs(method: string, params: Record<string, unknown> = {}, token = ha.adminToken) {
    const res = await postMcp(ha.url, token, method, params, PATH);
    return { status: res.status, body: await res.text() };
  }
  const theirResult = async (method: string, params: Record<string, unknown> = {}) =>
    (JSON.parse((await theirs(method, params)).body) as { result: any }).result;

  const ours = (): Tool[] => registry.instanceFor(admin).tools;

  before(async () => {
    world = await homeAssistantApiWorld();
    ({ ha, admin, user } = world);
    const options = parseOptions({ llm_apis: ['homeassistant'] }, 'test');
    registry = new ApiRegistry(
      () => options,
      createLogger('error', () => {})
    ).register(world.api);
  });
  after(() => world?.close());

  it('offers only tools HA offers, with the same titles, annotations and input schemas, in HA’s order', async () => {
    const reference = ((await theirResult('tools/list')) as { tools: ToolShape[] }).tools;
    const names = ours().map((t) => t.name);
    assert.ok(names.includes('system_health__get_system_info'), names.join(', '));
    const referenceNames = reference.map((t) => t.name);
    assert.deepEqual(
      names,
      referenceNames.filter((name) => names.includes(name)),
      'our tools in HA’s order'
    );
    for (const tool of ours())
      assertSameTool(
        tool,
        reference.find((t) => t.name === tool.name)!
      );
  });

  it('answers system_health__get_system_info as HA does', async () => {
    const tool = ours().find((t) => t.name === 'system_health__get_system_info')!;
    const mine = await tool.run({}, { principal: admin });
    const ref = await theirResult('tools/call', { name: tool.name, arguments: {} });
    assert.equal(mine.isError ?? false, ref.isError);
    assert.deepEqual(JSON.parse(mine.text), JSON.parse(ref.content[0].text));
    // Python's separators, as HA writes its tool results.
    assert.match(mine.text, /^\{"result": \{"installation_type": /);
  });

  it('is for administrators: a plain user is refused, by us and by HA', async () => {
    assert.throws(() => registry.instanceFor(user), ApiUnauthorizedError);
    const refused = await theirs('tools/list', {}, ha.userToken);
    assert.equal(refused.status, 403);
  });
});
