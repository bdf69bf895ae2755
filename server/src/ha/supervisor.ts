/**
 * The Supervisor's API as the add-on (its SUPERVISOR_TOKEN), through http.ts: `/core/info`,
 * `/addons/self/info`, `/addons/self/options`. Answers come in the Supervisor's envelope
 * (`{ result: 'ok', data }` or `{ result: 'error', message }`); a refusal says the Supervisor's own message.
 */
import { HaRefusedError } from './errors.js';
import { haHttp, type HaHttpRequest } from './http.js';

export const SUPERVISOR_URL = 'http://supervisor';

export interface SupervisorApi {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, json: unknown): Promise<T>;
}

interface Envelope<T> {
  result?: unknown;
  data?: T;
  message?: unknown;
}

export interface SupervisorOptions {
  baseUrl?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** The Supervisor's own words for a refusal, else the HTTP status. */
function refusalOf(status: number, body: Envelope<unknown>): HaRefusedError {
  const why = typeof body.message === 'string' && body.message ? body.message : `HTTP ${status}`;
  return new HaRefusedError(`the Supervisor refused: ${why}`, { status, reason: why });
}

const parse = <T>(text: string | undefined): Envelope<T> => {
  try {
    return (text ? JSON.parse(text) : {}) as Envelope<T>;
  } catch {
    return {};
  }
};

export function supervisorApi(token: string, options: SupervisorOptions = {}): SupervisorApi {
  const base = (options.baseUrl ?? SUPERVISOR_URL).replace(/\/+$/, '');
  const call = async <T>(path: string, request: HaHttpRequest): Promise<T> => {
    let answer;
    try {
      answer = await haHttp(`${base}${path}`, {
        ...request,
        token,
        who: 'the Supervisor',
        ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
        ...(options.fetch && { fetch: options.fetch }),
      });
    } catch (err) {
      if (err instanceof HaRefusedError && err.refusal.status !== undefined)
        throw refusalOf(err.refusal.status, parse(err.refusal.answer));
      throw err;
    }
    const body = parse<T>(answer.text);
    if (body.result !== 'ok') throw refusalOf(answer.status, body);
    return body.data as T;
  };
  return {
    get: (path) => call(path, { method: 'GET' }),
    post: (path, json) => call(path, { method: 'POST', json }),
  };
}
