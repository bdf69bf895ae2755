/**
 * What the "Home Assistant" LLM API's action tools ask of Home Assistant, typed by HA's answers: the actions
 * HA offers with their descriptions and the English texts of their translations, checking an action's
 * configuration as a script's, and calling it (in the style of commands.ts, over a user's own session).
 */
import type { MessageBase } from 'home-assistant-js-websocket';
import type { Send } from './commands.js';
import * as messages from './messages.js';

/** One field of an action, or a section (which holds fields of its own). */
export interface ActionField {
  description?: string;
  required?: boolean;
  selector?: unknown;
  fields?: Record<string, ActionField>;
  [key: string]: unknown;
}

/** An action as `get_services` describes it (HA's `async_get_all_descriptions`). */
export interface ActionDescription {
  name?: string;
  description?: string;
  fields: Record<string, ActionField>;
  target?: Record<string, unknown> | null;
  /** Present when the action can respond: `optional` says whether it must be asked to. */
  response?: { optional: boolean };
  description_placeholders?: Record<string, string>;
}

/** Every action, by domain then name, in HA's order. */
export type ActionDescriptions = Record<string, Record<string, ActionDescription>>;

/** An action as a script step: what `validate_config` checks and `call_action` calls. */
export interface ActionStep {
  action: string;
  target?: Record<string, unknown>;
  data?: Record<string, unknown>;
}

export interface ServiceCall {
  domain: string;
  service: string;
  target?: Record<string, unknown>;
  serviceData?: Record<string, unknown>;
  returnResponse: boolean;
}

export const getTranslationsMessage = (
  language: string,
  category: string,
  integrations: string[]
): MessageBase => ({
  type: 'frontend/get_translations',
  language,
  category,
  integration: integrations,
});

export const validateActionsMessage = (actions: ActionStep[]): MessageBase => ({
  type: 'validate_config',
  actions,
});

export const callServiceMessage = (call: ServiceCall): MessageBase => ({
  type: 'call_service',
  domain: call.domain,
  service: call.service,
  ...(call.target !== undefined && { target: call.target }),
  ...(call.serviceData !== undefined && { service_data: call.serviceData }),
  return_response: call.returnResponse,
});

export const describeActions = (send: Send) => send<ActionDescriptions>(messages.getServices());

/** Translated texts by their flat keys (`component.light.services.turn_on.name`). */
export const getTranslations = (send: Send, language: string, category: string, integrations: string[]) =>
  send<{ resources: Record<string, string> }>(getTranslationsMessage(language, category, integrations));

/** Checks actions as script steps; `error` is HA's text, with paths from the list (`[0].target`). */
export const validateActions = (send: Send, actions: ActionStep[]) =>
  send<{ actions: { valid: boolean; error: string | null } }>(validateActionsMessage(actions));

/**
 * How long an action may run: HA's own tool waits for it however long (a script with delays); a client
 * gives up long before this, which only keeps a silent HA from holding the call for ever.
 */
export const ACTION_TIMEOUT_MS = 5 * 60_000;

export const callService = (send: Send, call: ServiceCall) =>
  send<{ context: unknown; response?: unknown }>(callServiceMessage(call), ACTION_TIMEOUT_MS);

/** The entity registry's ids (the UUIDs scripts may name entities by) with their entity ids. */
export const listEntityRegistryIds = (send: Send) =>
  send<{ id: string; entity_id: string }[]>(messages.listEntityRegistry());
