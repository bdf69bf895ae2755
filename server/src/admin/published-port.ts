/**
 * The host port the Supervisor publishes the MCP port on. The owner can map 9123/tcp to another host port
 * in the add-on's Network settings, or switch it off; the panel's URLs and the connection test must use
 * what clients can really reach. Read from `GET http://supervisor/addons/self/info` (`network`), cached
 * for a minute: it only changes when the owner saves the Network settings, which restarts the add-on.
 */

/** The published host port; null when the port is not published; undefined when the Supervisor did not say. */
export type PublishedPort = () => Promise<number | null | undefined>;

export function supervisorPublishedPort(options: {
  token: string;
  containerPort: number;
  fetch?: typeof fetch;
  now?: () => number;
  ttlMs?: number;
}): PublishedPort {
  const get = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const ttl = options.ttlMs ?? 60_000;
  let cached: { port: number | null; until: number } | undefined;
  return async () => {
    if (cached && cached.until > now()) return cached.port;
    try {
      const res = await get('http://supervisor/addons/self/info', {
        headers: { authorization: `Bearer ${options.token}` },
        signal: AbortSignal.timeout(5_000),
      });
      if (!res.ok) return undefined;
      const body = (await res.json()) as { data?: { network?: Record<string, number | null> | null } };
      const published = body.data?.network?.[`${options.containerPort}/tcp`];
      const port = typeof published === 'number' ? published : null;
      cached = { port, until: now() + ttl };
      return port;
    } catch {
      return undefined;
    }
  };
}
