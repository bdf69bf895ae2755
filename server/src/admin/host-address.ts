/**
 * How the home network reaches this host, for the panel's MCP URLs when Home Assistant has no internal URL.
 * Home Assistant then falls back to the host's own address (helpers/network.py `_get_internal_url`: the
 * detected local IP at its port; Core runs on the host's network), and it also knows itself as
 * `<hostname>.local` (get_url's known host names, from the Supervisor's host info). The add-on reads the
 * same two from the Supervisor: `GET /network/info` (the primary interface's IPv4 address, and whether that
 * interface answers mDNS) and `GET /info` (`hostname`). An add-on with `hassio_api` may read every
 * `/<x>/info`; `/info` is open to any add-on. Cached for a minute: a new DHCP lease or host name is rare.
 */
import { isIPv4 } from 'node:net';
import { supervisorApi } from '../ha/supervisor.js';

export interface HostAddress {
  /** The primary interface's IPv4 address; null when the Supervisor knows none. */
  ip: string | null;
  /** `<hostname>.local` when the host announces itself over mDNS; null when it does not, or has no name. */
  mdnsName: string | null;
}

/** The host's address; undefined when the Supervisor did not answer. */
export type HostAddresses = () => Promise<HostAddress | undefined>;

/** One interface as `/network/info` lists it (the fields read here). */
interface NetworkInterface {
  primary?: boolean;
  connected?: boolean;
  /** `default`, `off`, `resolve` or `announce` (Supervisor 2025.09 and later; absent before). */
  mdns?: string;
  ipv4?: { address?: string[] } | null;
}

/** Modes in which the host answers `<hostname>.local` for others; `resolve` only asks, `off` neither. */
const ANNOUNCES = new Set([undefined, 'default', 'announce']);

/** A host name of one label, as the Supervisor keeps it (`homeassistant`). */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,62})$/i;

/** The interface the home network knows the host by: the primary one, else any connected one with IPv4. */
function homeInterface(interfaces: NetworkInterface[]): NetworkInterface | undefined {
  const usable = interfaces.filter((i) => i.connected !== false && (i.ipv4?.address?.length ?? 0) > 0);
  return usable.find((i) => i.primary) ?? usable[0];
}

export function supervisorHostAddress(options: {
  token: string;
  fetch?: typeof fetch;
  now?: () => number;
  ttlMs?: number;
}): HostAddresses {
  const supervisor = supervisorApi(options.token, {
    timeoutMs: 5_000,
    ...(options.fetch && { fetch: options.fetch }),
  });
  const now = options.now ?? Date.now;
  const ttl = options.ttlMs ?? 60_000;
  let cached: { address: HostAddress; until: number } | undefined;
  return async () => {
    if (cached && cached.until > now()) return cached.address;
    const [network, info] = await Promise.allSettled([
      supervisor.get<{ interfaces?: NetworkInterface[] }>('/network/info'),
      supervisor.get<{ hostname?: string | null }>('/info'),
    ]);
    if (network.status === 'rejected' && info.status === 'rejected') return undefined;
    const home = network.status === 'fulfilled' ? homeInterface(network.value?.interfaces ?? []) : undefined;
    const hostname = info.status === 'fulfilled' ? info.value?.hostname : undefined;
    const ip = home?.ipv4?.address?.[0]?.split('/')[0];
    const address: HostAddress = {
      ip: ip && isIPv4(ip) ? ip : null,
      mdnsName:
        hostname && LABEL.test(hostname) && ANNOUNCES.has(home?.mdns)
          ? `${hostname.toLowerCase()}.local`
          : null,
    };
    cached = { address, until: now() + ttl };
    return address;
  };
}
