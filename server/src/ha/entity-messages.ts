/**
 * Applies `subscribe_entities` messages to a state map: `a` adds (the first message after subscribing
 * holds every entity), `c` changes (`+` sets, `-` removes attributes), `r` removes.
 */
import type { EntityState } from './types.js';

interface CompressedState {
  s: string;
  a?: Record<string, unknown>;
  c?: unknown;
  lc?: number;
  lu?: number;
}

interface CompressedDiff {
  '+'?: Partial<CompressedState>;
  '-'?: { a?: string[] };
}

export interface EntitiesMessage {
  a?: Record<string, CompressedState>;
  c?: Record<string, CompressedDiff>;
  r?: string[];
}

const iso = (epochSeconds: number | undefined): string =>
  epochSeconds === undefined ? new Date(0).toISOString() : new Date(epochSeconds * 1000).toISOString();

function expand(entityId: string, compressed: CompressedState): EntityState {
  const changed = iso(compressed.lc);
  return {
    entity_id: entityId,
    state: compressed.s,
    attributes: compressed.a ?? {},
    last_changed: changed,
    last_updated: compressed.lu === undefined ? changed : iso(compressed.lu),
  };
}

/** Applies one message in place; returns the ids it touched. */
export function applyEntitiesMessage(states: Map<string, EntityState>, message: EntitiesMessage): string[] {
  const touched: string[] = [];
  for (const [entityId, compressed] of Object.entries(message.a ?? {})) {
    states.set(entityId, expand(entityId, compressed));
    touched.push(entityId);
  }
  for (const [entityId, diff] of Object.entries(message.c ?? {})) {
    const current = states.get(entityId);
    if (!current) continue;
    const next: EntityState = { ...current };
    const add = diff['+'];
    if (add) {
      if (add.s !== undefined) next.state = add.s;
      if (add.a) next.attributes = { ...next.attributes, ...add.a };
      if (add.lc !== undefined) next.last_changed = next.last_updated = iso(add.lc);
      if (add.lu !== undefined) next.last_updated = iso(add.lu);
    }
    const removed = diff['-']?.a;
    if (removed?.length) {
      const attributes = { ...next.attributes };
      for (const name of removed) delete attributes[name];
      next.attributes = attributes;
    }
    states.set(entityId, next);
    touched.push(entityId);
  }
  for (const entityId of message.r ?? []) {
    if (states.delete(entityId)) touched.push(entityId);
  }
  return touched;
}
