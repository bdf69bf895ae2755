import type { RegistryEntry } from '../../server/src/ha/types.js';

/** An entity registry entry as HA sends it, with everything unset but what a test gives. */
export const registryEntry = (entityId: string, fields: Partial<RegistryEntry> = {}): RegistryEntry => ({
  entity_id: entityId,
  name: null,
  original_name: null,
  aliases: [null],
  area_id: null,
  device_id: null,
  entity_category: null,
  hidden_by: null,
  disabled_by: null,
  device_class: null,
  original_device_class: null,
  options: {},
  ...fields,
});
