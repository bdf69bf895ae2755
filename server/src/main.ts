/**
 * Wiring only: the server's configuration, the two listeners, the link to Home Assistant and the live model, and a clean stop
 * on SIGTERM (what the Supervisor sends).
 */
import type { Connection } from 'home-assistant-js-websocket';
import type { Context } from 'hono';
import { createAdminApp } from './admin/app.js';
import { Approvals } from './approvals/engine.js';
import { ApprovalGate } from './approvals/gate.js';
import { phoneChannel } from './approvals/phone-channel.js';
import { rulesOf } from './approvals/policy.js';
import { scriptRelatedEntities } from './ha/search-commands.js';
import { companionSource } from './admin/companion-install.js';
import { fileOptionsStore, supervisorOptionsStore } from './admin/options-store.js';
import { supervisorHostAddress } from './admin/host-address.js';
import { supervisorPublishedPort } from './admin/published-port.js';
import { linkSend } from './ha/command.js';
import { errorLogProbe } from './ha/logs.js';
import { storedUserLocale } from './ha/user-locale.js';
import { userSessions } from './ha/user-sessions.js';
import { installedBefore, upgradeOptions } from './options-upgrade.js';
import { coreTlsOf, installCoreTls } from './ha/core-tls.js';
import { coreAddresses, coreUrlOf } from './ha/core-url.js';
import { httpConfig } from './ha/commands.js';
import { attemptedCall, attemptedCheck, banThresholdOf, LoginAttempts } from './ha/login-attempts.js';
import { HaAwayError, HaRefusedError, InvalidAdminTokenError } from './ha/errors.js';
import { Home } from './ha/home.js';
import { connectLink } from './ha/link.js';
import { haTokenValidator, Principals } from './ha/principals.js';
import { nudgeExposureDefaults } from './ha/rest.js';
import { HomeSync } from './ha/sync.js';
import { listen, type Listener } from './http/listen.js';
import { createLogger } from './log.js';
import { createAssistApi } from './llm/assist/api.js';
import { haCalls } from './llm/assist/ha-calls.js';
import { dateTimeTool } from './llm/assist/tools.js';
import { createHomeAssistantApi } from './llm/homeassistant/api.js';
import { ApiRegistry, namingFor } from './llm/registry.js';
import { createMcpApp } from './mcp/app.js';
import { AuthorizationServer } from './oauth/authorization-server.js';
import { haOAuth } from './oauth/ha-oauth.js';
import { createOAuthRoutes } from './oauth/routes.js';
import { haLoginUrl, publicBaseUrl } from './oauth/public-url.js';
import { throughHomeAssistant } from './http/home-assistant-url.js';
import { isOwnToken, loadKey } from './oauth/secrets.js';
import { createOAuthStore } from './oauth/store.js';
import { ConfigError, type Options } from './options.js';
import { logRequests } from './request-logging.js';
import { openStore, type Store } from './store/store.js';
import { loadServerConfig, type ServerConfig } from './server-config.js';
import { VERSION } from './version.js';

const log = createLogger();

/**
 * The OAuth authorization server, unless its key cannot be kept (a read-only data directory): then clients
 * use long-lived tokens only, and the log says why. The browser logs in at Home Assistant: standalone at
 * HA_URL; in an add-on at the address HA's own settings give for where the client is (public-url.ts).
 */
function authorizationServer(
  config: ServerConfig,
  store: Store,
  coreUrl: string | (() => Promise<string>),
  home: Home,
  logins: LoginAttempts
): AuthorizationServer | undefined {
  let key: Buffer;
  try {
    key = loadKey(config.dataDir);
  } catch (err) {
    log.warning(`OAuth is off: cannot keep its key in ${config.dataDir} (${(err as Error).message})`);
    return undefined;
  }
  // Codes and refresh tokens from clients are credentials HA has not accepted yet: each is an attempt.
  const ha = haOAuth(coreUrl);
  return new AuthorizationServer({
    store: createOAuthStore(store.database),
    key,
    ha: {
      ...ha,
      exchangeCode: attemptedCall(logins, ha.exchangeCode),
      refresh: attemptedCall(logins, ha.refresh),
    },
    whoIs: attemptedCheck(logins, haTokenValidator(coreUrl)),
    haLoginUrl: async (issuer) =>
      config.mode === 'standalone'
        ? { url: config.haUrl }
        : haLoginUrl(issuer, {
            externalUrl: home.config?.external_url,
            internalUrl: home.config?.internal_url,
            core: typeof coreUrl === 'string' ? coreUrl : await coreUrl().catch(() => undefined),
          }),
    allowPrivateMetadata: process.env.OAUTH_ALLOW_PRIVATE_METADATA === '1',
  });
}

