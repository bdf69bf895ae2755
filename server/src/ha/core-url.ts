/**
 * Where to validate users' tokens. The Supervisor's proxy accepts only the add-on's own token, so in an
 * add-on user tokens go to Core directly: `homeassistant:<port>`, with the port and TLS from the
 * Supervisor's `/core/info` (which needs `hassio_api`). Core's port is never assumed: until the Supervisor
 * answers, validation reports Home Assistant unavailable and the next request asks again. Standalone it
 * is HA_URL.
 */
import type { Logger } from '../log.js';
import type { ServerConfig } from '../server-config.js';
import { HaAwayError } from './errors.js';
import { supervisorApi } from './supervisor.js';

export type CoreUrl = () => Promise<string>;

export function coreUrlOf(config: ServerConfig, log: Logger): CoreUrl {
  if (config.mode === 'standalone') return async () => config.haUrl;
  const api = supervisorApi(config.haToken, { timeoutMs: 10_000 });
  let found: string | undefined;
  return async () => {
    if (found) return found;
    try {
      const core = await api.get<{ port?: unknown; ssl?: unknown }>('/core/info');
      if (typeof core?.port !== 'number') throw new Error('it named no port');
      found = `${core.ssl ? 'https' : 'http'}://homeassistant:${core.port}`;
      log.info(`users' tokens are checked at ${found}`);
      return found;
    } catch (err) {
      log.warning(`cannot ask the Supervisor for Home Assistant's port: ${(err as Error).message}`);
      throw new HaAwayError('Home Assistant is unavailable (the Supervisor did not say which port it uses)');
    }
  };
}
