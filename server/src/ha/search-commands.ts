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
