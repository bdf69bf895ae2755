/**
 * The companion integration, as the panel's Connect page installs it (companion-install.ts):
 *
 *   GET  /companion           → CompanionStatus
 *   POST /companion/install   → CompanionStatus   copies the add-on's files (also to update), then sets up
 *                                                  at once if Core has them loaded, else `restart_needed`
 *   POST /companion/restart   → { restarting: true }   Core restarts; the add-on sets up when it is back
 *   POST /companion/setup     → CompanionStatus   runs the config flow again (after an error)
 *   POST /companion/remove    → CompanionStatus   deletes the entry and the files; Core unloads the code
 *                                                  when it restarts
 *
 * Every POST is a change: administrators only (access.ts `adminForChanges`), with an empty JSON body `{}`
 * (body.ts: a page elsewhere cannot send JSON without a preflight).
 */
import { Hono, type Context } from 'hono';
import * as z from 'zod';
import { readJson } from './body.js';
import type { Companion } from './companion-install.js';
import type { CompanionRestartAnswer, CompanionStatus } from './contract.js';
import type { AdminEnv } from './env.js';

const EMPTY = z.object({}).strict();

export function companionRoutes(companion: Companion): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const change = (act: () => Promise<CompanionStatus>) => async (c: Context<AdminEnv>) => {
    await readJson(c, EMPTY);
    return c.json(await act());
  };
  app.get('/companion', async (c) => c.json(await companion.status()));
  app.post(
    '/companion/install',
    change(() => companion.install())
  );
  app.post(
    '/companion/setup',
    change(() => companion.setUp())
  );
  app.post(
    '/companion/remove',
    change(() => companion.remove())
  );
  app.post('/companion/restart', async (c) => {
    await readJson(c, EMPTY);
    await companion.restart();
    return c.json({ restarting: true } satisfies CompanionRestartAnswer);
  });
  return app;
}
