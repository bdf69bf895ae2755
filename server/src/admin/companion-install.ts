/**
 * Installing the companion integration in one click: the add-on copies its own copy into HA's config
 * folder (companion-files.ts), asks Core to restart so it loads it, and runs its config flow with the
 * add-on's internal URL, as the owner would on the Integrations page.
 *
 * Over the add-on's link to HA: `manifest/get` (what Core has loaded: it knows a custom integration only
 * after a restart), `config_entries/get` (the entry and its state), `homeassistant.restart`. Over REST, as
 * the add-on: the config flow (`/api/config/config_entries/flow`) and deleting the entry (REST only).
 *
 * That an install was asked for is kept in the data folder: Core restarts in between, and the owner may
 * close the panel meanwhile; the add-on sets the integration up when Core is back, checking every few
 * seconds while an install waits.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getConfig, type Send } from '../ha/commands.js';
import { HaAwayError, HaError, HaRefusedError } from '../ha/errors.js';
import {
  abortConfigFlow,
  answerConfigFlow,
  configEntriesOfMessage,
  deleteConfigEntry,
  manifestMessage,
  restartCoreMessage,
  startConfigFlow,
  type ConfigEntry,
  type HaRest,
} from '../ha/integration-commands.js';
import { supervisorApi, type SupervisorOptions } from '../ha/supervisor.js';
import type { Logger } from '../log.js';
import type { ServerConfig } from '../server-config.js';
import { COMPANION_DOMAIN, companionState, flowFailure, type CompanionFacts } from './companion.js';
import {
  bundledCompanionDir,
  configFolderBlock,
  configFolderProblem,
  installCompanionFiles,
  installedDir,
  manifestVersion,
  removeCompanionFiles,
} from './companion-files.js';
import type { CompanionStatus } from './contract.js';
import { ApiError } from './errors.js';

/** What main.ts knows of the companion's world (`companionSource`). */
export interface CompanionSource {
  /** HA's config folder as the add-on sees it; undefined when it has none. */
  configDir?: string;
  dataDir: string;
  /** Home Assistant's REST API as the add-on, with its own token. */
  haUrl: string;
  haToken: string;
  /** The URL Core reaches the add-on's MCP listener at; undefined when unknown. */
  addonUrl: () => Promise<string | undefined>;
  /** The add-on's copy of the integration (default: bundledCompanionDir()). */
  bundledDir?: string;
}

export interface CompanionDeps extends CompanionSource {
  send: Send;
  log: Logger;
  signal?: AbortSignal;
  /** How often a waiting install checks whether Core is back with the integration. */
  retryMs?: number;
}

/** The companion's part of the server's configuration: add-on, `http://<hostname>:<port>` from the Supervisor. */
export function companionSource(
  config: ServerConfig,
  supervisorOptions: SupervisorOptions = {}
): CompanionSource {
  const fixed = config.companionAddonUrl;
  const supervisor =
    config.mode === 'addon'
      ? supervisorApi(config.haToken, { timeoutMs: 5_000, ...supervisorOptions })
      : undefined;
  return {
    ...(config.haConfigDir !== undefined && { configDir: config.haConfigDir }),
    dataDir: config.dataDir,
    haUrl: config.haUrl,
    haToken: config.haToken,
    addonUrl: async () => {
      if (fixed) return fixed;
      const info = await supervisor?.get<{ hostname?: string }>('/addons/self/info').catch(() => undefined);
      return info?.hostname ? `http://${info.hostname}:${config.mcp.port}` : undefined;
    },
  };
}

/** What is kept in the data folder between restarts. */
interface Remembered {
  /** An install was asked for and the integration is not set up yet. */
  setupPending: boolean;
  /** The add-on URL the add-on set the entry up with. */
  addonUrl: string | null;
}

