/** GET/PUT /settings: the add-on's options, and the LLM APIs there are to choose from. */
import { api } from './api';
import type { SettingsAnswer, SettingsBody } from '../../../server/src/admin/contract';

// The options keep config.yaml's names (the one exception to the API's camelCase, see the contract).
export type { Options, SettingsAnswer } from '../../../server/src/admin/contract';
export { LOG_LEVELS, TOOL_NAMINGS } from '../../../server/src/admin/contract';

export const fetchSettings = () => api<SettingsAnswer>('/settings');

/** Saves and applies the options; a refused value is an ApiError naming its `field`. */
export function saveSettings(options: SettingsBody): Promise<SettingsAnswer> {
  const body = { ...options };
  if (!body.external_url) delete body.external_url;
  return api<SettingsAnswer>('/settings', { method: 'PUT', json: body });
}
