/**
 * The config tools of the "Home Assistant" LLM API (config__get_config_entries, config__reload_config_entry,
 * config__search_integrations) side by side with HA's own at `/api/mcp/homeassistant`, on the same test HA,
 * as the same admin: the same text for the same call, errors included. The test adds the entries it needs
 * and removes them after: a to-do list to reload, a disabled one, an ignored discovery (cert_expiry) and
 * a Downloader, whose integration cannot unload, so a reload leaves it failed and the next one is refused.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Connection } from 'home-assistant-js-websocket';
import type { ConfigEntry } from '../../server/src/ha/config-entry-commands.js';
import { type Principal } from '../../server/src/ha/principals.js';
import type { Tool, ToolResult } from '../../server/src/llm/api.js';
import { connectWs, command, restJson, runConfigFlow } from '../support/ha/ha-api.js';
import { homeAssistantApiWorld, type HomeAssistantApiWorld } from '../support/ha/home-assistant-api-world.js';
import { type TestHaInfo } from '../support/ha/fixture.js';
import { postMcp } from '../support/mcp-post.js';

const TO_RELOAD = 'Config tools: to reload';
const PARKED = 'Config tools: disabled';
const IGNORED = 'Config tools: ignored';

describe('the config tools side by side with HA’s own', () => {
  let ha: TestHaInfo;
  let world: HomeAssistantApiWorld;
  let admin: Principal;
  let ws: Connection;
  let tools: Tool[];

  const tool = (name: string) => tools.find((t) => t.name === name)!;
  const ours = (name: string, args: Record<string, unknown>) => tool(name).run(args, { principal: admin });
  async function theirs(name: string, args: Record<string, unknown>): Promise<ToolResult> {
    const res = await postMcp(
      ha.url,
      ha.adminToken,
      'tools/call',
      { name, arguments: args },
      '/api/mcp/homeassistant'
    );
    const { result } = (await res.json()) as { result: { content: { text: string }[]; isError: boolean } };
    return { text: result.content[0]!.text, isError: result.isError };
  }
  /** Ours and HA's answers to the same call: the same text, error or not. */
  async function same(name: string, args: Record<string, unknown>): Promise<ToolResult> {
    const [mine, ref] = [await ours(name, args), await theirs(name, args)];
    assert.equal(mine.isError ?? false, ref.isError, `${name} ${JSON.stringify(args)}: isError`);
    // Invalid arguments are answered in words, results and the tools' own errors in JSON.
    if (!ref.text.startsWith('Error calling tool: ')) {
      assert.deepEqual(JSON.parse(mine.text), JSON.parse(ref.text), `${name} ${JSON.stringify(args)}`);
    }
    assert.equal(mine.text, ref.text, `${name} ${JSON.stringify(args)}: text`);
    return mine;
  }
  /**
   * As `same`, for lists of entries: an entry that retries its setup (radio_browser, without internet) may
   * change state between the two calls, so a differing pair is asked again, up to three times.
   */
  async function sameEntries(args: Record<string, unknown>): Promise<unknown[]> {
    for (let attempt = 1; ; attempt++) {
      const [mine, ref] = [
        await ours('config__get_config_entries', args),
        await theirs('config__get_config_entries', args),
      ];
      if (mine.text === ref.text || attempt === 3) {
        assert.equal(mine.isError ?? false, ref.isError);
        assert.deepEqual(JSON.parse(mine.text), JSON.parse(ref.text), JSON.stringify(args));
        assert.equal(mine.text, ref.text);
        return (JSON.parse(mine.text) as { result: unknown[] }).result;
      }
    }
  }

  const entries = () => command<ConfigEntry[]>(ws, { type: 'config_entries/get' });
  const entryTitled = async (title: string) => (await entries()).find((e) => e.title === title)!;
  /** The short id both tools give an entry (its domain and the end of its id). */
  const shortIdOf = async (entry: ConfigEntry) => {
    const listed = (await sameEntries({ domain: entry.domain })) as { entry_id: string; title: string }[];
    return listed.find((item) => item.title === entry.title)!.entry_id;
  };
  const removeEntry = (entryId: string) =>
    restJson(ha.url, `/api/config/config_entries/entry/${entryId}`, {
      method: 'DELETE',
      token: ha.adminToken,
    });
  async function removeTestEntries() {
    for (const entry of await entries()) {
      if ([TO_RELOAD, PARKED, IGNORED].includes(entry.title) || entry.domain === 'downloader') {
        await removeEntry(entry.entry_id);
      }
    }
  }
  async function addDownloader(): Promise<ConfigEntry> {
    const done = await runConfigFlow(ha.url, ha.adminToken, 'downloader', [{ download_dir: '.' }]);
    assert.equal(done.type, 'create_entry', JSON.stringify(done));
    return (await entries()).find((e) => e.domain === 'downloader')!;
  }

  before(async () => {
    world = await homeAssistantApiWorld();
    ({ ha, admin } = world);
    tools = world.tools('config__');
    ws = await connectWs(ha.url, ha.adminToken);

    await removeTestEntries();
    for (const title of [TO_RELOAD, PARKED]) {
      const done = await runConfigFlow(ha.url, ha.adminToken, 'local_todo', [{ todo_list_name: title }]);
      assert.equal(done.type, 'create_entry', JSON.stringify(done));
    }
    await command(ws, {
      type: 'config_entries/disable',
      entry_id: (await entryTitled(PARKED)).entry_id,
      disabled_by: 'user',
    });
    // A certificate check of a closed port: the form comes back with an error, and the flow has its unique
    // id, so it can be ignored as a discovery would be.
    const flow = await runConfigFlow(ha.url, ha.adminToken, 'cert_expiry', [{ host: '127.0.0.1', port: 1 }]);
    assert.equal(flow.type, 'form', JSON.stringify(flow));
    await command(ws, { type: 'config_entries/ignore_flow', flow_id: flow.flow_id, title: IGNORED });
  });
  after(async () => {
    if (ws) await removeTestEntries();
    ws?.close();
    world?.close();
  });

  it('offers the three tools, in HA’s order', () => {
    assert.deepEqual(
      tools.map((t) => t.name),
      ['config__get_config_entries', 'config__reload_config_entry', 'config__search_integrations']
    );
  });

  it('lists the entries as HA does: all of them, of one domain (stripped, any case), of several', async () => {
    const all = (await sameEntries({})) as Record<string, unknown>[];
    assert.ok(all.some((e) => e.title === PARKED && e.disabled_by === 'user' && e.state === 'not_loaded'));
    assert.ok(all.some((e) => e.title === IGNORED && e.source === 'ignore'));
    assert.ok(all.every((e) => e.source === undefined || e.title === IGNORED));
    const todo = await sameEntries({ domain: ' LOCAL_todo ' });
    assert.ok(todo.length >= 2);
    await sameEntries({ domain: 'local_todo' });
    await sameEntries({ domain: ['sun', 'Cert_Expiry', 'no_such_domain'] });
    assert.deepEqual(await sameEntries({ domain: 'no_such_domain' }), []);
  });

  it('filters by status as HA does', async () => {
    const loaded = (await sameEntries({ status: 'loaded' })) as Record<string, unknown>[];
    assert.ok(loaded.some((e) => e.title === TO_RELOAD));
    const notLoaded = (await sameEntries({ status: 'Not_Loaded' })) as Record<string, unknown>[];
    assert.deepEqual(
      notLoaded.map((e) => e.title).filter((title) => title === PARKED || title === IGNORED),
      [PARKED, IGNORED]
    );
    await sameEntries({ status: 'error' });
    await sameEntries({ domain: ['local_todo', 'cert_expiry'], status: 'not_loaded' });
  });

  it('refuses bad arguments in HA’s words', async () => {
    for (const args of [
      { domain: '' },
      { domain: '   ' },
      { domain: [] },
      { domain: 5 },
      { domain: ['sun', ''] },
      { domain: ['sun', 5] },
      { status: 'bad' },
      { status: 'Loaded ' },
      { domains: 'sun' },
    ]) {
      const answer = await same('config__get_config_entries', args);
      assert.ok(answer.isError && answer.text.startsWith('Error calling tool: '), answer.text);
    }
    for (const args of [{}, { entry_id: '   ' }, { entry_id: 5 }, { entry: 'sun:ABCD' }]) {
      assert.ok((await same('config__reload_config_entry', args)).isError);
    }
    for (const args of [{}, { query: '' }, { query: ' ' }, { query: 'hue', type: 'device' }, { query: 3 }]) {
      assert.ok((await same('config__search_integrations', args)).isError);
    }
  });

  it('does not find what HA does not find: unknown, too short, wrong case, no domain', async () => {
    const sun = (await entries()).find((e) => e.domain === 'sun')!;
    const suffix = (await shortIdOf(sun)).split(':')[1]!;
    for (const entryId of [
      'met:ABCD',
      `sun:${suffix.slice(1)}`,
      `sun:${suffix.toLowerCase()}`,
      `:${suffix}`,
      'sun',
      `demo:${suffix}`,
    ]) {
      const answer = await same('config__reload_config_entry', { entry_id: entryId });
      assert.equal(answer.text, `{"error": "Config entry '${entryId}' not found."}`);
    }
  });

  it('refuses to reload a disabled or an ignored entry, as HA does', async () => {
    for (const [title, why] of [
      [PARKED, 'disabled'],
      [IGNORED, 'ignored'],
    ]) {
      const entryId = await shortIdOf(await entryTitled(title!));
      const answer = await same('config__reload_config_entry', { entry_id: entryId });
      assert.equal(
        answer.text,
        `{"error": "Config entry '${entryId}' cannot be reloaded because it is ${why}."}`
      );
    }
  });

  it('reloads an entry (domain in any case, the whole id too) and HA saw it unload and load again', async () => {
    const entry = await entryTitled(TO_RELOAD);
    const shortId = await shortIdOf(entry);
    const states: string[] = [];
    let sawReload!: () => void;
    const reloaded = new Promise<void>((resolve) => (sawReload = resolve));
    const unsubscribe = await ws.subscribeMessage<{ type: string | null; entry: ConfigEntry }[]>(
      (changes) => {
        for (const { entry: changed } of changes) {
          if (changed.entry_id !== entry.entry_id) continue;
          states.push(changed.state);
          if (states.includes('not_loaded') && changed.state === 'loaded') sawReload();
        }
      },
      { type: 'config_entries/subscribe' }
    );
    try {
      const input = `LOCAL_TODO:${shortId.split(':')[1]}`;
      const mine = await ours('config__reload_config_entry', { entry_id: input });
      assert.equal(mine.text, `{"result": {"entry_id": "${input}", "state": "loaded"}}`);
      await reloaded;
    } finally {
      unsubscribe();
    }
    await same('config__reload_config_entry', { entry_id: shortId });
    await same('config__reload_config_entry', { entry_id: `local_todo:${entry.entry_id}` });
    assert.equal((await entryTitled(TO_RELOAD)).state, 'loaded');
  });

  it('says what a reload left behind, and refuses one in a state that allows none, as HA does', async () => {
    // Downloader cannot unload: the first reload leaves it failed, the next is refused.
    const first = await addDownloader();
    const firstId = await shortIdOf(first);
    const mine = JSON.parse((await ours('config__reload_config_entry', { entry_id: firstId })).text);
    assert.equal((await entries()).find((e) => e.entry_id === first.entry_id)!.state, 'failed_unload');
    const refused = await same('config__reload_config_entry', { entry_id: firstId });
    assert.equal(
      refused.text,
      `{"error": "Config entry '${firstId}' cannot be reloaded in state 'failed_unload'."}`
    );
    const failed = (await sameEntries({ status: 'error' })) as Record<string, unknown>[];
    assert.ok(failed.some((e) => e.domain === 'downloader' && e.reason === 'Unload not supported'));
    await sameEntries({ domain: 'downloader' });

    // HA's first reload of a new Downloader says the same as ours did.
    await removeEntry(first.entry_id);
    const second = await addDownloader();
    const secondId = await shortIdOf(second);
    const ref = JSON.parse((await theirs('config__reload_config_entry', { entry_id: secondId })).text);
    assert.deepEqual({ ...mine, result: { ...mine.result, entry_id: secondId } }, ref);
  });

  it('reloads an entry whose setup keeps failing and gives its translated reason, as HA does', async (t) => {
    const radio = (await entries()).find((e) => e.domain === 'radio_browser');
    if (!radio) return t.skip('no radio_browser entry in this HA');
    const entryId = await shortIdOf(radio);
    const [mine, ref] = [
      await ours('config__reload_config_entry', { entry_id: entryId }),
      await theirs('config__reload_config_entry', { entry_id: entryId }),
    ];
    assert.deepEqual(JSON.parse(mine.text), JSON.parse(ref.text));
    assert.equal(mine.text, ref.text);
  });

  it('searches the catalogue as HA does: by domain, name, brand, type, in any case', async () => {
    const hue = await same('config__search_integrations', { query: 'hue' });
    assert.equal(
      hue.text,
      '{"result": [{"domain": "hue", "name": "Philips Hue"}, {"domain": "hue_ble", "name": "Philips Hue BLE"}]}'
    );
    const sun = JSON.parse((await same('config__search_integrations', { query: ' Sun ' })).text);
    assert.deepEqual(sun.result[0], { domain: 'sun', name: 'Sun' });
    await same('config__search_integrations', { query: 'philips' });
    await same('config__search_integrations', { query: 'PHILIPS', type: 'Integration' });
    await same('config__search_integrations', { query: 'google' });
    await same('config__search_integrations', { query: 'sensor', type: 'helper' });
    await same('config__search_integrations', { query: 'template', type: 'HELPER' });
    await same('config__search_integrations', { query: 'straße' });
    // ß folds to ss (Python's casefold), which lower-casing does not do.
    assert.notDeepEqual(
      JSON.parse((await same('config__search_integrations', { query: 'ß' })).text).result,
      []
    );
    const many = JSON.parse((await same('config__search_integrations', { query: 'a' })).text);
    assert.equal(many.result.length, 15);
    assert.deepEqual(
      JSON.parse((await same('config__search_integrations', { query: 'no such integration' })).text),
      { result: [] }
    );
  });
});
