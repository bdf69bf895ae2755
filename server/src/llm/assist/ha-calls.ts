/**
 * What the Assist tools ask of Home Assistant, as the calling user (their own token, so HA enforces their
 * rights and the logbook names them): intents, and actions that return a response.
 */
import { isTokenRefused } from '../../ha/errors.js';
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

export interface HaCallsOptions {
  /**
   * HA answered 401 to a token it had accepted before (revoked since). HA counted a failed login against
   * the add-on's address for it (login-attempts.ts `failedLater`), and the token must be checked afresh.
   */
  onRefused?: (token: string) => void;
}

/** @param base where Core answers users' tokens (a function when it must be discovered first) */
export function haCalls(base: string | (() => Promise<string>), options: HaCallsOptions = {}): HaCalls {
  const baseUrl = async () => (typeof base === 'string' ? base : base());
  const post = async <T>(token: string, path: string, body: unknown): Promise<T> => {
    try {
      return await haPost<T>(await baseUrl(), token, path, body);
    } catch (err) {
      if (isTokenRefused(err)) options.onRefused?.(token);
      throw err;
    }
  };
  return {
    async handleIntent(token, intent, slots, deviceId) {
      return post<IntentResponse>(token, '/api/intent/handle', {
        name: intent,
        data: slots,
        assistant: 'conversation',
        ...(deviceId !== undefined && { device_id: deviceId }),
      });
    },
    async callWithResponse(token, domain, service, data) {
      const answer = await post<{ service_response?: unknown }>(
        token,
        `/api/services/${domain}/${service}?return_response`,
        data
      );
      return answer?.service_response;
    },
  };
}
