/**
 * Who may use the admin listener, as Hono middleware:
 *
 * - `ingressOnly`: in an add-on, only the Supervisor's ingress proxy may connect. Other add-ons share its
 *   network and could reach the port directly, forging `X-Remote-User-*`; they get 403. Standalone the
 *   listener binds loopback (main.ts), so there is no proxy to insist on.
 * - `identifyViewer`: reads the user the Supervisor vouches for (`X-Remote-User-Id/Name/Display-Name`),
 *   which is trusted only because `ingressOnly` ran first. Standalone without those headers, the person at
 *   the machine is the viewer and counts as an administrator.
 * - `adminForChanges`: reads are open to every viewer (the panel shows read-only); anything that changes
 *   something needs an HA administrator, because HA lets every user open every ingress panel.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Mode } from './contract.js';
import type { AdminEnv, Viewer } from './env.js';
import { ApiError } from './errors.js';
import type { HaUsers } from './users.js';

/** The Supervisor's address on the `hassio` network, where ingress requests come from. */
export const INGRESS_PROXY = '172.30.32.2';

export type { Mode } from './contract.js';

/** The connection's peer; undefined when there is no socket (as in `app.request()` without bindings). */
export function peerAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}

/** `::ffff:172.30.32.2` (an IPv4 peer on a dual-stack socket) is `172.30.32.2`. */
const unmapped = (address: string) => address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');

export interface IngressOnlyOptions {
  mode: Mode;
  /** Addresses allowed in an add-on (default: the ingress proxy only). */
  allow?: string[];
  peer?: (c: Context) => string | undefined;
}

/**
 * Refuses every peer but the ingress proxy, in an add-on.
 *
 * @param options.mode standalone lets everyone through (the listener is loopback-only)
 * @param [options.allow=['172.30.32.2']]
 * @param [options.peer=getConnInfo's remote address]
 * @throws {ApiError} 403 for any other peer
 */
export const ingressOnly = (options: IngressOnlyOptions): MiddlewareHandler => {
  const allowed = new Set((options.allow ?? [INGRESS_PROXY]).map(unmapped));
  const peer = options.peer ?? peerAddress;
  return async function ingressOnly(c, next) {
    if (options.mode === 'addon') {
      const address = peer(c);
      if (!address || !allowed.has(unmapped(address))) {
        throw new ApiError(
          403,
          'Forbidden: the admin panel is reached through Home Assistant (ingress) only'
        );
      }
    }
    await next();
  };
};

/**
 * The Supervisor writes the names as UTF-8 bytes; Node reads header bytes as Latin-1. Decodes them back
 * when they are valid UTF-8, and leaves plain ASCII (and anything else) as it came.
 */
export function headerText(value: string | undefined): string | null {
  if (value === undefined || value === '') return null;
  if (!/[\u0080-\u00ff]/.test(value) || /[^\u0000-\u00ff]/.test(value)) return value;
  const decoded = Buffer.from(value, 'latin1').toString('utf8');
  return decoded.includes('\ufffd') ? value : decoded;
}

export interface IdentifyOptions {
  mode: Mode;
  users: Pick<HaUsers, 'isAdmin'>;
}

/**
 * Sets `viewer` and `isAdmin` on the context. Standalone, ingress-style headers are still honoured when a
 * proxy (or a test) sends them: they can only make the viewer someone with fewer rights than the local user.
 */
export const identifyViewer = (options: IdentifyOptions): MiddlewareHandler<AdminEnv> =>
  async function identifyViewer(c, next) {
    const id = headerText(c.req.header('x-remote-user-id'));
    let viewer: Viewer;
    let isAdmin: () => Promise<boolean>;
    if (id === null && options.mode === 'standalone') {
      viewer = { id: null, name: null, displayName: null, source: 'local' };
      isAdmin = async () => true;
    } else {
      viewer = {
        id,
        name: headerText(c.req.header('x-remote-user-name')),
        displayName: headerText(c.req.header('x-remote-user-display-name')),
        source: 'ingress',
      };
      let answer: Promise<boolean> | undefined;
      isAdmin = () => (answer ??= id === null ? Promise.resolve(false) : options.users.isAdmin(id));
    }
    c.set('viewer', viewer);
    c.set('isAdmin', isAdmin);
    await next();
  };

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Lets reads through and checks the viewer is an HA administrator for everything else.
 *
 * @throws {ApiError} 403 for a viewer who is not an administrator
 * @throws {HaAwayError} when HA cannot say (503: a change needs HA anyway)
 */
export const adminForChanges = (): MiddlewareHandler<AdminEnv> =>
  async function adminForChanges(c, next) {
    if (!READS.has(c.req.method) && !(await c.var.isAdmin())) {
      throw new ApiError(403, 'Forbidden: only a Home Assistant administrator can change this');
    }
    await next();
  };
