/**
 * Keeps the Home in step with Home Assistant over the link. Every command goes through commands.ts, within
 * command.ts's time limit:
 * - after every (re)connect, a full snapshot (config, areas, floors, devices, entity registry, exposure) and
 *   a fresh `subscribe_entities`, whose first message replaces all states;
 * - registry and core-config events (`*_registry_updated`, `core_config_updated`) refetch what changed;
 * - exposure has no event for entities without a registry entry, nor for the expose-new setting, so those
 *   are polled (every `exposurePollMs`, 3 s by default); and while HA is starting, its `get_config` state is
 *   polled until RUNNING. Nothing else is polled.
 */
import type { Connection } from 'home-assistant-js-websocket';
import type { Logger } from '../log.js';
import { linkSend } from './command.js';
import * as commands from './commands.js';
import type { Send } from './commands.js';
import type { EntitiesMessage } from './entity-messages.js';
import { ASSISTANT, exposedByDefault } from './exposure.js';
import type { Home } from './home.js';
import * as messages from './messages.js';
import type { RegistryEntry, ScriptService, Snapshot } from './types.js';

export interface SyncOptions {
  exposurePollMs?: number;
  /** Asks HA to decide exposure for entities it has not looked at yet (see nudgeExposureDefaults). */
  nudgeExposure?: () => Promise<void>;
}

const REGISTRY_EVENTS = [
  'area_registry_updated',
  'floor_registry_updated',
  'device_registry_updated',
  'entity_registry_updated',
  'core_config_updated',
  // An integration set up after start (a new config entry, a reload) changes get_config's components.
  'component_loaded',
  'service_registered',
  'service_removed',
] as const;

async function loadScripts(send: Send): Promise<Record<string, ScriptService>> {
  const services = await commands.getServices(send);
  const scripts: Record<string, ScriptService> = {};
  for (const [id, service] of Object.entries(services.script ?? {})) {
    // reload, turn_on, turn_off and toggle act on scripts; every other action is a script itself.
    if (!['reload', 'turn_on', 'turn_off', 'toggle'].includes(id))
      scripts[id] = { ...service, fields: service.fields ?? {} };
  }
  return scripts;
}

async function loadExposure(send: Send): Promise<{ exposed: string[]; exposeNew: boolean }> {
  const [list, expose] = await Promise.all([commands.listExposedEntities(send), commands.getExposeNew(send)]);
  const exposed = Object.entries(list.exposed_entities)
    .filter(([, assistants]) => assistants[ASSISTANT] === true)
    .map(([entityId]) => entityId);
  return { exposed, exposeNew: expose.expose_new === true };
}

async function loadRegistry(send: Send, entityIds?: string[]): Promise<Record<string, RegistryEntry | null>> {
  const ids = entityIds ?? (await commands.listEntityRegistry(send)).map((e) => e.entity_id);
  if (ids.length === 0) return {};
  return commands.getEntityRegistryEntries(send, ids);
}

export async function loadSnapshot(send: Send): Promise<Snapshot> {
  const [config, areas, floors, devices, registry, exposure, scripts] = await Promise.all([
    commands.getConfig(send),
    commands.listAreas(send),
    commands.listFloors(send),
    commands.listDevices(send),
    loadRegistry(send),
    loadExposure(send),
    loadScripts(send),
  ]);
  return {
    config,
    areas,
    floors,
    devices,
    registry: Object.values(registry).filter((e): e is RegistryEntry => e !== null),
    ...exposure,
    scripts,
  };
}

/** Runs `work` at most once at a time; calls that arrive meanwhile run it once more afterwards. */
function coalesce(work: () => Promise<void>, onError: (err: unknown) => void): () => void {
  let running = false;
  let again = false;
  const run = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        await work();
      } while (again);
    } catch (err) {
      onError(err);
    } finally {
      running = false;
    }
  };
  return () => void run();
}

export class HomeSync {
  private unsubscribeStates: (() => Promise<void>) | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private pendingEntities = new Set<string>();
  private stopped = false;
  private lastNudge = 0;
  /** Entities HA has already been asked to decide on: each is asked about once. */
  private nudged = new Set<string>();
  /** Commands on the link, each within the same time limit as every other command (command.ts). */
  private readonly send: Send;

  constructor(
    private readonly conn: Connection,
    private readonly home: Home,
    private readonly log: Logger,
    private readonly options: SyncOptions = {}
  ) {
    this.send = linkSend(() => this.conn);
  }

