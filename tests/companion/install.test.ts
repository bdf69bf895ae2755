/**
 * Installing the companion integration in one click (issue 19): a Home Assistant of its own, without the
 * integration, and the server standalone beside it with HA's config folder (`HA_CONFIG_DIR`), as the add-on
 * has it mapped at /homeassistant. Through the admin API only: not installed → install → restart needed →
 * Core really restarts (the `homeassistant.restart` action; the harness starts it again on exit code 100) →
 * the server sets the integration up by itself → ready, and MCP works through HA's URL → an edited version
 * shows as an update → remove takes the entry and the files away. Only an administrator may do any of it.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CompanionStatus } from '../../server/src/admin/contract.js';
import { COMPANION, companionEntries, PROXY_PATH } from '../support/ha/companion.js';
import { startTestHa, type TestHa } from '../support/ha/harness.js';
import { postMcp } from '../support/mcp-post.js';
import { freePort } from '../support/ports.js';
import { startServer, type RunningServer } from '../support/server-process.js';

const BUNDLED = (JSON.parse(readFileSync(join(COMPANION, 'manifest.json'), 'utf8')) as { version: string })
  .version;
describe('installing the companion integration from the panel', () => {
  let ha: TestHa;
  let server: RunningServer;
  let addonUrl: string;
  let installed: string;

  before(async () => {
    ha = await startTestHa();
    installed = join(ha.configDir!, 'custom_components', 'mcp_server_addon');
    const mcpPort = await freePort();
    addonUrl = `http://127.0.0.1:${mcpPort}`;
    server = await startServer({
      HA_URL: ha.url,
      HA_TOKEN: ha.adminToken,
      MCP_PORT: String(mcpPort),
      HA_CONFIG_DIR: ha.configDir!,
      COMPANION_ADDON_URL: addonUrl,
    });
    await server.waitForLog(/Home Assistant model ready/);
  });
  after(async () => {
    await server?.stop();
    await ha?.stop();
  });

  const api = async (method: 'GET' | 'POST', path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${server.adminUrl}/api/admin/companion${path}`, {
      method,
      headers: { ...(method === 'POST' && { 'content-type': 'application/json' }), ...headers },
      ...(method === 'POST' && { body: '{}' }),
    });
    return { status: res.status, body: (await res.json()) as CompanionStatus & { error: string | null } };
  };
  const status = async () => (await api('GET', '')).body;

  it('says it is not installed, and that the add-on can install it', async () => {
    const s = await status();
    assert.equal(s.state, 'not_installed');
    assert.equal(s.canInstall, true);
    assert.equal(s.bundledVersion, BUNDLED);
    assert.equal(s.filesVersion, null);
    assert.equal(s.loadedVersion, null);
    assert.equal(s.entry, null);
  });

  it('lets only an administrator install it', async () => {
    const asUser = await api('POST', '/install', { 'x-remote-user-id': ha.userId });
    assert.equal(asUser.status, 403);
    assert.match(asUser.body.error!, /administrator/);
    assert.ok(!existsSync(installed));
  });

  it('copies the files, and needs Core to restart to load them', async () => {
    const { status: code, body } = await api('POST', '/install');
    assert.equal(code, 200, JSON.stringify(body));
    assert.equal(body.state, 'restart_needed');
    assert.equal(body.filesVersion, BUNDLED);
    assert.equal(body.loadedVersion, null);
    assert.equal(body.setupPending, true);
    assert.ok(existsSync(join(installed, 'manifest.json')));
    assert.ok(!existsSync(join(installed, '__pycache__')));
  });

  it('restarts Core, then sets the integration up by itself with the add-on’s URL', async () => {
    const before = ha.pid?.();
    const { status: code } = await api('POST', '/restart');
    assert.equal(code, 200);
    // The server says when it has run the config flow, once Core is back with the integration loaded.
    await server.waitForLog(/companion integration set up/);
    const ready = await status();
    assert.equal(ready.state, 'ready', JSON.stringify(ready));
    assert.notEqual(ha.pid?.(), before, 'Home Assistant restarted');
    assert.equal(ready.loadedVersion, BUNDLED);
    assert.equal(ready.entry?.state, 'loaded');
    assert.equal(ready.addonUrl, addonUrl);
    assert.equal(ready.setupPending, false);
    const entries = await companionEntries(ha.url, ha.adminToken);
    assert.deepEqual(
      entries.map((e) => [e.entry_id, e.state]),
      [[ready.entry!.entryId, 'loaded']]
    );
  });

  it('serves MCP through Home Assistant’s URL', async () => {
    // The server's own model of the home comes back with the link, after the restart.
    await server.waitForLog(/Home Assistant model complete again/);
    const res = await postMcp(`${ha.url}${PROXY_PATH}`, ha.adminToken, 'tools/list');
    const text = await res.text();
    assert.equal(res.status, 200, text);
    const { result } = JSON.parse(text) as { result?: { tools: { name: string }[] } };
    assert.ok(result && result.tools.length > 0, text);
  });

  it('shows an update when the files are not the add-on’s version, and updates them', async () => {
    const manifest = join(installed, 'manifest.json');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace(`"${BUNDLED}"`, '"0.0.1"'));
    const old = await status();
    assert.equal(old.state, 'update_available');
    assert.equal(old.filesVersion, '0.0.1');
    assert.equal(old.loadedVersion, BUNDLED);
    // The add-on's files again, and Core has that version loaded: working at once, no restart.
    const updated = (await api('POST', '/install')).body;
    assert.equal(updated.filesVersion, BUNDLED);
    assert.equal(updated.state, 'ready');
  });

  it('removes the entry and the files', async () => {
    const { status: code, body } = await api('POST', '/remove');
    assert.equal(code, 200, JSON.stringify(body));
    assert.equal(body.state, 'not_installed');
    assert.equal(body.entry, null);
    assert.deepEqual(await companionEntries(ha.url, ha.adminToken), []);
    assert.ok(!existsSync(installed));
    assert.ok(existsSync(join(ha.configDir!, 'custom_components')));
  });
});
