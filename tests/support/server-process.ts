/**
 * Runs the real server as a child process, as the add-on does, and waits for it by reading its log:
 * ready when both listeners have said where they listen.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { at } from './paths.js';
import { freePort } from './ports.js';
import { NODE_FLAGS } from '../../server/src/node-flags.js';

export interface RunningServer {
  pid: number;
  mcpUrl: string;
  adminUrl: string;
  output(): string;
  /** Resolves when the server's log matches (it has logged, or logs later). */
  waitForLog(pattern: RegExp): Promise<void>;
  /** Sends a signal and resolves with the exit code once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface Exited {
  code: number | null;
  output: string;
}

function collect(child: ChildProcess): () => string {
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return () => text;
}

/** The server from source (default), or a built entry point such as the add-on's `/app/server/dist/main.js`. */
export interface ServerEntry {
  main?: string;
  cwd?: string;
  /**
   * A shell snippet run as root in a private mount namespace before the server starts (its data directory
   * is $DATA_DIR), e.g. to put the data directory on a full or read-only disk. The server keeps the pid.
   */
  mounts?: string;
  /**
   * Options written to the data directory's options.json before the server starts (standalone reads them
   * there), e.g. `{ require_admin: false }` for tests whose MCP clients are plain users.
   */
  options?: Record<string, unknown>;
  /** Starts the process some other way, e.g. inside the add-on network (supervisor/hassio-network.ts). */
  launch?: (command: string, args: string[], options: SpawnOptions) => ChildProcess;
  /** Where the test reaches the listeners (default 127.0.0.1). */
  address?: string;
}

/**
 * For tests whose MCP clients are plain users on `/api/mcp`: Home Assistant's default lets only
 * administrators in (`require_admin`, and the Home Assistant API in the selection), as homes that let every
 * user in turn it off and serve Assist alone.
 */
export const PLAIN_USERS: ServerEntry = { options: { require_admin: false, llm_apis: ['assist'] } };

export function spawnServer(env: Record<string, string>, entry: ServerEntry = {}): ChildProcess {
  const argv = [
    ...NODE_FLAGS,
    ...(entry.main ? [entry.main] : ['--import', 'tsx', at('server/src/main.ts')]),
  ];
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'ha-mcp-data-'));
  if (entry.options) writeFileSync(join(dataDir, 'options.json'), JSON.stringify(entry.options));
  const options = {
    cwd: entry.cwd ?? at('.'),
    env: { PATH: process.env.PATH ?? '', ...env, DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'],
  };
  if (entry.launch) return entry.launch(process.execPath, argv, options);
  if (!entry.mounts) return spawn(process.execPath, argv, options);
  const script = `${entry.mounts} && exec "$0" "$@"`;
  return spawn(
    'unshare',
    ['--mount', '--propagation', 'private', 'sh', '-c', script, process.execPath, ...argv],
    options
  );
}

/**
 * Runs the server to its exit (for settings it must refuse), on free ports. A server that is still running
 * after `withinMs` is killed and reported with code null, so a test fails with its output instead of
 * waiting out the runner's time limit and leaving the server behind.
 */
export async function runToExit(env: Record<string, string>, withinMs = 60_000): Promise<Exited> {
  const ports = { MCP_PORT: String(await freePort()), ADMIN_PORT: String(await freePort()) };
  const child = spawnServer({ ...ports, ...env });
  const output = collect(child);
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), withinMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output: output() });
    });
  });
}

export async function startServer(
  env: Record<string, string> = {},
  entry: ServerEntry = {}
): Promise<RunningServer> {
  const mcpPort = env.MCP_PORT ? Number(env.MCP_PORT) : await freePort();
  const adminPort = env.ADMIN_PORT ? Number(env.ADMIN_PORT) : await freePort();
  const address = entry.address ?? '127.0.0.1';
  const child = spawnServer({ MCP_PORT: String(mcpPort), ADMIN_PORT: String(adminPort), ...env }, entry);
  const output = collect(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (/admin panel listening on/.test(output())) {
        child.stdout?.off('data', check);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    void exited.then((code) =>
      reject(new Error(`server exited with ${code} before it was ready:\n${output()}`))
    );
  });
  return {
    pid: child.pid!,
    mcpUrl: `http://${address}:${mcpPort}`,
    adminUrl: `http://${address}:${adminPort}`,
    output,
    waitForLog(pattern) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!pattern.test(output())) return;
          child.stdout?.off('data', check);
          resolve();
        };
        child.stdout?.on('data', check);
        void exited.then(() => reject(new Error(`server exited before logging ${pattern}:\n${output()}`)));
        check();
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
