/**
 * The whole product path: the server process, with the real Home Assistant behind it, driven by real MCP
 * clients — the SDK v2 client in both protocol eras and mcp-remote — as a plain (non-admin) user; plus
 * authentication and the read-only mode, read back from HA.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  Client,
  StreamableHTTPClientTransport,
  type VersionNegotiationMode,
} from '@modelcontextprotocol/client';
import { createLogger } from '../../server/src/log.js';
import { parseOptions } from '../../server/src/options.js';
import { openStore } from '../../server/src/store/store.js';
import { postMcp } from '../support/mcp-post.js';
import { McpRemote } from '../support/mcp-remote.js';
import { startServer, type RunningServer } from '../support/server-process.js';
import { command, connectWs, restJson } from '../support/ha/ha-api.js';
import { testHa, type TestHaInfo } from '../support/ha/fixture.js';

async function stateOf(ha: TestHaInfo, entityId: string): Promise<string> {
  return (await restJson<{ state: string }>(ha.url, `/api/states/${entityId}`, { token: ha.adminToken }))
    .state;
}

/**
 * The server with these options. The tests' MCP client is the plain user, so by default every user may use
 * `/api/mcp` (`require_admin` off, as homes that let every user in set it); HA's own default is tested apart.
 */
async function serverWith(
  ha: TestHaInfo,
  options: Record<string, unknown> = { require_admin: false, llm_apis: ['assist'] },
  dataDir = mkdtempSync(join(tmpdir(), 'ha-mcp-e2e-'))
): Promise<RunningServer> {
  writeFileSync(join(dataDir, 'options.json'), JSON.stringify(options));
  const server = await startServer({ HA_URL: ha.url, HA_TOKEN: ha.adminToken, DATA_DIR: dataDir });
  await server.waitForLog(/Home Assistant model ready/);
  return server;
}

