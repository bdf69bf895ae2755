/**
 * `npm start`: builds the server and the panel, then runs the server.
 * - With HA_URL and HA_TOKEN set, against that Home Assistant.
 * - Without, it starts the local demo Home Assistant first (the test harness's demo home, kept in
 *   .demo/ so later starts are quick and tokens stay the same) and prints what a client needs.
 * Ctrl-C stops the server, and the demo Home Assistant with it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startTestHa, type TestHa } from '../tests/support/ha/harness.js';
import { PLAIN_USER, ADMIN } from '../tests/support/ha/onboard.js';
import { at } from '../tests/support/paths.js';
import { DEFAULT_ADMIN_PORT, DEFAULT_MCP_PORT } from '../server/src/server-config.js';
import { NODE_FLAGS } from '../server/src/node-flags.js';

function say(message = ''): void {
  process.stderr.write(`${message}\n`);
}

const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: at('.'), stdio: 'inherit' });
if (build.status !== 0) {
  say('npm start: the build failed (see above)');
  process.exit(1);
}

let demo: TestHa | undefined;
// Until the server runs, Ctrl-C just exits; the harness kills a half-started Home Assistant on exit.
const abortStart = () => process.exit(130);
process.once('SIGINT', abortStart);
process.once('SIGTERM', abortStart);
const env: Record<string, string> = { ...(process.env as Record<string, string>) };
if (!env.HA_URL || !env.HA_TOKEN) {
  say(
    'No HA_URL and HA_TOKEN: starting the local demo Home Assistant (the first start takes a few minutes).'
  );
  const demoDir = at('.demo');
  mkdirSync(join(demoDir, 'ha-config'), { recursive: true });
  // The harness reads HA_URL/HA_TOKEN to pick an existing HA; with only one of them set, ignore it.
  delete process.env.HA_URL;
  delete process.env.HA_TOKEN;
  demo = await startTestHa({ configDir: join(demoDir, 'ha-config') });
  Object.assign(env, {
    HA_URL: demo.url,
    HA_TOKEN: demo.adminToken,
    DATA_DIR: env.DATA_DIR ?? join(demoDir, 'data'),
  });
}

const mcpPort = env.MCP_PORT ?? String(DEFAULT_MCP_PORT);
const adminPort = env.ADMIN_PORT ?? String(DEFAULT_ADMIN_PORT);
const server = spawn(process.execPath, [...NODE_FLAGS, at('server/dist/main.js')], {
  cwd: at('.'),
  env: { ...env, MCP_PORT: mcpPort, ADMIN_PORT: adminPort },
  stdio: ['ignore', 'inherit', 'inherit'],
});

say();
say(`MCP endpoint:  http://127.0.0.1:${mcpPort}/api/mcp`);
say(`Admin panel:   http://127.0.0.1:${adminPort}/`);
if (demo) {
  say(`Demo Home Assistant: ${demo.url}  (log in as ${ADMIN.username} / ${ADMIN.password})`);
  say(`Token for MCP clients (owner, admin):  ${demo.adminToken}`);
  say(`Token for MCP clients (${PLAIN_USER.username}, not admin): ${demo.userToken}`);
  say('These tokens belong to the local demo only; they are kept in .demo/ha-config.');
}
say('Press Ctrl-C to stop.');
say();

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  if (server.exitCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  await demo?.stop();
  process.exit(server.exitCode ?? 0);
}
process.off('SIGINT', abortStart);
process.off('SIGTERM', abortStart);
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.once('exit', () => void stop());
