/**
 * "Test connection" on the Connect page: checks the MCP endpoint end to end from the add-on, the way a
 * client would reach it, and says in plain words what is wrong.
 *
 *   POST /connection-test ← { url, token? }  → { url, ok, checks: [{ name, ok, detail }] }
 *
 * Changes nothing, but it makes the add-on fetch a URL, so (as a POST) it is for administrators only. No
 * redirects are followed, each request gives up after 5 s, and the token is used for this test only.
 */
import { Hono } from 'hono';
import * as z from 'zod';
import { MCP_PATH } from '../mcp/routes.js';
import type { Mode } from './access.js';
import { readJson } from './body.js';
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

/** Why a request did not reach anything, in the words a user can act on. */
function unreachable(err: unknown, url: URL, timeoutMs: number): string {
  const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as { name?: string }).name;
  const where = `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
  switch (cause) {
    case 'ECONNREFUSED':
      return `Nothing accepts connections at ${where}. The port may not be published, may be mapped to another host port, or a firewall blocks it.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `The host name ${url.hostname} cannot be resolved from the add-on.`;
    case 'TimeoutError':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `No answer from ${where} within ${timeoutMs / 1000} s: a firewall may drop the connection.`;
    case 'ECONNRESET':
      return `${where} closed the connection: is it an HTTPS port reached over http (or the other way round)?`;
    default:
      return `Could not reach ${where} (${cause ?? 'unknown error'}).`;
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
      checks.push({ name: 'URL', ok: false, detail: 'This is not an http:// or https:// URL.' });
      return answer();
    }
    if (isCloudHost(url.hostname)) {
      // It would answer, but as Home Assistant (whose own MCP server is at the same path), not as the add-on.
      checks.push({
        name: 'URL',
        ok: false,
        detail: `${url.hostname} is a Home Assistant Cloud address: it leads to Home Assistant, not to this add-on's port. Use an address of the add-on's port, or a tunnel to it.`,
      });
      return answer();
    }
    const pathOk = url.pathname.replace(/\/+$/, '') === MCP_PATH;
    checks.push({
      name: 'URL',
      ok: pathOk,
      detail: pathOk ? `The path is ${MCP_PATH}.` : `The path should be ${MCP_PATH}, not ${url.pathname}.`,
    });

    if (deps.mode === 'addon' && deps.publishedPort) {
      const port = await deps.publishedPort();
      if (port === null) {
        checks.push({
          name: 'Port',
          ok: false,
          detail: `The MCP port (${deps.mcpPort}/tcp) is not published: enable it in the add-on's Network settings.`,
        });
      } else if (
        port !== undefined &&
        url.port &&
        Number(url.port) !== port &&
        url.hostname !== 'localhost'
      ) {
        checks.push({
          name: 'Port',
          ok: false,
          detail: `The add-on's MCP port is published as ${port}, but the URL uses ${url.port}.`,
        });
      } else if (port !== undefined) {
        checks.push({ name: 'Port', ok: true, detail: `The MCP port is published as ${port}.` });
      }
    }

    let res: Response;
    try {
      res = await post(url, INITIALIZE);
      await res.arrayBuffer();
    } catch (err) {
      checks.push({ name: 'Reachable', ok: false, detail: unreachable(err, url, timeoutMs) });
      return answer();
    }
    const isMcp =
      res.status === 401 ? /resource_metadata/.test(res.headers.get('www-authenticate') ?? '') : res.ok;
    if (res.status >= 300 && res.status < 400) {
      checks.push({
        name: 'Reachable',
        ok: false,
        detail: `The URL redirects (HTTP ${res.status}) to ${res.headers.get('location') ?? 'elsewhere'}; use the final URL.`,
      });
      return answer();
    }
    checks.push({
      name: 'Reachable',
      ok: isMcp,
      detail: isMcp
        ? 'An MCP endpoint answers, and asks for a token as it should.'
        : res.status === 404
          ? `Something answers at ${url.host}, but it has no MCP endpoint at ${url.pathname} (HTTP 404): is this the add-on's port?`
          : `Something answers at ${url.host}, but not as this MCP server (HTTP ${res.status}).`,
    });
    if (!isMcp || !body.token) return answer();

    try {
      res = await post(url, TOOLS_LIST, body.token);
      const text = await res.text();
      if (res.ok) {
        const tools = (JSON.parse(text) as { result?: { tools?: unknown[] } }).result?.tools?.length ?? 0;
        checks.push({
          name: 'Token',
          ok: true,
          detail: `Home Assistant accepted the token: ${tools} tools are offered.`,
        });
      } else {
        const detail =
          res.status === 401
            ? 'Home Assistant refused the token. Create a new long-lived access token in your profile (Security tab).'
            : res.status === 429
              ? `Too many failed sign-ins from this address; try again in ${res.headers.get('retry-after') ?? 'a few'} seconds.`
              : res.status === 503
                ? 'Home Assistant is unavailable right now, so the token cannot be checked.'
                : res.status === 403
                  ? 'The token belongs to a user who is not an administrator, and "Require an administrator" is on in Settings. Use an administrator\'s token, turn the setting off, or connect to /api/mcp/assist, which every user may use.'
                  : `The endpoint answered HTTP ${res.status}.`;
        checks.push({ name: 'Token', ok: false, detail });
      }
    } catch (err) {
      checks.push({ name: 'Token', ok: false, detail: unreachable(err, url, timeoutMs) });
    }
    return answer();
  });
  return app;
}
