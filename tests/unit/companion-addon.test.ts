/**
 * The companion in add-on mode, without Home Assistant: HA's config folder is where config.yaml maps it
 * (/homeassistant) unless HA_CONFIG_DIR says otherwise, the add-on's internal URL is its hostname from the
 * Supervisor's `/addons/self/info` at the MCP port, and the image's copy of the integration is found from
 * the built server's own folder (`/app/server/dist/admin` → `/app/companion/mcp_server_addon`).
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { companionSource } from '../../server/src/admin/companion-install.js';
import { loadServerConfig } from '../../server/src/server-config.js';
import { at } from '../support/paths.js';

const root = mkdtempSync(join(tmpdir(), 'companion-addon-'));
after(() => rmSync(root, { recursive: true, force: true }));
writeFileSync(join(root, 'options.json'), '{}');

const addon = (env: Record<string, string> = {}) =>
  loadServerConfig({ SUPERVISOR_TOKEN: 'supervisor-token', DATA_DIR: root, ...env });
const standalone = (env: Record<string, string> = {}) =>
  loadServerConfig({ HA_URL: 'http://ha.local:8123', HA_TOKEN: 't', DATA_DIR: root, ...env });

/** A stand-in Supervisor that answers `/addons/self/info` with `info`, in its envelope. */
async function supervisorWith(info: Record<string, unknown>) {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers.authorization}`);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ result: 'ok', data: info }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => server.close());
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe('the companion in add-on mode', () => {
  it('uses HA’s config folder where config.yaml maps it, or HA_CONFIG_DIR; standalone only HA_CONFIG_DIR', () => {
    assert.equal(addon().haConfigDir, '/homeassistant');
    assert.equal(addon({ HA_CONFIG_DIR: '/elsewhere' }).haConfigDir, '/elsewhere');
    assert.equal(standalone().haConfigDir, undefined);
    assert.equal(standalone({ HA_CONFIG_DIR: '/config' }).haConfigDir, '/config');
  });

  it('gives Core the add-on’s hostname from the Supervisor, at the MCP port', async () => {
    const supervisor = await supervisorWith({ hostname: 'local-ha-mcp-server', slug: 'local_ha_mcp_server' });
    const source = companionSource(addon(), { baseUrl: supervisor.baseUrl });
    assert.equal(await source.addonUrl(), 'http://local-ha-mcp-server:9123');
    assert.deepEqual(supervisor.seen, ['GET /addons/self/info Bearer supervisor-token']);
    assert.equal(source.configDir, '/homeassistant');
    assert.equal(source.haUrl, 'http://supervisor/core');
  });

  it('takes COMPANION_ADDON_URL over the Supervisor, and knows no address standalone without it', async () => {
    const supervisor = await supervisorWith({ hostname: 'local-ha-mcp-server' });
    const fixed = companionSource(addon({ COMPANION_ADDON_URL: 'http://10.0.0.5:9123' }), {
      baseUrl: supervisor.baseUrl,
    });
    assert.equal(await fixed.addonUrl(), 'http://10.0.0.5:9123');
    assert.deepEqual(supervisor.seen, []);
    assert.equal(await companionSource(standalone()).addonUrl(), undefined);
  });

  it('finds the image’s copy beside the built server (/app/companion/mcp_server_addon)', async () => {
    const app = join(root, 'app');
    const admin = join(app, 'server', 'dist', 'admin');
    mkdirSync(admin, { recursive: true });
    for (const file of ['companion-files.ts', 'companion.ts']) {
      cpSync(at('server/src/admin', file), join(admin, file));
    }
    cpSync(at('custom_components/mcp_server_addon'), join(app, 'companion', 'mcp_server_addon'), {
      recursive: true,
    });
    const built = (await import(pathToFileURL(join(admin, 'companion-files.ts')).href)) as {
      bundledCompanionDir(): string | undefined;
    };
    assert.equal(built.bundledCompanionDir(), join(app, 'companion', 'mcp_server_addon'));
  });
});