function displayHost(host: string): string {
  return host === '0.0.0.0' || host === '::' ? 'localhost' : host;
}

function fail(message: string, code: number): never {
  log.error(message);
  process.exit(code);
}

async function main(): Promise<void> {
  let config: ServerConfig;
  try {
    config = loadServerConfig();
    installCoreTls(coreTlsOf(config));
  } catch (err) {
    if (err instanceof ConfigError) fail(`configuration error: ${err.message}`, 2);
    throw err;
  }
  log.setLevel(config.options.log_level);
  log.info(`MCP Server for Home Assistant ${VERSION} starting`, { mode: config.mode, ha: config.haUrl });

  const home = new Home();
  const options = () => config.options;
  const upgrading = installedBefore(config.dataDir);
  const store = openStore({ dataDir: config.dataDir, options: config.options, log });
  // Users' own tokens go to Core directly: the Supervisor's proxy takes only the add-on's.
  const coreUrl = coreUrlOf(config, log);
  let conn: Connection | undefined;
  // Commands over the add-on's own link to HA, whichever connection it holds at the time.
  const haCommand = linkSend(() => conn);
  // Every token HA has not accepted yet is checked as an attempt that may count towards a ban of the
  // add-on's address; a known token sets HA's count back (login-attempts.ts).
  const checkToken = haTokenValidator(coreUrl);
  const logins = new LoginAttempts({
    log,
    authenticate: async (token) => (await checkToken(token)) !== undefined,
    knownGood: () => {
      // Standalone the admin token reaches HA from the same address as users' tokens; its link proves it works.
      if (config.mode === 'standalone' && conn?.connected) return { token: config.haToken, live: true };
      const token = principals.lastAccepted();
      return token === undefined ? undefined : { token, live: false };
    },
  });
  const principals = new Principals({ validate: attemptedCheck(logins, checkToken) });
  // A token HA accepted before and refuses now (revoked): HA counted a failed login, and the token is
  // checked afresh (as an attempt) the next time it comes.
  const refusedLater = (token: string) => {
    logins.failedLater();
    principals.forget(token);
  };
  const sessions = userSessions({ coreUrl, onRefused: refusedLater });
  const registry = new ApiRegistry(options, log)
    .register(
      createAssistApi({
        home,
        calls: haCalls(coreUrl, { onRefused: refusedLater }),
        prefixed: namingFor(home, options),
      })
    )
    .register(
      createHomeAssistantApi({
        home,
        sessions,
        coreUrl,
        onRefused: refusedLater,
        shared: [{ domain: 'llm', tool: () => dateTimeTool({ home, prefixed: true }) }],
        // Whether HA writes a log file decides system_log__get_logs; with a Supervisor HA never offers it.
        ...(config.mode === 'standalone' && { writesLogFile: errorLogProbe(coreUrl, config.haToken) }),
      })
    );
  const stopMcp = new AbortController();
  // Changes to what approval_domains names wait for a person; a stop leaves nothing waiting allowed.
  const approvals = new Approvals({ timeoutMs: () => config.options.approval_timeout * 1_000, log });
  stopMcp.signal.addEventListener('abort', () => approvals.stop(), { once: true });
  // Read per request: a changed external URL applies at once.
  // Through the companion, Home Assistant's URL (and the companion's prefix) is the base: home-assistant-url.ts.
  const baseUrl = (c: Context) => {
    const through = throughHomeAssistant(c);
    return through ? through.origin + through.prefix : publicBaseUrl(config.options.external_url, c.req);
  };
  const oauth = authorizationServer(config, store, coreUrl, home, logins);
  const gate = new ApprovalGate({
    home,
    approvals,
    rules: () => rulesOf(config.options.approval_domains),
    related: (script) => scriptRelatedEntities(haCommand, script),
    timeoutSeconds: () => config.options.approval_timeout,
    // A sign-in its owner set to "ask before any change" (the panel's Clients page).
    asksForEverything: (principal) => oauth?.asksForEverything(principal) ?? false,
    // In the language of the user's HA profile, read from HA's config folder when the server has it.
    phoneLanguage: async (userId) => {
      const dir = config.haConfigDir;
      return dir === undefined ? undefined : (await storedUserLocale(dir, userId))?.language;
    },
    // The user's phones, through the Home Assistant companion app (actionable notifications).
    phone: phoneChannel({
      send: haCommand,
      subscribe: (eventType, onEvent) =>
        conn ? conn.subscribeEvents(onEvent, eventType) : Promise.reject(new HaAwayError()),
      log,
    }),
  });
  // Through the companion integration, Core names each client in X-Forwarded-For; only Core is believed.
  // Looked up beside the start, not before it: a slow name lookup must not hold the listeners back.
  let fromCore = new Set<string>();
  void coreAddresses(config).then((found) => (fromCore = found));
  const mcpApp = createMcpApp({
    home,
    trustedProxy: (peer) => fromCore.has(peer),
    ...(oauth && { oauth: createOAuthRoutes({ server: oauth, baseUrl, log }) }),
    mcp: {
      // The add-on's own tokens never go to HA; every other token is HA's to judge.
      authenticate: (token, address) =>
        oauth && isOwnToken(token) ? oauth.authenticate(token) : principals.authenticate(token, address),
      instanceFor: (principal, api) => registry.instanceFor(principal, api),
      access: {
        requireAdmin: () => config.options.require_admin,
        hasApi: (id) => registry.has(id),
        allows: (principal, id) => registry.allows(principal, id),
      },
      log,
      // The Assist tools check their own arguments, in HA's words (those strings are interfaces).
      validateArguments: false,
      signal: stopMcp.signal,
      onRequest: logRequests(store),
      publicBaseUrl: baseUrl,
      gate,
      recallClientName: (userId, userAgent) => store.clients.recall(userId, userAgent)?.name,
    },
  });

  // Saved settings apply at once: the next tools/list, the log's retention and the log level follow them.
  const applyOptions = (next: Options) => {
    config.options = next;
    store.applyOptions(next);
    log.setLevel(next.log_level);
  };
  const optionsStore =
    config.mode === 'addon'
      ? supervisorOptionsStore({ token: config.haToken, current: options, apply: applyOptions, log })
      : fileOptionsStore({ dataDir: config.dataDir, current: options, apply: applyOptions, log });
  await upgradeOptions({
    dataDir: config.dataDir,
    installedBefore: upgrading,
    store: optionsStore,
    current: options,
    apply: applyOptions,
    log,
  });
  const adminApp = createAdminApp({
    home,
    api: {
      mode: config.mode,
      haCommand,
      store,
      registry,
      options: optionsStore,
      mcp: { port: config.mcp.port, host: config.mcp.host },
      companion: companionSource(config),
      ...(config.haConfigDir !== undefined && { haConfigDir: config.haConfigDir }),
      approvals,
      ...(oauth && {
        grants: {
          grants: () => oauth.grants(),
          revoke: (id: string) => oauth.revokeGrant(id),
          setAsksEverything: (id: string, on: boolean) => oauth.setAsksEverything(id, on),
        },
      }),
      ...(config.mode === 'addon' && {
        publishedPort: supervisorPublishedPort({ token: config.haToken, containerPort: config.mcp.port }),
        hostAddress: supervisorHostAddress({ token: config.haToken }),
      }),
      log,
      signal: stopMcp.signal,
    },
  });

  const listeners: Listener[] = [];
  try {
    listeners.push(await listen('MCP', mcpApp, config.mcp.host, config.mcp.port));
    listeners.push(await listen('admin', adminApp, config.admin.host, config.admin.port));
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
    sessions.close();
    // Listeners first, so requests still in flight finish and are logged; then the log is flushed. The log
    // hooks of the last answers run detached (setImmediate, request-record.ts) and the listeners can close
    // in the same turn of the event loop: one more turn lets every one of them queue its row first.
    await Promise.all(listeners.map((l) => l.close()));
    await new Promise((resolve) => setImmediate(resolve));
    await store.close();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  try {
    conn = await connectLink({
      url: config.haUrl,
      token: config.haToken,
      log,
      signal: connecting.signal,
    });
    // Back after Core restarted: its port or TLS may have changed with it, and its ban settings.
    const readBanSettings = () =>
      void httpConfig(haCommand)
        .then((answer) => {
          const threshold = banThresholdOf(answer);
          if (threshold === undefined) return;
          logins.setThreshold(threshold);
          log.info(
            threshold === null
              ? 'Home Assistant bans no address'
              : `Home Assistant bans an address at ${threshold} failed logins`
          );
        })
        .catch((err: Error) => log.debug(`cannot read Home Assistant's ban settings: ${err.message}`));
    readBanSettings();
    conn.addEventListener('ready', () => {
      coreUrl.recheck();
      readBanSettings();
    });
    conn.addEventListener('reconnect-error', () =>
      fail("Home Assistant no longer accepts the add-on's access token; stopping so it can be restarted", 1)
    );
    sync = new HomeSync(conn, home, log, {
      nudgeExposure: () => nudgeExposureDefaults(config.haUrl, config.haToken),
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
    // HA refuses the admin-only commands of the first sync to a user who is not an administrator.
    if (err instanceof HaRefusedError && err.refusal.code === 'unauthorized') {
      fail(
        "the access token belongs to a Home Assistant user who is not an administrator; HA_TOKEN must be an admin's",
        2
      );
    }
    log.error(`cannot sync with Home Assistant: ${(err as Error).message ?? String(err)}`);
  }
}

await main();
