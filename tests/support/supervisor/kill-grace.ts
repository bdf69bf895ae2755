/** How s6-overlay stops the add-on's server, as the image sets it up. */
import { readFileSync } from 'node:fs';
import { at } from '../paths.js';

/** s6-overlay's own grace between the stop signal and SIGKILL, when the image does not set one. */
export const S6_DEFAULT_KILL_GRACE_MS = 3_000;

/** The Dockerfile's `S6_KILL_GRACETIME` in ms; undefined when it sets none. */
export function dockerfileKillGraceMs(): number | undefined {
  const value = /^ENV\s+.*\bS6_KILL_GRACETIME=(\d+)/m.exec(readFileSync(at('Dockerfile'), 'utf8'))?.[1];
  return value === undefined ? undefined : Number(value);
}
