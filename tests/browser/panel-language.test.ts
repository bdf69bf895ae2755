/**
 * The panel in the viewer's language, in Chromium against the real test Home Assistant. Standalone, the
 * viewer's profile is that of the user whose token the server runs with: the tests set it as HA's profile
 * page does (`frontend/set_user_data`, key `language`) and put it back afterwards.
 *
 * - German from the profile, in an English browser: the words, `<html lang>`, a plural, numbers grouped and
 *   dates written the German way (the words compared with ui/src/translations/de.json, not restated here).
 * - The profile's own number and time formats win over the language's, as in HA's frontend.
 * - Without a profile: the language HA's frontend keeps in this browser, then the browser's.
 * - A call waiting for approval is put in German words, with Deny labelled in German, and denied.
 * - The connection test's findings, which the server sends as codes, are worded in German.
 * Screenshots in German, light and dark, go to tests/artifacts/screenshots (language-*.png).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright';
import type { OverviewAnswer, TokenCostAnswer } from '../../server/src/admin/contract.js';
import { command } from '../support/ha/ha-api.js';
import { postMcp } from '../support/mcp-post.js';
import { panelText, panelWords as words } from '../support/panel-words.js';
import { skipWithoutChromium, usePanel, VIEWS } from '../support/browser/panel-fixture.js';

/** The page's local storage, typed here: the tests' TypeScript has no DOM library. */
interface Storage {
  setItem(key: string, value: string): void;
}

/** What HA's profile page saves, with the formats the language implies unless told otherwise. */
const profile = (language: string, formats: { number_format?: string; time_format?: string } = {}) => ({
  language,
  number_format: 'language',
  time_format: 'language',
  date_format: 'language',
  time_zone: 'local',
  first_weekday: 'language',
  ...formats,
});

