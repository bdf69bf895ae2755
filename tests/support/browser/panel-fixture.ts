/**
 * What the panel's browser tests share: the server process (standalone, against the real test Home
 * Assistant) reached through a stand-in ingress proxy, Debian's Chromium driven by Playwright, and ways to
 * read back what the panel changed: HA's own exposure setting and the tools MCP clients are offered.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import type { Connection } from 'home-assistant-js-websocket';
import type { Browser, BrowserContextOptions, Page } from 'playwright';
import { CHROMIUM, launchChromium } from './chromium.js';
import { command, connectWs } from '../ha/ha-api.js';
import { testHa, type TestHaInfo } from '../ha/fixture.js';
import { postMcp } from '../mcp-post.js';
import { startServer, type RunningServer, PLAIN_USERS } from '../server-process.js';
import { waitFor } from '../wait.js';
import { at } from '../paths.js';
import { ingressProxy, type IngressProxy } from '../../browser/ingress-proxy.js';

export const SHOTS = at('tests/artifacts/screenshots');
export const VIEWS = ['overview', 'entities', 'logs', 'clients', 'connect', 'settings'] as const;
export { CHROMIUM, launchChromium };

/** `describe(..., { skip })`: the tests need Debian's Chromium (Playwright's downloads are not used). */
export const skipWithoutChromium = existsSync(CHROMIUM)
  ? false
  : `needs Debian's Chromium at ${CHROMIUM} (apt-get install chromium)`;

export interface Panel {
  ha: TestHaInfo;
  server: RunningServer;
  /** The panel as an HA administrator sees it. */
  proxy: IngressProxy;
  /** The panel as HA's plain (non-admin) test user sees it. */
  viewerProxy: IngressProxy;
  browser: Browser;
  page: Page;
  /** An HA admin WebSocket, to read back HA's own settings. */
  admin: Connection;
  newPage(options?: BrowserContextOptions): Promise<Page>;
  open(view: string, page?: Page, base?: string): Promise<void>;
  shoot(name: string, page?: Page, fullPage?: boolean): Promise<void>;
  toolNames(): Promise<string[]>;
  /** The tools a client is offered, with their annotations. */
  tools(): Promise<{ name: string; annotations?: { readOnlyHint?: boolean } }[]>;
  haExposes(entityId: string): Promise<boolean>;
  eventually(check: () => Promise<boolean>, what: string, timeoutMs?: number): Promise<true>;
}

/** Registers before/after hooks in the calling suite and returns the panel once `before` has run. */
export function usePanel(): Panel {
  const panel = {} as Panel;

  before(async () => {
    // The panel's files come from the build: without one every page would wait its full timeout.
    if (!existsSync(at('ui/dist/index.html')))
      throw new Error('ui/dist has no build: run npm run build first');
    mkdirSync(SHOTS, { recursive: true });
    panel.ha = await testHa();
    panel.admin = await connectWs(panel.ha.url, panel.ha.adminToken);
    panel.server = await startServer({ HA_URL: panel.ha.url, HA_TOKEN: panel.ha.adminToken }, PLAIN_USERS);
    await panel.server.waitForLog(/Home Assistant model ready/);
    panel.proxy = await ingressProxy(panel.server.adminUrl);
    panel.viewerProxy = await ingressProxy(panel.server.adminUrl, { id: panel.ha.userId, name: 'Guest' });
    panel.browser = await launchChromium();
    // English unless a test asks otherwise: the panel follows the browser's language when HA's profile
    // names none, and the tests read its English words.
    panel.newPage = async (options = {}) => {
      const context = await panel.browser.newContext({
        viewport: { width: 1200, height: 900 },
        locale: 'en-US',
        ...options,
      });
      return context.newPage();
    };
    panel.page = await panel.newPage();
  });

  after(async () => {
    await panel.browser?.close();
    await panel.proxy?.close();
    await panel.viewerProxy?.close();
    await panel.server?.stop();
    panel.admin?.close();
  });

  /** Loads the panel afresh at a view (a new hash alone would keep the page, and its views' state). */
  panel.open = async (view, page = panel.page, base = panel.proxy.url) => {
    const url = `${base}#${view}`;
    if (page.url() === url) await page.reload();
    else await page.goto(url);
    await page.locator(`nav a[href="#${view}"][aria-current="page"]`).waitFor();
  };
  panel.shoot = async (name, page = panel.page, fullPage = true) => {
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
  };
  panel.tools = async () => {
    const res = await postMcp(panel.server.mcpUrl, panel.ha.userToken, 'tools/list');
    return ((await res.json()) as { result: { tools: Awaited<ReturnType<Panel['tools']>> } }).result.tools;
  };
  panel.toolNames = async () => (await panel.tools()).map((t) => t.name);
  /** HA's own exposure setting, read as HA's Voice assistants page reads it. */
  panel.haExposes = async (entityId) => {
    const list = await command<{ exposed_entities: Record<string, Record<string, boolean>> }>(panel.admin, {
      type: 'homeassistant/expose_entity/list',
    });
    return list.exposed_entities[entityId]?.conversation === true;
  };
  /**
   * For what no event announces (HA's setting over WS, the MCP tool list): asks again every 200 ms until
   * it holds. The deadline only bounds a failing test; nothing waits for a fixed time.
   */
  panel.eventually = (check, what, timeoutMs = 15_000) => {
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
  return panel;
}
