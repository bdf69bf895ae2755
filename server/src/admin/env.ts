/** What the admin API's middleware hands on to handlers, through Hono's context. */

/** Who is looking at the panel. */
export interface Viewer {
  /** The HA user's id; null for the local user of a standalone server, or an ingress session without a user. */
  id: string | null;
  /** The HA user name (login), if known. */
  name: string | null;
  displayName: string | null;
  /**
   * Where the identity comes from: the Supervisor's ingress headers, or (standalone, without them) the
   * person at the machine, whom the loopback-only listener already trusts with everything.
   */
  source: 'ingress' | 'local';
}

export interface AdminEnv {
  Variables: {
    viewer: Viewer;
    /** Whether the viewer may change things; asks HA once per request at most (access.ts). */
    isAdmin: () => Promise<boolean>;
  };
}