async function connect(server: RunningServer, token: string, mode: VersionNegotiationMode): Promise<Client> {
  const client = new Client({ name: 'e2e-test', version: '1.0.0' }, { versionNegotiation: { mode } });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${server.mcpUrl}/api/mcp`), {
      authProvider: { token: async () => token },
    })
  );
  return client;
}

describe('the MCP endpoint with the real Home Assistant behind it', () => {
  let ha: TestHaInfo;
  let server: RunningServer;

  before(async () => {
    ha = await testHa();
    server = await serverWith(ha);
  });
  after(async () => {
    assert.equal(await server?.stop(), 0);
  });

  for (const mode of ['legacy', 'auto', '2026-07-28'] as VersionNegotiationMode[]) {
    it(`serves the SDK client (${mode}): tools, live context, resource, prompt and an action read back from HA`, async () => {
      const client = await connect(server, ha.userToken, mode);
      try {
        const { tools } = await client.listTools();
        const names = tools.map((t) => t.name);
        for (const name of [
          'intent__HassTurnOn',
          'homeassistant__GetLiveContext',
          'llm__GetDateTime',
          'script__good_night',
        ]) {
          assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
        }
        const live = await client.callTool({
          name: 'homeassistant__GetLiveContext',
          arguments: { domain: 'light' },
        });
        assert.equal(live.isError, false);
        assert.match(JSON.stringify(live.content), /Bed Light, reading lamp/);

        const { resources } = await client.listResources();
        assert.deepEqual(
          resources.map((r) => r.uri),
          ['homeassistant://assist/context-snapshot']
        );
        const snapshot = await client.readResource({ uri: 'homeassistant://assist/context-snapshot' });
        assert.match(JSON.stringify(snapshot.contents), /Front Door/);

        const { prompts } = await client.listPrompts();
        const prompt = await client.getPrompt({ name: prompts[0]!.name });
        assert.match(JSON.stringify(prompt.messages), /Static Context/);

        await restJson(ha.url, '/api/services/light/turn_off', {
          token: ha.adminToken,
          json: { entity_id: 'light.bed_light' },
        });
        const on = await client.callTool({ name: 'intent__HassTurnOn', arguments: { name: 'reading lamp' } });
        assert.equal(on.isError, false, JSON.stringify(on.content));
        assert.equal(await stateOf(ha, 'light.bed_light'), 'on');
      } finally {
        await client.close();
      }
    });
  }

  it('serves mcp-remote with a header token', { timeout: 180_000 }, async () => {
    const remote = new McpRemote(`${server.mcpUrl}/api/mcp`, ha.userToken);
    try {
      const init = await remote.request(1, 'initialize', {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'remote-host', version: '1.0.0' },
      });
      assert.ok(init, remote.output);
      remote.notify('notifications/initialized');
      const list = await remote.request(2, 'tools/list');
      assert.ok(list?.result.tools.some((tool: { name: string }) => tool.name === 'intent__HassTurnOff'));
      const call = await remote.request(3, 'tools/call', {
        name: 'homeassistant__GetLiveContext',
        arguments: { name: 'Front Door' },
      });
      assert.equal(call?.result.isError, false);
      assert.match(call?.result.content[0].text, /Front Door/);
    } finally {
      await remote.stop();
    }
  });

  it('passes the device a request speaks for to HA’s intents, with its area preferred', async () => {
    const admin = await connectWs(ha.url, ha.adminToken);
    const devices = await command<{ id: string; area_id: string | null }[]>(admin, {
      type: 'config/device_registry/list',
    });
    admin.close();
    const satellite = devices.find((d) => d.area_id) ?? devices[0]!;
    const client = await connect(server, ha.userToken, 'auto');
    try {
      await restJson(ha.url, '/api/services/light/turn_on', {
        token: ha.adminToken,
        json: { entity_id: 'light.bed_light' },
      });
      const off = await client.callTool({
        name: 'intent__HassTurnOff',
        arguments: { name: 'reading lamp' },
        _meta: { 'io.home-assistant/device_id': satellite.id },
      });
      assert.equal(off.isError, false, JSON.stringify(off.content));
      assert.equal(await stateOf(ha, 'light.bed_light'), 'off');
    } finally {
      await client.close();
    }
  });

  it('with Home Assistant’s defaults, keeps /api/mcp for administrators and opens /api/mcp/assist to every user', async () => {
    const defaults = await serverWith(ha, {});
    try {
      const asUser = await postMcp(defaults.mcpUrl, ha.userToken, 'tools/list');
      assert.equal(asUser.status, 403);
      assert.equal(await asUser.text(), '403: Forbidden');
      const asAdmin = await postMcp(defaults.mcpUrl, ha.adminToken, 'tools/list');
      assert.equal(asAdmin.status, 200);
      const assist = await postMcp(defaults.mcpUrl, ha.userToken, 'tools/list', {}, '/api/mcp/assist');
      const names = ((await assist.json()) as { result: { tools: { name: string }[] } }).result.tools.map(
        (t) => t.name
      );
      assert.ok(names.includes('intent__HassTurnOn'), names.join(', '));
      const other = await postMcp(defaults.mcpUrl, ha.userToken, 'tools/list', {}, '/api/mcp/homeassistant');
      assert.equal(other.status, 403);
      const unknown = await postMcp(defaults.mcpUrl, ha.adminToken, 'tools/list', {}, '/api/mcp/nope');
      assert.deepEqual([unknown.status, await unknown.text()], [404, "Unknown LLM API 'nope'"]);
    } finally {
      assert.equal(await defaults.stop(), 0);
    }
  });

  it('refuses requests without a valid token, pointing at its resource metadata', async () => {
    const res = await fetch(`${server.mcpUrl}/api/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    assert.equal(res.status, 401);
    assert.match(
      res.headers.get('www-authenticate') ?? '',
      /^Bearer .*resource_metadata="http:\/\/[^"]+\/\.well-known\/oauth-protected-resource\/api\/mcp"/
    );
    const bad = await fetch(`${server.mcpUrl}/api/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        authorization: 'Bearer nope',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    assert.equal(bad.status, 401);
    assert.match(bad.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
  });

  it('with "Control Home Assistant" off, lists only read-only tools and refuses actions, even by name', async () => {
    const readOnly = await serverWith(ha, {
      require_admin: false,
      llm_apis: ['assist'],
      control_home_assistant: false,
    });
    try {
      const client = await connect(readOnly, ha.userToken, 'legacy');
      const { tools } = await client.listTools();
      assert.ok(tools.length > 0);
      assert.ok(
        tools.every((t) => t.annotations?.readOnlyHint === true),
        tools.map((t) => t.name).join(', ')
      );
      await restJson(ha.url, '/api/services/light/turn_off', {
        token: ha.adminToken,
        json: { entity_id: 'light.bed_light' },
      });
      const refused = await client.callTool({ name: 'intent__HassTurnOn', arguments: { name: 'Bed Light' } });
      assert.equal(refused.isError, true);
      assert.match(JSON.stringify(refused.content), /read-only/);
      assert.equal(await stateOf(ha, 'light.bed_light'), 'off');
      await client.close();
      // Every URL is read-only, the per-API ones too (HA's own ignore its read-only option there).
      for (const path of ['/api/mcp/assist', '/api/mcp/homeassistant']) {
        const res = await postMcp(readOnly.mcpUrl, ha.adminToken, 'tools/list', {}, path);
        const listed = ((await res.json()) as { result: { tools: { name: string; annotations?: any }[] } })
          .result.tools;
        assert.ok(listed.length > 0, path);
        assert.ok(
          listed.every((t) => t.annotations?.readOnlyHint === true),
          `${path}: ${listed.map((t) => t.name).join(', ')}`
        );
      }
    } finally {
      await readOnly.stop();
    }
  });

  it('logs every request — who, which client, what, how it ended — and flushes the log on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ha-mcp-e2e-log-'));
    const logged = await serverWith(ha, undefined, dataDir);
    const client = await connect(logged, ha.userToken, 'legacy');
    await client.callTool({ name: 'homeassistant__GetLiveContext', arguments: { area: 'Bedroom' } });
    await client.callTool({ name: 'intent__HassTurnOn', arguments: { name: 'Nothing by this name' } });
    await client.close();
    await fetch(`${logged.mcpUrl}/api/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer not-a-token' },
      body: '{}',
    });
    assert.equal(await logged.stop('SIGTERM'), 0);

    const store = openStore({
      dataDir,
      options: parseOptions({}, 'test'),
      log: createLogger('error', () => {}),
    });
    try {
      const { rows } = await store.queries.page({}, { limit: 50 });
      const calls = rows.filter((r) => r.method === 'tools/call');
      assert.deepEqual(calls.map((r) => [r.target, r.outcome]).sort(), [
        ['homeassistant__GetLiveContext', 'ok'],
        ['intent__HassTurnOn', 'tool_error'],
      ]);
      for (const row of calls) {
        assert.equal(row.userName, 'Guest');
        assert.equal(row.clientName, 'e2e-test');
        assert.equal(row.auth, 'long_lived_token');
        assert.ok(row.latencyMs > 0 && (row.responseBytes ?? 0) > 0);
      }
      assert.ok(rows.some((r) => r.method === 'initialize' && r.protocolVersion));
      const refused = rows.find((r) => r.outcome === 'auth_failed');
      assert.ok(refused, 'the failed authentication is logged');
      assert.doesNotMatch(JSON.stringify(rows), /not-a-token|eyJ/);
    } finally {
      await store.close();
    }
  });
});
