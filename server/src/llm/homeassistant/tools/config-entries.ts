/**
 * Config entries as HA's config tools show them (components/config/llm.py): short ids (`domain:XXXX`, the
 * last four characters of the entry id, more where two entries of a domain share them), resolving a short
 * id back, the three status groups, and the reason an entry failed, translated as HA translates it.
 */
import type { ConfigEntry, ConfigEntryState } from '../../../ha/config-entry-commands.js';

const MIN_SUFFIX = 4;

/** The states each status filter stands for. */
export const STATUS_STATES: Record<'loaded' | 'error' | 'not_loaded', ReadonlySet<ConfigEntryState>> = {
  loaded: new Set(['loaded']),
  error: new Set(['setup_error', 'setup_retry', 'migration_error', 'failed_unload']),
  not_loaded: new Set(['not_loaded', 'setup_in_progress', 'unload_in_progress']),
};

/** The last `length` characters (code points, as Python slices). */
const tail = (text: string, length: number): string => Array.from(text).slice(-length).join('');

/**
 * Each entry's short id, by full id: `{domain}:{suffix}`, the suffix four characters long, or longer for a
 * domain's entries that share their last four until they differ.
 */
export function shortEntryIds(entries: readonly ConfigEntry[]): Map<string, string> {
  const groups = new Map<string, { domain: string; ids: string[] }>();
  for (const { domain, entry_id } of entries) {
    const key = JSON.stringify([domain, tail(entry_id, MIN_SUFFIX)]);
    const group = groups.get(key) ?? { domain, ids: [] };
    group.ids.push(entry_id);
    groups.set(key, group);
  }
  const short = new Map<string, string>();
  for (const { domain, ids } of groups.values()) {
    let length = MIN_SUFFIX;
    while (ids.length > 1 && new Set(ids.map((id) => tail(id, length))).size < ids.length) length++;
    for (const id of ids) short.set(id, `${domain}:${tail(id, length)}`);
  }
  return short;
}

/**
 * The entry a short id names, or undefined: the domain (any case) before the first `:`, and the one entry of
 * that domain whose id ends with the rest (exact case, at least four characters).
 */
export function resolveShortEntryId(
  entries: readonly ConfigEntry[],
  shortId: string
): ConfigEntry | undefined {
  const colon = shortId.indexOf(':');
  if (colon < 0) return undefined;
  const domain = shortId.slice(0, colon).toLowerCase();
  const suffix = shortId.slice(colon + 1);
  if (!domain || Array.from(suffix).length < MIN_SUFFIX) return undefined;
  const matches = entries.filter((entry) => entry.domain === domain && entry.entry_id.endsWith(suffix));
  return matches.length === 1 ? matches[0] : undefined;
}

/** The integration whose `exceptions` translations hold this entry's reason, when it has a translated one. */
export const reasonDomainOf = (entry: ConfigEntry): string | undefined =>
  entry.error_reason_translation_key ? entry.error_reason_translation_domain || entry.domain : undefined;

/**
 * Why the entry is in its state, as HA says it: its translated reason (English, from `translations`, the
 * `exceptions` texts of its integration), else the reason it was given.
 */
export function entryReason(entry: ConfigEntry, translations: Record<string, string>): string | null {
  const key = entry.error_reason_translation_key;
  if (!key) return entry.reason;
  const message = exceptionMessage(
    translations,
    reasonDomainOf(entry)!,
    key,
    entry.error_reason_translation_placeholders
  );
  return message !== key ? message : entry.reason || key;
}

/**
 * HA's `translation.async_get_exception_message`: the translated text without its trailing dots, with its
 * placeholders filled in; the key itself when there is no such text. A placeholder with no value leaves
 * the text as it is (HA ignores the KeyError).
 */
export function exceptionMessage(
  translations: Record<string, string>,
  domain: string,
  key: string,
  placeholders: Record<string, unknown> | null
): string {
  const localizeKey = `component.${domain}.exceptions.${key}.message`;
  if (!Object.hasOwn(translations, localizeKey)) return key;
  let message = translations[localizeKey]!;
  if (message) message = message.replace(/\.+$/, '');
  if (!placeholders || Object.keys(placeholders).length === 0) return message;
  return formatNamed(message, placeholders) ?? message;
}

/**
 * Python's `text.format(**values)` for the `{name}` placeholders translations use (`{{` and `}}` for
 * braces); undefined where Python raises KeyError (a name without a value). Format specs, conversions and
 * attribute or index lookups are not reproduced: the text stays unformatted. Malformed texts fail with
 * Python's words.
 */
export function formatNamed(text: string, values: Record<string, unknown>): string | undefined {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    if (char === '}') {
      if (text[i + 1] !== '}') throw new Error("Single '}' encountered in format string");
      out += '}';
      i += 2;
    } else if (char === '{' && text[i + 1] === '{') {
      out += '{';
      i += 2;
    } else if (char === '{') {
      // The field runs to its closing brace; a format spec may nest braces.
      let depth = 1;
      let end = i + 1;
      for (; end < text.length && depth; end++) {
        if (text[end] === '{') depth++;
        else if (text[end] === '}') depth--;
      }
      if (depth) throw new Error("expected '}' before end of string");
      const field = text.slice(i + 1, end - 1);
      const name = /^[^.[!:]*/.exec(field)![0];
      if (name === '' || /^\d+$/.test(name)) {
        throw new Error(`Replacement index ${name || 0} out of range for positional args tuple`);
      }
      if (!Object.hasOwn(values, name)) return undefined;
      if (field !== name) return text;
      out += pythonStr(values[name]);
      i = end;
    } else {
      out += char;
      i++;
    }
  }
  return out;
}

/** Python's `str()` of a JSON value (placeholders are strings, but HA does not check). */
function pythonStr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return typeof value === 'string'
    ? value
    : typeof value === 'number'
      ? String(value)
      : JSON.stringify(value);
}

/** An entry as HA's tools list it, under its short id. */
export function entryItem(
  entry: ConfigEntry,
  shortId: string,
  reason: string | null
): Record<string, unknown> {
  const item: Record<string, unknown> = {
    entry_id: shortId,
    domain: entry.domain,
    title: entry.title,
    state: entry.state,
  };
  if (entry.disabled_by !== null && entry.disabled_by !== undefined) item.disabled_by = entry.disabled_by;
  if (entry.source === 'ignore') item.source = entry.source;
  if (reason !== null && reason !== undefined) item.reason = reason;
  return item;
}
