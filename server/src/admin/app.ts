/**
 * The admin listener: the ingress port the Home Assistant sidebar panel is served from. It serves the
 * built panel (ui/dist) and its API (`/api/admin`, api.ts), with relative URLs only, so it works under any
 * ingress path. `/healthz` answers anyone (Docker's health check comes from inside the container); in an
 * add-on everything else answers the Supervisor's ingress proxy only (access.ts).
 */
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { serveStatic } from '@hono/node-server/serve-static';
import { fileURLToPath } from 'node:url';
import type { Home } from '../ha/home.js';
import { addHealthRoute } from '../http/health.js';
import { ingressOnly } from './access.js';
import { ADMIN_API_PATH, createAdminApi, type AdminApiDeps } from './api.js';
import { mapErrors } from './errors.js';

/** ui/dist, three levels up from both server/src/admin and server/dist/admin. */
export const UI_DIR = fileURLToPath(new URL('../../../ui/dist', import.meta.url));

export interface AdminAppDeps {
  home: Home;
  uiDir?: string;
  /** The panel's API; without it the listener serves only `/healthz` and the panel's files. */
  api?: Omit<AdminApiDeps, 'home'>;
}

export function createAdminApp(deps: AdminAppDeps): Hono {
  const app = new Hono();
  addHealthRoute(app, () => deps.home.status);
  if (deps.api) {
    app.onError(mapErrors(deps.api.log));
    app.use('*', ingressOnly({ mode: deps.api.mode }));
    // The panel lives in HA's same-origin iframe: SAMEORIGIN framing is what it needs (never DENY or
    // frame-ancestors 'none'). No HSTS: the answer reaches the browser on HA's origin, which is HA's to set.
    app.use('*', secureHeaders({ xFrameOptions: 'SAMEORIGIN', strictTransportSecurity: false }));
    app.route(ADMIN_API_PATH, createAdminApi({ ...deps.api, home: deps.home }));
  }
  app.use('/*', serveStatic({ root: deps.uiDir ?? UI_DIR }));
  return app;
}
