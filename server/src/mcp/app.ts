/** The MCP listener: the published port LLM clients connect to. It trusts nothing but a bearer token. */
import { Hono } from 'hono';
import type { Home } from '../ha/home.js';
import { addHealthRoute } from '../http/health.js';

export interface McpAppDeps {
  home: Home;
}

export function createMcpApp(deps: McpAppDeps): Hono {
  const app = new Hono();
  addHealthRoute(app, () => deps.home.status);
  return app;
}
