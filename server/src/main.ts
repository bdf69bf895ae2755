/**
 * Wiring only: settings, the two listeners, and a clean stop on SIGTERM (what the Supervisor sends).
 */
import { createAdminApp } from './admin/app.js';
import { listen, type Listener } from './http/listen.js';
import { createLogger } from './log.js';
import { createMcpApp } from './mcp/app.js';
import { ConfigError } from './options.js';
import { loadSettings, type Settings } from './settings.js';
import { VERSION } from './version.js';

const log = createLogger();

function displayHost(host: string): string {
  return host === '0.0.0.0' || host === '::' ? 'localhost' : host;
}

async function start(settings: Settings): Promise<Listener[]> {
  log.setLevel(settings.options.log_level);
  log.info(`MCP Server for Home Assistant ${VERSION} starting`, { mode: settings.mode, ha: settings.haUrl });
  const mcp = await listen('MCP', createMcpApp(), settings.mcp.host, settings.mcp.port);
  let admin: Listener;
  try {
    admin = await listen('admin', createAdminApp(), settings.admin.host, settings.admin.port);
  } catch (err) {
    await mcp.close();
    throw err;
  }
  log.info(`MCP endpoint listening on http://${displayHost(mcp.host)}:${mcp.port}/api/mcp`);
  log.info(`admin panel listening on http://${displayHost(admin.host)}:${admin.port}/`);
  return [mcp, admin];
}

function stopOnSignals(listeners: Listener[]): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal} received, stopping`);
    await Promise.all(listeners.map((l) => l.close()));
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

async function main(): Promise<void> {
  let settings: Settings;
  try {
    settings = loadSettings();
  } catch (err) {
    if (err instanceof ConfigError) {
      log.error(`configuration error: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  try {
    stopOnSignals(await start(settings));
  } catch (err) {
    log.error((err as Error).message);
    process.exit(1);
  }
}

await main();
