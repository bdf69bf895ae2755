/**
 * Options added in a later release get, once, the value an earlier install behaved with, as Home Assistant's
 * own config entry migrations do: an install from before `require_admin` let every HA user use `/api/mcp`,
 * so it keeps doing so (HA's mcp_server migration 1.1 → 1.2 sets it off the same way); a new install starts
 * with HA's default (on). Done steps are kept in the data directory, so an owner's later choice stands.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OptionsStore } from './admin/options-store.js';
import type { Logger } from './log.js';
import type { Options } from './options.js';
import { DATABASE_FILE } from './store/db.js';

export const UPGRADES_FILE = 'options-upgrades.json';

export interface UpgradeDeps {
  dataDir: string;
  /** Whether the data directory held the database before this start (an install from an earlier release). */
  installedBefore: boolean;
  store: OptionsStore;
  current: () => Options;
  /** Used when saving fails: the value holds until the next start, which tries again. */
  apply: (options: Options) => void;
  log: Logger;
}

/** Read before the store opens the database: whether this install existed before this start. */
export const installedBefore = (dataDir: string): boolean => existsSync(join(dataDir, DATABASE_FILE));

function doneSteps(file: string): string[] {
  try {
    const steps = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return Array.isArray(steps) ? steps.filter((s): s is string => typeof s === 'string') : [];
  } catch {
    return [];
  }
}

/** One option added later: what an earlier install keeps (undefined when it already does), and what to say. */
interface Step {
  id: string;
  keep(options: Options): Options | undefined;
  said: string;
}

const STEPS: Step[] = [
  {
    id: 'require_admin',
    keep: (o) => (o.require_admin ? { ...o, require_admin: false } : undefined),
    said: 'require_admin is off: this install is older than the option and let every user use /api/mcp; turn it on in Settings to allow administrators only',
  },
  {
    // Served together with Assist, the Home Assistant API would make /api/mcp administrators-only.
    id: 'llm_apis',
    keep: (o) => {
      if (!o.llm_apis.includes('homeassistant')) return undefined;
      const others = o.llm_apis.filter((id) => id !== 'homeassistant');
      return { ...o, llm_apis: others.length > 0 ? others : ['assist'] };
    },
    said: 'llm_apis is assist alone: this install is older than the Home Assistant API; select it in Settings to offer it to administrators',
  },
];

export async function upgradeOptions(deps: UpgradeDeps): Promise<void> {
  const file = join(deps.dataDir, UPGRADES_FILE);
  const done = doneSteps(file);
  const pending = STEPS.filter((step) => !done.includes(step.id));
  if (pending.length === 0) return;
  if (deps.installedBefore) {
    let kept = deps.current();
    const said: string[] = [];
    for (const step of pending) {
      const next = step.keep(kept);
      if (next) {
        kept = next;
        said.push(step.said);
      }
    }
    if (said.length > 0) {
      try {
        await deps.store.save(kept);
        for (const line of said) deps.log.info(line);
      } catch (err) {
        deps.apply(kept);
        deps.log.warning(
          `could not save the options an older install keeps (${(err as Error).message}); applied until restart`
        );
        return;
      }
    }
  }
  try {
    writeFileSync(file, JSON.stringify([...done, ...pending.map((step) => step.id)]));
  } catch (err) {
    deps.log.warning(`could not note the options upgrade in ${file}: ${(err as Error).message}`);
  }
}
