/** Home Assistant's REST API with a given bearer token (the add-on's, or a calling user's). */
import { HaUnavailableError } from './errors.js';

export class HaHttpError extends Error {
  override name = 'HaHttpError';
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message);
  }
}

export async function haPost<T>(
  baseUrl: string,
  token: string,
  path: string,
  body: unknown,
  timeoutMs = 30_000
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new HaUnavailableError(
      (err as Error).name === 'TimeoutError'
        ? `Home Assistant did not answer within ${timeoutMs / 1000} s`
        : 'Home Assistant is unavailable'
    );
  }
  const text = await res.text();
  if (!res.ok)
    throw new HaHttpError(res.status, `Home Assistant answered ${res.status}: ${text.slice(0, 200)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/**
 * Makes HA decide exposure for every entity it has not decided on yet: matching an intent's targets with
 * `assistant: "conversation"` evaluates (and stores) exposure for every state. The name matches nothing, so
 * nothing happens but the decision.
 */
export async function nudgeExposureDefaults(baseUrl: string, token: string): Promise<void> {
  await haPost(baseUrl, token, '/api/intent/handle', {
    name: 'HassGetState',
    data: { name: 'ha-mcp-server exposure check (matches nothing)' },
    assistant: 'conversation',
  });
}
