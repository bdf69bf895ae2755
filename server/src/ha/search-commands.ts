/**
 * What HA's search tool reads that the live model does not keep: the label registry. And the shape of a
 * device as `config/device_registry/list` gives it, which the model keeps whole.
 */
import type { MessageBase } from 'home-assistant-js-websocket';
import type { Send } from './commands.js';
import type { Device } from './types.js';

/** A device as `config/device_registry/list` gives it; a child device (HA 2026.9+) has a `parent_device_id`. */
export interface DeviceEntry extends Device {
  disabled_by: string | null;
  /** Absent on child devices. */
  model?: string | null;
  manufacturer?: string | null;
}

export interface Label {
  label_id: string;
  name: string;
}

export const listLabelsMessage = (): MessageBase => ({ type: 'config/label_registry/list' });

export const listLabels = (send: Send) => send<Label[]>(listLabelsMessage());

/** What `search/related` answers: ids of related items by kind (the kinds read here). */
export interface Related {
  entity?: string[];
  script?: string[];
}

export const relatedMessage = (itemType: string, itemId: string): MessageBase => ({
  type: 'search/related',
  item_type: itemType,
  item_id: itemId,
});

/**
 * The entities a script acts on, as Home Assistant's search relates them, through the scripts it runs too
 * (each once): what running it may change.
 */
export async function scriptRelatedEntities(send: Send, scriptEntityId: string): Promise<string[]> {
  const entities = new Set<string>();
  const seen = new Set<string>();
  const queue = [scriptEntityId];
  while (queue.length > 0 && seen.size < 20) {
    const script = queue.shift()!;
    if (seen.has(script)) continue;
    seen.add(script);
    const related = await send<Related>(relatedMessage('script', script));
    for (const id of related.entity ?? []) if (id !== script) entities.add(id);
    for (const id of related.script ?? []) if (!seen.has(id)) queue.push(id);
  }
  return [...entities];
}
