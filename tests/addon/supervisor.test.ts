/**
 * The add-on as the Supervisor runs it (`SUPERVISOR_TOKEN` set), against a stand-in of the Supervisor
 * (tests/support/supervisor/) and a real Home Assistant served over TLS, with a self-signed certificate for
 * a public-looking name, as owners with DuckDNS or Let's Encrypt have: `/core/info` says `ssl: true`.
 * The add-on lives in its own network namespace where `supervisor` and `homeassistant` resolve as on a
 * real install. Users' tokens, tool calls, an OAuth sign-in (also at Home Assistant's own URL through the
 * companion integration, in Chromium), the panel through ingress (API and Chromium) with its live
 * tail, a backup with the config.yaml hooks, Core moving to another port without TLS, and a stop in the
 * middle of a long tool call.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { parse } from 'yaml';
import { DATABASE_FILE } from '../../server/src/store/db.js';
import { SNAPSHOT_FILE } from '../../server/src/store/snapshot.js';
import { connectWs, command, restJson } from '../support/ha/ha-api.js';
import { startTestHa, type TestHa } from '../support/ha/harness.js';
import { login } from '../support/ha/onboard.js';
import { HA_VERSION } from '../support/ha/version.js';
import { certificate } from '../support/https-fixture.js';
import { launchChromium, SHOTS } from '../support/browser/panel-fixture.js';
import { SseReader } from '../support/mcp-fixture.js';
import { postMcp } from '../support/mcp-post.js';
import { at } from '../support/paths.js';
import { freePort } from '../support/ports.js';
import { startServer, type RunningServer } from '../support/server-process.js';
import {
  ADDON_ADDRESS,
  CORE_ADDRESS,
  hassioNetwork,
  type HassioNetwork,
} from '../support/supervisor/hassio-network.js';
import { dockerfileKillGraceMs, S6_DEFAULT_KILL_GRACE_MS } from '../support/supervisor/kill-grace.js';
import { supervisorStandIn, type SupervisorStandIn } from '../support/supervisor/stand-in.js';
import { signInWithOAuth } from '../support/oauth-sign-in.js';
import { Client, StreamableHTTPClientTransport, UnauthorizedError } from '@modelcontextprotocol/client';
import { signInAtHa } from '../support/browser/ha-sign-in.js';
import { callbackServer, TestProvider } from '../support/browser/sdk-oauth-client.js';
import { PROXY_PATH } from '../support/ha/companion.js';
import { ADMIN } from '../support/ha/onboard.js';

const MCP_PORT = 9123;
/** Where Core reaches the add-on's MCP listener on the Supervisor's network. */
const ADDON_URL = `http://${ADDON_ADDRESS}:${MCP_PORT}`;
const INGRESS_PORT = 8099;
const addonConfig = parse(readFileSync(at('config.yaml'), 'utf8')) as {
  options: Record<string, unknown>;
  backup_pre: string;
  backup_post: string;
  backup_exclude: string[];
};

const SUPERVISOR_LOGIN = { username: 'supervisor', password: 'stand-in-supervisor-password' };

/** A script that runs for ten minutes: a tool call that is still waiting when the add-on stops. */
const SLOW_SCRIPT = `
slow_routine:
  alias: Slow routine
  sequence:
    - delay: "00:10:00"
`;

/** How long s6-overlay lets the server run after the stop signal. */
const killGraceMs = () => dockerfileKillGraceMs() ?? S6_DEFAULT_KILL_GRACE_MS;

