import type { Hono } from 'hono';
import { VERSION } from '../version.js';

/** `GET /healthz`: the listener is up. Docker's HEALTHCHECK and the tests use it. */
export function addHealthRoute(app: Hono): Hono {
  app.get('/healthz', (c) => c.json({ status: 'ok', version: VERSION }));
  return app;
}
