/**
 * Options added later (server/src/options-upgrade.ts): an install from before `require_admin` keeps letting
 * every user in, once; a new install starts with HA's default; an owner's later choice stands.
 */
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { OptionsSaveError } from '../../server/src/admin/errors.js';
import type { OptionsStore } from '../../server/src/admin/options-store.js';
import { createLogger } from '../../server/src/log.js';
import { parseOptions, type Options } from '../../server/src/options.js';
import { installedBefore, UPGRADES_FILE, upgradeOptions } from '../../server/src/options-upgrade.js';
import { DATABASE_FILE } from '../../server/src/store/db.js';
import { tempDirs } from '../support/temp-dirs.js';

const tempDir = tempDirs('ha-mcp-upgrade');

function world(dataDir: string, failSave = false) {
  let options = parseOptions({}, 'test');
  const saved: Options[] = [];
  const applied: Options[] = [];
  const lines: string[] = [];
  const store: OptionsStore = {
    current: () => options,
    async save(next) {
      if (failSave) throw new OptionsSaveError('the Supervisor cannot be reached to save the options');
      saved.push(next);
      options = next;
      return next;
    },
  };
  const run = (before: boolean) =>
    upgradeOptions({
      dataDir,
      installedBefore: before,
      store,
      current: () => options,
      apply: (next) => {
        applied.push(next);
        options = next;
      },
      log: createLogger('info', (line) => lines.push(line)),
    });
  return { run, saved, applied, lines, options: () => options, setOptions: (o: Options) => (options = o) };
}

describe('options added later', () => {
  it('tells an earlier install from a new one by the database it already had', () => {
    const dir = tempDir();
    assert.equal(installedBefore(dir), false);
    writeFileSync(join(dir, DATABASE_FILE), '');
    assert.equal(installedBefore(dir), true);
  });

  it('keeps an earlier install open to every user with Assist alone, once, and says so', async () => {
    const dir = tempDir();
    const w = world(dir);
    await w.run(true);
    assert.deepEqual(
      w.saved.map((o) => [o.require_admin, o.llm_apis]),
      [[false, ['assist']]]
    );
    assert.match(w.lines.join('\n'), /require_admin is off: this install is older than the option/);
    assert.match(
      w.lines.join('\n'),
      /llm_apis is assist alone: this install is older than the Home Assistant API/
    );
    // The owner turns it on later: the next start leaves it so.
    w.setOptions({ ...w.options(), require_admin: true });
    await w.run(true);
    assert.equal(w.saved.length, 1);
    assert.equal(w.options().require_admin, true);
  });

  it('starts a new install with HA’s default, administrators only', async () => {
    const dir = tempDir();
    const w = world(dir);
    await w.run(false);
    assert.deepEqual(w.saved, []);
    assert.equal(w.options().require_admin, true);
    assert.deepEqual(w.options().llm_apis, ['assist', 'homeassistant']);
    assert.ok(existsSync(join(dir, UPGRADES_FILE)));
  });

  it('applies the old behaviour until restart when saving fails, and tries again next start', async () => {
    const dir = tempDir();
    const w = world(dir, true);
    await w.run(true);
    assert.deepEqual(
      w.applied.map((o) => o.require_admin),
      [false]
    );
    assert.equal(existsSync(join(dir, UPGRADES_FILE)), false);
    assert.match(w.lines.join('\n'), /could not save the options an older install keeps/);
  });
});
