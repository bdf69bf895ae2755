/**
 * The admin API the sidebar panel calls, under `/api/admin` (relative to the ingress path: the panel uses
 * relative URLs only). Every route sees the viewer (access.ts); reads are open to every HA user who can
 * open the panel, but what people did (the request log, clients, sign-ins) only to its own user or an
 * administrator; changes need an HA administrator. Routes by area: overview.ts, settings.ts, entities.ts,
 * logs.ts (and log-tail.ts), usage.ts, grants.ts, approvals.ts, companion-routes.ts.
 */
import { Hono } from 'hono';
import { cloudRemoteUrl } from '../ha/cloud-commands.js';
import { bodyLimit } from 'hono/body-limit';
import type { Home } from '../ha/home.js';
import { approvalsRoutes, type ApprovalsSource } from './approvals.js';
import type { ApiRegistry } from '../llm/registry.js';
import type { Logger } from '../log.js';
import type { LiveTail } from '../store/live-tail.js';
import type { LogQueries } from '../store/queries.js';
import { adminForChanges, identifyViewer, type Mode } from './access.js';
import { Companion, type CompanionSource } from './companion-install.js';
import { companionRoutes } from './companion-routes.js';
import { connectionTestRoutes } from './connection-test.js';
import { entitiesRoutes } from './entities.js';
import { grantsRoutes, type GrantsDeps } from './grants.js';
import type { AdminEnv } from './env.js';
import { ApiError, mapErrors } from './errors.js';
import type { Send } from '../ha/commands.js';
import { localeRoutes } from './locale.js';
import { logsRoutes } from './logs.js';
import type { OptionsStore } from './options-store.js';
import { overviewRoutes, type ThroughHomeAssistantReach } from './overview.js';
import type { HostAddresses } from './host-address.js';
import type { PublishedPort } from './published-port.js';
import { RecentExposure } from './recent-exposure.js';
import { settingsRoutes } from './settings.js';
import { tokenCostRoutes } from './token-cost-routes.js';
import { usageRoutes } from './usage.js';
import { usageSeriesRoutes } from './usage-series.js';
import { HaUsers } from './users.js';

export const ADMIN_API_PATH = '/api/admin';

export interface AdminApiDeps {
  /** 'addon': only the ingress proxy may connect and its user headers say who is looking; 'standalone':
   * loopback only, and the local user is an administrator. */
  mode: Mode;
  home: Home;
  /** WebSocket commands to HA as the add-on (ha/command.ts `linkSend`). */
  haCommand: Send;
  store: { queries: LogQueries; tail: Pick<LiveTail, 'subscribe'> };
  registry: Pick<ApiRegistry, 'available' | 'instanceFor'>;
  options: OptionsStore;
  /** The MCP listener: its port (published in an add-on) and, standalone, its host. */
  mcp: { port: number; host?: string };
  /** In an add-on, the host port the Supervisor publishes the MCP port on (published-port.ts). */
  publishedPort?: PublishedPort;
  /** In an add-on, the host's address and mDNS name from the Supervisor (host-address.ts). */
  hostAddress?: HostAddresses;
  /** HA's config folder as the add-on sees it (config.yaml's `homeassistant_config` map), when it has one. */
  haConfigDir?: string;
  /** The companion integration's world (companion-install.ts `companionSource`); without it, no routes. */
  companion?: CompanionSource;
  /** Whether the companion passes MCP on at Home Assistant's own URL, and HA's Cloud URL (overview.ts). */
  throughHomeAssistant?: () => Promise<ThroughHomeAssistantReach>;
  /** OAuth sign-ins (the authorization server), when OAuth is on. */
  grants?: GrantsDeps;
  /** Calls waiting for a person's approval (approvals/engine.ts), listed and answered in the panel. */
  approvals?: ApprovalsSource;
  log: Logger;
  /** Aborted when the server stops: live tails end at once instead of holding the listener open. */
  signal?: AbortSignal;
  now?: () => number;
  /** Timings and bounds for tests; the defaults are what the add-on runs with. */
  tuning?: {
    userCacheMs?: number;
    exposureHoldMs?: number;
    keepAliveMs?: number;
    exportMaxRows?: number;
  };
}

