/** Small REST and WebSocket helpers the harness uses to drive Home Assistant as an admin would. */
import {
  createConnection,
  createLongLivedTokenAuth,
  type Connection,
  type MessageBase,
} from 'home-assistant-js-websocket';
// The server's WebSocket for home-assistant-js-websocket (Node 20 has none), with its TLS rule for hosts.
import '../../../server/src/ha/websocket.js';

export class HaHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    what: string
  ) {
    super(`${what} -> HTTP ${status}: ${body.slice(0, 300)}`);
  }
}

export async function restJson<T = unknown>(
  baseUrl: string,
  path: string,
  init: { method?: string; token?: string; json?: unknown; form?: Record<string, string> } = {}
): Promise<T> {
  const headers: Record<string, string> = {};
  let body: string | undefined;
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  } else if (init.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  }
  const method = init.method ?? (body === undefined ? 'GET' : 'POST');
  const res = await fetch(new URL(path, baseUrl), {
    method,
    headers,
    body,
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  if (!res.ok) throw new HaHttpError(res.status, text, `${method} ${path}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function connectWs(baseUrl: string, token: string): Promise<Connection> {
  return createConnection({ auth: createLongLivedTokenAuth(baseUrl.replace(/\/$/, ''), token) });
}

/** Sends a WebSocket command; HA's error objects become Errors that name the command. */
export async function command<T = unknown>(conn: Connection, message: MessageBase): Promise<T> {
  try {
    return await conn.sendMessagePromise<T>(message);
  } catch (err) {
    if (err instanceof Error) throw err;
    const { code, message: text } = (err ?? {}) as { code?: unknown; message?: unknown };
    const target = typeof message.entity_id === 'string' ? ` (${message.entity_id})` : '';
    throw new Error(`${message.type}${target}: ${String(code)} ${String(text ?? '')}`.trim());
  }
}

type FlowStep = { type: string; flow_id: string; reason?: string; errors?: unknown; result?: unknown };

async function answerFlow(
  baseUrl: string,
  token: string,
  flowPath: string,
  first: FlowStep,
  answers: Record<string, unknown>[]
): Promise<FlowStep> {
  let step = first;
  for (const answer of answers) {
    if (step.type !== 'form') break;
    step = await restJson<FlowStep>(baseUrl, `${flowPath}/${step.flow_id}`, { token, json: answer });
  }
  return step;
}

/** Runs a config flow to its end with the given answers (one per form step) and returns the result. */
export async function runConfigFlow(
  baseUrl: string,
  token: string,
  handler: string,
  answers: Record<string, unknown>[] = []
): Promise<FlowStep> {
  const path = '/api/config/config_entries/flow';
  const first = await restJson<FlowStep>(baseUrl, path, {
    token,
    json: { handler, show_advanced_options: false },
  });
  return answerFlow(baseUrl, token, path, first, answers);
}

/** HA answers HTTP before its integrations are up; waits until the core reports RUNNING. */
export async function waitUntilRunning(
  baseUrl: string,
  token: string,
  timeoutMs = 5 * 60_000
): Promise<void> {
  const conn = await connectWs(baseUrl, token);
  try {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const config = await command<{ state: string }>(conn, { type: 'get_config' });
      if (config.state === 'RUNNING') return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`Home Assistant did not reach RUNNING within ${timeoutMs / 1000}s`);
  } finally {
    conn.close();
  }
}
