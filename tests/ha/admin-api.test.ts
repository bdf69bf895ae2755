/**
 * The admin API against the real test Home Assistant, with a live Home model: exposure written through the
 * API is what HA's own settings say and what the next listing shows; "expose new entities" round-trips;
 * users are checked against HA's user list; settings saved standalone land in options.json and change what
 * MCP clients are offered at once; the overview agrees with the model.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Connection } from 'home-assistant-js-websocket';
import { createAdminApp } from '../../server/src/admin/app.js';
import type { EntityRow, ExposeAnswer, ExposeNew } from '../../server/src/admin/contract.js';
import { linkSend } from '../../server/src/ha/command.js';
import { HaRefusedError } from '../../server/src/ha/errors.js';
import { fileOptionsStore, OPTIONS_FILE } from '../../server/src/admin/options-store.js';
import { PANEL_PRINCIPAL } from '../../server/src/admin/overview.js';
import type { Home } from '../../server/src/ha/home.js';
import { createAssistApi } from '../../server/src/llm/assist/api.js';
import { haCalls } from '../../server/src/llm/assist/ha-calls.js';
import { createHomeAssistantApi } from '../../server/src/llm/homeassistant/api.js';
import { userSessions, type UserSessions } from '../../server/src/ha/user-sessions.js';
import { ApiRegistry, namingFor } from '../../server/src/llm/registry.js';
import { createLogger } from '../../server/src/log.js';
import { parseOptions, type Options } from '../../server/src/options.js';
import { openStore, type Store } from '../../server/src/store/store.js';
import { waitFor } from '../support/wait.js';
import { command, connectWs } from '../support/ha/ha-api.js';
import { liveHome, type LiveHome } from '../support/ha/live-home.js';
import { testHa, type TestHaInfo } from '../support/ha/fixture.js';

const quiet = createLogger('error', () => {});

interface Listing {
  entities: EntityRow[];
  counts: { total: number; exposed: number; matching: number };
}

describe('the admin API against Home Assistant', () => {
  let sessions: UserSessions;
  let ha: TestHaInfo;
  let home: Home;
  let live: LiveHome;
  let admin: Connection;
  let store: Store;
  let registry: ApiRegistry;
  let dataDir: string;
  let options: Options;
  const applied: Options[] = [];
  let ownerId: string;
  let app: ReturnType<typeof createAdminApp>;

  const call = async (path: string, init: { method?: string; json?: unknown; userId?: string } = {}) => {
    const headers: Record<string, string> = {};
    if (init.userId) headers['x-remote-user-id'] = init.userId;
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    return app.request(path, {
      method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
      headers,
      ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
    });
  };
  const ok = async <T>(res: Response | Promise<Response>): Promise<T> => {
    const answer = await res;
    assert.equal(answer.status, 200, await answer.clone().text());
    return (await answer.json()) as T;
  };
  const listed = async (entityId: string) =>
    (await ok<Listing>(call(`/api/admin/entities?search=${entityId}`))).entities.find(
      (e) => e.entityId === entityId
    );
  /** HA's own exposure setting for Assist, read as an admin would. */
  const haSays = async (entityId: string) => {
    const list = await command<{ exposed_entities: Record<string, Record<string, boolean>> }>(admin, {
      type: 'homeassistant/expose_entity/list',
    });
    return list.exposed_entities[entityId]?.conversation === true;
  };
  const changes = (notify: () => void) => home.onChange(notify);

  before(async () => {
    ha = await testHa();
    admin = await connectWs(ha.url, ha.adminToken);
    const users = await command<{ id: string; is_owner: boolean }[]>(admin, { type: 'config/auth/list' });
    ownerId = users.find((u) => u.is_owner)!.id;

    live = await liveHome(ha);
    home = live.home;

    dataDir = mkdtempSync(join(tmpdir(), 'ha-mcp-admin-'));
    options = parseOptions({}, 'test');
    store = openStore({ dataDir, options, log: quiet });
    // Both LLM APIs, as main.ts registers them (the options select both by default).
    sessions = userSessions({ coreUrl: ha.url });
    registry = new ApiRegistry(() => options, quiet)
      .register(createAssistApi({ home, calls: haCalls(ha.url), prefixed: namingFor(home, () => options) }))
      .register(createHomeAssistantApi({ home, sessions, coreUrl: async () => ha.url }));
    app = createAdminApp({
      home,
      api: {
        mode: 'standalone',
        haCommand: linkSend(() => live.link),
        store,
        registry,
        options: fileOptionsStore({
          dataDir,
          log: quiet,
          current: () => options,
          // What main.ts's callback does with the settings object, here with a local one.
          apply: (next) => {
            options = next;
            store.applyOptions(next);
            applied.push(next);
          },
        }),
        mcp: { port: 9123, host: '127.0.0.1' },
        log: quiet,
      },
    });
  });
  after(async () => {
    sessions?.close();
    live?.close();
    admin?.close();
    await store?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  for (const entityId of ['light.kitchen_lights', 'lock.front_door']) {
    it(`toggles exposure of ${entityId} in HA, and the listing agrees at once and after the model catches up`, async () => {
      const before = (await listed(entityId))!;
      assert.equal(before.exposed, await haSays(entityId));
      const flip = async (exposed: boolean) => {
        const answer = await ok<ExposeAnswer>(
          call('/api/admin/entities/expose', { json: { entityIds: [entityId], shouldExpose: exposed } })
        );
        assert.deepEqual(answer.entities, [{ entityId, exposed }]);
        assert.equal(await haSays(entityId), exposed, 'HA’s own setting');
        assert.equal((await listed(entityId))!.exposed, exposed, 'the next listing');
        await waitFor(changes, () => home.get(entityId)?.exposed === exposed, 5_000, 'the model follows');
        assert.equal((await listed(entityId))!.exposed, exposed, 'the listing, from the model');
      };
      try {
        await flip(!before.exposed);
      } finally {
        await flip(before.exposed);
      }
    });
  }

  it('reads and sets "expose new entities" as HA keeps it, and restores it', async () => {
    const haValue = async () =>
      (
        await command<{ expose_new: boolean }>(admin, {
          type: 'homeassistant/expose_new_entities/get',
          assistant: 'conversation',
        })
      ).expose_new;
    const original = (await ok<ExposeNew>(call('/api/admin/expose-new'))).exposeNew;
    assert.equal(original, await haValue());
    try {
      const set = await ok<ExposeNew>(
        call('/api/admin/expose-new', { method: 'PUT', json: { exposeNew: !original } })
      );
      assert.equal(set.exposeNew, !original);
      assert.equal(await haValue(), !original);
      assert.equal((await ok<ExposeNew>(call('/api/admin/expose-new'))).exposeNew, !original);
    } finally {
      await command(admin, {
        type: 'homeassistant/expose_new_entities/set',
        assistant: 'conversation',
        expose_new: original,
      });
    }
    assert.equal(await haValue(), original);
  });

  it('asks HA who is an administrator: the owner may change things, a plain user may only look', async () => {
    const look = async (userId: string) =>
      (await ok<{ user: { id: string; isAdmin: boolean } }>(call('/api/admin/overview', { userId }))).user;
    assert.deepEqual(await look(ownerId), { id: ownerId, name: null, displayName: null, isAdmin: true });
    assert.equal((await look(ha.userId)).isAdmin, false);
    const refused = await call('/api/admin/expose-new', {
      method: 'PUT',
      json: { exposeNew: false },
      userId: ha.userId,
    });
    assert.equal(refused.status, 403);
    assert.equal(
      (await ok<Listing>(call('/api/admin/entities', { userId: ha.userId }))).counts.total > 0,
      true
    );
  });

  it('saves settings to options.json and applies them: MCP clients are offered read-only tools at once', async () => {
    const toolsNow = () => registry.instanceFor(PANEL_PRINCIPAL).tools.map((t) => t.name);
    assert.ok(toolsNow().some((name) => name.endsWith('HassTurnOn')));
    const saved = await ok<{ options: Options }>(
      call('/api/admin/settings', {
        method: 'PUT',
        json: { control_home_assistant: false, log_level: 'debug', log_retention_days: 14 },
      })
    );
    const file = join(dataDir, OPTIONS_FILE);
    assert.deepEqual(parseOptions(JSON.parse(readFileSync(file, 'utf8')), file), saved.options);
    assert.deepEqual(applied.at(-1), saved.options);
    assert.equal(saved.options.control_home_assistant, false);

    const overview = await ok<{ tools: string[] }>(call('/api/admin/overview'));
    assert.deepEqual(overview.tools, toolsNow());
    assert.ok(!overview.tools.some((name) => name.endsWith('HassTurnOn')), overview.tools.join(', '));
    assert.ok(overview.tools.some((name) => name.endsWith('GetLiveContext')));

    await ok(call('/api/admin/settings', { method: 'PUT', json: { control_home_assistant: true } }));
    const restored = await ok<{ tools: string[] }>(call('/api/admin/overview'));
    assert.ok(restored.tools.some((name) => name.endsWith('HassTurnOn')));
  });

  it('gives an overview that agrees with the Home model', async () => {
    type Overview = {
      home: { status: string; haVersion: string; locationName: string };
      entities: { total: number; exposed: number };
      tools: string[];
      mcp: { urls: { kind: string; url: string }[] };
    };
    // The model may move (an exposure poll) between the answer and the comparison: compare a still pair.
    let body: Overview;
    let revision: number;
    do {
      revision = home.revision;
      body = await ok<Overview>(call('/api/admin/overview'));
    } while (revision !== home.revision);
    assert.deepEqual(body.home, { status: 'ready', haVersion: home.haVersion, locationName: 'Demo Home' });
    assert.deepEqual(body.entities, { total: home.states.size, exposed: home.exposedEntities().length });
    assert.deepEqual(
      body.tools,
      registry.instanceFor(PANEL_PRINCIPAL).tools.map((t) => t.name)
    );
    assert.deepEqual(body.mcp.urls, [{ kind: 'local', url: 'http://127.0.0.1:9123/api/mcp' }]);

    const listing = await ok<Listing>(call('/api/admin/entities'));
    assert.equal(listing.counts.total, home.states.size);
  });

  it('passes HA’s refusal of a command on in HA’s words', async () => {
    await assert.rejects(linkSend(() => live.link)({ type: 'ha_mcp/no_such_command' }), (err: unknown) => {
      assert.ok(err instanceof HaRefusedError);
      assert.equal(err.refusal.code, 'unknown_command');
      return true;
    });
  });
});
