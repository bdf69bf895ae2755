import { readFileSync } from 'node:fs';

/** The add-on's version, from package.json (two levels up from both server/src and server/dist). */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
