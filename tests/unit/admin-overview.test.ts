import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostOf } from '../../server/src/admin/overview.js';
import { HaAwayError } from '../../server/src/ha/errors.js';
import { VERSION } from '../../server/src/version.js';
import { adminWorld, memoryOptions, record, type UserName } from '../support/admin-fixture.js';
import { coreConfig } from '../support/core-config.js';

interface Overview {
  version: string;
  mode: string;
  home: { status: string; haVersion: string | null; locationName: string | null };
  mcp: { port: number; urls: { kind: string; url: string }[]; cloud: string | null };
  entities: { total: number; exposed: number } | null;
  tools: string[] | null;
  access: { requireAdmin: boolean; llmApis: string[] };
  requests: { from: number; to: null; calls: number; errors: number } | null;
  user: { id: string | null; name: string | null; displayName: string | null; isAdmin: boolean | null };
}

async function overview(
  world: ReturnType<typeof adminWorld>,
  headers: Record<string, string> = {},
  peer?: string,
  user: UserName = 'guest'
): Promise<Overview> {
  const res = await world.call('/api/admin/overview', { user, headers, ...(peer ? { peer } : {}) });
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as Overview;
}

describe('GET /api/admin/overview', () => {
  it('says whether HA is live, what MCP clients are offered, and how many entities they see', async () => {
    const world = adminWorld();
    const body = await overview(world);
    assert.equal(body.version, VERSION);
    assert.equal(body.mode, 'addon');
    assert.deepEqual(body.home, { status: 'ready', haVersion: '2026.11.0', locationName: 'Test Home' });
    assert.deepEqual(body.entities, {
      total: world.home.states.size,
      exposed: world.home.exposedEntities().length,
    });
    assert.deepEqual(body.entities, { total: 5, exposed: 4 });
    // Both APIs by default, merged, as an administrator's client is offered them.
    assert.deepEqual(body.tools, ['GetLiveContext', 'HassTurnOn', 'homeassistant__render_template']);
  });

  it('says who may use /api/mcp and which LLM APIs it serves, as the options say', async () => {
    assert.deepEqual((await overview(adminWorld())).access, {
      requireAdmin: true,
      llmApis: ['assist', 'homeassistant'],
    });
    const open = adminWorld({
      options: memoryOptions({ require_admin: false, llm_apis: ['assist', 'homeassistant'] }),
    });
    assert.deepEqual((await overview(open)).access, {
      requireAdmin: false,
      llmApis: ['assist', 'homeassistant'],
    });
  });

  it('counts the last 24 hours of requests and their errors, everyone’s for an administrator', async () => {
    const world = adminWorld();
    const now = Date.now();
    record(world.store, [
      { time: now - 25 * 3_600_000 },
      { time: now - 3_600_000 },
      { time: now - 1_000, outcome: 'tool_error' },
      { time: now - 500, outcome: 'rpc_error', clientName: 'Cursor' },
    ]);
    const body = await overview(world, {}, undefined, 'admin');
    assert.deepEqual({ calls: body.requests!.calls, errors: body.requests!.errors }, { calls: 3, errors: 2 });
  });

  it('shows what it can while HA is away: link state, and null for what needs HA', async () => {
    const world = adminWorld();
    world.home.markStale();
    world.ha.down = true;
    const body = await overview(world);
    assert.equal(body.home.status, 'stale');
    assert.equal(body.entities, null);
    assert.equal(body.tools, null);
    assert.notEqual(body.requests, null);
    assert.equal(body.user.isAdmin, null, 'HA cannot say');
  });

  it('gives MCP URLs on Home Assistant’s own hosts, never on the host the panel was opened from', async () => {
    const world = adminWorld();
    world.home.setConfig(
      coreConfig({ internal_url: 'http://192.168.1.20:8123', external_url: 'https://ha.example.com' })
    );
    // Opened through Home Assistant Cloud: that host leads to Home Assistant, not to the add-on's port.
    const body = await overview(world, { 'x-forwarded-host': 'abcdef0123.ui.nabu.casa' });
    assert.deepEqual(body.mcp, {
      port: 9123,
      urls: [
        { kind: 'internal', url: 'http://192.168.1.20:9123/api/mcp' },
        { kind: 'forwarded', url: 'http://ha.example.com:9123/api/mcp' },
      ],
      cloud: 'abcdef0123.ui.nabu.casa',
    });
    // Nor a reverse proxy's host, nor anything that is not a host name.
    for (const host of ['proxy.example.org', 'evil.example/"><script>']) {
      const urls = (await overview(world, { 'x-forwarded-host': host })).mcp.urls.map((u) => u.url);
      assert.ok(!urls.some((url) => url.includes(host)), host);
    }
  });

  it('puts the External URL option first, and makes no MCP URL of a Home Assistant Cloud address', async () => {
    const world = adminWorld({ options: memoryOptions({ external_url: 'https://mcp.example.com' }) });
    world.home.setConfig(
      coreConfig({ internal_url: 'http://ha.lan:8123', external_url: 'https://abcdef0123.ui.nabu.casa' })
    );
    const body = await overview(world);
    assert.deepEqual(body.mcp.urls, [
      { kind: 'external', url: 'https://mcp.example.com/api/mcp' },
      { kind: 'internal', url: 'http://ha.lan:9123/api/mcp' },
    ]);
    assert.equal(body.mcp.cloud, 'abcdef0123.ui.nabu.casa');
  });

  it('once the companion is set up, offers Home Assistant’s own Cloud and external URLs first, under its path', async () => {
    const reach = { companionReady: true, cloudUrl: 'https://abcdef0123.ui.nabu.casa' };
    const world = adminWorld({ overrides: { throughHomeAssistant: async () => reach } });
    world.home.setConfig(
      coreConfig({ internal_url: 'http://192.168.1.20:8123', external_url: 'https://ha.example.com/' })
    );
    const body = await overview(world, { 'x-forwarded-host': 'abcdef0123.ui.nabu.casa' });
    assert.deepEqual(body.mcp, {
      port: 9123,
      urls: [
        { kind: 'home_assistant', url: 'https://abcdef0123.ui.nabu.casa/api/mcp_addon/api/mcp' },
        { kind: 'home_assistant', url: 'https://ha.example.com/api/mcp_addon/api/mcp' },
        { kind: 'internal', url: 'http://192.168.1.20:9123/api/mcp' },
        { kind: 'forwarded', url: 'http://ha.example.com:9123/api/mcp' },
      ],
      // The Cloud address is an MCP URL now: nothing to explain.
      cloud: null,
    });
    // Not set up (or HA away): none of HA's own URLs, and the Cloud address explained as before.
    for (const answer of [
      async () => ({ ...reach, companionReady: false }),
      async () => {
        throw new HaAwayError('away');
      },
    ]) {
      const without = adminWorld({ overrides: { throughHomeAssistant: answer } });
      without.home.setConfig(coreConfig({ external_url: 'https://abcdef0123.ui.nabu.casa' }));
      const mcp = (await overview(without)).mcp;
      assert.ok(!mcp.urls.some((u) => u.kind === 'home_assistant'), JSON.stringify(mcp.urls));
      assert.equal(mcp.cloud, 'abcdef0123.ui.nabu.casa');
    }
  });

  it('says an external URL on the home network is reached from home, not by forwarding', async () => {
    const world = adminWorld({
      overrides: { hostAddress: async () => ({ ip: '192.168.1.30', mdnsName: null }) },
    });
    world.home.setConfig(coreConfig({ external_url: 'http://ha.lan:8123' }));
    assert.deepEqual((await overview(world)).mcp.urls, [
      { kind: 'host', url: 'http://192.168.1.30:9123/api/mcp' },
      { kind: 'internal', url: 'http://ha.lan:9123/api/mcp' },
    ]);
  });

  it('without an internal URL, offers what Home Assistant falls back to: the host’s address and .local name', async () => {
    const world = adminWorld({
      overrides: { hostAddress: async () => ({ ip: '192.168.1.20', mdnsName: 'ha-kitchen.local' }) },
    });
    assert.deepEqual((await overview(world)).mcp, {
      port: 9123,
      urls: [
        { kind: 'host', url: 'http://192.168.1.20:9123/api/mcp' },
        { kind: 'mdns', url: 'http://ha-kitchen.local:9123/api/mcp' },
      ],
      cloud: null,
    });
    // The Supervisor silent: HAOS's own name.
    assert.deepEqual(
      (await overview(adminWorld({ overrides: { hostAddress: async () => undefined } }))).mcp.urls,
      [{ kind: 'mdns', url: 'http://homeassistant.local:9123/api/mcp' }]
    );
  });

  it('standalone, gives the MCP listener’s own address', async () => {
    const world = adminWorld({ mode: 'standalone', overrides: { mcp: { port: 9200, host: '0.0.0.0' } } });
    const res = await world.call('/api/admin/overview', {
      peer: '127.0.0.1',
      headers: { host: 'localhost:8099' },
    });
    const body = (await res.json()) as Overview;
    assert.deepEqual(body.mcp.urls, [{ kind: 'local', url: 'http://localhost:9200/api/mcp' }]);
    const loopback = adminWorld({
      mode: 'standalone',
      overrides: { mcp: { port: 9200, host: '127.0.0.1' } },
    });
    const own = (await (
      await loopback.call('/api/admin/overview', { peer: '127.0.0.1' })
    ).json()) as Overview;
    assert.deepEqual(own.mcp.urls, [{ kind: 'local', url: 'http://127.0.0.1:9200/api/mcp' }]);
  });
});

describe('host names from Host-style headers', () => {
  it('keeps the host, drops the port, takes the first of a list, refuses anything else', () => {
    assert.equal(hostOf('homeassistant.local:8123'), 'homeassistant.local');
    assert.equal(hostOf('192.168.1.20'), '192.168.1.20');
    assert.equal(hostOf('[fd00::1]:8123'), '[fd00::1]');
    assert.equal(hostOf('HA.Example.com, proxy.internal'), 'ha.example.com');
    assert.equal(hostOf('a b'), undefined);
    assert.equal(hostOf('host/path'), undefined);
    assert.equal(hostOf(''), undefined);
    assert.equal(hostOf(undefined), undefined);
  });
});
