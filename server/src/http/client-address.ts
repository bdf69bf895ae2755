/**
 * Who a request comes from. The connection's peer, unless the peer is a proxy the server trusts: Home
 * Assistant's Core, passing requests on through the companion integration (`/api/mcp_addon`), which names
 * the client it answered in `X-Forwarded-For`. Then the last address of that header is the client, so the
 * limits per address and the request log see each client, not Core. From any other peer the header is
 * ignored: anyone could write it.
 */
import { isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';

declare module 'hono' {
  interface ContextVariableMap {
    /** Set by `trustForwardedFrom()`. */
    clientAddress: string;
  }
}

/** `::ffff:172.30.32.2` (an IPv4 peer on a dual-stack socket) is `172.30.32.2`. */
export const unmapped = (address: string) => address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');

/** The connection's peer (`unknown` when there is none, as in `app.request()`). */
export function peerOf(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The first value of a header that lists several (`X-Forwarded-Proto: https, http`), if it has one. */
export const firstListed = (value: string | undefined): string | undefined =>
  value?.split(',')[0]?.trim() || undefined;

/** The address a trusted proxy forwarded: the last entry of X-Forwarded-For, when it is an IP address. */
export function forwardedAddress(header: string | undefined): string | undefined {
  const last = header?.split(',').at(-1)?.trim();
  return last && isIP(last) ? last : undefined;
}

/** Middleware: records each request's client address, from `X-Forwarded-For` only when `trusted(peer)`. */
export function trustForwardedFrom(trusted: (peer: string) => boolean): MiddlewareHandler {
  return async function clientAddress(c, next) {
    const peer = peerOf(c);
    const forwarded = trusted(unmapped(peer)) ? forwardedAddress(c.req.header('x-forwarded-for')) : undefined;
    c.set('clientAddress', forwarded ?? peer);
    await next();
  };
}

/** The client's address: as `trustForwardedFrom()` found it, or the peer where it did not run. */
export function clientAddressOf(c: Context): string {
  return c.get('clientAddress') ?? peerOf(c);
}