export class Companion {
  private readonly bundledDir: string | undefined;
  private readonly file: string;
  private failure: string | null = null;
  private settingUp: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: CompanionDeps) {
    this.bundledDir = deps.bundledDir ?? bundledCompanionDir();
    this.file = join(deps.dataDir, 'companion.json');
    deps.signal?.addEventListener('abort', () => clearTimeout(this.timer));
    if (this.remembered().setupPending) this.watch();
  }

  async status(): Promise<CompanionStatus> {
    const remembered = this.remembered();
    const blocked = configFolderProblem(this.deps.configDir);
    // A Core still starting may not take a restart ("may fail", core.py): it counts as away until it runs.
    const running = await getConfig(this.deps.send).then(
      (config) => config.state === 'RUNNING',
      (err: unknown) => {
        if (err instanceof HaError) return false;
        throw err;
      }
    );
    const [loaded, entry] = running
      ? await Promise.all([this.loadedVersion(), this.entry()])
      : [undefined, undefined];
    const facts: CompanionFacts = {
      bundled: manifestVersion(this.bundledDir),
      files:
        this.deps.configDir !== undefined && blocked === null
          ? manifestVersion(installedDir(this.deps.configDir))
          : undefined,
      loaded,
      entry,
      failure: this.failure,
    };
    const derived = companionState(facts);
    return {
      ...derived,
      canInstall: blocked === null && this.bundledDir !== undefined,
      installBlocked: blocked,
      installBlock: configFolderBlock(this.deps.configDir),
      bundledVersion: facts.bundled,
      filesVersion: facts.files ?? null,
      loadedVersion: loaded ?? null,
      entry: entry ?? null,
      haAway: loaded === undefined || entry === undefined,
      setupPending: remembered.setupPending,
      addonUrl: remembered.addonUrl,
    };
  }

  /** Copies the add-on's files into HA's config folder; sets the integration up at once if Core has them. */
  async install(): Promise<CompanionStatus> {
    const blocked = configFolderProblem(this.deps.configDir);
    if (blocked !== null) throw new ApiError(409, blocked);
    if (this.bundledDir === undefined) {
      throw new ApiError(500, "the add-on's image carries no copy of the integration");
    }
    try {
      installCompanionFiles(this.bundledDir, this.deps.configDir!);
    } catch (err) {
      throw new ApiError(500, `cannot copy the integration: ${(err as Error).message}`);
    }
    this.deps.log.info('companion integration copied into the config folder', {
      version: manifestVersion(this.bundledDir),
    });
    this.failure = null;
    this.remember({ setupPending: true });
    await this.setUpIfDue();
    this.watch();
    return this.status();
  }

  /** Runs the config flow now (the panel's retry), if Core has loaded the integration and has no entry. */
  async setUp(): Promise<CompanionStatus> {
    this.failure = null;
    this.remember({ setupPending: true });
    await this.setUpIfDue();
    return this.status();
  }

  /** Asks Core to restart; the link reconnects by itself. */
  async restart(): Promise<void> {
    try {
      await this.deps.send(restartCoreMessage());
    } catch (err) {
      // Core may go before it answers.
      if (!(err instanceof HaAwayError)) throw err;
    }
    this.deps.log.info('asked Home Assistant to restart, for the companion integration');
    this.watch();
  }

  /** Deletes the config entry, then the files; Core unloads the code only when it restarts. */
  async remove(): Promise<CompanionStatus> {
    const entry = await this.entry();
    if (entry === undefined) throw new HaAwayError();
    if (entry !== null) {
      await deleteConfigEntry(this.ha, entry.entryId);
    }
    const blocked = configFolderProblem(this.deps.configDir);
    if (blocked === null) removeCompanionFiles(this.deps.configDir!);
    this.failure = null;
    this.remember({ setupPending: false, addonUrl: null });
    this.deps.log.info('companion integration removed');
    return this.status();
  }

  /** Sets the integration up when an install waits and Core has loaded the add-on's version, once at a time. */
  private setUpIfDue(): Promise<void> {
    this.settingUp ??= this.runSetup().finally(() => (this.settingUp = undefined));
    return this.settingUp;
  }

  private async runSetup(): Promise<void> {
    if (!this.remembered().setupPending) return;
    const status = await this.status();
    if (status.entry !== null) {
      this.remember({ setupPending: false });
      return;
    }
    if (status.state !== 'set_up_needed') return;
    const addonUrl = await this.deps.addonUrl();
    if (addonUrl === undefined) {
      this.fail(
        "the add-on's own address is unknown: the Supervisor did not give its hostname (COMPANION_ADDON_URL sets it)"
      );
      return;
    }
    try {
      const started = await startConfigFlow(this.ha, COMPANION_DOMAIN);
      const ended = await answerConfigFlow(this.ha, started.flow_id, { url: addonUrl });
      if (ended.type === 'create_entry') {
        this.deps.log.info('companion integration set up', { url: addonUrl });
        this.remember({ setupPending: false, addonUrl });
        return;
      }
      if (ended.type === 'form') {
        // Leave no flow behind: it would stay in HA's list of discovered integrations.
        await abortConfigFlow(this.ha, ended.flow_id).catch(() => undefined);
      }
      this.fail(flowFailure(addonUrl, ended));
    } catch (err) {
      if (err instanceof HaAwayError) return; // Core is still on its way back: the next check tries again.
      if (!(err instanceof HaError)) throw err;
      this.fail(`setting the integration up failed: ${err.message}`);
    }
  }

  private fail(why: string): void {
    this.failure = why;
    this.remember({ setupPending: false });
    this.deps.log.warning(`companion integration not set up: ${why}`);
  }

  /** Checks every few seconds while an install waits for Core. */
  private watch(): void {
    if (this.timer !== undefined || this.deps.signal?.aborted) return;
    const tick = () => {
      this.timer = undefined;
      if (!this.remembered().setupPending || this.deps.signal?.aborted) return;
      void this.setUpIfDue()
        .catch((err: Error) => this.deps.log.debug(`companion setup check failed: ${err.message}`))
        .finally(() => {
          if (this.timer === undefined && !this.deps.signal?.aborted) {
            this.timer = setTimeout(tick, this.deps.retryMs ?? 3_000).unref();
          }
        });
    };
    this.timer = setTimeout(tick, this.deps.retryMs ?? 3_000).unref();
  }

  /** The version Core has loaded: null when it does not know the integration; undefined when HA is away. */
  private async loadedVersion(): Promise<string | null | undefined> {
    try {
      const manifest = await this.deps.send<{ version?: string }>(manifestMessage(COMPANION_DOMAIN));
      return manifest?.version ?? null;
    } catch (err) {
      if (err instanceof HaRefusedError && err.refusal.code === 'not_found') return null;
      if (err instanceof HaError) return undefined;
      throw err;
    }
  }

  /** Whether Core passes MCP on through the companion now: its entry is loaded. */
  async isLoaded(): Promise<boolean> {
    return (await this.entry())?.state === 'loaded';
  }

  private async entry(): Promise<CompanionStatus['entry'] | undefined> {
    try {
      const entries = await this.deps.send<ConfigEntry[]>(configEntriesOfMessage(COMPANION_DOMAIN));
      const entry = entries.find((e) => e.domain === COMPANION_DOMAIN && e.source !== 'ignore');
      return entry ? { entryId: entry.entry_id, state: entry.state } : null;
    } catch (err) {
      if (err instanceof HaError) return undefined;
      throw err;
    }
  }

  /** HA's REST API as the add-on. */
  private get ha(): HaRest {
    return { url: this.deps.haUrl, token: this.deps.haToken };
  }

  private remembered(): Remembered {
    try {
      const saved = JSON.parse(readFileSync(this.file, 'utf8')) as Partial<Remembered>;
      return { setupPending: saved.setupPending === true, addonUrl: saved.addonUrl ?? null };
    } catch {
      return { setupPending: false, addonUrl: null };
    }
  }

  private remember(change: Partial<Remembered>): void {
    const next = { ...this.remembered(), ...change };
    if (!next.setupPending && next.addonUrl === null) {
      rmSync(this.file, { force: true });
      return;
    }
    writeFileSync(this.file, JSON.stringify(next));
  }
}
