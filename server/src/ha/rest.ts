/** Home Assistant's REST API with a given bearer token (the add-on's, or a calling user's), through http.ts. */
import { haJson } from './http.js';

export function haPost<T>(
  baseUrl: string,
  token: string,
  path: string,
  body: unknown,
  timeoutMs?: number
): Promise<T> {
  return haJson<T>(`${baseUrl}${path}`, { token, json: body, ...(timeoutMs !== undefined && { timeoutMs }) });
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
