/**
 * The add-on's network as the Supervisor makes it, in a network namespace this process creates (root
 * only): the add-on inside at 172.30.33.2, joined by a veth pair to this side, which carries the
 * Supervisor's address (172.30.32.2, where the Supervisor's API and ingress come from) and Core's
 * (172.30.32.1, Core runs on the host network). Inside, `supervisor` and `homeassistant` resolve to them
 * through a hosts file bind-mounted for the add-on's process alone: the machine's own /etc/hosts is never
 * touched. Removing the namespace removes the veth pair with it; namespaces left by a run that died are
 * removed on the next start.
 */
import { execFileSync, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SUPERVISOR_ADDRESS = '172.30.32.2';
export const CORE_ADDRESS = '172.30.32.1';
export const ADDON_ADDRESS = '172.30.33.2';

const PREFIX = 'ha-mcp-';

export interface HassioNetwork {
  readonly name: string;
  /** Spawns a command inside the namespace, with the add-on's hosts file. */
  spawn(command: string, args: string[], options?: SpawnOptions): ChildProcess;
  remove(): void;
}

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Namespaces of earlier runs whose process is gone (a killed run cannot clean up after itself). */
function removeLeftovers(): void {
  const listed = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  for (const line of listed.split('\n')) {
    const name = line.split(' ')[0] ?? '';
    const pid = Number(name.startsWith(PREFIX) ? name.slice(PREFIX.length) : NaN);
    if (Number.isInteger(pid) && !alive(pid)) ip('netns', 'delete', name);
  }
}

export function hassioNetwork(): HassioNetwork {
  if (process.getuid?.() !== 0) throw new Error('the add-on network needs root (network namespaces)');
  removeLeftovers();
  const taken = execFileSync('ip', ['-o', 'addr', 'show', 'to', SUPERVISOR_ADDRESS], { encoding: 'utf8' });
  if (taken.trim()) {
    throw new Error(
      `${SUPERVISOR_ADDRESS} is in use here (another run of the add-on tests?): ${taken.trim()}`
    );
  }
  const name = `${PREFIX}${process.pid}`;
  const outside = `hm${process.pid}o`.slice(0, 15);
  const inside = `hm${process.pid}i`.slice(0, 15);
  const dir = mkdtempSync(join(tmpdir(), 'ha-mcp-hassio-'));
  const hosts = join(dir, 'hosts');
  writeFileSync(
    hosts,
    `127.0.0.1 localhost\n${SUPERVISOR_ADDRESS} supervisor hassio\n${CORE_ADDRESS} homeassistant\n`
  );
  const inNs = (...args: string[]) => ip('netns', 'exec', name, 'ip', ...args);
  ip('netns', 'add', name);
  try {
    ip('link', 'add', outside, 'type', 'veth', 'peer', 'name', inside);
    ip('link', 'set', inside, 'netns', name);
    ip('addr', 'add', `${CORE_ADDRESS}/23`, 'dev', outside);
    ip('addr', 'add', `${SUPERVISOR_ADDRESS}/23`, 'dev', outside);
    ip('link', 'set', outside, 'up');
    inNs('addr', 'add', `${ADDON_ADDRESS}/23`, 'dev', inside);
    inNs('link', 'set', inside, 'up');
    inNs('link', 'set', 'lo', 'up');
  } catch (err) {
    ip('netns', 'delete', name);
    throw new Error(`cannot build the add-on network: ${(err as { stderr?: Buffer }).stderr ?? err}`);
  }
  // Addresses are usable at once, but a neighbour must answer before the first packet; nothing to wait for.
  return {
    name,
    spawn(command, args, options = {}) {
      const script = 'mount --bind "$0" /etc/hosts && exec "$@"';
      return spawn(
        'ip',
        [
          'netns',
          'exec',
          name,
          'unshare',
          '--mount',
          '--propagation',
          'private',
          'sh',
          '-c',
          script,
          hosts,
          command,
          ...args,
        ],
        options
      );
    },
    remove() {
      try {
        ip('netns', 'delete', name);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
