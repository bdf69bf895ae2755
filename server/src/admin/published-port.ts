/**
 * The host port the Supervisor publishes the MCP port on. The owner can map 9123/tcp to another host port
 * in the add-on's Network settings, or switch it off; the panel's URLs and the connection test must use
 * what clients can really reach. Read from `GET http://supervisor/addons/self/info` (`network`), cached
 * for a minute: it only changes when the owner saves the Network settings, which restarts the add-on.
 */
import { supervisorApi } from '../ha/supervisor.js';

/** The published host port; null when the port is not published; undefined when the Supervisor did not say. */
export type PublishedPort = () => Promise<number | null | undefined>;

export function supervisorPublishedPort(options: {
  token: string;
  containerPort: number;
  fetch?: typeof fetch;
  now?: () => number;
  ttlMs?: number;
}): PublishedPort {
  const supervisor = supervisorApi(options.token, {
    timeoutMs: 5_000,
    ...(options.fetch && { fetch: options.fetch }),
  });
  const now = options.now ?? Date.now;
  const ttl = options.ttlMs ?? 60_000;
  let cached: { port: number | null; until: number } | undefined;
  return async () => {
    if (cached && cached.until > now()) return cached.port;
    try {
      const info = await supervisor.get<{ network?: Record<string, number | null> | null }>(
        '/addons/self/info'
      );
      const published = info?.network?.[`${options.containerPort}/tcp`];
      const port = typeof published === 'number' ? published : null;
      cached = { port, until: now() + ttl };
      return port;
    } catch {
      return undefined;
    }
  };
}
