/**
 * The panel's words (ui/src/translations/<language>.json) for tests: a message by its key, and formatted
 * as ui/src/localize.ts formats it (ICU MessageFormat), without that file's Vite-only import.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { IntlMessageFormat } from 'intl-messageformat';
import { at } from './paths.js';

type Tree = { [key: string]: string | Tree };

/** The message at `key` in a language's file; fails the test when there is none. */
export function panelWords(language: string): (key: string) => string {
  const tree = JSON.parse(readFileSync(at(`ui/src/translations/${language}.json`), 'utf8')) as Tree;
  return (key) => {
    let node: string | Tree | undefined = tree;
    for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined;
    assert.equal(typeof node, 'string', `${language}: ${key}`);
    return node as string;
  };
}

/** A message as the panel shows it in that language, its arguments filled in. */
export function panelText(
  language: string
): (key: string, params?: Record<string, string | number>) => string {
  const words = panelWords(language);
  return (key, params = {}) =>
    String(new IntlMessageFormat(words(key), language, undefined, { ignoreTag: true }).format(params));
}
