/**
 * Where to validate users' tokens. The Supervisor's proxy accepts only the add-on's own token, so in an
 * add-on user tokens go to Core directly: `homeassistant:<port>`, with the port and TLS from the
 * Supervisor's `/core/info` (which needs `hassio_api`). Core's port is never assumed: until the Supervisor
 * answers, validation reports Home Assistant unavailable and the next request asks again. Standalone it
 * is HA_URL.
 */
import type { Logger } from '../log.js';
import { HaUnavailableError } from './errors.js';
import type { Settings } from '../settings.js';

export type CoreUrl = () => Promise<string>;

export function coreUrlOf(settings: Settings, log: Logger): CoreUrl {
  if (settings.mode === 'standalone') return async () => settings.haUrl;
  let found: string | undefined;
  return async () => {
    if (found) return found;
    try {
      const res = await fetch('http://supervisor/core/info', {
        headers: { authorization: `Bearer ${settings.haToken}` },
        signal: AbortSignal.timeout(10_000),
      });
      const body = (await res.json()) as { data?: { port?: number; ssl?: boolean } };
      if (!res.ok || typeof body.data?.port !== 'number') throw new Error(`HTTP ${res.status}`);
      found = `${body.data.ssl ? 'https' : 'http'}://homeassistant:${body.data.port}`;
      log.info(`users' tokens are checked at ${found}`);
      return found;
    } catch (err) {
      log.warning(`cannot ask the Supervisor for Home Assistant's port: ${(err as Error).message}`);
      throw new HaUnavailableError(
        'Home Assistant is unavailable (the Supervisor did not say which port it uses)'
      );
    }
  };
}
