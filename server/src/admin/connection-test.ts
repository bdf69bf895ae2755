/**
 * "Test connection" on the Connect page: checks the MCP endpoint end to end from the add-on, the way a
 * client would reach it, and says in plain words what is wrong.
 *
 *   POST /connection-test ← { url, token? }  → { url, ok, checks: [{ name, ok, code, params, detail }] }
 *
 * Changes nothing, but it makes the add-on fetch a URL, so (as a POST) it is for administrators only. No
 * redirects are followed, each request gives up after 5 s, and the token is used for this test only.
 */
import { Hono } from 'hono';
import * as z from 'zod';
import { MCP_PATH } from '../mcp/routes.js';
import type { Mode } from './access.js';
import { readJson } from './body.js';
import { CHECK_WORDS, type CheckCode, type CheckParams } from './connection-check-words.js';
import type { ConnectionCheck, ConnectionTestAnswer, ConnectionTestBody } from './contract.js';
import type { AdminEnv } from './env.js';
import { isCloudHost } from './overview.js';
import type { PublishedPort } from './published-port.js';

export interface ConnectionTestDeps {
  mode: Mode;
  /** The add-on's published host port (add-on mode only). */
  publishedPort?: PublishedPort;
  /** The MCP listener's own port inside the container. */
  mcpPort: number;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

const Body = z.object({
  url: z.string().min(1).max(2_000),
  token: z.string().min(1).max(8_192).optional(),
}) satisfies z.ZodType<ConnectionTestBody>;

const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'connection-test', version: '1' },
  },
});
const TOOLS_LIST = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' });

type CheckName = ConnectionCheck['name'];

/** A finding, with its code and values for the panel and its English words for the API. */
function found<C extends CheckCode>(
  name: CheckName,
  ok: boolean,
  code: C,
  params: CheckParams[C]
): ConnectionCheck {
  const words = CHECK_WORDS[code] as (p: CheckParams[C]) => string;
  return { name, ok, code, params, detail: words(params) };
}

/** Why a request did not reach anything, in the words a user can act on. */
function unreachable(name: CheckName, err: unknown, url: URL, timeoutMs: number): ConnectionCheck {
  const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as { name?: string }).name;
  const where = `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
  switch (cause) {
    case 'ECONNREFUSED':
      return found(name, false, 'unreachable_refused', { where });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return found(name, false, 'unreachable_unresolved', { host: url.hostname });
    case 'TimeoutError':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return found(name, false, 'unreachable_timeout', { where, seconds: timeoutMs / 1000 });
    case 'ECONNRESET':
      return found(name, false, 'unreachable_reset', { where });
    default:
      return found(name, false, 'unreachable_other', { where, cause: cause ?? 'unknown error' });
  }
}

export function connectionTestRoutes(deps: ConnectionTestDeps): Hono<AdminEnv> {
  const get = deps.fetch ?? fetch;
  const timeoutMs = deps.timeoutMs ?? 5_000;

  const post = (url: URL, body: string, token?: string) =>
    get(url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...(token && { authorization: `Bearer ${token}` }),
      },
      body,
    });

  const app = new Hono<AdminEnv>();
  app.post('/connection-test', async (c) => {
    const body = await readJson(c, Body);
    const checks: ConnectionCheck[] = [];
    const answer = () =>
      c.json({
        url: body.url,
        ok: checks.every((check) => check.ok),
        checks,
      } satisfies ConnectionTestAnswer);

    let url: URL;
    try {
      url = new URL(body.url);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
    } catch {
      checks.push(found('URL', false, 'url_not_http', {}));
      return answer();
    }
    if (isCloudHost(url.hostname)) {
      // It would answer, but as Home Assistant (whose own MCP server is at the same path), not as the add-on.
      checks.push(found('URL', false, 'url_cloud', { host: url.hostname }));
      return answer();
    }
    const pathOk = url.pathname.replace(/\/+$/, '') === MCP_PATH;
    checks.push(
      pathOk
        ? found('URL', true, 'url_path_ok', { path: MCP_PATH })
        : found('URL', false, 'url_path_wrong', { path: MCP_PATH, actual: url.pathname })
    );

    if (deps.mode === 'addon' && deps.publishedPort) {
      const port = await deps.publishedPort();
      if (port === null) {
        checks.push(found('Port', false, 'port_unpublished', { port: String(deps.mcpPort) }));
      } else if (
        port !== undefined &&
        url.port &&
        Number(url.port) !== port &&
        url.hostname !== 'localhost'
      ) {
        checks.push(found('Port', false, 'port_mismatch', { port: String(port), actual: url.port }));
      } else if (port !== undefined) {
        checks.push(found('Port', true, 'port_ok', { port: String(port) }));
      }
    }

    let res: Response;
    try {
      res = await post(url, INITIALIZE);
      await res.arrayBuffer();
    } catch (err) {
      checks.push(unreachable('Reachable', err, url, timeoutMs));
      return answer();
    }
    const isMcp =
      res.status === 401 ? /resource_metadata/.test(res.headers.get('www-authenticate') ?? '') : res.ok;
    if (res.status >= 300 && res.status < 400) {
      checks.push(
        found('Reachable', false, 'reachable_redirect', {
          status: String(res.status),
          location: res.headers.get('location') ?? '?',
        })
      );
      return answer();
    }
    checks.push(
      isMcp
        ? found('Reachable', true, 'reachable_ok', {})
        : res.status === 404
          ? found('Reachable', false, 'reachable_not_found', { host: url.host, path: url.pathname })
          : found('Reachable', false, 'reachable_other', { host: url.host, status: String(res.status) })
    );
    if (!isMcp || !body.token) return answer();

    try {
      res = await post(url, TOOLS_LIST, body.token);
      const text = await res.text();
      if (res.ok) {
        const tools = (JSON.parse(text) as { result?: { tools?: unknown[] } }).result?.tools?.length ?? 0;
        checks.push(found('Token', true, 'token_ok', { count: tools }));
      } else {
        const retryAfter = res.headers.get('retry-after');
        checks.push(
          res.status === 401
            ? found('Token', false, 'token_refused', {})
            : res.status === 429
              ? retryAfter
                ? found('Token', false, 'token_rate_limited', { seconds: retryAfter })
                : found('Token', false, 'token_rate_limited_later', {})
              : res.status === 503
                ? found('Token', false, 'token_unavailable', {})
                : res.status === 403
                  ? found('Token', false, 'token_not_admin', {})
                  : found('Token', false, 'token_http', { status: String(res.status) })
        );
      }
    } catch (err) {
      checks.push(unreachable('Token', err, url, timeoutMs));
    }
    return answer();
  });
  return app;
}
