/**
 * Whether a request reached this server through Home Assistant's own URL: the companion integration passes
 * `<HA URL>/api/mcp_addon/<path>` on as `/<path>` and says where the client was in `X-Forwarded-Proto` and
 * `X-Forwarded-Host` (Home Assistant's address as the client used it: its Cloud URL, its reverse proxy's
 * name, its address at home) and `X-Forwarded-Prefix` (`/api/mcp_addon`). Believed only from a peer the
 * server trusts (Core's address); from anyone else the headers change nothing.
 *
 * The OAuth issuer and resource, the metadata's URLs and the legacy SSE stream's message path then live
 * under that address and prefix, so that a client never leaves Home Assistant's URL; and the browser logs in
 * at Home Assistant on the same origin.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { firstListed, peerOf, unmapped } from './client-address.js';

export interface ThroughHomeAssistant {
  /** Home Assistant's origin as the client reached it (`https://example.ui.nabu.casa`). */
  origin: string;
  /** The companion's path on it (`/api/mcp_addon`): this server's paths follow it. */
  prefix: string;
}

declare module 'hono' {
  interface ContextVariableMap {
    /** Set by `trustHomeAssistantUrlFrom()` for a request the companion passed on. */
    throughHomeAssistant: ThroughHomeAssistant | undefined;
  }
}

/** A path of plain segments, without a trailing slash: nothing that could leave it or start a query. */
const PREFIX = /^(?:\/[A-Za-z0-9._~-]+)+$/;

/** What the companion's headers say; undefined when they are missing or malformed. */
export function parseThroughHomeAssistant(
  header: (name: string) => string | undefined
): ThroughHomeAssistant | undefined {
  const proto = firstListed(header('x-forwarded-proto'));
  const host = firstListed(header('x-forwarded-host'));
  const prefix = firstListed(header('x-forwarded-prefix'));
  if ((proto !== 'http' && proto !== 'https') || !host || !prefix || !PREFIX.test(prefix)) return undefined;
  if (prefix.split('/').some((segment) => segment === '.' || segment === '..')) return undefined;
  try {
    const url = new URL(`${proto}://${host}`);
    // A host with a path, a user or a query in it is not a host.
    if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) return undefined;
    return { origin: url.origin, prefix };
  } catch {
    return undefined;
  }
}

/** Middleware: records, for a request from a `trusted` peer, where the companion says the client was. */
export function trustHomeAssistantUrlFrom(trusted: (peer: string) => boolean): MiddlewareHandler {
  return async function homeAssistantUrl(c, next) {
    const through = trusted(unmapped(peerOf(c)))
      ? parseThroughHomeAssistant((n) => c.req.header(n))
      : undefined;
    c.set('throughHomeAssistant', through);
    await next();
  };
}

/** Where the companion says the client was, when it passed the request on. */
export const throughHomeAssistant = (c: Context): ThroughHomeAssistant | undefined =>
  c.get('throughHomeAssistant');
