import { homedir } from 'node:os';
import { join } from 'node:path';

/** Built HA roots and venvs live outside the clone, keyed by version, so later runs skip the build. */
export function cacheDir(): string {
  return process.env.HA_MCP_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'ha-mcp');
}
