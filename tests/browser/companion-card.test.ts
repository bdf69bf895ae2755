/**
 * The Connect page's "Home Assistant's URL" card in a real browser, against a Home Assistant of its own
 * that starts with the companion's files: set up needed → Set up → ready; Remove → not installed (Core
 * keeps the code until it restarts) → Install → ready again at once; an edited version → Update; Remove →
 * Restart Home Assistant (the card waits for Core) → Install → Restart → ready, set up by the add-on.
 * Without HA's config folder, the card gives the manual and HACS steps; a viewer who is not an
 * administrator gets no buttons. Screenshots go to tests/artifacts/screenshots.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright';
import { launchChromium, SHOTS, skipWithoutChromium } from '../support/browser/panel-fixture.js';
import { COMPANION, companionEntries } from '../support/ha/companion.js';
import { startTestHa, type TestHa } from '../support/ha/harness.js';
import { freePort } from '../support/ports.js';
import { startServer, type RunningServer } from '../support/server-process.js';
import { ingressProxy, type IngressProxy } from './ingress-proxy.js';

/** Core's restart, and the card's next look at it (it polls every 2 s). */
const RESTART_MS = 3 * 60_000;

describe('the companion card on the Connect page', { skip: skipWithoutChromium }, () => {
  let ha: TestHa;
  let server: RunningServer;
  let proxy: IngressProxy;
  let browser: Browser;
  let page: Page;

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ha = await startTestHa({ customComponents: [COMPANION] });
    const mcpPort = await freePort();
    server = await startServer({
      HA_URL: ha.url,
      HA_TOKEN: ha.adminToken,
      MCP_PORT: String(mcpPort),
      HA_CONFIG_DIR: ha.configDir!,
      COMPANION_ADDON_URL: `http://127.0.0.1:${mcpPort}`,
    });
    await server.waitForLog(/Home Assistant model ready/);
    proxy = await ingressProxy(server.adminUrl);
    browser = await launchChromium();
    page = await (
      await browser.newContext({ viewport: { width: 1200, height: 900 }, locale: 'en-US' })
    ).newPage();
  });
  after(async () => {
    await browser?.close();
    await proxy?.close();
    await server?.stop();
    await ha?.stop();
  });

  const card = () => page.locator('ha-mcp-companion-card');
  const stateIs = (state: string, timeout?: number) =>
    card()
      .locator(`[data-testid="companion-state"][data-state="${state}"]`)
      .waitFor(timeout ? { timeout } : {});
  const shoot = (name: string) => card().screenshot({ path: join(SHOTS, `companion-${name}.png`) });
  const open = async (base: string, on: Page = page) => {
    // The same address again would keep the page (and the card's state): load it afresh.
    if (on.url() === `${base}#connect`) await on.reload();
    else await on.goto(`${base}#connect`);
    await on.locator('nav a[href="#connect"][aria-current="page"]').waitFor();
  };

  it('gives the manual and HACS steps without HA’s config folder', async () => {
    const plain = await startServer({ HA_URL: ha.url, HA_TOKEN: ha.adminToken });
    const plainProxy = await ingressProxy(plain.adminUrl);
    try {
      // Core has the integration loaded (copied by hand): it can be set up, but not installed or updated.
      await open(plainProxy.url);
      await stateIs('set_up_needed');
      await card().getByText('Install it by hand').waitFor();
      await card()
        .getByText(/add the repository to HACS/)
        .waitFor();
      await card().getByRole('button', { name: 'Set up' }).waitFor();
      assert.equal(await card().getByRole('button', { name: 'Install' }).count(), 0);
      await shoot('manual');
    } finally {
      await plainProxy.close();
      await plain.stop();
    }
  });

  it('sets the loaded integration up with one click', async () => {
    await open(proxy.url);
    await stateIs('set_up_needed');
    await card().getByRole('button', { name: 'Set up' }).click();
    await stateIs('ready');
    await card().getByTestId('companion-state').getByText('/api/mcp_addon/api/mcp').waitFor();
    const entries = await companionEntries(ha.url, ha.adminToken);
    assert.deepEqual(
      entries.map((e) => e.state),
      ['loaded']
    );
    await shoot('ready');
  });

  it('removes it, then installs it again: loaded at once, no restart', async () => {
    await card().getByRole('button', { name: 'Remove' }).click();
    await stateIs('not_installed');
    assert.deepEqual(await companionEntries(ha.url, ha.adminToken), []);
    // Core runs the removed code until it restarts: the card offers the restart.
    await card().getByRole('button', { name: 'Restart Home Assistant' }).waitFor();
    await shoot('not-installed');
    await card().getByRole('button', { name: 'Install' }).click();
    await stateIs('ready');
    assert.equal((await companionEntries(ha.url, ha.adminToken)).length, 1);
  });

  it('shows the version mismatch and updates the files', async () => {
    const manifest = join(ha.configDir!, 'custom_components', 'mcp_server_addon', 'manifest.json');
    const bundled = (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace(`"${bundled}"`, '"0.0.1"'));
    await open(proxy.url);
    await stateIs('update_available');
    await card().getByText(`add-on ${bundled}, companion 0.0.1`).waitFor();
    await shoot('update');
    await card().getByRole('button', { name: 'Update' }).click();
    await stateIs('ready');
  });

  it('restarts Home Assistant and waits for it: removed and unloaded, then installed and set up', async () => {
    await card().getByRole('button', { name: 'Remove' }).click();
    await stateIs('not_installed');
    const before = ha.pid?.();
    await card().getByRole('button', { name: 'Restart Home Assistant' }).click();
    const progress = card().getByRole('status');
    await progress.getByText('Home Assistant is restarting').waitFor();
    await shoot('restarting');
    // Back, with the integration unloaded: nothing left to restart for.
    await progress.waitFor({ state: 'hidden', timeout: RESTART_MS });
    assert.equal(await card().getByRole('button', { name: 'Restart Home Assistant' }).count(), 0);
    assert.notEqual(ha.pid?.(), before, 'Home Assistant restarted');

    await card().getByRole('button', { name: 'Install' }).click();
    await stateIs('restart_needed');
    await card().getByRole('button', { name: 'Restart Home Assistant' }).click();
    await progress.getByText('The add-on sets the integration up when Home Assistant is back').waitFor();
    // The add-on sets the integration up by itself once Core is back; the card waits through it.
    await stateIs('ready', RESTART_MS);
    assert.equal(await card().getByRole('alert').count(), 0);
    assert.deepEqual(
      (await companionEntries(ha.url, ha.adminToken)).map((e) => e.state),
      ['loaded']
    );
  });

  it('gives a viewer who is not an administrator no buttons', async () => {
    const viewerProxy = await ingressProxy(server.adminUrl, { id: ha.userId, name: 'Guest' });
    try {
      await open(viewerProxy.url);
      await stateIs('ready');
      assert.equal(await card().getByRole('button').count(), 0);
      await card().getByText('Only a Home Assistant administrator').waitFor();
    } finally {
      await viewerProxy.close();
    }
  });
});
