/**
 * The one WebSocket link to Home Assistant, with the add-on's admin credential (the Supervisor token through
 * `http://supervisor/core`, or HA_TOKEN standalone). home-assistant-js-websocket reconnects it after a drop
 * (backoff up to 5 s); until the first connection this module retries with its own backoff, saying so.
 */
import {
  createConnection,
  createLongLivedTokenAuth,
  ERR_INVALID_AUTH,
  type Connection,
} from 'home-assistant-js-websocket';
import type { Logger } from '../log.js';
import { InvalidAdminTokenError } from './errors.js';
import './websocket.js';

export interface LinkOptions {
  url: string;
  token: string;
  log: Logger;
  /** Aborting stops the first-connection retries. */
  signal?: AbortSignal;
  /** Delays between first-connection attempts, in ms; the last repeats. */
  backoffMs?: number[];
}

const DEFAULT_BACKOFF = [1_000, 2_000, 4_000, 8_000, 15_000, 30_000];

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true }
    );
  });
}

/** Connects, retrying until HA answers. A refused token ends it at once: retrying cannot help. */
export async function connectLink(options: LinkOptions): Promise<Connection> {
  const { url, token, log, signal } = options;
  const backoff = options.backoffMs ?? DEFAULT_BACKOFF;
  for (let attempt = 0; ; attempt++) {
    signal?.throwIfAborted();
    try {
      const conn = await createConnection({ auth: createLongLivedTokenAuth(url, token), setupRetry: 0 });
      log.info('connected to Home Assistant', { version: conn.haVersion });
      return conn;
    } catch (err) {
      if (err === ERR_INVALID_AUTH) {
        throw new InvalidAdminTokenError(
          `Home Assistant at ${url} refused the add-on's access token: ` +
            (url.includes('supervisor')
              ? 'restart the add-on so the Supervisor issues a new one'
              : 'HA_TOKEN must be a valid long-lived access token of an administrator')
        );
      }
      const delay = backoff[Math.min(attempt, backoff.length - 1)]!;
      log.warning(`cannot reach Home Assistant at ${url}, retrying in ${delay / 1000}s`);
      await sleep(delay, signal);
    }
  }
}