describe('the panel in the viewer’s language', { skip: skipWithoutChromium }, () => {
  const panel = usePanel();
  const de = words('de');
  const inGerman = panelText('de');

  const setProfile = async (value: unknown) => {
    await command(panel.admin, { type: 'frontend/set_user_data', key: 'language', value });
  };
  const withProfile = async (value: unknown, body: () => Promise<void>) => {
    await setProfile(value);
    try {
      await body();
    } finally {
      await setProfile(null);
    }
  };
  const get = async <T>(page: Page, path: string): Promise<T> => {
    const res = await page.request.get(`${panel.proxy.url}api/admin/${path}`);
    assert.equal(res.status(), 200, path);
    return (await res.json()) as T;
  };
  const tabs = (page: Page) =>
    Promise.all(VIEWS.map(async (view) => (await page.locator(`nav a[href="#${view}"]`).innerText()).trim()));
  const adminTotal = (page: Page) =>
    page
      .locator('ha-mcp-token-cost [data-endpoint="/api/mcp"] tr[data-caller="admin"]')
      .getByTestId('caller-total')
      .innerText();
  const firstLogTime = async (page: Page) => {
    const cell = page.locator('[data-testid="log-table"] tbody tr td').first();
    await cell.waitFor();
    return (await cell.innerText()).trim();
  };

  it('speaks German from the HA profile in an English browser: words, plurals, numbers and dates', async () => {
    // A request, so the log has a row whose time the page writes.
    assert.equal((await postMcp(panel.server.mcpUrl, panel.ha.adminToken, 'tools/list')).status, 200);
    await withProfile(profile('de'), async () => {
      const page = await panel.newPage();
      await panel.open('overview', page);
      assert.equal(await page.locator('html').getAttribute('lang'), 'de');
      assert.deepEqual(
        await tabs(page),
        VIEWS.map((view) => de(`panel.tabs.${view}`))
      );
      const overview = await get<OverviewAnswer>(page, 'overview');
      assert.ok(overview.entities, 'HA is there');
      const of = inGerman('overview.exposed.of', { total: overview.entities.total });
      await page.getByText(of, { exact: true }).waitFor();
      await panel.shoot('language-de-overview', page);

      await panel.open('entities', page);
      const total = await adminTotal(page);
      const cost = await get<TokenCostAnswer>(page, 'token-cost?limit=1');
      const expected = cost.apis.find((api) => api.endpoint === '/api/mcp')!.callers.admin.total;
      assert.ok(expected >= 1000, 'a figure with thousands');
      assert.match(total, /^\d{1,3}(\.\d{3})+$/, 'grouped with points');
      assert.equal(Number(total.replaceAll('.', '')), expected);
      await panel.shoot('language-de-entities', page, false);

      await panel.open('logs', page);
      assert.match(
        await firstLogTime(page),
        /^\d{2}\.\d{2}\.\d{2}, \d{2}:\d{2}:\d{2}$/,
        'dd.mm.yy, 24 hours'
      );

      // The connection test's findings come as codes: worded in German too.
      await panel.open('connect', page);
      await page.getByRole('button', { name: de('connect.test.run'), exact: true }).click();
      const checks = page.getByTestId('connection-checks');
      await checks.getByText(inGerman('connect.test.checks.reachable_ok')).waitFor();
      await checks.getByText(`${de('connect.test.names.reachable')}:`).waitFor();

      const dark = await panel.newPage({ colorScheme: 'dark' });
      await panel.open('overview', dark);
      await panel.shoot('language-de-overview-dark', dark);
      await panel.open('settings', dark);
      await panel.shoot('language-de-settings-dark', dark);
    });
  });

  it('follows the profile’s number and time formats over the language’s', async () => {
    await withProfile(profile('de', { number_format: 'comma_decimal', time_format: '12' }), async () => {
      const page = await panel.newPage();
      await panel.open('entities', page);
      assert.deepEqual(
        await tabs(page),
        VIEWS.map((view) => de(`panel.tabs.${view}`))
      );
      assert.match(await adminTotal(page), /^\d{1,3}(,\d{3})+$/, 'grouped with commas');
      await panel.open('logs', page);
      assert.match(await firstLogTime(page), /\d{1,2}:\d{2}:\d{2}\s?(AM|PM)$/, 'a 12-hour clock');
    });
  });

  it('without a profile, speaks the language HA keeps in this browser, else the browser’s', async () => {
    await setProfile(null);
    const french = await panel.newPage({ locale: 'fr-FR' });
    await panel.open('overview', french);
    assert.equal(await french.locator('html').getAttribute('lang'), 'fr');
    const fr = words('fr');
    assert.deepEqual(
      await tabs(french),
      VIEWS.map((view) => fr(`panel.tabs.${view}`))
    );

    // HA's frontend keeps a language picked on this device in local storage, which ingress shares.
    const dutch = await panel.newPage({ locale: 'fr-FR' });
    await dutch.addInitScript(() =>
      (globalThis as unknown as { localStorage: Storage }).localStorage.setItem('selectedLanguage', '"nl"')
    );
    await panel.open('overview', dutch);
    const nl = words('nl');
    assert.deepEqual(
      await tabs(dutch),
      VIEWS.map((view) => nl(`panel.tabs.${view}`))
    );
  });

  it('asks for an approval in German: what the call would change, and Deny', async () => {
    await withProfile(profile('de'), async () => {
      const page = await panel.newPage();
      await panel.open('overview', page);
      const intent = (await panel.toolNames()).find(
        (n) => n === 'HassTurnOff' || n.endsWith('__HassTurnOff')
      );
      assert.ok(intent, 'no HassTurnOff tool');
      // A lock's change waits for a person (the default approval domains).
      const pending = postMcp(panel.server.mcpUrl, panel.ha.adminToken, 'tools/call', {
        name: intent,
        arguments: { name: 'Kitchen Door' },
      });
      const row = page.getByTestId('approvals').locator('li[data-approval]');
      await row.waitFor();
      const what = inGerman('approvals.actions.unlock', { what: 'Kitchen Door' });
      assert.match((await row.textContent()) ?? '', new RegExp(what));
      await panel.shoot('language-de-approval', page, false);
      const deny = inGerman('approvals.deny_for', { what });
      await row.getByRole('button', { name: deny }).click();
      const answer = (await (await pending).json()) as { result: { isError?: boolean } };
      assert.equal(answer.result.isError, true, 'denied');
    });
  });
});
