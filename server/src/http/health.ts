import type { Hono } from 'hono';
import { VERSION } from '../version.js';

/**
 * `GET /healthz`: the listener is up (Docker's HEALTHCHECK and the tests use it). `home` says whether the
 * model of Home Assistant is live; the listener stays healthy while HA is away, since restarting the add-on
 * would not bring HA back.
 */
export function addHealthRoute(app: Hono, home?: () => string): Hono {
  app.get('/healthz', (c) => c.json({ status: 'ok', version: VERSION, ...(home ? { home: home() } : {}) }));
  return app;
}
