/**
 * The panel's languages (ui/src/translations/*.json): each has every English key and no other, and each
 * message is ICU MessageFormat that takes the same arguments as the English one and formats without a
 * brace left over (an ASCII apostrophe before a brace would quote it away).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { IntlMessageFormat } from 'intl-messageformat';
import { at } from '../support/paths.js';

type Tree = { [key: string]: string | Tree };

const DIR = at('ui/src/translations');
const LANGUAGES = ['de', 'en', 'es', 'fr', 'nl'];

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') out.set(prefix + key, value);
    else for (const [k, v] of flatten(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

const messagesOf = (language: string) =>
  flatten(JSON.parse(readFileSync(`${DIR}/${language}.json`, 'utf8')) as Tree);

/** Argument names, with `#` for a plural's count: what a caller must pass. */
function argumentsOf(elements: MessageFormatElement[], into = new Map<string, string>()) {
  for (const element of elements) {
    if (element.type === TYPE.argument) into.set(element.value, 'text');
    else if (element.type === TYPE.plural) {
      into.set(element.value, 'number');
      for (const option of Object.values(element.options)) argumentsOf(option.value, into);
    } else if (element.type === TYPE.select) {
      into.set(element.value, 'text');
      for (const option of Object.values(element.options)) argumentsOf(option.value, into);
    } else if (element.type === TYPE.number) into.set(element.value, 'number');
  }
  return into;
}

const english = messagesOf('en');

it('has the five languages the issue names, and no others', () => {
  const files = readdirSync(DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.replace(/\.json$/, ''))
    .sort();
  assert.deepEqual(files, LANGUAGES);
});

for (const language of LANGUAGES) {
  describe(`${language}.json`, () => {
    const messages = messagesOf(language);

    it('has exactly the English keys', () => {
      const missing = [...english.keys()].filter((k) => !messages.has(k));
      const extra = [...messages.keys()].filter((k) => !english.has(k));
      assert.deepEqual({ missing, extra }, { missing: [], extra: [] });
    });

    it('takes the same arguments as English in every message, and formats each completely', () => {
      const wrong: string[] = [];
      for (const [key, source] of english) {
        const message = messages.get(key);
        if (message === undefined) continue;
        // Empty only where English is (a state that shows no words).
        if (source.trim() === '') {
          if (message.trim() !== '') wrong.push(`${key}: English shows nothing here`);
          continue;
        }
        if (message.trim() === '') wrong.push(`${key} is empty`);
        const expected = argumentsOf(parse(source, { ignoreTag: true }));
        let actual: Map<string, string>;
        try {
          actual = argumentsOf(parse(message, { ignoreTag: true }));
        } catch (err) {
          wrong.push(`${key}: ${(err as Error).message}`);
          continue;
        }
        if (JSON.stringify([...actual].sort()) !== JSON.stringify([...expected].sort())) {
          wrong.push(`${key}: arguments ${[...actual.keys()]} instead of ${[...expected.keys()]}`);
          continue;
        }
        const values = Object.fromEntries(
          [...expected].map(([name, kind]) => [name, kind === 'number' ? 2 : `«${name}»`])
        );
        const text = String(
          new IntlMessageFormat(message, language, undefined, { ignoreTag: true }).format(values)
        );
        if (/[{}]/.test(text)) wrong.push(`${key}: a brace is left in "${text}"`);
        for (const [name, kind] of expected) {
          if (kind === 'text' && !text.includes(`«${name}»`))
            wrong.push(`${key}: {${name}} is lost in "${text}"`);
        }
      }
      assert.deepEqual(wrong, []);
    });

    it('gives every plural an "other" form', () => {
      const wrong = [...messages]
        .filter(([, m]) => /,\s*plural\s*,/.test(m) && !/\bother\s*\{/.test(m))
        .map(([k]) => k);
      assert.deepEqual(wrong, []);
    });
  });
}
