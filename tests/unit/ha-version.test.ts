/** Home Assistant's release compared as the add-on decides by it (server/src/ha/version.ts). */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { haVersionAtLeast } from '../../server/src/ha/version.js';

it('compares year and month of releases, betas and dev builds; an unreadable version is the oldest', () => {
  assert.equal(haVersionAtLeast('2026.9.0', 2026, 9), true);
  assert.equal(haVersionAtLeast('2026.8.3', 2026, 9), false);
  assert.equal(haVersionAtLeast('2026.12.0b1', 2026, 11), true);
  assert.equal(haVersionAtLeast('2026.10.0.dev0', 2026, 11), false);
  assert.equal(haVersionAtLeast('2027.1.0', 2026, 11), true);
  assert.equal(haVersionAtLeast('2025.12.1', 2026, 1), false);
  assert.equal(haVersionAtLeast('', 2026, 9), false);
  assert.equal(haVersionAtLeast('unknown', 2026, 9), false);
});
