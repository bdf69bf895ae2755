/**
 * The one way an HTTP call goes to Home Assistant or the Supervisor: REST with a user's or the add-on's
 * token, HA's OAuth endpoints (forms), the Supervisor's API. Every call has a time limit; a failure is an
 * HaAwayError (no answer) or an HaRefusedError (an error status), saying who did not answer or refused.
 */
import { HaAwayError, HaRefusedError } from './errors.js';

export interface HaHttpRequest {
  method?: 'GET' | 'POST' | 'DELETE';
  /** Bearer token; never put in a message. */
  token?: string;
  /** A JSON body, or a form body (HA's /auth/token and /auth/revoke take forms). */
  json?: unknown;
  form?: Record<string, string>;
  timeoutMs?: number;
  /** Who is called, for messages: "Home Assistant" or "the Supervisor". */
  who?: string;
  fetch?: typeof fetch;
}

export interface HaHttpAnswer {
  status: number;
  text: string;
}

export const HTTP_TIMEOUT_MS = 30_000;

/** Calls `url` and returns its answer when the status is 2xx. */
export async function haHttp(url: string, request: HaHttpRequest = {}): Promise<HaHttpAnswer> {
  const { token, json, form, who = 'Home Assistant', timeoutMs = HTTP_TIMEOUT_MS } = request;
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (json !== undefined) headers['content-type'] = 'application/json';
  if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
  let res: Response;
  try {
    res = await (request.fetch ?? fetch)(url, {
      method: request.method ?? (json !== undefined || form ? 'POST' : 'GET'),
      headers,
      ...(json !== undefined && { body: JSON.stringify(json) }),
      ...(form && { body: new URLSearchParams(form) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new HaAwayError(
      (err as Error).name === 'TimeoutError'
        ? `${capitalised(who)} did not answer within ${timeoutMs / 1000} s`
        : `${capitalised(who)} is unavailable`
    );
  }
  const text = await res.text().catch(() => '');
  if (!res.ok) {
    throw new HaRefusedError(`${capitalised(who)} answered ${res.status}: ${text.slice(0, 200)}`, {
      status: res.status,
      answer: text.slice(0, 2_000),
    });
  }
  return { status: res.status, text };
}

/** `haHttp`, with the answer read as JSON (an empty answer is undefined). */
export async function haJson<T>(url: string, request: HaHttpRequest = {}): Promise<T> {
  const { text } = await haHttp(url, request);
  return (text ? JSON.parse(text) : undefined) as T;
}

const capitalised = (who: string) => who.charAt(0).toUpperCase() + who.slice(1);
