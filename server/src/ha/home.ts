/**
 * The Home: a live, in-memory model of Home Assistant (states, areas, floors, devices, entity registry,
 * exposure), kept current by sync.ts. Tools read it and never ask HA to read state.
 *
 * It is a plain container: sync.ts feeds it; readers get resolved entities. While the link is down the model
 * is `stale` and `require()` throws HaAwayError, so callers answer clearly instead of with old data.
 */
import { HaAwayError } from './errors.js';
import { applyEntitiesMessage, type EntitiesMessage } from './entity-messages.js';
import { resolveEntity, type ModelMaps } from './resolve.js';
import type {
  Area,
  CoreConfig,
  Device,
  EntityState,
  Floor,
  RegistryEntry,
  ResolvedEntity,
  ScriptService,
  Snapshot,
} from './types.js';

export type HomeStatus = 'connecting' | 'ready' | 'stale';

export class Home implements ModelMaps {
  status: HomeStatus = 'connecting';
  haVersion = '';
  config: CoreConfig | undefined;
  states = new Map<string, EntityState>();
  areas = new Map<string, Area>();
  floors = new Map<string, Floor>();
  devices = new Map<string, Device>();
  registry = new Map<string, RegistryEntry>();
  exposed = new Set<string>();
  exposeNew = true;
  scripts = new Map<string, ScriptService>();
  /** Bumped on every change; lets readers cache what they derive. */
  revision = 0;
  /** When the last complete sync finished (ms since epoch). */
  syncedAt = 0;
  private listeners = new Set<(changed: readonly string[] | 'all') => void>();

  /** The model, if it is complete and live; otherwise a clear error. */
  require(): this {
    if (this.status !== 'ready') throw new HaAwayError();
    return this;
  }

  get(entityId: string): ResolvedEntity | undefined {
    return resolveEntity(this, entityId);
  }

  private resolved: { revision: number; all: ResolvedEntity[]; exposed: ResolvedEntity[] } | undefined;

  /** Every entity that has a state, resolved, in no particular order (computed once per revision). */
  all(): ResolvedEntity[] {
    return this.resolvedNow().all;
  }

  exposedEntities(): ResolvedEntity[] {
    return this.resolvedNow().exposed;
  }

  private resolvedNow() {
    if (this.resolved?.revision !== this.revision) {
      const all: ResolvedEntity[] = [];
      for (const entityId of this.states.keys()) {
        const entity = resolveEntity(this, entityId);
        if (entity) all.push(entity);
      }
      this.resolved = { revision: this.revision, all, exposed: all.filter((e) => e.exposed) };
    }
    return this.resolved;
  }

  onChange(listener: (changed: readonly string[] | 'all') => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(what: readonly string[] | 'all'): void {
    this.revision++;
    for (const listener of this.listeners) listener(what);
  }

  /** Replaces everything but states with a fresh snapshot (states come from subscribe_entities). */
  applySnapshot(snapshot: Snapshot): void {
    this.config = snapshot.config;
    this.areas = new Map(snapshot.areas.map((a) => [a.area_id, a]));
    this.floors = new Map(snapshot.floors.map((f) => [f.floor_id, f]));
    this.devices = new Map(snapshot.devices.map((d) => [d.id, d]));
    this.registry = new Map(snapshot.registry.map((e) => [e.entity_id, e]));
    this.exposed = new Set(snapshot.exposed);
    this.exposeNew = snapshot.exposeNew;
    this.scripts = new Map(Object.entries(snapshot.scripts));
    this.changed('all');
  }

  setScripts(scripts: Record<string, ScriptService>): void {
    this.scripts = new Map(Object.entries(scripts));
    this.changed('all');
  }

  /** The first message after (re)subscribing holds every entity: it replaces the map, so entities removed
   * while disconnected are gone. */
  replaceStates(message: EntitiesMessage): void {
    const states = new Map<string, EntityState>();
    applyEntitiesMessage(states, message);
    this.states = states;
    this.changed('all');
  }

  applyStates(message: EntitiesMessage): void {
    const touched = applyEntitiesMessage(this.states, message);
    if (touched.length) this.changed(touched);
  }

  setAreas(areas: Area[]): void {
    this.areas = new Map(areas.map((a) => [a.area_id, a]));
    this.changed('all');
  }

  setFloors(floors: Floor[]): void {
    this.floors = new Map(floors.map((f) => [f.floor_id, f]));
    this.changed('all');
  }

  setDevices(devices: Device[]): void {
    this.devices = new Map(devices.map((d) => [d.id, d]));
    this.changed('all');
  }

  /** Registry entries by id; `null` means the entry is gone. */
  setRegistryEntries(entries: Record<string, RegistryEntry | null>): void {
    const ids = Object.keys(entries);
    for (const [entityId, entry] of Object.entries(entries)) {
      if (entry) this.registry.set(entityId, entry);
      else this.registry.delete(entityId);
    }
    if (ids.length) this.changed(ids);
  }

  setExposure(exposed: string[], exposeNew: boolean): void {
    const next = new Set(exposed);
    const same =
      exposeNew === this.exposeNew &&
      next.size === this.exposed.size &&
      [...next].every((id) => this.exposed.has(id));
    if (same) return;
    this.exposed = next;
    this.exposeNew = exposeNew;
    this.changed('all');
  }

  setConfig(config: CoreConfig): void {
    this.config = config;
    this.changed('all');
  }

  markStale(): void {
    if (this.status === 'stale') return;
    this.status = 'stale';
    this.changed('all');
  }

  markReady(): void {
    this.status = 'ready';
    this.syncedAt = Date.now();
    this.changed('all');
  }
}
