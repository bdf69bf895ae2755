/**
 * The panel's "Waiting for approval" list in a real browser (Debian's Chromium), with real waiting calls:
 * the server process against the real test Home Assistant (its default approval domains: a lock's change
 * waits for a person), MCP tools/call requests that block until someone answers, and the panel behind the
 * stand-in ingress proxy. An administrator sees the call live and allows it: the call returns its result and
 * the lock in HA turns. A plain user sees only their own call (not the administrator's) and denies it: the
 * model is told a person declined, and HA does not change. Behind an ingress that holds event streams back,
 * the list still comes, by polling. The request log's detail says how each ended.
 * Screenshots, light and dark, go to tests/artifacts/screenshots.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApprovalsAnswer } from '../../server/src/admin/contract.js';
import { restJson } from '../support/ha/ha-api.js';
import { postMcp } from '../support/mcp-post.js';
import { skipWithoutChromium, usePanel } from '../support/browser/panel-fixture.js';
import { ingressProxy } from './ingress-proxy.js';

const DOOR = 'lock.kitchen_door';

interface CallResult {
  isError?: boolean;
  content: { type: string; text: string }[];
}

describe('waiting for approval, in the panel', { skip: skipWithoutChromium }, () => {
  const panel = usePanel();

  const state = async () =>
    (await restJson<{ state: string }>(panel.ha.url, `/api/states/${DOOR}`, { token: panel.ha.adminToken }))
      .state;

  /** The Assist intent that turns the door to `want` (its name follows this HA's tool naming). */
  const toolFor = async (intent: 'HassTurnOn' | 'HassTurnOff') => {
    const name = (await panel.toolNames()).find((n) => n === intent || n.endsWith(`__${intent}`));
    assert.ok(name, `no ${intent} tool`);
    return name;
  };

  /** A tools/call that waits for a person: its answer once someone decided. */
  const call = async (token: string, intent: 'HassTurnOn' | 'HassTurnOff') => {
    const res = await postMcp(panel.server.mcpUrl, token, 'tools/call', {
      name: await toolFor(intent),
      arguments: { name: 'Kitchen Door' },
    });
    assert.equal(res.status, 200);
    return ((await res.json()) as { result: CallResult }).result;
  };

  const waitingFor = async (base: string) =>
    ((await (await fetch(new URL('api/admin/approvals', base))).json()) as ApprovalsAnswer).approvals;

  it('shows an administrator the waiting call live; Allow lets it run and the lock turns', async () => {
    const { page } = panel;
    await restJson(panel.ha.url, '/api/services/lock/lock', {
      token: panel.ha.adminToken,
      json: { entity_id: DOOR },
    });
    await panel.eventually(async () => (await state()) === 'locked', `${DOOR} locked`);
    await panel.open('overview');
    await page.getByTestId('link-status').getByText('Connected').waitFor();

    const pending = call(panel.ha.adminToken, 'HassTurnOff');
    // Live: the row comes to the page already open, without a reload.
    const row = page.getByTestId('approvals').locator('li[data-approval]');
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /wants to\s+unlock Kitchen Door/);
    assert.match((await row.locator('.left').textContent()) ?? '', /^\d+:\d\d$/);
    assert.equal(await state(), 'locked', 'nothing changes while it waits');
    assert.deepEqual(await waitingFor(panel.viewerProxy.url), [], 'not the plain user’s to see');
    await panel.shoot('approvals', page, false);
    const dark = await panel.newPage({ colorScheme: 'dark' });
    try {
      await panel.open('overview', dark);
      await dark.getByTestId('approvals').locator('li[data-approval]').waitFor();
      await panel.shoot('approvals-dark', dark, false);
    } finally {
      await dark.context().close();
    }

    await row.getByRole('button', { name: 'Allow: unlock Kitchen Door' }).click();
    const result = await pending;
    assert.notEqual(result.isError, true, result.content[0]?.text);
    await panel.eventually(async () => (await state()) === 'unlocked', `${DOOR} unlocked`);
    await page.getByTestId('approvals').waitFor({ state: 'detached' });
  });

  it('shows a plain user their own call; Deny tells the model a person declined, and nothing changes', async () => {
    const page = await panel.newPage();
    try {
      await panel.open('overview', page, panel.viewerProxy.url);
      const before = await state();
      const pending = call(panel.ha.userToken, 'HassTurnOn');
      const row = page.getByTestId('approvals').locator('li[data-approval]');
      await row.waitFor();
      assert.match((await row.textContent()) ?? '', /lock Kitchen Door/);
      await row.getByRole('button', { name: /^Deny: / }).click();
      const result = await pending;
      assert.equal(result.isError, true);
      assert.match(result.content[0]?.text ?? '', /A person declined/);
      assert.equal(await state(), before);
      await page.getByTestId('approvals').waitFor({ state: 'detached' });
    } finally {
      await page.context().close();
    }
  });

  it('still lists the call, by polling, behind an ingress that holds event streams back', async () => {
    // As Home Assistant's ingress did before Core 2026.3: the stream's events never reach the page.
    const held = await ingressProxy(panel.server.adminUrl, undefined, { compressEventStreams: true });
    const page = await panel.newPage();
    try {
      await panel.open('overview', page, held.url);
      const pending = call(panel.ha.adminToken, 'HassTurnOn');
      const row = page.getByTestId('approvals').locator('li[data-approval]');
      await row.waitFor({ timeout: 15_000 });
      await row.getByRole('button', { name: /^Deny: / }).click();
      const result = await pending;
      assert.equal(result.isError, true);
      assert.match(result.content[0]?.text ?? '', /A person declined/);
    } finally {
      await page.context().close();
      await held.close();
    }
  });

  it('says in the request log’s detail how a wait ended, through which channel, by whom and how long', async () => {
    const { page } = panel;
    await panel.open('logs');
    // The plain user's call, which they denied (the log's rows come as they are written, newest first).
    const denied = page
      .locator('tbody tr[data-row]')
      .filter({ hasText: 'HassTurnOn' })
      .filter({ hasText: 'Guest' })
      .first();
    await denied.waitFor();
    await denied.click();
    const detail = page.getByTestId('log-detail');
    await detail.waitFor();
    const approval = detail.locator('tr', { hasText: 'Approval' });
    assert.match((await approval.textContent()) ?? '', /Denied · in this panel · by Guest · waited /);
    await panel.shoot('approvals-log-detail', page, false);
  });

  it('lets an administrator set what waits, and for how long, in Settings', async () => {
    const { page } = panel;
    await panel.open('settings');
    const domains = page.getByLabel('Ask before changing');
    assert.match(await domains.inputValue(), /^lock$/m);
    assert.equal(await page.getByLabel('Wait for approval (seconds)').inputValue(), '120');
    await panel.shoot('approvals-settings', page, false);
  });
});
