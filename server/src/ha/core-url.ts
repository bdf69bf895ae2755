/**
 * Where to validate users' tokens. The Supervisor's proxy accepts only the add-on's own token, so in an
 * add-on user tokens go to Core directly: `homeassistant:<port>`, with the port and TLS from the
 * Supervisor's `/core/info` (which needs `hassio_api`). Core's port is never assumed: until the Supervisor
 * answers, validation reports Home Assistant unavailable and the next request asks again. The owner can
 * change the port or TLS in HA's network settings at any time; either takes a restart of Core, after which
 * `recheck()` (called when the add-on's link to Core is back) makes the next request ask again. Standalone
 * it is HA_URL.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Logger } from '../log.js';
import type { ServerConfig } from '../server-config.js';
import { CORE_HOST } from './core-tls.js';
import { HaAwayError } from './errors.js';
import { supervisorApi, type SupervisorOptions } from './supervisor.js';

/** Core's address on the add-on network (`hassio`, 172.30.32.0/23): where its requests to add-ons come from. */
export const CORE_ADDRESS = '172.30.32.1';

/**
 * The addresses Core's requests come from: on the add-on network in an add-on; standalone, what HA_URL's
 * host resolves to (looked up once, at start).
 */
export async function coreAddresses(config: Pick<ServerConfig, 'mode' | 'haUrl'>): Promise<Set<string>> {
  if (config.mode === 'addon') return new Set([CORE_ADDRESS]);
  const host = new URL(config.haUrl).hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return new Set([host]);
  try {
    return new Set((await lookup(host, { all: true })).map((found) => found.address));
  } catch {
    return new Set();
  }
}

export interface CoreUrl {
  (): Promise<string>;
  /** Core has restarted, perhaps on another port or with TLS switched: ask the Supervisor again. */
  recheck(): void;
}

export function coreUrlOf(
  config: Pick<ServerConfig, 'mode' | 'haUrl' | 'haToken'>,
  log: Logger,
  supervisor: SupervisorOptions = {}
): CoreUrl {
  if (config.mode === 'standalone') return Object.assign(async () => config.haUrl, { recheck() {} });
  const api = supervisorApi(config.haToken, { timeoutMs: 10_000, ...supervisor });
  // Each recheck starts a new generation; an answer counts for the generation that asked.
  let generation = 0;
  let found: { url: string; generation: number } | undefined;
  let asking: Promise<string> | undefined;
  const ask = async (asked: number): Promise<string> => {
    try {
      const core = await api.get<{ port?: unknown; ssl?: unknown }>('/core/info');
      if (typeof core?.port !== 'number') throw new Error('it named no port');
      const url = `${core.ssl ? 'https' : 'http'}://${CORE_HOST}:${core.port}`;
      if (url !== found?.url) log.info(`users' tokens are checked at ${url}`);
      found = { url, generation: asked };
      return url;
    } catch (err) {
      log.warning(`cannot ask the Supervisor for Home Assistant's port: ${(err as Error).message}`);
      throw new HaAwayError('Home Assistant is unavailable (the Supervisor did not say which port it uses)');
    } finally {
      asking = undefined;
    }
  };
  const url = async () => {
    if (found && found.generation === generation) return found.url;
    asking ??= ask(generation);
    return asking;
  };
  return Object.assign(url, {
    recheck() {
      generation += 1;
    },
  });
}
