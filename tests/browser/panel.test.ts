/**
 * The admin panel in a real browser (Debian's Chromium driven by Playwright), served by the server process
 * against the real test Home Assistant behind a stand-in ingress proxy (a path prefix the panel does not
 * know in advance, so every URL it uses must be relative). Each view shows real data: the overview agrees
 * with HA and with what MCP clients are offered; entities are searched and filtered; a real MCP client's
 * call appears in the live log, with its details, and still does by polling behind an ingress that holds
 * event streams back (as Home Assistant's did before Core 2026.3); older pages load; exports hold the filtered rows;
 * clients are listed; a user who is not an administrator sees only their own requests; the Connect page is
 * filled with this server's URL and tests it with a real token.
 * Screenshots of every view, light and dark, go to tests/artifacts/screenshots.
 *
 * What the panel changes (exposure, settings) and the read-only viewer: panel-changes.test.ts. The admin
 * API refusing `X-Remote-User-*` from any peer but the Supervisor's proxy: tests/unit/admin-access.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { postMcp } from '../support/mcp-post.js';
import { skipWithoutChromium, usePanel, VIEWS } from '../support/browser/panel-fixture.js';
import { SseReader } from '../support/mcp-fixture.js';
import { ingressProxy } from './ingress-proxy.js';

describe('the admin panel shows real data', { skip: skipWithoutChromium }, () => {
  const panel = usePanel();

  /** A real MCP client, named `client`, calls GetLiveContext with `note` in its arguments. */
  const callAsClient = async (client: string, note: string) => {
    const mcp = new Client({ name: client, version: '1.0' });
    await mcp.connect(
      new StreamableHTTPClientTransport(new URL(`${panel.server.mcpUrl}/api/mcp`), {
        authProvider: { token: async () => panel.ha.userToken },
      })
    );
    try {
      await mcp.callTool({ name: 'homeassistant__GetLiveContext', arguments: { domain: 'light', note } });
    } finally {
      await mcp.close();
    }
  };

  it('shows the overview: the link, HA’s version, the MCP URL, exposure, tools offered and traffic', async () => {
    const { page, ha } = panel;
    await panel.open('overview');
    await page.getByTestId('link-status').getByText('Connected').waitFor();
    assert.equal(await page.getByTestId('ha-version').textContent(), ha.version);
    const url = (await page.getByTestId('mcp-url').first().textContent()) ?? '';
    assert.equal(url, `${panel.server.mcpUrl}/api/mcp`);
    const exposed = Number(await page.getByTestId('exposed-count').textContent());
    assert.ok(exposed > 10, `exposed: ${exposed}`);
    assert.equal(
      Number(await page.getByTestId('tool-count').textContent()),
      (await panel.toolNames()).length
    );
    assert.match((await page.getByTestId('calls-24h').textContent()) ?? '', /^\d+$/);
    await panel.shoot('overview');
  });

  it('lists entities with their exposure, searched by name, alias or id and filtered', async () => {
    const { page } = panel;
    await panel.open('entities');
    const rows = page.locator('tbody tr[data-entity]');
    await rows.first().waitFor();
    const all = await rows.count();
    assert.ok(all > 100, `rows: ${all}`);
    await panel.shoot('entities', page, false);

    const search = page.getByRole('searchbox', { name: 'Search' });
    await search.fill('script.vacation');
    await page.getByText('1 shown', { exact: true }).waitFor();
    assert.equal(await rows.first().getAttribute('data-entity'), 'script.vacation_mode');
    assert.equal(await rows.first().getByTestId('expose-switch').isChecked(), false);
    await panel.shoot('entities-search');

    await search.fill('');
    await page.getByLabel('Domain').selectOption('light');
    await page.getByLabel('Exposed').selectOption('true');
    await page.locator('tbody tr[data-entity^="light."]').first().waitFor();
    await page.getByText(/^\d+ shown$/).waitFor();
    for (const id of await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-entity')))) {
      assert.match(id ?? '', /^light\./);
    }
    for (const toggle of await rows.getByTestId('expose-switch').all())
      assert.equal(await toggle.isChecked(), true);
  });

  it('shows a real MCP client’s call in the live log as it happens, with its details', async () => {
    const { page } = panel;
    await panel.open('logs');
    await page.getByLabel('Live').check();
    await page.getByTestId('live-state').getByText('new requests appear').waitFor();

    const marker = `browser-${Date.now()}`;
    await callAsClient('panel-test-client', marker);
    // The page was loaded before the call: only the tail can bring the row.
    const row = page.locator('[data-testid="log-table"] tbody tr', {
      hasText: 'homeassistant__GetLiveContext',
    });
    await row.first().waitFor();
    await row.first().click();
    const detail = page.getByTestId('log-detail');
    await detail.getByText(marker).waitFor();
    await detail.getByText('panel-test-client 1.0').waitFor();
    assert.ok(await detail.getByText('Arguments').isVisible());
    assert.ok(await detail.getByText('Time taken').isVisible());
    await panel.shoot('logs');
    await page.getByLabel('Live').uncheck();
  });

  it('keeps the live log current by polling where the ingress holds event streams back (Core before 2026.3)', async () => {
    const held = await ingressProxy(panel.server.adminUrl, undefined, { compressEventStreams: true });
    const page = await panel.newPage();
    try {
      // The stand-in does hold the stream back: not even the tail's first event comes through.
      const tail = await fetch(`${held.url}api/admin/logs/tail`);
      assert.equal(tail.headers.get('content-encoding'), 'deflate');
      const reader = new SseReader(tail.body!);
      const first = await Promise.race([reader.next(), new Promise((r) => setTimeout(r, 2_000, 'nothing'))]);
      assert.equal(first, 'nothing', 'the first event came through the compressing stand-in');
      await reader.cancel();

      await panel.open('logs', page, held.url);
      await page.getByLabel('Live').check();
      await page.getByTestId('live-state').getByText('held back on the way: checking every 3 s').waitFor();
      const marker = `held-back-${Date.now()}`;
      await callAsClient('held-back-client', marker);
      // Loaded before the call, and no event gets through: only polling can bring the row.
      const row = page.locator('[data-testid="log-table"] tbody tr', { hasText: 'held-back-client' });
      await row.first().waitFor();
      await panel.shoot('logs-polling', page, false);
      await row.first().click();
      await page.getByTestId('log-detail').getByText(marker).waitFor();
    } finally {
      await page.context().close();
      await held.close();
    }
  });

  it('pages back through the log with “Load older”, and exports the filtered rows as CSV and JSON', async () => {
    const { page, server, ha } = panel;
    // More than one page (100 rows) of requests.
    for (let i = 0; i < 105; i++) {
      await (await postMcp(server.mcpUrl, ha.userToken, 'tools/list')).arrayBuffer();
    }
    // The log is written in batches, off the request path: wait until the rows are readable.
    await panel.eventually(async () => {
      const res = await page.request.get(`${panel.proxy.url}api/admin/logs?limit=100`);
      return ((await res.json()) as { next: string | null }).next !== null;
    }, 'a second page of the log');
    await panel.open('logs');
    const rows = page.locator('[data-testid="log-table"] tbody tr');
    await page.getByRole('button', { name: 'Load older' }).waitFor();
    assert.equal(await rows.count(), 100);
    await page.getByRole('button', { name: 'Load older' }).click();
    await rows.nth(100).waitFor();
    const ids = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-row')));
    assert.equal(new Set(ids).size, ids.length, 'no row twice');

    await page.getByLabel('Tool (exact name)').fill('homeassistant__GetLiveContext');
    await page.locator('[data-testid="log-table"] tbody tr').first().getByText('GetLiveContext').waitFor();
    // Every row left is the tool's: no other row stays in the table.
    await rows.filter({ hasNotText: 'GetLiveContext' }).first().waitFor({ state: 'detached' });
    for (const [name, type] of [
      ['Export CSV', /text\/csv/],
      ['Export JSON', /application\/json/],
    ] as const) {
      const href = (await page.getByRole('link', { name }).getAttribute('href')) ?? '';
      assert.match(href, /^\.\/api\/admin\/logs\/export\?/, 'relative');
      const url = new URL(href, page.url());
      assert.ok(url.pathname.startsWith(panel.proxy.path), url.pathname);
      const res = await page.request.get(url.href);
      assert.equal(res.status(), 200);
      assert.match(res.headers()['content-type'] ?? '', type);
      const body = await res.text();
      assert.match(body, /homeassistant__GetLiveContext/);
      assert.doesNotMatch(body, /tools\/list/, 'only the filtered rows');
    }
  });

  it('lists the clients that called, with user, last seen, calls and errors', async () => {
    const { page } = panel;
    await panel.open('clients');
    const row = page.getByTestId('clients-table').locator('tr', { hasText: 'panel-test-client' });
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /Guest/);
    assert.match((await row.textContent()) ?? '', /1\.0/);
    await page.getByRole('heading', { name: 'OAuth sign-ins' }).waitFor();
    await panel.shoot('clients');
  });

  it('shows a user who is not an administrator only their own requests, and says so', async () => {
    const { server, ha } = panel;
    const marker = `own-${Date.now()}`;
    await callAsClient('guest-own-client', marker);
    // The owner's request, and one that names no user: neither is the plain user's to see.
    await (await postMcp(server.mcpUrl, ha.adminToken, 'prompts/list')).arrayBuffer();
    await (await postMcp(server.mcpUrl, 'not-a-token', 'tools/list')).arrayBuffer();
    type Rows = {
      userId: string | null;
      method: string | null;
      outcome: string;
      clientName: string | null;
    }[];
    await panel.eventually(async () => {
      const res = await panel.page.request.get(`${panel.proxy.url}api/admin/logs?limit=50`);
      const rows = ((await res.json()) as { rows: Rows }).rows;
      return (
        rows.some((r) => r.method === 'prompts/list' && r.userId !== ha.userId) &&
        rows.some((r) => r.outcome === 'auth_failed') &&
        rows.some((r) => r.clientName === 'guest-own-client')
      );
    }, 'the three requests in the log');

    const page = await panel.newPage();
    const base = panel.viewerProxy.url;
    try {
      await panel.open('logs', page, base);
      await page.getByTestId('own-only').getByText('You see only your own requests.').waitFor();
      const rows = page.locator('[data-testid="log-table"] tbody tr');
      await rows.filter({ hasText: 'guest-own-client' }).first().waitFor();
      const users = await rows.evaluateAll((trs) => trs.map((tr) => tr.children[1]?.textContent?.trim()));
      assert.deepEqual([...new Set(users)], ['Guest']);
      assert.equal(await rows.filter({ hasText: 'prompts/list' }).count(), 0);
      assert.equal(await rows.filter({ hasText: 'Sign-in failed' }).count(), 0);
      assert.deepEqual(await page.getByLabel('User', { exact: true }).locator('option').allTextContents(), [
        'Any',
        'Guest',
      ]);
      await panel.shoot('logs-own', page, false);

      // The export, asked for another user's rows, holds the viewer's own.
      const res = await page.request.get(`${base}api/admin/logs/export?format=json&user=nobody-else`);
      const exported = JSON.parse(await res.text()) as Rows;
      assert.ok(exported.length > 0);
      assert.deepEqual([...new Set(exported.map((r) => r.userId))], [ha.userId]);
    } finally {
      await page.context().close();
    }
  });

  it('offers ready setups with this URL, copies them, and tests the connection with a real token', async () => {
    const page = await panel.newPage({ permissions: ['clipboard-read', 'clipboard-write'] });
    try {
      await panel.open('connect', page);
      const url = await page.locator('#url').inputValue();
      assert.equal(url, `${panel.server.mcpUrl}/api/mcp`);
      // A loopback URL: OAuth works there, so the setups sign in with Home Assistant and carry no token.
      assert.equal(await page.getByLabel('Sign in with Home Assistant (OAuth)').isChecked(), true);
      assert.equal(
        await page.locator('pre[data-recipe="claude-code"]').textContent(),
        `claude mcp add --transport http home-assistant ${url}`
      );
      const bridge = JSON.parse((await page.locator('pre[data-recipe="mcp-remote"]').textContent()) ?? '');
      assert.deepEqual(bridge.mcpServers['Home Assistant'].args, ['-y', 'mcp-remote', url]);
      assert.deepEqual(JSON.parse((await page.locator('pre[data-recipe="cursor"]').textContent()) ?? ''), {
        mcpServers: { 'Home Assistant': { url } },
      });
      // Cloud clients cannot reach a loopback address: nothing to paste, only how.
      assert.equal(await page.locator('pre[data-recipe="claude"]').count(), 0);
      await panel.shoot('connect-oauth', page);

      await page.getByLabel('Long-lived access token').check();
      const claudeCode = (await page.locator('pre[data-recipe="claude-code"]').textContent()) ?? '';
      assert.equal(
        claudeCode,
        `claude mcp add --transport http home-assistant ${url} --header "Authorization: Bearer YOUR_LONG_LIVED_ACCESS_TOKEN"`
      );
      const desktop = JSON.parse(
        (await page.locator('pre[data-recipe="claude-desktop"]').textContent()) ?? ''
      );
      assert.deepEqual(desktop.mcpServers['Home Assistant'].args, [
        '--transport=streamablehttp',
        '--stateless',
        url,
      ]);
      for (const id of ['cursor', 'vscode', 'gemini-cli']) {
        assert.ok(((await page.locator(`pre[data-recipe="${id}"]`).textContent()) ?? '').includes(url), id);
      }
      await page.getByText('Security → Long-lived access tokens').waitFor();

      await page.getByRole('button', { name: 'Copy the Claude Code setup' }).click();
      await page.getByRole('button', { name: 'Claude Code setup copied' }).waitFor();
      assert.equal(await page.evaluate('navigator.clipboard.readText()'), claudeCode);

      await page.getByLabel('Token (optional)').fill(panel.ha.userToken);
      await page.getByRole('button', { name: 'Test', exact: true }).click();
      const checks = page.getByTestId('connection-checks');
      await checks.getByText('Home Assistant accepted the token').waitFor();
      assert.equal(await checks.getByText('Problem').count(), 0, (await checks.textContent()) ?? '');
      await page.getByLabel('Token (optional)').fill('not-a-token');
      await page.getByRole('button', { name: 'Test', exact: true }).click();
      await checks.getByText('Home Assistant refused the token').waitFor();
      await panel.shoot('connect', page);
    } finally {
      await page.context().close();
    }
  });

  it('shows the settings with the LLM APIs the server offers', async () => {
    const { page } = panel;
    await panel.open('settings');
    assert.equal(await page.getByLabel('Control Home Assistant').isChecked(), true);
    assert.equal(await page.getByRole('checkbox', { name: /\(assist\)/ }).isChecked(), true);
    assert.equal(await page.getByLabel('Keep the log (days)').isEnabled(), true);
    await panel.shoot('settings');
  });

  it('follows the dark scheme, and keeps the view in the URL’s hash', async () => {
    const dark = await panel.newPage({ colorScheme: 'dark' });
    try {
      for (const view of VIEWS) {
        await panel.open(view, dark);
        await dark.locator('main h2').first().waitFor();
        await panel.shoot(`${view}-dark`, dark, false);
      }
      assert.equal(await dark.evaluate('getComputedStyle(document.body).backgroundColor'), 'rgb(17, 17, 17)');
      // The tabs are links to hashes: a click changes the hash, and the view follows it.
      await dark.getByRole('link', { name: 'Logs', exact: true }).click();
      await dark.locator('nav a[href="#logs"][aria-current="page"]').waitFor();
      assert.equal(new URL(dark.url()).hash, '#logs');
    } finally {
      await dark.context().close();
    }
  });
});
