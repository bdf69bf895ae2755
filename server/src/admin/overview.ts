/**
 * The panel's first page: is the link up, where do MCP clients connect, what do they see, how busy is it.
 *
 *   GET /overview → {
 *     version, mode,
 *     home: { status, haVersion, locationName },
 *     mcp: { port, urls: [{ kind, url }], cloud },   where clients connect, and from where (contract.ts McpUrl)
 *     entities: { total, exposed } | null,          null while HA is unavailable
 *     tools: string[] | null,                       what an MCP client is offered now; null while HA is away
 *     requests: { from, to, calls, errors } | null, the last 24 hours (failed sign-ins not counted): everyone's
 *                                                   for an administrator, the viewer's own for anyone else
 *                                                   (access.ts `readerOf`); null while the request log
 *                                                   cannot be read, or HA named no viewer
 *     user: { id, name, displayName, isAdmin }      isAdmin null when HA cannot say
 *   }
 *
 * (The shape is contract.ts's `OverviewAnswer`.) A part whose source is away is null rather than failing the page: the overview is where the panel shows
 * that HA (or the disk) is away.
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { HaAwayError } from '../ha/errors.js';
import { firstListed } from '../http/client-address.js';
import type { Home } from '../ha/home.js';
import type { Principal } from '../ha/principals.js';
import type { ApiRegistry } from '../llm/registry.js';
import { MCP_PATH } from '../mcp/routes.js';
import { isHomeNetworkHost } from '../oauth/public-url.js';
import type { Options } from '../options.js';
import { StoreUnavailableError, type FigureFilter, type LogQueries } from '../store/queries.js';
import { VERSION } from '../version.js';
import { ownOnly, readerOf, UnnamedViewerError, type Mode } from './access.js';
import type { McpUrl, OverviewAnswer } from './contract.js';
import type { AdminEnv } from './env.js';
import type { HostAddress, HostAddresses } from './host-address.js';
import type { PublishedPort } from './published-port.js';
import { DAY_MS } from './usage.js';

/** Who the panel asks "which tools now" for: an administrator, as an owner's MCP client would be. */
export const PANEL_PRINCIPAL: Principal = Object.freeze({
  userId: 'ha-mcp-admin-panel',
  name: 'Admin panel',
  isAdmin: true,
  authKind: 'long_lived_token',
  token: '',
  tokenHash: '',
});

export interface OverviewDeps {
  mode: Mode;
  home: Pick<Home, 'status' | 'haVersion' | 'config' | 'require'>;
  registry: Pick<ApiRegistry, 'instanceFor'>;
  queries: Pick<LogQueries, 'clientFigures'>;
  options: () => Options;
  mcp: { port: number; host?: string };
  /** In an add-on: the host port the MCP port is published on (null: not published). */
  publishedPort?: PublishedPort;
  /** In an add-on: the host's address and mDNS name, for when HA has no internal URL (host-address.ts). */
  hostAddress?: HostAddresses;
  /**
   * Whether Home Assistant passes MCP to this server at its own URL (the companion integration, set up and
   * loaded), and HA's Home Assistant Cloud address (null without one).
   */
  throughHomeAssistant?: () => Promise<ThroughHomeAssistantReach>;
  now: () => number;
}

export interface ThroughHomeAssistantReach {
  companionReady: boolean;
  cloudUrl: string | null;
}

/** Where the companion integration serves this server's paths on Home Assistant's own URL. */
export const COMPANION_PATH = '/api/mcp_addon';

const HOSTNAME = /^(?:[a-z0-9](?:[a-z0-9-]{0,62})?)(?:\.[a-z0-9](?:[a-z0-9-]{0,62})?)*\.?$/i;
const IPV6 = /^\[[0-9a-f:.]+\]$/i;

/** The host name of a `Host`-style value (`homeassistant.local:8123`, `[fd00::1]:8123`), if it is one. */
export function hostOf(value: string | undefined): string | undefined {
  const first = firstListed(value);
  if (!first) return undefined;
  const host = first.startsWith('[') ? first.slice(0, first.indexOf(']') + 1) : first.replace(/:\d*$/, '');
  return HOSTNAME.test(host) || IPV6.test(host) ? host.toLowerCase() : undefined;
}

const WILDCARD = new Set(['0.0.0.0', '::', '']);

/** Home Assistant Cloud's remote UI (`<id>.ui.nabu.casa`): it leads to Home Assistant's own port only. */
export const isCloudHost = (host: string): boolean => /(?:^|\.)ui\.nabu\.casa\.?$/i.test(host);

/** HAOS's own host name: what `<hostname>.local` is when the Supervisor does not say. */
const DEFAULT_MDNS_NAME = 'homeassistant.local';

/** The host of a URL HA keeps (`http://[fd00::1]:8123` → `[fd00::1]`), if it has one. */
function hostOfUrl(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname.toLowerCase() || undefined;
  } catch {
    return undefined;
  }
}

/** What the add-on knows of where it is reached, besides the request: the Supervisor's answers. */
export interface Reach {
  /** The published host port: null when it is not published, undefined when unknown. */
  publishedPort?: number | null | undefined;
  /** The host's address (undefined when the Supervisor did not say). */
  host?: HostAddress | undefined;
  /** Home Assistant's own URL through the companion (undefined when unknown, as when HA is away). */
  throughHomeAssistant?: ThroughHomeAssistantReach | null | undefined;
}

