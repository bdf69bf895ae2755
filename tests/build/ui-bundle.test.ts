/**
 * The built panel, as `npm run build` leaves it in ui/dist: its JavaScript, every language included, stays
 * under 150 kB gzipped (issues 6 and 21) and the admin listener serves it. These run after the build
 * (`npm test`), never before it.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { startServer } from '../support/server-process.js';
import { at } from '../support/paths.js';

const ASSETS = at('ui/dist/assets');
const BUDGET = 150 * 1024;

before(() => {
  assert.ok(existsSync(ASSETS), 'ui/dist has no build: run npm run build first');
});

it('ships the panel in less than 150 kB of gzipped JavaScript', () => {
  const scripts = readdirSync(ASSETS).filter((f) => f.endsWith('.js'));
  assert.ok(scripts.length > 0, 'the build made no JavaScript');
  const gzipped = scripts.reduce(
    (sum, f) => sum + gzipSync(readFileSync(join(ASSETS, f)), { level: 9 }).length,
    0
  );
  assert.ok(gzipped < BUDGET, `${(gzipped / 1024).toFixed(1)} kB gzipped`);
  // Every language is in what was counted: each one's words are in the built scripts.
  const built = scripts.map((f) => readFileSync(join(ASSETS, f), 'utf8')).join('\n');
  const languages = readdirSync(at('ui/src/translations')).filter((f) => f.endsWith('.json'));
  assert.equal(languages.length, 5);
  for (const file of languages) {
    const words = JSON.parse(readFileSync(at(`ui/src/translations/${file}`), 'utf8')) as {
      overview: { link: { connecting: string } };
    };
    assert.ok(built.includes(words.overview.link.connecting), `${file} is not in the build`);
  }
  // The panel loads by relative URL only: it lives under an ingress path nobody knows in advance.
  const index = readFileSync(at('ui/dist/index.html'), 'utf8');
  assert.doesNotMatch(index, /(src|href)="\//);
});

it('serves the panel from the admin listener', async () => {
  // Standalone settings that need no Home Assistant yet: the listeners start before anything talks to HA.
  const server = await startServer({ HA_URL: 'http://127.0.0.1:9', HA_TOKEN: 'not-a-real-token' });
  try {
    const res = await fetch(`${server.adminUrl}/`);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /<ha-mcp-app>/);
  } finally {
    await server.stop();
  }
});
