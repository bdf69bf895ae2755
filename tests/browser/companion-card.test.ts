/**
 * The Connect page's "Home Assistant's URL" card in a real browser, against a Home Assistant of its own
 * that has the companion's files (so no restart is needed here; tests/companion/install.test.ts restarts
 * Core): set up needed → Set up → ready; Remove → not installed (Core keeps the code until it restarts) →
 * Install → ready again at once. Without HA's config folder, the card gives the manual and HACS steps; a
 * viewer who is not an administrator gets no buttons. Screenshots go to tests/artifacts/screenshots.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, SHOTS, skipWithoutChromium } from '../support/browser/panel-fixture.js';
import { COMPANION, companionEntries } from '../support/ha/companion.js';
import { startTestHa, type TestHa } from '../support/ha/harness.js';
import { freePort } from '../support/ports.js';
import { startServer, type RunningServer } from '../support/server-process.js';
import { ingressProxy, type IngressProxy } from './ingress-proxy.js';

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
    page = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
  });
  after(async () => {
    await browser?.close();
    await proxy?.close();
    await server?.stop();
    await ha?.stop();
  });

  const card = () => page.locator('ha-mcp-companion-card');
  const stateIs = (state: string) =>
    card().locator(`[data-testid="companion-state"][data-state="${state}"]`).waitFor();
  const shoot = (name: string) => card().screenshot({ path: join(SHOTS, `companion-${name}.png`) });
  const open = async (base: string, on: Page = page) => {
    await on.goto(`${base}#connect`);
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

  it('removes it, then installs it again', async () => {
    await card().getByRole('button', { name: 'Remove' }).click();
    await stateIs('not_installed');
    assert.deepEqual(await companionEntries(ha.url, ha.adminToken), []);
    // Core runs the removed code until it restarts: the card offers the restart.
    await card().getByRole('button', { name: 'Restart Home Assistant' }).waitFor();
    await shoot('not-installed');
    await card().getByRole('button', { name: 'Install' }).click();
    // The same version is loaded: set up at once, no restart.
    await stateIs('ready');
    assert.equal((await companionEntries(ha.url, ha.adminToken)).length, 1);
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
