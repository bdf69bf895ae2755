/**
 * The panel's source keeps four promises that no browser test would notice being broken in a corner:
 * every string it shows is in translations/en.json, every number and date goes through locale.ts (so it
 * follows the viewer's language and HA profile formats, not the browser's), every URL it uses is relative
 * (it lives under an ingress path it does not know), and components take their colours from the theme's
 * tokens only.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { at } from '../support/paths.js';

const SRC = at('ui/src');

function sources(dir = SRC): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

const files = sources().map((path) => ({ path: relative(SRC, path), text: readFileSync(path, 'utf8') }));
const strings = JSON.parse(readFileSync(join(SRC, 'translations/en.json'), 'utf8')) as Record<
  string,
  unknown
>;

function translation(key: string): unknown {
  let node: unknown = strings;
  for (const part of key.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  return node;
}

describe('the panel’s source', () => {
  it('has a translation for every key it localizes', () => {
    const missing: string[] = [];
    for (const { path, text } of files) {
      for (const [, key] of text.matchAll(/localize\(\s*'([^']+)'/g)) {
        if (typeof translation(key!) !== 'string') missing.push(`${path}: ${key}`);
      }
    }
    // Comments may show made-up keys as examples.
    assert.deepEqual(
      missing.filter((m) => !m.startsWith('localize.ts')),
      []
    );
  });

  it('formats numbers and dates through locale.ts only', () => {
    for (const { path, text } of files.filter((f) => f.path !== 'locale.ts')) {
      assert.doesNotMatch(
        text,
        /\.toLocale\w*String\(|\bnew Intl\.|\.toFixed\(/,
        `${path} formats by itself`
      );
      // A unit written after a number in code (`${n} ms`) is neither the viewer's words nor their format.
      assert.doesNotMatch(text, /\$\{[^}]*\} ?(ms|s|%)`/, `${path} writes a unit by itself`);
    }
  });

  it('uses relative URLs only, and calls fetch in the data layer only', () => {
    for (const { path, text } of files) {
      assert.doesNotMatch(text, /['"`]\/api\//, `${path} names an absolute /api/ path`);
      assert.doesNotMatch(
        text,
        /['"`]https?:\/\/(?!mcp\.example\.com)[\w[]/,
        `${path} names an absolute URL`
      );
      if (path !== join('data', 'api.ts')) assert.doesNotMatch(text, /\bfetch\(/, `${path} calls fetch`);
    }
  });

  it('takes colours from the theme’s tokens in components and views', () => {
    for (const { path, text } of files.filter((f) => /^(components|views)\//.test(f.path))) {
      assert.doesNotMatch(text, /#[0-9a-f]{3,8}\b(?![\w-])/i, `${path} has a literal colour`);
    }
  });
});
