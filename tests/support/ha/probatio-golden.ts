/**
 * Regenerates tests/fixtures/probatio-golden.json: runs probatio-golden.py in the pinned Home Assistant's own
 * Python (the Debian root the harness builds, else the venv of the Python runtime) and writes what it
 * recorded, formatted as the repository formats JSON. The unit test reads only the JSON.
 *
 *   node --import tsx tests/support/ha/probatio-golden.ts
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { cacheDir } from './cache.js';
import { HA_VERSION } from './version.js';

const here = dirname(fileURLToPath(import.meta.url));
const output = join(here, '..', '..', 'fixtures', 'probatio-golden.json');

function pinnedPython(): { command: string; args: string[] } {
  const root = join(cacheDir(), `ha-${HA_VERSION}`, 'root');
  if (existsSync(join(root, '.ha-mcp-root-ready'))) {
    return {
      command: 'chroot',
      args: [root, '/usr/bin/env', '-i', 'LANG=C.UTF-8', '/opt/ha/bin/python', '-'],
    };
  }
  const venv = join(cacheDir(), `ha-${HA_VERSION}`, 'venv', 'bin', 'python');
  if (existsSync(venv)) return { command: venv, args: ['-'] };
  throw new Error(
    `no pinned Home Assistant ${HA_VERSION} under ${cacheDir()}: run the HA tests once to build it`
  );
}

const { command, args } = pinnedPython();
const run = spawnSync(command, args, {
  input: readFileSync(join(here, 'probatio-golden.py')),
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
if (run.status !== 0) {
  process.stderr.write(run.stderr);
  throw new Error(`probatio-golden.py exited with ${run.status}`);
}
const recorded = JSON.parse(run.stdout) as { cases: unknown[] };
const text = await prettier.format(JSON.stringify(recorded), {
  ...(await prettier.resolveConfig(output)),
  parser: 'json',
});
writeFileSync(output, text);
console.log(`wrote ${recorded.cases.length} cases to ${output}`);
