/**
 * The config integration's tools in HA's "Home Assistant" API, in HA's order: config__get_config_entries,
 * config__reload_config_entry, config__search_integrations (offered whenever `config` is loaded).
 */
import type { Tool } from '../../api.js';
import type { HaApiContext } from '../context.js';
import { getConfigEntriesTool } from './get-config-entries.js';
import { reloadConfigEntryTool } from './reload-config-entry.js';
import { searchIntegrationsTool } from './search-integrations.js';

export function configTools(ctx: HaApiContext): Tool[] {
  return [getConfigEntriesTool(ctx), reloadConfigEntryTool(ctx), searchIntegrationsTool(ctx)];
}
