/**
 * A fresh Home Assistant installs its integrations' requirements while it starts for the first time, and
 * some integrations (the demo's import among them) fail on that first start. So a fresh install is started
 * once on a throwaway config, until HA says it is initialized, and stopped: from then on every start has
 * what it needs. Marked per install and per configuration (config-dir.ts's configKey()), so it happens once,
 * and again when the configuration changes: a cached install warmed up for an older configuration may lack
 * the requirements of integrations the new one loads (`default_config:` brought openai, av, aiodhcpwatcher,
 * go2rtc-client and more).
 */
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../ports.js';
import { configKey, seedConfigDir } from './config-dir.js';
import { HarnessError, step } from './log.js';
import type { HaRuntime } from './runtime.js';

export async function warmUp(
  runtime: HaRuntime,
  installMarker: string,
  timeoutMs = 15 * 60_000
): Promise<void> {
  const marker = `${installMarker}-${configKey()}`;
  if (existsSync(marker)) return;
  const configDir = mkdtempSync(join(tmpdir(), 'ha-mcp-warm-up-'));
  const logFile = join(configDir, 'warm-up.log');
  try {
    seedConfigDir(configDir, await freePort());
    step(
      `first start of this Home Assistant install with configuration ${configKey()}: letting it install its integrations’ requirements (once)`
    );
    const fd = openSync(logFile, 'a');
    const child = runtime.start(configDir, fd);
    closeSync(fd);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + timeoutMs;
    let done = false;
    while (!done) {
      if (child.exitCode !== null)
        throw new HarnessError('warm up HA', `HA exited with ${child.exitCode}`, tail(logFile));
      if (Date.now() > deadline)
        throw new HarnessError('warm up HA', 'HA did not finish starting', tail(logFile));
      done = /Home Assistant initialized in/.test(readFileSync(logFile, 'utf8'));
      if (!done) await new Promise((r) => setTimeout(r, 1_000));
    }
    child.kill('SIGTERM');
    await exited;
    writeFileSync(marker, new Date().toISOString());
    step('first start done');
  } finally {
    rmSync(configDir, { recursive: true, force: true });
  }
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-40).join('\n');
  } catch {
    return '';
  }
}
