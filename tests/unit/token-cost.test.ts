/**
 * The token cost of the home (GET /api/admin/token-cost) over the admin fixture's small home with the real
 * Assist API: the figures per endpoint and caller, and how they move as an owner exposes, names and trims.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import type { TokenCostAnswer, TokenCostApi } from '../../server/src/admin/contract.js';
import { TokenCostCache } from '../../server/src/admin/token-cost-cache.js';
import type { Home } from '../../server/src/ha/home.js';
import { createAssistApi } from '../../server/src/llm/assist/api.js';
import { ApiRegistry } from '../../server/src/llm/registry.js';
import type { Options } from '../../server/src/options.js';
import {
  adminWorld,
  memoryOptions,
  quiet,
  smallHome,
  smallHomeAssistantApi,
} from '../support/admin-fixture.js';
import { registryEntry as entry } from '../support/registry-entry.js';
import { standInCalls } from '../support/stand-in-calls.js';

function world(initial: Partial<Options> = {}) {
  const home = smallHome();
  const options = memoryOptions(initial);
  const registry = new ApiRegistry(options.current, quiet)
    .register(createAssistApi({ home, calls: standInCalls(), prefixed: () => true }))
    .register(smallHomeAssistantApi());
  const w = adminWorld({ home, options, overrides: { registry } });
  return {
    ...w,
    registry,
    async cost(query = ''): Promise<TokenCostAnswer> {
      const res = await w.call(`/api/admin/token-cost${query}`, { user: 'guest' });
      assert.equal(res.status, 200, await res.clone().text());
      return (await res.json()) as TokenCostAnswer;
    },
  };
}

const api = (answer: TokenCostAnswer, id: string | null): TokenCostApi => {
  const found = answer.apis.find((a) => a.id === id);
  assert.ok(found, `${id} in ${answer.apis.map((a) => a.id).join(', ')}`);
  return found;
};

/** The registry entry HA sends after an owner exposes (or hides) an entity or edits its aliases. */
function entryChange(home: Home, entityId: string, fields: Parameters<typeof entry>[1]) {
  const current = home.registry.get(entityId)!;
  home.setRegistryEntries({ [entityId]: { ...current, ...fields } });
}

const exposedTo = (should: boolean) => ({ conversation: { should_expose: should } });

