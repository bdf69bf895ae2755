/** Starts a Hono app on a host and port, and stops it without cutting requests already in flight. */
import { serve, type ServerType } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Hono } from 'hono';
import { STOP_BUDGET } from '../stop-budget.js';

export interface Listener {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  /** Stops accepting connections, lets in-flight requests finish, then closes what is left. */
  close(graceMs?: number): Promise<void>;
}

export function listen(name: string, app: Hono, host: string, port: number): Promise<Listener> {
  return new Promise((resolve, reject) => {
    let server: ServerType;
    const onError = (err: NodeJS.ErrnoException) => {
      const why = err.code === 'EADDRINUSE' ? `port ${port} is already in use` : err.message;
      reject(new Error(`cannot start the ${name} listener on ${host}:${port}: ${why}`));
    };
    server = serve({ fetch: app.fetch, hostname: host, port }, (info: AddressInfo) => {
      (server as Server).off('error', onError);
      const http = server as Server;
      // A keep-alive connection whose last request ends during the drain would otherwise stay open for
      // Node's keep-alive timeout (5 s) and hold the close: closed as soon as it is idle.
      let closing = false;
      http.on('request', (_req, res) =>
        res.once('close', () => closing && setImmediate(() => http.closeIdleConnections()))
      );
      resolve({
        name,
        host,
        port: info.port,
        close(graceMs = STOP_BUDGET.drainMs) {
          closing = true;
          return new Promise<void>((done) => {
            const timer = setTimeout(() => http.closeAllConnections(), graceMs);
            http.close(() => {
              clearTimeout(timer);
              done();
            });
            http.closeIdleConnections();
          });
        },
      });
    });
    (server as Server).once('error', onError);
  });
}
