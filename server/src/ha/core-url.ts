/**
 * Where to validate users' tokens. The Supervisor's proxy accepts only the add-on's own token, so in an
 * add-on user tokens go to Core directly: `homeassistant:<port>` (port and TLS from the Supervisor's
 * `/core/info`, which needs `hassio_api`). Standalone it is HA_URL.
 */
import type { Logger } from '../log.js';
import type { Settings } from '../settings.js';

export async function discoverCoreUrl(settings: Settings, log: Logger): Promise<string> {
  if (settings.mode === 'standalone') return settings.haUrl;
  try {
    const res = await fetch('http://supervisor/core/info', {
      headers: { authorization: `Bearer ${settings.haToken}` },
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await res.json()) as { data?: { port?: number; ssl?: boolean } };
    const port = body.data?.port ?? 8123;
    return `${body.data?.ssl ? 'https' : 'http'}://homeassistant:${port}`;
  } catch (err) {
    log.warning(
      `cannot ask the Supervisor for Home Assistant's port (${(err as Error).message}); assuming 8123`
    );
    return 'http://homeassistant:8123';
  }
}
