/**
 * What the "Home Assistant" LLM API's config tools ask of Home Assistant, typed by HA's answers: the config
 * entries (`config_entries/get`, any user), reloading one (REST, administrators only, as the calling user)
 * and the catalogue of integrations and helpers (`integration/descriptions`, administrators only).
 */
import type { MessageBase } from 'home-assistant-js-websocket';
import type { Send } from './commands.js';
import { HaRefusedError } from './errors.js';
import { haJson } from './http.js';

/** `ConfigEntryState`'s values. */
export type ConfigEntryState =
  | 'loaded'
  | 'setup_error'
  | 'migration_error'
  | 'setup_retry'
  | 'not_loaded'
  | 'failed_unload'
  | 'setup_in_progress'
  | 'unload_in_progress';

/** A config entry as `config_entries/get` gives it (the fields the tools read). */
export interface ConfigEntry {
  entry_id: string;
  domain: string;
  title: string;
  /** `ignore` for an entry the user ignored. */
  source: string;
  state: ConfigEntryState;
  disabled_by: string | null;
  reason: string | null;
  error_reason_translation_domain: string | null;
  error_reason_translation_key: string | null;
  error_reason_translation_placeholders: Record<string, unknown> | null;
}

/** One integration, helper or brand of HA's catalogue (`homeassistant/generated/integrations.json`). */
export interface IntegrationDescription {
  name?: string;
  integration_type?: string;
  config_flow?: boolean;
  /** A brand's integrations, by domain. */
  integrations?: Record<string, IntegrationDescription>;
  [key: string]: unknown;
}

type ByDomain = Record<string, IntegrationDescription>;

/** HA's catalogue, built in and custom; `translated_name` lists the domains whose name is a translation. */
export interface IntegrationDescriptions {
  core: { integration: ByDomain; helper: ByDomain; translated_name?: string[] };
  custom: { integration: ByDomain; helper: ByDomain };
}

/** What a reload came to: done (whatever state it left), refused in the entry's state, or no such entry. */
export type ReloadOutcome = 'reloaded' | 'not_allowed' | 'not_found';

/** A reload sets the integration up again, which may take a while (HA's tool waits for it). */
const RELOAD_TIMEOUT_MS = 120_000;

export const getConfigEntriesMessage = (): MessageBase => ({ type: 'config_entries/get' });
export const integrationDescriptionsMessage = (): MessageBase => ({ type: 'integration/descriptions' });

/** Every entry, ignored and disabled ones included, in HA's order. */
export const getConfigEntries = (send: Send) => send<ConfigEntry[]>(getConfigEntriesMessage());

export const integrationDescriptions = (send: Send) =>
  send<IntegrationDescriptions>(integrationDescriptionsMessage());

/**
 * Reloads an entry by its full id, as the user whose token this is. HA answers 403 "Entry cannot be
 * reloaded" when the entry's state forbids it (its OperationNotAllowed), 404 when the entry is gone.
 */
export async function reloadConfigEntry(
  baseUrl: string,
  token: string,
  entryId: string
): Promise<ReloadOutcome> {
  try {
    await haJson(`${baseUrl}/api/config/config_entries/entry/${encodeURIComponent(entryId)}/reload`, {
      method: 'POST',
      token,
      timeoutMs: RELOAD_TIMEOUT_MS,
    });
    return 'reloaded';
  } catch (err) {
    if (err instanceof HaRefusedError && err.refusal.status === 403) return 'not_allowed';
    if (err instanceof HaRefusedError && err.refusal.status === 404) return 'not_found';
    throw err;
  }
}
