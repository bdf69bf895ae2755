/** A Home Assistant core configuration (`get_config`) for unit tests that build a Home by hand. */
import type { CoreConfig } from '../../server/src/ha/types.js';

export const coreConfig = (fields: Partial<CoreConfig> = {}): CoreConfig => ({
  version: '2026.11.0',
  location_name: 'Home',
  time_zone: 'Europe/Amsterdam',
  language: 'en',
  unit_system: {},
  internal_url: null,
  external_url: null,
  state: 'RUNNING',
  components: [],
  ...fields,
});
