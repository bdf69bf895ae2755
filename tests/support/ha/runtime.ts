/**
 * Where a test Home Assistant runs: Docker, else a Python >= 3.14.2 on PATH, else a Debian root built
 * with debootstrap (this machine's case). Each runtime turns a config directory into a running HA process.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir } from './cache.js';
import { HarnessError, step } from './log.js';

export type RuntimeKind = 'docker' | 'python' | 'debootstrap';

export interface HaRuntime {
  readonly kind: RuntimeKind;
  readonly description: string;
  /** A file that exists once this install has been started once (see warm-up.ts); none for Docker images. */
  readonly warmMarker?: string;
  /** Starts HA on a prepared config directory; output goes to the given file descriptor. */
  start(configDir: string, logFd: number): ChildProcess;
  /** The config directory's path as HA sees it (inside its container or root). */
  configPath(configDir: string): string;
}

const here = dirname(fileURLToPath(import.meta.url));

/** Environment HA needs to install integration requirements through this network's TLS. */
function haEnv(caFile: string): Record<string, string> {
  return {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: '/root',
    LANG: 'C.UTF-8',
    SSL_CERT_FILE: caFile,
    PIP_CERT: caFile,
    REQUESTS_CA_BUNDLE: caFile,
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
  };
}

const hostCa = '/etc/ssl/certs/ca-certificates.crt';

function commandWorks(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore', timeout: 15_000 });
  return r.status === 0;
}

function dockerRuntime(version: string): HaRuntime {
  const image = `ghcr.io/home-assistant/home-assistant:${version}`;
  return {
    kind: 'docker',
    description: `Docker image ${image}`,
    configPath: () => '/config',
    start(configDir, logFd) {
      return spawn(
        'docker',
        ['run', '--rm', '--init', '--network', 'host', '-v', `${resolve(configDir)}:/config`, image],
        { stdio: ['ignore', logFd, logFd] }
      );
    },
  };
}

/** A Python >= 3.14.2 on PATH, if there is one (HA 2026.3 and later need it). */
function findPython(): string | undefined {
  for (const name of ['python3.14', 'python3', 'python']) {
    const r = spawnSync(name, ['-c', 'import sys; print(sys.version_info >= (3, 14, 2))'], {
      encoding: 'utf8',
      timeout: 10_000,
    });
    if (r.status === 0 && r.stdout.trim() === 'True') return name;
  }
  return undefined;
}

function pythonRuntime(version: string, python: string): HaRuntime {
  const venv = join(cacheDir(), `ha-${version}`, 'venv');
  if (!existsSync(join(venv, '.ready'))) {
    step(`creating a venv for homeassistant==${version} with ${python} at ${venv}`);
    mkdirSync(dirname(venv), { recursive: true });
    execFileSync(python, ['-m', 'venv', venv], { stdio: 'inherit' });
    execFileSync(join(venv, 'bin', 'pip'), ['install', '-q', `homeassistant==${version}`], {
      stdio: 'inherit',
    });
    execFileSync('touch', [join(venv, '.ready')]);
  }
  return {
    kind: 'python',
    description: `venv ${venv}`,
    warmMarker: join(venv, '.warmed'),
    configPath: (configDir) => resolve(configDir),
    start(configDir, logFd) {
      return spawn(join(venv, 'bin', 'python'), ['-m', 'homeassistant', '--config', resolve(configDir)], {
        stdio: ['ignore', logFd, logFd],
        env: {
          ...process.env,
          ...haEnv(process.env.SSL_CERT_FILE ?? hostCa),
          HOME: process.env.HOME ?? '/root',
        },
      });
    },
  };
}

function debootstrapRuntime(version: string): HaRuntime {
  const root = join(cacheDir(), `ha-${version}`, 'root');
  if (!existsSync(join(root, '.ha-mcp-root-ready'))) {
    step(`building a Debian root with Python and homeassistant==${version} at ${root} (a few minutes, once)`);
    const r = spawnSync('bash', [join(here, 'build-root.sh'), version, root], { stdio: 'inherit' });
    if (r.status !== 0) throw new HarnessError('build HA root', `build-root.sh exited with ${r.status}`);
  }
  mkdirSync(join(root, 'config'), { recursive: true });
  // A private mount namespace per HA process: /proc, /dev and the config directory are mounted for this
  // process alone and vanish with it, so parallel runs share the root and nothing is left mounted.
  const script =
    'set -e; cfg="$1"; shift; mount -t proc proc "$0/proc"; mount --rbind /dev "$0/dev"; ' +
    'mount --bind "$cfg" "$0/config"; ' +
    'exec chroot "$0" /usr/bin/env -i "$@"';
  return {
    kind: 'debootstrap',
    description: `Debian root ${root}`,
    warmMarker: join(root, '.ha-mcp-warmed'),
    configPath: () => '/config',
    start(configDir, logFd) {
      const env = Object.entries({ ...haEnv(hostCa), TZ: 'UTC' }).map(([k, v]) => `${k}=${v}`);
      return spawn(
        'unshare',
        [
          '--mount',
          '--propagation',
          'private',
          'sh',
          '-c',
          script,
          root,
          resolve(configDir),
          ...env,
          '/opt/ha/bin/python',
          '-m',
          'homeassistant',
          '--config',
          '/config',
        ],
        { stdio: ['ignore', logFd, logFd] }
      );
    },
  };
}

/**
 * Picks the runtime: HA_TEST_RUNTIME forces one; otherwise Docker if its engine answers, then a suitable
 * Python, then a Debian root (needs root for debootstrap and chroot).
 */
export function prepareRuntime(version: string): HaRuntime {
  const forced = process.env.HA_TEST_RUNTIME as RuntimeKind | undefined;
  if (forced === 'docker' || (!forced && commandWorks('docker', ['info']))) return dockerRuntime(version);
  const python = forced === 'debootstrap' ? undefined : findPython();
  if (forced === 'python' && !python) throw new HarnessError('find Python', 'no Python >= 3.14.2 on PATH');
  if (python) return pythonRuntime(version, python);
  if (process.getuid?.() !== 0) {
    throw new HarnessError(
      'choose HA runtime',
      'no Docker and no Python >= 3.14.2 on PATH; building a Debian root needs root. ' +
        'Set HA_URL and HA_TOKEN to use an existing Home Assistant instead.'
    );
  }
  return debootstrapRuntime(version);
}
