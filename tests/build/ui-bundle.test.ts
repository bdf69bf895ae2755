/** The panel's JavaScript stays under 150 kB gzipped (issue 6), as `npm run build` leaves it in ui/dist. */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { at } from '../paths.js';

const ASSETS = at('ui/dist/assets');
const BUDGET = 150 * 1024;

it(
  'ships the panel in less than 150 kB of gzipped JavaScript',
  { skip: !existsSync(ASSETS) && 'run npm run build first' },
  () => {
    const scripts = readdirSync(ASSETS).filter((f) => f.endsWith('.js'));
    assert.ok(scripts.length > 0, 'the build made no JavaScript');
    const gzipped = scripts.reduce(
      (sum, f) => sum + gzipSync(readFileSync(join(ASSETS, f)), { level: 9 }).length,
      0
    );
    assert.ok(gzipped < BUDGET, `${(gzipped / 1024).toFixed(1)} kB gzipped`);
    // The panel loads by relative URL only: it lives under an ingress path nobody knows in advance.
    const index = readFileSync(at('ui/dist/index.html'), 'utf8');
    assert.doesNotMatch(index, /(src|href)="\//);
  }
);
