/**
 * The admin panel in a real browser (Debian's Chromium driven by Playwright), served by the server process
 * against the real test Home Assistant, behind a stand-in for the Supervisor's ingress proxy (a path
 * prefix the panel does not know in advance). Each view shows real data; exposure switched in the panel is
 * HA's own setting and changes what MCP clients are offered; control off removes control tools; a call by
 * an MCP client shows in the live log; the connection test checks the endpoint with a real token.
 * Screenshots of every view, light and dark, go to tests/artifacts/screenshots.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Connection } from 'home-assistant-js-websocket';
import { chromium, type Browser, type Page } from 'playwright-core';
import { command, connectWs } from '../ha/ha-api.js';
import { testHa, type TestHaInfo } from '../ha/fixture.js';
import { postMcp } from '../helpers/mcp-post.js';
import { startServer, type RunningServer } from '../helpers/server-process.js';
import { waitFor } from '../helpers/wait.js';
import { at } from '../paths.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = at('tests/artifacts/screenshots');
const INGRESS_PATH = '/api/hassio_ingress/3x4mpl3-1ngr355-t0k3n';

/** The Supervisor's ingress proxy, as far as the panel can tell: a path prefix, stripped on the way in. */
async function ingressProxy(adminUrl: string): Promise<{ url: string; server: Server }> {
  const target = new URL(adminUrl);
  const server = createServer((req, res) => {
    if (!req.url?.startsWith(`${INGRESS_PATH}/`)) {
      res.writeHead(404).end();
      return;
    }
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url.slice(INGRESS_PATH.length),
        headers: { ...req.headers, 'x-ingress-path': INGRESS_PATH },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      }
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}${INGRESS_PATH}/`, server };
}

const skip = existsSync(CHROMIUM)
  ? false
  : `needs Debian's Chromium at ${CHROMIUM} (apt-get install chromium)`;

describe('the admin panel in a browser', { skip }, () => {
  let ha: TestHaInfo;
  let server: RunningServer;
  let proxy: { url: string; server: Server };
  let browser: Browser;
  let page: Page;
  let admin: Connection;

  const toolNames = async () => {
    const res = await postMcp(server.mcpUrl, ha.userToken, 'tools/list');
    return ((await res.json()) as { result: { tools: { name: string }[] } }).result.tools.map((t) => t.name);
  };
  /** HA's own exposure setting, read as HA's Voice assistants page reads it. */
  const haExposes = async (entityId: string) => {
    const list = await command<{ exposed_entities: Record<string, Record<string, boolean>> }>(admin, {
      type: 'homeassistant/expose_entity/list',
    });
    return list.exposed_entities[entityId]?.conversation === true;
  };
  /** Polls a condition that has no event to wait on (HA's setting, the MCP tool list), with a deadline. */
  const eventually = (check: () => Promise<boolean>, what: string, timeoutMs = 10_000) => {
    let last = false;
    return waitFor(
      (notify) => {
        const timer = setInterval(() => void check().then((v) => ((last = v), notify())), 200);
        return () => clearInterval(timer);
      },
      () => last,
      timeoutMs,
      what
    );
  };
  const open = async (view: string) => {
    await page.goto(`${proxy.url}#${view}`);
    await page.locator(`nav a[href="#${view}"][aria-current="page"]`).waitFor();
  };
  const shoot = async (name: string) => {
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  };

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ha = await testHa();
    admin = await connectWs(ha.url, ha.adminToken);
    server = await startServer({ HA_URL: ha.url, HA_TOKEN: ha.adminToken });
    await server.waitForLog(/Home Assistant model ready/);
    proxy = await ingressProxy(server.adminUrl);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  });

  after(async () => {
    await browser?.close();
    proxy?.server.close();
    await server?.stop();
    admin?.close();
  });

  it('shows the overview with the real link, version, URL, exposure, tools and traffic', async () => {
    await open('overview');
    await page.getByTestId('link-status').getByText('Connected').waitFor();
    assert.equal(await page.getByTestId('ha-version').textContent(), ha.version);
    assert.match((await page.getByTestId('mcp-url').first().textContent()) ?? '', /^http:\/\/.*\/api\/mcp$/);
    const exposed = Number(await page.getByTestId('exposed-count').textContent());
    assert.ok(exposed > 10, `exposed: ${exposed}`);
    assert.equal(Number(await page.getByTestId('tool-count').textContent()), (await toolNames()).length);
    await shoot('overview');
  });

  it('switches exposure in HA’s own setting, and MCP clients are offered what it yields', async () => {
    const script = 'script.vacation_mode';
    assert.equal(await haExposes(script), false, 'the demo leaves the vacation script unexposed');
    await open('entities');
    await page.getByRole('searchbox', { name: 'Search' }).fill('vacation');
    await page.getByText('1 shown', { exact: true }).waitFor();
    const row = page.locator(`tr[data-entity="${script}"]`);
    const toggle = row.getByTestId('expose-switch');
    await toggle.waitFor();
    assert.equal(await toggle.isChecked(), false);
    await shoot('entities');
    try {
      await toggle.check();
      await eventually(() => haExposes(script), 'HA exposes the script');
      await eventually(
        async () => (await toolNames()).includes('script__vacation_mode'),
        'the script is a tool'
      );
      assert.equal(await toggle.isChecked(), true);
    } finally {
      await toggle.uncheck();
      await eventually(async () => !(await haExposes(script)), 'HA no longer exposes the script');
      await eventually(
        async () => !(await toolNames()).includes('script__vacation_mode'),
        'the tool is gone'
      );
    }
  });

  it('turns control off in Settings, and clients lose every tool that changes something', async () => {
    await open('settings');
    const control = page.getByLabel('Control Home Assistant');
    assert.equal(await control.isChecked(), true);
    await shoot('settings');
    try {
      await control.uncheck();
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('status').getByText('Saved').waitFor();
      const tools = await toolNames();
      assert.ok(tools.includes('homeassistant__GetLiveContext'));
      assert.equal(
        tools.some((t) => t.startsWith('intent__HassTurn')),
        false,
        tools.join(', ')
      );
    } finally {
      await control.check();
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('status').getByText('Saved').waitFor();
    }
    assert.ok((await toolNames()).includes('intent__HassTurnOn'));
  });

  it('shows a real client’s call in the live log within a second, with its details', async () => {
    await open('logs');
    await page.getByLabel('Live').check();
    await page.getByTestId('live-state').getByText('new requests appear').waitFor();
    const marker = `browser-${Date.now()}`;
    const init = await postMcp(server.mcpUrl, ha.userToken, 'initialize', {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'panel-test-client', version: '1.0' },
    });
    await init.arrayBuffer();
    const call = await postMcp(server.mcpUrl, ha.userToken, 'tools/call', {
      name: 'homeassistant__GetLiveContext',
      arguments: { domain: 'light', note: marker },
    });
    await call.arrayBuffer();
    const row = page.locator('[data-testid="log-table"] tbody tr', {
      hasText: 'homeassistant__GetLiveContext',
    });
    await row.first().waitFor({ timeout: 1_000 });
    await row.first().click();
    const detail = page.getByTestId('log-detail');
    await detail.getByText(marker).waitFor();
    await shoot('logs');
  });

  it('lists the clients that called', async () => {
    await open('clients');
    await page.getByTestId('clients-table').getByText('panel-test-client').waitFor();
    await shoot('clients');
  });

  it('offers ready setups with this URL and tests the connection with a real token', async () => {
    await open('connect');
    const url = (await page.locator('#url').inputValue()) || '';
    assert.match(url, /\/api\/mcp$/);
    assert.match((await page.locator('pre[data-recipe="claude-code"]').textContent()) ?? '', new RegExp(url));
    await page.getByLabel('Token (optional)').fill(ha.userToken);
    await page.getByRole('button', { name: 'Test' }).click();
    const checks = page.getByTestId('connection-checks');
    await checks.getByText('Home Assistant accepted the token').waitFor();
    assert.equal(await checks.getByText('Problem').count(), 0, (await checks.textContent()) ?? '');
    await page.getByLabel('Token (optional)').fill('not-a-token');
    await page.getByRole('button', { name: 'Test' }).click();
    await checks.getByText('Home Assistant refused the token').waitFor();
    await shoot('connect');
  });

  it('looks right in the dark scheme too', async () => {
    const dark = await browser.newPage({ viewport: { width: 1200, height: 900 }, colorScheme: 'dark' });
    try {
      for (const view of ['overview', 'entities', 'logs']) {
        await dark.goto(`${proxy.url}#${view}`);
        await dark.locator(`nav a[href="#${view}"][aria-current="page"]`).waitFor();
        await dark
          .locator('main')
          .getByText(/Connected|Exposed entities|Request log/)
          .first()
          .waitFor();
        await dark.screenshot({ path: join(SHOTS, `${view}-dark.png`), fullPage: true });
      }
      const background = await dark.evaluate('getComputedStyle(document.body).backgroundColor');
      assert.equal(background, 'rgb(17, 17, 17)');
    } finally {
      await dark.close();
    }
  });
});
