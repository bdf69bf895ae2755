/**
 * The companion's admin routes (server/src/admin/companion-routes.ts) when something is in the way, in
 * words: HA's config folder not mapped, Home Assistant away, a body that is not JSON. (Installing against
 * a real Home Assistant, restart included: tests/companion/install.test.ts.)
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Hono } from 'hono';
import { Companion } from '../../server/src/admin/companion-install.js';
import { companionRoutes } from '../../server/src/admin/companion-routes.js';
import type { CompanionStatus } from '../../server/src/admin/contract.js';
import type { AdminEnv } from '../../server/src/admin/env.js';
import { mapErrors } from '../../server/src/admin/errors.js';
import type { Send } from '../../server/src/ha/commands.js';
import { HaAwayError } from '../../server/src/ha/errors.js';
import { quiet } from '../support/admin-fixture.js';

const dataDir = mkdtempSync(join(tmpdir(), 'companion-routes-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

const away: Send = async () => {
  throw new HaAwayError();
};

function routes(configDir: string | undefined, send: Send = away) {
  const companion = new Companion({
    ...(configDir !== undefined && { configDir }),
    dataDir,
    haUrl: 'http://127.0.0.1:9',
    haToken: 'unused',
    addonUrl: async () => undefined,
    send,
    log: quiet,
  });
  const app = new Hono<AdminEnv>();
  app.onError(mapErrors(quiet));
  app.route('/', companionRoutes(companion));
  return app;
}

const post = (app: Hono<AdminEnv>, path: string, body = '{}', type = 'application/json') =>
  app.request(path, { method: 'POST', headers: { 'content-type': type }, body });

describe('companion routes', () => {
  it('refuses to install without HA’s config folder, saying so', async () => {
    const res = await post(routes(join(dataDir, 'not-mapped')), '/companion/install');
    assert.equal(res.status, 409);
    assert.match(((await res.json()) as { error: string }).error, /config folder is not mapped/);
  });

  it('says Home Assistant is away instead of guessing the state', async () => {
    const res = await routes(dataDir).request('/companion');
    assert.equal(res.status, 200);
    const status = (await res.json()) as CompanionStatus;
    assert.equal(status.state, 'error');
    assert.equal(status.haAway, true);
    assert.match(status.error!, /restarting, or not answering/);
    assert.equal(status.canInstall, true);
  });

  it('takes only an empty JSON body', async () => {
    assert.equal((await post(routes(dataDir), '/companion/remove', '', 'text/plain')).status, 415);
    assert.equal((await post(routes(dataDir), '/companion/setup', '{"url":"http://x"}')).status, 400);
  });

  it('asks Core to restart, and takes its going away before answering as done', async () => {
    const sent: unknown[] = [];
    const app = routes(dataDir, async (message) => {
      sent.push(message);
      throw new HaAwayError();
    });
    const res = await post(app, '/companion/restart');
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { restarting: true });
    assert.deepEqual(sent, [{ type: 'call_service', domain: 'homeassistant', service: 'restart' }]);
  });

  it('picks up an install that waits for Core again after the add-on restarts', async () => {
    const dir = mkdtempSync(join(dataDir, 'restarted-'));
    writeFileSync(join(dir, 'companion.json'), JSON.stringify({ setupPending: true, addonUrl: null }));
    const stop = new AbortController();
    const asked: string[] = [];
    new Companion({
      configDir: dir,
      dataDir: dir,
      haUrl: 'http://127.0.0.1:9',
      haToken: 'unused',
      addonUrl: async () => undefined,
      send: async (message) => {
        asked.push(message.type);
        throw new HaAwayError();
      },
      log: quiet,
      signal: stop.signal,
      retryMs: 10,
    });
    // No request came: the add-on checks by itself whether Core is back, until it is told to stop.
    await new Promise((resolve) => setTimeout(resolve, 100));
    stop.abort();
    assert.ok(asked.filter((type) => type === 'get_config').length >= 2, asked.join(', '));
    const seen = asked.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(asked.length, seen);
  });
});
