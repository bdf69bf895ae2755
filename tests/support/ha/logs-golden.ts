/**
 * Regenerates tests/fixtures/logs-golden.json: runs logs-golden.py in the pinned Home Assistant's own Python
 * (the Debian root the harness builds under the cache) and writes what it recorded. The unit test
 * (tests/unit/ha-api-logs.test.ts) reads only the JSON.
 *
 *   node --import tsx tests/support/ha/logs-golden.ts
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { cacheDir } from './cache.js';
import { HA_VERSION } from './version.js';

const script = new URL('logs-golden.py', import.meta.url);
const output = new URL('../../fixtures/logs-golden.json', import.meta.url);
const root = join(cacheDir(), `ha-${HA_VERSION}`, 'root');
if (!existsSync(join(root, '.ha-mcp-root-ready')))
  throw new Error(
    `no pinned Home Assistant ${HA_VERSION} root in ${root}: run the HA tests once to build it`
  );

const python = spawnSync('chroot', [root, '/usr/bin/env', '-i', 'LANG=C.UTF-8', '/opt/ha/bin/python', '-'], {
  input: readFileSync(script),
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
if (python.status !== 0) throw new Error(`logs-golden.py exited with ${python.status}:\n${python.stderr}`);
const recorded = JSON.parse(python.stdout) as Record<string, unknown>;
const options = await prettier.resolveConfig(output.pathname);
writeFileSync(output, await prettier.format(JSON.stringify(recorded), { ...options, parser: 'json' }));
console.log(`wrote ${Object.keys(recorded).join(', ')} to ${output.pathname}`);
