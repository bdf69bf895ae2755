/**
 * What the add-on asks of Home Assistant to install an integration of its own (the companion): whether Core
 * has loaded it (`manifest/get`, which knows a custom integration only after a restart), its config entries
 * (`config_entries/get` for one domain), a restart of Core (the `homeassistant.restart` action), and, over
 * REST as the add-on's administrator, the config flow an owner would run on the Integrations page and the
 * deletion of an entry (both exist as REST only).
 */
import type { MessageBase } from 'home-assistant-js-websocket';
import type { ConfigEntry } from './config-entry-commands.js';
import { haJson } from './http.js';

export const manifestMessage = (integration: string): MessageBase => ({ type: 'manifest/get', integration });

export const configEntriesOfMessage = (domain: string): MessageBase => ({
  type: 'config_entries/get',
  domain,
});

export type { ConfigEntry };

export const restartCoreMessage = (): MessageBase => ({
  type: 'call_service',
  domain: 'homeassistant',
  service: 'restart',
});

/** One step of a config flow as HA's REST flow API answers it (the fields read here). */
export interface FlowStep {
  flow_id: string;
  type: string;
  errors?: Record<string, string> | null;
  reason?: string;
  result?: { entry_id?: string };
}

/** HA's REST API as one token: where, and with what. */
export interface HaRest {
  url: string;
  token: string;
}

const flowPath = '/api/config/config_entries/flow';

export const startConfigFlow = (ha: HaRest, handler: string) =>
  haJson<FlowStep>(`${ha.url}${flowPath}`, {
    token: ha.token,
    json: { handler, show_advanced_options: false },
  });

export const answerConfigFlow = (ha: HaRest, flowId: string, answer: Record<string, unknown>) =>
  haJson<FlowStep>(`${ha.url}${flowPath}/${encodeURIComponent(flowId)}`, { token: ha.token, json: answer });

/** Ends a flow left at a form: it would otherwise stay in HA's list of discovered integrations. */
export const abortConfigFlow = (ha: HaRest, flowId: string) =>
  haJson(`${ha.url}${flowPath}/${encodeURIComponent(flowId)}`, { token: ha.token, method: 'DELETE' });

export const deleteConfigEntry = (ha: HaRest, entryId: string) =>
  haJson(`${ha.url}/api/config/config_entries/entry/${encodeURIComponent(entryId)}`, {
    token: ha.token,
    method: 'DELETE',
  });
