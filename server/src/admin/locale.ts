/**
 * The viewer's language, for the panel to speak it:
 *
 *   GET /locale → LocaleAnswer
 *
 * Whose profile: in an add-on, the user the Supervisor's ingress names (read from HA's storage in the
 * config folder the add-on maps, ha/user-locale.ts `storedUserLocale`); standalone, the user whose token
 * the server runs with (`frontend/get_user_data` over its own link). Nothing here fails the panel: when HA
 * is away or the profile cannot be read, the answer is null and the panel follows the browser.
 */
import { Hono } from 'hono';
import type { Send } from '../ha/commands.js';
import { HaError } from '../ha/errors.js';
import { ownUserLocale, storedUserLocale, type UserLocale } from '../ha/user-locale.js';
import type { LocaleAnswer, Mode } from './contract.js';
import type { AdminEnv, Viewer } from './env.js';

export interface LocaleDeps {
  mode: Mode;
  haCommand: Send;
  /** HA's config folder as the add-on sees it; undefined when it has none. */
  haConfigDir?: string;
}

async function profileOf(deps: LocaleDeps, viewer: Viewer): Promise<UserLocale | null> {
  if (deps.mode === 'standalone') {
    try {
      return await ownUserLocale(deps.haCommand);
    } catch (err) {
      if (err instanceof HaError) return null;
      throw err;
    }
  }
  if (viewer.id === null || deps.haConfigDir === undefined) return null;
  return storedUserLocale(deps.haConfigDir, viewer.id);
}

export function localeRoutes(deps: LocaleDeps) {
  return new Hono<AdminEnv>().get('/locale', async (c) =>
    c.json({ profile: await profileOf(deps, c.var.viewer) } satisfies LocaleAnswer)
  );
}