describe('the token cost of the home', () => {
  it('counts tools, prompt and live context per endpoint and caller, with a real offline tokenizer', async () => {
    const w = world();
    const answer = await w.cost();
    assert.match(answer.tokenizer.name, /o200k_base/);
    assert.match(answer.tokenizer.note, /Claude/);
    assert.match(answer.tokenizer.note, /proxy/);
    assert.deepEqual(answer.selected, ['assist', 'homeassistant']);
    assert.equal(answer.controlHomeAssistant, true);
    assert.deepEqual(
      answer.apis.map((a) => [a.id, a.endpoint]),
      [
        [null, '/api/mcp'],
        ['assist', '/api/mcp/assist'],
        ['homeassistant', '/api/mcp/homeassistant'],
      ]
    );
    const assist = api(answer, 'assist');
    assert.equal(assist.name, 'Device control');
    for (const figures of Object.values(assist.callers)) {
      assert.equal(figures.available, true);
      assert.ok(figures.tools > 0 && figures.prompt > 0 && figures.liveContext > 0, JSON.stringify(figures));
      assert.equal(figures.total, figures.tools + figures.prompt + figures.liveContext);
    }
    // The live context is the tool's own answer, counted as a client reads it.
    const live = await w.registry
      .instanceFor(adminPrincipal)
      .tools.find((t) => t.name === 'homeassistant__GetLiveContext')!
      .run({}, { principal: adminPrincipal });
    assert.equal(assist.callers.admin.liveContext, countTokens(live.text));
    // The Home Assistant API is for administrators: a plain user's merge and its own endpoint are refused.
    const ha = api(answer, 'homeassistant');
    assert.equal(ha.callers.nonAdmin.available, false);
    assert.equal(ha.callers.nonAdmin.total, 0);
    assert.equal(api(answer, null).callers.nonAdmin.available, false);
    assert.equal(ha.callers.admin.liveContext, 0, 'no live context on the Home Assistant API');
    // The merge sends both APIs' tools.
    const merged = api(answer, null).callers.admin;
    assert.equal(merged.toolCount, assist.callers.admin.toolCount + ha.callers.admin.toolCount);
    assert.ok(merged.total > assist.callers.admin.total);
  });

  it('a plain user is refused /api/mcp while only administrators may use it, as the endpoint refuses them', async () => {
    const assistOnly = { llm_apis: ['assist'] };
    const adminsOnly = await world({ ...assistOnly, require_admin: true }).cost();
    assert.equal(api(adminsOnly, null).callers.nonAdmin.available, false);
    assert.equal(api(adminsOnly, 'assist').callers.nonAdmin.available, true, 'its own endpoint is open');
    const everyone = await world({ ...assistOnly, require_admin: false }).cost();
    assert.deepEqual(api(everyone, null).callers.nonAdmin, api(everyone, 'assist').callers.nonAdmin);
  });

  it('lists every exposed entity in the live context, costliest first, with what makes it costly', async () => {
    const answer = await world().cost();
    assert.deepEqual(answer.entities.map((e) => e.entityId).sort(), [
      'light.kitchen',
      'light.lamp',
      'lock.front_door',
      'sensor.temperature',
    ]);
    assert.equal(answer.entityTotals.count, 4);
    assert.equal(
      answer.entityTotals.tokens,
      answer.entities.reduce((sum, e) => sum + e.tokens, 0)
    );
    const tokens = answer.entities.map((e) => e.tokens);
    assert.deepEqual(
      tokens,
      [...tokens].sort((a, b) => b - a)
    );
    for (const e of answer.entities) {
      assert.equal(e.tokens, e.liveContext + e.prompt + e.tools);
      assert.ok(e.liveContext > e.prompt, `${e.entityId}: the live context adds the state`);
    }
    const lamp = answer.entities.find((e) => e.entityId === 'light.lamp')!;
    assert.equal(lamp.aliases, 1, 'Reading Lamp');
    assert.equal(lamp.name, 'Lamp');
    const sensor = answer.entities.find((e) => e.entityId === 'sensor.temperature')!;
    assert.equal(sensor.attributes, 1, 'device_class');
    assert.equal((await world().cost('?limit=2')).entities.length, 2);
  });

  it('exposing one more entity raises the live context, the prompt and the total at once', async () => {
    const w = world();
    const before = await w.cost();
    entryChange(w.home, 'switch.fan', { options: exposedTo(true) });
    const after = await w.cost();
    for (const id of [null, 'assist']) {
      const was = api(before, id).callers.admin;
      const now = api(after, id).callers.admin;
      assert.ok(now.liveContext > was.liveContext, `${id}: ${was.liveContext} -> ${now.liveContext}`);
      assert.ok(now.prompt > was.prompt);
      assert.ok(now.total > was.total);
    }
    assert.equal(after.entityTotals.count, 5);
    assert.ok(after.entities.some((e) => e.entityId === 'switch.fan' && e.tokens > 0));

    entryChange(w.home, 'switch.fan', { options: exposedTo(false) });
    const trimmed = await w.cost();
    assert.deepEqual(api(trimmed, 'assist').callers.admin, api(before, 'assist').callers.admin);
  });

  it('an entity with many aliases costs more, and says how many it has', async () => {
    const w = world();
    const kitchen = (a: TokenCostAnswer) => a.entities.find((e) => e.entityId === 'light.kitchen')!;
    const before = await w.cost();
    entryChange(w.home, 'light.kitchen', {
      aliases: [null, 'Cooking light', 'Stove lamp', 'Counter light', 'Light over the sink', 'Pantry glow'],
    });
    const after = await w.cost();
    assert.equal(kitchen(before).aliases, 0);
    assert.equal(kitchen(after).aliases, 5);
    assert.ok(kitchen(after).liveContext > kitchen(before).liveContext);
    assert.ok(kitchen(after).prompt > kitchen(before).prompt);
    assert.equal(after.entities[0]!.entityId, 'light.kitchen', 'now the costliest');
    assert.ok(api(after, 'assist').callers.admin.total > api(before, 'assist').callers.admin.total);
  });

  it('a read-only caller is offered fewer tools; with control off every caller is read-only', async () => {
    const answer = await world().cost();
    const { admin, readOnly } = api(answer, 'assist').callers;
    assert.ok(readOnly.toolCount < admin.toolCount, `${readOnly.toolCount} < ${admin.toolCount}`);
    assert.ok(readOnly.tools < admin.tools);
    assert.equal(readOnly.liveContext, admin.liveContext, 'reading is allowed');

    const off = await world({ control_home_assistant: false }).cost();
    assert.equal(off.controlHomeAssistant, false);
    const callers = api(off, 'assist').callers;
    assert.deepEqual(callers.admin, callers.readOnly);
    assert.deepEqual(callers.admin, readOnly);
  });

  it("a script exposed as a tool costs its tool's definition", async () => {
    const w = world();
    w.home.setScripts({
      good_night: {
        name: 'Good night',
        description: 'Turns off every light and locks the doors',
        fields: { delay: { description: 'Minutes to wait first', selector: { number: {} } } },
      },
    });
    w.home.setRegistryEntries({
      'script.good_night': entry('script.good_night', { options: exposedTo(true) }),
    });
    w.home.applyStates({ a: { 'script.good_night': { s: 'off', a: { friendly_name: 'Good night' } } } });
    const answer = await w.cost();
    const script = answer.entities.find((e) => e.entityId === 'script.good_night');
    assert.ok(script, 'the script is listed');
    assert.equal(script.liveContext, 0, 'scripts are not in the live context');
    assert.ok(script.tools > 20, `${script.tools}`);
    assert.equal(script.tokens, script.tools);
  });

  it('answers from its cache until what the home offers changes; states are caught up later', async () => {
    const w = world();
    const first = await w.cost();
    assert.equal((await w.cost()).computedAt, first.computedAt);
    assert.ok(first.computeMs >= 0);
    w.home.applyStates({ c: { 'light.lamp': { '+': { s: 'off' } } } });
    assert.equal((await w.cost()).computedAt, first.computedAt, 'a state change alone waits');
    w.home.setExposure([], true);
    const changed = await w.cost();
    assert.equal(changed.entityTotals.count, 3, 'exposure is counted at once');
  });

  it('catches up with states in the background while someone looks, and not when nobody does', async () => {
    const w = world();
    const cacheOf = (warmMs: number) =>
      new TokenCostCache({
        home: w.home,
        registry: w.registry,
        options: w.options.current,
        debounceMs: 5,
        warmMs,
      });
    const looked = cacheOf(60_000);
    const idle = cacheOf(0);
    const [first, firstIdle] = [await looked.current(), await idle.current()];
    await sleep(5);
    w.home.applyStates({ c: { 'light.lamp': { '+': { s: 'off' } } } });
    await sleep(100);
    assert.equal(await idle.current(), firstIdle, 'nobody looked lately: not counted again');
    const caughtUp = await looked.current();
    assert.notEqual(caughtUp, first, 'counted again in the background');
    assert.ok(caughtUp.computedAt >= first.computedAt);
  });

  it('is 503 while Home Assistant is away', async () => {
    const w = world();
    w.home.markStale();
    const res = await w.call('/api/admin/token-cost', { user: 'guest' });
    assert.equal(res.status, 503);
  });
});

const adminPrincipal = {
  userId: 'test-admin',
  name: 'Admin',
  isAdmin: true,
  authKind: 'long_lived_token' as const,
  token: '',
  tokenHash: '',
};
