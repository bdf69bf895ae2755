/**
 * The panel's words: `localize('panel.status.version', { version })` looks a nested key up in the chosen
 * language (translations/<language>.json) and formats it as ICU MessageFormat, as Home Assistant's own
 * translations are: `{name}` placeholders, `{count, plural, one {…} other {…}}`. Numbers passed in are
 * formatted in the panel's number locale (locale.ts).
 *
 * English ships in the main bundle and stands in for any key a language lacks; each other language is its
 * own chunk, loaded once by `loadMessages` before the panel renders.
 */
import { IntlMessageFormat } from 'intl-messageformat';
import en from './translations/en.json';
import { messageFormatters as formatters, panelLocale, type Language } from './locale';

type Tree = { [key: string]: string | Tree };

const loaders = import.meta.glob<{ default: Tree }>(['./translations/*.json', '!./translations/en.json']);

let messages: Tree = en as Tree;
const compiled = new Map<string, IntlMessageFormat | null>();

/** Loads a language's words; English is always there. */
export async function loadMessages(language: Language): Promise<void> {
  compiled.clear();
  if (language === 'en') {
    messages = en as Tree;
    return;
  }
  const load = loaders[`./translations/${language}.json`];
  messages = load ? (await load()).default : (en as Tree);
}

function lookup(tree: Tree, key: string): string | undefined {
  let node: string | Tree | undefined = tree;
  for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined;
  return typeof node === 'string' ? node : undefined;
}

function messageFor(key: string): IntlMessageFormat | null {
  const own = lookup(messages, key);
  const language = own !== undefined ? panelLocale().language : 'en';
  const cacheKey = `${language}:${key}`;
  let message = compiled.get(cacheKey);
  if (message !== undefined) return message;
  const text = own ?? lookup(en as Tree, key);
  message =
    text === undefined
      ? null
      : new IntlMessageFormat(text, language, undefined, { ignoreTag: true, formatters });
  compiled.set(cacheKey, message);
  return message;
}

export function localize(key: string, params: Record<string, string | number> = {}): string {
  const message = messageFor(key);
  if (message === null) return key;
  try {
    return String(message.format(params));
  } catch {
    // A placeholder the caller did not pass: the key, as for a missing message, rather than a broken view.
    return key;
  }
}
