/**
 * The config integration's tools in HA's "Home Assistant" API, in HA's order: config__get_config_entries, config__reload_config_entry, config__search_integrations.
 * Not built yet: none is offered until it answers as HA's does.
 */
import type { Tool } from '../../api.js';
import type { HaApiContext } from '../context.js';

export function configTools(_ctx: HaApiContext): Tool[] {
  return [];
}
