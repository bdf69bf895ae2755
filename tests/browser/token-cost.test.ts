/**
 * The token cost in the Entities view, against the real test Home Assistant: the summary shows what the
 * API counts (an administrator's total at /api/mcp, the exposed entities together), and switching an
 * entity's exposure in the view counts again: its tokens column goes from — to a number and back, and the
 * totals follow. Screenshots, light and dark, go to tests/artifacts/screenshots.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright';
import type { TokenCostAnswer } from '../../server/src/admin/contract.js';
import { command } from '../support/ha/ha-api.js';
import { SHOTS, skipWithoutChromium, usePanel } from '../support/browser/panel-fixture.js';

/** The demo leaves it unexposed; exposed, it is one of the costliest (a thermostat's many attributes). */
const ENTITY = 'climate.ecobee';

/** A figure as the page shows it (grouped by the browser's locale), as a number. */
const figure = (text: string) => Number(text.replace(/[^\d]/g, ''));

describe('the token cost in the Entities view', { skip: skipWithoutChromium }, () => {
  const panel = usePanel();

  const readCost = async (page: Page): Promise<TokenCostAnswer> => {
    const res = await page.request.get(`${panel.proxy.url}api/admin/token-cost?limit=100000`);
    assert.equal(res.status(), 200);
    return (await res.json()) as TokenCostAnswer;
  };
  const adminTotal = (cost: TokenCostAnswer) => {
    const mcp = cost.apis.find((api) => api.endpoint === '/api/mcp');
    assert.ok(mcp, 'the answer has /api/mcp');
    return mcp.callers.admin.total;
  };
  const shownAdminTotal = async (page: Page) =>
    figure(
      await page
        .locator('ha-mcp-token-cost [data-endpoint="/api/mcp"] tr[data-caller="admin"]')
        .getByTestId('caller-total')
        .innerText()
    );
  const shownEntityTotals = async (page: Page) =>
    (await page.getByTestId('entity-totals').innerText()).replace(/\s+/g, ' ').trim();
  const tokensCell = (page: Page) => page.locator(`tr[data-entity="${ENTITY}"]`).getByTestId('entity-tokens');

  it('shows the API’s figures, and counts again when an entity’s exposure is switched', async () => {
    const { page } = panel;
    assert.equal(await panel.haExposes(ENTITY), false, 'the demo leaves the thermostat unexposed');
    await panel.open('entities');
    const summary = page.getByTestId('token-cost');
    await summary.getByTestId('caller-total').first().waitFor();

    // What the page shows is what the API answers.
    const before = await readCost(page);
    assert.equal(await shownAdminTotal(page), adminTotal(before), 'the admin total at /api/mcp');
    assert.ok(adminTotal(before) > 0);
    assert.match(
      await summary.getByTestId('tokenizer').innerText(),
      new RegExp(before.tokenizer.name.slice(0, 9))
    );
    assert.match(
      await shownEntityTotals(page),
      new RegExp(
        `${before.entityTotals.tokens.toLocaleString('en-US')} tokens over ${before.entityTotals.count} entities`
      )
    );
    const top = before.entities[0]!;
    assert.equal(
      figure(
        await summary
          .locator(`[data-testid="costliest"] tr[data-costly="${top.entityId}"] td.num`)
          .first()
          .innerText()
      ),
      top.tokens,
      'the costliest entity’s tokens'
    );
    assert.equal(
      await summary.locator('[data-testid="costliest"] tbody tr').count(),
      Math.min(10, before.entities.length)
    );
    assert.equal(
      before.entities.some((e) => e.entityId === ENTITY),
      false
    );

    // The list sorts by the column, costliest first, for trimming.
    const rows = page.locator('tbody tr[data-entity]');
    await page.getByTestId('sort-by-tokens').click();
    await page.locator('th[aria-sort="descending"]').waitFor();
    assert.equal(await rows.first().getAttribute('data-entity'), top.entityId, 'the costliest on top');
    assert.equal(figure(await rows.first().getByTestId('entity-tokens').innerText()), top.tokens);
    await panel.shoot('token-cost-sorted', page, false);

    await page.getByRole('searchbox', { name: 'Search' }).fill('ecobee');
    await page.getByText('1 shown', { exact: true }).waitFor();
    assert.equal((await tokensCell(page).innerText()).trim(), '—', 'unexposed: no share');
    const toggle = page.locator(`tr[data-entity="${ENTITY}"]`).getByTestId('expose-switch');
    try {
      await toggle.check();
      await tokensCell(page).filter({ hasText: /\d/ }).waitFor({ timeout: 15_000 });
      await page.locator('ha-mcp-token-cost section[aria-busy="false"]').waitFor();
      const exposed = await readCost(page);
      const share = exposed.entities.find((e) => e.entityId === ENTITY);
      assert.ok(share, 'the API counts the thermostat now');
      assert.ok(share.attributes > 0, 'a thermostat sends its attributes');
      assert.equal(figure(await tokensCell(page).innerText()), share.tokens, 'its column shows its share');
      assert.equal(await shownAdminTotal(page), adminTotal(exposed), 'the admin total follows');
      assert.ok(adminTotal(exposed) > adminTotal(before), 'exposing costs tokens');
      assert.equal(exposed.entityTotals.count, before.entityTotals.count + 1);
      assert.equal(exposed.entityTotals.tokens, before.entityTotals.tokens + share.tokens);
      assert.match(
        await shownEntityTotals(page),
        new RegExp(
          `${exposed.entityTotals.tokens.toLocaleString('en-US')} tokens over ${exposed.entityTotals.count} entities`
        )
      );
      await panel.shoot('token-cost-entities');
      await summary.screenshot({ path: join(SHOTS, 'token-cost.png') });

      await toggle.uncheck();
      await tokensCell(page)
        .filter({ hasText: /^\s*—\s*$/ })
        .waitFor({ timeout: 15_000 });
      await page.locator('ha-mcp-token-cost section[aria-busy="false"]').waitFor();
      const after = await readCost(page);
      assert.equal(
        after.entities.some((e) => e.entityId === ENTITY),
        false
      );
      assert.equal(await shownAdminTotal(page), adminTotal(after), 'the admin total follows back');
      assert.equal(adminTotal(after), adminTotal(before), 'back to what it cost before');
    } finally {
      await command(panel.admin, {
        type: 'homeassistant/expose_entity',
        assistants: ['conversation'],
        entity_ids: [ENTITY],
        should_expose: false,
      });
    }
  });

  it('reads well in the dark scheme and on a phone', async () => {
    const dark = await panel.newPage({ colorScheme: 'dark' });
    try {
      await panel.open('entities', dark);
      const summary = dark.getByTestId('token-cost');
      await summary.getByTestId('caller-total').first().waitFor();
      await summary.screenshot({ path: join(SHOTS, 'token-cost-dark.png') });
      await panel.shoot('token-cost-entities-dark', dark, false);
    } finally {
      await dark.context().close();
    }
    // On a phone the endpoints' tables stack, and each total is in sight without scrolling sideways.
    const phone = await panel.newPage({ viewport: { width: 390, height: 844 } });
    try {
      await panel.open('entities', phone);
      const summary = phone.getByTestId('token-cost');
      await summary.getByTestId('caller-total').first().waitFor();
      const card = (await summary.boundingBox())!;
      for (const total of await summary.getByTestId('caller-total').all()) {
        const box = (await total.boundingBox())!;
        assert.ok(
          box.x + box.width <= card.x + card.width,
          `a total in sight: ${box.x + box.width} > ${card.x + card.width}`
        );
      }
      await summary.screenshot({ path: join(SHOTS, 'token-cost-phone.png') });
    } finally {
      await phone.context().close();
    }
  });
});
