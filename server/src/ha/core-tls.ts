/**
 * How the server checks the certificate of the Home Assistant it talks to directly, for HTTP (fetch) and
 * WebSockets alike; every other host keeps Node's normal checks.
 *
 * - add-on: users' tokens and calls go to `https://homeassistant:<port>` when Core serves TLS
 *   (`/core/info` `ssl: true`). Core's certificate is made for the owner's public name (DuckDNS, Let's
 *   Encrypt, self-signed), never for `homeassistant`, and the Supervisor does not verify it on this internal
 *   hop either: so for the host `homeassistant` only, the certificate is not checked.
 * - standalone: HA_URL's host is checked as usual; `HA_CA_FILE` adds a CA (PEM) to trust for that host,
 *   for a self-signed Home Assistant.
 */
import { readFileSync } from 'node:fs';
import { rootCertificates, type ConnectionOptions } from 'node:tls';
import { Agent, buildConnector, setGlobalDispatcher } from 'undici';
import { ConfigError } from '../options.js';
import type { ServerConfig } from '../server-config.js';
import { setWebSocketTls } from './websocket.js';

/** Core's name on the add-on's internal network. */
export const CORE_HOST = 'homeassistant';

export type CoreTls =
  { check: 'normal' } | { check: 'none'; host: string } | { check: 'ca'; host: string; ca: string };

/** The rule for this configuration; reads HA_CA_FILE, which must be a PEM certificate. */
export function coreTlsOf(config: Pick<ServerConfig, 'mode' | 'haUrl' | 'haCaFile'>): CoreTls {
  if (config.mode === 'addon') return { check: 'none', host: CORE_HOST };
  if (!config.haCaFile) return { check: 'normal' };
  let ca: string;
  try {
    ca = readFileSync(config.haCaFile, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read HA_CA_FILE ${config.haCaFile}: ${(err as Error).message}`);
  }
  if (!ca.includes('-----BEGIN CERTIFICATE-----')) {
    throw new ConfigError(`HA_CA_FILE ${config.haCaFile} holds no PEM certificate`);
  }
  return { check: 'ca', host: new URL(config.haUrl).hostname, ca };
}

/** TLS options for a connection to `hostname`; undefined keeps Node's own. */
export function tlsFor(rule: CoreTls, hostname: string): ConnectionOptions | undefined {
  if (rule.check === 'normal' || hostname.toLowerCase() !== rule.host.toLowerCase()) return undefined;
  return rule.check === 'none' ? { rejectUnauthorized: false } : { ca: [...rootCertificates, rule.ca] };
}

/** Applies the rule to every fetch and WebSocket of the process (called once, by main.ts). */
export function installCoreTls(rule: CoreTls): void {
  if (rule.check === 'normal') return;
  const normal = buildConnector({});
  const relaxed = buildConnector(tlsFor(rule, rule.host) as buildConnector.BuildOptions);
  setGlobalDispatcher(
    new Agent({
      connect: (options, callback) => (tlsFor(rule, options.hostname) ? relaxed : normal)(options, callback),
    })
  );
  setWebSocketTls((hostname) => tlsFor(rule, hostname));
}
