/**
 * The companion integration (`custom_components/mcp_server_addon`) in a test Home Assistant: what to pass
 * `startTestHa({ customComponents })`, and its config flow, driven over HA's REST flow API as the integration
 * page drives it.
 *
 *   const ha = await startTestHa({ customComponents: [COMPANION] });
 *   const entryId = await setUpCompanion(ha.url, ha.adminToken, server.mcpUrl);
 *   // ... `${ha.url}${PROXY_PATH}/api/mcp` is the add-on's /api/mcp ...
 */
import { at } from '../paths.js';
import { restJson, runConfigFlow } from './ha-api.js';

/** The integration's folder in this repository. */
export const COMPANION = at('custom_components/mcp_server_addon');
export const COMPANION_DOMAIN = 'mcp_server_addon';
/** Where its views answer on Home Assistant's own server: the add-on's paths follow it. */
export const PROXY_PATH = '/api/mcp_addon';

/** How the flow ended: an entry (its id), or the form again with its errors, or an abort with its reason. */
export type CompanionFlow =
  | { type: 'create_entry'; entryId: string }
  | { type: 'form'; errors: Record<string, string> }
  | { type: 'abort'; reason: string };

/** Runs the companion's config flow with the add-on's URL and says how it ended. */
export async function companionFlow(haUrl: string, token: string, addonUrl: string): Promise<CompanionFlow> {
  const step = await runConfigFlow(haUrl, token, COMPANION_DOMAIN, [{ url: addonUrl }]);
  if (step.type === 'create_entry') {
    return { type: 'create_entry', entryId: (step.result as { entry_id: string }).entry_id };
  }
  if (step.type === 'form') {
    // Leave no flow behind: the form would stay open in HA's list of discovered integrations.
    await restJson(haUrl, `/api/config/config_entries/flow/${step.flow_id}`, { token, method: 'DELETE' });
    return { type: 'form', errors: (step.errors ?? {}) as Record<string, string> };
  }
  return { type: 'abort', reason: step.reason ?? '' };
}

/** Sets the companion up for the add-on at `addonUrl`; the new entry's id. */
export async function setUpCompanion(haUrl: string, token: string, addonUrl: string): Promise<string> {
  const flow = await companionFlow(haUrl, token, addonUrl);
  if (flow.type !== 'create_entry') {
    throw new Error(`the companion's config flow for ${addonUrl} ended with ${JSON.stringify(flow)}`);
  }
  return flow.entryId;
}

/** Removes the companion's entry (HA unloads it first). */
export async function removeCompanion(haUrl: string, token: string, entryId: string): Promise<void> {
  await restJson(haUrl, `/api/config/config_entries/entry/${entryId}`, { token, method: 'DELETE' });
}

/** The companion's entries as HA lists them, with their state (`loaded`, `setup_error`, ...). */
export function companionEntries(
  haUrl: string,
  token: string
): Promise<{ entry_id: string; state: string; title: string }[]> {
  return restJson(haUrl, `/api/config/config_entries/entry?domain=${COMPANION_DOMAIN}`, { token });
}
