/**
 * The test Home Assistant: the pinned release, started headless on a free loopback port, onboarded, with
 * a demo home, an admin token, a non-admin token and HA's own `mcp_server` configured as the reference.
 *
 *   const ha = await startTestHa();   // ... ha.url, ha.adminToken, ha.userToken ...   await ha.stop();
 *
 * With HA_URL and HA_TOKEN set it uses that instance instead and starts nothing.
 */
import {
  closeSync,
  cpSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { installCoreTls } from '../../../server/src/ha/core-tls.js';
import { freePort, portIsFree } from '../ports.js';
import { configuredPort, seedConfigDir } from './config-dir.js';
import { setUpDemoHome } from './demo-home.js';
import { restJson, waitUntilRunning } from './ha-api.js';
import { HarnessError, step } from './log.js';
import { onboard, type TestUsers } from './onboard.js';
import { prepareRuntime } from './runtime.js';
import { warmUp } from './warm-up.js';
import { HA_VERSION } from './version.js';

export interface TestHa {
  url: string;
  version: string;
  adminToken: string;
  userToken: string;
  /** The HA user id behind userToken (not an admin). */
  userId: string;
  configDir: string | undefined;
  /** HA's own log file (undefined for an external HA). */
  logFile: string | undefined;
  /** The last lines of HA's own log (empty for an external HA). */
  logTail(lines?: number): string;
  /** The running HA process's id, for measuring it (undefined for an external HA, or between restarts). */
  pid?: () => number | undefined;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Keep HA's state here across runs (the demo); default: a fresh temporary directory removed on stop. */
  configDir?: string;
  /** How long to wait for HA to answer; the first start installs integration requirements. */
  startTimeoutMs?: number;
  /**
   * Serve on this address instead of loopback, and over TLS with this certificate (this process then
   * trusts it for that address, as a client given the CA would).
   */
  http?: { host?: string; tls?: { cert: string; key: string }; banThreshold?: number };
  /** YAML appended to a new configuration's scripts.yaml. */
  extraScripts?: string;
  /** Serve on this port (as an owner who changes it in HA's network settings); default: the last one, if free. */
  port?: number;
  /**
   * Integration folders (e.g. the repository's `custom_components/mcp_server_addon`) copied into the config
   * directory's `custom_components/` before HA starts, replacing an older copy; HA loads them as custom
   * integrations. An external HA cannot take them: asking for them there is an error.
   */
  customComponents?: string[];
}

const STATE_FILE = 'ha-mcp-test-state.json';
const RESTART_EXIT_CODE = 100;

function tail(file: string, lines = 60): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Waits until HA's HTTP server answers, or the process dies, or time runs out. */
async function waitForHttp(
  url: string,
  child: ChildProcess,
  logFile: string,
  timeoutMs: number
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? -1));
  let lastNote = Date.now();
  while (Date.now() < deadline) {
    if (exited !== null)
      throw new HarnessError('start HA', `Home Assistant exited with code ${exited}`, tail(logFile));
    try {
      // `/api/` answers 401 without a token as soon as HA's HTTP server is up, onboarded or not.
      const res = await fetch(new URL('/api/', url), { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200 || res.status === 401) return;
    } catch {
      // not listening yet
    }
    if (Date.now() - lastNote > 30_000) {
      step('still waiting for Home Assistant (the first start installs integration requirements)');
      lastNote = Date.now();
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new HarnessError('start HA', `no answer from ${url} within ${timeoutMs / 1000}s`, tail(logFile));
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

function externalHa(): TestHa | undefined {
  const url = process.env.HA_URL;
  const token = process.env.HA_TOKEN;
  if (!url || !token) return undefined;
  const userToken = process.env.HA_USER_TOKEN;
  if (!userToken)
    throw new HarnessError(
      'use external HA',
      'set HA_USER_TOKEN (a non-admin user) with HA_URL and HA_TOKEN'
    );
  return {
    url,
    version: 'external',
    adminToken: token,
    userToken,
    userId: process.env.HA_USER_ID ?? '',
    configDir: undefined,
    logFile: undefined,
    logTail: () => '',
    stop: async () => {},
  };
}

export async function startTestHa(options: StartOptions = {}): Promise<TestHa> {
  const external = externalHa();
  if (external && options.customComponents?.length) {
    throw new HarnessError(
      'use external HA',
      `custom integrations (${options.customComponents.map((c) => basename(c)).join(', ')}) need a Home Assistant the harness starts; unset HA_URL`
    );
  }
  if (external) {
    step(`using the Home Assistant at ${external.url}`);
    return external;
  }
  const runtime = prepareRuntime(HA_VERSION);
  if (runtime.warmMarker) await warmUp(runtime, runtime.warmMarker);
  const temporary = options.configDir === undefined;
  const configDir = options.configDir ?? mkdtempSync(join(tmpdir(), 'ha-mcp-test-'));
  const host = options.http?.host ?? '127.0.0.1';
  const tls = options.http?.tls;
  const previousPort = configuredPort(configDir);
  const port =
    options.port ??
    (previousPort && (await portIsFree(previousPort, host)) ? previousPort : await freePort(host));
  seedConfigDir(
    configDir,
    port,
    {
      host,
      ...(tls && { tls, configPath: runtime.configPath(configDir) }),
      ...(options.http?.banThreshold !== undefined && { banThreshold: options.http.banThreshold }),
    },
    options.extraScripts
  );
  if (tls) installCoreTls({ check: 'ca', host, ca: tls.cert });
  for (const component of options.customComponents ?? []) {
    const into = join(configDir, 'custom_components', basename(resolve(component)));
    rmSync(into, { recursive: true, force: true });
    cpSync(component, into, { recursive: true, filter: (from) => basename(from) !== '__pycache__' });
  }
  const url = `${tls ? 'https' : 'http'}://${host}:${port}`;
  const logFile = join(configDir, 'ha-mcp-harness.log');

  // HA asks to be restarted (the `homeassistant.restart` action) by exiting with code 100 and leaves the
  // restart to whoever runs it, as the Supervisor does: so does the harness. Tests restart HA that way.
  let stopping = false;
  const launch = (): ChildProcess => {
    const logFd = openSync(logFile, 'a');
    const started = runtime.start(configDir, logFd);
    closeSync(logFd);
    started.once('exit', (code) => {
      if (code === RESTART_EXIT_CODE && !stopping) {
        step('Home Assistant asked to restart; starting it again');
        child = launch();
      }
    });
    return started;
  };
  step(`starting Home Assistant ${HA_VERSION} (${runtime.description}) on ${url}, config ${configDir}`);
  let child = launch();
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    stopping = true;
    process.removeListener('exit', killOnExit);
    await stopProcess(child);
    if (temporary) rmSync(configDir, { recursive: true, force: true });
  };

  try {
    await waitForHttp(url, child, logFile, options.startTimeoutMs ?? 15 * 60_000);
    const stateFile = join(configDir, STATE_FILE);
    let users: TestUsers;
    if (existsSync(stateFile)) {
      users = JSON.parse(readFileSync(stateFile, 'utf8')) as TestUsers;
    } else {
      const steps = await restJson<{ step: string; done: boolean }[]>(url, '/api/onboarding');
      if (steps.some((s) => s.step === 'user' && s.done)) {
        throw new HarnessError(
          'onboard',
          `${configDir} was onboarded by someone else and has no ${STATE_FILE}`
        );
      }
      users = await onboard(url);
      await waitUntilRunning(url, users.adminToken);
      await setUpDemoHome(url, users.adminToken);
      writeFileSync(stateFile, JSON.stringify(users, null, 2), { mode: 0o600 });
    }
    await waitUntilRunning(url, users.adminToken);
    step(`Home Assistant ready at ${url}`);
    return {
      url,
      version: HA_VERSION,
      ...users,
      configDir,
      logFile,
      logTail: (lines) => tail(logFile, lines),
      pid: () => (child.exitCode === null && child.signalCode === null ? child.pid : undefined),
      stop,
    };
  } catch (err) {
    const logTail = tail(logFile);
    await stop();
    if (err instanceof HarnessError) throw err;
    throw new HarnessError('prepare HA', err instanceof Error ? err.message : String(err), logTail);
  }
}