describe('the add-on under a Supervisor, with Home Assistant on HTTPS', () => {
  let network: HassioNetwork;
  let ha: TestHa;
  let supervisor: SupervisorStandIn;
  let server: RunningServer;
  let dataDir: string;
  let haDir: string;
  let owner: { id: string; name: string };

  before(async () => {
    network = hassioNetwork();
    const tls = certificate({ cn: 'home.example.net', altNames: `DNS:home.example.net,IP:${CORE_ADDRESS}` });
    haDir = mkdtempSync(join(tmpdir(), 'ha-mcp-addon-ha-'));
    ha = await startTestHa({
      configDir: haDir,
      http: { host: CORE_ADDRESS, tls },
      extraScripts: SLOW_SCRIPT,
    });
    const conn = await connectWs(ha.url, ha.adminToken);
    owner = await command<{ id: string; name: string }>(conn, { type: 'auth/current_user' });
    // The Supervisor is an administrator of its own at Core, not the owner: what users do must carry theirs.
    const created = await command<{ user: { id: string } }>(conn, {
      type: 'config/auth/create',
      name: 'Supervisor',
      group_ids: ['system-admin'],
    });
    await command(conn, {
      type: 'config/auth_provider/homeassistant/create',
      user_id: created.user.id,
      ...SUPERVISOR_LOGIN,
    });
    conn.close();
    supervisor = await supervisorStandIn({
      core: { url: ha.url, port: Number(new URL(ha.url).port), ssl: true, version: HA_VERSION },
      coreToken: await login(ha.url, SUPERVISOR_LOGIN.username, SUPERVISOR_LOGIN.password),
      addon: {
        address: ADDON_ADDRESS,
        ingressPort: INGRESS_PORT,
        mcpPort: MCP_PORT,
        publishedPort: MCP_PORT,
      },
      options: addonConfig.options,
    });
    // The Supervisor writes the add-on's options, defaults included, to /data/options.json before a start.
    dataDir = mkdtempSync(join(tmpdir(), 'ha-mcp-addon-data-'));
    writeFileSync(join(dataDir, 'options.json'), JSON.stringify(addonConfig.options));
    server = await startServer(
      {
        SUPERVISOR_TOKEN: supervisor.token,
        DATA_DIR: dataDir,
        MCP_PORT: String(MCP_PORT),
        ADMIN_PORT: String(INGRESS_PORT),
        // Core's config folder, mapped into the add-on as config.yaml's `homeassistant_config` maps it;
        // Core reaches the add-on at its address on the Supervisor's network (its hostname resolves only
        // through the Supervisor's DNS, which the stand-in has not).
        HA_CONFIG_DIR: haDir,
        COMPANION_ADDON_URL: ADDON_URL,
      },
      { main: at('server/dist/main.js'), launch: network.spawn, address: ADDON_ADDRESS }
    );
    await server.waitForLog(/Home Assistant model ready/);
  });

  after(async () => {
    await server?.stop('SIGKILL');
    await supervisor?.close();
    await ha?.stop();
    network?.remove();
    for (const dir of [dataDir, haDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const callTool = async (token: string, name: string, args: Record<string, unknown>) => {
    const res = await postMcp(server.mcpUrl, token, 'tools/call', { name, arguments: args });
    assert.equal(res.status, 200, await res.clone().text());
    const body = (await res.json()) as { result: { isError: boolean; content: { text: string }[] } };
    return body.result;
  };

  it("checks a user's token at Core over TLS, whose certificate is for another name, and acts as that user", async () => {
    const listed = await postMcp(server.mcpUrl, ha.adminToken, 'tools/list');
    assert.equal(listed.status, 200, await listed.clone().text());
    const { result } = (await listed.json()) as { result: { tools: { name: string }[] } };
    assert.ok(result.tools.some((t) => t.name === 'homeassistant__call_action'));

    await restJson(ha.url, '/api/services/light/turn_off', {
      token: ha.adminToken,
      json: { entity_id: 'light.kitchen_lights' },
    });
    const turnedOn = await callTool(ha.adminToken, 'intent__HassTurnOn', { name: 'Kitchen Lights' });
    assert.equal(turnedOn.isError, false, turnedOn.content[0]?.text);
    const light = await restJson<{ state: string; context: { user_id: string } }>(
      ha.url,
      '/api/states/light.kitchen_lights',
      { token: ha.adminToken }
    );
    assert.equal(light.state, 'on');
    assert.equal(light.context.user_id, owner.id, "HA ran it as the token's user");

    const refused = await postMcp(server.mcpUrl, 'not-a-token', 'tools/list');
    assert.equal(refused.status, 401);
    // Users' tokens went to Core directly (the Supervisor's proxy takes only the add-on's): it asked where.
    assert.ok(supervisor.calls.includes('GET /core/info'), supervisor.calls.join(', '));
  });

  it('signs a user in with OAuth: the code is exchanged at Core over TLS', async () => {
    const tokens = await signInWithOAuth({ base: server.mcpUrl, haUrl: ha.url, user: 'owner' });
    const listed = await postMcp(server.mcpUrl, tokens.access_token, 'tools/list');
    assert.equal(listed.status, 200, await listed.clone().text());
  });

  it('installs the companion from the panel: into Core’s config folder, Core restarted, set up with its address', async () => {
    const panel = supervisor.ingressUrl({ id: owner.id, name: 'owner', displayName: owner.name });
    const companion = async (method: 'GET' | 'POST', path = '') => {
      const res = await fetch(`${panel}api/admin/companion${path}`, {
        method,
        ...(method === 'POST' && { headers: { 'content-type': 'application/json' }, body: '{}' }),
      });
      assert.equal(res.status, 200, await res.clone().text());
      return (await res.json()) as {
        state: string;
        addonUrl: string | null;
        entry: { state: string } | null;
      };
    };
    assert.equal((await companion('GET')).state, 'not_installed');
    assert.equal((await companion('POST', '/install')).state, 'restart_needed');
    assert.ok(existsSync(join(haDir, 'custom_components', 'mcp_server_addon', 'manifest.json')));
    await companion('POST', '/restart');
    // Core restarts (the action, as the add-on's link asks it), and the add-on runs the config flow itself,
    // through the Supervisor's Core proxy with its own token.
    await server.waitForLog(/companion integration set up/);
    const ready = await companion('GET');
    assert.deepEqual([ready.state, ready.entry?.state, ready.addonUrl], ['ready', 'loaded', ADDON_URL]);
    assert.ok(
      supervisor.calls.includes('POST /core/api/config/config_entries/flow'),
      supervisor.calls.join(', ')
    );
    await server.waitForLog(/reconnected: Home Assistant model complete again/);
  });

  it('is reached at Home Assistant’s own URL through the companion: the SDK client signs in on HA’s page in Chromium', async () => {
    const issuer = `${new URL(ha.url).origin}${PROXY_PATH}`;
    const endpoint = new URL(`${issuer}/api/mcp`);
    const back = await callbackServer();
    const browser = await launchChromium();
    try {
      const provider = new TestProvider(back.url);
      const first = new StreamableHTTPClientTransport(endpoint, { authProvider: provider });
      await assert.rejects(
        new Client({ name: 'through-ha', version: '1' }).connect(first),
        UnauthorizedError
      );
      // Discovered on HA's origin: registered and sent to the add-on's authorize endpoint under HA's URL.
      const authorizeUrl = await provider.authorizationUrl;
      assert.equal(`${authorizeUrl.origin}${authorizeUrl.pathname}`, `${issuer}/oauth/authorize`);
      assert.equal(authorizeUrl.searchParams.get('resource'), endpoint.href);

      // HA's certificate is self-signed, for its public name: the person's browser has accepted it.
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      await signInAtHa(await context.newPage(), authorizeUrl.href, {
        haUrl: ha.url,
        user: ADMIN,
        shownAs: new RegExp(owner.name),
        label: 'addon-through-ha',
      });
      const params = await back.returned;
      assert.equal(params.get('iss'), issuer);
      await first.finishAuth(params);

      await restJson(ha.url, '/api/services/light/turn_off', {
        token: ha.adminToken,
        json: { entity_id: 'light.kitchen_lights' },
      });
      const client = new Client({ name: 'through-ha', version: '1' });
      await client.connect(new StreamableHTTPClientTransport(endpoint, { authProvider: provider }));
      try {
        const called = await client.callTool({
          name: 'intent__HassTurnOn',
          arguments: { name: 'Kitchen Lights' },
        });
        assert.equal(called.isError, false, JSON.stringify(called.content));
      } finally {
        await client.close();
      }
      // As the user who signed in, at Core.
      const light = await restJson<{ state: string; context: { user_id: string } }>(
        ha.url,
        '/api/states/light.kitchen_lights',
        { token: ha.adminToken }
      );
      assert.deepEqual([light.state, light.context.user_id], ['on', owner.id]);
    } finally {
      await browser.close();
      back.server.close();
    }
  });

  it('serves the panel through ingress only, to the user the Supervisor names, with a live tail', async () => {
    const panel = supervisor.ingressUrl({ id: owner.id, name: 'owner', displayName: owner.name });
    const overview = await fetch(`${panel}api/admin/overview`);
    assert.equal(overview.status, 200, await overview.clone().text());
    const body = (await overview.json()) as { user: { id: string; isAdmin: boolean } };
    assert.deepEqual([body.user.id, body.user.isAdmin], [owner.id, true]);
    // A plain user's session: whatever user the browser claims, the Supervisor names the session's.
    const guestPanel = supervisor.ingressUrl({ id: ha.userId, name: 'guest', displayName: 'Guest' });
    const forged = await fetch(`${guestPanel}api/admin/overview`, {
      headers: { 'x-remote-user-id': owner.id },
    });
    const claimed = (await forged.json()) as { user: { id: string; isAdmin: boolean } };
    assert.deepEqual([claimed.user.id, claimed.user.isAdmin], [ha.userId, false]);

    // Straight to the ingress port, not from the Supervisor's address: refused, whatever it claims.
    const direct = await fetch(`${server.adminUrl}/api/admin/overview`, {
      headers: { 'x-remote-user-id': owner.id },
    });
    assert.equal(direct.status, 403);

    const tail = await fetch(`${panel}api/admin/logs/tail`);
    assert.equal(tail.status, 200);
    const events = new SseReader(tail.body!);
    // A live tail shows a new request within seconds; a stream that never does fails here, not at the runner's limit.
    const deadline = setTimeout(() => void events.cancel(), 30_000);
    for (let event = await events.nextEvent(); event?.event !== 'ready'; event = await events.nextEvent()) {
      assert.ok(event, 'the tail ended before it was ready');
    }
    await postMcp(server.mcpUrl, ha.adminToken, 'prompts/list');
    for (;;) {
      const event = await events.nextEvent();
      assert.ok(event, 'the tail showed no row for the new request within 30 s');
      if (event.event === 'row' && (JSON.parse(event.data!) as { method: string }).method === 'prompts/list')
        break;
    }
    clearTimeout(deadline);
    await events.cancel();

    // A saved setting goes to the Supervisor, as the add-on's options.
    const saved = await fetch(`${panel}api/admin/settings`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...supervisor.options, log_retention_days: 14 }),
    });
    assert.equal(saved.status, 200, await saved.clone().text());
    assert.equal(supervisor.options.log_retention_days, 14);
  });

  it('speaks the language each user chose in their HA profile, read from Core’s config folder', async () => {
    // As HA's profile page saves it, each user over their own connection.
    const choose = async (token: string, language: string | null) => {
      const conn = await connectWs(ha.url, token);
      try {
        const value = language && { language, number_format: 'language', time_format: 'language' };
        await command(conn, { type: 'frontend/set_user_data', key: 'language', value });
      } finally {
        conn.close();
      }
    };
    const ownerPanel = supervisor.ingressUrl({ id: owner.id, name: 'owner', displayName: owner.name });
    const guestPanel = supervisor.ingressUrl({ id: ha.userId, name: 'guest', displayName: 'Guest' });
    const localeAt = async (panel: string) => {
      const res = await fetch(`${panel}api/admin/locale`);
      assert.equal(res.status, 200);
      return ((await res.json()) as { profile: { language: string } | null }).profile?.language ?? null;
    };
    try {
      await choose(ha.adminToken, 'fr');
      await choose(ha.userToken, 'nl');
      assert.equal(await localeAt(ownerPanel), 'fr');
      assert.equal(await localeAt(guestPanel), 'nl');

      const browser = await launchChromium();
      try {
        const page = await (await browser.newContext({ locale: 'en-US' })).newPage();
        await page.goto(guestPanel);
        await page.locator('nav a[aria-current="page"]').waitFor();
        assert.equal(await page.locator('html').getAttribute('lang'), 'nl', 'the guest’s panel in Dutch');
      } finally {
        await browser.close();
      }
    } finally {
      await choose(ha.adminToken, null);
      await choose(ha.userToken, null);
    }
    assert.equal(await localeAt(ownerPanel), null, 'no choice: the panel follows the browser');
  });

  it('opens the panel in a browser through ingress, whose live log shows a new request as it happens', async () => {
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, locale: 'en-US' });
      const page = await context.newPage();
      await page.goto(
        `${supervisor.ingressUrl({ id: owner.id, name: 'owner', displayName: owner.name })}#logs`
      );
      await page.locator('nav a[href="#logs"][aria-current="page"]').waitFor();
      await page.getByLabel('Live').check();
      await page.getByTestId('live-state').getByText('new requests appear').waitFor();
      const rendered = await callTool(ha.adminToken, 'homeassistant__render_template', {
        template: '{{ 6 * 7 }}',
      });
      assert.equal(rendered.isError, false, rendered.content[0]?.text);
      // Loaded before the call: only the tail, through ingress, can bring the row.
      await page
        .locator('[data-testid="log-table"] tbody tr', { hasText: 'homeassistant__render_template' })
        .first()
        .waitFor();
      await page.screenshot({ path: join(SHOTS, 'addon-logs.png') });
    } finally {
      await browser.close();
    }
  });

  it('backs up a consistent copy of the request log with the hooks and exclusions of config.yaml', async () => {
    const run = (hook: string) => {
      // The add-on's /app is this checkout; the Supervisor runs the hook in the add-on's container.
      const [command, ...args] = hook.replace('/app/', at('.') + '/').split(' ');
      const child = network.spawn(command === 'node' ? process.execPath : command!, args, {
        env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir },
        stdio: 'pipe',
      });
      return new Promise<number | null>((resolve) => child.once('exit', resolve));
    };
    const rows = new Database(join(dataDir, DATABASE_FILE), { readonly: true })
      .prepare('SELECT COUNT(*) AS n FROM request_log')
      .get() as { n: number };
    assert.ok(rows.n > 0);

    assert.equal(await run(addonConfig.backup_pre), 0);
    // What the Supervisor's tar takes: every file but those backup_exclude matches.
    const archive = join(mkdtempSync(join(tmpdir(), 'ha-mcp-backup-')), 'backup.tar');
    execFileSync('tar', [
      '-cf',
      archive,
      '-C',
      dataDir,
      ...addonConfig.backup_exclude.map((glob) => `--exclude=${glob}`),
      '.',
    ]);
    assert.equal(await run(addonConfig.backup_post), 0);
    const listed = execFileSync('tar', ['-tf', archive], { encoding: 'utf8' }).split('\n');
    assert.ok(listed.includes(`./${SNAPSHOT_FILE}`), listed.join(' '));
    assert.ok(!listed.some((f) => f.startsWith(`./${DATABASE_FILE}`)), listed.join(' '));

    const restored = join(tmpdir(), `ha-mcp-restored-${process.pid}`);
    mkdirSync(restored, { recursive: true });
    execFileSync('tar', ['-xf', archive, '-C', restored]);
    const copy = new Database(join(restored, SNAPSHOT_FILE), { readonly: true });
    const copied = copy.prepare('SELECT COUNT(*) AS n FROM request_log').get() as { n: number };
    copy.close();
    rmSync(restored, { recursive: true, force: true });
    assert.ok(copied.n >= rows.n, `${copied.n} rows in the backup, ${rows.n} before it`);
  });

  it('follows Core to another port with TLS switched off once Core has restarted, without restarting the add-on', async () => {
    await ha.stop();
    const port = await freePort(CORE_ADDRESS);
    ha = await startTestHa({ configDir: haDir, http: { host: CORE_ADDRESS }, port });
    supervisor.core = { url: ha.url, port, ssl: false, version: HA_VERSION };
    // The add-on's link (through the Supervisor) is back once Core is: the second time (the companion's
    // install restarted Core once).
    await server.waitForLog(/(?:reconnected: Home Assistant model complete again[\s\S]*){2}/);
    // The call goes to Core as the user, at its new address: the add-on asked the Supervisor again.
    const turnedOff = await callTool(ha.adminToken, 'intent__HassTurnOff', { name: 'Kitchen Lights' });
    assert.equal(turnedOff.isError, false, turnedOff.content[0]?.text);
    assert.match(server.output(), new RegExp(`users' tokens are checked at http://homeassistant:${port}\n`));
  });

  it('stops within the grace s6-overlay gives it, with every request of a long tool call logged', async () => {
    const graceMs = killGraceMs();
    const slow = callTool(ha.adminToken, 'homeassistant__call_action', {
      action: 'script.slow_routine',
    }).catch((err: Error) => ({ isError: true, content: [{ text: err.message }] }));
    let ended: unknown;
    void slow.then((result) => (ended = result));
    // The call is under way once HA runs the script.
    const conn = await connectWs(ha.url, ha.adminToken);
    try {
      for (;;) {
        const script = await restJson<{ state: string }>(ha.url, '/api/states/script.slow_routine', {
          token: ha.adminToken,
        });
        if (script.state === 'on') break;
        assert.equal(ended, undefined, 'the call ended before HA ran the script');
        await command(conn, { type: 'ping' });
      }
    } finally {
      conn.close();
    }
    // As s6-overlay does: the stop signal, then SIGKILL once its grace is over.
    const kill = setTimeout(() => process.kill(server.pid, 'SIGKILL'), graceMs);
    const code = await server.stop('SIGTERM');
    clearTimeout(kill);
    assert.equal(
      code,
      0,
      `the server exited by itself within ${graceMs} ms:\n${server.output().slice(-2000)}`
    );
    await slow;

    const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
    const logged = db
      .prepare("SELECT outcome FROM request_log WHERE target = 'homeassistant__call_action'")
      .all() as { outcome: string }[];
    db.close();
    assert.equal(logged.length, 1, 'the long call has its row');
  });
});