const MAX_BODY_BYTES = 256 * 1024;

export function createAdminApi(deps: AdminApiDeps): Hono<AdminEnv> {
  const now = deps.now ?? Date.now;
  const tuning = deps.tuning ?? {};
  const users = new HaUsers(deps.haCommand, {
    now,
    ...(tuning.userCacheMs ? { ttlMs: tuning.userCacheMs } : {}),
  });

  const api = new Hono<AdminEnv>();
  api.onError(mapErrors(deps.log));
  api.use('*', async function noStore(c, next) {
    await next();
    // Answers describe the home and its users: never kept by a cache between HA and the browser.
    if (!c.res.headers.has('cache-control')) c.header('cache-control', 'no-store');
  });
  api.use(
    '*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ApiError(413, `the body is larger than ${MAX_BODY_BYTES / 1024} KiB`);
      },
    })
  );
  api.use('*', identifyViewer({ mode: deps.mode, users }), adminForChanges());

  const companion =
    deps.companion &&
    new Companion({
      ...deps.companion,
      send: deps.haCommand,
      log: deps.log,
      ...(deps.signal && { signal: deps.signal }),
    });
  // Home Assistant's own URLs are MCP URLs once the companion's entry is loaded there.
  const throughHomeAssistant =
    deps.throughHomeAssistant ??
    (companion &&
      (async () => {
        const [companionReady, cloudUrl] = await Promise.all([
          companion.isLoaded(),
          cloudRemoteUrl(deps.haCommand),
        ]);
        return { companionReady, cloudUrl };
      }));

  api.route(
    '/',
    overviewRoutes({
      mode: deps.mode,
      home: deps.home,
      registry: deps.registry,
      queries: deps.store.queries,
      options: () => deps.options.current(),
      mcp: deps.mcp,
      ...(deps.publishedPort && { publishedPort: deps.publishedPort }),
      ...(deps.hostAddress && { hostAddress: deps.hostAddress }),
      ...(throughHomeAssistant && { throughHomeAssistant }),
      now,
    })
  );
  api.route(
    '/',
    connectionTestRoutes({
      mode: deps.mode,
      mcpPort: deps.mcp.port,
      ...(deps.publishedPort && { publishedPort: deps.publishedPort }),
    })
  );
  api.route(
    '/',
    localeRoutes({
      mode: deps.mode,
      haCommand: deps.haCommand,
      ...(deps.haConfigDir !== undefined && { haConfigDir: deps.haConfigDir }),
    })
  );
  api.route('/', settingsRoutes({ mode: deps.mode, options: deps.options, registry: deps.registry }));
  api.route(
    '/',
    entitiesRoutes({
      home: deps.home,
      haCommand: deps.haCommand,
      recent: new RecentExposure(tuning.exposureHoldMs, now),
    })
  );
  api.route(
    '/',
    logsRoutes({
      queries: deps.store.queries,
      tail: deps.store.tail,
      log: deps.log,
      ...(tuning.exportMaxRows !== undefined ? { exportMaxRows: tuning.exportMaxRows } : {}),
      ...(tuning.keepAliveMs !== undefined ? { keepAliveMs: tuning.keepAliveMs } : {}),
      ...(deps.signal ? { signal: deps.signal } : {}),
    })
  );
  api.route('/', usageRoutes({ queries: deps.store.queries, now }));
  api.route('/', usageSeriesRoutes({ queries: deps.store.queries, now }));
  api.route('/', grantsRoutes(deps.grants));
  api.route(
    '/',
    approvalsRoutes({
      ...(deps.approvals && { approvals: deps.approvals }),
      now,
      ...(tuning.keepAliveMs !== undefined ? { keepAliveMs: tuning.keepAliveMs } : {}),
      ...(deps.signal ? { signal: deps.signal } : {}),
    })
  );
  api.route('/', tokenCostRoutes({ ...deps, options: () => deps.options.current() }));
  if (companion) api.route('/', companionRoutes(companion));
  api.all('*', (c) => {
    throw new ApiError(404, `no such admin API: ${c.req.method} ${c.req.path}`);
  });
  return api;
}
