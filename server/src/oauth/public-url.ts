/**
 * The two addresses an OAuth sign-in depends on, and where each comes from.
 *
 * The add-on's own (the issuer; the MCP resource under it): the `external_url` option when set; else what a
 * TLS-terminating proxy in front says it was reached at (`X-Forwarded-Proto`/`-Host`); else the request's
 * own origin, which is the address the client just used.
 *
 * Home Assistant's, where the browser logs in: HA's own setting (Settings → System → Network) that suits the
 * client: the external URL when the add-on was reached from the internet, the internal one on the home
 * network. At home, with neither set, HA on the host the client already reached, at HA's own port. From the
 * internet without an external URL there is no address to give: the answer says what to set.
 */
import { isIP } from 'node:net';
import { firstListed } from '../http/client-address.js';
import { isPublicAddress } from './address.js';

export interface RequestAddress {
  url: string;
  header(name: string): string | undefined;
}

export function publicBaseUrl(configured: string | undefined, request: RequestAddress): string {
  if (configured) return configured.replace(/\/+$/, '');
  const own = new URL(request.url);
  const proto = firstListed(request.header('x-forwarded-proto'));
  const host = firstListed(request.header('x-forwarded-host'));
  if (proto === 'https' || proto === 'http' || host) {
    try {
      return new URL(
        `${proto === 'https' || proto === 'http' ? proto : own.protocol.slice(0, -1)}://${host ?? own.host}`
      ).origin;
    } catch {
      // A forwarded host that is not a host: the request's own origin is still right.
    }
  }
  return own.origin;
}

/** A name or address on the home network (or this machine) rather than on the internet. */
export function isHomeNetworkHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (isIP(host)) return !isPublicAddress(host);
  return (
    !host.includes('.') ||
    host === 'localhost' ||
    /\.(local|lan|home|internal|localdomain|home\.arpa)$/.test(host) ||
    host.endsWith('.localhost')
  );
}

export interface HaAddresses {
  /** HA's configured URLs (`get_config`'s `external_url` and `internal_url`). */
  externalUrl?: string | null;
  internalUrl?: string | null;
  /** How the add-on reaches Core: its scheme and port are the ones HA serves on. */
  core?: string;
}

export type LoginUrl = { url: string } | { problem: string };

export function haLoginUrl(issuer: string, ha: HaAddresses): LoginUrl {
  const reached = new URL(issuer);
  const atHome = isHomeNetworkHost(reached.hostname);
  const preferred = atHome ? [ha.internalUrl, ha.externalUrl] : [ha.externalUrl];
  const configured = preferred.find((url): url is string => !!url);
  if (configured) return { url: configured.replace(/\/+$/, '') };
  if (atHome && ha.core) {
    const core = new URL(ha.core);
    return {
      url: `${core.protocol}//${reached.hostname}:${core.port || (core.protocol === 'https:' ? 443 : 80)}`,
    };
  }
  return {
    problem: atHome
      ? 'the add-on does not know Home Assistant’s address yet. Set it under Settings → System → Network in Home Assistant, then try again.'
      : `Home Assistant has no external URL, so your browser cannot be sent to its login page from ${reached.host}. Set the external URL under Settings → System → Network in Home Assistant, then try again.`,
  };
}
