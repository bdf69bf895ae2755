/** The MCP listener: the published port LLM clients connect to. It trusts nothing but a bearer token. */
import { Hono } from 'hono';
import type { Home } from '../ha/home.js';
import { trustForwardedFrom } from '../http/client-address.js';
import { trustHomeAssistantUrlFrom } from '../http/home-assistant-url.js';
import { addHealthRoute } from '../http/health.js';
import { createMcpRoutes, type McpRoutesDeps } from './routes.js';

export interface McpAppDeps {
  home: Home;
  /** The MCP endpoints; without them the listener only answers `/healthz`. */
  mcp?: McpRoutesDeps;
  /** The OAuth authorization server's endpoints and metadata (oauth/routes.ts), on the same origin. */
  oauth?: Hono;
  /**
   * Peers whose X-Forwarded-For names the client and whose X-Forwarded-Proto/-Host/-Prefix name Home
   * Assistant's URL the client used (Core, through the companion integration).
   */
  trustedProxy?: (peer: string) => boolean;
}

export function createMcpApp(deps: McpAppDeps): Hono {
  const app = new Hono();
  if (deps.trustedProxy) {
    app.use('*', trustForwardedFrom(deps.trustedProxy));
    app.use('*', trustHomeAssistantUrlFrom(deps.trustedProxy));
  }
  addHealthRoute(app, () => deps.home.status);
  if (deps.oauth) app.route('/', deps.oauth);
  if (deps.mcp) app.route('/', createMcpRoutes(deps.mcp));
  return app;
}
