/**
 * Everything the server needs to start, from one of two places:
 * - add-on: `SUPERVISOR_TOKEN` is set; HA is reached through the Supervisor's proxy, options come from
 *   `/data/options.json`, the MCP port and the ingress port are fixed by `config.yaml`;
 * - standalone: `HA_URL` and `HA_TOKEN` (an admin long-lived token), `MCP_PORT`, `ADMIN_PORT`, `DATA_DIR`
 *   and an optional `DATA_DIR/options.json`; `HA_CA_FILE` names a CA to trust for a self-signed HA_URL
 *   (core-tls.ts). The admin listener binds loopback.
 * Either: `HA_CONFIG_DIR` (HA's config folder, for the companion integration) and `COMPANION_ADDON_URL`.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, parseOptions, type Options } from './options.js';

/** The published MCP port (config.yaml `ports`) and the ingress port (Supervisor's default). */
export const DEFAULT_MCP_PORT = 9123;
export const DEFAULT_ADMIN_PORT = 8099;

export interface ServerConfig {
  mode: 'addon' | 'standalone';
  /** Base URL of Home Assistant's API (REST and WebSocket). */
  haUrl: string;
  /** The admin credential for the one WebSocket link: the Supervisor token or an admin long-lived token. */
  haToken: string;
  /** Standalone: a PEM file with a CA to trust for HA_URL's certificate. */
  haCaFile?: string;
  mcp: { host: string; port: number };
  admin: { host: string; port: number };
  dataDir: string;
  options: Options;
  /**
   * Home Assistant's config folder, where the companion integration is installed: in an add-on
   * `/homeassistant` (config.yaml's `homeassistant_config` map); standalone only when `HA_CONFIG_DIR` is set
   * (which overrides the add-on's too).
   */
  haConfigDir?: string;
  /** `COMPANION_ADDON_URL`: where Core reaches the MCP listener (default in an add-on: its hostname, port 9123). */
  companionAddonUrl?: string;
}

type Env = Record<string, string | undefined>;

function port(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new ConfigError(`${name} must be a port number from 1 to 65535, not '${raw}'`);
  }
  return value;
}

function readOptionsFile(file: string, required: boolean): Options {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (!required && (err as NodeJS.ErrnoException).code === 'ENOENT') return parseOptions({}, file);
    throw new ConfigError(`cannot read options from ${file}: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  return parseOptions(raw, file);
}

function haUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`HA_URL must be a URL such as http://homeassistant.local:8123, not '${raw}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`HA_URL must start with http:// or https://, not '${url.protocol}'`);
  }
  return url.toString().replace(/\/+$/, '');
}

export function loadServerConfig(env: Env = process.env): ServerConfig {
  const supervisorToken = env.SUPERVISOR_TOKEN;
  if (supervisorToken) {
    const dataDir = env.DATA_DIR ?? '/data';
    return {
      mode: 'addon',
      haUrl: 'http://supervisor/core',
      haToken: supervisorToken,
      mcp: { host: '0.0.0.0', port: port(env, 'MCP_PORT', DEFAULT_MCP_PORT) },
      // Reachable only on the add-on's network; every request's peer is checked against the ingress proxy.
      admin: { host: '0.0.0.0', port: port(env, 'ADMIN_PORT', DEFAULT_ADMIN_PORT) },
      dataDir,
      options: readOptionsFile(join(dataDir, 'options.json'), true),
      haConfigDir: env.HA_CONFIG_DIR || '/homeassistant',
      ...(env.COMPANION_ADDON_URL && { companionAddonUrl: env.COMPANION_ADDON_URL }),
    };
  }
  const missing = ['HA_URL', 'HA_TOKEN'].filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new ConfigError(
      `${missing.join(' and ')} must be set: outside a Home Assistant add-on the server needs the URL of ` +
        'Home Assistant (HA_URL) and an admin long-lived access token (HA_TOKEN)'
    );
  }
  const dataDir = resolve(env.DATA_DIR ?? 'data');
  return {
    mode: 'standalone',
    haUrl: haUrl(env.HA_URL!),
    haToken: env.HA_TOKEN!,
    ...(env.HA_CA_FILE && { haCaFile: resolve(env.HA_CA_FILE) }),
    mcp: { host: env.MCP_HOST || '127.0.0.1', port: port(env, 'MCP_PORT', DEFAULT_MCP_PORT) },
    admin: { host: '127.0.0.1', port: port(env, 'ADMIN_PORT', DEFAULT_ADMIN_PORT) },
    dataDir,
    options: readOptionsFile(join(dataDir, 'options.json'), false),
    ...(env.HA_CONFIG_DIR && { haConfigDir: resolve(env.HA_CONFIG_DIR) }),
    ...(env.COMPANION_ADDON_URL && { companionAddonUrl: env.COMPANION_ADDON_URL }),
  };
}
