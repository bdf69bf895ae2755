/** The MCP listener: the published port LLM clients connect to. It trusts nothing but a bearer token. */
import { Hono } from 'hono';
import { addHealthRoute } from '../http/health.js';

export function createMcpApp(): Hono {
  const app = new Hono();
  addHealthRoute(app);
  return app;
}
