/**
 * The companion's files (server/src/admin/companion-files.ts): the add-on's copy is found from the server's
 * own folder, and goes into HA's config folder whole or not at all.
 */
import assert from 'node:assert/strict';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  bundledCompanionDir,
  configFolderBlock,
  configFolderProblem,
  installCompanionFiles,
  installedDir,
  manifestVersion,
  removeCompanionFiles,
} from '../../server/src/admin/companion-files.js';
import { at } from '../support/paths.js';

const root = mkdtempSync(join(tmpdir(), 'companion-files-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => {
  const dir = join(root, String(n++));
  mkdirSync(dir);
  return dir;
};

/** An integration folder with a manifest of `version`, a module and a bytecode cache. */
function source(version: string): string {
  const dir = fresh();
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ domain: 'mcp_server_addon', version }));
  writeFileSync(join(dir, '__init__.py'), `VERSION = "${version}"\n`);
  mkdirSync(join(dir, '__pycache__'));
  writeFileSync(join(dir, '__pycache__', '__init__.cpython-313.pyc'), 'bytecode');
  mkdirSync(join(dir, '.ruff_cache'));
  mkdirSync(join(dir, 'translations'));
  writeFileSync(join(dir, 'translations', 'en.json'), '{}');
  return dir;
}

const customComponents = (config: string) => readdirSync(join(config, 'custom_components')).sort();

describe('companion files', () => {
  it("finds the add-on's copy: the repository's integration from a checkout", () => {
    assert.equal(bundledCompanionDir(), at('custom_components/mcp_server_addon'));
    assert.equal(
      manifestVersion(bundledCompanionDir()),
      JSON.parse(readFileSync(at('custom_components/mcp_server_addon/manifest.json'), 'utf8')).version
    );
  });

  it('copies into custom_components, creating it, without __pycache__ or dot-folders', () => {
    const config = fresh();
    installCompanionFiles(source('0.2.0'), config);
    assert.deepEqual(customComponents(config), ['mcp_server_addon']);
    assert.equal(manifestVersion(installedDir(config)), '0.2.0');
    assert.ok(existsSync(join(installedDir(config), 'translations', 'en.json')));
    assert.ok(!existsSync(join(installedDir(config), '__pycache__')));
    assert.ok(!existsSync(join(installedDir(config), '.ruff_cache')));
  });

  it('replaces an older copy whole: no file of the old one stays', () => {
    const config = fresh();
    installCompanionFiles(source('0.1.0'), config);
    writeFileSync(join(installedDir(config), 'old_only.py'), '');
    installCompanionFiles(source('0.2.0'), config);
    assert.equal(manifestVersion(installedDir(config)), '0.2.0');
    assert.ok(!existsSync(join(installedDir(config), 'old_only.py')));
    assert.deepEqual(customComponents(config), ['mcp_server_addon']);
  });

  it('leaves the installed copy as it was, and no scratch folder, when the copy fails', () => {
    const config = fresh();
    installCompanionFiles(source('0.1.0'), config);
    // The copy writes one file of the new version, then the disk fills up.
    const halfway = ((_from: string, to: string) => {
      mkdirSync(to);
      writeFileSync(join(to, 'manifest.json'), JSON.stringify({ version: '0.2.0' }));
      throw new Error('ENOSPC: no space left on device');
    }) as typeof cpSync;
    assert.throws(() => installCompanionFiles(source('0.2.0'), config, halfway), /ENOSPC/);
    assert.throws(() => installCompanionFiles(join(root, 'no-such-folder'), config));
    assert.equal(manifestVersion(installedDir(config)), '0.1.0');
    assert.deepEqual(customComponents(config), ['mcp_server_addon']);
  });

  it('clears the scratch folders of an install that was cut short', () => {
    const config = fresh();
    mkdirSync(join(config, 'custom_components', '.mcp_server_addon.installing-1-x'), { recursive: true });
    installCompanionFiles(source('0.2.0'), config);
    assert.deepEqual(customComponents(config), ['mcp_server_addon']);
  });

  it('removes the folder, and nothing else', () => {
    const config = fresh();
    installCompanionFiles(source('0.2.0'), config);
    mkdirSync(join(config, 'custom_components', 'other'));
    removeCompanionFiles(config);
    assert.deepEqual(customComponents(config), ['other']);
    removeCompanionFiles(config); // already gone: nothing to do
  });

  it('says why the config folder cannot take the files', () => {
    assert.match(configFolderProblem(undefined)!, /by hand or with HACS/);
    assert.match(configFolderProblem(join(root, 'missing'))!, /not mapped/);
    assert.equal(configFolderProblem(fresh()), null);
    // The same, for the panel to word in the viewer's language.
    assert.deepEqual(configFolderBlock(undefined), { reason: 'unavailable', folder: null });
    const missing = join(root, 'missing');
    assert.deepEqual(configFolderBlock(missing), { reason: 'missing', folder: missing });
    const file = join(fresh(), 'a-file');
    writeFileSync(file, '');
    assert.deepEqual(configFolderBlock(file), { reason: 'not_a_folder', folder: file });
    assert.equal(configFolderBlock(fresh()), null);
  });
});
