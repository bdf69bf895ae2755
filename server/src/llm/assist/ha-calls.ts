/**
 * What the Assist tools ask of Home Assistant, as the calling user (their own token, so HA enforces their
 * rights and the logbook names them): intents, and actions that return a response.
 */
import { haPost } from '../../ha/rest.js';

export interface HaCalls {
  /**
   * POST /api/intent/handle with assistant "conversation": HA matches names, areas and exposure; with the
   * device the request speaks for, when it names one.
   */
  handleIntent(
    token: string,
    intent: string,
    slots: Record<string, unknown>,
    deviceId?: string
  ): Promise<IntentResponse>;
  /** Calls an action and returns its response (`?return_response`). */
  callWithResponse(
    token: string,
    domain: string,
    service: string,
    data: Record<string, unknown>
  ): Promise<unknown>;
}

export interface IntentResponse {
  speech?: { plain?: { speech?: string } } | Record<string, never>;
  card?: unknown;
  language?: string;
  response_type: 'action_done' | 'query_answer' | 'error';
  data: Record<string, unknown>;
  speech_slots?: unknown;
  reprompt?: unknown;
}

/** @param base where Core answers users' tokens (a function when it must be discovered first) */
export function haCalls(base: string | (() => Promise<string>)): HaCalls {
  const baseUrl = async () => (typeof base === 'string' ? base : base());
  return {
    async handleIntent(token, intent, slots, deviceId) {
      return haPost<IntentResponse>(await baseUrl(), token, '/api/intent/handle', {
        name: intent,
        data: slots,
        assistant: 'conversation',
        ...(deviceId !== undefined && { device_id: deviceId }),
      });
    },
    async callWithResponse(token, domain, service, data) {
      const answer = await haPost<{ service_response?: unknown }>(
        await baseUrl(),
        token,
        `/api/services/${domain}/${service}?return_response`,
        data
      );
      return answer?.service_response;
    },
  };
}
