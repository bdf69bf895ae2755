/**
 * What HA's search tool reads from inside, asked from outside: every state, the device registry with the
 * fields a search matches on, and the label registry. None needs an administrator; states are those the
 * user may see.
 */
import type { MessageBase } from 'home-assistant-js-websocket';
import type { Send } from './commands.js';
import { listDevices } from './messages.js';
import type { Device, EntityState } from './types.js';

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

export const getStatesMessage = (): MessageBase => ({ type: 'get_states' });
export const listLabelsMessage = (): MessageBase => ({ type: 'config/label_registry/list' });

export const getStates = (send: Send) => send<EntityState[]>(getStatesMessage());
export const listLabels = (send: Send) => send<Label[]>(listLabelsMessage());
/** Devices and child devices, disabled ones included. */
export const listDeviceEntries = (send: Send) => send<DeviceEntry[]>(listDevices());
