/**
 * Wiring only: settings, the two listeners, the link to Home Assistant and the live model, and a clean stop
 * on SIGTERM (what the Supervisor sends).
 */
import type { Connection } from 'home-assistant-js-websocket';
import { createAdminApp } from './admin/app.js';
import { linkCommand } from './admin/ha-command.js';
import { fileOptionsStore, supervisorOptionsStore } from './admin/options-store.js';
import { supervisorPublishedPort } from './admin/published-port.js';
import { coreUrlOf } from './ha/core-url.js';
import { InvalidAdminTokenError } from './ha/errors.js';
import { Home } from './ha/home.js';
import { connectLink } from './ha/link.js';
import { haTokenValidator, Principals } from './ha/principals.js';
import { nudgeExposureDefaults } from './ha/rest.js';
import { HomeSync } from './ha/sync.js';
import { listen, type Listener } from './http/listen.js';
import { createLogger } from './log.js';
import { createAssistApi } from './llm/assist/api.js';
import { haCalls } from './llm/assist/ha-calls.js';
import { ApiRegistry, namingFor } from './llm/registry.js';
import { createMcpApp } from './mcp/app.js';
import { ConfigError, type Options } from './options.js';
import { toLogEntry } from './request-logging.js';
import { openStore } from './store/store.js';
import { loadSettings, type Settings } from './settings.js';
import { VERSION } from './version.js';

const log = createLogger();

function displayHost(host: string): string {
  return host === '0.0.0.0' || host === '::' ? 'localhost' : host;
}

function fail(message: string, code: number): never {
  log.error(message);
  process.exit(code);
}

async function main(): Promise<void> {
  let settings: Settings;
  try {
    settings = loadSettings();
  } catch (err) {
    if (err instanceof ConfigError) fail(`configuration error: ${err.message}`, 2);
    throw err;
  }
  log.setLevel(settings.options.log_level);
  log.info(`MCP Server for Home Assistant ${VERSION} starting`, { mode: settings.mode, ha: settings.haUrl });

  const home = new Home();
  const options = () => settings.options;
  const store = openStore({ dataDir: settings.dataDir, options: settings.options, log });
  // Users' own tokens go to Core directly: the Supervisor's proxy takes only the add-on's.
  const coreUrl = coreUrlOf(settings, log);
  const principals = new Principals({ validate: haTokenValidator(coreUrl) });
  const registry = new ApiRegistry(options, log).register(
    createAssistApi({ home, calls: haCalls(coreUrl), prefixed: namingFor(home, options) })
  );
  const stopMcp = new AbortController();
  const mcpApp = createMcpApp({
    home,
    mcp: {
      authenticate: (token, address) => principals.authenticate(token, address),
      instanceFor: (principal) => registry.instanceFor(principal),
      log,
      // The Assist tools check their own arguments, in HA's words (those strings are interfaces).
      validateArguments: false,
      signal: stopMcp.signal,
      onRequest: (record) => store.requestLog.record(toLogEntry(record, store.clients)),
      // Read per request: a changed external URL applies at once.
      publicBaseUrl: (c) => settings.options.external_url ?? new URL(c.req.url).origin,
    },
  });

  let conn: Connection | undefined;
  // Saved settings apply at once: the next tools/list, the log's retention and the log level follow them.
  const applyOptions = (next: Options) => {
    settings.options = next;
    store.applyOptions(next);
    log.setLevel(next.log_level);
  };
  const optionsStore =
    settings.mode === 'addon'
      ? supervisorOptionsStore({ token: settings.haToken, current: options, apply: applyOptions, log })
      : fileOptionsStore({ dataDir: settings.dataDir, current: options, apply: applyOptions, log });
  const adminApp = createAdminApp({
    home,
    api: {
      mode: settings.mode,
      haCommand: linkCommand(() => conn),
      store,
      registry,
      options: optionsStore,
      mcp: { port: settings.mcp.port, host: settings.mcp.host },
      ...(settings.mode === 'addon' && {
        publishedPort: supervisorPublishedPort({ token: settings.haToken, containerPort: settings.mcp.port }),
      }),
      log,
      signal: stopMcp.signal,
    },
  });

  const listeners: Listener[] = [];
  try {
    listeners.push(await listen('MCP', mcpApp, settings.mcp.host, settings.mcp.port));
    listeners.push(await listen('admin', adminApp, settings.admin.host, settings.admin.port));
  } catch (err) {
    stopMcp.abort();
    await Promise.all(listeners.map((l) => l.close()));
    await store.close();
    fail((err as Error).message, 1);
  }
  const [mcp, admin] = listeners as [Listener, Listener];
  log.info(`MCP endpoint listening on http://${displayHost(mcp.host)}:${mcp.port}/api/mcp`);
  log.info(`admin panel listening on http://${displayHost(admin.host)}:${admin.port}/`);

  const connecting = new AbortController();
  let sync: HomeSync | undefined;
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal} received, stopping`);
    connecting.abort();
    stopMcp.abort();
    sync?.stop();
    conn?.close();
    // Listeners first, so requests still in flight finish and are logged; then the log is flushed.
    await Promise.all(listeners.map((l) => l.close()));
    await store.close();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  try {
    conn = await connectLink({
      url: settings.haUrl,
      token: settings.haToken,
      log,
      signal: connecting.signal,
    });
    conn.addEventListener('reconnect-error', () =>
      fail("Home Assistant no longer accepts the add-on's access token; stopping so it can be restarted", 1)
    );
    sync = new HomeSync(conn, home, log, {
      nudgeExposure: () => nudgeExposureDefaults(settings.haUrl, settings.haToken),
    });
    const started = Date.now();
    await sync.start();
    log.info('Home Assistant model ready', {
      entities: home.states.size,
      exposed: home.exposedEntities().length,
      ms: Date.now() - started,
    });
  } catch (err) {
    if (stopping) return;
    if (err instanceof InvalidAdminTokenError) fail(err.message, 2);
    if ((err as { code?: unknown }).code === 'unauthorized') {
      fail(
        "the access token belongs to a Home Assistant user who is not an administrator; HA_TOKEN must be an admin's",
        2
      );
    }
    log.error(`cannot sync with Home Assistant: ${(err as Error).message ?? String(err)}`);
  }
}

await main();
