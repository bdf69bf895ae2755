/**
 * What the panel changes, read back where it matters: exposure switched in the panel (one entity, or
 * several selected) is Home Assistant's own setting and changes the tools MCP clients are offered, and the
 * panel's own count of tools follows; "Control Home Assistant" off in Settings removes every tool that
 * changes something; a refused setting is shown next to its field and nothing is saved; a viewer who is
 * not an HA administrator gets a read-only panel and the API refuses their changes. Every HA setting
 * changed here is put back (the other tests share the same Home Assistant).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { command } from '../support/ha/ha-api.js';
import { skipWithoutChromium, usePanel } from '../support/browser/panel-fixture.js';

describe('the admin panel changes Home Assistant and the server', { skip: skipWithoutChromium }, () => {
  const panel = usePanel();

  /** Sets HA's exposure directly, to put back what a test changed even when it failed halfway. */
  const restoreExposure = (entityIds: string[], exposed: boolean) =>
    command(panel.admin, {
      type: 'homeassistant/expose_entity',
      assistants: ['conversation'],
      entity_ids: entityIds,
      should_expose: exposed,
    });

  it('exposes one entity in HA’s own setting; clients and the panel’s tool count follow', async () => {
    const { page } = panel;
    const script = 'script.vacation_mode';
    assert.equal(await panel.haExposes(script), false, 'the demo leaves the vacation script unexposed');
    await panel.open('entities');
    await page.getByRole('searchbox', { name: 'Search' }).fill('vacation');
    await page.getByText('1 shown', { exact: true }).waitFor();
    const toggle = page.locator(`tr[data-entity="${script}"]`).getByTestId('expose-switch');
    try {
      await toggle.check();
      await panel.eventually(() => panel.haExposes(script), 'HA exposes the script');
      await panel.eventually(
        async () => (await panel.toolNames()).includes('script__vacation_mode'),
        'a tool'
      );
      const offered = (await panel.toolNames()).length;
      await page.getByTestId('tools-offered').getByText(`${offered} tools offered`).waitFor();
      assert.equal(await toggle.isChecked(), true, 'the switch stays on');

      await toggle.uncheck();
      await panel.eventually(async () => !(await panel.haExposes(script)), 'HA no longer exposes it');
      await panel.eventually(
        async () => !(await panel.toolNames()).includes('script__vacation_mode'),
        'no tool'
      );
      await page
        .getByTestId('tools-offered')
        .getByText(`${offered - 1} tools offered`)
        .waitFor();
    } finally {
      await restoreExposure([script], false);
    }
  });

  it('exposes and unexposes several selected entities at once', async () => {
    const { page } = panel;
    await panel.open('entities');
    await page.getByLabel('Exposed').selectOption('false');
    const rows = page.locator('tbody tr[data-entity]');
    await rows.nth(1).waitFor();
    const picked = (await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-entity') ?? '')))
      .filter((id) => !id.startsWith('script.'))
      .slice(0, 2);
    assert.equal(picked.length, 2);
    for (const id of picked) assert.equal(await panel.haExposes(id), false, id);

    const search = page.getByRole('searchbox', { name: 'Search' });
    /** Selects each entity in turn (the selection survives a new search), then applies the button. */
    const bulk = async (button: 'Expose' | 'Stop exposing') => {
      for (const id of picked) {
        await search.fill(id);
        await page
          .locator(`tr[data-entity="${id}"]`)
          .getByRole('checkbox', { name: /^Select / })
          .check();
      }
      await page.getByText('2 selected').waitFor();
      await page.getByRole('button', { name: button, exact: true }).click();
      await page.getByText('0 selected').waitFor();
    };
    try {
      await page.getByLabel('Exposed').selectOption('');
      await bulk('Expose');
      for (const id of picked) await panel.eventually(() => panel.haExposes(id), `HA exposes ${id}`);
      assert.equal(
        await page.locator(`tr[data-entity="${picked[1]}"]`).getByTestId('expose-switch').isChecked(),
        true
      );

      await bulk('Stop exposing');
      for (const id of picked) await panel.eventually(async () => !(await panel.haExposes(id)), `${id} back`);
    } finally {
      await restoreExposure(picked, false);
    }
  });

  it('turns control off in Settings, and clients lose every tool that changes something', async () => {
    const { page } = panel;
    await panel.open('settings');
    const control = page.getByLabel('Control Home Assistant');
    assert.equal(await control.isChecked(), true);
    const save = async () => {
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('status').getByText('Saved').waitFor();
    };
    const before = await panel.tools();
    const changing = before.filter((t) => t.annotations?.readOnlyHint !== true).map((t) => t.name);
    assert.ok(changing.includes('intent__HassTurnOn') && changing.some((t) => t.startsWith('script__')));
    try {
      await control.uncheck();
      await save();
      const tools = await panel.tools();
      const names = tools.map((t) => t.name);
      // What is left is exactly the read-only tools: live context, date and time, to-do and calendar reads.
      assert.deepEqual(
        names,
        before.filter((t) => t.annotations?.readOnlyHint === true).map((t) => t.name)
      );
      assert.ok(names.includes('homeassistant__GetLiveContext'), names.join(', '));
    } finally {
      await control.check();
      await save();
    }
    assert.ok((await panel.toolNames()).includes('intent__HassTurnOn'));
  });

  it('warns, before saving, that the Home Assistant API reaches every entity, for administrators only', async () => {
    const { page } = panel;
    await panel.open('settings');
    const warning = page.getByRole('note').filter({ hasText: 'reaches every entity, exposed or not' });
    assert.equal(await warning.count(), 0);
    const api = page.getByRole('checkbox', { name: /\(homeassistant\)/ });
    await api.check();
    await warning.waitFor();
    assert.match((await warning.textContent()) ?? '', /for administrators only/);
    await api.uncheck();
    await warning.waitFor({ state: 'detached' });
  });

  it('shows a refused setting next to its field, and saves nothing', async () => {
    const { page } = panel;
    await panel.open('settings');
    const assist = page.getByRole('checkbox', { name: /\(assist\)/ });
    await assist.uncheck();
    await page.getByRole('button', { name: 'Save' }).click();
    const error = page.locator('fieldset .field-error[data-field="llm_apis"]');
    await error.waitFor();
    assert.match((await error.textContent()) ?? '', /at least one/);
    assert.equal(await page.getByRole('status').getByText('Saved').count(), 0);
    await panel.shoot('settings-field-error');

    await panel.open('settings');
    await page.getByRole('checkbox', { name: /\(assist\)/ }).waitFor();
    assert.equal(await page.getByRole('checkbox', { name: /\(assist\)/ }).isChecked(), true, 'nothing saved');
    assert.ok((await panel.toolNames()).includes('intent__HassTurnOn'));
  });

  it('gives a viewer who is not an HA administrator a read-only panel, and the API refuses them', async () => {
    const page = await panel.newPage();
    const base = panel.viewerProxy.url;
    try {
      await panel.open('settings', page, base);
      await page.locator('header').getByText('read-only').waitFor();
      await page.getByText('Only Home Assistant administrators can change settings.').waitFor();
      assert.equal(await page.getByLabel('Control Home Assistant').isDisabled(), true);
      assert.equal(await page.getByLabel('Keep the log (days)').isDisabled(), true);
      assert.equal(await page.getByRole('button', { name: 'Save' }).isDisabled(), true);
      await panel.shoot('settings-read-only', page);

      await panel.open('entities', page, base);
      await page.getByText('Only Home Assistant administrators can change what is exposed.').waitFor();
      await page.getByTestId('expose-switch').first().waitFor();
      for (const toggle of (await page.getByTestId('expose-switch').all()).slice(0, 5)) {
        assert.equal(await toggle.isDisabled(), true);
      }
      assert.equal(await page.getByLabel('Expose new entities automatically').isDisabled(), true);

      await panel.open('connect', page, base);
      assert.equal(await page.getByRole('button', { name: 'Test', exact: true }).isDisabled(), true);

      // Reads are for everyone; a change sent anyway is refused by the API, not just hidden by the panel.
      const res = await page.request.put(`${base}api/admin/settings`, {
        data: { control_home_assistant: false },
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(res.status(), 403);
      assert.equal((await page.request.get(`${base}api/admin/overview`)).status(), 200);
    } finally {
      await page.context().close();
    }
  });
});
