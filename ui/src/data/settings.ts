/** GET/PUT /settings: the add-on's options, and the LLM APIs there are to choose from. */
import { api } from './api';

export interface Options {
  control_home_assistant: boolean;
  llm_apis: string[];
  tool_naming: 'auto' | 'bare' | 'prefixed';
  external_url?: string;
  log_retention_days: number;
  log_max_rows: number;
  log_level: 'debug' | 'info' | 'warning' | 'error';
}

export const TOOL_NAMINGS = ['auto', 'bare', 'prefixed'] as const;
export const LOG_LEVELS = ['debug', 'info', 'warning', 'error'] as const;

export interface Settings {
  options: Options;
  apis: { id: string; name: string }[];
  mode: 'addon' | 'standalone';
}

export const fetchSettings = () => api<Settings>('/settings');

/** Saves and applies the options; a refused value is an ApiError naming its `field`. */
export function saveSettings(options: Options): Promise<Settings> {
  const body = { ...options };
  if (!body.external_url) delete body.external_url;
  return api<Settings>('/settings', { method: 'PUT', json: body });
}
