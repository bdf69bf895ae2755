/**
 * The add-on image's build steps (scripts/build-addon.sh, which the Dockerfile runs) produce a directory
 * that runs on production dependencies alone. No Docker engine runs here, so this is the proof that the
 * image's contents start.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startServer } from '../support/server-process.js';
import { at } from '../support/paths.js';

describe('add-on build', () => {
  it('builds a directory that serves both listeners without development dependencies', async () => {
    const workDir = mkdtempSync(join(tmpdir(), 'ha-mcp-addon-'));
    after(() => rmSync(workDir, { recursive: true, force: true }));
    const app = join(workDir, 'app');
    const build = spawnSync('bash', [at('scripts/build-addon.sh'), app], { cwd: at('.'), encoding: 'utf8' });
    assert.equal(build.status, 0, `${build.stdout}\n${build.stderr}`);
    for (const path of [
      'server/dist/main.js',
      'ui/dist/index.html',
      'node_modules/better-sqlite3',
      'package.json',
    ]) {
      assert.ok(existsSync(join(app, path)), `${path} is in the add-on`);
    }
    for (const devOnly of ['typescript', 'vite', 'tsx']) {
      assert.ok(!existsSync(join(app, 'node_modules', devOnly)), `${devOnly} is pruned`);
    }

    const server = await startServer(
      { HA_URL: 'http://127.0.0.1:9', HA_TOKEN: 'unused' },
      { main: join(app, 'server/dist/main.js'), cwd: app }
    );
    try {
      assert.equal((await fetch(`${server.mcpUrl}/healthz`)).status, 200);
      const panel = await fetch(`${server.adminUrl}/`);
      assert.equal(panel.status, 200);
      assert.match(await panel.text(), /<ha-mcp-app>/);
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });
});
