/**
 * Where the options live, and how a change takes effect:
 * - add-on: the Supervisor keeps them (its Configuration tab, backups and the panel agree), so a save is
 *   `POST http://supervisor/addons/self/options {options}` with the add-on's token. The Supervisor rewrites
 *   `/data/options.json` only at the next start, hence the live apply;
 * - standalone: `DATA_DIR/options.json`, written to a temporary file and renamed over the old one, so a
 *   crash never leaves half a file that would stop the next start.
 * Either way, once saved, `apply` (from main.ts) makes the server use them at once. Saves run one at a time.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { HaAwayError, HaRefusedError } from '../ha/errors.js';
import { supervisorApi } from '../ha/supervisor.js';
import type { Logger } from '../log.js';
import type { Options } from '../options.js';
import { OptionsSaveError } from './errors.js';

export interface OptionsStore {
  /** The options in force. */
  current(): Options;
  /** Saves `options` (already validated) and applies them; resolves with what is in force afterwards. */
  save(options: Options): Promise<Options>;
}

interface StoreBase {
  current: () => Options;
  /** Makes the running server use `options` (main.ts: settings, the store's retention, the log level). */
  apply: (options: Options) => void;
  log: Logger;
}

export interface SupervisorOptionsConfig extends StoreBase {
  /** SUPERVISOR_TOKEN (never logged, never answered). */
  token: string;
  baseUrl?: string;
  timeoutMs?: number;
}

export interface FileOptionsConfig extends StoreBase {
  dataDir: string;
}

export const OPTIONS_FILE = 'options.json';

/** Saves one after the other, applies on success. */
function serialised(base: StoreBase, persist: (options: Options) => Promise<void>): OptionsStore {
  let queue: Promise<unknown> = Promise.resolve();
  return {
    current: base.current,
    save(options) {
      const saved = queue.then(async () => {
        await persist(options);
        base.apply(options);
        base.log.info('options saved and applied');
        return base.current();
      });
      queue = saved.catch(() => {});
      return saved;
    },
  };
}

export function supervisorOptionsStore(config: SupervisorOptionsConfig): OptionsStore {
  const supervisor = supervisorApi(config.token, {
    timeoutMs: config.timeoutMs ?? 15_000,
    ...(config.baseUrl !== undefined && { baseUrl: config.baseUrl }),
  });
  return serialised(config, async (options) => {
    try {
      await supervisor.post('/addons/self/options', { options });
    } catch (err) {
      if (err instanceof HaAwayError)
        throw new OptionsSaveError('the Supervisor cannot be reached to save the options');
      const why =
        err instanceof HaRefusedError ? (err.refusal.reason ?? err.message) : (err as Error).message;
      throw new OptionsSaveError(`the Supervisor did not save the options: ${why}`);
    }
  });
}

export function fileOptionsStore(config: FileOptionsConfig): OptionsStore {
  const file = join(config.dataDir, OPTIONS_FILE);
  return serialised(config, async (options) => {
    const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await mkdir(config.dataDir, { recursive: true });
      const handle = await open(temporary, 'w', 0o600);
      try {
        await handle.writeFile(JSON.stringify(options, null, 2) + '\n');
        // On disk before the rename, so a power cut leaves the old file or the new one, never an empty one.
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, file);
    } catch (err) {
      await rm(temporary, { force: true }).catch(() => {});
      throw new OptionsSaveError(`cannot write ${file}: ${(err as Error).message}`);
    }
  });
}
