/**
 * Pure resolution of one entity from the model's maps: its names, its area (its own, else its device's
 * effective area, where a child device inherits its parent's), the area's floor, and its exposure.
 */
import { isExposed } from './exposure.js';
import type { Area, Device, EntityState, Floor, RegistryEntry, ResolvedEntity } from './types.js';

export interface ModelMaps {
  states: ReadonlyMap<string, EntityState>;
  areas: ReadonlyMap<string, Area>;
  floors: ReadonlyMap<string, Floor>;
  devices: ReadonlyMap<string, Device>;
  registry: ReadonlyMap<string, RegistryEntry>;
  exposed: ReadonlySet<string>;
  exposeNew: boolean;
}

const deviceName = (device: Device | undefined) => device?.name_by_user ?? device?.name ?? null;

/**
 * An entity's full name as HA computes it for Assist (entity_registry.async_get_full_entity_name): its own
 * name (the owner's, else the integration's), preceded by its device's name when the device is the next
 * name part (an entity placed in an area of its own drops the device name), and by a parent device's name
 * when the device says so. Not the state's friendly_name, which always keeps the device name.
 */
export function fullEntityName(entry: RegistryEntry, devices: ReadonlyMap<string, Device>): string {
  const device = entry.device_id ? devices.get(entry.device_id) : undefined;
  const parts: (string | null)[] = [];
  if (device && entry.next_name_part === 'device') {
    const parent = device.parent_device_id ? devices.get(device.parent_device_id) : undefined;
    if (parent && device.next_name_part === 'parent_device') parts.push(deviceName(parent));
    parts.push(deviceName(device));
  }
  parts.push(entry.name ?? entry.original_name);
  return parts.filter((p): p is string => !!p).join(' ');
}

/**
 * HA's names for an entity: without a registry entry, its state's friendly name; with one, its aliases in
 * the owner's order, where `null` stands for the entity's full name.
 */
export function entityNames(
  state: EntityState | undefined,
  entry: RegistryEntry | undefined,
  entityId: string,
  devices: ReadonlyMap<string, Device> = new Map()
): string[] {
  if (!entry) {
    const friendly = state?.attributes.friendly_name;
    return [
      typeof friendly === 'string' && friendly.trim()
        ? friendly.trim()
        : entityId.slice(entityId.indexOf('.') + 1),
    ];
  }
  const names: string[] = [];
  for (const alias of entry.aliases) {
    const name = (alias === null ? fullEntityName(entry, devices) : alias).trim();
    if (name && !names.includes(name)) names.push(name);
  }
  return names;
}

/** A state's name as HA's `State.name` gives it: the friendly name, else the object id with spaces. */
export const stateName = (state: Pick<EntityState, 'entity_id' | 'attributes'>): string =>
  (typeof state.attributes.friendly_name === 'string' && state.attributes.friendly_name) ||
  state.entity_id.slice(state.entity_id.indexOf('.') + 1).replaceAll('_', ' ');

export function deviceAreaId(devices: ReadonlyMap<string, Device>, deviceId: string | null): string | null {
  if (!deviceId) return null;
  const device = devices.get(deviceId);
  if (!device) return null;
  if (device.area_id) return device.area_id;
  const parent = device.parent_device_id ? devices.get(device.parent_device_id) : undefined;
  return parent?.area_id ?? null;
}

export function resolveEntity(maps: ModelMaps, entityId: string): ResolvedEntity | undefined {
  const state = maps.states.get(entityId);
  if (!state) return undefined;
  const entry = maps.registry.get(entityId);
  const areaId = entry ? (entry.area_id ?? deviceAreaId(maps.devices, entry.device_id)) : null;
  const area = areaId ? maps.areas.get(areaId) : undefined;
  const floor = area?.floor_id ? maps.floors.get(area.floor_id) : undefined;
  return {
    entity_id: entityId,
    domain: entityId.slice(0, entityId.indexOf('.')),
    names: entityNames(state, entry, entityId, maps.devices),
    state: state.state,
    attributes: state.attributes,
    last_changed: state.last_changed,
    area,
    floor,
    device_id: entry?.device_id ?? undefined,
    exposed: isExposed(entityId, {
      entry,
      state,
      listed: maps.exposed.has(entityId),
      exposeNew: maps.exposeNew,
    }),
  };
}
