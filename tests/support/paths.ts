import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The project root, for tests that read its files. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const at = (...parts: string[]) => join(ROOT, ...parts);
