/**
 * Our server with its defaults side by side with Home Assistant's own MCP server with its config flow's
 * defaults ("All LLM APIs", administrators only), on the same default_config home, as an administrator and
 * as a plain user, over every endpoint: `/api/mcp` (both LLM APIs merged), `/api/mcp/assist` and
 * `/api/mcp/homeassistant`. Tool lists in order, titles, annotations and input schemas (descriptions are
 * each server's own words), prompts and resources, and who is refused how. Ours is also asked in the
 * 2026-07-28 protocol era, which HA does not speak, and must offer the same.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  Client,
  StreamableHTTPClientTransport,
  type VersionNegotiationMode,
} from '@modelcontextprotocol/client';
import { testHa, type TestHaInfo } from '../support/ha/fixture.js';
import { postMcp } from '../support/mcp-post.js';
import { type ToolShape, withoutDescriptions } from '../support/tool-shape.js';
import { startServer, type RunningServer } from '../support/server-process.js';

const toolShape = (t: ToolShape) => ({
  name: t.name,
  title: t.title,
  annotations: t.annotations,
  inputSchema: withoutDescriptions(t.inputSchema, true),
});

describe('side by side with Home Assistant’s own server, both with their defaults', () => {
  let ha: TestHaInfo;
  let server: RunningServer;

  const rpc = (base: string, token: string, method: string, path: string, params = {}) =>
    postMcp(base, token, method, params, path);
  async function result(base: string, token: string, method: string, path: string, params = {}) {
    const res = await rpc(base, token, method, path, params);
    assert.equal(res.status, 200, `${base}${path} ${method}`);
    return ((await res.json()) as { result: any }).result;
  }
  const tools = async (base: string, token: string, path: string) =>
    ((await result(base, token, 'tools/list', path)).tools as ToolShape[]).map(toolShape);

  before(async () => {
    ha = await testHa();
    server = await startServer({ HA_URL: ha.url, HA_TOKEN: ha.adminToken });
    await server.waitForLog(/Home Assistant model ready/);
  });
  after(async () => {
    assert.equal(await server?.stop(), 0);
  });

  for (const path of ['/api/mcp', '/api/mcp/assist', '/api/mcp/homeassistant']) {
    it(`offers an administrator the same tools at ${path}, in the same order and shape`, async () => {
      const theirs = await tools(ha.url, ha.adminToken, path);
      const ours = await tools(server.mcpUrl, ha.adminToken, path);
      assert.deepEqual(
        ours.map((t) => t.name),
        theirs.map((t) => t.name)
      );
      for (const [i, ref] of theirs.entries()) assert.deepEqual(ours[i], ref, ref.name);
    });
  }

  it('offers a plain user the same Assist tools at /api/mcp/assist', async () => {
    assert.deepEqual(
      await tools(server.mcpUrl, ha.userToken, '/api/mcp/assist'),
      await tools(ha.url, ha.userToken, '/api/mcp/assist')
    );
  });

  it('refuses a plain user at /api/mcp and /api/mcp/homeassistant as HA does, and an unknown API alike', async () => {
    for (const path of ['/api/mcp', '/api/mcp/homeassistant', '/api/mcp/nope']) {
      const theirs = await rpc(ha.url, ha.userToken, 'tools/list', path);
      const ours = await rpc(server.mcpUrl, ha.userToken, 'tools/list', path);
      assert.deepEqual([ours.status, await ours.text()], [theirs.status, await theirs.text()], path);
    }
    const theirs = await rpc(ha.url, ha.adminToken, 'tools/list', '/api/mcp/nope');
    const ours = await rpc(server.mcpUrl, ha.adminToken, 'tools/list', '/api/mcp/nope');
    assert.deepEqual([ours.status, await ours.text()], [theirs.status, await theirs.text()]);
  });

  it('names the merged prompt as HA does, and lists each API’s tools in its sections', async () => {
    for (const path of ['/api/mcp', '/api/mcp/homeassistant', '/api/mcp/assist']) {
      const theirs = (await result(ha.url, ha.adminToken, 'prompts/list', path)).prompts;
      const ours = (await result(server.mcpUrl, ha.adminToken, 'prompts/list', path)).prompts;
      assert.deepEqual(
        ours.map((p: { name: string }) => p.name),
        theirs.map((p: { name: string }) => p.name),
        path
      );
    }
    const sections = async (base: string) => {
      const text = (await result(base, ha.adminToken, 'prompts/get', '/api/mcp', { name: 'Merged LLM API' }))
        .messages[0].content.text as string;
      return text.split('\n').filter((line) => line.startsWith('Follow these instructions for tools from'));
    };
    const theirs = await sections(ha.url);
    assert.equal(theirs.length, 2);
    assert.deepEqual(await sections(server.mcpUrl), theirs);
    // The Home Assistant API's own prompt is empty, in both.
    const empty = (base: string) =>
      result(base, ha.adminToken, 'prompts/get', '/api/mcp/homeassistant', { name: 'Home Assistant' });
    assert.deepEqual((await empty(server.mcpUrl)).messages, (await empty(ha.url)).messages);
  });

  it('lists the same resources at each endpoint', async () => {
    for (const path of ['/api/mcp', '/api/mcp/assist', '/api/mcp/homeassistant']) {
      const uris = async (base: string) =>
        (await result(base, ha.adminToken, 'resources/list', path)).resources.map(
          (r: { uri: string }) => r.uri
        );
      assert.deepEqual(await uris(server.mcpUrl), await uris(ha.url), path);
    }
  });

  it('offers the same tools in the 2026-07-28 era as in the legacy one', async () => {
    const client = new Client(
      { name: 'era-test', version: '1.0.0' },
      { versionNegotiation: { mode: '2026-07-28' as VersionNegotiationMode } }
    );
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${server.mcpUrl}/api/mcp`), {
        authProvider: { token: async () => ha.adminToken },
      })
    );
    try {
      const modern = (await client.listTools()).tools as ToolShape[];
      assert.deepEqual(modern.map(toolShape), await tools(ha.url, ha.adminToken, '/api/mcp'));
    } finally {
      await client.close();
    }
  });
});