  /** First full sync, then live updates; resolves once the model is complete. */
  async start(): Promise<void> {
    this.conn.addEventListener('disconnected', () => {
      if (this.stopped) return;
      this.log.warning('lost the connection to Home Assistant; reconnecting');
      this.home.markStale();
    });
    this.conn.addEventListener('ready', () => {
      if (this.stopped) return;
      void this.resync('reconnected');
    });
    await this.subscribeEvents();
    await this.fullSync();
    this.pollTimer = setInterval(() => this.pollExposure(), this.options.exposurePollMs ?? 3_000);
    this.pollTimer.unref();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.pollTimer);
    void this.unsubscribeStates?.().catch(() => {});
  }

  private async resync(why: string): Promise<void> {
    const started = Date.now();
    try {
      await this.fullSync();
      this.log.info(`${why}: Home Assistant model complete again`, { ms: Date.now() - started });
    } catch (err) {
      // The link drops again or HA is still starting: the next 'ready' tries again.
      this.log.warning(`${why}: sync with Home Assistant failed: ${(err as Error).message ?? String(err)}`);
    }
  }

  /** HA accepts connections while it is still starting: the model is complete only once HA runs. */
  private async waitUntilRunning(): Promise<void> {
    while ((await commands.getConfig(this.send)).state !== 'RUNNING') {
      if (this.stopped) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  private async fullSync(): Promise<void> {
    await this.waitUntilRunning();
    const snapshot = await loadSnapshot(this.send);
    this.home.haVersion = this.conn.haVersion;
    this.home.applySnapshot(snapshot);
    await this.subscribeStates();
    this.home.markReady();
    this.nudgeIfUndecided();
  }

  /** Subscribes afresh; resolves when the first (complete) message has replaced the states. */
  private async subscribeStates(): Promise<void> {
    const previous = this.unsubscribeStates;
    this.unsubscribeStates = undefined;
    await previous?.().catch(() => {});
    let first = true;
    let resolveFirst!: () => void;
    const firstMessage = new Promise<void>((resolve) => (resolveFirst = resolve));
    this.unsubscribeStates = await this.conn.subscribeMessage<EntitiesMessage>(
      (message) => {
        if (first) {
          first = false;
          this.home.replaceStates(message);
          resolveFirst();
        } else {
          this.home.applyStates(message);
          if (message.a) this.nudgeIfUndecided();
        }
      },
      messages.subscribeEntities(),
      { resubscribe: false }
    );
    await firstMessage;
  }

  private async subscribeEvents(): Promise<void> {
    const onError = (what: string) => (err: unknown) =>
      this.log.warning(`refreshing ${what} failed: ${(err as Error)?.message ?? JSON.stringify(err)}`);
    const refreshScripts = coalesce(
      async () => this.home.setScripts(await loadScripts(this.send)),
      onError('scripts')
    );
    const refreshConfig = coalesce(
      async () => this.home.setConfig(await commands.getConfig(this.send)),
      onError('core config')
    );
    const refresh = {
      area_registry_updated: coalesce(async () => {
        this.home.setAreas(await commands.listAreas(this.send));
      }, onError('areas')),
      floor_registry_updated: coalesce(async () => {
        this.home.setFloors(await commands.listFloors(this.send));
      }, onError('floors')),
      device_registry_updated: coalesce(async () => {
        this.home.setDevices(await commands.listDevices(this.send));
      }, onError('devices')),
      entity_registry_updated: coalesce(async () => {
        const ids = [...this.pendingEntities];
        this.pendingEntities.clear();
        this.home.setRegistryEntries(await loadRegistry(this.send, ids));
      }, onError('entity registry')),
      core_config_updated: refreshConfig,
      component_loaded: refreshConfig,
      service_registered: refreshScripts,
      service_removed: refreshScripts,
    };
    for (const eventType of REGISTRY_EVENTS) {
      await this.conn.subscribeEvents<{
        data: { entity_id?: string; old_entity_id?: string; domain?: string };
      }>((event) => {
        if (
          (eventType === 'service_registered' || eventType === 'service_removed') &&
          event.data.domain !== 'script'
        )
          return;
        if (eventType === 'entity_registry_updated') {
          const { entity_id: entityId, old_entity_id: oldId } = event.data;
          if (oldId) this.home.setRegistryEntries({ [oldId]: null });
          if (entityId) this.pendingEntities.add(entityId);
        }
        refresh[eventType]();
      }, eventType);
    }
  }

  private polling = false;
  private async pollExposure(): Promise<void> {
    if (this.polling || !this.conn.connected || this.home.status !== 'ready') return;
    this.polling = true;
    try {
      const { exposed, exposeNew } = await loadExposure(this.send);
      this.home.setExposure(exposed, exposeNew);
    } catch (err) {
      this.log.debug(`exposure poll failed: ${(err as Error)?.message ?? JSON.stringify(err)}`);
    } finally {
      this.polling = false;
    }
  }

  /**
   * Entities without a registry entry that HA would expose by default but has not decided on yet count as
   * not exposed (exposure.ts). HA decides, and stores, the first time Assist looks at them; this asks it to
   * look (at most every 10 s), and the next exposure poll picks up the result.
   */
  private nudgeIfUndecided(): void {
    const nudge = this.options.nudgeExposure;
    if (!nudge || !this.home.exposeNew || Date.now() - this.lastNudge < 10_000) return;
    const undecided = [...this.home.states.values()].filter(
      (state) =>
        !this.nudged.has(state.entity_id) &&
        !this.home.registry.has(state.entity_id) &&
        !this.home.exposed.has(state.entity_id) &&
        exposedByDefault(state.entity_id, { entry: undefined, state, listed: false, exposeNew: true })
    );
    if (undecided.length === 0) return;
    for (const state of undecided) this.nudged.add(state.entity_id);
    this.lastNudge = Date.now();
    nudge().then(
      () => this.pollExposure(),
      (err) => this.log.debug(`asking HA to decide exposure failed: ${(err as Error).message}`)
    );
  }
}
