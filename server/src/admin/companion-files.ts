/**
 * The companion integration's files: the copy the add-on carries (scripts/build-addon.sh puts it at
 * `/app/companion/mcp_server_addon`; in the repository it is `custom_components/mcp_server_addon`), and
 * putting it into, or taking it out of, HA's config folder (`<config>/custom_components/mcp_server_addon`)
 * so that Core never sees a half-copied folder: the copy goes to a hidden sibling first (a name with a dot
 * is not a module name, so Core's loader passes it by), then is renamed into place.
 */
import {
  accessSync,
  constants,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMPANION_DOMAIN } from './companion.js';
import type { CompanionBlock } from './contract.js';

/** Where the add-on's copy may be, three levels up from server/src/admin and server/dist/admin. */
const BUNDLED_CANDIDATES = [
  `../../../companion/${COMPANION_DOMAIN}`,
  `../../../custom_components/${COMPANION_DOMAIN}`,
].map((path) => fileURLToPath(new URL(path, import.meta.url)));

/** The add-on's copy of the integration: the built image's, else the repository's. */
export function bundledCompanionDir(): string | undefined {
  return BUNDLED_CANDIDATES.find((dir) => existsSync(join(dir, 'manifest.json')));
}

/** The `version` of the integration's manifest in `dir`; null when there is no readable one. */
export function manifestVersion(dir: string | undefined): string | null {
  if (dir === undefined) return null;
  try {
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { version?: unknown };
    return typeof manifest.version === 'string' ? manifest.version : null;
  } catch {
    return null;
  }
}

/** The integration's folder in HA's config folder. */
export const installedDir = (configDir: string) => join(configDir, 'custom_components', COMPANION_DOMAIN);

/**
 * Why the add-on cannot write HA's config folder: it has none (standalone without `HA_CONFIG_DIR`), the
 * folder is missing (not mapped), not a folder, or read-only. Null when it can.
 */
export function configFolderBlock(configDir: string | undefined): CompanionBlock | null {
  if (configDir === undefined) return { reason: 'unavailable', folder: null };
  try {
    if (!statSync(configDir).isDirectory()) return { reason: 'not_a_folder', folder: configDir };
  } catch {
    return { reason: 'missing', folder: configDir };
  }
  try {
    accessSync(configDir, constants.W_OK);
  } catch {
    return { reason: 'read_only', folder: configDir };
  }
  return null;
}

/** The same, in words (for refusals; the panel words the block itself, in the viewer's language). */
export function configFolderProblem(configDir: string | undefined): string | null {
  const block = configFolderBlock(configDir);
  switch (block?.reason) {
    case undefined:
      return null;
    case 'unavailable':
      return "Home Assistant's config folder is not available to the add-on: install the integration by hand or with HACS";
    case 'not_a_folder':
      return `${block.folder} is not a folder`;
    case 'missing':
      return `Home Assistant's config folder is not mapped into the add-on (${block.folder} is missing)`;
    case 'read_only':
      return `Home Assistant's config folder is mapped read-only (${block.folder})`;
  }
}

/** Bytecode caches and tools' dot-folders (`.ruff_cache` in a checkout) are not part of the integration. */
const SKIPPED = (name: string) => name === '__pycache__' || name.startsWith('.');

const SCRATCH_PREFIX = `.${COMPANION_DOMAIN}.`;
const scratchName = (parent: string, what: string) =>
  join(parent, `${SCRATCH_PREFIX}${what}-${process.pid}-${Date.now().toString(36)}`);

/** Leftovers of an install that was cut short (the add-on stopped between the copy and the rename). */
function clearScratch(parent: string): void {
  for (const name of readdirSync(parent)) {
    if (name.startsWith(SCRATCH_PREFIX)) rmSync(join(parent, name), { recursive: true, force: true });
  }
}

/**
 * Copies `from` to `<configDir>/custom_components/mcp_server_addon`, replacing what is there, without
 * `__pycache__`. The old folder is moved aside only once the new copy is complete, and put back if the new
 * one cannot take its place. Without `__pycache__` and dot-folders. (`copy` is for tests, to fail half-way.)
 */
export function installCompanionFiles(from: string, configDir: string, copy: typeof cpSync = cpSync): void {
  const target = installedDir(configDir);
  const parent = join(target, '..');
  mkdirSync(parent, { recursive: true });
  clearScratch(parent);
  const incoming = scratchName(parent, 'installing');
  try {
    copy(from, incoming, {
      recursive: true,
      errorOnExist: true,
      filter: (path) => path === from || !SKIPPED(basename(path)),
    });
  } catch (err) {
    rmSync(incoming, { recursive: true, force: true });
    throw err;
  }
  const old = existsSync(target) ? scratchName(parent, 'old') : undefined;
  if (old) renameSync(target, old);
  try {
    renameSync(incoming, target);
  } catch (err) {
    if (old) renameSync(old, target);
    rmSync(incoming, { recursive: true, force: true });
    throw err;
  }
  if (old) rmSync(old, { recursive: true, force: true });
}

/** Takes the integration's folder out of HA's config folder (first out of Core's sight, then off the disk). */
export function removeCompanionFiles(configDir: string): void {
  const target = installedDir(configDir);
  if (!existsSync(target)) return;
  const gone = scratchName(join(target, '..'), 'removing');
  renameSync(target, gone);
  rmSync(gone, { recursive: true, force: true });
}
