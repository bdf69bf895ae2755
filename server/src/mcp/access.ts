/**
 * Who may use which MCP endpoint, as Home Assistant's own server decides (mcp_server/http.py), after the
 * bearer token has become a principal:
 * - `/api/mcp` and the legacy SSE pair: administrators only while `require_admin` is on;
 * - `/api/mcp/<api id>`: the Assist API for every user, any other for administrators only (a non-admin is
 *   refused before an unknown id is told apart), and an unknown id is 404. The options' selection and
 *   `require_admin` do not apply there; read-only does (the registry keeps it on every endpoint).
 * Refusals are worded as HA's: plain text `403: Forbidden`, `Unknown LLM API '<id>'`.
 */
import type { MiddlewareHandler } from 'hono';
import type { Principal } from '../ha/principals.js';
import type { McpEnv } from './env.js';
import { Refusal } from './errors.js';

export interface EndpointAccess {
  /** Read per request: a saved change applies at once. */
  requireAdmin(): boolean;
  /** Whether an LLM API of this id exists. */
  hasApi(id: string): boolean;
  /** Whether the principal may use this one API (it is for administrators, or not). */
  allows(principal: Principal, api: string): boolean;
}

/** Every user on `/api/mcp`, and no per-API endpoints (tests and benchmarks of the transport). */
export const OPEN_ACCESS: EndpointAccess = {
  requireAdmin: () => false,
  hasApi: () => false,
  allows: () => true,
};

const forbidden = () => new Refusal(403, '403: Forbidden', { body: { kind: 'text' } });

export const requireAdminWhenAsked =
  (access: EndpointAccess): MiddlewareHandler<McpEnv> =>
  async (c, next) => {
    if (access.requireAdmin() && !c.var.principal.isAdmin) throw forbidden();
    await next();
  };

export const perApiAccess =
  (access: EndpointAccess): MiddlewareHandler<McpEnv> =>
  async (c, next) => {
    const api = c.req.param('api') ?? '';
    const { principal } = c.var;
    if (!principal.isAdmin && !(access.hasApi(api) && access.allows(principal, api))) throw forbidden();
    if (!access.hasApi(api)) {
      throw new Refusal(404, `Unknown LLM API '${api}'`, { body: { kind: 'text' } });
    }
    await next();
  };