/**
 * Where MCP clients reach the endpoint, and from where each address works. First, once the companion
 * integration is set up, Home Assistant's own addresses from outside (its Cloud URL, its external URL) under
 * the companion's path: they reach the add-on from wherever HA is reached. Then the External URL the
 * owner set. In an add-on, then the hosts of Home Assistant's own URLs on the published port: its internal
 * URL (the home network), or without one what HA itself falls back to (the host's address, and its
 * `.local` name); then its external URL's host, which reaches the port only if the router forwards it.
 * Never the host the panel was opened from: through Home Assistant Cloud or a reverse proxy that is an
 * address of Home Assistant's, which does not lead to the add-on's port. Standalone, the MCP listener's
 * own address.
 */
export function mcpUrls(
  deps: Pick<OverviewDeps, 'mode' | 'options' | 'mcp' | 'home'>,
  c: Context,
  reach: Reach = {}
): McpUrl[] {
  const urls: McpUrl[] = [];
  const through = reach.throughHomeAssistant;
  if (through?.companionReady) {
    // Home Assistant's own addresses from outside, which HTTPS and every cloud client already reach.
    for (const base of [through.cloudUrl, deps.home.config?.external_url]) {
      if (base)
        urls.push({ kind: 'home_assistant', url: `${base.replace(/\/+$/, '')}${COMPANION_PATH}${MCP_PATH}` });
    }
  }
  const external = deps.options().external_url;
  if (external) urls.push({ kind: 'external', url: `${external}${MCP_PATH}` });
  if (deps.mode === 'addon') {
    const port = reach.publishedPort === undefined ? deps.mcp.port : reach.publishedPort;
    const at = (kind: McpUrl['kind'], host: string) => {
      if (port !== null && !isCloudHost(host)) urls.push({ kind, url: `http://${host}:${port}${MCP_PATH}` });
    };
    const internal = hostOfUrl(deps.home.config?.internal_url);
    if (internal && !isCloudHost(internal)) at('internal', internal);
    else if (reach.host) {
      if (reach.host.ip) at('host', reach.host.ip);
      if (reach.host.mdnsName) at('mdns', reach.host.mdnsName);
    } else at('mdns', DEFAULT_MDNS_NAME);
    const haExternal = hostOfUrl(deps.home.config?.external_url);
    if (haExternal) at(isHomeNetworkHost(haExternal) ? 'internal' : 'forwarded', haExternal);
  } else {
    const own = deps.mcp.host ?? '127.0.0.1';
    const host = WILDCARD.has(own) ? (hostOf(c.req.header('host')) ?? 'localhost') : own;
    const shown = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
    urls.push({ kind: 'local', url: `http://${shown}:${deps.mcp.port}${MCP_PATH}` });
  }
  return urls.filter((u, i) => urls.findIndex((v) => v.url === u.url) === i);
}

/**
 * The Home Assistant Cloud address HA is reached at, if any: its external URL, or the host the panel was
 * opened from. The panel says that it does not reach the add-on's port.
 */
export function cloudHost(
  deps: Pick<OverviewDeps, 'mode' | 'home'>,
  c: Context,
  reach: Pick<Reach, 'throughHomeAssistant'> = {}
): string | null {
  // Through the companion, the Cloud's address is an MCP URL like any of HA's own.
  if (deps.mode !== 'addon' || reach.throughHomeAssistant?.companionReady) return null;
  const seen = [hostOfUrl(deps.home.config?.external_url), hostOf(c.req.header('x-forwarded-host'))];
  return seen.find((host): host is string => !!host && isCloudHost(host)) ?? null;
}

/** `f()`, or null when the source it reads is away. */
async function unlessAway<T>(f: () => T | Promise<T>): Promise<T | null> {
  try {
    return await f();
  } catch (err) {
    if (
      err instanceof HaAwayError ||
      err instanceof StoreUnavailableError ||
      err instanceof UnnamedViewerError
    ) {
      return null;
    }
    throw err;
  }
}

export function overviewRoutes(deps: OverviewDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  app.get('/overview', async (c) => {
    const from = deps.now() - DAY_MS;
    const [entities, tools, requests, isAdmin, publishedPort, host, throughHomeAssistant] = await Promise.all(
      [
        unlessAway(() => {
          const home = deps.home.require();
          return { total: home.states.size, exposed: home.exposedEntities().length };
        }),
        unlessAway(() => deps.registry.instanceFor(PANEL_PRINCIPAL).tools.map((tool) => tool.name)),
        unlessAway(async () => {
          const figures = await deps.queries.clientFigures(
            ownOnly<FigureFilter>({ from }, await readerOf(c))
          );
          return {
            from,
            to: null,
            calls: figures.reduce((sum, f) => sum + f.calls, 0),
            errors: figures.reduce((sum, f) => sum + f.errors, 0),
          };
        }),
        unlessAway(() => c.var.isAdmin()),
        deps.mode === 'addon' ? deps.publishedPort?.() : undefined,
        deps.mode === 'addon' ? deps.hostAddress?.() : undefined,
        unlessAway(() => deps.throughHomeAssistant?.()),
      ]
    );
    const reach: Reach = { publishedPort, host, throughHomeAssistant };
    const viewer = c.var.viewer;
    return c.json({
      version: VERSION,
      mode: deps.mode,
      home: {
        status: deps.home.status,
        haVersion: deps.home.haVersion || null,
        locationName: deps.home.config?.location_name ?? null,
      },
      mcp: {
        port: publishedPort ?? deps.mcp.port,
        urls: mcpUrls(deps, c, reach),
        cloud: cloudHost(deps, c, reach),
      },
      entities,
      tools,
      access: { requireAdmin: deps.options().require_admin, llmApis: deps.options().llm_apis },
      requests,
      user: { id: viewer.id, name: viewer.name, displayName: viewer.displayName, isAdmin },
    } satisfies OverviewAnswer);
  });
  return app;
}
