/**
 * A script step's values as HA's script helpers treat them, ported for `call_action`: which strings are
 * templates, rendering a structure of them (`render_complex`), the entity IDs of a target (`cv`'s
 * `comp_entity_ids_or_uuids`), an exclude block's check, and Python's `str()` of a value for HA's messages.
 */
import { pythonRepr, pythonStr, pythonStrip } from './python-text.js';

/** HA's `is_template_string`: a string that holds `{{`, `{%` or `{#`. */
export const isTemplate = (text: string): boolean =>
  text.includes('{') && (text.includes('{%') || text.includes('{{') || text.includes('{#'));

/** The templates in a value, in the order HA meets them: list items, then each key before its value. */
export function* templatesIn(value: unknown): Generator<string> {
  if (typeof value === 'string') {
    if (isTemplate(value)) yield value;
  } else if (Array.isArray(value)) {
    for (const item of value) yield* templatesIn(item);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      yield* templatesIn(key);
      yield* templatesIn(item);
    }
  }
}

/** A template rendered to a list or a dict where a key must be: Python cannot hash it. */
export class UnhashableKey extends Error {}

/** The value with every template replaced by what `rendered` gives for it (which may throw). */
export function renderComplex(value: unknown, rendered: (template: string) => unknown): unknown {
  if (typeof value === 'string') return isTemplate(value) ? rendered(value) : value;
  if (Array.isArray(value)) return value.map((item) => renderComplex(item, rendered));
  if (value === null || typeof value !== 'object') return value;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const renderedKey = renderComplex(key, rendered);
    if (renderedKey !== null && typeof renderedKey === 'object') throw new UnhashableKey();
    result[String(renderedKey)] = renderComplex(item, rendered);
  }
  return result;
}

/** homeassistant/core.py's `valid_entity_id` (Python's `\d` is any Unicode decimal digit). */
const OBJECT_ID = String.raw`(?!_)[\p{Nd}a-z_]+(?<!_)`;
const VALID_ENTITY_ID = new RegExp(String.raw`^(?!.+__)${OBJECT_ID}\.${OBJECT_ID}$`, 'u');
export const validEntityId = (id: string): boolean => VALID_ENTITY_ID.test(id);

const REGISTRY_ID = /^[0-9a-f]{32}$/;

/**
 * `cv.comp_entity_ids_or_uuids`: `all` or `none` in any case, else entity IDs (lower-cased) or entity registry
 * ids, from a list or from comma-separated text; undefined when HA's validator would refuse the value.
 */
export function compEntityIdsOrUuids(value: unknown): 'all' | 'none' | string[] | undefined {
  if (typeof value === 'string') {
    const word = value.toLowerCase();
    if (word === 'all' || word === 'none') return word;
  }
  const items =
    typeof value === 'string'
      ? value.split(',').map(pythonStrip)
      : Array.isArray(value)
        ? value
        : value !== null && typeof value === 'object'
          ? Object.keys(value) // Python iterates a dict's keys
          : undefined;
  const ids: string[] = [];
  for (const item of items ?? []) {
    const id = item === null || typeof item === 'object' ? undefined : pythonStrOf(item).toLowerCase();
    if (id !== undefined && validEntityId(id)) ids.push(id);
    else if (typeof item === 'string' && REGISTRY_ID.test(item)) ids.push(item);
    else return undefined;
  }
  return items && ids;
}

const EXCLUDE_KEYS = ['entity_id', 'device_id', 'area_id', 'floor_id', 'label_id'];

/**
 * `cv.TARGET_EXCLUDE_SCHEMA` on a rendered exclude block: its keys, each value made a list, entity IDs valid
 * as they are and the other ids strings; undefined when HA's schema would refuse it.
 */
export function excludeBlock(value: unknown): Record<string, string[]> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const block: Record<string, string[]> = {};
  for (const [key, item] of Object.entries(value)) {
    if (!EXCLUDE_KEYS.includes(key)) return undefined;
    const list: unknown[] = item === null ? [] : Array.isArray(item) ? item : [item];
    const valid = (id: unknown) => typeof id === 'string' && (key !== 'entity_id' || validEntityId(id));
    if (!list.every(valid)) return undefined;
    block[key] = list as string[];
  }
  return block;
}

/** Python's `str()` of a JSON value, as HA's messages print values. */
export function pythonStrOf(value: unknown): string {
  return typeof value === 'string' ? value : pythonReprOf(value);
}

function pythonReprOf(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'string') return pythonRepr(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return pythonStr(value);
  if (Array.isArray(value)) return `[${value.map(pythonReprOf).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  return `{${entries.map(([key, item]) => `${pythonRepr(key)}: ${pythonReprOf(item)}`).join(', ')}}`;
}
