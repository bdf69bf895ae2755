/**
 * The admin listener: the ingress port the Home Assistant sidebar panel is served from. It serves the
 * built panel (ui/dist) with relative URLs only, so it works under any ingress path.
 */
import { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import { fileURLToPath } from 'node:url';
import type { Home } from '../ha/home.js';
import { addHealthRoute } from '../http/health.js';

/** ui/dist, three levels up from both server/src/admin and server/dist/admin. */
export const UI_DIR = fileURLToPath(new URL('../../../ui/dist', import.meta.url));

export interface AdminAppDeps {
  home: Home;
  uiDir?: string;
}

export function createAdminApp(deps: AdminAppDeps): Hono {
  const app = new Hono();
  addHealthRoute(app, () => deps.home.status);
  app.use('/*', serveStatic({ root: deps.uiDir ?? UI_DIR }));
  return app;
}
