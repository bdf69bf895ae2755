/**
 * Who may use which MCP endpoint (server/src/mcp/access.ts), as Home Assistant's own server decides:
 * `require_admin` on `/api/mcp` and the SSE pair, read anew per request; the per-API endpoints, where the
 * Assist API is for every user, the others for administrators, an unknown id 404 (after the 403), and the
 * instance built for the one API the path names.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Principal } from '../../server/src/ha/principals.js';
import type { EndpointAccess } from '../../server/src/mcp/access.js';
import { answer, fakeInstance, mcpWorld, post, request } from '../support/mcp-fixture.js';

let requireAdmin = true;
const access: EndpointAccess = {
  requireAdmin: () => requireAdmin,
  hasApi: (id) => id === 'assist' || id === 'homeassistant',
  allows: (principal, id) => principal.isAdmin || id === 'assist',
};
const asked: (string | undefined)[] = [];
const world = mcpWorld({
  access,
  instanceFor: (principal: Principal, api?: string) => {
    asked.push(api);
    return fakeInstance(principal);
  },
});
after(() => world.stop.abort());

const guest = { authorization: 'Bearer other' };
const owner = { authorization: 'Bearer good' };
const list = request('tools/list');

describe('who may use which MCP endpoint', () => {
  it('lets only administrators use /api/mcp while require_admin is on, in HA’s words', async () => {
    requireAdmin = true;
    const refused = await post(world.app, list, guest);
    assert.equal(refused.status, 403);
    assert.equal(refused.headers.get('content-type'), 'text/plain; charset=utf-8');
    assert.equal(await refused.text(), '403: Forbidden');
    assert.equal((await post(world.app, list, owner)).status, 200);
    const sse = await world.app.request('/mcp_server/sse', { headers: guest });
    assert.equal(sse.status, 403);
  });

  it('follows a change of require_admin at the next request', async () => {
    requireAdmin = false;
    const res = await post(world.app, list, guest);
    assert.equal(res.status, 200);
    assert.ok((await answer(res)).result.tools.length > 0);
    requireAdmin = true;
  });

  it('serves the Assist API to every user at its own endpoint, whatever require_admin says', async () => {
    asked.length = 0;
    const res = await post(world.app, list, guest, '/api/mcp/assist');
    assert.equal(res.status, 200);
    assert.deepEqual(asked, ['assist']);
  });

  it('keeps other APIs’ endpoints for administrators, and refuses a non-admin before telling ids apart', async () => {
    for (const path of ['/api/mcp/homeassistant', '/api/mcp/nope']) {
      const res = await post(world.app, list, guest, path);
      assert.equal(res.status, 403, path);
      assert.equal(await res.text(), '403: Forbidden');
    }
    asked.length = 0;
    assert.equal((await post(world.app, list, owner, '/api/mcp/homeassistant')).status, 200);
    assert.deepEqual(asked, ['homeassistant']);
  });

  it('answers an unknown API id with 404 and HA’s text, and the main endpoint with the selected APIs', async () => {
    const res = await post(world.app, list, owner, '/api/mcp/nope');
    assert.equal(res.status, 404);
    assert.equal(await res.text(), "Unknown LLM API 'nope'");
    asked.length = 0;
    await post(world.app, list, owner);
    assert.deepEqual(asked, [undefined]);
  });

  it('asks for a token first, and keeps the per-API endpoints stateless', async () => {
    const res = await post(world.app, list, { authorization: undefined }, '/api/mcp/assist');
    assert.equal(res.status, 401);
    const get = await world.app.request('/api/mcp/assist', { headers: owner });
    assert.equal(get.status, 405);
  });
});
