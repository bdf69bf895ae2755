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
 *   something needs an HA administrator, because HA lets every user open every ingress panel. One
 *   exception (`OWN_ANSWERS`): a user answers the calls waiting for their own approval (approvals.ts).
 * - `readerOf`: what people did is private: the request log (pages, exports, the live tail), clients, tool
 *   figures and sign-ins are everyone's for an administrator, and only the viewer's own for anyone else.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { unmapped } from '../http/client-address.js';
import { HaError } from '../ha/errors.js';
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
 * POST /approvals/:id (under the API's path): a person's answer to a call that waits for them. The engine
 * takes it only from the call's own user or an administrator (approvals/engine.ts `decide`), and the route
 * shows a viewer nothing but their own calls, so it is open to every viewer: a user who is not an
 * administrator must be able to allow or deny what a client does in their name.
 */
export const OWN_ANSWERS = /^(?:\/api\/admin)?\/approvals\/[^/]+$/;

/**
 * Lets reads through, and answers to approvals (`OWN_ANSWERS`), and checks the viewer is an HA
 * administrator for everything else.
 *
 * @throws {ApiError} 403 for a viewer who is not an administrator
 * @throws {HaAwayError} when HA cannot say (503: a change needs HA anyway)
 */
export const adminForChanges = (): MiddlewareHandler<AdminEnv> =>
  async function adminForChanges(c, next) {
    const ownAnswer = c.req.method === 'POST' && OWN_ANSWERS.test(c.req.path);
    if (!READS.has(c.req.method) && !ownAnswer && !(await c.var.isAdmin())) {
      throw new ApiError(403, 'Forbidden: only a Home Assistant administrator can change this');
    }
    await next();
  };

/**
 * Whose activity a viewer may read: an administrator everyone's, anyone else only the rows that carry their
 * own HA user id. Rows without a user (failed sign-ins, refused tokens) are no one's own: only administrators
 * see them.
 */
export type Reader = { everyone: true } | { everyone: false; userId: string };

/** An ingress session the Supervisor named no user for (`X-Remote-User-Id` missing): nothing in it is theirs. */
export class UnnamedViewerError extends ApiError {
  constructor() {
    super(
      403,
      'Forbidden: Home Assistant did not say who is looking, and activity is shown to its own user only'
    );
  }
}

/**
 * The viewer as a reader of the request log, clients and sign-ins. When HA cannot say whether the viewer is
 * an administrator (it is away, or refuses the add-on's question), they read their own rows only: the log
 * stays readable while HA is away, and no one is shown more than they are sure to be allowed.
 *
 * @throws {UnnamedViewerError} for a viewer who is not an administrator and has no HA user id
 */
export async function readerOf(c: Context<AdminEnv>): Promise<Reader> {
  let admin = false;
  try {
    admin = await c.var.isAdmin();
  } catch (err) {
    if (!(err instanceof HaError)) throw err;
  }
  if (admin) return { everyone: true };
  const userId = c.var.viewer.id;
  if (userId === null) throw new UnnamedViewerError();
  return { everyone: false, userId };
}

/**
 * A filter as the reader may have it: for anyone but an administrator, the user is theirs whatever the
 * query asked for (a filter for another user never widens what they see).
 */
export function ownOnly<F extends { userId?: string }>(filter: F, reader: Reader): F {
  return reader.everyone ? filter : { ...filter, userId: reader.userId };
}
